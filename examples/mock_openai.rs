//! A tiny OpenAI-compatible server for benchmarking `mockround grade`: it
//! answers `POST /v1/chat/completions` after a fixed delay with a valid
//! judge reply (every criterion id the request's JSON schema lists, each
//! quoting the answer's first sentence of 20 characters or more), and `GET /stats` with the request
//! count and peak concurrency. HTTP/1.1 with keep-alive; loopback only.
//!
//! ```text
//! cargo run --release --example mock_openai -- --delay-ms 200 --port 8099
//! ```

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use serde_json::{json, Value};
use tokio::io::{AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::{TcpListener, TcpStream};

#[derive(Default)]
struct Stats {
    requests: AtomicUsize,
    in_flight: AtomicUsize,
    peak: AtomicUsize,
}

struct Opts {
    port: u16,
    delay: Duration,
    /// Answer every Nth request with 429 (0 = never), to watch the pipeline back off.
    every_429: usize,
}

fn parse_args() -> Result<Opts, String> {
    let mut o = Opts {
        port: 8099,
        delay: Duration::from_millis(200),
        every_429: 0,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut val = |name: &str| args.next().ok_or_else(|| format!("{name} needs a value"));
        match a.as_str() {
            "--port" => o.port = val("--port")?.parse().map_err(|e| format!("--port: {e}"))?,
            "--delay-ms" => {
                o.delay = Duration::from_millis(
                    val("--delay-ms")?
                        .parse()
                        .map_err(|e| format!("--delay-ms: {e}"))?,
                )
            }
            "--every-429" => {
                o.every_429 = val("--every-429")?
                    .parse()
                    .map_err(|e| format!("--every-429: {e}"))?
            }
            other => {
                return Err(format!(
                    "unknown argument {other}; use --port N --delay-ms MS [--every-429 N]"
                ))
            }
        }
    }
    Ok(o)
}

#[tokio::main]
async fn main() {
    let opts = match parse_args() {
        Ok(o) => o,
        Err(e) => {
            eprintln!("error: {e}");
            std::process::exit(2);
        }
    };
    let listener = match TcpListener::bind(("127.0.0.1", opts.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("error: cannot listen on 127.0.0.1:{}: {e}", opts.port);
            std::process::exit(1);
        }
    };
    let addr = listener
        .local_addr()
        .map(|a| a.to_string())
        .unwrap_or_default();
    println!(
        "listening on http://{addr}/v1 (delay {} ms)",
        opts.delay.as_millis()
    );
    let stats = Arc::new(Stats::default());
    let opts = Arc::new(opts);
    loop {
        let Ok((sock, _)) = listener.accept().await else {
            continue;
        };
        let _ = sock.set_nodelay(true);
        let stats = Arc::clone(&stats);
        let opts = Arc::clone(&opts);
        tokio::spawn(async move {
            let _ = serve(sock, &stats, &opts).await;
        });
    }
}

async fn serve(sock: TcpStream, stats: &Stats, opts: &Opts) -> std::io::Result<()> {
    let mut r = BufReader::new(sock);
    loop {
        // Headers.
        let mut head = Vec::new();
        let mut byte = [0u8; 1];
        while !head.ends_with(b"\r\n\r\n") {
            if r.read(&mut byte).await? == 0 {
                return Ok(());
            }
            head.push(byte[0]);
            if head.len() > 64 * 1024 {
                return Ok(());
            }
        }
        let head = String::from_utf8_lossy(&head).to_string();
        let first = head.lines().next().unwrap_or("").to_string();
        let len: usize = head
            .lines()
            .find_map(|l| {
                let (k, v) = l.split_once(':')?;
                k.eq_ignore_ascii_case("content-length")
                    .then(|| v.trim().parse().ok())?
            })
            .unwrap_or(0);
        let mut body = vec![0u8; len];
        r.read_exact(&mut body).await?;

        let (status, payload) = if first.starts_with("GET /stats") {
            (
                200,
                json!({
                    "requests": stats.requests.load(Ordering::SeqCst),
                    "peak_in_flight": stats.peak.load(Ordering::SeqCst),
                }),
            )
        } else if first.starts_with("POST") && first.contains("/chat/completions") {
            let n = stats.requests.fetch_add(1, Ordering::SeqCst) + 1;
            let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
            stats.peak.fetch_max(now, Ordering::SeqCst);
            tokio::time::sleep(opts.delay).await;
            stats.in_flight.fetch_sub(1, Ordering::SeqCst);
            if opts.every_429 > 0 && n % opts.every_429 == 0 {
                (
                    429,
                    json!({"error": {"message": "rate limited (mock)", "type": "rate_limit"}}),
                )
            } else {
                let req: Value = serde_json::from_slice(&body).unwrap_or(Value::Null);
                (200, completion(&req))
            }
        } else {
            (404, json!({"error": {"message": "not found"}}))
        };
        let text = payload.to_string();
        let reason = match status {
            200 => "OK",
            429 => "Too Many Requests",
            _ => "Not Found",
        };
        let resp = format!(
            "HTTP/1.1 {status} {reason}\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n{text}",
            text.len()
        );
        r.get_mut().write_all(resp.as_bytes()).await?;
    }
}

/// A chat completion whose content is a judge reply for the request.
fn completion(req: &Value) -> Value {
    let ids: Vec<String> = req
        .pointer("/response_format/json_schema/schema/properties/criteria/items/properties/id/enum")
        .and_then(Value::as_array)
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default();
    let user = req
        .pointer("/messages/1/content")
        .and_then(Value::as_str)
        .unwrap_or("");
    // The answer sits between the ANSWER markers; quote its first sentence.
    let answer = user.split(">>>\n").nth(1).unwrap_or("");
    let quote: String = answer
        .split_inclusive('.')
        .map(str::trim)
        .find(|s| s.len() >= 20)
        .unwrap_or("")
        .to_string();
    let items: Vec<Value> = ids
        .iter()
        .map(|id| json!({"id": id, "score": 2, "quotes": [quote], "rationale": "mock"}))
        .collect();
    let content = json!({ "criteria": items }).to_string();
    json!({
        "id": "chatcmpl-mock",
        "object": "chat.completion",
        "model": req.get("model").cloned().unwrap_or(Value::Null),
        "choices": [{"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}],
        "usage": {"prompt_tokens": 1000, "completion_tokens": 200, "total_tokens": 1200}
    })
}
