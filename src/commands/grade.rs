//! `mockround grade`: grade many written answers at once.
//!
//! Exit codes: 0 every input graded; 1 some inputs could not be graded (bad
//! input, unknown problem, judge failure — each has its row); 2 usage or
//! configuration error, nothing graded.

use std::io::{IsTerminal, Write};
use std::path::Path;
use std::sync::Arc;

use serde_json::json;

use crate::backend::{self, ChatBackend};
use crate::cli::GradeArgs;
use crate::error::{AppError, EXIT_OK, EXIT_PARTIAL};
use crate::grade::batch_api;
use crate::grade::grader::{EvidenceScorer, Grader, Prepared};
use crate::grade::input::Inputs;
use crate::grade::pipeline::{self, NoProgress, PipelineOptions, Progress, RowSink, RunStats};
use crate::grade::progress::{count_inputs, Bar};
use crate::grade::results::{self, DoneSet, JsonlWriter};
use crate::grade::samples::MAX_SAMPLES;
use crate::grade::tokens::{count_request, CostEstimate, Encoding};
use crate::report::csv::CsvWriter;
use crate::report::{html, markdown, ReportError, Summary};
use crate::rubric::Rubric;
use crate::score::judge;
use crate::score::Scorer;

use super::Context;

/// Run `mockround grade`.
pub async fn run(ctx: &Context, args: &GradeArgs) -> Result<u8, AppError> {
    if args.inputs.is_empty() {
        return Err(AppError::Usage(
            "no inputs: pass answer files, directories, .jsonl files or `-` for stdin \
             (with --import-batch, pass the same inputs that were exported)"
                .into(),
        ));
    }
    if args.jobs == Some(0) {
        return Err(AppError::Usage("--jobs must be at least 1".into()));
    }
    let rubric = Rubric::load(ctx.config.rubrics_dir.as_deref())
        .map_err(|e| AppError::Usage(format!("cannot load the rubric: {e}")))?;
    let scorer: Arc<dyn EvidenceScorer> = Arc::new(Scorer::new(&rubric));
    if let Some(p) = &args.problem {
        if rubric.problem(p).is_none() {
            return Err(AppError::Usage(format!(
                "unknown problem id `{p}`; valid ids: {}",
                rubric.problem_ids().join(", ")
            )));
        }
    }
    let backend: Arc<dyn ChatBackend> = Arc::from(backend::build(&ctx.config.backend)?);
    let mut grader = Grader::new(scorer, Arc::clone(&backend));
    grader.default_problem = args.problem.clone();
    grader.temperature = ctx.config.temperature.or(Some(0.0));
    grader.seed = ctx.config.seed;
    grader.judge_max_tokens = ctx.config.judge_max_tokens;
    grader.judge_scope = ctx.config.judge_scope;
    if args.samples == 0 || args.samples > MAX_SAMPLES {
        return Err(AppError::Usage(format!(
            "--samples must be between 1 and {MAX_SAMPLES} (each sample is a full judge request)"
        )));
    }
    if args.samples > 1 && !grader.uses_judge() {
        eprintln!(
            "warning: --samples {} has no effect on the offline backend: its scores are deterministic and there is no judge to sample (configure a model backend to measure judge variance)",
            args.samples
        );
    } else {
        grader.samples = args.samples;
    }
    let grader = Arc::new(grader);

    let done = match &args.out {
        Some(p) => {
            let done = results::load_done(p).map_err(|e| AppError::Usage(e.to_string()))?;
            for w in &done.warnings {
                eprintln!("warning: {w}");
            }
            done
        }
        None => DoneSet::default(),
    };

    if args.dry_run {
        return dry_run(ctx, &grader, args, &done);
    }
    if let Some(file) = &args.export_batch {
        return export(ctx, &grader, args, &done, file);
    }
    grade(ctx, grader, args, done).await
}

