//! Integration: in closed form where a method of the [`table`] applies (exponential
//! polynomials, [`closed`]; rational functions of one exponential, [`rational`]), otherwise with a
//! checked quadrature layer ([`quad`]) and the transform pair evaluated with it ([`numeric`]).
//! Every closed form differentiates back to its integrand before it is used; every numeric
//! result carries an error estimate; a result that cannot be trusted is an error, never a silent
//! number.

pub mod closed;
pub mod dilog;
pub mod gamma;
pub mod kinks;
pub mod numeric;
pub mod poly;
pub mod q;
pub mod quad;
pub mod rational;
pub mod table;
