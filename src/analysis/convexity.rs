//! Is the generator convex on `(0, ∞)`?
//!
//! `f''(u) = g''(ln u)/u²`, so `f` is convex on `(0, ∞)` exactly when `g` is convex on `ℝ`, and
//! either side can be examined. The answer is [`Method::Proved`] only when the simplified second
//! derivative is *evidently* non-negative (a sum or product of squares, exponentials, positive
//! powers of `u`, bounded terms under a large enough constant, or such a sum over a common
//! positive denominator). Otherwise `f''` is scanned on a log-spaced grid of `u` in
//! `[10⁻⁸, 10⁸]`, sign changes are bisected and the minimum refined: that is evidence on the
//! scanned range, not a proof, and [`Method::Numeric`] says so. A generator with a kink (`abs`,
//! `sign`) is always scanned, and its first derivative is also checked to be non-decreasing,
//! because the symbolic second derivative misses the jump of `f'` at the kink.

use crate::Error;
use crate::diff::diff;
use crate::eval::{Compiled, Params, compile};
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR};
use crate::print::plain;
use crate::simplify::{Assumptions, complexity, expand, simplify};
use num_traits::{One, Signed, Zero};

/// How a conclusion was reached.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// Exactly, from the symbolic form.
    Proved,
    /// From values at sample points: evidence on the range examined, not a proof.
    Numeric,
}

/// The convexity of a generator `f` on `(0, ∞)` (equivalently of its loss `g` on `ℝ`).
#[derive(Clone, Debug, PartialEq)]
pub struct Convexity {
    /// Whether `f'' ≥ 0` was proved, or held at every finite point of the scan.
    pub convex: bool,
    /// How `convex` was decided.
    pub method: Method,
    /// The simplified second derivative that was examined: `f''(u)` or `g''(t)`.
    pub second_derivative: Option<Expr>,
    /// The variable of `second_derivative`: `"u"` or `"t"`.
    pub variable: &'static str,
    /// The smallest `f''(u)` seen by the scan (`None` when proved).
    pub min_value: Option<f64>,
    /// The `u` where `min_value` was seen.
    pub min_at: Option<f64>,
    /// A point `(u, f''(u))` with `f''(u) < 0`, when one was found.
    pub witness: Option<(f64, f64)>,
    /// The `u` where the scan saw `f''` change sign, located by bisection (at most 16).
    pub sign_changes: Vec<f64>,
    /// Grid points skipped because `f''` was not finite there.
    pub skipped: usize,
    /// The second derivative as one quotient `N/D` with `D > 0` and `N` evidently
    /// non-negative, when that is how it was proved.
    pub quotient: Option<Expr>,
    /// `(u, before, after)`: where the scan saw the slope drop (a concave kink), when it did;
    /// the slope is `f'` for a generator, and `g'` at `t = ln u` for a loss (`variable` `t`).
    pub drop: Option<(f64, f64, f64)>,
    /// When proved piece by piece (a kinked function): the second derivative on each open
    /// piece between the kinks, evidently non-negative there; empty otherwise.
    pub pieces: Vec<Piece>,
    /// The kinks between those pieces, where the function is continuous and its slope rises
    /// (or stays); when proved not convex, the one kink where the slope falls (its `rise`
    /// negative); empty otherwise.
    pub kinks: Vec<Kink>,
    /// When proved not convex because the generator jumps: where, and by how much (`rise`).
    pub jump: Option<Kink>,
    /// When proved not convex because the generator's value at a root stands apart from the
    /// equal limits on either side (`abs(u - 2) - abs(sign(u - 2))` is `0` at `u = 2`, its
    /// limits `-1`).
    pub apart: Option<Apart>,
}

pub use crate::transform::defect::Apart;
pub use pieces::{Kink, Piece};

/// The number of log-spaced scan points in `[SCAN_MIN, SCAN_MAX]`.
pub const SCAN_POINTS: usize = 2000;
/// The smallest `u` scanned.
pub const SCAN_MIN: f64 = 1e-8;
/// The largest `u` scanned.
pub const SCAN_MAX: f64 = 1e8;
/// A negative `f''` smaller in size than this fraction of `Σ|terms of f''|` is taken as
/// rounding of a zero, not as evidence of non-convexity.
pub const NOISE: f64 = 1e-9;

