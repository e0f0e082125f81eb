//! Claims an L5 interviewer does not let pass: settings that lose data
//! while the candidate says they don't (`acks=1`), capacities no cluster
//! has (100 MB/s through one partition), orders Kafka does not keep. Said
//! back with the reason, instead of "Makes sense.".

use std::sync::OnceLock;

use regex::Regex;

/// One dubious claim in an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Claim {
    /// Stable id, so the same claim is challenged once.
    pub id: &'static str,
    /// The candidate's words.
    pub said: String,
    /// Why it does not hold, in the interviewer's words.
    pub why: &'static str,
}

struct Rule {
    id: &'static str,
    pattern: &'static str,
    why: &'static str,
    /// A negation after the claim takes it back ("global ordering is not
    /// needed"); false when the claim's own words go on with one ("…, so we
    /// never get duplicates").
    negated_after: bool,
    /// What the same answer must also say for the claim to be dubious
    /// ("valid_from" beside a MERGE keyed on the entity alone).
    context: Option<&'static str>,
}

/// Why a guarantee credited to a product does not hold for the sink.
const RULES_PRODUCT_WHY: &str = "a product's exactly-once covers its own log or state (Kafka transactions, Flink checkpoints); the write into your sink is yours. If the job restarts after writing to the sink but before its checkpoint or offset commit, what stops that write from being applied twice?";

/// A time taken from when the pipeline handled a record, not from when it
/// happened: a version dated, a window bucketed or a partition chosen by it
/// moves with every late run and replay.
const PROCESSING_TIME: &str = r"(?ix)
    \b(?:window\w*|bucket\w*|partition\w*|dat(?:e|ed|ing)|group\w*|aggregat\w*|version\w*|stamp\w*)
      \s+(?:\w+\s+){0,3}?(?:on|by|using|with|at)\s+(?:the\s+)?
      (?:processing|load|loading|ingest|ingestion|arrival|wall[\s-]clock)[\s-]time\b
    | \b(?:processing|load|ingest|ingestion|arrival)[\s-]time\s+(?:as|for)\s+(?:the\s+|its\s+)?
      (?:window|partition|version|valid_from|effective|event)
    | \b(?:valid_from|valid_to|effective\w*|event[_\s]time)\b[^.;\n]{0,30}?\b(?:current_timestamp|now)\s*\(\s*\)
    | \b(?:current_timestamp|now)\s*\(\s*\)\s+as\s+(?:its|the)\s+(?:effective|valid|event|version)
    | \b(?:valid_from|valid_to|effective(?:_from|_date|\s+date|\s+from)?|event[_\s]time|timestamp|window|bucket|partition\s+date)\b
      [^.;\n]{0,40}?\b(?:time|moment|hour|day|date)\s+(?:that\s+|when\s+)?
      (?:spark|flink|the\s+(?:job|batch|load|run|pipeline|consumer)|we|it)\s+
      (?:process|load|ingest|read|pick|run|see|receive|land|write)\w*";

