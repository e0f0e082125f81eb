//! Turning an HTTP error status and body into a `BackendError`.
//!
//! One mapping for both HTTP backends, so a 401 from OpenAI and from a local
//! proxy read the same, and so the key never reaches a message: the body is
//! reduced to the server's own message, shortened, and scrubbed of the key.

use std::sync::OnceLock;

use regex::Regex;

use super::BackendError;

/// The most of a server's error body shown in a message.
pub(crate) const MAX_BODY_CHARS: usize = 300;

/// What the mapping needs to know about the request that failed.
#[derive(Clone)]
pub(crate) struct StatusContext {
    pub url: String,
    pub model: String,
    pub key_env: String,
    pub key: Option<String>,
    /// What to do about a 404, in the backend's own terms.
    pub not_found_hint: String,
}

/// Maps a non-success status (and its body) to the error the user sees.
pub(crate) fn status_error(ctx: &StatusContext, status: u16, body: &str) -> BackendError {
    let message = scrub(&server_message(body), ctx.key.as_deref());
    match status {
        401 | 403 => BackendError::Unauthorized {
            status,
            key_env: ctx.key_env.clone(),
        },
        404 => BackendError::ModelNotFound {
            model: ctx.model.clone(),
            url: ctx.url.clone(),
            hint: ctx.not_found_hint.clone(),
        },
        429 => BackendError::Status {
            status,
            url: ctx.url.clone(),
            body: message,
        },
        400 | 422 | 500 if rejects_json_schema(body) => BackendError::Unsupported {
            status,
            feature: "response_format of type json_schema".into(),
            detail: message,
        },
        _ if mentions_context_length(body) => BackendError::ContextLength {
            tokens: context_tokens(body),
            detail: message,
        },
        _ => BackendError::Status {
            status,
            url: ctx.url.clone(),
            body: message,
        },
    }
}

/// True when an error body says the `json_schema` response format was
/// refused (llama-cpp-python answers 500 with a validation error naming
/// `response_format`; others answer 400/422).
pub(crate) fn rejects_json_schema(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    lower.contains("response_format") && lower.contains("json_schema")
}

/// The human part of an error body: `error.message`, `error` or `message`
/// when the body is JSON, the trimmed text otherwise, at most
/// `MAX_BODY_CHARS` characters.
pub(crate) fn server_message(body: &str) -> String {
    let text = match serde_json::from_str::<serde_json::Value>(body) {
        Ok(v) => json_message(&v).unwrap_or_else(|| body.trim().to_string()),
        Err(_) => body.trim().to_string(),
    };
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    shorten(&text, MAX_BODY_CHARS)
}

/// Finds the message in the error shapes servers use in practice.
pub(crate) fn json_message(v: &serde_json::Value) -> Option<String> {
    let err = v.get("error").unwrap_or(v);
    if let Some(s) = err.as_str() {
        return Some(s.to_string());
    }
    for key in ["message", "detail", "msg"] {
        if let Some(s) = err.get(key).and_then(|m| m.as_str()) {
            return Some(s.to_string());
        }
    }
    if v.get("error").is_some() {
        return Some(err.to_string());
    }
    None
}

/// Replaces every occurrence of the key (some servers echo it) with a marker.
/// A message shortened mid-key still holds the key's start, so any run that
/// begins with the key's first 8 characters is redacted as far as it matches.
pub(crate) fn scrub(text: &str, key: Option<&str>) -> String {
    let k = match key {
        Some(k) if !k.is_empty() => k,
        _ => return text.to_string(),
    };
    if !k.is_ascii() {
        return text.replace(k, "[redacted]");
    }
    let (kb, bytes) = (k.as_bytes(), text.as_bytes());
    let head = &kb[..kb.len().min(8)];
    let mut out = String::with_capacity(text.len());
    let (mut last, mut from) = (0, 0);
    while let Some(pos) = memchr::memmem::find(&bytes[from..], head) {
        let start = from + pos;
        let mut len = head.len();
        while len < kb.len() && bytes.get(start + len) == Some(&kb[len]) {
            len += 1;
        }
        // The run is ASCII (it matches the key), so both ends are char boundaries.
        out.push_str(&text[last..start]);
        out.push_str("[redacted]");
        last = start + len;
        from = last;
    }
    out.push_str(&text[last..]);
    out
}

