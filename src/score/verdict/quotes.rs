//! Quotes a reason carries: the candidate's words, whitespace made single
//! spaces, cut to a readable length.

use crate::read::sentences::reads_as_list;
use crate::read::Evidence;
use crate::rubric::QuantityKind;
use crate::score::scorer::FailureCoverage;

/// The longest quote a reason carries, in characters.
const REASON_QUOTE: usize = 100;

pub(super) fn quote(ev: &[Evidence]) -> String {
    ev.first().map(|e| quote_one(&e.quote)).unwrap_or_default()
}

/// The quote of the first evidence (of `ev`, then `more`) that says what
/// the reason claims (`says`): "paged within 10 minutes" for operations,
/// "$30K a year" for cost. Without one, the quote of `ev` as ranked.
pub(super) fn quote_saying(ev: &[Evidence], more: &[Evidence], says: fn(&str) -> bool) -> String {
    match ev.iter().chain(more).find(|e| says(&e.quote)) {
        Some(e) => quote_one(&e.quote),
        None => quote(ev),
    }
}

/// The scale the design is built for, quoted: a rate or a volume ("200K
/// events/sec", "2 TB/day"), not a retention, a latency or a count of
/// partitions. The first of the numbers `ev` quotes that is one, else the
/// first the text says. `None` when it says none.
pub(super) fn scale_said(
    an: &crate::read::analysis::Analysis<'_>,
    ev: &[Evidence],
) -> Option<String> {
    let scale =
        |q: &&crate::read::Quantity| matches!(q.kind, QuantityKind::Rate | QuantityKind::Size);
    ev.iter()
        .find(|e| {
            an.quantities
                .iter()
                .filter(scale)
                .any(|q| q.evidence.start == e.start && q.evidence.end == e.end)
        })
        .or_else(|| an.quantities.iter().find(scale).map(|q| &q.evidence))
        .map(|e| quote_one(&e.quote))
}

/// The cost reasoning said below the cost gate, quoted, and whether a
/// price is in it: the cost signal's evidence, a priced one first. Not the
/// cost concept's ("spend per campaign" is the business's money, not the
/// design's), and not a keyword list ("Iceberg, Delta, cost, FinOps").
/// `None` when no cost reasoning was said.
pub(super) fn cost_said(f: &super::Facts<'_>) -> Option<(String, bool)> {
    let signal: Vec<Evidence> = f
        .sig_ev(super::COST)
        .into_iter()
        .filter(|e| !reads_as_list(&e.quote))
        .collect();
    if let Some(e) = signal.iter().find(|e| priced(&e.quote)) {
        return Some((quote_one(&e.quote), true));
    }
    (!signal.is_empty()).then(|| (quote(&signal), false))
}

/// A price said: a currency sign before a digit, or a figure with money
/// in words ("about 90 thousand dollars a month", "0.4 cents per GB").
pub(super) fn priced(q: &str) -> bool {
    let sign = ['$', '€', '£'].iter().any(|s| {
        q.split(*s)
            .skip(1)
            .any(|after| after.starts_with(|c: char| c.is_ascii_digit()))
    });
    sign || (q.contains(|c: char| c.is_ascii_digit())
        && q.split(|c: char| !c.is_ascii_alphabetic()).any(|w| {
            [
                "dollar", "dollars", "euro", "euros", "usd", "eur", "cents", "bucks",
            ]
            .contains(&w.to_ascii_lowercase().as_str())
        }))
}

/// Someone is paged or a runbook or recovery target is named: a word that
/// starts with one of these, not denied right before ("nobody is paged")
/// and not a web page ("page views").
pub(super) fn operated(q: &str) -> bool {
    says_word(
        q,
        &[
            "page", "pager", "paging", "on-call", "oncall", "on call", "runbook", "rto", "rpo",
            "escalat",
        ],
    )
}

/// `q` has a word that starts with one of `words`, not denied right before
/// ("nobody is paged") and not a web page ("page views").
pub(super) fn says_word(q: &str, words: &[&str]) -> bool {
    let l = q.to_ascii_lowercase();
    words
        .iter()
        .any(|w| l.match_indices(w).any(|(at, _)| said_at(&l, at, w)))
}

