//! The answer being typed: lines already entered, the line being edited,
//! pastes, history and the answer Ctrl-C cleared. Pure state, no I/O, so
//! every rule of what submits and what is kept is tested without a terminal.
//!
//! Rules: an empty line (or one holding only `.`) submits; a first line
//! starting with `/` is a command and submits at once; inside a bracketed
//! paste nothing submits, so a pasted answer with blank lines stays one
//! answer; Ctrl-C clears the answer (Ctrl-Y brings it back) or, mid-paste,
//! drops the paste; Ctrl-D on an empty line ends the round.

use super::keys::Key;

/// What a key did, when it needs more than a redraw.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Outcome {
    /// An answer or command, ready to send.
    Submit(String),
    /// Ctrl-C cleared the answer (`paste`: it stopped a paste).
    Cleared { paste: bool },
    /// Ctrl-D on an empty answer.
    Eof,
    /// Tab matched several commands: show them.
    Choices(Vec<&'static str>),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Paste {
    Off,
    On,
    /// Ctrl-C during a paste: the rest of it is dropped up to its end marker.
    Dropping,
}

/// The editor.
#[derive(Debug, Clone)]
pub struct Editor {
    lines: Vec<String>,
    cur: Vec<char>,
    pos: usize,
    paste: Paste,
    stash: Option<(Vec<String>, Vec<char>)>,
    history: Vec<String>,
    hist_pos: Option<usize>,
    hist_saved: Vec<char>,
    invalid: usize,
    /// Ctrl-C presses up to this number were spent stopping the
    /// interviewer; they do not clear the answer.
    spent_interrupts: u64,
    commands: &'static [(&'static str, &'static str)],
}

impl Editor {
    /// An empty editor; `commands` are completed with Tab.
    pub fn new(history: Vec<String>, commands: &'static [(&'static str, &'static str)]) -> Self {
        Editor {
            lines: Vec::new(),
            cur: Vec::new(),
            pos: 0,
            paste: Paste::Off,
            stash: None,
            history,
            hist_pos: None,
            hist_saved: Vec::new(),
            invalid: 0,
            spent_interrupts: 0,
            commands,
        }
    }

    /// Lines of the answer entered so far (the line being edited excluded).
    pub fn lines(&self) -> &[String] {
        &self.lines
    }
    /// The line being edited.
    pub fn current(&self) -> &[char] {
        &self.cur
    }
    /// The cursor's index in the line being edited.
    pub fn cursor(&self) -> usize {
        self.pos
    }
    /// Nothing typed (the answer is blank).
    pub fn is_blank(&self) -> bool {
        self.cur.iter().all(|c| c.is_whitespace()) && self.lines.iter().all(|l| l.trim().is_empty())
    }
    /// A paste is arriving.
    pub fn in_paste(&self) -> bool {
        self.paste != Paste::Off
    }
    /// How many invalid byte runs arrived since the last call.
    pub fn take_invalid(&mut self) -> usize {
        std::mem::take(&mut self.invalid)
    }
    /// Ctrl-C presses up to `n` stopped the interviewer: ignore them here.
    pub fn spend_interrupts(&mut self, n: u64) {
        self.spent_interrupts = self.spent_interrupts.max(n);
    }
    /// Ctrl-C presses used so far (on the answer or on the interviewer); a
    /// later one stops what the interviewer says next.
    pub fn spent(&self) -> u64 {
        self.spent_interrupts
    }
    /// Entries for the history file.
    pub fn history(&self) -> &[String] {
        &self.history
    }
    /// Remember a submitted entry (not twice in a row).
    pub fn remember(&mut self, entry: &str) {
        if !entry.trim().is_empty() && self.history.last().map(String::as_str) != Some(entry) {
            self.history.push(entry.to_string());
        }
    }