fn shorten(text: &str, max_chars: usize) -> String {
    match text.char_indices().nth(max_chars) {
        Some((cut, _)) => format!("{}…", &text[..cut]),
        None => text.to_string(),
    }
}

/// True when the body is one of the known "prompt too long" errors:
/// OpenAI/vLLM (`context_length_exceeded`, "maximum context length"),
/// llama.cpp ("exceeds the available context size") and Ollama
/// ("exceeds the context length").
pub(crate) fn mentions_context_length(body: &str) -> bool {
    let lower = body.to_ascii_lowercase();
    [
        "context_length_exceeded",
        "maximum context length",
        "exceeds the available context size",
        "exceed_context_size",
        "exceeds the context length",
        "exceeds maximum context length",
        "context length exceeded",
    ]
    .iter()
    .any(|m| lower.contains(m))
}

/// The prompt size in tokens, when the message states it.
pub(crate) fn context_tokens(body: &str) -> Option<u32> {
    static PATTERNS: OnceLock<Vec<Regex>> = OnceLock::new();
    let patterns = PATTERNS.get_or_init(|| {
        [
            r"resulted in (\d+) tokens",
            r"requested (\d+) tokens",
            r#""n_prompt_tokens"\s*:\s*(\d+)"#,
            r"\((\d+) tokens?\)",
            r"input length of (\d+)",
        ]
        .iter()
        .filter_map(|p| Regex::new(p).ok())
        .collect()
    });
    patterns
        .iter()
        .find_map(|re| re.captures(body)?.get(1)?.as_str().parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ctx() -> StatusContext {
        StatusContext {
            url: "http://127.0.0.1:1/v1/chat/completions".into(),
            model: "m".into(),
            key_env: "OPENAI_API_KEY".into(),
            key: Some("sk-secret-123".into()),
            not_found_hint: "check the model".into(),
        }
    }

    #[test]
    fn context_length_messages_from_each_server_are_recognised_with_tokens() {
        let cases = [
            (
                r#"{"error":{"message":"This model's maximum context length is 8192 tokens. However, your messages resulted in 9001 tokens.","code":"context_length_exceeded"}}"#,
                Some(9001),
            ),
            (
                r#"{"object":"error","message":"This model's maximum context length is 4096 tokens. However, you requested 5000 tokens (4000 in the messages, 1000 in the completion).","code":400}"#,
                Some(5000),
            ),
            (
                r#"{"error":{"code":400,"message":"the request exceeds the available context size, try increasing it","type":"exceed_context_size_error","n_prompt_tokens":4242,"n_ctx":4096}}"#,
                Some(4242),
            ),
            (
                r#"{"error":"the input length exceeds the context length"}"#,
                None,
            ),
        ];
        for (body, tokens) in cases {
            match status_error(&ctx(), 400, body) {
                BackendError::ContextLength { tokens: t, .. } => assert_eq!(t, tokens, "{body}"),
                other => panic!("{body} mapped to {other:?}"),
            }
        }
    }

    #[test]
    fn echoed_key_is_scrubbed_and_body_shortened() {
        let body = format!(
            r#"{{"error":{{"message":"Incorrect API key provided: sk-secret-123. {}"}}}}"#,
            "x".repeat(1000)
        );
        let err = status_error(&ctx(), 418, &body);
        let text = err.to_string();
        assert!(!text.contains("sk-secret-123"), "{text}");
        assert!(text.contains("[redacted]"));
        assert!(text.chars().count() < MAX_BODY_CHARS + 100, "{text}");
    }

    #[test]
    fn unauthorized_names_the_env_var_not_the_key() {
        let text = status_error(&ctx(), 401, "sk-secret-123 is wrong").to_string();
        assert!(text.contains("$OPENAI_API_KEY"), "{text}");
        assert!(!text.contains("sk-secret-123"));
    }
}
