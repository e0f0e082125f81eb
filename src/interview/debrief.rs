//! The debrief: the scorer's scorecard and verdict, plus what only the
//! session knows (time per phase, clarifying questions, failures probed and
//! how far each answer got, components the reference has and the candidate
//! did not name). Rendered as Markdown for people and JSON for machines.

use serde::{Deserialize, Serialize};

use crate::interview::clock::{format_mmss, Millis};
use crate::interview::session::{FailureResult, Session};
use crate::rubric::{ConceptId, Level, Phase};
use crate::score::{Scorecard, Scorer, SessionFacts};

/// Time used in one phase against its budget.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PhaseTime {
    pub phase: Phase,
    pub used_ms: Millis,
    /// `None` when the round was untimed.
    pub budget_ms: Option<Millis>,
}

/// How the round went on the concept it drilled (`practice --focus`).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Focus {
    pub concept: ConceptId,
    pub name: String,
    /// 0–4, as on the scorecard.
    pub strength: u8,
    /// The candidate's strongest words on it, when anything counted.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub quote: Option<String>,
}

/// Everything shown after a round.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Debrief {
    pub session_id: String,
    pub problem: String,
    pub problem_title: String,
    pub level: Level,
    pub overall: u8,
    pub scorecard: Scorecard,
    pub facts: SessionFacts,
    pub phase_times: Vec<PhaseTime>,
    pub failures: Vec<FailureResult>,
    /// Components the reference architecture has that the candidate never named.
    pub missed_components: Vec<String>,
    /// Components the candidate named.
    pub named_components: Vec<String>,
    pub reference_architecture: String,
    /// The concept this round drilled; absent without `--focus` and in
    /// debriefs from before it existed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub focus: Option<Focus>,
    /// A model's closing words, when a model is configured (never the score).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interviewer_summary: Option<String>,
}

/// Build the debrief for a finished (or stopped) round.
pub fn build(session: &Session, scorer: &Scorer, session_id: &str, now: Millis) -> Debrief {
    let problem = session.problem();
    let facts = session.facts();
    let scorecard = scorer.score_session(Some(problem), session.transcript(), &facts);
    let lower = session.transcript().to_ascii_lowercase();
    let named: Vec<String> = session
        .components()
        .iter()
        .map(|c| c.name.clone())
        .collect();
    let missed_components = problem
        .expected_components
        .iter()
        .filter(|e| {
            let el = e.to_ascii_lowercase();
            !named.iter().any(|n| n.eq_ignore_ascii_case(e)) && !lower.contains(&el)
        })
        .cloned()
        .collect();
    let phase_times = session
        .phase_times(now)
        .iter()
        .map(|(p, used)| PhaseTime {
            phase: *p,
            used_ms: *used,
            budget_ms: session.pace().budget_ms(*p),
        })
        .collect();
    let focus = session.focus().map(|id| {
        let score = scorecard.concepts.iter().find(|c| &c.id == id);
        Focus {
            concept: id.clone(),
            name: score.map_or_else(|| id.to_string(), |c| c.name.clone()),
            strength: score.map_or(0, |c| c.strength),
            quote: score
                .and_then(|c| c.evidence.first())
                .map(|e| e.quote.clone()),
        }
    });
    Debrief {
        session_id: session_id.to_string(),
        problem: problem.id.as_str().to_string(),
        problem_title: problem.title.clone(),
        level: scorecard.verdict.level,
        overall: scorecard.overall,
        facts,
        phase_times,
        failures: session.failure_results().to_vec(),
        missed_components,
        named_components: named,
        reference_architecture: problem.reference_architecture.clone(),
        focus,
        scorecard,
        interviewer_summary: None,
    }
}

fn quote(q: &str) -> String {
    let one_line = q.split_whitespace().collect::<Vec<_>>().join(" ");
    let short: String = one_line.chars().take(140).collect();
    if short.len() < one_line.len() {
        format!("“{short}…”")
    } else {
        format!("“{short}”")
    }
}

