//! The reliability policy both HTTP backends share: one client with a
//! connect timeout, a whole-request timeout, retries with backoff that
//! happen only before any reply text reached the caller, and error mapping
//! that never leaks the key.

use std::time::{Duration, SystemTime};

use bytes::Bytes;
use reqwest::header::{HeaderMap, RETRY_AFTER};
use serde_json::Value;

use super::retry::{parse_retry_after, run_with_retries, AttemptError};
use super::status::{status_error, StatusContext};
use super::{BackendError, HttpBackendSettings};

/// A configured client plus the settings every request needs.
pub(crate) struct HttpCore {
    client: reqwest::Client,
    pub settings: HttpBackendSettings,
    /// The server is on this machine (a local model): a timeout is not
    /// retried, because the server is still busy with the request.
    local: bool,
}

impl HttpCore {
    /// Builds the client. No whole-client timeout is set: it would also cut
    /// long streams; streams are guarded by the idle timeout instead.
    pub fn new(settings: HttpBackendSettings) -> Result<Self, BackendError> {
        let client = reqwest::Client::builder()
            .connect_timeout(settings.timeouts.connect)
            .user_agent(concat!("mockround/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| BackendError::Config(format!("cannot build the HTTP client: {e}")))?;
        let local = is_loopback_url(&settings.base_url);
        Ok(Self {
            client,
            settings,
            local,
        })
    }

    /// Marks a timeout on a local server as the last attempt.
    fn final_if_local(&self, mut e: AttemptError) -> AttemptError {
        if self.local && matches!(e.error, BackendError::Timeout { .. }) {
            e.last = true;
        }
        e
    }

    /// The status mapping context for a request to `url`.
    pub fn status_context(&self, url: &str, not_found_hint: String) -> StatusContext {
        StatusContext {
            url: url.to_string(),
            model: self.settings.model.clone(),
            key_env: self
                .settings
                .api_key_env
                .clone()
                .unwrap_or_else(|| "OPENAI_API_KEY".to_string()),
            key: self.settings.api_key.clone(),
            not_found_hint,
        }
    }

    fn request(&self, method: reqwest::Method, url: &str) -> reqwest::RequestBuilder {
        let rb = self.client.request(method, url);
        match self.settings.api_key.as_deref() {
            Some(key) if !key.is_empty() => rb.bearer_auth(key),
            _ => rb,
        }
    }

    /// POSTs `body` and returns the whole success body, retrying per policy.
    /// The request timeout covers headers and body together.
    pub async fn post_whole(
        &self,
        url: &str,
        body: &Value,
        ctx: &StatusContext,
    ) -> Result<Bytes, BackendError> {
        let limit = self.settings.timeouts.request;
        run_with_retries(&self.settings.retry, || async {
            let attempt = async {
                let resp = self
                    .request(reqwest::Method::POST, url)
                    .json(body)
                    .send()
                    .await
                    .map_err(|e| send_error(e, url, limit))?;
                let resp = check_status(resp, ctx).await?;
                resp.bytes()
                    .await
                    .map_err(|e| AttemptError::from(send_error(e, url, limit)))
            };
            within(limit, url, attempt)
                .await
                .map_err(|e| self.final_if_local(e))
        })
        .await
    }

    /// POSTs `body` and returns the response once its headers arrived with a
    /// success status. No body byte has been read, so retrying up to here is
    /// invisible to the caller.
    pub async fn post_stream(
        &self,
        url: &str,
        body: &Value,
        ctx: &StatusContext,
    ) -> Result<reqwest::Response, BackendError> {
        let limit = self.settings.timeouts.request;
        run_with_retries(&self.settings.retry, || async {
            let attempt = async {
                let resp = self
                    .request(reqwest::Method::POST, url)
                    .json(body)
                    .send()
                    .await
                    .map_err(|e| send_error(e, url, limit))?;
                check_status(resp, ctx).await
            };
            within(limit, url, attempt)
                .await
                .map_err(|e| self.final_if_local(e))
        })
        .await
    }

    /// One GET without retries, for `doctor`: it should report what it sees
    /// now, quickly. Returns the status and body whatever the status.
    pub async fn get_once(&self, url: &str) -> Result<(u16, Bytes), BackendError> {
        let limit = self.settings.timeouts.request;
        let attempt = async {
            let resp = self
                .request(reqwest::Method::GET, url)
                .send()
                .await
                .map_err(|e| send_error(e, url, limit))?;
            let status = resp.status().as_u16();
            let body = resp
                .bytes()
                .await
                .map_err(|e| AttemptError::from(send_error(e, url, limit)))?;
            Ok((status, body))
        };
        within(limit, url, attempt).await.map_err(|e| e.error)
    }
}

async fn within<T>(
    limit: Duration,
    url: &str,
    fut: impl std::future::Future<Output = Result<T, AttemptError>>,
) -> Result<T, AttemptError> {
    match tokio::time::timeout(limit, fut).await {
        Ok(r) => r,
        Err(_) => Err(BackendError::Timeout {
            url: url.to_string(),
            after: limit,
        }
        .into()),
    }
}

/// True when `url` names this machine (127.0.0.0/8, ::1, localhost): a
/// local model server, one request at a time on the same cores.
pub fn is_loopback_url(url: &str) -> bool {
    let Some(host) = reqwest::Url::parse(url.trim())
        .ok()
        .and_then(|u| u.host_str().map(str::to_ascii_lowercase))
    else {
        return false;
    };
    let host = host.trim_start_matches('[').trim_end_matches(']');
    match host.parse::<std::net::IpAddr>() {
        Ok(ip) => ip.is_loopback(),
        Err(_) => {
            let d = host.trim_end_matches('.');
            d == "localhost" || d.ends_with(".localhost")
        }
    }
}

/// Reads an error response into the mapped error and its `Retry-After`.
async fn check_status(
    resp: reqwest::Response,
    ctx: &StatusContext,
) -> Result<reqwest::Response, AttemptError> {
    let status = resp.status();
    if status.is_success() {
        return Ok(resp);
    }
    let retry_after = retry_after(resp.headers());
    let body = resp.text().await.unwrap_or_default();
    Err(AttemptError {
        error: status_error(ctx, status.as_u16(), &body),
        retry_after,
        last: false,
    })
}

fn retry_after(headers: &HeaderMap) -> Option<Duration> {
    let value = headers.get(RETRY_AFTER)?.to_str().ok()?;
    parse_retry_after(value, SystemTime::now())
}

/// Maps a transport error; the request carries the key only in a header,
/// which reqwest never prints.
pub(crate) fn send_error(e: reqwest::Error, url: &str, limit: Duration) -> BackendError {
    if e.is_timeout() {
        return BackendError::Timeout {
            url: url.to_string(),
            after: limit,
        };
    }
    // The URL is stated once, by the message; reqwest's own would repeat it.
    BackendError::Connect {
        url: url.to_string(),
        detail: error_chain(&e.without_url()),
    }
}

/// The error and its causes on one line, most specific last; reqwest's
/// top-level message alone ("error sending request") says too little.
pub(crate) fn error_chain(e: &(dyn std::error::Error + 'static)) -> String {
    let mut parts = vec![e.to_string()];
    let mut cur = e.source();
    while let Some(s) = cur {
        let text = s.to_string();
        if parts.last() != Some(&text) {
            parts.push(text);
        }
        cur = s.source();
    }
    parts.join(": ")
}

#[cfg(test)]
mod tests {
    use super::is_loopback_url;

    #[test]
    fn only_addresses_on_this_machine_are_local() {
        for local in [
            "http://127.0.0.1:8080/v1",
            "http://127.9.0.1/v1",
            "http://localhost:11434",
            "http://LOCALHOST./v1",
            "http://[::1]:8080/v1",
        ] {
            assert!(is_loopback_url(local), "{local}");
        }
        for remote in [
            "https://api.openai.com/v1",
            "http://10.0.0.5:8080/v1",
            "http://localhost.example.com/v1",
            "not a url",
        ] {
            assert!(!is_loopback_url(remote), "{remote}");
        }
    }
}
