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
    /// The longest key of `table`: a longer ASCII word is in none.
    longest: usize,
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
            longest: table.keys().map(|k| k.len()).max().unwrap_or(0),
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
        const PLAIN: WordInfo = WordInfo {
            id: NONE,
            conj: false,
            breaker: false,
        };
        if w.len() > self.longest && w.is_ascii() {
            return PLAIN;
        }
        let found = if vocab_key(w, buf) {
            self.table.get(&buf[..]).copied()
        } else {
            None
        };
        if w.is_ascii() {
            return found.unwrap_or(PLAIN);
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

/// The negation check over one text. A cue reads only the words of its own
/// clause, at most six on each side, so those words are found where the cue
/// is rather than by splitting the whole text first: most texts have a few
/// hundred cues near a negation word and thousands of words.
#[derive(Debug)]
pub(crate) struct Clauses<'t> {
    text: &'t str,
    buf: Vec<u8>,
}

/// What a character is to the clause reader.
#[derive(Clone, Copy, PartialEq)]
enum Class {
    Word,
    Break,
    Other,
}

fn class_of(c: char) -> Class {
    if word_char(c) {
        Class::Word
    } else if clause_end(c) {
        Class::Break
    } else {
        Class::Other
    }
}

/// The class of every ASCII byte, so ASCII text is read without decoding.
static ASCII_CLASS: [Class; 128] = {
    let mut t = [Class::Other; 128];
    let mut b = 0;
    while b < 128 {
        let c = b as u8;
        t[b] = if c.is_ascii_alphanumeric() || c == b'\'' {
            Class::Word
        } else if matches!(
            c,
            b',' | b';' | b':' | b'(' | b')' | b'.' | b'!' | b'?' | b'\n'
        ) {
            Class::Break
        } else {
            Class::Other
        };
        b += 1;
    }
    t
};

/// The class and byte length of the character starting at `i` (forwards)
/// or ending at `i` (backwards) in `s`.
fn char_class(s: &str, i: usize, back: bool) -> (Class, usize) {
    let bytes = s.as_bytes();
    let b = if back { bytes[i - 1] } else { bytes[i] };
    if b < 0x80 {
        return (ASCII_CLASS[usize::from(b)], 1);
    }
    let c = if back {
        s[..i].chars().next_back()
    } else {
        s[i..].chars().next()
    };
    c.map_or((Class::Other, 1), |c| (class_of(c), c.len_utf8()))
}

/// Up to [`WINDOW`] word spans of `region`, nearest first: read backwards
/// from its end (`back`) or forwards from its start, stopping at a clause
/// break. Words are maximal runs of [`word_char`]; the region's ends clip
/// the words they cut.
fn clause_words(region: &str, back: bool) -> ([(usize, usize); WINDOW], usize) {
    let mut out = [(0, 0); WINDOW];
    let mut n = 0;
    // Where the word being read started (forwards) or ended (backwards).
    let mut open: Option<usize> = None;
    let mut i = if back { region.len() } else { 0 };
    while n < WINDOW && (if back { i > 0 } else { i < region.len() }) {
        let (class, len) = char_class(region, i, back);
        let next = if back { i - len } else { i + len };
        if class == Class::Word {
            open.get_or_insert(i);
        } else {
            if let Some(o) = open.take() {
                out[n] = if back { (i, o) } else { (o, i) };
                n += 1;
            }
            if class == Class::Break {
                return (out, n);
            }
        }
        i = next;
    }
    if let Some(o) = open.filter(|_| n < WINDOW) {
        out[n] = if back { (i, o) } else { (o, i) };
        n += 1;
    }
    (out, n)
}

