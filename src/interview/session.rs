//! The round as a pure state machine: candidate input plus "now" in, the
//! interviewer's next lines out. No I/O, no model, no clock reads; the same
//! inputs at the same times always give the same round, which is what makes
//! resume (replay the journal) and scripted tests exact.
//!
//! Every answer is read once into the design model; what to ask next is
//! chosen from the gaps in that model (see `phases.rs` and `failures.rs`).

mod view;

use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::design::{Depth, Design};
use crate::interview::clock::{Millis, Pace};
use crate::interview::curveballs::CurveballResult;
use crate::interview::drills::{Drill, Outcome};
use crate::interview::moves::Move;
use crate::interview::planner::PlannedFailure;
use crate::interview::templates::Templates;
use crate::rubric::{ConceptId, FactTopic, Phase, Problem};
use crate::score::Scorer;

/// What the candidate did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Input {
    /// An answer or question, as typed or pasted.
    Answer(String),
    /// `/next`: move on now.
    Next,
    /// `/hint`: a nudge toward a missed concept (recorded; caps its credit).
    Hint,
    /// `/quit` or end of script: close the round.
    Quit,
}

impl Input {
    /// The journal form of an input (slash commands as typed).
    pub fn journal_text(&self) -> String {
        match self {
            Input::Answer(t) => t.clone(),
            Input::Next => "/next".into(),
            Input::Hint => "/hint".into(),
            Input::Quit => "/quit".into(),
        }
    }

    /// Parse a journal line back into an input.
    pub fn from_journal(text: &str) -> Input {
        match text.trim() {
            "/next" => Input::Next,
            "/hint" => Input::Hint,
            "/quit" => Input::Quit,
            _ => Input::Answer(text.to_string()),
        }
    }
}

/// Why a phase ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Transition {
    TimeUp,
    Requested,
    Covered,
}

/// One thing the interviewer says, with the intent that produced it (the
/// model phrasing layer and tests look at intents; people read the text).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Say {
    pub intent: String,
    pub text: String,
}

/// The interviewer's response to one input.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Turn {
    pub says: Vec<Say>,
    /// Set when the phase changed during this turn.
    pub transition: Option<(Phase, Phase, Transition)>,
    /// True when this turn is a follow-up on the candidate's last answer.
    pub follow_up: bool,
    /// The question this turn asks, as a move (its target and the
    /// candidate's words), first; then alternatives a model may choose.
    pub moves: Vec<Move>,
    /// The round is over: show the debrief.
    pub finished: bool,
}

impl Turn {
    /// Everything said, as one block of text.
    pub fn text(&self) -> String {
        self.says
            .iter()
            .map(|s| s.text.as_str())
            .filter(|s| !s.is_empty())
            .collect::<Vec<_>>()
            .join(" ")
    }
    /// True when any line has this intent.
    pub fn has(&self, intent: &str) -> bool {
        self.says.iter().any(|s| s.intent == intent)
    }
}

/// How one probed failure went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct FailureResult {
    pub id: String,
    pub title: String,
    pub question: String,
    pub detect: bool,
    pub recover: bool,
    pub prevent_loss: bool,
    pub follow_ups: u8,
    /// How deep each part went: detect, recover, prevent loss.
    #[serde(default)]
    pub depth: [Depth; 3],
    /// Why the drill ended.
    #[serde(default = "default_outcome")]
    pub outcome: Outcome,
    /// The candidate had covered it before being asked; the harder
    /// variant was asked instead.
    #[serde(default)]
    pub escalated: bool,
    /// The candidate's words on each part, where they said something.
    #[serde(default)]
    pub quotes: Vec<String>,
}

fn default_outcome() -> Outcome {
    Outcome::Complete
}

impl FailureResult {
    /// Detect, recover and prevent-loss all covered.
    pub fn complete(&self) -> bool {
        self.detect && self.recover && self.prevent_loss
    }
}

/// A question left open after a push: recorded for the debrief.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct OpenGap {
    pub phase: Phase,
    pub intent: String,
    pub target: Option<String>,
    /// What stays open, in the interviewer's words: the arithmetic of a
    /// numbers challenge the candidate stood by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// The question on the table: what would resolve it, whether it was pushed.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Pending {
    pub mv: Move,
    pub pushed: bool,
    /// The component the question is about (answers land on it).
    pub about: Option<usize>,
    pub check: Check,
}

