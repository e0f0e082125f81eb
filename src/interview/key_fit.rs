//! Whether a partition key fits what the problem computes. A key that is
//! one record's own id (ride_id, event_id, txn_id) spreads any one cell,
//! user or card over every partition, while the problem's state is per
//! cell, user or card: the interviewer asks where those records come
//! together. What the problem computes per is read from the keys of its
//! reference architecture.

use crate::design::keys::keys_in;
use crate::rubric::Problem;

/// Words of an id that names one record, not something records share.
const PER_RECORD: &[&str] = &[
    "event",
    "events",
    "ride",
    "trip",
    "request",
    "message",
    "msg",
    "record",
    "ping",
    "txn",
    "transaction",
    "uuid",
    "line",
    "row",
    "log",
    "reading",
    "movement",
];

/// Words that carry no entity: "ride_id" is about a ride.
const ID_WORDS: &[&str] = &["id", "ids", "key", "hash"];

/// Keys by time partition storage, not the state the stream keeps.
const TIME_WORDS: &[&str] = &[
    "date", "day", "hour", "ds", "dt", "month", "time", "ts", "window", "commit", "arrival",
    "business", "event",
];

/// Two keys this problem's records carry, for "which field is the key?":
/// the `_id` fields (or `key=` fields) its statement and reference answer
/// name most ("conversion_id, device_id" for ad attribution), so the push
/// does not offer "user_id" for log lines.
pub(crate) fn key_examples(problem: &Problem) -> String {
    let text = format!("{}\n{}", problem.statement, problem.reference_architecture);
    let lower = text.to_ascii_lowercase();
    let mut counts: Vec<(String, usize)> = Vec::new();
    let word = |c: char| c.is_ascii_alphanumeric() || c == '_';
    for w in lower.split(|c: char| !word(c) && c != '=') {
        let field = match w.split_once("key=") {
            Some((_, k)) => k,
            None if w.ends_with("_id") && w.len() > 3 => w,
            None => continue,
        };
        let field = field.trim_matches('_');
        if field.is_empty() || !field.chars().all(word) {
            continue;
        }
        match counts.iter_mut().find(|(f, _)| f == field) {
            Some((_, n)) => *n += 1,
            None => counts.push((field.to_string(), 1)),
        }
    }
    // Most named first; ties in the order first named.
    counts.sort_by_key(|c| std::cmp::Reverse(c.1));
    let mut picked: Vec<String> = counts.into_iter().take(2).map(|(f, _)| f).collect();
    if picked.len() < 2 {
        picked.push(if picked.is_empty() { "an id" } else { "a date" }.to_string());
    }
    if picked.len() < 2 {
        picked.push("a date".to_string());
    }
    picked.join(", ")
}