/// The convexity of a generator `f(u)` on `(0, ∞)`.
///
/// Fails when `f` cannot be differentiated or evaluated (a parameter without a value), or when
/// `f''` is not finite at any scan point.
pub fn of_generator(f: &Expr) -> Result<Convexity, Error> {
    // `f'` once: the slope of a kinked `f` is the same derivative.
    let f1 = diff(f, DIVERGENCE_VAR)?;
    let f2 = tidy(diff(&f1, DIVERGENCE_VAR)?);
    let smooth = is_smooth(f);
    if smooth {
        if let Some(proof) = prove_nonneg(&f2, true) {
            return Ok(proved(&f2, DIVERGENCE_VAR, proof));
        }
    } else if let Some(c) = proved_on_pieces(f, &f2, DIVERGENCE_VAR) {
        return Ok(c);
    }
    let terms = compile_terms(&f2, DIVERGENCE_VAR)?;
    let f2_at = |u: f64| eval_terms(&terms, u);
    let slope = if smooth {
        None
    } else {
        Some(Slope::new(&f1, DIVERGENCE_VAR)?)
    };
    scan(
        &f2_at,
        slope
            .as_ref()
            .map(|s| (move |u: f64| s.value(u), move |u: f64| s.scale(u))),
        f2,
        DIVERGENCE_VAR,
    )
}

/// [`of_generator`] when it decides by a proof (convex, or not convex at a kink), `None` when
/// it would scan instead: the same
/// derivatives, proof and errors, without the scan's values. For a caller that keeps only a
/// proof (the loss's own scan is reported otherwise): the scan fails only when `f''` is finite
/// at no grid point, so the grid is read only up to its first finite value.
pub fn proof_of_generator(f: &Expr) -> Result<Option<Convexity>, Error> {
    // `f'` once: the slope of a kinked `f` is the same derivative.
    let f1 = diff(f, DIVERGENCE_VAR)?;
    let f2 = tidy(diff(&f1, DIVERGENCE_VAR)?);
    let smooth = is_smooth(f);
    if smooth {
        if let Some(proof) = prove_nonneg(&f2, true) {
            return Ok(Some(proved(&f2, DIVERGENCE_VAR, proof)));
        }
    } else if let Some(c) = proved_on_pieces(f, &f2, DIVERGENCE_VAR) {
        return Ok(Some(c));
    }
    let terms = compile_terms(&f2, DIVERGENCE_VAR)?;
    if !smooth {
        compile(&f1, DIVERGENCE_VAR, &Params::new())?;
    }
    if finite_somewhere(|u| eval_terms(&terms, u)) {
        Ok(None)
    } else {
        Err(not_finite(&f2))
    }
}

/// `f` proved not convex because its value at a root stands apart from the equal limits on
/// either side, when it is: the derived loss of a pair cannot show it (the transform sees only
/// `f'`), so a pair asks the generator first.
pub fn apart_of_generator(f: &Expr) -> Result<Option<Convexity>, Error> {
    if is_smooth(f) {
        return Ok(None);
    }
    let Some(apart) = crate::transform::defect::values_apart(f, DIVERGENCE_VAR)
        .into_iter()
        .next()
    else {
        return Ok(None);
    };
    let f2 = tidy(diff(&diff(f, DIVERGENCE_VAR)?, DIVERGENCE_VAR)?);
    Ok(Some(Convexity {
        convex: false,
        apart: Some(apart),
        ..proved(&f2, DIVERGENCE_VAR, Proof::Direct)
    }))
}

/// The convexity of a loss `g(t)` on `ℝ`, reported through `f''(u) = g''(ln u)/u²` so that the
/// scan, its minimum and any witness are in `u`.
pub fn of_loss(g: &Expr) -> Result<Convexity, Error> {
    match examine_loss(g)? {
        Loss::Proved(c) => Ok(*c),
        Loss::Scan(s) => s.scan(),
    }
}

/// The loss side after its proof was tried: proved, or ready to scan.
pub enum Loss {
    /// Decided by a proof: `g'' ≥ 0`, or (for a kinked `g`) convex or not piece by piece.
    Proved(Box<Convexity>),
    /// Not proved; the scan ([`LossScan::scan`]) is what [`of_loss`] reports.
    Scan(LossScan),
}

