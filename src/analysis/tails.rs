//! Tails (placeholder).
