//! Small byte-level helpers shared by the scorer's text passes.

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// True when `text[start..end]` is not glued to letters on either side.
pub(crate) fn word_bounded(text: &[u8], start: usize, end: usize) -> bool {
    let first = text.get(start).copied().unwrap_or(b' ');
    let last = if end > 0 {
        text.get(end - 1).copied().unwrap_or(b' ')
    } else {
        b' '
    };
    let before_ok = start == 0 || !is_word_byte(first) || !is_word_byte(text[start - 1]);
    let after_ok = end >= text.len() || !is_word_byte(last) || !is_word_byte(text[end]);
    before_ok && after_ok
}

/// The runs of ASCII letters and digits in `s`, in order: the words a
/// cue list is compared with (`s` is usually lower-cased already).
pub(crate) fn ascii_words(s: &str) -> Vec<&str> {
    s.split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect()
}

/// True when `hay` holds `word` as whole words, in any ASCII case ("Iceberg
/// on S3" holds "s3"; "S3x" does not).
pub(crate) fn holds_words(hay: &str, word: &str) -> bool {
    let (h, w) = (hay.as_bytes(), word.as_bytes());
    !w.is_empty()
        && h.len() >= w.len()
        && (0..=h.len() - w.len()).any(|at| {
            h[at..at + w.len()].eq_ignore_ascii_case(w) && word_bounded(h, at, at + w.len())
        })
}

/// The clause of `s` around byte `at` (which starts a word), as a byte
/// span: from after the comma, semicolon or colon before it to the comma
/// or semicolon after it (one inside parentheses does not end it:
/// "dedupes on (refund_id, lsn)"), without a leading joining word ("and
/// MERGEs them into …"), surrounding blanks or a closing full stop.
pub(crate) fn clause_around(s: &str, at: usize) -> (usize, usize) {
    let start = s[..at].rfind([',', ';', ':']).map_or(0, |i| i + 1);
    let mut depth = 0i32;
    let mut end = s.len();
    for (i, ch) in s[at..].char_indices() {
        match ch {
            '(' => depth += 1,
            ')' => depth -= 1,
            ',' | ';' if depth <= 0 => {
                end = at + i;
                break;
            }
            _ => {}
        }
    }
    let mut raw = &s[start..end];
    for joiner in ["and ", "but ", "so ", "then "] {
        let t = raw.trim_start();
        if t.len() > joiner.len()
            && t.get(..joiner.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(joiner))
        {
            raw = &raw[raw.len() - t.len() + joiner.len()..];
            break;
        }
    }
    let from = end - raw.len() + (raw.len() - raw.trim_start().len());
    let q = raw.trim().trim_end_matches('.');
    (from, from + q.len())
}

/// The words of a quote as a reader sees them: split at whitespace, with
/// Markdown bold markers dropped ("**Flink dies.** It restarts" reads
/// "Flink dies. It restarts"); a quote keeps the candidate's exact bytes,
/// this is only how it is shown on one line.
pub(crate) fn quote_words(q: &str) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
    // A leading bullet or arrow ("→ topics where …", "- we dedupe …") is
    // the write-up's markup, not the candidate's words.
    let bullet = |w: &&str| {
        w.chars()
            .all(|c| matches!(c, '→' | '-' | '*' | '•' | '>' | '=' | '–' | '—' | '·' | '+'))
    };
    q.split_whitespace().skip_while(bullet).filter_map(|w| {
        if w.contains("**") {
            let plain = w.replace("**", "");
            (!plain.is_empty()).then_some(std::borrow::Cow::Owned(plain))
        } else {
            Some(std::borrow::Cow::Borrowed(w))
        }
    })
}

/// Byte offset at or before `i` that is a char boundary.
pub(crate) fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte offset at or after `i` that is a char boundary.
pub(crate) fn ceil_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
}

