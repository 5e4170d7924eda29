//! Checked one-dimensional quadrature: every result has an error estimate that was compared
//! with the requested [`Tolerance`], and every failure is a [`QuadError`].
//!
//! The `quadrature` crate's tanh–sinh rule is fast on smooth integrands but unsafe alone: it
//! replaces non-finite samples by `0`, returns `NaN` on infinite limits, has no convergence flag,
//! and stops sampling at `t = 3`, i.e. about `4e-14` of the half-width from each end, so the mass
//! of an endpoint singularity is silently missing. This module therefore uses three rules per
//! piece of the range, cheapest first:
//!
//! 1. one 15-point Gauss–Kronrod panel (G7K15, QUADPACK's `qk15` error estimate). This is the
//!    fast path: a short piece of a smooth integrand ends here after 15 evaluations, which is
//!    what makes [`cumulative`] cheap.
//! 2. tanh–sinh from the `quadrature` crate, for long pieces. Its estimate is accepted only
//!    with a bound for the unsampled end strips added (`2·δ·|f|` at the sample `δ` from each
//!    end), and only when no sample was non-finite.
//! 3. adaptive bisection of G7K15 panels (largest error first, at most [`MAX_BISECTIONS`]).
//!    This handles integrable endpoint singularities (`x^(−1/2)` takes about 70 halvings) and
//!    detects divergence: when the panel touching an end keeps its value (`≥ 0.999×`) over
//!    [`DIVERGENCE_STREAK`] successive halvings while its own error stays large, the integral
//!    grows without bound there (`1/x` at 0: every panel `[0, h]` has the same value).
//!
//! Infinite limits are mapped to `[0, 1)` by `x = a + s/(1 − s)` (mirrored for `−∞`); a range
//! infinite at both ends is split at `0`. Gauss–Kronrod nodes never touch the ends, so the map
//! is never evaluated at `s = 1`.
//!
//! [`pointwise`] integrates from one origin to many points, each value as if its point had been
//! asked for alone (pieces cut at a fixed grid, shared between points): a value never depends on
//! the other points, and a point that fails fails alone. [`cumulative`] is the older sweep
//! between neighbouring points, cheaper but not independent of them.
//!
//! The error estimates are heuristics (as in QUADPACK), not rigorous bounds.

use std::cell::Cell;

mod cheb;
pub(crate) mod keys;

/// The smallest error any estimate reports, relative to `∫|f|`: `50·ε`, QUADPACK's rounding floor.
pub const ROUNDOFF: f64 = 50.0 * f64::EPSILON;

/// The most panel bisections one piece of the range may use before giving up.
pub const MAX_BISECTIONS: usize = 600;

/// Successive halvings at an end, without the panel's value shrinking, taken as divergence.
pub const DIVERGENCE_STREAK: u32 = 8;

/// A definite integral and how far it can be trusted.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Integral {
    /// The estimate of `∫_a^b f`.
    pub value: f64,
    /// The estimated absolute error of `value` (never negative).
    pub error: f64,
    /// The number of integrand evaluations spent on this value.
    pub evaluations: usize,
}

/// The accuracy asked of an integral: its error must be at most
/// `max(abs, rel·|value|, ROUNDOFF·∫|f|)` (see [`Tolerance::allowed`]).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Tolerance {
    /// Relative tolerance, a fraction of `|value|`.
    pub rel: f64,
    /// Absolute tolerance.
    pub abs: f64,
}

impl Default for Tolerance {
    /// `rel = 1e-10`, `abs = 1e-14`.
    fn default() -> Self {
        Tolerance {
            rel: 1e-10,
            abs: 1e-14,
        }
    }
}

impl Tolerance {
    /// The largest acceptable error for an integral of `value` whose integrand has
    /// `∫|f| = l1`: `max(abs, rel·|value|, ROUNDOFF·l1)`.
    ///
    /// The last term is the rounding floor: no sum of samples of `f` can be trusted to better
    /// than a few ulps of `∫|f|`, so a tolerance below it is met by an estimate at the floor.
    pub fn allowed(&self, value: f64, l1: f64) -> f64 {
        self.abs.max(self.rel * value.abs()).max(ROUNDOFF * l1)
    }

    fn check(&self) -> Result<(), QuadError> {
        let ok = |x: f64| x.is_finite() && x >= 0.0;
        if ok(self.rel) && ok(self.abs) {
            Ok(())
        } else {
            Err(QuadError::BadTolerance {
                rel: self.rel,
                abs: self.abs,
            })
        }
    }
}

