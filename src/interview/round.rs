//! One round end to end: the session, its journal, the clock and the
//! phraser, wired together. Every candidate input is journaled (and fsynced)
//! before the interviewer answers, and every interviewer turn after it is
//! shown, so a round killed at any point resumes with no turn lost: resume
//! replays the journaled inputs through a fresh session at their recorded
//! times, and re-speaks a reply the crash cut off.

use std::future::Future;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread::JoinHandle;

use chrono::Utc;
use thiserror::Error;

use crate::backend::ChatBackend;
use crate::interview::clock::{Clock, Millis, Pace};
use crate::interview::debrief::{self, Debrief};
use crate::interview::phrasing::{leak_tokens, InterviewerMode, Phraser, Source, Spoken};
use crate::interview::session::{Input, Session, Turn};
use crate::interview::templates::Templates;
use crate::rubric::{ConceptId, Phase, Problem, Rubric};
use crate::score::Scorer;
use crate::transcript::{
    debrief_paths, journal_path, new_session_id, read_journal, Journal, JournalError, Record,
    JOURNAL_VERSION,
};

/// What the candidate "says" to open the model conversation (chat templates
/// want a user turn first).
const JOIN_LINE: &str = "(The candidate joins the call.)";

/// What the model is told the candidate "said" when a phase's time ran out
/// while they were silent.
const TIME_UP_LINE: &str = "(The time for this phase runs out while the candidate is silent.)";

/// Turns said from the templates without asking the model, once it was
/// found unreachable, before it is asked again; doubled after each failed
/// retry, up to `DOWN_SKIP_MAX`. A down server costs the candidate one wait
/// for the retry budget every few turns, not every turn.
const DOWN_SKIP_FIRST: u32 = 3;
const DOWN_SKIP_MAX: u32 = 12;

/// The model could not be reached: turns come from the templates for now.
#[derive(Debug, Clone)]
struct ModelDown {
    /// The newest error, recorded with every turn said without the model.
    reason: String,
    /// Turns still to say before the model is asked again.
    skip_left: u32,
    /// Turns to skip after the next failed retry.
    next_skip: u32,
}

/// Errors that stop a round.
#[derive(Debug, Error)]
pub enum RoundError {
    #[error(transparent)]
    Journal(#[from] JournalError),
    #[error("{path}: cannot write the debrief: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{0}")]
    Resume(String),
}

/// Where the interviewer's words go as they arrive.
pub trait Screen {
    /// A new interviewer turn starts.
    fn interviewer_begin(&mut self, phase: Phase);
    /// Some words of it.
    fn delta(&mut self, text: &str);
    /// The turn is complete.
    fn interviewer_end(&mut self);
    /// A line from mockround itself (not the interviewer): warnings, fallbacks.
    fn notice(&mut self, text: &str);
}

/// The scorer, ready or still being compiled on a background thread.
///
/// Compiling the rubric's cue automata takes longer than everything else
/// before the opening, yet nothing needs them until the candidate's first
/// input. So `practice` prints the opening while they build, and the first
/// input waits for them (on an idle machine they are long done by then).
pub struct LazyScorer {
    ready: OnceLock<Scorer>,
    building: Mutex<Option<JoinHandle<Scorer>>>,
    /// Built from on first use when no thread could be started.
    rubric: Arc<Rubric>,
}

impl LazyScorer {
    /// Start compiling the scorer for `rubric` on a background thread.
    pub fn build_in_background(rubric: Rubric) -> LazyScorer {
        let rubric = Arc::new(rubric);
        let for_thread = rubric.clone();
        let building = std::thread::Builder::new()
            .name("scorer-build".into())
            .spawn(move || Scorer::new(&for_thread))
            .ok();
        LazyScorer {
            ready: OnceLock::new(),
            building: Mutex::new(building),
            rubric,
        }
    }

    /// The scorer, waiting for the build if it is still running.
    pub fn get(&self) -> &Scorer {
        self.ready.get_or_init(|| {
            let handle = self
                .building
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner)
                .take();
            match handle.map(JoinHandle::join) {
                Some(Ok(scorer)) => scorer,
                // A panic while compiling is a bug: surface it here, as if
                // the scorer had been built on this thread.
                Some(Err(panic)) => std::panic::resume_unwind(panic),
                None => Scorer::new(&self.rubric),
            }
        })
    }
}

