//! The crate's error type: every way user input can fail, as data.

/// Anything that can go wrong between text and a number.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Error {
    /// The text is not an expression of the language.
    #[error(transparent)]
    Parse(Box<crate::parse::ParseError>),
    /// The expression is mathematically undefined (`0^-1`, `log(0)`).
    #[error(transparent)]
    Math(#[from] crate::simplify::MathError),
    /// The input is well formed but not usable here (a loss written in `u`, an unset
    /// parameter); the message says why.
    #[error("{0}")]
    Input(String),
    /// The gradient-theorem check could not be computed (a non-finite value).
    #[error(transparent)]
    Check(#[from] crate::check::CheckError),
    /// A parameter assignment is refused (unknown name, bad value, undefined result).
    #[error(transparent)]
    Param(crate::params::ParamError),
    /// The expression cannot be evaluated (a parameter has no value).
    #[error(transparent)]
    Eval(#[from] crate::eval::EvalError),
}

impl From<crate::parse::ParseError> for Error {
    fn from(e: crate::parse::ParseError) -> Error {
        Error::Parse(Box::new(e))
    }
}
