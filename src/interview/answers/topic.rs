//! Whether an answer to a challenge is about what the challenge asked:
//! the words each challenge's answer must touch.

use super::names_write_mechanism;

/// True when an answer to challenge `intent` is about what it asked: a
/// state-size question is answered with state, memory or checkpoints, not
/// with the file sink. Challenges not listed accept any answer.
pub(crate) fn on_topic(intent: &str, text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    let digits = text.chars().any(|c| c.is_ascii_digit());
    let any = |ws: &[&str]| ws.iter().any(|w| l.contains(w));
    let family = crate::interview::moves::family(intent);
    match family {
        "challenge_number_check" => digits || any(&["yours", "your number", "i sized", "i meant"]),
        "challenge_numbers_disagree" => {
            digits
                || any(&[
                    "typo",
                    "mistake",
                    "wrong",
                    "i meant",
                    "should be",
                    "should read",
                    "right one",
                    "correct",
                    "aggregat",
                    "filter",
                    "dedup",
                    "compress",
                    "sampl",
                    "roll",
                ])
        }
        // How the hops add up to the freshness target: times or a faster path.
        "challenge_freshness_budget" => {
            digits
                || any(&[
                    "minute",
                    "second",
                    "hour",
                    "stream",
                    "micro-batch",
                    "trigger",
                    "provisional",
                    "intra-day",
                    "intraday",
                    "latency",
                    "lag",
                    "faster",
                    "more often",
                    "budget",
                    "target",
                ])
        }
        "challenge_partition_capacity" | "challenge_partition_count" => {
            digits
                || any(&[
                    "partition",
                    "throughput",
                    "consumer",
                    "parallel",
                    "headroom",
                    "shard",
                ])
        }
        "challenge_sink_capacity" => {
            digits
                || any(&[
                    "batch",
                    "bulk",
                    "copy",
                    "shard",
                    "citus",
                    "instance",
                    "replica",
                    "aggregat",
                    "buffer",
                    "partition",
                    "upsert",
                    "dynamo",
                    "cassandra",
                    "redis",
                    "scale",
                ])
        }
        "challenge_state_size" => {
            digits
                || any(&[
                    "state",
                    "rocksdb",
                    "checkpoint",
                    "ttl",
                    "memory",
                    "disk",
                    "keys",
                    "bloom",
                    "gb",
                    "tb",
                ])
        }
        "challenge_hot_key" => any(&[
            "hot",
            "salt",
            "skew",
            "split",
            "spread",
            "rate limit",
            "rate-limit",
            "throttl",
            "partition",
            "sub-key",
            "subkey",
            "two-stage",
            "pre-aggregat",
            "shard",
            "bucket",
        ]),
        "challenge_late_data" | "challenge_late_vs_watermark" => any(&[
            "late",
            "watermark",
            "dead-letter",
            "dead letter",
            "dlq",
            "side output",
            "reprocess",
            "restate",
            "correct",
            "window",
            "upsert",
            "merge",
            "lookback",
            "rerun",
            "re-run",
        ]),
        "challenge_exactly_once_claim" => names_write_mechanism(text) || any(&["replay"]),
        "challenge_replay_window" => any(&[
            "replay",
            "retention",
            "raw",
            "s3",
            "backfill",
            "reprocess",
            "archive",
            "tiered",
            "days",
            "rerun",
        ]),
        "challenge_storage_growth" => any(&[
            "tier",
            "glacier",
            "lifecycle",
            "compress",
            "retention",
            "cost",
            "$",
            "class",
            "expire",
            "delete",
            "ttl",
            "archive",
        ]),
        "challenge_sla_tiers" => {
            digits
                || any(&[
                    "tier",
                    "sla",
                    "fresh",
                    "minute",
                    "hour",
                    "daily",
                    "real-time",
                ])
        }
        "challenge_backfill" => any(&[
            "backfill",
            "replay",
            "rerun",
            "re-run",
            "reprocess",
            "raw",
            "partition",
            "date",
            "overwrite",
            "idempot",
            "merge",
            "day",
            "range",
        ]),
        "challenge_schema_change" => any(&[
            "schema", "registry", "compatib", "field", "version", "avro", "protobuf", "contract",
            "column",
        ]),
        "challenge_cost" => {
            digits
                || any(&[
                    "cost", "spend", "bill", "cheap", "expens", "storage", "compute",
                ])
        }
        "challenge_operations" => any(&[
            "page", "on-call", "oncall", "runbook", "rto", "rpo", "alert",
        ]),
        "challenge_data_quality" => any(&[
            "check",
            "test",
            "count",
            "null",
            "reconcil",
            "expectation",
            "dbt",
            "monitor",
            "alert",
            "anomal",
            "threshold",
            "validat",
        ]),
        "challenge_production_read" => any(&[
            "replica",
            "cdc",
            "debezium",
            "binlog",
            "wal",
            "log",
            "snapshot",
            "load",
            "off-peak",
            "throttl",
            "index",
            "delete",
            "tombstone",
            "export",
            "cache",
            "broadcast",
            "async",
            "timeout",
            "stall",
            "backpressure",
            "back-pressure",
            "state",
        ]),
        "challenge_region_outage" => any(&[
            "region",
            "rto",
            "rpo",
            "replica",
            "failover",
            "fail over",
            "mirror",
            "standby",
            "dr ",
            "disaster",
        ]),
        _ => true,
    }
}

