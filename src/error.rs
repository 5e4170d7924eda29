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
    /// A name used as a parameter is not one (a variable, a symbol with no value).
    #[error("{0}")]
    UnknownParameter(String),
    /// A parameter's value is not usable (not a constant).
    #[error("{0}")]
    InvalidParameter(String),
    /// A value is mathematically undefined or not finite where it is needed (a loss undefined
    /// at `t = 0`, a weight that is infinite at an outcome).
    #[error("{0}")]
    Undefined(String),
    /// A point is outside the domain of its variable (`u ≤ 0`, a non-finite `t`).
    #[error("{0}")]
    OutOfDomain(String),
    /// What was asked needs a closed form that the input does not have.
    #[error("{0}")]
    NoClosedForm(String),
    /// A numeric integral failed or cannot be trusted.
    #[error("{0}")]
    Quadrature(String),
    /// The input asks for more work or memory than fcorr allows.
    #[error("{0}")]
    LimitExceeded(String),
    /// fcorr contradicted itself: a bug, never the input's fault. The message begins with
    /// `internal error:` and asks for a report.
    #[error("{0}")]
    Internal(String),
}

/// What kind of failure an [`Error`] is, for a program to match on (in JSON, the variant's
/// name in kebab case: `no-closed-form`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize)]
#[serde(rename_all = "kebab-case")]
pub enum ErrorKind {
    /// The text is not an expression of the language (with a span).
    Parse,
    /// A parameter is not one of the input's, or is given twice.
    UnknownParameter,
    /// A parameter's value is not a usable number.
    InvalidParameter,
    /// A value is mathematically undefined (`log(0)`, a parameter making the input undefined).
    Undefined,
    /// A point is outside its variable's domain.
    OutOfDomain,
    /// A closed form is needed and there is none.
    NoClosedForm,
    /// A numeric integral failed or cannot be trusted.
    Quadrature,
    /// A limit on work or size was exceeded.
    LimitExceeded,
    /// Any other unusable input; the message says why.
    Input,
    /// A bug in fcorr.
    Internal,
}

impl Error {
    /// The kind of this error.
    pub fn kind(&self) -> ErrorKind {
        use crate::eval::EvalError as E;
        use crate::params::ParamError as P;
        match self {
            Error::Parse(_) => ErrorKind::Parse,
            Error::Math(m) if m.kind == crate::simplify::MathErrorKind::WorkLimit => {
                ErrorKind::LimitExceeded
            }
            Error::Math(m) if m.kind == crate::simplify::MathErrorKind::NoClosedForm => {
                ErrorKind::NoClosedForm
            }
            Error::Math(_) | Error::Check(_) => ErrorKind::Undefined,
            Error::Input(_) => ErrorKind::Input,
            Error::Param(P::Unknown { .. } | P::Duplicate { .. }) => ErrorKind::UnknownParameter,
            Error::Param(P::Undefined { .. }) => ErrorKind::Undefined,
            Error::Param(_) => ErrorKind::InvalidParameter,
            Error::Eval(E::MissingParam(_)) => ErrorKind::UnknownParameter,
            Error::Eval(_) => ErrorKind::InvalidParameter,
            Error::UnknownParameter(_) => ErrorKind::UnknownParameter,
            Error::InvalidParameter(_) => ErrorKind::InvalidParameter,
            Error::Undefined(_) => ErrorKind::Undefined,
            Error::OutOfDomain(_) => ErrorKind::OutOfDomain,
            Error::NoClosedForm(_) => ErrorKind::NoClosedForm,
            Error::Quadrature(_) => ErrorKind::Quadrature,
            Error::LimitExceeded(_) => ErrorKind::LimitExceeded,
            Error::Internal(_) => ErrorKind::Internal,
        }
    }
}

impl From<crate::parse::ParseError> for Error {
    fn from(e: crate::parse::ParseError) -> Error {
        Error::Parse(Box::new(e))
    }
}

/// The message of an [`Error::Internal`]: `internal error: {what}; please report this`.
pub(crate) fn internal(what: &str) -> String {
    format!("internal error: {what}; please report this")
}
