//! Components mentioned in a sentence: products and generic boxes the
//! catalogue knows, and boxes the candidate drew under their own names.
//! Every name is found once in the whole turn; a sentence's mentions are
//! read off those finds, not searched for again.

use super::Ctx;
use crate::design::Design;
use crate::read::analysis::Analysis;
use crate::read::components::Occurrences;
use crate::read::text::word_bounded;
use crate::rubric::ComponentKind;

/// Whether `needle` (not empty) occurs in the short `hay`: what
/// `str::contains` says, without building a searcher for a few bytes.
fn holds(hay: &[u8], needle: &[u8]) -> bool {
    let Some((&first, _)) = needle.split_first() else {
        return true;
    };
    hay.len() >= needle.len()
        && (0..=hay.len() - needle.len())
            .any(|i| hay[i] == first && &hay[i..i + needle.len()] == needle)
}

/// Whether `needle` (not empty) occurs word-bounded in the short `hay`,
/// reading its finds left to right without overlap, as `match_indices`
/// does, without building a searcher for a few bytes.
pub(super) fn word_find(hay: &[u8], needle: &[u8]) -> bool {
    let Some(&first) = needle.first() else {
        return false;
    };
    let mut i = 0;
    while i + needle.len() <= hay.len() {
        if hay[i] == first && hay[i..].starts_with(needle) {
            if word_bounded(hay, i, i + needle.len()) {
                return true;
            }
            i += needle.len();
        } else {
            i += 1;
        }
    }
    false
}

/// Drawn boxes by their own words without the product ("dataset builder"
/// for "Spark dataset builder", "training sets" for "S3 training sets"),
/// as a candidate calls them in prose: two words or more, letters only,
/// and one box's alone (two boxes shortening alike keep their full names).
pub(crate) fn short_names(d: &Design) -> Vec<(usize, Vec<u8>)> {
    let mut out: Vec<(usize, Vec<u8>)> = Vec::new();
    let mut clash: Vec<Vec<u8>> = Vec::new();
    for (i, c) in d.components.iter().enumerate().filter(|(_, c)| c.drawn) {
        let Some(product) = c.product.as_deref() else {
            continue;
        };
        let Some(rest) = c
            .name
            .strip_prefix(product)
            .filter(|r| r.starts_with(' '))
            .map(str::trim)
        else {
            continue;
        };
        let words = rest.split(' ').count();
        // "dim_customer" of "Snowflake dim_customer": one word, but a table's
        // own identifier, said alone in prose.
        let identifier = words == 1
            && rest.len() >= 5
            && rest.contains('_')
            && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if !identifier && (words < 2 || !rest.bytes().all(|b| b.is_ascii_alphabetic() || b == b' '))
        {
            continue;
        }
        let short = rest.as_bytes().to_ascii_lowercase();
        if out.iter().any(|(_, n)| *n == short) {
            clash.push(short);
        } else {
            out.push((i, short));
        }
    }
    out.retain(|(_, n)| !clash.contains(n));
    out
}

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
    /// Every drawn component with its name lower-cased, in order.
    drawn: Vec<(usize, String)>,
}

impl Finder {
    pub(super) fn new(d: &Design, text: &str, occurrences: Option<Occurrences>) -> Finder {
        let lower = text.to_ascii_lowercase();
        let mut names: Vec<Vec<u8>> = Vec::new();
        let mut starts: Vec<Vec<usize>> = Vec::new();
        let mut boxes = Vec::new();
        let aliases = short_names(d);
        let named = d
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.drawn)
            .map(|(i, c)| (i, c.name.as_bytes().to_ascii_lowercase()))
            .chain(aliases);
        for (i, name) in named {
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
        let drawn = d
            .components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.drawn)
            .map(|(i, c)| (i, c.name.to_ascii_lowercase()))
            .collect();
        Finder {
            lower,
            boxes,
            starts,
            occurrences,
            drawn,
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
        let idx = &cx.reader.index;
        // Names found, `Err(entry)` for a catalogue name not yet resolved to
        // a component: only those left after the overlaps go are resolved.
        let mut all: Vec<(usize, usize, Result<usize, u32>)> = self.box_names_in(s, e);
        all.extend(
            self.catalogue_spans(cx, s, e)
                .into_iter()
                .filter(|&(a, z, i)| idx.entry(i).is_some() && st.get(a..z).is_some())
                .map(|(a, z, i)| (a, z, Err(i))),
        );
        // Leftmost, then longest; a drawn name before a catalogue one on a tie.
        all.sort_by_key(|m| (m.0, std::cmp::Reverse(m.1)));
        let mut out: Vec<Mention> = Vec::with_capacity(all.len());
        for (a, z, what) in all {
            if out.last().is_none_or(|l| a >= l.end) {
                let comp = match what {
                    Ok(c) => Some(c),
                    Err(i) => idx
                        .entry(i)
                        .and_then(|entry| self.resolve(d, st, (a, z), entry)),
                };
                out.push(Mention {
                    start: a,
                    end: z,
                    comp,
                });
            }
        }
        out
    }

