//! A sentence that goes on from the one before it: "vmalert queries
//! VictoriaMetrics every 15 seconds. Firing alerts go to Alertmanager as
//! JSON, dozens a minute." The second names only where the alerts go; what
//! sends them is the box the sentence before was about, as a listener
//! hears it.

use super::mentions::Mention;
use crate::design::prose::written_before;
use crate::design::Design;
use crate::read::analysis::Analysis;

/// The mentions of the sentence before sentence `si`, when `si` goes on
/// from it: the same paragraph (no blank line between), neither of them a
/// pasted duplicate nor a diagram line.
pub(super) fn before<'m>(
    an: &Analysis<'_>,
    text: &str,
    mentions: &'m [Vec<Mention>],
    dup: &[bool],
    in_diagram: impl Fn(usize, usize) -> bool,
    si: usize,
) -> &'m [Mention] {
    let Some(p) = si.checked_sub(1) else {
        return &[];
    };
    let (Some(prev), Some(cur)) = (an.sentences.get(p), an.sentences.get(si)) else {
        return &[];
    };
    let gap = text.get(prev.end..cur.start).unwrap_or("\n\n");
    if dup.get(p).copied().unwrap_or(true)
        || gap.contains("\n\n")
        || in_diagram(prev.start, prev.end)
    {
        return &[];
    }
    mentions.get(p).map_or(&[], Vec::as_slice)
}

/// The one hop between the single box sentence `st` names and a box the
/// sentence before named, when `st` says the data goes to that box ("go to
/// Alertmanager") or comes from it ("read from S3"). None when the sentence
/// names two boxes or none, or when more than one hop would fit: "Flink
/// restarts from its last checkpoint (a few hundred MB of state)" after a
/// sentence about Redis is not about the hop into Redis.
pub(super) fn hop(d: &Design, before: &[Mention], st: &str, ms: &[Mention]) -> Option<usize> {
    let named = |m: &Mention| {
        m.comp
            .filter(|&c| d.components.get(c).is_some_and(|x| !x.vague))
    };
    let mut here = ms.iter().filter_map(|m| named(m).map(|c| (c, m.start)));
    let (c, at) = here.next()?;
    if here.any(|(o, _)| o != c) {
        return None;
    }
    let earlier: Vec<usize> = before
        .iter()
        .filter_map(named)
        .filter(|&b| b != c)
        .collect();
    if earlier.is_empty() {
        return None;
    }
    let to_c = |e: &crate::design::Edge| e.to == c && earlier.contains(&e.from);
    let from_c = |e: &crate::design::Edge| e.from == c && earlier.contains(&e.to);
    if !d.edges.iter().any(|e| to_c(e) || from_c(e)) {
        return None;
    }
    let lead = st.get(..at).unwrap_or_default();
    let into = written_before(lead);
    let from = {
        let l = lead.trim_end().to_ascii_lowercase();
        l.ends_with(" from") || l.ends_with(" from the")
    };
    let mut fits = d
        .edges
        .iter()
        .enumerate()
        .filter(|(_, e)| (into && to_c(e)) || (from && from_c(e)));
    let (i, _) = fits.next()?;
    fits.next().is_none().then_some(i)
}
