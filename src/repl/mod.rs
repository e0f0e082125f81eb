//! The terminal front end of `mockround practice`: the interactive round
//! for a person (its own line editor on the raw terminal), and the scripted
//! mode (`--answers FILE`, or stdin not a TTY) for scripts and tests. Both
//! drive the same `Round`.
//!
//! Input: type or paste an answer over several lines; submit with an empty
//! line (or a line holding only `.`); a paste is kept whole, blank lines and
//! all. A first line starting with `/` is a slash command. Ctrl-C while
//! typing clears the answer (Ctrl-Y brings it back); Ctrl-C while the
//! interviewer is speaking stops that reply (the round goes on); Ctrl-D or
//! `/quit` ends the round and offers the debrief.

mod editor;
mod history;
mod interactive;
pub mod keys;
mod render;
mod screen;
mod status;
mod term;
mod wrap;

use std::path::PathBuf;

use crate::interview::clock::ManualClock;
use crate::interview::debrief::Debrief;
use crate::interview::round::{typing_ms, Round, RoundError, Screen};
use crate::interview::session::Input;
use crate::transcript::{read_journal, render_transcript};

pub use history::history_path;
pub use interactive::{run_console, run_interactive};
pub use screen::TermScreen;
pub use status::{help_text, score_text};
pub use term::{Console, Sink};

/// The slash commands, with one line of help each.
pub const COMMANDS: &[(&str, &str)] = &[
    ("/help", "show this help"),
    ("/time", "time left in this phase and in the round"),
    ("/phase", "which phase you are in and what it wants"),
    (
        "/next",
        "move on to the next phase (or the next failure mode)",
    ),
    (
        "/hint",
        "a nudge toward a concept you have not covered (recorded: caps its credit)",
    ),
    ("/score", "the scorecard so far"),
    ("/transcript", "the conversation so far"),
    (
        "/save",
        "write the transcript so far as Markdown next to the journal",
    ),
    ("/quit", "end the round and get the debrief"),
];

/// A parsed slash command.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Command {
    Help,
    Time,
    Phase,
    Next,
    Hint,
    Score,
    Transcript,
    Save,
    Quit,
}

/// Parse a line as a slash command: `None` if it is not one, `Err` with a
/// helpful message for an unknown one.
pub fn parse_command(line: &str) -> Option<Result<Command, String>> {
    let t = line.trim();
    if !t.starts_with('/') || t.contains('\n') {
        return None;
    }
    let word = t.split_whitespace().next().unwrap_or(t);
    Some(match word {
        "/help" | "/?" => Ok(Command::Help),
        "/time" => Ok(Command::Time),
        "/phase" => Ok(Command::Phase),
        "/next" => Ok(Command::Next),
        "/hint" => Ok(Command::Hint),
        "/score" => Ok(Command::Score),
        "/transcript" => Ok(Command::Transcript),
        "/save" => Ok(Command::Save),
        "/quit" | "/exit" => Ok(Command::Quit),
        other => Err(format!("unknown command {other}; type /help for the list")),
    })
}

/// Split a script into candidate turns: blocks separated by a line holding
/// only `---`. Empty blocks are dropped.
pub fn parse_script(text: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut cur = String::new();
    for line in text.lines() {
        // Notes for the reader of a script, never part of an answer:
        // `#>` expectations (tests/interview_rounds.rs) and `# key: value`
        // headers before the first answer.
        let header = blocks.is_empty()
            && cur.trim().is_empty()
            && ["# problem:", "# kind:", "# seed:", "# full-length"]
                .iter()
                .any(|h| line.starts_with(h));
        if line.starts_with("#>") || header {
            continue;
        }
        if line.trim_end() == "---" {
            if !cur.trim().is_empty() {
                blocks.push(cur.trim().to_string());
            }
            cur.clear();
        } else {
            cur.push_str(line);
            cur.push('\n');
        }
    }
    if !cur.trim().is_empty() {
        blocks.push(cur.trim().to_string());
    }
    blocks
}

