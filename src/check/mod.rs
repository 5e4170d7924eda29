//! Numerical checks that a derived loss–divergence pair is right.
//!
//! A symbolic derivation can be wrong in ways no simplifier notices (a reflected residual, a
//! factor of two, the wrong direction of the divergence). The checks here decide by numbers:
//! they compare two gradients on random softmax models, computed exactly with finite sums and no
//! sampling, so a correct pair agrees to rounding error and a wrong one misses by orders of
//! magnitude.
//!
//! Inputs are plain closures `f64 → f64`, so this module depends on none of fcorr's expression
//! types: a caller compiles `g'`, `f` and `f'` however it likes and hands them in as a [`Pair`].

pub mod gradient;

pub use gradient::{
    CheckError, CheckOptions, Function, GradientCheck, Gradients, NOISE_MARGIN, Pair, Regime,
    VALUE_ROUNDING, Verdict, Worst, check, gradients,
};
