//! Batch inputs as a lazy iterator: files, directories (walked recursively,
//! in sorted order so runs are reproducible), JSON Lines read line by line,
//! and stdin. Nothing is read before it is needed, so 10,000 answers never
//! sit in memory at once. A bad input becomes an `InputError` naming the
//! file (and line) — it never stops the iteration and never vanishes.

use std::collections::VecDeque;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};

use serde::Deserialize;

/// Largest answer accepted, in bytes. A system design write-up is a few
/// thousand words; anything far larger is almost certainly the wrong file
/// and would only burn tokens.
pub const DEFAULT_MAX_BYTES: usize = 256 * 1024;

/// One answer ready to grade.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Answer {
    /// Stable id: the JSONL `id`, or the file path as given.
    pub id: String,
    /// Where it came from, for messages: `path` or `path:line`.
    pub source: String,
    /// Problem id from front matter or the JSONL field (before `--problem`).
    pub problem: Option<String>,
    pub text: String,
}

/// An input that cannot be graded, with where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputError {
    /// The id the result row carries (path, `path:line`, or the JSONL id).
    pub id: String,
    pub source: String,
    pub message: String,
}

/// What the iterator yields.
pub type InputItem = Result<Answer, InputError>;

/// Where inputs come from: each entry is a path, a directory or `-`.
#[derive(Debug)]
pub struct Inputs {
    pending: VecDeque<PathBuf>,
    lines: Option<LineSource>,
    max_bytes: usize,
}

struct LineSource {
    name: String,
    reader: Box<dyn BufRead + Send>,
    line_no: usize,
}

impl std::fmt::Debug for LineSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "LineSource({}:{})", self.name, self.line_no)
    }
}

/// One JSON Lines record.
#[derive(Debug, Deserialize)]
struct JsonlRecord {
    #[serde(default)]
    id: Option<serde_json::Value>,
    #[serde(default)]
    problem: Option<String>,
    answer: String,
}

impl Inputs {
    /// Inputs from command-line paths, in the order given.
    pub fn new(paths: &[PathBuf]) -> Self {
        Self {
            pending: paths.iter().cloned().collect(),
            lines: None,
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }

    /// Change the per-answer size cap.
    pub fn with_max_bytes(mut self, max_bytes: usize) -> Self {
        self.max_bytes = max_bytes;
        self
    }

    /// JSON Lines from any reader (stdin, tests).
    pub fn from_jsonl_reader(name: &str, reader: Box<dyn BufRead + Send>) -> Self {
        Self {
            pending: VecDeque::new(),
            lines: Some(LineSource {
                name: name.to_string(),
                reader,
                line_no: 0,
            }),
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }

    fn next_line(&mut self) -> Option<InputItem> {
        let max_bytes = self.max_bytes;
        let src = self.lines.as_mut()?;
        loop {
            let mut buf = Vec::new();
            src.line_no += 1;
            // Read at most max_bytes (+ room for JSON framing) so one huge
            // line cannot exhaust memory.
            let limit = (max_bytes as u64).saturating_mul(2).saturating_add(4096);
            let read = (&mut src.reader).take(limit).read_until(b'\n', &mut buf);
            let source = format!("{}:{}", src.name, src.line_no);
            match read {
                Err(e) => {
                    let item = Err(InputError {
                        id: source.clone(),
                        source,
                        message: format!("cannot read: {e}"),
                    });
                    self.lines = None;
                    return Some(item);
                }
                Ok(0) => {
                    self.lines = None;
                    return None;
                }
                Ok(_) => {}
            }
            if !buf.ends_with(b"\n") && buf.len() as u64 >= limit {
                // Skip the rest of the oversized line.
                let mut sink = Vec::new();
                let _ = src.reader.read_until(b'\n', &mut sink);
                return Some(Err(InputError {
                    id: source.clone(),
                    source,
                    message: format!(
                        "line is longer than the {max_bytes}-byte answer limit; split or shorten it"
                    ),
                }));
            }
            let line = match std::str::from_utf8(&buf) {
                Ok(l) => l.trim(),
                Err(e) => {
                    return Some(Err(InputError {
                        id: source.clone(),
                        source,
                        message: format!("line is not valid UTF-8 ({e}); save the file as UTF-8"),
                    }))
                }
            };
            if line.is_empty() {
                continue;
            }
            return Some(parse_jsonl_line(line, &source, max_bytes));
        }
    }

    fn expand(&mut self, path: PathBuf) -> Option<InputItem> {
        let shown = path.display().to_string();
        if shown == "-" {
            self.lines = Some(LineSource {
                name: "<stdin>".into(),
                reader: Box::new(BufReader::new(std::io::stdin())),
                line_no: 0,
            });
            return None;
        }
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) => return Some(Err(err(&shown, format!("cannot open: {e}")))),
        };
        if meta.is_dir() {
            match sorted_children(&path) {
                Ok(children) => {
                    for child in children.into_iter().rev() {
                        self.pending.push_front(child);
                    }
                    None
                }
                Err(e) => Some(Err(err(&shown, format!("cannot list directory: {e}")))),
            }
        } else if has_ext(&path, "jsonl") {
            match File::open(&path) {
                Ok(f) => {
                    self.lines = Some(LineSource {
                        name: shown,
                        reader: Box::new(BufReader::new(f)),
                        line_no: 0,
                    });
                    None
                }
                Err(e) => Some(Err(err(&shown, format!("cannot open: {e}")))),
            }
        } else if has_ext(&path, "md") || has_ext(&path, "txt") {
            Some(read_answer_file(&path, meta.len(), self.max_bytes))
        } else {
            Some(Err(err(
                &shown,
                "not an answer file: use .md, .txt (one answer) or .jsonl (one per line)".into(),
            )))
        }
    }
}

