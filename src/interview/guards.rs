//! Failures that put no data at risk: a query that takes the tier down, a
//! bill that runs away, a label that explodes the series count. What keeps
//! them from happening again is a guardrail (a per-query limit, a quota, a
//! separate pool), not an idempotent write, so the drill asks for one and
//! hears one when it is said. Failures that put bad data in front of its
//! readers (a check runner that stops, a truncated file) are kept out by a
//! gate before publishing, which the drill asks for and hears the same way.

use crate::read::Evidence;
use crate::rubric::Problem;

/// Words that say data could be lost or written twice: a failure whose
/// prevention (as the problem states it) says none of them puts no data at
/// risk.
const LOSS_WORDS: &[&str] = &[
    // What a record itself meets: RECORD_WORDS, the first 20.
    "lost",
    "loss",
    "lose",
    "losing",
    "duplicate",
    "duplicates",
    "double",
    "twice",
    "idempotent",
    "exactly-once",
    "dedup",
    "dedupe",
    "upsert",
    "merge",
    "acks",
    "replay",
    "replays",
    "checkpoint",
    "checkpoints",
    "offsets",
    // What keeps records whole on the way.
    "deduplication",
    "overwrite",
    "overwrites",
    "replication",
    "replicated",
    "backfill",
    "reprocess",
    "recompute",
    "recomputed",
    "immutable",
    "atomic",
    "atomically",
    "watermark",
    "watermarks",
    "event-time",
    "publish",
    "published",
    "tombstone",
    "savepoints",
];

/// Words a guardrail is said with.
const GUARD_WORDS: &[&str] = &[
    "limit",
    "limits",
    "quota",
    "quotas",
    "cap",
    "caps",
    "capped",
    "budget",
    "budgets",
    "guardrail",
    "guardrails",
    "maximum",
    "max",
    "throttle",
    "throttled",
    "throttles",
    "admission",
    "lint",
    "approval",
    "kill switch",
    "circuit breaker",
    "timeout",
    "timeouts",
    "reservation",
    "reservations",
    "auto-suspend",
];

/// True when the planned failure `id` (of `problem`, or of the catalogue
/// with `class`) puts no data at risk: a runaway bill, or a failure whose
/// stated prevention is a guardrail ("per-query limits, separate read
/// pools") and speaks of no loss, duplicate or correct publishing.
pub(crate) fn no_data_at_risk(problem: &Problem, id: &str, class: Option<&str>) -> bool {
    if class == Some("cost") {
        return true;
    }
    prevention_says(problem, id, GUARD_WORDS, LOSS_WORDS)
}

/// True when the prevention problem `problem` states for its failure `id`
/// says any of `words` and none of `not`.
fn prevention_says(problem: &Problem, id: &str, words: &[&str], not: &[&str]) -> bool {
    let holds = |t: &str, ws: &[&str]| ws.iter().any(|w| crate::read::text::holds_words(t, w));
    problem
        .failure_modes
        .iter()
        .find(|f| f.id.as_str() == id)
        .is_some_and(|f| {
            let p = f.prevent.to_ascii_lowercase();
            holds(&p, words) && !holds(&p, not)
        })
}

/// Words that say bad data is kept from readers: a gate before publishing.
const GATE_WORDS: &[&str] = &[
    "publish",
    "published",
    "publishing",
    "gate",
    "gates",
    "gated",
    "fail closed",
    "fails closed",
    "quarantine",
    "quarantined",
    "write-audit-publish",
];

/// Words that say a record itself could be lost or counted twice: the
/// first of [`LOSS_WORDS`].
const RECORD_WORDS: &[&str] = LOSS_WORDS.split_at(20).0;

/// True when the planned failure `id` of `problem` is kept from harming
/// anyone by a gate before publishing ("fail closed: no result means not
/// published", "never publish a day whose control totals fail"), and its
/// stated prevention speaks of no record lost or counted twice.
pub(crate) fn gated(problem: &Problem, id: &str) -> bool {
    prevention_says(problem, id, GATE_WORDS, RECORD_WORDS)
}

/// The first sentence of `text` that says how bad or unchecked data is
/// held back from readers: a gate word with the condition it holds on
/// ("not published until its checks pass", "fails closed when no result
/// arrives"). `off`: where `text` starts in the design's text.
pub(crate) fn gate_said(text: &str, off: usize) -> Option<Evidence> {
    const HOLDS: &[&str] = &[
        "until",
        "only after",
        "unless",
        "before",
        "not published",
        "never published",
        "fail closed",
        "fails closed",
        "no result",
        "held back",
        "holds back",
        "blocks",
        "blocked",
    ];
    const GATES: &[&str] = &[
        "publish",
        "published",
        "publishes",
        "publishing",
        "gate",
        "gates",
        "gated",
        "fail closed",
        "fails closed",
        "quarantine",
        "quarantined",
        "quarantines",
        "swap",
        "swaps",
        "promote",
        "promoted",
        "blocks",
        "blocked",
        "visible",
        "readers",
        "consumers",
    ];
    first_sentence(text, off, |lower| {
        let has = |ws: &[&str]| ws.iter().any(|w| crate::read::text::holds_words(lower, w));
        has(GATES) && has(HOLDS)
    })
}

