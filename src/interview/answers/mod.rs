//! How an answer stands to the question on the table, read the way an
//! interviewer listens: did it give what was asked (a rate for "how much",
//! a field for "which key", a mechanism for "what if it is retried"), did
//! it dispute the question with a reason ("no data goes through Airflow,
//! it's a trigger"), or did it wave the question away ("it just works",
//! "the platform is exactly-once")?
//!
//! The design model decides most answers; these readings catch the terse
//! and the corrective ones the model does not store: "By date.", "About
//! 130 queries/s.", "It's our own service".

use std::sync::OnceLock;

use regex::Regex;

use crate::interview::session::Check;

mod topic;
pub(crate) use crate::read::hand_wave::hand_wave;
pub(crate) use topic::{about_the_choice, on_topic, reason_for_a_choice};

/// What an answer does to the pending question.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Stance {
    /// It gives what the question asked for.
    Gives,
    /// It disputes the question's premise, with a reason: the interviewer
    /// takes the correction and does not ask it again.
    Disputes,
    /// Nothing the interviewer can use: unsure, a hand-wave, a bare word.
    Evades,
    /// Something else (on another topic, or partial).
    Other,
}

fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

fn matches(cell: &'static OnceLock<Option<Regex>>, pattern: &str, text: &str) -> bool {
    re(cell, pattern).is_some_and(|r| r.is_match(text))
}

/// "Not sure", "I guess", "maybe": the candidate does not know.
pub(crate) fn unsure(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    matches(
        &RE,
        r"(?i)\b(?:not sure|no idea|don'?t know|do not know|i guess|i'?d have to check|whatever the default|probably|i think so|should be fine|should already)\b",
        text,
    )
}

/// "Kinesis is slower I think", "Spark is heavier": a comparison given as
/// the reason for a choice, with nothing that says by how much or why (no
/// figure, no "because").
pub(crate) fn bare_comparison(text: &str) -> bool {
    static CMP: OnceLock<Option<Regex>> = OnceLock::new();
    let lower = text.to_ascii_lowercase();
    text.split_whitespace().count() <= 14
        && !text.chars().any(|c| c.is_ascii_digit())
        // "…, and we already run it": a second reason.
        && ![" because ", " since ", " so ", " due to ", " per ", ": ", " and ", " we "]
            .iter()
            .any(|w| lower.contains(w))
        && matches(
            &CMP,
            r"(?i)\b(?:slower|faster|better|worse|cheaper|pricier|easier|simpler|harder|heavier|lighter|nicer|more\s+(?:scalable|reliable|mature|expensive|popular|flexible|robust|complex|complicated)|less\s+(?:scalable|reliable|mature|expensive|flexible|robust))\b",
            text,
        )
}

