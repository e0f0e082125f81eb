//! The "specific numbers" detector: rates, sizes, latencies, durations,
//! money, counts and percentages, with the exact span each was found at.

use std::sync::OnceLock;

use regex_automata::{meta, util::syntax, Anchored, Input, MatchKind};
use serde::{Deserialize, Serialize};

pub use crate::rubric::QuantityKind;

use super::lazy::{AnchoredDfa, Session};
use super::Evidence;

/// One specific number the candidate stated.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quantity {
    pub kind: QuantityKind,
    pub evidence: Evidence,
}

const NUM: &str = r"(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?";
const MULT: &str = r"(?:\s?(?:k|m|b|bn|thousand|million|billion|trillion)\b)?";
const RATE_NOUN: &str = r"(?:[a-z_]+[\s-])?(?:events?|evts?|evs?|msgs?|messages?|records?|rows?|requests?|reqs?|writes?|reads?|quer(?:y|ies)|transactions?|txns?|clicks?|impressions?|rides?|trips?|payments?|updates?|orders?|changes?|logs?|log lines?|lines?|points?|readings?|samples?|pings?|inserts?|calls?|ops|operations|sessions?|users?|devices?|spans?|metrics?|bids?|views?|purchases?|files?)";
const PER: &str = r"(?:/\s*|\bper[\s-]+|\ba\s+|\san\s+)(?:s|sec|secs|second|min|mins|minute|h|hr|hour|d|day|week|month)\b";
const SIZE_UNIT: &str = r"(?:kb|mb|gb|tb|pb|kib|mib|gib|tib|pib|bytes|kilobytes|megabytes|gigabytes|terabytes|petabytes)\b";
const TIME_UNIT: &str =
    r"(?:s|secs?|seconds?|mins?|minutes?|h|hrs?|hours?|d|days?|wks?|weeks?|months?|years?|yrs?)\b";
const LAT_UNIT: &str =
    r"(?:ms|milliseconds?|µs|us|microseconds?|s|secs?|seconds?|mins?|minutes?)\b";
const COUNT_NOUN: &str = r"(?:partitions?|shards?|nodes?|brokers?|replicas?|workers?|executors?|tasks?|task slots?|slots?|users?|customers?|tables?|columns?|files?|topics?|regions?|servers?|machines?|instances?|cores?|vcpus?|cpus?|gpus?|buckets?|keys?|devices?|sensors?|drivers?|riders?|merchants?|advertisers?|campaigns?|features?|models?|jobs?|retries|attempts?|copies|azs?|zones?|dags?|rows?|events?|records?|transactions?|txns?|messages?|impressions?|clicks?|sessions?|orders?|threads?|consumers?|producers?|containers?|pods?|dimensions?|metrics?|dashboards?|experiments?|tenants?|accounts?|stores?|cities|markets?|countries|credits?|snapshots?|versions?|tiers?|hosts?|services?|microservices?|cameras?|vehicles?|cars?|ads?|requests?|queries|subscribers?|members?|sellers?|products?|skus?|items?|pages?|logs?|series|samples?|readings?|pings?|spans?|datapoints?|data points?|lines?|updates?|changes?|documents?|docs|objects?|entries|payments?|trips?|rides?|bids?|purchases?|inserts?)\b";

/// The kind patterns compiled once: forward lazy DFAs find quantities
/// (anchored near digits) and say which kind a found span is.
struct Detector {
    kinds: Vec<QuantityKind>,
    /// All kinds as one alternation: what a quantity is.
    any: String,
    /// Each kind anchored at both ends (`^(?:p)$`): the first kind whose
    /// pattern matches a span (on its own) is its kind.
    full: Vec<String>,
    /// How a match of `any` can start (from its prefix literals); `None`
    /// when no finite set exists, and `any` then runs unguided.
    starts: Option<Starts>,
    any_fwd: Option<AnchoredDfa>,
    full_fwd: Option<AnchoredDfa>,
    /// The same patterns as meta regexes, built only if a lazy DFA is
    /// missing or gives up.
    meta: OnceLock<Option<Meta>>,
}

struct Meta {
    any: meta::Regex,
    full: Vec<meta::Regex>,
}

impl Detector {
    fn meta(&self) -> Option<&Meta> {
        self.meta
            .get_or_init(|| {
                Some(Meta {
                    any: compile(&self.any)?,
                    full: self
                        .full
                        .iter()
                        .map(|p| compile(p))
                        .collect::<Option<_>>()?,
                })
            })
            .as_ref()
    }

