//! The rubric layer's one error type. Every message names the file and, where
//! known, the line and column, so a user fixing their own rubric can jump
//! straight to the problem.

/// What went wrong loading or validating rubric files.
#[derive(Debug, thiserror::Error)]
pub enum RubricError {
    /// A problem at a known position in a file.
    #[error("{path}:{line}:{col}: {message}")]
    At {
        path: String,
        line: usize,
        col: usize,
        message: String,
    },
    /// A problem with a whole file (or the rubric as a whole).
    #[error("{path}: {message}")]
    File { path: String, message: String },
    /// A file or directory could not be read.
    #[error("{path}: cannot read ({source}); check the path exists and is readable")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    /// `rubrics show ID` with an id that is neither a problem nor a concept.
    #[error(
        "no problem, concept or signal has id `{id}`; run `mockround rubrics list` to see the ids"
    )]
    UnknownId { id: String },
    /// Several errors at once (validation reports all of them).
    #[error("{}", join(.0))]
    Many(Vec<RubricError>),
}

fn join(errors: &[RubricError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl RubricError {
    /// An error at byte `offset` of `src`, converted to 1-based line:col.
    pub fn at(path: &str, src: &str, offset: usize, message: impl Into<String>) -> Self {
        let (line, col) = line_col(src, offset);
        RubricError::At {
            path: path.to_string(),
            line,
            col,
            message: message.into(),
        }
    }

    /// Flatten `Many` so callers can count individual errors.
    pub fn flatten(self) -> Vec<RubricError> {
        match self {
            RubricError::Many(v) => v.into_iter().flat_map(RubricError::flatten).collect(),
            other => vec![other],
        }
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(src: &str, offset: usize) -> (usize, usize) {
    let mut off = offset.min(src.len());
    while !src.is_char_boundary(off) {
        off -= 1;
    }
    let before = &src[..off];
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
    let col = before[line_start..].chars().count() + 1;
    (line, col)
}
