//! Deterministic, evidence-backed scoring: plain sync functions, no I/O.
//! Build a [`Scorer`] once from a rubric; every matcher is compiled then.
//! The scorer reads the design model (`crate::design`) and the text reading
//! under it (`crate::read`); it never re-reads a transcript with cues of its own.

pub mod card;
pub mod examples;
mod scorer;
mod steps;
mod strength;
pub mod verdict;

pub use crate::read::quantity;
pub use crate::read::{quantities, ComponentMention, Quantity, QuantityKind};
pub use card::*;
pub use scorer::{FailureCoverage, Scorer};

pub mod combine;
pub mod judge;
