//! Where the changes come from: a job that queries the production database
//! itself (a JDBC pull, `SELECT … WHERE updated_at > …`) loads the primary
//! at peak and never sees a row deleted between two runs. A strong
//! interviewer asks about both before the design goes further.

use super::*;

/// Said, the candidate captures changes from the log or reads a replica:
/// production is not what the job queries.
const CAPTURED: &[&str] = &[
    "cdc",
    "change data capture",
    "debezium",
    "binlog",
    "write-ahead",
    "the wal",
    "wal-based",
    "replication slot",
    "logical replication",
    "logical decoding",
    // A replica taking the reads; not Kafka's "replication factor".
    "read replica",
    "replicas",
    "a replica",
    "the replica",
    "standby",
    "change stream",
    "outbox",
    "dms",
];

pub(super) fn production_read(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    if d.components.iter().any(|c| c.kind == ComponentKind::Cdc)
        || cx.explained("cdc")
        || cx.affirmed(CAPTURED)
    {
        return None;
    }
    // A data arrow out of an OLTP database straight into a job, a lake or
    // a warehouse: the job reads production. Into a queue, the arrow may
    // stand for change capture the candidate has not named yet. A database
    // the pipeline itself writes to (a ledger of requests, a job's state)
    // is its own bookkeeping, not the production source.
    let e = d.current_edges().find(|e| {
        e.needs_annotation()
            && d.components
                .get(e.from)
                .is_some_and(|c| c.kind == ComponentKind::OltpDatabase && !c.vague)
            && d.role(e.from) == crate::design::Role::Source
            && d.components.get(e.to).is_some_and(|c| {
                matches!(
                    c.kind,
                    ComponentKind::BatchProcessor
                        | ComponentKind::StreamProcessor
                        | ComponentKind::Orchestrator
                        | ComponentKind::ObjectStore
                        | ComponentKind::Warehouse
                )
            })
    })?;
    let (db, reader) = (cx.name(e.from), cx.name(e.to));
    // A stream job reads the database per event it enriches: the load is
    // point lookups at the stream's rate and the risk is the stream stalling
    // on a slow database, not rows deleted between two batch runs.
    let stream = d
        .components
        .get(e.to)
        .is_some_and(|c| c.kind == ComponentKind::StreamProcessor);
    let intent = if stream {
        "challenge_production_read_lookup".to_string()
    } else {
        Kind::ProductionRead.intent().to_string()
    };
    Some(
        Move::new(&intent)
            .target(db.clone())
            .quote(e.evidence.quote.clone())
            .var("db", db)
            .var("reader", reader),
    )
}
