//! The checks a model's interviewer reply must pass, streamed or whole:
//! each failure is a reason a person can read, and the template is said
//! instead. Kept apart from the phraser, which only streams and falls back.

use std::collections::HashSet;

use super::numbers;

/// Phrases that mean the model stepped out of the interviewer's role.
pub(super) const OFF_CHARACTER: &[&str] = &[
    "as an ai",
    "language model",
    "interviewer notes",
    "[interviewer",
    "not visible to the candidate",
    "i cannot assist",
    "i can't assist",
    "candidate:",
    "rubric",
    // Talking about the person in front of it, not to them.
    "the candidate",
    "the interviewee",
    "their design",
    "their pipeline",
    "their architecture",
    "their answer",
    "why did they",
    "did they choose",
    "they make sure",
    "this question require",
];

/// Phrases from the interviewer notes at the end of each request: a reply
/// that contains them is reading the notes aloud (weak models echo prompts).
const ECHOED_NOTES: &[&str] = &[
    // A move's goal said as a label ("Push: which signal…").
    "push:",
    "challenge the choice",
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
    // The guided notes' own lines (`prompts/guided.md`, `guided-retry.md`).
    "your next question:",
    "it is about:",
    "their words on it",
    "names and numbers you may use",
    "in the question.",
    "and their \"",
    "name their \"",
    "at most one sentence",
    "at most two sentences",
    "at most three sentences",
    "reply cannot be used",
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
pub(super) struct Checker<'a> {
    max_len: usize,
    /// Numbers the reply may state: said before, or in this turn's template.
    pub(super) known_numbers: &'a HashSet<String>,
    /// This turn's template's numbers.
    template_numbers: HashSet<String>,
    leaks: Vec<String>,
    /// The turn is a probe, so the reply must ask something too.
    pub(super) must_ask: bool,
    /// Earlier interviewer turns (lowercased), other than this turn's template.
    earlier: Vec<String>,
    /// The candidate's newest words (lowercased).
    candidate: String,
    /// This turn's template (lowercased): quoting what it quotes is no parroting.
    template: String,
}

impl<'a> Checker<'a> {
    pub(super) fn new(fallback: &str, leaks: &[String]) -> Checker<'a> {
        static NONE: std::sync::OnceLock<HashSet<String>> = std::sync::OnceLock::new();
        let fb = fallback.to_ascii_lowercase();
        Checker {
            max_len: (fallback.len() * 3).max(600),
            known_numbers: NONE.get_or_init(HashSet::new),
            template_numbers: numbers::known([fallback]),
            leaks: leaks
                .iter()
                .map(|l| l.to_ascii_lowercase())
                .filter(|l| !fb.contains(l.as_str()))
                .collect(),
            must_ask: false,
            earlier: Vec::new(),
            candidate: String::new(),
            template: fb,
        }
    }

    /// Adds what was said before, for the repetition checks.
    pub(super) fn with_context(mut self, said: &[String], candidate: &str) -> Checker<'a> {
        self.earlier = said
            .iter()
            .map(|t| t.trim().to_lowercase())
            .filter(|t| t.len() >= MIN_REPEAT)
            .collect();
        self.candidate = candidate.to_lowercase();
        self
    }

    /// Violations that can be seen in a partial reply.
    pub(super) fn violation(&self, text: &str) -> Option<String> {
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
        // Only numbers already followed by a space are whole ("20" may yet be "200K").
        let settled = text.rfind(char::is_whitespace).map_or("", |i| &text[..i]);
        if let Some(n) = self.invented_number(settled) {
            return Some(n);
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
        if let Some(span) = longest_shared_run(&lower, &self.candidate, MAX_PARROT)
            .filter(|span| !self.template.contains(span.trim()))
        {
            return Some(format!(
                "the model reply parroted the candidate (\"{}\")",
                preview(&span)
            ));
        }
        None
    }

    /// Violations that can only be judged on the whole reply.
    pub(super) fn final_violation(&self, text: &str) -> Option<String> {
        if self.must_ask && !text.contains('?') && !asks_by_request(text) {
            return Some("the model reply did not ask the question".into());
        }
        // The whole reply said before, as (part of) an earlier turn: asking
        // again what was just asked. Judged whole: a partial reply can
        // start like an earlier turn and go on to ask something else.
        let asked = text.trim().to_lowercase();
        if asked.len() >= MIN_REPEAT {
            if let Some(t) = self.earlier.iter().find(|t| t.contains(asked.as_str())) {
                return Some(format!(
                    "the model reply repeated an earlier turn (\"{}\")",
                    preview(t)
                ));
            }
        }
        self.invented_number(text)
    }

    /// A number nobody has said and the template does not hold: a model
    /// making up facts ("300K events per day" for "200K events/sec").
    fn invented_number(&self, text: &str) -> Option<String> {
        numbers::numbers(text)
            .find(|n| {
                n.len() >= 2
                    && !self.known_numbers.contains(n)
                    && !self.template_numbers.contains(n)
            })
            .map(|n| format!("the model reply stated a number nobody gave (\"{n}\")"))
    }
}

