//! What an answer says about operating its design, part by part, for the
//! L6 operations gate: who is paged on which alert, the runbook, recovery
//! targets and SLA tiers. A gate that fails names the parts that are there
//! and the ones that are not, instead of calling them all missing.

use super::quotes::{quote_saying, said_at, says_word};
use super::{Facts, OPERATIONS};
use crate::read::sentences::sentence_at;
use crate::read::Evidence;

const PAGED: &[&str] = &[
    "page", "pager", "paging", "on-call", "oncall", "on call", "escalat",
];
const OPERATED: &[&str] = &[
    "page", "pager", "paging", "on-call", "oncall", "on call", "escalat", "runbook", "rto", "rpo",
];

/// The clause of the first quote in `ev` that says one of `words` (split
/// at ", ", "; " and ": ", so "08:30" stays whole), quoted as a reason quotes: "we page
/// when consumer lag is over 2 minutes", not the sentence's start.
fn clause_saying(ev: &[Evidence], words: &[&str]) -> Option<String> {
    ev.iter().find_map(|e| {
        e.quote
            .split(", ")
            .flat_map(|c| c.split("; "))
            .flat_map(|c| c.split(": "))
            .map(str::trim)
            .find(|c| says_word(c, words))
            .map(|c| super::quotes::quote_one(c.trim_start_matches("and ")))
    })
}

/// One part of operating a design: its name in a reason, what would add
/// it, and whether the answer says it.
struct Part {
    said: &'static str,
    add: &'static str,
    there: bool,
}

fn parts(f: &Facts<'_>) -> [Part; 4] {
    let text = f.an.text;
    // One lowercased copy searched for each word; ASCII folding keeps every
    // byte offset, so a find's sentence is the text's.
    let lower = text.to_ascii_lowercase();
    // Statements only: a question asked ("who gets paged?") is not a plan.
    let asked = |at: usize| {
        sentence_at(&f.an.sentences, at)
            .and_then(|si| f.an.sentences.get(si))
            .and_then(|s| text.get(s.start..s.end))
            .is_some_and(|t| t.trim_end().ends_with('?'))
    };
    let stated = |words: &[&str]| {
        words.iter().any(|w| {
            lower
                .match_indices(w)
                .any(|(at, _)| said_at(&lower, at, w) && !asked(at))
        })
    };
    let tiers = f.con("sla-tiers").is_some_and(|c| c.strength >= 2);
    [
        Part {
            said: "paging on an alert",
            add: "the alert that pages on-call and its threshold",
            there: stated(PAGED),
        },
        Part {
            said: "a runbook",
            add: "the runbook step on-call follows",
            there: stated(&["runbook", "run book", "playbook"]),
        },
        Part {
            said: "recovery targets",
            add: "RTO/RPO for the stores that matter",
            there: stated(&[
                "rto ",
                "rto,",
                "rto)",
                "rto/",
                "rpo",
                "recovery time",
                "recovery point",
            ]),
        },
        Part {
            said: "SLA tiers",
            add: "SLA tiers per consumer",
            there: tiers,
        },
    ]
}

/// Why the operations gate failed, and what would pass it.
pub(super) fn operations_gap(f: &Facts<'_>) -> (String, String) {
    let all = parts(f);
    let there: Vec<&str> = all.iter().filter(|p| p.there).map(|p| p.said).collect();
    let missing: Vec<&str> = all.iter().filter(|p| !p.there).map(|p| p.said).collect();
    let adds: Vec<&str> = all.iter().filter(|p| !p.there).map(|p| p.add).collect();
    let join = crate::read::text::join_and;
    if there.is_empty() || missing.is_empty() {
        return (
            "Operations are missing: who is paged on which alert, the runbook, RTO/RPO, tiered SLOs".into(),
            "Add operations: the alert that pages on-call and its threshold, the runbook step, RTO/RPO, and SLA tiers per consumer".into(),
        );
    }
    let quoted = clause_saying(&f.sig_ev(OPERATIONS), OPERATED)
        .unwrap_or_else(|| quote_saying(&f.sig_ev(OPERATIONS), &[], super::quotes::operated));
    (
        format!(
            "Operations are thin: it has {}{quoted}, but not {}",
            join(&there),
            join(&missing).replace(" and ", " or ")
        ),
        format!("Add {}", join(&adds)),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ev(q: &str) -> Evidence {
        Evidence {
            start: 0,
            end: q.len(),
            quote: q.to_string(),
        }
    }

    #[test]
    fn the_clause_that_pages_is_quoted_and_a_time_is_not_a_clause_break() {
        let q = clause_saying(
            &[ev(
                "The DAG runs at 06:00, and Airflow alerts the data on-call at 08:30 if it is late",
            )],
            OPERATED,
        );
        assert_eq!(
            q.as_deref(),
            Some(" (\"Airflow alerts the data on-call at 08:30 if it is late\")")
        );
        assert_eq!(clause_saying(&[ev("We log every run")], OPERATED), None);
    }
}
