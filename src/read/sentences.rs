//! Splitting scored text into sentences (bullets, diagram lines) in one
//! byte-level pass: each physical line is looked at once, and a full stop
//! looks back at most one short word to rule out an abbreviation.

/// A sentence (or bullet, or diagram line) of the scored text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Sentence {
    pub start: usize,
    pub end: usize,
    pub words: usize,
    /// Four or more short comma/slash-separated items: a keyword list.
    pub list_like: bool,
    /// Contains an explanation marker or a number, is long enough and is
    /// not a keyword list. Set after markers are matched.
    pub explained: bool,
    /// Gives a reason that is none ("because everyone uses it"). Set after
    /// markers are matched.
    pub hollow_reason: bool,
}

/// Abbreviations whose full stop does not end a sentence ("e.g. Kafka").
const ABBREV: [&str; 8] = ["e.g", "i.e", "vs", "etc", "approx", "eg", "ie", "cf"];
/// The longest abbreviation, in bytes: a longer word cannot be one.
const ABBREV_MAX: usize = 6;

/// A line that starts a new block: blank, a bullet, a heading, a quote, a
/// table row, an arrow, or a numbered item ("1.", "2)", "10:").
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

/// What a line says about the line breaks around it.
#[derive(Clone, Copy)]
struct Line {
    /// The break after this line ends a sentence whatever follows.
    ends_before: bool,
    /// The break before this line ends a sentence whatever precedes it.
    starts_after: bool,
    /// A list item: `- `, `* `, `+ `, `• ` or a number ("1.", "2)").
    item: bool,
    /// Ends a list item's sentence even when the next line continues it:
    /// blank, an arrow, a trailing colon, a heading or a table row.
    hard_end: bool,
    /// Reads as the wrapped rest of a list item above it: indented, no
    /// arrow, and going on in lower case ("- The runner upserts on that
    /// key, so\n  a retried load event produces the same row").
    continues: bool,
}

/// Contains `->`.
fn has_arrow(b: &[u8]) -> bool {
    memchr::memchr_iter(b'>', b).any(|i| i > 0 && b[i - 1] == b'-')
}

fn line(l: &str) -> Line {
    let arrow = has_arrow(l.as_bytes());
    let t = l.trim_start();
    let blank = t.is_empty();
    let hard_end = blank || arrow || l.trim_end().ends_with(':') || t.starts_with(['#', '|']);
    let item = !blank
        && (t.starts_with("- ")
            || t.starts_with("* ")
            || t.starts_with("+ ")
            || t.starts_with('•')
            || (t.as_bytes()[0].is_ascii_digit() && starts_block(l)));
    Line {
        ends_before: hard_end || t.starts_with(['-', '*']),
        starts_after: starts_block(l) || arrow || l.starts_with("  "),
        item,
        hard_end,
        continues: l.starts_with([' ', '\t'])
            && !arrow
            && t.starts_with(|c: char| c.is_ascii_lowercase()),
    }
}

/// True when the word ending at `i` (back to whitespace or `(`) is an
/// abbreviation. Only the last `ABBREV_MAX + 1` bytes can matter.
fn abbreviation_before(text: &str, i: usize) -> bool {
    let mut from = i.saturating_sub(ABBREV_MAX + 1);
    while !text.is_char_boundary(from) {
        from -= 1;
    }
    let tail = &text[from..i];
    let word_start = tail
        .char_indices()
        .rev()
        .find(|&(_, c)| c.is_whitespace() || c == '(')
        .map(|(p, c)| from + p + c.len_utf8());
    let word = match word_start {
        Some(ws) => &text[ws..i],
        // No delimiter in the tail: the word is the whole tail only when
        // the tail is the start of the text; otherwise it is too long.
        None if from == 0 => tail,
        None => return false,
    };
    word.len() <= ABBREV_MAX && ABBREV.iter().any(|a| a.eq_ignore_ascii_case(word))
}

