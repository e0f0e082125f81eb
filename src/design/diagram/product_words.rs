//! A box name that is a product with words around it that are not the
//! box: what is taken from it said before ("Ratings hourly from
//! Snowflake"), or how it is written said after ("Elasticsearch partial
//! updates").

use crate::read::components::ComponentIndex;

/// Words that say how a box is written, not which box it is.
const WRITE_WORDS: &[&str] = &[
    "partial", "full", "bulk", "batch", "batched", "update", "updates", "upsert", "upserts",
    "insert", "inserts", "write", "writes", "merge", "merges", "load", "loads",
];

/// A box name that is a product and then only how it is written
/// ("Elasticsearch partial updates", "Redis upserts"): the product, and
/// the words after it.
pub(super) fn written_as(
    text: &str,
    name: (usize, usize),
    idx: &ComponentIndex,
) -> Option<((usize, usize), (usize, usize))> {
    let said = &text[name.0..name.1];
    let m = idx.find_all(said).into_iter().find(|m| !m.vague)?;
    if !said[..m.evidence.start].trim().is_empty() {
        return None;
    }
    let rest = &said[m.evidence.end..];
    let words: Vec<&str> = rest.split_whitespace().collect();
    let how = !words.is_empty()
        && words
            .iter()
            .all(|w| WRITE_WORDS.contains(&w.to_ascii_lowercase().as_str()));
    how.then(|| {
        let lead = rest.len() - rest.trim_start().len();
        (
            (name.0 + m.evidence.start, name.0 + m.evidence.end),
            (name.0 + m.evidence.end + lead, name.1),
        )
    })
}

/// The product a first box's words say the flow comes from ("Ratings
/// hourly from Snowflake"), when the name ends with it.
pub(super) fn from_product(
    text: &str,
    name: (usize, usize),
    idx: &ComponentIndex,
) -> Option<(usize, usize)> {
    let said = &text[name.0..name.1];
    let m = idx.find_all(said).into_iter().rev().find(|m| !m.vague)?;
    let before = said[..m.evidence.start].trim_end();
    // "from" after other words: what is taken is said first.
    let from = before
        .rsplit_once(char::is_whitespace)
        .is_some_and(|(head, last)| !head.trim().is_empty() && last.eq_ignore_ascii_case("from"));
    (from && said[m.evidence.end..].trim().is_empty())
        .then(|| (name.0 + m.evidence.start, name.0 + m.evidence.end))
}
