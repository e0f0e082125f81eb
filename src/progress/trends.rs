//! From the practice record to what a candidate should do next: verdicts
//! over time, each concept's and signal's recent trend, the weakest
//! concepts, time per phase against budget, and the next drill.
//!
//! Plain functions of the record and the rubric, so every choice (which
//! concept is weakest, which problem to drill it on) is reproducible and
//! testable without a terminal.

use std::collections::HashMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::interview::clock::Millis;
use crate::progress::history::{Attempt, PracticeRecord, Source};
use crate::rubric::{ConceptId, Level, Phase, Problem, Rubric};

/// Trends look at the newest this many attempts; a problem played among
/// them counts as played recently.
pub const WINDOW: usize = 5;

/// How many weakest concepts are shown.
pub const WEAKEST: usize = 3;

/// One attempt on the verdict timeline.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VerdictPoint {
    pub source: Source,
    pub id: String,
    pub problem: String,
    /// Absent for graded answers, which carry no date.
    pub started_at: Option<DateTime<Utc>>,
    pub level: Level,
    pub overall: u8,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub focus: Option<ConceptId>,
}

/// How many attempts reached a level.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct LevelCount {
    pub level: Level,
    pub count: usize,
}

/// One concept's or signal's strength over the newest attempts.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub id: String,
    pub name: String,
    /// Concepts only: the seed's share of design rounds it comes up in.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub weight: Option<f64>,
    /// Strength 0–4 in each of the newest attempts, oldest first; `null`
    /// where an attempt was scored by a rubric without it.
    pub recent: Vec<Option<u8>>,
    /// Mean of `recent` (rounded to 0.01), `null` with no values.
    pub mean: Option<f64>,
    /// Newest value minus the oldest in `recent`, `null` with fewer than two.
    pub change: Option<i16>,
}

/// A weak concept, with why it ranks where it does.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Weakness {
    pub id: ConceptId,
    pub name: String,
    /// Mean strength 0–4 over the newest attempts.
    pub mean: f64,
    /// The seed's share of design rounds it comes up in.
    pub weight: f64,
    /// Attempts the mean is over.
    pub attempts: usize,
}

/// Time used in one phase against its budget, over the newest timed rounds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PhaseTrend {
    pub phase: Phase,
    /// Timed rounds counted (at most `WINDOW`).
    pub rounds: usize,
    /// Mean time used and mean budget (paces differ between rounds).
    pub mean_used_ms: Option<Millis>,
    pub mean_budget_ms: Option<Millis>,
    /// Used over budget in each of those rounds, oldest first (1.0 = on budget).
    pub recent: Vec<f64>,
    /// Mean of `recent` (rounded to 0.01).
    pub share: Option<f64>,
}

/// The drill to play next, and the command that starts it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct NextDrill {
    pub problem: String,
    pub problem_title: String,
    pub concept: ConceptId,
    pub concept_name: String,
    /// One or two sentences: why this concept, why this problem.
    pub reason: String,
    pub command: String,
}

/// Everything `mockround progress` shows.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Progress {
    /// Finished rounds counted.
    pub rounds: usize,
    /// Graded answers counted (`--grades`).
    pub graded_answers: usize,
    /// Rounds not finished yet (not counted; `practice --resume ID`).
    pub unfinished: Vec<String>,
    /// Attempts per level, all time.
    pub levels: Vec<LevelCount>,
    /// Every attempt, oldest first: rounds by start time, then graded answers
    /// in the order of their file.
    pub verdicts: Vec<VerdictPoint>,
    pub concepts: Vec<Trend>,
    pub signals: Vec<Trend>,
    /// The weakest concepts: lowest recent strength, weighted by how often
    /// each comes up in design rounds.
    pub weakest: Vec<Weakness>,
    pub phases: Vec<PhaseTrend>,
    /// `None` only when the rubric has no problems.
    pub next_drill: Option<NextDrill>,
    /// Files and lines left out, each naming the file and why.
    pub skipped: Vec<String>,
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

fn newest(attempts: &[Attempt]) -> &[Attempt] {
    &attempts[attempts.len().saturating_sub(WINDOW)..]
}

