//! The candidate's own sums, read from one sentence: "2M events/s at 1 KB
//! is 200 MB/s", "4M updates a day is about 4,000 a second", "60M rows × 22
//! columns × 8 bytes, about 10 MB". A sum is figures joined by "is", "that's",
//! "=", ", about" and the like; its left side is the figures said since the
//! last clause break, multiplied or divided as the words between them say
//! ("at", "of", "×" multiply; "over", "into", "/" divide; anything else may
//! be either). Only a reading whose units come out as the right side's is
//! checked, and the most charitable such reading decides, so a sum is
//! called wrong only when no way of reading it adds up.

use super::terms::{Dim, Term};
use reading::evaluate;

mod reading;

/// One sum the candidate did, right or wrong.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Sum {
    /// Left-side figures (indexes into the sentence's terms) and their
    /// exponents: 1 multiplies, -1 divides, 2 multiplies a plain count
    /// read as that many of a rate's periods ("50M a day × 7").
    pub lhs: Vec<(usize, i8)>,
    /// The figure they said it comes to.
    pub rhs: usize,
    /// What the left side gives, in base units.
    pub lo: f64,
    pub hi: f64,
    /// How far the right side is from it (1 when they agree).
    pub off: f64,
}

impl Sum {
    pub fn value(&self) -> f64 {
        (self.lo * self.hi).sqrt()
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    Times,
    Over,
    Either,
}

fn has_word(padded: &str, words: &[&str]) -> bool {
    words.iter().any(|w| padded.contains(&format!(" {w} ")))
}

/// How the words between two figures join them.
fn op(gap: &str) -> Op {
    let g = format!(" {} ", gap.to_ascii_lowercase().replace(',', " "));
    if g.contains('/')
        || g.contains('÷')
        || has_word(
            &g,
            &[
                "over", "into", "across", "among", "between", "spread", "split", "divided",
            ],
        )
    {
        Op::Over
    } else if !g.contains('×')
        && !g.contains('*')
        && has_word(
            &g,
            &[
                "down",
                "shrink",
                "shrinks",
                "compress",
                "compresses",
                "reduce",
                "reduces",
                "cuts",
                "smaller",
            ],
        )
    {
        // "5 GB/s raw, and zstd gets logs down about 10x": a ratio that
        // shrinks the figure before it.
        Op::Over
    } else if g.contains('×')
        || g.contains('*')
        || has_word(&g, &["x", "times", "at", "of", "with", "for", "each", "by"])
    {
        Op::Times
    } else {
        Op::Either
    }
}

/// Words that hedge a figure: they never change which figure is meant.
const HEDGES: &[&str] = &[
    "approximately",
    "on the order of",
    "order of",
    "a bit over",
    "a bit under",
    "well under",
    "well over",
    "close to",
    "less than",
    "more than",
    "at most",
    "at least",
    "roughly",
    "around",
    "approx.",
    "approx",
    "nearly",
    "almost",
    "about",
    "only",
    "just",
    "maybe",
    "still",
    "already",
    "some",
    "under",
    "over",
    "like",
    "~",
];

/// Words that say "comes to", longest first.
const CONNECTORS: &[&str] = &[
    "which comes to",
    "works out to",
    "works out at",
    "which gives",
    "which means",
    "adds up to",
    "amounts to",
    "these are",
    "which is",
    "comes to",
    "gives us",
    "in total",
    "that is",
    "call it",
    "equals",
    "that's",
    "this is",
    "it's",
    "it is",
    "totals",
    "gives",
    "means",
    "i.e.",
    "is",
    "are",
    "so",
    "or",
    "≈",
    "~=",
    "=",
];

/// Words that start a new clause: figures before them are not in a sum
/// said after them.
const CLAUSE: &[&str] = &[
    "and", "but", "while", "whereas", "then", "when", "if", "because", "since", "though",
    "although", "not", "than", "vs", "versus", "instead", "plus", "minus", "becomes", "become",
];

fn ends_with_word(s: &str, w: &str) -> bool {
    s.ends_with(w)
        && s[..s.len() - w.len()]
            .chars()
            .next_back()
            .is_none_or(|c| !c.is_alphanumeric() || !w.starts_with(|x: char| x.is_alphanumeric()))
}

/// Which way a right side bounds the left: "is about 1 MB/s" says equal,
/// "is well under 1 MB/s" only that the left side is no more.
#[derive(Debug, Clone, Copy, PartialEq)]
enum Bound {
    Equal,
    AtMost,
    AtLeast,
}

/// What a connector says about the figure after it.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Joined {
    /// The right side must end its clause (a bare "so" or "or": "so 12 MB,"
    /// is a result, "so 200 MB/s needs" is not).
    bare: bool,
    /// Which way the right side bounds the left.
    bound: Bound,
    /// The words say the figure is worked out from the ones before ("so",
    /// "that's", "=") rather than only described by them ("is", "are").
    derived: bool,
}

