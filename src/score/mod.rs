//! Deterministic, evidence-backed scoring: plain sync functions, no I/O.
//! Build a [`Scorer`] once from a rubric; every matcher is compiled then.

mod analysis;
pub mod card;
pub(crate) mod components;
mod lazy;
mod matcher;
mod negation;
pub mod quantity;
mod scorer;
mod sentences;
mod steps;
mod text;
pub mod verdict;

pub use card::*;
pub use components::ComponentMention;
pub use quantity::{quantities, Quantity, QuantityKind};
pub use scorer::{FailureCoverage, Scorer};

pub mod combine;
pub mod judge;