/// The word `w` found at `at` of the lowercased `l` is said: it starts a
/// word, is not denied right before and is not a web page.
pub(super) fn said_at(l: &str, at: usize, w: &str) -> bool {
    let before = &l[..at];
    let after = &l[at + w.len()..];
    let mid_word = before.ends_with(|c: char| c.is_ascii_alphanumeric());
    let denied = ["nobody ", "not ", "never ", "no one "]
        .iter()
        .any(|n| before.ends_with(n) || before.trim_end_matches("is ").ends_with(n));
    let web_page = w == "page"
        && [" view", "s view", " load", " 1", " 2"]
            .iter()
            .any(|x| after.starts_with(x));
    !(mid_word || denied || web_page)
}

pub(super) fn quote_one(q: &str) -> String {
    // The quote with each run of whitespace made one space, cut at
    // `REASON_QUOTE` chars: built only as far as the cut.
    let mut short = String::new();
    let (mut n, mut cut) = (0, false);
    'words: for (k, w) in crate::read::text::quote_words(q).enumerate() {
        for c in (k > 0).then_some(' ').into_iter().chain(w.chars()) {
            if n == REASON_QUOTE {
                cut = true;
                break 'words;
            }
            short.push(c);
            n += 1;
        }
    }
    let more = if cut { "…" } else { "" };
    format!(" (\"{short}{more}\")")
}

/// [`quote_one`] of `q`, from the clause where `what` is said when the
/// cut would leave it out: "The ledger writes two entries; Debezium …,
/// exactly-once via the sink's offsets" quotes "…exactly-once via the
/// sink's offsets", the words the reason is about.
pub(super) fn quote_showing(q: &str, what: &str) -> String {
    let flat: String = crate::read::text::quote_words(q)
        .collect::<Vec<_>>()
        .join(" ");
    let lower = flat.to_ascii_lowercase();
    let needle = what.trim().to_ascii_lowercase();
    let at = match lower.find(&needle) {
        Some(at)
            if !needle.is_empty() && flat[..at].chars().count() + needle.len() > REASON_QUOTE =>
        {
            at
        }
        _ => return quote_one(q),
    };
    // From the clause the words are in: after the last break before them.
    let from = flat[..at].rfind([',', ';', ':']).map_or(at, |b| b + 1);
    let from = if at - from > REASON_QUOTE / 2 {
        at
    } else {
        from
    };
    let rest = flat[from..].trim_start();
    let inner = quote_one(rest);
    // " (\"rest…\")" with the opening mark of an omission.
    inner.replacen(" (\"", " (\"…", 1)
}

/// A mechanism as said, without a code mark left open where the reading
/// cut it ("MERGE` on `job_id`" reads "MERGE on job_id").
pub(super) fn balanced_code(s: &str) -> std::borrow::Cow<'_, str> {
    if s.matches('`').count() % 2 == 0 {
        std::borrow::Cow::Borrowed(s)
    } else {
        std::borrow::Cow::Owned(s.replace('`', ""))
    }
}

/// A small count in words, as a person says it.
pub(super) fn number_word(n: usize) -> String {
    match n {
        1 => "one".into(),
        2 => "two".into(),
        3 => "three".into(),
        n => n.to_string(),
    }
}