    /// End of the match of `any` starting exactly at `s`, if there is one.
    fn any_at(&self, session: &mut Option<Session<'_>>, bytes: &[u8], s: usize) -> Option<usize> {
        if let Some(Ok(end)) = session.as_mut().map(|x| x.end_at(bytes, s, None)) {
            return end;
        }
        let input = Input::new(bytes).range(s..).anchored(Anchored::Yes);
        self.meta()?.any.search(&input).map(|m| m.end())
    }

    /// The first kind whose pattern matches all of `s` on its own. The kind
    /// patterns are anchored at both ends, so every kind that matches does
    /// so at the end, and one anchored search of them all reports the
    /// first of those (leftmost-first: pattern order).
    fn kind_of(&self, session: &mut Option<Session<'_>>, s: &[u8]) -> Option<usize> {
        if let Some(Ok(found)) = session.as_mut().map(|x| x.match_at(s, 0, None)) {
            return found.filter(|&(end, _)| end == s.len()).map(|(_, j)| j);
        }
        (0..self.kinds.len()).find(|&j| self.is_kind(session, j, s))
    }

    /// Does kind `j`'s pattern match all of `s` on its own? It does exactly
    /// when an anchored search of `s` from 0 ends at its end.
    fn is_kind(&self, session: &mut Option<Session<'_>>, j: usize, s: &[u8]) -> bool {
        if let Some(Ok(end)) = session.as_mut().map(|x| x.end_at(s, 0, Some(j))) {
            return end == Some(s.len());
        }
        self.meta().is_some_and(|m| m.full[j].is_match(s))
    }
}

fn kind_patterns() -> Vec<(QuantityKind, String)> {
    let num = format!(r"\b{NUM}");
    vec![
        (
            QuantityKind::Money,
            format!(
                r"(?:\$|€|£)\s?{NUM}(?:{MULT}\s?(?:-|–)\s?(?:\$|€|£)?{NUM})?{MULT}(?:\s*/\s*[a-z]+)*|{num}{MULT}\s*(?:usd|dollars?|cents?|eur|euros?)\b"
            ),
        ),
        (
            QuantityKind::Latency,
            format!(
                r"\bp(?:50|75|90|95|99|999|99\.9)\s*(?:latency\s*)?(?:<=|<|≤|under|below|of|=|:|at|is|around|~)?\s*(?:sub-?)?{NUM}\s*{LAT_UNIT}|\b(?:sub|under|below)\s*-?\s*{NUM}\s*(?:ms|milliseconds?)\b|<\s*{NUM}\s*(?:ms|milliseconds?)\b|{num}\s*(?:ms|milliseconds?|µs|microseconds?)\b"
            ),
        ),
        (
            QuantityKind::Rate,
            format!(
                r"{num}{MULT}\+?[\s-]*(?:{RATE_NOUN}[\s-]*)?{PER}|{num}{MULT}\s*(?:qps|rps|tps|eps|ops/s|msg/s|msgs/s|rows/s|events/s|req/s)\b"
            ),
        ),
        (
            QuantityKind::Size,
            format!(r"{num}{MULT}\s*{SIZE_UNIT}(?:\s*(?:/\s*|per\s+)[a-z]+\b)?"),
        ),
        (QuantityKind::Percent, format!(r"{num}\s*(?:%|percent\b)")),
        (
            QuantityKind::Duration,
            format!(r"{num}\s*-?\s*{TIME_UNIT}|\b\d{{1,2}}:\d{{2}}\s*(?:utc|gmt|local)\b"),
        ),
        (
            QuantityKind::Count,
            format!(
                r"{num}{MULT}\+?\s+(?:[a-z_]+[\s-]+)?{COUNT_NOUN}|\b(?:replication factor|rf)\s*(?:=|of)?\s*\d+\b|{num}x\s+(?:replication|replicas?|copies)\b"
            ),
        ),
    ]
}

/// The syntax of every kind pattern: ASCII case-insensitive, byte-oriented
/// (as `regex::bytes::RegexBuilder` with `case_insensitive(true)` and
/// `unicode(false)`).
fn syntax_config() -> syntax::Config {
    syntax::Config::new()
        .case_insensitive(true)
        .unicode(false)
        .utf8(false)
}

