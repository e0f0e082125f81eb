//! The debrief: the scorer's scorecard and verdict, plus what the session
//! and its design model know (time per phase, clarifying questions, each
//! drill and how deep each part went, the curveballs and whether the design
//! adapted, questions left open, the design as drawn against the reference).
//! Rendered as Markdown for people and JSON for machines.

use crate::read::text::holds_words;
use serde::{Deserialize, Serialize};

use crate::design::Depth;
use crate::interview::clock::{format_mmss, Millis};
use crate::interview::curveballs::CurveballResult;
use crate::interview::drills::Outcome;
use crate::interview::session::{FailureResult, OpenGap, Session};
use crate::rubric::{ComponentKind, ConceptId, Level, Phase};
use crate::score::{Scorecard, Scorer, SessionFacts};

use super::design_summary::summarise;
pub use super::design_summary::DesignSummary;

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
    /// Each requirement change and whether the design adapted.
    #[serde(default)]
    pub curveballs: Vec<CurveballResult>,
    /// Questions pushed and still not answered when the round moved on.
    #[serde(default)]
    pub left_open: Vec<OpenGap>,
    /// The design as the model read it: boxes, annotated arrows, keys,
    /// guarantees with their mechanism, idempotent writes, choices.
    #[serde(default)]
    pub design: DesignSummary,
    /// What the problem's brief asks for that the design never covered.
    #[serde(default)]
    pub brief_missed: Vec<String>,
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

/// `s` cut to about `n` characters at a word, with an ellipsis.
pub(super) fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n {
        return s.to_string();
    }
    let cut: String = s.chars().take(n).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    format!("{cut}…")
}

/// Build the debrief for a finished (or stopped) round.
pub fn build(session: &Session, scorer: &Scorer, session_id: &str, now: Millis) -> Debrief {
    let problem = session.problem();
    let facts = session.facts();
    let design = session.design();
    let scorecard = scorer.score_session(Some(problem), design, &facts);
    // One name once: a vague box named in an answer ("DB", then "postgres
    // I guess") and the product said there are the same Postgres.
    let mut named: Vec<String> = Vec::new();
    for c in design.components.iter().filter(|c| !c.vague) {
        if !named.iter().any(|n| n.eq_ignore_ascii_case(c.label())) {
            named.push(c.label().to_string());
        }
    }
    let products: Vec<&str> = design
        .components
        .iter()
        .filter_map(|c| c.product.as_deref())
        .collect();
    // Products said that the model folded into another box ("S3 (Iceberg)":
    // "the Iceberg table" is the S3 box) were still named; one a box's
    // label or product already shows ("Kafka MSK", "Iceberg on S3") is not
    // listed twice.
    let an = design.analysis();
    for m in an.components.iter().filter(|m| !m.vague) {
        let shown = products.iter().any(|p| p.eq_ignore_ascii_case(&m.name))
            || named.iter().any(|n| holds_words(n, &m.name));
        if !shown {
            named.push(m.name.clone());
        }
    }
    // The reference's queue, stream processor, warehouse or store, when the
    // candidate built that part with another product (Kinesis for Kafka,
    // Redshift for Snowflake): their choice, not a part they left out. An
    // object store or a batch engine plays several roles and is still
    // listed.
    let catalogue = &scorer.rubric().components.component;
    let built_their_own = |e: &str| {
        catalogue
            .iter()
            .find(|s| s.name.eq_ignore_ascii_case(e))
            .is_some_and(|s| {
                !matches!(
                    s.kind,
                    ComponentKind::ObjectStore
                        | ComponentKind::BatchProcessor
                        | ComponentKind::Other
                ) && design
                    .components
                    .iter()
                    .any(|c| !c.vague && c.gone.is_none() && c.kind == s.kind)
            })
    };
    let missed_components = problem
        .expected_components
        .iter()
        .filter(|e| {
            !built_their_own(e)
                && !products.iter().any(|p| p.eq_ignore_ascii_case(e))
                && !named.iter().any(|n| n.eq_ignore_ascii_case(e))
                && !an
                    .components
                    .iter()
                    .any(|m| !m.vague && m.name.eq_ignore_ascii_case(e))
                // A format or a table format said in prose ("Parquet files")
                // is mentioned, though it is no box.
                && !holds_words(design.text(), e)
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
        curveballs: session.curveball_results().to_vec(),
        left_open: session.gaps_left().to_vec(),
        design: summarise(session),
        brief_missed: session.brief_missed(),
        missed_components,
        named_components: named,
        reference_architecture: problem.reference_architecture.clone(),
        focus,
        scorecard,
        interviewer_summary: None,
    }
}

/// What an open question asked for, in words.
fn open_question(intent: &str) -> &'static str {
    match intent {
        "ask_diagram" | "ask_diagram_empty" => "draw the architecture as boxes and arrows",
        "vague_box" => "name the product in that box",
        i if i.starts_with("annotate_edge") => "say what flows on that arrow and how much",
        "too_few_boxes" => "add where data lands, what transforms it and what serves it",
        "no_data_arrows" => "draw the path the data takes, with what flows on each arrow",
        "ask_key" => "the partition key and why",
        "ask_guarantee" | "ask_guarantee_mechanism" => "the delivery guarantee and what gives it",
        "ask_idempotent_write" | "ask_idempotent_write_plain" | "ask_idempotent_write_claimed" => {
            "whether a retried write is safe (idempotent), and how"
        }
        _ => "a concrete answer",
    }
}

