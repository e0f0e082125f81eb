//! How the figures on a sum's left side are read: each multiplied or
//! divided as its words allow, the most charitable reading whose units are
//! the right side's.

use super::super::terms::{Dim, Term};
use super::{op, Bound, Op, Sum};

/// The most charitable reading of `pool` (a suffix of it, each figure
/// multiplied or divided as its words allow) whose units are the right
/// side's; `None` when no reading has them.
pub(super) fn evaluate(
    text: &str,
    terms: &[Term],
    pool: &[usize],
    rhs: usize,
    bound: Bound,
) -> Option<Sum> {
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
    // "50M auths a day × 7 = 350M": a figure joined to the one before it
    // by a written operator is in the sum, so no suffix starts at it.
    let bound_to_previous = |s: usize| {
        s > 0
            && text
                .get(terms[pool[s - 1]].end..terms[pool[s]].start)
                .is_some_and(explicit_operator)
    };
    let suffixes = (0..pool.len())
        .filter(|&s| !bound_to_previous(s))
        .map(|s| (false, pool[s..].to_vec()));
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
        let unread = match &best {
            Some(b) => b.lhs.len() > 1,
            None => !bound_to_previous(last),
        };
        if *skips && unread {
            break;
        }
        let idx = idx.as_slice();
        // "one topic per table, so 300 topics": a per-item figure alone is
        // not a total.
        if idx.len() == 1 && terms[idx[0]].each.is_some() && r.each.is_none() {
            continue;
        }
        // "RTO for 15-minute freshness is about 2 hours": a lone figure
        // said as an adjective describes the noun after it, which is not
        // what "is" is said of.
        if idx.len() == 1 && adjective(text, &terms[idx[0]]) {
            continue;
        }
        // "…per partition for one consumer to keep up, that's 5": a lone
        // "one" is who or what the figure is for, never a total.
        if idx.len() == 1 && terms[idx[0]].dim == Dim::COUNT && terms[idx[0]].hi <= 1.0 {
            continue;
        }
        // "50M auths a day × 7": a plain count beside a rate said per day
        // may be that many days.
        let period = idx
            .iter()
            .filter(|&&t| terms[t].dim == Dim::RATE)
            .find_map(|&t| terms[t].period.filter(|&p| p > 1.0));
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
                let mut ch = match op(gap) {
                    // "300 MB/s at 10 MB/s per partition": a per-item
                    // figure after "at" may be what the total is divided by.
                    Op::Times if terms[t].each.is_some() => vec![1, -1],
                    Op::Times => vec![1],
                    Op::Over => vec![-1],
                    Op::Either => vec![1, -1],
                };
                if period.is_some()
                    && explicit_operator(gap)
                    && ch.contains(&1)
                    && a_number_of_periods(&terms[t])
                {
                    ch.push(PERIODS);
                }
                // "40 TB times 3 days retention times 3 is 360 TB": days
                // after a written operator, with no rate to be days of, are
                // that many copies of a day's volume.
                if period.is_none()
                    && explicit_operator(gap)
                    && terms[t].dim == Dim::SECS
                    && count_in_own_unit(text, &terms[t]).is_some()
                {
                    ch.push(AS_COUNT);
                }
                ch
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
            let dim = idx.iter().zip(&exps).fold(Dim::COUNT, |d, (&t, &e)| {
                if e == PERIODS {
                    d.times(Dim::SECS, 1)
                } else if e == AS_COUNT {
                    d
                } else {
                    d.times(terms[t].dim, e)
                }
            });
            let Some(scale) = in_units_of(terms, idx, dim, r) else {
                continue;
            };
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
            let (mut lo, mut hi) = (scale, scale);
            for (&t, &e) in idx.iter().zip(&exps) {
                if e == PERIODS {
                    let p = period.unwrap_or(1.0);
                    lo *= terms[t].lo * p;
                    hi *= terms[t].hi * p;
                } else if e == AS_COUNT {
                    let n = count_in_own_unit(text, &terms[t]).unwrap_or(1.0);
                    lo *= n;
                    hi *= n;
                } else if e > 0 {
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
    // "10 days ÷ 7 days is about 1.4, not 500M": a reading that far off is
    // a misreading of the sentence, not the candidate's slip.
    best.filter(|b| b.off < MISREAD)
}

/// How far off a sum may be before the reading, not the candidate, is
/// taken to be wrong: a dropped zero is 10×, a unit slip 1,000×.
const MISREAD: f64 = 20_000.0;

/// The exponent of a plain count read as a number of the rate's periods.
const PERIODS: i8 = 2;

/// A figure hyphenated to its unit and followed by a word ("15-minute
/// freshness", "3-day window"): an adjective.
fn adjective(text: &str, t: &Term) -> bool {
    let said = text.get(t.start..t.end).unwrap_or("");
    let hyphen = said
        .char_indices()
        .any(|(i, c)| c == '-' && said[..i].ends_with(|d: char| d.is_ascii_digit()));
    hyphen
        && text
            .get(t.end..)
            .unwrap_or("")
            .trim_start_matches(' ')
            .starts_with(|c: char| c.is_alphabetic())
}

/// The exponent of a duration read as its number of days or hours.
const AS_COUNT: i8 = 3;

/// "3 days" as 3, "24 hours" as 24: a whole number of the unit it was
/// said in.
fn count_in_own_unit(text: &str, t: &Term) -> Option<f64> {
    if t.lo != t.hi {
        return None;
    }
    let said = text.get(t.start..t.end)?.to_ascii_lowercase();
    let unit = [
        ("week", 604_800.0),
        ("day", 86_400.0),
        ("hour", 3_600.0),
        ("hr", 3_600.0),
        ("min", 60.0),
    ]
    .iter()
    .find(|(w, _)| said.contains(w))
    .map(|(_, u)| *u)?;
    let c = t.lo / unit;
    ((1.0..=1_000.0).contains(&c) && (c - c.round()).abs() < 1e-9).then_some(c)
}

/// A plain count that may be a number of days ("× 7").
fn a_number_of_periods(t: &Term) -> bool {
    t.dim == Dim::COUNT
        && t.each.is_none()
        && t.noun.is_none()
        && t.lo == t.hi
        && t.lo >= 1.0
        && t.lo <= 1_000.0
}

/// What a left side in `dim` is multiplied by to be in the right side's
/// units, or `None` when it cannot be: 1 when the units agree; a count
/// against a figure said per day is that day's count ("10,000 × 86,400 ≈
/// 86M a day"), and a bare count times a size against a bandwidth is per
/// its period ("200K × 1 KB = 20 MB/s"); a rate against a per-item figure
/// of the same thing said without its time ("30K reads/s over 6 shards is
/// 50K reads per shard") is in the rate's period.
fn in_units_of(terms: &[Term], idx: &[usize], dim: Dim, r: &Term) -> Option<f64> {
    if dim == r.dim {
        return Some(1.0);
    }
    if dim == Dim::COUNT && r.dim == Dim::RATE {
        return r.period.filter(|&p| p > 1.0).map(|p| 1.0 / p);
    }
    // "200K × 1 KB = 20 MB/s": a bare count times a size said as a
    // bandwidth is a count per the bandwidth's period.
    if r.dim == Dim::BYTE_RATE
        && dim == Dim::BYTES
        && idx
            .iter()
            .any(|&t| terms[t].dim == Dim::COUNT && terms[t].each.is_none())
    {
        return Some(1.0 / r.period.unwrap_or(1.0));
    }
    if dim == Dim::RATE && r.dim == Dim::COUNT && r.each.is_some() && r.noun.is_some() {
        return idx
            .iter()
            .map(|&t| &terms[t])
            .find(|t| t.dim == Dim::RATE && t.noun == r.noun)
            .map(|t| t.period.unwrap_or(1.0));
    }
    None
}

/// Words between two figures that join them by a written operator: "×",
/// "*", "/", "÷", "times", "divided by", "multiplied by".
fn explicit_operator(gap: &str) -> bool {
    let g = format!(" {} ", gap.to_ascii_lowercase());
    let words: Vec<&str> = g.split_whitespace().collect();
    words.len() <= 3
        && (g.contains(['×', '*', '÷'])
            || words == ["/"]
            || g.contains(" times ")
            || g.contains(" divided by ")
            || g.contains(" multiplied by "))
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
