//! Numbers with what they quantify: the box note or arrow label they were
//! written in, else the component named nearest in their sentence.

use super::sentences::{mentions_in, subject_near};
use super::{shift, Ctx};
use crate::design::diagram::Diagram;
use crate::design::numbers::{measure_of, value_of};
use crate::design::{Design, Number, TurnReading};
use crate::read::analysis::Analysis;
use crate::read::Evidence;

pub(super) fn read_numbers(
    d: &mut Design,
    cx: &Ctx<'_>,
    an: &Analysis<'_>,
    dup: &[bool],
    dg: &Diagram,
    nodes: &[usize],
    out: &mut TurnReading,
) {
    for q in &an.quantities {
        let si = crate::read::sentences::sentence_at(&an.sentences, q.evidence.start);
        if si.is_some_and(|i| dup.get(i).copied().unwrap_or(false)) {
            continue;
        }
        let (ss, se) = si
            .and_then(|i| an.sentences.get(i))
            .map_or((0, cx.text.len()), |s| (s.start, s.end));
        let (qs, qe) = (q.evidence.start, q.evidence.end);
        let before_start = qs.saturating_sub(40).max(ss);
        let before = cx
            .text
            .get(before_start..qs)
            .unwrap_or("")
            .to_ascii_lowercase();
        let after = cx
            .text
            .get(qe..(qe + 30).min(se.max(qe)))
            .unwrap_or("")
            .to_ascii_lowercase();
        let measure = measure_of(q, &before, &after);
        let in_span = |e: &Evidence| e.start <= qs && qe <= e.end;
        let note_of = dg
            .nodes
            .iter()
            .position(|n| n.note.as_ref().is_some_and(in_span) || in_span(&n.evidence))
            .and_then(|ni| nodes.get(ni).copied());
        let edge = dg
            .edges
            .iter()
            .find(|e| e.label_span.as_ref().is_some_and(in_span))
            .and_then(|e| {
                let (f, t) = (nodes.get(e.from)?, nodes.get(e.to)?);
                d.edges.iter().position(|x| x.from == *f && x.to == *t)
            });
        let subject = note_of.or_else(|| {
            let ms = mentions_in(d, cx, ss, se);
            subject_near(&ms, qs - ss)
        });
        d.numbers.push(Number {
            measure,
            value: value_of(q),
            subject,
            edge,
            evidence: shift(&q.evidence, cx.off),
            turn: cx.turn,
        });
        out.numbers.push(d.numbers.len() - 1);
    }
}

/// A schedule said in a sentence: "hourly", "nightly", "every 15 minutes".
pub(super) fn schedule_in(st: &str, an: &Analysis<'_>, s: usize, e: usize) -> Option<f64> {
    let lower = st.to_ascii_lowercase();
    for (w, secs) in [
        ("hourly", 3600.0),
        ("every hour", 3600.0),
        ("daily", 86_400.0),
        ("nightly", 86_400.0),
        ("every night", 86_400.0),
        ("once a day", 86_400.0),
        ("every day", 86_400.0),
        ("weekly", 604_800.0),
    ] {
        if lower.contains(w) {
            return Some(secs);
        }
    }
    if let Some(i) = lower.find("every ") {
        let at = s + i;
        return an
            .quantities
            .iter()
            .filter(|q| {
                q.evidence.start >= at && q.evidence.start < e && q.evidence.start <= at + 12
            })
            .find_map(value_of);
    }
    None
}