/// Why an integral has no trustworthy value.
#[derive(Debug, Clone, Copy, PartialEq, thiserror::Error)]
pub enum QuadError {
    /// The integrand returned `NaN` or `±inf` at a sample point.
    #[error("the integrand is not finite at τ = {} (it is {value})", readable(*.at))]
    NonFinite {
        /// Where the integrand was sampled.
        at: f64,
        /// The value it returned.
        value: f64,
    },
    /// The error estimate stayed above the tolerance after subdivision.
    #[error(
        "the integral did not converge: the estimate {} has error {error:.1e}, above the tolerance {tolerance:.1e}",
        readable(*.estimate)
    )]
    NotConverged {
        /// The best estimate reached.
        estimate: f64,
        /// Its estimated error.
        error: f64,
        /// The error that would have been accepted.
        tolerance: f64,
    },
    /// The integral, its error or `∫|f|` on `[lo, hi]` exceeds the largest `f64` (about
    /// `1.8e308`), though every sample of the integrand is finite.
    #[error(
        "the integral from τ = {} to {} exceeds the largest floating-point number (about 1.8e308)",
        readable(*.lo),
        readable(*.hi)
    )]
    Overflow {
        /// The lower end of the range that overflowed.
        lo: f64,
        /// Its upper end.
        hi: f64,
    },
    /// The integral grows without bound, as at a non-integrable endpoint singularity.
    #[error("the integral grows without bound near τ = {}", readable(*.near))]
    Divergent {
        /// The end of the range where the growth was seen.
        near: f64,
        /// The (meaningless) estimate when growth was detected.
        estimate: f64,
    },
    /// A limit or a requested point is `NaN`, or both limits are the same infinity.
    #[error("cannot integrate from {a} to {b}")]
    BadRange {
        /// The lower limit (or the origin).
        a: f64,
        /// The upper limit (or the requested point).
        b: f64,
    },
    /// A breakpoint is `NaN`.
    #[error("the breakpoint {at} is not a number")]
    BadBreakpoint {
        /// The breakpoint.
        at: f64,
    },
    /// A tolerance is negative or not finite.
    #[error("the tolerance (rel {rel}, abs {abs}) must be finite and non-negative")]
    BadTolerance {
        /// The relative tolerance given.
        rel: f64,
        /// The absolute tolerance given.
        abs: f64,
    },
}

/// A number as a person reads it in a message: plain from `1e-4` to `1e15`, scientific outside.
fn readable(x: f64) -> String {
    if x == 0.0 || !x.is_finite() || (1e-4..1e15).contains(&x.abs()) {
        format!("{x}")
    } else {
        format!("{x:e}")
    }
}

/// `∫_a^b f(x) dx`, split at the `breakpoints` that lie strictly between `a` and `b`.
///
/// Reversed limits give `−∫_b^a f` (with a non-negative error); `a == b` gives `0`. Either limit
/// may be infinite (mapped to a finite range, see the module documentation). Breakpoints
/// should be placed at kinks and jumps of `f` (`|x|` at `0`); those outside the range are ignored.
///
/// Fails with [`QuadError::NonFinite`] if any sample of `f` is not finite (never read as `0`),
/// [`QuadError::Divergent`] when growth without bound is detected at an end of a piece, and
/// [`QuadError::NotConverged`] when the error estimate stays above [`Tolerance::allowed`].
pub fn integrate(
    f: impl Fn(f64) -> f64,
    a: f64,
    b: f64,
    tol: Tolerance,
    breakpoints: &[f64],
) -> Result<Integral, QuadError> {
    tol.check()?;
    if a.is_nan() || b.is_nan() || (a == b && a.is_infinite()) {
        return Err(QuadError::BadRange { a, b });
    }
    if a == b {
        return Ok(Integral {
            value: 0.0,
            error: 0.0,
            evaluations: 0,
        });
    }
    let origin = if a.is_finite() {
        a
    } else if b.is_finite() {
        b
    } else {
        0.0
    };
    let sums = sweep_checked(&f, origin, &[a, b], tol, breakpoints)?;
    let value = sums[1].value - sums[0].value;
    let total = Sum {
        value,
        error: sums[0].error + sums[1].error,
        l1: sums[0].l1 + sums[1].l1,
        evals: sums[0].evals + sums[1].evals,
    };
    if !total.is_finite() {
        return Err(QuadError::Overflow {
            lo: a.min(b),
            hi: a.max(b),
        });
    }
    let allowed = tol.allowed(value, total.l1);
    if total.error > allowed * SLACK {
        return Err(QuadError::NotConverged {
            estimate: value,
            error: total.error,
            tolerance: allowed,
        });
    }
    Ok(total.integral())
}

/// `∫_origin^{x_i} f` for every `x_i` in `points`, in the order given.
///
/// The points are sorted outward from the origin on each side and `f` is integrated only
/// between neighbours (and the `breakpoints` among them), accumulating values and errors, so
/// `n` points cost about `n` short integrals, not `n` long ones. Each result's `evaluations`
/// counts the pieces between the origin and its point. A point may be `±inf`; a point equal to
/// the origin gives `0`. Every result meets [`Tolerance::allowed`] for its own value, or the
/// call fails with [`QuadError::NotConverged`] for the first one that does not.
pub fn cumulative(
    f: impl Fn(f64) -> f64,
    origin: f64,
    points: &[f64],
    tol: Tolerance,
    breakpoints: &[f64],
) -> Result<Vec<Integral>, QuadError> {
    tol.check()?;
    if !origin.is_finite() {
        return Err(QuadError::BadRange {
            a: origin,
            b: points.first().copied().unwrap_or(origin),
        });
    }
    let sums = sweep_checked(&f, origin, points, tol, breakpoints)?;
    Ok(sums.iter().map(Sum::integral).collect())
}

