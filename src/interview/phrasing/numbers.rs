//! Numbers an interviewer may say: only those already in the conversation.
//!
//! A model asked to phrase "Peak is about 200K events/sec" can say "300K
//! events per day" instead (seen on a 270M model): a wrong fact read to the
//! candidate is worse than the template. The interviewer's numbers come from
//! the problem, so a number the reply states must already appear in the
//! template for this turn, something the interviewer said before, or the
//! candidate's own words. Single digits ("step 1") are free.

use std::collections::HashSet;

/// The numbers in `text`, normalised: digits with inner `,` dropped and a
/// trailing `.` removed, so `1,500` and `1500.` are both `1500`.
pub(super) fn numbers(text: &str) -> impl Iterator<Item = String> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() {
            if !bytes[i].is_ascii_digit() {
                i += 1;
                continue;
            }
            // Part of a word such as `p99` or `s3`: those are names, not amounts.
            let in_word = i > 0 && bytes[i - 1].is_ascii_alphabetic();
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_digit()
                    || (matches!(bytes[i], b',' | b'.')
                        && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)))
            {
                i += 1;
            }
            if in_word {
                continue;
            }
            let n: String = text[start..i].chars().filter(|c| *c != ',').collect();
            return Some(n);
        }
        None
    })
}

/// Every number in `texts`, for [`invented`].
pub(super) fn known<'a>(texts: impl IntoIterator<Item = &'a str>) -> HashSet<String> {
    texts.into_iter().flat_map(numbers).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_read_with_separators_and_decimals_but_not_inside_names() {
        let got: Vec<String> =
            numbers("Peak 200K/s, 1,500 TPS, 2.5 TB/day, p99 < 10ms, S3 and 7.").collect();
        assert_eq!(got, ["200", "1500", "2.5", "10", "7"]);
    }

    #[test]
    fn known_collects_every_number_of_every_text() {
        let k = known([
            "Peak is about 200K events/sec, around 1 KB each.",
            "we keep 7 days",
        ]);
        let mut v: Vec<&str> = k.iter().map(String::as_str).collect();
        v.sort_unstable();
        assert_eq!(v, ["1", "200", "7"]);
    }
}
