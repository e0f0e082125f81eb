//! `mockround practice`: a timed four-phase round in the terminal, or a
//! scripted one (`--answers FILE`, `--answers -`, or stdin not a terminal),
//! or the continuation of an interrupted one (`--resume ID`).

use std::io::{IsTerminal, Read};
use std::sync::Arc;

use crate::backend::ChatBackend;
use crate::cli::{Pace as CliPace, PracticeArgs};
use crate::error::{AppError, EXIT_OK};
use crate::interview::clock::{Clock, ManualClock, Pace, SystemClock};
use crate::interview::round::{LazyScorer, Round, RoundSetup};
use crate::interview::templates::{user_prompt_dir, Templates};
use crate::repl::{parse_script, run_interactive, run_scripted, TermScreen};
use crate::rubric::{ConceptId, Problem, Rubric};
use crate::tokens::DEFAULT_WINDOW;
use crate::transcript;

use super::Context;

fn pace(ctx: &Context, args: &PracticeArgs) -> Pace {
    if args.no_clock {
        return Pace::Untimed;
    }
    match args.pace {
        CliPace::Fast => Pace::Fast,
        // `--pace real` is the flag's default, so the config may still ask for fast.
        CliPace::Real => match ctx.config.practice.pace.as_deref() {
            Some("fast") => Pace::Fast,
            Some("untimed") | Some("none") => Pace::Untimed,
            _ => Pace::Real,
        },
    }
}

fn pick_problem(rubric: &Rubric, wanted: Option<&str>, seed: u64) -> Result<Problem, AppError> {
    let ids = rubric.problem_ids();
    if let Some(id) = wanted {
        return rubric.problem(id).cloned().ok_or_else(|| {
            AppError::Usage(format!(
                "unknown problem `{id}`; known problems: {} (see `mockround rubrics list`)",
                ids.join(", ")
            ))
        });
    }
    if ids.is_empty() {
        return Err(AppError::Usage(
            "the rubric has no problems; add one under --rubrics DIR".into(),
        ));
    }
    let id = ids[usize::try_from(seed % ids.len() as u64).unwrap_or(0)];
    rubric
        .problem(id)
        .cloned()
        .ok_or_else(|| AppError::Other(format!("problem `{id}` vanished from the rubric")))
}

/// `--focus ID`, checked against the rubric's concepts.
fn focus_concept(rubric: &Rubric, wanted: &str) -> Result<ConceptId, AppError> {
    let id = ConceptId::from(wanted.trim());
    if rubric.concept(&id).is_some() {
        return Ok(id);
    }
    let valid: Vec<&str> = rubric.concepts.iter().map(|c| c.id.as_str()).collect();
    Err(AppError::Usage(format!(
        "unknown concept `{wanted}` for --focus; valid concept ids: {} (see `mockround rubrics list`)",
        valid.join(", ")
    )))
}

fn read_script(args: &PracticeArgs) -> Result<Option<String>, AppError> {
    let from_stdin = |what: &str| -> Result<String, AppError> {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|source| AppError::Io {
                path: what.into(),
                source,
            })?;
        Ok(s)
    };
    match &args.answers {
        Some(p) if p.as_os_str() == "-" => Ok(Some(from_stdin("<stdin>")?)),
        Some(p) => std::fs::read_to_string(p)
            .map(Some)
            .map_err(|source| AppError::Io {
                path: p.clone(),
                source,
            }),
        None if !std::io::stdin().is_terminal() => Ok(Some(from_stdin("<stdin>")?)),
        None => Ok(None),
    }
}

fn round_err(e: crate::interview::round::RoundError) -> AppError {
    AppError::Other(e.to_string())
}

