//! `mockround rubrics list | show ID | validate [PATH]`.

use crate::cli::{RubricsAction, RubricsArgs};
use crate::error::{AppError, EXIT_OK, EXIT_PARTIAL};
use crate::rubric::{self, Rubric};

use super::Context;

/// List, show or validate rubrics. `validate` exits 1 when it finds errors,
/// printing every one as `file:line:col: message`.
pub fn run(ctx: &Context, args: &RubricsArgs) -> Result<u8, AppError> {
    match &args.action {
        RubricsAction::List => {
            let r = load(ctx)?;
            if ctx.json {
                let problems: Vec<_> = r
                    .problems
                    .iter()
                    .map(|p| serde_json::json!({"id": p.id, "title": p.title, "category": p.category}))
                    .collect();
                let concepts: Vec<_> = r
                    .concepts
                    .iter()
                    .map(|c| serde_json::json!({"id": c.id, "name": c.name, "weight": c.weight}))
                    .collect();
                let signals: Vec<_> = r
                    .signals
                    .iter()
                    .map(|s| serde_json::json!({"id": s.id, "name": s.name}))
                    .collect();
                println!(
                    "{}",
                    serde_json::json!({"version": r.version, "problems": problems, "concepts": concepts, "signals": signals})
                );
            } else {
                print!("{}", rubric::render_list(&r));
            }
            Ok(EXIT_OK)
        }
        RubricsAction::Show { id } => {
            let r = load(ctx)?;
            let text = rubric::render_show(&r, id).map_err(|e| AppError::Usage(e.to_string()))?;
            print!("{text}");
            Ok(EXIT_OK)
        }
        RubricsAction::Validate { path } => {
            let target = path.as_deref().or(ctx.config.rubrics_dir.as_deref());
            let mut errors = match target {
                Some(p) => rubric::validate_path(p),
                None => match Rubric::builtin() {
                    Ok(_) => Vec::new(),
                    Err(e) => vec![e],
                },
            };
            // Cue precision: each concept's and signal's own examples.
            if errors.is_empty() {
                let loaded = match target {
                    Some(p) if p.is_dir() => Rubric::load(Some(p)),
                    _ => Rubric::builtin(),
                };
                if let Ok(r) = loaded {
                    for miss in crate::score::examples::check(&r) {
                        errors.push(example_error(target, &miss));
                    }
                }
            }
            let what = target
                .map(|p| p.display().to_string())
                .unwrap_or_else(|| "built-in rubrics".to_string());
            if ctx.json {
                let errs: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
                println!(
                    "{}",
                    serde_json::json!({"path": what, "ok": errors.is_empty(), "errors": errs})
                );
            } else if errors.is_empty() {
                println!("{what}: ok");
            } else {
                for e in &errors {
                    eprintln!("{e}");
                }
                eprintln!("{what}: {} error(s)", errors.len());
            }
            Ok(if errors.is_empty() {
                EXIT_OK
            } else {
                EXIT_PARTIAL
            })
        }
    }
}

/// The built-in rubric plus the user's directory, if configured.
pub fn load(ctx: &Context) -> Result<Rubric, AppError> {
    Rubric::load(ctx.config.rubrics_dir.as_deref()).map_err(|e| AppError::Other(e.to_string()))
}

/// A cue-precision miss as `file:line:col: message`, pointing at the
/// example in the user's file when it is there, else in the built-in one.
fn example_error(
    target: Option<&std::path::Path>,
    miss: &crate::score::examples::ExampleMiss,
) -> rubric::RubricError {
    let user = target
        .map(|d| d.join(miss.file))
        .filter(|p| p.is_file())
        .and_then(|p| {
            std::fs::read_to_string(&p)
                .ok()
                .map(|t| (p.display().to_string(), t))
        });
    let (path, text) = user.unwrap_or_else(|| {
        (
            format!("rubrics/{}", miss.file),
            rubric::builtin_file(miss.file)
                .unwrap_or_default()
                .to_string(),
        )
    });
    let needle = serde_json::to_string(&miss.example).unwrap_or_default();
    let offset = text.find(&needle).unwrap_or(0);
    rubric::RubricError::at(&path, &text, offset, miss.to_string())
}