fn dry_run(
    ctx: &Context,
    grader: &Grader,
    args: &GradeArgs,
    done: &DoneSet,
) -> Result<u8, AppError> {
    let model = grader.backend().model().to_string();
    let mut est = CostEstimate {
        model: model.clone(),
        ..CostEstimate::default()
    };
    let mut bad = 0u64;
    let offline = !grader.uses_judge();
    let encoding = Encoding::for_model(&model);
    if !offline {
        est.encoding = Some(encoding);
    }
    let ceiling = u64::from(ctx.config.judge_max_tokens);
    let mut seen = DoneSet::default();
    for item in Inputs::new(&args.inputs) {
        match grader.prepare(item) {
            Prepared::Done(row) => {
                bad += 1;
                est.skipped += 1;
                eprintln!("{}: {}", row.source, row.error.unwrap_or_default());
            }
            Prepared::Job(job) => {
                if done.contains(&job.answer.id, &job.key) || !seen.insert(&job.answer.id, &job.key)
                {
                    est.skipped += 1;
                    continue;
                }
                if job.problem.is_none() {
                    eprintln!("{}", missing_problem_warning(&job.answer.source));
                }
                if offline {
                    continue;
                }
                let (req, criteria) = grader.judge_request(&job, grader.judge_scope);
                let expected_reply = (criteria.len() as u64 * 60).min(ceiling);
                est.requests += 1;
                est.prompt_tokens += count_request(encoding, &req);
                est.completion_tokens_expected += expected_reply;
                est.completion_tokens_max += ceiling;
            }
        }
    }
    est.price(&ctx.config.prices);
    if ctx.json {
        println!("{}", json!({"dry_run": est, "bad_inputs": bad}));
    } else {
        if offline {
            println!("the offline backend sends no requests: grading costs nothing");
        }
        print!("{}", est.render());
    }
    Ok(if bad > 0 { EXIT_PARTIAL } else { EXIT_OK })
}

fn export(
    ctx: &Context,
    grader: &Grader,
    args: &GradeArgs,
    done: &DoneSet,
    file: &Path,
) -> Result<u8, AppError> {
    if !grader.uses_judge() {
        return Err(AppError::Usage(
            "--export-batch needs a model backend (the offline backend sends no requests); \
             pick one with --backend"
                .into(),
        ));
    }
    let stats = batch_api::export(grader, Inputs::new(&args.inputs), done, file)
        .map_err(AppError::Other)?;
    for e in &stats.errors {
        eprintln!("{e}");
    }
    if ctx.json {
        println!(
            "{}",
            json!({"export": stats, "file": file.display().to_string()})
        );
    } else {
        eprintln!(
            "wrote {} request(s) to {} ({} input(s) not exported). Upload it with purpose \"batch\", \
             then run: mockround grade <same inputs> --import-batch OUTPUT.jsonl --out results.jsonl",
            stats.requests,
            file.display(),
            stats.skipped
        );
    }
    Ok(if stats.errors.is_empty() {
        EXIT_OK
    } else {
        EXIT_PARTIAL
    })
}

