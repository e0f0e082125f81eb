//! The figures of one sentence as arithmetic needs them. The reader's
//! [`Number`](crate::design::Number)s say what a figure measures; checking a
//! candidate's sums also needs what they leave out: bare counts ("720K
//! ids"), spoken durations ("an hour"), rough amounts ("a few hundred MB"),
//! "1 byte per sample", and whether a figure is per item ("1 KB each").
//!
//! Items are dimensionless here: "2M events/s × 1 KB" is bytes a second
//! whatever an event is, which is how an interviewer does it on the board.

/// Exponents of bytes and seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Dim {
    pub bytes: i8,
    pub secs: i8,
}

impl Dim {
    pub const COUNT: Dim = Dim { bytes: 0, secs: 0 };
    pub const RATE: Dim = Dim { bytes: 0, secs: -1 };
    pub const BYTES: Dim = Dim { bytes: 1, secs: 0 };
    pub const BYTE_RATE: Dim = Dim { bytes: 1, secs: -1 };
    pub const SECS: Dim = Dim { bytes: 0, secs: 1 };

    /// This dimension times `other` raised to `exp` (±1).
    pub fn times(self, other: Dim, exp: i8) -> Dim {
        Dim {
            bytes: self.bytes + exp * other.bytes,
            secs: self.secs + exp * other.secs,
        }
    }
}

/// One figure: a range in base units (bytes, seconds, items a second), so
/// "a few hundred MB" is 200–900 MB and an exact figure has `lo == hi`.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Term {
    pub lo: f64,
    pub hi: f64,
    pub dim: Dim,
    /// Byte span in the scanned text.
    pub start: usize,
    pub end: usize,
    /// For a rate: the period it was said over ("a day": 86,400 s).
    pub period: Option<f64>,
    /// What is counted, singular: "event", "sample", "partition".
    pub noun: Option<String>,
    /// A per-item figure ("1 KB each", "1 byte per sample", "50 MB/s per
    /// partition"): the item, or "" for a bare "each".
    pub each: Option<String>,
    /// A schedule ("every 15 s"), not a flow.
    pub every: bool,
    /// A share said in percent ("90%"): a fraction, not a count of things.
    pub percent: bool,
}

impl Term {
    /// One value for display and comparisons: the geometric middle.
    pub fn mid(&self) -> f64 {
        (self.lo * self.hi).sqrt()
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok<'a> {
    Num(f64),
    Word(&'a str),
    Punct(char),
}

#[derive(Debug, Clone)]
struct Token<'a> {
    tok: Tok<'a>,
    start: usize,
    end: usize,
}

/// Tokens of `lower` (already lower case), borrowing its words.
fn tokens(lower: &str) -> Vec<Token<'_>> {
    let b = lower.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let c = b[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() {
            let s = i;
            while i < b.len() && b[i].is_ascii_digit() {
                i += 1;
            }
            // Thousands separators: "4,000", "1,200,000".
            while i + 3 < b.len() + 1
                && b.get(i) == Some(&b',')
                && b.get(i + 1..i + 4)
                    .is_some_and(|g| g.iter().all(u8::is_ascii_digit))
                && !b.get(i + 4).is_some_and(u8::is_ascii_digit)
            {
                i += 4;
            }
            if b.get(i) == Some(&b'.') && b.get(i + 1).is_some_and(u8::is_ascii_digit) {
                i += 1;
                while i < b.len() && b[i].is_ascii_digit() {
                    i += 1;
                }
            }
            let v: f64 = lower[s..i].replace(',', "").parse().unwrap_or(f64::NAN);
            out.push(Token {
                tok: Tok::Num(v),
                start: s,
                end: i,
            });
        } else if c.is_ascii_alphabetic() || c == b'_' {
            let s = i;
            while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_' || b[i] == b'\'') {
                i += 1;
            }
            // "i.e." stays one word.
            if &lower[s..i] == "i" && lower[i..].starts_with(".e.") {
                i += 3;
            }
            // So does a hyphenated noun: "6,000 node-hours" counts
            // node-hours, not nodes.
            while b.get(i) == Some(&b'-') && b.get(i + 1).is_some_and(u8::is_ascii_alphabetic) {
                i += 1;
                while i < b.len() && (b[i].is_ascii_alphanumeric() || b[i] == b'_') {
                    i += 1;
                }
            }
            out.push(Token {
                tok: Tok::Word(lower[s..i].trim_end_matches('\'')),
                start: s,
                end: i,
            });
        } else {
            let ch = lower[i..].chars().next().unwrap_or(' ');
            let n = ch.len_utf8();
            out.push(Token {
                tok: Tok::Punct(ch),
                start: i,
                end: i + n,
            });
            i += n;
        }
    }
    out
}