impl From<Scorer> for LazyScorer {
    fn from(scorer: Scorer) -> LazyScorer {
        LazyScorer {
            rubric: Arc::new(scorer.rubric().clone()),
            ready: OnceLock::from(scorer),
            building: Mutex::new(None),
        }
    }
}

/// Everything needed to run a round.
pub struct RoundSetup {
    pub data_dir: PathBuf,
    pub backend: Arc<dyn ChatBackend>,
    pub templates: Arc<Templates>,
    /// Built in the background by `practice`; a ready `Scorer` converts with `.into()`.
    pub scorer: LazyScorer,
    pub clock: Arc<dyn Clock>,
    /// Context window for the model conversation.
    pub window: usize,
    pub temperature: Option<f32>,
    /// How a model interviews (`guided` or `phrase`).
    pub interviewer: InterviewerMode,
}

/// A round in progress.
pub struct Round {
    pub id: String,
    session: Session,
    scorer: LazyScorer,
    clock: Arc<dyn Clock>,
    journal: Journal,
    phraser: Phraser,
    data_dir: PathBuf,
    /// The interviewer's turn a crash cut off, to be spoken on resume.
    pending: Option<(String, Turn)>,
    opened: bool,
    /// Set while the model is unreachable.
    model_down: Option<ModelDown>,
}

impl Round {
    /// Start a new round and journal its start record.
    pub fn start(
        setup: RoundSetup,
        problem: Problem,
        pace: Pace,
        seed: u64,
    ) -> Result<Round, RoundError> {
        Round::start_with_focus(setup, problem, pace, seed, None)
    }

    /// Start a new round drilling `focus` (`practice --focus`), recorded in
    /// the start record so a resumed round keeps it.
    pub fn start_with_focus(
        setup: RoundSetup,
        problem: Problem,
        pace: Pace,
        seed: u64,
        focus: Option<ConceptId>,
    ) -> Result<Round, RoundError> {
        let now = Utc::now();
        let id = new_session_id(
            now,
            problem.id.as_str(),
            (seed as u16) ^ (now.timestamp_subsec_micros() as u16),
        );
        let start = Record::Start {
            id: id.clone(),
            problem: problem.id.as_str().to_string(),
            pace,
            seed,
            started_at: now,
            backend: setup.backend.kind().to_string(),
            model: setup.backend.model().to_string(),
            version: JOURNAL_VERSION,
            focus: focus.clone(),
        };
        let journal = Journal::create(&journal_path(&setup.data_dir, &id), &start)?;
        let session = Session::new(problem, setup.templates.clone(), pace, seed).with_focus(focus);
        let mut phraser = Phraser::new(
            setup.backend.clone(),
            setup.templates.clone(),
            &session,
            setup.window,
            setup.temperature,
            Some(seed),
        );
        phraser.set_mode(setup.interviewer);
        Ok(Round {
            id,
            session,
            scorer: setup.scorer,
            clock: setup.clock,
            journal,
            phraser,
            data_dir: setup.data_dir,
            pending: None,
            opened: false,
            model_down: None,
        })
    }

