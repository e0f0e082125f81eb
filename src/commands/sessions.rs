//! `mockround sessions [list | show ID]`: past rounds from the journals in
//! the data dir, newest first; `--json` for machines.

use crate::cli::{SessionsAction, SessionsArgs};
use crate::error::{AppError, EXIT_OK};
use crate::transcript::{self, debrief_paths, list_sessions, read_journal, render_transcript};

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
            println!(
                "{:<40} {:<26} {:<17} {:>5} {:>6} {:>5}",
                "ID", "PROBLEM", "STARTED (UTC)", "TURNS", "LEVEL", "SCORE"
            );
            for r in rows {
                let level = r.level.map_or_else(|| "-".to_string(), |l| l.to_string());
                let score = r.overall.map_or_else(|| "-".to_string(), |s| s.to_string());
                println!(
                    "{:<40} {:<26} {:<17} {:>5} {:>6} {:>5}{}",
                    r.id,
                    r.problem,
                    r.started_at.format("%Y-%m-%d %H:%M"),
                    r.turns,
                    level,
                    score,
                    if r.finished {
                        ""
                    } else {
                        "  (unfinished: --resume)"
                    }
                );
            }
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