/// Side-by-side columns (a diagram's two boxes or names on one row, three
/// or more spaces apart): the part of `a..b` in the column holding the hit
/// `start..end`, so a quote does not run "Flink (dedupe on event_id," on
/// into "S3 raw zone (Parquet," beside it.
pub(crate) fn column_around(
    text: &str,
    (a, b): (usize, usize),
    (start, end): (usize, usize),
) -> (usize, usize) {
    let bytes = text.as_bytes();
    // A gap is three or more spaces between two non-space bytes of one line.
    let gaps = |lo: usize, hi: usize| {
        let mut out = Vec::new();
        let mut i = lo;
        while i < hi {
            if bytes[i] == b' ' {
                let j = (i..hi).find(|&j| bytes[j] != b' ').unwrap_or(hi);
                let inside =
                    i > 0 && !bytes[i - 1].is_ascii_whitespace() && j < hi && bytes[j] != b'\n';
                // Not a column: a note or an arrow goes on with the item
                // ("Kafka clicks.v1   [Avro, key=user_id]", "app  --> Kafka").
                let goes_on = inside
                    && (b"([{-=<>:".contains(&bytes[j])
                        || b"-=>".contains(&bytes[i - 1])
                        || text[j..].starts_with(['─', '═', '→', '►', '▶', '⟶']));
                if j - i >= 3 && inside && !goes_on {
                    out.push((i, j));
                }
                i = j;
            } else {
                i += 1;
            }
        }
        out
    };
    if memchr::memmem::find(&bytes[a..b], b"   ").is_none() {
        return (a, b);
    }
    let start = start.clamp(a, b);
    let end = end.clamp(start, b);
    let from = gaps(a, start).last().map_or(a, |g| g.1);
    let to = gaps(end, b).first().map_or(b, |g| g.0);
    (from, to)
}

/// The whitespace-separated words of `text[s..e]`, as byte spans of `text`.
pub(crate) fn word_spans(text: &str, (s, e): (usize, usize)) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start: Option<usize> = None;
    for (i, c) in text[s..e].char_indices() {
        if c.is_whitespace() {
            if let Some(st) = start.take() {
                out.push((s + st, s + i));
            }
        } else if start.is_none() {
            start = Some(i);
        }
    }
    if let Some(st) = start {
        out.push((s + st, e));
    }
    out
}

/// "a, b and c".
pub(crate) fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_bounded_rejects_matches_glued_to_letters() {
        assert!(!word_bounded(b"xkafka", 1, 6));
        assert!(word_bounded(b"(kafka)", 1, 6));
        assert!(word_bounded(b"kafka", 0, 5));
        assert!(!word_bounded(b"kafka_topic", 0, 5));
        // A match that starts or ends with a non-word byte is bounded there.
        assert!(word_bounded(b"x.kafka", 1, 7));
    }

    #[test]
    fn whole_words_are_found_in_any_case() {
        assert!(holds_words("Iceberg on S3", "s3"));
        assert!(holds_words("Kafka (MSK)", "kafka"));
        assert!(holds_words(
            "upserts into ClickHouse with ReplacingMergeTree",
            "ClickHouse"
        ));
        assert!(!holds_words("S3x bucket", "S3"));
        assert!(!holds_words("kafka_topic", "kafka"));
        assert!(!holds_words("anything", ""));
    }

    #[test]
    fn a_quote_stays_in_the_column_of_its_hit() {
        let t = "Flink (dedupe on event_id,        S3 raw zone (Parquet,";
        let hit = t.find("dedupe").unwrap_or(0);
        let (a, b) = column_around(t, (0, t.len()), (hit, hit + 6));
        assert_eq!(&t[a..b], "Flink (dedupe on event_id,");
        let hit = t.find("Parquet").unwrap_or(0);
        let (a, b) = column_around(t, (0, t.len()), (hit, hit + 7));
        assert_eq!(&t[a..b], "S3 raw zone (Parquet,");
        // A note or an arrow after a wide gap goes on with its item.
        let n = "Kafka  clicks.v1   [Avro, key=user_id]   -->   Flink";
        let hit = n.find("Avro").unwrap_or(0);
        assert_eq!(column_around(n, (0, n.len()), (hit, hit + 4)), (0, n.len()));
        // Prose, and the indent of a line, are not columns.
        let p = "We dedupe on event_id.\n   Then we upsert.";
        assert_eq!(column_around(p, (0, p.len()), (3, 9)), (0, p.len()));
    }

    #[test]
    fn char_boundaries_round_outwards_inside_multibyte_chars() {
        let t = "a→b";
        assert_eq!(floor_char(t, 2), 1);
        assert_eq!(ceil_char(t, 2), 4);
        assert_eq!(ceil_char(t, 99), t.len());
    }
}
