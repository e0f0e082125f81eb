//! Negation within a clause: "we don't need idempotency" and "idempotency is
//! not needed" cancel the cue. The text is split into words and clause breaks
//! once; each cue then looks at the (at most six) words around it by binary
//! search, and phrases are compared as small word ids, not strings.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

/// How far (bytes) a negation word can sit from a cue and still reach it.
const REACH: usize = 90;
/// Words of a clause looked at on each side of a cue.
const WINDOW: usize = 6;
/// A word that is in no negation phrase.
const NONE: u16 = u16::MAX;

/// Characters that end a clause.
fn clause_end(c: char) -> bool {
    matches!(
        c,
        ',' | ';' | ':' | '(' | ')' | '.' | '!' | '?' | '\n' | '—' | '–'
    )
}

/// Characters of a word: letters, digits and apostrophes (straight or curly).
fn word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '\'' || c == '’'
}

/// Words of a phrase (letters, digits, apostrophes).
fn words_of(s: &str) -> impl Iterator<Item = &str> {
    s.split(|c: char| !word_char(c)).filter(|w| !w.is_empty())
}

/// FNV-1a: the vocabulary keys are a few bytes long, where SipHash's setup
/// costs more than the lookup.
#[derive(Default)]
struct Fnv(u64);

impl Hasher for Fnv {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for &b in bytes {
            h = (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

type FnvMap<K, V> = HashMap<K, V, BuildHasherDefault<Fnv>>;

/// What the negation check needs to know about one word of the text.
#[derive(Debug, Clone, Copy, PartialEq)]
struct WordInfo {
    /// Id of the word in the negation vocabulary, or `NONE`.
    id: u16,
    /// "and", "or", "nor": right before a cue it joins the cue to the negated item.
    conj: bool,
    /// Ends the scope of a negator ("with", "because").
    breaker: bool,
}

/// The negation vocabulary: phrases as word-id sequences, indexed by their
/// first word, plus the scope breakers.
#[derive(Debug, Clone)]
pub(crate) struct Negation {
    pre: Vec<Vec<u16>>,
    post: Vec<Vec<u16>>,
    /// Word id -> phrases (indexes into `pre` / `post`) starting with it.
    pre_by_first: Vec<Vec<u16>>,
    post_by_first: Vec<Vec<u16>>,
    /// Lowercased word (a curly apostrophe as `'`) -> its info.
    table: FnvMap<Box<[u8]>, WordInfo>,
    /// Breakers as written (lowercased), for words outside ASCII.
    breakers: Vec<String>,
    /// First words of the phrases, `true` for negators before the cue.
    triggers: Vec<(String, bool)>,
}

/// Where negation words occur in one text, found in the shared cue pass.
#[derive(Debug, Clone, Default)]
pub(crate) struct NegationSites {
    pub pre: Vec<usize>,
    pub post: Vec<usize>,
}

impl NegationSites {
    /// Sort and dedupe after collection.
    pub(crate) fn finish(&mut self) {
        for v in [&mut self.pre, &mut self.post] {
            v.sort_unstable();
            v.dedup();
        }
    }

    /// Cheap check: could any negation word reach the cue at all?
    pub(crate) fn near(&self, start: usize, end: usize) -> bool {
        let lo = start.saturating_sub(REACH);
        let pre = self.pre.partition_point(|&p| p < lo);
        let near_pre = self.pre.get(pre).is_some_and(|&p| p < start);
        let post = self.post.partition_point(|&p| p < end);
        let near_post = self.post.get(post).is_some_and(|&p| p <= end + REACH);
        near_pre || near_post
    }
}

/// Lowercased vocabulary form of a word: ASCII-lowercase, one curly
/// apostrophe read as `'`. `None` when it cannot equal any vocabulary word
/// (two or more curly apostrophes).
fn vocab_key(w: &str, buf: &mut Vec<u8>) -> bool {
    buf.clear();
    if w.is_ascii() {
        buf.extend(w.bytes().map(|b| b.to_ascii_lowercase()));
        return true;
    }
    if w.matches('’').count() > 1 {
        return false;
    }
    for c in w.chars() {
        if c == '’' {
            buf.push(b'\'');
        } else {
            let mut tmp = [0u8; 4];
            buf.extend(
                c.encode_utf8(&mut tmp)
                    .bytes()
                    .map(|b| b.to_ascii_lowercase()),
            );
        }
    }
    true
}

/// Same answer as the vocabulary's `word_eq`: equal up to ASCII case, or
/// with one curly apostrophe for a straight one.
fn word_eq(text_word: &str, vocab: &str) -> bool {
    if text_word.len() == vocab.len() {
        return text_word.eq_ignore_ascii_case(vocab);
    }
    text_word.len() == vocab.len() + 2
        && !text_word.is_ascii()
        && text_word.replace('’', "'").eq_ignore_ascii_case(vocab)
}

impl Negation {
    pub(crate) fn new(pre: &[String], post: &[String], breakers: &[String]) -> Self {
        let split = |p: &String| -> Vec<String> {
            words_of(p)
                .map(|w| w.replace('’', "'").to_lowercase())
                .collect()
        };
        let pre_words: Vec<Vec<String>> = pre.iter().map(split).collect();
        let post_words: Vec<Vec<String>> = post.iter().map(split).collect();
        let mut table: FnvMap<Box<[u8]>, WordInfo> = FnvMap::default();
        let mut ids = 0u16;
        let mut intern = |w: &str, table: &mut FnvMap<Box<[u8]>, WordInfo>| -> u16 {
            let e = table.entry(w.as_bytes().into()).or_insert(WordInfo {
                id: NONE,
                conj: false,
                breaker: false,
            });
            if e.id == NONE {
                e.id = ids;
                ids = ids.saturating_add(1);
            }
            e.id
        };
        let mut as_ids = |ps: &[Vec<String>], table: &mut FnvMap<Box<[u8]>, WordInfo>| {
            ps.iter()
                .filter(|p| !p.is_empty())
                .map(|p| p.iter().map(|w| intern(w, table)).collect::<Vec<u16>>())
                .collect::<Vec<_>>()
        };
        let pre_ids = as_ids(&pre_words, &mut table);
        let post_ids = as_ids(&post_words, &mut table);
        let breakers: Vec<String> = breakers.iter().map(|b| b.to_lowercase()).collect();
        for b in &breakers {
            table
                .entry(b.as_bytes().into())
                .or_insert(WordInfo {
                    id: NONE,
                    conj: false,
                    breaker: false,
                })
                .breaker = true;
        }
        for c in ["and", "or", "nor"] {
            table
                .entry(c.as_bytes().into())
                .or_insert(WordInfo {
                    id: NONE,
                    conj: false,
                    breaker: false,
                })
                .conj = true;
        }
        let by_first = |ps: &[Vec<u16>]| {
            let mut v: Vec<Vec<u16>> = vec![Vec::new(); usize::from(ids)];
            for (i, p) in ps.iter().enumerate() {
                if let Some(&f) = p.first() {
                    if let Some(slot) = v.get_mut(usize::from(f)) {
                        slot.push(i as u16);
                    }
                }
            }
            v
        };
        let mut triggers: Vec<(String, bool)> = Vec::new();
        for (w, is_pre) in pre_words
            .iter()
            .map(|p| (p, true))
            .chain(post_words.iter().map(|p| (p, false)))
            .filter_map(|(p, t)| p.first().map(|w| (w.clone(), t)))
        {
            if !triggers.contains(&(w.clone(), is_pre)) {
                triggers.push((w, is_pre));
            }
        }
        Negation {
            pre_by_first: by_first(&pre_ids),
            post_by_first: by_first(&post_ids),
            pre: pre_ids,
            post: post_ids,
            table,
            breakers,
            triggers,
        }
    }

    /// The words that start a negation phrase, `true` for negators before a
    /// cue. The shared cue automaton finds them; see [`NegationSites`].
    pub(crate) fn triggers(&self) -> &[(String, bool)] {
        &self.triggers
    }

    fn info(&self, w: &str, buf: &mut Vec<u8>) -> WordInfo {
        let found = if vocab_key(w, buf) {
            self.table.get(&buf[..]).copied()
        } else {
            None
        };
        if w.is_ascii() {
            return found.unwrap_or(WordInfo {
                id: NONE,
                conj: false,
                breaker: false,
            });
        }
        // Outside ASCII only the vocabulary id is read from the table; the
        // breakers are compared as written.
        WordInfo {
            id: found.map_or(NONE, |f| f.id),
            conj: false,
            breaker: self.breakers.iter().any(|b| word_eq(w, b)),
        }
    }

    fn contains(phrases: &[Vec<u16>], by_first: &[Vec<u16>], window: &[u16]) -> bool {
        window.iter().enumerate().any(|(j, &id)| {
            by_first.get(usize::from(id)).is_some_and(|ps| {
                ps.iter().any(|&p| {
                    let p = &phrases[usize::from(p)];
                    window.get(j..j + p.len()).is_some_and(|w| w == &p[..])
                })
            })
        })
    }

    /// Decide one cue in a text that has no index yet (tests, one-offs).
    #[cfg(test)]
    pub(crate) fn is_negated(
        &self,
        text: &str,
        sent_start: usize,
        start: usize,
        end: usize,
    ) -> bool {
        Clauses::new(text).is_negated(self, sent_start, start, end)
    }
}

/// One word of the text and its lazily computed info.
#[derive(Debug, Clone)]
struct Word {
    start: usize,
    end: usize,
    info: Option<WordInfo>,
}

/// The words and clause breaks of one text, for negation checks.
#[derive(Debug)]
pub(crate) struct Clauses<'t> {
    text: &'t str,
    words: Vec<Word>,
    /// (offset, byte length) of every clause-ending character.
    breaks: Vec<(usize, usize)>,
    buf: Vec<u8>,
}

/// Byte classes for the ASCII fast path of [`Clauses::new`].
const WORD: u8 = 1;
const BREAK: u8 = 2;
const HIGH: u8 = 4;
static CLASS: [u8; 256] = {
    let mut t = [0u8; 256];
    let mut b = 0;
    while b < 256 {
        let c = b as u8;
        t[b] = if c >= 0x80 {
            HIGH
        } else if c.is_ascii_alphanumeric() || c == b'\'' {
            WORD
        } else if matches!(
            c,
            b',' | b';' | b':' | b'(' | b')' | b'.' | b'!' | b'?' | b'\n'
        ) {
            BREAK
        } else {
            0
        };
        b += 1;
    }
    t
};

/// The char starting at byte `i` (a char boundary) of `text`.
fn char_at(text: &str, i: usize) -> char {
    text[i..].chars().next().unwrap_or(' ')
}

impl<'t> Clauses<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        let bytes = text.as_bytes();
        let n = bytes.len();
        let mut words = Vec::with_capacity(n / 5);
        let mut breaks = Vec::new();
        let mut i = 0;
        while i < n {
            let class = CLASS[usize::from(bytes[i])];
            let c = if class == HIGH { char_at(text, i) } else { ' ' };
            if class == WORD || (class == HIGH && word_char(c)) {
                let start = i;
                loop {
                    while i < n && CLASS[usize::from(bytes[i])] == WORD {
                        i += 1;
                    }
                    if i < n && bytes[i] >= 0x80 {
                        let c = char_at(text, i);
                        if word_char(c) {
                            i += c.len_utf8();
                            continue;
                        }
                    }
                    break;
                }
                words.push(Word {
                    start,
                    end: i,
                    info: None,
                });
                continue;
            }
            if class == BREAK {
                breaks.push((i, 1));
                i += 1;
            } else if class == HIGH {
                if clause_end(c) {
                    breaks.push((i, c.len_utf8()));
                }
                i += c.len_utf8();
            } else {
                i += 1;
            }
        }
        Clauses {
            text,
            words,
            breaks,
            buf: Vec::new(),
        }
    }