const RULES: &[Rule] = &[
    Rule {
        id: "acks-1",
        pattern: r"(?i)\backs\s*(?:=|:|\bof\b|\bset\s+to\b)?\s*(?:1|0|one|zero)\b",
        why: "with acks=1 the leader confirms before any follower has the record, so a leader that dies right then takes it with it. Is that loss acceptable here, and where would you see it?",
        negated_after: true,
        context: None,
    },
    Rule {
        id: "replication-low",
        pattern: r"(?i)\b(?:replication\s+factor(?:\s+of)?|rf\s*=?)\s*(?:1|2|one|two)\b",
        why: "with that replication factor, one broker down for maintenance and one failure lose data or stop writes (min.insync.replicas can't be met). Why not three?",
        negated_after: true,
        context: None,
    },
    Rule {
        id: "partition-throughput",
        pattern: r"(?i)\b(?:a|one|each|per|single)\s+(?:kafka\s+)?partition\b[^.;]{0,40}?\b(?:[5-9]\d|[1-9]\d{2,})\s*mb/s",
        why: "plan on something like 10 MB/s per partition for one consumer to keep up, not that. What does that do to your partition count?",
        negated_after: true,
        context: None,
    },
    Rule {
        id: "global-order",
        pattern: r"(?i)\b(?:global(?:ly)?|total)\s+order(?:ed|ing)?\b",
        why: "Kafka keeps order within a partition, not across a topic. Which key puts the records that must stay in order on one partition?",
        negated_after: true,
        context: None,
    },
    Rule {
        id: "guarantee-by-product",
        pattern: r"(?i)\b(?:exactly[- ]once|no\s+duplicates|never\s+(?:get\s+|see\s+)?duplicates?|deduplicat\w*|dedup(?:e|ed)?)\b[^.;?!\n]{0,40}?\b(?:because\s+of|thanks\s+to|due\s+to|comes\s+from|handled\s+by|provided\s+by|guaranteed\s+by)\s+(?:the\s+)?(?:kafka|flink|spark(?:\s+streaming)?|kinesis|pub/?sub|beam|dataflow|delta(?:\s+lake)?|iceberg)(?:'s)?(?:\s*(?:[,.;!?]|$)|\s+(?:itself|so|and)\b)",
        why: RULES_PRODUCT_WHY,
        negated_after: false,
        context: None,
    },
    // "Exactly-once because Flink has checkpoints.": the product's own
    // mechanism, and nothing about the write into the sink after it.
    Rule {
        id: "guarantee-by-product",
        pattern: r"(?i)\b(?:exactly[- ]once|no\s+duplicates|never\s+(?:get\s+|see\s+)?duplicates?)\b[^.;?!\n]{0,40}?\b(?:because|since|as)\s+(?:the\s+)?(?:kafka|flink|spark(?:\s+streaming)?|kinesis|beam|dataflow)\s+(?:has|have|uses|does|gives|provides|handles|supports)\s+(?:its\s+|the\s+)?(?:own\s+)?(?:checkpoint(?:s|ing)?|transactions?|offsets?|exactly[- ]once(?:\s+semantics)?)\s*(?:[.;!?]|$)",
        why: RULES_PRODUCT_WHY,
        negated_after: false,
        context: None,
    },
    // "The MERGE on customer_id makes it idempotent" into a table of
    // versions: the entity alone does not say which version a replay is.
    Rule {
        id: "versioned-merge-key",
        pattern: r"(?i)\b(?:merge[sd]?|merging|upsert\w*)\s+(?:\w+\s+){0,3}?(?:on|by|keyed\s+(?:by|on))\s+(?:the\s+)?[a-z]+_id\b\s*(?:[.;!?]|$|\s+(?:makes|so|which|means|is|keeps)\b)",
        why: "a type 2 table holds many versions of each one, so that key alone says nothing about which version a replayed change is: it adds a second version or rewrites history. What does the MERGE match on so a replay changes nothing?",
        negated_after: false,
        context: Some(r"(?i)\b(?:scd\s*(?:type\s*)?2|scd2|type[\s-]2|valid_from|valid_to|is_current|full\s+history)\b"),
    },
    // "INCR on the session key, and the checkpoint makes sure it only
    // happens once": a checkpoint rewinds the job's state, not a counter
    // already incremented outside it.
    Rule {
        id: "increment-on-replay",
        pattern: r"(?i)\b(?:incr(?:by)?|increment(?:s|ed|ing)?|hincrby|counter\s*\+=|\+=\s*1|add(?:s|ing)?\s+1\s+to)\b[^.;?!\n]{0,80}?\b(?:checkpoint\w*|exactly[- ]once|only\s+(?:happens|runs|applies)\s+once|(?:happens|applied|counted)\s+(?:only\s+)?once)\b",
        why: "a checkpoint rewinds the job's own state and offsets; an increment already applied in the store stays. After a restart the replayed events increment it again. What makes the write safe to repeat: a SET of the computed value, or a dedupe on event id in the store?",
        negated_after: false,
        context: None,
    },
    // "Every hop is exactly-once, including Redis": a guarantee said for
    // the whole flow, sinks included, with nothing behind it.
    Rule {
        id: "exactly-once-everywhere",
        pattern: r"(?i)\b(?:every|each|all)\s+(?:the\s+)?(?:hops?|stages?|steps?|components?|writes?)\s+(?:is|are)\s+exactly[- ]once\b|\bexactly[- ]once\s+(?:end[- ]to[- ]end\s+)?(?:everywhere|across\s+the\s+(?:board|whole\s+pipeline)|on\s+every\s+hop)\b",
        why: "exactly-once holds hop by hop only where something makes it hold: Kafka transactions, a two-phase-commit sink, an idempotent key. Which of those does each sink have, and what does the one without it do on a retry?",
        negated_after: true,
        context: None,
    },
    Rule {
        id: "processing-time",
        pattern: PROCESSING_TIME,
        why: "that's when the job ran, not when it happened. If a run is three hours late, or you replay last week, the same record gets another time. Which time should it carry, and where does it come from?",
        negated_after: false,
        context: None,
    },
];

