//! Sweeps: `NAME=LO:HI:N`, the `N` values of a parameter from `LO` to `HI` in equal exact steps,
//! so that a figure can draw the members of a family side by side (`fcorr plot --from-loss linex
//! --sweep alpha=-1:2:7` draws α = −1, −1/2, 0, 1/2, 1, 3/2, 2).
//!
//! The values are exact rationals, so a member at a special value (α = 0, where Linex divides by
//! zero) is that value, not a number next to it.
//!
//! ```
//! use fcorr::params::sweep::Sweep;
//!
//! let s = Sweep::parse("α=-1:2:7")?;
//! assert_eq!(s.name, "alpha");
//! let values: Vec<String> = s.values.iter().map(|v| v.to_string()).collect();
//! assert_eq!(values, ["-1", "-1/2", "0", "1/2", "1", "3/2", "2"]);
//! assert_eq!(s.assignment(&s.values[1]), "alpha=-1/2");
//! assert_eq!(s.label(&s.values[1]), r"$\alpha = -\frac{1}{2}$");
//! # Ok::<(), fcorr::params::ParamError>(())
//! ```

use super::{ParamError, number, parameter_name};
use crate::expr::Expr;
use num_rational::BigRational;

/// The most members a sweep may draw: a legend of more is no longer readable.
pub const MAX_MEMBERS: usize = 25;

/// A parameter and the values it is swept over.
#[derive(Clone, Debug, PartialEq)]
pub struct Sweep {
    /// The parameter's name in the language (`alpha` for `α`).
    pub name: String,
    /// The name as written.
    pub spelled: String,
    /// The values, from `LO` to `HI` in equal steps.
    pub values: Vec<BigRational>,
}

impl Sweep {
    /// Read `NAME=LO:HI:N`: `LO < HI` exact numbers, `N` from 2 to [`MAX_MEMBERS`].
    pub fn parse(text: &str) -> Result<Sweep, ParamError> {
        let refuse = |reason: String| ParamError::Sweep {
            text: text.trim().to_string(),
            reason,
        };
        let Some((spelled, range)) = text.split_once('=') else {
            return Err(refuse("expected `NAME=LO:HI:N`".into()));
        };
        let spelled = spelled.trim();
        let name = parameter_name(spelled)?;
        let parts: Vec<&str> = range.split(':').map(str::trim).collect();
        let [lo, hi, n] = parts.as_slice() else {
            return Err(refuse(format!(
                "expected three parts `LO:HI:N` after `=`, found {}",
                parts.len()
            )));
        };
        let exact = |part: &str, what: &str| {
            number(part).ok_or_else(|| refuse(format!("{what} `{part}` is not a number")))
        };
        let (lo, hi) = (exact(lo, "LO")?, exact(hi, "HI")?);
        if lo >= hi {
            return Err(refuse("LO must be less than HI".into()));
        }
        let count: usize = match n.parse() {
            Ok(k) if (2..=MAX_MEMBERS).contains(&k) => k,
            _ => {
                return Err(refuse(format!(
                    "N `{n}` is not a whole number from 2 to {MAX_MEMBERS}"
                )));
            }
        };
        let step = (&hi - &lo) / BigRational::from_integer((count - 1).into());
        let values = (0..count)
            .map(|k| &lo + &step * BigRational::from_integer(k.into()))
            .collect();
        Ok(Sweep {
            name,
            spelled: spelled.to_string(),
            values,
        })
    }

    /// The assignment `NAME=VALUE` of one value, as `--param` reads it.
    pub fn assignment(&self, value: &BigRational) -> String {
        format!("{}={value}", self.name)
    }

    /// A legend label for one value: `$\alpha = -\frac{1}{2}$`.
    pub fn label(&self, value: &BigRational) -> String {
        format!(
            "${} = {}$",
            crate::print::latex(&Expr::sym(&self.name)),
            crate::print::latex(&Expr::num(value.clone()))
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn values(text: &str) -> Vec<String> {
        let s = Sweep::parse(text).expect("reads");
        s.values.iter().map(|v| v.to_string()).collect()
    }

    #[test]
    fn values_are_exact_steps_from_lo_to_hi() {
        assert_eq!(
            values("alpha=-1:2:7"),
            ["-1", "-1/2", "0", "1/2", "1", "3/2", "2"]
        );
        assert_eq!(values("p=0.5:2:2"), ["1/2", "2"]);
        assert_eq!(values("a=0:1:3"), ["0", "1/2", "1"]);
        assert_eq!(values("a = 1e-3 : 1/3 : 2"), ["1/1000", "1/3"]);
        assert_eq!(values("a=0:24:25").len(), MAX_MEMBERS);
    }

    #[test]
    fn refusals_say_what_is_wrong() {
        for (text, says) in [
            ("alpha", "expected `NAME=LO:HI:N`"),
            (
                "alpha=1:2",
                "expected three parts `LO:HI:N` after `=`, found 2",
            ),
            ("alpha=2:1:3", "LO must be less than HI"),
            ("alpha=1:1:3", "LO must be less than HI"),
            ("alpha=x:1:3", "LO `x` is not a number"),
            ("alpha=0:y:3", "HI `y` is not a number"),
            ("alpha=0:1:1", "N `1` is not a whole number from 2 to 25"),
            ("alpha=0:1:26", "N `26` is not a whole number from 2 to 25"),
            (
                "alpha=0:1:2.5",
                "N `2.5` is not a whole number from 2 to 25",
            ),
            ("alpha=0:1:-3", "N `-3` is not a whole number from 2 to 25"),
        ] {
            let err = Sweep::parse(text).unwrap_err();
            assert!(err.to_string().ends_with(says), "{text}: {err}");
            assert!(err.help().is_some_and(|h| h.contains("NAME=LO:HI:N")));
        }
        assert_eq!(
            Sweep::parse("t=0:1:3").unwrap_err(),
            ParamError::Variable("t".into())
        );
    }

    #[test]
    fn labels_typeset_the_parameter_and_value() {
        let s = Sweep::parse("p=1:2:2").expect("reads");
        assert_eq!(s.label(&s.values[0]), "$p = 1$");
        assert_eq!(s.assignment(&s.values[1]), "p=2");
    }
}
