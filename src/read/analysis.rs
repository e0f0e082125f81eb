//! One pass over a text: sentences, numbers, cue hits (negation removed)
//! and component mentions. The design model reads each turn with this and
//! keeps the parts; the scorer reads the parts of a whole round.

use std::borrow::Cow;
use std::collections::BTreeSet;

use super::clause_breaks::{enclosing_bracket, first_break, last_break};
use super::components::{ComponentIndex, ComponentMention, Occurrences};
use super::matcher::{Group, Hit, Matchers, Owner};
use super::negation::Clauses;
use super::quantity::{quantities, Quantity};
use super::sentences::{sentence_at, split_sentences, Sentence};
use super::text::{ceil_char, column_around, floor_char};
use super::Evidence;

const MIN_EXPLAINED_WORDS: usize = 5;
/// A clause shorter than this (in bytes) takes the one before it too.
const MIN_CLAUSE: usize = 40;
/// A bracket shorter than this ("(v1)") is no quote on its own.
const MIN_BRACKET_CHARS: usize = 8;
/// Characters stripped from both ends of a quote: markup and diagram borders.
const MARKUP: &[char] = &[
    '*', '`', '#', '>', '|', '+', '│', '─', '┌', '┐', '└', '┘', '├', '┤', '┬', '┴', '┼', '•', '-',
    '_', '=', '~', ',', ';', ':', '(', ')', '[', ']',
    // Arrow heads and heavy, double and rounded borders of drawn diagrams.
    '▼', '▲', '▶', '◀', '►', '◄', '↓', '↑', '→', '←', '⇒', '⇓', '↳', '┃', '━', '┏', '┓', '┗', '┛',
    '═', '║', '╔', '╗', '╚', '╝', '╠', '╣', '╦', '╩', '╬', '╭', '╮', '╯', '╰',
];
const QUOTE_MAX: usize = 220;

pub(crate) struct Analysis<'t> {
    pub text: &'t str,
    pub sentences: Cow<'t, [Sentence]>,
    /// Non-negated hits, each with its sentence index.
    pub hits: Cow<'t, [(Hit, usize)]>,
    /// `group code << 32 | hit index`, sorted: hits by owner group, in hit
    /// order within a group.
    groups: Cow<'t, [u64]>,
    pub quantities: Cow<'t, [Quantity]>,
    pub components: Cow<'t, [ComponentMention]>,
    /// Every occurrence of a catalogue name, from the same pass, so the
    /// names in any sentence follow without another search.
    occurrences: Option<Occurrences>,
    /// For each sentence, the sentence gates it can match (bit `i` for
    /// gate `i` of the matchers): the literals' finds, from the same pass.
    gates: Vec<u8>,
}

/// What an analysis found, owned and without the text: the design model
/// keeps one per round, turn after turn, with offsets into the joined text.
#[derive(Clone, Default)]
pub(crate) struct Parts {
    pub sentences: Vec<Sentence>,
    hits: Vec<(Hit, usize)>,
    pub quantities: Vec<Quantity>,
    pub components: Vec<ComponentMention>,
    /// The hits by owner group (see [`Analysis::group`]), kept in step with
    /// `hits`.
    groups: Vec<u64>,
}

/// The groups are derived from the hits: not part of what was found.
impl std::fmt::Debug for Parts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Parts")
            .field("sentences", &self.sentences)
            .field("hits", &self.hits)
            .field("quantities", &self.quantities)
            .field("components", &self.components)
            .finish()
    }
}

impl Parts {
    pub(crate) fn new(
        sentences: Vec<Sentence>,
        hits: Vec<(Hit, usize)>,
        quantities: Vec<Quantity>,
        components: Vec<ComponentMention>,
    ) -> Parts {
        Parts {
            groups: groups(&hits),
            sentences,
            hits,
            quantities,
            components,
        }
    }

    /// Nothing read yet.
    fn is_empty(&self) -> bool {
        self.sentences.is_empty()
            && self.hits.is_empty()
            && self.quantities.is_empty()
            && self.components.is_empty()
    }

