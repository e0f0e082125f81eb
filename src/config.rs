//! Configuration: one resolved `Config` from the config file, the
//! environment and command-line flags (flags override env override file).
//!
//! Lookup order for the file: `--config`, `$MOCKROUND_CONFIG`, the XDG config
//! dir (`~/.config/mockround/config.toml`), then built-in defaults, where the
//! backend is `offline`. API keys are never stored in the file: a profile
//! names the environment variable that holds its key.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use thiserror::Error;

use crate::backend::ollama::normalize_ollama_host;
use crate::backend::{BackendSpec, HttpBackendSettings, RetryPolicy, SystemRole, Timeouts};

/// Default OpenAI-compatible endpoint when neither the profile nor
/// `$OPENAI_BASE_URL` names one.
pub const OPENAI_DEFAULT_BASE_URL: &str = "https://api.openai.com/v1";
/// Default model for the built-in `openai` backend.
pub const OPENAI_DEFAULT_MODEL: &str = "gpt-4o-mini";
/// Default Ollama host, as the official client uses.
pub const OLLAMA_DEFAULT_HOST: &str = "http://127.0.0.1:11434";
/// Default model for the built-in `ollama` backend.
pub const OLLAMA_DEFAULT_MODEL: &str = "llama3.2:3b";

/// Errors found while resolving configuration. Each names the file (with
/// line and column where known) or the setting, and what to do.
#[derive(Debug, Error)]
pub enum ConfigError {
    #[error("{path}: cannot read the config file: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}:{line}:{col}: {message}")]
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Invalid { path: PathBuf, message: String },
    #[error("unknown backend `{name}`: use one of the profiles in {source_desc} ({known}) or a built-in kind: offline, openai, ollama")]
    UnknownBackend {
        name: String,
        source_desc: String,
        known: String,
    },
    /// `origin` is the config file (or "flags and environment"), so the
    /// message says where to fix the value.
    #[error("{origin}: backend `{profile}`: {message}")]
    Backend {
        origin: String,
        profile: String,
        message: String,
    },
}

/// What a profile in the file may say. Unknown keys are errors, so a typo
/// (`base_ulr`) is caught instead of silently ignored.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ProfileFile {
    /// `offline`, `openai` (any OpenAI-compatible server) or `ollama`.
    pub kind: Option<String>,
    pub base_url: Option<String>,
    pub model: Option<String>,
    /// Name of the env var holding the key (default `OPENAI_API_KEY` for
    /// openai-kind profiles against api.openai.com, none otherwise).
    pub api_key_env: Option<String>,
    /// A file holding the key (whitespace-trimmed), for keys kept out of the
    /// environment. Relative paths are relative to the config file; `~/` is
    /// the home directory. Takes precedence over `api_key_env`.
    pub api_key_file: Option<PathBuf>,
    pub temperature: Option<f32>,
    pub seed: Option<u64>,
    /// The model's context window in tokens; history is trimmed to fit.
    pub context_tokens: Option<u32>,
    pub keep_alive: Option<String>,
    /// How system messages are sent: `auto` (default: folded into the first
    /// user turn for Gemma models on OpenAI-compatible servers, whose chat
    /// template has no system role), `native` or `fold`.
    pub system_role: Option<String>,
    pub timeouts: Option<TimeoutsFile>,
    pub retry: Option<RetryFile>,
    /// Concurrent requests for `grade` (default 8 for openai, 2 for ollama).
    pub jobs: Option<usize>,
    /// Reply ceiling for the grading judge (default 2000). Small local
    /// models that ramble can be capped lower: a reply cut at the ceiling
    /// falls back to the rubric scorer, marked in its row.
    pub judge_max_tokens: Option<u32>,
    /// How a model interviews: `guided` (default: the code picks the move,
    /// the model writes the question around the candidate's own words) or
    /// `phrase` (the model only rewords the template, for tiny models).
    pub interviewer: Option<String>,
    /// Which criteria the judge scores: `all` (default) or `key-concepts`
    /// (the problem's key concepts in a compact reply, for small local
    /// models that cannot write twenty judgements within the ceiling).
    pub judge_scope: Option<String>,
}

/// `[backends.NAME.timeouts]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct TimeoutsFile {
    pub connect_secs: Option<f64>,
    pub request_secs: Option<f64>,
    pub idle_secs: Option<f64>,
}

/// `[backends.NAME.retry]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct RetryFile {
    pub max_attempts: Option<u32>,
    pub base_delay_ms: Option<u64>,
    pub max_delay_secs: Option<f64>,
}

