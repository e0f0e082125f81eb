//! `mockround sessions [list | show ID]`: past rounds from the journals in
//! the data dir, newest first; `--json` for machines.

use unicode_width::UnicodeWidthStr;

use crate::cli::{SessionsAction, SessionsArgs};
use crate::error::{AppError, EXIT_OK};
use crate::transcript::{
    self, debrief_paths, list_sessions, read_journal, render_transcript, SessionSummary,
};

use super::Context;

/// List sessions or show one.
pub fn run(ctx: &Context, args: &SessionsArgs) -> Result<u8, AppError> {
    let data_dir = &ctx.config.data_dir;
    match args.action.as_ref().unwrap_or(&SessionsAction::List) {
        SessionsAction::List => {
            let (rows, warnings) = list_sessions(data_dir);
            for w in &warnings {
                eprintln!("warning: {w}");
            }
            if ctx.json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(&rows)
                        .map_err(|e| AppError::Other(e.to_string()))?
                );
                return Ok(EXIT_OK);
            }
            if rows.is_empty() {
                println!(
                    "No sessions yet in {}. Start one with `mockround practice`.",
                    transcript::sessions_dir(data_dir).display()
                );
                return Ok(EXIT_OK);
            }
            print!("{}", table(&rows));
            Ok(EXIT_OK)
        }
        SessionsAction::Show { id } => {
            let path =
                transcript::resolve(data_dir, id).map_err(|e| AppError::Usage(e.to_string()))?;
            let read = read_journal(&path).map_err(|e| AppError::Other(e.to_string()))?;
            for w in &read.warnings {
                eprintln!("warning: {w}");
            }
            let sid = transcript::summarise(&read)
                .map(|s| s.id)
                .unwrap_or_default();
            let (md, json) = debrief_paths(data_dir, &sid);
            if ctx.json {
                let debrief: Option<serde_json::Value> = std::fs::read_to_string(&json)
                    .ok()
                    .and_then(|s| serde_json::from_str(&s).ok());
                println!(
                    "{}",
                    serde_json::json!({"id": sid, "records": read.records, "debrief": debrief})
                );
                return Ok(EXIT_OK);
            }
            print!("{}", render_transcript(&read.records));
            match std::fs::read_to_string(&md) {
                Ok(s) => println!("\n{s}"),
                Err(_) => println!(
                    "\n(no debrief yet: the round was not finished; continue it with `mockround practice --resume {sid}`)"
                ),
            }
            Ok(EXIT_OK)
        }
    }
}

/// The sessions as a table whose columns fit their longest value, so long
/// ids and problem names (`payments-reconciliation`) never push a row out of
/// line.
fn table(rows: &[SessionSummary]) -> String {
    let header = ["ID", "PROBLEM", "STARTED (UTC)", "TURNS", "LEVEL", "SCORE"];
    let cells: Vec<[String; 6]> = rows
        .iter()
        .map(|r| {
            [
                r.id.clone(),
                r.problem.clone(),
                r.started_at.format("%Y-%m-%d %H:%M").to_string(),
                r.turns.to_string(),
                r.level.map_or_else(|| "-".to_string(), |l| l.to_string()),
                r.overall.map_or_else(|| "-".to_string(), |s| s.to_string()),
            ]
        })
        .collect();
    let mut widths = header.map(UnicodeWidthStr::width);
    for row in &cells {
        for (w, c) in widths.iter_mut().zip(row) {
            *w = (*w).max(c.width());
        }
    }
    // Text columns align left, numbers right.
    let right = [false, false, false, true, true, true];
    let line = |cols: &[&str], note: &str| {
        let mut out = String::new();
        for (i, c) in cols.iter().enumerate() {
            let pad = " ".repeat(widths[i].saturating_sub(c.width()));
            if i > 0 {
                out.push_str("  ");
            }
            if right[i] {
                out.push_str(&pad);
                out.push_str(c);
            } else {
                out.push_str(c);
                out.push_str(&pad);
            }
        }
        let mut out = out.trim_end().to_string();
        out.push_str(note);
        out.push('\n');
        out
    };
    let mut out = line(&header, "");
    for (r, c) in rows.iter().zip(&cells) {
        let cols: Vec<&str> = c.iter().map(String::as_str).collect();
        let note = if r.finished {
            String::new()
        } else {
            format!("  (unfinished: mockround practice --resume {})", r.id)
        };
        out.push_str(&line(&cols, &note));
    }
    out
}
