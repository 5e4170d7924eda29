//! Numeric integration: a checked quadrature layer ([`quad`]) and the loss–divergence transform
//! pair evaluated with it ([`numeric`]). Every result carries an error estimate; a result that
//! cannot be trusted is an error, never a silent number.

pub mod numeric;
pub mod quad;
