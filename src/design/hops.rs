//! What a sentence says about a hop or a component: delivery guarantees
//! and what gives them ("exactly-once via two-phase commit"), and
//! idempotent writes into a sink ("MERGE into Snowflake on session_id").
//! Structural reading with a few regexes over one sentence; partition keys
//! are read in `keys.rs`.

use std::sync::{LazyLock, OnceLock};

use regex::Regex;

fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

/// A delivery guarantee named.
pub(crate) const GUARANTEE: &str = r"(?i)\b(?:exactly[- _]once|at[- ]least[- ]once|at[- ]most[- ]once|effectively[- ]once|two[- ]phase[- ]commit|2pc|transactional (?:sink|producer|writes?|commit)|kafka transactions|acks\s*=\s*all|idempotent producer)";

fn guarantee_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(&RE, GUARANTEE)
}

fn mechanism_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(
        &RE,
        r"(?i)\b(?:two[- ]phase|2pc|transaction\w*|checkpoint\w*|idempoten\w*|dedup\w*|de-dup\w*|(?:drop|drops|dropped|dropping|discard\w*|filter\w*(?: out)?|remov\w*|ignor\w*) (?:the |any |all )?(?:duplicate|dupe)s?\b|(?:duplicate|dupe)s? (?:are |get |is )?(?:dropped|discarded|filtered(?: out)?|removed|ignored)|upsert\w*|merge[sd]?\b|merging|acks\s*=\s*all|min\.insync|commit\w*\s+(?:the\s+|its\s+|their\s+|our\s+)?(?:[\w-]+\s+)?offsets?|offsets?\s+(?:are\s+)?(?:only\s+)?committed|redeliver\w*\s+(?:is\s+|are\s+)?harmless|makes?\s+(?:the\s+)?(?:redeliver\w*|retr\w+|replay\w*)\s+harmless|event[_ ]id|natural key|primary key|outbox|on conflict|overwrit\w+|replication factor|sequence number|run_id|txn_id|(?:via|through|using|with)\s+(?:the\s+|its\s+|their\s+|a\s+)?(?:[\w'-]+\s+){0,2}commit(?:s|\s+protocol)?\b)",
    )
}

/// A guarantee said in `sentence`: (kind, mechanism, span).
pub(crate) fn guarantees_in(sentence: &str) -> Vec<(String, Option<String>, usize, usize)> {
    let (Some(g), Some(m)) = (guarantee_re(), mechanism_re()) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for found in g.find_iter(sentence) {
        let kind = normalise_guarantee(found.as_str());
        // "emits an alert at most once per machine per 10 minutes": a rate
        // limit, not a delivery guarantee.
        let after = sentence[found.end()..].trim_start().to_ascii_lowercase();
        if kind == "at-most-once"
            && ["per ", "every ", "a minute", "an hour", "a day"]
                .iter()
                .any(|w| after.starts_with(w))
        {
            continue;
        }
        // The mechanism is another phrase of the sentence than the guarantee
        // itself ("exactly-once" is not its own mechanism; "2PC" is).
        let self_explaining = matches!(
            kind.as_str(),
            "two-phase commit" | "transactional" | "acks=all" | "idempotent producer"
        );
        let mech = if self_explaining {
            Some(found.as_str().to_string())
        } else {
            m.find_iter(sentence)
                .find(|x| x.end() <= found.start() || x.start() >= found.end())
                .map(|x| x.as_str().to_string())
        };
        if !out
            .iter()
            .any(|(k, _, _, _): &(String, Option<String>, usize, usize)| *k == kind)
        {
            out.push((kind, mech, found.start(), found.end()));
        }
    }
    out
}

fn normalise_guarantee(s: &str) -> String {
    let l = s.to_ascii_lowercase().replace(['_', ' '], "-");
    if l.starts_with("exactly") || l.starts_with("effectively") {
        "exactly-once".into()
    } else if l.starts_with("at-least") {
        "at-least-once".into()
    } else if l.starts_with("at-most") {
        "at-most-once".into()
    } else if l.starts_with("two") || l == "2pc" {
        "two-phase commit".into()
    } else if l.starts_with("acks") {
        "acks=all".into()
    } else if l.starts_with("idempotent") {
        "idempotent producer".into()
    } else {
        "transactional".into()
    }
}

