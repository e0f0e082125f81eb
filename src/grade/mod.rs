//! `mockround grade`: many written answers graded at once. Inputs are read
//! lazily, graded with bounded concurrency by the rubric scorer (and a
//! judge when a model is configured), and written one row per input to an
//! append-only results file that makes reruns resume where they stopped.

pub mod batch_api;
pub mod grader;
pub mod input;
pub mod key;
pub mod pipeline;
pub mod progress;
pub mod results;
pub mod rows;
pub mod rubric_scorer;
pub mod samples;
pub mod tokens;