/// `g''` (and `g'` where `g` has a kink) compiled for the scan, with `f''` known to be finite
/// at some grid point: the scan cannot fail.
pub struct LossScan {
    g2: Expr,
    terms: Vec<Compiled>,
    slope: Option<Slope>,
}

/// A slope `f'` (or `g'`) compiled whole, for its value, and term by term, for the size of its
/// rounding: `Σ|termᵢ|`, as `f''` is judged (`g' = |t + 1|/2 + 1 − |t − 1|/2` is `0` for
/// `t < −1`, where it rounds to `±4e-16` from terms of size 8).
struct Slope {
    whole: Compiled,
    terms: Vec<Compiled>,
}

impl Slope {
    fn new(e: &Expr, var: &str) -> Result<Slope, Error> {
        Ok(Slope {
            whole: compile(e, var, &Params::new())?,
            terms: compile_terms(e, var)?,
        })
    }

    /// The slope at `x`.
    fn value(&self, x: f64) -> f64 {
        self.whole.eval(x)
    }

    /// `Σ|termᵢ(x)|`, the size its rounding is judged against.
    fn scale(&self, x: f64) -> f64 {
        eval_terms(&self.terms, x).1
    }
}

/// The part of [`of_loss`] before its scan, with the same errors in the same order (the scan's
/// own error, no finite `f''` on the grid, is found by reading the grid up to its first finite
/// value): a caller can look at another proof before paying for the scan.
pub fn examine_loss(g: &Expr) -> Result<Loss, Error> {
    // `g'` once: the slope of a kinked `g` is the same derivative.
    let g1 = diff(g, LOSS_VAR)?;
    let g2 = tidy(diff(&g1, LOSS_VAR)?);
    let smooth = is_smooth(g);
    if smooth {
        if let Some(proof) = prove_nonneg(&g2, false) {
            return Ok(Loss::Proved(Box::new(proved(&g2, LOSS_VAR, proof))));
        }
    } else if let Some(c) = proved_on_pieces(g, &g2, LOSS_VAR) {
        return Ok(Loss::Proved(Box::new(c)));
    }
    let terms = compile_terms(&g2, LOSS_VAR)?;
    let slope = if smooth {
        None
    } else {
        Some(Slope::new(&g1, LOSS_VAR)?)
    };
    if !finite_somewhere(|u| loss_f2_at(&terms, u)) {
        return Err(not_finite(&g2));
    }
    Ok(Loss::Scan(LossScan { g2, terms, slope }))
}

impl LossScan {
    /// The scan of `f''(u) = g''(ln u)/u²`.
    pub fn scan(self) -> Result<Convexity, Error> {
        let LossScan { g2, terms, slope } = self;
        let f2_at = |u: f64| loss_f2_at(&terms, u);
        scan(
            &f2_at,
            slope
                .as_ref()
                .map(|s| (move |u: f64| s.value(u.ln()), move |u: f64| s.scale(u.ln()))),
            g2,
            LOSS_VAR,
        )
    }
}

/// `(f''(u), Σ|terms|)` from the terms of `g''`: `f''(u) = g''(ln u)/u²`.
fn loss_f2_at(terms: &[Compiled], u: f64) -> (f64, f64) {
    let (v, scale) = eval_terms(terms, u.ln());
    (v / (u * u), scale / (u * u))
}

/// Whether `f''` (`(value, scale)` at a `u`) is finite at some grid point of the scan, read
/// up to the first one.
fn finite_somewhere(f2_at: impl Fn(f64) -> (f64, f64)) -> bool {
    (0..SCAN_POINTS).any(|i| {
        let (v, s) = f2_at(grid(i));
        clean(v, s).is_some()
    })
}

