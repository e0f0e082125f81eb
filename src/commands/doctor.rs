//! `mockround doctor`: real checks of the chosen backend. The key is checked
//! first, without a request: a hosted API with no key stops there, naming
//! the variable to set, instead of failing later with a network error.

use crate::backend::{self, BackendSpec, HealthReport};
use crate::config::ConfigSource;
use crate::error::{AppError, EXIT_OK, EXIT_PARTIAL};

use super::Context;

/// Build the backend and run its health checks; exit 1 if any fails.
pub async fn run(ctx: &Context) -> Result<u8, AppError> {
    let b = backend::build(&ctx.config.backend)?;
    let key = match &ctx.config.backend {
        BackendSpec::OpenAi(s) | BackendSpec::Ollama(s) => {
            backend::health::key_check(s).map(|c| (c, s.base_url.clone()))
        }
        BackendSpec::Offline => None,
    };
    let report = match key {
        // Without a key a hosted API can only refuse: no request is sent.
        Some((check, base_url)) if !check.ok => HealthReport {
            kind: b.kind().to_string(),
            endpoint: base_url,
            model: b.model().to_string(),
            checks: vec![check],
        },
        Some((check, _)) => {
            let mut r = b.health().await;
            r.checks.insert(0, check);
            r
        }
        None => b.health().await,
    };
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