/// If `gap` (the words between the last left-side figure and a candidate
/// right side) ends in a connector, how it joins the right side.
fn connector(gap: &str) -> Option<Joined> {
    let g = gap.to_ascii_lowercase();
    let mut s = g.trim_end();
    let mut hedged = false;
    let mut bound = Bound::Equal;
    // "about", "~", "maybe": a figure said as equal, estimated; "under": not.
    let mut equal = false;
    'strip: loop {
        for h in HEDGES {
            if ends_with_word(s, h) {
                s = s[..s.len() - h.len()].trim_end();
                hedged = true;
                match *h {
                    "under" | "well under" | "a bit under" | "less than" | "at most" => {
                        bound = Bound::AtMost
                    }
                    "over" | "well over" | "a bit over" | "more than" | "at least" => {
                        bound = Bound::AtLeast
                    }
                    _ => {}
                }
                equal |= matches!(
                    *h,
                    "about"
                        | "roughly"
                        | "around"
                        | "approximately"
                        | "approx"
                        | "approx."
                        | "~"
                        | "maybe"
                        | "nearly"
                        | "almost"
                        | "close to"
                        | "on the order of"
                        | "order of"
                );
                continue 'strip;
            }
        }
        break;
    }
    let (pre, bare, derived) = match CONNECTORS.iter().find(|c| ends_with_word(s, c)) {
        // "three hours, or a day": alternatives, unless "or about".
        Some(&"or") if !equal => return None,
        Some(c) => (
            &s[..s.len() - c.len()],
            *c == "so" && !hedged,
            !matches!(*c, "is" | "are" | "or" | "these are" | "this is"),
        ),
        None if equal && s.ends_with(',') => (&s[..s.len() - 1], false, false),
        None => return None,
    };
    // "…, so that's", "…, which is": the glue before the connector.
    let mut pre = pre.trim_end();
    for glue in ["so", ",", "which", "and so"] {
        if ends_with_word(pre, glue) {
            pre = pre[..pre.len() - glue.len()].trim_end();
        }
    }
    let pre = pre.trim_end_matches(',').trim();
    let words: Vec<&str> = pre.split_whitespace().collect();
    let broken = pre.contains([',', ';', ':', '(', ')'])
        || words.len() > 5
        || words.iter().any(|w| CLAUSE.contains(w));
    (!broken).then_some(Joined {
        bare,
        bound,
        derived,
    })
}

/// Does a clause break come right after byte `end` of `text`?
fn clause_ends(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("").trim_start();
    rest.is_empty() || rest.starts_with([',', '.', ';', ':', ')', '!', '?', '—'])
}

/// Words after a right side that make it a different figure from the left
/// side ("200K/s at peak, about 20K/s on average"). A rate said again as
/// a day's total ("100K/s is roughly 860M a day at peak") is the same
/// figure, whatever time of day it is for.
fn qualified(text: &str, end: usize, restated: bool) -> bool {
    let rest = text.get(end..).unwrap_or("").to_ascii_lowercase();
    let near: Vec<&str> = rest
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    near.iter().any(|w| {
        let when = matches!(
            *w,
            "average" | "avg" | "mean" | "median" | "peak" | "off-peak"
        );
        (when && !restated)
            || matches!(
                *w,
                "in" | "out"
                    | "before"
                    | "after"
                    | "with"
                    | "plus"
                    | "including"
                    | "overhead"
                    | "since"
                    | "because"
                    | "given"
                    | "replicas"
                    | "replication"
                    // "86 GB/day raw, maybe 15 GB/day as Parquet": another
                    // measure of the same flow.
                    | "raw"
                    | "compressed"
                    | "uncompressed"
                    | "parquet"
                    | "orc"
                    | "zstd"
                    | "snappy"
                    | "gzip"
            )
    })
}