/// `e` with every power of a sum written with a primitive base, `(u/2 + 1/2)^n = (u + 1)^n/2^n`,
/// so that like terms can merge; kept only when that is simpler.
fn tidy(e: Expr) -> Expr {
    fn primitive(e: &Expr) -> Expr {
        match e {
            Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => e.clone(),
            Expr::Add(xs) => Expr::add(xs.iter().map(primitive).collect()),
            Expr::Mul(xs) => Expr::mul(xs.iter().map(primitive).collect()),
            Expr::Pow(b, x) => {
                let b = primitive(b);
                let x = primitive(x);
                match (&b, &x) {
                    (Expr::Add(ts), Expr::Num(_)) => {
                        let g = ts[0].split_coeff().0.abs();
                        if g.is_zero() || g.is_one() {
                            Expr::pow(b, x)
                        } else {
                            let g = Expr::Num(g);
                            Expr::pow(g.clone(), x.clone()) * Expr::pow(b * g.recip(), x)
                        }
                    }
                    _ => Expr::pow(b, x),
                }
            }
            Expr::Func(f, a) => Expr::func(*f, primitive(a)),
            Expr::Func2(f, a, b) => Expr::func2(*f, primitive(a), primitive(b)),
        }
    }
    match simplify(&primitive(&e)) {
        Ok(p) if complexity(&p) < complexity(&e) => p,
        _ => e,
    }
}

/// Whether `e` has no kink: neither `abs` nor `sign` appears.
fn is_smooth(e: &Expr) -> bool {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => true,
        Expr::Add(xs) | Expr::Mul(xs) => xs.iter().all(is_smooth),
        Expr::Pow(b, x) => is_smooth(b) && is_smooth(x),
        Expr::Func(Func::Abs | Func::Sign, _) => false,
        Expr::Func(_, a) => is_smooth(a),
        Expr::Func2(..) => false,
    }
}

fn proved(d2: &Expr, var: &'static str, proof: Proof) -> Convexity {
    Convexity {
        convex: true,
        method: Method::Proved,
        second_derivative: Some(d2.clone()),
        variable: var,
        min_value: None,
        min_at: None,
        witness: None,
        sign_changes: Vec::new(),
        skipped: 0,
        quotient: match proof {
            Proof::Direct => None,
            Proof::CommonDenominator(q) => Some(q),
        },
        drop: None,
        pieces: Vec::new(),
        kinks: Vec::new(),
        jump: None,
        apart: None,
    }
}

/// `e` (whose second derivative is `d2`) proved convex piece by piece, or not convex at a kink
/// where its slope falls, when either can be (see [`pieces`]).
fn proved_on_pieces(e: &Expr, d2: &Expr, var: &'static str) -> Option<Convexity> {
    Some(match pieces::prove(e, var)? {
        pieces::Proved::Convex(pieces, kinks) => Convexity {
            pieces,
            kinks,
            ..proved(d2, var, Proof::Direct)
        },
        pieces::Proved::Smooth(second, proof) => proved(&second, var, proof),
        pieces::Proved::Jumps(kink) => Convexity {
            convex: false,
            jump: Some(kink),
            ..proved(d2, var, Proof::Direct)
        },
        pieces::Proved::Apart(apart) => Convexity {
            convex: false,
            apart: Some(apart),
            ..proved(d2, var, Proof::Direct)
        },
        pieces::Proved::Falls(kink) => Convexity {
            convex: false,
            kinks: vec![kink],
            ..proved(d2, var, Proof::Direct)
        },
    })
}

/// How `e ≥ 0` was seen.
enum Proof {
    /// Term by term.
    Direct,
    /// As `N/D` with `D > 0` and `N` evidently non-negative (the quotient is given).
    CommonDenominator(Expr),
}

/// `Some` when `e ≥ 0` is evident (`positive_var`: `u > 0` may be used; otherwise the variable
/// is `t`, real).
fn prove_nonneg(e: &Expr, positive_var: bool) -> Option<Proof> {
    let a = if positive_var {
        Assumptions::default()
    } else {
        Assumptions { positive: vec![] }
    };
    prove_nonneg_with(e, &a)
}

/// [`prove_nonneg`] under the facts `a`.
fn prove_nonneg_with(e: &Expr, a: &Assumptions) -> Option<Proof> {
    let a = a.clone();
    if evidently_nonneg(e, &a) {
        return Some(Proof::Direct);
    }
    let (n, d) = over_common_denominator(e, &a)?;
    if evidently_nonneg(&n, &a) {
        let q = simplify(&(n * d.recip())).ok()?;
        return Some(Proof::CommonDenominator(q));
    }
    None
}

