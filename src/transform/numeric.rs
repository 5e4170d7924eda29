//! The derived side by quadrature, when it has no closed form; the quadrature cross-check of
//! every closed form; and the gradient check with either kind of side.

use super::remembered::{GradientsMemo, LastValue};
use super::{Correspondence, Direction, Point, Refused, Value};
use crate::Error;
use crate::eval::{BoundPass, Compiled, Params, SumPass, compile};
use crate::expr::{DIVERGENCE_VAR, Expr, Func, LOSS_VAR, rational_to_f64};
use crate::integrate::numeric::{
    Boxed, DivergenceCurve, LossCurve, TransformError, loss_values_by_difference,
};
use crate::integrate::quad::Tolerance;
use std::cell::RefCell;
use std::rc::Rc;

/// The tolerance of the values reported to the user.
pub const REPORT_TOLERANCE: Tolerance = Tolerance {
    rel: 1e-10,
    abs: 1e-14,
};

/// The absolute floor of the refusal test: a value whose error estimate exceeds
/// `max(REPORT_TOLERANCE.rel·|value|, REFUSAL_FLOOR)` is refused (for a derived `f(u) = u·I`,
/// whose integral `I` the floor applies to, `REFUSAL_FLOOR·max(u, 1)`). A value near zero that
/// is a sum of pieces of size one (`g = t²/2 − t` at `t = 2`) is known to a few ulps of those
/// pieces, not of itself.
pub const REFUSAL_FLOOR: f64 = 1e-12;

/// The tighter tolerance used inside the gradient check, whose derivatives of numeric sides
/// are finite differences of quadratures.
const CHECK_TOLERANCE: Tolerance = Tolerance {
    rel: 1e-12,
    abs: 1e-15,
};

/// Where a closed form is compared with quadrature before it is reported.
const PROBES_U: [f64; 5] = [0.05, 0.4, 1.7, 3.0, 20.0];
const PROBES_T: [f64; 5] = [-3.0, -0.6, 0.4, 1.3, 3.0];

fn quad_error(e: TransformError) -> Error {
    Error::Quadrature(format!("the numeric transform failed: {e}"))
}

/// The points where `e` has a kink in `var`: the zeros of the arguments of `abs` and `sign`
/// that are linear in `var` with rational coefficients.
pub(super) fn kinks(e: &Expr, var: &str) -> Vec<f64> {
    fn walk(e: &Expr, var: &str, out: &mut Vec<f64>) {
        match e {
            Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => {}
            Expr::Add(xs) | Expr::Mul(xs) => xs.iter().for_each(|x| walk(x, var, out)),
            Expr::Pow(b, x) => {
                walk(b, var, out);
                walk(x, var, out);
            }
            Expr::Func(f, a) => {
                if matches!(f, Func::Abs | Func::Sign) {
                    if let Some(z) = linear_zero(a, var) {
                        out.push(z);
                    }
                }
                walk(a, var, out);
            }
            // `γ(p, x)' = |x|^(p−1)·e^(−x)` is not smooth where `x = 0`.
            Expr::Func2(_, p, x) => {
                if let Some(z) = linear_zero(x, var) {
                    out.push(z);
                }
                walk(p, var, out);
                walk(x, var, out);
            }
        }
    }
    let mut out = Vec::new();
    walk(e, var, &mut out);
    out.sort_by(f64::total_cmp);
    out.dedup();
    out
}

/// The zero of `k·var + d` for exact rational `k ≠ 0` and `d`.
fn linear_zero(a: &Expr, var: &str) -> Option<f64> {
    let terms: &[Expr] = match a {
        Expr::Add(ts) => ts,
        other => std::slice::from_ref(other),
    };
    let mut k = None;
    let mut d = 0.0;
    for t in terms {
        let (c, rest) = t.split_coeff();
        match rest {
            Expr::Sym(s) if &*s == var => k = Some(rational_to_f64(&c)),
            r if r.is_one() => d += rational_to_f64(&c),
            _ => return None,
        }
    }
    k.filter(|k| *k != 0.0).map(|k| -d / k)
}

/// `|x| = x·sign(x)` everywhere in `e`, so that `u·sign(u − 1)/2 − |u − 1|/2` can cancel to
/// `sign(u − 1)/2`.
fn abs_as_sign(e: &Expr) -> Expr {
    match e {
        Expr::Func(Func::Abs, a) => {
            let a = abs_as_sign(a);
            a.clone() * Expr::func(Func::Sign, a)
        }
        Expr::Func(f, a) => Expr::func(*f, abs_as_sign(a)),
        Expr::Add(xs) => Expr::add(xs.iter().map(abs_as_sign).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(abs_as_sign).collect()),
        Expr::Pow(b, x) => Expr::pow(abs_as_sign(b), abs_as_sign(x)),
        other => other.clone(),
    }
}

