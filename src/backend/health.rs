//! Pieces of `doctor` shared by the HTTP backends.

use std::time::Instant;

use futures::StreamExt;

use super::{BackendError, ChatMessage, ChatRequest, ChatStream, HealthCheck, StreamEvent};

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
            detail: e.to_string(),
            elapsed_ms,
        },
    }
}