async fn grade(
    ctx: &Context,
    grader: Arc<Grader>,
    args: &GradeArgs,
    mut done: DoneSet,
) -> Result<u8, AppError> {
    let jobs = args.jobs.unwrap_or(ctx.config.jobs).max(1);
    let already = done.len();
    let criteria = grader.criteria().to_vec();
    let stderr_tty = std::io::stderr().is_terminal();

    let mut appender = match &args.out {
        Some(p) => Some(results::open_append(p).map_err(|e| AppError::Usage(e.to_string()))?),
        None => None,
    };
    let mut stdout_rows = JsonlWriter(std::io::stdout());
    // Without --out, the per-answer parts of a report read this run's rows
    // back from a temporary copy (deleted on drop), as they would from --out.
    let mut spool = match (&args.out, args.markdown.is_some() || args.html.is_some()) {
        (None, true) => Some(Spool::new()?),
        _ => None,
    };
    let mut live_summary = Summary::default();
    let mut live_csv = match (&args.csv, &args.out) {
        (Some(p), None) => Some(CsvWriter::new(create(p)?, &criteria).map_err(|e| io(p, e))?),
        _ => None,
    };
    let stats: RunStats = {
        let mut sinks: Vec<&mut dyn RowSink> = Vec::new();
        // Without --out, rows stream to stdout (with --json the summary
        // object follows them as the last line).
        match appender.as_mut() {
            Some(a) => sinks.push(a),
            None => sinks.push(&mut stdout_rows),
        }
        if args.out.is_none() {
            sinks.push(&mut live_summary);
        }
        if let Some(c) = live_csv.as_mut() {
            sinks.push(c);
        }
        if let Some(sp) = spool.as_mut() {
            sinks.push(&mut sp.writer);
        }
        let mut bar = stderr_tty.then(|| Bar::new(count_inputs(&args.inputs)));
        let mut quiet = NoProgress;
        let inner: &mut dyn Progress = match bar.as_mut() {
            Some(b) => b,
            None => &mut quiet,
        };
        let mut warned = MissingProblem::new(inner, stderr_tty);
        let progress: &mut dyn Progress = &mut warned;
        let inputs = Inputs::new(&args.inputs);
        let result = match &args.import_batch {
            Some(file) => batch_api::import(
                Arc::clone(&grader),
                inputs,
                file,
                &mut done,
                &mut sinks,
                progress,
            ),
            None => {
                let opts = PipelineOptions {
                    jobs,
                    ..PipelineOptions::default()
                };
                pipeline::run(
                    Arc::clone(&grader),
                    inputs,
                    &mut done,
                    &mut sinks,
                    progress,
                    opts,
                )
                .await
            }
        };
        let held = warned.into_held();
        if let Some(b) = &bar {
            b.finish();
        }
        held.print();
        result.map_err(AppError::Other)?
    };
    if let Some(c) = live_csv {
        c.finish()
            .map_err(|e| AppError::Other(format!("CSV: {e}")))?;
    }
    if let Some(a) = appender {
        a.finish().map_err(|e| AppError::Other(e.to_string()))?;
    }

    // Reports cover the whole results file (earlier runs included) when
    // there is one, else this run's rows.
    let summary = match &args.out {
        Some(out) => rebuild_from(out, args, &criteria)?,
        None => live_summary,
    };
    let rows_file = match (&args.out, &mut spool) {
        (Some(out), _) => Some(out.clone()),
        (None, Some(sp)) => Some(sp.finish()?),
        (None, None) => None,
    };
    if let Some(rows) = rows_file.as_deref() {
        if let Some(p) = &args.markdown {
            write_report(p, |w| markdown::write(w, &summary, &rows))?;
        }
        if let Some(p) = &args.html {
            write_report(p, |w| html::write(w, &summary, &rows))?;
        }
    }

    if !ctx.json && summary.sampled > 0 {
        let mut v: Vec<(&String, &u64)> = summary.unstable.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let listed: Vec<String> = v.iter().map(|(id, n)| format!("{id} ({n})")).collect();
        eprintln!(
            "judge samples: {} answer(s) graded on the median of several judge samples; unstable criteria (samples 2+ apart): {}",
            summary.sampled,
            if listed.is_empty() {
                "none".to_string()
            } else {
                listed.join(", ")
            }
        );
    }
    let code = if stats.failed + stats.previously_failed > 0 {
        EXIT_PARTIAL
    } else {
        EXIT_OK
    };
    if ctx.json {
        println!(
            "{}",
            json!({
                "inputs": stats.inputs,
                "graded": stats.written - stats.failed,
                "failed": stats.failed,
                "skipped_already_graded": stats.skipped,
                "previously_failed": stats.previously_failed,
                "rows_before_run": already,
                "throttled": stats.throttled,
                "elapsed_ms": stats.elapsed_ms,
                "exit_code": code,
                "summary": summary,
            })
        );
    } else {
        eprintln!(
            "graded {} input(s) in {:.1}s: {} ok, {} failed, {} skipped (already graded{}){}{}",
            stats.inputs,
            stats.elapsed_ms as f64 / 1000.0,
            stats.written - stats.failed,
            stats.failed,
            stats.skipped,
            if stats.previously_failed > 0 {
                format!(", {} of them failed before", stats.previously_failed)
            } else {
                String::new()
            },
            if stats.throttled > 0 {
                format!(", rate-limited {} time(s)", stats.throttled)
            } else {
                String::new()
            },
            args.out
                .as_ref()
                .map(|p| format!("; rows in {}", p.display()))
                .unwrap_or_default()
        );
    }
    let _ = std::io::stdout().flush();
    Ok(code)
}

fn rebuild_from(
    out: &Path,
    args: &GradeArgs,
    criteria: &[judge::Criterion],
) -> Result<Summary, AppError> {
    let mut summary = Summary::default();
    let mut csv = match &args.csv {
        Some(p) => Some(CsvWriter::new(create(p)?, criteria).map_err(|e| io(p, e))?),
        None => None,
    };
    for row in results::read_rows(out).map_err(|e| AppError::Other(e.to_string()))? {
        let row = row.map_err(|e| AppError::Other(e.to_string()))?;
        summary.add(&row);
        if let Some(c) = csv.as_mut() {
            c.write(&row)
                .map_err(|e| AppError::Other(format!("CSV: {e}")))?;
        }
    }
    if let Some(c) = csv {
        c.finish()
            .map_err(|e| AppError::Other(format!("CSV: {e}")))?;
    }
    Ok(summary)
}

