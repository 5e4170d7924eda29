//! Integration: in closed form where the class allows ([`closed`]), otherwise with a checked
//! quadrature layer ([`quad`]) and the transform pair evaluated with it ([`numeric`]). Every
//! numeric result carries an error estimate; a result that cannot be trusted is an error, never
//! a silent number.

pub mod closed;
pub mod numeric;
pub mod quad;