/// True when an answer to "why X over Y?" or "what do you give up with X?"
/// is about that choice: it names X or Y, or gives the kind of reason a
/// choice is made for. "The Redshift write is exactly-once because Spark
/// checkpoints its offsets" is about another part of the design.
pub(crate) fn about_the_choice(mv: &crate::interview::moves::Move, text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    let names = mv
        .vars
        .iter()
        .filter(|(k, _)| k == "component" || k == "alternative")
        .map(|(_, v)| v.as_str())
        .chain(mv.target.as_deref());
    let named = names
        .flat_map(|n| n.split(|c: char| !c.is_ascii_alphanumeric()))
        .filter(|w| w.len() >= 3)
        .any(|w| crate::read::text::holds_words(&l, &w.to_ascii_lowercase()));
    named || reason_for_a_choice(text) || COMPARING.iter().any(|w| l.contains(w))
}

/// Words that weigh one product against another without a reason of their
/// own ("better", "simpler", "I'd rather"): about the choice, not yet why.
const COMPARING: &[&str] = &[
    "simpl",
    "easier",
    "harder",
    "compar",
    "better",
    "worse",
    "faster",
    "slower",
    "downside",
    "trade",
    "give up",
    "instead",
    "rather",
    "prefer",
    "chose",
    "choose",
    "pick",
    "went with",
    "control",
    "flexib",
    "scal",
    "support",
    "mature",
    "community",
    "cloud",
    "aws",
    "gcp",
    "azure",
    "ecosystem",
    "vendor",
    "lock-in",
    "native",
    "standard",
    "tooling",
];

/// A concrete reason a product is chosen or given up for: running it,
/// money, throughput or latency, the team ("you have to run the brokers and
/// upgrades yourself; MSK takes that away for more money"). "It's better
/// and more scalable" or "cloud-agnostic, no lock-in" is none.
pub(crate) fn reason_for_a_choice(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    [
        "manage",
        "server",
        "maintain",
        "infra",
        "run it",
        "running",
        "operat",
        " ops",
        "on-call",
        "upgrade",
        "cost",
        "cheap",
        "expens",
        "price",
        "pricing",
        "money",
        "throughput",
        "latency",
        "team",
        "connector",
        "retention",
        "familiar",
        "already",
        "integrat",
        "serverless",
        "self-host",
        "limit",
        "quota",
        "skill",
        "experience",
        "on-demand",
        "replay",
        "ordering",
    ]
    .iter()
    .any(|w| l.contains(w))
}
