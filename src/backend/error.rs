use std::time::Duration;

use thiserror::Error;

/// Everything that can go wrong talking to a model server. Each message says
/// what happened and what to do next; none ever contains an API key.
#[derive(Debug, Error)]
pub enum BackendError {
    /// Config names a base URL or setting the backend cannot use.
    #[error("backend misconfigured: {0}")]
    Config(String),

    /// TCP connect failed (server not running, wrong port, DNS).
    #[error("could not connect to {url}: {detail}. Is the server running? Check the base URL (`mockround doctor`).")]
    Connect { url: String, detail: String },

    /// No answer within the whole-request timeout.
    #[error("{url} did not answer within {}s; raise `timeouts.request_secs` for slow local models", .after.as_secs())]
    Timeout { url: String, after: Duration },

    /// A stream went silent for longer than the idle timeout.
    #[error("the reply stream stalled: nothing for {}s after {received} bytes; the reply is incomplete", .after.as_secs())]
    IdleTimeout { after: Duration, received: usize },

    /// 401/403.
    #[error("HTTP {status}: the key in ${key_env} was rejected. Set a valid key in ${key_env}, or pick another backend with --backend")]
    Unauthorized { status: u16, key_env: String },

    /// 404 for the model (or the endpoint).
    #[error("HTTP 404: model `{model}` not found at {url}. {hint}")]
    ModelNotFound {
        model: String,
        url: String,
        hint: String,
    },

    /// The prompt does not fit the model's context window.
    #[error("the request does not fit the model's context window{}: {detail}. Lower `context_tokens` in the profile or use a model with a larger context", .tokens.map(|t| format!(" ({t} tokens)")).unwrap_or_default())]
    ContextLength { tokens: Option<u32>, detail: String },

    /// The server rejected a request feature it does not implement (e.g.
    /// llama-cpp-python's server refuses `response_format: json_schema`).
    /// Never retried as is; the backend may retry once without the feature.
    #[error("HTTP {status}: the server does not support {feature}: {detail}")]
    Unsupported {
        status: u16,
        feature: String,
        detail: String,
    },

    /// Any other HTTP error status (after retries, for retryable ones).
    #[error("HTTP {status} from {url}: {body}")]
    Status {
        status: u16,
        url: String,
        body: String,
    },

    /// Retries spent on a retryable failure.
    #[error("gave up after {attempts} attempts: {last}")]
    RetriesExhausted {
        attempts: u32,
        last: Box<BackendError>,
    },

    /// The stream ended or broke before the server said it was done.
    #[error("the reply stream broke after {received} bytes: {detail}; the reply is incomplete")]
    StreamBroken { received: usize, detail: String },

    /// The server sent something that is not the documented wire format.
    #[error("the server sent a reply mockround cannot read: {0}")]
    Protocol(String),

    /// The server reported an error in-band (e.g. an Ollama `{"error": ...}` line).
    #[error("the server reported an error: {0}")]
    Server(String),
}

impl BackendError {
    /// The same error with the key redacted from every message, for errors
    /// built from a reply body a server may have echoed the key into.
    pub(crate) fn scrubbed(self, key: Option<&str>) -> BackendError {
        let s = |t: String| super::status::scrub(&t, key);
        match self {
            Self::Config(t) => Self::Config(s(t)),
            Self::Connect { url, detail } => Self::Connect {
                url: s(url),
                detail: s(detail),
            },
            Self::ContextLength { tokens, detail } => Self::ContextLength {
                tokens,
                detail: s(detail),
            },
            Self::Status { status, url, body } => Self::Status {
                status,
                url: s(url),
                body: s(body),
            },
            Self::RetriesExhausted { attempts, last } => Self::RetriesExhausted {
                attempts,
                last: Box::new(last.scrubbed(key)),
            },
            Self::StreamBroken { received, detail } => Self::StreamBroken {
                received,
                detail: s(detail),
            },
            Self::Protocol(t) => Self::Protocol(s(t)),
            Self::Server(t) => Self::Server(s(t)),
            other => other,
        }
    }

    /// True for failures worth retrying: connection errors, timeouts and
    /// 408/409/429/5xx. 400/401/403/404 never are.
    pub fn is_retryable(&self) -> bool {
        match self {
            Self::Connect { .. } | Self::Timeout { .. } => true,
            Self::Status {
                status: 429, body, ..
            } => !is_quota_exhausted(body),
            Self::Status { status, .. } => {
                matches!(status, 408 | 409) || (500..=599).contains(status)
            }
            _ => false,
        }
    }
}

/// A 429 that says the account is out of quota or credit (OpenAI's
/// `insufficient_quota`): waiting will not help, so it is never retried and
/// the message tells the user to check billing.
pub fn is_quota_exhausted(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("insufficient_quota")
        || lower.contains("exceeded your current quota")
        || lower.contains("check your plan and billing")
}
