//! The Ollama backend, on Ollama's native API: `POST {host}/api/chat`.
//!
//! The native API (rather than Ollama's `/v1`) is used because it takes
//! `options.num_ctx` and `keep_alive`: without them Ollama silently truncates
//! long interview transcripts to its small default context and unloads the
//! model between turns. Replies stream as NDJSON.

use std::time::Instant;

use async_trait::async_trait;
use serde::Deserialize;
use serde_json::{json, Map, Value};

use super::health::{one_token_check, one_token_request};
use super::http::HttpCore;
use super::ndjson::NdjsonDecoder;
use super::status::{json_message, StatusContext};
use super::stream::{event_stream, WireDecoder};
use super::*;

/// The port Ollama listens on when `OLLAMA_HOST` names none.
pub const DEFAULT_OLLAMA_PORT: u16 = 11434;

/// Reads an `OLLAMA_HOST`-style value the way Ollama's own clients do, so the
/// variable means here what it means to `ollama` itself: no scheme means
/// `http` on port 11434, an explicit `http://`/`https://` defaults to 80/443,
/// an empty host is 127.0.0.1, and a trailing slash is dropped. Unlike the
/// official clients, a bind-all address (`0.0.0.0`, `::`), which people copy
/// from the server's own `OLLAMA_HOST`, is turned into loopback because it
/// is not an address a client can portably connect to.
pub fn normalize_ollama_host(raw: &str) -> Result<String, BackendError> {
    let bad = |why: &str| {
        BackendError::Config(format!(
            "OLLAMA_HOST / Ollama host `{raw}` {why}; use e.g. `127.0.0.1:11434` or `http://gpu-box:11434`"
        ))
    };
    let s = raw.trim();
    let (scheme, rest, default_port) = match s.split_once("://") {
        None => ("http", s, DEFAULT_OLLAMA_PORT),
        Some((scheme, rest)) => match scheme.to_ascii_lowercase().as_str() {
            "http" => ("http", rest, 80),
            "https" => ("https", rest, 443),
            _ => return Err(bad("has a scheme other than http or https")),
        },
    };
    let (hostport, path) = match rest.split_once('/') {
        Some((hp, path)) => (hp, path.trim_matches('/')),
        None => (rest, ""),
    };
    let (host, port) = if let Some(inner) = hostport.strip_prefix('[') {
        let (h, after) = inner
            .split_once(']')
            .ok_or_else(|| bad("opens an IPv6 `[` without closing it"))?;
        let port = match after {
            "" => None,
            p => Some(
                p.strip_prefix(':')
                    .ok_or_else(|| bad("has text after the IPv6 address"))?,
            ),
        };
        (format!("[{h}]"), port)
    } else if hostport.matches(':').count() > 1 {
        (format!("[{hostport}]"), None)
    } else {
        match hostport.split_once(':') {
            Some((h, p)) => (h.to_string(), Some(p)),
            None => (hostport.to_string(), None),
        }
    };
    let host = match host.as_str() {
        "" | "0.0.0.0" => "127.0.0.1".to_string(),
        "[::]" | "[0:0:0:0:0:0:0:0]" => "[::1]".to_string(),
        _ => host,
    };
    let port = match port {
        None | Some("") => default_port,
        Some(p) => p
            .parse::<u16>()
            .map_err(|_| bad("has a port that is not a number from 0 to 65535"))?,
    };
    let url = if path.is_empty() {
        format!("{scheme}://{host}:{port}")
    } else {
        format!("{scheme}://{host}:{port}/{path}")
    };
    reqwest::Url::parse(&url).map_err(|e| bad(&format!("is not a valid address ({e})")))?;
    Ok(url)
}

/// A chat backend for a local or remote Ollama server.
pub struct OllamaBackend {
    core: HttpCore,
    host: String,
    chat_url: String,
}

impl std::fmt::Debug for OllamaBackend {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("OllamaBackend")
            .field("settings", &self.core.settings)
            .finish()
    }
}

impl OllamaBackend {
    /// Normalises the host and builds the client.
    pub fn new(settings: HttpBackendSettings) -> Result<Self, BackendError> {
        let host = normalize_ollama_host(&settings.base_url)?;
        if settings.model.trim().is_empty() {
            return Err(BackendError::Config(
                "no model name is set; pass --model (e.g. `llama3.1:8b`) or set `model` in the profile".into(),
            ));
        }
        Ok(Self {
            chat_url: format!("{host}/api/chat"),
            host,
            core: HttpCore::new(settings)?,
        })
    }

    fn ctx(&self) -> StatusContext {
        self.core.status_context(
            &self.chat_url,
            format!(
                "Download it with `ollama pull {}`",
                self.core.settings.model
            ),
        )
    }

    fn body(&self, req: &ChatRequest, stream: bool) -> Value {
        request_body(&self.core.settings, req, stream)
    }
}

