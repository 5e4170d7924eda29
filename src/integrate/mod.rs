//! Integration: in closed form where the class allows ([`closed`]).

pub mod closed;
