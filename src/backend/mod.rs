//! Chat backends: the one seam between mockround and a language model.
//!
//! Everything above this module (interview agent, grader, doctor) talks to a
//! `dyn ChatBackend`, so the OpenAI-compatible server, Ollama and the embedded
//! offline backend are interchangeable. The code decides the structure of a
//! round; a backend only supplies wording and judgements.

mod error;
pub mod fold;
pub(crate) mod health;
mod http;
pub mod lines;
pub mod ndjson;
pub mod offline;
pub mod ollama;
pub mod openai;
pub mod retry;
pub mod sse;
mod status;
mod stream;

pub use error::{is_quota_exhausted, BackendError};
pub use fold::SystemRole;
pub use http::is_loopback_url;
pub use ollama::normalize_ollama_host;
pub use retry::{parse_retry_after, RetryPolicy};

use std::pin::Pin;
use std::time::Duration;

use async_trait::async_trait;
use futures::Stream;
use serde::{Deserialize, Serialize};

/// Who said a message; maps 1:1 onto the chat APIs' `role` field.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    System,
    User,
    Assistant,
}

/// One message of a conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChatMessage {
    pub role: Role,
    pub content: String,
}

impl ChatMessage {
    /// A system message (persona, instructions).
    pub fn system(content: impl Into<String>) -> Self {
        Self {
            role: Role::System,
            content: content.into(),
        }
    }
    /// A user message (the candidate, or data handed to a judge).
    pub fn user(content: impl Into<String>) -> Self {
        Self {
            role: Role::User,
            content: content.into(),
        }
    }
    /// An assistant message (what the interviewer said earlier).
    pub fn assistant(content: impl Into<String>) -> Self {
        Self {
            role: Role::Assistant,
            content: content.into(),
        }
    }
}

/// Asks the server for a JSON reply; the schema is sent where the API
/// supports it (OpenAI `response_format`, Ollama `format`) and is always
/// re-validated by the caller, because small models ignore it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct JsonMode {
    /// A short name for the schema (OpenAI requires one).
    pub name: String,
    /// A JSON Schema object, or `None` for "any JSON object".
    pub schema: Option<serde_json::Value>,
}

/// Everything a backend needs for one completion.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, Default)]
pub struct ChatRequest {
    pub messages: Vec<ChatMessage>,
    /// `None` lets the server choose.
    pub temperature: Option<f32>,
    pub max_tokens: Option<u32>,
    /// Sent where the server supports it, for reproducible runs.
    pub seed: Option<u64>,
    /// Reply must be JSON (optionally matching a schema).
    pub json: Option<JsonMode>,
}

impl ChatRequest {
    /// A request with these messages and server defaults for everything else.
    pub fn new(messages: Vec<ChatMessage>) -> Self {
        Self {
            messages,
            ..Self::default()
        }
    }
}

/// Token counts as the server reported them (never estimated here).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Default)]
pub struct Usage {
    pub prompt_tokens: u32,
    pub completion_tokens: u32,
}

/// A whole reply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ChatReply {
    pub content: String,
    /// `None` when the server did not report usage.
    pub usage: Option<Usage>,
    /// The model that answered, as the server named it (or `offline`).
    pub model: String,
}

/// One item of a streamed reply: text deltas in order, then at most one
/// `Usage` at the end when the server gives it.
#[derive(Debug, Clone, PartialEq)]
pub enum StreamEvent {
    Delta(String),
    Usage(Usage),
}

/// A streamed reply. Dropping it cancels the underlying HTTP request,
/// which is what Ctrl-C in the REPL relies on. A stream that breaks
/// mid-way yields `Err(BackendError::StreamBroken { .. })` rather than
/// ending quietly.
pub type ChatStream = Pin<Box<dyn Stream<Item = Result<StreamEvent, BackendError>> + Send>>;

/// What `doctor` learned about a backend.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthReport {
    /// Backend kind: `openai`, `ollama` or `offline`.
    pub kind: String,
    pub endpoint: String,
    pub model: String,
    /// One line per check, in the order run, with its outcome.
    pub checks: Vec<HealthCheck>,
}

impl HealthReport {
    /// True when checks ran and every one passed (a report with no checks
    /// proves nothing, and `render` shows it as a failure).
    pub fn ok(&self) -> bool {
        !self.checks.is_empty() && self.checks.iter().all(|c| c.ok)
    }

