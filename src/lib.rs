//! fcorr: a symbolic loss–divergence correspondence calculator.
//!
//! The way in is a handful of functions at the crate root: [`from_loss`] and
//! [`from_divergence`] derive a pair ([`Derivation`]), [`check()`] decides a claim ([`Claim`]),
//! and [`verify_fn`] checks a loss written as a Rust function ([`Verification`]); all take one
//! [`Options`] and fail with an [`Error`] whose [`Error::kind`] a program can match.
//!
//! ```
//! let d = fcorr::from_loss("t^2", &fcorr::Options::default())?;
//! assert_eq!(d.f().as_deref(), Some("2*u - 2 - 2*log(u)"));
//! # Ok::<(), fcorr::Error>(())
//! ```
//!
//! The pipeline reads left to right in the module names:
//! [`parse`] (text with spans) → [`expr`] (the canonical IR with exact rationals) →
//! [`simplify`] (named rules to a fixpoint) → [`diff`] (symbolic derivative) →
//! [`eval`] (a compiled, allocation-free `f64` program) and [`print`](mod@print) (plain text, Unicode, LaTeX).
//! [`check`](mod@check) decides numerically whether a loss–divergence pair satisfies the gradient theorem.
//!
//! `plot` draws paper figures of pairs in memory (SVG, PDF, PNG or pgfplots), with the `figures`
//! feature (on by default).
//!
//! The library does no I/O except `plot::write_atomic`, and never panics on user input; every
//! failure is an [`Error`] (or a `plot::PlotError`).
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
mod facade;
pub mod family;
pub mod integrate;
mod parallel;
pub mod params;
pub mod parse;
mod per_thread;
#[cfg(feature = "figures")]
pub mod plot;
pub mod print;
pub mod report;
pub mod simplify;
pub mod transform;
pub mod variance;
pub mod verify;

pub use error::{Error, ErrorKind};
pub use expr::{Constant, Expr, Func};

pub use analysis::Analysis;
pub use analysis::claim::Claim;
pub use check::{Regime, Verdict};
pub use facade::{
    Derivation, Match, Options, Verification, check, claim_failure, family_from_divergence,
    family_from_loss, from_divergence, from_loss, render_error, report_failure, variance,
    verify_derivative, verify_fn,
};
pub use transform::{Correspondence, Residual};
pub use verify::verify_batch;

/// The README's examples, compiled and run as doctests.
#[doc = include_str!("../README.md")]
#[cfg(doctest)]
pub struct ReadmeDoctests;
