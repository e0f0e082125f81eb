//! What the candidate already covered before a failure was asked: a
//! challenge on the same ground answered, the failure talked through with
//! recovery or prevention, the mechanism that handles it explained, or
//! what the problem's own reference answer for that failure says (in the
//! candidate's words). Covered failures are asked in their harder form.

use crate::interview::session::Session;
use crate::score::Scorer;

mod words;
pub(crate) use words::stems;
use words::{class_words, safeguards, GENERIC};

impl Session {
    /// The candidate's own sentence that says what the problem's reference
    /// answer for failure `id` says it should (how it recovers or what
    /// prevents loss), said before the drill: at least three of the
    /// reference's distinctive words in one sentence of six or more words.
    pub(crate) fn covered_by_reference(&self, id: &str) -> Option<crate::read::Evidence> {
        let spec = self
            .problem
            .failure_modes
            .iter()
            .find(|f| f.id.as_str() == id)?;
        let reference: Vec<String> = stems(&format!("{} {}", spec.recover, spec.prevent));
        // What goes wrong in this failure ("crashes", "lag", "fills up"):
        // a sentence of the normal flow shares the reference's nouns
        // (Flink, event_id, RocksDB) but not what goes wrong.
        let trigger = self.trigger_stems(&format!("{} {}", spec.title, spec.question));
        let text = self.design.text();
        // Clarifying questions are not designs: only what was said after.
        let from = self
            .design
            .turns()
            .iter()
            .find(|t| t.phase != Some(crate::rubric::Phase::Clarify))
            .map_or(text.len(), |t| t.start);
        let mut best: Option<(usize, crate::read::Evidence)> = None;
        let mut at = from;
        for raw in text[from..].split_inclusive(['.', '\n', ';', '?']) {
            let start = at;
            at += raw.len();
            let sentence = raw.trim();
            if sentence.ends_with('?') || sentence.split_whitespace().count() < 6 {
                continue;
            }
            let own = stems(sentence);
            let shared = own.iter().filter(|w| reference.contains(w)).count();
            // On this failure's ground: a word of what goes wrong, or so
            // close to the reference answer (five of its words) that it
            // can only be about it.
            let about_it = own.iter().any(|w| trigger.contains(w)) || shared >= 5;
            if shared >= 3 && about_it && best.as_ref().is_none_or(|(n, _)| shared > *n) {
                let lead = raw.len() - raw.trim_start().len();
                let q = sentence.trim_end_matches(['.', ';']);
                best = Some((
                    shared,
                    crate::read::Evidence {
                        start: start + lead,
                        end: start + lead + q.len(),
                        quote: q.to_string(),
                    },
                ));
            }
        }
        best.map(|(_, e)| clip_around(&e, &reference))
    }

    /// A drill that asks whether a replay counts twice ("Do pacing
    /// counters double count?") when a write it touches was already made
    /// safe to retry on a key ("SET keyed by campaign and window start, so
    /// a retry overwrites the same value"): that answer, latest first.
    pub(crate) fn retry_safe_already(&self, id: &str) -> Option<(crate::read::Evidence, String)> {
        let spec = self
            .problem
            .failure_modes
            .iter()
            .find(|f| f.id.as_str() == id)?;
        let asked = format!("{} {}", spec.title, spec.question).to_ascii_lowercase();
        let counts_twice = [
            "double count",
            "double-count",
            "twice",
            "duplicate",
            "three times",
            "counted again",
        ]
        .iter()
        .any(|w| asked.contains(w))
            || asks_if_doubled(&asked);
        if !counts_twice {
            return None;
        }
        self.design
            .writes
            .iter()
            .filter(|w| w.keyed)
            // The sink is what the failure is about, or it is written by
            // what the failure is about (the cost DAG into the cost mart).
            // A sink of the failure's own kind first (Redis for "do the
            // pacing counters double count?"), then the latest.
            .filter_map(|w| {
                let kind_of = |i: usize| self.design.components.get(i).map(|c| c.kind);
                let about = |i: usize| kind_of(i).is_some_and(|k| spec.triggers.contains(&k));
                let own = spec.triggers.is_empty() || about(w.sink);
                let written_by = self
                    .design
                    .current_edges()
                    .any(|e| e.to == w.sink && about(e.from));
                (own || written_by).then_some((own, w))
            })
            .max_by_key(|(own, w)| (*own, w.turn))
            .map(|(_, w)| self.write_said(w))
    }

