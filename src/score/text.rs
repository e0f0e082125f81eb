//! Reading free text the way a grader does: sentences, negation within a
//! clause, and whether a sentence reasons or merely lists keywords.

/// A sentence (or bullet, or diagram line) of the scored text.
#[derive(Debug, Clone)]
pub(crate) struct Sentence {
    pub start: usize,
    pub end: usize,
    pub words: usize,
    /// Four or more short comma/slash-separated items: a keyword list.
    pub list_like: bool,
    /// Contains an explanation marker or a number, is long enough and is
    /// not a keyword list. Set after markers are matched.
    pub explained: bool,
}

fn is_word_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// True when `text[start..end]` is not glued to letters on either side.
pub(crate) fn word_bounded(text: &[u8], start: usize, end: usize) -> bool {
    let first = text.get(start).copied().unwrap_or(b' ');
    let last = if end > 0 {
        text.get(end - 1).copied().unwrap_or(b' ')
    } else {
        b' '
    };
    let before_ok = start == 0 || !is_word_byte(first) || !is_word_byte(text[start - 1]);
    let after_ok = end >= text.len() || !is_word_byte(last) || !is_word_byte(text[end]);
    before_ok && after_ok
}

fn starts_block(line: &str) -> bool {
    let t = line.trim_start();
    if t.is_empty() {
        return true;
    }
    let b = t.as_bytes();
    matches!(b[0], b'-' | b'*' | b'#' | b'|' | b'>' | b'+')
        || t.starts_with('•')
        || t.starts_with('→')
        || (b[0].is_ascii_digit()
            && t.find(['.', ')', ':'])
                .is_some_and(|i| i <= 3 && t[..i].bytes().all(|c| c.is_ascii_digit())))
}

const ABBREV: [&str; 8] = ["e.g", "i.e", "vs", "etc", "approx", "eg", "ie", "cf"];

/// Split into sentences: sentence punctuation, blank lines, bullets, headings
/// and diagram lines end a sentence; a soft-wrapped line does not.
pub(crate) fn split_sentences(text: &str) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    let mut line_start = 0;
    let push = |out: &mut Vec<Sentence>, s: usize, e: usize| {
        let slice = &text[s..e];
        let trimmed_start = s + (slice.len() - slice.trim_start().len());
        let trimmed_end = s + slice.trim_end().len();
        if trimmed_end > trimmed_start {
            out.push(make_sentence(text, trimmed_start, trimmed_end));
        }
    };
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' {
            let this_line = &text[line_start..i];
            let next_end = text[i + 1..]
                .find('\n')
                .map(|p| i + 1 + p)
                .unwrap_or(text.len());
            let next_line = &text[i + 1..next_end];
            let hard = this_line.trim().is_empty()
                || starts_block(next_line)
                || this_line.contains("->")
                || next_line.contains("->")
                || this_line.trim_end().ends_with(':')
                || this_line.trim_start().starts_with(['-', '*', '#', '|'])
                || next_line.starts_with("  ");
            if hard {
                push(&mut out, start, i);
                start = i + 1;
            }
            line_start = i + 1;
        } else if matches!(b, b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
        {
            // Unicode whitespace (NBSP, en quad) is wider than one byte.
            let word_start = text[..i]
                .char_indices()
                .rev()
                .find(|&(_, c)| c.is_whitespace() || c == '(')
                .map(|(p, c)| p + c.len_utf8())
                .unwrap_or(0);
            let word = &text[word_start..i];
            if !ABBREV.iter().any(|a| a.eq_ignore_ascii_case(word)) {
                push(&mut out, start, i + 1);
                start = i + 1;
            }
        }
        i += 1;
    }
    push(&mut out, start, text.len());
    out
}

fn make_sentence(text: &str, start: usize, end: usize) -> Sentence {
    let s = &text[start..end];
    let words = s.split_whitespace().count();
    let (mut segments, mut seg_words) = (0usize, 0usize);
    for seg in s.split([',', ';', '/', '|', '·']) {
        let n = seg.split_whitespace().count();
        if n > 0 {
            segments += 1;
            seg_words += n;
        }
    }
    let avg = if segments == 0 {
        0.0
    } else {
        seg_words as f32 / segments as f32
    };
    // Diagram lines annotate boxes with short comma lists; that is the seed's
    // format, not keyword stuffing.
    let arrow = s.contains("->") || s.contains('→');
    let list_like = !arrow && segments >= 4 && avg < 3.0;
    Sentence {
        start,
        end,
        words,
        list_like,
        explained: false,
    }
}