/// Letters of a non-Latin script never belong in an English interviewer's
/// turn, and many accented Latin letters mean the model drifted (seen on a
/// 270M model: Turkish, Polish, Chinese and Japanese tokens tacked on).
/// Verbs an interviewer asks with without a question mark ("Walk me
/// through the retry.", "Please list the arrows.").
const REQUEST_VERBS: &[&str] = &[
    "walk", "talk", "tell", "describe", "explain", "list", "give", "show", "draw", "sketch",
    "name", "estimate", "size", "spell", "put", "take", "help", "pick", "say",
];

/// True when a sentence of the reply is a request: it starts with a
/// request verb, after an optional "please", "so" or "now".
fn asks_by_request(text: &str) -> bool {
    text.split(['.', '!', ';', '\n'])
        .map(|s| {
            let mut words = s
                .split(|c: char| !c.is_alphanumeric())
                .filter(|w| !w.is_empty())
                .map(str::to_ascii_lowercase);
            let mut w = words.next().unwrap_or_default();
            while matches!(w.as_str(), "please" | "so" | "now" | "ok" | "okay" | "then") {
                w = words.next().unwrap_or_default();
            }
            w
        })
        .any(|w| REQUEST_VERBS.contains(&w.as_str()))
}

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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn checker_flags_notes_read_aloud() {
        let c = Checker::new("What is the key?", &[]);
        let why = c
            .violation("Sure. the high-level architecture (13:42 left in this phase)")
            .expect("flagged");
        assert!(why.contains("interviewer notes"), "{why}");
    }

    #[test]
    fn checker_flags_guided_notes_read_aloud() {
        let c = Checker::new("What flows from MySQL to Debezium?", &[]);
        for reply in [
            "What payload does MySQL → Debezium generate? Name MySQL → Debezium in the question.",
            "In the next ten minutes, what do consumers see?\nIt is about: Flink lag spike",
            "Push: which signal exactly, what threshold, who is paged?",
        ] {
            let why = c.violation(reply).unwrap_or_default();
            assert!(why.contains("interviewer notes"), "{reply}: {why}");
        }
        assert!(c
            .violation("How many rows a second go from MySQL to Debezium at peak?")
            .is_none());
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
        let c10 = Checker::new("Reads take 10 µs. Do you lose events?", &[]);
        assert!(c10
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
        let c = Checker::new("The broker dies at 10:00. What's left?", &[]);
        assert!(c
            .violation("If the broker with 3 replicas dies at 10:00, what's left?")
            .is_none());
    }

    #[test]
    fn checker_flags_a_number_nobody_gave() {
        let said: HashSet<String> = numbers::known(["Raw events are kept 90 days."]);
        let mut c = Checker::new("Peak is about 200K events/sec, around 1 KB per event.", &[]);
        c.known_numbers = &said;
        // From the template, from earlier turns, or a single digit: fine.
        assert!(c
            .violation("Sure: 200K events a second at peak, 1 KB each, kept 90 days. ")
            .is_none());
        // Made up (seen on a 270M model): caught as soon as the number is whole.
        let why = c
            .violation("Better: 300K events per day, around 1 MB per event. ")
            .expect("flagged");
        assert!(why.contains("\"300\""), "{why}");
        // "20" may still become "200K": not judged until a space follows.
        assert!(c.violation("Peak is about 20").is_none());
        assert!(c.final_violation("Peak is about 20").is_some());
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
            .violation("A Flink TaskManager crashes mid-write.")
            .is_none());
        assert!(c
            .final_violation("A Flink TaskManager crashes mid-write. What happens?")
            .is_some_and(|w| w.contains("earlier turn")));
        assert!(c
            .violation("Which partition key do you use here? Which partition key do you use here?")
            .is_some_and(|w| w.contains("repeated itself")));
        assert!(c
            .violation("So we keep sessions in RocksDB state with incremental checkpoints every minute and replay Kafka?")
            .is_some_and(|w| w.contains("parroted")));
        assert!(c
            .violation("You keep sessions in RocksDB. Which key?")
            .is_none());
        // Quoting what the template itself quotes is not parroting.
        let quoting = Checker::new(
            "You said \"we keep sessions in rocksdb state with incremental checkpoints every minute\", but which key?",
            &[],
        )
        .with_context(&[], "we keep sessions in rocksdb state with incremental checkpoints every minute and replay kafka");
        assert!(quoting
            .violation("So you said we keep sessions in RocksDB state with incremental checkpoints every minute: which key?")
            .is_none());
    }

    #[test]
    fn checker_requires_a_question_when_the_template_asks_one() {
        let mut c = Checker::new("Which key do you partition on?", &[]);
        c.must_ask = true;
        assert!(c.final_violation("That is interesting.").is_some());
        assert!(c.final_violation("Which key, and why?").is_none());
        // A request asks as well as a question does.
        assert!(c
            .final_violation("Please give the payload, format and volume for the remaining arrows.")
            .is_none());
        assert!(c
            .final_violation("OK. Walk me through the key into Kafka.")
            .is_none());
        assert!(c.final_violation("Good. The key matters here.").is_some());
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
        assert!(c
            .violation("How did the candidate choose to use 64 partitions?")
            .is_some());
        assert!(c.violation("Which key do you partition on?").is_none());
    }
}
