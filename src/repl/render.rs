//! Drawing the answer being typed. Lines already entered are printed once
//! and left to scroll; only the line being edited is redrawn (for a key, a
//! clock tick, or after a notice), and text added at its end is written
//! as is, so a long paste costs its own length on screen, not its square.

use std::io::Write;

use unicode_width::UnicodeWidthChar;

use super::editor::Editor;

/// The prompt of the second and later lines of an answer.
pub const CONTINUATION: &str = "  ... ";

/// The most rows the line being edited takes; a longer line shows the
/// part around the cursor between `…` marks.
const MAX_ROWS: usize = 8;

fn width_of(chars: &[char]) -> usize {
    chars.iter().map(|c| c.width().unwrap_or(0)).sum()
}

/// What is on screen of the answer being typed.
#[derive(Debug, Default)]
pub struct View {
    /// Lines of the answer already printed.
    shown_lines: usize,
    /// The line being edited is on screen.
    drawn: bool,
    /// The cursor's row, counted from the first row of that line.
    row: usize,
    /// The cursor was at the end of the line.
    at_end: bool,
    /// What was drawn: the prompt and the text shown.
    last: Option<(String, Vec<char>)>,
}

/// The row the cursor is on after writing `total` columns (a line that
/// exactly fills the screen is followed by `\r\n`, so the cursor never
/// sits in the terminal's pending-wrap state).
fn end_row(total: usize, width: usize) -> usize {
    total / width
}

impl View {
    /// A view with nothing drawn.
    pub fn new() -> Self {
        Self::default()
    }

    /// Erase the line being edited (lines entered before it stay).
    pub fn clear(&mut self, out: &mut dyn Write) {
        if std::mem::take(&mut self.drawn) {
            let _ = write!(out, "\r");
            if self.row > 0 {
                let _ = write!(out, "\x1b[{}A", self.row);
            }
            let _ = write!(out, "\x1b[J");
            let _ = out.flush();
        }
        self.row = 0;
        self.last = None;
    }

    /// Leave what is drawn on screen and start on a fresh line (after a
    /// submit, a Ctrl-C, or before printing a list).
    pub fn finish(&mut self, out: &mut dyn Write, width: usize) {
        if std::mem::take(&mut self.drawn) {
            let total = self
                .last
                .as_ref()
                .map_or(0, |(p, t)| prompt_width(p) + width_of(t));
            let last_row = end_row(total, width);
            if last_row > self.row {
                let _ = write!(out, "\x1b[{}B", last_row - self.row);
            }
            if total > 0 && total % width == 0 {
                let _ = write!(out, "\r");
            } else {
                let _ = write!(out, "\r\n");
            }
            let _ = out.flush();
        }
        self.shown_lines = 0;
        self.row = 0;
        self.last = None;
    }

    /// Draw the answer: lines entered since the last draw, then the line
    /// being edited with the cursor in place. `prompt` is the first line's.
    pub fn draw(&mut self, out: &mut dyn Write, ed: &Editor, prompt: &str, width: usize) {
        let lines = ed.lines();
        let prompt_now = if lines.is_empty() {
            prompt
        } else {
            CONTINUATION
        };
        let cur = ed.current();
        let at_end = ed.cursor() == cur.len();
        if self.drawn && lines.len() == self.shown_lines && self.at_end && at_end {
            if let Some((p, text)) = &self.last {
                let total = prompt_width(p) + width_of(cur);
                if p == prompt_now
                    && cur.len() >= text.len()
                    && cur[..text.len()] == text[..]
                    && total < width * MAX_ROWS
                {
                    // Only text added at the end: write just that.
                    if cur.len() > text.len() {
                        let added: String = cur[text.len()..].iter().collect();
                        let _ = write!(out, "{added}");
                        if total % width == 0 {
                            let _ = write!(out, "\r\n");
                        }
                        let _ = out.flush();
                        self.row = end_row(total, width);
                        self.last = Some((p.clone(), cur.to_vec()));
                    }
                    return;
                }
            }
        }
        self.clear(out);
        for (i, line) in lines.iter().enumerate().skip(self.shown_lines) {
            let p = if i == 0 { prompt } else { CONTINUATION };
            let _ = write!(out, "{p}{line}\r\n");
        }
        self.shown_lines = lines.len();
        let pw = prompt_width(prompt_now);
        let (shown, cursor) = window(cur, ed.cursor(), pw, width);
        let text: String = shown.iter().collect();
        let _ = write!(out, "{prompt_now}{text}");
        let total = pw + width_of(&shown);
        if total > 0 && total % width == 0 {
            let _ = write!(out, "\r\n");
        }
        let c = pw + width_of(&shown[..cursor]);
        let (row, col) = (c / width, c % width);
        let last_row = end_row(total, width);
        if cursor < shown.len() {
            // The cursor is inside the text: move it back there.
            if last_row > row {
                let _ = write!(out, "\x1b[{}A", last_row - row);
            }
            let _ = write!(out, "\r");
            if col > 0 {
                let _ = write!(out, "\x1b[{col}C");
            }
        }
        let _ = out.flush();
        self.drawn = true;
        self.row = row;
        self.at_end = at_end;
        self.last = Some((prompt_now.to_string(), shown));
    }
}