/// The spacing of the fixed grid [`pointwise`] cuts every range at.
pub const GRID_STEP: f64 = 1.0;

/// The most grid cuts on one side of the origin; a point farther out has one long last piece.
pub const MAX_GRID_CUTS: f64 = 4096.0;

/// `∫_origin^{x_i} f` for every `x_i` in `points`, each result as if its point had been asked
/// for alone.
///
/// The range from the origin to a point is cut at the fixed grid `origin + k·`[`GRID_STEP`]
/// and at the `breakpoints`, every piece is integrated to a goal that depends only on the
/// tolerance (`rel·∫|f|` over the piece), and the pieces are summed outward in order; so a value
/// never depends on the other points (bit for bit), while pieces shared by several points are
/// computed once, and sorted points along one curve cost about one short piece each. A point
/// whose sum misses [`Tolerance::allowed`] (its pieces cancel) is recomputed alone with the goal
/// that meets it, but never below twice the rounding floor `2·ROUNDOFF·∫|f|` (which a value
/// whose pieces cancel completely is then allowed); if that fails too, that point, and only
/// it, is [`QuadError::NotConverged`]. A `NaN` point is [`QuadError::BadRange`] for that point; a
/// `NaN` breakpoint or a bad tolerance fails every point.
pub fn pointwise(
    f: impl Fn(f64) -> f64,
    origin: f64,
    points: &[f64],
    tol: Tolerance,
    breakpoints: &[f64],
) -> Vec<Result<Integral, QuadError>> {
    match Pointwise::new(f, origin, breakpoints) {
        Ok(mut p) => points.iter().map(|&x| p.at(x, tol)).collect(),
        Err(e) => vec![Err(e); points.len()],
    }
}

/// An integrand with its origin and breakpoints, ready for [`pointwise`] integrals at any
/// point and tolerance; the pieces of the fixed grid are remembered between calls.
pub struct Pointwise<F> {
    f: F,
    origin: f64,
    breakpoints: Vec<f64>,
    memo: keys::Table<[u64; 3], Result<Sum, QuadError>>,
    /// The pieces of the grid built as curves (`None`: left to the panels).
    curves: keys::Table<[u64; 3], Option<cheb::Curve>>,
    /// The sum of the whole parts from the origin to a cut, keyed by the cut, the goal and the
    /// pass: the parts before a point's last one are all the cuts up to it, whatever the
    /// point, so every point beyond that cut adds the same sums in the same order.
    prefixes: keys::Table<[u64; 3], Result<Sum, QuadError>>,
    /// The buffer of a point's cuts.
    cuts: Vec<f64>,
    /// Whether grid pieces are tried as curves before the panels (see
    /// [`Pointwise::panels_only`]).
    curved: bool,
    /// [`MEMO_LIMIT`] (smaller in a test).
    memo_limit: usize,
}

impl<F: Fn(f64) -> f64> Pointwise<F> {
    /// `f` integrated from `origin`, cut at `breakpoints`; a non-finite origin is
    /// [`QuadError::BadRange`] and a `NaN` breakpoint [`QuadError::BadBreakpoint`].
    pub fn new(f: F, origin: f64, breakpoints: &[f64]) -> Result<Self, QuadError> {
        if !origin.is_finite() {
            return Err(QuadError::BadRange {
                a: origin,
                b: origin,
            });
        }
        if let Some(&at) = breakpoints.iter().find(|p| p.is_nan()) {
            return Err(QuadError::BadBreakpoint { at });
        }
        Ok(Pointwise {
            f,
            origin,
            breakpoints: breakpoints.to_vec(),
            memo: Default::default(),
            curves: Default::default(),
            prefixes: Default::default(),
            cuts: Vec::new(),
            curved: true,
            memo_limit: MEMO_LIMIT,
        })
    }

    /// [`Pointwise::new`] for an integrand that no curve could follow (a bound on rounding,
    /// a staircase at the scale of an ulp): every part goes to the panels at once, without an
    /// interpolation that would spend its samples and fail.
    pub fn panels_only(f: F, origin: f64, breakpoints: &[f64]) -> Result<Self, QuadError> {
        let mut p = Pointwise::new(f, origin, breakpoints)?;
        p.curved = false;
        Ok(p)
    }

