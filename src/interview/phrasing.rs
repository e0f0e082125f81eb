//! Model phrasing with a template fallback.
//!
//! The session decides what to say; here a model, when one is configured,
//! says it in context. The request is built so local servers can reuse their
//! cached prefix: a fixed system message, the history exactly as sent before,
//! and the volatile notes (phase, time left, goals, the next probe) only at
//! the end of the newest user message. The reply is streamed out as it
//! arrives through a small hold-back window, and abandoned for the template
//! when it is empty, errors, runs too long, breaks character or leaks a
//! hidden fact the candidate has not asked for.

use std::collections::HashSet;
use std::sync::Arc;

use crate::backend::{BackendError, ChatBackend, ChatMessage, ChatRequest};
use crate::interview::clock::{format_mmss, Millis};
use crate::interview::session::{Session, Turn};
use crate::interview::templates::{render, Templates};
use crate::rubric::Phase;
use crate::tokens::{Budget, History};

mod checks;
mod guided;
mod numbers;
mod own_words;
mod speak;
use checks::{Checker, OFF_CHARACTER};
use guided::Guide;

/// Reply tokens asked for: interviewer turns are short.
pub const MAX_REPLY_TOKENS: u32 = 300;
/// Reply tokens for one guided question: short replies are fast on a local model.
pub const GUIDED_MAX_TOKENS: u32 = 120;
/// Reply tokens for the spoken close: the debrief's content comes from code.
pub const CLOSING_MAX_TOKENS: u32 = 120;
/// A longer close is not the short spoken one asked for.
const CLOSING_MAX_CHARS: usize = 700;

/// How a model interviews (the profile key `interviewer`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum InterviewerMode {
    /// The code picks the move and its target; the model writes the
    /// question around the candidate's own words and may pick among the
    /// moves offered. Turns that ask nothing the code chose are said as
    /// they are.
    #[default]
    Guided,
    /// The model rewords every turn the code wrote (for tiny models that
    /// cannot hold a question of their own).
    Phrase,
}

impl InterviewerMode {
    /// Parse the profile value (absent: `guided`).
    pub fn parse(v: Option<&str>) -> Result<Self, String> {
        match v.unwrap_or("guided") {
            "guided" => Ok(Self::Guided),
            "phrase" => Ok(Self::Phrase),
            other => Err(format!(
                "interviewer `{other}` is not one of guided, phrase"
            )),
        }
    }

    /// The profile value.
    pub fn id(self) -> &'static str {
        match self {
            Self::Guided => "guided",
            Self::Phrase => "phrase",
        }
    }
}

/// What a turn needs from the phraser: the request (if a model writes
/// part of it) and the code's words around that part.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    pub request: Option<ChatRequest>,
    /// Said verbatim before the model's words.
    pub prefix: String,
    /// The template for the model's part: said when there is no model or
    /// its reply is rejected.
    pub fallback: String,
    /// Said verbatim after the model's words.
    pub suffix: String,
}

impl Prepared {
    /// Everything said, given the middle part's words.
    pub fn join(&self, middle: &str) -> String {
        [self.prefix.as_str(), middle, self.suffix.as_str()]
            .iter()
            .filter(|s| !s.trim().is_empty())
            .copied()
            .collect::<Vec<_>>()
            .join(" ")
    }
}
/// Bytes held back from the screen while streaming, so a violation found in
/// the newest delta is never shown.
const HOLD_BACK: usize = 64;

/// Where the words of a turn came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// The model's reply, as streamed.
    Model,
    /// The template (offline backend, or the model reply was rejected).
    Template,
    /// Ctrl-C stopped the reply; the text is what was shown.
    Interrupted,
}

/// The words said for one turn.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spoken {
    pub text: String,
    pub source: Source,
    /// Why the model reply was not used, when it was not.
    pub fallback_reason: Option<String>,
    /// The request never got a reply because the server is down, refused
    /// it, or rejects every request (connection refused, timeouts, 5xx or
    /// 429 after every retry, a rejected key, an unknown model): the next
    /// turn would most likely fail the same way.
    pub unreachable: bool,
    /// The reply only copied the template's words (kept, but counted).
    pub copied: bool,
    /// The model asked an alternative move instead (its index in the turn's moves).
    pub chosen: Option<usize>,
    /// The model's reply that was replaced by the template, as far as it
    /// arrived (for the journal: what a measured model tried to say).
    pub rejected: Option<String>,
    /// A guided reply was rejected and asked for once more: why the first
    /// was rejected.
    pub retried: Option<String>,
}

