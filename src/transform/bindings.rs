//! Exact parameter values: `--param alpha=1/2` binds `alpha` to the rational 1/2, so a
//! parametric loss stays in the closed-form class.

use crate::Error;
use crate::expr::{DIVERGENCE_VAR, Expr, LOSS_VAR};

/// Parameter names bound to exact constant expressions.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Bindings {
    values: Vec<(String, Expr)>,
}

impl Bindings {
    /// No parameters.
    pub fn new() -> Bindings {
        Bindings::default()
    }

    /// Bind `name` to `value` (a constant expression); a later binding of the same name wins.
    pub fn set(&mut self, name: &str, value: Expr) -> Result<(), Error> {
        if name == LOSS_VAR || name == DIVERGENCE_VAR {
            return Err(Error::InvalidParameter(format!(
                "`{name}` is a variable, not a parameter"
            )));
        }
        if !value.symbols().is_empty() {
            return Err(Error::InvalidParameter(format!(
                "the value of parameter `{name}` must be a constant, not `{value}`"
            )));
        }
        self.values.retain(|(n, _)| n != name);
        self.values.push((name.to_string(), value));
        Ok(())
    }

    /// Bind from text `NAME=VALUE` in the parameter language ([`crate::params`]): an exact
    /// number (`0.5`, `-1/2`, `1e-3`) for a name that can be a parameter (`alpha`, `α`).
    pub fn set_from_str(&mut self, assignment: &str) -> Result<(), Error> {
        let a = crate::params::parse_assignment(assignment)?;
        self.set(&a.name, Expr::num(a.value))
    }

    /// `e` with every bound parameter replaced by its value.
    pub fn apply(&self, e: &Expr) -> Expr {
        self.values
            .iter()
            .fold(e.clone(), |acc, (n, v)| acc.substitute(n, v))
    }

    /// The bindings as `(name, value)` pairs.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &Expr)> {
        self.values.iter().map(|(n, v)| (n.as_str(), v))
    }
}
