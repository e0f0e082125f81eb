//! Sizing a stream job's state from the candidate's own numbers. State
//! kept per event (a dedupe set of event ids for 24 hours) grows with the
//! rate times the TTL; state kept per entity (each user's open session)
//! grows with the entities live in that time, which the rate does not say:
//! it is sized from their count ("50M daily active users"), or that count
//! is what the question asks for.

use super::capacity::{sentence_around, spoken_duration};
use super::*;

/// Bytes one dedupe entry takes: an id and a timestamp.
const PER_ID: f64 = 64.0;
/// Bytes one entity's state takes, roughly: an open session or a few
/// running aggregates.
const PER_ENTITY: f64 = 256.0;

/// Words that make a state a set of ids seen, one entry per event.
const PER_EVENT: &[&str] = &[
    "dedup",
    "de-dup",
    "event_id",
    "event id",
    "message_id",
    "request_id",
    "idempotency key",
    "seen ids",
];

/// Words that put a TTL on a job's state.
const STATE_WORDS: &[&str] = &[
    "state",
    "ttl",
    "dedup",
    "de-dup",
    "seen",
    "window",
    "keyed",
    "rocksdb",
    "in memory",
    "session",
];

pub(super) fn state_size(cx: &Ctx<'_>) -> Option<Move> {
    let d = cx.design;
    // State lives in a stream job: no stream job, no state to size.
    let sp = cx.first_of(&[ComponentKind::StreamProcessor])?;
    // Its own TTL (or one said of nothing in particular), not a cache's.
    // A TTL of no one in particular is the job's only when its sentence
    // speaks of state: "expire snapshots older than 3 days" is the lake's.
    let of_state = |at: usize| {
        let l = sentence_around(d.text(), at).to_ascii_lowercase();
        STATE_WORDS.iter().any(|w| l.contains(w))
    };
    let ttl = d.numbers_of(Measure::Ttl).find(|n| {
        n.subject == Some(sp)
            || (n.subject.is_none() && n.edge.is_none() && of_state(n.evidence.start))
    })?;
    let secs = ttl.value?;
    let name = cx.name(sp);
    let said_ttl = spoken_duration(&ttl.evidence.quote);
    let m = |intent: &str| {
        Move::new(intent)
            .target(name.clone())
            .quote(ttl.evidence.quote.clone())
            .var("component", name.clone())
            .var("ttl", said_ttl.clone())
    };
    if let Some(noun) = entity_of(sentence_around(d.text(), ttl.evidence.start)) {
        return Some(match entities(cx, noun) {
            Some((n, nq)) => m("challenge_state_size_entities")
                .var("entities", nq)
                .var("state", human(n * PER_ENTITY, "B"))
                .word("noun", noun),
            None => m("challenge_state_size_unknown").word("noun", noun),
        });
    }
    let (rate, rq) = into(d, sp).0?;
    let keys = rate * secs;
    Some(
        m(Kind::StateSize.intent())
            .var("rate", rq)
            .var("keys", human(keys, ""))
            .var("state", human(keys * PER_ID, "B")),
    )
}

/// The entity a state is kept per, from the sentence that gives its TTL:
/// "each user's open session", "per-device state", "keyed by driver_id".
/// None for a set of ids seen (a dedupe), or when no entity is named.
fn entity_of(sentence: &str) -> Option<&'static str> {
    let l = sentence.to_ascii_lowercase();
    if PER_EVENT.iter().any(|w| l.contains(w)) {
        return None;
    }
    let alnum = |c: char| c.is_ascii_alphanumeric();
    SKEWABLE.iter().copied().find(|noun| {
        l.match_indices(noun).any(|(at, _)| {
            let (head, tail) = (&l[..at], &l[at + noun.len()..]);
            // "user_id", "user's": whose state it is, said after the noun.
            if tail.starts_with("_id") || tail.starts_with("'s") {
                return !head.ends_with(alnum);
            }
            // "per user(s)", not "per username".
            let tail = tail.strip_prefix('s').unwrap_or(tail);
            !tail.starts_with(alnum)
                && ["per ", "per-", "each ", "every ", "by "]
                    .iter()
                    .any(|w| head.ends_with(w))
        })
    })
}

