//! `mockround progress` for a terminal or a pipe: aligned plain text, with a
//! sparkline beside each trend when stdout is a terminal (a pipe gets the
//! numbers alone, which scripts and diffs read better).

use std::fmt::Write;

use crate::interview::clock::format_mmss;
use crate::progress::history::Source;
use crate::progress::trends::{Progress, Trend, WINDOW};

/// Verdict rows listed; older ones are in `--json` and `--html`.
const VERDICT_ROWS: usize = 10;
/// Attempts drawn in the score sparkline.
const SCORE_SPARK: usize = 40;

const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/// A sparkline of values in `0..=max`; a missing value is a space.
pub fn sparkline(values: &[Option<f64>], max: f64) -> String {
    values
        .iter()
        .map(|v| match v {
            None => ' ',
            Some(x) => {
                let step = (x / max * (BARS.len() - 1) as f64).round();
                BARS[(step.max(0.0) as usize).min(BARS.len() - 1)]
            }
        })
        .collect()
}

fn pad(s: &str, width: usize) -> String {
    let n = s.chars().count();
    format!("{s}{}", " ".repeat(width.saturating_sub(n)))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn trend_table(out: &mut String, title: &str, label: &str, trends: &[Trend], sparklines: bool) {
    let shown: Vec<&Trend> = trends.iter().filter(|t| t.mean.is_some()).collect();
    if shown.is_empty() {
        return;
    }
    let width = shown
        .iter()
        .map(|t| t.name.chars().count())
        .max()
        .unwrap_or(0)
        .max(7);
    let _ = writeln!(
        out,
        "\n{title}, last {WINDOW} attempts (strength 0-4, oldest first)"
    );
    let _ = writeln!(
        out,
        "  {} {}  {:>4}  {:>6}",
        pad(label, width),
        pad("recent", WINDOW * 2 - 1),
        "mean",
        "change"
    );
    for t in shown {
        let recent: Vec<String> = t
            .recent
            .iter()
            .map(|v| v.map_or_else(|| "-".to_string(), |x| x.to_string()))
            .collect();
        let change = t
            .change
            .map_or_else(|| "".to_string(), |c| format!("{c:+}"));
        let mut line = format!(
            "  {} {}  {:>4.1}  {:>6}",
            pad(&t.name, width),
            pad(&recent.join(" "), WINDOW * 2 - 1),
            t.mean.unwrap_or(0.0),
            change
        );
        if sparklines {
            let vals: Vec<Option<f64>> = t.recent.iter().map(|v| v.map(f64::from)).collect();
            line.push_str("  ");
            line.push_str(&sparkline(&vals, 4.0));
        }
        let _ = writeln!(out, "{}", line.trim_end());
    }
}

/// The whole report as text. `sparklines` on a terminal only; `sessions`
/// names where rounds were looked for (shown when there are none).
pub fn render(p: &Progress, sparklines: bool, sessions: &str) -> String {
    let mut out = String::new();
    let attempts = p.verdicts.len();
    if attempts == 0 {
        let _ = writeln!(
            out,
            "No finished rounds yet in {sessions}. Each round you finish with `mockround practice` adds to this record."
        );
    } else {
        let dates: Vec<_> = p.verdicts.iter().filter_map(|v| v.started_at).collect();
        let span = match (dates.first(), dates.last()) {
            (Some(a), Some(b)) => {
                format!(" ({} to {})", a.format("%Y-%m-%d"), b.format("%Y-%m-%d"))
            }
            _ => String::new(),
        };
        let _ = writeln!(
            out,
            "Practice record: {}{span}, {}.",
            plural(p.rounds, "round", "rounds"),
            plural(p.graded_answers, "graded answer", "graded answers")
        );
        let levels: Vec<String> = p
            .levels
            .iter()
            .map(|l| format!("{} {}", l.level, l.count))
            .collect();
        let _ = writeln!(out, "Levels reached: {}", levels.join(", "));
    }
    if !p.unfinished.is_empty() {
        let _ = writeln!(
            out,
            "Not counted: {} (continue one with `mockround practice --resume ID`).",
            plural(p.unfinished.len(), "unfinished round", "unfinished rounds")
        );
    }
    if attempts > 0 {
        let first = attempts.saturating_sub(VERDICT_ROWS);
        let _ = writeln!(
            out,
            "\nVerdicts over time{}",
            if first > 0 {
                format!(
                    " (the last {VERDICT_ROWS} of {attempts}; all of them in --json and --html)"
                )
            } else {
                String::new()
            }
        );
        let pw = p.verdicts[first..]
            .iter()
            .map(|v| v.problem.chars().count())
            .max()
            .unwrap_or(0)
            .max(7);
        let _ = writeln!(
            out,
            "  {}  {}  level  score  focus",
            pad("date", 16),
            pad("problem", pw)
        );
        for v in &p.verdicts[first..] {
            let when = match (v.source, v.started_at) {
                (_, Some(t)) => t.format("%Y-%m-%d %H:%M").to_string(),
                (Source::Graded, None) => "graded answer".to_string(),
                (Source::Round, None) => "-".to_string(),
            };
            let line = format!(
                "  {}  {}  {:<5}  {:>5}  {}",
                pad(&when, 16),
                pad(&v.problem, pw),
                v.level.to_string(),
                v.overall,
                v.focus.as_ref().map_or("", |f| f.as_str())
            );
            let _ = writeln!(out, "{}", line.trim_end());
        }
        if sparklines && attempts > 1 {
            let from = attempts.saturating_sub(SCORE_SPARK);
            let scores: Vec<Option<f64>> = p.verdicts[from..]
                .iter()
                .map(|v| Some(f64::from(v.overall)))
                .collect();
            let _ = writeln!(
                out,
                "  score, last {}: {}",
                scores.len(),
                sparkline(&scores, 100.0)
            );
        }
    }
    trend_table(&mut out, "Concepts", "concept", &p.concepts, sparklines);
    trend_table(&mut out, "Signals", "signal", &p.signals, sparklines);
    if !p.weakest.is_empty() {
        let _ = writeln!(
            out,
            "\nThe {} (recent strength, weighted by how often each comes up in design rounds)",
            match p.weakest.len() {
                1 => "weakest concept",
                2 => "two weakest concepts",
                _ => "three weakest concepts",
            }
        );
        for (i, w) in p.weakest.iter().enumerate() {
            let _ = writeln!(
                out,
                "  {}. {} ({}): {:.1}/4 over {}; comes up in {:.0}% of rounds",
                i + 1,
                w.name,
                w.id,
                w.mean,
                plural(w.attempts, "attempt", "attempts"),
                w.weight * 100.0
            );
        }
    }
    let timed = p.phases.iter().map(|ph| ph.rounds).max().unwrap_or(0);
    if timed > 0 {
        let _ = writeln!(
            out,
            "\nTime per phase against budget, last {} (mean)",
            plural(timed, "timed round", "timed rounds")
        );
        let width = p
            .phases
            .iter()
            .map(|ph| ph.phase.title().chars().count())
            .max()
            .unwrap_or(0);
        let _ = writeln!(
            out,
            "  {}  {:>6}  {:>6}  {:>5}",
            pad("phase", width),
            "used",
            "budget",
            "share"
        );
        for ph in &p.phases {
            let (Some(used), Some(budget), Some(share)) =
                (ph.mean_used_ms, ph.mean_budget_ms, ph.share)
            else {
                continue;
            };
            let mut line = format!(
                "  {}  {:>6}  {:>6}  {:>4.0}%{}",
                pad(ph.phase.title(), width),
                format_mmss(used as i64),
                format_mmss(budget as i64),
                share * 100.0,
                if share > 1.1 {
                    "  over"
                } else if share < 0.5 {
                    "  short"
                } else {
                    ""
                }
            );
            if sparklines {
                let vals: Vec<Option<f64>> = ph.recent.iter().map(|s| Some(s.min(2.0))).collect();
                line.push_str("  ");
                line.push_str(&sparkline(&vals, 2.0));
            }
            let _ = writeln!(out, "{line}");
        }
    }
    if let Some(d) = &p.next_drill {
        let _ = writeln!(
            out,
            "\nNext drill: {} on {} ({})\n  {}\n\n  {}",
            d.concept_name, d.problem, d.problem_title, d.reason, d.command
        );
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparkline_spans_lowest_to_highest_bar_and_leaves_gaps() {
        let s = sparkline(&[Some(0.0), Some(2.0), None, Some(4.0)], 4.0);
        assert_eq!(s, "▁▅ █");
    }
}
