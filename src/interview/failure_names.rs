//! A planned failure said in the candidate's words: the reference's
//! product replaced by theirs, or by what it is in general words, with the
//! article that goes with it.

use crate::rubric::ComponentKind;

/// A part of a design in general words, for a failure that names a
/// product the candidate did not use and nothing of theirs stands in.
pub(crate) fn generic_name(kind: ComponentKind) -> &'static str {
    match kind {
        ComponentKind::Queue => "the queue",
        ComponentKind::StreamProcessor => "the stream job",
        ComponentKind::BatchProcessor => "the batch job",
        ComponentKind::ObjectStore => "the object store",
        ComponentKind::Warehouse => "the warehouse",
        ComponentKind::OltpDatabase => "the source database",
        ComponentKind::ServingStore => "the serving store",
        ComponentKind::Orchestrator => "the scheduler",
        ComponentKind::Cdc => "the CDC connector",
        ComponentKind::Monitoring => "your monitoring",
        ComponentKind::FeatureStore => "the feature store",
        ComponentKind::SchemaRegistry => "the schema registry",
        _ => "that component",
    }
}

/// `text` with every whole-word `from` (any case) replaced by `to`, and an
/// "a"/"an" before it agreeing with the new word.
pub(crate) fn replace_word(text: &str, from: &str, to: &str) -> String {
    let lower = text.to_ascii_lowercase();
    let needle = from.to_ascii_lowercase();
    if needle.is_empty() {
        return text.to_string();
    }
    let an = crate::interview::templates::needs_an(to);
    let mut out = String::new();
    let mut last = 0;
    let mut at = 0;
    while let Some(i) = lower[at..].find(&needle) {
        let s = at + i;
        let e = s + needle.len();
        let left = s == 0 || !lower.as_bytes()[s - 1].is_ascii_alphanumeric();
        let right = e == lower.len() || !lower.as_bytes()[e].is_ascii_alphanumeric();
        if left && right {
            out.push_str(&text[last..s]);
            // "after a Debezium restart" with "the CDC connector": the
            // general name brings its own article.
            if to.starts_with("the ") {
                for a in ["a ", "an ", "A ", "An "] {
                    let at = out.len().saturating_sub(a.len());
                    let starts = at == 0 || out[..at].ends_with([' ', '"', '(']);
                    if out.ends_with(a) && starts {
                        let cap = a.starts_with('A');
                        out.truncate(at);
                        out.push_str(if cap { "The" } else { "the" });
                        out.push_str(&to[3..]);
                        last = e;
                        break;
                    }
                }
                if last == e {
                    at = e;
                    continue;
                }
            }
            let article_at = out.len().saturating_sub(3);
            let before = out.get(article_at.saturating_sub(1)..).unwrap_or("");
            let starts = article_at == 0 || before.starts_with([' ', '"', '(']);
            match out.get(article_at..) {
                Some("an " | "An ") if starts && !an => {
                    out.replace_range(article_at + 1..article_at + 2, "");
                }
                _ => {
                    let a_at = out.len().saturating_sub(2);
                    let b = out.get(a_at.saturating_sub(1)..).unwrap_or("");
                    let a_starts = a_at == 0 || b.starts_with([' ', '"', '(']);
                    if an && a_starts && matches!(out.get(a_at..), Some("a " | "A ")) {
                        out.insert(a_at + 1, 'n');
                    }
                }
            }
            out.push_str(to);
            last = e;
        }
        at = e;
    }
    out.push_str(&text[last..]);
    out
}

/// Flink's words for its parts ("a TaskManager crashes", "the JobManager")
/// said of the engine that took Flink's place, in that engine's words:
/// Spark's executors and driver, another engine's workers.
pub(crate) fn engine_terms(text: &str, engine: &str) -> String {
    let l = engine.to_ascii_lowercase();
    let (worker, coordinator) = if l.contains("spark") || l.contains("databricks") {
        ("executor", "driver")
    } else if l.contains("kafka streams") || l.contains("ksql") {
        ("instance", "instance")
    } else {
        ("worker", "coordinator")
    };
    [("TaskManager", worker), ("JobManager", coordinator)]
        .iter()
        .fold(text.to_string(), |t, (from, to)| replace_word(&t, from, to))
}

