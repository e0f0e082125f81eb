//! The terminal front end of `mockround practice`: the rustyline REPL for a
//! person, and the scripted mode (`--answers FILE`, or stdin not a TTY) for
//! scripts and tests. Both drive the same `Round`.
//!
//! Input: type or paste an answer over several lines; submit with an empty
//! line (or a line holding only `.`). A first line starting with `/` is a
//! slash command. Ctrl-C while typing clears the answer; Ctrl-C while the
//! interviewer is speaking stops that reply (the round goes on); Ctrl-D or
//! `/quit` ends the round and offers the debrief.

use std::borrow::Cow;
use std::io::Write;
use std::path::{Path, PathBuf};

use rustyline::completion::{Completer, Pair};
use rustyline::error::ReadlineError;
use rustyline::highlight::Highlighter;
use rustyline::hint::Hinter;
use rustyline::history::FileHistory;
use rustyline::validate::Validator;
use rustyline::{Context, Editor, Helper};

use crate::interview::clock::{format_mmss, ManualClock};
use crate::interview::debrief::Debrief;
use crate::interview::round::{typing_ms, Round, RoundError, Screen};
use crate::interview::session::Input;
use crate::rubric::Phase;
use crate::score::Scorecard;
use crate::transcript::{read_journal, render_transcript, sessions_dir};

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

/// Writes the interviewer to stdout as it speaks.
pub struct TermScreen {
    color: bool,
    at_line_start: bool,
}

impl TermScreen {
    /// A screen; `color` adds ANSI colours (only on a terminal, never with NO_COLOR).
    pub fn new(color: bool) -> TermScreen {
        TermScreen {
            color,
            at_line_start: true,
        }
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }

    /// Print the candidate's turn (scripted mode echoes it).
    pub fn candidate(&mut self, text: &str) {
        let label = self.paint("1;32", "You:");
        println!("{label} {}\n", text.trim_end());
    }

    /// A phase banner.
    pub fn banner(&mut self, phase: Phase, budget: Option<u64>) {
        let n = Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0) + 1;
        let t = budget.map_or(String::new(), |b| format!(" ({})", format_mmss(b as i64)));
        let line = format!("── Phase {n}/4: {}{t} ──", phase.title());
        println!("{}\n", self.paint("2", &line));
    }
}

impl Screen for TermScreen {
    fn interviewer_begin(&mut self, _phase: Phase) {
        let label = self.paint("1;36", "Interviewer:");
        print!("{label} ");
        self.at_line_start = false;
        let _ = std::io::stdout().flush();
    }
    fn delta(&mut self, text: &str) {
        print!("{text}");
        self.at_line_start = text.ends_with('\n');
        let _ = std::io::stdout().flush();
    }
    fn interviewer_end(&mut self) {
        println!("\n");
        self.at_line_start = true;
    }
    fn notice(&mut self, text: &str) {
        if !self.at_line_start {
            println!();
        }
        eprintln!("{}", self.paint("2", text));
        self.at_line_start = true;
    }
}

/// A future that completes on Ctrl-C (SIGINT): it stops a streaming reply.
async fn ctrl_c() {
    if tokio::signal::ctrl_c().await.is_err() {
        std::future::pending::<()>().await;
    }
}

/// `/help` text.
pub fn help_text() -> String {
    let mut s = String::from(
        "Type your answer; it can span several lines (paste diagrams freely).\n\
         Submit with an empty line, or a line holding only `.`.\n\
         Ctrl-C clears what you are typing, or stops the interviewer mid-reply.\n\
         Ctrl-D or /quit ends the round with a debrief.\n\n",
    );
    for (c, h) in COMMANDS {
        s.push_str(&format!("  {c:<12} {h}\n"));
    }
    s
}

fn time_text(round: &Round) -> String {
    let now = round.now();
    let s = round.session();
    match (s.phase_left(now), s.round_left(now)) {
        (Some(p), Some(r)) => format!(
            "{}: {} left in this phase, {} left in the round.",
            s.phase().title(),
            format_mmss(p),
            format_mmss(r)
        ),
        _ => format!(
            "{}: no clock (untimed round); {} used so far.",
            s.phase().title(),
            format_mmss(now as i64)
        ),
    }
}

fn phase_text(round: &Round) -> String {
    let s = round.session();
    let n = Phase::ALL.iter().position(|p| *p == s.phase()).unwrap_or(0) + 1;
    format!("Phase {n}/4: {}. Goal: {}.", s.phase().title(), s.goals())
}

