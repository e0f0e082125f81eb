//! Scripted candidate rounds that read like interviews, each with per-turn
//! expectations: what the interviewer must not ask (already answered) and
//! what it must probe (a named gap). They run on the offline backend, in
//! process, and report the figures the README quotes:
//!
//! - questions asking for what the candidate already gave (goal 0),
//! - follow-ups that name the candidate's own component, number or words (goal ≥ 90%),
//! - shallow answers pushed at least once (goal 100%),
//! - curveballs delivered in full-length rounds (goal 100%).
//!
//! Script format (`tests/fixtures/rounds/*.txt`): header lines `# problem: ID`,
//! `# kind: strong|shallow|keyword-stuffer|jumps-to-design|wrong-numbers|leads-ahead`,
//! optional `# seed: N`, `# full-length`; then candidate turns separated by
//! lines holding only `---`. Lines starting with `#>` after a turn are
//! expectations about the interviewer's reply to it:
//!
//! - `#> asks: INTENT[ @ TARGET]` the reply's question has an intent starting
//!   with INTENT (and a target containing TARGET);
//! - `#> not: INTENT[ @ TARGET]` no line of the reply has that intent (and target);
//! - `#> says: INTENT` some line of the reply has that intent;
//! - `#> names: WORDS` the reply contains WORDS (case-insensitive);
//! - `#> lacks: WORDS` the reply does not contain WORDS (case-insensitive);
//! - `#> phase: ID` the phase after the reply;
//! - `#> shallow` this answer is shallow: the reply must push on it;
//! - `#> finished` the round is over after the reply;
//! - `#> bug: EXPECTATION` what a real interviewer does here and this one
//!   does not yet: reported as a known gap (at most [`KNOWN_GAPS_MAX`] of
//!   them), never silently dropped; reported as fixed once it holds.
//!
//! Lines starting with `##` are comments (why an expectation holds) and are
//! not part of the candidate's turn.
//!
//! Run `cargo test --test interview_rounds -- --nocapture` to see the figures.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use mockround::interview::clock::Pace;
use mockround::interview::round::typing_ms;
use mockround::interview::session::{Input, Session, Turn};
use mockround::interview::templates::Templates;
use mockround::rubric::{CurveballKind, Phase, Rubric};
use mockround::score::Scorer;

#[derive(Debug, Default)]
struct Script {
    name: String,
    problem: String,
    kind: String,
    seed: u64,
    full_length: bool,
    turns: Vec<(String, Vec<String>)>,
}

fn parse(path: &Path) -> Script {
    let text = std::fs::read_to_string(path).expect("read script");
    let mut s = Script {
        name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default(),
        seed: 1,
        ..Script::default()
    };
    let mut body = String::new();
    let mut expects = Vec::new();
    let mut in_header = true;
    let flush = |body: &mut String, expects: &mut Vec<String>, s: &mut Script| {
        if !body.trim().is_empty() {
            s.turns
                .push((body.trim().to_string(), std::mem::take(expects)));
        } else if let Some(last) = s.turns.last_mut() {
            // Expectations written after a `---` belong to the turn before it.
            last.1.append(expects);
        }
        body.clear();
    };
    for line in text.lines() {
        if line.starts_with("##") {
            continue;
        }
        if in_header {
            if let Some(v) = line.strip_prefix("# problem:") {
                s.problem = v.trim().to_string();
                continue;
            }
            if let Some(v) = line.strip_prefix("# kind:") {
                s.kind = v.trim().to_string();
                continue;
            }
            if let Some(v) = line.strip_prefix("# seed:") {
                s.seed = v.trim().parse().expect("seed");
                continue;
            }
            if line.trim() == "# full-length" {
                s.full_length = true;
                continue;
            }
            if line.trim().is_empty() {
                continue;
            }
            in_header = false;
        }
        if line.trim() == "---" {
            flush(&mut body, &mut expects, &mut s);
        } else if let Some(e) = line.strip_prefix("#>") {
            expects.push(e.trim().to_string());
        } else {
            body.push_str(line);
            body.push('\n');
        }
    }
    flush(&mut body, &mut expects, &mut s);
    s
}

fn intent_target(spec: &str) -> (String, Option<String>) {
    match spec.split_once(" @ ") {
        Some((i, t)) => (i.trim().to_string(), Some(t.trim().to_ascii_lowercase())),
        None => (spec.trim().to_string(), None),
    }
}