/// A queue its cloud runs with no brokers or nodes of the user's to lose:
/// Kinesis, Pub/Sub, Event Hubs, SQS, Firehose.
fn brokerless(name: &str) -> bool {
    let l = name.to_ascii_lowercase();
    [
        "kinesis",
        "pub/sub",
        "pubsub",
        "event hubs",
        "eventhubs",
        "sqs",
        "firehose",
    ]
    .iter()
    .any(|w| l.contains(w))
}

/// "One of the Kinesis brokers dies", "A Kinesis node dies" and the title
/// "Kinesis broker dies", said of a queue with no brokers to lose: the
/// failure it stands for there, an availability zone of the service going
/// down. Anything else is returned as it was.
pub(crate) fn zone_not_broker(text: &str) -> String {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            regex::Regex::new(
                r"\b(?:(?i:(one of the|an?))\s+)?([A-Z][\w/]*(?:\s+[A-Z][\w/]*){0,2})\s+(?i:brokers?|nodes?)\s+dies\b",
            )
            .ok()
        })
        .as_ref()
    else {
        return text.to_string();
    };
    re.replace_all(text, |c: &regex::Captures<'_>| {
        let name = &c[2];
        if !brokerless(name) {
            return c[0].to_string();
        }
        let said = match c.get(1) {
            Some(lead) => {
                let cap = lead.as_str().starts_with(|ch: char| ch.is_uppercase());
                let lead = if cap { "An" } else { "an" };
                format!("{lead} availability zone {name} runs in goes down")
            }
            None => format!("{name} loses an availability zone"),
        };
        said
    })
    .into_owned()
}

#[cfg(test)]
mod tests {
    use super::{engine_terms, replace_word, zone_not_broker};

    #[test]
    fn flinks_parts_are_said_in_the_engines_own_words() {
        assert_eq!(
            engine_terms(
                "A Spark Structured Streaming TaskManager crashes.",
                "Spark Structured Streaming"
            ),
            "A Spark Structured Streaming executor crashes."
        );
        assert_eq!(
            engine_terms("A Beam TaskManager crashes.", "Beam"),
            "A Beam worker crashes."
        );
    }

    #[test]
    fn a_broker_of_a_queue_with_none_is_an_availability_zone() {
        assert_eq!(
            zone_not_broker("One of the Kinesis brokers dies during peak traffic. Do you lose events?"),
            "An availability zone Kinesis runs in goes down during peak traffic. Do you lose events?"
        );
        assert_eq!(
            zone_not_broker("Kinesis Data Streams broker dies"),
            "Kinesis Data Streams loses an availability zone"
        );
        assert_eq!(
            zone_not_broker("A Pub/Sub node dies in the middle of a write."),
            "An availability zone Pub/Sub runs in goes down in the middle of a write."
        );
        // A queue with brokers keeps them.
        let kafka = "One of the Kafka brokers dies during peak traffic.";
        assert_eq!(zone_not_broker(kafka), kafka);
        assert_eq!(zone_not_broker("A Redis node dies."), "A Redis node dies.");
    }

    #[test]
    fn a_reference_product_is_replaced_by_the_candidates_with_its_article() {
        assert_eq!(
            replace_word(
                "A ClickHouse node holding today's shards dies.",
                "ClickHouse",
                "Elasticsearch"
            ),
            "An Elasticsearch node holding today's shards dies."
        );
        assert_eq!(
            replace_word(
                "Lose an Elasticsearch node, then a clickhouse one",
                "Elasticsearch",
                "ClickHouse"
            ),
            "Lose a ClickHouse node, then a clickhouse one"
        );
        assert_eq!(
            replace_word("Kafka lag; Kafkaesque is not Kafka", "Kafka", "Kinesis"),
            "Kinesis lag; Kafkaesque is not Kinesis"
        );
        // A general name brings its own article.
        assert_eq!(
            replace_word(
                "Duplicate CDC events after a Debezium restart",
                "Debezium",
                "the CDC connector"
            ),
            "Duplicate CDC events after the CDC connector restart"
        );
        assert_eq!(
            replace_word("A Debezium task dies.", "Debezium", "the CDC connector"),
            "The CDC connector task dies."
        );
    }
}
