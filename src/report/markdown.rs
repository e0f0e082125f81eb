//! The Markdown summary of a batch: what a reviewer pastes into a ticket
//! or a pull request. After the batch figures, a table of every answer
//! (level, overall, the gap to close first) and a section per answer that
//! says why it got its level, which gates it missed and what would pass
//! them, what it did well (quoted) and what to change (with what an L5
//! answer says there).

use std::fmt::Write;

use crate::grade::rows::ResultRow;
use crate::report::summary::{CriterionStats, Summary};
use crate::report::{graded, one_line, ReportError, Rows};
use crate::rubric::Level;

/// Longest top gap in the table, in characters (the section has it whole).
const GAP_CHARS: usize = 140;
/// Longest quote in a section, in characters.
const QUOTE_CHARS: usize = 280;

/// Escape the characters that break a Markdown table cell.
fn cell(s: &str) -> String {
    s.replace('|', "\\|").replace(['\n', '\r'], " ")
}

/// Text from an answer (or quoting one), safe inline in Markdown: on one
/// line, with every character that could start markup, a link, an HTML
/// tag or a table cell backslash-escaped, so it reads as written.
fn md(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '\n' | '\r' | '\t' => o.push(' '),
            '\\' | '`' | '*' | '_' | '[' | ']' | '<' | '>' | '|' | '#' | '~' | '&' | '!' => {
                o.push('\\');
                o.push(c);
            }
            _ => o.push(c),
        }
    }
    o
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

/// Rubric text (advice, what would pass a gate) with its `code` spans
/// kept as code and the rest escaped as [`md`] does.
fn md_code(s: &str) -> String {
    let parts: Vec<&str> = s.split('`').collect();
    if parts.len() % 2 == 0 {
        // An unpaired backtick: no code spans, escape it all.
        return md(s);
    }
    parts
        .iter()
        .enumerate()
        .map(|(i, p)| {
            if i % 2 == 1 {
                format!("`{}`", p.replace(['\n', '\r'], " "))
            } else {
                md(p)
            }
        })
        .collect()
}

/// The whole report: the batch figures, then the per-answer table and
/// sections, read from `rows` one at a time.
pub fn write(
    out: &mut dyn std::io::Write,
    s: &Summary,
    rows: &dyn Rows,
) -> Result<(), ReportError> {
    let mut head = String::from("# mockround grade summary\n\n");
    let _ = writeln!(
        head,
        "- Rows: **{}** ({} graded, {} could not be graded)",
        s.rows, s.graded, s.errors
    );
    let _ = writeln!(head, "- Mean overall: **{:.1}** / 100", s.mean_overall());
    let judge: Vec<String> = s.judge.iter().map(|(k, v)| format!("{k} {v}")).collect();
    let _ = writeln!(head, "- Judge: {}", judge.join(", "));
    let _ = writeln!(
        head,
        "- Tokens: {} prompt, {} completion",
        s.prompt_tokens, s.completion_tokens
    );
    if s.problem_missing > 0 {
        let _ = writeln!(
            head,
            "- **{} answer(s) had no problem id** and were graded against the generic rubric: pass `--problem ID` or add front matter `problem: ID`",
            s.problem_missing
        );
    }
    let _ = writeln!(
        head,
        "\n## Levels\n\n| Level | Answers | Share |\n|---|---:|---:|"
    );
    for l in [Level::L3, Level::L4, Level::L5, Level::L6] {
        let n = s.levels.get(&l).copied().unwrap_or(0);
        let share = if s.graded == 0 {
            0.0
        } else {
            n as f64 * 100.0 / s.graded as f64
        };
        let _ = writeln!(head, "| {l} | {n} | {share:.0}% |");
    }
    out.write_all(head.as_bytes())?;

    if s.graded > 0 {
        out.write_all(
            b"\n## Answers\n\nThe top gap is the first gate the answer did not pass (the one that kept it from the next level), or its first improvement.\n\n| # | Answer | Problem | Level | Overall | Top gap |\n|---:|---|---|---|---:|---|\n",
        )?;
        for item in graded(rows)? {
            let (n, row) = item?;
            out.write_all(table_line(n, &row).as_bytes())?;
        }
    }

    let mut mid = String::new();
    criteria_table(&mut mid, "Concepts", &s.concepts);
    criteria_table(&mut mid, "Signals", &s.signals);
    if !s.listed_disagreements.is_empty() {
        let _ = writeln!(
            mid,
            "\n## Judge and evidence disagree\n\n| Answer | Criterion | Evidence | Judge |\n|---|---|---:|---:|"
        );
        for d in &s.listed_disagreements {
            let _ = writeln!(
                mid,
                "| {} | {} | {} | {} |",
                md(&d.id),
                cell(&d.criterion),
                d.evidence,
                d.judge
            );
        }
    }
    if s.sampled > 0 {
        let _ = writeln!(
            mid,
            "\n## Judge variance\n\n{} answer(s) were graded on the median of several judge samples (criteria shuffled each time). Criteria whose samples were 2+ points apart:\n",
            s.sampled
        );
        if s.unstable.is_empty() {
            let _ = writeln!(
                mid,
                "None: every criterion's samples agreed within one point."
            );
        } else {
            let _ = writeln!(mid, "| Criterion | Unstable in |\n|---|---:|");
            let mut v: Vec<(&String, &u64)> = s.unstable.iter().collect();
            v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
            for (id, n) in v {
                let _ = writeln!(mid, "| {} | {n} of {} |", cell(id), s.sampled);
            }
        }
    }
    if !s.listed_errors.is_empty() {
        let _ = writeln!(mid, "\n## Errors\n\n| Input | Error |\n|---|---|");
        for (id, e) in &s.listed_errors {
            let _ = writeln!(mid, "| {} | {} |", md(id), md(e));
        }
        if s.listed_errors.len() as u64 >= crate::report::summary::MAX_LISTED as u64 {
            let _ = writeln!(
                mid,
                "\n(first {} shown; see the JSONL for all)",
                s.listed_errors.len()
            );
        }
    }
    out.write_all(mid.as_bytes())?;

    if s.graded > 0 {
        out.write_all(b"\n## Per answer\n")?;
        for item in graded(rows)? {
            let (n, row) = item?;
            out.write_all(section(n, &row).as_bytes())?;
        }
    }
    Ok(())
}