/// Price of a model per million tokens, for `grade --dry-run`.
#[derive(Debug, Clone, Copy, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Price {
    pub input_per_mtok: f64,
    pub output_per_mtok: f64,
}

/// `[practice]` defaults.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PracticeFile {
    pub pace: Option<String>,
    pub problem: Option<String>,
}

/// `[paths]`.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct PathsFile {
    pub data_dir: Option<PathBuf>,
    pub rubrics_dir: Option<PathBuf>,
}

/// The whole config file.
#[derive(Debug, Clone, Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ConfigFile {
    /// Profile used when `--backend` is not given.
    pub default: Option<String>,
    #[serde(default)]
    pub backends: BTreeMap<String, ProfileFile>,
    #[serde(default)]
    pub prices: BTreeMap<String, Price>,
    pub practice: Option<PracticeFile>,
    pub paths: Option<PathsFile>,
}

/// Environment as read once at the edge (injectable for tests).
#[derive(Debug, Clone, Default)]
pub struct Env {
    vars: BTreeMap<String, String>,
}

impl Env {
    /// The process environment.
    pub fn from_process() -> Self {
        Self {
            vars: std::env::vars().collect(),
        }
    }
    /// A fixed environment, for tests.
    pub fn from_pairs<I, K, V>(pairs: I) -> Self
    where
        I: IntoIterator<Item = (K, V)>,
        K: Into<String>,
        V: Into<String>,
    {
        Self {
            vars: pairs
                .into_iter()
                .map(|(k, v)| (k.into(), v.into()))
                .collect(),
        }
    }
    /// A variable's value; empty counts as unset, as most tools treat it.
    pub fn get(&self, key: &str) -> Option<&str> {
        self.vars
            .get(key)
            .map(String::as_str)
            .filter(|v| !v.is_empty())
    }
}

/// Flags that override file and env.
#[derive(Debug, Clone, Default)]
pub struct Overrides {
    pub config_path: Option<PathBuf>,
    pub backend: Option<String>,
    pub model: Option<String>,
    pub base_url: Option<String>,
    pub rubrics_dir: Option<PathBuf>,
    pub data_dir: Option<PathBuf>,
    /// `--interviewer`: overrides the profile's `interviewer` key.
    pub interviewer: Option<String>,
}

/// Where the config came from, for messages and `doctor`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigSource {
    File(PathBuf),
    BuiltIn,
}

impl std::fmt::Display for ConfigSource {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ConfigSource::File(p) => write!(f, "{}", p.display()),
            ConfigSource::BuiltIn => f.write_str("built-in defaults (no config file)"),
        }
    }
}

/// The one resolved configuration the rest of the program reads.
#[derive(Debug, Clone)]
pub struct Config {
    pub source: ConfigSource,
    /// Profile or built-in kind that was chosen.
    pub profile: String,
    pub backend: BackendSpec,
    pub temperature: Option<f32>,
    pub seed: Option<u64>,
    /// Context window for history budgeting (None: the backend's default).
    pub context_tokens: Option<u32>,
    /// Default `--jobs` for `grade`.
    pub jobs: usize,
    /// Reply ceiling for the grading judge.
    pub judge_max_tokens: u32,
    /// How a model backend interviews.
    pub interviewer: crate::interview::phrasing::InterviewerMode,
    /// Which criteria the grading judge scores.
    pub judge_scope: crate::score::judge::JudgeScope,
    pub prices: BTreeMap<String, Price>,
    pub practice: PracticeFile,
    /// Sessions, history and caches live here.
    pub data_dir: PathBuf,
    /// Extra rubric directory (user problems and overrides).
    pub rubrics_dir: Option<PathBuf>,
}

impl Config {
    /// Resolve from the real process environment.
    pub fn resolve(over: &Overrides) -> Result<Config, ConfigError> {
        Self::resolve_with(over, &Env::from_process(), default_config_path())
    }

    /// Resolve with an explicit environment and XDG config path (tests).
    pub fn resolve_with(
        over: &Overrides,
        env: &Env,
        xdg_config: Option<PathBuf>,
    ) -> Result<Config, ConfigError> {
        let path = over
            .config_path
            .clone()
            .or_else(|| env.get("MOCKROUND_CONFIG").map(PathBuf::from))
            .or_else(|| xdg_config.filter(|p| p.is_file()));
        let (file, source) = match &path {
            Some(p) => (load_file(p)?, ConfigSource::File(p.clone())),
            None => (ConfigFile::default(), ConfigSource::BuiltIn),
        };
        resolve_file(file, source, over, env)
    }
}

