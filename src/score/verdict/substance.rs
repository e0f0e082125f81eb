//! The gates on substance: a round whose answers are often platform claims
//! and shrugs ("it just scales", "the cloud handles retries", "I guess,
//! should be fine") is not an L5 round, and one where they are most of the
//! answers ("we'd retry", "Kafka handles that", "it just works") is not an
//! L4 round either, whatever the clarifying questions and the words it used
//! earned. Nor is one where a wrong claim the interviewer said back was
//! defended again an L5 round.

use super::quotes::quote_one;
use super::Gate;
use crate::rubric::Level;
use crate::score::card::SessionFacts;

/// At least this many answers with nothing to use in them ...
const MIN_EVASIVE: usize = 3;
/// ... and at least one in this many of the round's answers.
const SHARE: usize = 4;
/// Shrugs in this many answers, and in at least two of every five, leave
/// no design to credit at all.
const MIN_MOSTLY: usize = 5;

/// The L5 gate, and the L4 one when shrugs are most of the round; and the
/// L5 gate on a wrong claim stood by.
pub(super) fn gates(session: &SessionFacts) -> Vec<Gate> {
    let (n, of) = (session.evasive.len(), session.answers);
    let mut out = vec![gate(
        session,
        Level::L5,
        n >= MIN_EVASIVE && n * SHARE >= of,
    )];
    if n >= MIN_MOSTLY && n * 5 >= of * 2 {
        out.push(gate(session, Level::L4, true));
    }
    if let Some(said) = session.claims_stood_by.first() {
        out.push(Gate {
            level: Level::L5,
            id: "claims",
            passed: false,
            because: format!(
                "Stands by a claim the interviewer showed does not hold{}",
                quote_one(said)
            ),
            to_pass: "When a claim is challenged (replication factor 1, a global order in Kafka, exactly-once credited to a product), take it back or say the mechanism that makes it hold".into(),
        });
    }
    out
}

fn gate(session: &SessionFacts, level: Level, failed: bool) -> Gate {
    let (n, of) = (session.evasive.len(), session.answers);
    // Two of them, each as `quote_one` says one: ` ("a"; "b")`.
    let said: Vec<String> = session
        .evasive
        .iter()
        .take(2)
        .map(|q| {
            let one = quote_one(q);
            one.trim_start_matches(" (")
                .trim_end_matches(')')
                .to_string()
        })
        .collect();
    let quotes = if said.is_empty() {
        String::new()
    } else {
        format!(" ({})", said.join("; "))
    };
    Gate {
        level,
        id: "substance",
        passed: !failed,
        because: if failed {
            format!("Hand-waves, dodges or off-topic replies in {n} of {of} answers{quotes}")
        } else {
            "Answers with mechanisms, not platform claims".into()
        },
        to_pass: match said.first() {
            Some(q) if failed => format!(
                "Where you said {q}, commit to the mechanism: the metric and its threshold, the setting or key, a number you can defend"
            ),
            _ => "Replace \"it just scales\", \"we'd monitor it\" and \"the cloud handles it\" with the mechanism: the metric and its threshold, the setting or key, the number".into(),
        },
    }
}