/// "I'd rather skip this one", "Let's move on", "Next.", "Pass.": the
/// candidate asks to leave the question, and a real interviewer lets them.
pub(crate) fn skip_request(text: &str) -> bool {
    static SKIP: OnceLock<Option<Regex>> = OnceLock::new();
    text.split_whitespace().count() <= 12
        && matches(
            &SKIP,
            r"(?ix)
            \brather\s+(?:skip|not\s+(?:go\s+into|answer))\b | \bskip\s+(?:this|that|it)(?:\s+one)?\b
            | \b(?:let'?s|can\s+we|could\s+we)\s+move\s+on\b | \bcan\s+we\s+move\s+to\b | \bnext\s+(?:one|question)\b
            | ^\s*(?:next|pass|skip)\s*[.!]?\s*$",
            text,
        )
}

/// An answer with nothing the interviewer or the scorer can use: a
/// platform claim, a bare "we'd monitor it", or a short "I guess" with no
/// figure and no key (a keyword list is the reasons gate's). The verdict weighs how many of a round's answers are like this.
pub(crate) fn evasive(text: &str) -> bool {
    static MONITOR: OnceLock<Option<Regex>> = OnceLock::new();
    static DODGE: OnceLock<Option<Regex>> = OnceLock::new();
    static DISMISS: OnceLock<Option<Regex>> = OnceLock::new();
    static SHRUG: OnceLock<Option<Regex>> = OnceLock::new();
    let words = text.split_whitespace().count();
    let lower = text.to_ascii_lowercase();
    let reasoned = text.chars().any(|c| c.is_ascii_digit())
        || [" because ", " since ", " keyed ", ": "]
            .iter()
            .any(|w| lower.contains(w));
    hand_wave(text)
        // "I'd rather skip that one", "Next.", "Let's move on".
        || matches(
            &DODGE,
            r"(?ix)
            \brather\s+skip\b | \bskip\s+(?:this|that)(?:\s+one)?\b | \b(?:let'?s|can\s+we)\s+move\s+on\b
            | \bcan\s+we\s+move\s+to\b | \bnext\s+one\b | ^\s*next\s*[.!]?\s*$
            | \bdon'?t\s+really\s+know\b",
            text,
        )
        || skip_request(text)
        // "Snowflake scales, so the data volume isn't an issue", "we don't
        // really need to think about it": a dismissal with no reason.
        || (!reasoned
            && words <= 20
            && matches(
                &DISMISS,
                r"(?ix)
                \bnever\s+had\s+a\s+problem\b
                | \b(?:isn'?t|is\s+not|aren'?t|are\s+not)\s+(?:really\s+)?(?:an?\s+)?(?:real\s+)?(?:issue|problem|concern)\b
                | \bdon'?t\s+(?:really\s+)?(?:need|have)\s+to\s+(?:think|worry)\s+about\b
                | \bscales,?\s+so\b",
                text,
            ))
        // "We'd monitor it." with no signal: the interviewer asks which
        // (its own push), and it is still nothing to use.
        || matches(
            &MONITOR,
            r"(?i)\bwe'?d\s+(?:just\s+)?(?:monitor|watch)\s+(?:it|that|this)\s*(?:[.,;:!?)]|$|and\b)",
            text,
        )
        // "we'd retry", "kafka handles the partitioning", "yes it's
        // idempotent", "we'd have alerts and fix it": a few words that
        // name an action or a guarantee and nothing behind it.
        || (words <= 8
            && !reasoned
            && !names_key(text)
            && matches(
                &SHRUG,
                r"(?ix)
                ^\W*(?:yes|yeah|yep|sure|ok|so)?[,\s]*(?:we'?d|we\s+would|we\s+will|we'?ll|i'?d|just)?\s*
                (?:retry|re-?run|restart|re-?try)(?:\s+(?:it|that|this|the\s+job|the\s+task|again))?\W*$
                | \bhandles?\s+(?:the\s+)?(?:partitioning|ordering|retries|duplicates|dedup\w*|scaling|failures?|recovery)\b
                | ^\W*(?:yes|yeah|yep|sure)?[,\s]*(?:it'?s|it\s+is|they'?re|they\s+are)\s+(?:idempotent|exactly[- ]once)\W*$
                | \bfix\s+(?:it|that)\W*$
                | \bsee\s+it\s+(?:in|on)\s+the\s+dashboard\b",
                text,
            ))
        || (unsure(text)
            && words <= 12
            && !names_key(text)
            // "Probably the device ID": a hedged key is still one.
            && !text
                .split(|c: char| !c.is_alphanumeric() && c != '_')
                .any(|w| w.eq_ignore_ascii_case("id") || w.to_ascii_lowercase().ends_with("_id"))
            && !text.chars().any(|c| c.is_ascii_digit()))
}

/// A hot key answered by scaling out ("Flink scales horizontally", "we'd
/// add partitions") with nothing that splits the one key: every record of
/// one key still lands on one partition and one subtask, however many
/// there are.
pub(crate) fn scale_out_only(text: &str) -> bool {
    const SCALE: &[&str] = &[
        "scale out",
        "scales out",
        "scale horizontally",
        "scales horizontally",
        "horizontally scal",
        "scale it out",
        "scale up",
        "more partitions",
        "add partitions",
        "increase the partition",
        "more nodes",
        "add nodes",
        "more brokers",
        "more subtasks",
        "more task managers",
        "more workers",
        "more consumers",
        "parallelism",
        "autoscal",
        "bigger instance",
        "can handle it",
    ];
    const SPLIT: &[&str] = &[
        "salt",
        "sub-key",
        "subkey",
        "split",
        "suffix",
        "two-stage",
        "two stage",
        "pre-aggregat",
        "local aggregat",
        "combiner",
        "random",
        "replica",
        "cache",
        "isolat",
        "dedicated",
        "round-robin",
        "round robin",
        "composite key",
        "bucket",
        "coalesc",
        "batch",
        "rate limit",
        "rate-limit",
        "throttl",
    ];
    let l = text.to_ascii_lowercase();
    SCALE.iter().any(|w| l.contains(w)) && !SPLIT.iter().any(|w| l.contains(w))
}

/// A key given as a bare date ("By date.", "partitioned by day") without
/// saying which one: the event's, or when it arrived or was loaded.
pub(crate) fn bare_date(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    let words = l.split_whitespace().count();
    let dated = ["date", "day", "daily"]
        .iter()
        .any(|w| l.split(|c: char| !c.is_alphanumeric()).any(|t| t == *w));
    let which = [
        "event",
        "arriv",
        "load",
        "ingest",
        "sale",
        "transaction",
        "booking",
        "business",
        "created",
        "updated",
        "occur",
        "happen",
        "process",
        "receiv",
        "book",
        "order",
        "ds",
        "_date",
        "partition date",
        "event_time",
        "timestamp",
    ]
    .iter()
    .any(|q| l.contains(q));
    dated && !which && words <= 12
}

/// The candidate keeps a figure that was just shown not to add up: they
/// say it again, or say they stand by it, without correcting it.
pub(crate) fn stands_by(text: &str, figure: &str, working: &str) -> bool {
    let l = text.to_ascii_lowercase();
    // They took the interviewer's figure ("Then it's 720M an hour"): a
    // correction, whatever else they keep.
    // The figure with its unit: "720m" carries it, "50 gb" is two words.
    let implied = working
        .to_ascii_lowercase()
        .split("about ")
        .nth(1)
        .and_then(|r| {
            let mut w = r.split_whitespace();
            let first = w.next()?.trim_end_matches([',', ':']).to_string();
            if first.ends_with(|c: char| c.is_ascii_digit()) {
                let unit = w.next()?.trim_end_matches([',', ':']);
                Some(format!("{first} {unit}"))
            } else {
                Some(first)
            }
        });
    if implied.is_some_and(|f| l.contains(&f)) {
        return false;
    }
    let corrects = [
        "typo",
        "mistake",
        "i meant",
        "should be",
        "should read",
        "you're right",
        "you are right",
        "my bad",
        "correct that",
        "corrected",
        "wrong",
        "off by",
        "slipped",
        "misspoke",
        "mistyped",
    ]
    .iter()
    .any(|w| l.contains(w));
    // "The 5 MB/s is the raw stream into Kafka, not the log": the sum
    // was done on another flow's figure, and the answer says which. That
    // is an explanation to check, not a figure kept without one.
    let other_flow = l.split_whitespace().count() >= 10
        && [
            " not the ",
            " isn't the ",
            " is not the ",
            "different flow",
            "different stream",
            "refers to",
            "that's for ",
            "is for the ",
            "not the same",
            // "6 TB is the largest single training set, not what we keep":
            // one item's figure, not the total the sum was done on.
            " not what ",
            "not the total",
        ]
        .iter()
        .any(|w| l.contains(w));
    let keeps = ["stand by", "i'd keep", "it is ", "it's ", " is right"]
        .iter()
        .any(|w| l.contains(w));
    !corrects && !other_flow && (l.contains(&figure.to_ascii_lowercase()) || keeps)
}

/// Buzzwords: phrases that sound like an answer and commit to nothing
/// ("cloud-native", "golden signals", "FinOps maturity journey").
pub(crate) fn buzzwords(text: &str) -> usize {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(
        &RE,
        r"(?ix)\b(?:industry[-\s]standard|best[-\s]practices?|cloud[-\s]native|serverless|aiops|golden\s+signals|hyperscale|finops|maturity|leverag\w*|synerg\w*|single\s+pane|data\s+mesh|data\s+fabric|world[-\s]class|state[-\s]of[-\s]the[-\s]art|cutting[-\s]edge|ai[-\s]powered|ml[-\s]driven|self[-\s]healing|observability|by\s+design|future[-\s]proof|enterprise[-\s]grade|next[-\s]gen\w*|modern\s+data\s+stack|real[-\s]time\s+streaming|high\s+throughput|low\s+latency|back[-\s]pressure\s+aware|horizontal(?:ly)?\s+scal\w*|elastic(?:ally)?\s+scal\w*|auto[-\s]?scal\w*|anomaly\s+detection|with\s+ml|ml[-\s]based|lakehouse\s+format|liquid\s+clustering|z[-\s]ordering|crawl,?\s+walk,?\s+run)\b",
    )
    .map_or(0, |r| r.find_iter(text).count())
}

/// A reply made of buzzwords: two or more, and no figure to hold it to.
pub(crate) fn buzz_only(text: &str) -> bool {
    buzzwords(text) >= 2 && !text.chars().any(|c| c.is_ascii_digit())
}

/// The candidate disputes the question's premise: "No data goes through
/// Airflow", "There are no windows", "Spark never writes to raw", "It's
/// our own service". Uncertainty and hand-waves are not disputes.
pub(crate) fn disputes(text: &str, words: usize) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    if words < 4 || unsure(text) || hand_wave(text) {
        return false;
    }
    matches(
        &RE,
        r"(?ix)
        ^\s*(?:no|nope|actually|not\s+quite|that'?s\s+not)\b[,.:;\s]
        | \bthere\s+(?:is|are|'s|isn'?t|aren'?t)\s+no\b | \bthere\s+(?:isn'?t|aren'?t)\s+(?:a|any)\b
        | \b(?:no|zero)\s+(?:data|bytes|records|rows|events|windows?|state|stream\s+job)\b
        | \bnothing\s+(?:here\s+|(?:in|on)\s+(?:this|the|my)\s+(?:design|pipeline|board|system)\s+)?(?:is|gets|goes|flows|restarts|publishes|aggregates|computes|windows|is\s+written|can\s+be)\b
        | \b(?:is|it'?s)\s+a\s+one-off\b
        | \b(?:doesn'?t|does\s+not|don'?t|do\s+not|isn'?t|is\s+not|aren'?t|are\s+not|never|can'?t|cannot|won'?t)\s+
          (?:\w+\s+){0,2}?(?:write|writes|publish|publishes|insert|inserts|go|goes|flow|flows|hold|holds|have|has|use|uses|send|sends|read|reads|touch|touches|pass|passes|carry|carries|apply|applies|arrive|keep|keeps|need|needs|window|an?\b)
        | \b(?:it'?s|it\s+is|that'?s|this\s+is)\s+(?:our|an?)\s+(?:own|internal|existing|in-house|in\s+house)\b
        | \bour\s+(?:own|existing|internal)\s+(?:\w+\s+)?(?:service|api|app|application|system)\b
        | \bnot\s+a\s+(?:data\s+path|stream|product|data\s+hop)\b | \bonly\s+(?:reads|triggers|schedules|orchestrates)\b",
        text,
    )
}

/// "A small Python service", "our own FastAPI app", "a Go worker": a box
/// the candidate writes themselves, named by what it is built with. An
/// answer to "which product is that box?" as good as a product name.
pub(crate) fn names_own_service(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    matches(
        &RE,
        r"(?ix)
        \b(?:python|golang|(?:a|an|our|in)\s+go|java|kotlin|scala|node(?:\.js)?|typescript|rust|ruby|rails|django|flask|fastapi|spring(?:\s+boot)?|express|\.net|c\#)
          \s+(?:[\w-]+\s+){0,2}?(?:service|app|application|api|server|microservice|worker|lambda|function)s?\b
        | \b(?:custom|internal|in-house|homegrown|home-grown|own)\s+(?:[\w-]+\s+){0,2}?(?:service|app|application|api|server|microservice|worker)s?\b",
        text,
    )
}

/// "Snowflake is already the company warehouse, I'm not choosing it": the
/// product asked about is a given of the company, not the candidate's
/// choice, so "why it rather than X" has no answer to give.
pub(crate) fn given_not_chosen(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    matches(
        &RE,
        r"(?ix)
        \b(?:not|isn'?t)\s+(?:something\s+I'?d\s+)?(?:choosing|picking|pick|choose|my\s+(?:choice|call|decision))\b
        | \bis\s+a\s+given\b | \bnot\s+up\s+to\s+(?:me|us)\b
        | \b(?:it'?s|is)\s+already\s+(?:the|our)\s+(?:company'?s?\s+|existing\s+|team'?s\s+)?(?:warehouse|lake|standard|platform|stack|store|database|queue|bus)\b",
        text,
    )
}

/// "As I said", "like I wrote on the arrow", "I covered that": the answer
/// points back to something already said.
pub(crate) fn points_back(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    matches(
        &RE,
        r"(?i)\b(?:as\s+i\s+(?:said|wrote|mentioned|planned|drew)|like\s+i\s+(?:said|wrote|mentioned)|i\s+(?:already\s+)?(?:covered|said|explained|mentioned)|it\s+says\s+(?:it\s+)?on\s+the\s+arrow|as\s+written|as\s+drawn|a\s+minute\s+ago|already\s+(?:in|does|writes|handles|covered))\b",
        text,
    )
}

/// A partition or clustering key, however tersely: "By date.", "user_id",
/// "keyed by the primary key customer_id", "the cluster name".
pub(crate) fn names_key(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    matches(
        &RE,
        r"(?ix)
        \b[a-z][a-z0-9]*_[a-z0-9_]+\b
        | \b(?:by|on|key(?:ed)?(?:\s+by|\s+on)?|partition(?:ed)?\s+(?:by|on)|cluster(?:ed)?\s+by|hash(?:ed)?\s+(?:of|on|by)|sharded\s+by)\s+
          (?:the\s+|its\s+|their\s+|each\s+)?(?:[\w-]+\s+){0,3}?(?:id|ids|key|date|day|ds|dt|hour|name|region|tenant|timestamp|time|month|table)\b
        | ^\s*(?:the\s+)?[\w-]+\s+(?:id|key|name|date)\s*(?:maybe\b|[.,;:]|$)
        | \b(?:partition(?:ed|ing)?|cluster(?:ed|ing)?|key(?:ed)?|shard(?:ed|ing)?|bucket(?:ed|ing)?)\s+(?:by|on)\s+(?:the\s+)?\w+
        | ^\s*by\s+\w+",
        text,
    )
}

/// A data format named: what flows is said even if how much is not.
pub(crate) fn names_format(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    matches(
        &RE,
        r"(?i)\b(?:json|avro|parquet|csv|protobuf|proto|orc|thrift|otlp|xml|tsv|ndjson|jsonl|msgpack|rows|files|batches)\b",
        text,
    )
}

/// A rate or volume: "130 queries/s", "a few MB a day", "5 alerts/min",
/// "zero bytes".
pub(crate) fn names_rate(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let quantity = crate::read::quantities(text).iter().any(|q| {
        matches!(
            q.kind,
            crate::read::QuantityKind::Rate | crate::read::QuantityKind::Size
        )
    });
    quantity
        || matches(
            &RE,
            r"(?ix)
            (?:\d[\d.,]*\s*(?:[kmbg]\b|[kmgt]i?b\b|thousand|million|billion|hundred)?|(?:a\s+few|a\s+couple|several|hundreds?|thousands?|dozens?)(?:\s+(?:thousand|million|billion|hundred|[kmgt]i?b))?|(?:an?|one)\s+(?:thousand|million|billion|hundred))\s*
            (?:[a-z-]+\s+){0,2}?(?:/|per\s+|an?\s+|each\s+)(?:s|sec|second|min|minute|h|hr|hour|day|week|month)\b
            | \b(?:zero|no)\s+(?:bytes|data|records|rows)\b | \btiny\b",
            text,
        )
        || per_run_count(text)
}

/// A count of rows or records with the cadence that makes it a volume:
/// "Hourly spend per team, same few thousand rows", "each daily run loads
/// about 40K records".
fn per_run_count(text: &str) -> bool {
    static COUNT: OnceLock<Option<Regex>> = OnceLock::new();
    static CADENCE: OnceLock<Option<Regex>> = OnceLock::new();
    matches(
        &COUNT,
        r"(?ix)
        (?:\d[\d.,]*\s*(?:[kmb]\b|thousand|million|billion|hundred)?|(?:a\s+)?(?:few|couple)\s+(?:hundred|thousand|million|billion)|several\s+(?:hundred|thousand|million)|hundreds|thousands|millions)
        \s+(?:[a-z-]+\s+)?(?:rows|records|events|messages|files|lines|objects)\b",
        text,
    ) && matches(
        &CADENCE,
        r"(?i)\b(?:hourly|daily|nightly|weekly|per\s+(?:run|batch|load|hour|day)|each\s+(?:run|batch|load)|every\s+(?:run|hour|day|night))\b",
        text,
    )
}

/// What makes a retried write land once: an overwrite, a MERGE on a key, a
/// dedupe, the sink's own load history, a transaction, a delete that is the
/// same twice.
pub(crate) fn names_write_mechanism(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    matches(
        &RE,
        r"(?ix)
        \bover-?writ\w* | \breplac\w+ | \bmerge\w* | \bupsert\w* | \bon\s+conflict\b | \bdedup\w*
        | \b(?:drop|drops|dropped|dropping|discard\w*|filter\w*(?:\s+out)?|remov\w*|ignor\w*)\s+(?:the\s+|any\s+|all\s+)?(?:duplicate|dupe)s?\b
        | \b(?:duplicate|dupe)s?\s+(?:are\s+|get\s+|is\s+)?(?:dropped|discarded|filtered|removed|ignored)\b
        | \b(?:primary|unique|natural|idempotency)\s+key\b | \bsame\s+(?:key|path|object|file|name|id|partition|result|rows?)\b
        | \bdeterministic\b | \bload\s+(?:history|metadata)\b | \balready\s+loaded\b | \bskips?\b
        | \btwo[-\s]phase\b | \b2pc\b | \bcommit\w*\b | \batomic\w*\b | \btransaction\w*\b
        | \b(?:set|hset|put|del)\b | \bdelete\w*\b | \blatest\b | \bversion\w*\b | \bno-?op\b | \bidempotent\s+because\b
        | \brun\s+twice\b | \btwice\s+(?:is|leaves|gives)\b",
        text,
    )
}

/// What gives a delivery guarantee: offsets committed after the write,
/// checkpoints, transactions, dedupe on a key, an idempotent write.
pub(crate) fn names_guarantee_mechanism(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    names_write_mechanism(text)
        || matches(
            &RE,
            r"(?ix)\boffsets?\b | \bcheckpoint\w* | \bat[-\s]least[-\s]once\b.*\b(?:because|so|made\s+safe|since)\b | \breplay\w*\b | \bretr(?:y|ies|ied)\b.*\bsafe\b",
            text,
        )
}

/// How `text` (the newest answer, `words` long) stands to a question
/// resolved by `check`; `substance` is the design model's reading of it.
pub(crate) fn stance(check: Check, rate_asked: bool, text: &str, words: usize) -> Stance {
    if disputes(text, words) || (points_back(text) && words >= 6 && !hand_wave(text)) {
        return Stance::Disputes;
    }
    if hand_wave(text) || buzz_only(text) || (unsure(text) && words <= 8) {
        // "The device id maybe." still names a key.
        if check == Check::Key && names_key(text) {
            return Stance::Gives;
        }
        return Stance::Evades;
    }
    let gives = match check {
        Check::Annotated(_) if rate_asked => names_rate(text),
        Check::Annotated(_) => names_rate(text) && words >= 3,
        Check::Key => names_key(text),
        Check::Write(_) => names_write_mechanism(text),
        Check::Guarantee => names_guarantee_mechanism(text),
        _ => false,
    };
    if gives {
        Stance::Gives
    } else {
        Stance::Other
    }
}

#[cfg(test)]
mod tests;