    /// Continue an interrupted round from its journal. `make_clock` gets the
    /// round time already used and returns the clock to continue with.
    pub fn resume(
        setup_fn: impl FnOnce(Millis) -> RoundSetup,
        path: &Path,
        problem_for: impl FnOnce(&str) -> Option<Problem>,
    ) -> Result<(Round, Vec<String>), RoundError> {
        let read = read_journal(path)?;
        let warnings = read.warnings.clone();
        let Some(Record::Start {
            id,
            problem,
            pace,
            seed,
            focus,
            ..
        }) = read.start().cloned()
        else {
            return Err(RoundError::Resume(format!(
                "{}: no start record",
                path.display()
            )));
        };
        if read.end().is_some() {
            return Err(RoundError::Resume(format!(
                "session {id} already finished; see it with `mockround sessions show {id}`"
            )));
        }
        let Some(problem) = problem_for(&problem) else {
            return Err(RoundError::Resume(format!(
                "session {id} is on problem `{problem}`, which is not in the rubric any more; pass --rubrics with the directory that had it"
            )));
        };
        let last_ms = read
            .records
            .iter()
            .filter_map(|r| match r {
                Record::Candidate { at_ms, .. }
                | Record::Interviewer { at_ms, .. }
                | Record::TimeUp { at_ms, .. } => Some(*at_ms),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        let setup = setup_fn(last_ms);
        let mut session =
            Session::new(problem, setup.templates.clone(), pace, seed).with_focus(focus);
        let mut phraser = Phraser::new(
            setup.backend.clone(),
            setup.templates.clone(),
            &session,
            setup.window,
            setup.temperature,
            Some(seed),
        );
        phraser.set_mode(setup.interviewer);
        // Replay: inputs drive the session; interviewer records supply the words.
        let mut opened = false;
        let mut pending: Option<(String, Turn)> = None;
        for r in read.records.iter().skip(1) {
            match r {
                Record::Interviewer { text, asked, .. } => {
                    if let Some(k) = asked {
                        session.adopt(k);
                    }
                    match pending.take() {
                        Some((cand, _)) => phraser.replay(&cand, text),
                        None if !opened => {
                            session.open(0);
                            phraser.replay(JOIN_LINE, text);
                        }
                        None => {}
                    }
                    opened = true;
                }
                Record::Candidate { at_ms, text, .. } => {
                    if !opened {
                        session.open(0);
                        opened = true;
                    }
                    if let Some((cand, turn)) = pending.take() {
                        // A reply was never journaled but the candidate went on:
                        // keep the template words in the model's history.
                        phraser.replay(&cand, &turn.text());
                    }
                    let turn =
                        session.handle(Input::from_journal(text), *at_ms, setup.scorer.get());
                    pending = Some((text.clone(), turn));
                }
                Record::TimeUp { at_ms, .. } => {
                    if let Some((cand, turn)) = pending.take() {
                        phraser.replay(&cand, &turn.text());
                    }
                    let turn = session.tick(*at_ms, setup.scorer.get());
                    pending = Some((TIME_UP_LINE.to_string(), turn));
                }
                Record::Start { .. } | Record::End { .. } => {}
            }
        }
        let journal = Journal::reopen(path)?;
        Ok((
            Round {
                id,
                session,
                scorer: setup.scorer,
                clock: setup.clock,
                journal,
                phraser,
                data_dir: setup.data_dir,
                pending,
                opened,
                model_down: None,
            },
            warnings,
        ))
    }

    /// The session (read-only), for status lines and `/score`.
    pub fn session(&self) -> &Session {
        &self.session
    }
    /// The scorer.
    pub fn scorer(&self) -> &Scorer {
        self.scorer.get()
    }
    /// Round time now.
    pub fn now(&self) -> Millis {
        self.clock.now_ms()
    }
    /// The phraser (tests inspect the requests it sent).
    pub fn phraser_mut(&mut self) -> &mut Phraser {
        &mut self.phraser
    }
    /// Where the journal is.
    pub fn journal_path(&self) -> &Path {
        self.journal.path()
    }

    /// Open the round (or, after a resume, say the reply a crash cut off).
    /// Returns the turn spoken, if any.
    pub async fn open<C: Future<Output = ()>>(
        &mut self,
        screen: &mut dyn Screen,
        cancel: C,
    ) -> Result<Option<Turn>, RoundError> {
        if let Some((cand, turn)) = self.pending.take() {
            self.speak(&cand, &turn, screen, cancel).await?;
            return Ok(Some(turn));
        }
        if self.opened {
            return Ok(None);
        }
        self.opened = true;
        let turn = self.session.open(self.clock.now_ms());
        // The problem statement is read verbatim, never reworded.
        let text = turn.text();
        screen.interviewer_begin(self.session.phase());
        screen.delta(&text);
        screen.interviewer_end();
        if self.phraser.uses_model() {
            self.phraser.replay(JOIN_LINE, &text);
        }
        self.journal.append(&Record::Interviewer {
            at_ms: self.clock.now_ms(),
            phase: self.session.phase(),
            text,
            fallback: None,
            by_model: false,
            copied: false,
            rejected: None,
            retry: None,
            offered: None,
            asked: None,
        })?;
        Ok(Some(turn))
    }

    /// One candidate input: journal it, advance the session, speak the reply.
    pub async fn input<C: Future<Output = ()>>(
        &mut self,
        input: Input,
        screen: &mut dyn Screen,
        cancel: C,
    ) -> Result<Turn, RoundError> {
        let now = self.clock.now_ms();
        let text = input.journal_text();
        self.journal.append(&Record::Candidate {
            at_ms: now,
            phase: self.session.phase(),
            text: text.clone(),
        })?;
        let turn = self.session.handle(input, now, self.scorer.get());
        self.speak(&text, &turn, screen, cancel).await?;
        Ok(turn)
    }

    /// Time passed with no input: when the phase's budget is spent, journal
    /// that and speak the interviewer's move on. Returns the turn spoken, if
    /// any.
    pub async fn tick<C: Future<Output = ()>>(
        &mut self,
        screen: &mut dyn Screen,
        cancel: C,
    ) -> Result<Option<Turn>, RoundError> {
        let now = self.clock.now_ms();
        let phase = self.session.phase();
        let s = &self.session;
        let spent = |left: Option<i64>| left.is_some_and(|l| l <= 0);
        if s.is_finished() || !(spent(s.phase_left(now)) || spent(s.round_left(now))) {
            return Ok(None);
        }
        self.journal.append(&Record::TimeUp { at_ms: now, phase })?;
        let turn = self.session.tick(now, self.scorer.get());
        self.speak(TIME_UP_LINE, &turn, screen, cancel).await?;
        Ok(Some(turn))
    }

    async fn speak<C: Future<Output = ()>>(
        &mut self,
        candidate: &str,
        turn: &Turn,
        screen: &mut dyn Screen,
        cancel: C,
    ) -> Result<(), RoundError> {
        if turn.text().is_empty() {
            return Ok(());
        }
        let now = self.clock.now_ms();
        let prep = self.phraser.prepare(candidate, &self.session, turn, now);
        // While the model is down, most turns do not wait for it.
        let skip =
            prep.request.is_some() && self.model_down.as_ref().is_some_and(|d| d.skip_left > 0);
        let send = if skip { None } else { prep.request.as_ref() };
        // What the code says verbatim around the model's words is said
        // either way: its facts are no leak when the model repeats them.
        let told = format!("{} {}", prep.prefix, prep.suffix).to_lowercase();
        let leaks: Vec<String> = leak_tokens(&self.session.unrevealed_facts())
            .into_iter()
            .filter(|l| !told.contains(&l.to_lowercase()))
            .collect();
        screen.interviewer_begin(self.session.phase());
        if !prep.prefix.is_empty() {
            screen.delta(&prep.prefix);
            screen.delta(" ");
        }
        let mut spoken: Spoken = {
            let mut emit = |s: &str| screen.delta(s);
            self.phraser
                .speak(send, &prep.fallback, &leaks, cancel, &mut emit)
                .await
        };
        if !prep.suffix.is_empty() && spoken.source != Source::Interrupted {
            screen.delta(" ");
            screen.delta(&prep.suffix);
        }
        screen.interviewer_end();
        if skip {
            if let Some(d) = &mut self.model_down {
                d.skip_left -= 1;
                spoken.fallback_reason = Some(format!(
                    "not asked: the model was unreachable ({})",
                    d.reason
                ));
            }
        } else if spoken.unreachable {
            self.model_went_down(&spoken, screen);
        } else {
            if send.is_some()
                && spoken.source != Source::Interrupted
                && self.model_down.take().is_some()
            {
                screen.notice(&format!(
                    "({} answers again; the interviewer's words come from the model again)",
                    self.phraser.backend_label()
                ));
            }
            if let Some(why) = &spoken.fallback_reason {
                screen.notice(&format!(
                    "(model reply not used: {why}; the interviewer's template was used instead)"
                ));
            }
        }
        if spoken.source == Source::Interrupted {
            screen.notice("(reply stopped; the round goes on — type your answer)");
        }
        if spoken.fallback_reason.is_some() && !skip {
            // A model that failed once is shown only whole, checked replies.
            self.phraser.hold_whole_replies();
        }
        // A model that asked one of the offered alternatives changed the
        // question on the table.
        let asked = spoken
            .chosen
            .and_then(|i| turn.moves.get(i))
            .map(|m| m.key());
        if let Some(k) = &asked {
            self.session.adopt(k);
        }
        let text = prep.join(&spoken.text);
        self.phraser.commit(&text);
        self.journal.append(&Record::Interviewer {
            at_ms: self.clock.now_ms(),
            phase: self.session.phase(),
            by_model: spoken.source != Source::Template,
            copied: spoken.copied,
            rejected: spoken.rejected,
            retry: spoken.retried,
            offered: self.phraser.offered(),
            asked,
            text,
            fallback: spoken.fallback_reason,
        })?;
        Ok(())
    }

    /// The model failed to answer at all: say so once, clearly, and leave it
    /// alone for a few turns (more after each failed retry).
    fn model_went_down(&mut self, spoken: &Spoken, screen: &mut dyn Screen) {
        let reason = spoken
            .fallback_reason
            .clone()
            .unwrap_or_else(|| "no reply".into());
        match &mut self.model_down {
            Some(d) => {
                d.reason = reason;
                d.skip_left = d.next_skip;
                d.next_skip = (d.next_skip * 2).min(DOWN_SKIP_MAX);
            }
            None => {
                screen.notice(&format!(
                    "warning: {} is unreachable: {reason}\n\
                     The round goes on: the interviewer uses its own template questions, your \
                     answers are saved as usual in {}, and the model is tried again in a few turns.",
                    self.phraser.backend_label(),
                    self.journal.path().display()
                ));
                self.model_down = Some(ModelDown {
                    reason,
                    skip_left: DOWN_SKIP_FIRST,
                    next_skip: (DOWN_SKIP_FIRST * 2).min(DOWN_SKIP_MAX),
                });
            }
        }
    }

    /// The scorecard so far (for `/score`), without ending the round.
    pub fn score_so_far(&self) -> crate::score::Scorecard {
        self.scorer.get().score_session(
            Some(self.session.problem()),
            self.session.design(),
            &self.session.facts(),
        )
    }

    /// End the round: build the debrief (with the model's closing words when
    /// a model is configured), save it next to the journal as Markdown and
    /// JSON, and journal the end record.
    /// `cancel` (Ctrl-C) skips waiting for the model's closing words.
    pub async fn finish<C: Future<Output = ()>>(
        &mut self,
        cancel: C,
    ) -> Result<(Debrief, PathBuf, PathBuf), RoundError> {
        let now = self.clock.now_ms();
        let mut d = debrief::build(&self.session, self.scorer.get(), &self.id, now);
        let card = d.to_markdown();
        // An unreachable model would only make the candidate wait for the
        // retry budget again.
        d.interviewer_summary = if self.model_down.is_some() {
            None
        } else {
            tokio::select! {
                words = self.phraser.closing_words(&card) => words,
                () = cancel => None,
            }
        };
        let (md, json) = debrief_paths(&self.data_dir, &self.id);
        save(&md, d.to_markdown().as_bytes())?;
        let body = serde_json::to_vec_pretty(&d).map_err(|e| RoundError::Write {
            path: json.clone(),
            source: std::io::Error::other(e),
        })?;
        save(&json, &body)?;
        self.journal.append(&Record::End {
            at_ms: now,
            ended_at: Utc::now(),
            level: d.level,
            overall: d.overall,
        })?;
        Ok((d, md, json))
    }
}

/// Writes a debrief file whole or not at all: into a temporary file next to
/// it, then renamed over it, so a full disk or a kill never leaves half a
/// debrief behind (the journal has no end record then, and a resume writes
/// it again).
fn save(path: &Path, bytes: &[u8]) -> Result<(), RoundError> {
    let err = |source| RoundError::Write {
        path: path.to_path_buf(),
        source,
    };
    let mut tmp = path.as_os_str().to_owned();
    tmp.push(".tmp");
    let tmp = PathBuf::from(tmp);
    let written = std::fs::write(&tmp, bytes).and_then(|()| std::fs::rename(&tmp, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    written.map_err(err)
}

/// Simulated time for a scripted turn: typing at 40 words a minute, at least
/// 20 seconds and at most 5 minutes, so scripted rounds have realistic
/// phase times without sleeping.
pub fn typing_ms(text: &str) -> Millis {
    let words = text.split_whitespace().count() as u64;
    (words * 1500).clamp(20_000, 300_000)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_scorer_built_in_the_background_scores_like_one_built_inline() {
        let rubric = Rubric::builtin().expect("the built-in rubric loads");
        let answer = "Kafka with 100 partitions on user_id feeds Flink, which dedupes on \
                      event_id and writes to S3 through a two-phase commit sink, so replays \
                      are idempotent.";
        let inline = Scorer::new(&rubric).score(rubric.problem("clickstream"), answer);
        let lazy = LazyScorer::build_in_background(rubric.clone());
        // Two callers at once get the one scorer, built once.
        let (a, b) = std::thread::scope(|s| {
            let a = s.spawn(|| lazy.get() as *const Scorer as usize);
            let b = s.spawn(|| lazy.get() as *const Scorer as usize);
            (a.join().unwrap_or(0), b.join().unwrap_or(1))
        });
        assert_eq!(a, b);
        assert_eq!(
            lazy.get().score(rubric.problem("clickstream"), answer),
            inline
        );
        let ready = LazyScorer::from(Scorer::new(&rubric));
        assert_eq!(
            ready.get().score(rubric.problem("clickstream"), answer),
            inline
        );
    }
}
