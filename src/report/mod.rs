//! Reports built from result rows: a bounded-memory summary, CSV for
//! spreadsheets, Markdown for people, and a self-contained HTML page with
//! inline SVG charts; and Markdown rendered for a terminal (the debrief on
//! screen).
//!
//! The Markdown and HTML reports have per-answer parts (a table and a
//! section per answer). Those are written while the rows are read again
//! from their file, one at a time, so a report over any batch size never
//! holds more than one row and the summary in memory.

pub mod csv;
pub mod html;
pub mod markdown;
pub mod summary;
pub mod terminal;
pub mod variance;

use std::path::Path;

use thiserror::Error;

use crate::grade::results::{read_rows, ResultsError};
use crate::grade::rows::ResultRow;

pub use summary::Summary;

/// Why a report could not be written.
#[derive(Debug, Error)]
pub enum ReportError {
    #[error("cannot write the report: {0}")]
    Io(#[from] std::io::Error),
    #[error(transparent)]
    Rows(#[from] ResultsError),
}

/// One pass over a batch's rows.
pub type RowStream<'a> = Box<dyn Iterator<Item = Result<ResultRow, ResultsError>> + 'a>;

/// Rows a report can read more than once, from the first each time: a
/// results file, or rows already in memory.
pub trait Rows {
    /// Every row, from the first.
    fn rows(&self) -> Result<RowStream<'_>, ResultsError>;
}

impl Rows for &Path {
    fn rows(&self) -> Result<RowStream<'_>, ResultsError> {
        Ok(Box::new(read_rows(self)?))
    }
}

impl Rows for &[ResultRow] {
    fn rows(&self) -> Result<RowStream<'_>, ResultsError> {
        Ok(Box::new(self.iter().cloned().map(Ok)))
    }
}

/// Graded rows with their 1-based number in the report (error rows are
/// listed under Errors and get no number), the same numbers on every pass.
pub(crate) fn graded(
    rows: &dyn Rows,
) -> Result<impl Iterator<Item = Result<(usize, ResultRow), ResultsError>> + '_, ResultsError> {
    let mut n = 0;
    Ok(rows.rows()?.filter_map(move |r| match r {
        Ok(row) if row.status == crate::grade::rows::RowStatus::Graded => {
            n += 1;
            Some(Ok((n, row)))
        }
        Ok(_) => None,
        Err(e) => Some(Err(e)),
    }))
}

/// A quote or sentence for one line of a report: whitespace runs become
/// one space, bold markers go, and anything over `max` characters is cut
/// at a word with `…`.
pub(crate) fn one_line(s: &str, max: usize) -> String {
    let flat = crate::read::text::quote_words(s)
        .collect::<Vec<_>>()
        .join(" ");
    if flat.chars().count() <= max {
        return flat;
    }
    let cut: String = flat.chars().take(max).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i > max / 2 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches([',', ';', ':', '.', ' ']))
}

/// Rows for the report tests: a strong answer, one with no problem id,
/// one whose every field tries to break out of its report, and an error.
#[cfg(test)]
pub(crate) mod fixtures {
    use crate::grade::rows::{FailedGate, Improvement, ResultRow, RowStatus, RowVerdict, Strength};
    use crate::rubric::Level;
    use crate::score::judge::CriterionKind;

    pub const HOSTILE: &str =
        "<script>alert(1)</script> | *bold* [x](http://evil.example) `tick` & </td>";

    pub fn row(id: &str, level: Level, overall: u8) -> ResultRow {
        let mut r = ResultRow::input_error(id, id, Some("clickstream".into()), String::new());
        r.status = RowStatus::Graded;
        r.error = None;
        r.level = Some(level);
        r.overall = Some(overall);
        r.verdict = Some(RowVerdict {
            level,
            reasons: vec![format!(
                "Uses specific numbers (\"200K events/sec\") in {id}"
            )],
            failed_gates: vec![FailedGate {
                gate: "operations".into(),
                level: Level::L6,
                because: "Operations are missing: who is paged".into(),
                to_pass: "Add the alert that pages on-call (`lag > 5 min`)".into(),
            }],
        });
        r.strengths = vec![Strength {
            kind: CriterionKind::Concept,
            id: "idempotency".into(),
            name: "Idempotency on writes".into(),
            strength: 4,
            quote: "The load is a MERGE on session_id so a rerun is safe.".into(),
        }];
        r.improvements = vec![Improvement {
            text: "Add operations: who is paged".into(),
            l5_says: Some("alert when consumer lag > 5 min pages on-call".into()),
        }];
        r
    }

    pub fn rows() -> Vec<ResultRow> {
        let strong = row("strong.md", Level::L5, 74);
        let mut missing = row("no-problem.md", Level::L3, 12);
        missing.problem = None;
        missing.problem_missing = true;
        let mut hostile = row(HOSTILE, Level::L4, 40);
        if let Some(v) = hostile.verdict.as_mut() {
            v.reasons = vec![format!("Quotes {HOSTILE}")];
            v.failed_gates[0].because = format!("Missing {HOSTILE}");
        }
        hostile.strengths[0].quote = format!("</blockquote>{HOSTILE}\n# not a heading");
        hostile.improvements[0].l5_says = Some(HOSTILE.into());
        let error = ResultRow::input_error("bad.md", "bad.md", None, "the answer is empty".into());
        vec![strong, missing, hostile, error]
    }

    pub fn summary(rows: &[ResultRow]) -> crate::report::Summary {
        let mut s = crate::report::Summary::default();
        for r in rows {
            s.add(r);
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_line_flattens_and_cuts_at_a_word() {
        assert_eq!(one_line("a\n  b\tc", 10), "a b c");
        assert_eq!(
            one_line("Flink dies.** It restarts **from** ** the checkpoint", 80),
            "Flink dies. It restarts from the checkpoint"
        );
        assert_eq!(one_line("alpha beta gamma delta", 12), "alpha beta…");
        // A multi-byte character at the cut does not split.
        assert_eq!(one_line("ééééé ééééé", 8), "ééééé…");
    }
}
