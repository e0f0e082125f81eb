//! Partition (shard, bucket, cluster) keys, said in the many ways people say
//! them: `key=user_id`, `key user_id` on an arrow, "keyed by user_id",
//! "partitioned by cluster name", "by ds", "clustered by team", "keyed by
//! the primary key customer_id", "lands on the user_id partition", "using
//! device_id as the key" — and, when a key question is on the table, the
//! terse answers ("By date.", "customer_id.", "The cluster name, as I said").
//!
//! A cue says a key follows; what follows is read as a key phrase: articles
//! and a possessive skipped ("the table's"), a descriptor ("the primary key,
//! customer_id") giving way to the identifier it names, and a second word
//! that makes a compound key ("cluster name", "device id"). How sure the cue
//! is decides how plausible the phrase must look.

use std::sync::OnceLock;

use regex::Regex;

/// A queue its users split into partitions or shards and size: not a
/// delivery stream that scales itself (Firehose), nor a queue with no
/// partitions to count (SQS, RabbitMQ, Pub/Sub), nor a replicator.
pub(crate) fn partitioned(c: &crate::design::Component) -> bool {
    use crate::design::ComponentKind;
    let name = c.name.to_ascii_lowercase();
    let product = c.product.as_deref().unwrap_or("");
    c.kind == ComponentKind::Queue
        && !["firehose", "sqs", "rabbitmq", "mirrormaker", "mm2"]
            .iter()
            .any(|w| name.contains(w))
        && (product != "Pub/Sub" || name.contains("lite"))
        && !matches!(product, "SQS" | "MirrorMaker 2")
}

/// Words that name a sensible key on their own.
const KEY_WORDS: &[&str] = &[
    "user",
    "users",
    "date",
    "ds",
    "dt",
    "day",
    "hour",
    "month",
    "region",
    "country",
    "tenant",
    "account",
    "merchant",
    "card",
    "device",
    "driver",
    "rider",
    "session",
    "campaign",
    "advertiser",
    "city",
    "cell",
    "geohash",
    "h3",
    "customer",
    "order",
    "store",
    "sku",
    "item",
    "table",
    "team",
    "zone",
    "site",
    "service",
    "experiment",
    "timestamp",
    "ts",
    "shard",
    "bucket",
    "partition",
    "entity",
    "vehicle",
    "sensor",
    "machine",
    "host",
    "cluster",
    "org",
    "organisation",
    "organization",
    "project",
    "listing",
    "product",
    "course",
];

/// Second words that make a compound key: "cluster name", "device id".
const KEY_SUFFIXES: &[&str] = &[
    "id", "ids", "name", "date", "code", "key", "type", "hour", "day", "number", "hash",
];

/// Words after "partitioned by" that are not keys ("partitioned by the way
/// we load it", "sharded by default").
const NOT_KEYS: &[&str] = &[
    "the",
    "a",
    "an",
    "way",
    "default",
    "design",
    "hand",
    "itself",
    "themselves",
    "then",
    "now",
    "far",
    "and",
    "or",
    "us",
    "them",
    "it",
    "this",
    "that",
    "which",
    "whatever",
    "some",
    "each",
    "many",
    "volume",
    "size",
    "means",
    "nature",
    "convention",
    "hash",
    "hashing",
    "range",
    "something",
    "anything",
    "what",
    "how",
    "who",
    "being",
    "not",
    "so",
    // A verb after "the partition key" ("stays whatever it is today").
    "is",
    "was",
    "stays",
    "stay",
    "remains",
    "remain",
    "will",
    "would",
    "should",
    "must",
    "can",
    "could",
    "changes",
    "unchanged",
    "same",
];

/// Descriptors that a key phrase may open with before the identifier.
const DESCRIPTORS: &[&str] = &[
    "primary key",
    "partition key",
    "natural key",
    "business key",
    "composite key",
    "surrogate key",
    "row key",
    "entity key",
];

/// How plausible a phrase must look after a cue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Trust {
    /// An identifier: `user_id`, `listing_id`, "device id".
    Identifier,
    /// An identifier or a word that names a key on its own ("date").
    KeyWord,
    /// Any noun that is not a stop word ("team", "cluster name").
    Open,
}