    /// The catalogue's "the load job reruns" when the write into that
    /// warehouse was already made safe to rerun ("each run overwrites its
    /// own BigQuery partition"): that write, latest first.
    pub(crate) fn rerun_safe_already(
        &self,
        f: &crate::interview::planner::PlannedFailure,
    ) -> Option<(crate::read::Evidence, String)> {
        if f.source != crate::interview::planner::PlanSource::Catalogue
            || f.id != "warehouse-merge-rerun"
        {
            return None;
        }
        let i = self.design.find(f.component.as_deref()?)?;
        self.design
            .writes
            .iter()
            .filter(|w| w.sink == i)
            .max_by_key(|w| w.turn)
            .map(|w| self.write_said(w))
    }

    /// The clause that says a write's mechanism ("and MERGEs them into
    /// fact_query_cost on job_id"), not the sentence's opening, and the
    /// store it writes.
    fn write_said(&self, w: &crate::design::IdempotentWrite) -> (crate::read::Evidence, String) {
        let first = w
            .mechanism
            .split_whitespace()
            .next()
            .unwrap_or_default()
            .to_ascii_lowercase();
        let said = clause_with(&w.evidence, &[first.as_str()]).unwrap_or_else(|| clip(&w.evidence));
        let sink = self
            .design
            .components
            .get(w.sink)
            .map(|c| c.label().to_string())
            .unwrap_or_default();
        (said, sink)
    }

    /// True when `quote` is about failure `id` (of kind `class`): it says
    /// what goes wrong in it (a word of the failure's kind, or of its own
    /// title and question that is neither the problem's nor a box's name).
    /// "You already covered this" must quote the candidate on this failure,
    /// not a sentence of the normal flow that shares its nouns.
    pub(crate) fn about_failure(
        &self,
        id: &str,
        class: Option<&str>,
        quote: &str,
        min_trigger: usize,
    ) -> bool {
        let l = quote.to_ascii_lowercase();
        // It must say what protects or recovers, not only how data flows
        // ("Debezium reads the WAL through the replication slot" names the
        // slot; it does not say what happens when the slot fills).
        if !safeguards(&l) {
            return false;
        }
        if class.is_some_and(|c| class_words(c).iter().any(|w| l.contains(w))) {
            return true;
        }
        let Some(spec) = self
            .problem
            .failure_modes
            .iter()
            .find(|f| f.id.as_str() == id)
        else {
            return false;
        };
        let trigger = self.trigger_stems(&format!("{} {}", spec.title, spec.question));
        stems(quote).iter().filter(|w| trigger.contains(w)).count() >= min_trigger
    }

    /// The words of a failure's title and question that say what goes
    /// wrong: not the problem statement's nouns, not the candidate's boxes.
    fn trigger_stems(&self, failure: &str) -> Vec<String> {
        // The problem's normal operation (its statement, title and the facts
        // of its scale, freshness and readers: "the current version within
        // a minute") and the boxes drawn say nothing of what goes wrong.
        let normal: Vec<&str> = self
            .problem
            .hidden_facts
            .iter()
            .filter(|f| f.topic != crate::rubric::FactTopic::Constraint)
            .map(|f| f.answer.as_str())
            .collect();
        let common: Vec<String> = stems(&format!(
            "{} {} {} {}",
            self.problem.statement,
            self.problem.title,
            normal.join(" "),
            self.design
                .components
                .iter()
                .map(|c| c.name.as_str())
                .collect::<Vec<_>>()
                .join(" ")
        ));
        stems(failure)
            .into_iter()
            .filter(|w| !common.contains(w) && !GENERIC.iter().any(|g| w.starts_with(g)))
            .collect()
    }