    /// The non-negated hits, each with its sentence index.
    pub(crate) fn hits(&self) -> &[(Hit, usize)] {
        &self.hits
    }

    /// Keep the hits `keep` says to; the groups follow without a re-sort
    /// (a kept hit's new index is the number kept before it, so their
    /// order is unchanged).
    pub(crate) fn retain_hits(&mut self, mut keep: impl FnMut(&(Hit, usize)) -> bool) {
        let mut new_index = Vec::with_capacity(self.hits.len());
        let mut kept = 0u64;
        for h in &self.hits {
            if keep(h) {
                new_index.push(Some(kept));
                kept += 1;
            } else {
                new_index.push(None);
            }
        }
        if kept as usize == self.hits.len() {
            return;
        }
        let mut i = 0;
        self.hits.retain(|_| {
            i += 1;
            new_index[i - 1].is_some()
        });
        self.groups.retain_mut(|g| {
            match new_index
                .get((*g & 0xFFFF_FFFF) as usize)
                .copied()
                .flatten()
            {
                Some(n) => {
                    *g = (*g & !0xFFFF_FFFF) | n;
                    true
                }
                None => false,
            }
        });
    }

    /// Append another text's parts, found at byte `offset` of this one.
    pub(crate) fn append(&mut self, other: Parts, offset: usize) {
        // The first turn of a model (and every written answer) is taken
        // as it is: nothing to shift, merge or copy.
        if offset == 0 && self.is_empty() {
            *self = other;
            return;
        }
        let base = self.sentences.len();
        let hit_base = self.hits.len() as u64;
        self.sentences
            .extend(other.sentences.into_iter().map(|mut s| {
                s.start += offset;
                s.end += offset;
                s
            }));
        self.hits.extend(other.hits.into_iter().map(|(mut h, si)| {
            h.start += offset;
            h.end += offset;
            (h, si + base)
        }));
        // Both lists are sorted and every new hit comes after the old ones:
        // merged, they are what sorting all the hits' keys gives.
        let old = std::mem::take(&mut self.groups);
        let mut new = other.groups.into_iter().map(|g| g + hit_base).peekable();
        let mut merged = Vec::with_capacity(old.len() + new.len());
        for g in old {
            while let Some(n) = new.next_if(|&n| n < g) {
                merged.push(n);
            }
            merged.push(g);
        }
        merged.extend(new);
        self.groups = merged;
        self.quantities
            .extend(other.quantities.into_iter().map(|mut q| {
                q.evidence.start += offset;
                q.evidence.end += offset;
                q
            }));
        self.components
            .extend(other.components.into_iter().map(|mut c| {
                c.evidence.start += offset;
                c.evidence.end += offset;
                c
            }));
    }
}

impl<'t> Analysis<'t> {
    /// Everything a scorecard needs.
    pub(crate) fn new(text: &'t str, m: &Matchers, idx: &ComponentIndex) -> Self {
        Self::build(text, m, Some(idx))
    }

    /// Sentences, quantities and hits only: enough for concept strengths,
    /// without the component and diagram passes the live `/score` never reads.
    pub(crate) fn cues_only(text: &'t str, m: &Matchers) -> Self {
        Self::build(text, m, None)
    }