/// The `/api/chat` body: sampling settings go in `options`, JSON mode in
/// `format` (the schema itself, or `"json"`).
pub fn request_body(settings: &HttpBackendSettings, req: &ChatRequest, stream: bool) -> Value {
    let mut options = Map::new();
    if let Some(t) = req.temperature {
        options.insert("temperature".into(), json!(t));
    }
    if let Some(n) = settings.context_tokens {
        options.insert("num_ctx".into(), json!(n));
    }
    if let Some(seed) = req.seed {
        options.insert("seed".into(), json!(seed));
    }
    if let Some(n) = req.max_tokens {
        options.insert("num_predict".into(), json!(n));
    }
    let messages = match settings.system_role {
        SystemRole::Fold => json!(fold::fold_system(&req.messages)),
        SystemRole::Native => json!(req.messages),
    };
    let mut body = json!({
        "model": settings.model,
        "messages": messages,
        "stream": stream,
    });
    if !options.is_empty() {
        body["options"] = Value::Object(options);
    }
    if let Some(mode) = &req.json {
        body["format"] = mode.schema.clone().unwrap_or_else(|| json!("json"));
    }
    if let Some(k) = &settings.keep_alive {
        body["keep_alive"] = json!(k);
    }
    body
}

#[derive(Deserialize)]
struct LineWire {
    #[serde(default)]
    model: Option<String>,
    #[serde(default)]
    message: Option<MessageWire>,
    #[serde(default)]
    done: bool,
    #[serde(default)]
    prompt_eval_count: Option<u32>,
    #[serde(default)]
    eval_count: Option<u32>,
    #[serde(default)]
    error: Option<Value>,
}

#[derive(Deserialize)]
struct MessageWire {
    #[serde(default)]
    content: Option<String>,
}

impl LineWire {
    fn usage(&self) -> Option<Usage> {
        if self.prompt_eval_count.is_none() && self.eval_count.is_none() {
            return None;
        }
        Some(Usage {
            prompt_tokens: self.prompt_eval_count.unwrap_or(0),
            completion_tokens: self.eval_count.unwrap_or(0),
        })
    }

    fn server_error(&self) -> Option<BackendError> {
        let err = self.error.as_ref()?;
        Some(BackendError::Server(
            json_message(&json!({ "error": err })).unwrap_or_else(|| err.to_string()),
        ))
    }
}

/// Parses a `stream: false` reply.
pub fn parse_reply(body: &[u8], model: &str) -> Result<ChatReply, BackendError> {
    let wire: LineWire = serde_json::from_slice(body).map_err(|e| {
        BackendError::Protocol(format!(
            "the /api/chat reply is not the expected JSON ({e}): {:?}",
            String::from_utf8_lossy(&body[..body.len().min(200)])
        ))
    })?;
    if let Some(err) = wire.server_error() {
        return Err(err);
    }
    let usage = wire.usage();
    let content = wire.message.and_then(|m| m.content).ok_or_else(|| {
        BackendError::Protocol("the /api/chat reply has no `message.content`".into())
    })?;
    Ok(ChatReply {
        content,
        usage,
        model: wire.model.unwrap_or_else(|| model.to_string()),
    })
}

/// NDJSON → chat events; the `done: true` line carries the token counts.
#[derive(Default)]
pub struct OllamaStreamDecoder {
    ndjson: NdjsonDecoder,
    lines: Vec<LineWire>,
    done: bool,
}

impl OllamaStreamDecoder {
    fn drain(&mut self, out: &mut Vec<StreamEvent>) -> Result<bool, BackendError> {
        for line in self.lines.drain(..) {
            if self.done {
                break;
            }
            if let Some(err) = line.server_error() {
                return Err(err);
            }
            if let Some(text) = line.message.as_ref().and_then(|m| m.content.as_deref()) {
                if !text.is_empty() {
                    out.push(StreamEvent::Delta(text.to_string()));
                }
            }
            if line.done {
                if let Some(u) = line.usage() {
                    out.push(StreamEvent::Usage(u));
                }
                self.done = true;
            }
        }
        self.lines.clear();
        Ok(self.done)
    }
}

impl WireDecoder for OllamaStreamDecoder {
    fn feed(&mut self, chunk: &[u8], out: &mut Vec<StreamEvent>) -> Result<bool, BackendError> {
        let parsed = self.ndjson.feed(chunk, &mut self.lines);
        let done = self.drain(out)?;
        parsed.map_err(|e| BackendError::Protocol(e.to_string()))?;
        Ok(done)
    }

    fn finish(&mut self, out: &mut Vec<StreamEvent>) -> Result<bool, BackendError> {
        let parsed = self.ndjson.finish(&mut self.lines);
        let done = self.drain(out)?;
        parsed.map_err(|e| BackendError::Protocol(e.to_string()))?;
        Ok(done)
    }