/// The first sentence of `text` whose lower-cased words `says`, as
/// evidence (`off`: where `text` starts in the design's text).
fn first_sentence(text: &str, off: usize, says: impl Fn(&str) -> bool) -> Option<Evidence> {
    crate::read::sentences::split_sentences(text)
        .into_iter()
        .find_map(|s| {
            let piece = text.get(s.start..s.end)?;
            says(&piece.to_ascii_lowercase()).then(|| {
                let lead = piece.len() - piece.trim_start().len();
                let quote = piece.trim();
                Evidence {
                    start: off + s.start + lead,
                    end: off + s.start + lead + quote.len(),
                    quote: quote.to_string(),
                }
            })
        })
}

impl crate::interview::session::Session {
    /// True when the current drill asks what holds bad data back from its
    /// readers rather than what stops a record being lost or counted twice
    /// ([`gated`]), and its kind has no prevent question of its own.
    pub(crate) fn asks_gate(&self) -> bool {
        let Some(f) = self.plan.get(self.current) else {
            return false;
        };
        let own_question = f
            .class
            .as_deref()
            .is_some_and(|c| self.templates.has(&format!("drill_prevent_{c}")));
        !own_question && !self.asks_guardrail() && gated(&self.problem, &f.id)
    }

    /// True when the current drill asks for a guardrail rather than for
    /// what stops a record being lost or counted twice: its failure puts no
    /// data at risk, and its kind has no prevent question of its own (a hot
    /// key's merged partials must not double-count; a runaway bill's own
    /// question asks for a cap).
    pub(crate) fn asks_guardrail(&self) -> bool {
        let Some(f) = self.plan.get(self.current) else {
            return false;
        };
        let class = f.class.as_deref();
        let own_question =
            class.is_some_and(|c| c != "cost" && self.templates.has(&format!("drill_prevent_{c}")));
        !own_question && no_data_at_risk(&self.problem, &f.id, class)
    }
}

/// The first sentence of `text` that states a guardrail concretely: a
/// guard word with a figure, a scope ("per query", "per-team") or where it
/// is enforced. `off`: where `text` starts in the design's text.
pub(crate) fn guard_said(text: &str, off: usize) -> Option<Evidence> {
    first_sentence(text, off, |lower| {
        let guard = GUARD_WORDS
            .iter()
            .chain(&[
                "reject",
                "rejects",
                "rejected",
                "separate",
                "dedicated",
                "isolated",
            ])
            .any(|w| crate::read::text::holds_words(lower, w));
        let concrete = lower.bytes().any(|b| b.is_ascii_digit())
            || lower.contains(" per ")
            || lower.contains("per-")
            || lower.contains("enforced")
            || lower.contains(" at the ");
        guard && concrete
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failure_whose_prevention_speaks_of_no_loss_puts_no_data_at_risk() {
        let rubric = crate::rubric::Rubric::builtin().expect("rubric");
        let p = rubric.problem("metrics-pipeline").expect("problem");
        assert!(no_data_at_risk(p, "expensive-query", None));
        assert!(!no_data_at_risk(p, "storage-node-lost", None));
        assert!(!no_data_at_risk(p, "late-samples-rollup", None));
        // A failure with no guardrail in its prevention is still about data.
        let p = rubric.problem("financial-reconciliation").expect("problem");
        assert!(!no_data_at_risk(p, "truncated-file", None));
        // A runaway bill, from the catalogue too.
        assert!(no_data_at_risk(p, "not-in-the-problem", Some("cost")));
        assert!(!no_data_at_risk(
            p,
            "not-in-the-problem",
            Some("node-crash")
        ));
    }

    #[test]
    fn a_failure_kept_from_readers_by_a_gate_is_gated() {
        let rubric = crate::rubric::Rubric::builtin().expect("rubric");
        let p = rubric.problem("data-quality-platform").expect("problem");
        assert!(gated(p, "checks-stop-running"));
        let p = rubric.problem("financial-reconciliation").expect("problem");
        assert!(gated(p, "truncated-file"));
        // A failure whose prevention is about the records themselves.
        let p = rubric.problem("metrics-pipeline").expect("problem");
        assert!(!gated(p, "storage-node-lost"));
        let p = rubric.problem("warehouse-cost-control").expect("problem");
        assert!(!gated(p, "attribution-double-count"));
    }

    #[test]
    fn a_gate_is_heard_when_said_with_what_it_holds_on() {
        let t = "We'd see it from the heartbeat. Tier 1 tables fail closed: a load is not published until a passing result exists.";
        let e = gate_said(t, 5).expect("gate");
        assert!(e.quote.starts_with("Tier 1 tables fail closed"), "{e:?}");
        assert_eq!(e.start, 5 + t.find("Tier 1").expect("in text"));
        // A gate named with nothing it holds on is not yet one.
        assert!(gate_said("We have quality gates.", 0).is_none());
    }

    #[test]
    fn a_guardrail_is_heard_when_said_with_a_figure_or_a_scope() {
        let t = "Long-range queries go to Trino. vmselect has per-query limits on series touched (1M), so that query gets rejected.";
        let e = guard_said(t, 10).expect("guard");
        assert!(e.quote.starts_with("vmselect has per-query limits"));
        assert_eq!(e.start, 10 + t.find("vmselect").expect("in text"));
        // Named with nothing concrete, it is not yet a guardrail.
        assert!(guard_said("We'd put some limits in.", 0).is_none());
    }
}
