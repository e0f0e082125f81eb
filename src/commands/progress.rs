//! `mockround progress [--grades FILE.jsonl] [--html FILE]`: the practice
//! record in the data dir, as text (sparklines on a terminal), `--json`, or
//! a self-contained HTML page.

use crate::cli::ProgressArgs;
use crate::error::{AppError, EXIT_OK};
use crate::grade::results::create_parent_dirs;
use crate::progress::{analyse, html, read_grades, read_rounds, text};
use crate::rubric::Rubric;
use crate::transcript::sessions_dir;

use super::Context;

/// Show the practice record.
pub fn run(ctx: &Context, args: &ProgressArgs) -> Result<u8, AppError> {
    let rubric = Rubric::load(ctx.config.rubrics_dir.as_deref())
        .map_err(|e| AppError::Other(e.to_string()))?;
    let data_dir = &ctx.config.data_dir;
    let mut record = read_rounds(data_dir);
    if let Some(path) = &args.grades {
        let (graded, warnings) = read_grades(path).map_err(|source| AppError::Io {
            path: path.clone(),
            source,
        })?;
        record.attempts.extend(graded);
        record.warnings.extend(warnings);
    }
    for w in &record.warnings {
        eprintln!("warning: {w}");
    }
    let progress = analyse(&record, &rubric);
    if let Some(path) = &args.html {
        create_parent_dirs(path)
            .and_then(|()| std::fs::write(path, html::render(&progress)))
            .map_err(|source| AppError::Io {
                path: path.clone(),
                source,
            })?;
        eprintln!("Wrote {}", path.display());
    }
    if ctx.json {
        println!(
            "{}",
            serde_json::to_string_pretty(&progress).map_err(|e| AppError::Other(e.to_string()))?
        );
    } else {
        print!(
            "{}",
            text::render(
                &progress,
                ctx.stdout_tty,
                &sessions_dir(data_dir).display().to_string()
            )
        );
    }
    Ok(EXIT_OK)
}