/// A peak and an average both said up to the end of the clause that ends
/// at or after byte `end` ("200K events/s at peak, about 20K events/s on
/// average"): two figures, not a sum. A "normal day" said in a later
/// clause is about another figure.
fn peak_and_average(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("");
    let clause = rest.find([',', ';', '.']).map_or(text.len(), |k| end + k);
    let lower = text.get(..clause).unwrap_or(text).to_ascii_lowercase();
    lower.contains("peak")
        && [
            "average", "avg", "mean", "median", "typical", "normal", "baseline", "off-peak",
        ]
        .iter()
        .any(|w| lower.contains(w))
}

/// Is term `j` the rate just before it said as a total over a longer
/// period, after a copula ("100K/s is roughly 860M a day")? The other way
/// round, "200M a day is about 15K/s at peak" is a peak above the average.
fn per_other_period(gap: &str, terms: &[Term], pool: &[usize], j: usize) -> bool {
    let g = format!(" {} ", gap.to_ascii_lowercase());
    let copula = [
        " is ",
        " that's ",
        " = ",
        " ≈ ",
        " comes to ",
        " works out to ",
    ]
    .iter()
    .any(|c| g.contains(c));
    let (r, l) = (&terms[j], pool.last().map(|&k| &terms[k]));
    copula
        && r.dim == Dim::RATE
        && l.is_some_and(|l| {
            l.dim == Dim::RATE && l.period.unwrap_or(1.0) < r.period.unwrap_or(1.0)
        })
}

/// "…, not the 30K Redis writes": a figure said to be not the one meant.
pub(super) fn negated(gap: &str) -> bool {
    let g = gap.to_ascii_lowercase();
    let last = g.rsplit([',', ';', ':']).next().unwrap_or("");
    let g = format!(" {last} ");
    has_word(
        &g,
        &[
            "not", "never", "no", "isn't", "doesn't", "don't", "aren't", "won't",
        ],
    ) || g.contains("n't ")
}

/// A figure that resets the sum: a break no sum crosses. So does a step
/// that shrinks the data by a factor not said ("670K points a second
/// before aggregation, and we roll up by service and a few labels, so 20M
/// series"): the figures after it are not the ones before times anything.
fn breaks(gap: &str) -> bool {
    let g = format!(" {} ", gap.to_ascii_lowercase());
    // Most gaps shrink nothing: look for the step's words only when one
    // of their stems is there.
    let shrinks = ["roll", "aggregat", "downsampl", "group", "dedup", "filter"]
        .iter()
        .any(|w| g.contains(w));
    let words = if shrinks {
        g.replace([',', '.'], " ")
    } else {
        String::new()
    };
    gap.contains([';', ':', '(', ')'])
        || has_word(
            &g,
            &[
                "but", "while", "whereas", "because", "since", "though", "although",
            ],
        )
        || shrinks
            && has_word(
                &words,
                &[
                    "roll up",
                    "rolls up",
                    "rolled up",
                    "rollup",
                    "rollups",
                    "aggregate",
                    "aggregates",
                    "aggregated",
                    "aggregation",
                    "downsample",
                    "downsampled",
                    "downsampling",
                    "group by",
                    "grouped by",
                    "dedupe",
                    "deduped",
                    "deduplicate",
                    "deduplicated",
                    "filter",
                    "filtered",
                    "filters",
                ],
            )
}

/// "4.4 TB a day, 7 days at RF3 is ~90 TB, call it 9 brokers": a count of
/// things (brokers) from volumes and times alone, none of them counting or
/// sizing those things ("10 TB per broker"), comes from a figure not said.
/// A rate over a time is a count ("an hour at 200K/s is 720M ids").
fn counts_other_things(terms: &[Term], pool: &[usize], j: usize) -> bool {
    let r = &terms[j];
    let Some(noun) = r
        .noun
        .as_deref()
        .filter(|_| r.dim == Dim::COUNT && !r.percent)
    else {
        return false;
    };
    pool.iter().all(|&k| {
        let t = &terms[k];
        t.dim != Dim::COUNT
            && t.dim != Dim::RATE
            && t.noun.as_deref() != Some(noun)
            && t.each.as_deref() != Some(noun)
    })
}