/// What resolves a pending question, read from the design model.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Check {
    Diagram,
    Annotated(usize),
    Product(usize),
    Boxes(usize),
    Key,
    Guarantee,
    Write(usize),
    /// An arrow that is not control is drawn.
    DataPath,
    /// Any concrete answer (a challenge).
    Substance,
    /// An answer that adapts the design to curveball `i`.
    Curveball(usize),
    /// A crowded board cut to the boxes that matter: the answer names the
    /// ones it keeps or folds away.
    Collapse,
}

/// The round's state. Fields are crate-visible so the per-phase logic in
/// `phases.rs` and `failures.rs` can read them; outside the crate use the
/// accessors.
#[derive(Debug, Clone)]
pub struct Session {
    pub(crate) problem: Problem,
    pub(crate) templates: Arc<Templates>,
    pub(crate) pace: Pace,
    pub(crate) seed: u64,
    pub(crate) phase: Phase,
    pub(crate) phase_started: Millis,
    pub(crate) phase_used: [Millis; 4],
    pub(crate) started: bool,
    pub(crate) finished: bool,
    pub(crate) turn_no: u64,
    /// The model of everything the candidate said.
    pub(crate) design: Design,
    pub(crate) phase_turns: [u32; 4],
    // clarify
    pub(crate) asked: Vec<FactTopic>,
    pub(crate) revealed: Vec<usize>,
    pub(crate) jumped: bool,
    // moves
    /// Every move asked, as `Move::key()`, in order; and `quoted|{claim}`
    /// for a claim said back in one.
    pub(crate) history: Vec<String>,
    pub(crate) pending: Option<Pending>,
    /// The moves offered with the last question (a model may ask one of
    /// the alternatives instead).
    pub(crate) offered: Vec<Move>,
    pub(crate) gaps_left: Vec<OpenGap>,
    /// Challenges answered with substance: the intent and the answer's
    /// first sentence (a later drill on the same ground goes harder).
    pub(crate) answered: Vec<(String, String)>,
    /// Of those, the ones answered with what was asked (on topic, with
    /// substance, not a disputed premise): the intent and the answer. The
    /// concept each probes is credited as explained, in these words.
    pub(crate) credited: Vec<(String, String)>,
    /// Dubious claims said in an answer that had one said back already:
    /// each waits for the next answer that brings none of its own.
    pub(crate) claims_later: Vec<crate::interview::claims::Claim>,
    /// Sentences already quoted as covering a failure: one sentence covers
    /// one failure, never the next one too.
    pub(crate) covered_quotes: Vec<String>,
    pub(crate) challenges_this_phase: u32,
    // failure modes
    pub(crate) plan: Vec<PlannedFailure>,
    pub(crate) current: usize,
    pub(crate) drill: Option<Drill>,
    /// The newest answer was about another of the problem's failures than
    /// the drill's: that failure's title (read once per answer).
    pub(crate) elsewhere: Option<String>,
    pub(crate) results: Vec<FailureResult>,
    pub(crate) curveballs: Vec<CurveballResult>,
    pub(crate) hints: Vec<ConceptId>,
    /// Answers given after the clarify phase, and those with nothing to use
    /// in them, as said: a shrug or a dodge
    /// ([`crate::interview::answers::evasive`]), or a reply to another
    /// question than the one asked.
    pub(crate) answers_given: usize,
    pub(crate) evasive: Vec<String>,
    /// Answers that made again a dubious claim already said back.
    pub(crate) claims_stood_by: Vec<String>,
    /// The concept this round drills (`practice --focus`): probed first,
    /// recorded in the journal and reported in the debrief.
    pub(crate) focus: Option<ConceptId>,
}

pub(crate) fn phase_index(p: Phase) -> usize {
    Phase::ALL.iter().position(|x| *x == p).unwrap_or(0)
}

