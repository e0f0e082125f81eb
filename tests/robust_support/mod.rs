//! Shared by the `robust_*`, `secrets_*`, `chaos_*` and `crash_*` tests: run
//! the real binary in a clean environment with a wall-clock bound and an
//! address-space cap, so a hang or a runaway allocation fails the test
//! instead of the machine.
#![allow(dead_code)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

/// The compiled binary under test.
pub const BIN: &str = env!("CARGO_BIN_EXE_mockround");

/// Address-space cap for one run (KiB): far above what a CLI needs, far
/// below what would hurt a shared CI machine.
pub const MEMORY_CAP_KB: u64 = 3 * 1024 * 1024;

/// One finished run.
#[derive(Debug)]
pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
    pub elapsed: Duration,
}

impl Run {
    /// Both streams, for "the message names X" assertions.
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr)
    }

    /// Fails with the whole output when the binary panicked or was killed.
    pub fn assert_no_panic(&self, what: &str) {
        assert!(
            !self.stderr.contains("panicked") && !self.stderr.contains("RUST_BACKTRACE"),
            "{what}: panicked\n{}",
            self.all()
        );
        assert!(
            self.code.is_some(),
            "{what}: killed by a signal\n{}",
            self.all()
        );
    }
}

/// A throwaway home: config, data and cache dirs all inside it.
pub struct Home {
    pub dir: tempfile::TempDir,
}

impl Home {
    pub fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("temp home"),
        }
    }
    pub fn path(&self) -> &Path {
        self.dir.path()
    }
    pub fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }
    /// A clean command: no inherited keys, no user config, no colour.
    pub fn command(&self, args: &[&str]) -> Command {
        self.command_after(":", args)
    }
    /// `command`, with shell commands (`trap`, `ulimit`) run first in the
    /// shell that then becomes the binary, so their limits apply to it.
    pub fn command_after(&self, shell: &str, args: &[&str]) -> Command {
        let mut c = Command::new("sh");
        c.arg("-c")
            .arg(format!(
                "ulimit -v {MEMORY_CAP_KB}; {shell}; exec \"$0\" \"$@\""
            ))
            .arg(BIN)
            .args(args)
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.path())
            .env("XDG_CONFIG_HOME", self.path().join("xdg-config"))
            .env("XDG_DATA_HOME", self.path().join("xdg-data"))
            .env("XDG_CACHE_HOME", self.path().join("xdg-cache"))
            .env("MOCKROUND_DATA_DIR", self.data())
            .env("NO_COLOR", "1")
            .current_dir(self.path());
        c
    }
    /// Runs `args` with extra env and optional stdin, bounded by `limit`.
    pub fn run(
        &self,
        args: &[&str],
        env: &[(&str, &str)],
        stdin: Option<&[u8]>,
        limit: Duration,
    ) -> Run {
        let mut c = self.command(args);
        for (k, v) in env {
            c.env(k, v);
        }
        run_bounded(c, stdin, limit)
    }
}

impl Default for Home {
    fn default() -> Self {
        Self::new()
    }
}

/// Runs a command to completion or kills it at `limit` (a failed test).
pub fn run_bounded(mut c: Command, stdin: Option<&[u8]>, limit: Duration) -> Run {
    c.stdin(if stdin.is_some() {
        Stdio::piped()
    } else {
        Stdio::null()
    })
    .stdout(Stdio::piped())
    .stderr(Stdio::piped());
    let started = Instant::now();
    let mut child = c.spawn().expect("spawn the binary");
    if let (Some(input), Some(mut pipe)) = (stdin, child.stdin.take()) {
        let input = input.to_vec();
        std::thread::spawn(move || {
            let _ = pipe.write_all(&input);
        });
    }
    let out_pipe = child.stdout.take().expect("stdout pipe");
    let err_pipe = child.stderr.take().expect("stderr pipe");
    let out = std::thread::spawn(move || read_all(out_pipe));
    let err = std::thread::spawn(move || read_all(err_pipe));
    let status = loop {
        if let Some(s) = child.try_wait().expect("wait for the binary") {
            break s;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!(
                "{c:?} did not finish within {limit:?}; stderr so far: {}",
                err.join().unwrap_or_default()
            );
        }
        std::thread::sleep(Duration::from_millis(5));
    };
    Run {
        code: status.code(),
        stdout: out.join().unwrap_or_default(),
        stderr: err.join().unwrap_or_default(),
        elapsed: started.elapsed(),
    }
}

