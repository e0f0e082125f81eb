//! `mockround doctor`: real checks of the chosen backend.

use crate::backend;
use crate::config::ConfigSource;
use crate::error::{AppError, EXIT_OK, EXIT_PARTIAL};

use super::Context;

/// Build the backend and run its health checks; exit 1 if any fails.
pub async fn run(ctx: &Context) -> Result<u8, AppError> {
    let b = backend::build(&ctx.config.backend)?;
    let report = b.health().await;
    if ctx.json {
        let v = serde_json::json!({
            "config": ctx.config.source.to_string(),
            "profile": ctx.config.profile,
            "ok": report.ok(),
            "report": report,
        });
        println!("{v}");
    } else {
        let src = match &ctx.config.source {
            ConfigSource::File(p) => format!("config: {}", p.display()),
            ConfigSource::BuiltIn => "config: none found; using built-in defaults".to_string(),
        };
        println!("{src}");
        println!("profile: {}", ctx.config.profile);
        print!("{}", report.render());
        if report.ok() {
            println!("ready: `mockround practice` will use this backend");
        } else {
            println!("not ready: fix the failing check above, or run with --backend offline");
        }
    }
    Ok(if report.ok() { EXIT_OK } else { EXIT_PARTIAL })
}
