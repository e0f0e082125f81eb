//! Progress for a batch: an indicatif bar with rate and ETA when stderr is
//! a terminal; nothing while running otherwise (the caller prints a
//! one-line summary at the end), so logs and pipes stay clean.

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::grade::pipeline::Progress;
use crate::grade::rows::ResultRow;

/// A terminal progress bar.
pub struct Bar {
    bar: ProgressBar,
    failed: u64,
}

impl Bar {
    /// A bar over `total` inputs (a spinner with a count when unknown).
    pub fn new(total: Option<u64>) -> Self {
        let bar = match total {
            Some(t) => ProgressBar::with_draw_target(Some(t), ProgressDrawTarget::stderr()),
            None => ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr()),
        };
        let template = if total.is_some() {
            "{spinner} [{elapsed_precise}] {wide_bar} {pos}/{len} {per_sec} ETA {eta} {msg}"
        } else {
            "{spinner} [{elapsed_precise}] {pos} graded {per_sec} {msg}"
        };
        if let Ok(style) = ProgressStyle::with_template(template) {
            bar.set_style(style);
        }
        Self { bar, failed: 0 }
    }

    /// Remove the bar from the terminal.
    pub fn finish(&self) {
        self.bar.finish_and_clear();
    }
}

impl Progress for Bar {
    fn advance(&mut self, row: Option<&ResultRow>) {
        if row.is_some_and(ResultRow::failed) {
            self.failed += 1;
            self.bar.set_message(format!("{} failed", self.failed));
        }
        self.bar.inc(1);
    }

    fn limit_changed(&mut self, limit: usize) {
        self.bar.println(format!(
            "rate limited: concurrency is now {limit} (it recovers as requests succeed)"
        ));
    }
}

/// How many inputs the paths hold, counted cheaply (files by directory
/// walk, JSON Lines by newlines) so the bar can show an ETA. `None` when
/// stdin is among them.
pub fn count_inputs(paths: &[PathBuf]) -> Option<u64> {
    let mut total = 0;
    let mut stack: Vec<PathBuf> = paths.to_vec();
    while let Some(p) = stack.pop() {
        if p.as_os_str() == "-" {
            return None;
        }
        if p.is_dir() {
            let entries = std::fs::read_dir(&p).ok()?;
            for e in entries.flatten() {
                let path = e.path();
                let hidden = path
                    .file_name()
                    .and_then(|n| n.to_str())
                    .is_some_and(|n| n.starts_with('.'));
                if hidden {
                    continue;
                }
                if path.is_dir() || is_answer_ext(&path) {
                    stack.push(path);
                }
            }
        } else if ext_is(&p, "jsonl") {
            total += count_lines(&p).unwrap_or(0);
        } else {
            total += 1;
        }
    }
    Some(total)
}

fn ext_is(p: &Path, ext: &str) -> bool {
    p.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

fn is_answer_ext(p: &Path) -> bool {
    ["md", "txt", "jsonl"].iter().any(|e| ext_is(p, e))
}

fn count_lines(p: &Path) -> std::io::Result<u64> {
    let mut r = BufReader::new(File::open(p)?);
    let mut buf = [0u8; 64 * 1024];
    let mut n = 0u64;
    let mut last = b'\n';
    loop {
        let k = r.read(&mut buf)?;
        if k == 0 {
            break;
        }
        n += buf[..k].iter().filter(|&&b| b == b'\n').count() as u64;
        last = buf[k - 1];
    }
    if last != b'\n' {
        n += 1;
    }
    Ok(n)
}
