//! The clarify phase, and facts asked for later: answer what the problem
//! says about the topics the candidate asked, remind them of what was
//! already said, and move on once the required topics are covered.

use crate::design::questions;
use crate::design::TurnReading;
use crate::interview::phases::join_and;
use crate::interview::session::{Say, Session, Transition, Turn};
use crate::read::text::holds_words;
use crate::rubric::FactTopic;
use crate::score::Scorer;

/// Words that say nothing of what a question is about.
const STOP: &[&str] = &[
    "the",
    "all",
    "and",
    "for",
    "are",
    "any",
    "can",
    "not",
    "our",
    "you",
    "with",
    "this",
    "that",
    "there",
    "still",
    "have",
    "has",
    "does",
    "will",
    "would",
    "should",
    "could",
    "must",
    "may",
    "need",
    "want",
    "get",
    "only",
    "just",
    "also",
    "some",
    "what",
    "how",
    "who",
    "when",
    "which",
    "its",
    "their",
    "them",
    "they",
    "from",
    "into",
    "out",
    "per",
    "during",
    "before",
    "after",
    "about",
    "between",
    "over",
    "under",
    "while",
    "then",
    "than",
    "each",
    "every",
    "more",
    "less",
    "much",
    "many",
    "other",
    "same",
    "both",
    "either",
    "like",
    "even",
    "ever",
    "already",
    "within",
    "anything",
    "something",
    "nasty",
    "tricky",
    "know",
    "aware",
    "else",
    "things",
    "stuff",
];

/// Words a question asks by that the facts say otherwise: "anything
/// sensitive?" is answered by "PII that must be masked".
/// True when a word the question asks by (`asks` picks it) is among the
/// `spoken` words in one of the ways [`SAID_AS`] lists.
fn said_as(spoken: &[&str], asks: impl Fn(&str) -> bool) -> bool {
    SAID_AS
        .iter()
        .any(|(k, alts)| asks(k) && spoken.iter().any(|a| alts.contains(a)))
}

const SAID_AS: &[(&str, &[&str])] = &[(
    "sensitive",
    &[
        "pii",
        "personal",
        "masked",
        "mask",
        "gdpr",
        "private",
        "secret",
        "card",
        "cards",
        "regulated",
    ],
)];

/// Words a yes/no question opens with.
const YES_NO: &[&str] = &[
    "can", "could", "is", "are", "do", "does", "should", "must", "will", "would", "may", "has",
    "have",
];

impl Session {
    /// Answer a question about the problem asked after the clarify phase
    /// (interviewers answer those any time). True when one was answered.
    pub(crate) fn answer_late_question(
        &mut self,
        text: &str,
        reading: &TurnReading,
        turn: &mut Turn,
    ) -> bool {
        if reading.question.is_none() || text.len() > 400 {
            return false;
        }
        let before = self.revealed.clone();
        let lines = self.fact_lines(text);
        if lines.is_empty() {
            return false;
        }
        turn.says.extend(lines);
        // "Who consumes it, and how far back do they need it?": the part no
        // fact answers is the candidate's call, as in the clarify phase.
        self.say_open_parts(text, &before, turn);
        true
    }

    /// A question about the problem asked after the clarify phase that no
    /// fact answers ("can we read the ledger directly?"), with nothing on
    /// the table it could be about: said to be the candidate's call rather
    /// than passed over. Not a question about the round itself ("should I
    /// draw it now?"). True when it was answered so.
    pub(crate) fn open_late_question(
        &mut self,
        text: &str,
        reading: &TurnReading,
        turn: &mut Turn,
    ) -> bool {
        let lower = text.to_ascii_lowercase();
        let about_the_round = [
            "should i",
            "shall i",
            "do you want",
            "want me to",
            "can i ",
            "may i",
            "would you like",
        ]
        .iter()
        .any(|w| lower.contains(w));
        if reading.question.is_none()
            || text.len() > 300
            || self.pending.is_some()
            || about_the_round
            || !reading.new_edges.is_empty()
            || !reading.new_components.is_empty()
        {
            return false;
        }
        let s = self.line("no_fact", &[]);
        turn.says.push(s);
        true
    }

    /// The answers to the facts a question asks for: what was not said yet
    /// in full, what was said already as a short reminder.
    pub(crate) fn fact_lines(&mut self, text: &str) -> Vec<Say> {
        let facts = questions::facts_to_answer(&self.problem, text);
        let mut fresh = Vec::new();
        let mut again = Vec::new();
        for (i, f) in &facts {
            if self.revealed.contains(i) {
                // The catch-all constraint is reminded of only when asked
                // for by its own words: "do we have a PII catalog?" is not
                // answered by the backups said before.
                if f.topic == FactTopic::Constraint && !questions::asks_by_own_words(f, text) {
                    continue;
                }
                again.push(questions::closest_sentence(&f.answer, text).to_string());
            } else {
                self.revealed.push(*i);
                fresh.push(f.answer.trim().to_string());
            }
        }
        let mut out = Vec::new();
        if !fresh.is_empty() {
            let a = fresh.join(" ");
            out.push(self.line("fact_answer", &[("answer", &a)]));
        }
        if !again.is_empty() && fresh.is_empty() {
            let a = again.join(" ");
            out.push(self.line("fact_repeat", &[("answer", &a)]));
        }
        out
    }