/// A write made safe to retry, or a dedupe step.
pub(crate) const IDEMPOTENT: &str = r"(?i)\b(?:idempoten\w*|upsert\w*|merge[sd]?\b|merging|on conflict|insert overwrite|overwrit\w+|replac\w+ (?:the |each |that |its )?(?:\w+'s |old )?(?:rows?|partitions?|day|date|files?|table|output|snapshot)|(?-i:\bH?SET\b)|dedup\w*|de-dup\w*|(?:drop|drops|dropped|dropping|discard\w*|filter\w*(?: out)?|remov\w*|ignor\w*) (?:the |any |all )?(?:duplicate|dupe)s?\b|(?:duplicate|dupe)s? (?:are |get |is )?(?:dropped|discarded|filtered(?: out)?|removed|ignored)|two[- ]phase[- ]commit|2pc|transactional (?:sink|write|commit)|exactly[- ]once (?:\w+ ){0,2}sink|put[- ]if[- ]absent|set nx|conditional (?:put|write)|insert[- ]if[- ]not[- ]exists|delete[- ]then[- ]insert|delete-insert|safe to (?:retry|rerun|replay)|replay[- ]safe|rerun[^.;]{0,30}same (?:keys?|output|rows?|files?|result)|same (?:run_id|keys?)[^.;]{0,20}same (?:keys?|output|result)|changes nothing|is a no-op|are a no-op|a no-op|are harmless|is harmless|is skipped|are skipped|gets skipped|conditional on the version|put\w*\b[^.;]{0,60}\bconditions?\b|conditions? on (?:the |a |its )?(?:\w+ )?(?:version|timestamp|sequence|ts)\b|(?:version|timestamp)\w* as (?:a |the )?condition|only if newer|loads? each file (?:only )?once|load metadata|already[- ]loaded files?|skip\w* (?:the )?files? (?:it |that |which )?(?:has |have )?already (?:loaded|seen)|delete\b[^.;]{0,40}\bfollowed by\b[^.;]{0,20}\b(?:copy|insert|load)|(?:inside|in|within) (?:one|a single) transaction|replac\w+ [^.;]{0,20}\batomically|inserts? (?:is |are )?(?:keyed|unique) (?:by|on)|unique (?:key|constraint|index) on|replacing ?merge ?tree|collaps\w+ (?:the )?(?:duplicate|duplicated)|duplicates? (?:are |get )?collapsed|content[- ]addressed|deterministic (?:\w+ )?(?:paths?|file ?names?|object keys?|locations?|prefix\w*)|(?:paths?|prefix\w*|locations?|file ?names?|object keys?) (?:(?:that |which )?(?:is |are )?(?:derived from |named (?:by|after) |keyed (?:by|on) |built from )|(?:that |which )?(?:is |are )|= ?)(?:the |a |its )?(?:\w+ ){0,2}(?:hash|checksum|digest)\b)";

fn idem_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(&RE, IDEMPOTENT)
}

/// One idempotency mechanism said in a sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Idem {
    /// The mechanism as said: the cue and the words after it in its clause.
    pub text: String,
    pub start: usize,
    pub end: usize,
    /// The clause it sits in (byte span of the sentence).
    pub clause: (usize, usize),
    /// A write mechanism (upsert, MERGE, 2PC) rather than a dedupe step.
    pub write_kind: bool,
    /// A key was named with it ("on session_id").
    pub keyed: bool,
}