    /// True when a challenge on the same ground as this kind of failure was
    /// already asked and answered: the drill would only ask it again.
    pub(crate) fn answered_already(&self, class: Option<&str>) -> bool {
        let intents: &[&str] = match class {
            Some("late-data") => &["challenge_late"],
            Some("hot-key") => &["challenge_hot_key"],
            Some("schema-break") => &["challenge_schema_change"],
            Some("bad-data") => &["challenge_data_quality"],
            Some("outage") => &["challenge_region_outage"],
            _ => &[],
        };
        self.answered
            .iter()
            .any(|(i, _)| intents.iter().any(|p| i.starts_with(p)))
    }

    /// What the candidate already said, unasked, that covers a failure of
    /// this kind: the failure talked through with recovery or prevention
    /// (naming the component), or the concept that handles it explained.
    pub(crate) fn volunteered(
        &self,
        scorer: &Scorer,
        class: &str,
        component: Option<&str>,
    ) -> Option<crate::read::Evidence> {
        // A challenge that touched this ground and was answered: the drill
        // goes harder from what they said.
        let touched: &[&str] = match class {
            "hot-key" => &["challenge_partition_capacity"],
            "duplicates" => &["challenge_exactly_once_claim"],
            "storage-full" => &["challenge_state_size", "challenge_storage_growth"],
            _ => &[],
        };
        if let Some((_, said)) = self
            .answered
            .iter()
            .find(|(i, _)| touched.iter().any(|p| i.starts_with(p)))
        {
            // Only a sentence on this very ground: an unrelated first
            // sentence of the answer is not "you already covered it".
            let words = class_words(class);
            if let Some(sentence) = said.split_inclusive(". ").find(|s| {
                let l = s.to_ascii_lowercase();
                words.iter().any(|w| l.contains(w))
            }) {
                let sentence = sentence.trim().trim_end_matches('.');
                return Some(clip(&crate::read::Evidence {
                    start: 0,
                    end: sentence.len(),
                    quote: sentence.to_string(),
                }));
            }
        }
        let r = scorer.rubric();
        let idx = r
            .framework
            .failure_scenario
            .iter()
            .position(|s| s.id == class)? as u16;
        // The deepest thing said on this ground, the latest of equals: a
        // mechanism given when pushed ("we drop duplicates by conversion_id
        // for 7 days") over the claim it backed ("exactly-once via
        // checkpoints").
        let talked = self
            .design
            .failures
            .iter()
            .filter(|t| t.scenarios.contains(&idx))
            .filter(|t| t.prevent.depth.covered() || t.recover.depth.covered())
            .filter_map(|t| {
                let part = if (t.prevent.evidence.is_some() && t.prevent.depth >= t.recover.depth)
                    || t.recover.evidence.is_none()
                {
                    &t.prevent
                } else {
                    &t.recover
                };
                part.evidence.as_ref().map(|e| (part.depth, t.turn, e))
            })
            .filter(|(_, _, e)| {
                component.is_none_or(|c| {
                    e.quote
                        .to_ascii_lowercase()
                        .contains(&c.to_ascii_lowercase())
                })
            })
            .max_by_key(|(depth, turn, _)| (*depth, *turn));
        if let Some((_, _, e)) = talked {
            return Some(clip(e));
        }
        // The mechanism that handles this kind of failure, explained: the
        // clause that says it ("Flink dedupes by event_id").
        let (concept, words): (&str, &[&str]) = match class {
            "duplicates" => (
                "idempotency",
                &["dedup", "de-dup", "duplicat", "event_id", "idempot"],
            ),
            "late-data" => ("watermarks", &["late ", "later ", "lateness", "watermark"]),
            "hot-key" => ("hot-keys", &["hot", "salt", "skew", "pre-split", "sub-key"]),
            "schema-break" => ("schema-evolution", &["schema", "compatib"]),
            _ => return None,
        };
        let ci = r.concepts.iter().position(|c| c.id.as_str() == concept)?;
        let mut found = self
            .design
            .mechanisms()
            .iter()
            .filter(|(_, c, _)| usize::from(*c) == ci)
            .map(|(_, _, e)| e);
        let all: Vec<&crate::read::Evidence> = found.by_ref().collect();
        // Only a clause on this very ground, never the concept's first
        // mention elsewhere.
        words
            .iter()
            .find_map(|w| all.iter().find_map(|e| clause_with(e, &[w])))
    }
}

