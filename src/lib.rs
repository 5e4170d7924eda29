//! fcorr: a symbolic loss–divergence correspondence calculator.
//!
//! The pipeline reads left to right in the module names:
//! [`parse`] (text with spans) → [`expr`] (the canonical IR with exact rationals) →
//! [`simplify`] (named rules to a fixpoint) → [`diff`] (symbolic derivative) →
//! [`eval`] (a compiled, allocation-free `f64` program) and [`print`] (plain text, Unicode, LaTeX).
//! [`check`] decides numerically whether a loss–divergence pair satisfies the gradient theorem.
//!
//! [`plot`] draws paper figures of pairs in memory (SVG or PNG).
//!
//! The library does no I/O except [`plot::write_atomic`], and never panics on user input; every
//! failure is an [`Error`] (or a [`plot::PlotError`]).
#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod analysis;
pub mod catalog;
pub mod check;
pub mod diff;
pub mod emit;
pub mod error;
pub mod eval;
pub mod expr;
pub mod integrate;
pub mod params;
pub mod parse;
pub mod plot;
pub mod print;
pub mod report;
pub mod simplify;
pub mod transform;
pub mod variance;

pub use error::Error;
pub use expr::{Constant, Expr, Func};

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
