//! Bytes from the candidate's terminal to keys. Hand-written because the
//! crates that parse terminal input (crossterm, termwiz) drop bytes that are
//! not UTF-8 without a word, and the round must show the candidate what
//! happened to their text instead (a U+FFFD and a notice). Stateful, so a
//! character or escape sequence split across two reads decodes whole.

/// One thing the terminal sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    /// A printable character.
    Char(char),
    /// Bytes that are not UTF-8: shown as U+FFFD, with a notice.
    Invalid,
    Enter,
    Tab,
    Backspace,
    Delete,
    Left,
    Right,
    Up,
    Down,
    Home,
    End,
    /// Ctrl-K: delete to the end of the line.
    KillToEnd,
    /// Ctrl-U: delete to the start of the line.
    KillToStart,
    /// Ctrl-W: delete the word before the cursor.
    KillWord,
    /// Ctrl-Y: bring back the answer Ctrl-C cleared.
    Yank,
    /// Ctrl-L: redraw.
    Redraw,
    /// Ctrl-C, numbered so one that stopped the interviewer is not applied
    /// to the answer as well.
    Interrupt(u64),
    /// Ctrl-D.
    Eof,
    /// Bracketed paste markers (`ESC [200~` / `ESC [201~`).
    PasteStart,
    PasteEnd,
}

#[derive(Debug, Clone, PartialEq, Eq)]
enum State {
    Ground,
    /// Inside a UTF-8 sequence: the bytes so far and how many it needs.
    Utf8(Vec<u8>, usize),
    Escape,
    /// `ESC [` and the parameter bytes so far.
    Csi(Vec<u8>),
    /// `ESC O`.
    Ss3,
}

/// The decoder; feed it bytes as they are read.
#[derive(Debug, Clone)]
pub struct KeyDecoder {
    state: State,
    /// The last byte was a carriage return (a following line feed is the
    /// same Enter, as a pasted CRLF line end).
    after_cr: bool,
    interrupts: u64,
}

impl Default for KeyDecoder {
    fn default() -> Self {
        Self::new()
    }
}

/// The length of a UTF-8 sequence from its first byte; `None` when the
/// byte cannot start one.
fn utf8_len(b: u8) -> Option<usize> {
    match b {
        0xC2..=0xDF => Some(2),
        0xE0..=0xEF => Some(3),
        0xF0..=0xF4 => Some(4),
        _ => None,
    }
}

/// The second byte's allowed range (excludes overlong forms and surrogates).
fn second_byte_ok(first: u8, b: u8) -> bool {
    match first {
        0xE0 => (0xA0..=0xBF).contains(&b),
        0xED => (0x80..=0x9F).contains(&b),
        0xF0 => (0x90..=0xBF).contains(&b),
        0xF4 => (0x80..=0x8F).contains(&b),
        _ => (0x80..=0xBF).contains(&b),
    }
}

impl KeyDecoder {
    /// A decoder at the start of input.
    pub fn new() -> Self {
        KeyDecoder {
            state: State::Ground,
            after_cr: false,
            interrupts: 0,
        }
    }

    /// Ctrl-C presses seen so far.
    pub fn interrupts(&self) -> u64 {
        self.interrupts
    }

    /// Decode a chunk of bytes, appending the keys to `out`.
    pub fn feed(&mut self, bytes: &[u8], out: &mut Vec<Key>) {
        for &b in bytes {
            self.byte(b, out);
        }
    }

    /// The read ended here: a lone ESC is the Escape key (ignored), not the
    /// start of a sequence; an unfinished UTF-8 sequence stays pending,
    /// since its rest may be in the next read.
    pub fn end_of_read(&mut self) {
        if self.state == State::Escape {
            self.state = State::Ground;
        }
    }

    /// The input ended: whatever is pending is incomplete.
    pub fn finish(&mut self, out: &mut Vec<Key>) {
        if matches!(self.state, State::Utf8(..)) {
            out.push(Key::Invalid);
        }
        self.state = State::Ground;
    }

    fn byte(&mut self, b: u8, out: &mut Vec<Key>) {
        let after_cr = std::mem::replace(&mut self.after_cr, false);
        match std::mem::replace(&mut self.state, State::Ground) {
            State::Ground => self.ground(b, after_cr, out),
            State::Utf8(mut seq, need) => {
                let ok = if seq.len() == 1 {
                    second_byte_ok(seq[0], b)
                } else {
                    (0x80..=0xBF).contains(&b)
                };
                if !ok {
                    // The sequence broke off: one replacement for it, then
                    // this byte on its own (so `c3 28` is U+FFFD then `(`).
                    out.push(Key::Invalid);
                    self.ground(b, false, out);
                    return;
                }
                seq.push(b);
                if seq.len() < need {
                    self.state = State::Utf8(seq, need);
                    return;
                }
                match std::str::from_utf8(&seq)
                    .ok()
                    .and_then(|s| s.chars().next())
                {
                    Some(c) => out.push(Key::Char(c)),
                    None => out.push(Key::Invalid),
                }
            }
            State::Escape => match b {
                b'[' => self.state = State::Csi(Vec::new()),
                b'O' => self.state = State::Ss3,
                // A second ESC: the first was the Escape key on its own.
                0x1b => self.state = State::Escape,
                // Alt+key and other two-byte sequences are not used.
                0x20..=0x7f => {}
                _ => self.ground(b, false, out),
            },
            State::Csi(mut params) => match b {
                0x20..=0x3f => {
                    if params.len() < 16 {
                        params.push(b);
                    }
                    self.state = State::Csi(params);
                }
                0x40..=0x7e => {
                    if let Some(k) = csi_key(&params, b) {
                        out.push(k);
                    }
                }
                // Not a sequence after all: drop it, keep the byte.
                _ => self.ground(b, false, out),
            },
            State::Ss3 => match b {
                b'A' => out.push(Key::Up),
                b'B' => out.push(Key::Down),
                b'C' => out.push(Key::Right),
                b'D' => out.push(Key::Left),
                b'H' => out.push(Key::Home),
                b'F' => out.push(Key::End),
                0x20..=0x7e => {}
                _ => self.ground(b, false, out),
            },
        }
    }