    fn build(text: &'t str, m: &Matchers, idx: Option<&ComponentIndex>) -> Self {
        let mut sentences = split_sentences(text);
        let quantities = quantities(text);
        let scan = m.scan(text, idx);
        // A gate literal counts for the sentence it starts in when it ends
        // there too.
        let mut gates = vec![m.gates_open(text); sentences.len()];
        for &(s, e, g) in &scan.gates {
            if let Some(si) = sentence_at(&sentences, s) {
                if sentences[si].start <= s && e <= sentences[si].end {
                    gates[si] |= 1 << g;
                }
            }
        }
        let mut reasons = vec![false; sentences.len()];
        for &p in &scan.markers {
            if let Some(i) = sentence_at(&sentences, p) {
                reasons[i] = true;
            }
        }
        for q in &quantities {
            if let Some(i) = sentence_at(&sentences, q.evidence.start) {
                reasons[i] = true;
            }
        }
        for (s, r) in sentences.iter_mut().zip(&reasons) {
            s.explained = *r && s.words >= MIN_EXPLAINED_WORDS && !s.list_like;
        }
        for &p in &scan.not_reasons {
            if let Some(i) = sentence_at(&sentences, p) {
                sentences[i].hollow_reason = true;
            }
        }
        let sites = &scan.sites;
        // Built on the first cue a negation word could reach.
        let mut clauses: Option<Clauses<'t>> = None;
        let mut negated = |sent_start: usize, start: usize, end: usize| {
            sites.near(start, end) && {
                let c = clauses.get_or_insert_with(|| Clauses::new(text));
                c.is_negated(&m.negation, sent_start, start, end)
                    || c.in_negated_list(&m.negation, sent_start, start, end)
            }
        };
        let mut raw = scan.hits;
        raw.sort_by_key(|h| (h.start, h.end));
        let mut hits: Vec<(Hit, usize)> = Vec::with_capacity(raw.len());
        let mut last: Option<(usize, usize, bool)> = None;
        for h in raw {
            let Some(si) = sentence_at(&sentences, h.start) else {
                continue;
            };
            let neg = match last {
                Some((s, e, neg)) if s == h.start && e == h.end => neg,
                _ => {
                    let neg = negated(sentences[si].start, h.start, h.end);
                    last = Some((h.start, h.end, neg));
                    neg
                }
            };
            if !neg {
                hits.push((h, si));
            }
        }
        // A failure or mechanism named together with how it is detected or
        // handled is reasoning, even without a connective ("per-shard alerts
        // show it; we replicate the hottest keys").
        // The two are different words, and the handling is not a concept's
        // own name: "we would use exactly-once and checkpoints" names a
        // guarantee and a mechanism without saying how either works.
        for chunk in hits.chunk_by(|a, b| a.1 == b.1) {
            let Some(s) = sentences.get_mut(chunk[0].1) else {
                continue;
            };
            if !s.explained && s.words >= MIN_EXPLAINED_WORDS && !s.list_like {
                s.explained = handled_in_other_words(chunk);
            }
        }
        let (Some(idx), Some(spans)) = (idx, scan.components) else {
            return Analysis {
                text,
                sentences: Cow::Owned(sentences),
                groups: Cow::Owned(groups(&hits)),
                hits: Cow::Owned(hits),
                quantities: Cow::Owned(quantities),
                components: Cow::Owned(Vec::new()),
                occurrences: None,
                gates,
            };
        };
        let components = spans
            .into_iter()
            .filter(|&(s, e, _)| {
                let si = sentence_at(&sentences, s).unwrap_or(0);
                let ss = sentences.get(si).map(|x| x.start).unwrap_or(0);
                !negated(ss, s, e)
            })
            .filter_map(|span| idx.mention(text, span))
            .collect();
        Analysis {
            text,
            sentences: Cow::Owned(sentences),
            groups: Cow::Owned(groups(&hits)),
            hits: Cow::Owned(hits),
            quantities: Cow::Owned(quantities),
            components: Cow::Owned(components),
            occurrences: scan.occurrences,
            gates,
        }
    }

