//! Deterministic, evidence-backed scoring: plain sync functions, no I/O.

pub mod card;

pub use card::*;
pub mod combine;
pub mod judge;