    /// Apply one key.
    pub fn key(&mut self, key: Key) -> Option<Outcome> {
        match self.paste {
            Paste::Dropping => {
                if key == Key::PasteEnd {
                    self.paste = Paste::Off;
                }
                return None;
            }
            Paste::On => return self.paste_key(key),
            Paste::Off => {}
        }
        if !matches!(key, Key::Up | Key::Down) {
            self.hist_pos = None;
        }
        match key {
            Key::Char(c) => self.insert(c),
            Key::Invalid => {
                self.invalid += 1;
                self.insert('\u{FFFD}');
            }
            Key::Tab => return self.complete(),
            Key::Enter => return self.enter(),
            Key::Backspace => {
                // Lines already entered have scrolled by: they stay as typed.
                if self.pos > 0 {
                    self.pos -= 1;
                    self.cur.remove(self.pos);
                }
            }
            Key::Delete => {
                if self.pos < self.cur.len() {
                    self.cur.remove(self.pos);
                }
            }
            Key::Left => self.pos = self.pos.saturating_sub(1),
            Key::Right => self.pos = (self.pos + 1).min(self.cur.len()),
            Key::Home => self.pos = 0,
            Key::End => self.pos = self.cur.len(),
            Key::KillToEnd => self.cur.truncate(self.pos),
            Key::KillToStart => {
                self.cur.drain(..self.pos);
                self.pos = 0;
            }
            Key::KillWord => {
                let mut start = self.pos;
                while start > 0 && self.cur[start - 1].is_whitespace() {
                    start -= 1;
                }
                while start > 0 && !self.cur[start - 1].is_whitespace() {
                    start -= 1;
                }
                self.cur.drain(start..self.pos);
                self.pos = start;
            }
            Key::Yank => {
                if self.is_blank() {
                    if let Some((lines, cur)) = self.stash.take() {
                        self.lines = lines;
                        self.cur = cur;
                        self.pos = self.cur.len();
                    }
                }
            }
            Key::Up => self.history_step(true),
            Key::Down => self.history_step(false),
            Key::Redraw => {}
            Key::Interrupt(n) => {
                if n <= self.spent_interrupts {
                    return None;
                }
                self.spent_interrupts = n;
                self.clear_to_stash();
                return Some(Outcome::Cleared { paste: false });
            }
            Key::Eof => {
                if !self.cur.is_empty() {
                    if self.pos < self.cur.len() {
                        self.cur.remove(self.pos);
                    }
                    return None;
                }
                if self.is_blank() {
                    return Some(Outcome::Eof);
                }
                return Some(Outcome::Submit(self.take()));
            }
            Key::PasteStart => self.paste = Paste::On,
            Key::PasteEnd => {}
        }
        None
    }

    fn paste_key(&mut self, key: Key) -> Option<Outcome> {
        match key {
            Key::PasteEnd => self.paste = Paste::Off,
            Key::Enter => self.commit(),
            Key::Char(c) => self.insert(c),
            Key::Tab => {
                for _ in 0..4 {
                    self.insert(' ');
                }
            }
            Key::Invalid => {
                self.invalid += 1;
                self.insert('\u{FFFD}');
            }
            Key::Interrupt(n) if n > self.spent_interrupts => {
                self.spent_interrupts = n;
                self.clear_to_stash();
                self.paste = Paste::Dropping;
                return Some(Outcome::Cleared { paste: true });
            }
            // Control keys inside pasted text are not commands.
            _ => {}
        }
        None
    }

    fn insert(&mut self, c: char) {
        self.cur.insert(self.pos, c);
        self.pos += 1;
    }

    fn commit(&mut self) {
        let line: String = self.cur.drain(..).collect();
        self.lines.push(line);
        self.pos = 0;
    }

    fn enter(&mut self) -> Option<Outcome> {
        let line: String = self.cur.iter().collect();
        let t = line.trim();
        if self.lines.is_empty() && t.starts_with('/') {
            self.cur.clear();
            self.pos = 0;
            return Some(Outcome::Submit(t.to_string()));
        }
        if t.is_empty() || t == "." {
            if self.is_blank() {
                self.cur.clear();
                self.pos = 0;
                return None;
            }
            self.cur.clear();
            return Some(Outcome::Submit(self.take()));
        }
        self.commit();
        None
    }

