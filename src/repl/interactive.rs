//! The interactive round: keys in, the interviewer out, and a clock that
//! speaks. The loop waits for keys and for the clock at once, so the prompt's
//! time moves while the candidate thinks, and a phase whose budget runs out
//! ends then, with the interviewer saying so, not at the next submit.
//!
//! Nothing typed is lost: keys typed while the interviewer speaks wait in
//! order and are applied when the prompt returns; bytes that are not UTF-8
//! are shown as U+FFFD with a notice; input that ends (a closed terminal)
//! leaves the round unfinished and resumable, never journaled as `/quit`.

use std::collections::VecDeque;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::interview::debrief::Debrief;
use crate::interview::round::{Round, RoundError, Screen};
use crate::interview::session::Input;
use crate::rubric::Phase;
use crate::transcript::sessions_dir;

use super::editor::{Editor, Outcome};
use super::history::{self, history_path};
use super::keys::Key;
use super::render::View;
use super::screen::TermScreen;
use super::status::{self, prompt};
use super::term::Console;
use super::{info_command, parse_command, show_debrief, show_resume_tail, COMMANDS};

enum Read {
    Submit(String),
    Cleared {
        paste: bool,
    },
    Eof,
    /// The phase's budget ran out while nothing was being typed.
    TimeUp,
    /// Input ended (the terminal went away).
    Closed,
}

/// The line editor on a console, with keys typed ahead waiting in order.
struct Repl {
    console: Console,
    ed: Editor,
    view: View,
    pending: VecDeque<Key>,
    hist: PathBuf,
    /// The phase whose time-up was already announced while an answer was
    /// being typed.
    warned: Option<Phase>,
}

/// The interactive round on this process's terminal. Returns the debrief
/// when the candidate asked for it, `None` when they declined or input
/// ended first (the debrief is saved whenever the round finished).
pub async fn run_interactive(
    round: &mut Round,
    data_dir: &Path,
    screen: &mut TermScreen,
    resumed: bool,
) -> Result<Option<Debrief>, RoundError> {
    run_console(round, data_dir, screen, Console::stdio(), resumed).await
}

/// The interactive round on any console (tests feed one from a channel).
pub async fn run_console(
    round: &mut Round,
    data_dir: &Path,
    screen: &mut TermScreen,
    console: Console,
    resumed: bool,
) -> Result<Option<Debrief>, RoundError> {
    let hist = history_path(data_dir);
    let _ = std::fs::create_dir_all(sessions_dir(data_dir));
    let mut repl = Repl {
        console,
        ed: Editor::new(history::load(&hist), COMMANDS),
        view: View::new(),
        pending: VecDeque::new(),
        hist,
        warned: None,
    };
    screen.text("Type /help for commands. Submit an answer with an empty line.\n\n");
    let s = round.session();
    screen.start(s.phase(), s.pace());
    if resumed {
        show_resume_tail(round, screen);
    }
    round
        .open(screen, repl.console.interrupted_after(repl.ed.spent()))
        .await?;
    repl.ed.spend_interrupts(repl.console.interrupts());
    let mut ended_by_eof = false;
    while !round.session().is_finished() {
        match repl.read(round, screen).await {
            Read::Submit(text) => {
                repl.ed.remember(&text);
                let _ = history::save(&repl.hist, repl.ed.history());
                let input = match parse_command(&text) {
                    Some(Ok(cmd)) => match info_command(cmd, round, screen) {
                        Some(i) => i,
                        None => continue,
                    },
                    Some(Err(msg)) => {
                        screen.notice(&msg);
                        continue;
                    }
                    None => Input::Answer(text),
                };
                repl.speak(round, screen, Some(input)).await?;
            }
            Read::Cleared { paste } => screen.notice(if paste {
                "(paste stopped and cleared; Ctrl-Y brings it back)"
            } else {
                "(cleared; Ctrl-Y brings it back; /quit or Ctrl-D ends the round)"
            }),
            Read::Eof => {
                ended_by_eof = true;
                repl.speak(round, screen, Some(Input::Quit)).await?;
            }
            Read::TimeUp => repl.speak(round, screen, None).await?,
            Read::Closed => {
                screen.notice(&format!(
                    "(input ended; nothing was lost: every answer is in {}; continue the round with `mockround practice --resume {}`)",
                    round.journal_path().display(),
                    round.id
                ));
                return Ok(None);
            }
        }
    }
    let (d, md, json) = round
        .finish(repl.console.interrupted_after(repl.ed.spent()))
        .await?;
    repl.ed.spend_interrupts(repl.console.interrupts());
    let show = ended_by_eof || repl.ask_yes(screen, "Show the debrief now? [Y/n] ").await;
    if show {
        let width = repl.console.width();
        show_debrief(screen, &d, width);
    }
    screen.notice(&format!(
        "Debrief saved:\n  {}\n  {}",
        md.display(),
        json.display()
    ));
    Ok(show.then_some(d))
}