    /// Plain-text lines for `doctor`: a header, then one ✓/✗ line per check
    /// with its time and what it found, so a person sees at once which step
    /// failed and what to do.
    pub fn render(&self) -> String {
        let mut out = format!(
            "{} backend, model `{}` at {}\n",
            self.kind, self.model, self.endpoint
        );
        for c in &self.checks {
            out.push_str(&format!(
                "  {} {} ({} ms): {}\n",
                if c.ok { "✓" } else { "✗" },
                c.name,
                c.elapsed_ms,
                c.detail
            ));
        }
        if self.checks.is_empty() {
            out.push_str("  ✗ no checks were run\n");
        }
        out
    }
}

/// One check run by `doctor`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct HealthCheck {
    pub name: String,
    pub ok: bool,
    pub detail: String,
    pub elapsed_ms: u64,
}

/// The seam every model provider implements.
#[async_trait]
pub trait ChatBackend: Send + Sync {
    /// `openai`, `ollama` or `offline`: shown in replies, reports and doctor.
    fn kind(&self) -> &'static str;
    /// The model name requests are sent for (`offline` for the offline backend).
    fn model(&self) -> &str;
    /// True for backends with no language model behind them; callers use
    /// their own templates and the rubric scorer alone.
    fn is_offline(&self) -> bool {
        false
    }
    /// The whole reply.
    async fn complete(&self, req: &ChatRequest) -> Result<ChatReply, BackendError>;
    /// The reply as it is generated.
    async fn stream(&self, req: &ChatRequest) -> Result<ChatStream, BackendError>;
    /// Real checks: reachable, model present, a one-token streamed reply.
    async fn health(&self) -> HealthReport;
}

/// Timeouts shared by the HTTP backends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timeouts {
    /// Establishing the TCP/TLS connection.
    pub connect: Duration,
    /// A whole non-streamed request, and the wait for a stream's headers.
    pub request: Duration,
    /// The longest silence allowed between two chunks of a stream.
    pub idle: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            connect: Duration::from_secs(10),
            request: Duration::from_secs(120),
            idle: Duration::from_secs(60),
        }
    }
}

/// Everything needed to build an HTTP backend, resolved from config,
/// environment and flags by `config.rs`.
#[derive(Clone, PartialEq)]
pub struct HttpBackendSettings {
    /// e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434`.
    pub base_url: String,
    pub model: String,
    /// Name of the environment variable holding the key (never the key itself
    /// in anything that is printed or saved).
    pub api_key_env: Option<String>,
    /// The key, read from `api_key_env` at startup. Never logged.
    pub api_key: Option<String>,
    pub timeouts: Timeouts,
    pub retry: RetryPolicy,
    /// Ollama: `options.num_ctx`; also the context budget for history trimming.
    pub context_tokens: Option<u32>,
    /// Ollama: how long the server keeps the model loaded (e.g. `"5m"`).
    pub keep_alive: Option<String>,
    /// How system messages are sent (folded into the user turn for chat
    /// templates without a system role, such as Gemma's).
    pub system_role: fold::SystemRole,
}

/// Written by hand so the key can never reach a log or an error through
/// `{:?}`: only whether one is set is shown.
impl std::fmt::Debug for HttpBackendSettings {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HttpBackendSettings")
            .field("base_url", &self.base_url)
            .field("model", &self.model)
            .field("api_key_env", &self.api_key_env)
            .field(
                "api_key",
                &match &self.api_key {
                    Some(_) => "<redacted>",
                    None => "<none>",
                },
            )
            .field("timeouts", &self.timeouts)
            .field("retry", &self.retry)
            .field("context_tokens", &self.context_tokens)
            .field("keep_alive", &self.keep_alive)
            .field("system_role", &self.system_role)
            .finish()
    }
}

/// Which backend to build.
#[derive(Debug, Clone, PartialEq)]
pub enum BackendSpec {
    Offline,
    OpenAi(HttpBackendSettings),
    Ollama(HttpBackendSettings),
}

/// Build the backend a resolved config asks for.
pub fn build(spec: &BackendSpec) -> Result<Box<dyn ChatBackend>, BackendError> {
    Ok(match spec {
        BackendSpec::Offline => Box::new(offline::OfflineBackend::new()),
        BackendSpec::OpenAi(s) => Box::new(openai::OpenAiBackend::new(s.clone())?),
        BackendSpec::Ollama(s) => Box::new(ollama::OllamaBackend::new(s.clone())?),
    })
}
