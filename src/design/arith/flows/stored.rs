//! Figures that must fit together over time and space: storage said for a
//! retention against the rate that fills it, and a per-partition figure
//! against the rate over the partitions.

use super::*;

/// The bytes a second the design stores: items a second times a stated
/// record size when both are given, else the largest bandwidth.
fn stored_rate<'a>(
    design: &Design,
    said: &[Said],
    figs: &'a [Fig<'a>],
) -> Option<(f64, String, Vec<&'a Fig<'a>>)> {
    let flows = |d: Dim| {
        figs.iter().filter(move |f| {
            f.term.dim == d && !f.per_unit && (f.hop.is_some() || f.subject.is_some())
        })
    };
    let by_items = flows(Dim::RATE)
        .filter_map(|t| {
            let s = stated_size(figs, t.term.noun.as_deref(), 1e3)?;
            Some((t.term.mid() * s.term.mid(), t, s))
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    if let Some((v, t, s)) = by_items {
        let words = format!(
            "{} × {}",
            fig(design, said, t).said,
            fig(design, said, s).said
        );
        return Some((v, words, vec![t, s]));
    }
    flows(Dim::BYTE_RATE)
        .max_by(|a, b| a.term.mid().total_cmp(&b.term.mid()))
        .map(|b| (b.term.mid(), fig(design, said, b).said, vec![b]))
}

/// Storage said for a retention ("13 months is about 7 TB") without the
/// rate that fills it, against that rate.
pub(super) fn retention(
    design: &Design,
    said: &[Said],
    figs: &[Fig<'_>],
    summed: &[(usize, usize)],
    out: &mut Vec<Mismatch>,
) {
    for (si, s) in said.iter().enumerate() {
        if s.diagram || s.hypothetical || s.what_if_turn {
            continue;
        }
        if s.terms
            .iter()
            .any(|t| matches!(t.dim, Dim::RATE | Dim::BYTE_RATE))
        {
            continue;
        }
        let free = |k: usize| !summed.contains(&(si, k));
        let read_as = |k: usize, ms: &[Measure]| {
            figs.iter()
                .find(|f| f.si == si && f.k == k)
                .is_some_and(|f| f.measure.is_some_and(|m| ms.contains(&m)))
        };
        // Storage (not a record or a hash: "8-byte") kept for a retention
        // (not a TTL, a window or a schedule).
        let text = &design.text()[s.start..s.end];
        let Some(kv) = (0..s.terms.len()).find(|&k| {
            let t = &s.terms[k];
            t.dim == Dim::BYTES
                && t.each.is_none()
                && t.lo >= 1e6
                && free(k)
                && read_as(k, &[Measure::Volume])
                && !one_item(text, t)
        }) else {
            continue;
        };
        let Some(kd) = (0..s.terms.len()).find(|&k| {
            s.terms[k].dim == Dim::SECS
                && s.terms[k].lo >= 86_400.0
                && free(k)
                && read_as(k, &[Measure::Retention, Measure::Duration])
        }) else {
            continue;
        };
        // A store fed by no arrow is the design's store; one fed by a stage
        // stores what that stage writes, which is not known here.
        // Said of a hop (an answer about the arrow out of the store: "a
        // weekly run reads 90 days of the feature log") it is that hop's
        // store.
        let vfig = figs.iter().find(|f| f.si == si && f.k == kv);
        let store = vfig.and_then(|f| {
            f.subject
                .or_else(|| f.hop.and_then(|h| design.edges.get(h)).map(|e| e.from))
        });
        let fed = store.is_some_and(|c| design.current_edges().any(|e| e.to == c));
        if fed {
            continue;
        }
        let Some((rate, words, used)) = stored_rate(design, said, figs) else {
            continue;
        };
        let (vol, dur) = (&s.terms[kv], &s.terms[kd]);
        let implied = rate * dur.mid();
        if (implied / vol.mid()).max(vol.mid() / implied) < TOLERANCE {
            continue;
        }
        let st = figure(design, said, si, kv);
        let working = format!(
            "{} of {words} is about {}, not {}: {}.",
            figure(design, said, si, kd).said,
            speak(implied, Dim::BYTES, None, None),
            st.said,
            apart(implied, st.value)
        );
        let (mut quotes, mut turns) = quotes(design, said, &used);
        quotes.push(s.evidence(design));
        turns.push(s.turn);
        out.push(Mismatch {
            check: Check::Retention,
            severity: Severity::Contradiction,
            stated: st,
            implied,
            working,
            quotes,
            turns,
        });
    }
}

/// True when a size is one thing's, not what is kept: "a 6 TB set", "an
/// 800 GB snapshot" (an article before it, a noun right after it), not
/// "about 7 TB", "a total of 7 TB" or "a 7 TB table" (a table, a lake, a
/// bucket holds what is kept).
fn one_item(text: &str, t: &Term) -> bool {
    let before = text.get(..t.start).unwrap_or_default().to_ascii_lowercase();
    let after = text.get(t.end..).unwrap_or_default().to_ascii_lowercase();
    let article = [
        "a",
        "an",
        "one",
        "each",
        "every",
        "the largest",
        "a typical",
    ]
    .iter()
    .any(|w| before.trim_end().ends_with(&format!(" {w}")) || before.trim_end() == *w);
    let next = after
        .split(|c: char| !c.is_ascii_alphanumeric() && c != '-')
        .find(|w| !w.is_empty())
        .unwrap_or_default();
    article
        && !next.is_empty()
        && !matches!(
            next,
            "of" | "a"
                | "per"
                | "is"
                | "are"
                | "in"
                | "total"
                | "in-total"
                | "over"
                | "for"
                | "and"
                | "table"
                | "tables"
                | "lake"
                | "store"
                | "bucket"
                | "cluster"
                | "footprint"
                | "archive"
                | "history"
        )
}

/// A partition or shard count.
fn is_partitions(f: &Fig<'_>) -> bool {
    f.term.dim == Dim::COUNT
        && matches!(f.term.noun.as_deref(), Some("partition" | "shard"))
        && f.term.lo >= 1.0
}

/// Words that bound the load of one partition from above.
const BOUND: &[&str] = &["under", "below", "less than", "no more than", "<", "≤"];

/// A stated bound is exceeded once the load is half as much again: "under
/// 1 MB/s" with 1.5 MB/s on each is not a rounding difference.
const BOUND_TOLERANCE: f64 = 1.5;

/// The partitions a per-partition figure said of nothing in particular
/// ("each partition stays under 1 MB/s") is about: the only partitioned
/// flow of the design, when every partition count said sits on it.
fn only_partitioned<'f>(design: &Design, figs: &'f [Fig<'_>], e: &Fig<'_>) -> Option<&'f Fig<'f>> {
    if e.hop.is_some() || e.subject.is_some() {
        return None;
    }
    let mut counts = figs
        .iter()
        .filter(|p| is_partitions(p) && (p.hop.is_some() || p.subject.is_some()));
    let last = counts.next_back()?;
    counts
        .all(|p| rel(design, p, last, false) == Some(Rel::Same))
        .then_some(last)
}

const CAPACITY: &[&str] = &[
    "can take",
    "can handle",
    "handles",
    "takes up to",
    "up to",
    "max",
    "limit",
    "tops out",
    "at most",
    "ceiling",
];

/// Words before a per-partition figure that make it the budget one
/// partition is sized to ("at a conservative 5 MB/s per partition that's
/// 20"): a ceiling, like [`CAPACITY`].
const SIZING: &[&str] = &[
    "conservative",
    "budget",
    "comfortabl",
    "safely",
    "rule of thumb",
    "assuming",
    "plan for",
    "planning for",
];

/// A per-partition figure against the rate over the partitions: "50 MB/s
/// each" next to "200 MB/s" and "4 partitions"; a per-partition ceiling
/// they stated against the load they put on one.
pub(super) fn per_partition(
    design: &Design,
    said: &[Said],
    figs: &[Fig<'_>],
    out: &mut Vec<Mismatch>,
) {
    for (si, s) in said.iter().enumerate() {
        let lower = design.text()[s.start..s.end].to_ascii_lowercase();
        if s.hypothetical
            || s.what_if_turn
            || !(lower.contains("partition") || lower.contains("shard"))
        {
            continue;
        }
        for e in figs
            .iter()
            .filter(|f| f.si == si && f.per_unit && !f.term.every)
        {
            if !matches!(e.term.dim, Dim::RATE | Dim::BYTE_RATE) {
                continue;
            }
            let before = &lower[..e.term.start];
            // A bound they put on the load of one ("each partition stays
            // under 1 MB/s"): the load over the partitions must sit below it.
            let bound = BOUND
                .iter()
                .any(|w| tail(before, 12).trim_end().ends_with(w))
                && tail(before, 40).contains("partition");
            // A capacity said after the figure, in its clause: "against
            // the 10 MB/s a partition can take".
            let after = lower.get(e.term.end..).unwrap_or("");
            let after = &after[..after
                .find([',', ';', '.', '('])
                .unwrap_or(after.len())
                .min(after.len())];
            let after = &after[..(0..=after.len().min(30))
                .rev()
                .find(|&i| after.is_char_boundary(i))
                .unwrap_or(0)];
            let per_partition_said = || {
                lower
                    .get(e.term.start..e.term.end + after.len())
                    .is_some_and(|t| t.contains("partition"))
            };
            let ceiling = bound
                || SIZING.iter().any(|w| tail(before, 30).contains(w)) && per_partition_said()
                || CAPACITY.iter().any(|w| tail(before, 30).contains(w))
                    && tail(before, 40).contains("partition")
                || CAPACITY.iter().any(|w| after.contains(w))
                    && lower
                        .get(e.term.start..e.term.end + after.len())
                        .is_some_and(|t| t.contains("partition"));
            let each = e.term.each.is_some();
            if !(each || ceiling) {
                continue;
            }
            // The partitions: said in this sentence, else those of the
            // flow this figure is about.
            let local = figs
                .iter()
                .filter(|f| f.si == si)
                .find(|f| is_partitions(f));
            let parts = figs
                .iter()
                .filter(|p| is_partitions(p) && (p.hop.is_some() || p.subject.is_some()))
                .rfind(|p| match local {
                    Some(l) => (p.term.mid() - l.term.mid()).abs() < 0.5,
                    None => rel(design, p, e, false) == Some(Rel::Same),
                })
                .or(local)
                .or_else(|| only_partitioned(design, figs, e));
            let Some(p) = parts else { continue };
            let n = p.term.mid();
            // Against a ceiling, the most that flows; a load said per
            // partition is read against the flow it fits best ("460/s on
            // average, a few thousand/s in a burst": 20/s a partition is
            // the average's).
            let misfit = |r: &Fig<'_>| {
                let each = r.term.mid() / n;
                (each / e.term.mid()).max(e.term.mid() / each)
            };
            let totals = figs
                .iter()
                .filter(|r| r.term.dim == e.term.dim && !r.per_unit && r.si != si)
                .filter(|r| rel(design, p, r, false) == Some(Rel::Same));
            let total = if ceiling {
                totals.max_by(|a, b| a.term.mid().total_cmp(&b.term.mid()))
            } else {
                totals.min_by(|a, b| misfit(a).total_cmp(&misfit(b)))
            };
            let Some(r) = total else { continue };
            let each = r.term.mid() / n;
            let stated = e.term.mid();
            let off = if ceiling {
                each / stated
            } else {
                (each / stated).max(stated / each)
            };
            if off < if bound { BOUND_TOLERANCE } else { TOLERANCE } {
                continue;
            }
            let st = fig(design, said, e);
            let spoken = speak(each, e.term.dim, e.term.period, e.term.noun.as_deref());
            let load = format!(
                "{} over {} is",
                fig(design, said, r).said,
                fig(design, said, p).said
            );
            let over = |about: &str, limit: &str| {
                format!(
                    "{load} {about}{spoken} per partition, {} the {} you said {limit}.",
                    super::super::factor(off),
                    st.said
                )
            };
            let working = if bound {
                over("about ", "each one stays under")
            } else if ceiling {
                over("", "one can take")
            } else {
                format!(
                    "{load} about {spoken} per partition, not {}: {}.",
                    st.said,
                    apart(each, stated)
                )
            };
            let (quotes, turns) = quotes(design, said, &[r, p, e]);
            out.push(Mismatch {
                check: Check::PerPartition,
                severity: Severity::Contradiction,
                stated: st,
                implied: each,
                working,
                quotes,
                turns,
            });
        }
    }
}
