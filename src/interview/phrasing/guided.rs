//! The `guided` interviewer mode: the code picks the move (its intent, its
//! target in the candidate's design, the candidate's own words on it and
//! the facts a question may use); the model writes only the question, in
//! the candidate's terms, and may pick one of the alternatives offered.
//! What the code says verbatim around it (answers to clarifying questions,
//! phase changes, acknowledgements) never goes through the model.

use crate::interview::clock::{format_mmss, Millis};
use crate::interview::moves::Move;
use crate::interview::session::{Say, Session, Turn};
use crate::interview::templates::{render, Templates};

/// The move a guided request is about, for checking the reply.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Guide {
    /// The move's offline words: a reply that only copies them is counted.
    pub template: String,
    /// The move first, then the alternatives offered.
    pub moves: Vec<Move>,
    /// The code says words of its own before the model's question.
    pub prefixed: bool,
    /// What the question is for, as the notes said it (for a retry).
    pub goal: String,
    /// "Name Kafka in the question.", or empty (for a retry).
    pub name_target: String,
    /// The candidate's own words the notes asked the question to use.
    pub offered: Vec<String>,
}

/// Why a reply is not one question but an explanation with a question at
/// the end (a small model answering its own question, or teaching): more
/// than one statement before the question, or far longer than the
/// template. `None` for a reply that asks.
pub(crate) fn lectures(reply: &str, template: &str) -> Option<String> {
    let words = |s: &str| s.split_whitespace().count();
    let limit = (words(template) * 2).max(40);
    if words(reply) > limit {
        return Some(format!(
            "the model reply ran long ({} words for a {}-word question)",
            words(reply),
            words(template)
        ));
    }
    let head = reply.find('?').map_or(reply, |q| &reply[..q]);
    // Sentences end at '.' or '!' before a space ("3.1 MB/s" is one).
    let mut statements = 0;
    let mut start = 0;
    for (i, c) in head.char_indices() {
        let ends =
            matches!(c, '.' | '!') && head[i + 1..].chars().next().is_none_or(char::is_whitespace);
        if ends {
            if words(&head[start..i]) >= 4 {
                statements += 1;
            }
            start = i + 1;
        }
    }
    (statements > 1).then(|| {
        "the model reply explained instead of asking (statements before its question)".to_string()
    })
}

/// How a sentence that only acknowledges or moves on starts.
const OPENERS: &[&str] = &[
    "ok",
    "okay",
    "sure",
    "great",
    "good",
    "got it",
    "alright",
    "all right",
    "right",
    "thanks",
    "thank you",
    "understood",
    "makes sense",
    "i see",
    "perfect",
    "nice",
    "fair",
    "let's move on",
    "moving on",
    "let's park",
    "let's continue",
    "noted",
    "interesting",
];

/// The reply without the short acknowledgements it opens with ("Sure,
/// let's move on. Which key…" → "Which key…"), when the code has already
/// said its own; the reply itself when nothing else is left.
pub(crate) fn without_opener(reply: &str) -> String {
    let rest = without_opening_sentences(reply);
    // "Okay, so when a bug…": the acknowledgement glued to the question.
    let low = rest.to_ascii_lowercase();
    let glued = OPENERS
        .iter()
        .filter(|o| !o.contains(' '))
        .find_map(|o| low.strip_prefix(o)?.strip_prefix(','))
        .map(|after| {
            let after = after.trim_start();
            let after = after.strip_prefix("so ").unwrap_or(after);
            &rest[rest.len() - after.len()..]
        });
    match glued {
        Some(q) if q.split_whitespace().count() >= 3 => crate::interview::templates::capitalised(q),
        _ => rest.to_string(),
    }
}

/// `reply` without its opening sentences that only acknowledge.
fn without_opening_sentences(reply: &str) -> &str {
    let mut rest = reply.trim_start();
    loop {
        let end = rest
            .char_indices()
            .find(|&(i, c)| {
                matches!(c, '.' | '!')
                    && rest[i + 1..].chars().next().is_none_or(char::is_whitespace)
            })
            .map(|(i, _)| i + 1);
        let Some(end) = end else { break };
        let sentence = rest[..end].to_ascii_lowercase();
        let opener = !sentence.contains('?')
            // "Let's park this; it's a gap worth closing before the real
            // thing." (the code's own words, echoed) is eleven.
            && sentence.split_whitespace().count() <= 12
            && OPENERS.iter().any(|o| {
                sentence.starts_with(o)
                    && !sentence[o.len()..].starts_with(|c: char| c.is_alphanumeric())
            });
        let next = rest[end..].trim_start();
        if !opener || next.is_empty() {
            break;
        }
        rest = next;
    }
    rest
}