impl Iterator for Inputs {
    type Item = InputItem;

    fn next(&mut self) -> Option<InputItem> {
        loop {
            if self.lines.is_some() {
                if let Some(item) = self.next_line() {
                    return Some(item);
                }
                continue;
            }
            let path = self.pending.pop_front()?;
            if let Some(item) = self.expand(path) {
                return Some(item);
            }
        }
    }
}

fn err(source: &str, message: String) -> InputError {
    InputError {
        id: source.to_string(),
        source: source.to_string(),
        message,
    }
}

fn has_ext(path: &Path, ext: &str) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case(ext))
}

/// Children of a directory that are answer files or subdirectories, sorted
/// by name; hidden entries are skipped.
fn sorted_children(dir: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for entry in std::fs::read_dir(dir)? {
        let entry = entry?;
        let path = entry.path();
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        let ft = entry.file_type()?;
        if ft.is_dir() || ["md", "txt", "jsonl"].iter().any(|e| has_ext(&path, e)) {
            out.push(path);
        }
    }
    out.sort();
    Ok(out)
}

fn read_answer_file(path: &Path, len: u64, max_bytes: usize) -> InputItem {
    let shown = path.display().to_string();
    if len > max_bytes as u64 {
        return Err(err(
            &shown,
            format!(
                "{len} bytes is over the {max_bytes}-byte answer limit; is this the right file?"
            ),
        ));
    }
    let bytes = std::fs::read(path).map_err(|e| err(&shown, format!("cannot read: {e}")))?;
    let text = check_text(&bytes, max_bytes).map_err(|m| err(&shown, m))?;
    let (problem, body) = split_front_matter(text);
    Ok(Answer {
        id: shown.clone(),
        source: shown,
        problem,
        text: body.to_string(),
    })
}

/// Reject binary, non-UTF-8, empty and oversized answers with a message
/// saying what to do.
pub fn check_text(bytes: &[u8], max_bytes: usize) -> Result<&str, String> {
    if bytes.len() > max_bytes {
        return Err(format!(
            "{} bytes is over the {max_bytes}-byte answer limit; is this the right file?",
            bytes.len()
        ));
    }
    if bytes.contains(&0) {
        return Err("looks binary (contains NUL bytes); answers must be plain text".into());
    }
    let text = std::str::from_utf8(bytes)
        .map_err(|e| format!("not valid UTF-8 ({e}); save the file as UTF-8"))?;
    if text.trim().is_empty() {
        return Err("the answer is empty".into());
    }
    Ok(text)
}

/// Front matter: a `---` block whose lines include `problem: ID`, a TOML
/// `+++` block (as in the calibration set and static-site tools) with
/// `problem = "ID"`, or a first line `problem: ID`. Returns the problem and
/// the answer body; the block itself is never graded.
pub fn split_front_matter(text: &str) -> (Option<String>, &str) {
    let trimmed = text.trim_start_matches('\u{feff}');
    for (fence, key) in [("---", ':'), ("+++", '=')] {
        let Some(rest) = trimmed
            .strip_prefix(fence)
            .and_then(|r| r.strip_prefix('\n').or_else(|| r.strip_prefix("\r\n")))
        else {
            continue;
        };
        let mut offset = 0;
        let mut problem = None;
        for line in rest.split_inclusive('\n') {
            offset += line.len();
            let l = line.trim();
            if l == fence {
                return (problem, &rest[offset..]);
            }
            if let Some((k, v)) = l.split_once(key) {
                if k.trim() == "problem" {
                    problem = clean_value(v);
                }
            }
        }
        return (None, text);
    }
    let first_end = trimmed.find('\n').map(|i| i + 1).unwrap_or(trimmed.len());
    let first = trimmed[..first_end].trim();
    if let Some(v) = first.strip_prefix("problem:") {
        return (clean_value(v), &trimmed[first_end..]);
    }
    (None, text)
}