/// The clause of a quote (between commas or semicolons) that holds one of
/// `words`, as its own span.
fn clause_with(e: &crate::read::Evidence, words: &[&str]) -> Option<crate::read::Evidence> {
    let lower = e.quote.to_ascii_lowercase();
    let at = words.iter().filter_map(|w| lower.find(w)).min()?;
    let (mut a, b) = crate::read::text::clause_around(&e.quote, at);
    // Too long to read back whole: start at a joining word before the cue
    // rather than cut the cue off the end ("…with replay for").
    if b - a > MAX_QUOTE && at > a {
        let head = &lower[a..at];
        let mut joins: Vec<usize> = [" and ", " so ", " because ", " which ", " while "]
            .iter()
            .flat_map(|w| head.match_indices(w).map(|(i, _)| a + i + w.len()))
            .collect();
        joins.sort_unstable();
        // The earliest start that fits, else the one nearest the cue.
        if let Some(j) = joins.iter().find(|&&j| b - j <= MAX_QUOTE).or(joins.last()) {
            a = *j;
        }
    }
    Some(clip(&crate::read::Evidence {
        start: e.start + a,
        end: e.start + b,
        quote: e.quote[a..b].to_string(),
    }))
}

/// The longest quote read back to the candidate, in bytes.
const MAX_QUOTE: usize = 110;

/// A long sentence read back by its clauses that say most of `reference`
/// ("applies the price and sends an index request with version = LSN …,
/// so an older change can never overwrite a newer one"), not by its start
/// ("A seller changes a price: the row commits in Postgres").
fn clip_around(e: &crate::read::Evidence, reference: &[String]) -> crate::read::Evidence {
    if e.quote.len() <= MAX_QUOTE {
        return e.clone();
    }
    let q = e.quote.as_str();
    // Clause spans: cut after each ',', ';' or ':' outside brackets ("keyed
    // by (table, partition, run_id)" is one clause).
    let mut cuts: Vec<(usize, usize)> = Vec::new();
    let mut from = 0;
    let mut open = 0usize;
    for (i, c) in q.char_indices() {
        match c {
            '(' | '[' => open += 1,
            ')' | ']' => open = open.saturating_sub(1),
            ',' | ';' | ':' if open == 0 => {
                cuts.push((from, i));
                from = i + 1;
            }
            _ => {}
        }
    }
    cuts.push((from, q.len()));
    let said = |(a, b): (usize, usize)| {
        stems(&q[a..b])
            .iter()
            .filter(|w| reference.contains(w))
            .count()
    };
    let Some(best) = (0..cuts.len()).max_by_key(|&i| (said(cuts[i]), std::cmp::Reverse(i))) else {
        return clip(e);
    };
    let (mut lo, mut hi) = (best, best);
    // Grow forward (the consequence follows: "so an older change …"),
    // then back, while it fits.
    while hi + 1 < cuts.len() && cuts[hi + 1].1 - cuts[lo].0 <= MAX_QUOTE {
        hi += 1;
    }
    while lo > 0 && cuts[hi].1 - cuts[lo - 1].0 <= MAX_QUOTE {
        lo -= 1;
    }
    let (a, b) = (cuts[lo].0, cuts[hi].1);
    let lead = q[a..b].len() - q[a..b].trim_start().len();
    let part = crate::read::Evidence {
        start: e.start + a + lead,
        end: e.start + b,
        quote: q[a..b].trim().to_string(),
    };
    clip(&part)
}