fn words(key: &str) -> Vec<String> {
    key.to_ascii_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty() && !ID_WORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// True when every entity word of `key` names a single record.
fn per_record(key: &str) -> bool {
    let ws = words(key);
    !ws.is_empty() && ws.iter().all(|w| PER_RECORD.contains(&w.as_str()))
}

/// The key the problem's state is kept per, when `key` (said by the
/// candidate) is a per-record id that spreads it: "h3_cell" for "ride id"
/// on surge pricing. `None` when the key fits, or the reference says no
/// such key.
pub(crate) fn spread_aggregate(problem: &Problem, key: &str) -> Option<String> {
    if !per_record(key) {
        return None;
    }
    let said = words(key);
    let refs: Vec<String> = problem
        .reference_architecture
        .lines()
        .flat_map(keys_in)
        .map(|(k, _, _)| k)
        .collect();
    // The candidate's key is the reference's own ("impression_id" on ad
    // attribution): it fits.
    if refs
        .iter()
        .any(|r| words(r).iter().any(|w| said.contains(w)))
    {
        return None;
    }
    refs.into_iter()
        .find(|r| {
            let ws = words(r);
            !ws.is_empty()
                && !per_record(r)
                && !ws.iter().all(|w| TIME_WORDS.contains(&w.as_str()))
                && !r.eq_ignore_ascii_case("primary key")
                && !ws.iter().any(|w| w == "shard" || w == "partition")
        })
        .map(|r| noun(&r))
}

/// A key said as a noun: "h3_cell" is an H3 cell, "user_id" a user.
fn noun(key: &str) -> String {
    words(key)
        .iter()
        .map(|w| match w.as_str() {
            "h3" | "sku" => w.to_ascii_uppercase(),
            _ => w.clone(),
        })
        .collect::<Vec<_>>()
        .join(" ")
}

/// How many values a key was said to take, where the sentence lists them
/// or counts them: "sensor_type: temperature / vibration / power",
/// "by region (us, eu, apac)", "sensor_type, which has only 3 values". A
/// key with fewer values than partitions leaves the rest idle.
pub(crate) fn said_values(sentence: &str, key: &str) -> Option<usize> {
    let lower = sentence.to_ascii_lowercase();
    let at = lower.find(&key.to_ascii_lowercase())? + key.len();
    let rest = lower.get(at..)?;
    // Listed: after "(", ":", "=" or " - ", two to eight short words split
    // by "/", "|", "," (inside parentheses) or "or".
    let t = rest.trim_start();
    let listed = if let Some(inner) = t.strip_prefix('(') {
        inner.split(')').next().filter(|_| inner.contains(')'))
    } else {
        [":", "=", "- ", "— "]
            .iter()
            .find_map(|p| t.strip_prefix(p))
            .and_then(|r| r.split([',', ';', ')', '.', '\n']).next())
    };
    if let Some(list) = listed {
        let items: Vec<&str> = list
            .split(['/', '|', ','])
            .flat_map(|x| x.split(" or "))
            .map(str::trim)
            .filter(|x| !x.is_empty())
            .collect();
        let words_only = items.iter().all(|x| {
            x.split_whitespace().count() <= 2
                && x.chars()
                    .all(|c| c.is_ascii_alphabetic() || c == ' ' || c == '_' || c == '-')
        });
        if (2..=8).contains(&items.len()) && words_only {
            return Some(items.len());
        }
    }
    // Counted: "only 3 values", "three possible values", "5 types".
    const WORDS: &[&str] = &[
        "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    let words: Vec<&str> = rest
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(8)
        .collect();
    words.windows(2).find_map(|w| {
        let n = w[0]
            .parse::<usize>()
            .ok()
            .or_else(|| WORDS.iter().position(|x| *x == w[0]).map(|i| i + 2))?;
        let counted = matches!(
            w[1],
            "values" | "possible" | "distinct" | "types" | "kinds" | "categories" | "regions"
        );
        (counted && (2..=20).contains(&n)).then_some(n)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::rubric::Rubric;

    fn spread(problem: &str, key: &str) -> Option<String> {
        let r = Rubric::builtin().expect("builtin rubric");
        let p = r.problem(problem).expect("problem");
        spread_aggregate(p, key)
    }

    #[test]
    fn a_record_id_spreads_what_the_problem_computes_per_entity() {
        assert_eq!(
            spread("surge-pricing", "ride id").as_deref(),
            Some("H3 cell")
        );
        assert_eq!(spread("clickstream", "event_id").as_deref(), Some("user"));
        assert_eq!(spread("fraud-features", "txn_id").as_deref(), Some("card"));
    }

    #[test]
    fn an_entity_key_or_the_references_own_id_fits() {
        assert_eq!(spread("surge-pricing", "h3 cell"), None);
        assert_eq!(spread("clickstream", "user_id"), None);
        assert_eq!(spread("ad-attribution", "click_id"), None);
        // A compound with an entity in it keeps that entity together.
        assert_eq!(spread("clickstream", "(user_id, event_id)"), None);
        // No key in the reference: nothing to hold the key against.
        assert_eq!(spread("payments-reconciliation", "txn_id"), None);
    }

    #[test]
    fn a_key_whose_values_are_listed_or_counted_has_that_many() {
        let v = |s: &str, k: &str| super::said_values(s, k);
        assert_eq!(
            v(
                "Kinesis (partition key = sensor_type: temperature / vibration / power, 4 MB/s)",
                "sensor_type"
            ),
            Some(3)
        );
        assert_eq!(
            v("Kafka keyed by region (us, eu, apac).", "region"),
            Some(3)
        );
        assert_eq!(
            v(
                "Keyed by sensor_type, which has only 3 values.",
                "sensor_type"
            ),
            Some(3)
        );
        // A key said with a rate or a reason is not a list of its values.
        assert_eq!(
            v(
                "Kafka keyed by device_id: 2M devices, 40 partitions.",
                "device_id"
            ),
            None
        );
        assert_eq!(
            v("Keyed by user_id (hashed), 64 partitions.", "user_id"),
            None
        );
        assert_eq!(v("Keyed by user_id.", "user_id"), None);
    }

    #[test]
    fn the_key_push_offers_fields_this_problem_has() {
        let r = crate::rubric::Rubric::builtin().expect("builtin rubric loads");
        let ex = |id: &str| key_examples(r.problem(id).expect("problem"));
        assert_eq!(ex("log-analytics"), "service, a date");
        assert!(
            ex("ad-attribution").contains("conversion_id"),
            "{}",
            ex("ad-attribution")
        );
        assert!(
            ex("iot-telemetry").starts_with("device_id"),
            "{}",
            ex("iot-telemetry")
        );
        assert!(!ex("iot-telemetry").contains("user_id"));
    }
}
