//! Command dispatch: resolve config once, then hand each subcommand the
//! `Context` it needs. Each subcommand lives in its own file.

mod doctor;
mod grade;
mod practice;
mod progress;
mod rubrics;
mod sessions;

use std::io::IsTerminal;

use crate::cli::{Cli, Command};
use crate::config::{Config, Overrides};
use crate::error::AppError;

/// What every subcommand gets.
#[derive(Debug, Clone)]
pub struct Context {
    pub config: Config,
    /// `--json`: machine-readable stdout.
    pub json: bool,
    /// Colour and progress bars only on a terminal, and never with NO_COLOR.
    pub color: bool,
    /// Stdout is a terminal.
    pub stdout_tty: bool,
}

/// Run the parsed command line; returns the exit code on success.
pub async fn run(cli: Cli) -> Result<u8, AppError> {
    let overrides = Overrides {
        config_path: cli.config.clone(),
        backend: cli.backend.clone(),
        model: cli.model.clone(),
        base_url: cli.base_url.clone(),
        rubrics_dir: cli.rubrics.clone(),
        data_dir: cli.data_dir.clone(),
        interviewer: cli.interviewer.clone(),
    };
    let config = Config::resolve(&overrides)?;
    let stdout_tty = std::io::stdout().is_terminal();
    let no_color_env = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
    let ctx = Context {
        config,
        json: cli.json,
        color: stdout_tty && !cli.no_color && !no_color_env,
        stdout_tty,
    };
    match &cli.command {
        Command::Doctor => doctor::run(&ctx).await,
        Command::Rubrics(args) => rubrics::run(&ctx, args),
        Command::Practice(args) => practice::run(&ctx, args).await,
        Command::Grade(args) => grade::run(&ctx, args).await,
        Command::Sessions(args) => sessions::run(&ctx, args),
        Command::Progress(args) => progress::run(&ctx, args),
    }
}
