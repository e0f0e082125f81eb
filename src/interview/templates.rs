//! Prompt templates and the offline interviewer's lines.
//!
//! Defaults are embedded from `prompts/` at build time; any file of the same
//! name in `$XDG_CONFIG_HOME/mockround/prompts/` replaces its default (and
//! `lines.toml` there overrides intent by intent), so a user can change the
//! interviewer's tone without recompiling.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use thiserror::Error;

use crate::rubric::Phase;

const PERSONA: &str = include_str!("../../prompts/persona.md");
const TURN: &str = include_str!("../../prompts/turn.md");
const FOLLOWUP: &str = include_str!("../../prompts/followup.md");
const DEBRIEF: &str = include_str!("../../prompts/debrief.md");
const PHASE_CLARIFY: &str = include_str!("../../prompts/phase-clarify.md");
const PHASE_ARCHITECTURE: &str = include_str!("../../prompts/phase-architecture.md");
const PHASE_DATA_FLOW: &str = include_str!("../../prompts/phase-data-flow.md");
const PHASE_FAILURE_MODES: &str = include_str!("../../prompts/phase-failure-modes.md");
const LINES: &str = include_str!("../../prompts/lines.toml");
const GUIDED: &str = include_str!("../../prompts/guided.md");
const GUIDED_RULES: &str = include_str!("../../prompts/guided-rules.md");
const GUIDED_RETRY: &str = include_str!("../../prompts/guided-retry.md");
const GOALS: &str = include_str!("../../prompts/moves.toml");

/// A template file that could not be read or parsed.
#[derive(Debug, Error)]
pub enum TemplateError {
    #[error("{path}: cannot read the prompt template: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error(
        "{path}:{line}:{col}: {message} (fix the file or delete it to use the built-in default)"
    )]
    Parse {
        path: PathBuf,
        line: usize,
        col: usize,
        message: String,
    },
}

/// Every template the interviewer uses.
#[derive(Debug, Clone)]
pub struct Templates {
    /// System message: persona plus the problem. Fixed for a whole round.
    pub persona: String,
    /// The volatile interviewer notes appended to the newest candidate turn.
    pub turn: String,
    /// The notes in `guided` mode: the move, its target, the candidate's words.
    pub guided: String,
    /// What `guided` mode adds to the system message: how to write the
    /// question the notes ask for (fixed for the round, so it is cached).
    pub guided_rules: String,
    /// Sent once after a guided reply was rejected: why, and the question
    /// to write again (appended to the same request, so the server's
    /// cached prefix covers everything before it).
    pub guided_retry: String,
    /// Extra instruction when the turn is a follow-up.
    pub followup: String,
    /// Instruction for a model-written closing paragraph.
    pub debrief: String,
    phases: [String; 4],
    lines: BTreeMap<String, Vec<String>>,
    /// What each move is for, as a model sees it (`moves.toml`).
    goals: BTreeMap<String, String>,
}

/// The user's prompt override directory (`~/.config/mockround/prompts`).
pub fn user_prompt_dir() -> Option<PathBuf> {
    directories::ProjectDirs::from("", "", "mockround").map(|d| d.config_dir().join("prompts"))
}

fn parse_toml<T: serde::de::DeserializeOwned>(path: &Path, text: &str) -> Result<T, TemplateError> {
    toml::from_str::<T>(text).map_err(|e| {
        let (line, col) = e
            .span()
            .map(|s| crate::config::line_col(text, s.start))
            .unwrap_or((1, 1));
        TemplateError::Parse {
            path: path.to_path_buf(),
            line,
            col,
            message: e.message().trim().to_string(),
        }
    })
}

impl Templates {
    /// The embedded defaults.
    pub fn builtin() -> Templates {
        let lines = parse_toml(Path::new("prompts/lines.toml"), LINES).unwrap_or_default();
        let goals = parse_toml(Path::new("prompts/moves.toml"), GOALS).unwrap_or_default();
        Templates {
            persona: PERSONA.to_string(),
            turn: TURN.to_string(),
            guided: GUIDED.to_string(),
            guided_rules: GUIDED_RULES.to_string(),
            guided_retry: GUIDED_RETRY.to_string(),
            followup: FOLLOWUP.to_string(),
            debrief: DEBRIEF.to_string(),
            phases: [
                PHASE_CLARIFY.to_string(),
                PHASE_ARCHITECTURE.to_string(),
                PHASE_DATA_FLOW.to_string(),
                PHASE_FAILURE_MODES.to_string(),
            ],
            lines,
            goals,
        }
    }