/// Split into sentences: sentence punctuation, blank lines, bullets, headings
/// and diagram lines end a sentence; a soft-wrapped line does not.
pub(crate) fn split_sentences(text: &str) -> Vec<Sentence> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let first_end = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
    let mut this = line(&text[..first_end]);
    // Inside a list item, perhaps on one of its wrapped lines.
    let mut in_item = this.item;
    // The next line break and the next sentence punctuation, found with
    // memchr and merged in order.
    let mut nl = Some(first_end).filter(|&p| p < bytes.len());
    let mut stops = memchr::memchr3_iter(b'.', b'!', b'?', bytes).peekable();
    loop {
        let stop = stops.peek().copied();
        match (nl, stop) {
            (Some(i), s) if s.is_none_or(|s| i < s) => {
                let next_end = memchr::memchr(b'\n', &bytes[i + 1..])
                    .map(|p| i + 1 + p)
                    .unwrap_or(bytes.len());
                let next = line(&text[i + 1..next_end]);
                let wraps = in_item && !this.hard_end && next.continues;
                if !wraps && (this.ends_before || next.starts_after) {
                    push(text, &mut out, start, i);
                    start = i + 1;
                }
                in_item = next.item || wraps;
                this = next;
                nl = Some(next_end).filter(|&p| p < bytes.len());
            }
            (_, Some(i)) => {
                stops.next();
                // Markup or a quote closed right after the stop ends with the
                // sentence: "**Cost.** One day takes …" is a heading, then a
                // sentence that starts at "One".
                let end = i + 1 + closers_after(&bytes[i + 1..]);
                if bytes.get(end).is_none_or(|n| n.is_ascii_whitespace())
                    && !abbreviation_before(text, i)
                {
                    push(text, &mut out, start, end);
                    start = end;
                }
            }
            _ => break,
        }
    }
    push(text, &mut out, start, text.len());
    out
}

/// How many bytes of closing markup (`**`, `_`, a backtick) or closing
/// quotes and brackets start `rest`.
fn closers_after(rest: &[u8]) -> usize {
    rest.iter()
        .take_while(|b| matches!(b, b'*' | b'_' | b'`' | b'"' | b')' | b']'))
        .count()
}

fn push(text: &str, out: &mut Vec<Sentence>, s: usize, e: usize) {
    let slice = &text[s..e];
    let trimmed_start = s + (slice.len() - slice.trim_start().len());
    let trimmed_end = s + slice.trim_end().len();
    if trimmed_end > trimmed_start {
        out.push(make_sentence(text, trimmed_start, trimmed_end));
    }
}

/// Word and list-segment counts of a sentence: words are split by
/// whitespace; list segments also by `, ; / | ·`.
fn make_sentence(text: &str, start: usize, end: usize) -> Sentence {
    let s = &text[start..end];
    let (words, list_like) = if s.is_ascii() {
        counts_ascii(s.as_bytes())
    } else {
        counts_unicode(s)
    };
    Sentence {
        start,
        end,
        words,
        list_like,
        explained: false,
        hollow_reason: false,
    }
}

/// True when `s` reads as a keyword list, as a sentence's `list_like` says.
pub(crate) fn reads_as_list(s: &str) -> bool {
    if s.is_ascii() {
        counts_ascii(s.as_bytes()).1
    } else {
        counts_unicode(s).1
    }
}

/// Four or more list segments averaging under three words: a keyword list.
fn list_like(segments: usize, seg_words: usize) -> bool {
    let avg = if segments == 0 {
        0.0
    } else {
        seg_words as f32 / segments as f32
    };
    segments >= 4 && avg < 3.0
}

/// Bit k set when `f(block[k])`; written so the compiler vectorises it.
#[inline(always)]
fn mask32(block: &[u8; 32], f: impl Fn(u8) -> bool) -> u32 {
    let mut m = 0u32;
    for (k, &b) in block.iter().enumerate() {
        m |= u32::from(f(b)) << k;
    }
    m
}

/// Calls `f` on every 32-byte block of `b`, the last one padded with `pad`.
#[inline(always)]
fn for_blocks(b: &[u8], pad: u8, mut f: impl FnMut(&[u8; 32])) {
    let mut chunks = b.chunks_exact(32);
    for c in chunks.by_ref() {
        if let Ok(block) = <&[u8; 32]>::try_from(c) {
            f(block);
        }
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut block = [pad; 32];
        block[..rest.len()].copy_from_slice(rest);
        f(&block);
    }
}

