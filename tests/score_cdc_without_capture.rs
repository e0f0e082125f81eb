//! A design that pulls changed rows from production with a timestamp query
//! has no change data capture, whatever its merge is keyed on: it earns no
//! CDC credit, and the brief's "change capture that does not load the
//! production databases" stays missed, even under a title that says
//! "replication".

use mockround::rubric::Rubric;
use mockround::score::Scorer;

const PULL: &str = "# Orders replication\n\n\
We have ~300 tables on a sharded Postgres fleet, about 20K row changes/sec at peak.\n\n\
Every 15 minutes Airflow kicks off a Spark job that pulls changed rows from each shard over JDBC \
(`WHERE updated_at > :last_watermark`), writes them to S3 as Parquet and then runs idempotent \
merges keyed on primary key into Iceberg. Trino sits on top for analysts.";

#[test]
fn a_timestamp_pull_of_production_earns_no_cdc_and_misses_the_brief() {
    let r = Rubric::builtin().expect("rubric");
    let s = Scorer::new(&r);
    let card = s.score(r.problem("cdc-lakehouse"), PULL);
    let cdc = card
        .concepts
        .iter()
        .find(|c| c.id.as_str() == "cdc")
        .map_or(0, |c| c.strength);
    assert!(cdc <= 1, "cdc {cdc}: {:?}", card.concepts);
    assert!(
        card.brief_missed
            .iter()
            .any(|n| n.contains("does not load the production")),
        "{:?}",
        card.brief_missed
    );
    // Said with the log it reads, the same merge is change capture.
    let captured = PULL.replace(
        "pulls changed rows from each shard over JDBC (`WHERE updated_at > :last_watermark`)",
        "reads the change events Debezium takes from each shard's WAL",
    );
    let card = s.score(r.problem("cdc-lakehouse"), &captured);
    assert!(card.brief_missed.is_empty(), "{:?}", card.brief_missed);
    let cdc = card
        .concepts
        .iter()
        .find(|c| c.id.as_str() == "cdc")
        .map_or(0, |c| c.strength);
    assert!(cdc >= 2, "cdc {cdc}: {:?}", card.concepts);
}