    /// `∫_origin^x f` to `tol`, as if `x` were the only point: a first pass at `tol.rel`, and
    /// one retry at the goal this point needs when its pieces cancel.
    pub fn at(&mut self, x: f64, tol: Tolerance) -> Result<Integral, QuadError> {
        tol.check()?;
        if x.is_nan() {
            return Err(QuadError::BadRange {
                a: self.origin,
                b: x,
            });
        }
        // The cuts go to a buffer kept between calls: no allocation per point.
        let mut cuts = std::mem::take(&mut self.cuts);
        grid_cuts(&mut cuts, self.origin, x, &self.breakpoints);
        let result = self.along(&cuts, x, tol);
        self.cuts = cuts;
        result
    }

    /// [`Pointwise::at`] along the cuts from the origin to `x`.
    fn along(&mut self, cuts: &[f64], x: f64, tol: Tolerance) -> Result<Integral, QuadError> {
        let side = if x < self.origin { -1.0 } else { 1.0 };
        let mut rel = tol.rel;
        for retry in [false, true] {
            let mut acc = Sum::default();
            let mut prev = self.origin;
            let mut start = 0;
            if let Some(&last) = cuts.last() {
                if let Some(sum) = self.prefixes.get(&prefix_key(last, rel, retry)) {
                    acc = (*sum)?;
                    prev = last;
                    start = cuts.len();
                }
            }
            for (i, &next) in cuts
                .iter()
                .chain(std::iter::once(&x))
                .enumerate()
                .skip(start)
            {
                if next == prev {
                    continue;
                }
                let (lo, hi) = (prev.min(next), prev.max(next));
                // The grid piece this part lies in: itself, or the one `x` falls inside.
                let (clo, chi) = match self.enclosing(prev, x, next == x) {
                    Some(end) => (prev.min(end), prev.max(end)),
                    None => (lo, hi),
                };
                // A part the curve knows less well than its own goal (a short part near a zero
                // of the integral, where only relative accuracy counts) is integrated alone.
                let goal = Goal {
                    rel,
                    abs: 0.0,
                    best_effort: true,
                };
                // The retry of a cancelling value, and an integrand without curves, use the
                // panels alone.
                let curve = if retry || !self.curved {
                    None
                } else {
                    self.curve(clo, chi, rel).map(|c| c.part(lo, hi))
                };
                let s = match curve {
                    Some(p) if p.is_finite() && p.error <= goal.allowed(p.l1) => Ok(p),
                    _ => self.panels(lo, hi, rel),
                };
                let s = s.map(|s| {
                    acc.add(&s, side);
                    acc
                });
                if i < cuts.len() {
                    // Bounded as the parts are: a sum is added up the same way again.
                    if self.prefixes.len() >= self.memo_limit {
                        self.prefixes.clear();
                    }
                    self.prefixes.insert(prefix_key(next, rel, retry), s);
                }
                s?;
                prev = next;
            }
            if !acc.is_finite() {
                return Err(QuadError::Overflow {
                    lo: self.origin.min(x),
                    hi: self.origin.max(x),
                });
            }
            // A piece cannot be asked for less than twice the rounding floor (its panels'
            // estimates sit at the floor), so neither can the point.
            let allowed = tol.allowed(acc.value, acc.l1).max(2.0 * ROUNDOFF * acc.l1);
            if acc.error <= allowed * SLACK {
                return Ok(acc.integral());
            }
            if retry || acc.l1 == 0.0 {
                return Err(QuadError::NotConverged {
                    estimate: acc.value,
                    error: acc.error,
                    tolerance: allowed,
                });
            }
            rel = (0.5 * allowed / acc.l1).max(2.0 * ROUNDOFF);
        }
        unreachable!("the second pass returns")
    }
}

impl<F: Fn(f64) -> f64> Pointwise<F> {
    /// The far end of the grid piece that starts at the cut `prev` and holds `x` (only for the
    /// last part, `last`): the first grid cut or breakpoint at or beyond `x`, or `None` where
    /// the grid ends or `x` is infinite (that part is integrated by panels).
    fn enclosing(&self, prev: f64, x: f64, last: bool) -> Option<f64> {
        if !last {
            return None;
        }
        let side = if x < self.origin { -1.0 } else { 1.0 };
        let dist = |y: f64| side * (y - self.origin);
        let far = dist(x);
        if !far.is_finite() || far > MAX_GRID_CUTS * GRID_STEP {
            return None;
        }
        let mut k = (far / GRID_STEP).ceil().max(1.0);
        while k * GRID_STEP < far {
            k += 1.0;
        }
        let grid = self.origin + side * k * GRID_STEP;
        let end = self
            .breakpoints
            .iter()
            .copied()
            .filter(|&b| dist(b) >= far && dist(b) > dist(prev))
            .fold(grid, |m, b| if dist(b) < dist(m) { b } else { m });
        Some(end)
    }

    /// The far end of the grid piece that holds `x` (the cut or breakpoint at or beyond it), or
    /// `None` beyond the grid.
    pub fn piece_end(&self, x: f64) -> Option<f64> {
        if x.is_nan() || x == self.origin {
            return None;
        }
        self.enclosing(self.origin, x, true)
    }

