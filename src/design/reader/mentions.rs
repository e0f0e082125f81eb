//! Components mentioned in a sentence: products and generic boxes the
//! catalogue knows, and boxes the candidate drew under their own names.
//! Every name is found once in the whole turn; a sentence's mentions are
//! read off those finds, not searched for again.

use super::Ctx;
use crate::design::Design;
use crate::read::analysis::Analysis;
use crate::read::components::Occurrences;
use crate::read::text::word_bounded;

/// A mention in a sentence, resolved to a component of the model.
pub(super) struct Mention {
    pub start: usize,
    pub end: usize,
    pub comp: Option<usize>,
}

/// A drawn box's name and every place it occurs in the turn.
struct BoxName {
    comp: usize,
    len: usize,
    /// Index into [`Finder::starts`] (boxes drawn with one name share it).
    at: usize,
}

/// The names of one turn, found once. Built after the turn's boxes and
/// prose components are added: the components do not change while the
/// turn's sentences are read.
pub(super) struct Finder {
    /// The turn's text, ASCII-lowercased (same byte offsets and char
    /// boundaries).
    lower: String,
    boxes: Vec<BoxName>,
    /// Every start (overlapping ones too) of each distinct box name.
    starts: Vec<Vec<usize>>,
    occurrences: Option<Occurrences>,
}

impl Finder {
    pub(super) fn new(d: &Design, text: &str, occurrences: Option<Occurrences>) -> Finder {
        let lower = text.to_ascii_lowercase();
        let mut names: Vec<Vec<u8>> = Vec::new();
        let mut starts: Vec<Vec<usize>> = Vec::new();
        let mut boxes = Vec::new();
        for (i, c) in d.components.iter().enumerate().filter(|(_, c)| c.drawn) {
            let name = c.name.as_bytes().to_ascii_lowercase();
            if name.len() < 2 {
                continue;
            }
            let at = match names.iter().position(|n| *n == name) {
                Some(k) => k,
                None => {
                    let f = memchr::memmem::Finder::new(&name);
                    let mut found = Vec::new();
                    let mut pos = 0;
                    while let Some(k) = lower.as_bytes().get(pos..).and_then(|h| f.find(h)) {
                        found.push(pos + k);
                        pos += k + 1;
                    }
                    starts.push(found);
                    names.push(name.clone());
                    names.len() - 1
                }
            };
            boxes.push(BoxName {
                comp: i,
                len: name.len(),
                at,
            });
        }
        Finder {
            lower,
            boxes,
            starts,
            occurrences,
        }
    }

    /// The turn's text, ASCII-lowercased: `lower()[a..b]` is
    /// `text[a..b].to_ascii_lowercase()`.
    pub(super) fn lower(&self) -> &str {
        &self.lower
    }

    /// The mentions of every sentence of the turn that is read (duplicates
    /// get none), by sentence index.
    pub(super) fn per_sentence(
        &self,
        d: &Design,
        cx: &Ctx<'_>,
        an: &Analysis<'_>,
        dup: &[bool],
    ) -> Vec<Vec<Mention>> {
        an.sentences
            .iter()
            .enumerate()
            .map(|(si, s)| {
                if dup.get(si).copied().unwrap_or(false) {
                    Vec::new()
                } else {
                    self.mentions_in(d, cx, s.start, s.end)
                }
            })
            .collect()
    }

    /// The components mentioned in `cx.text[s..e]`, in order, offsets
    /// relative to `s`; the longest reading wins where they overlap.
    pub(super) fn mentions_in(&self, d: &Design, cx: &Ctx<'_>, s: usize, e: usize) -> Vec<Mention> {
        let st = &cx.text[s..e];
        let mut all = self.box_names_in(s, e);
        all.extend(catalogue_mentions(
            d,
            cx,
            st,
            self.catalogue_spans(cx, s, e),
        ));
        // Leftmost, then longest; a drawn name before a catalogue one on a tie.
        all.sort_by_key(|m| (m.start, std::cmp::Reverse(m.end)));
        let mut out: Vec<Mention> = Vec::with_capacity(all.len());
        for m in all {
            if out.last().is_none_or(|l| m.start >= l.end) {
                out.push(m);
            }
        }
        out
    }

