//! The failure-mode planner picks what to probe from the components the
//! candidate actually built (table-driven), deterministically, never fewer
//! than three.

use mockround::interview::planner::{plan_failures, NamedComponent, PlanSource, MIN_FAILURES};
use mockround::rubric::{ComponentKind as K, Rubric};

fn built(list: &[(&str, K)]) -> Vec<NamedComponent> {
    list.iter()
        .map(|(n, k)| NamedComponent {
            name: (*n).to_string(),
            kind: *k,
            written_only: false,
            one_off: false,
        })
        .collect()
}

/// (components named, failure ids that must be planned)
type Case = (&'static [(&'static str, K)], &'static [&'static str]);

#[test]
fn generic_catalogue_follows_the_components_named() {
    // (components, failure ids that must be planned)
    let table: &[Case] = &[
        (&[("Kafka", K::Queue)], &["kafka-broker-dies"]),
        (
            &[("Flink", K::StreamProcessor)],
            &["flink-taskmanager-crash"],
        ),
        (
            &[("web producers", K::Producer)],
            &["producer-retry-duplicates"],
        ),
        (
            &[("Spark", K::BatchProcessor)],
            &["late-record-after-publish"],
        ),
        (&[("Redis", K::ServingStore)], &["redis-hot-key"]),
        (&[("Snowflake", K::Warehouse)], &["warehouse-merge-rerun"]),
        (&[("Kinesis", K::Queue)], &["queue-node-dies"]),
        (
            &[("DynamoDB", K::ServingStore)],
            &["serving-store-hot-partition"],
        ),
        (
            &[
                ("Kafka", K::Queue),
                ("Flink", K::StreamProcessor),
                ("Redis", K::ServingStore),
            ],
            &[
                "kafka-broker-dies",
                "flink-taskmanager-crash",
                "redis-hot-key",
            ],
        ),
    ];
    for (components, expected) in table {
        let plan = plan_failures(None, &built(components));
        let ids: Vec<&str> = plan.iter().map(|p| p.id.as_str()).collect();
        for e in *expected {
            assert!(ids.contains(e), "{components:?}: expected {e} in {ids:?}");
        }
        assert!(plan.len() >= MIN_FAILURES, "{components:?}: {ids:?}");
        // The component the failure is about is named in the question.
        for p in plan.iter().filter(|p| p.source == PlanSource::Catalogue) {
            let c = p
                .component
                .as_deref()
                .expect("catalogue entries name a component");
            assert!(
                p.question.contains(c)
                    || p.id.starts_with("producer")
                    || p.id.starts_with("redis")
                    || p.id.starts_with("kafka")
                    || p.id.starts_with("flink"),
                "{} does not mention {c}: {}",
                p.id,
                p.question
            );
        }
    }
}

#[test]
fn problem_specs_win_and_spread_across_components() {
    let rubric = Rubric::builtin().expect("builtin rubric");
    let problem = rubric.problem("clickstream").expect("clickstream");
    let plan = plan_failures(
        Some(problem),
        &built(&[
            ("Kafka", K::Queue),
            ("Flink", K::StreamProcessor),
            ("S3", K::ObjectStore),
        ]),
    );
    let ids: Vec<&str> = plan.iter().map(|p| p.id.as_str()).collect();
    // The first two slots go one per component, most specific spec first.
    assert_eq!(
        &ids[..2],
        &["kafka-broker-loss", "flink-taskmanager-crash"],
        "{ids:?}"
    );
    assert!(plan[..3].iter().all(|p| p.source == PlanSource::Problem));
    // Deterministic.
    let again = plan_failures(
        Some(problem),
        &built(&[
            ("Kafka", K::Queue),
            ("Flink", K::StreamProcessor),
            ("S3", K::ObjectStore),
        ]),
    );
    assert_eq!(plan, again);
}

#[test]
fn order_of_naming_decides_order_of_probing() {
    let a = plan_failures(
        None,
        &built(&[("Redis", K::ServingStore), ("Kafka", K::Queue)]),
    );
    let b = plan_failures(
        None,
        &built(&[("Kafka", K::Queue), ("Redis", K::ServingStore)]),
    );
    assert_eq!(a[0].id, "redis-hot-key");
    assert_eq!(b[0].id, "kafka-broker-dies");
}

#[test]
fn a_bare_design_still_gets_the_seeds_three_classics() {
    let plan = plan_failures(None, &built(&[("mystery box", K::Other)]));
    let ids: Vec<&str> = plan.iter().map(|p| p.id.as_str()).collect();
    assert_eq!(
        ids,
        [
            "node-failure-mid-write",
            "duplicate-at-least-once",
            "late-record-breaks-aggregate"
        ]
    );
}

#[test]
fn a_database_the_pipeline_only_writes_to_is_asked_about_failover_not_a_source_schema_change() {
    let source = built(&[("Postgres", K::OltpDatabase)]);
    let ids: Vec<String> = plan_failures(None, &source)
        .into_iter()
        .map(|f| f.id)
        .collect();
    assert!(ids.contains(&"source-schema-change".to_string()), "{ids:?}");
    let sink = vec![NamedComponent {
        name: "Postgres".into(),
        kind: K::OltpDatabase,
        written_only: true,
        one_off: false,
    }];
    let plan = plan_failures(None, &sink);
    let ids: Vec<&str> = plan.iter().map(|f| f.id.as_str()).collect();
    assert!(ids.contains(&"database-sink-failover"), "{ids:?}");
    assert!(!ids.contains(&"source-schema-change"), "{ids:?}");
    let q = &plan
        .iter()
        .find(|f| f.id == "database-sink-failover")
        .map(|f| f.question.clone())
        .unwrap_or_default();
    assert!(q.starts_with("The Postgres primary fails over"), "{q}");
}

#[test]
fn a_one_off_backfill_job_is_asked_about_dying_halfway_not_a_late_record() {
    let job = |one_off| {
        vec![NamedComponent {
            name: "Spark".into(),
            kind: K::BatchProcessor,
            written_only: false,
            one_off,
        }]
    };
    let ids = |plan: Vec<mockround::interview::planner::PlannedFailure>| {
        plan.into_iter().map(|f| f.id).collect::<Vec<_>>()
    };
    let daily = ids(plan_failures(None, &job(false)));
    assert!(
        daily.contains(&"late-record-after-publish".to_string()),
        "{daily:?}"
    );
    let backfill = plan_failures(None, &job(true));
    let q = backfill
        .iter()
        .find(|f| f.id == "backfill-dies-halfway")
        .map(|f| f.question.clone())
        .unwrap_or_default();
    assert!(
        q.starts_with("Spark dies halfway through the history"),
        "{q}"
    );
    assert!(!ids(backfill).contains(&"late-record-after-publish".to_string()));
}