/// `~/.config/mockround/config.toml` (or the platform's equivalent).
pub fn default_config_path() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "mockround").map(|d| d.config_dir().join("config.toml"))
}

/// `~/.local/share/mockround` (or the platform's equivalent).
pub fn default_data_dir() -> PathBuf {
    directories::ProjectDirs::from("", "", "mockround")
        .map(|d| d.data_dir().to_path_buf())
        .unwrap_or_else(|| PathBuf::from(".mockround"))
}

/// Read and parse a config file, with `path:line:col` on syntax errors.
pub fn load_file(path: &Path) -> Result<ConfigFile, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
        path: path.to_path_buf(),
        source,
    })?;
    parse_file(path, &text)
}

/// Parse config text; `path` is only used in messages.
pub fn parse_file(path: &Path, text: &str) -> Result<ConfigFile, ConfigError> {
    toml::from_str::<ConfigFile>(text).map_err(|e| {
        let (line, col) = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
        ConfigError::Parse {
            path: path.to_path_buf(),
            line,
            col,
            message: e.message().trim().to_string(),
        }
    })
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count())
        .unwrap_or(0)
        + 1;
    (line, col)
}

fn resolve_file(
    file: ConfigFile,
    source: ConfigSource,
    over: &Overrides,
    env: &Env,
) -> Result<Config, ConfigError> {
    let chosen = over
        .backend
        .clone()
        .or_else(|| env.get("MOCKROUND_BACKEND").map(str::to_string))
        .or_else(|| file.default.clone())
        .unwrap_or_else(|| "offline".to_string());

    let profile = match file.backends.get(&chosen) {
        Some(p) => p.clone(),
        None if matches!(chosen.as_str(), "offline" | "openai" | "ollama") => ProfileFile {
            kind: Some(chosen.clone()),
            ..ProfileFile::default()
        },
        None => {
            // Names come from the user's file and flags: clip them so a
            // huge value cannot flood the terminal.
            let mut known: Vec<String> = file.backends.keys().take(12).map(|k| clip(k)).collect();
            if file.backends.len() > known.len() {
                known.push("…".into());
            }
            return Err(ConfigError::UnknownBackend {
                name: clip(&chosen),
                source_desc: source.to_string(),
                known: if known.is_empty() {
                    "none".into()
                } else {
                    known.join(", ")
                },
            });
        }
    };
    let kind = profile.kind.clone().unwrap_or_else(|| chosen.clone());
    let model_override = over
        .model
        .clone()
        .or_else(|| env.get("MOCKROUND_MODEL").map(str::to_string));
    let origin = match &source {
        ConfigSource::File(p) => p.display().to_string(),
        ConfigSource::BuiltIn => "flags and environment".to_string(),
    };
    let bad = |message: String| ConfigError::Backend {
        origin: origin.clone(),
        profile: chosen.clone(),
        message,
    };

    let timeouts = resolve_timeouts(profile.timeouts.as_ref()).map_err(&bad)?;
    let retry = resolve_retry(profile.retry.as_ref()).map_err(&bad)?;
    if let Some(t) = profile.temperature {
        if !(0.0..=2.0).contains(&t) {
            return Err(bad(format!("temperature {t} is outside 0.0–2.0")));
        }
    }

    let backend = match kind.as_str() {
        "offline" => BackendSpec::Offline,
        "openai" => {
            let base_url = over
                .base_url
                .clone()
                .or(profile.base_url.clone())
                .or_else(|| env.get("OPENAI_BASE_URL").map(str::to_string))
                .unwrap_or_else(|| OPENAI_DEFAULT_BASE_URL.to_string());
            let base_url = base_url.trim_end_matches('/').to_string();
            if !(base_url.starts_with("http://") || base_url.starts_with("https://")) {
                return Err(bad(format!(
                    "base_url `{base_url}` must start with http:// or https://"
                )));
            }
            let api_key_env = profile.api_key_env.clone().or_else(|| {
                // The public API needs a key; local servers usually don't.
                (base_url.contains("api.openai.com") || chosen == "openai")
                    .then(|| "OPENAI_API_KEY".to_string())
            });
            let api_key = match &profile.api_key_file {
                Some(p) => {
                    let path = key_file_path(p, &source, env);
                    let (key, warning) = read_api_key_file(&path).map_err(&bad)?;
                    if let Some(w) = warning {
                        eprintln!("warning: {w}");
                    }
                    Some(key)
                }
                None => api_key_env
                    .as_deref()
                    .and_then(|k| env.get(k))
                    .map(str::to_string),
            };
            let model = model_override
                .or(profile.model.clone())
                .unwrap_or_else(|| OPENAI_DEFAULT_MODEL.to_string());
            let system_role =
                SystemRole::resolve(profile.system_role.as_deref(), &model).map_err(&bad)?;
            BackendSpec::OpenAi(HttpBackendSettings {
                base_url,
                model,
                api_key_env,
                api_key,
                timeouts,
                retry,
                context_tokens: profile.context_tokens,
                keep_alive: None,
                system_role,
            })
        }
        "ollama" => {
            let raw = over
                .base_url
                .clone()
                .or(profile.base_url.clone())
                .or_else(|| env.get("OLLAMA_HOST").map(str::to_string))
                .unwrap_or_else(|| OLLAMA_DEFAULT_HOST.to_string());
            let base_url = normalize_ollama_host(&raw).map_err(|e| bad(e.to_string()))?;
            let model = model_override
                .or(profile.model.clone())
                .unwrap_or_else(|| OLLAMA_DEFAULT_MODEL.to_string());
            // Ollama applies each model's own template, which handles the
            // system role; fold only when asked.
            let system_role = match profile.system_role.as_deref() {
                None | Some("auto") => SystemRole::Native,
                other => SystemRole::resolve(other, &model).map_err(&bad)?,
            };
            BackendSpec::Ollama(HttpBackendSettings {
                base_url,
                model,
                api_key_env: None,
                api_key: None,
                timeouts,
                retry,
                context_tokens: profile.context_tokens,
                keep_alive: profile.keep_alive.clone(),
                system_role,
            })
        }
        other => {
            return Err(bad(format!(
                "kind `{other}` is not one of offline, openai, ollama"
            )))
        }
    };

    let judge_scope = match profile.judge_scope.as_deref() {
        None => crate::score::judge::JudgeScope::default(),
        Some(s) => crate::score::judge::JudgeScope::parse(s).map_err(&bad)?,
    };
    let default_jobs = match backend {
        BackendSpec::Offline => std::thread::available_parallelism()
            .map(|n| n.get())
            .unwrap_or(2),
        BackendSpec::OpenAi(_) => 8,
        BackendSpec::Ollama(_) => 2,
    };
    let jobs = profile.jobs.unwrap_or(default_jobs).max(1);
    let interviewer = crate::interview::phrasing::InterviewerMode::parse(
        over.interviewer
            .as_deref()
            .or(profile.interviewer.as_deref()),
    )
    .map_err(&bad)?;
    let paths = file.paths.clone().unwrap_or_default();
    let data_dir = over
        .data_dir
        .clone()
        .or_else(|| env.get("MOCKROUND_DATA_DIR").map(PathBuf::from))
        .or(paths.data_dir)
        .unwrap_or_else(default_data_dir);
    let rubrics_dir = over.rubrics_dir.clone().or(paths.rubrics_dir);

    Ok(Config {
        source,
        profile: chosen,
        backend,
        temperature: profile.temperature,
        seed: profile.seed,
        context_tokens: profile.context_tokens,
        jobs,
        judge_max_tokens: profile
            .judge_max_tokens
            .unwrap_or(crate::score::judge::JUDGE_MAX_TOKENS)
            .max(1),
        interviewer,
        judge_scope,
        prices: file.prices.clone(),
        practice: file.practice.clone().unwrap_or_default(),
        data_dir,
        rubrics_dir,
    })
}

