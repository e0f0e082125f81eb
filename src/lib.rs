//! mockround: a mock interviewer for the data engineering system design round.
//!
//! Data flows one way: input (REPL turns, answer files) → session / grader →
//! scorer → report. Backends sit behind one trait so a weak or absent model
//! degrades the wording, never the structure of a round.

pub mod backend;
pub mod cli;
pub mod commands;
pub mod config;
pub mod design;
pub mod error;
pub mod grade;
pub mod interview;
pub mod progress;
pub mod read;
pub mod repl;
pub mod report;
pub mod rubric;
pub mod score;
pub mod tokens;
pub mod transcript;
