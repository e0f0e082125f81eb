//! Helpers shared by the backend integration tests: fast settings and a raw
//! loopback HTTP server for faults wiremock cannot produce (a body cut
//! mid-way, a stall, noticing the client hang up).
#![allow(dead_code)]

use std::future::Future;
use std::time::Duration;

use futures::StreamExt;
use mockround::backend::{
    BackendError, ChatMessage, ChatRequest, ChatStream, HttpBackendSettings, RetryPolicy,
    StreamEvent, Timeouts,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

pub const KEY: &str = "sk-test-VERY-SECRET-0123456789";

/// Millisecond timeouts and backoffs so the fault tests run in moments.
pub fn settings(base_url: &str, model: &str) -> HttpBackendSettings {
    HttpBackendSettings {
        base_url: base_url.to_string(),
        model: model.to_string(),
        api_key_env: Some("OPENAI_API_KEY".into()),
        api_key: None,
        timeouts: Timeouts {
            connect: Duration::from_millis(500),
            request: Duration::from_millis(1500),
            idle: Duration::from_millis(300),
        },
        retry: RetryPolicy {
            max_attempts: 3,
            base_delay: Duration::from_millis(5),
            max_delay: Duration::from_millis(2000),
        },
        context_tokens: None,
        keep_alive: None,
        system_role: mockround::backend::SystemRole::Native,
    }
}

pub fn hello() -> ChatRequest {
    ChatRequest::new(vec![
        ChatMessage::system("You are an interviewer."),
        ChatMessage::user("Hello"),
    ])
}

/// Reads the whole stream: the events before the first error, and that error.
pub async fn drain(mut s: ChatStream) -> (Vec<StreamEvent>, Option<BackendError>) {
    let mut events = Vec::new();
    while let Some(item) = s.next().await {
        match item {
            Ok(ev) => events.push(ev),
            Err(e) => {
                assert!(s.next().await.is_none(), "a stream ends after its error");
                return (events, Some(e));
            }
        }
    }
    (events, None)
}

pub fn text_of(events: &[StreamEvent]) -> String {
    events
        .iter()
        .filter_map(|e| match e {
            StreamEvent::Delta(d) => Some(d.as_str()),
            StreamEvent::Usage(_) => None,
        })
        .collect()
}

/// Reads one HTTP request (headers and a Content-Length body) off `sock`.
pub async fn read_request(sock: &mut TcpStream) -> String {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 4096];
    loop {
        let n = sock.read(&mut tmp).await.expect("read request");
        assert!(n > 0, "client closed before sending a request");
        buf.extend_from_slice(&tmp[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
            let len: usize = head
                .lines()
                .find_map(|l| l.strip_prefix("content-length:"))
                .and_then(|v| v.trim().parse().ok())
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = sock.read(&mut tmp).await.expect("read body");
                assert!(n > 0, "client closed mid-request");
                buf.extend_from_slice(&tmp[..n]);
            }
            return String::from_utf8_lossy(&buf).into_owned();
        }
    }
}

/// A one-connection server on 127.0.0.1 that runs `script` on the accepted
/// socket after reading the request. Returns the base URL.
pub async fn raw_server<F, Fut>(script: F) -> String
where
    F: FnOnce(TcpStream) -> Fut + Send + 'static,
    Fut: Future<Output = ()> + Send,
{
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    tokio::spawn(async move {
        if let Ok((mut sock, _)) = listener.accept().await {
            read_request(&mut sock).await;
            script(sock).await;
        }
    });
    format!("http://{addr}")
}

/// Response headers for a body that is closed by the connection ending.
pub const STREAM_HEAD_CLOSE: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nConnection: close\r\n\r\n";

/// Response headers for a chunked body (a cut then shows as a broken body).
pub const STREAM_HEAD_CHUNKED: &[u8] =
    b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n";

/// Writes `data` as one HTTP/1.1 chunk.
pub async fn write_chunk(sock: &mut TcpStream, data: &[u8]) {
    sock.write_all(format!("{:x}\r\n", data.len()).as_bytes())
        .await
        .expect("chunk size");
    sock.write_all(data).await.expect("chunk data");
    sock.write_all(b"\r\n").await.expect("chunk end");
    sock.flush().await.expect("flush");
}
