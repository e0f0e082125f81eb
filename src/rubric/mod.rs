//! The rubric library: concepts, signals, the four-step framework, levels and
//! the problem bank, loaded from TOML under `rubrics/` (built in, plus any
//! directory the user points at) and validated with `file:line:col` errors.

pub mod brief;
mod error;
mod loader;
pub mod model;
mod render;
mod sources;
mod validate;

use std::path::Path;

pub use brief::BriefNeed;
pub use error::{line_col, RubricError};
pub use model::*;
pub use render::{render_list, render_show};

/// The whole rubric, validated: everything the scorer and the interview need.
#[derive(Debug, Clone, PartialEq)]
pub struct Rubric {
    pub concepts: Vec<Concept>,
    pub signals: Vec<Signal>,
    pub problems: Vec<Problem>,
    /// A stable hash of the rubric files' contents, recorded in every
    /// scorecard so a grade can be reproduced.
    pub version: String,
    pub framework: Framework,
    pub levels: Levels,
    pub components: Catalogue,
}

impl Rubric {
    /// The `rubrics/` directory embedded in the binary, so it works from anywhere.
    pub fn builtin() -> Result<Rubric, RubricError> {
        loader::load(None)
    }

    /// Builtin plus the user's directory: user problems are added (same id
    /// overrides), and user core files (`concepts.toml`, ...) replace builtin ones.
    pub fn load(extra_dir: Option<&Path>) -> Result<Rubric, RubricError> {
        loader::load(extra_dir)
    }

    /// A directory on its own (core files it lacks come from the builtin), for validation.
    pub fn load_dir(dir: &Path) -> Result<Rubric, RubricError> {
        loader::load_dir(dir)
    }

    /// A problem by its command-line id.
    pub fn problem(&self, id: &str) -> Option<&Problem> {
        self.problems.iter().find(|p| p.id.as_str() == id)
    }

    /// All problem ids, in bank order.
    pub fn problem_ids(&self) -> Vec<&str> {
        self.problems.iter().map(|p| p.id.as_str()).collect()
    }

    /// A concept by id.
    pub fn concept(&self, id: &ConceptId) -> Option<&Concept> {
        self.concepts.iter().find(|c| &c.id == id)
    }

    /// A signal by id.
    pub fn signal(&self, id: &SignalId) -> Option<&Signal> {
        self.signals.iter().find(|s| &s.id == id)
    }

    /// The framework step for a phase.
    pub fn step(&self, phase: Phase) -> Option<&StepSpec> {
        self.framework.step.iter().find(|s| s.phase == phase)
    }

    /// The descriptor of a level.
    pub fn level(&self, level: Level) -> Option<&LevelSpec> {
        self.levels.level.iter().find(|l| l.id == level)
    }
}

/// Every error in a rubric file or directory, for `mockround rubrics validate [PATH]`.
/// Empty means valid.
/// The text of a built-in rubric file (`concepts.toml`), for messages.
pub fn builtin_file(rel: &str) -> Option<&'static str> {
    sources::builtin_text(rel)
}

pub fn validate_path(path: &Path) -> Vec<RubricError> {
    loader::validate_path(path)
}
