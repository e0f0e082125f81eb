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