impl Repl {
    /// Send an input (or, with `None`, tell the round time passed) and let
    /// the interviewer answer; a Ctrl-C meanwhile stops the reply and is not
    /// applied to the answer typed ahead.
    async fn speak(
        &mut self,
        round: &mut Round,
        screen: &mut TermScreen,
        input: Option<Input>,
    ) -> Result<(), RoundError> {
        // Any Ctrl-C not yet used, even one pressed just before, stops it.
        let cancel = self.console.interrupted_after(self.ed.spent());
        match input {
            Some(input) => {
                round.input(input, screen, cancel).await?;
            }
            None => {
                round.tick(screen, cancel).await?;
            }
        }
        self.ed.spend_interrupts(self.console.interrupts());
        Ok(())
    }

    fn draw(&mut self, round: &Round, screen: &mut TermScreen) {
        let p = prompt(round);
        let width = self.console.width();
        self.view.draw(screen.out(), &self.ed, &p, width);
    }

    fn finish_view(&mut self, screen: &mut TermScreen) {
        let width = self.console.width();
        self.view.finish(screen.out(), width);
    }

    /// Read until an answer is submitted, Ctrl-C or Ctrl-D is pressed, the
    /// phase's time runs out with nothing typed, or input ends.
    async fn read(&mut self, round: &Round, screen: &mut TermScreen) -> Read {
        loop {
            while let Some(k) = self.pending.pop_front() {
                if !self.ed.in_paste()
                    && matches!(k, Key::Enter | Key::Eof | Key::Interrupt(_) | Key::Tab)
                {
                    // Show the answer as it stands before it is sent.
                    self.draw(round, screen);
                }
                let outcome = self.ed.key(k);
                if outcome.is_some() {
                    self.invalid_notice(screen);
                }
                match outcome {
                    None => {}
                    Some(Outcome::Submit(t)) => {
                        self.finish_view(screen);
                        return Read::Submit(t);
                    }
                    Some(Outcome::Cleared { paste }) => {
                        self.finish_view(screen);
                        return Read::Cleared { paste };
                    }
                    Some(Outcome::Eof) => {
                        self.finish_view(screen);
                        return Read::Eof;
                    }
                    Some(Outcome::Choices(list)) => {
                        self.finish_view(screen);
                        screen.text(&format!("{}\n", list.join("  ")));
                    }
                }
            }
            self.invalid_notice(screen);
            if status::time_is_up(round) {
                let phase = round.session().phase();
                if self.ed.is_blank() && !self.ed.in_paste() {
                    self.view.clear(screen.out());
                    return Read::TimeUp;
                }
                if self.warned != Some(phase) {
                    self.warned = Some(phase);
                    self.view.clear(screen.out());
                    screen.notice(
                        "(time is up for this phase: finish your answer and submit it with an empty line; the interviewer moves on then)",
                    );
                }
            }
            self.draw(round, screen);
            let wait = status::next_change_ms(round).map(|ms| ms.max(50));
            tokio::select! {
                keys = self.console.next_keys() => match keys {
                    Some(k) => self.pending.extend(k),
                    None if self.pending.is_empty() => {
                        self.finish_view(screen);
                        return Read::Closed;
                    }
                    None => {}
                },
                () = tokio::time::sleep(Duration::from_millis(wait.unwrap_or(0))), if wait.is_some() => {}
            }
        }
    }

    /// Say once, before anything else happens, that bytes which are not
    /// UTF-8 arrived and how they are shown.
    fn invalid_notice(&mut self, screen: &mut TermScreen) {
        let bad = self.ed.take_invalid();
        if bad == 0 {
            return;
        }
        self.view.clear(screen.out());
        screen.notice(&format!(
            "(input held {bad} byte sequence{} that {} not valid UTF-8, shown as \u{FFFD}; the round goes on)",
            if bad == 1 { "" } else { "s" },
            if bad == 1 { "is" } else { "are" }
        ));
    }

    /// A yes/no question; Enter alone, Ctrl-C, Ctrl-D or ended input mean yes.
    async fn ask_yes(&mut self, screen: &mut TermScreen, question: &str) -> bool {
        let mut ed = Editor::new(Vec::new(), &[]);
        let spent = self.ed.spent();
        ed.spend_interrupts(spent);
        let width = self.console.width();
        loop {
            while let Some(k) = self.pending.pop_front() {
                match k {
                    Key::Enter => {
                        self.view.draw(screen.out(), &ed, question, width);
                        self.view.finish(screen.out(), width);
                        let a: String = ed.current().iter().collect();
                        return !a.trim().eq_ignore_ascii_case("n")
                            && !a.trim().eq_ignore_ascii_case("no");
                    }
                    Key::Eof => {
                        self.view.finish(screen.out(), width);
                        return true;
                    }
                    Key::Interrupt(n) if n > spent => {
                        self.view.finish(screen.out(), width);
                        return true;
                    }
                    k => {
                        ed.key(k);
                    }
                }
            }
            self.view.draw(screen.out(), &ed, question, width);
            match self.console.next_keys().await {
                Some(k) => self.pending.extend(k),
                None => {
                    self.view.finish(screen.out(), width);
                    return true;
                }
            }
        }
    }
}