    fn ground(&mut self, b: u8, after_cr: bool, out: &mut Vec<Key>) {
        let key = match b {
            b'\r' => {
                self.after_cr = true;
                Key::Enter
            }
            b'\n' if after_cr => return,
            b'\n' => Key::Enter,
            b'\t' => Key::Tab,
            0x7f | 0x08 => Key::Backspace,
            0x1b => {
                self.state = State::Escape;
                return;
            }
            0x01 => Key::Home,
            0x02 => Key::Left,
            0x03 => {
                self.interrupts += 1;
                Key::Interrupt(self.interrupts)
            }
            0x04 => Key::Eof,
            0x05 => Key::End,
            0x06 => Key::Right,
            0x0b => Key::KillToEnd,
            0x0c => Key::Redraw,
            0x0e => Key::Down,
            0x10 => Key::Up,
            0x15 => Key::KillToStart,
            0x17 => Key::KillWord,
            0x19 => Key::Yank,
            0x00..=0x1f => return,
            0x20..=0x7e => Key::Char(char::from(b)),
            _ => match utf8_len(b) {
                Some(n) => {
                    self.state = State::Utf8(vec![b], n);
                    return;
                }
                None => Key::Invalid,
            },
        };
        out.push(key);
    }
}

fn csi_key(params: &[u8], fin: u8) -> Option<Key> {
    // Modifiers (`1;5C` is Ctrl-Right) do not change what the key does here.
    let first = params.split(|b| *b == b';').next().unwrap_or(&[]);
    Some(match (fin, first) {
        (b'A', _) => Key::Up,
        (b'B', _) => Key::Down,
        (b'C', _) => Key::Right,
        (b'D', _) => Key::Left,
        (b'H', _) => Key::Home,
        (b'F', _) => Key::End,
        (b'~', b"1" | b"7") => Key::Home,
        (b'~', b"4" | b"8") => Key::End,
        (b'~', b"3") => Key::Delete,
        (b'~', b"200") => Key::PasteStart,
        (b'~', b"201") => Key::PasteEnd,
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(chunks: &[&[u8]]) -> Vec<Key> {
        let mut d = KeyDecoder::new();
        let mut out = Vec::new();
        for c in chunks {
            d.feed(c, &mut out);
            d.end_of_read();
        }
        d.finish(&mut out);
        out
    }

    fn text(ks: &[Key]) -> String {
        ks.iter()
            .map(|k| match k {
                Key::Char(c) => *c,
                Key::Invalid => '\u{FFFD}',
                Key::Enter => '\n',
                _ => '#',
            })
            .collect()
    }

    #[test]
    fn invalid_bytes_become_replacements_and_the_rest_survives() {
        let ks = keys(&[b"a\xff\xfe\xc3(b"]);
        assert_eq!(text(&ks), "a\u{FFFD}\u{FFFD}\u{FFFD}(b");
    }

    #[test]
    fn characters_split_across_reads_decode_whole() {
        let ks = keys(&[b"caf\xc3", b"\xa9 \xe2\x86", b"\x92 ok"]);
        assert_eq!(text(&ks), "café → ok");
    }

    #[test]
    fn surrogates_and_overlong_forms_are_invalid() {
        assert_eq!(
            text(&keys(&[b"\xed\xa0\x80x"])),
            "\u{FFFD}\u{FFFD}\u{FFFD}x"
        );
        assert_eq!(text(&keys(&[b"\xc0\xafx"])), "\u{FFFD}\u{FFFD}x");
        assert_eq!(text(&keys(&[b"\xe2\x82"])), "\u{FFFD}");
    }

    #[test]
    fn crlf_is_one_enter_and_escape_sequences_are_keys() {
        let ks = keys(&[b"a\r\nb\r\rc\n\x1b[A\x1b[1;5C\x1bOH\x1b[3~"]);
        assert_eq!(
            ks,
            vec![
                Key::Char('a'),
                Key::Enter,
                Key::Char('b'),
                Key::Enter,
                Key::Enter,
                Key::Char('c'),
                Key::Enter,
                Key::Up,
                Key::Right,
                Key::Home,
                Key::Delete
            ]
        );
    }

    #[test]
    fn paste_markers_and_numbered_interrupts() {
        let ks = keys(&[b"\x1b[200~x\x03", b"\x1b[20", b"1~\x03"]);
        assert_eq!(
            ks,
            vec![
                Key::PasteStart,
                Key::Char('x'),
                Key::Interrupt(1),
                Key::PasteEnd,
                Key::Interrupt(2)
            ]
        );
    }

    #[test]
    fn a_lone_escape_at_the_end_of_a_read_is_dropped() {
        assert_eq!(
            keys(&[b"\x1b", b"[A"]),
            vec![Key::Char('['), Key::Char('A')]
        );
    }
}
