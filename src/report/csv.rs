//! CSV for spreadsheets: one line per row, fixed columns then one final
//! strength column per concept and signal. Hand-written because the only
//! rule needed is RFC 4180 quoting (a dozen lines) and the rows are already
//! typed; a CSV crate would add a dependency for no behaviour.

use std::io::Write;

use crate::grade::pipeline::RowSink;
use crate::grade::rows::{JudgeStatus, ResultRow, RowStatus};
use crate::score::judge::{Criterion, CriterionKind};

/// Quote a field when it holds a comma, quote, CR or LF; a field starting
/// with `=`, `+`, `-` or `@` is prefixed with `'` so a spreadsheet does not
/// run an answer id as a formula.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) {
        format!("'{s}")
    } else {
        s.to_string()
    };
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Writes rows as CSV.
pub struct CsvWriter<W: Write> {
    out: W,
    columns: Vec<(CriterionKind, String)>,
}

impl<W: Write> CsvWriter<W> {
    /// Write the header now; one column per criterion, in rubric order.
    pub fn new(mut out: W, criteria: &[Criterion]) -> std::io::Result<Self> {
        let mut header: Vec<String> = [
            "id",
            "source",
            "problem",
            "status",
            "judge_status",
            "overall",
            "evidence_overall",
            "level",
            "disagreements",
            "prompt_tokens",
            "completion_tokens",
            "latency_ms",
            "error",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let columns: Vec<(CriterionKind, String)> =
            criteria.iter().map(|c| (c.kind, c.id.clone())).collect();
        for (kind, id) in &columns {
            let prefix = match kind {
                CriterionKind::Concept => "concept",
                CriterionKind::Signal => "signal",
            };
            header.push(field(&format!("{prefix}:{id}")));
        }
        writeln!(out, "{}", header.join(","))?;
        Ok(Self { out, columns })
    }

    /// One row.
    pub fn write(&mut self, row: &ResultRow) -> std::io::Result<()> {
        let opt = |v: Option<u8>| v.map(|x| x.to_string()).unwrap_or_default();
        let disagreements = row
            .concepts
            .iter()
            .chain(&row.signals)
            .filter(|c| c.disagree)
            .count();
        let mut cells = vec![
            field(&row.id),
            field(&row.source),
            field(row.problem.as_deref().unwrap_or("")),
            match row.status {
                RowStatus::Graded => "graded".into(),
                RowStatus::Error => "error".into(),
            },
            match row.judge_status {
                JudgeStatus::Ok => "ok".into(),
                JudgeStatus::Repaired => "repaired".into(),
                JudgeStatus::Failed => "failed".into(),
                JudgeStatus::None => "none".into(),
            },
            opt(row.overall),
            opt(row.evidence_overall),
            row.level.map(|l| l.to_string()).unwrap_or_default(),
            disagreements.to_string(),
            row.tokens.prompt.to_string(),
            row.tokens.completion.to_string(),
            row.latency_ms.to_string(),
            field(row.error.as_deref().unwrap_or("")),
        ];
        for (kind, id) in &self.columns {
            let v = row
                .criteria(*kind)
                .iter()
                .find(|c| &c.id == id)
                .map(|c| c.final_score.to_string())
                .unwrap_or_default();
            cells.push(v);
        }
        writeln!(self.out, "{}", cells.join(","))
    }

    /// Flush and hand back the writer.
    pub fn finish(mut self) -> std::io::Result<W> {
        self.out.flush()?;
        Ok(self.out)
    }
}

impl<W: Write + Send> RowSink for CsvWriter<W> {
    fn row(&mut self, row: &ResultRow) -> Result<(), String> {
        self.write(row)
            .map_err(|e| format!("CSV: cannot write: {e}"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_are_quoted_and_formulas_defused() {
        assert_eq!(field("plain"), "plain");
        assert_eq!(field("a,b"), "\"a,b\"");
        assert_eq!(field("say \"hi\"\n"), "\"say \"\"hi\"\"\n\"");
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
    }
}