fn quote(q: &str) -> String {
    let one_line = crate::read::text::quote_words(q)
        .collect::<Vec<_>>()
        .join(" ");
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
            .map(|t| crate::design::questions::topic_name(*t))
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
            if !self.design.volunteered_failures.is_empty() {
                md.push_str("\nWhat you volunteered about failures before the drills:\n\n");
                for l in &self.design.volunteered_failures {
                    md.push_str(&format!("- {l}\n"));
                }
            }
        }
        for f in &self.failures {
            let part = |d: Depth| match d {
                Depth::None => "**no**",
                Depth::Named => "**named only**",
                Depth::Covered => "yes",
                Depth::Deep => "yes, in depth",
            };
            let ended = match f.outcome {
                Outcome::Complete => "",
                Outcome::BudgetSpent => "; left after the follow-ups ran out",
                Outcome::Skipped => "; skipped at your request",
                Outcome::Stopped => "; the round ended first",
            };
            md.push_str(&format!(
                "- **{}**{}: detect {}, recover {}, prevent loss {} ({} follow-up{}{})\n",
                f.title,
                if f.escalated {
                    " (you had covered the basic case, so you got the harder one)"
                } else {
                    ""
                },
                part(f.depth[0]),
                part(f.depth[1]),
                part(f.depth[2]),
                f.follow_ups,
                if f.follow_ups == 1 { "" } else { "s" },
                ended
            ));
        }
        if !self.curveballs.is_empty() {
            md.push_str("\n## Requirement changes\n\n");
            for c in &self.curveballs {
                let verdict = match c.adapted {
                    Some(true) => "adapted the design: **yes**",
                    Some(false) => "adapted the design: **no**",
                    None => "not answered",
                };
                md.push_str(&format!("- **{}** ({}): {verdict}", c.title, c.kind.id()));
                if let Some(q) = &c.quote {
                    md.push_str(&format!(" — you said {}", quote(q)));
                }
                md.push_str(&format!("\n  - What an L5 answer changes: {}\n", c.expect));
            }
        }
        if !self.left_open.is_empty() {
            md.push_str("\n## Questions left open\n\n");
            for g in &self.left_open {
                let what = match &g.detail {
                    Some(d) => format!("the numbers do not add up: {d}"),
                    None => open_question(&g.intent).to_string(),
                };
                md.push_str(&format!(
                    "- {} ({}): {what}\n",
                    g.target.as_deref().unwrap_or("the design"),
                    g.phase.title(),
                ));
            }
        }
        if !self.facts.hints.is_empty() {
            let h: Vec<&str> = self.facts.hints.iter().map(|c| c.as_str()).collect();
            md.push_str(&format!(
                "\nHints taken (credit capped): {}\n",
                h.join(", ")
            ));
        }
        md.push_str("\n## Your design as read\n\n");
        let ds = &self.design;
        md.push_str(&format!("- {}\n", ds.arrows_line()));
        md.push_str(&format!(
            "- Partition keys: {}\n",
            if ds.keys.is_empty() {
                "none stated".to_string()
            } else {
                ds.keys.join(", ")
            }
        ));
        md.push_str(&format!(
            "- Delivery guarantees: {}\n",
            if ds.guarantees.is_empty() {
                "none stated".to_string()
            } else {
                ds.guarantees.join("; ")
            }
        ));
        if !ds.idempotent_writes.is_empty() {
            md.push_str(&format!(
                "- Idempotent writes: {}\n",
                ds.idempotent_writes.join("; ")
            ));
        }
        if !ds.unsafe_writes.is_empty() {
            md.push_str(&format!(
                "- Writes with no idempotency said: {}\n",
                ds.unsafe_writes.join(", ")
            ));
        }
        md.push_str(&format!(
            "- Choices with a reason: {}; trade-offs named: {}\n",
            ds.choices_with_reasons, ds.tradeoffs
        ));
        md.push_str("\n## Against the reference architecture\n\n");
        if !self.brief_missed.is_empty() {
            md.push_str(&format!(
                "- The brief asked for, and your design never covered: {}\n",
                self.brief_missed.join("; ")
            ));
        }
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
        md.push('\n');
        md.push_str(&reference_markdown(&self.reference_architecture));
        md
    }
}