/// Every line of a reply, with the target of the move that produced it.
fn lines(turn: &Turn) -> Vec<(String, Option<String>)> {
    turn.says
        .iter()
        .map(|s| {
            let target = turn
                .moves
                .iter()
                .find(|m| m.intent == s.intent)
                .and_then(|m| m.target.clone())
                .map(|t| t.to_ascii_lowercase());
            (s.intent.clone(), target)
        })
        .collect()
}

/// Known interviewer gaps allowed: lower it as they are fixed; a new gap
/// must come with a fix elsewhere.
const KNOWN_GAPS_MAX: usize = 39;

#[derive(Debug, Default)]
struct Figures {
    rounds: usize,
    turns: usize,
    reasked: usize,
    followups: usize,
    followups_naming: usize,
    shallow: usize,
    shallow_pushed: usize,
    full_length: usize,
    curveballs_delivered: usize,
    expectations: usize,
    failures: Vec<String>,
    /// `bug:` expectations that still fail: known interviewer gaps.
    known_gaps: Vec<String>,
    /// `bug:` expectations that now hold: promote them to plain ones.
    fixed: Vec<String>,
    /// Follow-ups that named nothing of the candidate's, for the report.
    unnamed: Vec<String>,
}

/// Intents that ask something about the candidate's design (not phase
/// intros, clarify answers or the round's own requirement changes).
fn is_followup(intent: &str) -> bool {
    [
        "annotate",
        "vague_box",
        "too_",
        "ask_",
        "push_",
        "challenge_",
        "drill_",
    ]
    .iter()
    .any(|p| intent.starts_with(p))
        && !matches!(
            intent,
            "challenge_hidden_constraint"
                | "challenge_cost"
                | "challenge_sla_tiers"
                | "ask_diagram_empty"
        )
}

/// The reply names something of the candidate's: a component, a number,
/// a key, or quotes their words.
fn names_candidate(session: &Session, turn: &Turn) -> bool {
    let text = turn.text().to_ascii_lowercase();
    let d = session.design();
    let said = turn
        .moves
        .first()
        .and_then(|m| m.quote.as_ref())
        .is_some_and(|q| !q.is_empty() && text.contains(&q.to_ascii_lowercase()));
    // A figure worked out from their numbers ("10 minutes" from "10-minute").
    let worked = turn.moves.first().is_some_and(|m| {
        m.facts
            .iter()
            .any(|f| f.len() >= 3 && text.contains(&f.to_ascii_lowercase()))
    });
    said || worked
        || d.components.iter().filter(|c| !c.vague).any(|c| {
            text.contains(&c.label().to_ascii_lowercase())
                || c.product
                    .as_deref()
                    .is_some_and(|p| text.contains(&p.to_ascii_lowercase()))
        })
        || d.numbers
            .iter()
            .any(|n| text.contains(&n.evidence.quote.to_ascii_lowercase()))
        || d.keys
            .iter()
            .any(|k| text.contains(&k.key.to_ascii_lowercase()))
}

