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

/// True when `hay` holds `word` as whole words, in any ASCII case ("Iceberg
/// on S3" holds "s3"; "S3x" does not).
pub(crate) fn holds_words(hay: &str, word: &str) -> bool {
    let (h, w) = (hay.to_ascii_lowercase(), word.to_ascii_lowercase());
    !w.is_empty()
        && h.match_indices(&w)
            .any(|(at, _)| word_bounded(h.as_bytes(), at, at + w.len()))
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
    fn char_boundaries_round_outwards_inside_multibyte_chars() {
        let t = "a→b";
        assert_eq!(floor_char(t, 2), 1);
        assert_eq!(ceil_char(t, 2), 4);
        assert_eq!(ceil_char(t, 99), t.len());
    }
}
