//! A value of a numeric conjugate with a bound on its error, so that a sample is shown only when
//! its digits are right.
//!
//! The search of [`super::supremum_at`] returns `φ(u_b)` at the best point `u_b` it tried, with
//! `φ(u) = u·y − f(u)`. Two things can make that value wrong, and the search sees neither: the
//! rounding of `f` and of `f'` (a `f'` whose terms cancel to nothing sends the search to the
//! wrong end: Huber's unsimplified `f'` is `0` for a true `1 − e` at `u = e^−200`), and the
//! distance from `u_b` to the maximiser. Both are bounded here from values with their rounding
//! bounds ([`crate::eval::Compiled::eval_with_error`]):
//!
//! - below: `f*(y) ≥ φ(u_i)` at every probe `u_i`, and `φ(u_i)` is known to the bound of `f`
//!   there and the rounding of `u·y − f`;
//! - above: `f` is convex (a numeric conjugate is given only then, see `nonconvex.rs`), so `φ`
//!   lies below its tangent at every point,
//!   `φ(u) ≤ φ(u_i) + (u − u_i)·(y − f'(u_i))`; with `f'(u_i)` known to within `e_i`, the slope
//!   is taken as `y − f'(u_i) + e_i` to the right of `u_i` and `y − f'(u_i) − e_i` to its left.
//!   Between two neighbouring probes the smaller of their two lines is largest where they meet;
//!   below the first probe `u > 0` bounds the line, and above the last one its slope must be
//!   `≤ 0` for a finite bound.
//!
//! Any set of probes gives a bound, so a probe where `f` or `f'` is not finite is left out. They
//! are `u_b·e^{±δ}` for `δ = 10^−14, 10^−12, 10^−9, 10^−6, 10^−3, 1/2, 4, 16` (a grid end
//! `u = e^−200` has only those above it): the near ones make the bound tight (`φ` at `u_b`
//! itself may be known only to the size of a jump of `f'` there, when `f` is written with
//! `sign`), the far ones let a slope that is `0` within its rounding near `u_b` (a flat `φ`)
//! be followed to where it is certainly negative. The meeting point of the lines of the pair
//! that gives the largest bound is probed next, up to three times (at a kink of `f` it is the
//! kink, for a smooth `f` a secant step towards the maximiser). The sup lies between the
//! largest lower value and the upper bound.

use super::Supremum;

const EPS: f64 = f64::EPSILON;

/// Where the probes are put on either side of the best point, in `s = log u`.
const OFFSETS: [f64; 8] = [1e-14, 1e-12, 1e-9, 1e-6, 1e-3, 0.5, 4.0, 16.0];

/// How many meeting points are probed after the first probes.
const REFINEMENTS: usize = 3;

/// `φ(u) = u·y − f(u)` at a probe and the slope `y − f'(u)`, each with a bound on its error.
#[derive(Clone, Copy, Debug)]
struct Probe {
    u: f64,
    phi: f64,
    phi_error: f64,
    slope: f64,
    slope_error: f64,
}

impl Probe {
    /// The largest value `φ(u)` can have.
    fn high(&self) -> f64 {
        self.phi + self.phi_error
    }

    /// The largest slope of `φ` just right of `u`, and the smallest just left of it.
    fn right_slope(&self) -> f64 {
        self.slope + self.slope_error
    }

    fn left_slope(&self) -> f64 {
        self.slope - self.slope_error
    }
}

/// The probe at `u`, or `None` where `f` or `f'` is not finite or has no finite bound.
fn probe(sup: &Supremum, y: f64, u: f64) -> Option<Probe> {
    let (f, f_error) = sup.f.eval_with_error(u, 0.0);
    let (d, d_error) = sup.f_prime_compiled.eval_with_error(u, 0.0);
    if ![f, f_error, d, d_error].iter().all(|v| v.is_finite()) {
        return None;
    }
    let uy = u * y;
    let phi = uy - f;
    let slope = y - d;
    Some(Probe {
        u,
        phi,
        // the rounding of `u·y` and of the difference
        phi_error: f_error + 2.0 * EPS * (uy.abs() + phi.abs()),
        slope,
        slope_error: d_error + 2.0 * EPS * (y.abs() + slope.abs()),
    })
}