/// The loss's derivative of a generator, `g'(ln u) = u·f'(u) − f(u)`, simplified before it is
/// evaluated: a rational function over one reduced denominator, factored at its rational roots
/// ([`super::rational::together`]); otherwise, of the simplified form, the form with
/// `|x| = x·sign(x)` and their expansions, the least complex. The terms that grow like `u`
/// cancel here, symbolically, instead of in floating point.
pub(crate) fn loss_derivative_in_u(f: &Expr, f_prime: &Expr) -> Result<Expr, Error> {
    use crate::simplify::present::expand_logs;
    use crate::simplify::{complexity, expand, simplify};
    // merged logarithms (`log(2*u/(u + 1))`) split, so that `u·log(u)` terms cancel symbolically
    let raw = Expr::sym(DIVERGENCE_VAR) * expand_logs(f_prime) - expand_logs(f);
    let mut best = simplify(&raw)?;
    if let Some(r) = super::rational::together(&best, DIVERGENCE_VAR) {
        // One reduced fraction, factored at its rational roots: no cancellation anywhere.
        return Ok(r);
    }
    for candidate in [best.clone(), simplify(&abs_as_sign(&raw))?] {
        let expanded = expand(&candidate).map(|x| simplify(&x)).transpose()?;
        for c in std::iter::once(candidate).chain(expanded) {
            if complexity(&c) < complexity(&best) {
                best = c;
            }
        }
    }
    Ok(best)
}

/// The integrand of the numeric side: `g'` compiled, in `t` (from a loss) or in `u` and
/// evaluated at `u = e^t` (from a generator), with its top-level terms for a rounding bound,
/// its kinks in `t`, and `f(1)` (the constant of a derived loss).
#[derive(Clone)]
struct Integrand {
    whole: Compiled,
    terms: Vec<Compiled>,
    /// The bound of `whole` and the size of `terms` in one pass.
    bound: Option<BoundPass>,
    in_u: bool,
    kinks: Vec<f64>,
    f_at_1: f64,
    /// A given generator and its kinks in `u`, for the defining difference where `g'` cannot
    /// be integrated.
    generator: Option<(Compiled, Vec<f64>)>,
}

impl Integrand {
    /// The relative rounding error allowed per term of `g'` in the rounding bound.
    const TERM_ROUNDING: f64 = 4.0 * f64::EPSILON;

    fn build(pair: &Correspondence) -> Result<Integrand, Error> {
        let none = Params::new();
        let (gp, in_u, f_at_1, generator) = match pair.direction {
            Direction::FromLoss => {
                let gp = pair.loss_derivative.as_ref().ok_or_else(|| {
                    Error::Internal(crate::error::internal("the loss has no derivative"))
                })?;
                (gp.clone(), false, 0.0, None)
            }
            Direction::FromDivergence => {
                let (Some(f), Some(fp)) = (&pair.divergence, &pair.divergence_derivative) else {
                    return Err(Error::Internal(crate::error::internal(
                        "the generator is missing",
                    )));
                };
                let compiled = compile(f, DIVERGENCE_VAR, &none)?;
                // `f(1)` exactly, then rounded once: `4*u^(3/2)/3 - 2*u + 2/3` evaluated at
                // `u = 1` gives 1.1e-16 for 0, which was 2e-4 of `g(1e-6) ≈ 5e-13`.
                let exact = crate::simplify::simplify(&f.substitute(DIVERGENCE_VAR, &Expr::one()))?;
                let f_at_1 = crate::eval::eval_constant(&exact, &none)?;
                let generator = Some((compiled, kinks(f, DIVERGENCE_VAR)));
                (loss_derivative_in_u(f, fp)?, true, f_at_1, generator)
            }
        };
        let var = if in_u { DIVERGENCE_VAR } else { LOSS_VAR };
        let terms = match &gp {
            Expr::Add(ts) => ts
                .iter()
                .map(|t| compile(t, var, &none))
                .collect::<Result<Vec<_>, _>>()?,
            _ => Vec::new(),
        };
        let mut kinks = kinks(&gp, var);
        if in_u {
            kinks = kinks
                .into_iter()
                .filter(|u| *u > 0.0)
                .map(f64::ln)
                .collect();
        }
        let whole = compile(&gp, var, &none)?;
        Ok(Integrand {
            bound: whole.bound_pass(&terms),
            whole,
            terms,
            in_u,
            kinks,
            f_at_1,
            generator,
        })
    }

    fn arg(&self, t: f64) -> f64 {
        if self.in_u { t.exp() } else { t }
    }

    /// `g'(t)`.
    fn value(&self, t: f64) -> f64 {
        // An underflowed digit costs an absolute error, which `rounding` bounds.
        self.whole.eval_absolute(self.arg(t))
    }

    /// A bound on the rounding error of [`Integrand::value`]: a few ulps of the largest terms,
    /// or the error every operation's rounding propagates to the value (which is what counts
    /// in `log(cosh(x))` at small `x`), whichever is larger; `u = e^t` is itself rounded.
    fn rounding(&self, t: f64) -> f64 {
        let x = self.arg(t);
        let x_error = if self.in_u {
            0.5 * f64::EPSILON * x
        } else {
            0.0
        };
        // Both in one pass where it gives them, with the same bits.
        let (size, bound) = match &self.bound {
            Some(pass) => {
                let b = pass.eval(x, x_error);
                (b.size, b.bound)
            }
            None => (None, self.whole.eval_with_error(x, x_error).1),
        };
        let size = size.unwrap_or_else(|| self.terms.iter().map(|c| c.eval(x).abs()).sum::<f64>());
        let terms = Self::TERM_ROUNDING * size;
        terms.max(bound)
    }

