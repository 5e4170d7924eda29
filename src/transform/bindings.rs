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
            return Err(Error::Input(format!(
                "`{name}` is a variable, not a parameter"
            )));
        }
        if !value.symbols().is_empty() {
            return Err(Error::Input(format!(
                "the value of parameter `{name}` must be a constant, not `{value}`"
            )));
        }
        self.values.retain(|(n, _)| n != name);
        self.values.push((name.to_string(), value));
        Ok(())
    }

    /// Bind from text `NAME=VALUE`, the value in the fcorr language (`0.5`, `1/2`, `2*pi`).
    pub fn set_from_str(&mut self, assignment: &str) -> Result<(), Error> {
        let Some((name, value)) = assignment.split_once('=') else {
            return Err(Error::Input(format!(
                "expected `NAME=VALUE`, found `{assignment}`"
            )));
        };
        let name = name.trim();
        let valid = name.chars().next().is_some_and(|c| c.is_ascii_alphabetic())
            && name.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
        if !valid {
            return Err(Error::Input(format!("`{name}` is not a parameter name")));
        }
        let value = crate::simplify::simplify(&crate::parse::parse(value)?)?;
        self.set(name, value)
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
