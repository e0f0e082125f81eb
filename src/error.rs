//! The library's top-level error: every layer's error, and the exit code it
//! maps to. `main.rs` prints it and exits; nothing else.

use thiserror::Error;

use crate::backend::BackendError;
use crate::config::ConfigError;

/// Exit code: everything asked for was done.
pub const EXIT_OK: u8 = 0;
/// Exit code: the run finished but some work failed (an input that could not
/// be graded, a failing doctor check, a round stopped by a backend error).
pub const EXIT_PARTIAL: u8 = 1;
/// Exit code: usage or configuration error; nothing was done.
pub const EXIT_USAGE: u8 = 2;

/// Any error that ends a command.
#[derive(Debug, Error)]
pub enum AppError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    Backend(#[from] BackendError),
    /// Bad arguments that clap could not catch (an unknown problem id, ...).
    #[error("{0}")]
    Usage(String),
    #[error("{path}: {source}")]
    Io {
        path: std::path::PathBuf,
        source: std::io::Error,
    },
    /// Any other layer's error, already phrased for a person.
    #[error("{0}")]
    Other(String),
}

impl AppError {
    /// The documented exit code for this error.
    pub fn exit_code(&self) -> u8 {
        match self {
            AppError::Config(_) | AppError::Usage(_) => EXIT_USAGE,
            _ => EXIT_PARTIAL,
        }
    }
}