/// `e ≥ 0` from [`Assumptions::is_nonneg`], extended to products and powers of evidently
/// non-negative factors, to `c − Σ kᵢ·hᵢ` with every `|hᵢ| ≤ 1` and `c ≥ Σ kᵢ`, and to an exact
/// constant whose enclosure is positive (`355/113 − pi`, about `2.7e-7`).
fn evidently_nonneg(e: &Expr, a: &Assumptions) -> bool {
    if a.is_nonneg(e) {
        return true;
    }
    if e.is_constant() && crate::eval::enclose::sign(e) == Some(std::cmp::Ordering::Greater) {
        return true;
    }
    match e {
        Expr::Add(xs) => xs.iter().all(|x| evidently_nonneg(x, a)) || bounded_below(xs, a),
        Expr::Mul(xs) => xs.iter().all(|x| evidently_nonneg(x, a)),
        Expr::Pow(b, x) => match &**x {
            Expr::Num(n) => {
                (n.is_positive() && evidently_nonneg(b, a)) || (n.is_negative() && a.is_positive(b))
            }
            _ => false,
        },
        _ => false,
    }
}

/// `c + Σ (non-negative) − Σ kᵢ·hᵢ ≥ 0` when `|hᵢ| ≤ 1` and `c ≥ Σ kᵢ` (`1 − tanh(t)² ≥ 0`).
fn bounded_below(xs: &[Expr], a: &Assumptions) -> bool {
    let mut room = num_rational::BigRational::zero();
    for x in xs {
        if let Expr::Num(c) = x {
            room += c;
            continue;
        }
        if evidently_nonneg(x, a) {
            continue;
        }
        let (k, rest) = x.split_coeff();
        if k.is_negative() && bounded_by_one(&rest) {
            room += k;
        } else {
            return false;
        }
    }
    !room.is_negative()
}

/// `|e| ≤ 1` everywhere: `tanh`, `sin`, `cos`, `sigmoid`, `sign` and their products and
/// positive powers.
fn bounded_by_one(e: &Expr) -> bool {
    match e {
        Expr::Num(n) => n.abs() <= num_rational::BigRational::one(),
        Expr::Func(Func::Tanh | Func::Sin | Func::Cos | Func::Sigmoid | Func::Sign, _) => true,
        Expr::Mul(xs) => xs.iter().all(bounded_by_one),
        Expr::Pow(b, x) => matches!(&**x, Expr::Num(n) if n.is_positive()) && bounded_by_one(b),
        _ => false,
    }
}

/// A sum as `N/D`: `D` the product of every base with a negative exponent, to the largest such
/// power, and `N = Σ term·D` multiplied out. `None` unless `D > 0` is known (so that `N/D` has
/// the sign of `N`) and the sum is small.
fn over_common_denominator(e: &Expr, a: &Assumptions) -> Option<(Expr, Expr)> {
    let Expr::Add(terms) = e else {
        return None;
    };
    if terms.len() > 8 {
        return None;
    }
    let mut dens: Vec<(Expr, num_rational::BigRational)> = Vec::new();
    for term in terms {
        let factors: &[Expr] = match term {
            Expr::Mul(fs) => fs,
            other => std::slice::from_ref(other),
        };
        for fac in factors {
            if let Expr::Pow(b, x) = fac {
                if let Expr::Num(n) = &**x {
                    if n.is_negative() {
                        let p = -n.clone();
                        match dens.iter_mut().find(|(base, _)| base == &**b) {
                            Some((_, q)) if *q < p => *q = p,
                            Some(_) => {}
                            None => dens.push(((**b).clone(), p)),
                        }
                    }
                }
            }
        }
    }
    if dens.is_empty() {
        return None;
    }
    let d = Expr::mul(
        dens.into_iter()
            .map(|(b, p)| Expr::pow(b, Expr::Num(p)))
            .collect(),
    );
    if !a.is_positive(&d) {
        return None;
    }
    let raw = Expr::add(terms.iter().map(|t| t.clone() * d.clone()).collect());
    let n = simplify(&raw).ok()?;
    let n = match expand(&n) {
        Some(x) => simplify(&x)
            .ok()
            .filter(|x| complexity(x) <= complexity(&n) * 4)?,
        None => n,
    };
    Some((n, d))
}