/// Seconds in a time word.
pub(super) fn time_word(w: &str) -> Option<f64> {
    Some(match w {
        "ms" | "millisecond" | "milliseconds" => 1e-3,
        "s" | "sec" | "secs" | "second" | "seconds" => 1.0,
        "min" | "mins" | "minute" | "minutes" => 60.0,
        "h" | "hr" | "hrs" | "hour" | "hours" => 3600.0,
        "d" | "day" | "days" => 86_400.0,
        "wk" | "wks" | "week" | "weeks" => 604_800.0,
        "mo" | "month" | "months" => 2_592_000.0,
        "yr" | "yrs" | "year" | "years" => 31_536_000.0,
        _ => return None,
    })
}

fn adverb_period(w: &str) -> Option<f64> {
    Some(match w {
        "hourly" => 3600.0,
        "daily" | "nightly" => 86_400.0,
        "weekly" => 604_800.0,
        "monthly" => 2_592_000.0,
        _ => return None,
    })
}

fn size_word(w: &str) -> Option<f64> {
    Some(match w {
        "byte" | "bytes" => 1.0,
        "kb" | "kilobyte" | "kilobytes" => 1e3,
        "kib" => 1024.0,
        "mb" | "megabyte" | "megabytes" => 1e6,
        "mib" => 1_048_576.0,
        "gb" | "gigabyte" | "gigabytes" => 1e9,
        "gib" => 1_073_741_824.0,
        "tb" | "terabyte" | "terabytes" => 1e12,
        "tib" => 1_099_511_627_776.0,
        "pb" | "petabyte" | "petabytes" => 1e15,
        "pib" => 1_125_899_906_842_624.0,
        _ => return None,
    })
}

fn multiplier(w: &str) -> Option<f64> {
    Some(match w {
        "k" | "thousand" => 1e3,
        "m" | "million" | "mn" => 1e6,
        "b" | "bn" | "billion" => 1e9,
        "trillion" => 1e12,
        "hundred" => 1e2,
        _ => return None,
    })
}

fn small_number(w: &str) -> Option<f64> {
    let n = [
        "zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve",
    ]
    .iter()
    .position(|x| *x == w)?;
    Some(n as f64)
}

/// Words that end a noun phrase after a figure.
const STOP: &[&str] = &[
    "is", "are", "was", "be", "at", "of", "in", "into", "on", "to", "for", "with", "so", "and",
    "or", "but", "the", "a", "an", "each", "per", "which", "that", "it", "its", "we", "over",
    "across", "by", "from", "as", "than", "only", "about", "roughly", "around", "would", "will",
    "can", "could", "should", "this", "then", "when", "if", "every", "instead", "total", "plus",
    "times", "x", "gives", "means", "not", "no", "i", "you", "they", "up", "down", "more", "less",
    "fewer", "under", "below", "above", "after", "before", "behind", "within", "peak", "average",
];

