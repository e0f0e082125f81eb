//! The debrief reports what the candidate said, not what the model folded
//! away: a product named as a box's table format counts as named.

use std::sync::Arc;

use mockround::interview::clock::Pace;
use mockround::interview::debrief;
use mockround::interview::session::{Input, Session};
use mockround::interview::templates::Templates;
use mockround::rubric::Rubric;
use mockround::score::Scorer;

#[test]
fn a_table_format_named_on_the_object_store_box_is_not_reported_as_missing() {
    let rubric = Rubric::builtin().expect("rubric");
    let p = rubric.problem("cdc-lakehouse").expect("problem").clone();
    assert!(
        p.expected_components.iter().any(|c| c == "Iceberg"),
        "the reference has Iceberg"
    );
    let scorer = Scorer::new(&rubric);
    let mut s = Session::new(p, Arc::new(Templates::builtin()), Pace::Untimed, 1);
    s.open(0);
    let mut now = 0;
    for text in [
        "How many tables, what peak change rate, how fresh, and do deletes propagate?",
        "Postgres -> Debezium : WAL changes, 20K/s\nDebezium -> MSK : Avro, 20 MB/s\n\
         MSK -> Flink : Avro, 20K/s\nFlink -> S3 (Iceberg) : Parquet, MERGE by primary key",
        "Flink MERGEs into the Iceberg table every 5 minutes by primary key.",
    ] {
        now += 30_000;
        s.handle(Input::Answer(text.to_string()), now, &scorer);
    }
    let d = debrief::build(&s, &scorer, "t", now);
    assert!(
        !d.missed_components.iter().any(|c| c == "Iceberg"),
        "missed: {:?}",
        d.missed_components
    );
    assert!(
        d.named_components.iter().any(|c| c == "Iceberg"),
        "named: {:?}",
        d.named_components
    );
    // A product a box already shows is not listed again ("MSK", "S3").
    let mut seen: Vec<String> = d
        .named_components
        .iter()
        .map(|c| c.to_ascii_lowercase())
        .collect();
    seen.sort();
    seen.dedup();
    assert_eq!(
        seen.len(),
        d.named_components.len(),
        "{:?}",
        d.named_components
    );
    // What was never said is still reported.
    assert!(
        d.missed_components.iter().any(|c| c == "Airflow"),
        "missed: {:?}",
        d.missed_components
    );
}
