//! Word wrapping for text that arrives in pieces (a streamed reply): a
//! word is written only once it is whole, on the current row when it fits
//! and on the next one when it does not, so a terminal never breaks a line
//! inside a word. A word wider than the screen is written as it comes (the
//! terminal breaks it; nothing is lost).

use unicode_width::UnicodeWidthStr;

/// Wraps streamed text at `width` columns, starting at column `col`.
#[derive(Debug)]
pub struct Wrapper {
    width: usize,
    col: usize,
    /// The word being received: not written until whitespace ends it.
    word: String,
    /// Spaces after the last word, written only before the next word on
    /// the same row (a wrapped row starts with the word itself).
    spaces: usize,
}

impl Wrapper {
    /// A wrapper for a screen `width` columns wide, the cursor at `col`.
    pub fn new(width: usize, col: usize) -> Wrapper {
        Wrapper {
            width: width.max(1),
            col,
            word: String::new(),
            spaces: 0,
        }
    }

    /// The text to write for `piece`: every word it completes, each
    /// preceded by its spaces or by a line break.
    pub fn push(&mut self, piece: &str) -> String {
        let mut out = String::new();
        for c in piece.chars() {
            match c {
                '\n' | '\r' => {
                    self.flush_word(&mut out);
                    self.spaces = 0;
                    out.push(c);
                    self.col = 0;
                }
                c if c.is_whitespace() => {
                    self.flush_word(&mut out);
                    self.spaces += 1;
                }
                c => self.word.push(c),
            }
        }
        out
    }

    /// The rest: the last word, when the text ended inside it.
    pub fn finish(&mut self) -> String {
        let mut out = String::new();
        self.flush_word(&mut out);
        self.spaces = 0;
        out
    }

    fn flush_word(&mut self, out: &mut String) {
        if self.word.is_empty() {
            return;
        }
        let w = self.word.width();
        if self.col > 0 && self.col + self.spaces + w > self.width {
            out.push('\n');
            self.col = 0;
        } else {
            out.extend(std::iter::repeat_n(' ', self.spaces));
            self.col += self.spaces;
        }
        self.spaces = 0;
        out.push_str(&self.word);
        // A word wider than the row wraps in the terminal: the cursor ends
        // where the last row of it ends.
        self.col += w;
        if self.col > self.width {
            self.col %= self.width;
        }
        self.word.clear();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn wrap_in_pieces(text: &str, piece: usize, width: usize, col: usize) -> String {
        let mut w = Wrapper::new(width, col);
        let chars: Vec<char> = text.chars().collect();
        let mut out = String::new();
        for chunk in chars.chunks(piece) {
            out.push_str(&w.push(&chunk.iter().collect::<String>()));
        }
        out.push_str(&w.finish());
        out
    }

    #[test]
    fn no_row_is_wider_than_the_screen_and_no_word_is_split() {
        let text = "What happens when a Kafka broker dies in the middle of a \
                    checkpoint, and how does Flink know which offsets it already committed?";
        for piece in [1, 3, 7, 500] {
            let out = wrap_in_pieces(text, piece, 30, 13);
            let rows: Vec<&str> = out.split('\n').collect();
            assert!(13 + rows[0].len() <= 30, "{out:?}");
            for r in &rows[1..] {
                assert!(r.len() <= 30, "{r:?} in {out:?}");
                assert!(!r.starts_with(' '), "{r:?}");
            }
            assert_eq!(
                out.split_whitespace().collect::<Vec<_>>(),
                text.split_whitespace().collect::<Vec<_>>(),
                "piece {piece}"
            );
        }
    }

    #[test]
    fn line_breaks_in_the_text_start_a_new_row() {
        let out = wrap_in_pieces("One.\nTwo three four five six seven", 2, 12, 0);
        assert_eq!(out, "One.\nTwo three\nfour five\nsix seven");
    }

    #[test]
    fn a_word_wider_than_the_screen_is_written_whole() {
        let out = wrap_in_pieces("see s3://bucket/very/long/path/to/data now", 4, 10, 0);
        assert!(
            out.contains("s3://bucket/very/long/path/to/data"),
            "{out:?}"
        );
        assert!(out.ends_with("now"), "{out:?}");
    }

    #[test]
    fn wide_characters_count_their_columns() {
        // Each character takes two columns: two words and a space fill nine.
        let out = wrap_in_pieces("数据 数据 数据", 1, 9, 0);
        assert_eq!(out, "数据 数据\n数据");
    }
}
