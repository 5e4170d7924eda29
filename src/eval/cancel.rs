//! Detecting cancellation the evaluator cannot repair, so that `fcorr eval` can warn.
//!
//! A sum whose terms are much larger than its value loses digits in `f64`: `exp(t) - 1 - t -
//! t^2/2` at `t = 1e-6` keeps about 10 of its 16. The stable forms of [`super::stable_forms`]
//! repair the common cases: their terms count as one group, computed without cancellation.
//! For every sum [`cancellation`] measures `Σ|groupᵢ| / |Σ groupᵢ|` at the point, each group
//! by the compiled evaluator, and reports the worst.

use super::compile::find_stable;
use super::{EvalError, Params, compile, stable};
use crate::expr::Expr;

/// A sum that cancels at a point.
#[derive(Clone, Debug, PartialEq)]
pub struct Cancellation {
    /// The sum, in plain text.
    pub sum: String,
    /// `Σ|termᵢ| / |Σ termᵢ|`: about `log10` of it decimal digits are lost.
    pub ratio: f64,
}

impl Cancellation {
    /// The decimal digits lost, `log10(ratio)` rounded down, at most 16 (all of them).
    pub fn digits_lost(&self) -> u32 {
        self.ratio.log10().floor().clamp(0.0, 16.0) as u32
    }
}

/// Report a cancellation of more than this ratio (6 of 16 digits).
pub const WARN_RATIO: f64 = 1e6;

/// The sum of `e` (in `var`, parameters from `params`) that cancels most at `x`, when its
/// ratio exceeds [`WARN_RATIO`].
pub fn cancellation(
    e: &Expr,
    var: &str,
    params: &Params,
    x: f64,
) -> Result<Option<Cancellation>, EvalError> {
    let mut worst: Option<Cancellation> = None;
    walk(e, var, params, x, &mut worst)?;
    Ok(worst.filter(|c| c.ratio > WARN_RATIO))
}

/// The terms of a sum as the evaluator computes them: each stable form's terms as one group
/// (computed without cancellation), every other term alone.
fn groups(ts: &[Expr]) -> Vec<Expr> {
    let mut rest = ts.to_vec();
    let mut out = Vec::new();
    loop {
        let used = find_stable(&rest)
            .map(|s| s.used)
            .or_else(|| stable::find_in_sum(&rest).map(|s| s.used));
        let Some(used) = used else { break };
        out.push(Expr::add(used.iter().map(|i| rest[*i].clone()).collect()));
        rest = rest
            .into_iter()
            .enumerate()
            .filter(|(i, _)| !used.contains(i))
            .map(|(_, t)| t)
            .collect();
    }
    out.extend(rest);
    out
}

fn walk(
    e: &Expr,
    var: &str,
    params: &Params,
    x: f64,
    worst: &mut Option<Cancellation>,
) -> Result<(), EvalError> {
    match e {
        Expr::Num(_) | Expr::Const(_) | Expr::Sym(_) => return Ok(()),
        Expr::Add(ts) if crate::expr::minmax::find(ts).is_some() => {
            min_max_sum(e, ts, var, params, x, worst)?
        }
        Expr::Add(ts) => {
            for t in ts {
                walk(t, var, params, x, worst)?;
            }
            let groups = groups(ts);
            if groups.len() > 1 && e.contains_sym(var) {
                let mut total = 0.0;
                for g in &groups {
                    total += compile(g, var, params)?.eval(x).abs();
                }
                let value = compile(e, var, params)?.eval(x).abs();
                let ratio = total / value;
                keep_worst(e, total, ratio, worst);
            }
        }
        Expr::Mul(fs) => {
            for f in fs {
                walk(f, var, params, x, worst)?;
            }
        }
        Expr::Pow(b, p) => {
            walk(b, var, params, x, worst)?;
            walk(p, var, params, x, worst)?;
        }
        Expr::Func(_, a) => {
            // The argument of log(1 + y) is y, evaluated as log1p(y): its own sums count, the
            // `1 +` does not.
            match a.minus_one() {
                Some(y) if matches!(e, Expr::Func(crate::expr::Func::Log, _)) => {
                    walk(&y, var, params, x, worst)?
                }
                _ => walk(a, var, params, x, worst)?,
            }
        }
        Expr::Func2(_, a, b) => {
            walk(a, var, params, x, worst)?;
            walk(b, var, params, x, worst)?;
        }
    }
    Ok(())
}