/// A quote short enough to read back: cut at a word boundary.
fn clip(e: &crate::read::Evidence) -> crate::read::Evidence {
    if e.quote.len() <= MAX_QUOTE {
        return e.clone();
    }
    let mut cut = MAX_QUOTE;
    while !e.quote.is_char_boundary(cut) {
        cut -= 1;
    }
    // A clause boundary if there is one well into the quote, else a word.
    let cut = e.quote[..cut]
        .rfind([',', ';'])
        .filter(|&i| i >= 40)
        .or_else(|| e.quote[..cut].rfind(' '))
        .unwrap_or(cut);
    let mut q = e.quote[..cut].trim_end_matches([',', ';', ' ']);
    // Never cut inside parentheses: drop the unclosed part.
    if q.matches('(').count() > q.matches(')').count() {
        if let Some(i) = q.rfind('(') {
            q = q[..i].trim_end_matches([',', ';', ' ']);
        }
    }
    crate::read::Evidence {
        start: e.start,
        end: e.start + q.len(),
        quote: q.to_string(),
    }
}

/// When the candidate said how long they guard against a repeat ("we drop
/// duplicates by conversion_id kept for 7 days"), the harder repeat comes
/// just past it: "8 days later, past the 7 days you said". `None` when the
/// quote holds no duration of an hour or more.
pub(crate) fn past_horizon(quote: &str) -> Option<String> {
    let q = crate::read::quantities(quote)
        .into_iter()
        .filter(|q| q.kind == crate::rubric::QuantityKind::Duration)
        .find(|q| crate::design::numbers::value_of(q).is_some_and(|v| v >= 3600.0))?;
    let secs = crate::design::numbers::value_of(&q)?;
    let later = crate::design::numbers::human_seconds(secs + secs.min(86_400.0));
    Some(format!(
        "{later} later, past the {} you said",
        q.evidence.quote.trim()
    ))
}

/// True when a failure asks whether counts double ("Do sales double?",
/// "would revenue be doubled?"), not that a bill does ("The warehouse bill
/// doubles"). `asked` is lower case.
fn asks_if_doubled(asked: &str) -> bool {
    let words = crate::read::text::ascii_words(asked);
    words.iter().enumerate().any(|(i, w)| {
        let doubles = matches!(*w, "double" | "doubles" | "doubled");
        let money = words[i.saturating_sub(3)..i].iter().any(|b| {
            matches!(
                *b,
                "bill" | "cost" | "costs" | "spend" | "price" | "storage"
            )
        });
        doubles && !money
    })
}

#[cfg(test)]
mod tests {
    use super::{clause_with, past_horizon};

    #[test]
    fn a_long_clause_is_quoted_from_a_joining_word_so_the_cue_stays_in() {
        let quote = "Kafka because Debezium writes to it natively and we need per-key ordering on \
                     sku+location with replay for rebuilding state";
        let e = crate::read::Evidence {
            start: 100,
            end: 100 + quote.len(),
            quote: quote.to_string(),
        };
        let got = clause_with(&e, &["replay"]).expect("a clause");
        assert_eq!(
            got.quote,
            "Debezium writes to it natively and we need per-key ordering on sku+location with \
             replay for rebuilding state"
        );
        assert_eq!(got.start, 100 + quote.find("Debezium").unwrap_or(0));
    }

    #[test]
    fn the_harder_repeat_comes_just_past_the_window_the_candidate_keeps() {
        assert_eq!(
            past_horizon(
                "Duplicate postbacks we drop by conversion_id kept in keyed state for 7 days"
            )
            .as_deref(),
            Some("8 days later, past the 7 days you said")
        );
        assert_eq!(
            past_horizon("Flink dedupes by event_id with a 24h TTL").as_deref(),
            Some("2 days later, past the 24h you said")
        );
        // A sub-hour figure is a batch interval, not a dedupe horizon.
        assert_eq!(
            past_horizon("We commit every 5 minutes with event_id dedupe"),
            None
        );
    }

    #[test]
    fn a_question_whether_sales_double_asks_about_counting_twice() {
        assert!(super::asks_if_doubled(
            "a till re-uploads. do sales double?"
        ));
        assert!(super::asks_if_doubled("would revenue be doubled?"));
        assert!(!super::asks_if_doubled(
            "the warehouse bill doubles. what should it do instead?"
        ));
        assert!(!super::asks_if_doubled("storage costs doubled last month"));
    }
}