/// Index of the sentence containing byte `pos` (or the nearest before it).
pub(crate) fn sentence_at(sentences: &[Sentence], pos: usize) -> Option<usize> {
    if sentences.is_empty() {
        return None;
    }
    let i = sentences.partition_point(|s| s.start <= pos);
    Some(i.saturating_sub(1))
}

/// Words of a clause (letters, digits, apostrophes), borrowed from the text.
fn words_of(s: &str) -> impl DoubleEndedIterator<Item = &str> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
}

fn word_eq(text_word: &str, vocab: &str) -> bool {
    if text_word.len() == vocab.len() {
        return text_word.eq_ignore_ascii_case(vocab);
    }
    // "don’t" (curly apostrophe, 3 bytes) against "don't".
    text_word.len() == vocab.len() + 2
        && !text_word.is_ascii()
        && text_word.replace('’', "'").eq_ignore_ascii_case(vocab)
}

fn contains_phrase(window: &[&str], phrases: &[Vec<String>]) -> bool {
    phrases.iter().any(|p| {
        !p.is_empty()
            && p.len() <= window.len()
            && window
                .windows(p.len())
                .any(|w| w.iter().zip(p).all(|(a, b)| word_eq(a, b)))
    })
}

fn split_vocab(p: &str) -> Vec<String> {
    words_of(p)
        .map(|w| w.replace('’', "'").to_lowercase())
        .collect()
}

/// The negation vocabulary, pre-split into word sequences, plus an automaton
/// over every negation word so most cues skip the clause walk entirely.
#[derive(Debug, Clone)]
pub(crate) struct Negation {
    pre: Vec<Vec<String>>,
    post: Vec<Vec<String>>,
    breakers: Vec<String>,
    /// The breakers as bytes, for one hash lookup per ASCII word instead of
    /// a scan of the whole list.
    breaker_set: std::collections::HashSet<Vec<u8>>,
    triggers: Option<(aho_corasick::AhoCorasick, Vec<char>)>,
}

/// Where negation words occur in one text, found once per text.
#[derive(Debug, Clone, Default)]
pub(crate) struct NegationSites {
    pre: Vec<usize>,
    post: Vec<usize>,
}

const REACH: usize = 90;

const CLAUSE_END: &[char] = &[',', ';', ':', '(', ')', '.', '!', '?', '\n', '—', '–'];
const WINDOW: usize = 6;

impl Negation {
    pub(crate) fn new(pre: &[String], post: &[String], breakers: &[String]) -> Self {
        let pre: Vec<Vec<String>> = pre.iter().map(|p| split_vocab(p)).collect();
        let post: Vec<Vec<String>> = post.iter().map(|p| split_vocab(p)).collect();
        let mut words: Vec<String> = Vec::new();
        for (tag, w) in pre
            .iter()
            .map(|p| ('<', p))
            .chain(post.iter().map(|p| ('>', p)))
            .filter_map(|(t, p)| p.first().map(|w| (t, w)))
        {
            let key = format!("{tag}{w}");
            if !words.contains(&key) {
                words.push(key);
            }
        }
        let triggers = aho_corasick::AhoCorasickBuilder::new()
            .match_kind(aho_corasick::MatchKind::Standard)
            .ascii_case_insensitive(true)
            .build(words.iter().map(|w| w[1..].to_string()).collect::<Vec<_>>())
            .ok();
        Negation {
            pre,
            post,
            breaker_set: breakers
                .iter()
                .map(|b| b.to_lowercase().into_bytes())
                .collect(),
            breakers: breakers.iter().map(|b| b.to_lowercase()).collect(),
            triggers: triggers
                .map(|ac| (ac, words.iter().filter_map(|w| w.chars().next()).collect())),
        }
    }