fn play(script: &Script, rubric: &Rubric, scorer: &Scorer, fig: &mut Figures) {
    let problem = rubric
        .problem(&script.problem)
        .unwrap_or_else(|| panic!("{}: unknown problem {}", script.name, script.problem))
        .clone();
    let pace = if script.full_length {
        Pace::Real
    } else {
        Pace::Untimed
    };
    let mut session = Session::new(problem, Arc::new(Templates::builtin()), pace, script.seed);
    let mut now = 0;
    session.open(now);
    let mut history: Vec<String> = Vec::new();
    fig.rounds += 1;
    for (i, (text, expects)) in script.turns.iter().enumerate() {
        let input = match text.as_str() {
            "/next" => Input::Next,
            "/hint" => Input::Hint,
            "/quit" => Input::Quit,
            t => Input::Answer(t.to_string()),
        };
        now += typing_ms(text);
        let turn = session.handle(input, now, scorer);
        fig.turns += 1;
        let where_ = format!(
            "{} turn {} ({:?})",
            script.name,
            i + 1,
            text.chars().take(50).collect::<String>()
        );
        let reply = turn.text();
        let ls = lines(&turn);
        // Re-asking a question already asked (pushes excepted) is never right.
        if let Some(m) = turn.moves.first() {
            let key = format!("{}|{}", m.intent, m.target.as_deref().unwrap_or(""));
            if history.contains(&key) && !m.intent.starts_with("push_") {
                fig.reasked += 1;
                fig.failures
                    .push(format!("{where_}: asked {key} again: {reply}"));
            }
            history.push(key);
            if is_followup(&m.intent) {
                fig.followups += 1;
                if names_candidate(&session, &turn) {
                    fig.followups_naming += 1;
                } else {
                    fig.unnamed.push(format!("{where_}: {reply}"));
                }
            }
        }
        for raw in expects {
            fig.expectations += 1;
            // `bug: EXPECTATION`: what a real interviewer does here and this
            // one does not yet. Reported (and counted against a ceiling),
            // not failed; reported as fixed once it holds.
            let (known, e) = match raw.strip_prefix("bug:") {
                Some(inner) => (true, inner.trim()),
                None => (false, raw.as_str()),
            };
            let fail = |why: String| {
                format!(
                    "{where_}: expected `{e}`, {why}\n  interviewer: {reply}\n  intents: {ls:?}"
                )
            };
            let ok = if let Some(spec) = e.strip_prefix("asks:") {
                let (intent, target) = intent_target(spec);
                turn.moves.first().is_some_and(|m| {
                    m.intent.starts_with(&intent)
                        && target.as_ref().is_none_or(|t| {
                            m.target
                                .as_deref()
                                .is_some_and(|x| x.to_ascii_lowercase().contains(t))
                        })
                })
            } else if let Some(spec) = e.strip_prefix("not:") {
                let (intent, target) = intent_target(spec);
                !ls.iter().any(|(i, t)| {
                    i.starts_with(&intent)
                        && target
                            .as_ref()
                            .is_none_or(|want| t.as_deref().is_some_and(|x| x.contains(want)))
                })
            } else if let Some(intent) = e.strip_prefix("says:") {
                ls.iter().any(|(i, _)| i.starts_with(intent.trim()))
            } else if let Some(w) = e.strip_prefix("names:") {
                reply
                    .to_ascii_lowercase()
                    .contains(&w.trim().to_ascii_lowercase())
            } else if let Some(w) = e.strip_prefix("lacks:") {
                !reply
                    .to_ascii_lowercase()
                    .contains(&w.trim().to_ascii_lowercase())
            } else if let Some(p) = e.strip_prefix("phase:") {
                session.phase().id() == p.trim()
            } else if e == "shallow" {
                let pushed = ls.iter().any(|(i, _)| i.starts_with("push_"));
                if !known {
                    fig.shallow += 1;
                    if pushed {
                        fig.shallow_pushed += 1;
                    }
                }
                pushed
            } else if e == "finished" {
                session.is_finished()
            } else {
                panic!("{where_}: unknown expectation `{e}`");
            };
            match (known, ok) {
                (false, false) => fig.failures.push(fail("but it did not hold".into())),
                (true, false) => fig.known_gaps.push(format!("{where_}: `{e}`")),
                (true, true) => fig.fixed.push(format!("{where_}: `{e}`")),
                (false, true) => {}
            }
        }
        if session.is_finished() {
            break;
        }
    }
    if script.full_length {
        fig.full_length += 1;
        let delivered = [CurveballKind::Tighten, CurveballKind::Stretch]
            .iter()
            .all(|k| session.curveball_results().iter().any(|c| c.kind == *k));
        if delivered {
            fig.curveballs_delivered += 1;
        } else {
            fig.failures.push(format!(
                "{}: a full-length round must deliver both curveballs; got {:?}",
                script.name,
                session
                    .curveball_results()
                    .iter()
                    .map(|c| c.kind)
                    .collect::<Vec<_>>()
            ));
        }
    }
    assert!(session.phase() >= Phase::Clarify);
}

/// The scripts: `tests/fixtures/rounds`, or `ROUNDS_DIR` when set (to run
/// a built test binary against scripts being edited elsewhere).
fn scripts() -> Vec<PathBuf> {
    let dir = std::env::var_os("ROUNDS_DIR").map_or_else(
        || Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/rounds"),
        PathBuf::from,
    );
    let mut v: Vec<PathBuf> = std::fs::read_dir(&dir)
        .expect("rounds dir")
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "txt"))
        .collect();
    v.sort();
    v
}