impl Debrief {
    /// The debrief as Markdown.
    pub fn to_markdown(&self) -> String {
        let mut md = String::new();
        md.push_str(&format!(
            "# Debrief: {} ({})\n\nSession `{}`\n\n## Verdict: {} ({}/100)\n\n",
            self.problem_title, self.problem, self.session_id, self.level, self.overall
        ));
        for r in &self.scorecard.verdict.reasons {
            md.push_str(&format!("- {r}\n"));
        }
        if let Some(s) = &self.interviewer_summary {
            md.push_str(&format!(
                "\n**The interviewer's closing words** (model-written; the verdict above is the rubric's):\n\n> {}\n",
                s.replace('\n', "\n> ")
            ));
        }
        if let Some(f) = &self.focus {
            md.push_str(&format!(
                "\n## Focus: {} (`{}`)\n\nYour strength on it: {}/4. {}\n",
                f.name,
                f.concept,
                f.strength,
                match &f.quote {
                    Some(q) => format!("You said {}", quote(q)),
                    None => "Nothing you said counted for it yet.".to_string(),
                }
            ));
        }
        md.push_str("\n## In your own words\n\n");
        let mut strong: Vec<_> = self
            .scorecard
            .concepts
            .iter()
            .filter(|c| c.strength >= 2 && !c.evidence.is_empty())
            .collect();
        strong.sort_by(|a, b| {
            b.strength
                .cmp(&a.strength)
                .then(b.weight.total_cmp(&a.weight))
        });
        if strong.is_empty() {
            md.push_str("Nothing you said reached the rubric's bar for a concept yet.\n");
        }
        for c in strong.iter().take(5) {
            md.push_str(&format!(
                "- **{}** ({}/4): you said {}\n",
                c.name,
                c.strength,
                quote(&c.evidence[0].quote)
            ));
        }
        md.push_str("\n## The three biggest improvements\n\n");
        for (i, imp) in self
            .scorecard
            .verdict
            .improvements
            .iter()
            .take(3)
            .enumerate()
        {
            md.push_str(&format!("{}. {imp}\n", i + 1));
        }
        md.push_str(
            "\n## The four steps\n\n| Step | Score | Time used | Budget |\n|---|---|---|---|\n",
        );
        for pt in &self.phase_times {
            let score = self
                .scorecard
                .steps
                .iter()
                .find(|s| s.phase == pt.phase)
                .map_or("-".to_string(), |s| s.score.to_string());
            md.push_str(&format!(
                "| {} | {} | {} | {} |\n",
                pt.phase.title(),
                score,
                format_mmss(pt.used_ms as i64),
                pt.budget_ms
                    .map_or("untimed".to_string(), |b| format_mmss(b as i64))
            ));
        }
        md.push_str("\n## Clarifying questions\n\n");
        if self.facts.jumped_to_design {
            md.push_str("- You started on components before asking about scale, freshness and consumer: the most common L5 rejection signal.\n");
        }
        let asked: Vec<&str> = self
            .facts
            .asked
            .iter()
            .map(|t| crate::interview::clarify::topic_name(*t))
            .collect();
        md.push_str(&format!(
            "- Asked about: {}\n",
            if asked.is_empty() {
                "nothing".to_string()
            } else {
                asked.join(", ")
            }
        ));
        md.push_str("\n## Failure modes\n\n");
        if self.failures.is_empty() {
            md.push_str("No failure mode was probed (the round ended first).\n");
        }
        for f in &self.failures {
            let mark = |b: bool| if b { "yes" } else { "**no**" };
            md.push_str(&format!(
                "- **{}**: detect {}, recover {}, prevent loss {} ({} follow-up{})\n",
                f.title,
                mark(f.detect),
                mark(f.recover),
                mark(f.prevent_loss),
                f.follow_ups,
                if f.follow_ups == 1 { "" } else { "s" }
            ));
        }
        if !self.facts.hints.is_empty() {
            let h: Vec<&str> = self.facts.hints.iter().map(|c| c.as_str()).collect();
            md.push_str(&format!(
                "\nHints taken (credit capped): {}\n",
                h.join(", ")
            ));
        }
        md.push_str("\n## Against the reference architecture\n\n");
        md.push_str(&format!(
            "- You named: {}\n",
            if self.named_components.is_empty() {
                "no products".to_string()
            } else {
                self.named_components.join(", ")
            }
        ));
        if !self.missed_components.is_empty() {
            md.push_str(&format!(
                "- The reference has, and you did not mention: {}\n",
                self.missed_components.join(", ")
            ));
        }
        md.push_str(&format!(
            "\n```text\n{}\n```\n",
            self.reference_architecture.trim_end()
        ));
        md
    }
}
