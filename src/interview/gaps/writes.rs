//! Whether a write on the board still needs the retry question: writes
//! that only delete, rebuild or copy what they write, landings whose
//! duplicates the job reading them drops, and exactly-once claims said
//! with their mechanism (asked from the claim).

use crate::design::Design;
use crate::rubric::ComponentKind;

/// An exactly-once write into `s` said with what gives it ("lands the raw
/// event in Iceberg, exactly-once via the connector's commit"), as the
/// candidate said it: the retry question starts from that claim rather
/// than asking as if nothing was said.
///
/// A claim of the whole pipeline ("exactly-once end to end because Spark
/// checkpoints its offsets") is a claim about every store it writes: the
/// flag says so, and it is quoted back once, not for every store.
pub(super) fn exactly_once_into(d: &Design, s: usize) -> Option<(String, bool)> {
    d.guarantees
        .iter()
        .filter(|g| {
            g.mechanism.is_some()
                && matches!(
                    g.kind.as_str(),
                    "exactly-once" | "two-phase commit" | "transactional"
                )
        })
        .find_map(|g| {
            let (clause, upto) = claim_clause(&g.evidence.quote);
            let of_s = (g.subject == Some(s)
                || g.edge
                    .and_then(|e| d.edges.get(e))
                    .is_some_and(|e| e.to == s))
                && names_store(d, s, upto);
            // Whoever it is said of ("because Spark checkpoints"), of a
            // store a job writes (not the SDK's send to an API gateway).
            let by_job = d.current_edges().any(|e| {
                e.to == s
                    && matches!(
                        d.components[e.from].kind,
                        ComponentKind::StreamProcessor | ComponentKind::BatchProcessor
                    )
            });
            let whole = by_job && end_to_end(&clause);
            (of_s || whole).then_some((clause, !of_s))
        })
}