    /// The sentence gates each sentence can match (empty for a view over
    /// kept parts, which do not keep them).
    pub(crate) fn take_gates(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.gates)
    }

    /// The catalogue names' occurrences, when the pass kept them.
    pub(crate) fn take_occurrences(&mut self) -> Option<Occurrences> {
        self.occurrences.take()
    }

    /// The owned parts, for the design model to keep.
    pub(crate) fn into_parts(self) -> Parts {
        Parts {
            sentences: self.sentences.into_owned(),
            hits: self.hits.into_owned(),
            quantities: self.quantities.into_owned(),
            components: self.components.into_owned(),
            groups: self.groups.into_owned(),
        }
    }

    /// A view over parts kept by the design model for `text`.
    pub(crate) fn from_parts(text: &'t str, p: Parts) -> Self {
        Analysis {
            text,
            groups: Cow::Owned(p.groups),
            sentences: Cow::Owned(p.sentences),
            hits: Cow::Owned(p.hits),
            quantities: Cow::Owned(p.quantities),
            components: Cow::Owned(p.components),
            occurrences: None,
            gates: Vec::new(),
        }
    }

    /// The same view, borrowing the parts.
    pub(crate) fn of_parts(text: &'t str, p: &'t Parts) -> Self {
        Analysis {
            text,
            groups: Cow::Borrowed(&p.groups),
            sentences: Cow::Borrowed(&p.sentences),
            hits: Cow::Borrowed(&p.hits),
            quantities: Cow::Borrowed(&p.quantities),
            components: Cow::Borrowed(&p.components),
            occurrences: None,
            gates: Vec::new(),
        }
    }

    /// The hits of one owner group, in text order.
    pub(crate) fn group(&self, g: Group) -> impl Iterator<Item = &(Hit, usize)> + '_ {
        let code = u64::from(g.code()) << 32;
        let lo = self.groups.partition_point(|&k| k < code);
        let hi = self.groups.partition_point(|&k| k < code + (1 << 32));
        self.groups[lo..hi]
            .iter()
            .filter_map(|&k| self.hits.get((k & 0xFFFF_FFFF) as usize))
    }

    /// The hits of one owner, in text order.
    pub(crate) fn owned(&self, o: Owner) -> impl Iterator<Item = &(Hit, usize)> + '_ {
        self.group(o.group()).filter(move |(h, _)| h.owner == o)
    }

    pub(crate) fn explained(&self, si: usize) -> bool {
        self.sentences.get(si).is_some_and(|s| s.explained)
    }

    /// Sentence `si` credits a guarantee to a product's name ("exactly-once
    /// because of Kafka", "Kafka has exactly-once so it's fine") instead of
    /// saying how it holds.
    pub(crate) fn credits_a_product(&self, si: usize) -> bool {
        let Some(s) = self.sentences.get(si) else {
            return false;
        };
        let Some(sentence) = self.text.get(s.start..s.end) else {
            return false;
        };
        let product = |at: usize| {
            if self.components.is_empty() {
                return super::credit::capitalised_word(sentence, at);
            }
            self.components
                .iter()
                .find(|c| !c.vague && c.evidence.start == s.start + at)
                .map(|c| c.evidence.end - c.evidence.start)
        };
        super::credit::credits_a_product(sentence, product)
            || super::credit::product_claims_it(sentence, product)
    }

    /// Sentence `si` claims the platform takes care of it, with no
    /// mechanism ("The cloud handles most of the hard parts", "Since it is
    /// ACID it is fully reliable").
    pub(crate) fn hand_waved(&self, si: usize) -> bool {
        self.sentences
            .get(si)
            .and_then(|s| self.text.get(s.start..s.end))
            .is_some_and(super::hand_wave::hand_wave)
    }

    pub(crate) fn list_like(&self, si: usize) -> bool {
        self.sentences.get(si).is_some_and(|s| s.list_like)
    }

    /// A quote around a hit: its sentence, clipped to a readable window.
    pub(crate) fn evidence(&self, si: usize, start: usize, end: usize) -> Evidence {
        self.evidence_within(si, start, end, QUOTE_MAX)
    }

    /// A quote around a hit: its sentence, or the clause around the hit
    /// when the sentence is longer than `max` bytes.
    pub(crate) fn evidence_within(
        &self,
        si: usize,
        start: usize,
        end: usize,
        max: usize,
    ) -> Evidence {
        let (a, b) = self.quote_span(si, start, end, max);
        Evidence {
            start: a,
            end: b,
            quote: self.text[a..b].to_string(),
        }
    }

    /// The span [`Self::evidence_within`] quotes.
    fn quote_span(&self, si: usize, start: usize, end: usize, max: usize) -> (usize, usize) {
        let text = self.text;
        let (ss, se) = self
            .sentences
            .get(si)
            .map(|s| (s.start, s.end))
            .unwrap_or((start, end));
        let (ss, se) = (ss.min(start), se.max(end));
        // The sentence, unless it runs long: then the clause around the hit
        // (never a fragment: a short clause takes its neighbours).
        let (mut a, mut b) = (ss, se);
        if b - a > max {
            let clause_start = last_break(text, ss, start).map_or(ss, |i| i + 1);
            let clause_end = first_break(text, ss, end, se).unwrap_or(se);
            a = clause_start;
            b = clause_end;
            let hit_clause = (a, b);
            if b - a < MIN_CLAUSE {
                a = last_break(text, ss, a.saturating_sub(1).max(ss)).map_or(ss, |i| i + 1);
            }
            // Too long around a bracket the hit is in: the bracket's words
            // ("Pinot, upsert table" of a long diagram row).
            if b - a > max {
                if let Some((o, c)) = enclosing_bracket(text, (ss, se), (start, end)) {
                    if c - o <= max && c - o > MIN_BRACKET_CHARS {
                        a = o + 1;
                        b = c;
                    }
                }
            }
            if b - a > max && hit_clause.1 - hit_clause.0 <= max {
                // Still long: the words before the hit's own clause give
                // way, so the quote ends where the clause does ("… any
                // mismatch is skew or leakage", not "… skew or").
                b = hit_clause.1;
                a = ceil_char(text, a.max(b.saturating_sub(max)));
                if !text[..a].ends_with(char::is_whitespace) {
                    if let Some(i) = text[a..start].find(' ') {
                        a += i + 1;
                    }
                }
            }
            if b - a > max {
                // Still long: whole words around the hit.
                let room = max.saturating_sub(end - start) / 2;
                a = a.max(start.saturating_sub(room));
                b = b.min(end + room);
                a = floor_char(text, a);
                b = ceil_char(text, b);
                if let Some(i) = text[a..start].find(' ') {
                    a += i + 1;
                }
                if let Some(i) = text[end..b].rfind(' ') {
                    b = end + i;
                }
            }
        }
        let (a, b) = column_around(
            text,
            (floor_char(text, a), ceil_char(text, b)),
            (start, end),
        );
        // Diagram borders and markup are not the candidate's words.
        let q = &text[a..b];
        let strip = |c: char| c.is_whitespace() || MARKUP.contains(&c);
        let core = q.trim_matches(strip);
        let core = if core.is_empty() { q.trim() } else { core };
        // Where the core starts in `q` (both are slices of it).
        let lead = core.as_ptr() as usize - q.as_ptr() as usize;
        // A bracket or code span the quote opens keeps its closing one:
        // "upsert by (device_id, window)", not "… (device_id, window".
        let (start, end) = bold_balanced(text, a + lead, a + lead + core.len());
        (start, close_brackets(text, start, end, se.max(b)))
    }

    /// Up to `n` evidence quotes for hits, one per sentence, best first:
    /// not keyword lists; then quotes that name a concept and say how it
    /// is done ("a 10-minute watermark" beside "watermark"); then those that
    /// show more of the criterion (its distinct cues inside the quote, a
    /// mechanism counting twice a term: "sessionization with idle gaps and
    /// event-time watermarks" before "sessionization for funnel analysis",
    /// "keyed by user_id" before "the partitions"); then explained
    /// sentences; then the earliest.
    pub(crate) fn best_evidence<'a>(
        &self,
        hits: impl Iterator<Item = &'a (Hit, usize)>,
        n: usize,
    ) -> Vec<Evidence> {
        let mut v: Vec<&(Hit, usize)> = hits.collect();
        // A question the candidate asked ("when is the report due?") shows
        // what they wanted to know, not what they know: quoted only when
        // nothing they stated names the concept.
        let asks = |si: usize| {
            self.sentences
                .get(si)
                .and_then(|s| self.text.get(s.start..s.end))
                .is_some_and(|t| t.trim_end().ends_with('?'))
        };
        if v.iter().any(|(_, si)| !asks(*si)) {
            v.retain(|(_, si)| !asks(*si));
        }
        // Each sentence's best quote and what it shows.
        v.sort_by_key(|(h, si)| (*si, h.start));
        let mut quotes: Vec<((usize, usize), usize, bool, u32)> = Vec::new();
        let mut cues: Vec<(u32, u32)> = Vec::new();
        for (k, (h, si)) in v.iter().enumerate() {
            if k > 0 && v[k - 1].1 == *si {
                continue;
            }
            let hits = &v[k..v[k..].iter().take_while(|(_, s)| s == si).count() + k];
            // A sentence that fits is quoted whole: every cue in it is in
            // its quote, and the quote's span waits until it is picked. A
            // long one is quoted by the clause around one hit: the hit whose
            // clause shows the most (of its first eight).
            let fits = self
                .sentences
                .get(*si)
                .is_some_and(|x| x.end.max(h.end) - x.start.min(h.start) <= QUOTE_MAX);
            let mut best: Option<((usize, usize), bool, u32)> = None;
            let mut last = (0, 0);
            for (at, _) in hits.iter().take(if fits { 1 } else { 8 }) {
                // A hit inside the clause just read has that clause.
                if last.0 <= at.start && at.end <= last.1 {
                    continue;
                }
                let span = if fits {
                    (0, usize::MAX)
                } else {
                    self.quote_span(*si, at.start, at.end, QUOTE_MAX)
                };
                last = span;
                let (both, shown) = shows(hits, span, &mut cues);
                if best.is_none_or(|(_, b, n)| (both, shown) > (b, n)) {
                    best = Some(((at.start, at.end), both, shown));
                }
            }
            if let Some((hit, both, shown)) = best {
                quotes.push((hit, *si, both, shown));
            }
        }
        // Keys read once per quote, not once per comparison.
        quotes.sort_by_cached_key(|&((start, _), si, both, shown)| {
            (
                self.list_like(si),
                self.heading_like(si),
                !both,
                std::cmp::Reverse(shown),
                !self.explained(si),
                start,
            )
        });
        quotes
            .into_iter()
            .take(n)
            .map(|((start, end), si, ..)| self.evidence(si, start, end))
            .collect()
    }

    /// Sentence `si` is a heading or a label ("Freshness", "## Event
    /// time", "Event time."): a few words that say what follows, quoted
    /// only when nothing under it names the concept.
    pub(crate) fn heading_like(&self, si: usize) -> bool {
        let Some(s) = self.sentences.get(si) else {
            return false;
        };
        let raw = self.text.get(s.start..s.end).unwrap_or("");
        let t = raw.trim();
        if s.words > 5 && !t.starts_with('#') {
            return false;
        }
        // A whole line of its own, without a sentence's stop.
        let line = raw.trim_end_matches([' ', '\t']).ends_with('\n')
            || self.text.get(s.end..).is_none_or(|rest| {
                let rest = rest.trim_start_matches([' ', '\t', '*', '_', ':']);
                rest.is_empty() || rest.starts_with('\n')
            });
        !t.bytes().any(|b| b.is_ascii_digit())
            && (t.starts_with('#')
                || (s.words <= 5 && line && !t.ends_with(['.', '?', '!']))
                || (s.words <= 2 && t.ends_with('.') && !s.explained))
    }

    /// Share of sentences that reason rather than list.
    pub(crate) fn explained_ratio(&self) -> f32 {
        let counted: Vec<&Sentence> = self.sentences.iter().filter(|s| s.words >= 3).collect();
        if counted.is_empty() {
            return 0.0;
        }
        counted.iter().filter(|s| s.explained).count() as f32 / counted.len() as f32
    }

    /// Distinct real products (not vague boxes).
    pub(crate) fn products(&self) -> Vec<&ComponentMention> {
        let mut out: Vec<&ComponentMention> = Vec::new();
        for c in self.components.iter().filter(|c| !c.vague) {
            if !out.iter().any(|o| o.name == c.name) {
                out.push(c);
            }
        }
        out
    }

    /// Sentences (not keyword lists) that name a failure and say something
    /// about handling it: a write-up's failure section, one per failure.
    pub(crate) fn failure_discussions(&self) -> usize {
        let mut scen = vec![false; self.sentences.len()];
        let mut resp = vec![false; self.sentences.len()];
        for (h, si) in self.hits.iter() {
            match h.owner {
                Owner::Scenario(_) => scen[*si] = true,
                Owner::Detect
                | Owner::Recover
                | Owner::Prevent
                | Owner::DetectDepth
                | Owner::RecoverDepth
                | Owner::PreventDepth => resp[*si] = true,
                _ => {}
            }
        }
        (0..self.sentences.len())
            .filter(|&i| scen[i] && resp[i] && !self.list_like(i))
            .count()
    }

    /// Distinct failure scenarios named in sentences that are not keyword lists.
    pub(crate) fn distinct_scenarios(&self) -> usize {
        self.group(Group::Scenario)
            .filter(|(_, si)| !self.list_like(*si))
            .map(|(h, _)| h.owner)
            .collect::<BTreeSet<_>>()
            .len()
    }
}

