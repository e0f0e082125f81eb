//! Negation within a clause: "we don't need idempotency" and "idempotency is
//! not needed" cancel the cue. The text is split into words and clause breaks
//! once; each cue then looks at the (at most six) words around it by binary
//! search, and phrases are compared as small word ids, not strings.

use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};

mod lists;
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
    /// A negator that is a past participle ("skipped"): after a noun it
    /// describes it ("rows skipped as stale") and negates nothing.
    participle: bool,
    /// A pronoun or auxiliary that makes a participle after it a verb ("we
    /// skipped", "is skipped").
    subject: bool,
}

/// Words before a participle that make it the clause's verb.
const SUBJECTS: &[&str] = &[
    "i", "we", "you", "they", "it", "he", "she", "is", "are", "was", "were", "be", "been", "being",
    "get", "gets", "got", "gotten", "has", "have", "had",
];

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
            let e = table.entry(w.as_bytes().into()).or_insert(PLAIN);
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
            table.entry(b.as_bytes().into()).or_insert(PLAIN).breaker = true;
        }
        for p in pre_words
            .iter()
            .filter(|p| p.len() == 1 && p[0].ends_with("ed"))
        {
            if let Some(e) = table.get_mut(p[0].as_bytes()) {
                e.participle = true;
            }
        }
        for w in SUBJECTS {
            table.entry(w.as_bytes().into()).or_insert(PLAIN).subject = true;
        }
        for c in ["and", "or", "nor"] {
            table.entry(c.as_bytes().into()).or_insert(PLAIN).conj = true;
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
            participle: false,
            subject: false,
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

    /// Decide one cue in a text that has no index yet (tests, one-offs):
    /// in its clause, or as an item of a negated list.
    #[cfg(test)]
    pub(crate) fn is_negated(
        &self,
        text: &str,
        sent_start: usize,
        start: usize,
        end: usize,
    ) -> bool {
        let mut c = Clauses::new(text);
        c.is_negated(self, sent_start, start, end)
            || c.in_negated_list(self, sent_start, start, end)
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
/// A word the negation vocabulary does not hold.
const PLAIN: WordInfo = WordInfo {
    id: NONE,
    conj: false,
    breaker: false,
    participle: false,
    subject: false,
};

/// The ids of the words read back from a cue (nearest first) into
/// `window`, less a participle that describes the word before it ("rows
/// skipped as stale"): a participle is a negation only as the verb of its
/// clause ("we skipped dedupe") or where the words before it are not read.
/// `beyond` is the word before the last one read, when the window ended
/// there.
fn described(back: &[WordInfo], beyond: Option<WordInfo>, window: &mut [u16; WINDOW]) {
    for (j, w) in back.iter().enumerate() {
        let noun_before = back
            .get(j + 1)
            .or(beyond.as_ref().filter(|_| j + 1 == back.len()))
            .is_some_and(|b| !b.subject);
        window[j] = if w.participle && noun_before {
            NONE
        } else {
            w.id
        };
    }
}

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
        let mut infos = [PLAIN; WINDOW];
        let mut beyond = None;
        let mut ended = false;
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
                    ended = true;
                    break;
                }
                infos[n] = info;
                n += 1;
            }
            // A participle read last is told apart by the word before it,
            // though that word is past the window.
            let last = count.checked_sub(1).map(|i| words[i]);
            if let Some((s, _)) =
                last.filter(|_| !ended && n > 0 && count == WINDOW && infos[n - 1].participle)
            {
                let (more, m) = clause_words(&before[..s], true);
                if let Some(&(a, b)) = more[..m].first() {
                    let info = neg.info(&before[a..b], &mut self.buf);
                    if !info.breaker {
                        beyond = Some(info);
                    }
                }
            }
        }
        described(&infos[..n], beyond, &mut window);
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
mod tests;