    /// Info of word `k` clipped to `lo..hi` (a clause can cut a word).
    fn info(&mut self, neg: &Negation, k: usize, lo: usize, hi: usize) -> WordInfo {
        let w = &self.words[k];
        let (s, e) = (w.start.max(lo), w.end.min(hi));
        if (s, e) != (w.start, w.end) {
            return neg.info(&self.text[s..e], &mut self.buf);
        }
        if let Some(i) = w.info {
            return i;
        }
        let i = neg.info(&self.text[s..e], &mut self.buf);
        self.words[k].info = Some(i);
        i
    }

    /// A cue at `start..end` is negated when a negator precedes it within the
    /// same clause ("we don't need idempotency") or a post-negator follows
    /// it ("idempotency is not needed").
    pub(crate) fn is_negated(
        &mut self,
        neg: &Negation,
        sent_start: usize,
        start: usize,
        end: usize,
    ) -> bool {
        // Before the cue: back to the last clause break in its sentence.
        let lo = sent_start.min(start);
        let k = self.breaks.partition_point(|&(p, _)| p < start);
        let from = match k.checked_sub(1).map(|k| self.breaks[k]) {
            Some((p, len)) if p >= lo => p + len,
            _ => lo,
        };
        let last = self.words.partition_point(|w| w.start < start);
        let mut window = [NONE; WINDOW];
        let mut n = 0;
        let mut k = 0;
        let mut j = last;
        while j > 0 && k < WINDOW && self.words[j - 1].end > from {
            j -= 1;
            let info = self.info(neg, j, from, start);
            // "skip dedupe and upserts": a conjunction right before the cue
            // joins it to the negated item instead of ending the scope.
            let skip = k == 0 && info.conj;
            k += 1;
            if skip {
                continue;
            }
            if info.breaker {
                break;
            }
            window[n] = info.id;
            n += 1;
        }
        window[..n].reverse();
        if Negation::contains(&neg.pre, &neg.pre_by_first, &window[..n]) {
            return true;
        }
        // After the cue: up to the next clause break anywhere in the text.
        let k = self.breaks.partition_point(|&(p, _)| p < end);
        let to = self.breaks.get(k).map_or(self.text.len(), |&(p, _)| p);
        let mut j = self.words.partition_point(|w| w.end <= end);
        let mut n = 0;
        while j < self.words.len() && n < WINDOW && self.words[j].start < to {
            window[n] = self.info(neg, j, end, to).id;
            n += 1;
            j += 1;
        }
        Negation::contains(&neg.post, &neg.post_by_first, &window[..n])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn neg() -> Negation {
        let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Negation::new(
            &v(&[
                "no",
                "not",
                "don't",
                "without",
                "never",
                "skip",
                "instead of",
                "no need",
            ]),
            &v(&["not needed", "unnecessary", "overkill"]),
            &v(&["with", "via", "using", "so", "because", "and", "but"]),
        )
    }

    fn negated(t: &str, cue: &str) -> bool {
        let s = t.find(cue).expect("cue in text");
        neg().is_negated(t, 0, s, s + cue.len())
    }

    #[test]
    fn negation_in_same_clause_cancels_the_cue() {
        assert!(negated("we don't need idempotency here", "idempotency"));
        assert!(negated(
            "Honestly idempotency is overkill for this.",
            "idempotency"
        ));
        assert!(negated("we skip dedupe entirely", "dedupe"));
        assert!(!negated(
            "no data loss with exactly-once sinks",
            "exactly-once"
        ));
        assert!(!negated("No. We make writes idempotent", "idempotent"));
        assert!(!negated(
            "without it, retries double count; so idempotent MERGE",
            "idempotent"
        ));
    }

    #[test]
    fn conjunction_before_the_cue_keeps_the_scope_open() {
        assert!(negated("we skip dedupe and upserts", "upserts"));
        // A breaker further back still ends it.
        assert!(!negated("no retries but we use upserts", "upserts"));
    }

    #[test]
    fn curly_apostrophes_and_case_match_the_vocabulary() {
        assert!(negated("We DON’T need idempotency", "idempotency"));
        assert!(negated("Dedupe is NOT NEEDED here", "Dedupe"));
        // Two curly apostrophes never equal a vocabulary word.
        assert!(!negated("we don’’t need idempotency", "idempotency"));
    }

    #[test]
    fn the_window_is_six_words_and_stops_at_clause_breaks() {
        assert!(negated("no a b c d e idempotency", "idempotency"));
        assert!(!negated("no a b c d e f idempotency", "idempotency"));
        assert!(!negated("no — idempotency", "idempotency"));
        assert!(!negated("idempotency; not needed", "idempotency"));
        assert!(negated("idempotency a b c d not needed", "idempotency"));
    }

    #[test]
    fn a_cue_cut_mid_word_reads_the_clipped_words() {
        // The cue starts inside "noidempotency": the word before it is "no".
        let t = "noidempotency";
        assert!(neg().is_negated(t, 0, 2, t.len()));
        // Empty text and a cue at the very start have nothing to negate.
        assert!(!neg().is_negated("", 0, 0, 0));
        assert!(!neg().is_negated("idempotency", 0, 0, 11));
    }

    #[test]
    fn sites_reach_ninety_bytes() {
        let mut s = NegationSites {
            pre: vec![10, 0],
            post: vec![300],
        };
        s.finish();
        assert!(s.near(50, 60));
        assert!(!s.near(200, 205));
        assert!(s.near(200, 210));
    }

    #[test]
    fn breaker_lookup_matches_the_written_list() {
        let n = neg();
        let mut buf = Vec::new();
        assert!(n.info("WITH", &mut buf).breaker);
        assert!(!n.info("within", &mut buf).breaker);
        assert!(n.info("And", &mut buf).conj);
        assert_eq!(n.info("café", &mut buf).id, NONE);
    }
}