    /// The grid piece `[lo, hi]` as a curve, built once per relative goal.
    fn curve(&mut self, lo: f64, hi: f64, rel: f64) -> Option<&cheb::Curve> {
        let f = &self.f;
        self.curves
            .entry([lo.to_bits(), hi.to_bits(), rel.to_bits()])
            .or_insert_with(|| cheb::Curve::build(f, lo, hi, rel))
            .as_ref()
    }

    /// `∫_lo^hi f` by checked panels, remembered (a table grown to [`MEMO_LIMIT`] parts is
    /// emptied: a part is computed the same way again, so only time depends on it).
    fn panels(&mut self, lo: f64, hi: f64, rel: f64) -> Result<Sum, QuadError> {
        if self.memo.len() >= self.memo_limit {
            self.memo.clear();
        }
        let f = &self.f;
        *self
            .memo
            .entry([lo.to_bits(), hi.to_bits(), rel.to_bits()])
            .or_insert_with(|| {
                let goal = Goal {
                    rel,
                    abs: 0.0,
                    best_effort: true,
                };
                piece(f, lo, hi, goal)
            })
    }
}

/// The most parts [`Pointwise`] remembers: a curve kept for a whole run (or a library user's
/// many calls) asked for ever new points must not grow without end.
pub const MEMO_LIMIT: usize = 1 << 16;

/// The key of [`Pointwise`]'s sum of the whole parts up to the cut `cut`.
fn prefix_key(cut: f64, rel: f64, retry: bool) -> [u64; 3] {
    [cut.to_bits(), rel.to_bits(), u64::from(retry)]
}

/// The cuts strictly between `origin` and `x`, outward from the origin: the grid
/// `origin + k·GRID_STEP` and the breakpoints (an infinite `x` has the grid up to the last
/// breakpoint or `origin ± GRID_STEP`, then one mapped piece).
fn grid_cuts(cuts: &mut Vec<f64>, origin: f64, x: f64, breakpoints: &[f64]) {
    let side = if x < origin { -1.0 } else { 1.0 };
    let dist = |y: f64| side * (y - origin);
    let far = dist(x);
    cuts.clear();
    cuts.extend(
        breakpoints
            .iter()
            .copied()
            .filter(|&b| dist(b) > 0.0 && dist(b) < far),
    );
    let grid_end = if far.is_finite() {
        far
    } else {
        cuts.iter().map(|&b| dist(b)).fold(GRID_STEP, f64::max) + 0.5 * GRID_STEP
    };
    let mut k = 1.0;
    while k * GRID_STEP < grid_end && k <= MAX_GRID_CUTS {
        cuts.push(origin + side * k * GRID_STEP);
        k += 1.0;
    }
    // The grid alone is in order already (a stable sort would leave it as it is).
    if !breakpoints.is_empty() {
        cuts.sort_by(|&a, &b| dist(a).total_cmp(&dist(b)));
    }
    cuts.dedup();
}

/// Slack for comparing sums of per-piece errors with a tolerance computed from summed values.
const SLACK: f64 = 1.0 + 1e-9;

/// Partial results: value, error, `∫|f|` and evaluations, all additive over pieces.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
struct Sum {
    value: f64,
    error: f64,
    l1: f64,
    evals: usize,
}

impl Sum {
    fn integral(&self) -> Integral {
        Integral {
            value: self.value,
            error: self.error,
            evaluations: self.evals,
        }
    }

    /// Whether the value, the error and `∫|f|` are all finite (sums of pieces near the
    /// largest `f64` may overflow).
    fn is_finite(&self) -> bool {
        self.value.is_finite() && self.error.is_finite() && self.l1.is_finite()
    }

    fn add(&mut self, other: &Sum, sign: f64) {
        self.value += sign * other.value;
        self.error += other.error;
        self.l1 += other.l1;
        self.evals += other.evals;
    }
}

/// A per-piece target: error at most `max(abs, rel·∫|f|, ROUNDOFF·∫|f|)` over the piece.
#[derive(Clone, Copy, Debug)]
struct Goal {
    rel: f64,
    abs: f64,
    /// Return the best estimate, with its (large) error, instead of
    /// [`QuadError::NotConverged`]: for [`Pointwise`], whose pieces have relative goals that a
    /// negligible piece (an integrand at the limits of `f64`) cannot meet, while the point
    /// they add up to is judged by its own tolerance.
    best_effort: bool,
}

impl Goal {
    /// With [`SLACK`], so a sum of panel errors that each sit at the rounding floor passes.
    fn allowed(&self, l1: f64) -> f64 {
        self.abs.max(self.rel.max(ROUNDOFF) * l1) * SLACK
    }
}