/// One figure said to mean another of a different thing ("300 nodes means
/// 3 concurrent monthly runs"): a plan, not a sum to check.
fn names_other_thing(terms: &[Term], pool: &[usize], j: usize) -> bool {
    let [k] = pool else {
        return false;
    };
    let (a, b) = (&terms[*k], &terms[j]);
    match (a.noun.as_deref(), b.noun.as_deref()) {
        (Some(x), Some(y)) => {
            x != y && a.each.as_deref() != Some(y) && b.each.as_deref() != Some(x)
        }
        _ => false,
    }
}

/// One bare count said to be another ("90 days at 200 node-hours is
/// 18,000 node-hours" read without its days): no unit or period turns a
/// count into another, so it is a figure left out, not a sum to check.
fn bare_count_again(terms: &[Term], sum: &Sum) -> bool {
    let [(k, 1)] = sum.lhs[..] else {
        return false;
    };
    let bare =
        |t: &Term| t.dim == Dim::COUNT && t.period.is_none() && t.each.is_none() && !t.percent;
    bare(&terms[k]) && bare(&terms[sum.rhs])
}

/// A written operator right after byte `end`: "10,000 x 2,160", "5 * 3".
fn operator_follows(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("").trim_start();
    rest.starts_with(['×', '*']) || ["x ", "X ", "times "].iter().any(|o| rest.starts_with(o))
}

/// Every sum in one sentence, in order.
pub(super) fn sums(text: &str, terms: &[Term]) -> Vec<Sum> {
    let mut out = Vec::new();
    let mut pool: Vec<usize> = Vec::new();
    for j in 0..terms.len() {
        let gap = match j {
            0 => &text[..terms[0].start],
            _ => text.get(terms[j - 1].end..terms[j].start).unwrap_or(""),
        };
        // "… is 10,000 x 2,160 = about 2 million": the figure after "is"
        // starts the working said again, not a result.
        // A bare "so" leads on with the figures before it ("…, so 20 MB/s
        // times 3 is 600").
        if !pool.is_empty()
            && connector(gap).is_some_and(|c| !c.bare)
            && operator_follows(text, terms[j].end)
        {
            pool = vec![j];
            continue;
        }
        let joined = connector(gap);
        let claim = joined
            .filter(|&Joined { bare, .. }| {
                !pool.is_empty()
                    && (!bare || clause_ends(text, terms[j].end))
                    && !qualified(text, terms[j].end, per_other_period(gap, terms, &pool, j))
                    && !peak_and_average(text, terms[j].end)
                    // "100 candidates …, maybe 90% hit rate": a share is
                    // a sum only of a ratio (or of other shares).
                    && (!terms[j].percent
                        || pool.len() >= 2
                        || pool.iter().any(|&k| terms[k].percent))
                    && !counts_other_things(terms, &pool, j)
                    && !names_other_thing(terms, &pool, j)
            })
            .map(|c| c.bound);
        if let Some(bound) = claim {
            if let Some(sum) =
                evaluate(text, terms, &pool, j, bound).filter(|sum| !bare_count_again(terms, sum))
            {
                out.push(sum);
                pool = vec![j];
                continue;
            }
            // "150 floats each so ~600 bytes a row": no reading of the
            // figures gives the right side's units, so a factor went
            // unsaid (4 bytes a float); the figure says the one before it
            // again in other terms and takes its place in later sums.
            let restated = pool.last().is_some_and(|&k| terms[k].dim != terms[j].dim);
            if joined.is_some_and(|c| c.derived) && restated {
                pool.pop();
            }
        }
        if breaks(gap) {
            pool.clear();
        }
        if negated(gap) {
            continue;
        }
        pool.push(j);
        if pool.len() > 5 {
            pool.remove(0);
        }
    }
    out
}

#[cfg(test)]
mod tests;