/// One sentence's hits name a failure or mechanism and, in other words, how
/// it is detected, recovered or kept from losing data. A guarantee's own
/// name ("exactly-once", "idempotent") is not how it holds.
fn handled_in_other_words(hits: &[(Hit, usize)]) -> bool {
    let overlaps = |a: &Hit, b: &Hit| a.start < b.end && b.start < a.end;
    let a_name = |r: &Hit| {
        r.owner == Owner::Prevent
            && hits
                .iter()
                .any(|(h, _)| matches!(h.owner, Owner::ConceptTerm(_)) && overlaps(h, r))
    };
    hits.iter()
        .map(|(h, _)| h)
        .filter(|r| matches!(r.owner, Owner::Detect | Owner::Recover | Owner::Prevent))
        .filter(|r| !a_name(r))
        .any(|r| {
            hits.iter().any(|(h, _)| {
                matches!(h.owner, Owner::Scenario(_) | Owner::ConceptMech(_)) && !overlaps(h, r)
            })
        })
}

/// What a quote spanning `span` shows of a criterion whose `hits` (in one
/// sentence) are given: whether it names the concept and says how (a term
/// and a mechanism), and its distinct cues, a mechanism counting twice.
fn shows(hits: &[&(Hit, usize)], span: (usize, usize), cues: &mut Vec<(u32, u32)>) -> (bool, u32) {
    cues.clear();
    for (h, _) in hits {
        if span.0 <= h.start && h.end <= span.1 {
            let weight = if matches!(h.owner, Owner::ConceptMech(_)) {
                2
            } else {
                1
            };
            cues.push((h.cue, weight));
        }
    }
    cues.sort_unstable();
    cues.dedup_by_key(|c| c.0);
    let both = cues.iter().any(|c| c.1 == 1) && cues.iter().any(|c| c.1 == 2);
    (both, cues.iter().map(|c| c.1).sum())
}

