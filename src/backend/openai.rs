//! The OpenAI-compatible backend: `POST {base_url}/chat/completions`.
//!
//! One implementation serves OpenAI, vLLM, llama.cpp's server, LM Studio and
//! Ollama's `/v1`, so it reads the wire format tolerantly: usage may be
//! missing, the usage chunk has `choices: []`, deltas may carry only a role
//! or `content: null`, and errors can arrive in-band as an SSE event.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Value};

use super::health::{one_token_check, one_token_request};
use super::http::HttpCore;
use super::sse::{SseDecoder, SseEvent};
use super::status::{json_message, StatusContext};
use super::stream::{event_stream, WireDecoder};
use super::*;

const NOT_FOUND_HINT: &str = "check the model name with `GET /v1/models` or --model";

/// A chat backend for any server that speaks the OpenAI chat completions API.
pub struct OpenAiBackend {
    core: HttpCore,
    chat_url: String,
    models_url: String,
    /// Set once the server refused `response_format: json_schema`; later JSON
    /// requests go straight to `json_object` (with the schema attached, which
    /// llama.cpp-based servers use as a grammar).
    schema_refused: AtomicBool,
}

impl std::fmt::Debug for OpenAiBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OpenAiBackend")
            .field("settings", &self.core.settings)
            .finish()
    }
}

impl OpenAiBackend {
    /// Validates the base URL and builds the client.
    pub fn new(settings: HttpBackendSettings) -> Result<Self, BackendError> {
        let base = settings.base_url.trim().trim_end_matches('/').to_string();
        let parsed = reqwest::Url::parse(&base).map_err(|e| {
            BackendError::Config(format!(
                "base URL `{base}` is not a URL ({e}); use e.g. `https://api.openai.com/v1` or `http://127.0.0.1:8080/v1`"
            ))
        })?;
        if !matches!(parsed.scheme(), "http" | "https") {
            return Err(BackendError::Config(format!(
                "base URL `{base}` must start with http:// or https://"
            )));
        }
        if settings.model.trim().is_empty() {
            return Err(BackendError::Config(
                "no model name is set; pass --model or set `model` in the profile".into(),
            ));
        }
        Ok(Self {
            chat_url: format!("{base}/chat/completions"),
            models_url: format!("{base}/models"),
            core: HttpCore::new(settings)?,
            schema_refused: AtomicBool::new(false),
        })
    }

    /// The body for `req`, downgraded to `json_object` if the server has
    /// refused `json_schema` before.
    fn body(&self, req: &ChatRequest, stream: bool) -> Value {
        let mut body = request_body(&self.core.settings.model, req, stream);
        if self.core.settings.system_role == SystemRole::Fold {
            body["messages"] = json!(fold::fold_system(&req.messages));
        }
        if self.schema_refused.load(Ordering::Relaxed) {
            downgrade_json_schema(&mut body);
        }
        body
    }

    /// Sends `send(body)`; when the server refuses `json_schema`, remembers
    /// that and sends once more with `json_object`.
    async fn with_schema_fallback<T, F, Fut>(
        &self,
        req: &ChatRequest,
        stream: bool,
        send: F,
    ) -> Result<T, BackendError>
    where
        F: Fn(Value) -> Fut,
        Fut: std::future::Future<Output = Result<T, BackendError>>,
    {
        let body = self.body(req, stream);
        let had_schema = body["response_format"]["type"] == "json_schema";
        match send(body).await {
            Err(BackendError::Unsupported { .. }) if had_schema => {
                self.schema_refused.store(true, Ordering::Relaxed);
                send(self.body(req, stream)).await
            }
            other => other,
        }
    }

    fn ctx(&self) -> StatusContext {
        self.core
            .status_context(&self.chat_url, NOT_FOUND_HINT.to_string())
    }
}

/// Rewrites a `json_schema` response format as `json_object` carrying the
/// schema: the form llama-cpp-python's server accepts (it turns the schema
/// into a grammar) and other servers read as plain JSON mode.
pub fn downgrade_json_schema(body: &mut Value) {
    if body["response_format"]["type"] != "json_schema" {
        return;
    }
    let schema = body["response_format"]["json_schema"]["schema"].clone();
    body["response_format"] = json!({ "type": "json_object", "schema": schema });
}

