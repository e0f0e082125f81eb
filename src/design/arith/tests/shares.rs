//! Figures a share is taken of: "0.01% of 1.5M/s is 150/s" sizes the
//! 150/s, not the 1.5M/s.

use super::*;

#[test]
fn the_whole_a_share_is_taken_of_is_not_the_flow_sized() {
    let d = design(&[
        "Kafka orders.v1 -> Flink translator : JSON, 1.5M msg/s\nFlink translator -> Kafka orders.v2.dlq : raw bytes + error",
        "Flink translator to Kafka orders.v2.dlq sees almost nothing: 0.01% of 1.5M/s is about 150 messages a second, at 2 KB that's 300 KB/s.",
    ]);
    let ms = mismatches(&d);
    assert!(ms.iter().all(|m| m.check != Check::RecordSize), "{ms:#?}");
    // The same figures without the share still disagree.
    let ms = found(&[
        "Kafka orders.v1 -> Flink translator : JSON, 1.5M msg/s\nFlink translator -> Kafka orders.v2.dlq : raw bytes + error",
        "Flink translator to Kafka orders.v2.dlq gets 1.5M/s, that's 300 KB/s.",
    ]);
    assert!(ms.iter().any(|m| m.check == Check::RecordSize), "{ms:#?}");
}

#[test]
fn a_share_is_read_from_percent_and_fraction_words() {
    use crate::design::arith::flows::share_of;
    for yes in [
        "0.01% of",
        "about 5 % of the",
        "half of",
        "a tenth of the",
        "1 percent of",
    ] {
        assert!(share_of(yes), "{yes}");
    }
    for no in ["the flow of", "1.5M/s", "5% and", "most of"] {
        assert!(!share_of(no), "{no}");
    }
}