/// The claim is said of the whole pipeline: "end to end", "everywhere",
/// "across the pipeline".
fn end_to_end(clause: &str) -> bool {
    let l = clause.to_ascii_lowercase();
    [
        "end to end",
        "end-to-end",
        "everywhere",
        "whole pipeline",
        "entire pipeline",
        "across the pipeline",
        "all the way",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// `clause` names store `s`: its product, or a word of its name ("the
/// Iceberg lake" for "S3 lake"), so a claim about another store is not
/// taken for this one.
fn names_store(d: &Design, s: usize, clause: &str) -> bool {
    let c = &d.components[s];
    [Some(c.name.as_str()), c.product.as_deref()]
        .into_iter()
        .flatten()
        .flat_map(|n| n.split(|ch: char| !ch.is_ascii_alphanumeric()))
        // "S3" counts; a joining word of a long name does not.
        .filter(|w| w.len() >= 2 && !["to", "of", "in", "on", "at", "by", "an"].contains(w))
        .any(|w| crate::read::text::holds_words(clause, w))
}

/// The clause of `sentence` that makes the guarantee claim ("exactly-once
/// via the connector's commit" of "In parallel the S3 sink lands the raw
/// event in Iceberg, exactly-once via the connector's commit."), and the
/// sentence up to its end: what the claim is said of.
fn claim_clause(sentence: &str) -> (String, &str) {
    let lower = sentence.to_ascii_lowercase();
    let Some(at) = ["exactly", "effectively", "two-phase", "2pc", "transaction"]
        .iter()
        .filter_map(|w| lower.find(w))
        .min()
    else {
        return (sentence.to_string(), sentence);
    };
    let (a, b) = crate::read::text::clause_around(sentence, at);
    let clause = &sentence[a..b];
    if clause.split_whitespace().count() < 4 {
        (sentence.to_string(), sentence)
    } else {
        (clause.to_string(), &sentence[..b])
    }
}

/// An arrow's words say it only deletes: "DELETE WHERE user_id IN (...)",
/// "purge by user_id", not "MERGE … WHEN MATCHED THEN DELETE" or "delete
/// then insert".
pub(super) fn deletes_only(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    let deletes = ["delete", "purge", "erase"].iter().any(|w| l.contains(w));
    let writes = [
        "insert",
        "merge",
        "upsert",
        "append",
        "load",
        "copy",
        "write",
        "update",
        "overwrite",
        "put",
    ]
    .iter()
    .any(|w| l.contains(w));
    deletes && !writes
}

/// An arrow from one object store to another of the same product: a
/// replica of objects already written, not a new write.
pub(super) fn copies_objects(d: &Design, from: usize, to: usize) -> bool {
    let (Some(a), Some(b)) = (d.components.get(from), d.components.get(to)) else {
        return false;
    };
    a.kind == ComponentKind::ObjectStore
        && b.kind == ComponentKind::ObjectStore
        && a.product.is_some()
        && a.product == b.product
}

/// An arrow's words say it rewrites its target whole: "rebuild of affected
/// sale_dates", "INSERT OVERWRITE the day's partition", "full refresh".
pub(super) fn rebuilds(label: &str) -> bool {
    let l = label.to_ascii_lowercase();
    [
        "rebuild",
        "overwrite",
        "full refresh",
        "create or replace",
        "truncate and load",
        "truncate-and-load",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// Words saying an input arrived again: a keyed write said with one of
/// them absorbs a retried delivery upstream.
const RESENT: &[&str] = &[
    "re-send",
    "resend",
    "re-sent",
    "resent",
    "sent twice",
    "sends twice",
    "arrives twice",
    "lands twice",
    "delivered twice",
    "redeliver",
    "re-deliver",
    "re-upload",
    "reupload",
    "uploaded twice",
    "duplicate",
];

/// True for a landing zone `s` read by a job said to dedupe on a key
/// ("the Spark job dedupes by source_event_id"), or whose keyed write was said to absorb
/// a re-sent input ("MERGEs it on the line key, so a till that re-sends
/// the batch updates the same rows"): a record landed twice is dropped
/// downstream, which answers "what if that write is retried". A MERGE
/// said only to make reruns safe does not: a file delivered twice is new
/// input to it.
pub(super) fn absorbed_downstream(d: &Design, s: usize) -> bool {
    let job = |c: usize| {
        matches!(
            d.components[c].kind,
            ComponentKind::StreamProcessor | ComponentKind::BatchProcessor
        )
    };
    let text = std::cell::OnceCell::new();
    // A sentence names the job and a re-sent input.
    let said_of = |by: usize| {
        text.get_or_init(|| d.text().to_ascii_lowercase())
            .split(['.', '\n'])
            .any(|st| names_store(d, by, st) && RESENT.iter().any(|r| st.contains(r)))
    };
    d.current_edges()
        .filter(|e| e.from == s && job(e.to))
        .any(|r| {
            d.dedupes.iter().any(|e| names_store(d, r.to, &e.quote))
                || d.current_edges()
                    .filter(|w| w.from == r.to)
                    .any(|w| d.write_for(w.to).is_some_and(|x| x.keyed) && said_of(r.to))
        })
}

#[cfg(test)]
mod tests {
    use super::{absorbed_downstream, claim_clause};
    use crate::design::Design;
    use crate::read::Reader;
    use crate::rubric::Rubric;

    #[test]
    fn a_claim_is_quoted_by_its_clause_and_said_of_what_comes_before_it() {
        let s = "In parallel the S3 sink lands the raw event in Iceberg, exactly-once via the connector's commit.";
        let (clause, upto) = claim_clause(s);
        assert_eq!(clause, "exactly-once via the connector's commit");
        assert!(upto.contains("S3 sink"));
        // The store named after the claim is not what it is said of.
        let s = "Attributed conversions go to Iceberg with exactly-once via Flink checkpoints, and Snowflake builds the billing tables.";
        let (clause, upto) = claim_clause(s);
        assert_eq!(
            clause,
            "Attributed conversions go to Iceberg with exactly-once via Flink checkpoints"
        );
        assert!(!upto.contains("Snowflake"));
        // Too short a clause ("Exactly-once,") is quoted with its sentence.
        let s = "Exactly-once, because Flink checkpoints every 30 seconds.";
        assert_eq!(claim_clause(s).0, s);
        // A clause opening on a multi-byte character is cut safely.
        let s = "Flink reads it, ab— writes to the lake with exactly-once checkpoints.";
        assert!(claim_clause(s).0.contains("exactly-once"));
        // A joining word does not start the quote.
        let s =
            "Flink reads it, and writes to the lake every minute with exactly-once checkpoints.";
        assert_eq!(
            claim_clause(s).0,
            "writes to the lake every minute with exactly-once checkpoints"
        );
    }

    fn design(turns: &[&str]) -> Design {
        let r = Reader::new(
            &Rubric::builtin().expect("builtin rubric"),
            &crate::design::SENTENCE_CUES,
        );
        let mut d = Design::new();
        for t in turns {
            d.add_turn(&r, t, None, None);
        }
        d
    }

    const BOARD: &str = "Kafka -> S3 raw : JSON, hourly files, ~2 TB/day\n\
                         S3 raw -> Spark hourly job : ~80 GB/hour\n\
                         Spark hourly job -> Snowflake fact_events : MERGE on event_id";

    fn raw(d: &Design) -> usize {
        d.components
            .iter()
            .position(|c| c.name == "S3 raw")
            .expect("S3 raw")
    }

    #[test]
    fn a_landing_deduped_by_the_job_reading_it_needs_no_retry_question() {
        let d = design(&[
            BOARD,
            "The sink is at-least-once, so S3 raw can hold a record twice; the Spark job \
             dedupes by event_id with ROW_NUMBER before the MERGE.",
        ]);
        assert!(absorbed_downstream(&d, raw(&d)));
    }

    #[test]
    fn a_dedupe_said_of_another_job_leaves_the_landing_asked() {
        let d = design(&[
            BOARD,
            "Upstream, Flink dedupes the clicks by event_id before they reach Kafka.",
        ]);
        assert!(!d.dedupes.is_empty());
        assert!(!absorbed_downstream(&d, raw(&d)));
    }

    #[test]
    fn a_keyed_merge_said_to_absorb_a_resent_batch_covers_the_landing() {
        let d = design(&[
            BOARD,
            "The Spark job MERGEs each file into fact_events on event_id, so a producer that \
             re-sends a batch updates the same rows.",
        ]);
        assert!(absorbed_downstream(&d, raw(&d)));
    }

    #[test]
    fn a_merge_said_only_to_make_reruns_safe_leaves_the_landing_asked() {
        let d = design(&[
            BOARD,
            "The Spark job MERGEs into fact_events on event_id, so a rerun of the same hour \
             replaces its rows.",
        ]);
        assert!(!absorbed_downstream(&d, raw(&d)));
    }
}