/// The same regex `regex::bytes::RegexBuilder` builds, as a meta regex so
/// it can run anchored at a chosen start.
fn compile(pattern: &str) -> Option<meta::Regex> {
    meta::Builder::new()
        .configure(
            meta::Config::new()
                .nfa_size_limit(Some(10 * (1 << 20)))
                .hybrid_cache_capacity(2 * (1 << 20))
                .match_kind(MatchKind::LeftmostFirst)
                .utf8_empty(false),
        )
        .syntax(syntax_config())
        .build(pattern)
        .ok()
}

/// The first two bytes a match can start with, as a bitset over
/// `first << 8 | second`; a one-byte prefix allows any second byte.
struct Starts {
    pairs: Box<[u64; 1024]>,
    first: [bool; 256],
}

impl Starts {
    /// Could a match start at `bytes[s]`?
    fn at(&self, bytes: &[u8], s: usize) -> bool {
        let b0 = usize::from(bytes[s]);
        if !self.first[b0] {
            return false;
        }
        match bytes.get(s + 1) {
            Some(&b1) => {
                let k = b0 << 8 | usize::from(b1);
                self.pairs[k >> 6] & (1 << (k & 63)) != 0
            }
            None => self.first[b0],
        }
    }
}

/// The literals (cut to two bytes) every match of `pattern` starts with.
fn start_bytes(pattern: &str) -> Option<Starts> {
    let hir = regex_syntax::ParserBuilder::new()
        .case_insensitive(true)
        .unicode(false)
        .utf8(false)
        .build()
        .parse(pattern)
        .ok()?;
    if hir.properties().minimum_len().unwrap_or(0) == 0 {
        return None;
    }
    // Two bytes per literal keep the set finite and small.
    let seq = regex_syntax::hir::literal::Extractor::new()
        .limit_literal_len(2)
        .limit_class(256)
        .limit_total(4096)
        .extract(&hir);
    let mut st = Starts {
        pairs: Box::new([0; 1024]),
        first: [false; 256],
    };
    for l in seq.literals()? {
        let b = l.as_bytes();
        let b0 = usize::from(*b.first()?);
        st.first[b0] = true;
        let seconds: Vec<usize> = match b.get(1) {
            Some(&b1) => vec![usize::from(b1)],
            None => (0..256).collect(),
        };
        for b1 in seconds {
            let k = b0 << 8 | b1;
            st.pairs[k >> 6] |= 1 << (k & 63);
        }
    }
    Some(st)
}

fn detector() -> Option<&'static Detector> {
    static D: OnceLock<Option<Detector>> = OnceLock::new();
    D.get_or_init(|| {
        let pats = kind_patterns();
        let joined = pats
            .iter()
            .map(|(_, p)| format!("(?:{p})"))
            .collect::<Vec<_>>()
            .join("|");
        let full: Vec<String> = pats.iter().map(|(_, p)| format!("^(?:{p})$")).collect();
        let limit = 10 * (1 << 20);
        let d = Detector {
            kinds: pats.iter().map(|(k, _)| *k).collect(),
            starts: start_bytes(&joined),
            any_fwd: AnchoredDfa::new(&[&joined], syntax_config(), limit),
            full_fwd: AnchoredDfa::new(&full, syntax_config(), limit),
            any: joined,
            full,
            meta: OnceLock::new(),
        };
        // Without the fast paths the meta regexes must exist, as before.
        if d.any_fwd.is_none() || d.full_fwd.is_none() || d.starts.is_none() {
            d.meta()?;
        }
        Some(d)
    })
    .as_ref()
}

/// `\s` without Unicode.
fn regex_space(b: u8) -> bool {
    matches!(b, b' ' | b'\t'..=b'\r')
}

/// The earliest byte a match whose first digit is at `d` can start at.
/// Before its first digit a match has at most: a currency sign and a space
/// ("$ 5", "€5"), `p` ("p99"), `<` and spaces, "sub"/"under"/"below" with
/// spaces and a hyphen, or "replication factor"/"rf" with spaces and
/// `=`/"of". So: back over spaces, two bytes, spaces, then 18 bytes.
fn earliest_start(b: &[u8], d: usize) -> usize {
    let mut i = d;
    while i > 0 && regex_space(b[i - 1]) {
        i -= 1;
    }
    i = i.saturating_sub(2);
    while i > 0 && regex_space(b[i - 1]) {
        i -= 1;
    }
    i.saturating_sub("replication factor".len())
}