    /// Defaults overridden by whatever files exist in `dir`.
    pub fn load(dir: Option<&Path>) -> Result<Templates, TemplateError> {
        let mut t = Templates::builtin();
        let Some(dir) = dir else { return Ok(t) };
        if !dir.is_dir() {
            return Ok(t);
        }
        let read = |name: &str| -> Result<Option<String>, TemplateError> {
            let path = dir.join(name);
            if !path.is_file() {
                return Ok(None);
            }
            std::fs::read_to_string(&path)
                .map(Some)
                .map_err(|source| TemplateError::Read { path, source })
        };
        let slots: [(&str, &mut String); 7] = [
            ("persona.md", &mut t.persona),
            ("turn.md", &mut t.turn),
            ("guided.md", &mut t.guided),
            ("guided-rules.md", &mut t.guided_rules),
            ("guided-retry.md", &mut t.guided_retry),
            ("followup.md", &mut t.followup),
            ("debrief.md", &mut t.debrief),
        ];
        for (name, slot) in slots {
            if let Some(s) = read(name)? {
                *slot = s;
            }
        }
        for (i, phase) in Phase::ALL.iter().enumerate() {
            if let Some(s) = read(&format!("phase-{}.md", phase.id()))? {
                t.phases[i] = s;
            }
        }
        if let Some(s) = read("lines.toml")? {
            let user: BTreeMap<String, Vec<String>> = parse_toml(&dir.join("lines.toml"), &s)?;
            for (k, v) in user {
                if !v.is_empty() {
                    t.lines.insert(k, v);
                }
            }
        }
        if let Some(s) = read("moves.toml")? {
            let user: BTreeMap<String, String> = parse_toml(&dir.join("moves.toml"), &s)?;
            t.goals.extend(user);
        }
        Ok(t)
    }

    /// The instructions for a phase.
    pub fn phase(&self, phase: Phase) -> &str {
        let i = Phase::ALL.iter().position(|p| *p == phase).unwrap_or(0);
        &self.phases[i]
    }

    /// What a move is for, filled in, when `moves.toml` has it.
    pub fn goal(&self, intent: &str, vars: &[(&str, &str)]) -> Option<String> {
        self.goals.get(intent).map(|g| fill_braces(g, vars))
    }

    /// Every variant of an intent's line, filled.
    pub fn variants(&self, intent: &str, vars: &[(&str, &str)]) -> Vec<String> {
        self.lines
            .get(intent)
            .map(|v| v.iter().map(|l| fill_braces(l, vars)).collect())
            .unwrap_or_default()
    }

    /// True when the intent has at least one line.
    pub fn has(&self, intent: &str) -> bool {
        self.lines.get(intent).is_some_and(|v| !v.is_empty())
    }

    /// Every intent with lines (tests check each move has its template).
    pub fn intents(&self) -> impl Iterator<Item = &str> + '_ {
        self.lines.keys().map(String::as_str)
    }

    /// One variant of an intent's line, picked by `pick`, with `{name}`
    /// placeholders filled. An unknown intent yields an empty string so a
    /// user's partial `lines.toml` can never crash a round.
    pub fn line(&self, intent: &str, pick: u64, vars: &[(&str, &str)]) -> String {
        let Some(variants) = self.lines.get(intent).filter(|v| !v.is_empty()) else {
            return String::new();
        };
        let idx = usize::try_from(pick % variants.len() as u64).unwrap_or(0);
        fill_braces(&variants[idx], vars)
    }
}

/// Fill `{name}` placeholders (the offline lines' syntax).
pub fn fill_braces(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 64);
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let Some(len) = rest[open..].find('}') else {
            break;
        };
        let name = &rest[open + 1..open + len];
        let Some((_, value)) = vars.iter().find(|(k, _)| *k == name) else {
            out.push_str(&rest[..=open + len]);
            rest = &rest[open + len + 1..];
            continue;
        };
        out.push_str(&rest[..open]);
        // "a S3 partition" -> "an S3 partition".
        if needs_an(value) {
            for article in [" a ", "\"a "] {
                if out.ends_with(article) || out == article.trim_start() {
                    out.truncate(out.len() - 2);
                    out.push_str("an ");
                }
            }
            if out == "a " || out == "A " {
                let cap = out.starts_with('A');
                out = if cap { "An ".into() } else { "an ".into() };
            }
        }
        // A figure that starts a sentence starts with a capital: "A few
        // MB/s into 24 partitions …", not "a few MB/s …". A name keeps its
        // own case ("dbt runs hourly").
        if starts_sentence(&out) && starts_with_plain_word(value) {
            out.push_str(&capitalised(value));
        } else {
            out.push_str(value);
        }
        rest = &rest[open + len + 1..];
        // A value that ends its own sentence takes the template's full stop:
        // `"Exactly-once.".` -> `"Exactly-once."`.
        if value.ends_with(['.', '?', '!']) {
            if let Some(r) = rest.strip_prefix('.') {
                rest = r;
            } else if let Some(r) = rest.strip_prefix("\".") {
                out.push('"');
                rest = r;
            }
        }
    }
    out.push_str(rest);
    out
}

/// Text written so far ends where a sentence starts.
fn starts_sentence(out: &str) -> bool {
    let t = out.trim_end_matches(' ');
    t.is_empty() || (t.len() < out.len() && t.ends_with(['.', '?', '!']))
}

/// A value whose first word is a plain lower-case word ("a few MB/s",
/// "about 2K/s", "roughly 5 GB"), not a name.
fn starts_with_plain_word(value: &str) -> bool {
    let first = value.split_whitespace().next().unwrap_or_default();
    [
        "a",
        "an",
        "about",
        "around",
        "roughly",
        "approximately",
        "nearly",
        "almost",
        "maybe",
        "some",
        "several",
        "few",
        "under",
        "over",
        "up",
        "at",
        "the",
        "only",
        "just",
        "one",
        "two",
        "three",
        "ten",
        "hundreds",
        "thousands",
        "millions",
    ]
    .contains(&first)
}