impl Session {
    /// A new round on `problem`. Nothing is said until `open`.
    pub fn new(problem: Problem, templates: Arc<Templates>, pace: Pace, seed: u64) -> Session {
        Session {
            problem,
            templates,
            pace,
            seed,
            phase: Phase::Clarify,
            phase_started: 0,
            phase_used: [0; 4],
            started: false,
            finished: false,
            turn_no: 0,
            design: Design::new(),
            phase_turns: [0; 4],
            asked: Vec::new(),
            revealed: Vec::new(),
            jumped: false,
            history: Vec::new(),
            pending: None,
            offered: Vec::new(),
            gaps_left: Vec::new(),
            answered: Vec::new(),
            credited: Vec::new(),
            claims_later: Vec::new(),
            covered_quotes: Vec::new(),
            challenges_this_phase: 0,
            plan: Vec::new(),
            current: 0,
            drill: None,
            elsewhere: None,
            results: Vec::new(),
            curveballs: Vec::new(),
            hints: Vec::new(),
            answers_given: 0,
            evasive: Vec::new(),
            claims_stood_by: Vec::new(),
            focus: None,
        }
    }

    /// The same round, drilling `focus` (`practice --focus`; `None` for
    /// none): the interviewer probes it first.
    pub fn with_focus(mut self, focus: Option<ConceptId>) -> Session {
        self.focus = focus;
        self
    }

    /// A model asked the alternative `key` (`intent|target`) instead of the
    /// move the code put first: that alternative is now the question on the
    /// table. False when no such move was offered.
    pub fn adopt(&mut self, key: &str) -> bool {
        let Some(mv) = self.offered.iter().find(|m| m.key() == key).cloned() else {
            return false;
        };
        if self.pending.as_ref().is_some_and(|p| p.mv.key() == key) {
            return true;
        }
        if let Some(p) = &self.pending {
            let k = p.mv.key();
            if let Some(pos) = self.history.iter().rposition(|h| *h == k) {
                self.history.remove(pos);
            }
        }
        self.history.push(mv.key());
        let about = mv.target.as_deref().and_then(|t| self.design.find(t));
        self.pending = Some(Pending {
            mv,
            pushed: false,
            about,
            check: Check::Substance,
        });
        true
    }

    /// Pick a template variant: deterministic from the seed and turn.
    pub(crate) fn line(&self, intent: &str, vars: &[(&str, &str)]) -> Say {
        let pick = self
            .seed
            .wrapping_mul(31)
            .wrapping_add(self.turn_no.wrapping_mul(7))
            .wrapping_add(intent.len() as u64);
        Say {
            intent: intent.to_string(),
            text: self.templates.line(intent, pick, vars),
        }
    }

    /// The interviewer's opening: reads the problem aloud.
    pub fn open(&mut self, now: Millis) -> Turn {
        self.started = true;
        self.phase_started = now;
        let statement = self.problem.statement.trim().to_string();
        Turn {
            says: vec![self.line("opening", &[("statement", &statement)])],
            ..Turn::default()
        }
    }

    /// Handle one input at time `now`.
    pub fn handle(&mut self, input: Input, now: Millis, scorer: &Scorer) -> Turn {
        if self.finished {
            return Turn {
                finished: true,
                ..Turn::default()
            };
        }
        if !self.started {
            self.started = true;
            self.phase_started = now;
        }
        self.turn_no += 1;
        let mut turn = Turn::default();
        match input {
            Input::Quit => {
                self.stop_drill(Outcome::Stopped);
                self.finish(now, &mut turn, None);
            }
            Input::Hint => {
                let say = self.hint(scorer);
                turn.says.push(say);
            }
            Input::Next => {
                if self.phase == Phase::FailureModes {
                    self.skip_failure(now, &mut turn, scorer);
                } else {
                    self.leave_pending();
                    let s = self.line("next_requested", &[]);
                    turn.says.push(s);
                    self.advance(now, Transition::Requested, &mut turn, scorer);
                }
            }
            Input::Answer(text) => {
                let text = text.trim().to_string();
                if text.is_empty() {
                    return turn;
                }
                let i = phase_index(self.phase);
                self.phase_turns[i] += 1;
                if self.phase != Phase::Clarify {
                    self.answers_given += 1;
                    if crate::interview::answers::evasive(&text) {
                        self.evasive.push(text.clone());
                    }
                    // A claim said back once and defended again.
                    let history = &self.history;
                    let said_back = |id: &str| {
                        let key = crate::interview::moves::Move::new("push_claim")
                            .target(id.to_string())
                            .key();
                        history.contains(&key)
                    };
                    if let Some(said) = crate::interview::claims::stood_by(&text, said_back) {
                        self.claims_stood_by.push(said);
                    }
                }
                let time_up = self.time_up(now);
                let round_up = self.round_up(now);
                // Always learn from the answer, even when time is up.
                self.respond(&text, now, scorer, &mut turn, time_up || round_up);
                if !self.finished && round_up {
                    self.stop_drill(Outcome::Stopped);
                    self.finish(now, &mut turn, Some(Transition::TimeUp));
                } else if !self.finished && time_up && turn.transition.is_none() {
                    let phase = self.phase.title().to_lowercase();
                    let s = self.line("time_up", &[("phase", &phase)]);
                    turn.says.push(s);
                    self.leave_pending();
                    if self.phase == Phase::FailureModes {
                        self.stop_drill(Outcome::Stopped);
                        self.finish(now, &mut turn, Some(Transition::TimeUp));
                    } else {
                        self.advance(now, Transition::TimeUp, &mut turn, scorer);
                    }
                }
            }
        }
        turn.finished = self.finished;
        turn
    }