fn trend<K: PartialEq>(
    id: &K,
    name: &str,
    weight: Option<f64>,
    recent: &[Attempt],
    pick: impl Fn(&Attempt) -> &[(K, u8)],
    label: impl Fn(&K) -> String,
) -> Trend {
    let values: Vec<Option<u8>> = recent
        .iter()
        .map(|a| pick(a).iter().find(|(k, _)| k == id).map(|(_, s)| *s))
        .collect();
    let known: Vec<u8> = values.iter().flatten().copied().collect();
    let mean = (!known.is_empty())
        .then(|| round2(known.iter().map(|&v| f64::from(v)).sum::<f64>() / known.len() as f64));
    let change = match (known.first(), known.last()) {
        (Some(a), Some(b)) if known.len() >= 2 => Some(i16::from(*b) - i16::from(*a)),
        _ => None,
    };
    Trend {
        id: label(id),
        name: name.to_string(),
        weight,
        recent: values,
        mean,
        change,
    }
}

fn phase_trends(attempts: &[Attempt]) -> Vec<PhaseTrend> {
    let timed: Vec<&Attempt> = attempts.iter().filter(|a| !a.phases.is_empty()).collect();
    let timed = &timed[timed.len().saturating_sub(WINDOW)..];
    Phase::ALL
        .iter()
        .map(|&phase| {
            let uses: Vec<_> = timed
                .iter()
                .filter_map(|a| a.phases.iter().find(|p| p.phase == phase))
                .filter(|p| p.budget_ms > 0)
                .collect();
            let n = uses.len() as u64;
            let recent: Vec<f64> = uses
                .iter()
                .map(|p| round2(p.used_ms as f64 / p.budget_ms as f64))
                .collect();
            PhaseTrend {
                phase,
                rounds: uses.len(),
                mean_used_ms: (n > 0).then(|| uses.iter().map(|p| p.used_ms).sum::<u64>() / n),
                mean_budget_ms: (n > 0).then(|| uses.iter().map(|p| p.budget_ms).sum::<u64>() / n),
                share: (n > 0).then(|| round2(recent.iter().sum::<f64>() / n as f64)),
                recent,
            }
        })
        .collect()
}

/// The weakest concepts: the largest gap to full strength (4 − recent mean),
/// weighted by how often the concept comes up, so a concept asked in 62% of
/// rounds outranks one asked in 19% at the same strength.
fn weakest(concepts: &[Trend], rubric: &Rubric) -> Vec<Weakness> {
    let mut weak: Vec<Weakness> = concepts
        .iter()
        .filter_map(|t| {
            let mean = t.mean?;
            let c = rubric.concepts.iter().find(|c| c.id.as_str() == t.id)?;
            Some(Weakness {
                id: c.id.clone(),
                name: c.name.clone(),
                mean,
                weight: round2(f64::from(c.weight)),
                attempts: t.recent.iter().flatten().count(),
            })
        })
        .collect();
    let gap = |w: &Weakness| (4.0 - w.mean) * w.weight;
    weak.sort_by(|a, b| gap(b).total_cmp(&gap(a)).then(a.id.cmp(&b.id)));
    weak.truncate(WEAKEST);
    weak
}

fn percent(weight: f64) -> String {
    format!("{:.0}%", weight * 100.0)
}

/// The problem to drill `concept` on: one that lists it as a key concept
/// (any problem when none does), not among the newest attempts' problems if
/// possible, and of those the one played longest ago (never played first,
/// then the rubric's order).
fn pick_problem<'r>(
    rubric: &'r Rubric,
    concept: &ConceptId,
    attempts: &[Attempt],
) -> Option<(&'r Problem, String)> {
    let last_played: HashMap<&str, usize> = attempts
        .iter()
        .enumerate()
        .map(|(i, a)| (a.problem.as_str(), i))
        .collect();
    let recent: Vec<&str> = newest(attempts)
        .iter()
        .map(|a| a.problem.as_str())
        .collect();
    let keyed: Vec<&Problem> = rubric
        .problems
        .iter()
        .filter(|p| p.key_concepts.contains(concept))
        .collect();
    let keyed_any = !keyed.is_empty();
    let pool = if keyed_any {
        keyed
    } else {
        rubric.problems.iter().collect()
    };
    let fresh: Vec<&Problem> = pool
        .iter()
        .copied()
        .filter(|p| !recent.contains(&p.id.as_str()))
        .collect();
    let all_recent = fresh.is_empty();
    let choose = if all_recent { pool } else { fresh };
    let pick = choose
        .into_iter()
        .min_by_key(|p| last_played.get(p.id.as_str()).map_or(-1, |&i| i as i64))?;
    let mut why = if keyed_any {
        format!("{} has it as a key concept", pick.id)
    } else {
        format!("no problem lists it as a key concept, so {}", pick.id)
    };
    match last_played.get(pick.id.as_str()).map(|&i| &attempts[i]) {
        None => why.push_str(" and you have not played it yet"),
        Some(a) => {
            let when = a.started_at.map_or_else(
                || "in your graded answers".to_string(),
                |t| format!("on {}", t.format("%Y-%m-%d")),
            );
            if all_recent {
                why.push_str(&format!(
                    "; every problem that drills it was played in your last {WINDOW} attempts, and this one longest ago ({when})"
                ));
            } else {
                why.push_str(&format!(" and you last played it {when}"));
            }
        }
    }
    Some((pick, why))
}