/// The first ASCII digit at or after `i`, 32 bytes at a time.
fn next_digit(b: &[u8], mut i: usize) -> Option<usize> {
    while let Some(chunk) = b.get(i..i + 32) {
        let mut mask = 0u32;
        for (k, &c) in chunk.iter().enumerate() {
            mask |= u32::from(c.wrapping_sub(b'0') < 10) << k;
        }
        if mask != 0 {
            return Some(i + mask.trailing_zeros() as usize);
        }
        i += 32;
    }
    b.get(i..)?
        .iter()
        .position(u8::is_ascii_digit)
        .map(|k| i + k)
}

/// Spans of `any`'s matches, exactly as `find_iter` reports them. Every
/// match contains an ASCII digit, so only the few bytes before each digit
/// that can start a match are tried, anchored; the first that matches is the
/// leftmost match, and the search resumes at its end.
fn spans(d: &Detector, bytes: &[u8]) -> Vec<(usize, usize)> {
    let Some(starts) = &d.starts else {
        return d.meta().map_or_else(Vec::new, |m| {
            m.any
                .find_iter(bytes)
                .map(|m| (m.start(), m.end()))
                .collect()
        });
    };
    let mut session = d.any_fwd.as_ref().map(AnchoredDfa::session);
    let mut out = Vec::new();
    let mut pos = 0;
    while let Some(digit) = next_digit(bytes, pos) {
        let from = earliest_start(bytes, digit).max(pos);
        let mut found = None;
        for s in from..=digit {
            if starts.at(bytes, s) {
                if let Some(e) = d.any_at(&mut session, bytes, s) {
                    found = Some((s, e));
                    break;
                }
            }
        }
        match found {
            Some((s, e)) => {
                out.push((s, e));
                pos = e;
            }
            None => pos = digit + 1,
        }
        if pos >= bytes.len() {
            break;
        }
    }
    out
}

/// True when `text` has a specific number: what `!quantities(text).is_empty()`
/// says, without reading each number's kind. Loose rates only ever replace
/// what they overlap, so they leave a found number's list non-empty.
pub(crate) fn has_quantity(text: &str) -> bool {
    let Some(d) = detector() else {
        return false;
    };
    spans(d, text.as_bytes())
        .iter()
        .any(|&(start, end)| text.get(start..end).is_some())
        || super::rates::has_loose(text)
}

/// Every specific number in `text`, in order. Vague phrases ("high
/// throughput") are not quantities; the specific-numbers signal flags them.
pub fn quantities(text: &str) -> Vec<Quantity> {
    // Every number has a digit or an amount in words ("a few hundred"):
    // a label or note with neither (most of them) has no number to read.
    if !text.bytes().any(|b| b.is_ascii_digit()) && !super::rates::has_word_amount(text) {
        return Vec::new();
    }
    let Some(d) = detector() else {
        return Vec::new();
    };
    let mut session = d.full_fwd.as_ref().map(AnchoredDfa::session);
    let found = spans(d, text.as_bytes())
        .into_iter()
        .filter_map(|(start, end)| {
            let s = text.get(start..end)?;
            let kind = d
                .kind_of(&mut session, s.as_bytes())
                .and_then(|j| d.kinds.get(j).copied())
                .unwrap_or(QuantityKind::Count);
            // "a type 2 dimension", "tier 1", "phase 3": a name, not a figure.
            if kind == QuantityKind::Count && named_by_number(&text[..start]) {
                return None;
            }
            Some(Quantity {
                kind,
                evidence: Evidence {
                    start,
                    end,
                    quote: s.to_string(),
                },
            })
        })
        .collect();
    super::rates::with_loose_rates(text, found)
}