/// The terms of `e` (one when `e` is not a sum), compiled in `var`.
fn compile_terms(e: &Expr, var: &str) -> Result<Vec<Compiled>, Error> {
    let terms: &[Expr] = match e {
        Expr::Add(xs) => xs,
        other => std::slice::from_ref(other),
    };
    terms
        .iter()
        .map(|t| compile(t, var, &Params::new()).map_err(Error::from))
        .collect()
}

/// `(Σ termᵢ(x), Σ |termᵢ(x)|)`.
fn eval_terms(terms: &[Compiled], x: f64) -> (f64, f64) {
    terms.iter().fold((0.0, 0.0), |(v, s), c| {
        let y = c.eval(x);
        (v + y, s + y.abs())
    })
}

/// `f''` at a point, with a rounding-level negative value read as `0`: `None` when not finite.
fn clean(v: f64, scale: f64) -> Option<f64> {
    if !v.is_finite() || !scale.is_finite() {
        None
    } else if v < 0.0 && v >= -NOISE * scale {
        Some(0.0)
    } else {
        Some(v)
    }
}

/// The grid point `i` of the scan, `u = 10^(−8 + 16·i/(N−1))`.
fn grid(i: usize) -> f64 {
    let (lo, hi) = (SCAN_MIN.log10(), SCAN_MAX.log10());
    10f64.powf(lo + (hi - lo) * i as f64 / (SCAN_POINTS - 1) as f64)
}

fn scan<F, S, W>(
    f2_at: &F,
    slope: Option<(S, W)>,
    d2: Expr,
    var: &'static str,
) -> Result<Convexity, Error>
where
    F: Fn(f64) -> (f64, f64),
    S: Fn(f64) -> f64,
    W: Fn(f64) -> f64,
{
    let at = |u: f64| {
        let (v, s) = f2_at(u);
        clean(v, s)
    };
    let us: Vec<f64> = (0..SCAN_POINTS).map(grid).collect();
    let vs: Vec<Option<f64>> = us.iter().map(|&u| at(u)).collect();
    let skipped = vs.iter().filter(|v| v.is_none()).count();
    let finite: Vec<(usize, f64)> = vs
        .iter()
        .enumerate()
        .filter_map(|(i, v)| v.map(|v| (i, v)))
        .collect();
    let Some(&(imin, _)) = finite.iter().min_by(|x, y| x.1.total_cmp(&y.1)) else {
        return Err(not_finite(&d2));
    };
    let (min_at, min_value) = refine_min(&at, &us, imin);
    let mut sign_changes = Vec::new();
    for w in finite.windows(2) {
        let ((i, a), (j, b)) = (w[0], w[1]);
        if (a < 0.0) != (b < 0.0) && sign_changes.len() < 16 {
            sign_changes.push(bisect(&at, us[i], us[j], a < 0.0));
        }
    }
    let drop = slope.and_then(|(s, w)| downward_jump(&s, &w, &us));
    let convex = min_value >= 0.0 && drop.is_none();
    let witness = if min_value < 0.0 {
        Some(readable_witness(&at, &finite, &us).unwrap_or((min_at, min_value)))
    } else {
        None
    };
    Ok(Convexity {
        convex,
        method: Method::Numeric,
        second_derivative: Some(d2),
        variable: var,
        min_value: Some(min_value),
        min_at: Some(min_at),
        witness,
        sign_changes,
        skipped,
        quotient: None,
        drop,
        pieces: Vec::new(),
        kinks: Vec::new(),
        jump: None,
        apart: None,
    })
}

/// The error of a scan that found `f''` (`d2`) finite at no grid point.
fn not_finite(d2: &Expr) -> Error {
    Error::Undefined(format!(
        "the second derivative {} is not finite anywhere on u in [1e-8, 1e8]",
        plain(d2)
    ))
}