/// Every idempotency mechanism said in `sentence`, with its clause.
pub(crate) fn idempotent_in(sentence: &str) -> Vec<Idem> {
    let Some(re) = idem_re() else {
        return Vec::new();
    };
    let clauses = clauses(sentence);
    // A dedupe step is not a write, unless the sentence says the replay has
    // no effect ("deduplicated, so a replay changes nothing"): read once.
    let effect = std::cell::OnceCell::new();
    re.find_iter(sentence)
        .filter(|m| !negated_just_before(&sentence[..m.start()]))
        .map(|m| {
            let lower = m.as_str().to_ascii_lowercase();
            let effect = || {
                *effect.get_or_init(|| {
                    let s = sentence.to_ascii_lowercase();
                    [
                        "changes nothing",
                        "no-op",
                        "harmless",
                        "skipped",
                        "safe to",
                        "counted once",
                        "only once",
                        "written once",
                        "lands once",
                    ]
                    .iter()
                    .any(|w| s.contains(w))
                })
            };
            // "dedupe on event_id", "drops duplicates", "duplicates are
            // filtered": a step that removes copies; "duplicates collapsed"
            // by the table engine is the store's write.
            let dedupe = lower.starts_with("dedup")
                || lower.starts_with("de-dup")
                || (lower.contains("dup") && !lower.contains("collaps"));
            let write_kind = !dedupe || effect();
            let clause = clauses
                .iter()
                .copied()
                .find(|&(s, e)| s <= m.start() && m.start() < e)
                .unwrap_or((0, sentence.len()));
            let tail = &sentence[m.end()..clause.1.max(m.end())];
            let stop = tail_stop(tail);
            // Said on one line, as a reason shows it ("merge into Iceberg",
            // not "merge into\nIceberg").
            let said = format!("{}{}", m.as_str(), &tail[..stop]);
            let text = said
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
                .trim_end_matches(['.', ',', ';', ':', '=', ' '])
                .to_string();
            // "Results go into Postgres keyed by (table, run_id), so a
            // rerun upserts the same rows": the key said of the store just
            // before the write's clause is the write's key.
            let keyed_before = || {
                let head = &sentence[..clause.0.min(m.start())];
                // Only in the same part of the sentence: "… to Kafka keyed
                // by user_id; Kafka Connect's S3 sink …" keys Kafka.
                let head = head.rfind(';').map_or(head, |i| &head[i + 1..]);
                head.to_ascii_lowercase()
                    .rfind(" keyed by ")
                    .is_some_and(|i| !keys_after(&head[i..]).is_empty())
            };
            let keyed = !keys_after(&text).is_empty() || keyed_before();
            Idem {
                text,
                start: m.start(),
                end: m.end(),
                clause,
                write_kind,
                keyed,
            }
        })
        .collect()
}

/// True when a write is shown safe to retry rather than claimed so: a key,
/// a mechanism other than the word itself ("upsert", "MERGE", "overwrite
/// the partition"), or the word said of one operation ("the DELETE is
/// naturally idempotent"). "Make everything idempotent" claims it of the
/// whole design.
pub(crate) fn shows_mechanism(mechanism: &str, sentence: &str) -> bool {
    static BLANKET: OnceLock<Option<Regex>> = OnceLock::new();
    let blanket = re(
        &BLANKET,
        r"(?i)\b(?:everything|every (?:step|write|job|stage|hop|component|part|layer)s?|all (?:the )?(?:writes|jobs|steps|stages|hops|components|parts|layers)|(?:the )?whole (?:pipeline|thing|system|stack)|end[- ]to[- ]end)\b",
    )
    .is_some_and(|b| b.is_match(sentence));
    !blanket
        || !keys_after(mechanism).is_empty()
        || idem_re().is_some_and(|re| {
            re.find_iter(mechanism)
                .any(|m| !m.as_str().to_ascii_lowercase().starts_with("idempoten"))
        })
}

/// True when one of the three words right before a cue denies it: "never
/// overwritten", "is not idempotent", "isn't a MERGE", "without an upsert".
fn negated_just_before(before: &str) -> bool {
    let clause = before
        .char_indices()
        .rev()
        .find(|&(_, c)| matches!(c, ',' | ';' | ':' | '(' | '—' | '.'))
        .map_or(before, |(i, c)| &before[i + c.len_utf8()..]);
    // "I wouldn't bother with an idempotent upsert", "I'd avoid a MERGE
    // here": a write the candidate turns down, anywhere before it in the
    // clause.
    let lower = clause.to_ascii_lowercase().replace('’', "'");
    if [
        "wouldn't bother",
        "would not bother",
        "don't bother",
        "no need for",
        "i'd avoid",
        "i would avoid",
        "we'd avoid",
        "avoid using",
        "rather than",
        "instead of",
        "skip the",
        "overkill",
    ]
    .iter()
    .any(|w| lower.contains(w))
    {
        return true;
    }
    clause
        .split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .rev()
        .take(3)
        .any(|w| {
            let w = w.to_ascii_lowercase();
            // "nothing is skipped" says no loss, not a write made safe.
            matches!(
                w.as_str(),
                "not" | "never" | "no" | "without" | "nor" | "nothing"
            ) || w.ends_with("n't")
                || w.ends_with("n’t")
        })
}