/// Each failure part covered, quoted from its own words.
pub(super) fn covered_parts(cov: &FailureCoverage) -> String {
    let mut out = Vec::new();
    // Each part quoted from its own words where it has other evidence: a
    // sentence that detects is not also shown as what prevents the loss.
    let mut used: Vec<&str> = Vec::new();
    for (part, evs) in [
        ("detects", &cov.detect),
        ("recovers", &cov.recover),
        ("prevents loss", &cov.prevent_loss),
    ] {
        let e = evs
            .iter()
            .find(|e| !used.contains(&e.quote.as_str()))
            .or_else(|| evs.first());
        if let Some(e) = e {
            used.push(&e.quote);
            out.push(format!("{part}{}", quote_one(&e.quote)));
        }
    }
    out.join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A reason about a write quotes the clause the write is said in, not
    /// the start of a long sentence that the cut leaves it out of.
    #[test]
    fn a_write_reason_quotes_the_clause_that_says_the_write() {
        let q = "The ledger writes two entries; Debezium ships the inserts to Kafka keyed by entry_id, and a Flink-free Kafka Connect Iceberg sink appends them to ledger_entries partitioned by booking_date, exactly-once via the sink's offsets in the Iceberg commit.";
        let shown = quote_showing(
            q,
            "exactly-once via the sink's offsets in the Iceberg commit",
        );
        assert!(
            shown.starts_with(" (\"…exactly-once via the sink's offsets"),
            "{shown}"
        );
        // A short quote, or one whose start already shows it, is as before.
        let q = "MERGE on (order_id, version), so a retry is a no-op.";
        assert_eq!(
            quote_showing(q, "MERGE on (order_id, version)"),
            quote_one(q)
        );
    }

    #[test]
    fn a_leading_bullet_or_arrow_is_not_quoted() {
        assert_eq!(
            quote_one("→ topics where the key changes get a new topic"),
            " (\"topics where the key changes get a new topic\")"
        );
        assert_eq!(
            quote_one("- we dedupe on event_id"),
            " (\"we dedupe on event_id\")"
        );
        // Inside the words a dash stays.
        assert_eq!(quote_one("Kafka -> Flink"), " (\"Kafka -> Flink\")");
    }

    #[test]
    fn a_reason_quotes_the_evidence_that_says_what_it_claims() {
        let ev = |q: &str| Evidence {
            start: 0,
            end: q.len(),
            quote: q.to_string(),
        };
        let signal = [
            ev("Reading it back within 4 hours is fine with Instant Retrieval."),
            ev("Tier 1 is ready by 04:00 UTC, paged if late."),
        ];
        assert_eq!(
            quote_saying(&signal, &[], operated),
            " (\"Tier 1 is ready by 04:00 UTC, paged if late.\")"
        );
        assert!(operated("The runbook says to rewind the group."));
        assert!(operated("RTO is 15 minutes."));
        assert!(!operated(
            "The dashboard shows page views per minute on the homepage."
        ));
        let concept = [ev(
            "1% of spend is $30K a year, so checks read new partitions only.",
        )];
        assert_eq!(
            quote_saying(&[ev("Checks run on spot nodes.")], &concept, priced),
            " (\"1% of spend is $30K a year, so checks read new partitions only.\")"
        );
        // Nothing says it: the first as ranked.
        assert_eq!(
            quote_saying(&[ev("Spot nodes.")], &[], priced),
            " (\"Spot nodes.\")"
        );
    }

    #[test]
    fn a_price_is_a_currency_sign_or_money_in_words_with_a_figure() {
        assert!(priced("1% is $30K a year"));
        assert!(priced(
            "about 90 thousand dollars a month before payload units"
        ));
        assert!(priced("Glacier IR at about 0.4 cents per GB"));
        assert!(priced("roughly €2K a month"));
        assert!(!priced(
            "each scanning a few GB thanks to partition pruning"
        ));
        assert!(!priced("we save dollars with spot nodes"));
        assert!(!priced("CPC = cost / clicks, in $"));
    }

    #[test]
    fn a_keyword_list_is_no_cost_reasoning_to_quote() {
        assert!(reads_as_list(
            "lambda vs kappa, lakehouse vs warehouse, Iceberg, Delta, cost, FinOps"
        ));
        assert!(!reads_as_list(
            "Maybe 200 queries an hour from dashboards, each scanning a few GB thanks to partition pruning."
        ));
        assert!(!reads_as_list(
            "The cost is more Redis memory, roughly 300M cards times 200 bytes, about 60 GB, on a 6-shard cluster."
        ));
    }

    #[test]
    fn quotes_are_whitespace_normalised_and_cut() {
        let whole = |q: &str| {
            let one: String = crate::read::text::quote_words(q)
                .collect::<Vec<_>>()
                .join(" ");
            let short: String = one.chars().take(REASON_QUOTE).collect();
            let more = if short.len() < one.len() { "…" } else { "" };
            format!(" (\"{short}{more}\")")
        };
        let long = "word\t ".repeat(60);
        let exact = "x".repeat(REASON_QUOTE);
        let over = format!("{exact} y");
        for q in [
            "",
            "  ",
            "Kafka  ->\n Flink",
            "é ü — “x”",
            "Demand deduplicated by request_id.** Riders tap twice",
            &long,
            &exact,
            &over,
        ] {
            assert_eq!(quote_one(q), whole(q), "{q:?}");
        }
        assert_eq!(
            quote_one("**Demand deduplicated by request_id.** Riders tap twice"),
            " (\"Demand deduplicated by request_id. Riders tap twice\")",
            "bold markers are not shown"
        );
    }
}