/// A turn split into what code says verbatim and the move's question.
pub(crate) struct Split {
    pub prefix: String,
    pub question: String,
    pub suffix: String,
}

fn join(says: &[Say]) -> String {
    says.iter()
        .map(|s| s.text.as_str())
        .filter(|t| !t.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}

/// The question part of a turn that asks a move; `None` for turns that ask
/// nothing the code chose (clarify answers, transitions).
pub(crate) fn split(turn: &Turn) -> Option<Split> {
    let mv = turn.moves.first()?;
    let i = turn.says.iter().position(|s| s.intent == mv.intent)?;
    let mut prefix = join(&turn.says[..i]);
    let mut question = turn.says[i].text.clone();
    if announces(&mv.intent) {
        // A changed requirement or a new fact is said word for word by the
        // code; the model asks only the question about it.
        let (told, asked) = announcement(&question);
        if !told.is_empty() && !asked.is_empty() {
            prefix = [prefix.as_str(), told]
                .iter()
                .filter(|s| !s.is_empty())
                .copied()
                .collect::<Vec<_>>()
                .join(" ");
            question = asked.to_string();
        }
    }
    Some(Split {
        prefix,
        question,
        suffix: join(&turn.says[i + 1..]),
    })
}

/// Moves that tell the candidate something (a changed requirement, a fact
/// they did not ask about) before asking: what they tell must be exact.
fn announces(intent: &str) -> bool {
    intent.starts_with("curveball_") || intent.starts_with("challenge_hidden_constraint")
}

/// After the code said a changed requirement or a fact word for word, the
/// model's part is the question alone: a reply that restates the news
/// first ("An acquisition brings ten times the volume, and…") is cut to
/// its question (everything from the first sentence that asks).
pub(crate) fn question_after_announcement<'a>(reply: &'a str, mv: &Move) -> &'a str {
    if !announces(&mv.intent) {
        return reply;
    }
    let (told, question) = announcement(reply);
    if told.is_empty() || question.split_whitespace().count() < 4 {
        return reply;
    }
    question
}

/// A line split into what it tells (the sentences before the first
/// question) and the question from there on.
fn announcement(line: &str) -> (&str, &str) {
    let Some(q) = line.find('?') else {
        return ("", line);
    };
    let head = &line[..q];
    let start = head
        .char_indices()
        .rev()
        .filter(|&(i, c)| {
            matches!(c, '.' | '!' | ':')
                && head[i + c.len_utf8()..].starts_with(char::is_whitespace)
        })
        .map(|(i, c)| i + c.len_utf8())
        .next();
    match start {
        Some(i) => (line[..i].trim(), line[i..].trim()),
        None => ("", line),
    }
}

pub(crate) fn goal(t: &Templates, mv: &Move, fallback: &str) -> String {
    t.goal(&mv.intent, &mv.pairs())
        .unwrap_or_else(|| format!("ask, in your own words: {fallback}"))
}

/// A failure's id ("duplicate-producer-retries") is a key, not words the
/// candidate used: shown as words, never asked to be named.
fn is_id(t: &str) -> bool {
    t.contains('-')
        && t.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
}

/// "Name Kafka in the question." for a move about a named part of the
/// design; empty for an announcement or a failure's id. With `own`, the
/// candidate's words the question should use (`"100 partitions"`), it
/// asks for those too: "Name Kafka and their "100 partitions" in the
/// question."
pub(crate) fn name_target(mv: &Move, own: &str) -> String {
    // A name is short (an arrow names its two ends): a changed
    // requirement's title ("Ten times the traffic: 2M events/sec") is what
    // the question is about, not a name.
    let target = mv.target.as_deref().filter(|t| {
        !announces(&mv.intent)
            && !is_id(t)
            && !t.contains(':')
            && (t.contains('→') || t.split_whitespace().count() <= 4)
    });
    match (target, own.is_empty()) {
        (Some(t), true) => format!("Name {t} in the question."),
        (Some(t), false) => format!("Name {t} and their {own} in the question."),
        (None, false) => format!("Name their {own} in the question."),
        (None, true) => String::new(),
    }
}

