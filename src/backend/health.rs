//! Pieces of `doctor` shared by the HTTP backends.

use std::time::Instant;

use futures::StreamExt;

use super::{
    BackendError, ChatMessage, ChatRequest, ChatStream, HealthCheck, HttpBackendSettings,
    StreamEvent,
};

/// A failed check in `doctor`'s words: the same errors as elsewhere, but
/// never advice to run `doctor` (the command that is running).
pub(crate) fn check_detail(e: &BackendError) -> String {
    match e {
        BackendError::Connect { url, detail } => format!(
            "could not connect to {url}: {detail}. Is the server running, and is the base URL right?"
        ),
        BackendError::RetriesExhausted { attempts, last } => {
            format!("gave up after {attempts} attempts: {}", check_detail(last))
        }
        other => other.to_string(),
    }
}

/// Whether the key the backend needs is there, checked before any request:
/// `None` when it needs none. A hosted API with no key fails here, naming
/// the variable to set; a local server only gets a note, since most need
/// no key.
pub(crate) fn key_check(settings: &HttpBackendSettings) -> Option<HealthCheck> {
    let var = settings.api_key_env.as_deref()?;
    if settings
        .api_key
        .as_deref()
        .is_some_and(|k| !k.trim().is_empty())
    {
        return Some(HealthCheck {
            name: "API key".into(),
            ok: true,
            detail: format!("read from `{var}` (or the profile's api_key_file)"),
            elapsed_ms: 0,
        });
    }
    if is_hosted(&settings.base_url) {
        return Some(HealthCheck {
            name: "API key".into(),
            ok: false,
            detail: format!(
                "`{var}` is unset. Set it (`export {var}=sk-...`) or name a file holding the key \
                 with `api_key_file` in the profile; or point --base-url (or OPENAI_BASE_URL) at \
                 a local OpenAI-compatible server; or use --backend ollama or --backend offline"
            ),
            elapsed_ms: 0,
        });
    }
    Some(HealthCheck {
        name: "API key".into(),
        ok: true,
        detail: format!("none set in `{var}`; local servers usually need none"),
        elapsed_ms: 0,
    })
}

/// A hosted API that always needs a key (as opposed to a local server).
pub(crate) fn is_hosted(base_url: &str) -> bool {
    base_url.contains("api.openai.com")
}

/// The smallest real request: one token, streamed, so the check exercises
/// the same path an interview does.
pub(crate) fn one_token_request() -> ChatRequest {
    ChatRequest {
        max_tokens: Some(1),
        temperature: Some(0.0),
        ..ChatRequest::new(vec![ChatMessage::user("Reply with the single word: ok")])
    }
}

/// Runs a one-token streamed reply and reports time to first delta and total.
pub(crate) async fn one_token_check<F>(open: F) -> HealthCheck
where
    F: std::future::Future<Output = Result<ChatStream, BackendError>>,
{
    let started = Instant::now();
    let outcome = async {
        let mut stream = open.await?;
        let mut first = None;
        let mut text = String::new();
        while let Some(ev) = stream.next().await {
            if let StreamEvent::Delta(d) = ev? {
                first.get_or_insert_with(|| started.elapsed());
                text.push_str(&d);
            }
        }
        Ok::<_, BackendError>((first, text))
    }
    .await;
    let elapsed = started.elapsed();
    let elapsed_ms = elapsed.as_millis() as u64;
    match outcome {
        Ok((first, text)) => HealthCheck {
            name: "one-token streamed reply".into(),
            ok: true,
            detail: match first {
                Some(ttft) => format!(
                    "first text after {} ms, done after {} ms (reply: {:?})",
                    ttft.as_millis(),
                    elapsed_ms,
                    text.chars().take(40).collect::<String>()
                ),
                None => format!(
                    "the stream completed in {elapsed_ms} ms but carried no text (some reasoning models spend the first token thinking)"
                ),
            },
            elapsed_ms,
        },
        Err(e) => HealthCheck {
            name: "one-token streamed reply".into(),
            ok: false,
            detail: check_detail(&e),
            elapsed_ms,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_connect_in_doctor_does_not_point_back_at_doctor() {
        let e = BackendError::RetriesExhausted {
            attempts: 3,
            last: Box::new(BackendError::Connect {
                url: "http://127.0.0.1:9/v1/models".into(),
                detail: "connection refused".into(),
            }),
        };
        let text = check_detail(&e);
        assert!(!text.contains("doctor"), "{text}");
        assert_eq!(text.matches("http://127.0.0.1:9").count(), 1, "{text}");
    }
}
