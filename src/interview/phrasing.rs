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

use std::future::Future;
use std::sync::Arc;

use futures::StreamExt;

use crate::backend::{BackendError, ChatBackend, ChatMessage, ChatRequest, StreamEvent};
use crate::interview::clock::{format_mmss, Millis};
use crate::interview::session::{Session, Turn};
use crate::interview::templates::{render, Templates};
use crate::rubric::Phase;
use crate::tokens::{Budget, History};

/// Reply tokens asked for: interviewer turns are short.
pub const MAX_REPLY_TOKENS: u32 = 300;
/// Bytes held back from the screen while streaming, so a violation found in
/// the newest delta is never shown.
const HOLD_BACK: usize = 64;
/// Phrases that mean the model stepped out of the interviewer's role.
const OFF_CHARACTER: &[&str] = &[
    "as an ai",
    "language model",
    "interviewer notes",
    "[interviewer",
    "not visible to the candidate",
    "i cannot assist",
    "i can't assist",
    "candidate:",
    "rubric",
];

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
}

/// Phrases turns for one round and keeps the model's view of the conversation.
#[derive(Clone)]
pub struct Phraser {
    backend: Arc<dyn ChatBackend>,
    templates: Arc<Templates>,
    budget: Budget,
    history: History,
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
        Phraser {
            backend,
            templates,
            budget: Budget::for_window(window),
            history: History::new(system),
            temperature,
            seed,
            sent: Vec::new(),
            keep_sent: false,
            said: Vec::new(),
            last_candidate: String::new(),
            expect_question: false,
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

    /// Replay a past exchange into the history (resume) without a request.
    pub fn replay(&mut self, candidate: &str, said: &str) {
        self.history
            .push(ChatMessage::user(candidate.to_string()), &self.budget);
        self.history
            .push(ChatMessage::assistant(said.to_string()), &self.budget);
        self.said.push(said.to_string());
    }

    /// Build the next request: the candidate's words plus the volatile notes.
    /// Returns `None` when there is no model (the template is used as is).
    pub fn prepare(
        &mut self,
        candidate: &str,
        session: &Session,
        turn: &Turn,
        now: Millis,
    ) -> Option<ChatRequest> {
        if !self.uses_model() {
            return None;
        }
        let mmss = |v: Option<i64>| v.map_or_else(|| "no clock".to_string(), format_mmss);
        let phase = session.phase();
        let say = turn.text();
        let max_sentences = (say.matches(['.', '?', '!']).count() + 1).clamp(2, 5);
        let max_sentences = max_sentences.to_string();
        let goals = session.goals();
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
        self.last_candidate = candidate.trim().to_string();
        self.expect_question = phase != Phase::Clarify && say.contains('?');
        let content = format!("{}\n\n{}", candidate.trim(), notes.trim_end());
        self.history.push(ChatMessage::user(content), &self.budget);
        let summary = session.state_summary();
        let messages = self.history.request_messages(&self.budget, |_| summary);
        let req = ChatRequest {
            messages,
            temperature: self.temperature,
            max_tokens: Some(MAX_REPLY_TOKENS),
            seed: self.seed,
            json: None,
        };
        if self.keep_sent {
            self.sent.push(req.clone());
        }
        Some(req)
    }

    /// Record what was actually said, so the next request extends this one.
    pub fn commit(&mut self, said: &str) {
        self.said.push(said.to_string());
        if self.uses_model() {
            self.history
                .push(ChatMessage::assistant(said.to_string()), &self.budget);
        }
    }

    /// Stream a reply for `req`, writing it out through `emit`; falls back to
    /// `fallback` on any failure; stops early when `cancel` completes.
    pub async fn speak<C, E>(
        &self,
        req: Option<&ChatRequest>,
        fallback: &str,
        leaks: &[String],
        cancel: C,
        mut emit: E,
    ) -> Spoken
    where
        C: Future<Output = ()>,
        E: FnMut(&str),
    {
        let template = |reason: Option<String>, shown: &str, emit: &mut E| {
            if !shown.is_empty() {
                emit(" …\n");
            }
            emit(fallback);
            Spoken {
                text: fallback.to_string(),
                source: Source::Template,
                fallback_reason: reason,
                unreachable: false,
            }
        };
        let Some(req) = req else {
            return template(None, "", &mut emit);
        };
        tokio::pin!(cancel);
        let interrupted = |partial: &str| Spoken {
            text: format!("{partial} [interrupted]"),
            source: Source::Interrupted,
            fallback_reason: None,
            unreachable: false,
        };
        // Waiting for the server's first byte can be long on a local model:
        // Ctrl-C must work there too (dropping the future cancels the request).
        let opened = tokio::select! {
            s = self.backend.stream(req) => s,
            () = &mut cancel => return interrupted(""),
        };
        let mut stream = match opened {
            Ok(s) => s,
            Err(e) => {
                let mut spoken = template(Some(e.to_string()), "", &mut emit);
                spoken.unreachable = is_unreachable(&e);
                return spoken;
            }
        };
        let mut check =
            Checker::new(fallback, leaks).with_context(&self.said, &self.last_candidate);
        check.must_ask = self.expect_question;
        let mut text = String::new();
        let mut shown = 0usize;
        loop {
            let ev = tokio::select! {
                ev = stream.next() => ev,
                () = &mut cancel => {
                    drop(stream);
                    return interrupted(&text[..shown]);
                }
            };
            match ev {
                None => break,
                Some(Ok(StreamEvent::Delta(d))) => {
                    text.push_str(&d);
                    if let Some(why) = check.violation(&text) {
                        let s = text[..shown].to_string();
                        return template(Some(why), &s, &mut emit);
                    }
                    let mut upto = text.len().saturating_sub(HOLD_BACK);
                    while !text.is_char_boundary(upto) {
                        upto -= 1;
                    }
                    if upto > shown {
                        emit(&text[shown..upto]);
                        shown = upto;
                    }
                }
                Some(Ok(StreamEvent::Usage(_))) => {}
                Some(Err(e)) => {
                    let s = text[..shown].to_string();
                    return template(Some(e.to_string()), &s, &mut emit);
                }
            }
        }
        let trimmed_len = text.trim_end().len();
        if text.trim().is_empty() {
            return template(Some("the model sent an empty reply".into()), "", &mut emit);
        }
        if let Some(why) = check.final_violation(&text) {
            let s = text[..shown].to_string();
            return template(Some(why), &s, &mut emit);
        }
        if trimmed_len > shown {
            emit(&text[shown..trimmed_len]);
        }
        Spoken {
            text: text.trim().to_string(),
            source: Source::Model,
            fallback_reason: None,
            unreachable: false,
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
        let prompt = render(
            &self.templates.debrief,
            &[("scorecard", scorecard_markdown)],
        );
        let req = ChatRequest {
            messages: vec![ChatMessage::user(prompt)],
            temperature: self.temperature,
            max_tokens: Some(MAX_REPLY_TOKENS * 2),
            seed: self.seed,
            json: None,
        };
        let reply = self.backend.complete(&req).await.ok()?;
        let text = reply.content.trim().to_string();
        let lower = text.to_ascii_lowercase();
        let ok = !text.is_empty()
            && text.len() <= 3000
            && !OFF_CHARACTER
                .iter()
                .filter(|p| **p != "rubric")
                .any(|p| lower.contains(p));
        ok.then_some(text)
    }
}

/// Phrases from the interviewer notes at the end of each request: a reply
/// that contains them is reading the notes aloud (weak models echo prompts).
const ECHOED_NOTES: &[&str] = &[
    "left in this phase",
    "left in the next phase",
    "left in the round",
    "goals for this phase",
    "goal for this phase",
    "phase: clarify",
    "phase: high-level",
    "phase: narrate",
    "phase: failure",
    "your next turn must",
    "in your own words, in at most",
    "keeping every number and product name",
    "this is a follow-up on the candidate",
];
/// Shortest sentence that counts when looking for repeats.
const MIN_REPEAT: usize = 24;
/// Longest stretch of the candidate's words a reply may quote back.
const MAX_PARROT: usize = 60;
/// Newest reply words searched for a parroted run.
const PARROT_WINDOW_WORDS: usize = 40;
/// Bytes of the candidate's message searched for a parroted run.
const PARROT_SOURCE_BYTES: usize = 4096;

/// Checks a (partial) model reply: the rules that decide when the template
/// is said instead. Each returns a reason a person can read; the reason is
/// shown on screen and kept in the journal, so fallbacks can be counted.
struct Checker {
    max_len: usize,
    leaks: Vec<String>,
    /// The turn is a probe, so the reply must ask something too.
    must_ask: bool,
    /// Earlier interviewer turns (lowercased), other than this turn's template.
    earlier: Vec<String>,
    /// The candidate's newest words (lowercased).
    candidate: String,
}

impl Checker {
    fn new(fallback: &str, leaks: &[String]) -> Checker {
        let fb = fallback.to_ascii_lowercase();
        Checker {
            max_len: (fallback.len() * 3).max(600),
            leaks: leaks
                .iter()
                .map(|l| l.to_ascii_lowercase())
                .filter(|l| !fb.contains(l.as_str()))
                .collect(),
            must_ask: false,
            earlier: Vec::new(),
            candidate: String::new(),
        }
    }

    /// Adds what was said before, for the repetition checks.
    fn with_context(mut self, said: &[String], candidate: &str) -> Checker {
        self.earlier = said
            .iter()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| t.len() >= MIN_REPEAT)
            .collect();
        self.candidate = candidate.to_lowercase();
        self
    }

    /// Violations that can be seen in a partial reply.
    fn violation(&self, text: &str) -> Option<String> {
        if text.len() > self.max_len {
            return Some(format!(
                "the model reply ran past {} characters",
                self.max_len
            ));
        }
        let lower = text.to_lowercase();
        if let Some(p) = OFF_CHARACTER.iter().find(|p| lower.contains(*p)) {
            return Some(format!("the model reply broke character (\"{p}\")"));
        }
        if let Some(p) = ECHOED_NOTES.iter().find(|p| lower.contains(*p)) {
            return Some(format!(
                "the model reply read the interviewer notes aloud (\"{p}\")"
            ));
        }
        if let Some(l) = self.leaks.iter().find(|l| lower.contains(l.as_str())) {
            return Some(format!(
                "the model reply revealed a fact the candidate did not ask for (\"{l}\")"
            ));
        }
        if let Some(why) = foreign_script(text) {
            return Some(why);
        }
        if let Some(why) = not_prose(text) {
            return Some(why);
        }
        if let Some(t) = clock_readout(&lower) {
            return Some(format!(
                "the model reply read the interviewer notes aloud (\"{t}\")"
            ));
        }
        if let Some(s) = repeated_sentence(&lower) {
            return Some(format!("the model reply repeated itself (\"{s}\")"));
        }
        if let Some(t) = self.earlier.iter().find(|t| lower.contains(t.as_str())) {
            return Some(format!(
                "the model reply repeated an earlier turn (\"{}\")",
                preview(t)
            ));
        }
        if let Some(span) = longest_shared_run(&lower, &self.candidate, MAX_PARROT) {
            return Some(format!(
                "the model reply parroted the candidate (\"{}\")",
                preview(&span)
            ));
        }
        None
    }

    /// Violations that can only be judged on the whole reply.
    fn final_violation(&self, text: &str) -> Option<String> {
        if self.must_ask && !text.contains('?') {
            return Some("the model reply did not ask the question".into());
        }
        None
    }
}

/// Letters of a non-Latin script never belong in an English interviewer's
/// turn, and many accented Latin letters mean the model drifted (seen on a
/// 270M model: Turkish, Polish, Chinese and Japanese tokens tacked on).
fn foreign_script(text: &str) -> Option<String> {
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    let foreign: String = text
        .chars()
        .filter(|c| c.is_alphabetic() && !c.is_ascii() && !is_latin_accent(*c))
        .collect();
    if !foreign.is_empty() {
        let sample: String = foreign.chars().take(12).collect();
        return Some(format!(
            "the model reply drifted out of English (\"{sample}\")"
        ));
    }
    let accented = text.chars().filter(|c| is_latin_accent(*c)).count();
    if accented >= 3 && accented * 20 > letters {
        return Some("the model reply drifted out of English (accented words)".into());
    }
    None
}

/// Symbol soup (seen: `(([![[![1][1])][2]]...`): a turn of speech is mostly
/// letters and spaces.
fn not_prose(text: &str) -> Option<String> {
    let visible = text.chars().filter(|c| !c.is_whitespace()).count();
    let letters = text.chars().filter(|c| c.is_alphabetic()).count();
    if visible >= 40 && letters * 100 < visible * 55 {
        let sample: String = text.trim().chars().take(20).collect();
        return Some(format!("the model reply is not prose (\"{sample}\")"));
    }
    None
}

/// A clock read-out such as `7:41 left` comes from the notes, not a person.
fn clock_readout(lower: &str) -> Option<String> {
    let bytes = lower.as_bytes();
    lower.match_indices(" left").find_map(|(i, _)| {
        let before = &bytes[..i];
        let n = before.len();
        let is_clock = n >= 4
            && before[n - 1].is_ascii_digit()
            && before[n - 2].is_ascii_digit()
            && before[n - 3] == b':'
            && before[n - 4].is_ascii_digit();
        is_clock.then(|| lower[n - 4..i + 5].to_string())
    })
}

/// Latin-1 and Latin Extended letters (é, ß, ø, and µ as in "10 µs"):
/// tolerated once or twice, but many of them in an English turn mean the
/// model drifted.
fn is_latin_accent(c: char) -> bool {
    matches!(c, '\u{00AA}'..='\u{024F}')
}

/// The first sentence (of at least `MIN_REPEAT` bytes) said twice.
fn repeated_sentence(lower: &str) -> Option<String> {
    let mut seen: Vec<&str> = Vec::new();
    for s in lower.split(['.', '?', '!', '\n']) {
        let s = s.trim();
        if s.len() < MIN_REPEAT {
            continue;
        }
        if seen.contains(&s) {
            return Some(preview(s));
        }
        seen.push(s);
    }
    None
}

/// A run of more than `max` bytes of `reply` that also occurs in `source`,
/// word-aligned; `None` when the reply only quotes briefly.
fn longest_shared_run(reply: &str, source: &str, max: usize) -> Option<String> {
    if source.len() <= max || reply.len() <= max {
        return None;
    }
    // The check runs on every streamed delta, so only the newest words are
    // searched (a run that crosses `max` ends among them) and only the start
    // of a long candidate message: the cost stays flat as the reply grows.
    let mut cut = source.len().min(PARROT_SOURCE_BYTES);
    while !source.is_char_boundary(cut) {
        cut -= 1;
    }
    let source = &source[..cut];
    let all: Vec<&str> = reply.split_whitespace().collect();
    let words = &all[all.len().saturating_sub(PARROT_WINDOW_WORDS)..];
    for start in 0..words.len() {
        let mut run = String::new();
        for w in &words[start..] {
            let next = if run.is_empty() {
                (*w).to_string()
            } else {
                format!("{run} {w}")
            };
            if !source.contains(next.as_str()) {
                break;
            }
            run = next;
            if run.len() > max {
                return Some(run);
            }
        }
    }
    None
}

/// At most 40 characters of `s`, for messages.
fn preview(s: &str) -> String {
    let mut out: String = s.chars().take(40).collect();
    if s.chars().count() > 40 {
        out.push('…');
    }
    out
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
    fn leak_tokens_keep_numbers_only() {
        let t = leak_tokens(&["Peak is 200K events/sec, about 2 TB a day."]);
        assert!(t.contains(&"200K".to_string()), "{t:?}");
        assert!(!t.iter().any(|w| w == "Peak"));
    }

    #[test]
    fn checker_flags_notes_read_aloud() {
        let c = Checker::new("What is the key?", &[]);
        let why = c
            .violation("Sure. the high-level architecture (13:42 left in this phase)")
            .expect("flagged");
        assert!(why.contains("interviewer notes"), "{why}");
    }

    #[test]
    fn checker_flags_drift_into_another_script() {
        let c = Checker::new("Do you lose events?", &[]);
        assert!(c
            .violation("Do you lose events? alakalı süreç odpowiedzialność に通し")
            .is_some());
        assert!(c
            .violation("Do you lose events when the café's broker dies?")
            .is_none());
        assert!(c
            .violation("With reads at 10 µs, do you lose events?")
            .is_none());
        assert!(c.violation("Do you lose events?比赛").is_some());
    }

    #[test]
    fn checker_flags_symbol_soup_and_clock_readouts() {
        let c = Checker::new("Do you lose events?", &[]);
        assert!(c
            .violation("(([![[![![1][1])][2]](![![4](![5](![6)](![7]([8]([9]([0]))))")
            .is_some_and(|w| w.contains("not prose")));
        assert!(c
            .violation("Phase: Clarify requirements (7:41 left in the next phase)")
            .is_some());
        assert!(c.violation("We have 12:30 left overall?").is_some());
        assert!(c
            .violation("If the broker with 3 replicas dies at 10:00, what's left?")
            .is_none());
    }

    #[test]
    fn checker_flags_repeats_and_parroting() {
        let c = Checker::new("What is the key?", &[]).with_context(
            &["A Flink TaskManager crashes mid-write. What happens?".to_string()],
            "we keep sessions in rocksdb state with incremental checkpoints every minute and replay kafka",
        );
        assert!(c
            .violation("Okay. A Flink TaskManager crashes mid-write. What happens?")
            .expect("repeat")
            .contains("earlier turn"));
        assert!(c
            .violation("Which partition key do you use here? Which partition key do you use here?")
            .is_some_and(|w| w.contains("repeated itself")));
        assert!(c
            .violation("So we keep sessions in RocksDB state with incremental checkpoints every minute and replay Kafka?")
            .is_some_and(|w| w.contains("parroted")));
        assert!(c
            .violation("You keep sessions in RocksDB. Which key?")
            .is_none());
    }

    #[test]
    fn checker_requires_a_question_when_the_template_asks_one() {
        let mut c = Checker::new("Which key do you partition on?", &[]);
        c.must_ask = true;
        assert!(c.final_violation("That is interesting.").is_some());
        assert!(c.final_violation("Which key, and why?").is_none());
        let statement = Checker::new("We're done. Let's look at how that went.", &[]);
        assert!(statement
            .final_violation("Thanks, that's the round.")
            .is_none());
    }

    #[test]
    fn checker_flags_leaks_and_breaking_character() {
        let c = Checker::new("What is the key?", &["200K".to_string()]);
        assert!(c.violation("Sure, at 200k events per second").is_some());
        assert!(c.violation("As an AI language model").is_some());
        assert!(c.violation("Which key do you partition on?").is_none());
    }
}