/// [`sweep`], then the per-point check. When cancellation between pieces leaves a point above
/// its tolerance, one retry asks every piece for `rel = ½·min allowed_i/∫|f|_i` and
/// `abs = ½·min allowed_i` (shared among the pieces), which meets every point's tolerance if the
/// pieces meet theirs.
fn sweep_checked<F: Fn(f64) -> f64>(
    f: &F,
    origin: f64,
    points: &[f64],
    tol: Tolerance,
    breakpoints: &[f64],
) -> Result<Vec<Sum>, QuadError> {
    if let Some(&p) = points.iter().find(|p| p.is_nan()) {
        return Err(QuadError::BadRange { a: origin, b: p });
    }
    if let Some(&at) = breakpoints.iter().find(|p| p.is_nan()) {
        return Err(QuadError::BadBreakpoint { at });
    }
    let mut goal = Goal {
        rel: tol.rel,
        abs: tol.abs,
        best_effort: false,
    };
    let mut retried = false;
    loop {
        let sums = sweep(f, origin, points, goal, breakpoints)?;
        let mut tighter = Goal {
            rel: f64::INFINITY,
            abs: f64::INFINITY,
            best_effort: false,
        };
        let mut first_bad = None;
        for (s, &p) in sums.iter().zip(points) {
            if !s.is_finite() {
                return Err(QuadError::Overflow {
                    lo: origin.min(p),
                    hi: origin.max(p),
                });
            }
            let allowed = tol.allowed(s.value, s.l1);
            if s.error > allowed * SLACK {
                tighter.rel = tighter.rel.min(0.5 * allowed / s.l1);
                tighter.abs = tighter.abs.min(0.5 * allowed);
                first_bad.get_or_insert((*s, allowed));
            }
        }
        match first_bad {
            None => return Ok(sums),
            Some((s, allowed)) if retried => {
                return Err(QuadError::NotConverged {
                    estimate: s.value,
                    error: s.error,
                    tolerance: allowed,
                });
            }
            Some(_) => {
                goal = tighter;
                retried = true;
            }
        }
    }
}

/// Integrate outward from `origin` on each side, piece by piece between neighbouring points;
/// `goal.abs` is shared among the pieces of a side.
fn sweep<F: Fn(f64) -> f64>(
    f: &F,
    origin: f64,
    points: &[f64],
    goal: Goal,
    breakpoints: &[f64],
) -> Result<Vec<Sum>, QuadError> {
    let mut out = vec![Sum::default(); points.len()];
    for side in [1.0, -1.0] {
        let dist = |x: f64| side * (x - origin);
        let mut order: Vec<usize> = (0..points.len())
            .filter(|&i| dist(points[i]) > 0.0)
            .collect();
        order.sort_by(|&i, &j| dist(points[i]).total_cmp(&dist(points[j])));
        let Some(&last) = order.last() else { continue };
        let far = dist(points[last]);
        let mut cuts: Vec<f64> = breakpoints
            .iter()
            .copied()
            .filter(|&x| dist(x) > 0.0 && dist(x) < far)
            .collect();
        cuts.sort_by(|&x, &y| dist(x).total_cmp(&dist(y)));
        let goal = Goal {
            abs: goal.abs / (order.len() + cuts.len()) as f64,
            ..goal
        };
        let mut acc = Sum::default();
        let mut prev = origin;
        let (mut i, mut k) = (0, 0);
        while i < order.len() {
            let target = points[order[i]];
            let is_cut = k < cuts.len() && dist(cuts[k]) < dist(target);
            let next = if is_cut { cuts[k] } else { target };
            if next != prev {
                let s = piece(f, prev.min(next), prev.max(next), goal)?;
                acc.add(&s, side);
                prev = next;
            }
            if is_cut {
                k += 1;
            } else {
                out[order[i]] = acc;
                i += 1;
            }
        }
    }
    Ok(out)
}

/// `∫_lo^hi f` for `lo < hi`, either possibly infinite.
fn piece<F: Fn(f64) -> f64>(f: &F, lo: f64, hi: f64, goal: Goal) -> Result<Sum, QuadError> {
    match (lo.is_finite(), hi.is_finite()) {
        (true, true) => finite_piece(f, lo, hi, goal),
        (true, false) => {
            let map = |s: f64| lo + s / (1.0 - s);
            let g = |s: f64| {
                let d = 1.0 - s;
                f(map(s)) / (d * d)
            };
            finite_piece(&g, 0.0, 1.0, goal).map_err(|e| relocate(e, map))
        }
        (false, true) => {
            let map = |s: f64| hi - s / (1.0 - s);
            let g = |s: f64| {
                let d = 1.0 - s;
                f(map(s)) / (d * d)
            };
            finite_piece(&g, 0.0, 1.0, goal).map_err(|e| relocate(e, map))
        }
        (false, false) => {
            let half = Goal {
                abs: 0.5 * goal.abs,
                ..goal
            };
            let mut s = piece(f, lo, 0.0, half)?;
            s.add(&piece(f, 0.0, hi, half)?, 1.0);
            Ok(s)
        }
    }
}