/// The report for rows already in memory (tests, small batches).
pub fn render(s: &Summary, rows: &[ResultRow]) -> String {
    let mut out = Vec::new();
    // Writing to a Vec cannot fail, and in-memory rows cannot be unreadable.
    let _ = write(&mut out, s, &rows);
    String::from_utf8_lossy(&out).into_owned()
}

fn level_and_overall(row: &ResultRow) -> (String, String) {
    (
        row.level
            .map(|l| l.to_string())
            .unwrap_or_else(|| "–".into()),
        row.overall
            .map(|o| o.to_string())
            .unwrap_or_else(|| "–".into()),
    )
}

fn problem_cell(row: &ResultRow) -> String {
    match &row.problem {
        Some(p) => md(p),
        None if row.problem_missing => "none (generic rubric)".into(),
        None => "–".into(),
    }
}

fn table_line(n: usize, row: &ResultRow) -> String {
    let (level, overall) = level_and_overall(row);
    let gap = row
        .top_gap()
        .map(|g| md(&one_line(&g, GAP_CHARS)))
        .unwrap_or_else(|| "–".into());
    format!(
        "| {n} | {} | {} | {level} | {overall} | {gap} |\n",
        md(&row.id),
        problem_cell(row)
    )
}

fn section(n: usize, row: &ResultRow) -> String {
    let (level, overall) = level_and_overall(row);
    let mut o = format!("\n### {n}. {} — {level}, {overall}/100\n\n", md(&row.id));
    match &row.problem {
        Some(p) => {
            let _ = writeln!(o, "Problem: {}.", md(p));
        }
        None if row.problem_missing => {
            let _ = writeln!(
                o,
                "No problem id, so this was graded against the generic rubric. Pass `--problem ID` or add front matter `problem: ID`."
            );
        }
        None => {}
    }
    if !row.brief_missed.is_empty() {
        let missed: Vec<String> = row.brief_missed.iter().map(|m| md(m)).collect();
        let _ = writeln!(
            o,
            "\nThe brief asks for, and the answer never covers: {}.",
            missed.join("; ")
        );
    }
    if let Some(e) = &row.error {
        let _ = writeln!(o, "\nNote: {}", md(e));
    }
    if let Some(sm) = &row.judge_samples {
        let unstable: Vec<String> = sm
            .criteria
            .iter()
            .filter(|c| c.unstable)
            .map(|c| {
                let scores: Vec<String> = c.scores.iter().map(u8::to_string).collect();
                format!("{} ({})", c.id, scores.join(", "))
            })
            .collect();
        let _ = writeln!(
            o,
            "\nJudge samples: {} of {} used{}.",
            sm.used,
            sm.requested,
            if unstable.is_empty() {
                String::new()
            } else {
                format!("; unstable: {}", md(&unstable.join("; ")))
            }
        );
    }
    let Some(v) = &row.verdict else {
        let _ = writeln!(
            o,
            "\nThis row was written before grade rows explained themselves; grade the answer again for reasons and improvements."
        );
        return o;
    };
    if !v.reasons.is_empty() {
        let _ = writeln!(o, "\n**Why {}**\n", v.level);
        for r in &v.reasons {
            let _ = writeln!(o, "- {}", md(r));
        }
    }
    if !v.failed_gates.is_empty() {
        let _ = writeln!(
            o,
            "\n**Gates not passed**\n\n| Level | Gate | What was missing | What would pass it |\n|---|---|---|---|"
        );
        for g in &v.failed_gates {
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                g.level,
                md(&g.gate),
                md(&g.because),
                md_code(&g.to_pass)
            );
        }
    }
    if !row.strengths.is_empty() {
        let _ = writeln!(o, "\n**Strengths**\n");
        for st in &row.strengths {
            let _ = writeln!(
                o,
                "- {} ({}/4): “{}”",
                md(&st.name),
                st.strength,
                md(&one_line(&st.quote, QUOTE_CHARS))
            );
        }
    }
    if !row.improvements.is_empty() {
        let _ = writeln!(o, "\n**Improvements**\n");
        for (i, imp) in row.improvements.iter().enumerate() {
            let _ = writeln!(o, "{}. {}", i + 1, md_code(&imp.text));
            if let Some(l5) = &imp.l5_says {
                let _ = writeln!(
                    o,
                    "   - An L5 answer says: “{}”",
                    md(&one_line(l5, QUOTE_CHARS))
                );
            }
        }
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixtures::{self, HOSTILE};

    /// Cells of a table line, split on the pipes that are not escaped.
    fn cells(line: &str) -> usize {
        let mut n: usize = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => n += 1,
                _ => escaped = false,
            }
        }
        n.saturating_sub(1)
    }

    #[test]
    fn every_answer_gets_a_table_line_and_a_section_that_explains_it() {
        let rows = fixtures::rows();
        let md = render(&fixtures::summary(&rows), &rows);
        assert!(md.contains("| # | Answer | Problem | Level | Overall | Top gap |"));
        assert!(md.contains(
            "| 1 | strong.md | clickstream | L5 | 74 | L6 operations: Operations are missing: who is paged |"
        ));
        assert!(md.contains("| 2 | no-problem.md | none (generic rubric) | L3 | 12 |"));
        let strong = &md[md.find("### 1. strong.md — L5, 74/100").expect("section 1")..];
        let strong = &strong[..strong.find("### 2.").expect("section 2")];
        for part in [
            "**Why L5**",
            "- Uses specific numbers (\"200K events/sec\") in strong.md",
            "| L6 | operations | Operations are missing: who is paged | Add the alert that pages on-call (`lag > 5 min`) |",
            "- Idempotency on writes (4/4): “The load is a MERGE on session\\_id so a rerun is safe.”",
            "1. Add operations: who is paged",
            "   - An L5 answer says: “alert when consumer lag \\> 5 min pages on-call”",
        ] {
            assert!(strong.contains(part), "missing {part:?} in\n{strong}");
        }
        assert!(md.contains("No problem id, so this was graded against the generic rubric"));
        assert!(!md.contains("### 4."), "the error row has no section");
        assert!(md.contains("| bad.md | the answer is empty |"));
    }

    #[test]
    fn answer_text_cannot_break_the_markdown() {
        let rows = fixtures::rows();
        let md = render(&fixtures::summary(&rows), &rows);
        assert!(!md.contains(HOSTILE));
        assert!(!md.contains("<script>") && md.contains("\\<script\\>"));
        assert!(
            !md.contains("[x](") && md.contains("\\[x\\](http"),
            "an answer's link became a link"
        );
        assert!(!md.lines().any(|l| l.starts_with("# not a heading")));
        // Every line of every table keeps its column count.
        let mut in_table = None;
        for line in md.lines() {
            if !line.starts_with('|') {
                in_table = None;
                continue;
            }
            let n = cells(line);
            match in_table {
                None => in_table = Some(n),
                Some(want) => assert_eq!(n, want, "a cell broke out: {line}"),
            }
        }
    }
}