/// The id without quotes; an empty value (`problem:` left blank in a
/// template) names no problem, so the input is treated as having none.
fn clean_value(v: &str) -> Option<String> {
    let v = v.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    (!v.is_empty()).then(|| v.to_string())
}

fn parse_jsonl_line(line: &str, source: &str, max_bytes: usize) -> InputItem {
    let rec: JsonlRecord = serde_json::from_str(line).map_err(|e| {
        err(
            source,
            format!(
                "not a JSON object with an \"answer\" string ({e}); expected {{\"id\", \"problem\", \"answer\"}}"
            ),
        )
    })?;
    let id = match rec.id {
        Some(serde_json::Value::String(s)) if !s.is_empty() => s,
        Some(serde_json::Value::Number(n)) => n.to_string(),
        _ => source.to_string(),
    };
    let fail = |message: String| InputError {
        id: id.clone(),
        source: source.to_string(),
        message,
    };
    check_text(rec.answer.as_bytes(), max_bytes).map_err(fail)?;
    Ok(Answer {
        id: id.clone(),
        source: source.to_string(),
        problem: rec.problem.filter(|p| !p.trim().is_empty()),
        text: rec.answer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn toml_front_matter_names_the_problem_and_is_not_graded() {
        let (p, body) = split_front_matter(
            "+++\nproblem = \"payments-reconciliation\"\nlevel = \"L5\"\ncredited = [\"cdc\"]\n+++\nBody\n",
        );
        assert_eq!(p.as_deref(), Some("payments-reconciliation"));
        assert_eq!(body, "Body\n");
        // An unclosed block is not front matter: the whole text is the answer.
        let text = "+++\nproblem = \"x\"\nno closing fence";
        assert_eq!(split_front_matter(text), (None, text));
    }

    #[test]
    fn front_matter_block_and_first_line_both_name_the_problem() {
        let (p, body) = split_front_matter("---\ntitle: x\nproblem: clickstream\n---\nBody\n");
        assert_eq!(p.as_deref(), Some("clickstream"));
        assert_eq!(body, "Body\n");
        let (p, body) = split_front_matter("problem: \"payments\"\nI would...");
        assert_eq!(p.as_deref(), Some("payments"));
        assert_eq!(body, "I would...");
        let (p, body) = split_front_matter("No front matter");
        assert_eq!(p, None);
        assert_eq!(body, "No front matter");
    }

    #[test]
    fn blank_problem_in_front_matter_names_no_problem() {
        let (p, body) = split_front_matter("---\nproblem:\n---\nBody\n");
        assert_eq!(p, None);
        assert_eq!(body, "Body\n");
        let (p, body) = split_front_matter("problem: \"\"\nBody");
        assert_eq!(p, None);
        assert_eq!(body, "Body");
    }

    #[test]
    fn bad_jsonl_lines_become_errors_naming_the_line() {
        let data = "{\"id\":\"a\",\"answer\":\"ok\"}\nnot json\n\n{\"id\":\"c\",\"answer\":\"  \"}\n{\"answer\":\"x\",\"problem\":\"p\"}\n";
        let items: Vec<_> =
            Inputs::from_jsonl_reader("batch.jsonl", Box::new(std::io::Cursor::new(data)))
                .collect();
        assert_eq!(items.len(), 4);
        assert!(items[0].is_ok());
        let e = items[1].as_ref().expect_err("line 2 is not json");
        assert_eq!(e.source, "batch.jsonl:2");
        let e = items[2].as_ref().expect_err("empty answer");
        assert_eq!((e.id.as_str(), e.source.as_str()), ("c", "batch.jsonl:4"));
        let a = items[3].as_ref().expect("line 5 fine");
        assert_eq!(a.id, "batch.jsonl:5");
        assert_eq!(a.problem.as_deref(), Some("p"));
    }

    #[test]
    fn binary_and_oversized_text_are_rejected() {
        assert!(check_text(b"a\0b", 100).is_err());
        assert!(check_text(&[0xff, 0xfe, 0x41], 100).is_err());
        assert!(check_text(b"abcdef", 3).is_err());
        assert!(check_text(b"fine", 100).is_ok());
    }
}