    fn missing_end(&self) -> &'static str {
        "the final `\"done\": true` line"
    }
}

/// True when a name from `/api/tags` is the configured model, allowing for
/// the implicit `:latest` tag on either side.
pub fn same_model(listed: &str, wanted: &str) -> bool {
    let strip = |s: &str| s.strip_suffix(":latest").unwrap_or(s).to_string();
    strip(listed) == strip(wanted)
}

#[async_trait]
impl ChatBackend for OllamaBackend {
    fn kind(&self) -> &'static str {
        "ollama"
    }

    fn model(&self) -> &str {
        &self.core.settings.model
    }

    async fn complete(&self, req: &ChatRequest) -> Result<ChatReply, BackendError> {
        let bytes = self
            .core
            .post_whole(&self.chat_url, &self.body(req, false), &self.ctx())
            .await?;
        parse_reply(&bytes, &self.core.settings.model)
    }

    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, BackendError> {
        let resp = self
            .core
            .post_stream(&self.chat_url, &self.body(req, true), &self.ctx())
            .await?;
        Ok(event_stream(
            resp,
            self.core.settings.timeouts.idle,
            OllamaStreamDecoder::default(),
        ))
    }

    async fn health(&self) -> HealthReport {
        let tags_url = format!("{}/api/tags", self.host);
        let mut checks = Vec::new();
        let started = Instant::now();
        let got = self.core.get_once(&tags_url).await;
        let ms = started.elapsed().as_millis() as u64;
        let body = match got {
            Ok((200..=299, body)) => {
                checks.push(HealthCheck {
                    name: "server reachable".into(),
                    ok: true,
                    detail: format!("GET {tags_url} answered"),
                    elapsed_ms: ms,
                });
                body
            }
            Ok((status, body)) => {
                checks.push(HealthCheck {
                    name: "server reachable".into(),
                    ok: false,
                    detail: format!(
                        "GET {tags_url} answered HTTP {status} ({}); is this an Ollama server?",
                        super::status::server_message(&String::from_utf8_lossy(&body))
                    ),
                    elapsed_ms: ms,
                });
                return self.report(checks);
            }
            Err(e) => {
                checks.push(HealthCheck {
                    name: "server reachable".into(),
                    ok: false,
                    detail: format!(
                        "{} (start it with `ollama serve`)",
                        super::health::check_detail(&e)
                    ),
                    elapsed_ms: ms,
                });
                return self.report(checks);
            }
        };
        let model = &self.core.settings.model;
        let names = tag_names(&body);
        let present = names.iter().any(|n| same_model(n, model));
        checks.push(HealthCheck {
            name: "model pulled".into(),
            ok: present,
            detail: if present {
                format!("`{model}` is in /api/tags")
            } else {
                format!(
                    "`{model}` is not pulled on this server (it has {}); run `ollama pull {model}`",
                    if names.is_empty() {
                        "no models".to_string()
                    } else {
                        names.join(", ")
                    }
                )
            },
            elapsed_ms: 0,
        });
        if !present {
            return self.report(checks);
        }
        checks.push(one_token_check(self.stream(&one_token_request())).await);
        self.report(checks)
    }
}

impl OllamaBackend {
    fn report(&self, checks: Vec<HealthCheck>) -> HealthReport {
        HealthReport {
            kind: "ollama".into(),
            endpoint: self.host.clone(),
            model: self.core.settings.model.clone(),
            checks,
        }
    }
}

fn tag_names(body: &[u8]) -> Vec<String> {
    let v: Value = serde_json::from_slice(body).unwrap_or(Value::Null);
    v.get("models")
        .and_then(Value::as_array)
        .map(|ms| {
            ms.iter()
                .filter_map(|m| m.get("name").or_else(|| m.get("model")))
                .filter_map(Value::as_str)
                .map(str::to_string)
                .collect()
        })
        .unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn latest_tag_is_implicit_on_both_sides() {
        assert!(same_model("llama3:latest", "llama3"));
        assert!(same_model("llama3", "llama3:latest"));
        assert!(same_model("qwen2.5:7b", "qwen2.5:7b"));
        assert!(!same_model("qwen2.5:7b", "qwen2.5"));
    }

    #[test]
    fn error_line_mid_stream_is_a_server_error_after_earlier_text() {
        let mut d = OllamaStreamDecoder::default();
        let mut out = Vec::new();
        let err = d
            .feed(
                b"{\"message\":{\"content\":\"a\"},\"done\":false}\n{\"error\":\"out of memory\"}\n",
                &mut out,
            )
            .expect_err("error line");
        assert_eq!(out, vec![StreamEvent::Delta("a".into())]);
        assert!(matches!(err, BackendError::Server(m) if m == "out of memory"));
    }
}
