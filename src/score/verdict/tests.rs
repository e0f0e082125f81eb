//! The verdict's own reasons.

use super::*;
use crate::read::Evidence;

fn ev(quote: &str) -> Evidence {
    Evidence {
        start: 0,
        end: quote.len(),
        quote: quote.to_string(),
    }
}

#[test]
fn each_failure_part_is_quoted_from_its_own_sentence_where_it_has_one() {
    let alert = "the DLQ depth alerts within a minute";
    let cov = FailureCoverage {
        detect: vec![ev(alert)],
        recover: vec![ev("we replay the DLQ")],
        prevent_loss: vec![ev(alert), ev("consumers dedupe on event_id")],
    };
    let said = covered_parts(&cov);
    assert!(
        said.contains("prevents loss (\"consumers dedupe on event_id\")"),
        "{said}"
    );
    // With nothing else said, the one sentence is quoted for both.
    let cov = FailureCoverage {
        prevent_loss: vec![ev(alert)],
        ..cov
    };
    assert!(covered_parts(&cov).contains(&format!("prevents loss (\"{alert}\")")));
}
