//! Turning a response body into a `ChatStream`, with the idle timeout.
//!
//! The wire formats differ (SSE, NDJSON) but the rules do not: every chunk
//! must arrive within the idle timeout, a body that ends before the server
//! said "done" is `StreamBroken` (never a quietly truncated reply), and
//! dropping the stream drops the body, which closes the connection.

use std::collections::VecDeque;
use std::pin::Pin;
use std::time::Duration;

use bytes::Bytes;
use futures::{Stream, StreamExt};

use super::http::error_chain;
use super::{BackendError, ChatStream, StreamEvent};

/// A wire format: bytes in, chat events out.
pub(crate) trait WireDecoder: Send + 'static {
    /// Decodes one chunk. Returns true once the server signalled the end.
    fn feed(&mut self, chunk: &[u8], out: &mut Vec<StreamEvent>) -> Result<bool, BackendError>;
    /// The body ended. Returns true if what was buffered completes the reply.
    fn finish(&mut self, out: &mut Vec<StreamEvent>) -> Result<bool, BackendError>;
    /// What was missing when the body ended early, for `StreamBroken`.
    fn missing_end(&self) -> &'static str;
}

type Body = Pin<Box<dyn Stream<Item = reqwest::Result<Bytes>> + Send>>;

struct State<D> {
    body: Option<Body>,
    decoder: D,
    scratch: Vec<StreamEvent>,
    queue: VecDeque<Result<StreamEvent, BackendError>>,
    received: usize,
    idle: Duration,
}

/// Wraps a success response whose body is in `decoder`'s format.
pub(crate) fn event_stream<D: WireDecoder>(
    resp: reqwest::Response,
    idle: Duration,
    decoder: D,
) -> ChatStream {
    byte_event_stream(Box::pin(resp.bytes_stream()), idle, decoder)
}

fn byte_event_stream<D: WireDecoder>(body: Body, idle: Duration, decoder: D) -> ChatStream {
    let state = State {
        body: Some(body),
        decoder,
        scratch: Vec::new(),
        queue: VecDeque::new(),
        received: 0,
        idle,
    };
    Box::pin(futures::stream::unfold(state, |mut st| async move {
        loop {
            if let Some(item) = st.queue.pop_front() {
                return Some((item, st));
            }
            let body = st.body.as_mut()?;
            let outcome = match tokio::time::timeout(st.idle, body.next()).await {
                Err(_) => Err(BackendError::IdleTimeout {
                    after: st.idle,
                    received: st.received,
                }),
                Ok(Some(Ok(bytes))) => {
                    st.received += bytes.len();
                    st.decoder.feed(&bytes, &mut st.scratch)
                }
                Ok(Some(Err(e))) => Err(BackendError::StreamBroken {
                    received: st.received,
                    detail: format!("the connection failed mid-reply ({})", error_chain(&e)),
                }),
                // A cut-off last line fails to parse; that is still a
                // broken stream, not a server speaking another format.
                Ok(None) => match st.decoder.finish(&mut st.scratch) {
                    Ok(true) => Ok(true),
                    outcome => Err(BackendError::StreamBroken {
                        received: st.received,
                        detail: format!(
                            "the server closed the connection before {}{}",
                            st.decoder.missing_end(),
                            match outcome {
                                Err(e) => format!(" (the last line was cut off: {e})"),
                                Ok(_) => String::new(),
                            }
                        ),
                    }),
                },
            };
            st.queue.extend(st.scratch.drain(..).map(Ok));
            match outcome {
                Ok(false) => {}
                Ok(true) => st.body = None,
                Err(e) => {
                    st.body = None;
                    st.queue.push_back(Err(e));
                }
            }
        }
    }))
}
