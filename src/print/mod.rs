//! Printers: plain text that parses back, Unicode for reading, LaTeX for papers.
//!
//! All three share `layout`, which turns the canonical form (`x·y^-1`, `-1·x`, `x^(1/2)`)
//! into what a person writes (fractions, minus signs, roots) and ranks operators by
//! precedence; each printer only spells the result. Sums keep the canonical term order
//! (`exp(t) - t - 1`, `2*u - 4*sqrt(u) + 2`), so the three outputs line up term by term.

mod latex;
mod layout;
mod plain;
mod unicode;

pub use latex::latex;
pub use plain::plain;
pub use unicode::unicode;

#[cfg(test)]
mod tests;
