//! Batch statistics gathered one row at a time, in memory that does not
//! grow with the batch: counts and sums per level and criterion, the best
//! answer for the radar chart, and the first few errors and disagreements.

use std::collections::BTreeMap;

use serde::Serialize;

use crate::grade::pipeline::RowSink;
use crate::grade::rows::{JudgeStatus, ResultRow, RowStatus};
use crate::rubric::Level;
use crate::score::combine::CriterionResult;

/// How many example errors and disagreements a report lists.
pub const MAX_LISTED: usize = 50;

/// One criterion across the batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct CriterionStats {
    pub id: String,
    pub name: String,
    /// Graded answers that had this criterion.
    pub answers: u64,
    /// Answers where the final strength was 2 (weak) or more.
    pub covered: u64,
    pub final_sum: u64,
    pub evidence_sum: u64,
    /// Answers the judge scored this criterion on, and its credit sum.
    pub judged: u64,
    pub judge_sum: u64,
    pub disagreements: u64,
}

impl CriterionStats {
    /// Share of answers that covered it (0.0–1.0).
    pub fn coverage(&self) -> f64 {
        ratio(self.covered, self.answers)
    }
    /// Mean final strength (0–4).
    pub fn mean_final(&self) -> f64 {
        ratio(self.final_sum, self.answers)
    }
    /// Mean rubric-scorer strength (0–4).
    pub fn mean_evidence(&self) -> f64 {
        ratio(self.evidence_sum, self.answers)
    }
    /// Mean judge credit (0–4), if the judge ran.
    pub fn mean_judge(&self) -> Option<f64> {
        (self.judged > 0).then(|| ratio(self.judge_sum, self.judged))
    }
}

fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 {
        0.0
    } else {
        a as f64 / b as f64
    }
}

/// A listed disagreement between judge and evidence.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Disagreement {
    pub id: String,
    pub criterion: String,
    pub evidence: u8,
    pub judge: u8,
}

/// The answer drawn as a radar chart.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RadarAnswer {
    pub id: String,
    pub overall: u8,
    /// (concept id — short enough to label an axis, final strength 0–4).
    pub axes: Vec<(String, u8)>,
}

/// Everything the Markdown, HTML and `--json` summaries show.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct Summary {
    pub rows: u64,
    pub graded: u64,
    pub errors: u64,
    pub judge: BTreeMap<String, u64>,
    pub levels: BTreeMap<Level, u64>,
    /// Overall scores in ten buckets: 0–9, 10–19, ... 90–100.
    pub overall_buckets: [u64; 10],
    pub overall_sum: u64,
    /// Graded answers that named no problem (graded against the generic
    /// rubric).
    pub problem_missing: u64,
    pub concepts: Vec<CriterionStats>,
    pub signals: Vec<CriterionStats>,
    pub prompt_tokens: u64,
    pub completion_tokens: u64,
    pub latency_ms_sum: u64,
    pub latency_ms_max: u64,
    pub radar: Option<RadarAnswer>,
    pub listed_errors: Vec<(String, String)>,
    pub listed_disagreements: Vec<Disagreement>,
    /// Answers graded with judge samples (`--samples`).
    pub sampled: u64,
    /// For each criterion, how many sampled answers had it unstable (its
    /// samples two or more points apart).
    pub unstable: BTreeMap<String, u64>,
}

impl Summary {
    /// Fold one row in.
    pub fn add(&mut self, row: &ResultRow) {
        self.rows += 1;
        let status = match row.judge_status {
            JudgeStatus::Ok => "ok",
            JudgeStatus::Repaired => "repaired",
            JudgeStatus::Failed => "failed",
            JudgeStatus::None => "none",
        };
        *self.judge.entry(status.to_string()).or_default() += 1;
        if let Some(sm) = &row.judge_samples {
            self.sampled += 1;
            for id in &sm.unstable {
                *self.unstable.entry(id.clone()).or_default() += 1;
            }
        }
        if let Some(e) = &row.error {
            if self.listed_errors.len() < MAX_LISTED {
                self.listed_errors.push((row.id.clone(), e.clone()));
            }
        }
        if row.status == RowStatus::Error {
            self.errors += 1;
            return;
        }
        self.graded += 1;
        if row.problem_missing {
            self.problem_missing += 1;
        }
        if let Some(l) = row.level {
            *self.levels.entry(l).or_default() += 1;
        }
        if let Some(o) = row.overall {
            self.overall_buckets[usize::from(o / 10).min(9)] += 1;
            self.overall_sum += u64::from(o);
            let better = self.radar.as_ref().is_none_or(|r| o > r.overall);
            if better {
                self.radar = Some(RadarAnswer {
                    id: row.id.clone(),
                    overall: o,
                    axes: row
                        .concepts
                        .iter()
                        .map(|c| (c.id.clone(), c.final_score))
                        .collect(),
                });
            }
        }
        self.prompt_tokens += row.tokens.prompt;
        self.completion_tokens += row.tokens.completion;
        self.latency_ms_sum += row.latency_ms;
        self.latency_ms_max = self.latency_ms_max.max(row.latency_ms);
        fold(&mut self.concepts, &row.concepts);
        fold(&mut self.signals, &row.signals);
        for c in row.concepts.iter().chain(&row.signals) {
            if let (true, Some(j)) = (c.disagree, c.judge) {
                if self.listed_disagreements.len() < MAX_LISTED {
                    self.listed_disagreements.push(Disagreement {
                        id: row.id.clone(),
                        criterion: c.id.clone(),
                        evidence: c.evidence,
                        judge: j,
                    });
                }
            }
        }
    }

    /// Mean overall of graded answers.
    pub fn mean_overall(&self) -> f64 {
        ratio(self.overall_sum, self.graded)
    }
}

fn fold(stats: &mut Vec<CriterionStats>, items: &[CriterionResult]) {
    for c in items {
        let pos = match stats.iter().position(|s| s.id == c.id) {
            Some(p) => p,
            None => {
                stats.push(CriterionStats {
                    id: c.id.clone(),
                    name: c.name.clone(),
                    ..CriterionStats::default()
                });
                stats.len() - 1
            }
        };
        let s = &mut stats[pos];
        s.answers += 1;
        s.final_sum += u64::from(c.final_score);
        s.evidence_sum += u64::from(c.evidence);
        if c.final_score >= 2 {
            s.covered += 1;
        }
        if let Some(j) = c.judge {
            s.judged += 1;
            s.judge_sum += u64::from(j);
        }
        if c.disagree {
            s.disagreements += 1;
        }
    }
}

impl RowSink for Summary {
    fn row(&mut self, row: &ResultRow) -> Result<(), String> {
        self.add(row);
        Ok(())
    }
}