/// Express an error's location in the original variable.
fn relocate(e: QuadError, map: impl Fn(f64) -> f64) -> QuadError {
    match e {
        QuadError::NonFinite { at, value } => QuadError::NonFinite { at: map(at), value },
        QuadError::Divergent { near, estimate } => QuadError::Divergent {
            near: map(near),
            estimate,
        },
        other => other,
    }
}

/// One G7K15 panel, then tanh–sinh, then adaptive bisection (see the module documentation).
fn finite_piece<F: Fn(f64) -> f64>(f: &F, lo: f64, hi: f64, goal: Goal) -> Result<Sum, QuadError> {
    let first = gk15(f, lo, hi)?;
    if first.error <= goal.allowed(first.l1) {
        return Ok(first.sum());
    }
    let mut spent = 15;
    match tanh_sinh(f, lo, hi, goal, first.l1)? {
        Ok(s) => return Ok(s),
        Err(evals) => spent += evals,
    }
    adaptive(f, lo, hi, goal, first, spent)
}

/// The `quadrature` crate's tanh–sinh rule, checked: `Ok(Err(evaluations))` when its result
/// is not good enough.
fn tanh_sinh<F: Fn(f64) -> f64>(
    f: &F,
    lo: f64,
    hi: f64,
    goal: Goal,
    l1_hint: f64,
) -> Result<Result<Sum, usize>, QuadError> {
    let bad: Cell<Option<(f64, f64)>> = Cell::new(None);
    let near_lo = Cell::new((f64::INFINITY, 0.0));
    let near_hi = Cell::new((f64::INFINITY, 0.0));
    let sampled = |x: f64| {
        let y = f(x);
        if !y.is_finite() && bad.get().is_none() {
            bad.set(Some((x, y)));
        }
        if x - lo < near_lo.get().0 {
            near_lo.set((x - lo, y.abs()));
        }
        if hi - x < near_hi.get().0 {
            near_hi.set((hi - x, y.abs()));
        }
        y
    };
    let target = 0.5 * goal.allowed(l1_hint);
    let out = quadrature::double_exponential::integrate(sampled, lo, hi, target);
    let evals = out.num_function_evaluations as usize;
    if let Some((at, value)) = bad.get() {
        return Err(QuadError::NonFinite { at, value });
    }
    let strips = 2.0 * (near_lo.get().0 * near_lo.get().1 + near_hi.get().0 * near_hi.get().1);
    let l1 = l1_hint.max(out.integral.abs());
    let error = (out.error_estimate.abs() + strips).max(ROUNDOFF * l1);
    if out.integral.is_finite() && error <= goal.allowed(l1) {
        Ok(Ok(Sum {
            value: out.integral,
            error,
            l1,
            evals,
        }))
    } else {
        Ok(Err(evals))
    }
}

const AT_LO: u8 = 1;
const AT_HI: u8 = 2;

/// A G7K15 panel: its estimate, error, `∫|f|`, which ends of the piece it touches, and for how
/// many halvings at that end its value has failed to shrink.
#[derive(Clone, Copy, Debug)]
struct Panel {
    lo: f64,
    hi: f64,
    value: f64,
    error: f64,
    l1: f64,
    ends: u8,
    streak: u32,
}

impl Panel {
    fn sum(&self) -> Sum {
        Sum {
            value: self.value,
            error: self.error,
            l1: self.l1,
            evals: 15,
        }
    }
}

/// Global adaptive bisection, largest error first, with divergence detection at the ends.
fn adaptive<F: Fn(f64) -> f64>(
    f: &F,
    lo: f64,
    hi: f64,
    goal: Goal,
    first: Panel,
    mut evals: usize,
) -> Result<Sum, QuadError> {
    let mut panels = vec![Panel {
        ends: AT_LO | AT_HI,
        ..first
    }];
    for round in 0..=MAX_BISECTIONS {
        let (mut value, mut error, mut l1) = (0.0, 0.0, 0.0);
        let mut worst = 0;
        for (i, p) in panels.iter().enumerate() {
            value += p.value;
            error += p.error;
            l1 += p.l1;
            if p.error > panels[worst].error {
                worst = i;
            }
        }
        let allowed = goal.allowed(l1);
        if error <= allowed {
            return Ok(Sum {
                value,
                error,
                l1,
                evals,
            });
        }
        let p = panels.swap_remove(worst);
        let mid = 0.5 * p.lo + 0.5 * p.hi;
        if round == MAX_BISECTIONS || !(p.lo < mid && mid < p.hi) {
            if goal.best_effort {
                return Ok(Sum {
                    value,
                    error,
                    l1,
                    evals,
                });
            }
            return Err(QuadError::NotConverged {
                estimate: value,
                error,
                tolerance: allowed,
            });
        }
        let halves = [gk15(f, p.lo, mid)?, gk15(f, mid, p.hi)?];
        evals += 30;
        for (mut h, end) in halves.into_iter().zip([AT_LO, AT_HI]) {
            h.ends = p.ends & end;
            if h.ends != 0 {
                let keeps = p.value != 0.0
                    && h.value.abs() >= 0.999 * p.value.abs()
                    && h.error >= 0.01 * h.value.abs();
                h.streak = if keeps { p.streak + 1 } else { 0 };
                if h.streak >= DIVERGENCE_STREAK {
                    return Err(QuadError::Divergent {
                        near: if h.ends & AT_LO != 0 { lo } else { hi },
                        estimate: value,
                    });
                }
            }
            panels.push(h);
        }
    }
    // Not reached: the last round returns. The first panel's numbers, should it ever be.
    Err(QuadError::NotConverged {
        estimate: first.value,
        error: first.error,
        tolerance: goal.allowed(first.l1),
    })
}