/// Each rule's pattern and context, compiled once.
type Compiled = (usize, Regex, Option<Regex>);

fn compiled() -> &'static [Compiled] {
    static RE: OnceLock<Vec<Compiled>> = OnceLock::new();
    RE.get_or_init(|| {
        RULES
            .iter()
            .enumerate()
            .filter_map(|(i, r)| {
                let context = match r.context {
                    Some(c) => Some(Regex::new(c).ok()?),
                    None => None,
                };
                Regex::new(r.pattern).ok().map(|re| (i, re, context))
            })
            .collect()
    })
}

/// The first dubious claim in `text`, with the clause that says it.
#[cfg(test)]
pub(crate) fn dubious(text: &str) -> Option<Claim> {
    dubious_all(text).into_iter().next()
}

/// A dubious claim made again in `text` after the interviewer said it back
/// (`said_back` tells which ids were), and defended ("I stand by it",
/// "still fine", "No, Spark is exactly-once"), as said. Not when the answer
/// takes it back ("you're right, replication factor 1 was a mistake") or
/// only weighs it ("RPO is what acks=1 lost").
pub(crate) fn stood_by(text: &str, said_back: impl Fn(&str) -> bool) -> Option<String> {
    const TAKES_BACK: &[&str] = &[
        "you're right",
        "you are right",
        "good point",
        "fair point",
        "mistake",
        "i was wrong",
        "that's wrong",
        "my bad",
        "instead",
        "i'd change",
        "i would change",
        "scratch that",
        "correct that",
        "take that back",
        "switch to",
    ];
    const DEFENDS: &[&str] = &[
        "stand by",
        "still",
        "fine",
        "disagree",
        "no,",
        "no.",
        "doesn't matter",
        "does not matter",
        "it's ok",
        "that's ok",
        "is enough",
        "is safe",
        "it's safe",
        "won't lose",
        "no data loss",
        "my whole point",
        "i'd keep",
        "i would keep",
    ];
    let lower = text.to_ascii_lowercase().replace('’', "'");
    if TAKES_BACK.iter().any(|w| lower.contains(w)) || !DEFENDS.iter().any(|w| lower.contains(w)) {
        return None;
    }
    dubious_all(text)
        .into_iter()
        .find(|c| said_back(c.id))
        .map(|c| c.said)
}

/// Every dubious claim in `text`, in the rules' order, one per rule id.
pub(crate) fn dubious_all(text: &str) -> Vec<Claim> {
    let mut out: Vec<Claim> = Vec::new();
    for c in compiled().iter().filter_map(|(i, re, needs)| {
        if needs.as_ref().is_some_and(|c| !c.is_match(text)) {
            return None;
        }
        let m = re.find(text)?;
        let rule = &RULES[*i];
        // A pattern that ends on the sentence's stop ("… has checkpoints.")
        // quotes that sentence, not the next one too.
        let end = m.start()
            + m.as_str()
                .trim_end_matches(|c: char| {
                    matches!(c, '.' | ';' | '!' | '?' | ',') || c.is_whitespace()
                })
                .len();
        let said = clause(text, m.start(), end);
        // "not acks=1", "global ordering is not needed": the candidate
        // rejects the setting, they don't rely on it.
        // Padded, so a clause that opens with "Not …" is negated too.
        let l = if rule.negated_after {
            format!(" {}", said.to_ascii_lowercase())
        } else {
            let from = text[..m.start()]
                .rfind(['.', ';', '\n', '?', '!'])
                .map_or(0, |i| i + 1);
            format!(" {}", text[from..m.end()].to_ascii_lowercase())
        };
        let rejected = [
            " not ",
            "n't ",
            "no need",
            "never ",
            "instead of",
            "rather than",
            "avoid",
        ]
        .iter()
        .any(|w| l.contains(w));
        (!rejected).then_some(Claim {
            id: rule.id,
            said,
            why: rule.why,
        })
    }) {
        if !out.iter().any(|o| o.id == c.id) {
            out.push(c);
        }
    }
    out
}