/// Phrases turns for one round and keeps the model's view of the conversation.
#[derive(Clone)]
pub struct Phraser {
    backend: Arc<dyn ChatBackend>,
    templates: Arc<Templates>,
    budget: Budget,
    history: History,
    /// The system message without the mode's rules.
    system: String,
    temperature: Option<f32>,
    seed: Option<u64>,
    /// Every request sent, for the prefix-stability test and the benchmark.
    pub sent: Vec<ChatRequest>,
    keep_sent: bool,
    /// What the interviewer said so far, to catch a model repeating itself.
    said: Vec<String>,
    /// The candidate's newest words, to catch a model parroting them.
    last_candidate: String,
    /// This turn is a probe (outside clarify, and the template asks), so a
    /// reply that asks nothing is no substitute for it.
    expect_question: bool,
    /// Every number said so far by either side: the only numbers a reply
    /// may state (see `numbers`).
    known_numbers: HashSet<String>,
    /// Set once a reply was rejected: later replies are shown only whole,
    /// after every check, so a weak model's wrong facts never reach the screen.
    hold_whole: bool,
    mode: InterviewerMode,
    /// The move this turn's guided request is about.
    guide: Option<Guide>,
}

impl Phraser {
    /// A phraser for a round on the session's problem.
    pub fn new(
        backend: Arc<dyn ChatBackend>,
        templates: Arc<Templates>,
        session: &Session,
        window: usize,
        temperature: Option<f32>,
        seed: Option<u64>,
    ) -> Phraser {
        let p = session.problem();
        let system = render(
            &templates.persona,
            &[
                ("problem_id", p.id.as_str()),
                ("problem_statement", p.statement.trim()),
            ],
        );
        let mode = InterviewerMode::default();
        let first = History::new(with_rules(&system, &templates, mode));
        Phraser {
            backend,
            templates,
            budget: Budget::for_window(window),
            history: first,
            system,
            temperature,
            seed,
            sent: Vec::new(),
            keep_sent: false,
            said: Vec::new(),
            last_candidate: String::new(),
            expect_question: false,
            known_numbers: numbers::known([p.statement.as_str()]),
            hold_whole: false,
            mode,
            guide: None,
        }
    }

    /// Choose how the model interviews (before the first turn: the mode's
    /// rules are part of the system message).
    pub fn set_mode(&mut self, mode: InterviewerMode) {
        self.mode = mode;
        if self.history.is_empty() {
            self.history = History::new(with_rules(&self.system, &self.templates, mode));
        }
    }

    /// Keep a copy of every request (tests and benchmarks).
    pub fn record_requests(&mut self, on: bool) {
        self.keep_sent = on;
    }

    /// The model-side history (for budgeting tests).
    pub fn history(&self) -> &History {
        &self.history
    }

    /// True when turns are phrased by a model.
    pub fn uses_model(&self) -> bool {
        !self.backend.is_offline()
    }

    /// Show later replies only once they are whole and checked (called
    /// after a reply was rejected).
    pub fn hold_whole_replies(&mut self) {
        self.hold_whole = true;
    }

    /// Replay a past exchange into the history (resume) without a request.
    pub fn replay(&mut self, candidate: &str, said: &str) {
        self.known_numbers.extend(numbers::known([candidate, said]));
        self.history
            .push(ChatMessage::user(candidate.to_string()), &self.budget);
        self.history
            .push(ChatMessage::assistant(said.to_string()), &self.budget);
        self.said.push(said.to_string());
    }