/// `char::is_whitespace` for ASCII, as arithmetic (vectorises).
fn ws_bit(b: u8) -> bool {
    (b == b' ') | (b.wrapping_sub(b'\t') < 5)
}

fn sep_bit(b: u8) -> bool {
    (b == b',') | (b == b';') | (b == b'/') | (b == b'|')
}

/// `(words, list_like)` of an ASCII sentence.
fn counts_ascii(b: &[u8]) -> (usize, bool) {
    // Words start at a non-space after a space (or at the start); list
    // words start at a byte that is neither space nor separator after one
    // that is. Padding is space, which starts neither.
    let (mut words, mut seg_words, mut seps) = (0usize, 0usize, 0usize);
    let (mut after_space, mut after_plain) = (1u32, 0u32);
    for_blocks(b, b' ', |block| {
        let ws = mask32(block, ws_bit);
        let sep = mask32(block, sep_bit);
        let plain = !ws & !sep;
        words += (!ws & (ws << 1 | after_space)).count_ones() as usize;
        seg_words += (plain & !(plain << 1 | after_plain)).count_ones() as usize;
        seps += sep.count_ones() as usize;
        after_space = ws >> 31;
        after_plain = plain >> 31;
    });
    // Diagram lines annotate boxes with short comma lists; that is the seed's
    // format, not keyword stuffing. A list needs four segments (three
    // separators) averaging under three words, and there are at most
    // `seps + 1` segments.
    if seps < 3 || seg_words >= 3 * (seps + 1) || has_arrow(b) {
        return (words, false);
    }
    let (mut segments, mut has_word) = (0usize, false);
    for &c in b {
        let sep = sep_bit(c);
        segments += usize::from(sep & has_word);
        has_word = !sep & (has_word | !ws_bit(c));
    }
    segments += usize::from(has_word);
    (words, list_like(segments, seg_words))
}

/// Whitespace-separated words in `s`: `s.split_whitespace().count()`,
/// 32 bytes at a time when `s` is ASCII.
pub(crate) fn word_count(s: &str) -> usize {
    if !s.is_ascii() {
        return s.split_whitespace().count();
    }
    let mut words = 0usize;
    let mut after_space = 1u32;
    for_blocks(s.as_bytes(), b' ', |block| {
        let ws = mask32(block, ws_bit);
        words += (!ws & (ws << 1 | after_space)).count_ones() as usize;
        after_space = ws >> 31;
    });
    words
}

/// `(words, list_like)` of any sentence, char by char.
fn counts_unicode(s: &str) -> (usize, bool) {
    let words = s.split_whitespace().count();
    let (mut segments, mut seg_words) = (0usize, 0usize);
    for seg in s.split([',', ';', '/', '|', '·']) {
        let n = seg.split_whitespace().count();
        if n > 0 {
            segments += 1;
            seg_words += n;
        }
    }
    let arrow = s.contains("->") || s.contains('→');
    (words, !arrow && list_like(segments, seg_words))
}

