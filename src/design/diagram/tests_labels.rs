//! Arrow labels glued to the dashes: `A --MQTT, JSON--> B`.

use super::parse;
use super::tests::{edge, names, spans_are_real};

#[test]
fn a_label_glued_to_the_dashes_annotates_its_arrow() {
    let text = "devices --MQTT, JSON, 2M msgs/s--> AWS IoT Core --> Kinesis\nKinesis --JSON, 4 MB/s--> Flink (threshold alerts, 1-min aggregates)\nKinesis --Firehose, Parquet, 350 GB/day--> S3 --> Athena";
    let d = parse(text);
    let boxes = names(&d);
    // The label is not part of a box's name.
    assert!(boxes.iter().all(|n| !n.contains("--")), "{boxes:?}");
    let e = edge(&d, "devices", "AWS IoT Core");
    assert_eq!(e.format.as_deref(), Some("json"));
    assert_eq!(e.volume.as_deref(), Some("2M msgs/s"));
    assert_eq!(
        edge(&d, "Kinesis", "Flink").volume.as_deref(),
        Some("4 MB/s")
    );
    assert_eq!(edge(&d, "Kinesis", "S3").format.as_deref(), Some("parquet"));
    spans_are_real(text, &d);
}
