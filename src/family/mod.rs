//! Families: inputs with a parameter left symbolic (`linex` without `--param`, `abs(t)^p`), their
//! derivation with the conditions each step needs, and their analysis as regions of the parameter.
//!
//! A [`Condition`] is a relation `lhs REL 0` between an expression in the parameters and zero
//! (`a - 1 ≠ 0`, `p > 0`). The derivation attaches the conditions a step needs; the user's
//! `--assume` reads into the same type; the analysis turns them into sets of parameter values.

pub mod regions;

use crate::expr::Expr;

pub mod assume;
pub mod cases;
pub mod catalog;
pub mod derive;
pub mod expoly;
pub mod logexp;
pub mod over;
pub mod power;
pub mod ratfun;
mod render;

pub use assume::{Assumption, parse_assumption};
pub use cases::limit;
pub use derive::{Case, CaseKind, Family, GradientAt, LimitCheck, derive};

/// How a condition's left side compares with zero.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    /// `lhs = 0`.
    Eq,
    /// `lhs ≠ 0`.
    Ne,
    /// `lhs < 0`.
    Lt,
    /// `lhs ≤ 0`.
    Le,
    /// `lhs > 0`.
    Gt,
    /// `lhs ≥ 0`.
    Ge,
    /// `lhs` is an integer.
    Integer,
}

/// A condition on the parameters: `lhs REL 0`.
#[derive(Clone, Debug, PartialEq)]
pub struct Condition {
    /// The left side, an expression in the parameters only.
    pub lhs: Expr,
    /// How it compares with zero.
    pub relation: Relation,
}
