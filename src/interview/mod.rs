//! The interview agent: a pure state machine driven by the rubric, a clock,
//! a deterministic failure-mode planner, templates, and optional model
//! phrasing. The code decides the structure of a round; a model only words it.

pub mod clarify;
pub mod clock;
pub mod debrief;
mod phases;
pub mod phrasing;
pub mod planner;
pub mod round;
pub mod session;
pub mod templates;