    /// An estimate of what the rounding of `g'` adds to [`Integrand::generator_value`]: the
    /// quadrature integrates the computed `g'`, off by up to its rounding bound `r(τ)`, so
    /// `f(u)` is off by up to `u·|∫_0^{ln u} r(τ) e^{−τ} dτ| ≤ |u − 1|·max r`, the maximum read
    /// at the ends and the middle. The quadrature's own estimate does not hold it: for the α
    /// generator at `α = 1e-8` (terms of size `1e8`) the values were off by `1e-8` with an
    /// estimate of `4e-14`.
    fn generator_rounding(&self, u: f64) -> f64 {
        let t = u.ln();
        let r = [0.0, t / 2.0, t]
            .map(|x| self.rounding(x))
            .into_iter()
            .fold(0.0, f64::max);
        (u - 1.0).abs() * r
    }

    /// The generator from `g'`, `f(u) = f(1)·u + u ∫_0^{ln u} g'(τ) e^{−τ} dτ` (for a derived
    /// generator `f(1) = 0`), from the curve of the other side: used where a given generator
    /// cannot be evaluated as written.
    fn generator_value(&self, curve: &mut Curve, u: f64, tol: Tolerance) -> NumericValue {
        curve.at(u, tol).map(|v| {
            let value = self.f_at_1 * v.x + v.value;
            crate::integrate::numeric::Value {
                value,
                error: v.error + f64::EPSILON * value.abs(),
                ..v
            }
        })
    }

    /// The derived side as a curve, asked for points one at a time.
    fn curve(this: &Rc<Integrand>, direction: Direction) -> Curve {
        // Always bounded: the propagated rounding of `g'` (not only of its top-level terms).
        let (i, j) = (Rc::clone(this), Rc::clone(this));
        let bound = Some(Box::new(move |t: f64| i.rounding(t)) as Boxed<'static>);
        let gp = Box::new(move |t: f64| j.value(t)) as Boxed<'static>;
        match direction {
            Direction::FromLoss => Curve::Divergence(DivergenceCurve::new(gp, bound, &this.kinks)),
            Direction::FromDivergence => Curve::Loss(
                LossCurve::new(gp, bound, this.f_at_1, &this.kinks),
                Rc::clone(this),
            ),
        }
    }
}

/// The values of a side remembered by the bits of their point, with their error estimates.
type Memo = RefCell<crate::integrate::quad::keys::Table<u64, (f64, f64)>>;

/// What every computation on one pair shares during a run: the integrand, both sides as
/// curves (whose integrated pieces serve every later point), and the values the checks have
/// asked for. A value depends on its point alone, so sharing changes no bit of any result;
/// it only spares the reward, class and gradient checks (which evaluate the same models'
/// ratios) from integrating the same pieces and points again.
struct Shared {
    integrand: Rc<Integrand>,
    /// The derived side.
    derived: RefCell<Curve>,
    /// The generator from `g'` (for a given generator whose terms cancel).
    generator: RefCell<Curve>,
    /// The derived side's values at the checks' tolerance.
    derived_memo: Memo,
    /// The generator's values at the checks' tolerance.
    generator_memo: Memo,
    /// The gradients of the checks' random models.
    gradients: GradientsMemo,
}

impl Shared {
    /// The shared state of `pair`, built on first use: the last few pairs are remembered per
    /// thread, by their sides.
    fn of(pair: &Correspondence) -> Result<Rc<Shared>, Error> {
        type Key = (Direction, Option<Expr>, Option<Expr>, Option<Expr>);
        const REMEMBERED: usize = 4;
        thread_local! {
            static RECENT: RefCell<Vec<(Key, Rc<Shared>)>> = const { RefCell::new(Vec::new()) };
        }
        let key: Key = (
            pair.direction,
            pair.loss_derivative.clone(),
            pair.divergence.clone(),
            pair.divergence_derivative.clone(),
        );
        if let Some(hit) = RECENT.with(|r| {
            r.borrow()
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, s)| Rc::clone(s))
        }) {
            return Ok(hit);
        }
        let integrand = Rc::new(Integrand::build(pair)?);
        let built = Rc::new(Shared {
            derived: RefCell::new(Integrand::curve(&integrand, pair.direction)),
            generator: RefCell::new(Integrand::curve(&integrand, Direction::FromLoss)),
            integrand,
            derived_memo: Memo::default(),
            generator_memo: Memo::default(),
            gradients: GradientsMemo::default(),
        });
        RECENT.with(|r| {
            let mut r = r.borrow_mut();
            if r.len() == REMEMBERED {
                r.drain(..1);
            }
            r.push((key, Rc::clone(&built)));
        });
        Ok(built)
    }

    /// The derived side at `xs`, one result per point.
    fn values(
        &self,
        xs: &[f64],
        tol: Tolerance,
    ) -> Vec<Result<crate::integrate::numeric::Value, TransformError>> {
        let mut curve = self.derived.borrow_mut();
        xs.iter().map(|&x| curve.at(x, tol)).collect()
    }
}

