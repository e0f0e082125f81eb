//! The batch pipeline: a lazy stream of inputs, at most `limit` answers in
//! flight, rows handed to the sinks the moment each finishes. Inputs are
//! read on a blocking thread into a small bounded channel, so memory stays
//! flat whatever the batch size. On a 429 storm the limit halves and the
//! throttled answers wait and go again; it creeps back up as requests
//! succeed (additive increase, multiplicative decrease).

use std::sync::Arc;
use std::time::{Duration, Instant};

use futures::stream::FuturesUnordered;
use futures::StreamExt;
use tokio::sync::mpsc;

use crate::grade::grader::{Attempt, Grader, Job, Prepared};
use crate::grade::input::InputItem;
use crate::grade::results::DoneSet;
use crate::grade::rows::ResultRow;

/// Where finished rows go (results file, stdout, CSV, summary, progress).
pub trait RowSink: Send {
    /// Take one finished row. An error stops the run: rows must not be lost.
    fn row(&mut self, row: &ResultRow) -> Result<(), String>;
}

/// Told about progress as the run goes (progress bar, quiet summary).
pub trait Progress: Send {
    /// A row was written (or an input was skipped as already graded).
    fn advance(&mut self, row: Option<&ResultRow>);
    /// The concurrency limit changed (429 storm or recovery).
    fn limit_changed(&mut self, _limit: usize) {}
}

/// No progress output.
#[derive(Debug, Default)]
pub struct NoProgress;

impl Progress for NoProgress {
    fn advance(&mut self, _row: Option<&ResultRow>) {}
}

/// Knobs for one run.
#[derive(Debug, Clone, Copy)]
pub struct PipelineOptions {
    /// Answers in flight at most (`--jobs`).
    pub jobs: usize,
    /// Wait before retrying a throttled answer; doubled each time.
    pub throttle_backoff: Duration,
    /// Ceiling on that wait.
    pub throttle_backoff_max: Duration,
    /// Tries per answer under throttling before its judge is marked failed.
    pub throttle_attempts: u32,
}

impl Default for PipelineOptions {
    fn default() -> Self {
        Self {
            jobs: 8,
            throttle_backoff: Duration::from_secs(2),
            throttle_backoff_max: Duration::from_secs(60),
            throttle_attempts: 8,
        }
    }
}

/// Counts for the summary.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct RunStats {
    /// Inputs seen.
    pub inputs: u64,
    /// Rows written this run.
    pub written: u64,
    /// Inputs skipped because the results file already had their row.
    pub skipped: u64,
    /// Rows that failed (bad input or judge failure).
    pub failed: u64,
    /// Skipped inputs whose earlier row is a failure (they still count
    /// towards the exit code: delete the row to retry the input).
    pub previously_failed: u64,
    /// Times the concurrency limit was halved by throttling.
    pub throttled: u64,
    /// Lowest concurrency limit reached.
    pub min_limit: usize,
    pub elapsed_ms: u64,
}

/// AIMD concurrency limit.
#[derive(Debug)]
struct Limiter {
    limit: usize,
    max: usize,
    successes: usize,
    last_cut: Option<Instant>,
    cooldown: Duration,
}

impl Limiter {
    fn new(max: usize, cooldown: Duration) -> Self {
        Self {
            limit: max.max(1),
            max: max.max(1),
            successes: 0,
            last_cut: None,
            cooldown,
        }
    }
    /// Halve, at most once per cooldown (one storm = one cut, not one per
    /// failed request in flight). Returns true when it cut.
    fn throttled(&mut self) -> bool {
        self.successes = 0;
        let now = Instant::now();
        if self
            .last_cut
            .is_some_and(|t| now.duration_since(t) < self.cooldown)
        {
            return false;
        }
        self.last_cut = Some(now);
        let before = self.limit;
        self.limit = (self.limit / 2).max(1);
        self.limit != before
    }
    /// One more after `limit` successes in a row. Returns true when it grew.
    fn succeeded(&mut self) -> bool {
        if self.limit >= self.max {
            return false;
        }
        self.successes += 1;
        if self.successes >= self.limit {
            self.successes = 0;
            self.limit += 1;
            return true;
        }
        false
    }
}

type Pending = std::pin::Pin<Box<dyn std::future::Future<Output = Done> + Send>>;

enum Done {
    Row(Box<ResultRow>),
    Throttled(Box<Job>, u32, String),
}

