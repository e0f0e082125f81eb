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

/// One sum the candidate did, right or wrong.
#[derive(Debug, Clone, PartialEq)]
pub(super) struct Sum {
    /// Left-side figures (indexes into the sentence's terms) and their
    /// exponents: 1 multiplies, -1 divides.
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

/// If `gap` (the words between the last left-side figure and a candidate
/// right side) ends in a connector, whether the right side must end its
/// clause (a bare "so" or "or": "so 12 MB," is a result, "so 200 MB/s
/// needs" is not), and which way the right side bounds the left.
fn connector(gap: &str) -> Option<(bool, Bound)> {
    let g = gap.to_ascii_lowercase();
    let mut s = g.trim_end();
    let mut hedged = false;
    let mut bound = Bound::Equal;
    // "about", "~": a figure said as equal; "maybe", "under": not.
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
    let (pre, bare) = match CONNECTORS.iter().find(|c| ends_with_word(s, c)) {
        // "three hours, or a day": alternatives, unless "or about".
        Some(&"or") if !equal => return None,
        Some(c) => (&s[..s.len() - c.len()], *c == "so" && !hedged),
        None if equal && s.ends_with(',') => (&s[..s.len() - 1], false),
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
    (!broken).then_some((bare, bound))
}

/// Does a clause break come right after byte `end` of `text`?
fn clause_ends(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("").trim_start();
    rest.is_empty() || rest.starts_with([',', '.', ';', ':', ')', '!', '?', '—'])
}

/// Words after a right side that make it a different figure from the left
/// side ("200K/s at peak, about 20K/s on average").
fn qualified(text: &str, end: usize) -> bool {
    let rest = text.get(end..).unwrap_or("").to_ascii_lowercase();
    let near: Vec<&str> = rest
        .split(|c: char| !c.is_alphanumeric() && c != '-')
        .filter(|w| !w.is_empty())
        .take(3)
        .collect();
    near.iter().any(|w| {
        matches!(
            *w,
            "average"
                | "avg"
                | "mean"
                | "median"
                | "peak"
                | "off-peak"
                | "in"
                | "out"
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
        )
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

/// A figure that resets the sum: a break no sum crosses.
fn breaks(gap: &str) -> bool {
    let g = format!(" {} ", gap.to_ascii_lowercase());
    gap.contains([';', ':', '(', ')'])
        || has_word(
            &g,
            &[
                "but", "while", "whereas", "because", "since", "though", "although",
            ],
        )
}

/// Every sum in one sentence, in order.
pub(super) fn sums(text: &str, terms: &[Term]) -> Vec<Sum> {
    let lower = text.to_ascii_lowercase();
    let peak = ["peak"].iter().any(|w| lower.contains(w));
    let average = [
        "average", "avg", "mean", "median", "typical", "normal", "baseline", "off-peak",
    ]
    .iter()
    .any(|w| lower.contains(w));
    if peak && average {
        return Vec::new();
    }
    let mut out = Vec::new();
    let mut pool: Vec<usize> = Vec::new();
    for j in 0..terms.len() {
        let gap = match j {
            0 => &text[..terms[0].start],
            _ => text.get(terms[j - 1].end..terms[j].start).unwrap_or(""),
        };
        let claim = connector(gap)
            .filter(|&(bare, _)| {
                !pool.is_empty()
                    && (!bare || clause_ends(text, terms[j].end))
                    && !qualified(text, terms[j].end)
            })
            .map(|(_, bound)| bound);
        if let Some(bound) = claim {
            if let Some(sum) = evaluate(text, terms, &pool, j, bound) {
                out.push(sum);
                pool = vec![j];
                continue;
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

/// The most charitable reading of `pool` (a suffix of it, each figure
/// multiplied or divided as its words allow) whose units are the right
/// side's; `None` when no reading has them.
fn evaluate(text: &str, terms: &[Term], pool: &[usize], rhs: usize, bound: Bound) -> Option<Sum> {
    let r = &terms[rhs];
    let mut best: Option<Sum> = None;
    // "3x headroom, so 20 MB/s times 3 is 60": a factor said again later
    // in the sum is one factor, so each suffix is also read without the
    // earlier of two equal plain counts.
    let restated = |idx: &[usize]| -> Vec<usize> {
        let same = |a: &Term, b: &Term| {
            a.dim == Dim::COUNT && b.dim == a.dim && a.lo == b.lo && a.hi == b.hi
        };
        idx.iter()
            .enumerate()
            .filter(|&(k, &t)| !idx[k + 1..].iter().any(|&u| same(&terms[t], &terms[u])))
            .map(|(_, &t)| t)
            .collect()
    };
    let suffixes = (0..pool.len()).map(|s| (false, pool[s..].to_vec()));
    // A lone figure is no sum when others were said before it: "40 shards
    // at the 1 MB/s limit, times 1.5, is 60 shards" is 40 × 1.5, the limit
    // said on the way. Then the figures before the last may be skipped.
    let last = pool.len().saturating_sub(1);
    let skipping = (1..(1usize << last).saturating_sub(1)).map(|mask| {
        let idx = (0..last)
            .filter(|k| mask & (1 << k) != 0)
            .map(|k| pool[k])
            .chain(pool.get(last).copied())
            .collect::<Vec<usize>>();
        (true, idx)
    });
    let readings: Vec<(bool, Vec<usize>)> = suffixes
        .chain(skipping)
        .flat_map(|(skips, whole)| {
            let once = restated(&whole);
            let again = (once.len() < whole.len()).then_some((skips, once));
            std::iter::once((skips, whole)).chain(again)
        })
        .collect();
    for (skips, idx) in &readings {
        // Only a lone figure's reading is second-guessed: a left side no
        // contiguous reading gives units to is no sum to start reading.
        if *skips && best.as_ref().is_none_or(|b| b.lhs.len() > 1) {
            break;
        }
        let idx = idx.as_slice();
        // "one topic per table, so 300 topics": a per-item figure alone is
        // not a total.
        if idx.len() == 1 && terms[idx[0]].each.is_some() && r.each.is_none() {
            continue;
        }
        let choices: Vec<Vec<i8>> = idx
            .iter()
            .enumerate()
            .map(|(k, &t)| {
                // The first figure may be what the rest is divided by when
                // the answer is a plain count: "Kinesis takes 1 MB/s per
                // shard, so 5 GB/s is 5,000 shards" reads 5 GB/s ÷ 1 MB/s.
                if k == 0 {
                    let count = r.dim == Dim::COUNT && r.each.is_none();
                    return if idx.len() > 1 && count {
                        vec![1, -1]
                    } else {
                        vec![1]
                    };
                }
                // The words right before this figure: a figure skipped
                // in between ("at the 1 MB/s limit, times") is no operator.
                let from = terms[idx[k - 1]].end.max(terms[t.saturating_sub(1)].end);
                let gap = text.get(from..terms[t].start).unwrap_or("");
                match op(gap) {
                    // "300 MB/s at 10 MB/s per partition": a per-item
                    // figure after "at" may be what the total is divided by.
                    Op::Times if terms[t].each.is_some() => vec![1, -1],
                    Op::Times => vec![1],
                    Op::Over => vec![-1],
                    Op::Either => vec![1, -1],
                }
            })
            .collect();
        let n: usize = choices.iter().map(Vec::len).product();
        for combo in 0..n {
            let mut c = combo;
            let exps: Vec<i8> = choices
                .iter()
                .map(|ch| {
                    let e = ch[c % ch.len()];
                    c /= ch.len();
                    e
                })
                .collect();
            let dim = idx
                .iter()
                .zip(&exps)
                .fold(Dim::COUNT, |d, (&t, &e)| d.times(terms[t].dim, e));
            if dim != r.dim {
                continue;
            }
            // "two weeks of files … two weeks": a figure divided by itself
            // is nobody's sum.
            let cancels = idx.iter().zip(&exps).any(|(&a, &ea)| {
                ea < 0
                    && idx.iter().zip(&exps).any(|(&b, &eb)| {
                        eb > 0
                            && terms[b].dim == terms[a].dim
                            && terms[b].lo == terms[a].lo
                            && terms[b].hi == terms[a].hi
                    })
            });
            if cancels {
                continue;
            }
            // "… is 50 MB/s each" needs something divided out.
            if r.each.is_some()
                && !idx
                    .iter()
                    .zip(&exps)
                    .any(|(&t, &e)| e < 0 && terms[t].dim == Dim::COUNT)
            {
                continue;
            }
            let (mut lo, mut hi) = (1.0, 1.0);
            for (&t, &e) in idx.iter().zip(&exps) {
                if e > 0 {
                    lo *= terms[t].lo;
                    hi *= terms[t].hi;
                } else {
                    lo /= terms[t].hi;
                    hi /= terms[t].lo;
                }
            }
            let off = if hi < r.lo && bound != Bound::AtMost {
                r.lo / hi
            } else if lo > r.hi && bound != Bound::AtLeast {
                lo / r.hi
            } else {
                1.0
            };
            // "40 GB per day-run, so around 15 TB for the year": a total
            // over a longer period said on the right is the left side
            // times the periods in it.
            let off = match period_factor(text, terms[idx[0]].start, r) {
                Some(f) if (off / f).max(f / off) < 3.0 => 1.0,
                _ => off,
            };
            if best.as_ref().is_none_or(|b| off < b.off) {
                best = Some(Sum {
                    lhs: idx.iter().copied().zip(exps).collect(),
                    rhs,
                    lo,
                    hi,
                    off,
                });
            }
        }
    }
    best
}

/// How many of the left side's period ("per day", "daily", "per run of a
/// day") the right side's ("for the year", "a month") holds, when both are
/// said and the right's is the longer: 365 for a day's figure against a
/// year's.
fn period_factor(text: &str, lhs_start: usize, r: &Term) -> Option<f64> {
    const DAY: f64 = 86_400.0;
    let period = |s: &str, words: &[(&str, f64)]| {
        let s = format!(" {} ", s.to_ascii_lowercase());
        words
            .iter()
            .filter(|(w, _)| s.contains(w))
            .map(|(_, secs)| *secs)
            .next()
    };
    let per: &[(&str, f64)] = &[
        (" per hour", 3_600.0),
        (" an hour", 3_600.0),
        (" hourly", 3_600.0),
        (" per day", DAY),
        (" a day", DAY),
        (" each day", DAY),
        (" daily", DAY),
        (" per day-run", DAY),
        (" per week", 7.0 * DAY),
        (" a week", 7.0 * DAY),
        (" weekly", 7.0 * DAY),
        (" per month", 30.0 * DAY),
        (" a month", 30.0 * DAY),
        (" monthly", 30.0 * DAY),
    ];
    let over: &[(&str, f64)] = &[
        (" for the day", DAY),
        (" a week", 7.0 * DAY),
        (" for the week", 7.0 * DAY),
        (" a month", 30.0 * DAY),
        (" for the month", 30.0 * DAY),
        (" per month", 30.0 * DAY),
        (" a year", 365.0 * DAY),
        (" per year", 365.0 * DAY),
        (" for the year", 365.0 * DAY),
        (" over the year", 365.0 * DAY),
        (" in a year", 365.0 * DAY),
        (" for a year", 365.0 * DAY),
        (" yearly", 365.0 * DAY),
        (" annually", 365.0 * DAY),
    ];
    let left = period(text.get(lhs_start..r.start)?, per)?;
    let after = text.get(r.end..)?;
    let tail = after
        .char_indices()
        .find(|&(_, c)| matches!(c, '.' | ';' | ',' | '\n'))
        .map_or(after, |(k, _)| &after[..k]);
    let right = period(tail, over)?;
    (right > left).then(|| right / left)
}

#[cfg(test)]
mod tests {
    use super::super::terms::terms;
    use super::super::TOLERANCE;
    use super::*;

    fn off(s: &str) -> Vec<f64> {
        sums(s, &terms(s))
            .iter()
            .map(|x| (x.off * 10.0).round() / 10.0)
            .collect()
    }

    fn fine(s: &str) -> bool {
        off(s).iter().all(|o| *o < TOLERANCE)
    }

    #[test]
    fn a_total_over_a_longer_period_is_the_figure_times_its_periods() {
        assert!(fine(
            "About 40 GB of attribution facts per day-run, so around 15 TB for the year in Iceberg."
        ));
        assert!(fine("That's 2 GB a day, so about 60 GB a month."));
        // A wrong total over the period is still wrong.
        assert!(!fine("That's 2 GB a day, so about 60 TB a month."));
        // Without a period on either side, nothing is assumed.
        assert!(!fine("That's 2 GB, so about 60 GB."));
    }

    #[test]
    fn a_figure_said_first_can_be_the_divisor() {
        assert!(fine(
            "Kinesis prices per shard at 1 MB/s, so 5 GB/s is 5,000 shards, about $90K a month."
        ));
        // Still wrong either way round.
        assert!(!fine(
            "Kinesis takes 1 MB/s per shard, so 5 GB/s is 50 shards."
        ));
    }

    #[test]
    fn a_total_at_a_per_item_rate_is_divided_by_it() {
        // 300 MB/s at 10 MB/s per partition is 30 partitions, not 1/30.
        assert!(fine("1M/s times 300 bytes is 300 MB/s, at 10 MB/s per partition that's 30, I'd take 64 for headroom."));
        assert!(fine("200K events/s at 5K per consumer is 40 consumers."));
        // Still wrong when neither reading gives the answer.
        assert!(!fine("300 MB/s at 10 MB/s per partition is 3 partitions."));
    }

    #[test]
    fn a_compression_ratio_divides_the_figure_it_shrinks() {
        assert!(fine("All of it, 5 GB/s raw, and Parquet with zstd gets logs down about 10x, so ~500 MB/s landing."));
        assert!(fine(
            "2 TB/day of JSON compresses about 8x in Parquet, so roughly 250 GB/day on S3."
        ));
        // "1 byte per sample compressed, so 13 months of 20M samples/s": a
        // figure's own word, not a ratio that shrinks it.
        assert!(!fine("VictoriaMetrics stores about 1 byte per sample compressed, so 13 months of 20M samples/s is about 7 TB."));
        // Still wrong when the shrunk figure is off.
        assert!(!fine(
            "5 GB/s raw, and zstd gets logs down about 10x, so ~5 MB/s landing."
        ));
    }

    #[test]
    fn a_factor_said_again_in_the_sum_counts_once() {
        // "3x headroom, so … times 3": one factor of 3, not 3 × 3.
        assert!(fine("The orders topic gets 64 partitions: a partition takes about 1 MB/s comfortably and we want 3x headroom, so 20 MB/s times 3 is 60, rounded up to 64."));
        assert!(fine(
            "A shard takes 1 MB/s, we want 2x headroom, so 5 GB/s times 2 is 10,000 shards."
        ));
        // Still wrong when neither reading gives the answer.
        assert!(!fine(
            "A partition takes 1 MB/s and we want 3x headroom, so 20 MB/s times 3 is 600."
        ));
        // A figure said twice does not divide itself into the answer.
        assert!(fine("A store down for two weeks replays two weeks of files at once, about 300K lines, which one hourly run handles."));
    }

    #[test]
    fn a_result_said_as_a_bound_is_checked_only_the_way_it_bounds() {
        // 10 MB/s over 300 topics is 33 KB/s: "well under" 1 MB/s holds.
        assert!(fine(
            "10 MB/s across 300 topics is well under 1 MB/s per topic."
        ));
        assert!(fine("200 MB/s over 64 partitions is at least 1 MB/s each."));
        // The bound the wrong way round is still wrong.
        assert!(!fine(
            "200 MB/s over 64 partitions is well under 1 MB/s each."
        ));
        assert!(!fine("10 MB/s over 300 topics is more than 1 MB/s each."));
    }

    #[test]
    fn connectors_join_figures_and_clause_breaks_do_not() {
        assert_eq!(
            off("2M events/s at 1 KB is 200 MB/s, so double the partitions to 8"),
            [10.0]
        );
        assert_eq!(off("Each version is about 1 KB, so 4K versions a second is 4 MB/s into Snowflake, about 350 GB a day."), [1.0, 1.0]);
        assert!(off("Kafka keeps 30 days, and the window is 5 minutes.").is_empty());
        assert!(off("Kafka takes 200 MB/s, Postgres is 2 MB/s.").is_empty());
        assert!(off("Peak is 200K events/s, about 20K/s on average.").is_empty());
        assert!(off("a Kafka partition can take 100 MB/s, so 50 MB/s each is fine").is_empty());
        assert!(fine("Three hours, or a day, is past the TTL."));
        assert!(fine(
            "over the cards active in a day, maybe 50M cards at 200 bytes"
        ));
        assert!(fine(
            "10K auths/s, not the 30K Redis writes, so an hour is 36M auth_ids."
        ));
        assert!(fine(
            "100M keys of 16 bytes, roughly 5 GB with RocksDB overhead."
        ));
    }
}
