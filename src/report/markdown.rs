//! The Markdown summary of a batch: what a reviewer pastes into a ticket
//! or a pull request.

use std::fmt::Write;

use crate::report::summary::{CriterionStats, Summary};
use crate::rubric::Level;

/// Escape the characters that break a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

fn criteria_table(out: &mut String, title: &str, stats: &[CriterionStats]) {
    if stats.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n## {title}\n");
    let _ = writeln!(
        out,
        "| {title} | Covered | Mean final | Mean evidence | Mean judge | Disagreements |"
    );
    let _ = writeln!(out, "|---|---:|---:|---:|---:|---:|");
    for s in stats {
        let judge = s
            .mean_judge()
            .map(|j| format!("{j:.2}"))
            .unwrap_or_else(|| "–".into());
        let _ = writeln!(
            out,
            "| {} | {:.0}% | {:.2} | {:.2} | {judge} | {} |",
            cell(&s.name),
            s.coverage() * 100.0,
            s.mean_final(),
            s.mean_evidence(),
            s.disagreements
        );
    }
}

/// The whole summary.
pub fn render(s: &Summary) -> String {
    let mut out = String::from("# mockround grade summary\n\n");
    let _ = writeln!(
        out,
        "- Rows: **{}** ({} graded, {} could not be graded)",
        s.rows, s.graded, s.errors
    );
    let _ = writeln!(out, "- Mean overall: **{:.1}** / 100", s.mean_overall());
    let judge: Vec<String> = s.judge.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(out, "- Judge: {}", judge.join(", "));
    let _ = writeln!(
        out,
        "- Tokens: {} prompt, {} completion",
        s.prompt_tokens, s.completion_tokens
    );
    let _ = writeln!(
        out,
        "\n## Levels\n\n| Level | Answers | Share |\n|---|---:|---:|"
    );
    for l in [Level::L3, Level::L4, Level::L5, Level::L6] {
        let n = s.levels.get(&l).copied().unwrap_or(0);
        let share = if s.graded == 0 {
            0.0
        } else {
            n as f64 * 100.0 / s.graded as f64
        };
        let _ = writeln!(out, "| {l} | {n} | {share:.0}% |");
    }
    criteria_table(&mut out, "Concepts", &s.concepts);
    criteria_table(&mut out, "Signals", &s.signals);
    if !s.listed_disagreements.is_empty() {
        let _ = writeln!(
            out,
            "\n## Judge and evidence disagree\n\n| Answer | Criterion | Evidence | Judge |\n|---|---|---:|---:|"
        );
        for d in &s.listed_disagreements {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} |",
                cell(&d.id),
                cell(&d.criterion),
                d.evidence,
                d.judge
            );
        }
    }
    if !s.listed_errors.is_empty() {
        let _ = writeln!(out, "\n## Errors\n\n| Input | Error |\n|---|---|");
        for (id, e) in &s.listed_errors {
            let _ = writeln!(out, "| {} | {} |", cell(id), cell(e));
        }
        if s.listed_errors.len() as u64 >= crate::report::summary::MAX_LISTED as u64 {
            let _ = writeln!(
                out,
                "\n(first {} shown; see the JSONL for all)",
                s.listed_errors.len()
            );
        }
    }
    out
}