fn next_drill(rubric: &Rubric, attempts: &[Attempt], weak: &[Weakness]) -> Option<NextDrill> {
    let (concept, name, mut reason) = match weak.first() {
        Some(w) => (
            w.id.clone(),
            w.name.clone(),
            format!(
                "{} is your weakest concept: {:.1}/4 over your last {} attempt{}, and it comes up in {} of design rounds",
                w.name,
                w.mean,
                w.attempts,
                if w.attempts == 1 { "" } else { "s" },
                percent(w.weight)
            ),
        ),
        None => {
            let c = rubric
                .concepts
                .iter()
                .max_by(|a, b| a.weight.total_cmp(&b.weight).then(b.id.cmp(&a.id)))?;
            (
                c.id.clone(),
                c.name.clone(),
                format!(
                    "No finished rounds yet: start with {}, the concept that comes up most ({} of design rounds)",
                    c.name,
                    percent(f64::from(c.weight))
                ),
            )
        }
    };
    let (problem, why) = pick_problem(rubric, &concept, attempts)?;
    reason.push_str("; ");
    reason.push_str(&why);
    reason.push('.');
    Some(NextDrill {
        command: format!("mockround practice -p {} --focus {}", problem.id, concept),
        problem: problem.id.to_string(),
        problem_title: problem.title.clone(),
        concept,
        concept_name: name,
        reason,
    })
}