/// One numeric side of a pair as a curve: the derived generator, or the derived loss (with the
/// integrand, whose given generator and its kinks in `u` give the defining difference where `g'`
/// cannot be integrated).
enum Curve {
    Divergence(DivergenceCurve<'static>),
    Loss(LossCurve<'static>, Rc<Integrand>),
}

impl Curve {
    fn at(&mut self, x: f64, tol: Tolerance) -> NumericValue {
        match self {
            Curve::Divergence(c) => c.at(x, tol),
            Curve::Loss(c, integrand) => {
                let v = c.at(x, tol);
                // Where `g'` cannot be integrated (an infinite `f'`) or its rounding cannot be
                // bounded (`|u − 1|^(1/2)` in `g'` of `|u − 1|^(3/2)`, at `u = 1`), the defining
                // difference; its error says what the cancellation of its terms cost.
                let failed = matches!(
                    v,
                    Err(TransformError::Quad(_) | TransformError::UnboundedRounding { .. })
                );
                if let (true, Some((f, kinks))) = (failed, &integrand.generator) {
                    let by_difference = loss_values_by_difference(|u| f.eval(u), &[x], tol, kinks);
                    if let Some(Ok(w)) = by_difference.into_iter().next() {
                        return Ok(w);
                    }
                }
                v
            }
        }
    }
}

/// The derived side at `xs` by quadrature of `g'`, one result per point.
fn numeric_values(
    pair: &Correspondence,
    xs: &[f64],
    tol: Tolerance,
) -> Result<Vec<Result<crate::integrate::numeric::Value, TransformError>>, Error> {
    Ok(Shared::of(pair)?.values(xs, tol))
}

/// Why a numeric value is refused, as the report says it.
fn refusal(e: &TransformError) -> String {
    match e {
        TransformError::OutOfDomain { min, max, .. } => {
            let end = |x: f64| {
                if (1e-3..1e4).contains(&x.abs()) {
                    format!("{x}")
                } else {
                    format!("{x:e}")
                }
            };
            format!(
                "outside the range of numeric values [{}, {}]",
                end(*min),
                end(*max)
            )
        }
        TransformError::Overflow { .. } | TransformError::UnboundedRounding { .. } => e.to_string(),
        other => format!("the quadrature failed: {other}"),
    }
}

/// The derived side of `pair` at `xs`, numerically: a value whose error estimate exceeds
/// [`REPORT_TOLERANCE`]`.rel` relative, or [`REFUSAL_FLOOR`] absolute near zero (times `u`
/// for `f` at `u > 1`), is refused, with the reason, as is one the quadrature could not give;
/// each point stands alone.
pub(super) fn values(pair: &Correspondence, xs: &[f64]) -> Result<Vec<Point>, Error> {
    Ok(numeric_values(pair, xs, REPORT_TOLERANCE)?
        .into_iter()
        .zip(xs)
        .map(|(v, &x)| {
            let v = v.map_err(|e| Refused {
                x,
                reason: refusal(&e),
            })?;
            // `f(u) = u·I(ln u)`: the floor applies to the integral `I`, so to `f` times `u`.
            let scale = match pair.direction {
                Direction::FromLoss => x.max(1.0),
                Direction::FromDivergence => 1.0,
            };
            let allowed = (REPORT_TOLERANCE.rel * v.value.abs()).max(REFUSAL_FLOOR * scale);
            if v.error.is_finite() && v.error <= allowed {
                Ok(Value {
                    x: v.x,
                    value: v.value,
                    error: Some(v.error),
                })
            } else {
                Err(Refused {
                    x,
                    reason: format!(
                        "the error estimate {:.1e} exceeds the tolerance {allowed:.1e} (relative {:e}, absolute {:e} near zero)",
                        v.error, REPORT_TOLERANCE.rel, REFUSAL_FLOOR * scale
                    ),
                })
            }
        })
        .collect())
}

/// A closed form compiled with a rounding estimate: the terms of its top-level sum (or of each
/// sum among the factors of a top-level product, `u·(n! − …/u)`) are evaluated separately,
/// and a value whose terms cancel by more than [`Conditioned::MAX_LOSS`] is refused (`None`),
/// so that the caller computes it another way.
/// The rounding bound that decided a value of [`Conditioned::eval_within`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) enum Bound {
    /// The cheap running bound, at least the precise one.
    Cheap(f64),
    /// The precise bound, [`Conditioned::error`].
    Precise(f64),
}

pub(crate) struct Conditioned {
    whole: Compiled,
    /// Each checked sum, compiled whole (`None`: the whole expression) and term by term.
    sums: Vec<(Option<Compiled>, Vec<Compiled>)>,
    /// For each checked sum, `Σ |terms|` as one program, where the terms allow it.
    sizes: Vec<Option<Compiled>>,
    /// For a top-level sum, its value, running bound and `Σ |terms|` in one pass, where its
    /// program allows it.
    pass: Option<SumPass>,
}

impl Conditioned {
    /// The largest ratio `Σ|terms| / |value|` accepted: at most about 7 of 16 digits lost.
    pub(crate) const MAX_LOSS: f64 = 1e7;

    pub(crate) fn new(e: &Expr, var: &str) -> Result<Conditioned, Error> {
        let none = Params::new();
        let terms = |ts: &[Expr]| -> Result<Vec<Compiled>, Error> {
            Ok(ts
                .iter()
                .map(|t| compile(t, var, &none))
                .collect::<Result<Vec<_>, _>>()?)
        };
        let sums = match e {
            Expr::Add(ts) => vec![(None, terms(ts)?)],
            Expr::Mul(fs) => fs
                .iter()
                .filter_map(|f| match f {
                    Expr::Add(ts) if f.contains_sym(var) => Some((f, ts)),
                    _ => None,
                })
                .map(|(f, ts)| Ok((Some(compile(f, var, &none)?), terms(ts)?)))
                .collect::<Result<Vec<_>, Error>>()?,
            _ => Vec::new(),
        };
        let sizes = sums
            .iter()
            .map(|(_, ts)| Compiled::sum_of_abs(ts))
            .collect();
        let whole = compile(e, var, &none)?;
        let pass = match (e, &sums[..]) {
            (Expr::Add(_), [(None, terms)]) => whole.sum_pass(terms),
            _ => None,
        };
        Ok(Conditioned {
            whole,
            sums,
            sizes,
            pass,
        })
    }