/// Keep `e` as the worst sum so far when its `ratio = total / |value|` is larger.
fn keep_worst(e: &Expr, total: f64, ratio: f64, worst: &mut Option<Cancellation>) {
    if total.is_finite()
        && total > 0.0
        && !ratio.is_nan()
        && worst.as_ref().is_none_or(|w| ratio > w.ratio)
    {
        *worst = Some(Cancellation {
            sum: crate::print::plain(e),
            ratio,
        });
    }
}

/// A sum `c·min(a, b) + rest` (or `max`) as the evaluator computes it: the minimum of `a` and
/// `b` themselves, plus `rest`. Its terms are that minimum and `rest`, not the canonical
/// `(a + b − |a − b|)/2`'s, which cancel where the evaluator does not (`min(t, 1)/2 − t` at
/// `t = 1e-150` is `t/4 + 1/4 − |t − 1|/4 − t`, but `min(t, 1)` is `t` exactly); `a`, `b`
/// and `rest` are searched as sums of their own.
fn min_max_sum(
    e: &Expr,
    ts: &[Expr],
    var: &str,
    params: &Params,
    x: f64,
    worst: &mut Option<Cancellation>,
) -> Result<(), EvalError> {
    let Some(m) = crate::expr::minmax::find(ts) else {
        return Ok(());
    };
    for part in [&m.a, &m.b, &m.rest] {
        walk(part, var, params, x, worst)?;
    }
    if m.rest.is_zero() || !e.contains_sym(var) {
        return Ok(());
    }
    let at = |g: &Expr| -> Result<f64, EvalError> { Ok(compile(g, var, params)?.eval(x)) };
    let least = crate::expr::minmax::apply(m.kind, at(&m.a)?, at(&m.b)?);
    let c = crate::expr::rational_to_f64(&m.coeff);
    let total = (c * least).abs() + at(&m.rest)?.abs();
    keep_worst(e, total, total / at(e)?.abs(), worst);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;
    use crate::simplify::simplify;

    #[track_caller]
    fn digits(input: &str, x: f64) -> Option<u32> {
        let e = simplify(&parse(input).unwrap()).unwrap();
        cancellation(&e, "t", &Params::new(), x)
            .unwrap()
            .map(|c| c.digits_lost())
    }

    #[test]
    #[rustfmt::skip]
    fn warns_only_where_digits_are_lost_and_not_repaired() {
        assert_eq!(digits("exp(t) - 1 - t - t^2/2", 1e-6), Some(6));
        assert_eq!(digits("exp(t) - 1 - t - t^2/2", 1e-4), None);
        // cos(t) − 1 is a stable form; adding t²/2 to it still cancels
        assert_eq!(digits("cos(t) - 1 + t^2/2", 1e-3), Some(7));
        assert_eq!(digits("cos(t) - 1", 1e-3), None);
        assert_eq!(digits("cos(t) - 1 + t^2/2", 1e-9), Some(16));
        assert_eq!(digits("exp(t) - 1 - t - t^2/2", 1.0), None);
        assert_eq!(digits("exp(t) - t - 1", 1e-8), None);
        assert_eq!(digits("sqrt(1 + t^2) - 1", 1e-9), None);
        assert_eq!(digits("log(1 + t) - t", 1e-9), None);
        assert_eq!(digits("t^2 + 1", 1e-9), None);
    }

    /// `min` and `max` are computed as such, so the terms of their canonical form
    /// `(a + b ∓ |a − b|)/2` do not count; a sum around them, or inside their arguments, does.
    #[test]
    #[rustfmt::skip]
    fn min_and_max_are_the_terms_the_evaluator_adds() {
        assert_eq!(digits("min(t, 1)/2 - t", 1e-150), None);
        assert_eq!(digits("min(t, 1)/2 - t", 1e-10), None);
        assert_eq!(digits("max(t, -1)/2 - t", 1e-10), None);
        assert_eq!(digits("min(t, 1) + 3", 1.0 + 1e-10), None);
        assert_eq!(digits("min(t, 1) - 1", 1.0 - 1e-9), Some(9));
        assert_eq!(digits("min(exp(t) - 1 - t - t^2/2, 1) + 2*t", 1e-6), Some(6));
    }
}
