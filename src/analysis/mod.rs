//! Properties of a loss–divergence pair that the transform itself does not decide: whether the
//! generator is convex (so that `D_f` is a divergence at all) and how it behaves at the ends of
//! `(0, ∞)` (zero-forcing and zero-avoiding, Hu et al. 2025, Prop 4.4–4.5).

pub mod convexity;
pub mod tails;