    /// Time passed with no input. When the phase's budget (or the round's)
    /// is spent, the interviewer says so now and moves on, as `handle` does
    /// at the next answer; otherwise nothing is said. Lets a front end end a
    /// phase on time while the candidate is silent.
    pub fn tick(&mut self, now: Millis, scorer: &Scorer) -> Turn {
        let mut turn = Turn {
            finished: self.finished,
            ..Turn::default()
        };
        if self.finished || !self.started || !(self.time_up(now) || self.round_up(now)) {
            return turn;
        }
        self.turn_no += 1;
        let phase = self.phase.title().to_lowercase();
        let s = self.line("time_up", &[("phase", &phase)]);
        turn.says.push(s);
        self.leave_pending();
        if self.round_up(now) || self.phase == Phase::FailureModes {
            self.stop_drill(Outcome::Stopped);
            self.finish(now, &mut turn, Some(Transition::TimeUp));
        } else {
            self.advance(now, Transition::TimeUp, &mut turn, scorer);
        }
        turn.finished = self.finished;
        turn
    }

    fn time_up(&self, now: Millis) -> bool {
        // The last phase runs to the end of the round, not of its own
        // budget: a strong candidate keeps being pushed until the clock.
        if self.phase == Phase::FailureModes {
            return false;
        }
        self.pace
            .budget_ms(self.phase)
            .is_some_and(|b| now.saturating_sub(self.phase_started) >= b)
    }

    fn round_up(&self, now: Millis) -> bool {
        self.pace.round_budget_ms().is_some_and(|b| now >= b)
    }

    /// The round's progress, 0–1: the clock's share or the phases', whichever is further.
    pub(crate) fn progress(&self, now: Millis) -> f32 {
        let by_phase = crate::interview::curveballs::phase_progress(self.phase, self.results.len());
        let by_time = self
            .pace
            .round_budget_ms()
            .map_or(0.0, |b| now as f32 / b.max(1) as f32);
        by_phase.max(by_time)
    }

    /// Move to the next phase (or end the round after the last one).
    pub(crate) fn advance(
        &mut self,
        now: Millis,
        why: Transition,
        turn: &mut Turn,
        scorer: &Scorer,
    ) {
        let from = self.phase;
        let i = phase_index(from);
        self.phase_used[i] += now.saturating_sub(self.phase_started);
        self.phase_started = now;
        self.challenges_this_phase = 0;
        self.pending = None;
        let Some(to) = from.next() else {
            self.finished = true;
            let s = self.line("round_over", &[]);
            turn.says.push(s);
            turn.transition = Some((from, from, why));
            return;
        };
        self.phase = to;
        turn.transition = Some((from, to, why));
        match to {
            Phase::Architecture if self.design.has_diagram() => {
                // They drew it already: say so and go over what is on the
                // board, not ask for a sketch they have given.
                let n = self.design.boxes().count().to_string();
                let gap = self.architecture_gap();
                // "Too few boxes" counts them itself: the intro does not
                // say the count first.
                let intro = match &gap {
                    Some((mv, _)) if mv.intent == "too_few_boxes" => "intro_architecture_drawn_few",
                    _ => "intro_architecture_drawn",
                };
                let s = self.line(intro, &[("count", n.as_str())]);
                turn.says.push(s);
                if let Some((mv, check)) = gap {
                    self.ask(turn, mv, check);
                } else if !self.challenge(scorer, Phase::Architecture, turn) {
                    let s = self.line("architecture_anything_to_add", &[]);
                    turn.says.push(s);
                }
            }
            Phase::Architecture => {
                let s = self.line("intro_architecture", &[]);
                turn.says.push(s);
            }
            Phase::DataFlow => self.open_data_flow(turn),
            Phase::FailureModes => self.open_failure_phase(scorer, turn),
            Phase::Clarify => {}
        }
    }