/// A partition key being said: the cue before the key.
pub(crate) const CUE: &str = concat!(
    r"(?i)(?P<eq>\bkey\s*[=:]\s*)",
    r"|(?P<open>\b(?:partition(?:ed|ing|s)?|shard(?:ed|ing|s)?|bucket(?:ed|ing|s)?|keyed|clustered|cluster(?:ing)?|key(?:s|ing)?)\s+(?:key\s+)?(?:by|on)\s+)",
    r"|(?P<named>\b(?:partition|shard|sharding|routing|distribution|clustering|bucketing|bucket)\s+keys?\b\s*(?:is\s+|of\s+|=\s*|:\s*|was\s+)?)",
    r"|(?P<word>\b(?:distributed|hash(?:ed|ing)?|routed)\s+(?:by|on)\s+)",
    r"|(?P<bare>\bkey\s+)",
    r"|(?P<using>\busing\s+(?:the\s+)?)(?P<uk>[a-z_][\w.]*)\s+as\s+(?:the\s+|a\s+)?(?:partition\s+|shard\s+|routing\s+)?key",
    r"|(?P<on>\b(?:the|each|its|their|per|every)\s+)(?P<pk>[a-z_][\w.]*)\s+(?:partitions?|shards?)\b",
    // "overwrites that day's partition", "each tenant's shard".
    r"|(?P<of>\b(?:the|that|this|each|every|one)\s+)(?P<ok>[a-z_][\w.]*)(?:'s|’s)\s+(?:partitions?|shards?)\b",
    // "a partition per day", "one shard per tenant_id": its key; a count
    // ("12 partitions per topic") is not one.
    r"|(?P<per>\b(?:a|one|each|its\s+own)\s+(?:partition|shard|bucket)\s+per\s+)",
);

fn cue_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| Regex::new(CUE).ok()).as_ref()
}

/// A key phrase at the start of `t`: (key, its end in `t`). A compound
/// key is read whole, in the candidate's words: "tenant_id and user_id",
/// "table and primary key", "(user_id, event_date)".
fn key_phrase(t: &str) -> Option<(String, usize)> {
    // "(user_id, event_date)": the keys inside, commas between them.
    let open = t.len() - t.trim_start_matches(['(', ' ']).len();
    let listed = open > 0 && t[..open].contains('(');
    let (first, len) = one_key(&t[open..])?;
    let first_end = open + len;
    let end = further_keys(t, first_end, listed);
    if end == first_end {
        return Some((first, end));
    }
    // The words from the first key to the last one; a list keeps its
    // parentheses, so "(request_id, table)" reads as one key in a list.
    let from = t[open..].find(first.as_str()).map_or(open, |k| open + k);
    let words = &t[from..end];
    if listed {
        let close = t[end..].trim_start().starts_with(')');
        let end = if close {
            t[end..].find(')').map_or(end, |k| end + k + 1)
        } else {
            end
        };
        return Some((format!("({words})"), end));
    }
    Some((words.to_string(), end))
}

/// Keys said after the one ending at `end`: " and <key>", " + <key>",
/// " & <key>", and in a parenthesised list ", <key>". The end of the last.
/// Each must look like a key on its own ("partitioned by date and written
/// hourly" is one key).
fn further_keys(t: &str, mut end: usize, listed: bool) -> usize {
    loop {
        let rest = &t[end..];
        let lower = rest.to_ascii_lowercase();
        let sep = [" and ", " + ", "+", " & "]
            .iter()
            .chain(if listed {
                [", ", ","].iter()
            } else {
                [].iter()
            })
            .find(|s| lower.starts_with(**s));
        let Some(sep) = sep else {
            return end;
        };
        let next = &rest[sep.len()..];
        match one_key(next) {
            Some((k, len)) if plausible(&k, Trust::KeyWord) => end += sep.len() + len,
            _ => return end,
        }
    }
}

/// One key phrase at the start of `t`: (key, its end in `t`).
fn one_key(t: &str) -> Option<(String, usize)> {
    let lower = t.to_ascii_lowercase();
    let mut i = 0;
    // Articles and a possessive: "the", "each table's", "the table's".
    loop {
        let rest = &lower[i..];
        let skip = ["the ", "a ", "an ", "its ", "their ", "our "]
            .iter()
            .find(|a| rest.starts_with(**a))
            .map(|a| a.len())
            .or_else(|| {
                let w = rest.split_whitespace().next()?;
                (w.ends_with("'s") || w.ends_with("’s"))
                    .then(|| rest.find(w).map_or(0, |p| p + w.len()) + 1)
            });
        match skip {
            Some(n) if i + n <= lower.len() => i += n,
            _ => break,
        }
        while lower[i..].starts_with(' ') {
            i += 1;
        }
    }
    // A descriptor: "primary key customer_id", "primary key, customer_id",
    // "primary key (customer_id)"; alone it is the key.
    if let Some(dsc) = DESCRIPTORS.iter().find(|d| lower[i..].starts_with(**d)) {
        let after = i + dsc.len();
        let rest = &lower[after..];
        let gap = rest
            .find(|c: char| !matches!(c, ' ' | ',' | '(' | ':' | '='))
            .unwrap_or(rest.len());
        let (id, len) = ident(&t[after + gap..]);
        if let Some(id) = id.filter(|id| plausible(id, Trust::Identifier)) {
            return Some((id, after + gap + len));
        }
        return Some((t[i..after].to_string(), after));
    }
    let (id, len) = ident(&t[i..]);
    Some((id?, i + len))
}