/// The most a key file may hold: far above any real key, so pointing
/// `api_key_file` at the wrong (large) file fails fast instead of sending it.
const MAX_KEY_FILE_BYTES: u64 = 16 * 1024;

/// `~/` expands to `$HOME`; a relative path is taken from the config file's
/// directory, so a config works from any working directory.
fn key_file_path(p: &Path, source: &ConfigSource, env: &Env) -> PathBuf {
    if let (Ok(rest), Some(home)) = (p.strip_prefix("~"), env.get("HOME")) {
        return PathBuf::from(home).join(rest);
    }
    match source {
        ConfigSource::File(cfg) if p.is_relative() => cfg
            .parent()
            .map(|d| d.join(p))
            .unwrap_or_else(|| p.to_path_buf()),
        _ => p.to_path_buf(),
    }
}

/// Reads an API key from a file the user pointed at, trimmed of whitespace.
/// Returns the key and, like ssh does for private keys, a warning when other
/// users can read the file. Messages name the file, never its contents.
pub fn read_api_key_file(path: &Path) -> Result<(String, Option<String>), String> {
    use std::io::Read;
    let shown = path.display();
    let file = std::fs::File::open(path)
        .map_err(|e| format!("api_key_file {shown}: cannot read it ({e}); create it holding only the key, or fix the path"))?;
    let meta = file
        .metadata()
        .map_err(|e| format!("api_key_file {shown}: cannot read it ({e})"))?;
    if !meta.is_file() {
        return Err(format!(
            "api_key_file {shown} is not a regular file; point it at a file holding only the key"
        ));
    }
    let mut bytes = Vec::new();
    file.take(MAX_KEY_FILE_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| format!("api_key_file {shown}: cannot read it ({e})"))?;
    if bytes.len() as u64 > MAX_KEY_FILE_BYTES {
        return Err(format!(
            "api_key_file {shown} is larger than {MAX_KEY_FILE_BYTES} bytes, so it is not a key file; point it at a file holding only the key"
        ));
    }
    let text = String::from_utf8(bytes).map_err(|_| {
        format!("api_key_file {shown} is not UTF-8 text; it should hold only the key")
    })?;
    let key = text.trim();
    if key.is_empty() {
        return Err(format!(
            "api_key_file {shown} is empty; write the key into it"
        ));
    }
    if key.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(format!(
            "api_key_file {shown} holds more than one word or line; it should hold only the key"
        ));
    }
    Ok((key.to_string(), key_file_warning(path, &meta)))
}