/// Kronrod abscissae on `[−1, 1]` (positive half, the last is the centre); the odd-indexed
/// ones and the centre are the 7-point Gauss abscissae. From QUADPACK's `qk15`.
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
/// Kronrod weights for [`XGK`].
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_2,
    0.140_653_259_715_525_9,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_8,
];
/// Gauss weights for `XGK[1]`, `XGK[3]`, `XGK[5]` and the centre.
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

/// One G7K15 panel over `[lo, hi]` with QUADPACK's error estimate.
///
/// Samples near the largest `f64` (`1.5e308` at every node) overflow the weighted sums
/// although the panel's value may be representable: the sums are then formed again from the
/// samples divided by a power of two (exact), and multiplied back at the end. A panel whose
/// value, error or `∫|f|` exceeds the largest `f64` even so is [`QuadError::Overflow`].
fn gk15<F: Fn(f64) -> f64>(f: &F, lo: f64, hi: f64) -> Result<Panel, QuadError> {
    let centre = 0.5 * lo + 0.5 * hi;
    let half = 0.5 * hi - 0.5 * lo;
    let sample = |x: f64| {
        let y = f(x);
        if y.is_finite() {
            Ok(y)
        } else {
            Err(QuadError::NonFinite { at: x, value: y })
        }
    };
    let fc = sample(centre)?;
    let mut pairs = [(0.0, 0.0); 7];
    for (j, pair) in pairs.iter_mut().enumerate() {
        let dx = half * XGK[j];
        *pair = (sample(centre - dx)?, sample(centre + dx)?);
    }
    let panel = gk15_sums(fc, &pairs, half, 1.0);
    let panel = if panel.is_finite() {
        panel
    } else {
        let largest = pairs
            .iter()
            .fold(fc.abs(), |m, (y1, y2)| m.max(y1.abs()).max(y2.abs()));
        // The power of two at or below the largest sample (finite, unlike the one above
        // `1.5e308`): dividing by it is exact, and leaves every sample below 2.
        let scale = 2f64.powi(largest.log2().floor() as i32);
        gk15_sums(
            fc / scale,
            &pairs.map(|(a, b)| (a / scale, b / scale)),
            half,
            scale,
        )
    };
    let Sums { value, error, l1 } = panel;
    if !panel.is_finite() {
        return Err(QuadError::Overflow { lo, hi });
    }
    Ok(Panel {
        lo,
        hi,
        value,
        error,
        l1,
        ends: 0,
        streak: 0,
    })
}

/// A panel's value, error estimate and `∫|f|`.
#[derive(Clone, Copy, Debug)]
struct Sums {
    value: f64,
    error: f64,
    l1: f64,
}

impl Sums {
    fn is_finite(&self) -> bool {
        self.value.is_finite() && self.error.is_finite() && self.l1.is_finite()
    }
}

/// The G7K15 sums of the centre sample `fc` and the symmetric `pairs` (in the order of
/// [`XGK`]), each result multiplied by `half·scale` (the samples were divided by `scale`).
fn gk15_sums(fc: f64, pairs: &[(f64, f64); 7], half: f64, scale: f64) -> Sums {
    let mut resg = fc * WG[3];
    let mut resk = fc * WGK[7];
    let mut resabs = resk.abs();
    for (j, &(y1, y2)) in pairs.iter().enumerate() {
        resk += WGK[j] * (y1 + y2);
        resabs += WGK[j] * (y1.abs() + y2.abs());
        if j % 2 == 1 {
            resg += WG[j / 2] * (y1 + y2);
        }
    }
    let mean = 0.5 * resk;
    let mut resasc = WGK[7] * (fc - mean).abs();
    for (j, (y1, y2)) in pairs.iter().enumerate() {
        resasc += WGK[j] * ((y1 - mean).abs() + (y2 - mean).abs());
    }
    let value = resk * half * scale;
    let l1 = resabs * half * scale;
    let asc = resasc * half;
    let mut error = ((resk - resg) * half).abs();
    if asc != 0.0 && error != 0.0 {
        let r = 200.0 * error / asc;
        error = asc * (r * r.sqrt()).min(1.0);
    }
    error = (error * scale).max(ROUNDOFF * l1);
    Sums { value, error, l1 }
}

#[cfg(test)]
mod tests;