/// How many of `noun` there are, as the candidate said it or as the
/// problem told them ("About 50M daily active users"): the largest count
/// whose words name it.
fn entities(cx: &Ctx<'_>, noun: &str) -> Option<(f64, String)> {
    let names = |q: &str| q.to_ascii_lowercase().contains(noun);
    let said = cx
        .design
        .numbers_of(Measure::Count)
        .filter(|n| names(&n.evidence.quote))
        .filter_map(|n| n.value.map(|v| (v, n.evidence.quote.clone())));
    let told: Vec<(f64, String)> = cx
        .revealed
        .iter()
        .filter_map(|i| cx.problem.hidden_facts.get(*i))
        .flat_map(|f| counted(&f.answer, noun))
        .collect();
    said.chain(told)
        .filter(|(v, _)| *v >= 1.0)
        .max_by(|a, b| a.0.total_cmp(&b.0))
}

/// Every "50M daily active users" in `text`: a number, up to three words,
/// then `noun` or its plural. A count's own reading allows one word
/// between, and a problem's facts say "daily active".
fn counted(text: &str, noun: &str) -> Vec<(f64, String)> {
    static RE: std::sync::OnceLock<Option<regex::Regex>> = std::sync::OnceLock::new();
    let Some(re) = RE
        .get_or_init(|| {
            regex::Regex::new(r"(?i)\b(\d+(?:\.\d+)?)\s*([kmb])?((?:\s+[a-z_-]+){1,4})").ok()
        })
        .as_ref()
    else {
        return Vec::new();
    };
    re.captures_iter(text)
        .filter_map(|c| {
            let n: f64 = c.get(1)?.as_str().parse().ok()?;
            let mult = match c.get(2).map(|m| m.as_str().to_ascii_lowercase()) {
                Some(m) if m == "k" => 1e3,
                Some(m) if m == "m" => 1e6,
                Some(m) if m == "b" => 1e9,
                _ => 1.0,
            };
            // The quote runs to the noun, wherever among the words it is.
            let words = c.get(3)?;
            let end = words
                .as_str()
                .split_whitespace()
                .find(|w| {
                    let w = w.to_ascii_lowercase();
                    w == noun || w.strip_suffix('s') == Some(noun)
                })
                .map(|w| {
                    w.as_ptr() as usize - words.as_str().as_ptr() as usize + words.start() + w.len()
                })?;
            let start = c.get(0)?.start();
            Some((n * mult, text.get(start..end)?.to_string()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::{counted, entity_of};

    #[test]
    fn a_count_of_entities_is_read_with_words_between() {
        assert_eq!(
            counted(
                "Peak is 200K events/sec. About 50M daily active users.",
                "user"
            ),
            vec![(50e6, "50M daily active users".to_string())]
        );
        assert_eq!(
            counted("12 devices", "device"),
            vec![(12.0, "12 devices".to_string())]
        );
        assert!(counted("200K events/sec from users", "user").is_empty());
    }

    #[test]
    fn state_is_per_entity_when_the_ttl_sentence_names_whose_it_is() {
        for (s, want) in [
            (
                "each user's open session is kept with a 2 hour TTL",
                Some("user"),
            ),
            ("per-device state, 24h TTL", Some("device")),
            (
                "state keyed by driver_id expires after 30 minutes",
                Some("driver"),
            ),
            ("dedupe by event_id with a 24h TTL, per user", None),
            ("a 24-hour TTL on the state", None),
            ("per username lookups with a TTL of 1h", None),
        ] {
            assert_eq!(entity_of(s), want, "{s}");
        }
    }
}