/// True when the word right before a count names something by its number
/// ("type 2", "tier 1", "phase 3"). Not a time word: "every day 5M rows"
/// is a figure.
fn named_by_number(before: &str) -> bool {
    let word = before
        .trim_end_matches(' ')
        .rsplit(|c: char| !c.is_ascii_alphanumeric())
        .next()
        .unwrap_or("");
    before.ends_with(' ')
        && [
            "type",
            "scd",
            "tier",
            "phase",
            "step",
            "stage",
            "level",
            "version",
            "option",
            "gen",
            "generation",
            "layer",
        ]
        .iter()
        .any(|w| word.eq_ignore_ascii_case(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_that_names_something_is_no_figure() {
        for t in [
            "a type 2 dimension",
            "tier 1 consumers",
            "in phase 3 we switch",
            "SCD 2",
        ] {
            assert!(quantities(t).is_empty(), "{t}: {:?}", kinds(t));
        }
        assert_eq!(quantities("2 dimensions, 40M customers").len(), 2);
        assert_eq!(quantities("every day 5M rows arrive").len(), 1);
    }

    fn kinds(t: &str) -> Vec<(QuantityKind, String)> {
        quantities(t)
            .into_iter()
            .map(|q| (q.kind, q.evidence.quote))
            .collect()
    }

    #[test]
    fn detects_the_seed_numbers_by_kind() {
        let cases = [
            ("200K events/sec", QuantityKind::Rate),
            ("5k rps", QuantityKind::Rate),
            ("2 TB/day", QuantityKind::Size),
            ("p99 < 10ms", QuantityKind::Latency),
            ("24h", QuantityKind::Duration),
            ("30-min gap", QuantityKind::Duration),
            ("$0.023/GB/month", QuantityKind::Money),
            ("100 partitions", QuantityKind::Count),
            ("99.9%", QuantityKind::Percent),
            ("p95 < 60 sec", QuantityKind::Latency),
            ("1M rides per minute", QuantityKind::Rate),
            ("$5/TB scanned", QuantityKind::Money),
            ("~$7-8K/month", QuantityKind::Money),
            ("$2K–3K a month", QuantityKind::Money),
            ("sub-50ms", QuantityKind::Latency),
            ("06:00 UTC", QuantityKind::Duration),
            ("replication factor 3", QuantityKind::Count),
            // Compound adjectives, as write-ups hyphenate them.
            ("100k-events-per-second", QuantityKind::Rate),
            ("10B-event-per-day", QuantityKind::Rate),
        ];
        for (text, want) in cases {
            let got = kinds(text);
            assert_eq!(got.len(), 1, "{text}: {got:?}");
            assert_eq!(got[0].0, want, "{text}: {got:?}");
        }
    }

    #[test]
    fn every_match_starts_with_a_known_byte() {
        let d = detector().expect("quantity patterns compile");
        let starts = d.starts.as_ref().expect("a finite set of prefixes");
        let set: String = (0u8..128)
            .filter(|&b| starts.first[usize::from(b)])
            .map(char::from)
            .collect();
        assert_eq!(set, "$0123456789<BPRSUbprsu");
        assert!(
            starts.first[0xE2] && starts.first[0xC2],
            "€ and £ lead bytes"
        );
        // Two bytes rule out most letters: "su" (sub) can start a match, "so" cannot.
        assert!(starts.at(b"sub", 0) && !starts.at(b"so", 0));
        assert!(starts.at(b"p99", 0) && !starts.at(b"pa", 0));
    }

    #[test]
    fn one_search_finds_the_first_kind_that_matches() {
        let d = detector().expect("quantity patterns compile");
        let mut one = d.full_fwd.as_ref().map(AnchoredDfa::session);
        let mut each = d.full_fwd.as_ref().map(AnchoredDfa::session);
        let text = "200K events/sec, 2 TB/day, p99 < 10ms, 24h, 30-min gap, $0.023/GB/month, \
                    100 partitions, 99.9%, 1M rides per minute, $5/TB scanned, sub-50ms, \
                    06:00 UTC, replication factor 3, 5k rps, 3x replicas, 7 days, 10 TB, 4 KB, \
                    120M docs in ~3 h, 50 ms, 2 hours, 12 brokers, $300/month, 5 min";
        for (s, e) in spans(d, text.as_bytes()) {
            let q = &text.as_bytes()[s..e];
            let first = (0..d.kinds.len()).find(|&j| d.is_kind(&mut each, j, q));
            assert_eq!(d.kind_of(&mut one, q), first, "{:?}", &text[s..e]);
        }
    }

    #[test]
    fn next_digit_scans_chunks_and_the_tail() {
        let mut t = vec![b'a'; 70];
        assert_eq!(next_digit(&t, 0), None);
        t[40] = b'7';
        t[69] = b'0';
        assert_eq!(next_digit(&t, 0), Some(40));
        assert_eq!(next_digit(&t, 41), Some(69));
        assert_eq!(next_digit(&t, 70), None);
        assert_eq!(next_digit(b"", 0), None);
    }

    #[test]
    fn vague_words_and_bare_labels_are_not_numbers() {
        assert!(kinds("high throughput and low latency at massive scale").is_empty());
        assert!(kinds("Step 1, L5 level, Tier 2, p99").is_empty());
    }

    #[test]
    fn spans_are_real_substrings() {
        let t = "Kafka at 200K events/sec with 100 partitions, 7 days retention, p99 < 10ms.";
        for q in quantities(t) {
            assert_eq!(&t[q.evidence.start..q.evidence.end], q.evidence.quote);
        }
    }
}