/// Index of the sentence containing byte `pos` (or the nearest before it).
pub(crate) fn sentence_at(sentences: &[Sentence], pos: usize) -> Option<usize> {
    if sentences.is_empty() {
        return None;
    }
    let i = sentences.partition_point(|s| s.start <= pos);
    Some(i.saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn word_counts_are_split_whitespace_counts() {
        let long = "word ".repeat(40) + "  tail\t\nend\u{b}x\u{c}y\r";
        for s in [
            "",
            " ",
            "one",
            " two  words ",
            "a\tb\nc\rd\u{b}e\u{c}f",
            long.as_str(),
            "non-ascii — words, “quoted”\u{a0}nbsp",
        ] {
            assert_eq!(word_count(s), s.split_whitespace().count(), "{s:?}");
        }
    }

    fn spans(t: &str) -> Vec<&str> {
        split_sentences(t)
            .iter()
            .map(|s| &t[s.start..s.end])
            .collect()
    }

    #[test]
    fn a_stop_before_closing_markup_ends_the_sentence() {
        assert_eq!(
            spans("**Cost.** One day takes 2 hours. Said \"done.\" Then (see the note.) Next"),
            [
                "**Cost.**",
                "One day takes 2 hours.",
                "Said \"done.\"",
                "Then (see the note.)",
                "Next"
            ]
        );
        // Not a stop: a version or a path goes on.
        assert_eq!(spans("Use v1.2_beta today."), ["Use v1.2_beta today."]);
    }

    #[test]
    fn soft_wrapped_lines_stay_one_sentence_but_bullets_split() {
        let t = "We dedupe by event_id because\nproducers retry. Then:\n- Kafka\n- Flink";
        assert_eq!(
            spans(t),
            [
                "We dedupe by event_id because\nproducers retry.",
                "Then:",
                "- Kafka",
                "- Flink"
            ]
        );
    }

    #[test]
    fn a_wrapped_list_item_is_one_sentence() {
        let t = "- The runner upserts on that key, so\n  a retried event writes the same row.\n- Next item\n  Kafka -> Flink\n- Notes:\n  indented";
        assert_eq!(
            spans(t),
            [
                "- The runner upserts on that key, so\n  a retried event writes the same row.",
                "- Next item",
                // An arrow is a diagram line, not the item's wrapped rest.
                "Kafka -> Flink",
                // A colon ends the item's own sentence.
                "- Notes:",
                "indented"
            ]
        );
        // Numbered items wrap too; a capitalised or unindented line does not
        // continue an item.
        assert_eq!(
            spans("1) We dedupe by id\n   because producers retry\n- a\nb\n- c\n  Then d"),
            [
                "1) We dedupe by id\n   because producers retry",
                "- a",
                "b",
                "- c",
                "Then d"
            ]
        );
    }

    #[test]
    fn abbreviations_and_decimals_do_not_end_a_sentence() {
        let t = "Use a queue, e.g. Kafka (i.e. MSK) vs. Kinesis. We store 2.5 TB. Done";
        assert_eq!(
            spans(t),
            [
                "Use a queue, e.g. Kafka (i.e. MSK) vs. Kinesis.",
                "We store 2.5 TB.",
                "Done"
            ]
        );
        // A long word ending like an abbreviation is not one.
        assert_eq!(
            spans("Prices vs. costs. Reverse.vs. next"),
            ["Prices vs. costs.", "Reverse.vs.", "next"]
        );
        assert_eq!(spans("etc. then"), ["etc. then"]);
    }

    #[test]
    fn empty_and_blank_text_has_no_sentences() {
        assert!(split_sentences("").is_empty());
        assert!(split_sentences(" \n\n\t \u{a0}").is_empty());
        assert_eq!(spans("."), ["."]);
    }

    #[test]
    fn unicode_whitespace_and_punctuation_are_respected() {
        // A full stop before a no-break space does not split (only ASCII
        // whitespace after the stop does), but NBSP delimits the word looked at.
        let t = "Sink is idempotent.\u{a0}Then e.g.\u{2003}done! Next → step? yes";
        assert_eq!(
            spans(t),
            [
                "Sink is idempotent.\u{a0}Then e.g.\u{2003}done!",
                "Next → step?",
                "yes"
            ]
        );
        let s = split_sentences("a · b · c · d");
        assert!(s[0].list_like, "{s:?}");
        assert_eq!(s[0].words, 7);
    }

    #[test]
    fn arrows_and_list_markers_end_lines() {
        let t = "Kafka -> Flink\nthen S3\nNotes:\nfirst\n  indented\n1. one\n2) two";
        assert_eq!(
            spans(t),
            [
                "Kafka -> Flink",
                // A colon ends the line it is on, not the one before it.
                "then S3\nNotes:",
                "first",
                "indented",
                // "1." is a full stop before a space, as in the original splitter.
                "1.",
                "one",
                "2) two"
            ]
        );
    }

    #[test]
    fn keyword_lists_are_list_like_but_diagram_annotations_are_not() {
        let list = split_sentences("Kafka, Flink, S3, Snowflake, Airflow");
        assert!(list[0].list_like);
        assert_eq!(list[0].words, 5);
        let diagram = split_sentences("Kafka -> Flink (a, b, c, d, e)");
        assert!(!diagram[0].list_like);
        let prose =
            split_sentences("We use Kafka because producers retry, and Flink dedupes them by id.");
        assert!(!prose[0].list_like);
    }
}