#[cfg(unix)]
fn key_file_warning(path: &Path, meta: &std::fs::Metadata) -> Option<String> {
    use std::os::unix::fs::PermissionsExt;
    let mode = meta.permissions().mode() & 0o777;
    (mode & 0o077 != 0).then(|| {
        format!(
            "{} holds an API key and other users can access it (mode {mode:04o}); run `chmod 600 {}`",
            path.display(),
            path.display()
        )
    })
}

#[cfg(not(unix))]
fn key_file_warning(_path: &Path, _meta: &std::fs::Metadata) -> Option<String> {
    None
}

/// A user-supplied name shortened for an error message.
fn clip(s: &str) -> String {
    const MAX: usize = 80;
    match s.char_indices().nth(MAX) {
        Some((cut, _)) => format!("{}…", &s[..cut]),
        None => s.to_string(),
    }
}

fn secs(v: f64, what: &str) -> Result<Duration, String> {
    if v.is_finite() && v > 0.0 && v < 86_400.0 {
        Ok(Duration::from_secs_f64(v))
    } else {
        Err(format!(
            "{what} must be a positive number of seconds below a day, got {v}"
        ))
    }
}

fn resolve_timeouts(t: Option<&TimeoutsFile>) -> Result<Timeouts, String> {
    let d = Timeouts::default();
    let Some(t) = t else { return Ok(d) };
    Ok(Timeouts {
        connect: t
            .connect_secs
            .map(|v| secs(v, "timeouts.connect_secs"))
            .transpose()?
            .unwrap_or(d.connect),
        request: t
            .request_secs
            .map(|v| secs(v, "timeouts.request_secs"))
            .transpose()?
            .unwrap_or(d.request),
        idle: t
            .idle_secs
            .map(|v| secs(v, "timeouts.idle_secs"))
            .transpose()?
            .unwrap_or(d.idle),
    })
}

fn resolve_retry(r: Option<&RetryFile>) -> Result<RetryPolicy, String> {
    let d = RetryPolicy::default();
    let Some(r) = r else { return Ok(d) };
    let max_attempts = r.max_attempts.unwrap_or(d.max_attempts);
    if !(1..=20).contains(&max_attempts) {
        return Err(format!(
            "retry.max_attempts must be 1–20, got {max_attempts}"
        ));
    }
    Ok(RetryPolicy {
        max_attempts,
        base_delay: r
            .base_delay_ms
            .map(Duration::from_millis)
            .unwrap_or(d.base_delay),
        max_delay: r
            .max_delay_secs
            .map(|v| secs(v, "retry.max_delay_secs"))
            .transpose()?
            .unwrap_or(d.max_delay),
    })
}