    /// Build the next request: the candidate's words plus the volatile notes.
    /// With no model (or a guided turn that asks nothing the code chose),
    /// there is no request and the template is said as is.
    pub fn prepare(
        &mut self,
        candidate: &str,
        session: &Session,
        turn: &Turn,
        now: Millis,
    ) -> Prepared {
        let whole = Prepared {
            request: None,
            prefix: String::new(),
            fallback: turn.text(),
            suffix: String::new(),
        };
        self.guide = None;
        if !self.uses_model() {
            return whole;
        }
        self.last_candidate = candidate.trim().to_string();
        self.known_numbers.extend(numbers::known([candidate]));
        let (notes, out, max_tokens) = match (self.mode, guided::split(turn)) {
            (InterviewerMode::Guided, None) => {
                // Nothing the code chose to ask: its words as they are; the
                // model still hears the exchange.
                self.history.push(
                    ChatMessage::user(guided::opening_words(candidate, guided::CANDIDATE_WORDS)),
                    &self.budget,
                );
                return whole;
            }
            (InterviewerMode::Guided, Some(sp)) => {
                // Their words the question should use: their figures on
                // what the move is about, never a figure from elsewhere.
                let own = turn.moves.first().map_or_else(Vec::new, |m| {
                    let near = m
                        .target
                        .as_deref()
                        .map(|t| own_words::sentences_naming(candidate, t))
                        .unwrap_or_default();
                    let sources = [m.quote.as_deref().unwrap_or(""), &near];
                    own_words::pick(&sources, &self.said)
                });
                let name_target = turn
                    .moves
                    .first()
                    .map(|m| guided::name_target(m, &own_words::listed(&own)))
                    .unwrap_or_default();
                // The notes list them among the names it may use.
                let mut with_own = turn.clone();
                if let Some(m) = with_own.moves.first_mut() {
                    m.facts.extend(own.iter().map(|t| t.shown.clone()));
                }
                let notes =
                    guided::notes(&self.templates, session, &with_own, &sp, now, &name_target);
                self.known_numbers.extend(numbers::known(
                    turn.moves
                        .iter()
                        .flat_map(|m| m.facts.iter().map(String::as_str)),
                ));
                self.guide = Some(Guide {
                    template: sp.question.clone(),
                    moves: turn.moves.clone(),
                    prefixed: !sp.prefix.trim().is_empty(),
                    goal: turn
                        .moves
                        .first()
                        .map(|m| guided::goal(&self.templates, m, &sp.question))
                        .unwrap_or_default(),
                    name_target,
                    offered: own.iter().map(|t| t.shown.clone()).collect(),
                });
                self.expect_question = true;
                let out = Prepared {
                    request: None,
                    prefix: sp.prefix,
                    fallback: sp.question,
                    suffix: sp.suffix,
                };
                (notes, out, GUIDED_MAX_TOKENS)
            }
            (InterviewerMode::Phrase, _) => {
                let phase = session.phase();
                let say = turn.text();
                let max_sentences = (say.matches(['.', '?', '!']).count() + 1).clamp(2, 5);
                let max_sentences = max_sentences.to_string();
                let goals = session.goals();
                let mmss = |v: Option<i64>| v.map_or_else(|| "no clock".to_string(), format_mmss);
                let notes = render(
                    &self.templates.turn,
                    &[
                        ("phase", phase.title()),
                        ("time_left", &mmss(session.phase_left(now))),
                        ("round_left", &mmss(session.round_left(now))),
                        ("goals", &goals),
                        ("phase_instructions", self.templates.phase(phase).trim()),
                        (
                            "followup_instructions",
                            if turn.follow_up {
                                self.templates.followup.trim()
                            } else {
                                ""
                            },
                        ),
                        ("max_sentences", &max_sentences),
                        ("say", &say),
                    ],
                );
                self.expect_question = phase != Phase::Clarify && say.contains('?');
                (notes, whole, MAX_REPLY_TOKENS)
            }
        };
        let words = match self.mode {
            InterviewerMode::Guided => guided::opening_words(candidate, guided::CANDIDATE_WORDS),
            InterviewerMode::Phrase => candidate.trim().to_string(),
        };
        let content = format!("{words}\n\n{}", notes.trim_end());
        self.history.push(ChatMessage::user(content), &self.budget);
        let summary = session.state_summary();
        let messages = self.history.request_messages(&self.budget, |_| summary);
        let req = ChatRequest {
            messages,
            temperature: self.temperature,
            max_tokens: Some(max_tokens),
            seed: self.seed,
            json: None,
        };
        if self.keep_sent {
            self.sent.push(req.clone());
        }
        Prepared {
            request: Some(req),
            ..out
        }
    }

    /// The candidate's own words the last guided notes asked the question
    /// to use, for the journal.
    pub fn offered(&self) -> Option<String> {
        self.guide
            .as_ref()
            .filter(|g| !g.offered.is_empty())
            .map(|g| g.offered.join("; "))
    }

    /// Record what was actually said, so the next request extends this one.
    pub fn commit(&mut self, said: &str) {
        self.known_numbers.extend(numbers::known([said]));
        self.said.push(said.to_string());
        if self.uses_model() {
            self.history
                .push(ChatMessage::assistant(said.to_string()), &self.budget);
        }
    }

