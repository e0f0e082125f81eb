//! A move: what the interviewer does next, decided by code from the gaps
//! in the design model. It names its intent, its target in the candidate's
//! design (a component, a hop, a failure), the candidate's own words it
//! concerns, and the facts a question about it may use. The offline
//! interviewer says the move's template; a model, when configured, writes
//! the question around the candidate's words and is checked against it.

use serde::{Deserialize, Serialize};

/// One thing the interviewer can do next.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Move {
    /// The template intent, e.g. `ask_guarantee`, `challenge_hot_key`.
    pub intent: String,
    /// What it is about, as the candidate named it: "Kafka", "Flink → S3".
    pub target: Option<String>,
    /// The candidate's own words it concerns, verbatim.
    pub quote: Option<String>,
    /// Names and numbers a question about it may use (the candidate's, or
    /// facts already given), so a model adds nothing unasked.
    pub facts: Vec<String>,
    /// Template placeholders.
    pub vars: Vec<(String, String)>,
}

impl Move {
    /// A move with an intent and nothing else yet.
    pub fn new(intent: &str) -> Move {
        Move {
            intent: intent.to_string(),
            target: None,
            quote: None,
            facts: Vec::new(),
            vars: Vec::new(),
        }
    }

    /// About this target (also the `{target}` placeholder).
    pub fn target(mut self, t: impl Into<String>) -> Move {
        let t = t.into();
        self.vars.push(("target".into(), t.clone()));
        self.facts.push(t.clone());
        self.target = Some(t);
        self
    }

    /// Concerning these words of the candidate's.
    pub fn quote(mut self, q: impl Into<String>) -> Move {
        let q: String = q.into();
        let one_line = q.split_whitespace().collect::<Vec<_>>().join(" ");
        self.quote = Some(one_line);
        self
    }

    /// A placeholder value that is also a fact the question may use.
    pub fn var(mut self, k: &str, v: impl Into<String>) -> Move {
        let v = v.into();
        if !v.is_empty() && !self.facts.contains(&v) {
            self.facts.push(v.clone());
        }
        self.vars.push((k.to_string(), v));
        self
    }

    /// A placeholder that is wording, not a fact ("the architecture").
    pub fn word(mut self, k: &str, v: impl Into<String>) -> Move {
        self.vars.push((k.to_string(), v.into()));
        self
    }

    /// The key identifying "the same question": intent family and target.
    pub fn key(&self) -> String {
        format!(
            "{}|{}",
            family(&self.intent),
            self.target.as_deref().unwrap_or("")
        )
    }

    /// Placeholder pairs as the template filler wants them.
    pub fn pairs(&self) -> Vec<(&str, &str)> {
        self.vars
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect()
    }
}

/// Questions of one family ask for the same thing however worded: a push
/// on detection is the same question as the first detection probe.
pub fn family(intent: &str) -> &str {
    let i = intent
        .strip_prefix("push_")
        .or_else(|| intent.strip_prefix("drill_"))
        .unwrap_or(intent);
    match i {
        "annotate_edge_rate"
        | "annotate_edge_rate_plain"
        | "annotate_edge_payload"
        | "annotate_edge" => "annotate_edge",
        other => [
            "_mechanism",
            "_plain",
            "_tight",
            "_batch",
            "_watermark",
            "_daily",
            "_claimed",
            "_drawn",
            "_lookup",
            "_prevented",
            "_entities",
            "_unknown",
        ]
        .iter()
        .find_map(|s| other.strip_suffix(s))
        .unwrap_or(other),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_push_and_its_probe_are_the_same_question() {
        let a = Move::new("drill_detect").target("kafka-broker-dies");
        let b = Move::new("push_detect").target("kafka-broker-dies");
        assert_eq!(a.key(), b.key());
        let c = Move::new("drill_recover").target("kafka-broker-dies");
        assert_ne!(a.key(), c.key());
    }

    #[test]
    fn facts_collect_targets_and_vars_but_not_wording() {
        let m = Move::new("challenge_partition_capacity")
            .target("Kafka")
            .var("rate", "200 MB/s")
            .word("phase", "the architecture");
        assert_eq!(m.facts, vec!["Kafka".to_string(), "200 MB/s".to_string()]);
        assert_eq!(m.pairs().len(), 3);
    }
}