    /// The questions among several in `text` that no fact answers and no
    /// earlier answer covered, short enough to say back (at most three).
    /// `before`: the facts revealed before this turn. The catch-all
    /// constraint said already answers a part only when the part asks for
    /// it by its own words: "is there an existing org chart mapping
    /// accounts to teams?" is not answered by the cost target said before.
    fn unanswered_parts(&self, text: &str, before: &[usize]) -> Vec<String> {
        let parts = questions::question_parts(text);
        if parts.len() < 2 {
            return Vec::new();
        }
        // What the facts said this turn: a part whose own words are all in
        // it ("what's the scrape interval?" beside "… at a 15-second scrape
        // interval") was answered there, whichever fact it was.
        let said: String = self
            .revealed
            .iter()
            .filter(|i| !before.contains(i))
            .filter_map(|&i| self.problem.hidden_facts.get(i))
            .map(|f| f.answer.to_ascii_lowercase())
            .collect::<Vec<_>>()
            .join(" ");
        // Most of them, as a choice asks ("do mapping changes happen weekly
        // or rarely?" beside "the mapping changes every few weeks"): a
        // word is said as itself or by its stem ("weekly" as "weeks").
        let said_there = |q: &str| {
            let words: Vec<String> = q
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.len() >= 5)
                .map(str::to_ascii_lowercase)
                .collect();
            let stem = |w: &str| {
                let s = ["ly", "ing", "ed", "es", "s"]
                    .iter()
                    .find_map(|x| w.strip_suffix(x))
                    .unwrap_or(w);
                if s.len() >= 4 {
                    s.to_string()
                } else {
                    w.to_string()
                }
            };
            let n = words
                .iter()
                .filter(|w| said.contains(w.as_str()) || said.contains(stem(w).as_str()))
                .count();
            !words.is_empty() && (n == words.len() || (n >= 2 && 2 * n > words.len()))
        };
        // A yes/no part asks something specific ("can the dashboards show
        // a mix of old and new numbers during the switch?"): a fact of its
        // topic answers it only when it speaks of any of the same things.
        let yes_no = |q: &str| {
            q.trim_start_matches(|c: char| !c.is_alphanumeric())
                .split_whitespace()
                .map(str::to_ascii_lowercase)
                .find(|w| !["and", "or", "also", "so"].contains(&w.as_str()))
                .is_some_and(|w| YES_NO.contains(&w.as_str()))
        };
        // The problem's own words ("the dashboards stay up") frame every
        // question; what a yes/no part asks about is in its other words.
        let statement = self.problem.statement.to_ascii_lowercase();
        let shares_words = |q: &str, answer: &str| {
            let answer = answer.to_ascii_lowercase();
            let words: Vec<String> = q
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| w.len() >= 3)
                .map(str::to_ascii_lowercase)
                .filter(|w| !STOP.contains(&w.as_str()) && !holds_words(&statement, w))
                .collect();
            // "hour" is said as "hourly", "price" as "pricing".
            let spoken: Vec<&str> = answer
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            words.is_empty()
                || words.iter().any(|w| {
                    said_as(&spoken, |k| k == w)
                        || spoken
                            .iter()
                            .any(|a| a == w || (w.len() >= 4 && a.starts_with(w.as_str())))
                })
        };
        // Everything the candidate has been told, for a yes/no part the
        // facts of another topic answered ("are we on on-demand pricing?"
        // beside "75% on-demand query compute").
        let told: String = self
            .revealed
            .iter()
            .filter_map(|&i| self.problem.hidden_facts.get(i))
            .map(|f| f.answer.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        // "Is there anything sensitive?" beside "PII that must be masked":
        // said this turn in the facts' own words.
        let said_otherwise = |q: &str| {
            let lower = q.to_ascii_lowercase();
            let spoken: Vec<&str> = said
                .split(|c: char| !c.is_ascii_alphanumeric())
                .filter(|w| !w.is_empty())
                .collect();
            said_as(&spoken, |k| holds_words(&lower, k))
        };
        let answers = |q: &str| {
            said_there(q)
                || said_otherwise(q)
                || questions::facts_to_answer(&self.problem, q)
                    .into_iter()
                    .any(|(i, f)| {
                        (f.topic != FactTopic::Constraint
                            || !before.contains(&i)
                            || questions::asks_by_own_words(f, q))
                            && (!yes_no(q) || shares_words(q, &f.answer) || shares_words(q, &told))
                    })
        };
        // "Anything nasty about timing? For instance, how late can a
        // payment be?": the example asks what the umbrella does.
        let example = |q: &str| {
            let l = q.trim_start().to_ascii_lowercase();
            [
                "for instance",
                "for example",
                "e.g.",
                "eg ",
                "like, ",
                "say, ",
            ]
            .iter()
            .any(|w| l.starts_with(w))
        };
        let umbrellas: Vec<bool> = (0..parts.len())
            .map(|i| parts.get(i + 1).is_some_and(|n| example(n)))
            .collect();
        parts
            .into_iter()
            .zip(umbrellas)
            .filter(|(_, umbrella)| !umbrella)
            .map(|(q, _)| q)
            .filter(|q| q.split_whitespace().count() <= 16)
            // The first of two joined questions ends without its "?".
            .filter(|q| {
                if q.ends_with('?') {
                    !answers(q)
                } else {
                    !answers(&format!("{q}?"))
                }
            })
            .take(3)
            .map(|q| {
                let q = q.trim_start_matches(|c: char| !c.is_alphanumeric());
                // "And do we need…" reads back as "do we need…".
                let q = ["and ", "or ", "also ", "so "]
                    .iter()
                    .find_map(|w| {
                        q.get(..w.len())
                            .filter(|h| h.eq_ignore_ascii_case(w))
                            .map(|_| &q[w.len()..])
                    })
                    .unwrap_or(q);
                let mut c = q.chars();
                c.next()
                    .map(|f| f.to_lowercase().chain(c).collect())
                    .unwrap_or_default()
            })
            .collect()
    }

    /// "As for "is it batch?": that one's your call", for every part of
    /// the turn no fact answered ([`Self::unanswered_parts`]).
    fn say_open_parts(&self, text: &str, before: &[usize], turn: &mut Turn) {
        let parts = self.unanswered_parts(text, before);
        let s = match parts.as_slice() {
            [] => return,
            [one] => self.line("fact_open_part", &[("part", one)]),
            many => {
                let quoted: Vec<String> = many.iter().map(|p| format!("\"{p}\"")).collect();
                let quoted: Vec<&str> = quoted.iter().map(String::as_str).collect();
                let parts = crate::interview::phases::join_and(&quoted);
                self.line("fact_open_parts", &[("parts", &parts)])
            }
        };
        turn.says.push(s);
    }

    pub(crate) fn clarify(
        &mut self,
        text: &str,
        reading: &TurnReading,
        now: u64,
        scorer: &Scorer,
        turn: &mut Turn,
        time_up: bool,
    ) {
        if let Some(q) = reading.question.and_then(|i| self.design.questions.get(i)) {
            for t in q.topics.clone() {
                if !self.asked.contains(&t) {
                    self.asked.push(t);
                }
            }
        }
        let facts = questions::facts_asked(&self.problem, text);
        for (_, f) in &facts {
            if !self.asked.contains(&f.topic) {
                self.asked.push(f.topic);
            }
        }
        let before = self.revealed.clone();
        let answers = self.fact_lines(text);
        let missing: Vec<FactTopic> = questions::REQUIRED_TOPICS
            .iter()
            .filter(|t| !self.asked.contains(t))
            .copied()
            .collect();
        // "I'd put the data in Kafka and then a database": one product and
        // no question is already picking components.
        let jumps =
            reading.designing || (reading.question.is_none() && !reading.new_components.is_empty());
        if jumps && !missing.is_empty() && !self.jumped {
            self.jumped = true;
            let names: Vec<&str> = missing.iter().map(|t| questions::topic_name(*t)).collect();
            let m = join_and(&names);
            let s = self.line("jumped", &[("missing", &m)]);
            turn.says.push(s);
        }
        let answered = !answers.is_empty();
        turn.says.extend(answers);
        if !answered && reading.question.is_some() {
            let s = self.line("no_fact", &[]);
            turn.says.push(s);
        } else if answered {
            // "How many requests a day? Is the lake partitioned by date or
            // by user?": the part no fact answers is the candidate's call,
            // said so rather than passed over.
            self.say_open_parts(text, &before, turn);
        }
        if time_up {
            return;
        }
        if missing.is_empty() {
            let s = self.line("clarify_done", &[]);
            turn.says.push(s);
            self.advance(now, Transition::Covered, turn, scorer);
        } else if questions::is_decline(text) {
            // Nothing more to ask: move on, as an interviewer would, and
            // say once what was never asked (unless already noted).
            if !self.jumped {
                let names: Vec<&str> = missing.iter().map(|t| questions::topic_name(*t)).collect();
                let m = join_and(&names);
                let s = self.line("clarify_declined", &[("missing", &m)]);
                turn.says.push(s);
            }
            self.advance(now, Transition::Requested, turn, scorer);
        } else if self.jumped && !turn.has("jumped") && reading.question.is_none() {
            // Told they skipped the requirements, they still design or
            // talk instead of asking: an interviewer goes with it rather
            // than asking "anything else?" again and again.
            let s = self.line("clarify_jumped_on", &[]);
            turn.says.push(s);
            self.advance(now, Transition::Requested, turn, scorer);
        } else if !turn.has("jumped") {
            let s = self.line("clarify_more", &[]);
            turn.says.push(s);
        }
    }
}
