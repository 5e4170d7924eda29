//! What a derived pair means: normalisation and the canonical class member ([`normal`]), the
//! equivalence class ([`class`]), the reward ([`reward`]) and the training regimes
//! ([`regime`]).

pub mod claim;
pub mod class;
pub mod normal;
pub mod regime;
pub mod reward;
