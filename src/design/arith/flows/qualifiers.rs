//! What the words around a figure say it is: an average, a burst, one
//! part of the flow, the raw or the compressed volume.

/// Words that make the figure next to them an average.
const AVERAGE: &[&str] = &["avg", "average", "averages", "mean", "typical", "typically"];

/// True when the words around a figure in its own clause ("~60/s avg",
/// "an average of 60/s", "60/s on average") say it is an average.
pub(super) fn said_as_average(before: &str, after: &str) -> bool {
    let stop = |c: char| matches!(c, ',' | ';' | '(' | ')' | '.');
    let before = tail(before, 24);
    let before = own_before(before.rsplit(stop).next().unwrap_or(""));
    let after = after.get(..after.len().min(24)).unwrap_or(after);
    let after = own_after(after.split(stop).next().unwrap_or(""));
    before
        .split_whitespace()
        .chain(after.split_whitespace())
        .any(|w| {
            let w = w.trim_matches(|c: char| !c.is_ascii_alphanumeric());
            AVERAGE.iter().any(|a| w.eq_ignore_ascii_case(a))
        })
}

/// Words joining two figures in one clause ("5K/s average and 30K/s
/// peak"): what is said on one side is about the figure on that side.
const JOINS: &[&str] = &[" and ", " but ", " while ", " whereas ", " vs ", " versus "];

/// The words before a figure that are its own: after the last join word
/// or number ("5K rows/s average and " leaves nothing for the 30K/s).
fn own_before(before: &str) -> &str {
    let lower = before.to_ascii_lowercase();
    let cut = JOINS
        .iter()
        .filter_map(|j| lower.rfind(j).map(|i| i + j.len()))
        .chain(lower.rfind(|c: char| c.is_ascii_digit()).map(|i| i + 1))
        .max()
        .unwrap_or(0);
    before.get(cut..).unwrap_or("")
}

/// The words after a figure that are its own: up to the first join word
/// or number.
fn own_after(after: &str) -> &str {
    let lower = after.to_ascii_lowercase();
    let cut = JOINS
        .iter()
        .filter_map(|j| lower.find(j))
        .chain(lower.find(|c: char| c.is_ascii_digit()))
        .min()
        .unwrap_or(after.len());
    after.get(..cut).unwrap_or(after)
}

/// Words that make the figure next to them a burst, not the steady flow.
const BURST: &[&str] = &[
    "burst",
    "bursts",
    "spike",
    "spikes",
    "surge",
    "surges",
    "catch up",
    "catches up",
    "catching up",
    "catch-up",
    "reconnect",
    "reconnects",
    "backlog",
    "worst case",
    "max",
    "maximum",
];

/// True when the figure's own clause says it is a burst: "a few
/// thousand/s when stores catch up", "bursts of 50K/s".
pub(super) fn said_as_burst(before: &str, after: &str) -> bool {
    let stop = |c: char| matches!(c, ',' | ';' | '(' | ')' | '.' | '\n');
    let before = tail(before, 24).rsplit(stop).next().unwrap_or("");
    let after = head(after, 32).split(stop).next().unwrap_or("");
    let clause = format!(" {} {} ", before, after).to_ascii_lowercase();
    holds_any(&clause, BURST)
}

/// Does `clause` (lower case) hold one of `words`, with no letter or digit
/// glued to either end?
fn holds_any(clause: &str, words: &[&str]) -> bool {
    words.iter().any(|w| {
        clause.match_indices(w).any(|(i, _)| {
            let edge = |c: Option<char>| c.is_none_or(|c| !c.is_ascii_alphanumeric());
            edge(clause[..i].chars().next_back()) && edge(clause[i + w.len()..].chars().next())
        })
    })
}

/// True when the words after a figure, in its clause, put it on one part
/// of the flow: "a few events a second into one of 48 partitions", "20/s
/// on one partition", "5 MB/s for a single tenant".
pub(super) fn said_of_one(after: &str) -> bool {
    let stop = |c: char| matches!(c, ',' | ';' | '(' | ')' | '.' | '\n');
    let clause =
        format!(" {} ", head(after, 32).split(stop).next().unwrap_or("")).to_ascii_lowercase();
    [
        " into one ",
        " on one ",
        " to one ",
        " for one ",
        " of one ",
        " a single ",
        " one partition",
        " each ",
    ]
    .iter()
    .any(|w| clause.contains(w))
}

/// Words that make a volume the one before compression.
const RAW: &[&str] = &[
    "raw",
    "uncompressed",
    "before compression",
    "decompress",
    "decompresses",
    "decompressed",
];

/// Words that make a volume the one after compression.
const COMPRESSED: &[&str] = &[
    "compressed",
    "parquet",
    "orc",
    "zstd",
    "snappy",
    "gzip",
    "after compression",
    "on disk",
    "on the wire",
    "files",
];

/// Words that only lead a figure on from the clause before it: "compressed
/// with zstd, so maybe 1 GB/s" is the compressed figure.
const LEADS_ON: &[&str] = &[
    "so", "maybe", "about", "roughly", "around", "which", "is", "that's", "thats", "i.e", "ie",
    "or", "call", "it", "say", "~", "and", "then",
];

/// Which of "raw" (`Some(true)`) and "compressed" (`Some(false)`) the
/// words around a figure in its own clause say it is: "~86 GB/day raw",
/// "15 GB/day as Parquet", "hourly files are ~600 MB".
pub(super) fn said_compression(before: &str, after: &str) -> Option<bool> {
    let stop = |c: char| matches!(c, ',' | ';' | '(' | ')' | '.' | '\n');
    let mut clauses = tail(before, 64).rsplit(stop);
    let own = clauses.next().unwrap_or("");
    let leads_on = own
        .split_whitespace()
        .all(|w| LEADS_ON.contains(&w.to_ascii_lowercase().trim_end_matches('.')));
    let earlier = if leads_on {
        clauses.next().unwrap_or("")
    } else {
        ""
    };
    let before = own_before(tail(own, 32));
    let after = own_after(head(after, 32).split(stop).next().unwrap_or(""));
    let clause = format!(" {earlier} {} {} ", before, after).to_ascii_lowercase();
    if holds_any(&clause, RAW) {
        Some(true)
    } else if holds_any(&clause, COMPRESSED) {
        Some(false)
    } else {
        None
    }
}

/// The first `n` bytes of `s` or a little less, on a character boundary.
pub(super) fn head(s: &str, n: usize) -> &str {
    let mut i = n.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[..i]
}

/// The last `n` bytes of `s` or a little more, on a character boundary.
pub(super) fn tail(s: &str, n: usize) -> &str {
    let mut i = s.len().saturating_sub(n);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    &s[i..]
}
