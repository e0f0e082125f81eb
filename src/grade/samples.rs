//! Judge variance: with `grade --samples N` the judge is asked N times, the
//! criteria in a different order each time (a model's score for a criterion
//! can depend on where it sits in a long list). Each criterion's scores,
//! their median and spread are recorded; a criterion whose samples are two
//! or more points apart is flagged unstable, so a coach knows which scores
//! not to lean on. The grade itself uses, per criterion, the sample whose
//! score is the median (the lower one of an even count), with its quotes.

use std::collections::BTreeMap;

use rand::seq::SliceRandom;
use rand::SeedableRng;
use serde::{Deserialize, Serialize};

use crate::score::judge::{Criterion, JudgeItem, JudgeReply};

/// Samples this many points apart (or more) on one criterion are unstable.
pub const UNSTABLE_SPREAD: u8 = 2;

/// The most samples a run may ask for: each is a full judge request.
pub const MAX_SAMPLES: u32 = 9;

/// One criterion across the samples.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CriterionSpread {
    pub id: String,
    /// Its score in each sample that scored it, in sample order.
    pub scores: Vec<u8>,
    pub median: u8,
    /// Highest minus lowest.
    pub spread: u8,
    pub unstable: bool,
}

/// What the samples of one answer said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JudgeSamples {
    /// Samples asked for (`--samples`).
    pub requested: u32,
    /// Samples that came back schema-valid and were used.
    pub used: u32,
    /// Why the others were not used, one line each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub failed: Vec<String>,
    pub criteria: Vec<CriterionSpread>,
    /// Ids of the unstable criteria, for a quick look.
    pub unstable: Vec<String>,
}

/// The criteria in a shuffled order, the same for the same seed.
pub fn shuffled(criteria: &[Criterion], seed: u64) -> Vec<Criterion> {
    let mut v = criteria.to_vec();
    let mut rng = rand::rngs::StdRng::seed_from_u64(seed);
    v.shuffle(&mut rng);
    v
}

/// A seed for sample `k` of an answer: stable across runs, different per
/// answer and per sample.
pub fn seed_for(answer_id: &str, k: u32) -> u64 {
    // FNV-1a: tiny, stable across Rust versions (unlike `DefaultHasher`).
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in answer_id.bytes().chain(k.to_le_bytes()) {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The median reply of the samples and the spread of every criterion.
/// `replies` must not be empty.
pub fn combine(
    replies: &[JudgeReply],
    requested: u32,
    failed: Vec<String>,
) -> (JudgeReply, JudgeSamples) {
    let mut by_id: BTreeMap<&str, Vec<&JudgeItem>> = BTreeMap::new();
    for r in replies {
        for (id, item) in &r.items {
            by_id.entry(id.as_str()).or_default().push(item);
        }
    }
    let mut items = BTreeMap::new();
    let mut criteria = Vec::new();
    for (id, got) in by_id {
        let scores: Vec<u8> = got.iter().map(|i| i.score).collect();
        let mut order: Vec<&JudgeItem> = got.clone();
        order.sort_by_key(|i| i.score);
        let mid = order[(order.len() - 1) / 2];
        let (lo, hi) = (
            scores.iter().copied().min().unwrap_or(0),
            scores.iter().copied().max().unwrap_or(0),
        );
        let spread = hi - lo;
        items.insert(id.to_string(), mid.clone());
        criteria.push(CriterionSpread {
            id: id.to_string(),
            scores,
            median: mid.score,
            spread,
            unstable: spread >= UNSTABLE_SPREAD,
        });
    }
    let unstable = criteria
        .iter()
        .filter(|c| c.unstable)
        .map(|c| c.id.clone())
        .collect();
    (
        JudgeReply { items },
        JudgeSamples {
            requested,
            used: replies.len() as u32,
            failed,
            criteria,
            unstable,
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reply(scores: &[(&str, u8, &str)]) -> JudgeReply {
        JudgeReply {
            items: scores
                .iter()
                .map(|(id, s, q)| {
                    (
                        id.to_string(),
                        JudgeItem {
                            id: id.to_string(),
                            score: *s,
                            quotes: vec![q.to_string()],
                            rationale: String::new(),
                        },
                    )
                })
                .collect(),
        }
    }

    #[test]
    fn median_sample_is_used_with_its_own_quote_and_spread_two_is_unstable() {
        let rs = [
            reply(&[("idempotency", 1, "a"), ("backfill", 3, "x")]),
            reply(&[("idempotency", 3, "b"), ("backfill", 3, "y")]),
            reply(&[("idempotency", 2, "c"), ("backfill", 4, "z")]),
        ];
        let (r, s) = combine(&rs, 3, vec![]);
        assert_eq!(r.items["idempotency"].score, 2);
        assert_eq!(r.items["idempotency"].quotes, vec!["c".to_string()]);
        assert_eq!(r.items["backfill"].score, 3);
        assert_eq!(s.used, 3);
        assert_eq!(s.unstable, vec!["idempotency".to_string()]);
        let b = s
            .criteria
            .iter()
            .find(|c| c.id == "backfill")
            .expect("backfill");
        assert_eq!(
            (b.spread, b.unstable, b.scores.clone()),
            (1, false, vec![3, 3, 4])
        );
    }

    #[test]
    fn even_sample_count_takes_the_lower_median() {
        let rs = [reply(&[("cost", 0, "a")]), reply(&[("cost", 4, "b")])];
        let (r, s) = combine(&rs, 2, vec![]);
        assert_eq!(r.items["cost"].score, 0);
        assert_eq!(s.criteria[0].spread, 4);
        assert!(s.criteria[0].unstable);
    }

    #[test]
    fn shuffle_is_stable_per_seed_and_differs_between_samples() {
        let cs: Vec<Criterion> = (0..12)
            .map(|i| Criterion {
                kind: crate::score::judge::CriterionKind::Concept,
                id: format!("c{i}"),
                name: format!("criterion {i}"),
                guide: String::new(),
            })
            .collect();
        let a = shuffled(&cs, seed_for("answer-1", 1));
        let b = shuffled(&cs, seed_for("answer-1", 1));
        let c = shuffled(&cs, seed_for("answer-1", 2));
        let ids = |v: &[Criterion]| v.iter().map(|c| c.id.clone()).collect::<Vec<_>>();
        assert_eq!(ids(&a), ids(&b));
        assert_ne!(ids(&a), ids(&c));
        let mut sorted = ids(&a);
        sorted.sort();
        let mut orig = ids(&cs);
        orig.sort();
        assert_eq!(sorted, orig);
    }
}
