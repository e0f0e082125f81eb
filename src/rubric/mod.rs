//! The rubric library: concepts, signals, the four-step framework, levels and
//! the problem bank, loaded from TOML under `rubrics/` (built in, plus any
//! directory the user points at) and validated with `file:line:col` errors.

pub mod model;

pub use model::*;