/// The notes sent once more after a rejected reply: why it was not used
/// and the question to write again, in at most `words` words.
pub(crate) fn retry_note(t: &Templates, guide: &Guide, why: &str) -> String {
    let why = why
        .strip_prefix("the model reply ")
        .or_else(|| why.strip_prefix("the model "))
        .unwrap_or(why);
    let words = (guide.template.split_whitespace().count() * 3 / 2).clamp(15, 40);
    let goal = guide.goal.trim_end_matches(['.', ' ']);
    render(
        &t.guided_retry,
        &[
            ("why", why),
            ("goal", goal),
            ("name_target", &guide.name_target),
            ("words", &words.to_string()),
        ],
    )
    .trim_end()
    .to_string()
}

/// The reply recites the notes' list of names and numbers it may use
/// ("MySQL → Debezium; MySQL; Debezium"): a small model echoing its
/// prompt, not asking.
pub(crate) fn recites_facts(reply: &str, mv: &Move) -> bool {
    mv.facts.len() >= 2 && {
        let list = mv.facts[..2].join("; ").to_lowercase();
        reply.to_lowercase().contains(&list)
    }
}

/// The notes for a guided request.
pub(crate) fn notes(
    t: &Templates,
    session: &Session,
    turn: &Turn,
    split: &Split,
    now: Millis,
    name_target: &str,
) -> String {
    let question = split.question.as_str();
    let mmss = |v: Option<i64>| v.map_or_else(|| "no clock".to_string(), format_mmss);
    let Some(mv) = turn.moves.first() else {
        return String::new();
    };
    let alternatives: Vec<String> = turn
        .moves
        .iter()
        .skip(1)
        .take(2)
        .enumerate()
        .map(|(i, m)| format!("({}) {}", (b'a' + i as u8) as char, goal(t, m, "")))
        .collect();
    let alternatives = if alternatives.is_empty() {
        String::new()
    } else {
        format!(
            "If it fits the conversation better, you may ask one of these instead: {}",
            alternatives.join(" ")
        )
    };
    let facts = mv.facts.join("; ");
    let max_sentences = match question.matches(['.', '?', '!']).count() {
        0 | 1 => "one sentence",
        2 => "two sentences",
        _ => "three sentences",
    };
    let phase = session.phase();
    // With words of the code's own before the question (an
    // acknowledgement, "let's park that"), the model does not acknowledge.
    let prefix = split.prefix.trim();
    let followup = if turn.follow_up && prefix.is_empty() {
        t.followup.trim()
    } else {
        ""
    };
    let target = mv.target.as_deref().map(|t| {
        if is_id(t) {
            t.replace('-', " ")
        } else {
            t.to_string()
        }
    });
    let notes = render(
        &t.guided,
        &[
            ("name_target", name_target),
            ("phase", phase.title()),
            ("time_left", &mmss(session.phase_left(now))),
            ("round_left", &mmss(session.round_left(now))),
            ("goal", &goal(t, mv, question)),
            (
                "target",
                target.as_deref().unwrap_or("the design as a whole"),
            ),
            ("quote", mv.quote.as_deref().unwrap_or("")),
            ("facts", &facts),
            ("alternatives", &alternatives),
            ("followup_instructions", followup),
            ("max_sentences", max_sentences),
        ],
    );
    // A line whose value is empty says nothing; it costs the model tokens
    // and invites it to fill the gap.
    notes
        .lines()
        .filter(|l| {
            let l = l.trim_end();
            !l.is_empty() && !l.ends_with(": \"\"") && !l.ends_with(':')
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// Words of the candidate's turn a guided request carries: the notes quote
/// what the question is about, so a long paste is cut to its opening (every
/// token of it is read by the model before it writes a word).
pub(crate) const CANDIDATE_WORDS: usize = 60;

/// The candidate's turn cut to `max` words, at a sentence end when one is
/// near, marked with "…" when cut.
pub(crate) fn opening_words(text: &str, max: usize) -> String {
    let text = text.trim();
    let Some((cut, _)) = text
        .char_indices()
        .filter(|&(i, c)| c.is_whitespace() && i > 0 && !text[..i].ends_with(char::is_whitespace))
        .nth(max.saturating_sub(1))
    else {
        return text.to_string();
    };
    let head = &text[..cut];
    let sentence = head
        .rfind(['.', '?', '!', '\n'])
        .filter(|&i| i >= head.len() / 2)
        .map_or(head, |i| &head[..=i]);
    format!("{} …", sentence.trim_end())
}

/// Words too common to show a reply is about a move's target.
const COMMON: &[&str] = &[
    "what", "which", "when", "where", "with", "that", "this", "they", "your", "their", "there",
    "about", "would", "could", "should", "happens", "happen", "does", "into", "from", "then",
    "data", "design", "system", "pipeline", "them", "have", "will", "just", "more", "like",
];

fn significant(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '.' || c == '/'))
        .map(|w| w.trim_matches('.').to_ascii_lowercase())
        .filter(|w| {
            (w.len() >= 4 || w.chars().any(|c| c.is_ascii_digit())) && !COMMON.contains(&w.as_str())
        })
        .collect()
}

/// How many of a move's target words, facts and the candidate's words the reply uses.
fn overlap(reply: &str, mv: &Move) -> usize {
    let lower = reply.to_ascii_lowercase();
    let mut words: Vec<String> = Vec::new();
    for f in mv.target.iter().chain(mv.facts.iter()) {
        words.extend(significant(f));
    }
    if let Some(q) = &mv.quote {
        words.extend(significant(q));
    }
    words.sort();
    words.dedup();
    words.iter().filter(|w| lower.contains(w.as_str())).count()
}

/// True when the reply is about the move: it uses a name, a number or
/// words of the candidate's that the move concerns. A move with nothing
/// to anchor it (a general question) always passes.
pub(crate) fn on_target(reply: &str, mv: &Move, template: Option<&str>) -> bool {
    // What a changed requirement or a new fact is about was just said, word
    // for word, by the code: "this requirement" is on target.
    if announces(&mv.intent) {
        return true;
    }
    // Asking the template's question in other words is on target, even when
    // the words it shares are the question's and not the target's.
    if let Some(t) = template {
        let lower = reply.to_ascii_lowercase();
        let mut words = significant(t);
        words.sort();
        words.dedup();
        if words.iter().filter(|w| lower.contains(w.as_str())).count() >= 3 {
            return true;
        }
    }
    let anchored = mv
        .target
        .iter()
        .chain(mv.facts.iter())
        .any(|f| !significant(f).is_empty())
        || mv
            .quote
            .as_deref()
            .is_some_and(|q| !significant(q).is_empty());
    !anchored || overlap(reply, mv) > 0
}

/// Words of a goal or template that say how to ask, not what.
const NOT_INTENT: &[&str] = &[
    "ask",
    "asks",
    "said",
    "says",
    "candidate",
    "question",
    "words",
    "terms",
    "instead",
    "fits",
    "conversation",
    "better",
    "challenge",
    "choice",
    "nothing",
    "gave",
    "given",
    "still",
    "again",
    "concretely",
    "roughly",
    "ballpark",
    "fine",
    "tell",
    "make",
    "plainly",
    "them",
    "they",
    "their",
    "theirs",
    "here",
    "else",
    "something",
    "walk",
    "through",
    "well",
];

/// Short words that say what a question asks.
const SHORT_INTENT: &[&str] = &[
    "key", "lag", "ttl", "sla", "dlq", "cdc", "rto", "rpo", "ack", "dag", "p95", "p99", "run",
];

/// The words of `s` that can carry a question's intent.
fn intent_words(s: &str) -> Vec<String> {
    let mut out = significant(s);
    out.extend(
        s.split(|c: char| !c.is_alphanumeric())
            .map(str::to_ascii_lowercase)
            .filter(|w| SHORT_INTENT.contains(&w.as_str())),
    );
    out
}

/// Stems that ask the same thing: a question asks for a volume whether it
/// says "how much", "how many rows per second" or "at peak".
const ASK_ALIKE: &[&[&str]] = &[
    &[
        "much", "many", "volum", "rate", "throu", "secon", "peak", "size", "byte", "row", "event",
        "recor", "day",
    ],
    &[
        "forma", "paylo", "schem", "avro", "json", "parqu", "proto", "look", "field", "flow",
    ],
    &["key", "parti", "shard", "hash", "keyed"],
    &[
        "idemp", "retri", "retry", "twice", "dupli", "again", "repla", "dedup", "once",
    ],
    &[
        "alert", "metri", "know", "detec", "notic", "page", "monit", "lag", "see",
    ],
    &["recov", "resta", "repla", "resto", "resum", "fix", "back"],
    &[
        "exact", "least", "lose", "loss", "lost", "guara", "once", "dupli",
    ],
    &[
        "produ", "run", "techn", "engin", "datab", "use", "kind", "tool", "servi",
    ],
    &["cost", "money", "price", "expen", "cheap", "budge", "bill"],
    &[
        "chang", "differ", "adapt", "meet", "hit", "break", "first", "handl", "cope", "scale",
    ],
];

/// A word's first five letters: "partitions" and "partition" agree.
fn stem(w: &str) -> String {
    let w = ["ing", "ed", "es", "s"]
        .iter()
        .find_map(|suf| w.strip_suffix(suf).filter(|r| r.len() >= 3))
        .unwrap_or(w);
    w.chars().take(5).collect()
}

/// True when the reply asks what the move asks, not only about the same
/// thing: it shares a word (by stem) with the move's template or goal other
/// than the target's own names and numbers ("payload", "key", "alert",
/// "partitions"…). "Is Kafka deterministic?" is about Kafka, but not the
/// question "what flows from Kafka to Spark".
pub(crate) fn on_intent(reply: &str, mv: &Move, template: &str, goal: &str) -> bool {
    let mut anchor: Vec<String> = mv
        .target
        .iter()
        .chain(mv.facts.iter())
        .chain(mv.quote.iter())
        .flat_map(|f| significant(f))
        .map(|w| stem(&w))
        .collect();
    anchor.sort();
    let mut intent: Vec<String> = intent_words(template)
        .into_iter()
        .chain(intent_words(goal))
        .filter(|w| !NOT_INTENT.contains(&w.as_str()) && !w.chars().all(|c| c.is_ascii_digit()))
        .map(|w| stem(&w))
        .filter(|w| anchor.binary_search(w).is_err())
        .collect();
    let alike: Vec<String> = ASK_ALIKE
        .iter()
        .filter(|g| g.iter().any(|w| intent.iter().any(|i| i == w)))
        .flat_map(|g| g.iter().map(|w| w.to_string()))
        .collect();
    intent.extend(alike);
    intent.sort();
    intent.dedup();
    if intent.is_empty() {
        return true;
    }
    intent_words(reply)
        .iter()
        .any(|w| intent.binary_search(&stem(w)).is_ok())
}

/// The alternative the reply took up, when it matches one better than the move.
pub(crate) fn chosen(reply: &str, moves: &[Move]) -> Option<usize> {
    let first = moves.first().map_or(0, |m| overlap(reply, m));
    moves
        .iter()
        .enumerate()
        .skip(1)
        .map(|(i, m)| (i, overlap(reply, m)))
        .filter(|&(_, o)| o > first)
        .max_by_key(|&(_, o)| o)
        .map(|(i, _)| i)
}

/// True when the reply is the template with hardly a word changed.
pub(crate) fn copied(reply: &str, template: &str) -> bool {
    let words = |s: &str| -> Vec<String> {
        s.split(|c: char| !c.is_alphanumeric())
            .filter(|w| !w.is_empty())
            .map(str::to_ascii_lowercase)
            .collect()
    };
    let (a, b) = (words(reply), words(template));
    if a.is_empty() || b.is_empty() {
        return false;
    }
    let common = a.iter().filter(|w| b.contains(w)).count();
    let sim = 2.0 * common as f32 / (a.len() + b.len()) as f32;
    sim >= 0.85
}

#[cfg(test)]
mod tests {
    use super::*;

    fn mv() -> Move {
        Move::new("challenge_partition_capacity")
            .target("Kafka")
            .quote("Kafka has 64 partitions keyed by user_id")
            .var("rate", "200 MB/s")
            .var("partitions", "64")
    }

    #[test]
    fn the_notes_ask_for_the_target_s_name_and_their_own_figure_never_a_title() {
        assert_eq!(name_target(&mv(), ""), "Name Kafka in the question.");
        assert_eq!(
            name_target(&mv(), "\"64 partitions\""),
            "Name Kafka and their \"64 partitions\" in the question."
        );
        let arrow = Move::new("annotate_edge").target("Kafka MSK → Spark Structured Streaming");
        assert_eq!(
            name_target(&arrow, ""),
            "Name Kafka MSK → Spark Structured Streaming in the question."
        );
        let title =
            Move::new("probe_curveball").target("The live dashboard must be 5 seconds fresh");
        assert_eq!(name_target(&title, ""), "");
        let curveball = Move::new("probe_curveball").target("Ten times the traffic: 2M events/sec");
        assert_eq!(name_target(&curveball, ""), "");
        assert_eq!(
            name_target(&curveball, "\"100 partitions\""),
            "Name their \"100 partitions\" in the question."
        );
    }

    #[test]
    fn a_reply_about_the_move_is_on_target_and_one_about_something_else_is_not() {
        assert!(on_target(
            "With 64 partitions on Kafka, how much headroom do you have for a hot user?",
            &mv(),
            None
        ));
        assert!(!on_target(
            "How would you monitor the Snowflake warehouse costs?",
            &mv(),
            None
        ));
        assert!(on_target(
            "Anything else?",
            &Move::new("challenge_cost"),
            None
        ));
        // The template's question in other words is on target.
        let drill = Move::new("drill_harder")
            .target("duplicate-producer-retries")
            .quote("dedupes on event_id with a 24-hour state TTL");
        let template = "Make it worse: a replay or a late retry brings the same records back two days later. What stops them being counted twice then?";
        let reply = "What if a late retry brings the records back two days later: what stops them being counted twice?";
        assert!(!on_target(reply, &drill, None));
        assert!(on_target(reply, &drill, Some(template)));
        assert!(!on_target(
            "How would you monitor the Snowflake warehouse costs?",
            &drill,
            Some(template)
        ));
    }

    #[test]
    fn a_changed_requirement_is_told_verbatim_and_only_its_question_is_asked() {
        let line = "Let me change a requirement. The dashboard now has to be 5.5 seconds fresh, not a minute. What has to change, and what does it cost you?";
        assert_eq!(
            announcement(line),
            (
                "Let me change a requirement. The dashboard now has to be 5.5 seconds fresh, not a minute.",
                "What has to change, and what does it cost you?"
            )
        );
        assert_eq!(announcement("Why Kafka?"), ("", "Why Kafka?"));
        assert!(announces("curveball_tighten"));
        assert!(announces("challenge_hidden_constraint_watermark"));
        assert!(!announces("challenge_hot_key"));
    }

    #[test]
    fn a_long_turn_is_cut_to_its_opening_at_a_sentence_end() {
        assert_eq!(
            opening_words("Kafka, keyed by user_id.", 60),
            "Kafka, keyed by user_id."
        );
        let long = "Kafka has 64 partitions. Flink reads it and writes Parquet to S3 every minute. Then a nightly Spark job compacts.";
        assert_eq!(
            opening_words(long, 14),
            "Kafka has 64 partitions. Flink reads it and writes Parquet to S3 every minute. …"
        );
        assert_eq!(opening_words("one two three four", 2), "one two …");
    }

    #[test]
    fn after_an_announcement_only_the_question_is_kept() {
        let mv = Move::new("curveball_stretch");
        assert_eq!(
            question_after_announcement(
                "An acquisition brings ten times the volume. Which part of your design breaks first?",
                &mv
            ),
            "Which part of your design breaks first?"
        );
        assert_eq!(
            question_after_announcement("Which part breaks first?", &mv),
            "Which part breaks first?"
        );
        let plain = Move::new("ask_payload");
        assert_eq!(
            question_after_announcement("Kafka has 64 partitions. Why 64?", &plain),
            "Kafka has 64 partitions. Why 64?"
        );
    }

    #[test]
    fn a_reply_reciting_the_facts_list_reads_the_notes() {
        let mut mv = Move::new("ask_payload");
        mv.facts = vec!["MySQL → Debezium".into(), "MySQL".into(), "Debezium".into()];
        assert!(recites_facts(
            "What payload does MySQL → Debezium generate? Name MySQL → Debezium; MySQL; Debezium",
            &mv
        ));
        assert!(!recites_facts(
            "How many rows a second go from MySQL to Debezium at peak?",
            &mv
        ));
    }

    #[test]
    fn acknowledgements_the_code_already_said_are_dropped_from_the_reply() {
        assert_eq!(
            without_opener("Sure, let's move on. OK. What flows from Kafka to Flink?"),
            "What flows from Kafka to Flink?"
        );
        assert_eq!(
            without_opener("Kafka keeps 7 days. Why 7 days?"),
            "Kafka keeps 7 days. Why 7 days?"
        );
        assert_eq!(without_opener("Okay."), "Okay.");
        assert_eq!(
            without_opener(
                "Let's park this; it's a gap worth closing before the real thing. \
                 What format does Kafka emit from Debezium?"
            ),
            "What format does Kafka emit from Debezium?"
        );
        assert_eq!(
            without_opener(
                "Okay, so when a bug in the job writes wrong counts, how do you fix them?"
            ),
            "When a bug in the job writes wrong counts, how do you fix them?"
        );
        assert_eq!(
            without_opener("Great, which key does Kafka partition on?"),
            "Which key does Kafka partition on?"
        );
        assert_eq!(without_opener("Right, why?"), "Right, why?");
        assert_eq!(
            without_opener("Rightly or not, why 64 partitions?"),
            "Rightly or not, why 64 partitions?"
        );
        assert_eq!(
            without_opener("Rightsizing matters. Which instance type?"),
            "Rightsizing matters. Which instance type?"
        );
    }

    #[test]
    fn a_reply_that_explains_before_it_asks_is_not_a_question() {
        let template =
            "200K events/sec into Kafka, but how many partitions, and how did you size them?";
        let lecture = "Kafka is designed for high throughput and low latency. It can handle 200K events/sec without any issues. How many partitions?";
        assert!(lectures(lecture, template).is_some());
        assert!(lectures(
            "200 MB/s into 64 partitions is about 3.1 MB/s per partition. How did you arrive at 64?",
            template
        )
        .is_none());
        assert!(lectures(
            "You put 200K events/sec into Kafka. How many partitions, and why that many?",
            template
        )
        .is_none());
        let long = "How many partitions ".repeat(15) + "?";
        assert!(lectures(&long, template).is_some_and(|w| w.contains("ran long")));
    }

    #[test]
    fn a_reply_about_the_target_must_also_ask_what_the_move_asks() {
        let edge = Move::new("annotate_edge").target("Kafka → Spark");
        let template =
            "On the arrow from Kafka to Spark: what flows, in which format, and roughly how much?";
        let goal = "The arrow Kafka → Spark says nothing about what flows. Ask for the payload, the format and a rough volume.";
        assert!(on_intent(
            "What does Kafka hand to Spark: which payload, and how many events a second?",
            &edge,
            template,
            goal
        ));
        assert!(on_intent(
            "How much goes from Kafka to Spark at peak?",
            &edge,
            template,
            goal
        ));
        assert!(!on_intent(
            "Is it possible that Kafka sends duplicates to Spark, or is it deterministic?",
            &edge,
            template,
            goal
        ));
        let key = Move::new("ask_key").target("Kafka");
        assert!(on_intent(
            "Which field do you partition Kafka on, and why that one?",
            &key,
            "What's the partition key into Kafka, and why that key?",
            "Ask for the partition key into Kafka and why that key."
        ));
        assert!(!on_intent(
            "Based on the capacity of Kafka, how many streams can be created?",
            &key,
            "What's the partition key into Kafka, and why that key?",
            "Ask for the partition key into Kafka and why that key."
        ));
    }

    #[test]
    fn copying_the_template_is_recognised() {
        let t =
            "200 MB/s into 64 partitions is about 3 MB/s per partition. How did you arrive at 64?";
        assert!(copied(t, t));
        assert!(!copied(
            "Why 64 partitions for Kafka at 200 MB/s, and what if one user_id gets hot?",
            t
        ));
    }

    #[test]
    fn an_alternative_is_chosen_only_when_the_reply_is_about_it() {
        let moves = vec![
            mv(),
            Move::new("challenge_why")
                .target("Flink")
                .var("alternative", "Spark Structured Streaming"),
        ];
        assert_eq!(
            chosen("Why Flink rather than Spark Structured Streaming?", &moves),
            Some(1)
        );
        assert_eq!(
            chosen("Is 64 partitions enough for 200 MB/s on Kafka?", &moves),
            None
        );
    }
}
