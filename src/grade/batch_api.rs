//! OpenAI Batch API: export the judge requests of a whole batch as one
//! JSONL input file, and import the provider's output file back into the
//! same result rows a live run writes. For 100k answers at half price on
//! the provider's own engine. Each request's `custom_id` is derived from
//! the input id and result key, so import matches rows without any state
//! kept between the two steps: run import with the same inputs, backend,
//! model and rubric as the export.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, BufWriter, Seek, SeekFrom, Write};
use std::path::Path;
use std::sync::Arc;
use std::time::Instant;

use serde::Deserialize;
use serde_json::json;

use crate::backend::openai;
use crate::grade::grader::{Grader, Prepared};
use crate::grade::input::InputItem;
use crate::grade::key::custom_id;
use crate::grade::pipeline::{emit, skip, Progress, RowSink, RunStats};
use crate::grade::results::{create_parent_dirs, DoneSet};
use crate::grade::rows::{JudgeStatus, Tokens};
use crate::score::judge;

/// The Batch API endpoint every exported line targets.
pub const ENDPOINT: &str = "/v1/chat/completions";

/// What an export did.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExportStats {
    /// Requests written.
    pub requests: u64,
    /// Inputs not exported (bad input, unknown problem, duplicate, or
    /// already graded in `--out`), each reported on stderr.
    pub skipped: u64,
    pub errors: Vec<String>,
}

/// Write one Batch API request per gradable input.
pub fn export<I>(
    grader: &Grader,
    inputs: I,
    done: &DoneSet,
    file: &Path,
) -> Result<ExportStats, String>
where
    I: Iterator<Item = InputItem>,
{
    create_parent_dirs(file)
        .map_err(|e| format!("{}: cannot create its directory: {e}", file.display()))?;
    let f = File::create(file).map_err(|e| format!("{}: cannot create: {e}", file.display()))?;
    let mut w = BufWriter::new(f);
    let mut stats = ExportStats::default();
    let mut seen = DoneSet::default();
    let model = grader.backend().model().to_string();
    for item in inputs {
        let job = match grader.prepare(item) {
            Prepared::Job(j) => j,
            Prepared::Done(row) => {
                stats.skipped += 1;
                stats
                    .errors
                    .push(format!("{}: {}", row.source, row.error.unwrap_or_default()));
                continue;
            }
        };
        if done.contains(&job.answer.id, &job.key) || !seen.insert(&job.answer.id, &job.key) {
            stats.skipped += 1;
            continue;
        }
        let (req, _) = grader.judge_request(&job, grader.judge_scope);
        let line = json!({
            "custom_id": custom_id(&job.answer.id, &job.key),
            "method": "POST",
            "url": ENDPOINT,
            "body": openai::request_body(&model, &req, false),
        });
        serde_json::to_writer(&mut w, &line)
            .map_err(|e| format!("{}: cannot write: {e}", file.display()))?;
        w.write_all(b"\n")
            .map_err(|e| format!("{}: cannot write: {e}", file.display()))?;
        stats.requests += 1;
    }
    w.flush()
        .map_err(|e| format!("{}: cannot write: {e}", file.display()))?;
    Ok(stats)
}

