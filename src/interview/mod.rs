//! The interview agent: a pure state machine driven by the rubric, a clock
//! and the design model of the candidate's answer. Code decides the
//! structure of a round and which move comes next (its intent and its
//! target in the candidate's design); a model, when configured, words it.

mod answers;
mod brief;
pub mod challenges;
mod claims;
mod clarify;
pub mod clock;
mod curveball_answer;
pub mod curveballs;
pub mod debrief;
mod design_summary;
pub mod drills;
mod failure_names;
mod failures;
mod follow;
mod gaps;
mod guards;
mod hand_wave;
mod key_fit;
mod last_turn;
pub mod moves;
mod off_target;
mod other_answer;
mod payload;
mod phases;
pub mod phrasing;
pub mod planner;
pub mod round;
pub mod session;
pub mod templates;
mod units;
pub(crate) mod volunteered;
mod walked;
