//! The embedded offline backend: no network, no model, deterministic.
//!
//! It never pretends to be a model. Callers check `is_offline()` and run the
//! round from templates and the rubric scorer; if something asks it for text
//! anyway, it answers with a plainly labelled, deterministic summary of the
//! request so the pipeline still runs end to end.

use async_trait::async_trait;
use futures::stream;

use super::*;

/// The offline backend.
#[derive(Debug, Default, Clone)]
pub struct OfflineBackend;

impl OfflineBackend {
    /// The offline backend needs no settings.
    pub fn new() -> Self {
        Self
    }

    fn reply_text(req: &ChatRequest) -> String {
        let last_user = req
            .messages
            .iter()
            .rev()
            .find(|m| m.role == Role::User)
            .map(|m| m.content.as_str())
            .unwrap_or("");
        let words = last_user.split_whitespace().count();
        if req.json.is_some() {
            serde_json::json!({
                "backend": "offline",
                "note": "no language model is configured; scores come from the rubric scorer alone",
                "words_received": words,
            })
            .to_string()
        } else {
            format!(
                "[offline] No language model is configured, so there is no model reply. \
                 The request had {} message(s); the last user message had {} word(s).",
                req.messages.len(),
                words
            )
        }
    }
}

#[async_trait]
impl ChatBackend for OfflineBackend {
    fn kind(&self) -> &'static str {
        "offline"
    }

    fn model(&self) -> &str {
        "offline"
    }

    fn is_offline(&self) -> bool {
        true
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatReply, BackendError> {
        Ok(ChatReply {
            content: Self::reply_text(req),
            usage: None,
            model: "offline".into(),
        })
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, BackendError> {
        let text = Self::reply_text(req);
        let deltas: Vec<Result<StreamEvent, BackendError>> = text
            .split_inclusive(' ')
            .map(|w| Ok(StreamEvent::Delta(w.to_string())))
            .collect();
        Ok(Box::pin(stream::iter(deltas)))
    }

    async fn health(&self) -> HealthReport {
        HealthReport {
            kind: "offline".into(),
            endpoint: "embedded (no network)".into(),
            model: "offline".into(),
            checks: vec![HealthCheck {
                name: "offline backend".into(),
                ok: true,
                detail: "needs nothing: no network, no model, no key. The interviewer uses templates and scoring uses the rubric scorer alone.".into(),
                elapsed_ms: 0,
            }],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use futures::StreamExt;

    #[tokio::test]
    async fn offline_reply_is_deterministic_and_labelled() {
        let b = OfflineBackend::new();
        let req = ChatRequest::new(vec![ChatMessage::user("hello there")]);
        let a = b.complete(&req).await.expect("offline never fails");
        let c = b.complete(&req).await.expect("offline never fails");
        assert_eq!(a, c);
        assert!(a.content.contains("offline"));
        let streamed: Vec<String> = b
            .stream(&req)
            .await
            .expect("stream")
            .filter_map(|e| async move {
                match e {
                    Ok(StreamEvent::Delta(d)) => Some(d),
                    _ => None,
                }
            })
            .collect()
            .await;
        assert_eq!(streamed.concat(), a.content);
    }
}