#[derive(Deserialize)]
struct OutputLine {
    custom_id: String,
    #[serde(default)]
    response: Option<OutputResponse>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

#[derive(Deserialize)]
struct OutputResponse {
    status_code: u16,
    #[serde(default)]
    body: serde_json::Value,
}

#[derive(Deserialize)]
struct IdOnly {
    custom_id: String,
}

/// Index of an output file: custom_id → byte offset of its line, so a
/// 100k-line file is matched without holding its replies in memory.
fn index_output(path: &Path) -> Result<HashMap<String, u64>, String> {
    let f = File::open(path).map_err(|e| format!("{}: cannot open: {e}", path.display()))?;
    let mut r = BufReader::new(f);
    let mut index = HashMap::new();
    let mut offset = 0u64;
    let mut line = String::new();
    let mut n = 0usize;
    loop {
        line.clear();
        let read = r
            .read_line(&mut line)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        if read == 0 {
            break;
        }
        n += 1;
        if !line.trim().is_empty() {
            let id: IdOnly = serde_json::from_str(&line).map_err(|e| {
                format!(
                    "{}:{n}: not a Batch API output line ({e}); pass the file the provider returned",
                    path.display()
                )
            })?;
            index.insert(id.custom_id, offset);
        }
        offset += read as u64;
    }
    Ok(index)
}

fn read_line_at(file: &mut BufReader<File>, offset: u64) -> std::io::Result<String> {
    file.seek(SeekFrom::Start(offset))?;
    let mut s = String::new();
    file.read_line(&mut s)?;
    Ok(s)
}

/// Turn a provider output file into result rows, one per input (inputs
/// with no reply in the file get a failed-judge row saying so).
pub fn import<I>(
    grader: Arc<Grader>,
    inputs: I,
    output: &Path,
    done: &mut DoneSet,
    sinks: &mut [&mut dyn RowSink],
    progress: &mut dyn Progress,
) -> Result<RunStats, String>
where
    I: Iterator<Item = InputItem>,
{
    let started = Instant::now();
    let index = index_output(output)?;
    let f = File::open(output).map_err(|e| format!("{}: cannot open: {e}", output.display()))?;
    let mut reader = BufReader::new(f);
    let mut stats = RunStats {
        min_limit: 1,
        ..RunStats::default()
    };
    for item in inputs {
        stats.inputs += 1;
        let job = match grader.prepare(item) {
            Prepared::Done(row) => {
                if done.contains(&row.id, &row.key) {
                    skip(done.failed(&row.id, &row.key), &mut stats, progress);
                } else {
                    emit(&row, done, sinks, progress, &mut stats)?;
                }
                continue;
            }
            Prepared::Job(j) => *j,
        };
        if done.contains(&job.answer.id, &job.key) {
            skip(done.failed(&job.answer.id, &job.key), &mut stats, progress);
            continue;
        }
        let card = grader.scorer_score(&job);
        let cid = custom_id(&job.answer.id, &job.key);
        let Some(&offset) = index.get(&cid) else {
            let row = grader.judge_failed(
                &job,
                &card,
                format!(
                    "no reply for custom_id {cid} in {}; was the batch exported with the same inputs, backend, model and rubric?",
                    output.display()
                ),
                Tokens::default(),
                std::time::Duration::ZERO,
            );
            emit(&row, done, sinks, progress, &mut stats)?;
            continue;
        };
        let raw = read_line_at(&mut reader, offset)
            .map_err(|e| format!("{}: cannot read: {e}", output.display()))?;
        let row = match parse_output_line(&raw) {
            Err(why) => grader.judge_failed(
                &job,
                &card,
                why,
                Tokens::default(),
                std::time::Duration::ZERO,
            ),
            Ok((content, tokens)) => match judge::parse_reply(
                &content,
                &grader.judge_request(&job, grader.judge_scope).1,
            ) {
                Ok(reply) => {
                    let combined = grader.combine_reply(&job.answer.text, &card, &reply);
                    grader.row(
                        &job,
                        combined,
                        JudgeStatus::Ok,
                        None,
                        tokens,
                        std::time::Duration::ZERO,
                    )
                }
                Err(e) => grader.judge_failed(
                    &job,
                    &card,
                    format!("{e} (batch replies get no repair retry; grade this input live to retry it)"),
                    tokens,
                    std::time::Duration::ZERO,
                ),
            },
        };
        emit(&row, done, sinks, progress, &mut stats)?;
    }
    stats.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(stats)
}

/// The reply text and usage of one output line, or why there is none.
fn parse_output_line(raw: &str) -> Result<(String, Tokens), String> {
    let line: OutputLine =
        serde_json::from_str(raw).map_err(|e| format!("unreadable batch output line: {e}"))?;
    if let Some(err) = line.error.filter(|e| !e.is_null()) {
        return Err(format!(
            "the provider reported an error for {}: {err}",
            line.custom_id
        ));
    }
    let resp = line
        .response
        .ok_or_else(|| format!("no response for {}", line.custom_id))?;
    if resp.status_code != 200 {
        return Err(format!(
            "HTTP {} for {}: {}",
            resp.status_code, line.custom_id, resp.body
        ));
    }
    let content = resp.body["choices"][0]["message"]["content"]
        .as_str()
        .ok_or_else(|| format!("no choices[0].message.content for {}", line.custom_id))?
        .to_string();
    let tokens = Tokens {
        prompt: resp.body["usage"]["prompt_tokens"].as_u64().unwrap_or(0),
        completion: resp.body["usage"]["completion_tokens"]
            .as_u64()
            .unwrap_or(0),
    };
    Ok((content, tokens))
}