fn save_transcript(round: &Round) -> Result<PathBuf, String> {
    let read = read_journal(round.journal_path()).map_err(|e| e.to_string())?;
    let path = round
        .journal_path()
        .with_file_name(format!("{}.transcript.md", round.id));
    let body = format!(
        "# Transcript {}\n\n{}",
        round.id,
        render_transcript(&read.records)
    );
    std::fs::write(&path, body).map_err(|e| format!("{}: {e}", path.display()))?;
    Ok(path)
}

/// Run an informational command (those that do not change the round).
/// Returns the input to send for the ones that do.
fn info_command(cmd: Command, round: &Round, screen: &mut TermScreen) -> Option<Input> {
    match cmd {
        Command::Help => screen.text(&format!("{}\n", help_text())),
        Command::Time => screen.text(&format!("{}\n\n", status::time_text(round))),
        Command::Phase => screen.text(&format!("{}\n\n", status::phase_text(round))),
        Command::Score => screen.text(&format!("{}\n", score_text(&round.score_so_far()))),
        Command::Transcript => match read_journal(round.journal_path()) {
            Ok(r) => screen.text(&format!("{}\n", render_transcript(&r.records))),
            Err(e) => screen.notice(&e.to_string()),
        },
        Command::Save => match save_transcript(round) {
            Ok(p) => screen.text(&format!(
                "Saved {} (the journal {} is always up to date).\n\n",
                p.display(),
                round.journal_path().display()
            )),
            Err(e) => screen.notice(&format!("cannot save: {e}")),
        },
        Command::Next => return Some(Input::Next),
        Command::Hint => return Some(Input::Hint),
        Command::Quit => return Some(Input::Quit),
    }
    None
}

/// Show where a resumed round stopped: its last exchange, so the candidate
/// sees the question pending before the prompt (a reply the stop cut off is
/// spoken again by the round itself).
pub fn show_resume_tail(round: &Round, screen: &mut TermScreen) {
    let Ok(read) = read_journal(round.journal_path()) else {
        return;
    };
    let Some((typed, said)) = status::resume_tail(&read.records) else {
        return;
    };
    screen.text("Where you left off:\n\n");
    if let Some(t) = typed {
        screen.candidate(&t);
    }
    if let Some(s) = said {
        screen.interviewer_begin(round.session().phase());
        screen.delta(&s);
        screen.interviewer_end();
    }
}

/// The debrief on screen: rendered for the terminal (headings, aligned
/// tables, wrapped text; colour unless turned off) when stdout is one, the
/// Markdown as saved when it is a pipe or file.
pub fn show_debrief(screen: &mut TermScreen, d: &Debrief, width: usize) {
    let md = d.to_markdown();
    let text = if screen.tty() {
        crate::report::terminal::render(&md, width, screen.color())
    } else {
        md
    };
    screen.text(&format!("{}\n", text.trim_end()));
}

/// Play a scripted candidate: one turn per block. Time is simulated (typing
/// speed), so phase times are realistic and nothing sleeps. When the script
/// runs out, the round ends with the debrief.
pub async fn run_scripted(
    round: &mut Round,
    blocks: &[String],
    clock: &ManualClock,
    screen: &mut TermScreen,
    resumed: bool,
) -> Result<Debrief, RoundError> {
    let s = round.session();
    screen.start(s.phase(), s.pace());
    if resumed {
        show_resume_tail(round, screen);
    }
    round.open(screen, std::future::pending()).await?;
    for block in blocks {
        if round.session().is_finished() {
            break;
        }
        let input = match parse_command(block) {
            Some(Ok(cmd)) => match info_command(cmd, round, screen) {
                Some(i) => i,
                None => continue,
            },
            Some(Err(msg)) => {
                screen.notice(&msg);
                continue;
            }
            None => Input::Answer(block.clone()),
        };
        clock.advance_ms(typing_ms(block));
        screen.candidate(block);
        round.input(input, screen, std::future::pending()).await?;
    }
    if !round.session().is_finished() {
        round
            .input(Input::Quit, screen, std::future::pending())
            .await?;
    }
    let (d, md, json) = round.finish(std::future::pending()).await?;
    show_debrief(screen, &d, term::term_width());
    screen.notice(&format!("Saved {} and {}", md.display(), json.display()));
    Ok(d)
}