/// An identifier with an optional compound second word, and its length.
fn ident(t: &str) -> (Option<String>, usize) {
    let first_len = t
        .char_indices()
        .find(|&(k, c)| {
            !(c.is_ascii_alphanumeric() || c == '_' || (k > 0 && matches!(c, '.' | '+')))
        })
        .map_or(t.len(), |(k, _)| k);
    let first = t[..first_len].trim_end_matches(['.', '+']);
    if first.is_empty() || !first.starts_with(|c: char| c.is_ascii_alphabetic() || c == '_') {
        return (None, 0);
    }
    let mut end = first.len();
    let rest = &t[end..];
    if let Some(r) = rest.strip_prefix(' ') {
        let w: String = r
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect();
        if KEY_SUFFIXES.contains(&w.to_ascii_lowercase().as_str()) {
            end += 1 + w.len();
        }
    }
    (Some(t[..end].to_string()), end)
}

/// True when `key` looks like a key for a cue of trust `trust`.
fn plausible(key: &str, trust: Trust) -> bool {
    // "service+pod", "tenant_id+user_id": a compound written with `+` is a
    // key when one of its parts is.
    if key.contains('+') {
        return key
            .split('+')
            .map(str::trim)
            .any(|part| !part.is_empty() && plausible(part, trust));
    }
    let lower = key.to_ascii_lowercase();
    let words: Vec<&str> = lower.split_whitespace().collect();
    let (Some(first), Some(last)) = (words.first(), words.last()) else {
        return false;
    };
    let identifier = lower.contains('_')
        || (lower.len() > 2 && lower.ends_with("id") && !lower.ends_with("void"))
        || (words.len() > 1 && KEY_SUFFIXES.contains(last))
        || DESCRIPTORS.contains(&lower.as_str());
    match trust {
        Trust::Identifier => identifier,
        Trust::KeyWord => identifier || KEY_WORDS.contains(first),
        Trust::Open => {
            identifier
                || KEY_WORDS.contains(first)
                || (first.len() >= 2
                    && first.chars().all(|c| c.is_ascii_alphabetic())
                    && !NOT_KEYS.contains(first))
        }
    }
}

/// Words that make "by <word> <measure>" a way of sizing, not a key.
const MEASURES: &[&str] = &[
    "count",
    "counts",
    "size",
    "sizes",
    "volume",
    "rate",
    "throughput",
    "limit",
    "limits",
    "capacity",
];

/// "shards by record count", "partitions by byte size": a plain word (not
/// an identifier) followed by a measure sizes the shards, it is no key.
fn sizes_by(key: &str, after: &str) -> bool {
    let next = after
        .trim_start()
        .split(|c: char| !c.is_ascii_alphabetic())
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    !plausible(key, Trust::Identifier) && MEASURES.contains(&next.as_str())
}

