//! Simplifier (stub).
/// A math error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("undefined")]
pub struct MathError;
