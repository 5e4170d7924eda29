//! Analyses of a divergence generator f(u): its dual and its convex conjugate.

pub mod conjugate;
