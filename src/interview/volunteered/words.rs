//! The words the volunteered check reads failures by: a failure
//! question's distinctive stems, what says a sentence protects or
//! recovers, and the words of each kind of failure.

/// Words of a failure's question that say nothing about what went wrong.
pub(super) const GENERIC: &[&str] = &[
    "minut",
    "second",
    "hour",
    "peak",
    "happen",
    "what",
    "your",
    "design",
    "does",
    "make",
    "sure",
    "nothing",
    "lost",
    "record",
    "data",
    "pipeline",
    "system",
    "detect",
    "recover",
    "how",
    // Parts every design has: naming one is not talking about the failure.
    "cluster",
    "node",
    "topic",
    "table",
    "service",
    "server",
    "instance",
    "team",
    "user",
    "event",
    "message",
    "file",
    "partition",
    "job",
    "customer",
    "request",
];

/// The distinctive words of a text, crudely stemmed ("dedupes" and
/// "deduped" are "dedup"), each once: no stop words, nothing shorter than
/// four letters.
pub(crate) fn stems(text: &str) -> Vec<String> {
    const STOP: &[&str] = &[
        "that",
        "this",
        "with",
        "from",
        "into",
        "when",
        "then",
        "than",
        "what",
        "which",
        "their",
        "there",
        "after",
        "before",
        "only",
        "also",
        "every",
        "about",
        "more",
        "less",
        "same",
        "other",
        "over",
        "under",
        "each",
        "they",
        "them",
        "have",
        "does",
        "will",
        "would",
        "should",
        "could",
        "while",
        "where",
        "data",
        "record",
        "event",
        "time",
        "just",
        "like",
        "some",
        "until",
        "because",
        "otherwise",
        "nothing",
        "anything",
        "both",
        "back",
        "again",
        "were",
        "been",
        "being",
        "once",
        "still",
        "here",
        "your",
        "what",
        "need",
        "needs",
    ];
    let mut out: Vec<String> = Vec::new();
    for w in text
        .split(|c: char| !(c.is_ascii_alphanumeric() || c == '_'))
        .map(str::to_ascii_lowercase)
        .filter(|w| w.len() >= 4 && !STOP.contains(&w.as_str()))
    {
        let mut st = w.as_str();
        for suf in ["ing", "ed", "es", "s", "e"] {
            if st.len() > suf.len() + 3 {
                if let Some(x) = st.strip_suffix(suf) {
                    st = x;
                    break;
                }
            }
        }
        if !out.iter().any(|o| o == st) {
            out.push(st.to_string());
        }
    }
    out
}

/// True when a sentence says what protects the data or brings it back: a
/// guard, a check, a retry, a replay, an alert, a dedupe, a version rule.
pub(super) fn safeguards(l: &str) -> bool {
    const CUES: &[&str] = &[
        "drop",
        "reject",
        "skip",
        "ignore",
        "only if",
        "only when",
        "older",
        "newer",
        "version",
        "dedup",
        "de-dup",
        "idempot",
        "retr",
        "rerun",
        "re-run",
        "replay",
        "restor",
        "checkpoint",
        "alert",
        "page",
        "monitor",
        "fallback",
        "fall back",
        "atomic",
        "lock",
        "reserv",
        "guard",
        "compar",
        "check",
        "quarantin",
        "dead-letter",
        "dlq",
        "expir",
        "ttl",
        "compact",
        "backfill",
        "rebuild",
        "lookback",
        "look-back",
        "reprocess",
        "correct",
        "watermark",
        "late",
        "salt",
        "rate limit",
        "throttl",
        "failover",
        "fail over",
        "replicas",
        "takes over",
        "overwrit",
        "replac",
        "upsert",
        "safe",
        "harmless",
        "no-op",
        "at most",
        "at least",
        "cap ",
        "quota",
        "limit",
        "anti-join",
        "tombstone",
        "delete",
        "survive",
        "recover",
        "resum",
        "pending",
        "placeholder",
        "degrad",
        "stale",
        "spread",
    ];
    CUES.iter().any(|c| l.contains(c))
}

/// Words that show a sentence is about a kind of failure.
pub(super) fn class_words(class: &str) -> &'static [&'static str] {
    match class {
        "hot-key" => &["hot", "skew", "rate limit", "salt", "bot"],
        "cost" => &[
            "quota",
            "budget",
            "maximum bytes",
            "max bytes",
            "kill",
            "cap ",
            "spend",
        ],
        "duplicates" => &[
            "dedup",
            "duplicate",
            "idempot",
            "event_id",
            "lsn",
            "version",
            "newer",
            "already applied",
            "sequence number",
        ],
        "storage-full" => &["state", "rocksdb", "disk", "retention", " full", "fills"],
        "late-data" => &[
            "late ",
            "later ",
            "watermark",
            "lookback",
            "look-back",
            "reprocess",
        ],
        "node-crash" => &[
            "crash",
            " dies",
            " died",
            " dead",
            "restart",
            " fails",
            "failure",
            "goes down",
            " killed",
            "failover",
            "fail over",
        ],
        "lag" => &[
            " lag",
            "behind",
            "backlog",
            "catch up",
            "catches up",
            "falls behind",
        ],
        "outage" => &[
            "outage",
            "goes down",
            " down ",
            "failover",
            "fail over",
            "unavailable",
        ],
        "schema-break" => &["schema", "column", "field", "compatib"],
        "bad-data" => &[
            "null",
            "malformed",
            "invalid",
            "quarantin",
            "dead-letter",
            "corrupt",
            "validat",
        ],
        _ => &[],
    }
}