/// Clauses of a sentence: split at commas, semicolons, dashes and
/// brackets, except inside a bracketed key list, which belongs to the words
/// before it ("upsert by (device_id, window)").
fn clauses(s: &str) -> Vec<(usize, usize)> {
    let opens_keys = |before: &str| {
        let b = before.trim_end().to_ascii_lowercase();
        [" by", " on", " using"].iter().any(|w| b.ends_with(w))
    };
    let mut out = Vec::new();
    let mut start = 0;
    let mut keys = 0usize;
    for (i, c) in s.char_indices() {
        match c {
            '(' if keys > 0 || opens_keys(&s[..i]) => keys += 1,
            ')' if keys > 0 => keys -= 1,
            ',' | ';' if keys > 0 => {}
            ',' | ';' | '—' | '(' | ')' => {
                out.push((start, i));
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    out.push((start, s.len()));
    out
}

/// The words a mechanism's key follows, each with a finder built once
/// (the first occurrence, as `str::find` reports it).
static KEY_MARKERS: LazyLock<[(&str, memchr::memmem::Finder<'static>); 4]> = LazyLock::new(|| {
    [" on ", " by ", " keyed by ", " using "].map(|m| (m, memchr::memmem::Finder::new(m)))
});

/// Identifiers after "on", "by" or "keyed by" in a mechanism ("MERGE on (txn_id, run_id)").
fn keys_after(text: &str) -> Vec<&str> {
    let lower = text.to_ascii_lowercase();
    let mut out = Vec::new();
    for (marker, finder) in KEY_MARKERS.iter() {
        if let Some(i) = finder.find(lower.as_bytes()) {
            let rest = &text[i + marker.len()..];
            let mut words = rest
                .trim_start_matches(['(', ' '])
                .split(|c: char| !(c.is_alphanumeric() || c == '_'))
                .filter(|w| !w.is_empty());
            let mut w = words.next().unwrap_or("");
            // "keyed by" says a key whatever it is called: "SET keyed by
            // campaign and window start", "keyed by the card".
            let keyed_by = *marker == " keyed by ";
            if keyed_by
                && ["the", "a", "an", "its", "their"]
                    .iter()
                    .any(|a| w.eq_ignore_ascii_case(a))
            {
                w = words.next().unwrap_or("");
            }
            if w.contains('_')
                || w.to_ascii_lowercase().ends_with("id")
                || w.eq_ignore_ascii_case("key")
                || (keyed_by && w.len() >= 3 && w.chars().all(|c| c.is_ascii_alphabetic()))
            {
                out.push(w);
            }
        }
    }
    out
}

/// Where the words said with a mechanism stop: at a bracketed key list's
/// end ("keyed by (device, rule, window)"), else within 60 bytes at a word
/// end (never "so a Flink replay never pa").
fn tail_stop(tail: &str) -> usize {
    const ROOM: usize = 60;
    if let Some(close) = tail.find(')') {
        if close < ROOM + 20 && tail[..close].contains('(') {
            return close + 1;
        }
    }
    // The mechanism ends where the clause goes on to its purpose or a new
    // statement ("merge into Iceberg so history is complete"); a reason
    // ("idempotent because a rerun overwrites the same files") is the
    // mechanism itself and stays.
    // (Same length as `tail`: a line break is a space here.)
    let lower = tail.to_ascii_lowercase().replace(['\n', '\t'], " ");
    let said = lower.match_indices(' ').find_map(|(i, _)| {
        let rest = &lower[i..];
        [" so ", " which ", " but ", " while ", " and then "]
            .iter()
            .any(|w| rest.starts_with(w))
            .then_some(i)
    });
    if let Some(at) = said {
        return at;
    }
    if tail.len() <= ROOM {
        return tail.len();
    }
    let cut = crate::read::text::floor_char(tail, ROOM);
    let mut end = tail[..cut].rfind(' ').unwrap_or(cut);
    // Not on a word that leads into what was cut: "… range since the".
    const LEADS: &[&str] = &[
        "the", "a", "an", "of", "to", "on", "by", "with", "for", "in", "from", "since", "at",
        "into", "and", "or",
    ];
    while let Some(sp) = tail[..end].rfind(' ') {
        let last = &tail[sp + 1..end];
        if !LEADS.iter().any(|w| last.eq_ignore_ascii_case(w)) {
            break;
        }
        end = sp;
    }
    end
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn guarantees_carry_their_mechanism_when_said() {
        let g = guarantees_in("the file sink is exactly-once through two-phase commit");
        assert_eq!(g[0].0, "exactly-once");
        assert!(g[0].1.as_deref().is_some_and(|m| m.contains("two-phase")));
        let g = guarantees_in("It's exactly-once.");
        assert_eq!(g[0].1, None, "a bare claim has no mechanism");
        let g = guarantees_in(
            "The S3 sink lands it in Iceberg, exactly-once via the connector's commit.",
        );
        assert_eq!(g[0].1.as_deref(), Some("via the connector's commit"));
        let g = guarantees_in("producers use acks=all");
        assert_eq!(g[0].0, "acks=all");
        assert!(g[0].1.is_some());
    }

    #[test]
    fn nothing_skipped_is_no_loss_not_a_write_made_safe() {
        let all = idempotent_in(
            "When Connect comes back, Debezium resumes from its stored binlog offset, so nothing is skipped.",
        );
        assert!(all.is_empty(), "{all:?}");
        assert!(!idempotent_in("A file already loaded is skipped on the rerun.").is_empty());
    }

    #[test]
    fn idempotent_writes_and_their_keys() {
        let all =
            idempotent_in("Spark does a MERGE into Snowflake on session_id, so reruns are safe");
        let m = &all[0];
        assert!(m.text.starts_with("MERGE"), "{m:?}");
        assert!(m.write_kind && m.keyed);
        assert!(!idempotent_in("Flink dedupes by event_id")[0].write_kind);
        let all =
            idempotent_in("It writes every vector to S3 through the two-phase-commit file sink");
        assert!(all.first().is_some_and(|m| m.write_kind), "{all:?}");
        let all = idempotent_in(
            "Raw readings go to S3 through Flink's exactly-once file sink on checkpoints every minute",
        );
        assert!(all.first().is_some_and(|m| m.write_kind), "{all:?}");
        let all = idempotent_in(
            "Snowflake loads each day's files with COPY, which skips files it already loaded",
        );
        assert!(!all.is_empty(), "{all:?}");
        assert!(idempotent_in("We write to Snowflake.").is_empty());
        // ClickHouse's deduplicating engine, and what it does, said plainly.
        for s in [
            "It writes to ClickHouse through a ReplacingMergeTree keyed on event id.",
            "A replay after a restart collapses duplicates in ClickHouse.",
        ] {
            assert!(
                idempotent_in(s).first().is_some_and(|m| m.write_kind),
                "{s}"
            );
        }
        assert!(
            idempotent_in("A replay into a ReplacingMergeTree on event_id lands once.")
                .first()
                .is_some_and(|m| m.keyed),
            "keyed by the id after it"
        );
    }

    #[test]
    fn dropped_duplicates_and_conditional_puts_in_plain_words() {
        // A step that removes copies, unless the sentence says a retry then
        // counts once.
        let d = idempotent_in("Spark drops duplicates on event_id");
        assert!(d.first().is_some_and(|m| !m.write_kind && m.keyed), "{d:?}");
        let d = idempotent_in("Duplicates are filtered out by event_id in Flink");
        assert!(!d.is_empty(), "{d:?}");
        let d =
            idempotent_in("Spark drops duplicates on event_id, so a retried send is counted once");
        assert!(d.first().is_some_and(|m| m.write_kind), "{d:?}");
        for s in [
            "Flink to DynamoDB is a put keyed by user_id with the session version as a condition",
            "the write is a PutItem with a condition on the version",
        ] {
            assert!(
                idempotent_in(s).first().is_some_and(|m| m.write_kind),
                "{s}"
            );
        }
        assert!(idempotent_in("We put the files in S3.").is_empty());
    }

    #[test]
    fn a_denied_write_is_not_an_idempotent_one() {
        for s in [
            "Raw events are never overwritten in raw.",
            "The ClickHouse insert is not idempotent, so a replay doubles counts.",
            "We can't MERGE into the lake yet.",
            "Loads run without an upsert today.",
        ] {
            assert!(idempotent_in(s).is_empty(), "{s}: {:?}", idempotent_in(s));
        }
        // The denial belongs to its own clause and the words right before.
        let all = idempotent_in("Raw is never rewritten; silver is rebuilt with INSERT OVERWRITE.");
        assert_eq!(all.len(), 1, "{all:?}");
        assert!(
            !idempotent_in("No duplicates reach Snowflake thanks to the MERGE on event_id")
                .is_empty()
        );
        // A dash ends the clause too (and is more than one byte).
        let all = idempotent_in("Raw is not touched — a rerun overwrites the day's partition");
        assert_eq!(all.len(), 1, "{all:?}");
    }

    #[test]
    fn a_mechanism_ends_at_its_words_not_the_full_stop() {
        let all =
            idempotent_in("Flink writes Parquet to Iceberg with exactly-once two-phase commit.");
        assert_eq!(all[0].text, "two-phase commit", "{all:?}");
        // Nor at the purpose that follows it, and on one line.
        let all = idempotent_in(
            "Anything later goes to a side output which we merge into Iceberg so history is\ncomplete",
        );
        assert_eq!(all[0].text, "merge into Iceberg", "{all:?}");
        let all =
            idempotent_in("Rows are upserted into\n  Postgres by order_id, so retries are safe");
        assert_eq!(all[0].text, "upserted into Postgres by order_id", "{all:?}");
        assert!(all[0].keyed);
        let all = idempotent_in("S3 is idempotent because a rerun overwrites the same files");
        assert_eq!(
            all[0].text,
            "idempotent because a rerun overwrites the same files"
        );
    }

    #[test]
    fn a_key_said_of_the_store_before_the_write_is_the_writes_key() {
        let m = idempotent_in("Results go into Postgres keyed by (table, partition, check, run_id), so a rerun of the same run upserts the same rows instead of adding new ones.");
        assert!(m.first().is_some_and(|m| m.write_kind && m.keyed), "{m:?}");
        let m = idempotent_in(
            "Results go into Postgres, and a rerun of the same run upserts the same rows.",
        );
        assert!(m.first().is_some_and(|m| !m.keyed), "{m:?}");
        let m = idempotent_in("It goes to Kafka keyed by user_id; the S3 sink names files by offset, so a redelivered batch overwrites the same file.");
        assert!(m.first().is_some_and(|m| !m.keyed), "{m:?}");
    }

    #[test]
    fn a_bracketed_key_list_stays_with_its_mechanism() {
        let m = idempotent_in(
            "Flink -> DynamoDB : 1-min aggregates per device, upsert by (device_id, window)",
        );
        assert_eq!(m.len(), 1);
        assert_eq!(m[0].text, "upsert by (device_id, window)");
        assert!(m[0].keyed, "the key in brackets is the upsert's key");
        let m = idempotent_in(
            "We write the window total with SET keyed by campaign and window start, not INCR.",
        );
        assert!(m[0].keyed, "a key in words after \"keyed by\"");
        let m = idempotent_in("Alerts are idempotent: keyed by (device, rule, window) so a Flink replay never pages a customer twice.");
        assert_eq!(m[0].text, "idempotent: keyed by (device, rule, window)");
    }

    #[test]
    fn several_mechanisms_in_one_sentence_keep_their_clauses() {
        let s = "Flink dedupes by event_id, upserts the open session into Redis by session_id, and writes closed sessions to S3 through the two-phase commit file sink";
        let all = idempotent_in(s);
        assert_eq!(all.len(), 3, "{all:?}");
        assert!(s[all[2].clause.0..all[2].clause.1].contains("S3"));
    }

    #[test]
    fn at_most_once_per_period_is_a_rate_limit_not_a_guarantee() {
        let g = guarantees_in("The rule emits an alert at most once per machine per 10 minutes.");
        assert!(g.is_empty(), "{g:?}");
        let g = guarantees_in("Metrics are at-most-once: a lost sample is fine.");
        assert_eq!(g.first().map(|x| x.0.as_str()), Some("at-most-once"));
    }

    #[test]
    fn a_write_turned_down_is_no_write() {
        assert!(idempotent_in(
            "I wouldn't bother with an idempotent upsert keyed by auth_id here."
        )
        .is_empty());
        assert!(
            idempotent_in("Rather than a MERGE on txn_id, we append and dedupe later.")
                .iter()
                .all(|m| !m.text.to_ascii_lowercase().starts_with("merge"))
        );
        assert_eq!(
            idempotent_in("Reruns MERGE on txn_id, so they are idempotent.").len(),
            2
        );
    }
}