/// Creates an output file, and the directories above it.
fn create(p: &Path) -> Result<std::io::BufWriter<std::fs::File>, AppError> {
    results::create_parent_dirs(p).map_err(|e| io(p, e))?;
    std::fs::File::create(p)
        .map(std::io::BufWriter::new)
        .map_err(|e| io(p, e))
}

/// Writes a whole report, creating the directories above it.
fn write_report(
    p: &Path,
    render: impl FnOnce(&mut dyn Write) -> Result<(), ReportError>,
) -> Result<(), AppError> {
    let mut w = create(p)?;
    render(&mut w).map_err(|e| match e {
        ReportError::Io(source) => io(p, source),
        ReportError::Rows(e) => AppError::Other(e.to_string()),
    })?;
    w.flush().map_err(|e| io(p, e))
}

/// This run's rows, copied to a temporary file for the reports to read.
struct Spool {
    file: tempfile::NamedTempFile,
    writer: JsonlWriter<std::io::BufWriter<std::fs::File>>,
}

impl Spool {
    fn new() -> Result<Self, AppError> {
        let file = tempfile::NamedTempFile::new().map_err(|e| {
            AppError::Other(format!(
                "cannot create a temporary file for the report rows: {e}"
            ))
        })?;
        let handle = file.reopen().map_err(|e| io(file.path(), e))?;
        Ok(Self {
            writer: JsonlWriter(std::io::BufWriter::new(handle)),
            file,
        })
    }

    /// The file, with every row written.
    fn finish(&mut self) -> Result<std::path::PathBuf, AppError> {
        self.writer.0.flush().map_err(|e| io(self.file.path(), e))?;
        Ok(self.file.path().to_path_buf())
    }
}

/// How many inputs without a problem id are named one by one; past that,
/// one line counts the rest.
const MISSING_PROBLEM_NAMED: usize = 20;

/// Warns, once per input, that an input named no problem and was graded
/// against the generic rubric. With a progress bar on the terminal the
/// warnings are held until the bar is gone, so neither garbles the other.
struct MissingProblem<'a> {
    inner: &'a mut dyn Progress,
    held: Held,
    hold: bool,
    named: usize,
}

/// Warnings not printed yet, and how many inputs were not named.
#[derive(Default)]
struct Held {
    lines: Vec<String>,
    more: usize,
}

impl Held {
    fn print(self) {
        for w in self.lines {
            eprintln!("{w}");
        }
        if self.more > 0 {
            eprintln!(
                "warning: {} more input(s) had no problem id and were graded against the generic rubric",
                self.more
            );
        }
    }
}

impl<'a> MissingProblem<'a> {
    fn new(inner: &'a mut dyn Progress, hold: bool) -> Self {
        Self {
            inner,
            held: Held::default(),
            hold,
            named: 0,
        }
    }

    /// What is left to print once the run (and its bar) is over.
    fn into_held(self) -> Held {
        self.held
    }
}

impl Progress for MissingProblem<'_> {
    fn advance(&mut self, row: Option<&crate::grade::rows::ResultRow>) {
        if let Some(r) = row.filter(|r| r.problem_missing) {
            if self.named < MISSING_PROBLEM_NAMED {
                self.named += 1;
                let line = missing_problem_warning(&r.source);
                if self.hold {
                    self.held.lines.push(line);
                } else {
                    eprintln!("{line}");
                }
            } else {
                self.held.more += 1;
            }
        }
        self.inner.advance(row);
    }

    fn limit_changed(&mut self, limit: usize) {
        self.inner.limit_changed(limit);
    }
}

/// The warning for an input graded without a problem.
pub fn missing_problem_warning(source: &str) -> String {
    format!(
        "warning: {source}: no problem id, so it was graded against the generic rubric \
         (no problem's key concepts or reference answer); pass `--problem ID`, or name it in the input \
         (front matter `problem: ID`, or a JSONL \"problem\" field); `mockround rubrics list` shows the ids"
    )
}

fn io(p: &Path, source: std::io::Error) -> AppError {
    AppError::Io {
        path: p.to_path_buf(),
        source,
    }
}
