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
    Some(Split {
        prefix: join(&turn.says[..i]),
        question: turn.says[i].text.clone(),
        suffix: join(&turn.says[i + 1..]),
    })
}

fn goal(t: &Templates, mv: &Move, fallback: &str) -> String {
    t.goal(&mv.intent, &mv.pairs())
        .unwrap_or_else(|| format!("ask, in your own words: {fallback}"))
}

/// The notes for a guided request.
pub(crate) fn notes(
    t: &Templates,
    session: &Session,
    turn: &Turn,
    question: &str,
    now: Millis,
) -> String {
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
    let max_sentences = (question.matches(['.', '?', '!']).count())
        .clamp(1, 3)
        .to_string();
    let phase = session.phase();
    render(
        &t.guided,
        &[
            ("phase", phase.title()),
            ("time_left", &mmss(session.phase_left(now))),
            ("round_left", &mmss(session.round_left(now))),
            ("goal", &goal(t, mv, question)),
            (
                "target",
                mv.target.as_deref().unwrap_or("the design as a whole"),
            ),
            ("quote", mv.quote.as_deref().unwrap_or("")),
            ("facts", &facts),
            ("alternatives", &alternatives),
            (
                "followup_instructions",
                if turn.follow_up {
                    t.followup.trim()
                } else {
                    ""
                },
            ),
            ("max_sentences", &max_sentences),
        ],
    )
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
pub(crate) fn on_target(reply: &str, mv: &Move) -> bool {
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
    fn a_reply_about_the_move_is_on_target_and_one_about_something_else_is_not() {
        assert!(on_target(
            "With 64 partitions on Kafka, how much headroom do you have for a hot user?",
            &mv()
        ));
        assert!(!on_target(
            "How would you monitor the Snowflake warehouse costs?",
            &mv()
        ));
        assert!(on_target("Anything else?", &Move::new("challenge_cost")));
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