    /// The answer as submitted, leaving the editor empty.
    fn take(&mut self) -> String {
        if !self.cur.is_empty() {
            self.commit();
        }
        let text = std::mem::take(&mut self.lines).join("\n");
        self.cur.clear();
        self.pos = 0;
        text.trim_end().trim_start_matches('\n').to_string()
    }

    fn clear_to_stash(&mut self) {
        if !self.is_blank() {
            self.stash = Some((
                std::mem::take(&mut self.lines),
                std::mem::take(&mut self.cur),
            ));
        }
        self.lines.clear();
        self.cur.clear();
        self.pos = 0;
    }

    fn complete(&mut self) -> Option<Outcome> {
        let head: String = self.cur[..self.pos].iter().collect();
        if !self.lines.is_empty() || !head.starts_with('/') || head.contains(char::is_whitespace) {
            // In an answer, Tab indents (diagrams are often indented).
            for _ in 0..4 {
                self.insert(' ');
            }
            return None;
        }
        let matches: Vec<&'static str> = self
            .commands
            .iter()
            .map(|(c, _)| *c)
            .filter(|c| c.starts_with(&head))
            .collect();
        match matches.as_slice() {
            [] => None,
            [one] => {
                self.cur = one.chars().collect();
                self.pos = self.cur.len();
                None
            }
            _ => Some(Outcome::Choices(matches)),
        }
    }

