//! What the backend layer costs on top of the model: SSE/NDJSON parser
//! throughput, and a whole streamed reply from a loopback server that answers
//! instantly, against plain reqwest reading the same bytes.
//!
//! Run: `cargo bench --bench backend`. Per-delta cost is the slope between
//! the two reply sizes; per-request overhead is the streamed reply minus the
//! raw reqwest baseline.

use std::time::Duration;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use futures::StreamExt;
use mockround::backend::ndjson::NdjsonDecoder;
use mockround::backend::openai::OpenAiBackend;
use mockround::backend::sse::SseDecoder;
use mockround::backend::{
    ChatBackend, ChatMessage, ChatRequest, HttpBackendSettings, RetryPolicy, Timeouts,
};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

fn sse_reply(deltas: usize) -> String {
    let mut s = String::from("data: {\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"choices\":[{\"index\":0,\"delta\":{\"role\":\"assistant\",\"content\":\"\"}}]}\n\n");
    for i in 0..deltas {
        s.push_str(&format!(
            "data: {{\"id\":\"c\",\"object\":\"chat.completion.chunk\",\"created\":1700000000,\"model\":\"m\",\"choices\":[{{\"index\":0,\"delta\":{{\"content\":\" token{i}\"}},\"finish_reason\":null}}]}}\n\n"
        ));
    }
    s.push_str("data: {\"choices\":[],\"usage\":{\"prompt_tokens\":10,\"completion_tokens\":5}}\n\ndata: [DONE]\n\n");
    s
}

fn ndjson_reply(deltas: usize) -> String {
    let mut s = String::new();
    for i in 0..deltas {
        s.push_str(&format!(
            "{{\"model\":\"m\",\"created_at\":\"2024-01-01T00:00:00Z\",\"message\":{{\"role\":\"assistant\",\"content\":\" token{i}\"}},\"done\":false}}\n"
        ));
    }
    s.push_str("{\"model\":\"m\",\"done\":true,\"prompt_eval_count\":10,\"eval_count\":5}\n");
    s
}

fn parsers(c: &mut Criterion) {
    let sse = sse_reply(2000);
    let nd = ndjson_reply(2000);
    let mut g = c.benchmark_group("parser");
    g.throughput(Throughput::Bytes(sse.len() as u64));
    g.bench_function("sse_1500B_reads", |b| {
        b.iter(|| {
            let mut d = SseDecoder::default();
            let mut out = Vec::with_capacity(2100);
            for chunk in sse.as_bytes().chunks(1500) {
                d.feed(chunk, &mut out).expect("valid");
            }
            d.finish(&mut out).expect("valid");
            out.len()
        })
    });
    g.throughput(Throughput::Bytes(nd.len() as u64));
    g.bench_function("ndjson_1500B_reads", |b| {
        b.iter(|| {
            let mut d = NdjsonDecoder::default();
            let mut out: Vec<serde_json::Value> = Vec::with_capacity(2100);
            for chunk in nd.as_bytes().chunks(1500) {
                d.feed(chunk, &mut out).expect("valid");
            }
            d.finish(&mut out).expect("valid");
            out.len()
        })
    });
    g.finish();
}

/// Answers every request on a keep-alive connection with `body`.
async fn serve(mut sock: TcpStream, body: std::sync::Arc<String>) {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    loop {
        let end = loop {
            if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
                break end;
            }
            match sock.read(&mut tmp).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&tmp[..n]),
            }
        };
        let head = String::from_utf8_lossy(&buf[..end]).to_ascii_lowercase();
        let len: usize = head
            .lines()
            .find_map(|l| l.strip_prefix("content-length:"))
            .and_then(|v| v.trim().parse().ok())
            .unwrap_or(0);
        while buf.len() < end + 4 + len {
            match sock.read(&mut tmp).await {
                Ok(0) | Err(_) => return,
                Ok(n) => buf.extend_from_slice(&tmp[..n]),
            }
        }
        buf.drain(..end + 4 + len);
        // One write, so Nagle plus delayed ACK cannot add 40 ms per reply.
        let mut reply = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nContent-Length: {}\r\n\r\n",
            body.len()
        )
        .into_bytes();
        reply.extend_from_slice(body.as_bytes());
        if sock.write_all(&reply).await.is_err() {
            return;
        }
    }
}

async fn start_server(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0")
        .await
        .expect("bind loopback");
    let addr = listener.local_addr().expect("addr");
    let body = std::sync::Arc::new(body);
    tokio::spawn(async move {
        while let Ok((sock, _)) = listener.accept().await {
            let _ = sock.set_nodelay(true);
            tokio::spawn(serve(sock, body.clone()));
        }
    });
    format!("http://{addr}")
}

fn streamed_reply(c: &mut Criterion) {
    let rt = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime");
    let req = ChatRequest::new(vec![ChatMessage::user("Describe the ingestion layer.")]);
    let mut g = c.benchmark_group("loopback_stream");
    for deltas in [10usize, 500] {
        let base = rt.block_on(start_server(sse_reply(deltas)));
        let backend = OpenAiBackend::new(HttpBackendSettings {
            base_url: base.clone(),
            model: "m".into(),
            api_key_env: None,
            api_key: None,
            timeouts: Timeouts::default(),
            retry: RetryPolicy::default(),
            context_tokens: None,
            keep_alive: None,
            system_role: mockround::backend::SystemRole::Native,
        })
        .expect("backend");
        g.throughput(Throughput::Elements(deltas as u64));
        g.bench_with_input(
            BenchmarkId::new("backend_stream", deltas),
            &deltas,
            |b, _| {
                b.iter(|| {
                    rt.block_on(async {
                        let mut s = backend.stream(&req).await.expect("opens");
                        let mut n = 0;
                        while let Some(ev) = s.next().await {
                            ev.expect("event");
                            n += 1;
                        }
                        n
                    })
                })
            },
        );
        let client = reqwest::Client::new();
        let url = format!("{base}/chat/completions");
        g.bench_with_input(
            BenchmarkId::new("raw_reqwest_bytes", deltas),
            &deltas,
            |b, _| {
                b.iter(|| {
                    rt.block_on(async {
                        let resp = client
                            .post(&url)
                            .json(
                                &serde_json::json!({"model": "m", "messages": [], "stream": true}),
                            )
                            .send()
                            .await
                            .expect("send");
                        let mut body = resp.bytes_stream();
                        let mut n = 0;
                        while let Some(chunk) = body.next().await {
                            n += chunk.expect("chunk").len();
                        }
                        n
                    })
                })
            },
        );
    }
    g.finish();
}

fn config() -> Criterion {
    Criterion::default()
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2))
}

criterion_group! {
    name = benches;
    config = config();
    targets = parsers, streamed_reply
}
criterion_main!(benches);
