//! A guarantee credited to a product instead of explained: "it's
//! exactly-once because of Kafka", "no duplicates thanks to Flink". An L5
//! interviewer hears a name, not a mechanism (Kafka's transactions stop at
//! Kafka; the sink's writes are the design's own), so such a sentence does
//! not count as explaining the concept it names.

use std::sync::OnceLock;

use regex::Regex;

/// "because of", "thanks to", … followed by the product's name.
fn credit_phrase() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:because\s+of|thanks\s+to|due\s+to|courtesy\s+of|handled\s+by|provided\s+by|comes?\s+from|given\s+by|guaranteed\s+by|(?:since|as)\s+we\s+use|(?:since|as)\s+it(?:'s|\s+is)\s+(?:on|in))\s+(?:the\s+|a\s+|our\s+)?",
        )
        .unwrap_or_else(|_| Regex::new(r"$^").expect("an empty regex compiles"))
    })
}

/// Words after the product name that still end the credit: the clause
/// goes on with a consequence, not a mechanism.
const CLAUSE_ENDS: [&str; 6] = ["so", "and", "which", "then", "therefore", "hence"];

/// Whether `sentence` credits a guarantee to a product: a credit phrase,
/// then a product name (`is_product(offset, len)` says whether the word at
/// that offset of the sentence starts a component's name, and how long
/// the name is), then nothing of its own before the clause ends.
pub(crate) fn credits_a_product(
    sentence: &str,
    is_product: impl Fn(usize) -> Option<usize>,
) -> bool {
    credit_phrase().find_iter(sentence).any(|m| {
        let Some(len) = is_product(m.end()) else {
            return false;
        };
        let rest = &sentence[(m.end() + len).min(sentence.len())..];
        let rest = rest
            .strip_prefix("'s")
            .or_else(|| rest.strip_prefix("’s"))
            .unwrap_or(rest);
        nothing_after(rest)
    })
}

/// "Kafka has exactly-once", "Flink guarantees no duplicates": the
/// product as the subject of a guarantee.
fn subject_phrase() -> &'static Regex {
    static RE: OnceLock<Regex> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)\b(?:has|have|gives(?:\s+us)?|provides|guarantees|supports|offers|does)\s+(?:built[-\s]in\s+|native\s+|end[-\s]to[-\s]end\s+)?(?:exactly[-\s]once|idempoten\w*|no\s+duplicates|dedup\w*)(?:\s+(?:semantics|guarantees?|delivery|support|built[-\s]in))?",
        )
        .unwrap_or_else(|_| Regex::new(r"$^").expect("an empty regex compiles"))
    })
}

/// Whether `sentence` makes a product the subject of a guarantee and says
/// nothing of how ("Kafka has exactly-once so it's fine"): a product name
/// (one to three words) right before the verb, and nothing of its own
/// after the guarantee before the clause ends.
pub(crate) fn product_claims_it(
    sentence: &str,
    is_product: impl Fn(usize) -> Option<usize>,
) -> bool {
    subject_phrase().find_iter(sentence).any(|m| {
        let before = sentence[..m.start()].trim_end();
        // The words just before the verb, nearest last.
        let starts: Vec<usize> = before
            .char_indices()
            .filter(|&(i, c)| {
                !c.is_whitespace() && (i == 0 || before[..i].ends_with(char::is_whitespace))
            })
            .map(|(i, _)| i)
            .collect();
        let named = starts
            .iter()
            .rev()
            .take(3)
            .any(|&at| is_product(at).is_some_and(|len| at + len == before.len()));
        named && nothing_after(&sentence[m.end()..])
    })
}

/// The clause after a credit goes on with a consequence, not a mechanism.
fn nothing_after(rest: &str) -> bool {
    let clause = rest
        .split([',', '.', ';', ':', '!', '?', '(', '\n'])
        .next()
        .unwrap_or("");
    let mut words = clause.split_whitespace();
    match words.next() {
        None => true,
        Some(w) => {
            let w = w.to_ascii_lowercase();
            CLAUSE_ENDS.contains(&w.as_str()) || (w == "itself" && words.next().is_none())
        }
    }
}

/// For text read without the component catalogue: a capitalised word is
/// taken as the product's name.
pub(crate) fn capitalised_word(sentence: &str, at: usize) -> Option<usize> {
    let rest = sentence.get(at..)?;
    let first = rest.chars().next()?;
    if !first.is_uppercase() {
        return None;
    }
    Some(
        rest.find(|c: char| !(c.is_alphanumeric() || c == '-' || c == '/'))
            .unwrap_or(rest.len()),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn credits(s: &str) -> bool {
        credits_a_product(s, |at| capitalised_word(s, at))
            || product_claims_it(s, |at| capitalised_word(s, at))
    }

    #[test]
    fn a_guarantee_credited_to_a_product_name_is_caught() {
        assert!(credits(
            "It is exactly-once because of Kafka, so we never get duplicates."
        ));
        assert!(credits("We get no duplicates thanks to Flink."));
        assert!(credits("Exactly-once comes from Kafka itself."));
        assert!(credits(
            "Dedup is handled by Spark and the dashboards are fine."
        ));
        // The product as the subject of the guarantee.
        assert!(credits("Kafka has exactly-once so it's fine."));
        assert!(credits(
            "Flink guarantees exactly-once semantics, so no duplicates."
        ));
        assert!(credits("Snowflake has built-in dedup."));
    }

    #[test]
    fn a_product_named_with_its_mechanism_is_an_explanation() {
        assert!(!credits(
            "Exactly-once because of Flink checkpoints committing the sink transaction."
        ));
        assert!(!credits(
            "Order holds because of Kafka's per-partition ordering with key=user_id."
        ));
        assert!(!credits(
            "Exactly-once because the MERGE is keyed by order_id, so replays overwrite."
        ));
        assert!(!credits("Retries are safe thanks to idempotent upserts."));
        assert!(!credits(
            "Flink has exactly-once through checkpoints and the two-phase-commit Kafka sink."
        ));
        assert!(!credits(
            "The sink does idempotent upserts keyed by order_id."
        ));
        assert!(!credits(
            "the job has exactly-once semantics with transactions."
        ));
    }
}
