//! Command-line definitions (clap derive). Parsing only: `commands/` acts.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

/// A mock interviewer for the data engineering system design round.
///
/// It runs a timed four-phase round (clarify 5 min, architecture 15, data flow 15,
/// failure modes 15), keeps asking "and what if this fails?", and scores you
/// against open rubrics with evidence quoted from your own words. Works offline
/// with no model at all, or with any OpenAI-compatible server or Ollama.
#[derive(Debug, Parser)]
#[command(
    name = "mockround",
    version,
    about,
    long_about,
    propagate_version = true
)]
#[command(
    after_help = "Start here:  mockround practice          (offline, no model needed)\n\
             Check a model: mockround --backend ollama doctor\n\
             Exit codes: 0 success, 1 some work failed (e.g. inputs that could not be graded, a failing doctor check), 2 usage or configuration error."
)]
pub struct Cli {
    /// Config file (default: $MOCKROUND_CONFIG, then ~/.config/mockround/config.toml).
    #[arg(long, global = true, value_name = "PATH")]
    pub config: Option<PathBuf>,

    /// Backend profile from the config, or a built-in kind: offline, openai, ollama.
    #[arg(long, short = 'b', global = true, value_name = "NAME")]
    pub backend: Option<String>,

    /// Model to use, overriding the profile's.
    #[arg(long, short = 'm', global = true, value_name = "MODEL")]
    pub model: Option<String>,

    /// Server base URL, overriding the profile and $OPENAI_BASE_URL / $OLLAMA_HOST.
    #[arg(long, global = true, value_name = "URL")]
    pub base_url: Option<String>,

    /// How a model interviews: `guided` (it writes each question around your
    /// own words) or `phrase` (it only rewords the template; for tiny models).
    /// Overrides the profile's `interviewer` key.
    #[arg(long, global = true, value_name = "MODE", value_parser = ["guided", "phrase"])]
    pub interviewer: Option<String>,

    /// Extra rubric directory: your own problems, concepts or overrides.
    #[arg(long, global = true, value_name = "DIR")]
    pub rubrics: Option<PathBuf>,

    /// Where sessions and history are kept (default: the XDG data dir).
    #[arg(long, global = true, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// Machine-readable JSON on stdout instead of text.
    #[arg(long, global = true)]
    pub json: bool,

    /// Disable colour (also honoured: $NO_COLOR).
    #[arg(long, global = true)]
    pub no_color: bool,

    #[command(subcommand)]
    pub command: Command,
}

/// The subcommands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run a timed mock design round in the terminal, then get a scorecard and a level verdict.
    ///
    /// The interviewer reads a problem, answers clarifying questions, asks for your
    /// architecture, has you walk one record through it, then probes three failure modes
    /// until you say how the design detects, recovers and loses no data. Type your answer;
    /// submit with an empty line (or a line with only `.`). Slash commands: /help /time /phase
    /// /next /hint /score /transcript /save /quit.
    Practice(PracticeArgs),

    /// Grade written answers in batch (files, folders, JSON Lines or stdin) against the rubric.
    Grade(GradeArgs),

    /// List, show and validate rubrics and the problem bank.
    Rubrics(RubricsArgs),

    /// Check the chosen backend for real: reachable, model present, a one-token streamed reply.
    Doctor,

    /// List past rounds, or show one's transcript and debrief.
    Sessions(SessionsArgs),

    /// Your practice over time: verdicts, concept and signal trends, time per phase, and the next drill.
    Progress(ProgressArgs),
}

/// How fast the clock runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Pace {
    /// The real round: 5 + 15 + 15 + 15 minutes.
    Real,
    /// A quick drill: each phase at a fifth of its real budget (1 + 3 + 3 + 3 minutes).
    Fast,
}

/// `mockround practice`.
#[derive(Debug, Args)]
pub struct PracticeArgs {
    /// Problem id from the bank (see `mockround rubrics list`); random if omitted.
    #[arg(long, short = 'p', value_name = "ID")]
    pub problem: Option<String>,

    /// Clock pace.
    #[arg(long, value_enum, default_value_t = Pace::Real)]
    pub pace: Pace,

    /// Run without a clock: phases move on only when covered or on /next.
    #[arg(long)]
    pub no_clock: bool,