    /// Drawn boxes named in `text[s..e]` by the name they were drawn with:
    /// each name's non-overlapping, word-bounded finds from the sentence
    /// start, box by box.
    fn box_names_in(&self, s: usize, e: usize) -> Vec<Mention> {
        let lower = &self.lower.as_bytes()[s..e];
        let mut out = Vec::new();
        for b in &self.boxes {
            let starts = &self.starts[b.at];
            let lo = starts.partition_point(|&p| p < s);
            let mut from = s;
            for &p in &starts[lo..] {
                if p + b.len > e {
                    break;
                }
                if p < from {
                    continue;
                }
                let (a, z) = (p - s, p - s + b.len);
                if word_bounded(lower, a, z) {
                    out.push(Mention {
                        start: a,
                        end: z,
                        comp: Some(b.comp),
                    });
                }
                from = p + b.len;
            }
        }
        out
    }

    /// The catalogue's spans in `text[s..e]`, relative to `s`.
    fn catalogue_spans(&self, cx: &Ctx<'_>, s: usize, e: usize) -> Vec<(usize, usize, u32)> {
        match &self.occurrences {
            Some(o) => o.spans_in(cx.text.as_bytes(), s, e),
            None => cx.reader.index.spans(&cx.text[s..e]),
        }
    }
}

fn catalogue_mentions(
    d: &Design,
    cx: &Ctx<'_>,
    st: &str,
    spans: Vec<(usize, usize, u32)>,
) -> Vec<Mention> {
    spans
        .into_iter()
        .filter_map(|span| cx.reader.index.mention(st, span))
        .map(|m| {
            let comp = if m.vague {
                d.components
                    .iter()
                    .position(|c| c.name.eq_ignore_ascii_case(&m.evidence.quote))
            } else {
                // A drawn box whose name is this mention ("S3 raw" for "S3 raw"),
                // else the first with the product.
                let here = &st[m.evidence.start..];
                d.components
                    .iter()
                    .enumerate()
                    .filter(|(_, c)| c.drawn && c.product.as_deref() == Some(m.name.as_str()))
                    .find(|(_, c)| {
                        here.get(..c.name.len())
                            .is_some_and(|h| h.eq_ignore_ascii_case(&c.name))
                    })
                    .map(|(i, _)| i)
                    .or_else(|| {
                        // Two boxes on one product ("S3 raw events", "S3
                        // staging"): the one whose own word follows the
                        // mention ("s3://staging/...").
                        let near = here
                            .get(..here.len().min(m.evidence.quote.len() + 24))
                            .unwrap_or(here)
                            .to_ascii_lowercase();
                        d.components
                            .iter()
                            .enumerate()
                            .filter(|(_, c)| {
                                c.drawn && c.product.as_deref() == Some(m.name.as_str())
                            })
                            .find(|(_, c)| {
                                c.name
                                    .to_ascii_lowercase()
                                    .split_whitespace()
                                    .filter(|w| !w.eq_ignore_ascii_case(&m.name) && w.len() >= 3)
                                    .any(|w| near.contains(w))
                            })
                            .map(|(i, _)| i)
                    })
                    .or_else(|| {
                        // A table format on the one object store drawn:
                        // "Iceberg" in prose is the "S3 (Iceberg)" box.
                        (m.kind == crate::rubric::ComponentKind::ObjectStore)
                            .then(|| d.sole_drawn(m.kind))
                            .flatten()
                    })
                    .or_else(|| {
                        // A box drawn with the product in its name ("S3
                        // (Iceberg)" for "Iceberg").
                        let said = m.evidence.quote.to_ascii_lowercase();
                        d.components.iter().position(|c| {
                            c.drawn && {
                                let n = c.name.to_ascii_lowercase();
                                n.match_indices(&said)
                                    .any(|(at, _)| word_bounded(n.as_bytes(), at, at + said.len()))
                            }
                        })
                    })
                    .or_else(|| d.find(&m.name))
            };
            Mention {
                start: m.evidence.start,
                end: m.evidence.end,
                comp,
            }
        })
        .collect()
}