/// Everything `mockround progress` shows, from the record and the rubric.
pub fn analyse(record: &PracticeRecord, rubric: &Rubric) -> Progress {
    let attempts = &record.attempts;
    let recent = newest(attempts);
    let concepts: Vec<Trend> = rubric
        .concepts
        .iter()
        .map(|c| {
            trend(
                &c.id,
                &c.name,
                Some(round2(f64::from(c.weight))),
                recent,
                |a| &a.concepts,
                ConceptId::to_string,
            )
        })
        .collect();
    let signals = rubric
        .signals
        .iter()
        .map(|s| {
            trend(
                &s.id,
                &s.name,
                None,
                recent,
                |a| &a.signals,
                |k| k.to_string(),
            )
        })
        .collect();
    let weak = weakest(&concepts, rubric);
    let levels = [Level::L3, Level::L4, Level::L5, Level::L6]
        .into_iter()
        .map(|level| LevelCount {
            level,
            count: attempts.iter().filter(|a| a.level == level).count(),
        })
        .collect();
    Progress {
        rounds: attempts
            .iter()
            .filter(|a| a.source == Source::Round)
            .count(),
        graded_answers: attempts
            .iter()
            .filter(|a| a.source == Source::Graded)
            .count(),
        unfinished: record.unfinished.clone(),
        levels,
        verdicts: attempts
            .iter()
            .map(|a| VerdictPoint {
                source: a.source,
                id: a.id.clone(),
                problem: a.problem.clone(),
                started_at: a.started_at,
                level: a.level,
                overall: a.overall,
                focus: a.focus.clone(),
            })
            .collect(),
        next_drill: next_drill(rubric, attempts, &weak),
        weakest: weak,
        phases: phase_trends(attempts),
        concepts,
        signals,
        skipped: record.warnings.clone(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rubric() -> Rubric {
        Rubric::builtin().expect("the built-in rubric loads")
    }

    /// An attempt on `problem` at strength 4 on every concept but `weak`.
    fn attempt(rubric: &Rubric, problem: &str, weak: &[(&str, u8)]) -> Attempt {
        Attempt {
            source: Source::Round,
            id: format!("r-{problem}"),
            problem: problem.to_string(),
            started_at: None,
            level: Level::L5,
            overall: 60,
            concepts: rubric
                .concepts
                .iter()
                .map(|c| {
                    let s = weak
                        .iter()
                        .find(|(id, _)| *id == c.id.as_str())
                        .map_or(4, |(_, s)| *s);
                    (c.id.clone(), s)
                })
                .collect(),
            signals: Vec::new(),
            phases: Vec::new(),
            focus: None,
        }
    }

    fn keyed(rubric: &Rubric, concept: &str) -> Vec<String> {
        rubric
            .problems
            .iter()
            .filter(|p| p.key_concepts.iter().any(|k| k.as_str() == concept))
            .map(|p| p.id.to_string())
            .collect()
    }

    fn record(attempts: Vec<Attempt>) -> PracticeRecord {
        PracticeRecord {
            attempts,
            ..PracticeRecord::default()
        }
    }

    #[test]
    fn the_weakest_concept_is_drilled_on_a_problem_not_played_recently() {
        let r = rubric();
        let with = keyed(&r, "hot-keys");
        assert!(with.len() >= 2, "needs two problems keyed on hot-keys");
        // The rubric's first problem for hot-keys was just played.
        let attempts: Vec<Attempt> = ["clickstream", &with[0], "cdc-lakehouse"]
            .iter()
            .map(|p| attempt(&r, p, &[("hot-keys", 0)]))
            .collect();
        let p = analyse(&record(attempts), &r);
        assert_eq!(p.weakest[0].id.as_str(), "hot-keys");
        let d = p.next_drill.expect("a drill");
        assert_eq!(d.concept.as_str(), "hot-keys");
        assert!(
            with.contains(&d.problem),
            "{} is keyed on hot-keys",
            d.problem
        );
        assert_ne!(d.problem, with[0], "played in the last {WINDOW} attempts");
        assert_eq!(
            d.command,
            format!("mockround practice -p {} --focus hot-keys", d.problem)
        );
        assert!(d.reason.contains("not played it yet"), "{}", d.reason);
    }

    #[test]
    fn when_every_problem_for_the_concept_was_played_recently_the_oldest_is_chosen() {
        let r = rubric();
        // The concept with the fewest problems keyed on it (at least one).
        let (concept, with) = r
            .concepts
            .iter()
            .map(|c| (c.id.to_string(), keyed(&r, c.id.as_str())))
            .filter(|(_, w)| !w.is_empty())
            .min_by_key(|(_, w)| w.len())
            .expect("some concept is a key concept");
        assert!(with.len() <= WINDOW, "{concept}: {with:?}");
        let weak = [(concept.as_str(), 1u8)];
        let attempts: Vec<Attempt> = with.iter().map(|p| attempt(&r, p, &weak)).collect();
        let d = analyse(&record(attempts), &r).next_drill.expect("a drill");
        assert_eq!(d.concept.as_str(), concept);
        assert_eq!(d.problem, with[0], "played longest ago");
        assert!(d.reason.contains("longest ago"), "{}", d.reason);
    }

    #[test]
    fn a_concept_that_comes_up_more_often_outranks_a_rarer_one_at_the_same_strength() {
        let r = rubric();
        let weak = [("lambda-kappa", 1u8), ("exactly-once", 1)];
        let p = analyse(&record(vec![attempt(&r, "clickstream", &weak)]), &r);
        let ids: Vec<&str> = p.weakest.iter().map(|w| w.id.as_str()).collect();
        assert_eq!(&ids[..2], ["exactly-once", "lambda-kappa"]);
        assert_eq!(p.weakest.len(), WEAKEST);
    }

    #[test]
    fn trends_cover_the_newest_five_attempts_oldest_first() {
        let r = rubric();
        let attempts: Vec<Attempt> = (0u8..8)
            .map(|i| attempt(&r, "clickstream", &[("cdc", i % 5)]))
            .collect();
        let p = analyse(&record(attempts), &r);
        let cdc = p.concepts.iter().find(|t| t.id == "cdc").expect("cdc");
        assert_eq!(
            cdc.recent,
            vec![Some(3), Some(4), Some(0), Some(1), Some(2)]
        );
        assert_eq!(cdc.mean, Some(2.0));
        assert_eq!(cdc.change, Some(-1));
        assert_eq!(p.verdicts.len(), 8);
    }

    #[test]
    fn phase_time_is_a_share_of_each_rounds_own_budget() {
        use crate::progress::history::PhaseUse;
        let r = rubric();
        let mut fast = attempt(&r, "clickstream", &[]);
        fast.phases = vec![PhaseUse {
            phase: Phase::Clarify,
            used_ms: 90_000,
            budget_ms: 60_000,
        }];
        let mut real = attempt(&r, "clickstream", &[]);
        real.phases = vec![PhaseUse {
            phase: Phase::Clarify,
            used_ms: 150_000,
            budget_ms: 300_000,
        }];
        let untimed = attempt(&r, "clickstream", &[]);
        let p = analyse(&record(vec![fast, real, untimed]), &r);
        let clarify = &p.phases[0];
        assert_eq!(clarify.rounds, 2);
        assert_eq!(clarify.recent, vec![1.5, 0.5]);
        assert_eq!(clarify.share, Some(1.0));
        assert_eq!(p.phases[1].rounds, 0);
        assert_eq!(p.phases[1].share, None);
    }
}