/// A quote with a bold mark left open: "SLOs:** ATS freshness …" starts
/// after its lead-in label; "Kafka** topic keyed by …" takes back the mark
/// that opened it ("**Kafka** topic …").
fn bold_balanced(text: &str, start: usize, end: usize) -> (usize, usize) {
    let q = &text[start..end];
    if q.matches("**").count() % 2 == 0 {
        return (start, end);
    }
    let Some(p) = q.find("**").filter(|&p| p < 40) else {
        return (start, end);
    };
    if q[..p].ends_with([':', '.']) || q[p + 2..].starts_with(':') {
        let rest = q[p + 2..].trim_start_matches(|c: char| c == ':' || c.is_whitespace());
        if !rest.is_empty() {
            return (end - rest.len(), end);
        }
    }
    if text[..start].ends_with("**") {
        return (start - 2, end);
    }
    (start, end)
}

/// The end of the quote `text[start..end]` extended over a closing backtick
/// and the closing brackets right after it (up to `limit`) that close a code
/// span or brackets it opened.
fn close_brackets(text: &str, start: usize, mut end: usize, limit: usize) -> usize {
    // Brackets and backticks are ASCII, so bytes count them (no UTF-8
    // sequence holds one).
    let b = text.as_bytes();
    let limit = limit.min(b.len());
    let ticks = b[start..end].iter().filter(|&&c| c == b'`').count();
    if ticks % 2 == 1 && end < limit && b[end] == b'`' {
        end += 1;
    }
    // Only a closing bracket right after the quote can be taken back: most
    // quotes have none, and their brackets need no counting.
    if end >= limit || !matches!(b[end], b')' | b']') {
        return end;
    }
    for (open, close) in [(b'(', b')'), (b'[', b']')] {
        let mut depth = b[start..end].iter().fold(0isize, |d, &c| {
            d + isize::from(c == open) - isize::from(c == close)
        });
        while depth > 0 && end < limit && b[end] == close {
            end += 1;
            depth -= 1;
        }
    }
    end
}