/// The clause around a match: from the last stop before it to the next.
pub(crate) fn clause(text: &str, start: usize, end: usize) -> String {
    let from = text[..start]
        .rfind(['.', ';', '\n', '?', '!'])
        .map_or(0, |i| i + 1);
    let to = text[end..]
        .find(['.', ';', '\n', '?', '!'])
        .map_or(text.len(), |i| end + i);
    text[from..to].trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn settings_that_lose_data_are_caught() {
        let c = dubious("No. Replication factor 2 with acks=1, so the follower takes over.")
            .expect("a claim");
        assert_eq!(c.id, "acks-1");
        assert!(c.said.starts_with("Replication factor 2"), "{}", c.said);
        assert_eq!(
            dubious("Topics use replication factor 2.").map(|c| c.id),
            Some("replication-low")
        );
    }

    #[test]
    fn an_increment_made_once_by_checkpoints_is_challenged() {
        let c = dubious("Redis gets INCR on the session key, and the checkpoint makes sure it only happens once.")
            .expect("a claim");
        assert_eq!(c.id, "increment-on-replay");
        assert_eq!(
            dubious("Every hop is exactly-once, including Redis.").map(|c| c.id),
            Some("exactly-once-everywhere")
        );
        // The fix itself, and a guarantee with its mechanism, are not.
        assert!(
            dubious("Flink SETs the computed count, so a replay writes the same value.").is_none()
        );
        assert!(dubious(
            "RocksDB on local SSD with incremental checkpoints every minute, so a checkpoint uploads only changed files."
        )
        .is_none());
        assert!(
            dubious("Not every hop is exactly-once: the Redis write is at-least-once.").is_none()
        );
    }

    #[test]
    fn impossible_partition_throughput_is_caught() {
        let c = dubious("Yes, a Kafka partition can take 100 MB/s, so 50 MB/s fits in one.")
            .expect("a claim");
        assert_eq!(c.id, "partition-throughput");
    }

    #[test]
    fn exactly_once_credited_to_a_product_is_challenged() {
        let c = dubious("It's exactly-once because of Kafka, so we never get duplicates.")
            .expect("a claim");
        assert_eq!(c.id, "guarantee-by-product");
        assert!(c.why.contains("sink"), "{}", c.why);
        assert_eq!(
            dubious("No duplicates thanks to Flink.").map(|c| c.id),
            Some("guarantee-by-product")
        );
        assert_eq!(
            dubious("Exactly-once because of Flink checkpoints and a two-phase commit sink."),
            None,
            "a mechanism is named"
        );
        // The product's own checkpoints, and nothing said of the sink.
        let c = dubious(
            "It's exactly-once because Flink has checkpoints. The website reads Redis directly.",
        )
        .expect("a claim");
        assert_eq!(c.id, "guarantee-by-product");
        assert_eq!(
            c.said, "It's exactly-once because Flink has checkpoints",
            "one sentence quoted"
        );
        assert_eq!(
            dubious("Exactly-once because Flink has checkpoints and the Redis write is an idempotent SET."),
            None,
            "the sink's write is said"
        );
    }

    #[test]
    fn sound_settings_pass() {
        for t in [
            "acks=all with min.insync.replicas=2 and replication factor 3.",
            "Kafka keeps order per partition, so keying by order_id keeps each order in order.",
            "Global ordering is not needed; per-key order is enough.",
            "Each partition takes about 5 MB/s at peak.",
            "We retry once a second.",
        ] {
            assert_eq!(dubious(t), None, "{t}");
        }
    }

    #[test]
    fn a_time_taken_from_when_the_job_ran_is_challenged() {
        for t in [
            "valid_from is set to the time Spark processes the change.",
            "We window on ingestion time, it's simpler.",
            "The partition date is the day the job loads the file.",
            "Each version gets current_timestamp() as its effective date.",
            "Sessions are grouped by arrival time at the collector.",
        ] {
            assert_eq!(dubious(t).map(|c| c.id), Some("processing-time"), "{t}");
        }
        for t in [
            "Versions are dated by the commit timestamp from the WAL, never by load time.",
            "We window on event time rather than processing time.",
            "Flink processes the change within a second.",
            "The job runs at 02:00 and loads yesterday's partition.",
            "The late ping goes to the side output in S3 with its arrival time.",
            "Ingestion-time partitioning, clustered by team.",
        ] {
            assert_eq!(dubious(t), None, "{t}");
        }
    }

    #[test]
    fn a_merge_keyed_on_the_entity_alone_into_a_table_of_versions_is_challenged() {
        let c = dubious(
            "At least once. The MERGE on customer_id makes it idempotent. valid_from comes from the commit.",
        );
        assert_eq!(c.map(|c| c.id), Some("versioned-merge-key"));
        // With the version in the key, or with no versions in sight.
        assert_eq!(
            dubious("The MERGE on customer_id and valid_from makes it idempotent."),
            None
        );
        assert_eq!(
            dubious("The MERGE on account_id makes it idempotent."),
            None
        );
    }
}