    /// The component a catalogue name at `st[a..z]` stands for, from its
    /// entry: canonical name, kind, generic or not.
    fn resolve(
        &self,
        d: &Design,
        st: &str,
        (a, z): (usize, usize),
        (name, kind, vague): (&str, ComponentKind, bool),
    ) -> Option<usize> {
        let said = &st[a..z];
        if vague {
            return d
                .components
                .iter()
                .position(|c| c.name.eq_ignore_ascii_case(said));
        }
        let of_product = |c: usize| d.components[c].product.as_deref() == Some(name);
        // A drawn box whose name is this mention ("S3 raw" for "S3 raw"),
        // else the first with the product.
        let here = &st[a..];
        self.drawn
            .iter()
            .filter(|(c, _)| of_product(*c))
            .find(|(c, _)| {
                let n = &d.components[*c].name;
                here.get(..n.len())
                    .is_some_and(|h| h.eq_ignore_ascii_case(n))
            })
            .map(|(c, _)| *c)
            .or_else(|| {
                // Two boxes on one product ("S3 raw events", "S3 staging"):
                // the one whose own word follows the mention ("s3://staging/...").
                let near = here
                    .get(..here.len().min(said.len() + 24))
                    .unwrap_or(here)
                    .to_ascii_lowercase();
                self.drawn
                    .iter()
                    .filter(|(c, _)| of_product(*c))
                    .find(|(_, lower)| {
                        lower
                            .split_whitespace()
                            .filter(|w| !w.eq_ignore_ascii_case(name) && w.len() >= 3)
                            .any(|w| holds(near.as_bytes(), w.as_bytes()))
                    })
                    .map(|(c, _)| *c)
            })
            .or_else(|| {
                // A table format on the one object store drawn: "Iceberg" in
                // prose is the "S3 (Iceberg)" box.
                (kind == ComponentKind::ObjectStore)
                    .then(|| d.sole_drawn(kind))
                    .flatten()
            })
            // The one box whose note names it: "S3 raw (Iceberg)".
            .or_else(|| super::boxes::noted_box(d, name))
            .or_else(|| {
                // A box drawn with the product in its name ("S3 (Iceberg)"
                // for "Iceberg").
                let said = said.to_ascii_lowercase();
                self.drawn
                    .iter()
                    .find(|(_, n)| word_find(n.as_bytes(), said.as_bytes()))
                    .map(|(c, _)| *c)
            })
            .or_else(|| d.find(name))
    }

    /// Drawn boxes named in `text[s..e]` by the name they were drawn with:
    /// each name's non-overlapping, word-bounded finds from the sentence
    /// start, box by box.
    fn box_names_in(&self, s: usize, e: usize) -> Vec<(usize, usize, Result<usize, u32>)> {
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
                    out.push((a, z, Ok(b.comp)));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_is_str_contains() {
        let hay = "s3://staging/events — raw";
        for needle in ["staging", "raw", "s3:", "raw!", "events — r", "x", "w", hay] {
            assert_eq!(
                holds(hay.as_bytes(), needle.as_bytes()),
                hay.contains(needle),
                "{needle}"
            );
        }
        assert!(!holds(b"ab", b"abc"));
        for (hay, needle) in [
            ("s3 (iceberg)", "iceberg"),
            ("icebergs", "iceberg"),
            ("aaa", "aa"),
            ("a a a", "a a"),
            ("kafka", ""),
            ("", "x"),
        ] {
            assert_eq!(
                word_find(hay.as_bytes(), needle.as_bytes()),
                !needle.is_empty()
                    && hay.match_indices(needle).any(|(at, _)| word_bounded(
                        hay.as_bytes(),
                        at,
                        at + needle.len()
                    )),
                "{needle} in {hay}"
            );
        }
        assert!(holds(b"", b""));
    }
}