/// Hit indexes sorted by owner group, then by position in `hits`.
fn groups(hits: &[(Hit, usize)]) -> Vec<u64> {
    let mut g: Vec<u64> = hits
        .iter()
        .enumerate()
        .map(|(i, (h, _))| u64::from(h.owner.group().code()) << 32 | i as u64)
        .collect();
    g.sort_unstable();
    g
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hit(start: usize, owner: Owner) -> (Hit, usize) {
        let h = Hit {
            start,
            end: start + 1,
            owner,
            cue: 0,
        };
        (h, start / 10)
    }

    fn sample(base: usize) -> Vec<(Hit, usize)> {
        vec![
            hit(base + 1, Owner::Detect),
            hit(base + 2, Owner::ConceptTerm(3)),
            hit(base + 3, Owner::Detect),
            hit(base + 4, Owner::ConceptMech(1)),
            hit(base + 5, Owner::ConceptTerm(3)),
        ]
    }

    /// A clause quoted from a long sentence runs to the end of the clause
    /// the hit is in: "… any mismatch is skew or leakage", never "… any
    /// mismatch is skew or".
    #[test]
    fn a_quoted_clause_is_never_cut_before_its_end() {
        let rubric = crate::rubric::Rubric::builtin().expect("builtin rubric");
        let reader = crate::read::Reader::new(&rubric, &[]);
        let text = "Our point-in-time join uses the feature row's ingestion time as availability, and we'd verify by logging the features ranking actually served and comparing them with the training rows for the same request ids; any mismatch is skew or leakage.";
        let an = reader.analyse(text);
        let at = text.find("mismatch").expect("hit");
        let q = an.evidence_within(0, at, at + "mismatch".len(), 120);
        assert!(
            q.quote.trim_end_matches('.').ends_with("skew or leakage"),
            "{q:?}"
        );
        assert!(q.quote.starts_with("actually served"), "{q:?}");
        assert!(q.quote.len() <= 120, "{q:?}");
    }

    #[test]
    fn groups_follow_retained_and_appended_hits() {
        let mut p = Parts::new(Vec::new(), sample(0), Vec::new(), Vec::new());
        p.retain_hits(|(h, _)| h.start != 2 && h.start != 3);
        assert_eq!(p.groups, groups(&p.hits));
        assert_eq!(p.hits.len(), 3);
        let other = Parts::new(Vec::new(), sample(100), Vec::new(), Vec::new());
        p.append(other, 0);
        assert_eq!(p.hits.len(), 8);
        assert_eq!(p.groups, groups(&p.hits));
        let mut empty = Parts::default();
        empty.append(p.clone(), 7);
        assert_eq!(empty.groups, groups(&empty.hits));
    }
}
