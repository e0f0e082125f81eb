//! Where a clause ends inside a long sentence, for quoting the clause
//! around a cue: punctuation, dashes, brackets and table or box borders,
//! and line breaks that are not a soft wrap of the sentence's prose.

/// Where a clause ends inside a long sentence.
const CLAUSE_BREAKS: &[char] = &[',', ';', ':', '—', '\n', '│', '|', '('];

/// A clause break at byte `i` of `text` (a char of `CLAUSE_BREAKS`): a line
/// break is one unless it only wraps the prose ([`soft_wrap`]).
#[inline]
fn breaks_at(text: &str, i: usize, c: char) -> bool {
    CLAUSE_BREAKS.contains(&c)
        && (c != '\n' || !soft_wrap(text, i))
        && (c != ':' || !between_digits(text, i))
}

/// A colon inside a time or a ratio ("08:30", "3:1") is no clause break.
fn between_digits(text: &str, i: usize) -> bool {
    let b = text.as_bytes();
    i > 0 && b[i - 1].is_ascii_digit() && b.get(i + 1).is_some_and(u8::is_ascii_digit)
}

/// A line break inside a sentence that only wraps its prose: the next line
/// goes on in lower case, or a line of words (no table or box border) ends
/// mid-clause and the next starts with a word ("merged into\nIceberg
/// nightly"). Diagram rows stay apart.
fn soft_wrap(text: &str, i: usize) -> bool {
    let next = text[i + 1..].trim_start_matches([' ', '\t']);
    if next.starts_with(|n: char| n.is_ascii_lowercase()) {
        return true;
    }
    let line = &text[text[..i].rfind('\n').map_or(0, |s| s + 1)..i];
    let bordered = |l: &str| l.contains(['|', '│', '┃', '║']);
    let next_line = next.split('\n').next().unwrap_or_default();
    line.trim_end()
        .ends_with(|p: char| p.is_ascii_alphanumeric() || p == ',')
        && next.starts_with(|n: char| n.is_ascii_alphanumeric())
        && !bordered(line)
        && !bordered(next_line)
}

/// How many brackets are open at `at`, counted from `from` (the sentence's
/// start). Brackets are ASCII, so bytes count them.
fn open_at(text: &str, from: usize, at: usize) -> usize {
    text.as_bytes()[from..at]
        .iter()
        .fold(0usize, |d, &c| match c {
            b'(' | b'[' => d + 1,
            b')' | b']' => d.saturating_sub(1),
            _ => d,
        })
}

/// The last clause break in `text[lo..hi]`, as a byte index of `text`, with
/// `lo` the sentence's start. A bracket is read whole: a comma inside one is
/// no break, and neither is one inside the bracket around `hi` ("a hash id
/// (host, file, offset) at the agent" is one clause around "offset").
pub(super) fn last_break(text: &str, lo: usize, hi: usize) -> Option<usize> {
    let mut n = Nesting::around(text, lo, hi);
    for (i, c) in text[lo..hi].char_indices().rev() {
        match c {
            ')' | ']' => n.enter(),
            '(' | '[' => n.leave(),
            _ if n.top() && breaks_at(text, lo + i, c) => return Some(lo + i),
            _ => {}
        }
    }
    None
}

/// Brackets passed while scanning away from a hit: those entered on the
/// way, and those around the hit still to leave.
struct Nesting {
    around: usize,
    entered: usize,
}

impl Nesting {
    fn around(text: &str, from: usize, at: usize) -> Self {
        Nesting {
            around: open_at(text, from, at),
            entered: 0,
        }
    }

    fn enter(&mut self) {
        self.entered += 1;
    }

    /// A bracket left: one entered on the way, else one around the hit.
    fn leave(&mut self) {
        if self.entered > 0 {
            self.entered -= 1;
        } else {
            self.around = self.around.saturating_sub(1);
        }
    }

    /// Outside every bracket: where a clause can break.
    fn top(&self) -> bool {
        self.entered == 0 && self.around == 0
    }
}

/// The innermost bracket around `text[start..end]` within `text[lo..hi]`:
/// the byte indices of its opening and closing bracket.
pub(super) fn enclosing_bracket(
    text: &str,
    (lo, hi): (usize, usize),
    (start, end): (usize, usize),
) -> Option<(usize, usize)> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let open = (lo..start).rev().find(|&i| match b[i] {
        b')' | b']' => {
            depth += 1;
            false
        }
        b'(' | b'[' if depth == 0 => true,
        b'(' | b'[' => {
            depth -= 1;
            false
        }
        _ => false,
    })?;
    let mut depth = 0usize;
    let close = (end..hi.min(b.len())).find(|&i| match b[i] {
        b'(' | b'[' => {
            depth += 1;
            false
        }
        b')' | b']' if depth == 0 => true,
        b')' | b']' => {
            depth -= 1;
            false
        }
        _ => false,
    })?;
    Some((open, close))
}

/// The first clause break in `text[lo..hi]`, as a byte index of `text`,
/// with `from` the sentence's start: brackets are read whole, as in
/// [`last_break`], but an opening one after the hit ends its clause.
pub(super) fn first_break(text: &str, from: usize, lo: usize, hi: usize) -> Option<usize> {
    let mut n = Nesting::around(text, from, lo);
    for (i, c) in text[lo..hi].char_indices() {
        match c {
            '(' | '[' if n.top() => return Some(lo + i),
            '(' | '[' => n.enter(),
            ')' | ']' => n.leave(),
            _ if n.top() && breaks_at(text, lo + i, c) => return Some(lo + i),
            _ => {}
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_wrapped_line_of_prose_is_not_a_clause_break() {
        let t = "Late readings go to a side output that is merged into\nIceberg nightly by Spark.";
        assert_eq!(first_break(t, 0, 0, t.len()), None);
        let t = "we dedupe by id\nbecause producers retry";
        assert_eq!(first_break(t, 0, 0, t.len()), None);
    }

    #[test]
    fn a_time_is_not_a_clause_break() {
        let t = "Airflow alerts the data on-call at 08:30, and we rerun";
        assert_eq!(
            first_break(t, 0, 0, t.len()),
            Some(t.find(',').unwrap_or(0))
        );
        let t = "Note: the job";
        assert_eq!(first_break(t, 0, 0, t.len()), Some(4));
    }

    #[test]
    fn diagram_rows_and_ended_lines_still_break() {
        let t = "│ Kafka │\n│ Flink │";
        assert_eq!(first_break(t, 0, 0, t.len()), Some(0));
        let t = "Kafka cluster:\nFlink jobs";
        assert_eq!(first_break(t, 0, 0, t.len()), Some(13));
        let t = "S3 raw\n| Kafka | Avro |";
        assert_eq!(first_break(t, 0, 0, t.len()), Some(6));
        assert_eq!(last_break(t, 0, 6), None);
    }
}
