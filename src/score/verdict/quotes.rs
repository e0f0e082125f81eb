//! Quotes a reason carries: the candidate's words, whitespace made single
//! spaces, cut to a readable length.

use crate::read::Evidence;

/// The longest quote a reason carries, in characters.
const REASON_QUOTE: usize = 100;

pub(super) fn quote(ev: &[Evidence]) -> String {
    ev.first().map(|e| quote_one(&e.quote)).unwrap_or_default()
}

pub(super) fn quote_one(q: &str) -> String {
    // The quote with each run of whitespace made one space, cut at
    // `REASON_QUOTE` chars: built only as far as the cut.
    let mut short = String::new();
    let (mut n, mut cut) = (0, false);
    'words: for (k, w) in q.split_whitespace().enumerate() {
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotes_are_whitespace_normalised_and_cut() {
        let whole = |q: &str| {
            let one: String = q.split_whitespace().collect::<Vec<_>>().join(" ");
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
            &long,
            &exact,
            &over,
        ] {
            assert_eq!(quote_one(q), whole(q), "{q:?}");
        }
    }
}