    /// Play a scripted candidate from FILE (turns separated by a line with only `---`);
    /// prints the transcript and debrief. Also used when stdin is not a terminal.
    #[arg(long, value_name = "FILE")]
    pub answers: Option<PathBuf>,

    /// Continue an interrupted round by its session id (see `mockround sessions`).
    #[arg(long, value_name = "ID", conflicts_with = "problem")]
    pub resume: Option<String>,

    /// Seed for choosing the problem and phrasing, for a reproducible round.
    #[arg(long)]
    pub seed: Option<u64>,

    /// Drill one concept (an id from `mockround rubrics list`, e.g. exactly-once);
    /// the debrief reports how you did on it. `mockround progress` suggests one.
    #[arg(long, value_name = "CONCEPT", conflicts_with = "resume")]
    pub focus: Option<String>,
}

/// `mockround grade`.
#[derive(Debug, Args)]
pub struct GradeArgs {
    /// Answer files (.md, .txt), directories (recursive), JSON Lines files (.jsonl), or `-` for stdin.
    #[arg(value_name = "INPUT", required_unless_present = "import_batch")]
    pub inputs: Vec<PathBuf>,

    /// Problem id for inputs that do not name one (front matter `problem: ID` or the JSONL field win).
    #[arg(long, short = 'p', value_name = "ID")]
    pub problem: Option<String>,

    /// Concurrent requests to the backend (default: 8 for OpenAI-compatible, 2 for Ollama).
    #[arg(long, short = 'j', value_name = "N")]
    pub jobs: Option<usize>,

    /// Results file (JSON Lines); appended to, and inputs already graded are skipped.
    #[arg(long, short = 'o', value_name = "FILE")]
    pub out: Option<PathBuf>,

    /// Also write a CSV for spreadsheets.
    #[arg(long, value_name = "FILE")]
    pub csv: Option<PathBuf>,

    /// Also write a Markdown summary.
    #[arg(long, value_name = "FILE")]
    pub markdown: Option<PathBuf>,

    /// Also write a self-contained HTML report with charts.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,

    /// Ask the judge N times per answer (criteria shuffled each time), grade on each
    /// criterion's median and flag criteria whose samples are 2+ points apart (model backends; 1-9).
    #[arg(long, value_name = "N", default_value_t = 1)]
    pub samples: u32,

    /// Count tokens and estimate cost without calling the backend.
    #[arg(long)]
    pub dry_run: bool,

    /// Write an OpenAI Batch API input file instead of calling the backend.
    #[arg(long, value_name = "FILE")]
    pub export_batch: Option<PathBuf>,

    /// Turn an OpenAI Batch API output file into result rows.
    #[arg(long, value_name = "FILE")]
    pub import_batch: Option<PathBuf>,
}

/// `mockround rubrics`.
#[derive(Debug, Args)]
pub struct RubricsArgs {
    #[command(subcommand)]
    pub action: RubricsAction,
}

/// What to do with rubrics.
#[derive(Debug, Subcommand)]
pub enum RubricsAction {
    /// List the problems, concepts and signals.
    List,
    /// Show one problem or concept in full.
    Show {
        /// A problem id (e.g. clickstream) or a concept id (e.g. exactly-once).
        id: String,
    },
    /// Validate a rubric file or directory (default: the built-in rubrics plus --rubrics DIR).
    Validate {
        /// File or directory to check.
        path: Option<PathBuf>,
    },
}

/// `mockround sessions`.
#[derive(Debug, Args)]
pub struct SessionsArgs {
    #[command(subcommand)]
    pub action: Option<SessionsAction>,
}

/// What to do with past sessions.
#[derive(Debug, Subcommand)]
pub enum SessionsAction {
    /// List past rounds (the default).
    List,
    /// Print a round's transcript and debrief.
    Show {
        /// Session id, or a unique prefix of one.
        id: String,
    },
}

/// `mockround progress`.
#[derive(Debug, Args)]
pub struct ProgressArgs {
    /// Also count answers graded by `mockround grade` (its --out results file).
    #[arg(long, value_name = "FILE.jsonl")]
    pub grades: Option<PathBuf>,

    /// Also write a self-contained HTML page with the trends as charts.
    #[arg(long, value_name = "FILE")]
    pub html: Option<PathBuf>,
}