    /// A bound on the rounding error of [`Conditioned::eval`] at `x` where it gives a value.
    pub(crate) fn error(&self, x: f64) -> f64 {
        self.whole.eval_with_error(x, 0.0).1
    }

    /// [`Conditioned::eval`] at `x`, with whether its rounding error is within
    /// `tolerance(value)`, and the bound that decided it: the cheap running bound
    /// ([`crate::eval::Compiled::eval_with_running_error`], which also gives the value) where it
    /// can, the precise [`Conditioned::error`] where the cheap one is missing or too loose, so
    /// every value the precise bound accepts is accepted, with the same bits.
    pub(crate) fn eval_within(
        &self,
        x: f64,
        tolerance: impl Fn(f64) -> f64,
    ) -> Option<(f64, bool, Bound)> {
        let judged = |v: f64, cheap: f64| {
            if cheap <= tolerance(v) {
                (v, true, Bound::Cheap(cheap))
            } else {
                let precise = self.error(x);
                (v, precise <= tolerance(v), Bound::Precise(precise))
            }
        };
        // The three numbers below in one pass, with the same bits, where it gives them.
        if let Some(c) = self.pass.as_ref().and_then(|p| p.eval(x)) {
            if !Self::cancels_at_most_max_loss(c.size, c.value) {
                return None;
            }
            return Some(judged(c.value, c.bound));
        }
        let Some((v, cheap)) = self.whole.eval_with_running_error(x) else {
            let v = self.eval(x)?;
            if !v.is_finite() {
                return Some((v, false, Bound::Cheap(f64::INFINITY)));
            }
            return Some(judged(v, f64::INFINITY));
        };
        // A finite value: the one `eval` computes, with its check of cancellation.
        if !(0..self.sums.len()).all(|i| self.well_conditioned(i, v, x)) {
            return None;
        }
        Some(judged(v, cheap))
    }

    /// The value at `x`, or `None` when cancellation would cost more than `MAX_LOSS`.
    pub(crate) fn eval(&self, x: f64) -> Option<f64> {
        // The value and the size of the terms in one pass, with the same bits, where it gives them.
        if let Some(c) = self.pass.as_ref().and_then(|p| p.eval(x)) {
            return Self::cancels_at_most_max_loss(c.size, c.value).then_some(c.value);
        }
        let v = self.whole.eval(x);
        if !v.is_finite() {
            return Some(v);
        }
        (0..self.sums.len())
            .all(|i| self.well_conditioned(i, v, x))
            .then_some(v)
    }

    /// Whether the terms of sum `i` (of the whole, whose value at `x` is `v`, or of a factor)
    /// cancel by at most `MAX_LOSS`.
    fn well_conditioned(&self, i: usize, v: f64, x: f64) -> bool {
        let (sum, terms) = &self.sums[i];
        let s = sum.as_ref().map_or(v, |c| c.eval(x));
        // In one pass where every intermediate is normal (the same bits), term by term else.
        let size: f64 = self.sizes[i]
            .as_ref()
            .and_then(|p| p.eval_normal(x))
            .unwrap_or_else(|| terms.iter().map(|t| t.eval(x).abs()).sum());
        Self::cancels_at_most_max_loss(size, s)
    }