fn prompt_width(p: &str) -> usize {
    p.chars().map(|c| c.width().unwrap_or(0)).sum()
}

/// The part of a long line to show, and the cursor's index in it.
fn window(cur: &[char], pos: usize, prompt: usize, width: usize) -> (Vec<char>, usize) {
    let budget = (width * MAX_ROWS).saturating_sub(prompt + 3);
    if width_of(cur) <= budget {
        return (cur.to_vec(), pos);
    }
    // Keep the cursor in view, with as much before it as fits.
    let mut start = pos;
    let mut used = 0;
    while start > 0 && used + cur[start - 1].width().unwrap_or(0) <= budget / 2 {
        start -= 1;
        used += cur[start].width().unwrap_or(0);
    }
    let mut end = pos;
    while end < cur.len() && used + cur[end].width().unwrap_or(0) <= budget {
        used += cur[end].width().unwrap_or(0);
        end += 1;
    }
    while start > 0 && used + cur[start - 1].width().unwrap_or(0) <= budget {
        start -= 1;
        used += cur[start].width().unwrap_or(0);
    }
    let mut shown = Vec::with_capacity(end - start + 2);
    let mut cursor = pos - start;
    if start > 0 {
        shown.push('…');
        cursor += 1;
    }
    shown.extend_from_slice(&cur[start..end]);
    if end < cur.len() {
        shown.push('…');
    }
    (shown, cursor)
}

#[cfg(test)]
mod tests {
    use super::super::keys::Key;
    use super::*;

    fn editor(text: &str) -> Editor {
        let mut ed = Editor::new(Vec::new(), &[]);
        for c in text.chars() {
            ed.key(if c == '\n' { Key::Enter } else { Key::Char(c) });
        }
        ed
    }

    #[test]
    fn text_added_at_the_end_is_written_alone() {
        let mut v = View::new();
        let mut out = Vec::new();
        v.draw(&mut out, &editor("abc"), "you> ", 80);
        out.clear();
        v.draw(&mut out, &editor("abcdef"), "you> ", 80);
        assert_eq!(String::from_utf8_lossy(&out), "def");
    }

    #[test]
    fn entered_lines_are_printed_once_with_their_prompts() {
        let mut v = View::new();
        let mut out = Vec::new();
        v.draw(&mut out, &editor("one\ntwo\nthr"), "you> ", 80);
        let s = String::from_utf8_lossy(&out).to_string();
        assert!(s.starts_with("you> one\r\n  ... two\r\n"), "{s:?}");
        out.clear();
        v.draw(&mut out, &editor("one\ntwo\nthree\nfour"), "you> ", 80);
        let s = String::from_utf8_lossy(&out).to_string();
        assert!(!s.contains("one") && !s.contains("two"), "{s:?}");
        assert!(s.contains("  ... three\r\n  ... four"), "{s:?}");
    }

    #[test]
    fn a_line_longer_than_the_screen_shows_the_part_at_the_cursor() {
        let mut v = View::new();
        let mut out = Vec::new();
        let long = "word ".repeat(400);
        v.draw(&mut out, &editor(&long), "you> ", 40);
        let s = String::from_utf8_lossy(&out).to_string();
        assert!(s.contains('…'), "{s:?}");
        assert!(s.chars().count() < 40 * MAX_ROWS + 40, "{}", s.len());
    }
}
