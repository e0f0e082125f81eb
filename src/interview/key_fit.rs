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
}