/// A bound on the largest value of `φ` between two neighbouring probes `a < b`, and the point
/// where it is reached (where the line right of `a` meets the line left of `b`), if inside.
fn between(a: &Probe, b: &Probe) -> (f64, Option<f64>) {
    let width = b.u - a.u;
    let (rise, fall) = (a.right_slope(), -b.left_slope());
    // With `w = u − a.u`: `φ ≤ min(A + w·rise, B + (width − w)·fall)` on `[0, width]`.
    let (high_a, high_b) = (a.high(), b.high());
    if rise <= 0.0 {
        return (high_a, None);
    }
    if fall <= 0.0 {
        return (high_b, None);
    }
    // where the lines meet, as a weighted mean of `A` and `B + width·fall` (both weights in
    // [0, 1], so no cancellation); it bounds the minimum on the whole line, so also here
    let far = high_b + width * fall;
    let meet = (fall * high_a + rise * far) / (rise + fall);
    let w = (far - high_a) / (rise + fall);
    let rounding = 8.0 * EPS * (high_a.abs() + high_b.abs() + width * fall);
    (meet + rounding, (w > 0.0 && w < width).then_some(a.u + w))
}

/// The smaller of the bounds of [`upper_of`] from every probe and from the probes whose values
/// and slopes are known to `1e-12` (each subset gives a bound): at a kink written with `sign`,
/// the bound of a probe on the kink itself is as large as the jump, though `f` is continuous
/// there.
fn upper(probes: &[Probe]) -> (f64, Option<f64>) {
    let sharp: Vec<Probe> = probes
        .iter()
        .filter(|p| {
            p.phi_error <= 1e-12 * (1.0 + p.phi.abs())
                && p.slope_error <= 1e-12 * (1.0 + p.slope.abs())
        })
        .copied()
        .collect();
    let (all, sharp) = (upper_of(probes), upper_of(&sharp));
    if sharp.0 < all.0 { sharp } else { all }
}

/// An upper bound on `sup_{u>0} φ(u)` from the probes (sorted by `u`), and the inner point
/// where the largest bound between two probes is reached; `+∞` when the last probe's slope
/// is not certainly `≤ 0`.
fn upper_of(probes: &[Probe]) -> (f64, Option<f64>) {
    let (Some(first), Some(last)) = (probes.first(), probes.last()) else {
        return (f64::INFINITY, None);
    };
    if last.right_slope() > 0.0 {
        return (f64::INFINITY, None);
    }
    // below the first probe: `φ(u) ≤ A + (first.u − u)·(−left slope)`, largest as `u → 0+`;
    // above the last, `φ(u) ≤ B`
    let climb = first.u * (-first.left_slope()).max(0.0);
    let below = first.high() + climb + 4.0 * EPS * (first.high().abs() + climb);
    let mut high = below.max(last.high());
    let (mut at, mut at_bound) = (None, f64::NEG_INFINITY);
    for pair in probes.windows(2) {
        let (bound, meet) = between(&pair[0], &pair[1]);
        high = high.max(bound);
        if let Some(m) = meet.filter(|_| bound > at_bound) {
            (at, at_bound) = (Some(m), bound);
        }
    }
    (high, at)
}

/// `f*(y)` with the largest value of `φ` found at a probe (`u_b`'s first) and a bound on the
/// distance of each from the sup.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(super) struct Enclosed {
    /// The sup is at least this.
    pub low: f64,
    /// The sup is at most this.
    pub high: f64,
    /// The largest value of `φ` computed at a probe.
    pub best: f64,
}

impl Enclosed {
    /// How far `value` can be from the sup.
    pub fn error_of(&self, value: f64) -> f64 {
        (self.high - value).max(value - self.low)
    }
}

/// The sup of `φ` near the point `u_b = e^{s_b}` the search found (`at_grid_end` when it is the
/// grid's first point `e^−200`, where the sup is approached as `u → 0+`), enclosed by the
/// probes; `None` where `f` or `f'` is not finite at `u_b`.
pub(super) fn enclose(sup: &Supremum, y: f64, s_b: f64, at_grid_end: bool) -> Option<Enclosed> {
    let centre = probe(sup, y, s_b.exp())?;
    let mut probes = vec![centre];
    for d in OFFSETS {
        probes.extend(probe(sup, y, (s_b + d).exp()));
        if !at_grid_end {
            probes.extend(probe(sup, y, (s_b - d).exp()));
        }
    }
    probes.sort_by(|a, b| a.u.total_cmp(&b.u));
    probes.dedup_by(|a, b| a.u == b.u);
    let mut best = centre.phi;
    let mut low = centre.phi - centre.phi_error;
    for p in &probes {
        best = best.max(p.phi);
        low = low.max(p.phi - p.phi_error);
    }
    let (mut high, mut at) = upper(&probes);
    for _ in 0..REFINEMENTS {
        let Some(u) = at.filter(|_| high - low > 0.0) else {
            break;
        };
        let Some(p) = probe(sup, y, u) else {
            break;
        };
        best = best.max(p.phi);
        low = low.max(p.phi - p.phi_error);
        let i = probes.partition_point(|q| q.u < u);
        if probes.get(i).is_some_and(|q| q.u == u) {
            break;
        }
        probes.insert(i, p);
        (high, at) = upper(&probes);
    }
    Some(Enclosed { low, high, best })
}
