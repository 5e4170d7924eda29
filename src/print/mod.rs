//! Printers (stub).
use crate::expr::Expr;
/// Plain text.
pub fn plain(e: &Expr) -> String {
    format!("{e:?}")
}
