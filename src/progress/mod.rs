//! `mockround progress`: practice over weeks. Reads every finished round (and,
//! optionally, graded answers), then shows verdicts over time, each concept's
//! and signal's recent trend, the weakest concepts, time per phase against
//! budget, and the next drill with the command that starts it.
//!
//! Data flows one way: `history` reads the record, `trends` decides what it
//! means, `text` and `html` render it (`--json` serialises `trends::Progress`).

pub mod history;
pub mod html;
pub mod text;
pub mod trends;

pub use history::{read_grades, read_rounds, Attempt, PracticeRecord, Source};
pub use trends::{analyse, NextDrill, Progress};
