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
            let line_start = text[..i].rfind('\n').map(|p| p + 1).unwrap_or(0);
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
        } else if matches!(b, b'.' | b'!' | b'?')
            && bytes.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
        {
            let word_start = text[..i]
                .rfind(|c: char| c.is_whitespace() || c == '(')
                .map(|p| p + 1)
                .unwrap_or(0);
            let word = text[word_start..i].to_ascii_lowercase();
            if !ABBREV.contains(&word.as_str()) {
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
    let segments: Vec<&str> = s
        .split([',', ';', '/', '|', '·'])
        .filter(|x| !x.trim().is_empty())
        .collect();
    let avg = if segments.is_empty() {
        0.0
    } else {
        segments
            .iter()
            .map(|x| x.split_whitespace().count())
            .sum::<usize>() as f32
            / segments.len() as f32
    };
    // Diagram lines annotate boxes with short comma lists; that is the seed's
    // format, not keyword stuffing.
    let arrow = s.contains("->") || s.contains('→');
    let list_like = !arrow && segments.len() >= 4 && avg < 3.0;
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

/// Lowercased words of a clause, split on anything but letters, digits and apostrophes.
fn words_of(s: &str) -> Vec<String> {
    s.split(|c: char| !(c.is_alphanumeric() || c == '\'' || c == '’'))
        .filter(|w| !w.is_empty())
        .map(|w| w.replace('’', "'").to_lowercase())
        .collect()
}

fn contains_phrase(window: &[String], phrases: &[Vec<String>]) -> bool {
    phrases.iter().any(|p| {
        !p.is_empty()
            && p.len() <= window.len()
            && window.windows(p.len()).any(|w| w == p.as_slice())
    })
}

/// The negation vocabulary, pre-split into word sequences.
#[derive(Debug, Clone)]
pub(crate) struct Negation {
    pre: Vec<Vec<String>>,
    post: Vec<Vec<String>>,
    breakers: Vec<String>,
}

const CLAUSE_END: &[char] = &[',', ';', ':', '(', ')', '.', '!', '?', '\n', '—', '–'];
const WINDOW: usize = 6;

impl Negation {
    pub(crate) fn new(pre: &[String], post: &[String], breakers: &[String]) -> Self {
        Negation {
            pre: pre.iter().map(|p| words_of(p)).collect(),
            post: post.iter().map(|p| words_of(p)).collect(),
            breakers: breakers.iter().map(|b| b.to_lowercase()).collect(),
        }
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
            .map(|p| &before[p + 1..])
            .unwrap_or(before);
        let mut window: Vec<String> = Vec::new();
        for (k, w) in words_of(clause).into_iter().rev().take(WINDOW).enumerate() {
            // "skip dedupe and upserts": a conjunction right before the cue
            // joins it to the negated item instead of ending the scope.
            if k == 0 && matches!(w.as_str(), "and" | "or" | "nor") {
                continue;
            }
            if self.breakers.contains(&w) {
                break;
            }
            window.push(w);
        }
        window.reverse();
        if contains_phrase(&window, &self.pre) {
            return true;
        }
        let after = &text[end..];
        let clause = after.find(CLAUSE_END).map(|p| &after[..p]).unwrap_or(after);
        let window: Vec<String> = words_of(clause).into_iter().take(WINDOW).collect();
        contains_phrase(&window, &self.post)
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