#[test]
fn scripted_rounds_meet_their_per_turn_expectations_and_the_goals() {
    let rubric = Rubric::builtin().expect("rubric");
    let scorer = Scorer::new(&rubric);
    let mut fig = Figures::default();
    let all: Vec<Script> = scripts().iter().map(|p| parse(p)).collect();
    for s in &all {
        play(s, &rubric, &scorer, &mut fig);
    }
    let problems: std::collections::BTreeSet<&str> =
        all.iter().map(|s| s.problem.as_str()).collect();
    let kinds: std::collections::BTreeSet<&str> = all.iter().map(|s| s.kind.as_str()).collect();
    let pct = |a: usize, b: usize| {
        if b == 0 {
            100.0
        } else {
            100.0 * a as f64 / b as f64
        }
    };
    println!(
        "{} rounds over {} problems ({} kinds), {} turns, {} expectations\n\
         questions asking for what was already given: {}\n\
         follow-ups naming the candidate's own component, number or words: {}/{} ({:.0}%)\n\
         shallow answers pushed at least once: {}/{} ({:.0}%)\n\
         curveballs delivered in full-length rounds: {}/{} ({:.0}%)",
        fig.rounds,
        problems.len(),
        kinds.len(),
        fig.turns,
        fig.expectations,
        fig.reasked,
        fig.followups_naming,
        fig.followups,
        pct(fig.followups_naming, fig.followups),
        fig.shallow_pushed,
        fig.shallow,
        pct(fig.shallow_pushed, fig.shallow),
        fig.curveballs_delivered,
        fig.full_length,
        pct(fig.curveballs_delivered, fig.full_length),
    );
    for u in &fig.unnamed {
        println!("  names nothing of the candidate's: {u}");
    }
    println!(
        "known interviewer gaps (`#> bug:` expectations that still fail): {} (ceiling {KNOWN_GAPS_MAX})",
        fig.known_gaps.len()
    );
    for g in &fig.known_gaps {
        println!("  gap: {g}");
    }
    for f in &fig.fixed {
        println!("  fixed, make it a plain expectation: {f}");
    }
    assert!(fig.failures.is_empty(), "{}", fig.failures.join("\n\n"));
    assert!(
        fig.known_gaps.len() <= KNOWN_GAPS_MAX,
        "{} known gaps, over the ceiling of {KNOWN_GAPS_MAX}: fix one before adding one",
        fig.known_gaps.len()
    );
    assert!(
        fig.rounds >= 20 && problems.len() >= 6,
        "need 20 rounds over 6 problems"
    );
    for k in [
        "strong",
        "shallow",
        "keyword-stuffer",
        "jumps-to-design",
        "wrong-numbers",
        "leads-ahead",
    ] {
        assert!(kinds.contains(k), "no `{k}` round");
    }
    assert_eq!(fig.reasked, 0);
    assert!(pct(fig.followups_naming, fig.followups) >= 90.0);
    assert_eq!(fig.shallow_pushed, fig.shallow);
    assert_eq!(fig.curveballs_delivered, fig.full_length);
}

/// `ROUND=clickstream-strong cargo test --test interview_rounds show_round -- --nocapture`
/// prints one round with the intent and target of every line: how the
/// expectations in a script are written.
#[test]
fn show_round() {
    let Ok(want) = std::env::var("ROUND") else {
        return;
    };
    let rubric = Rubric::builtin().expect("rubric");
    let scorer = Scorer::new(&rubric);
    for p in scripts()
        .iter()
        .filter(|p| p.to_string_lossy().contains(&want))
    {
        let s = parse(p);
        let problem = rubric.problem(&s.problem).expect("problem").clone();
        let pace = if s.full_length {
            Pace::Real
        } else {
            Pace::Untimed
        };
        let mut session = Session::new(problem, Arc::new(Templates::builtin()), pace, s.seed);
        let mut now = 0;
        println!("=== {} ===\nI: {}\n", s.name, session.open(now).text());
        for (i, (text, _)) in s.turns.iter().enumerate() {
            let input = match text.as_str() {
                "/next" => Input::Next,
                "/hint" => Input::Hint,
                "/quit" => Input::Quit,
                t => Input::Answer(t.to_string()),
            };
            now += typing_ms(text);
            let turn = session.handle(input, now, &scorer);
            println!("[{}] C: {}\n", i + 1, text);
            println!("    I ({}): {}", session.phase().id(), turn.text());
            for (intent, target) in lines(&turn) {
                println!("      - {intent} @ {}", target.unwrap_or_default());
            }
            println!();
            if session.is_finished() {
                break;
            }
        }
        for r in session.failure_results() {
            println!("drill {}: {:?} {:?}", r.id, r.depth, r.outcome);
        }
        for c in session.curveball_results() {
            println!(
                "curveball {:?}: adapted {:?} {:?}",
                c.kind, c.adapted, c.quote
            );
        }
    }
}