/// Run the batch. `inputs` is consumed lazily on a blocking thread;
/// `done` holds rows already in the results file and is updated as rows are
/// written, so duplicate inputs within one run are graded once each too.
pub async fn run<I>(
    grader: Arc<Grader>,
    inputs: I,
    done: &mut DoneSet,
    sinks: &mut [&mut dyn RowSink],
    progress: &mut dyn Progress,
    opts: PipelineOptions,
) -> Result<RunStats, String>
where
    I: Iterator<Item = InputItem> + Send + 'static,
{
    let started = Instant::now();
    let jobs = opts.jobs.max(1);
    let (tx, mut rx) = mpsc::channel::<InputItem>(jobs * 2);
    let reader = tokio::task::spawn_blocking(move || {
        for item in inputs {
            if tx.blocking_send(item).is_err() {
                break;
            }
        }
    });

    let mut limiter = Limiter::new(jobs, opts.throttle_backoff.max(Duration::from_millis(1)));
    let mut stats = RunStats {
        min_limit: limiter.limit,
        ..RunStats::default()
    };
    let mut running: FuturesUnordered<Pending> = FuturesUnordered::new();
    let mut inputs_open = true;
    loop {
        let can_start = inputs_open && running.len() < limiter.limit;
        tokio::select! {
            biased;
            Some(done_item) = running.next(), if !running.is_empty() => {
                match done_item {
                    Done::Row(row) => {
                        if limiter.succeeded() {
                            progress.limit_changed(limiter.limit);
                        }
                        emit(&row, done, sinks, progress, &mut stats)?;
                    }
                    Done::Throttled(job, tries, why) => {
                        if limiter.throttled() {
                            stats.throttled += 1;
                            stats.min_limit = stats.min_limit.min(limiter.limit);
                            progress.limit_changed(limiter.limit);
                        }
                        if tries >= opts.throttle_attempts {
                            let card = grader.evidence(&job).await;
                            let row = grader.judge_failed(
                                &job,
                                &card,
                                format!("still rate-limited after {tries} tries: {why}"),
                                Default::default(),
                                Duration::ZERO,
                            );
                            emit(&row, done, sinks, progress, &mut stats)?;
                        } else {
                            let wait = backoff(opts, tries);
                            let g = Arc::clone(&grader);
                            let fut: Pending = Box::pin(async move {
                                tokio::time::sleep(wait).await;
                                attempt(g, *job, tries + 1).await
                            });
                            running.push(fut);
                        }
                    }
                }
            }
            item = rx.recv(), if can_start => {
                let Some(item) = item else {
                    inputs_open = false;
                    continue;
                };
                stats.inputs += 1;
                match grader.prepare(item) {
                    Prepared::Done(row) => {
                        if done.contains(&row.id, &row.key) {
                            skip(done.failed(&row.id, &row.key), &mut stats, progress);
                        } else {
                            emit(&row, done, sinks, progress, &mut stats)?;
                        }
                    }
                    Prepared::Job(job) => {
                        if done.contains(&job.answer.id, &job.key) {
                            skip(done.failed(&job.answer.id, &job.key), &mut stats, progress);
                        } else {
                            let g = Arc::clone(&grader);
                            let fut: Pending = Box::pin(attempt(g, *job, 1));
                            running.push(fut);
                        }
                    }
                }
            }
            else => break,
        }
    }
    let _ = reader.await;
    stats.elapsed_ms = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
    Ok(stats)
}

async fn attempt(grader: Arc<Grader>, job: Job, tries: u32) -> Done {
    match grader.grade(job).await {
        Attempt::Row(row) => Done::Row(row),
        Attempt::Throttled(job, e) => Done::Throttled(job, tries, e.to_string()),
    }
}

fn backoff(opts: PipelineOptions, tries: u32) -> Duration {
    let factor = 2u32.saturating_pow(tries.saturating_sub(1).min(16));
    opts.throttle_backoff
        .saturating_mul(factor)
        .min(opts.throttle_backoff_max)
}

/// Count an input skipped because its row already exists.
pub(crate) fn skip(failed_before: bool, stats: &mut RunStats, progress: &mut dyn Progress) {
    stats.skipped += 1;
    if failed_before {
        stats.previously_failed += 1;
    }
    progress.advance(None);
}

/// Hand a finished row to every sink, once per (id, key).
pub(crate) fn emit(
    row: &ResultRow,
    done: &mut DoneSet,
    sinks: &mut [&mut dyn RowSink],
    progress: &mut dyn Progress,
    stats: &mut RunStats,
) -> Result<(), String> {
    if !done.insert_row(&row.id, &row.key, row.failed()) {
        // The same input twice in one run: one row is enough.
        stats.skipped += 1;
        progress.advance(None);
        return Ok(());
    }
    for s in sinks.iter_mut() {
        s.row(row)?;
    }
    stats.written += 1;
    if row.failed() {
        stats.failed += 1;
    }
    progress.advance(Some(row));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limiter_halves_once_per_storm_and_recovers_additively() {
        let mut l = Limiter::new(16, Duration::from_secs(60));
        assert!(l.throttled());
        assert_eq!(l.limit, 8);
        assert!(
            !l.throttled(),
            "second 429 of the same storm does not cut again"
        );
        assert_eq!(l.limit, 8);
        for _ in 0..7 {
            assert!(!l.succeeded());
        }
        assert!(l.succeeded());
        assert_eq!(l.limit, 9);
    }
}