    /// Whether terms of total size `size` that sum to `s` cancel by at most `MAX_LOSS`.
    fn cancels_at_most_max_loss(size: f64, s: f64) -> bool {
        size == 0.0 || size <= Self::MAX_LOSS * s.abs()
    }
}

/// `e` with `u = e^t` and `log(u) = t`, rebuilt in canonical form: a transform of a polynomial
/// loss becomes an exponential polynomial in `t` without a pass of the simplifier.
fn in_log_u(e: &Expr) -> Expr {
    match e {
        Expr::Num(_) | Expr::Const(_) => e.clone(),
        Expr::Sym(s) if &**s == DIVERGENCE_VAR => Expr::func(Func::Exp, Expr::sym(LOSS_VAR)),
        Expr::Sym(_) => e.clone(),
        Expr::Add(xs) => Expr::add(xs.iter().map(in_log_u).collect()),
        Expr::Mul(xs) => Expr::mul(xs.iter().map(in_log_u).collect()),
        Expr::Pow(b, x) => Expr::pow(in_log_u(b), in_log_u(x)),
        Expr::Func(Func::Log, a) if matches!(&**a, Expr::Sym(s) if &**s == DIVERGENCE_VAR) => {
            Expr::sym(LOSS_VAR)
        }
        Expr::Func(f, a) => Expr::func(*f, in_log_u(a)),
        Expr::Func2(f, a, b) => Expr::func2(*f, in_log_u(a), in_log_u(b)),
    }
}

/// Prove a derived closed form by the identity that defines it: `u·f'(u) − f(u) = g'(ln u)`
/// with `f(1) = 0` for a derived `f`; `g'(t) = e^t·f'(e^t) − f(e^t)` with `g(0) = f(1)` for a
/// derived `g`. `true` when the simplifier shows both; `false` is "not shown", not "false".
fn proved_by_identity(pair: &Correspondence) -> Result<bool, Error> {
    use crate::simplify::{expand, simplify};
    let vanishes = |e: Expr| -> Result<bool, Error> {
        if crate::integrate::closed::vanishes(&in_log_u(&e), LOSS_VAR) {
            return Ok(true);
        }
        let s = simplify(&e)?;
        // With `u = e^t`, a transform of a polynomial loss is an exponential polynomial in `t`,
        // whose identity is exact in its coefficients (`40!` and beyond) however it is written.
        let in_t = |s: &Expr| {
            let t = Expr::sym(LOSS_VAR);
            let s = s.substitute(DIVERGENCE_VAR, &Expr::func(Func::Exp, t));
            simplify(&s).is_ok_and(|s| crate::integrate::closed::vanishes(&s, LOSS_VAR))
        };
        Ok(s.is_zero()
            || in_t(&s)
            || expand(&s)
                .map(|x| simplify(&x))
                .transpose()?
                .is_some_and(|x| x.is_zero()))
    };
    let pair = &pair.with_expanded_logs();
    let (Some(g), Some(gp), Some(f), Some(fp)) = (
        &pair.loss,
        &pair.loss_derivative,
        &pair.divergence,
        &pair.divergence_derivative,
    ) else {
        return Ok(false);
    };
    let u = Expr::sym(DIVERGENCE_VAR);
    let t = Expr::sym(LOSS_VAR);
    Ok(match pair.direction {
        Direction::FromLoss => {
            let log_u = Expr::func(Func::Log, u.clone());
            vanishes(u * fp.clone() - f.clone() - gp.substitute(LOSS_VAR, &log_u))?
                && vanishes(f.substitute(DIVERGENCE_VAR, &Expr::one()))?
        }
        Direction::FromDivergence => {
            let e_t = Expr::func(Func::Exp, t);
            vanishes(
                gp.clone() - e_t.clone() * fp.substitute(DIVERGENCE_VAR, &e_t)
                    + f.substitute(DIVERGENCE_VAR, &e_t),
            )? && vanishes(
                g.substitute(LOSS_VAR, &Expr::zero()) - f.substitute(DIVERGENCE_VAR, &Expr::one()),
            )?
        }
    })
}

/// Compare the derived closed form with quadrature of the given side at probe points; a
/// disagreement is a bug in fcorr, surfaced rather than printed as an answer.
pub(super) fn cross_check(pair: &Correspondence) -> Result<(), Error> {
    let (derived, var, probes) = match pair.direction {
        Direction::FromLoss => (&pair.divergence, DIVERGENCE_VAR, &PROBES_U[..]),
        Direction::FromDivergence => (&pair.loss, LOSS_VAR, &PROBES_T[..]),
    };
    let Some(derived) = derived else {
        return Ok(());
    };
    let program = super::remembered::conditioned(derived, var)?;
    // Where the closed form cancels too much to be evaluated, it is not compared, and the
    // quadrature there is not done (the long polynomials cancel at every probe); nor where it
    // is not finite: past the largest f64 (`300/299·(u^300 − u)` at u = 3) the quadrature
    // overflows as well, and a value there is refused when asked for, not compared.
    let values: Vec<(f64, f64)> = probes
        .iter()
        .filter_map(|&x| Some((x, program.eval(x)?)))
        .collect();
    let overflows_everywhere =
        values.len() == probes.len() && values.iter().all(|(_, v)| !v.is_finite());
    let (evaluable, exact): (Vec<f64>, Vec<f64>) =
        values.into_iter().filter(|(_, v)| v.is_finite()).unzip();
    // A probe whose quadrature fails (an integrand too singular for it, `|τ|^(−0.99)` of
    // `abs(t)^(1/100)`) is not compared; with none compared, the defining identity decides, and
    // without it the first failure is the error.
    let mut failed = None;
    let mut compared = 0;
    for (v, exact) in numeric_values(pair, &evaluable, REPORT_TOLERANCE)?
        .into_iter()
        .zip(exact)
    {
        let v = match v {
            Ok(v) => v,
            Err(e) => {
                failed.get_or_insert(e);
                continue;
            }
        };
        compared += 1;
        // Both sides' errors: the quadrature's estimate and the closed form's rounding bound
        // (`1e7*u - 1e14*u^(9999999/10000000)/9999999 + …`, linex at `α = 0.9999999`, is
        // `40.91464052663575` at `u = 20` for `40.914640588…`, within its bound `1.6e-7`).
        let allowed = 10.0 * v.error + program.error(v.x) + 1e-9 * exact.abs().max(1.0);
        if !exact.is_finite() || (exact - v.value).abs() > allowed {
            return Err(Error::Internal(format!(
                "internal error: the closed form {} = {} gives {exact} at {var} = {}, but quadrature gives {} ± {:.1e}; please report this",
                if var == DIVERGENCE_VAR {
                    "f(u)"
                } else {
                    "g(t)"
                },
                crate::print::plain(derived),
                v.x,
                v.value,
                v.error
            )));
        }
    }
    if compared == 0 && !proved_by_identity(pair)? {
        if let Some(e) = failed {
            return Err(quad_error(e));
        }
        // Not finite at any probe (`exp(1e300)` in Huber's generator for `δ = 1e300`): a closed
        // form that cannot be evaluated is refused, not printed unchecked.
        if overflows_everywhere {
            return Err(Error::Undefined(format!(
                "the closed form {} is not finite at any probe point (its terms overflow an f64), so it cannot be checked or evaluated\nhelp: parameters of a smaller size keep it finite",
                if var == DIVERGENCE_VAR {
                    "of f(u)"
                } else {
                    "of g(t)"
                }
            )));
        }
        return Err(Error::Internal(format!(
            "internal error: the closed form {} could be neither evaluated stably at the probe points nor proved by its defining identity; please report this",
            crate::print::plain(derived)
        )));
    }
    Ok(())
}

/// A function of one variable: compiled, or the derived side by quadrature (NaN on failure,
/// which the gradient check reports as a non-finite value).
enum Side {
    Compiled(LastValue),
    Numeric,
}

/// A value of a numeric side, or why there is none.
type NumericValue = Result<crate::integrate::numeric::Value, TransformError>;

/// `d/dx h(x)` by a fourth-order central difference with a relative step.
fn derivative(h: &dyn Fn(f64) -> f64, x: f64, relative: bool) -> f64 {
    let step = 1e-3 * if relative { x.abs() } else { 1.0 };
    let at = |k: f64| h(x + k * step);
    (at(-2.0) - 8.0 * at(-1.0) + 8.0 * at(1.0) - at(2.0)) / (12.0 * step)
}

/// An estimate of the error of [`derivative`]: its truncation, by Richardson's comparison with
/// the same five-point difference at twice the step (`|D(h) − D(2h)| ≈ 15·error`, taken as 8
/// to stay on the safe side), and its round-off (the stencil's weights over the step times
/// the largest error `h_error` of the values it uses).
fn derivative_error(
    h: &dyn Fn(f64) -> f64,
    h_error: &dyn Fn(f64) -> f64,
    x: f64,
    relative: bool,
) -> f64 {
    let step = 1e-3 * if relative { x.abs() } else { 1.0 };
    let five = |step: f64| {
        let at = |k: f64| h(x + k * step);
        (at(-2.0) - 8.0 * at(-1.0) + 8.0 * at(1.0) - at(2.0)) / (12.0 * step)
    };
    // At twice the step the stencil still stays inside (0, ∞) for a relative step.
    let truncation = (five(step) - five(2.0 * step)).abs() / 8.0;
    let worst = [-2.0, -1.0, 1.0, 2.0]
        .iter()
        .fold(0.0f64, |m, k| m.max(h_error(x + k * step)));
    truncation + 18.0 / (12.0 * step) * worst
}

/// [`with_functions_and_gradients`] without the gradients.
#[cfg(test)]
pub(crate) fn with_functions<R>(
    pair: &Correspondence,
    body: impl FnOnce(&crate::check::Pair<'_>) -> R,
) -> Result<(R, Option<Error>), Error> {
    with_functions_and_gradients(pair, |p, _| body(p))
}

/// The gradients of one random model of a pair (see [`with_functions_and_gradients`]).
pub(crate) type GradientsOf<'a> = dyn Fn(
        &crate::check::CheckOptions,
        u64,
    ) -> Result<crate::check::Gradients, crate::check::CheckError>
    + 'a;

/// Run `body` with the pair's `g'`, `f` and `f'` as plain functions: closed forms compiled,
/// numeric sides by quadrature of the symbolic `g'` (with finite differences of quadratures
/// for their derivatives); a closed form whose terms cancel at a point is replaced there by
/// the same function computed another way (`f` from `g'`, `g'` evaluated whole, `f'` by finite
/// differences), never by the other side.
/// A failed quadrature is NaN inside `body`, and its error is returned afterwards (as the
/// second value) so a caller can report it instead of a bare non-finite value.
/// `body` is also given [`crate::check::gradients`] of the pair: the gradients of a model are
/// computed once per pair, for every check that asks for them.
pub(crate) fn with_functions_and_gradients<R>(
    pair: &Correspondence,
    body: impl FnOnce(&crate::check::Pair<'_>, &GradientsOf<'_>) -> R,
) -> Result<(R, Option<Error>), Error> {
    let side = |e: &Option<Expr>, var: &str| -> Result<Side, Error> {
        Ok(match e {
            Some(e) => Side::Compiled(LastValue::new(super::remembered::conditioned(e, var)?)),
            None => Side::Numeric,
        })
    };
    let f_side = side(&pair.divergence, DIVERGENCE_VAR)?;
    let fp_side = side(&pair.divergence_derivative, DIVERGENCE_VAR)?;
    let gp_side = side(&pair.loss_derivative, LOSS_VAR)?;
    let failure: std::cell::RefCell<Option<Error>> = std::cell::RefCell::new(None);
    // `g'` is compiled once, symbolically simplified (for a given generator,
    // `g'(ln u) = u f'(u) − f(u)`). Each numeric value is one quadrature from the origin: the
    // derived side, and, where a closed generator's terms cancel too much to be evaluated as
    // written, `f(u) = f(1)·u + u ∫_0^{ln u} g'(τ) e^{−τ} dτ`. The derivative of a numeric side
    // is a finite difference of its values, so that the gradient check tests those values.
    let shared = Shared::of(pair)?;
    let integrand = &shared.integrand;
    // The checks evaluate the same points many times (the models' ratios): remember them,
    // with the error estimate of each value, for the whole run.
    let remembered = |memo: &Memo, x: f64, compute: &dyn Fn(f64) -> Option<NumericValue>| {
        if let Some(v) = memo.borrow().get(&x.to_bits()) {
            return *v;
        }
        match compute(x) {
            Some(Ok(v)) => {
                let mut memo = memo.borrow_mut();
                // Kept for the run, so bounded: a value is computed the same way again.
                if memo.len() >= crate::integrate::quad::MEMO_LIMIT {
                    memo.clear();
                }
                memo.insert(x.to_bits(), (v.value, v.error));
                (v.value, v.error)
            }
            Some(Err(e)) => {
                failure.borrow_mut().get_or_insert(quad_error(e));
                (f64::NAN, f64::INFINITY)
            }
            None => (f64::NAN, f64::INFINITY),
        }
    };
    // Each side is one curve for the whole run: every check shares its integrated pieces.
    let (derived_memo, generator_memo) = (&shared.derived_memo, &shared.generator_memo);
    let (derived_curve, generator_curve) = (&shared.derived, &shared.generator);
    let derived = |x: f64| {
        remembered(derived_memo, x, &|x| {
            Some(derived_curve.borrow_mut().at(x, CHECK_TOLERANCE))
        })
    };
    let derived_at = |x: f64| derived(x).0;
    // Where that integral fails too (`g'` not integrable), the generator as written.
    let generator = |u: f64, written: &LastValue| {
        remembered(generator_memo, u, &|u| {
            let v =
                integrand.generator_value(&mut generator_curve.borrow_mut(), u, CHECK_TOLERANCE);
            match v {
                Err(_) => Some(Ok(crate::integrate::numeric::Value {
                    x: u,
                    value: written.program().whole.eval(u),
                    error: 0.0,
                })),
                other => Some(other),
            }
        })
    };
    let f = |u: f64| match &f_side {
        Side::Compiled(p) => p.eval(u).unwrap_or_else(|| generator(u, p).0),
        Side::Numeric => derived_at(u),
    };
    let f_prime = |u: f64| match &fp_side {
        Side::Compiled(p) => p.eval(u).unwrap_or_else(|| derivative(&f, u, true)),
        Side::Numeric => derivative(&f, u, true),
    };
    let g_prime = |t: f64| match &gp_side {
        Side::Compiled(p) => p.eval(t).unwrap_or_else(|| integrand.value(t)),
        Side::Numeric => derivative(&derived_at, t, false),
    };
    let exact_at = |side: &Side, x: f64| matches!(side, Side::Compiled(p) if p.eval(x).is_some());
    // A closed form's values are known to their rounding, propagated through the form.
    let rounding_at = |side: &Side, x: f64| match side {
        Side::Compiled(p) => p.program().error(x),
        Side::Numeric => 0.0,
    };
    let f_error = |u: f64| match &f_side {
        Side::Compiled(_) if exact_at(&f_side, u) => rounding_at(&f_side, u),
        Side::Compiled(p) => generator(u, p).1 + integrand.generator_rounding(u),
        Side::Numeric => derived(u).1,
    };
    let derived_error = |x: f64| derived(x).1;
    let error = |which: crate::check::Function, x: f64| -> f64 {
        use crate::check::Function;
        match which {
            Function::F => f_error(x),
            Function::FPrime if exact_at(&fp_side, x) => rounding_at(&fp_side, x),
            Function::FPrime => derivative_error(&f, &f_error, x, true),
            Function::GPrime if exact_at(&gp_side, x) => rounding_at(&gp_side, x),
            // Evaluated whole where the compiled form cancels.
            Function::GPrime if matches!(gp_side, Side::Compiled(_)) => integrand.rounding(x),
            Function::GPrime => derivative_error(&derived_at, &derived_error, x, false),
        }
    };
    let p = crate::check::Pair {
        g_prime: &g_prime,
        f: &f,
        f_prime: &f_prime,
        error: Some(&error),
    };
    let gradients = |opts: &crate::check::CheckOptions, seed: u64| {
        shared
            .gradients
            .gradients(&p, opts, seed, || failure.borrow().is_none())
    };
    let out = body(&p, &gradients);
    Ok((out, failure.into_inner()))
}

/// The gradient check of `pair`; a quadrature failure is reported as itself.
pub(super) fn gradient_check(
    pair: &Correspondence,
    opts: &crate::check::CheckOptions,
) -> Result<crate::check::GradientCheck, Error> {
    let check = |p: &crate::check::Pair<'_>, gradients: &GradientsOf<'_>| {
        crate::check::gradient::check_with(p, opts, &|seed| gradients(opts, seed))
    };
    match with_functions_and_gradients(pair, check)? {
        // `0 = 0` on every model compares nothing numerically, but here it is the closed forms'.
        (Ok(mut c), _) if pair.zero_by_closed_forms() && c.max_rel_noise.is_infinite() => {
            c.max_rel_noise = 0.0;
            Ok(c)
        }
        (Ok(c), _) => Ok(c),
        (Err(_), Some(quad)) => Err(quad),
        (Err(e), None) => Err(e.into()),
    }
}