fn read_all(mut r: impl std::io::Read) -> String {
    let mut buf = Vec::new();
    let _ = r.read_to_end(&mut buf);
    String::from_utf8_lossy(&buf).into_owned()
}

/// `tests/fixtures/bad/<rel>`.
pub fn bad(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/bad")
        .join(rel)
}

/// A scripted clickstream candidate, one answer per turn, shared by the
/// chaos tests (each answer different, so no turn can be mistaken for another).
pub const ROUND_ANSWERS: &[&str] = &[
    "What is the peak scale in events per second?",
    "How fresh must the dashboards be, and who consumes the data?",
    "producer -> Kafka : avro, 200K events/sec\nKafka -> Flink : avro, 200K events/sec\nFlink -> S3 : parquet, 5 TB/day",
    "Kafka has 100 partitions keyed by user_id; Flink checkpoints every minute with EXACTLY_ONCE.",
    "Flink dedupes by event_id with a 24-hour state TTL and writes 5-minute Parquet files.",
    "If a TaskManager dies, Flink restores from the last checkpoint and replays from committed offsets.",
    "Producer retries create duplicates; the event_id dedupe and an idempotent MERGE absorb them.",
    "Events later than 24 hours land in a dead-letter prefix and a daily job reprocesses them.",
];

/// The session journal a round wrote under `home`.
pub fn journal_of(home: &Home) -> PathBuf {
    std::fs::read_dir(home.data().join("sessions"))
        .expect("sessions dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .expect("a journal was written")
}

/// Plays `answers` as a scripted clickstream round (seed 5) with the config
/// file `cfg`, on a blocking thread so a test's loopback server keeps running.
pub async fn scripted_round(home: Home, cfg: String, answers: &[&str]) -> (Home, Run) {
    let script = home.path().join("answers.txt");
    std::fs::write(&script, answers.join("\n---\n")).expect("script");
    let sp = script.to_string_lossy().into_owned();
    tokio::task::spawn_blocking(move || {
        let r = home.run(
            &[
                "--config",
                &cfg,
                "practice",
                "--problem",
                "clickstream",
                "--seed",
                "5",
                "--answers",
                &sp,
            ],
            &[],
            None,
            Duration::from_secs(120),
        );
        (home, r)
    })
    .await
    .expect("join")
}

/// One whole HTTP request read off a raw loopback connection (head and a
/// `content-length` body), for the fault servers wiremock cannot be.
pub async fn read_request(s: &mut tokio::net::TcpStream) -> Option<String> {
    let mut buf = Vec::new();
    let mut tmp = [0u8; 8192];
    loop {
        let n = tokio::io::AsyncReadExt::read(s, &mut tmp).await.ok()?;
        if n == 0 {
            return None;
        }
        buf.extend_from_slice(&tmp[..n]);
        if let Some(end) = buf.windows(4).position(|w| w == b"\r\n\r\n") {
            let head = String::from_utf8_lossy(&buf[..end]).to_lowercase();
            let len = head
                .lines()
                .find_map(|l| {
                    l.strip_prefix("content-length:")
                        .and_then(|v| v.trim().parse::<usize>().ok())
                })
                .unwrap_or(0);
            while buf.len() < end + 4 + len {
                let n = tokio::io::AsyncReadExt::read(s, &mut tmp).await.ok()?;
                if n == 0 {
                    return None;
                }
                buf.extend_from_slice(&tmp[..n]);
            }
            return Some(String::from_utf8_lossy(&buf).into_owned());
        }
    }
}

/// The candidate's answers in a journal, in order (`/quit` aside).
pub fn candidates(read: &mockround::transcript::JournalRead) -> Vec<&str> {
    read.records
        .iter()
        .filter_map(|r| match r {
            mockround::transcript::Record::Candidate { text, .. } if text != "/quit" => {
                Some(text.as_str())
            }
            _ => None,
        })
        .collect()
}
