//! Where a line of arrows is cut into chains: semicolons and the stops that
//! end a sentence, outside brackets and parentheses.

/// The bytes of `t` outside brackets and parentheses, with their offsets.
fn top_level(t: &[u8]) -> impl Iterator<Item = (usize, u8)> + '_ {
    let mut depth = 0i32;
    t.iter().enumerate().filter_map(move |(i, &b)| {
        match b {
            b'(' | b'[' | b'{' => depth += 1,
            b')' | b']' | b'}' => depth = (depth - 1).max(0),
            _ if depth == 0 => return Some((i, b)),
            _ => {}
        }
        None
    })
}

/// The byte offsets of the `;`s in `t` outside brackets and parentheses
/// ("Kafka (orders; 200K/s)" holds none).
pub(super) fn top_level_semicolons(t: &[u8]) -> impl Iterator<Item = usize> + '_ {
    top_level(t).filter_map(|(i, b)| (b == b';').then_some(i))
}

/// Where a sentence ends outside any bracket: a '.', '!' or '?' followed by
/// a space ("… -> Redshift (facts, every minute). Kinesis -> Firehose …"),
/// not a decimal point ("5.5 TB") nor the stop of an abbreviation
/// ("e.g. Kafka", "approx. 2 TB").
pub(super) fn top_level_stops(t: &[u8]) -> impl Iterator<Item = usize> + '_ {
    top_level(t).filter_map(move |(i, b)| {
        let spaced = t.get(i + 1).is_some_and(u8::is_ascii_whitespace);
        (matches!(b, b'.' | b'!' | b'?') && spaced && !abbreviation(&t[..i])).then_some(i)
    })
}

/// The word before a stop is an abbreviation that takes one.
fn abbreviation(before: &[u8]) -> bool {
    let word_start = before
        .iter()
        .rposition(|b| b.is_ascii_whitespace() || *b == b'(')
        .map_or(0, |k| k + 1);
    let word = before[word_start..].to_ascii_lowercase();
    word.is_empty()
        || word.contains(&b'.')
        || [
            &b"etc"[..],
            b"vs",
            b"approx",
            b"incl",
            b"cf",
            b"esp",
            b"resp",
            b"ca",
        ]
        .contains(&&word[..])
}
