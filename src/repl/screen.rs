//! The interviewer's side of the screen: phase headers, the interviewer's
//! words as they stream, and mockround's own notices.

use std::io::Write;

use crate::interview::clock::{format_mmss, Pace};
use crate::interview::round::Screen;
use crate::rubric::Phase;

use super::term::{term_width, Sink};
use super::wrap::Wrapper;

/// Writes the interviewer to the terminal as it speaks. A phase header is
/// printed when the interviewer first speaks in a new phase, so it always
/// comes before that phase's first question.
pub struct TermScreen {
    color: bool,
    tty: bool,
    at_line_start: bool,
    out: Sink,
    err: Sink,
    pace: Option<Pace>,
    shown: Option<Phase>,
    /// On a terminal, the interviewer's words wrap between words.
    wrap: Option<Wrapper>,
    /// Columns to wrap at; the terminal's when not set.
    width: Option<usize>,
}

impl TermScreen {
    /// A screen on stdout (notices on stderr). `color` adds ANSI colours
    /// (only on a terminal, never with NO_COLOR); `tty` says stdout is a
    /// terminal, where the debrief is rendered rather than printed as Markdown.
    pub fn new(color: bool, tty: bool) -> TermScreen {
        Self::with_sinks(color, tty, Sink::Stdout, Sink::Stderr)
    }

    /// A screen writing to the given sinks (tests capture both in one buffer).
    pub fn with_sinks(color: bool, tty: bool, out: Sink, err: Sink) -> TermScreen {
        TermScreen {
            color,
            tty,
            at_line_start: true,
            out,
            err,
            pace: None,
            shown: None,
            wrap: None,
            width: None,
        }
    }

    /// Wrap at `cols` columns whatever the terminal says (tests).
    pub fn with_width(mut self, cols: usize) -> TermScreen {
        self.width = Some(cols);
        self
    }

    fn cols(&self) -> usize {
        self.width.unwrap_or_else(term_width)
    }

    /// A wrapper for text starting `col` columns in, on a terminal only
    /// (piped output keeps its lines as written).
    fn wrapper(&self, col: usize) -> Option<Wrapper> {
        self.tty.then(|| Wrapper::new(self.cols(), col))
    }

    /// Colour is on.
    pub fn color(&self) -> bool {
        self.color
    }
    /// Stdout is a terminal.
    pub fn tty(&self) -> bool {
        self.tty
    }
    /// Where ordinary output goes (the line editor draws there too).
    pub fn out(&mut self) -> &mut Sink {
        &mut self.out
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// Print text as is (command output, the debrief).
    pub fn text(&mut self, s: &str) {
        let _ = self.out.write_all(s.as_bytes());
        let _ = self.out.flush();
    }

    /// Print the candidate's turn (scripted mode echoes it).
    pub fn candidate(&mut self, text: &str) {
        let label = self.paint("1;32", "You:");
        let text = text.trim_end();
        let text = match self.wrapper("You: ".len()) {
            Some(mut w) => w.push(text) + &w.finish(),
            None => text.to_string(),
        };
        self.text(&format!("{label} {text}\n\n"));
    }

    /// Start the round on screen: the header of the phase it is in.
    pub fn start(&mut self, phase: Phase, pace: Pace) {
        self.pace = Some(pace);
        self.banner(phase);
    }

    fn banner(&mut self, phase: Phase) {
        self.shown = Some(phase);
        let n = Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0) + 1;
        let budget = self.pace.and_then(|p| p.budget_ms(phase));
        let t = budget.map_or(String::new(), |b| format!(" ({})", format_mmss(b as i64)));
        let line = format!("── Phase {n}/4: {}{t} ──", phase.title());
        let line = self.paint("2", &line);
        self.text(&format!("{line}\n\n"));
    }
}

impl Screen for TermScreen {
    fn interviewer_begin(&mut self, phase: Phase) {
        if self.shown.is_some_and(|p| p != phase) {
            self.banner(phase);
        }
        let label = self.paint("1;36", "Interviewer:");
        self.text(&format!("{label} "));
        self.wrap = self.wrapper("Interviewer: ".len());
        self.at_line_start = false;
    }
    fn delta(&mut self, text: &str) {
        let out = match &mut self.wrap {
            Some(w) => w.push(text),
            None => text.to_string(),
        };
        if !out.is_empty() {
            self.text(&out);
            self.at_line_start = out.ends_with('\n');
        }
    }
    fn interviewer_end(&mut self) {
        if let Some(mut w) = self.wrap.take() {
            let rest = w.finish();
            self.text(&rest);
        }
        self.text("\n\n");
        self.at_line_start = true;
    }
    fn notice(&mut self, text: &str) {
        // A notice between two pieces of a reply: the word being received
        // is written first, and the reply goes on from a new row.
        if let Some(mut w) = self.wrap.take() {
            let rest = w.finish();
            if !rest.is_empty() {
                self.text(&rest);
                self.at_line_start = false;
            }
            self.wrap = Some(Wrapper::new(self.cols(), 0));
        }
        if !self.at_line_start {
            self.text("\n");
        }
        let line = format!("{}\n", self.paint("2", text));
        let _ = self.err.write_all(line.as_bytes());
        let _ = self.err.flush();
        self.at_line_start = true;
    }
}

#[cfg(test)]
mod tests {
    use std::sync::{Arc, Mutex};

    use super::*;

    #[test]
    fn the_phase_header_comes_before_the_first_words_of_the_phase() {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = Sink::Shared(buf.clone());
        let mut s = TermScreen::with_sinks(false, false, sink.clone(), sink);
        s.start(Phase::DataFlow, Pace::Real);
        s.interviewer_begin(Phase::DataFlow);
        s.delta("Walk me through one record.");
        s.interviewer_end();
        s.interviewer_begin(Phase::FailureModes);
        s.delta("Good. What happens when a Kafka broker dies?");
        s.interviewer_end();
        let text = String::from_utf8_lossy(&buf.lock().expect("buffer")).to_string();
        let header = text
            .find("── Phase 4/4: Failure modes (15:00) ──")
            .expect("header");
        let question = text.find("Kafka broker dies").expect("question");
        assert!(header < question, "{text}");
        assert_eq!(text.matches("Phase 3/4").count(), 1, "{text}");
    }

    #[test]
    fn on_a_terminal_the_interviewer_s_words_wrap_between_words() {
        let buf = Arc::new(Mutex::new(Vec::new()));
        let sink = Sink::Shared(buf.clone());
        let mut s = TermScreen::with_sinks(false, true, sink.clone(), sink).with_width(80);
        s.start(Phase::FailureModes, Pace::Real);
        s.interviewer_begin(Phase::FailureModes);
        let reply = "You said Kafka keeps 3 days and Flink checkpoints every minute. \
                     What happens to the sessions in flight when a Flink task manager dies \
                     halfway through a checkpoint, and how do you know nothing was counted twice?";
        for piece in reply.as_bytes().chunks(5) {
            s.delta(std::str::from_utf8(piece).expect("ascii"));
        }
        s.interviewer_end();
        let text = String::from_utf8_lossy(&buf.lock().expect("buffer")).to_string();
        let said = &text[text.find("Interviewer: ").expect("label")..];
        let rows: Vec<&str> = said.trim_end().split('\n').collect();
        assert!(rows.len() >= 3, "{said}");
        assert!(rows.iter().all(|r| r.chars().count() <= 80), "{said}");
        let words: Vec<&str> = said.split_whitespace().skip(1).collect();
        assert_eq!(words, reply.split_whitespace().collect::<Vec<_>>());
    }
}