/// The minimum near grid point `i`, by golden-section search in `log u` between its neighbours;
/// the grid value when the search finds nothing lower.
fn refine_min(at: &impl Fn(f64) -> Option<f64>, us: &[f64], i: usize) -> (f64, f64) {
    let best = (us[i], at(us[i]).unwrap_or(f64::INFINITY));
    let (mut lo, mut hi) = (
        us[i.saturating_sub(1)].ln(),
        us[(i + 1).min(us.len() - 1)].ln(),
    );
    let value = |x: f64| at(x.exp()).unwrap_or(f64::INFINITY);
    const R: f64 = 0.618_033_988_749_895;
    for _ in 0..80 {
        let (a, b) = (hi - R * (hi - lo), lo + R * (hi - lo));
        if value(a) < value(b) {
            hi = b;
        } else {
            lo = a;
        }
    }
    let x = 0.5 * (lo + hi);
    let v = value(x);
    if v < best.1 { (x.exp(), v) } else { best }
}

/// The point between `a` and `b` where `f''` changes sign, by bisection in `log u`.
fn bisect(at: &impl Fn(f64) -> Option<f64>, a: f64, b: f64, negative_at_a: bool) -> f64 {
    let (mut lo, mut hi) = (a.ln(), b.ln());
    for _ in 0..60 {
        let mid = 0.5 * (lo + hi);
        match at(mid.exp()) {
            Some(v) if (v < 0.0) == negative_at_a => lo = mid,
            Some(_) => hi = mid,
            None => break,
        }
    }
    (0.5 * (lo + hi)).exp()
}

/// A readable witness: the first round `u` (`0.5`, `2`, `0.25`, `4`, `0.1`, `10`, …) where
/// `f'' < 0`, else the most negative grid value in `u ∈ [10⁻³, 10³]`, if there is one.
fn readable_witness(
    at: &impl Fn(f64) -> Option<f64>,
    finite: &[(usize, f64)],
    us: &[f64],
) -> Option<(f64, f64)> {
    const ROUND: [f64; 14] = [
        0.5, 2.0, 0.25, 4.0, 0.1, 10.0, 0.01, 100.0, 1e-3, 1e3, 1e-4, 1e4, 1e-6, 1e6,
    ];
    ROUND
        .iter()
        .find_map(|&u| at(u).filter(|v| *v < 0.0).map(|v| (u, v)))
        .or_else(|| {
            finite
                .iter()
                .filter(|&&(i, v)| v < 0.0 && (1e-3..=1e3).contains(&us[i]))
                .min_by(|x, y| x.1.total_cmp(&y.1))
                .map(|&(i, v)| (us[i], v))
        })
}

/// The first place where `f'` (the `slope`) decreases between grid points by more than
/// rounding, [`NOISE`] of the size of its terms (`scale`, `Σ|terms|`, asked only where the values
/// alone show a drop): `(u, before, after)`.
fn downward_jump(
    slope: &impl Fn(f64) -> f64,
    scale: &impl Fn(f64) -> f64,
    us: &[f64],
) -> Option<(f64, f64, f64)> {
    let vs: Vec<f64> = us.iter().map(|&u| slope(u)).collect();
    us.windows(2).zip(vs.windows(2)).find_map(|(u, v)| {
        let (a, b) = (v[0], v[1]);
        let finite = a.is_finite() && b.is_finite();
        let drops = |size: f64| b < a - NOISE * size.max(1e-300);
        let values = a.abs() + b.abs();
        (finite && drops(values) && drops((scale(u[0]) + scale(u[1])).max(values)))
            .then(|| ((u[0] * u[1]).sqrt(), a, b))
    })
}

/// `x` with 2–3 significant digits: `0.3`, `-1.2`, `1.2e-9`, `1e8`.
pub(crate) fn sig(x: f64) -> String {
    if x == 0.0 {
        return "0".to_string();
    }
    if !x.is_finite() {
        return format!("{x}");
    }
    let a = x.abs();
    if (1e-3..1e4).contains(&a) {
        let digits = (2 - a.log10().floor() as i32).max(0) as usize;
        let s = format!("{x:.digits$}");
        if s.contains('.') {
            s.trim_end_matches('0').trim_end_matches('.').to_string()
        } else {
            s
        }
    } else {
        let s = format!("{x:.2e}");
        let (m, e) = s.split_once('e').unwrap_or((&s, "0"));
        let m = if m.contains('.') {
            m.trim_end_matches('0').trim_end_matches('.')
        } else {
            m
        };
        format!("{m}e{e}")
    }
}

mod pieces;
#[cfg(test)]
mod tests;
