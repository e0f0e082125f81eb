//! A backfill designed in is heard in the words teams use for it today:
//! an Iceberg shadow branch fast-forwarded, a warehouse schema swapped,
//! each date overwriting its own partition, a queue of its own. Saying
//! "backfill" is not needed, and saying only "backfill" is not as much.

use mockround::rubric::Rubric;
use mockround::score::{Scorecard, Scorer};

fn concept(card: &Scorecard, id: &str) -> u8 {
    card.concepts
        .iter()
        .find(|c| c.id.as_str() == id)
        .map_or(0, |c| c.strength)
}

#[test]
fn a_shadow_branch_and_per_date_overwrites_are_a_backfill_strategy() {
    let r = Rubric::builtin().expect("rubric");
    let s = Scorer::new(&r);
    let card = s.score(
        r.problem("year-backfill"),
        "Airflow starts one run per date. Spark reads the day's raw Parquet and writes attribution \
         facts for that date with an INSERT OVERWRITE of the day partition on the shadow branch, so \
         a rerun of the date replaces it. When a whole quarter is validated we fast-forward the \
         Iceberg branch and swap the Snowflake schema in one transaction. The backfill runs in its \
         own queue capped at 300 nodes.",
    );
    assert!(concept(&card, "backfill") >= 3, "{:?}", card.concepts);
    let card = s.score(
        r.problem("year-backfill"),
        "We backfill the year if needed and rerun things when they break.",
    );
    assert!(concept(&card, "backfill") < 3, "{:?}", card.concepts);
}

#[test]
fn reading_history_written_in_older_schemas_is_schema_evolution() {
    let r = Rubric::builtin().expect("rubric");
    let s = Scorer::new(&r);
    let card = s.score(
        r.problem("year-backfill"),
        "Spark v2 reads the day's raw Parquet and maps both old event schemas onto the current one \
         with explicit per-version mappings, so a year of events reads alike.",
    );
    assert!(
        concept(&card, "schema-evolution") >= 2,
        "{:?}",
        card.concepts
    );
    // The warehouse's tables are no schema evolution.
    let card = s.score(
        r.problem("year-backfill"),
        "The finance mart has three schemas: staging, shadow and production.",
    );
    assert_eq!(concept(&card, "schema-evolution"), 0, "{:?}", card.concepts);
}
