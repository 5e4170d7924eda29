//! Parameter values: the symbols other than the variable, as `f64`s.

use super::EvalError;
use std::str::FromStr;

/// Values for the parameters of an expression (`a = 0.5`), looked up by name.
///
/// A handful of entries at most, so a vector searched in order is the whole data structure.
/// Setting a name twice keeps the later value.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Params {
    values: Vec<(String, f64)>,
}

impl Params {
    /// No parameters.
    pub fn new() -> Params {
        Params::default()
    }

    /// Parameters from `(name, value)` pairs; a later pair overrides an earlier one.
    pub fn from_pairs<I, S>(pairs: I) -> Params
    where
        I: IntoIterator<Item = (S, f64)>,
        S: Into<String>,
    {
        let mut p = Params::new();
        for (name, value) in pairs {
            p.set(name, value);
        }
        p
    }

    /// Give `name` the value `value`, replacing any earlier value.
    pub fn set(&mut self, name: impl Into<String>, value: f64) {
        let name = name.into();
        match self.values.iter_mut().find(|(n, _)| *n == name) {
            Some(slot) => slot.1 = value,
            None => self.values.push((name, value)),
        }
    }

    /// The value of `name`, if it has one.
    pub fn get(&self, name: &str) -> Option<f64> {
        self.values.iter().find(|(n, _)| n == name).map(|(_, v)| *v)
    }

    /// The number of parameters with a value.
    pub fn len(&self) -> usize {
        self.values.len()
    }

    /// Whether no parameter has a value.
    pub fn is_empty(&self) -> bool {
        self.values.is_empty()
    }

    /// Every `(name, value)`, in the order first set.
    pub fn iter(&self) -> impl Iterator<Item = (&str, f64)> {
        self.values.iter().map(|(n, v)| (n.as_str(), *v))
    }

    /// Read one assignment `name=value` (as given to `--param`) and set it.
    ///
    /// The value is a decimal number (`0.5`, `-2`, `1e-3`) or a fraction (`1/3`) and must be
    /// finite as an `f64`; the name is one the expression language reads as a parameter (`a`,
    /// `alpha`, `α`), not `t`, `u`, `e`, `pi` or a function name.
    pub fn set_from_str(&mut self, assignment: &str) -> Result<(), EvalError> {
        let (name, value) = parse_assignment(assignment)?;
        self.set(name, value);
        Ok(())
    }
}

/// Parses a comma-separated list of assignments, `a=0.5,b=2` (empty text: no parameters).
impl FromStr for Params {
    type Err = EvalError;

    fn from_str(s: &str) -> Result<Params, EvalError> {
        let mut p = Params::new();
        for part in s.split(',').filter(|x| !x.trim().is_empty()) {
            p.set_from_str(part)?;
        }
        Ok(p)
    }
}

/// `name=value` as `(name, value)`, read by the parameter language ([`crate::params`]).
pub fn parse_assignment(text: &str) -> Result<(String, f64), EvalError> {
    use crate::params::ParamError;
    let a = crate::params::parse_assignment(text).map_err(|e| match e {
        ParamError::Value { name, text } => EvalError::ParamValue { name, text },
        ParamError::Syntax(text) => EvalError::ParamSyntax(text),
        ParamError::Variable(name)
        | ParamError::Constant(name)
        | ParamError::Function(name)
        | ParamError::Name(name) => EvalError::ParamName(name),
        other => EvalError::ParamSyntax(other.to_string()),
    })?;
    let value = crate::expr::rational_to_f64(&a.value);
    if !value.is_finite() {
        return Err(EvalError::ParamValue {
            name: a.spelled,
            text: a.text,
        });
    }
    Ok((a.name, value))
}
