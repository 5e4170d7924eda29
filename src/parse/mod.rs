//! Parser (stub).
/// A parse error.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("parse error")]
pub struct ParseError;