/// The request body exactly as the chat completions API expects it.
pub fn request_body(model: &str, req: &ChatRequest, stream: bool) -> Value {
    let mut body = json!({
        "model": model,
        "messages": req.messages,
        "stream": stream,
    });
    if stream {
        body["stream_options"] = json!({ "include_usage": true });
    }
    if let Some(t) = req.temperature {
        body["temperature"] = json!(t);
    }
    if let Some(n) = req.max_tokens {
        body["max_tokens"] = json!(n);
    }
    if let Some(seed) = req.seed {
        body["seed"] = json!(seed);
    }
    if let Some(mode) = &req.json {
        body["response_format"] = match &mode.schema {
            Some(schema) => json!({
                "type": "json_schema",
                "json_schema": { "name": mode.name, "schema": schema, "strict": true },
            }),
            None => json!({ "type": "json_object" }),
        };
    }
    body
}

#[derive(Deserialize)]
struct UsageWire {
    #[serde(default)]
    prompt_tokens: Option<u32>,
    #[serde(default)]
    completion_tokens: Option<u32>,
}

impl From<UsageWire> for Usage {
    fn from(u: UsageWire) -> Self {
        Usage {
            prompt_tokens: u.prompt_tokens.unwrap_or(0),
            completion_tokens: u.completion_tokens.unwrap_or(0),
        }
    }
}

#[derive(Deserialize)]
struct ReplyWire {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    choices: Option<Vec<ReplyChoice>>,
    #[serde(default)]
    usage: Option<UsageWire>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct ReplyChoice {
    #[serde(default)]
    message: Option<MessageWire>,
}

#[derive(Deserialize)]
struct MessageWire {
    #[serde(default)]
    content: Option<String>,
}

#[derive(Deserialize)]
struct ChunkWire {
    #[serde(default)]
    choices: Option<Vec<ChunkChoice>>,
    #[serde(default)]
    usage: Option<UsageWire>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct ChunkChoice {
    #[serde(default)]
    index: Option<u32>,
    #[serde(default)]
    delta: Option<MessageWire>,
}

fn in_band_error(err: &Value) -> BackendError {
    let wrapped = json!({ "error": err });
    BackendError::Server(json_message(&wrapped).unwrap_or_else(|| err.to_string()))
}

fn preview(text: &str) -> String {
    text.chars().take(200).collect()
}

/// Parses a non-streamed reply body.
pub fn parse_reply(body: &[u8], model: &str) -> Result<ChatReply, BackendError> {
    let wire: ReplyWire = serde_json::from_slice(body).map_err(|e| {
        BackendError::Protocol(format!(
            "the chat completion is not the expected JSON ({e}): {:?}",
            preview(&String::from_utf8_lossy(body))
        ))
    })?;
    if let Some(err) = &wire.error {
        return Err(in_band_error(err));
    }
    let first = wire
        .choices
        .unwrap_or_default()
        .into_iter()
        .next()
        .ok_or_else(|| {
            BackendError::Protocol(
                "the chat completion has no choices, so there is no reply text".into(),
            )
        })?;
    Ok(ChatReply {
        content: first.message.and_then(|m| m.content).unwrap_or_default(),
        usage: wire.usage.map(Usage::from),
        model: wire.model.unwrap_or_else(|| model.to_string()),
    })
}

/// SSE → chat events, tolerant of every server's quirks.
#[derive(Default)]
pub struct OpenAiStreamDecoder {
    sse: SseDecoder,
    events: Vec<SseEvent>,
    usage: Option<Usage>,
    done: bool,
}

impl OpenAiStreamDecoder {
    fn handle(&mut self, ev: &SseEvent, out: &mut Vec<StreamEvent>) -> Result<(), BackendError> {
        let data = ev.data.trim();
        if data == "[DONE]" {
            if let Some(u) = self.usage.take() {
                out.push(StreamEvent::Usage(u));
            }
            self.done = true;
            return Ok(());
        }
        let chunk: ChunkWire = serde_json::from_str(data).map_err(|e| {
            if ev.event.as_deref() == Some("error") {
                return BackendError::Server(preview(data));
            }
            BackendError::Protocol(format!(
                "a stream event is not a chat completion chunk ({e}): {:?}",
                preview(data)
            ))
        })?;
        if let Some(err) = &chunk.error {
            return Err(in_band_error(err));
        }
        if ev.event.as_deref() == Some("error") {
            return Err(BackendError::Server(preview(data)));
        }
        for choice in chunk.choices.unwrap_or_default() {
            if choice.index.unwrap_or(0) != 0 {
                continue;
            }
            if let Some(text) = choice.delta.and_then(|d| d.content) {
                if !text.is_empty() {
                    out.push(StreamEvent::Delta(text));
                }
            }
        }
        if let Some(u) = chunk.usage {
            self.usage = Some(u.into());
        }
        Ok(())
    }