impl<'t> Clauses<'t> {
    pub(crate) fn new(text: &'t str) -> Self {
        Clauses {
            text,
            buf: Vec::new(),
        }
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
        let text = self.text;
        // Before the cue: back to the last clause break in its sentence.
        let lo = sent_start.min(start);
        let mut window = [NONE; WINDOW];
        let mut n = 0;
        if let Some(before) = text.get(lo..start) {
            let (words, count) = clause_words(before, true);
            for (k, &(s, e)) in words[..count].iter().enumerate() {
                let info = neg.info(&before[s..e], &mut self.buf);
                // "skip dedupe and upserts": a conjunction right before the
                // cue joins it to the negated item instead of ending the scope.
                if k == 0 && info.conj {
                    continue;
                }
                if info.breaker {
                    break;
                }
                window[n] = info.id;
                n += 1;
            }
        }
        window[..n].reverse();
        if Negation::contains(&neg.pre, &neg.pre_by_first, &window[..n]) {
            return true;
        }
        // After the cue: up to the next clause break anywhere in the text.
        let Some(after) = text.get(end.max(start)..) else {
            return false;
        };
        let (words, count) = clause_words(after, false);
        for (k, &(s, e)) in words[..count].iter().enumerate() {
            window[k] = neg.info(&after[s..e], &mut self.buf).id;
        }
        Negation::contains(&neg.post, &neg.post_by_first, &window[..count])
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

    /// The check as it read the whole text split into words first: words
    /// are the maximal runs of word characters, a cue's clause runs from
    /// the last break before it (not before its sentence) to the next one.
    fn whole_text_split(text: &str) -> (Vec<(usize, usize)>, Vec<usize>) {
        let mut words: Vec<(usize, usize)> = Vec::new();
        let mut open = None;
        for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
            match (word_char(c) && i < text.len(), open) {
                (true, None) => open = Some(i),
                (false, Some(o)) => {
                    words.push((o, i));
                    open = None;
                }
                _ => {}
            }
        }
        let breaks: Vec<usize> = text
            .char_indices()
            .filter(|&(_, c)| clause_end(c))
            .map(|(i, c)| i + c.len_utf8())
            .collect();
        (words, breaks)
    }

    fn whole_text_reading(
        n: &Negation,
        text: &str,
        (words, breaks): &(Vec<(usize, usize)>, Vec<usize>),
        sent_start: usize,
        start: usize,
        end: usize,
    ) -> bool {
        let lo = sent_start.min(start);
        let from = breaks
            .iter()
            .rev()
            .find(|&&b| b <= start)
            .copied()
            .filter(|&b| b > lo)
            .unwrap_or(lo);
        let mut buf = Vec::new();
        let mut before = Vec::new();
        let last = words.partition_point(|w| w.0 < start);
        for (k, &(s, e)) in words[..last]
            .iter()
            .rev()
            .take_while(|&&(_, e)| e > from)
            .take(WINDOW)
            .enumerate()
        {
            let info = n.info(&text[s.max(from)..e.min(start)], &mut buf);
            if k == 0 && info.conj {
                continue;
            }
            if info.breaker {
                break;
            }
            before.push(info.id);
        }
        before.reverse();
        if Negation::contains(&n.pre, &n.pre_by_first, &before) {
            return true;
        }
        let to = breaks.iter().find(|&&b| b > end).map_or(text.len(), |&b| {
            let c = text[..b].chars().next_back().map_or(1, char::len_utf8);
            b - c
        });
        let first = words.partition_point(|w| w.1 <= end);
        let after: Vec<u16> = words[first..]
            .iter()
            .take_while(|&&(s, _)| s < to)
            .take(WINDOW)
            .map(|&(s, e)| n.info(&text[s.max(end)..e.min(to)], &mut buf).id)
            .collect();
        Negation::contains(&n.post, &n.post_by_first, &after)
    }

    #[test]
    fn a_cue_reads_the_same_words_as_the_whole_text_split_would_give() {
        let rubric = crate::rubric::Rubric::builtin().expect("builtin rubric");
        let lang = &rubric.framework.language;
        let n = Negation::new(&lang.negators, &lang.post_negators, &lang.scope_breakers);
        let mut texts: Vec<String> = crate::read::corpus::texts()
            .into_iter()
            .map(|(_, t)| t)
            .collect();
        texts.push("We DON’T need idempotency — no, dedupe isn’t needed; noidempotency".into());
        texts.push("Ünïcode wörds: we never café-dedupe, and upserts are not needed.".into());
        let mut checked = 0;
        for t in &texts {
            let split = whole_text_split(t);
            let bounds: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
            // Every word of the text as a cue, its sentence taken to start
            // at the line, and a cue cut mid-word every seventh char.
            for (w, &i) in bounds.iter().enumerate() {
                let starts_word = t[i..].chars().next().is_some_and(word_char)
                    && !t[..i].chars().next_back().is_some_and(word_char);
                if !starts_word && w % 7 != 0 {
                    continue;
                }
                let end = t[i..]
                    .find(|c: char| !word_char(c))
                    .map_or(t.len(), |k| i + k)
                    .max(i);
                let line = t[..i].rfind('\n').map_or(0, |k| k + 1);
                for sent in [line, i, line.saturating_sub(40).min(i)] {
                    if !t.is_char_boundary(sent) {
                        continue;
                    }
                    assert_eq!(
                        Clauses::new(t).is_negated(&n, sent, i, end),
                        whole_text_reading(&n, t, &split, sent, i, end),
                        "cue {:?} at {i} (sentence from {sent})",
                        &t[i..end]
                    );
                    checked += 1;
                }
            }
        }
        assert!(checked > 10_000, "checked {checked}");
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