    /// End the round now.
    pub(crate) fn finish(&mut self, now: Millis, turn: &mut Turn, why: Option<Transition>) {
        if self.finished {
            return;
        }
        let i = phase_index(self.phase);
        self.phase_used[i] += now.saturating_sub(self.phase_started);
        self.phase_started = now;
        self.finished = true;
        // Figures that do not add up, still on the table when the round
        // ends, are said in the debrief: nobody corrected them.
        if self.pending.as_ref().is_some_and(|p| {
            crate::interview::moves::family(&p.mv.intent) == "challenge_numbers_disagree"
        }) {
            self.leave_pending();
        }
        if let Some(why) = why {
            turn.transition = Some((self.phase, self.phase, why));
        }
        let s = self.line("round_over", &[]);
        turn.says.push(s);
    }

    /// The pending question is dropped unanswered: record it as a gap.
    pub(crate) fn leave_pending(&mut self) {
        if let Some(p) = self.pending.take() {
            // Figures that do not add up, stood by after the push, stay
            // open too: the debrief says which.
            let numbers =
                crate::interview::moves::family(&p.mv.intent) == "challenge_numbers_disagree";
            let open_question = numbers
                || !matches!(
                    p.check,
                    Check::Substance | Check::Curveball(_) | Check::Collapse
                );
            if open_question && (numbers || !self.resolved(p.check)) {
                let detail = numbers
                    .then(|| p.mv.vars.iter().find(|(k, _)| k == "working"))
                    .flatten()
                    .map(|(_, v)| v.clone());
                self.gaps_left.push(OpenGap {
                    phase: self.phase,
                    intent: p.mv.intent.clone(),
                    target: p.mv.target.clone(),
                    detail,
                });
            }
        }
    }

    fn hint(&mut self, scorer: &Scorer) -> Say {
        let rubric = scorer.rubric();
        let strength = |id: &ConceptId| {
            let i = rubric.concepts.iter().position(|c| &c.id == id);
            match i {
                Some(i) if self.design.concept_explained(i) => 2,
                Some(i) if self.design.concept_named(i) => 1,
                _ => 0,
            }
        };
        let mut order: Vec<&crate::rubric::Concept> = self
            .problem
            .key_concepts
            .iter()
            .filter_map(|id| rubric.concept(id))
            .collect();
        let mut rest: Vec<&crate::rubric::Concept> = rubric.concepts.iter().collect();
        rest.sort_by(|a, b| b.weight.total_cmp(&a.weight));
        order.extend(rest);
        let pick = order
            .into_iter()
            .find(|c| strength(&c.id) < 2 && !self.hints.contains(&c.id));
        match pick {
            Some(c) => {
                self.hints.push(c.id.clone());
                let hint = c.hint.clone();
                self.line("hint", &[("hint", &hint)])
            }
            None => self.line("no_hint", &[]),
        }
    }

    /// Close the drill in progress, if any, and record how it went.
    pub(crate) fn stop_drill(&mut self, outcome: Outcome) {
        let Some(dr) = self.drill.take() else {
            return;
        };
        let Some(f) = self.plan.get(self.current) else {
            return;
        };
        if self.results.iter().any(|r| r.id == f.id) {
            return;
        }
        let (d, r, p) = dr.depths();
        let outcome = if dr.talk.complete() {
            Outcome::Complete
        } else {
            outcome
        };
        let quotes = crate::interview::drills::Part::ALL
            .iter()
            .filter_map(|p| dr.said(*p).map(str::to_string))
            .collect();
        self.results.push(FailureResult {
            id: f.id.clone(),
            title: f.title.clone(),
            question: f.question.clone(),
            detect: d.covered(),
            recover: r.covered(),
            prevent_loss: p.covered(),
            follow_ups: dr.follow_ups,
            depth: [d, r, p],
            outcome,
            escalated: f.escalated,
            quotes,
        });
    }
}