/// Run a practice round.
///
/// The opening is on screen within a few tens of milliseconds: only what it
/// needs (rubric, templates, journal) is built before it. The scorer
/// compiles on a background thread and the first input waits for it; the
/// tokenizer is built only for a model backend, also in the background.
pub async fn run(ctx: &Context, args: &PracticeArgs) -> Result<u8, AppError> {
    let rubric = Rubric::load(ctx.config.rubrics_dir.as_deref())
        .map_err(|e| AppError::Other(e.to_string()))?;
    let focus = args
        .focus
        .as_deref()
        .map(|f| focus_concept(&rubric, f))
        .transpose()?;
    let scorer = LazyScorer::build_in_background(rubric.clone());
    let templates = Arc::new(
        Templates::load(user_prompt_dir().as_deref())
            .map_err(|e| AppError::Other(e.to_string()))?,
    );
    let backend: Arc<dyn ChatBackend> = Arc::from(crate::backend::build(&ctx.config.backend)?);
    if !backend.is_offline() {
        crate::tokens::warm_up_in_background();
    }
    let window = ctx
        .config
        .context_tokens
        .map_or(DEFAULT_WINDOW, |t| t as usize);
    let script = read_script(args)?;
    let manual = ManualClock::new();
    let data_dir = ctx.config.data_dir.clone();
    let make_setup = |clock: Arc<dyn Clock>| RoundSetup {
        data_dir: data_dir.clone(),
        backend: backend.clone(),
        templates: templates.clone(),
        scorer,
        clock,
        window,
        temperature: ctx.config.temperature,
        interviewer: ctx.config.interviewer,
    };
    let mut round = if let Some(id) = &args.resume {
        let path =
            transcript::resolve(&data_dir, id).map_err(|e| AppError::Usage(e.to_string()))?;
        let scripted = script.is_some();
        let m = manual.clone();
        let (round, warnings) = Round::resume(
            |used| {
                let clock: Arc<dyn Clock> = if scripted {
                    m.set_ms(used);
                    Arc::new(m.clone())
                } else {
                    Arc::new(SystemClock::starting_at(used))
                };
                make_setup(clock)
            },
            &path,
            |pid| rubric.problem(pid).cloned(),
        )
        .map_err(round_err)?;
        for w in warnings {
            eprintln!("warning: {w}");
        }
        eprintln!("Resuming session {} ({})", round.id, path.display());
        round
    } else {
        let seed = args
            .seed
            .or(ctx.config.seed)
            .unwrap_or_else(rand::random::<u64>);
        let wanted = args
            .problem
            .as_deref()
            .or(ctx.config.practice.problem.as_deref());
        let problem = pick_problem(&rubric, wanted, seed)?;
        let clock: Arc<dyn Clock> = if script.is_some() {
            Arc::new(manual.clone())
        } else {
            Arc::new(SystemClock::new())
        };
        let round =
            Round::start_with_focus(make_setup(clock), problem, pace(ctx, args), seed, focus)
                .map_err(round_err)?;
        eprintln!(
            "Session {} ({} backend{}).\nJournal: {}",
            round.id,
            backend.kind(),
            if backend.is_offline() {
                ", template interviewer".to_string()
            } else {
                format!(", model {}", backend.model())
            },
            round.journal_path().display()
        );
        if let Some(f) = round.session().focus() {
            eprintln!("Focus: {f} (the debrief reports how you did on it)");
        }
        round
    };
    let mut screen = TermScreen::new(ctx.color, ctx.stdout_tty);
    let resumed = args.resume.is_some();
    // A round that stops part-way says where its turns are and how to go on.
    let stopped = {
        let (id, journal) = (round.id.clone(), round.journal_path().display().to_string());
        move |e: crate::interview::round::RoundError| {
            AppError::Other(format!(
                "{e}\nThe round stopped; the turns before this error are saved in {journal}. \
                 Once the cause is fixed, continue it with `mockround practice --resume {id}`."
            ))
        }
    };
    match script {
        Some(text) => {
            let blocks = parse_script(&text);
            let d = run_scripted(&mut round, &blocks, &manual, &mut screen, resumed)
                .await
                .map_err(&stopped)?;
            if ctx.json {
                println!(
                    "{}",
                    serde_json::to_string(&d).map_err(|e| AppError::Other(e.to_string()))?
                );
            }
        }
        None => {
            run_interactive(&mut round, &data_dir, &mut screen, resumed)
                .await
                .map_err(&stopped)?;
        }
    }
    Ok(EXIT_OK)
}