    /// Up/Down through earlier one-line entries, while nothing else is typed.
    fn history_step(&mut self, back: bool) {
        if !self.lines.is_empty() {
            return;
        }
        let singles: Vec<usize> = (0..self.history.len())
            .filter(|i| !self.history[*i].contains('\n'))
            .collect();
        let at = self
            .hist_pos
            .and_then(|h| singles.iter().position(|i| *i == h));
        let next = match (at, back) {
            (None, true) => singles.len().checked_sub(1),
            (None, false) => None,
            (Some(i), true) => Some(i.saturating_sub(1)),
            (Some(i), false) if i + 1 < singles.len() => Some(i + 1),
            (Some(_), false) => {
                self.hist_pos = None;
                self.cur = std::mem::take(&mut self.hist_saved);
                self.pos = self.cur.len();
                return;
            }
        };
        if let Some(i) = next {
            if self.hist_pos.is_none() {
                self.hist_saved = self.cur.clone();
            }
            self.hist_pos = Some(singles[i]);
            self.cur = self.history[singles[i]].chars().collect();
            self.pos = self.cur.len();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CMDS: &[(&str, &str)] = &[("/help", ""), ("/hint", ""), ("/quit", "")];

    fn run(ed: &mut Editor, keys: &[Key]) -> Vec<Outcome> {
        keys.iter().filter_map(|k| ed.key(*k)).collect()
    }

    fn typed(s: &str) -> Vec<Key> {
        s.chars()
            .map(|c| if c == '\n' { Key::Enter } else { Key::Char(c) })
            .collect()
    }

    #[test]
    fn an_empty_line_submits_a_multi_line_answer() {
        let mut ed = Editor::new(Vec::new(), CMDS);
        let out = run(&mut ed, &typed("one\ntwo\n\n"));
        assert_eq!(out, vec![Outcome::Submit("one\ntwo".into())]);
        assert!(ed.is_blank());
    }

    #[test]
    fn a_paste_with_blank_lines_stays_one_answer() {
        let mut ed = Editor::new(Vec::new(), CMDS);
        let mut keys = vec![Key::PasteStart];
        keys.extend(typed("para one\n\npara two\n.\n\npara three"));
        keys.push(Key::PasteEnd);
        assert!(run(&mut ed, &keys).is_empty());
        let out = run(&mut ed, &typed("\n\n"));
        assert_eq!(
            out,
            vec![Outcome::Submit(
                "para one\n\npara two\n.\n\npara three".into()
            )]
        );
    }

    #[test]
    fn ctrl_c_mid_paste_drops_the_paste_and_yank_brings_it_back() {
        let mut ed = Editor::new(Vec::new(), CMDS);
        let mut keys = vec![Key::PasteStart];
        keys.extend(typed("first half\n\nmore"));
        keys.push(Key::Interrupt(1));
        keys.extend(typed("second half\n\n"));
        keys.push(Key::PasteEnd);
        let out = run(&mut ed, &keys);
        assert_eq!(out, vec![Outcome::Cleared { paste: true }]);
        assert!(ed.is_blank() && !ed.in_paste());
        run(&mut ed, &[Key::Yank]);
        assert_eq!(ed.lines(), ["first half", ""]);
        assert_eq!(ed.current().iter().collect::<String>(), "more");
    }

    #[test]
    fn an_interrupt_spent_on_the_interviewer_does_not_clear_the_answer() {
        let mut ed = Editor::new(Vec::new(), CMDS);
        run(&mut ed, &typed("typed ahead\n"));
        ed.spend_interrupts(1);
        assert!(run(&mut ed, &[Key::Interrupt(1)]).is_empty());
        assert_eq!(ed.lines(), ["typed ahead"]);
        assert_eq!(
            run(&mut ed, &[Key::Interrupt(2)]),
            vec![Outcome::Cleared { paste: false }]
        );
        // Used on the answer: it will not stop the next reply as well.
        assert_eq!(ed.spent(), 2);
    }

    #[test]
    fn commands_submit_at_once_and_complete_with_tab() {
        let mut ed = Editor::new(Vec::new(), CMDS);
        assert_eq!(run(&mut ed, &typed("/qu")), Vec::<Outcome>::new());
        run(&mut ed, &[Key::Tab]);
        assert_eq!(
            run(&mut ed, &[Key::Enter]),
            vec![Outcome::Submit("/quit".into())]
        );
        run(&mut ed, &typed("/h"));
        assert_eq!(
            run(&mut ed, &[Key::Tab]),
            vec![Outcome::Choices(vec!["/help", "/hint"])]
        );
    }

    #[test]
    fn ctrl_d_ends_only_an_empty_answer() {
        let mut ed = Editor::new(Vec::new(), CMDS);
        assert_eq!(run(&mut ed, &[Key::Eof]), vec![Outcome::Eof]);
        run(&mut ed, &typed("half an answer\n"));
        assert_eq!(
            run(&mut ed, &[Key::Eof]),
            vec![Outcome::Submit("half an answer".into())]
        );
    }

    #[test]
    fn invalid_input_is_counted_and_kept_as_replacement() {
        let mut ed = Editor::new(Vec::new(), CMDS);
        run(&mut ed, &[Key::Char('a'), Key::Invalid, Key::Char('(')]);
        assert_eq!(ed.take_invalid(), 1);
        assert_eq!(ed.take_invalid(), 0);
        assert_eq!(ed.current().iter().collect::<String>(), "a\u{FFFD}(");
    }

    #[test]
    fn history_recalls_one_line_entries() {
        let mut ed = Editor::new(vec!["/time".into(), "two\nlines".into()], CMDS);
        run(&mut ed, &[Key::Up]);
        assert_eq!(ed.current().iter().collect::<String>(), "/time");
        run(&mut ed, &[Key::Down]);
        assert!(ed.current().is_empty());
    }

    #[test]
    fn backspace_edits_only_the_current_line() {
        let mut ed = Editor::new(Vec::new(), CMDS);
        run(&mut ed, &typed("abc\nd"));
        run(&mut ed, &[Key::Backspace, Key::Backspace]);
        assert_eq!(ed.lines(), ["abc"]);
        assert!(ed.current().is_empty());
    }
}