/// Every figure in `text`, in order, with spans relative to `text`.
pub(super) fn terms(text: &str) -> Vec<Term> {
    let lower = text.to_ascii_lowercase();
    let t = tokens(&lower);
    let word = |i: usize| match t.get(i).map(|x| &x.tok) {
        Some(Tok::Word(w)) => Some(*w),
        _ => None,
    };
    let punct = |i: usize| match t.get(i).map(|x| &x.tok) {
        Some(Tok::Punct(c)) => Some(*c),
        _ => None,
    };
    // Two tokens with nothing between them ("200k", "24h", "5gb").
    let glued = |i: usize| i > 0 && t.get(i).is_some_and(|x| x.start == t[i - 1].end);
    let mut out: Vec<Term> = Vec::new();
    let mut i = 0;
    while i < t.len() {
        let start = t[i].start;
        let before = if i > 0 { word(i - 1) } else { None };
        // The number itself: digits, a number word or a rough amount.
        let (mut lo, mut hi, mut j) = match &t[i].tok {
            Tok::Num(v) if v.is_finite() => {
                let prev_glued =
                    i > 0 && glued(i) && matches!(t[i - 1].tok, Tok::Word(_) | Tok::Num(_))
                        || (i > 0 && glued(i) && punct(i - 1) == Some('.'));
                let time_of_day = punct(i + 1) == Some(':') && glued(i + 1);
                let money = i > 0 && matches!(punct(i - 1), Some('$' | '€' | '£'));
                if money {
                    // "$200 a month", "$1.2M a year": not the pipeline's.
                    let mut k = i + 1;
                    while word(k).and_then(multiplier).is_some() {
                        k += 1;
                    }
                    if matches!(word(k), Some("a" | "an" | "per")) || punct(k) == Some('/') {
                        k += 2;
                    }
                    i = k;
                    continue;
                }
                if prev_glued || time_of_day {
                    i += 1;
                    continue;
                }
                (*v, *v, i + 1)
            }
            Tok::Word(w) => match *w {
                "a" | "an" => match (word(i + 1), word(i + 2)) {
                    (Some("few"), _) => (2.0, 9.0, i + 2),
                    (Some("couple"), Some("of")) => (2.0, 2.0, i + 3),
                    (Some("couple"), _) => (2.0, 2.0, i + 2),
                    (Some("dozen"), _) => (12.0, 12.0, i + 2),
                    (Some(m @ ("hundred" | "thousand" | "million" | "billion")), _) => {
                        let v = multiplier(m).unwrap_or(1.0);
                        (v, v, i + 2)
                    }
                    (Some(u), _) if time_word(u).is_some() && !u.ends_with('s') => {
                        // "an hour", "a day": one of it, unless it is the
                        // period of a figure just read ("4M a day") or an
                        // ordinal ("a second Flink job").
                        let spoken = !matches!(u, "s" | "h" | "d" | "m" | "ms")
                            && (u != "second"
                                || matches!(
                                    before,
                                    Some("per" | "every" | "each" | "once" | "within" | "in")
                                ));
                        if !spoken {
                            i += 1;
                            continue;
                        }
                        (1.0, 1.0, i + 1)
                    }
                    _ => {
                        i += 1;
                        continue;
                    }
                },
                "several" => (3.0, 9.0, i + 1),
                "dozens" | "tens" | "hundreds" | "thousands" | "millions" | "billions"
                    if word(i + 1) == Some("of") =>
                {
                    let base = match *w {
                        "dozens" => 24.0,
                        "tens" => 10.0,
                        "hundreds" => 100.0,
                        "thousands" => 1e3,
                        "millions" => 1e6,
                        _ => 1e9,
                    };
                    // "tens of thousands of".
                    match word(i + 2).and_then(|m| {
                        multiplier(
                            &m.replace("thousands", "thousand")
                                .replace("millions", "million"),
                        )
                    }) {
                        Some(m) if word(i + 3) == Some("of") => (base * m, base * m * 9.99, i + 4),
                        _ => (base, base * 9.99, i + 2),
                    }
                }
                w => match small_number(w) {
                    Some(v) => (v, v, i + 1),
                    None => {
                        i += 1;
                        continue;
                    }
                },
            },
            _ => {
                i += 1;
                continue;
            }
        };
        // A multiplier word: "200k", "1.5 million", "a few hundred".
        while let Some(m) = word(j).and_then(multiplier) {
            // "5 m events" is millions but "2 min" is not.
            lo *= m;
            hi *= m;
            j += 1;
        }
        // "0.4 cents per GB a month", "60 dollars a month": money said in
        // words is not the pipeline's either.
        if word(j).is_some_and(|w| {
            matches!(
                w,
                "cent" | "cents" | "dollar" | "dollars" | "usd" | "euro" | "euros" | "bucks"
            )
        }) {
            let mut k = j + 1;
            while matches!(word(k), Some("a" | "an" | "per")) || punct(k) == Some('/') {
                k += 2;
            }
            i = k;
            continue;
        }
        let mut term = Term {
            lo,
            hi,
            dim: Dim::COUNT,
            start,
            end: t[j - 1].end,
            period: None,
            noun: None,
            each: None,
            every: false,
            percent: false,
        };
        let hyphen = punct(j) == Some('-');
        let u = if hyphen { j + 1 } else { j };
        // A period after a figure: "/s", "per day", "a second", "daily".
        let period_at = |k: usize| -> Option<(f64, usize)> {
            match (punct(k), word(k)) {
                (Some('/'), _) => word(k + 1).and_then(time_word).map(|p| (p, k + 2)),
                (_, Some("per" | "a" | "an" | "each" | "every")) => word(k + 1)
                    .filter(|w| !w.ends_with('s') || *w == "s")
                    .and_then(time_word)
                    .map(|p| (p, k + 2)),
                (_, Some(w)) => adverb_period(w).map(|p| (p, k + 1)),
                _ => None,
            }
        };
        // A per-item marker after a figure: "each", "per sample", "/event".
        let each_at = |k: usize| -> Option<(String, usize)> {
            match (punct(k), word(k)) {
                (_, Some("each")) => Some((String::new(), k + 1)),
                (Some('/'), _) | (_, Some("per" | "a" | "an")) => {
                    let w = word(k + 1)?;
                    if time_word(w).is_some() || STOP.contains(&w) {
                        return None;
                    }
                    Some((singular(w), k + 2))
                }
                _ => None,
            }
        };
        match (punct(u), word(u)) {
            (Some('%'), _) | (_, Some("percent")) => {
                term.lo /= 100.0;
                term.hi /= 100.0;
                term.percent = true;
                term.end = t[u].end;
                j = u + 1;
            }
            (_, Some("x" | "times"))
                if !matches!(t.get(u + 1).map(|x| &x.tok), Some(Tok::Num(_))) =>
            {
                term.end = t[u].end;
                j = u + 1;
            }
            (Some('×'), _) => {}
            (_, Some(w)) if size_word(w).is_some() => {
                let s = size_word(w).unwrap_or(1.0);
                term.lo *= s;
                term.hi *= s;
                term.dim = Dim::BYTES;
                j = u + 1;
                term.end = t[u].end;
                // "5 GB of Parquet a day", "1 KB of index each".
                let mut k = j;
                for _ in 0..3 {
                    if let Some((p, e)) = period_at(k) {
                        term.lo /= p;
                        term.hi /= p;
                        term.dim = Dim::BYTE_RATE;
                        term.period = Some(p);
                        term.end = t[e - 1].end;
                        j = e;
                        k = e;
                        break;
                    }
                    if each_at(k).is_some() {
                        break;
                    }
                    match word(k) {
                        Some(w) if !STOP.contains(&w) || w == "of" => k += 1,
                        _ => break,
                    }
                }
                if let Some((n, e)) = each_at(k) {
                    term.each = Some(n);
                    term.end = t[e - 1].end;
                    j = e;
                }
            }
            (_, Some(w)) if time_word(w).is_some() => {
                let s = time_word(w).unwrap_or(1.0);
                let every = matches!(before, Some("every" | "each" | "once"));
                term.end = t[u].end;
                j = u + 1;
                if every {
                    // "every 15 s": a frequency.
                    term.dim = Dim::RATE;
                    term.every = true;
                    term.period = Some(s * term.lo);
                    let (a, b) = (term.lo, term.hi);
                    term.lo = 1.0 / (b * s);
                    term.hi = 1.0 / (a * s);
                } else {
                    term.lo *= s;
                    term.hi *= s;
                    term.dim = Dim::SECS;
                }
            }
            (_, Some(w @ ("qps" | "rps" | "tps" | "eps" | "ops"))) => {
                term.dim = Dim::RATE;
                term.period = Some(1.0);
                term.noun = Some(w.to_string());
                term.end = t[u].end;
                j = u + 1;
            }
            _ => {
                // A noun phrase of up to three words, then maybe a period:
                // "2K session writes/s", "4M updates a day", "4,000 a second".
                let mut k = j;
                let mut noun: Option<String> = None;
                let mut rate = None;
                for _ in 0..4 {
                    if let Some((p, e)) = period_at(k) {
                        rate = Some((p, e));
                        break;
                    }
                    match word(k) {
                        Some(w)
                            if !STOP.contains(&w)
                                && size_word(w).is_none()
                                && time_word(w).is_none() =>
                        {
                            // The counted thing is the last word before a
                            // period ("session writes").
                            noun = Some(singular(w));
                            k += 1;
                        }
                        _ => break,
                    }
                }
                match rate {
                    Some((p, e)) => {
                        term.lo /= p;
                        term.hi /= p;
                        term.dim = Dim::RATE;
                        term.period = Some(p);
                        term.noun = noun;
                        term.end = t[e - 1].end;
                        j = e;
                    }
                    None => {
                        // A bare count: the noun is the word right after it,
                        // or the next one after a modifier ("30M new series").
                        let noun_word = |k: usize| {
                            word(k).filter(|w| {
                                !STOP.contains(w)
                                    && size_word(w).is_none()
                                    && time_word(w).is_none()
                            })
                        };
                        if let Some(w) = noun_word(j) {
                            let k = match noun_word(j + 1) {
                                Some(w2) if !w.ends_with('s') && w2.ends_with('s') => j + 1,
                                _ => j,
                            };
                            term.noun = Some(singular(word(k).unwrap_or(w)));
                            term.end = t[k].end;
                            j = k + 1;
                        }
                    }
                }
                if let Some((n, e)) = each_at(j) {
                    term.each = Some(n);
                    term.end = t[e - 1].end;
                    j = e;
                }
            }
        }
        if term.lo.is_finite() && term.hi.is_finite() && term.hi > 0.0 {
            out.push(term);
        }
        i = j.max(i + 1);
    }
    out
}

/// "events" → "event", "queries" → "query"; enough to match nouns.
pub(super) fn singular(w: &str) -> String {
    if w == "series" || w.ends_with("ss") || w.ends_with("us") || w.len() < 3 {
        w.to_string()
    } else if let Some(s) = w.strip_suffix("ies") {
        format!("{s}y")
    } else {
        w.strip_suffix('s').unwrap_or(w).to_string()
    }
}

/// The plural of a noun [`singular`] made: "series" stays, "query" is
/// "queries", "class" is "classes".
pub(super) fn plural(w: &str) -> String {
    if w == "series" {
        w.to_string()
    } else if w.ends_with("ss") || w.ends_with("us") || w.ends_with('x') || w.ends_with("sh") {
        format!("{w}es")
    } else if let Some(s) = w
        .strip_suffix('y')
        .filter(|s| !s.ends_with(['a', 'e', 'i', 'o', 'u']))
    {
        format!("{s}ies")
    } else {
        format!("{w}s")
    }
}

#[cfg(test)]
mod tests;