/// A partition key said in `sentence`: its text and byte span (from the cue
/// to the end of the key).
pub(crate) fn keys_in(sentence: &str) -> Vec<(String, usize, usize)> {
    let Some(re) = cue_re() else {
        return Vec::new();
    };
    let mut out: Vec<(String, usize, usize)> = Vec::new();
    for c in re.captures_iter(sentence) {
        let Some(whole) = c.get(0) else { continue };
        let found = if let Some(k) = c.name("uk").or(c.name("pk")).or(c.name("ok")) {
            let trust = if c.name("uk").is_some() {
                Trust::Open
            } else {
                Trust::KeyWord
            };
            let key = k.as_str().trim_end_matches(['.', ',']).to_string();
            plausible(&key, trust).then(|| (key, whole.start(), k.end()))
        } else {
            // "48 partitions on the hot topics" says where the partitions
            // are, not what they are keyed by: a count of partitions "on"
            // something needs a key-like word after it.
            let located = c.name("open").is_some_and(|o| {
                let o = o.as_str().to_ascii_lowercase();
                let mut w = o.split_whitespace();
                w.next()
                    .is_some_and(|n| n.ends_with('s') && !n.ends_with("ss"))
                    && w.last() == Some("on")
            });
            // "overwriting the partition on retry": a partition (one of
            // them) is written on a retry, not keyed by it.
            let one_of_them = c.name("open").is_some_and(|o| {
                let cue = o.as_str().to_ascii_lowercase();
                let mut w = cue.split_whitespace();
                let noun = w
                    .next()
                    .is_some_and(|n| matches!(n, "partition" | "shard" | "bucket" | "cluster"));
                let before = sentence[..o.start()].to_ascii_lowercase();
                let det = before.trim_end().rsplit(' ').next().is_some_and(|d| {
                    matches!(
                        d,
                        "the" | "that" | "this" | "a" | "each" | "its" | "every" | "one"
                    )
                });
                noun && det && w.last() == Some("on")
            });
            if one_of_them {
                continue;
            }
            let trust = if located {
                Trust::KeyWord
            } else if c.name("open").is_some() || c.name("named").is_some() {
                Trust::Open
            } else if c.name("word").is_some() || c.name("eq").is_some() || c.name("per").is_some()
            {
                Trust::KeyWord
            } else {
                Trust::Identifier
            };
            let at = whole.end();
            key_phrase(&sentence[at..])
                .filter(|(k, _)| plausible(k, trust))
                .filter(|(k, len)| !sizes_by(k, &sentence[at + len..]))
                .map(|(k, len)| (k, whole.start(), at + len))
        };
        if let Some((k, s, e)) = found {
            if !out.iter().any(|(x, _, _)| x.eq_ignore_ascii_case(&k)) {
                out.push((k, s, e));
            }
        }
    }
    // A Hive-style partition path: "s3://staging/facts/ds=2024-03-03/".
    let bytes = sentence.as_bytes();
    let mut from = 0;
    while let Some(k) = sentence[from..].find('=') {
        let eq = from + k;
        from = eq + 1;
        let start = sentence[..eq]
            .char_indices()
            .rev()
            .find(|(_, c)| !(c.is_ascii_alphanumeric() || *c == '_'))
            .map_or(0, |(i, c)| i + c.len_utf8());
        let in_path = start > 0 && bytes[start - 1] == b'/';
        let value_end = sentence[eq + 1..]
            .find(|c: char| c.is_whitespace() || c == '/')
            .map_or(sentence.len(), |i| eq + 1 + i);
        let closed = sentence[value_end..].starts_with('/');
        let key = &sentence[start..eq];
        if in_path
            && closed
            && !key.is_empty()
            && !out.iter().any(|(x, _, _)| x.eq_ignore_ascii_case(key))
        {
            out.push((key.to_string(), start, value_end));
        }
    }
    out
}

/// The key in a terse answer to "which key?": "By date.", "By user_id.",
/// "customer_id.", "The cluster name, as I said", "user_id, like I wrote".
/// Only the opening words are read: a longer answer says "keyed by" and is
/// read by [`keys_in`].
pub(crate) fn answered_key(text: &str) -> Option<(String, usize, usize)> {
    let lead = text.len() - text.trim_start().len();
    let t = &text[lead..];
    let lower = t.to_ascii_lowercase();
    let mut i = 0;
    for opener in [
        "i think ",
        "i guess ",
        "i'd say ",
        "maybe ",
        "probably ",
        "it's ",
        "it is ",
        "its ",
        "we use ",
        "i'd use ",
        "i use ",
        "keyed ",
        "partitioned ",
        "by ",
        "on ",
    ] {
        if lower[i..].starts_with(opener) {
            i += opener.len();
        }
    }
    let (key, len) = key_phrase(&t[i..])?;
    // The phrase must end the opening clause ("By date.", "customer_id
    // here, as I said") but not run on ("By the time we load it").
    let after = t[i + len..].trim_start().to_ascii_lowercase();
    let next = after
        .split(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    let ends = after.is_empty()
        || after.starts_with(['.', ',', ';', ':', '—', '-', '(', '!'])
        || [
            "here", "as", "like", "again", "too", "which", "so", "because", "since",
            // A hedge after it: "device id i think", "user_id probably".
            "i", "probably", "maybe", "perhaps",
        ]
        .contains(&next);
    (ends && plausible(&key, Trust::KeyWord)).then(|| (key, lead, lead + i + len))
}

#[cfg(test)]
mod tests;
