//! A value at a kink that stands apart from the pieces on both sides of it.
//!
//! `abs(u − 1) + 1 − sign(u − 1)^2` is `abs(u − 1)` everywhere but at `u = 1`, where `sign` is
//! `0` and the value is `1`. Between the roots of its `abs` and `sign` arguments such an
//! expression is smooth, and its pieces have limits at each root; where the two limits agree
//! and the value does not, the function is not continuous there, so it is not convex on an open
//! interval holding the root. At the matching point (`u = 1`, `t = 0`) it is worse: the
//! transform sees only `f'` or `g'`, so the derived side, `f(1) = g(0)`, the canonical member
//! and the constant `g(0)` that a loss sheds are all read from the limits, not from the value
//! written. Such an input is refused there, as one undefined there (`log(u − 1)`) is.

use crate::Error;
use crate::eval::enclose;
use crate::expr::{DIVERGENCE_VAR, Expr, LOSS_VAR};
use crate::integrate::kinks::split_pieces_on;
use crate::print::plain;
use crate::simplify::{Assumptions, simplify};
use num_rational::BigRational;
use num_traits::Zero;

/// A root where the value stands apart from the equal limits of the pieces on either side.
#[derive(Clone, Debug, PartialEq)]
pub struct Apart {
    /// Where.
    pub at: BigRational,
    /// The value there.
    pub value: Expr,
    /// The limit from either side.
    pub limit: Expr,
}

/// Every root of `e`'s `abs` and `sign` arguments (in `var`: `u` on `(0, ∞)`, `t` on `ℝ`)
/// where the value is certainly not the limit from both sides; empty when the roots are not
/// exact, and a root where the limits differ (a jump) or the difference is not certain is
/// left out.
pub(crate) fn values_apart(e: &Expr, var: &str) -> Vec<Apart> {
    let start = if var == DIVERGENCE_VAR {
        (Some(BigRational::zero()), None)
    } else {
        (None, None)
    };
    let Some(parts) = split_pieces_on(e, var, start) else {
        return Vec::new();
    };
    parts
        .windows(2)
        .filter_map(|w| {
            let at = w[1].0.0.clone()?;
            let x = Expr::num(at.clone());
            let value_of = |p: &Expr| simplify(&p.substitute(var, &x)).ok();
            let (left, right) = (value_of(&w[0].1)?, value_of(&w[1].1)?);
            if !simplify(&(right - left.clone())).ok()?.is_zero() {
                return None;
            }
            let value = value_of(e)?;
            let gap = simplify(&(value.clone() - left.clone())).ok()?;
            certainly_nonzero(&gap).then_some(Apart {
                at,
                value,
                limit: left,
            })
        })
        .collect()
}

/// Whether the constant `c` is certainly not zero: its sign is evident or certified.
fn certainly_nonzero(c: &Expr) -> bool {
    let facts = Assumptions::default();
    !c.is_zero() && (facts.is_positive(c) || facts.is_negative(c) || enclose::sign(c).is_some())
}

/// An error when `e`, the loss (`var` `t`) or generator (`u`) as written, stands apart from its
/// limits at the matching point `t = 0` or `u = 1`.
pub(super) fn refuse_apart_at_matching_point(e: &Expr, var: &str) -> Result<(), Error> {
    let (what, name, at) = if var == LOSS_VAR {
        ("loss", "g", BigRational::zero())
    } else {
        ("generator", "f", BigRational::from_integer(1.into()))
    };
    let Some(apart) = values_apart(e, var).into_iter().find(|a| a.at == at) else {
        return Ok(());
    };
    let point = plain(&Expr::num(at));
    Err(Error::Input(format!(
        "the {what} stands apart from its limits at {var} = {point}, where the model matches the target: {name}({point}) = {}, but {name}({var}) → {} from either side\n  = help: the pair is derived from {name}' and these limits, so {name}({point}) would not be the value written; write the {what} without a value of its own at {var} = {point}",
        plain(&apart.value),
        plain(&apart.limit),
    )))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::parse::parse;

    /// The roots of `e` (in `var`) where its value stands apart, as `(at, value, limit)`.
    #[track_caller]
    fn apart_is(e: &str, var: &str, want: &[(&str, &str, &str)]) {
        let got: Vec<(String, String, String)> = values_apart(&parse(e).unwrap(), var)
            .into_iter()
            .map(|a| (plain(&Expr::num(a.at)), plain(&a.value), plain(&a.limit)))
            .collect();
        let want: Vec<(String, String, String)> = want
            .iter()
            .map(|(a, b, c)| (a.to_string(), b.to_string(), c.to_string()))
            .collect();
        assert_eq!(got, want, "{e}");
    }

    #[test]
    fn values_apart_from_their_limits() {
        apart_is("abs(u - 1) + 1 - sign(u - 1)^2", "u", &[("1", "1", "0")]);
        apart_is("abs(u - 2) - abs(sign(u - 2))", "u", &[("2", "0", "-1")]);
        apart_is("(u - 1)^2 + sign(u - 2)^2 - 1", "u", &[("2", "0", "1")]);
        apart_is("abs(t) + sign(t)^2 - 1", "t", &[("0", "-1", "0")]);
        apart_is("abs(t - 1) + 1 - sign(t - 1)^2", "t", &[("1", "1", "0")]);
        apart_is(
            "(pi - 355/113)*sign(t)^2",
            "t",
            &[("0", "0", "pi - 355/113")],
        );
        // Continuous, jumping, or with a root outside the domain: nothing apart.
        apart_is("abs(u - 1)", "u", &[]);
        apart_is("sign(u - 1)", "u", &[]);
        apart_is("abs(t) + sign(t)", "t", &[]);
        apart_is("sign(u + 1)^2", "u", &[]);
        apart_is("t^2", "t", &[]);
    }

    #[test]
    fn the_matching_point_is_refused_only_when_apart_there() {
        let refused = |e: &str, var: &str| {
            refuse_apart_at_matching_point(&parse(e).unwrap(), var)
                .err()
                .map(|e| e.to_string())
        };
        let msg = refused("abs(u - 1) + 1 - sign(u - 1)^2", "u").unwrap();
        assert!(
            msg.starts_with("the generator stands apart from its limits at u = 1, where the model matches the target: f(1) = 1, but f(u) → 0 from either side"),
            "{msg}"
        );
        let msg = refused("abs(t) + sign(t)^2 - 1", "t").unwrap();
        assert!(
            msg.starts_with("the loss stands apart from its limits at t = 0, where the model matches the target: g(0) = -1, but g(t) → 0 from either side"),
            "{msg}"
        );
        assert_eq!(refused("abs(u - 2) - abs(sign(u - 2))", "u"), None);
        assert_eq!(refused("abs(t - 1) + 1 - sign(t - 1)^2", "t"), None);
        assert_eq!(refused("sign(u - 1)", "u"), None);
        assert_eq!(refused("abs(t)", "t"), None);
    }
}
