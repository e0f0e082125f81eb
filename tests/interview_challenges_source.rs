//! A job that queries the production database itself is challenged: the
//! load on the primary at peak, and the deletes a timestamp query misses.
//! Change capture from the log, or a replica taking the reads, is not.

mod listening;

use listening::{intents, Round};

/// A board whose every arrow is annotated, so the interviewer has no
/// annotation left to ask and turns to what the design exposes.
fn annotated(source: &str) -> String {
    format!(
        "{source}\nSpark -> S3 : Parquet, 20K rows/s\nS3 -> Iceberg : MERGE on pk, 20K rows/s\n\
         Iceberg -> Trino : 300 queries per 15 minutes"
    )
}

/// Every intent the interviewer uses over a few more turns of the round.
fn heard(r: &mut Round, first: &str) -> Vec<String> {
    let mut all = Vec::new();
    for s in [
        first,
        "Spark writes Parquet and MERGEs on the primary key, so a rerun writes the same rows.",
        "That is the design.",
    ] {
        let t = r.say(s);
        all.extend(intents(&t).into_iter().map(String::from));
    }
    all
}

#[test]
fn a_job_querying_the_production_database_is_challenged_on_load_and_deletes() {
    let mut r = Round::clarified("cdc-lakehouse");
    let board = annotated("Postgres -> Spark : JDBC query on updated_at, 20K rows/s");
    let said = heard(&mut r, &board);
    assert!(
        said.iter().any(|i| i == "challenge_production_read"),
        "{said:?}"
    );
    assert_eq!(
        said.iter()
            .filter(|i| *i == "challenge_production_read")
            .count(),
        1,
        "asked once: {said:?}"
    );
}

#[test]
fn changes_captured_from_the_log_or_a_replica_are_not_a_production_read() {
    for source in [
        "Postgres -> Debezium : WAL changes, 20K rows/s\nDebezium -> Spark : Avro, 20K rows/s",
        "Postgres -> Spark : JDBC from the read replica, 20K rows/s",
    ] {
        let mut r = Round::clarified("cdc-lakehouse");
        let said = heard(&mut r, &annotated(source));
        assert!(
            !said.iter().any(|i| i == "challenge_production_read"),
            "{source}: {said:?}"
        );
    }
}

#[test]
fn a_database_the_pipeline_writes_to_is_its_own_bookkeeping_not_production() {
    let mut r = Round::clarified("gdpr-deletion");
    let board = "portal -> Kafka : deletion requests, 5K/day\n\
                 Kafka -> Postgres ledger : requests, 5K/day\n\
                 Postgres ledger -> Spark deleter : user_ids per table, a few MB/day\n\
                 Spark deleter -> Iceberg : DELETE by user_id, 200 TB/week\n\
                 Spark deleter -> Postgres ledger : completion rows, a few thousand/day";
    let said = heard(&mut r, board);
    assert!(
        !said.iter().any(|i| i == "challenge_production_read"),
        "{said:?}"
    );
}