    fn drain(&mut self, out: &mut Vec<StreamEvent>) -> Result<bool, BackendError> {
        let events = std::mem::take(&mut self.events);
        for ev in &events {
            if self.done {
                break;
            }
            self.handle(ev, out)?;
        }
        self.events = events;
        self.events.clear();
        Ok(self.done)
    }
}

impl WireDecoder for OpenAiStreamDecoder {
    fn feed(&mut self, chunk: &[u8], out: &mut Vec<StreamEvent>) -> Result<bool, BackendError> {
        self.sse
            .feed(chunk, &mut self.events)
            .map_err(|e| BackendError::Protocol(e.to_string()))?;
        self.drain(out)
    }

    fn finish(&mut self, out: &mut Vec<StreamEvent>) -> Result<bool, BackendError> {
        self.sse
            .finish(&mut self.events)
            .map_err(|e| BackendError::Protocol(e.to_string()))?;
        self.drain(out)
    }

    fn missing_end(&self) -> &'static str {
        "`data: [DONE]`"
    }
}

#[async_trait]
impl ChatBackend for OpenAiBackend {
    fn kind(&self) -> &'static str {
        "openai"
    }

    fn model(&self) -> &str {
        &self.core.settings.model
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatReply, BackendError> {
        let ctx = self.ctx();
        let bytes = self
            .with_schema_fallback(req, false, |body| {
                let ctx = &ctx;
                async move { self.core.post_whole(&self.chat_url, &body, ctx).await }
            })
            .await?;
        let key = self.core.settings.api_key.as_deref();
        parse_reply(&bytes, &self.core.settings.model).map_err(|e| e.scrubbed(key))
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, BackendError> {
        let ctx = self.ctx();
        let resp = self
            .with_schema_fallback(req, true, |body| {
                let ctx = &ctx;
                async move { self.core.post_stream(&self.chat_url, &body, ctx).await }
            })
            .await?;
        use futures::StreamExt;
        let key = self.core.settings.api_key.clone();
        let events = event_stream(
            resp,
            self.core.settings.timeouts.idle,
            OpenAiStreamDecoder::default(),
        );
        // In-band errors and malformed chunks quote the body, which a
        // server may have filled with the key.
        Ok(Box::pin(events.map(move |item| {
            item.map_err(|e| e.scrubbed(key.as_deref()))
        })))
    }

    async fn health(&self) -> HealthReport {
        let mut checks = Vec::new();
        let started = Instant::now();
        let listed = self.core.get_once(&self.models_url).await;
        let ms = started.elapsed().as_millis() as u64;
        let (status, body) = match listed {
            Ok(v) => v,
            Err(e) => {
                checks.push(HealthCheck {
                    name: "server reachable".into(),
                    ok: false,
                    detail: super::health::check_detail(&e),
                    elapsed_ms: ms,
                });
                return self.report(checks);
            }
        };
        checks.push(HealthCheck {
            name: "server reachable".into(),
            ok: true,
            detail: format!("GET {} answered HTTP {status}", self.models_url),
            elapsed_ms: ms,
        });
        let model = &self.core.settings.model;
        let model_check = match status {
            200..=299 => {
                let ids = model_ids(&body);
                if ids.iter().any(|id| id == model) {
                    (true, format!("`{model}` is listed by GET /models"))
                } else {
                    let shown: Vec<&str> = ids.iter().take(8).map(String::as_str).collect();
                    (
                        false,
                        format!(
                            "`{model}` is not among the {} model(s) the server lists ({}{}); fix --model or the profile",
                            ids.len(),
                            shown.join(", "),
                            if ids.len() > shown.len() { ", …" } else { "" }
                        ),
                    )
                }
            }
            404 | 405 | 501 => (
                true,
                format!(
                    "warning: the server has no GET /models endpoint (HTTP {status}), so `{model}` could not be confirmed; some servers lack it, the reply check below is the real test"
                ),
            ),
            _ => (
                false,
                super::status::status_error(
                    &self.core.status_context(&self.models_url, NOT_FOUND_HINT.into()),
                    status,
                    &String::from_utf8_lossy(&body),
                )
                .to_string(),
            ),
        };
        checks.push(HealthCheck {
            name: "model available".into(),
            ok: model_check.0,
            detail: model_check.1,
            elapsed_ms: 0,
        });
        checks.push(one_token_check(self.stream(&one_token_request())).await);
        self.report(checks)
    }
}

impl OpenAiBackend {
    fn report(&self, checks: Vec<HealthCheck>) -> HealthReport {
        HealthReport {
            kind: "openai".into(),
            endpoint: self.chat_url.clone(),
            model: self.core.settings.model.clone(),
            checks,
        }
    }
}

fn model_ids(body: &[u8]) -> Vec<String> {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    v.get("data")
        .or_else(|| v.get("models"))
        .and_then(Value::as_array)
        .map(|items| {
            items
                .iter()
                .filter_map(|m| {
                    m.get("id")
                        .or_else(|| m.get("name"))
                        .and_then(Value::as_str)
                        .map(str::to_string)
                })
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode(bytes: &[u8]) -> Result<(Vec<StreamEvent>, bool), BackendError> {
        let mut d = OpenAiStreamDecoder::default();
        let mut out = Vec::new();
        let mut done = d.feed(bytes, &mut out)?;
        if !done {
            done = d.finish(&mut out)?;
        }
        Ok((out, done))
    }

    #[test]
    fn tolerates_role_only_null_content_empty_choices_and_late_usage() {
        let stream = concat!(
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\"}}]}\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":null}}]}\n\n",
            ": ping\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Hi\"}}]}\n\n",
            "data: {\"choices\":[{\"index\":0,\"delta\":{},\"finish_reason\":\"stop\"}]}\n\n",
            "data: {\"choices\":[],\"usage\":{\"prompt_tokens\":5,\"completion_tokens\":1}}\n\n",
            "data: [DONE]\n\n",
        );
        let (events, done) = decode(stream.as_bytes()).expect("valid");
        assert!(done);
        assert_eq!(
            events,
            vec![
                StreamEvent::Delta("Hi".into()),
                StreamEvent::Usage(Usage {
                    prompt_tokens: 5,
                    completion_tokens: 1
                })
            ]
        );
    }

    #[test]
    fn in_band_error_event_is_a_server_error() {
        let err = decode(b"data: {\"error\":{\"message\":\"overloaded\"}}\n\n").expect_err("error");
        assert!(
            matches!(&err, BackendError::Server(m) if m == "overloaded"),
            "{err:?}"
        );
    }

    #[test]
    fn empty_choices_in_whole_reply_is_a_protocol_error() {
        let err = parse_reply(br#"{"choices":[]}"#, "m").expect_err("no choices");
        assert!(matches!(err, BackendError::Protocol(_)));
    }

    #[test]
    fn json_schema_mode_builds_response_format() {
        let mut req = ChatRequest::new(vec![ChatMessage::user("x")]);
        req.json = Some(JsonMode {
            name: "score".into(),
            schema: Some(json!({"type":"object"})),
        });
        let body = request_body("m", &req, false);
        assert_eq!(
            body["response_format"],
            json!({"type":"json_schema","json_schema":{"name":"score","schema":{"type":"object"},"strict":true}})
        );
        req.json = Some(JsonMode {
            name: "any".into(),
            schema: None,
        });
        assert_eq!(
            request_body("m", &req, true)["response_format"],
            json!({"type":"json_object"})
        );
    }
}
