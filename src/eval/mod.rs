//! Evaluation (stub).
/// Evaluation errors.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum EvalError {
    /// A parameter has no value.
    #[error("parameter `{0}` has no value")]
    MissingParam(String),
}