    /// Same answer as `breakers.any(word_eq)`: an ASCII word can only equal
    /// a breaker of its own length up to ASCII case, which is a set lookup.
    fn is_breaker(&self, w: &str) -> bool {
        let mut buf = [0u8; 24];
        if w.is_ascii() && w.len() <= buf.len() {
            let b = &mut buf[..w.len()];
            b.copy_from_slice(w.as_bytes());
            b.make_ascii_lowercase();
            return self.breaker_set.contains(&b[..]);
        }
        self.breakers.iter().any(|b| word_eq(w, b))
    }

    /// Positions of words that start a negation phrase, by direction.
    pub(crate) fn sites(&self, text: &str) -> NegationSites {
        let mut out = NegationSites::default();
        let Some((ac, tags)) = &self.triggers else {
            return out;
        };
        let bytes = text.as_bytes();
        for m in ac.find_overlapping_iter(text) {
            if !word_bounded(bytes, m.start(), m.end()) {
                continue;
            }
            match tags.get(m.pattern().as_usize()) {
                Some('<') => out.pre.push(m.start()),
                _ => out.post.push(m.start()),
            }
        }
        out.pre.dedup();
        out.post.dedup();
        out
    }

    /// Cheap check: could any negation word reach the cue at all?
    pub(crate) fn maybe_negated(sites: &NegationSites, start: usize, end: usize) -> bool {
        let lo = start.saturating_sub(REACH);
        let pre = sites.pre.partition_point(|&p| p < lo);
        let near_pre = sites.pre.get(pre).is_some_and(|&p| p < start);
        let post = sites.post.partition_point(|&p| p < end);
        let near_post = sites.post.get(post).is_some_and(|&p| p <= end + REACH);
        near_pre || near_post
    }

    /// A cue at `start..end` is negated when a negator precedes it within the
    /// same clause ("we don't need idempotency") or a post-negator follows
    /// it ("idempotency is not needed").
    pub(crate) fn is_negated(
        &self,
        text: &str,
        sent_start: usize,
        start: usize,
        end: usize,
    ) -> bool {
        let before = &text[sent_start.min(start)..start];
        let clause = before
            .rfind(CLAUSE_END)
            .map(|p| &before[p + before[p..].chars().next().map_or(1, char::len_utf8)..])
            .unwrap_or(before);
        let mut window: [&str; WINDOW] = [""; WINDOW];
        let mut n = 0;
        for (k, w) in words_of(clause).rev().take(WINDOW).enumerate() {
            // "skip dedupe and upserts": a conjunction right before the cue
            // joins it to the negated item instead of ending the scope.
            if k == 0
                && ["and", "or", "nor"]
                    .iter()
                    .any(|c| w.eq_ignore_ascii_case(c))
            {
                continue;
            }
            if self.is_breaker(w) {
                break;
            }
            window[n] = w;
            n += 1;
        }
        window[..n].reverse();
        if contains_phrase(&window[..n], &self.pre) {
            return true;
        }
        let after = &text[end..];
        let clause = after.find(CLAUSE_END).map(|p| &after[..p]).unwrap_or(after);
        let mut window: [&str; WINDOW] = [""; WINDOW];
        let mut n = 0;
        for w in words_of(clause).take(WINDOW) {
            window[n] = w;
            n += 1;
        }
        contains_phrase(&window[..n], &self.post)
    }
}

/// Byte offset at or before `i` that is a char boundary.
pub(crate) fn floor_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i -= 1;
    }
    i
}

/// Byte offset at or after `i` that is a char boundary.
pub(crate) fn ceil_char(text: &str, mut i: usize) -> usize {
    i = i.min(text.len());
    while !text.is_char_boundary(i) {
        i += 1;
    }
    i
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
    fn soft_wrapped_lines_stay_one_sentence_but_bullets_split() {
        let t = "We dedupe by event_id because\nproducers retry. Then:\n- Kafka\n- Flink";
        let s = split_sentences(t);
        assert_eq!(s.len(), 4, "{s:?}");
        assert!(!word_bounded(b"xkafka", 1, 6));
        assert!(word_bounded(b"(kafka)", 1, 6));
    }
}
