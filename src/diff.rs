//! Derivative (stub).