    /// "the openai backend (model `m`)", for messages about the backend.
    pub fn backend_label(&self) -> String {
        format!(
            "the {} backend (model `{}`)",
            self.backend.kind(),
            self.backend.model()
        )
    }
}

/// The system message for a mode: the persona, plus the guided rules.
fn with_rules(system: &str, t: &Templates, mode: InterviewerMode) -> String {
    match mode {
        InterviewerMode::Guided if !t.guided_rules.trim().is_empty() => {
            format!("{}\n\n{}", system.trim_end(), t.guided_rules.trim())
        }
        _ => system.to_string(),
    }
}

/// True for errors that say the server cannot answer at all right now, as
/// opposed to one bad reply: asking again next turn would only make the
/// candidate wait for the same failure.
fn is_unreachable(e: &BackendError) -> bool {
    match e {
        BackendError::Connect { .. }
        | BackendError::Timeout { .. }
        | BackendError::RetriesExhausted { .. }
        | BackendError::Unauthorized { .. }
        | BackendError::ModelNotFound { .. }
        | BackendError::Config(_) => true,
        BackendError::Status { status, .. } => *status == 429 || *status >= 500,
        _ => false,
    }
}

impl Phraser {
    /// The model's closing words for the debrief, written from the finished
    /// scorecard (never changing it). `None` offline, or when the reply is
    /// empty, errored, too long or out of character.
    pub async fn closing_words(&self, scorecard_markdown: &str) -> Option<String> {
        if !self.uses_model() {
            return None;
        }
        // Only what is about this candidate: the verdict, their own words
        // and the improvements. The reference architecture and the "what
        // an L5 answer says" parts further down are not theirs, and a small
        // model praised a weak round for them.
        let about_them = scorecard_markdown
            .split("\n## The four steps")
            .next()
            .unwrap_or(scorecard_markdown);
        let prompt = render(&self.templates.debrief, &[("scorecard", about_them)]);
        let req = ChatRequest {
            messages: vec![ChatMessage::user(prompt)],
            temperature: self.temperature,
            max_tokens: Some(CLOSING_MAX_TOKENS),
            seed: self.seed,
            json: None,
        };
        let reply = self.backend.complete(&req).await.ok()?;
        let text = reply.content.trim().to_string();
        let lower = text.to_ascii_lowercase();
        let ok = !text.is_empty()
            && !copies_notes(&text, about_them)
            && text.len() <= CLOSING_MAX_CHARS
            && !OFF_CHARACTER
                .iter()
                .filter(|p| **p != "rubric")
                .any(|p| lower.contains(p));
        ok.then_some(text)
    }
}

/// A closing that copies its notes back (headings, the session line, whole
/// lines of the scorecard) instead of speaking to the candidate.
fn copies_notes(text: &str, notes: &str) -> bool {
    text.lines().any(|l| {
        let l = l.trim();
        l.starts_with('#') || l.starts_with("Session ") || (l.len() > 30 && notes.contains(l))
    })
}

/// Distinctive tokens of facts not yet revealed: anything with a digit
/// ("200K", "06:00", "p95"), which a model must not volunteer.
pub fn leak_tokens(unrevealed: &[&str]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for fact in unrevealed {
        for w in fact.split(|c: char| c.is_whitespace() || matches!(c, ',' | ';' | '(' | ')')) {
            let w = w.trim_matches(|c: char| matches!(c, '.' | ':' | '"' | '\''));
            if w.len() >= 2 && w.chars().any(|c| c.is_ascii_digit()) && !out.iter().any(|o| o == w)
            {
                out.push(w.to_string());
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_closing_that_copies_the_scorecard_back_is_not_spoken() {
        let notes = "## Verdict: L3 (0/100)\n\n- Not L4: Nothing says what flows or how much: no format, rate or volume on any hop\n";
        assert!(copies_notes(
            "Session 20261202-181501\n\n## Verdict: L3 (0/100)",
            notes
        ));
        assert!(copies_notes(
            "- Not L4: Nothing says what flows or how much: no format, rate or volume on any hop",
            notes
        ));
        assert!(!copies_notes(
            "That was an L3 round. Next time, annotate every arrow with its format and volume.",
            notes
        ));
    }

    #[test]
    fn leak_tokens_keep_numbers_only() {
        let t = leak_tokens(&["Peak is 200K events/sec, about 2 TB a day."]);
        assert!(t.contains(&"200K".to_string()), "{t:?}");
        assert!(!t.iter().any(|w| w == "Peak"));
    }
}