/// The reference architecture as Markdown: its diagrams, lists and
/// indented lines in `text` blocks, as drawn; its prose paragraphs as
/// paragraphs, their lines joined, so a screen of any width wraps them
/// once (a hard-wrapped line in a code block wraps twice, ragged).
fn reference_markdown(reference: &str) -> String {
    let is_prose = |para: &str| {
        let first = para.lines().next().unwrap_or("").trim_end();
        !first.ends_with(':')
            && para.lines().all(|l| {
                let t = l.trim_start();
                l.len() == t.len()
                    && !["->", "→", "=>", "--"].iter().any(|a| l.contains(a))
                    && !t.starts_with(['-', '*', '•', '|'])
                    && !t.split_once(". ").is_some_and(|(n, _)| {
                        !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit())
                    })
            })
    };
    let mut out = String::new();
    let mut code: Vec<&str> = Vec::new();
    let flush = |code: &mut Vec<&str>, out: &mut String| {
        if !code.is_empty() {
            out.push_str(&format!("```text\n{}\n```\n\n", code.join("\n\n")));
            code.clear();
        }
    };
    for para in reference
        .trim_end()
        .split("\n\n")
        .filter(|p| !p.trim().is_empty())
    {
        if is_prose(para) {
            flush(&mut code, &mut out);
            let joined: Vec<&str> = para.lines().map(str::trim).collect();
            out.push_str(&joined.join(" "));
            out.push_str("\n\n");
        } else {
            code.push(para.trim_end_matches('\n'));
        }
    }
    flush(&mut code, &mut out);
    let trimmed = out.trim_end().len();
    out.truncate(trimmed);
    out.push('\n');
    out
}

#[cfg(test)]
mod reference_tests {
    use super::reference_markdown;

    #[test]
    fn diagrams_stay_drawn_and_prose_is_one_paragraph_a_screen_wraps() {
        let reference = "producer -> Kafka (200K events/sec)\n   -> Flink (stateful)\n\n\
                         Producers send events to Kafka with a partition key of user_id. A Flink\n\
                         job reads and dedupes by event_id.\n\n\
                         Failure modes covered:\n1. Flink crash: checkpoint recovery.\n";
        let md = reference_markdown(reference);
        assert!(
            md.starts_with(
                "```text\nproducer -> Kafka (200K events/sec)\n   -> Flink (stateful)\n```"
            ),
            "{md}"
        );
        assert!(
            md.contains("\n\nProducers send events to Kafka with a partition key of user_id. A Flink job reads and dedupes by event_id.\n\n"),
            "{md}"
        );
        assert!(
            md.ends_with(
                "```text\nFailure modes covered:\n1. Flink crash: checkpoint recovery.\n```\n"
            ),
            "{md}"
        );
    }
}