/// `s` with its first letter upper-case ("with acks=1…" said as a
/// sentence of its own).
pub(crate) fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// True when a word takes "an": a vowel sound, including initialisms read
/// letter by letter ("an S3 bucket", "an HTTP call", "an SLA").
pub(crate) fn needs_an(word: &str) -> bool {
    let first: String = word
        .split(|c: char| !c.is_alphanumeric())
        .find(|w| !w.is_empty())
        .unwrap_or("")
        .to_string();
    let mut chars = first.chars();
    let Some(c) = chars.next() else {
        return false;
    };
    let second = chars.next();
    let initialism = second.is_some_and(|s| s.is_ascii_uppercase() || s.is_ascii_digit())
        && c.is_ascii_uppercase();
    if initialism {
        return "AEFHILMNORSX".contains(c);
    }
    let lower = first.to_ascii_lowercase();
    if ["uni", "use", "usu", "eu", "one", "once"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return false;
    }
    if ["hour", "honest", "heir"]
        .iter()
        .any(|p| lower.starts_with(p))
    {
        return true;
    }
    "aeiou".contains(c.to_ascii_lowercase())
}

/// Fill `{{name}}` placeholders (the model prompts' syntax); lines whose only
/// content was an empty placeholder are dropped so prompts stay tidy.
pub fn render(template: &str, vars: &[(&str, &str)]) -> String {
    let mut out = String::with_capacity(template.len() + 256);
    for line in template.lines() {
        let mut l = line.to_string();
        let mut had_var = false;
        for (k, v) in vars {
            let pat = format!("{{{{{k}}}}}");
            if l.contains(&pat) {
                had_var = true;
                l = l.replace(&pat, v);
            }
        }
        if had_var && l.trim().is_empty() {
            continue;
        }
        out.push_str(&l);
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_figure_that_starts_a_sentence_is_capitalised_and_a_name_is_not() {
        let f = |t: &str, v: &str| fill_braces(t, &[("x", v)]);
        assert_eq!(
            f("Good. {x} into 24 partitions", "a few MB/s"),
            "Good. A few MB/s into 24 partitions"
        );
        assert_eq!(
            f("{x} into 24 partitions", "about 2K/s"),
            "About 2K/s into 24 partitions"
        );
        assert_eq!(f("{x} runs hourly", "dbt"), "dbt runs hourly");
        assert_eq!(f("so {x} into 24", "a few MB/s"), "so a few MB/s into 24");
    }

    #[test]
    fn articles_follow_the_filled_word_and_full_stops_are_not_doubled() {
        let f = |t: &str, v: &str| fill_braces(t, &[("x", v)]);
        assert_eq!(f("for a {x} partition", "S3"), "for an S3 partition");
        assert_eq!(f("for a {x} partition", "Kafka"), "for a Kafka partition");
        assert_eq!(f("a {x} TTL", "hour-long"), "an hour-long TTL");
        assert_eq!(f("a {x} lake", "unified"), "a unified lake");
        assert_eq!(
            f("You said \"{x}\".", "Exactly-once."),
            "You said \"Exactly-once.\""
        );
        assert_eq!(f("{x}. Next.", "Done."), "Done. Next.");
        assert_eq!(f("{y} stays", "v"), "{y} stays");
    }

    #[test]
    fn builtin_lines_parse_and_fill() {
        let t = Templates::builtin();
        let s = t.line("annotate_edge", 0, &[("from", "Kafka"), ("to", "Flink")]);
        assert!(s.contains("Kafka") && s.contains("Flink"), "{s}");
        assert_eq!(t.line("no-such-intent", 0, &[]), "");
    }

    #[test]
    fn user_dir_overrides_one_intent_and_keeps_the_rest() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(
            dir.path().join("lines.toml"),
            "keep_going = [\"Carry on, mate.\"]\n",
        )
        .expect("write");
        std::fs::write(dir.path().join("persona.md"), "You are terse.\n").expect("write");
        let t = Templates::load(Some(dir.path())).expect("load");
        assert_eq!(t.line("keep_going", 7, &[]), "Carry on, mate.");
        assert!(!t.line("time_up", 0, &[("phase", "x")]).is_empty());
        assert_eq!(t.persona, "You are terse.\n");
    }

    #[test]
    fn bad_user_lines_name_file_and_line() {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::write(dir.path().join("lines.toml"), "ok = [\"a\"]\nbroken = [\n").expect("write");
        let err = Templates::load(Some(dir.path())).expect_err("must fail");
        assert!(err.to_string().contains("lines.toml:"), "{err}");
    }

    #[test]
    fn render_drops_lines_of_empty_placeholders() {
        let out = render("a {{x}}\n{{y}}\nb\n", &[("x", "1"), ("y", "")]);
        assert_eq!(out, "a 1\nb\n");
    }
}
