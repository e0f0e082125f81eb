//! Answers to another question than the one on the table: a reason given
//! for another product than the one asked about, a write made safe on
//! another hop than the one asked about. A real interviewer hears the
//! difference and asks again.

use crate::design::TurnReading;
use crate::interview::moves::Move;
use crate::interview::session::{Check, Session};
use crate::rubric::ComponentKind;

impl Session {
    /// "ClickHouse over Elasticsearch because …" or "Flink because Spark's
    /// micro-batches would eat the budget" to "why Kafka rather than
    /// Kinesis?": the answer gives its reason for another product, and names
    /// neither the one asked about nor its alternative outside that choice
    /// ("Debezium over a JDBC pull, because it reads the WAL into Kafka"
    /// still answers another question). Inside: the other product, when
    /// the answer gave a reason for it.
    pub(crate) fn another_choice(&self, mv: &Move) -> Option<Option<String>> {
        if crate::interview::moves::family(&mv.intent) != "challenge_why" {
            return None;
        }
        let asked: Vec<String> = mv
            .vars
            .iter()
            .filter(|(k, _)| k == "component" || k == "alternative")
            .map(|(_, v)| v.as_str())
            .chain(mv.target.as_deref())
            .filter(|v| v.len() >= 2)
            .map(str::to_ascii_lowercase)
            .collect();
        let names_asked = |s: &str| {
            let l = s.to_ascii_lowercase();
            asked.iter().any(|a| l.contains(a.as_str()))
        };
        // The design model's reading of the turn: choices over a named
        // alternative ("X over Y", "X rather than Y") that are not the
        // asked pair.
        let turn = self.design.turns().last()?;
        let about_asked = |c: &crate::design::Choice| {
            c.component
                .and_then(|i| self.design.components.get(i))
                .is_some_and(|x| names_asked(x.label()))
                || c.over.as_deref().is_some_and(names_asked)
        };
        let this: Vec<&crate::design::Choice> = self
            .design
            .choices
            .iter()
            .filter(|c| c.turn == turn.turn)
            .collect();
        let others: Vec<&crate::design::Choice> = this
            .iter()
            .copied()
            .filter(|c| (c.over.is_some() || c.reason) && !about_asked(c))
            .collect();
        if others.is_empty() || this.iter().any(|c| about_asked(c)) {
            return None;
        }
        // The asked names outside the other comparisons' sentences.
        let full = self.design.text();
        let mut rest = String::new();
        let mut at = turn.start;
        let mut spans: Vec<(usize, usize)> = others
            .iter()
            .map(|c| (c.evidence.start, c.evidence.end))
            .collect();
        spans.sort_unstable();
        for (s, e) in spans {
            if s > at {
                rest.push_str(full.get(at..s.min(turn.end)).unwrap_or_default());
            }
            at = at.max(e);
        }
        rest.push_str(full.get(at.min(turn.end)..turn.end).unwrap_or_default());
        if names_asked(&rest) {
            return None;
        }
        Some(
            others
                .iter()
                .filter(|c| c.reason)
                .find_map(|c| c.component)
                .and_then(|i| self.design.components.get(i))
                .map(|c| c.label().to_string()),
        )
    }

    /// "The DynamoDB write is an upsert on user_id" to "Spark writes to
    /// Redshift: if that write is retried, what happens?": the answer made
    /// another store's write safe, and the one asked about is still open.
    /// `gives` is the answer naming a write mechanism, of whatever store:
    /// one the model did not record as a write ("Flink to DynamoDB is a put
    /// keyed by user_id") is placed by the store the answer names. Inside:
    /// the other store, as the board names it.
    pub(crate) fn another_write(
        &self,
        check: Check,
        reading: &TurnReading,
        gives: bool,
    ) -> Option<String> {
        let Check::Write(asked) = check else {
            return None;
        };
        let d = &self.design;
        if reading.writes.contains(&asked) || d.write_for(asked).is_some() {
            return None;
        }
        let text = self.last_turn_text();
        let named = |i: usize| {
            d.components.get(i).is_some_and(|c| {
                [Some(c.label()), c.product.as_deref()]
                    .into_iter()
                    .flatten()
                    .any(|n| crate::read::text::holds_words(&text, n))
            })
        };
        // "Druid publishes segments with the offsets in one transaction …
        // Redis is an upsert": the asked store is answered too, in words
        // the model does not store as a write.
        if named(asked) {
            return None;
        }
        let other = match reading.writes.first() {
            Some(&w) => w,
            None => {
                // Said of the job that writes it ("Firehose retries the
                // same object key"): about this write.
                let writers = || d.current_edges().filter(|e| e.to == asked);
                if !gives || writers().any(|e| named(e.from)) {
                    return None;
                }
                (0..d.components.len()).find(|&i| {
                    i != asked
                        && named(i)
                        && !matches!(
                            d.components[i].kind,
                            ComponentKind::Producer
                                | ComponentKind::StreamProcessor
                                | ComponentKind::BatchProcessor
                                | ComponentKind::Orchestrator
                                | ComponentKind::Monitoring
                        )
                })?
            }
        };
        d.components.get(other).map(|c| c.label().to_string())
    }
}