/// A short scorecard for `/score`.
pub fn score_text(card: &Scorecard) -> String {
    let mut s = format!("So far: {} ({}/100)\n", card.verdict.level, card.overall);
    for st in &card.steps {
        s.push_str(&format!("  {:<26} {:>3}/100\n", st.phase.title(), st.score));
    }
    let mut covered: Vec<_> = card.concepts.iter().filter(|c| c.strength > 0).collect();
    covered.sort_by_key(|c| std::cmp::Reverse(c.strength));
    if !covered.is_empty() {
        let names: Vec<String> = covered
            .iter()
            .take(6)
            .map(|c| format!("{} {}/4", c.name, c.strength))
            .collect();
        s.push_str(&format!("  covered: {}\n", names.join(", ")));
    }
    if let Some(i) = card.verdict.improvements.first() {
        s.push_str(&format!("  next best step: {i}\n"));
    }
    s
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
fn info_command(cmd: Command, round: &Round) -> Option<Input> {
    match cmd {
        Command::Help => println!("{}", help_text()),
        Command::Time => println!("{}\n", time_text(round)),
        Command::Phase => println!("{}\n", phase_text(round)),
        Command::Score => println!("{}", score_text(&round.score_so_far())),
        Command::Transcript => match read_journal(round.journal_path()) {
            Ok(r) => println!("{}", render_transcript(&r.records)),
            Err(e) => eprintln!("{e}"),
        },
        Command::Save => match save_transcript(round) {
            Ok(p) => println!(
                "Saved {} (the journal {} is always up to date).\n",
                p.display(),
                round.journal_path().display()
            ),
            Err(e) => eprintln!("cannot save: {e}"),
        },
        Command::Next => return Some(Input::Next),
        Command::Hint => return Some(Input::Hint),
        Command::Quit => return Some(Input::Quit),
    }
    None
}

fn announce_phase(screen: &mut TermScreen, round: &Round, before: Phase) {
    let s = round.session();
    if s.phase() != before && !s.is_finished() {
        screen.banner(s.phase(), s.pace().budget_ms(s.phase()));
    }
}

/// Play a scripted candidate: one turn per block. Time is simulated (typing
/// speed), so phase times are realistic and nothing sleeps. When the script
/// runs out, the round ends with the debrief.
pub async fn run_scripted(
    round: &mut Round,
    blocks: &[String],
    clock: &ManualClock,
    screen: &mut TermScreen,
) -> Result<Debrief, RoundError> {
    let s = round.session();
    screen.banner(s.phase(), s.pace().budget_ms(s.phase()));
    round.open(screen, std::future::pending()).await?;
    for block in blocks {
        if round.session().is_finished() {
            break;
        }
        let input = match parse_command(block) {
            Some(Ok(cmd)) => match info_command(cmd, round) {
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
        let before = round.session().phase();
        round.input(input, screen, std::future::pending()).await?;
        announce_phase(screen, round, before);
    }
    if !round.session().is_finished() {
        round
            .input(Input::Quit, screen, std::future::pending())
            .await?;
    }
    let (d, md, json) = round.finish(std::future::pending()).await?;
    println!("{}", d.to_markdown());
    eprintln!("Saved {} and {}", md.display(), json.display());
    Ok(d)
}

/// Tab completion of slash commands.
pub struct ReplHelper;

impl Completer for ReplHelper {
    type Candidate = Pair;
    fn complete(
        &self,
        line: &str,
        pos: usize,
        _ctx: &Context<'_>,
    ) -> rustyline::Result<(usize, Vec<Pair>)> {
        let head = &line[..pos];
        if !head.starts_with('/') || head.contains(char::is_whitespace) {
            return Ok((pos, Vec::new()));
        }
        let pairs = COMMANDS
            .iter()
            .filter(|(c, _)| c.starts_with(head))
            .map(|(c, _)| Pair {
                display: (*c).to_string(),
                replacement: (*c).to_string(),
            })
            .collect();
        Ok((0, pairs))
    }
}
impl Hinter for ReplHelper {
    type Hint = String;
}
impl Highlighter for ReplHelper {
    fn highlight_prompt<'b, 's: 'b, 'p: 'b>(
        &'s self,
        prompt: &'p str,
        _default: bool,
    ) -> Cow<'b, str> {
        Cow::Borrowed(prompt)
    }
}
impl Validator for ReplHelper {}
impl Helper for ReplHelper {}

fn prompt(round: &Round) -> String {
    let now = round.now();
    let s = round.session();
    match (s.phase_left(now), s.round_left(now)) {
        (Some(p), Some(r)) => format!(
            "[{} {} | round {}] you> ",
            s.phase().id(),
            format_mmss(p),
            format_mmss(r)
        ),
        _ => format!("[{} | no clock] you> ", s.phase().id()),
    }
}

/// The history file for the REPL.
pub fn history_path(data_dir: &Path) -> PathBuf {
    data_dir.join("history.txt")
}

enum Read {
    Submit(String),
    Cleared,
    Eof,
}

fn read_answer(
    rl: &mut Editor<ReplHelper, FileHistory>,
    first_prompt: &str,
) -> Result<Read, ReadlineError> {
    let mut buf = String::new();
    loop {
        let p = if buf.is_empty() {
            first_prompt
        } else {
            "  ... "
        };
        match tokio::task::block_in_place(|| rl.readline(p)) {
            Ok(line) => {
                let t = line.trim_end();
                if buf.is_empty() && t.trim_start().starts_with('/') && !t.contains('\n') {
                    return Ok(Read::Submit(t.trim().to_string()));
                }
                if t.is_empty() || t == "." {
                    if buf.trim().is_empty() {
                        continue;
                    }
                    return Ok(Read::Submit(buf.trim_end().to_string()));
                }
                buf.push_str(&line);
                buf.push('\n');
            }
            Err(ReadlineError::Interrupted) => return Ok(Read::Cleared),
            Err(ReadlineError::Eof) => {
                return Ok(if buf.trim().is_empty() {
                    Read::Eof
                } else {
                    Read::Submit(buf.trim_end().to_string())
                })
            }
            Err(e) => return Err(e),
        }
    }
}

/// The interactive round. Returns the debrief when the candidate asked for
/// it, `None` when they declined (it is saved either way).
pub async fn run_interactive(
    round: &mut Round,
    data_dir: &Path,
    screen: &mut TermScreen,
) -> Result<Option<Debrief>, RoundError> {
    let mut rl: Editor<ReplHelper, FileHistory> = Editor::new()
        .map_err(|e| RoundError::Resume(format!("cannot start the line editor: {e}")))?;
    rl.set_helper(Some(ReplHelper));
    let hist = history_path(data_dir);
    let _ = std::fs::create_dir_all(sessions_dir(data_dir));
    let _ = rl.load_history(&hist);
    println!("Type /help for commands. Submit an answer with an empty line.\n");
    let s = round.session();
    screen.banner(s.phase(), s.pace().budget_ms(s.phase()));
    round.open(screen, ctrl_c()).await?;
    let mut ended_by_eof = false;
    while !round.session().is_finished() {
        let p = prompt(round);
        let read = match read_answer(&mut rl, &p) {
            Ok(r) => r,
            Err(e) => {
                screen.notice(&format!("input error: {e}; ending the round"));
                Read::Eof
            }
        };
        let text = match read {
            Read::Cleared => {
                screen.notice("(cleared; /quit or Ctrl-D ends the round)");
                continue;
            }
            Read::Eof => {
                ended_by_eof = true;
                round.input(Input::Quit, screen, ctrl_c()).await?;
                break;
            }
            Read::Submit(t) => t,
        };
        let _ = rl.add_history_entry(text.as_str());
        let _ = rl.save_history(&hist);
        let input = match parse_command(&text) {
            Some(Ok(cmd)) => match info_command(cmd, round) {
                Some(i) => i,
                None => continue,
            },
            Some(Err(msg)) => {
                screen.notice(&msg);
                continue;
            }
            None => Input::Answer(text),
        };
        let before = round.session().phase();
        round.input(input, screen, ctrl_c()).await?;
        announce_phase(screen, round, before);
    }
    let (d, md, json) = round.finish(ctrl_c()).await?;
    let show = if ended_by_eof {
        true
    } else {
        match tokio::task::block_in_place(|| rl.readline("Show the debrief now? [Y/n] ")) {
            Ok(a) => !a.trim().eq_ignore_ascii_case("n"),
            Err(_) => true,
        }
    };
    if show {
        println!("{}", d.to_markdown());
    }
    eprintln!("Debrief saved: {} and {}", md.display(), json.display());
    Ok(show.then_some(d))
}
