//! The design model: one structured reading of the candidate's answer,
//! built turn by turn, read by the interviewer (what to ask next), the
//! scorer (what earns credit, and in which phase) and the debrief.
//!
//! It holds what a strong interviewer keeps in their head: the boxes and
//! arrows (with format, rate, key and guarantee on each hop and where each
//! annotation came from), the numbers and what they measure, partition keys,
//! delivery guarantees and idempotent writes per sink, what was said about
//! each failure and how deep it went, the choices and trade-offs stated, and
//! the clarifying questions asked. Nothing else re-reads the transcript.

use serde::{Deserialize, Serialize};

use crate::read::analysis::{Analysis, Parts};
use crate::read::Evidence;
use crate::read::Reader;
use crate::rubric::{ComponentKind, FactTopic, Phase};

pub mod arith;
pub mod diagram;
mod failures;
mod flow;
mod hops;
pub(crate) mod keys;
pub mod numbers;
mod prose;
pub mod questions;
mod rates;
mod reader;
mod vague;

pub use failures::{Depth, FailureTalk, PartDepth};
pub(crate) use flow::names_one_off_job;
pub(crate) use hops::shows_mechanism;
pub(crate) use reader::SENTENCE_CUES;

/// Failures a write-up lists one by one in a failure section.
pub(crate) fn failure_items(text: &str) -> usize {
    failures::section_items(text)
}

pub use numbers::Measure;
pub use rates::{Figure, Flow, FlowScope};

/// Where in the round something was said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// 1-based candidate turn (a written answer is turn 1).
    pub turn: u32,
    /// The phase of the round (none for a written answer).
    pub phase: Option<Phase>,
    pub evidence: Evidence,
}

/// What a component does in the design, from the arrows around it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Role {
    /// Where data comes from: producers, the OLTP database read by CDC.
    Source,
    /// Carries data between stages: Kafka, Kinesis.
    Transport,
    /// Transforms it: Flink, Spark, dbt.
    Processing,
    /// Where data is written: S3, Snowflake, Redis.
    Sink,
    /// Beside the flow: orchestration, registry, monitoring.
    Supporting,
}

/// Where an annotation of a hop or a component came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Source {
    /// Written on the arrow: `--(avro)-->`, `-->|avro|`, `A -> B : avro`.
    Label,
    /// A note on a box: `Kafka (Avro, 200 MB/s)`.
    BoxNote,
    /// A sentence about the hop or component.
    Prose,
}

/// One annotation: what was said, where, and in which turn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Annotation {
    pub value: String,
    pub source: Source,
    pub evidence: Evidence,
    pub turn: u32,
}

/// A component of the candidate's design.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Component {
    /// As written: the box name, or the product named in prose.
    pub name: String,
    /// The canonical product, when it names one ("Kafka" for "MSK").
    pub product: Option<String>,
    pub kind: ComponentKind,
    /// Drawn as a box in a diagram (not only mentioned in prose).
    pub drawn: bool,
    /// A generic box ("a database", "queue") rather than a product.
    pub vague: bool,
    pub introduced: Origin,
    /// The turn the candidate took it out of the design ("Druid is gone",
    /// "replace Druid with Pinot"); `None` while it is in. Drawing it again
    /// brings it back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub gone: Option<u32>,
}

impl Component {
    /// The name to use when talking about it: the box's own name, spelled
    /// as its product is when it is just the product ("spark" is "Spark"),
    /// and the product when the name is too long to say.
    pub fn label(&self) -> &str {
        match self.product.as_deref() {
            // "spark" typed is said back as the product is spelled: "Spark".
            Some(p) if p.eq_ignore_ascii_case(&self.name) => p,
            Some(p) if self.name.len() > 32 => p,
            _ => &self.name,
        }
    }
}

/// What an arrow stands for: data moving, or something else the seed's
/// "what flows and how much" does not apply to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum HopKind {
    /// Records move along it: it should say what flows and how much.
    #[default]
    Data,
    /// An orchestrator triggering work (Airflow, Dagster, cron, Step
    /// Functions), or an arrow the candidate said is control only.
    Control,
    /// A transform inside the warehouse (dbt, SQL between warehouse
    /// tables): nothing leaves the warehouse on it.
    InWarehouse,
    /// A query engine or a dashboard reading data at rest ("Iceberg ->
    /// Trino : analysts' SQL"): queries, not a flow with a rate.
    Query,
}

/// A hop between two components.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Edge {
    pub from: usize,
    pub to: usize,
    /// Drawn as an arrow (not only described in prose).
    pub drawn: bool,
    /// Data, control or an in-warehouse transform.
    #[serde(default)]
    pub hop: HopKind,
    /// What flows: a payload description or a data format.
    pub payload: Option<Annotation>,
    /// The data format, when one is named ("avro").
    pub format: Option<Annotation>,
    /// Rate or volume with its unit ("200K events/sec", "5 TB/day").
    pub rate: Option<Annotation>,
    pub evidence: Evidence,
    pub turn: u32,
}

/// A partition (or shard, or bucket) key and what it keys.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeyFact {
    /// The key as said: "user_id", "event_date".
    pub key: String,
    pub subject: Option<usize>,
    pub edge: Option<usize>,
    pub source: Source,
    pub evidence: Evidence,
    pub turn: u32,
}

/// A delivery or processing guarantee and what gives it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Guarantee {
    /// "exactly-once", "at-least-once", "acks=all", "two-phase commit".
    pub kind: String,
    /// What provides it, when said in the same sentence ("checkpoints", "MERGE").
    pub mechanism: Option<String>,
    pub subject: Option<usize>,
    pub edge: Option<usize>,
    pub evidence: Evidence,
    pub turn: u32,
}

impl Edge {
    /// What flows and how much: the seed's annotated arrow.
    pub fn annotated(&self) -> bool {
        (self.payload.is_some() || self.format.is_some()) && self.rate.is_some()
    }

    /// True for a data hop: control arrows (an orchestrator triggering a
    /// job) and transforms inside the warehouse carry no format or volume,
    /// so asking for them is the wrong question.
    pub fn needs_annotation(&self) -> bool {
        self.hop == HopKind::Data
    }

    /// True for a hop whose figures are read when said: a data hop, and a
    /// query path ("about 1 TB/day scanned"), though nobody asks for those.
    pub fn carries_figures(&self) -> bool {
        matches!(self.hop, HopKind::Data | HopKind::Query)
    }

    /// True for an orchestrator's (or a said-to-be-control) arrow.
    pub fn control(&self) -> bool {
        self.hop == HopKind::Control
    }
}

/// A number, what it measures, and what it is about.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Number {
    pub measure: Measure,
    /// In base units (items/s, bytes/s, bytes, seconds, count, dollars).
    pub value: Option<f64>,
    /// The component it quantifies, when the text says.
    pub subject: Option<usize>,
    /// The hop it quantifies: written on the arrow or a box note, said in
    /// a sentence naming both ends, or the answer to a question about it.
    pub edge: Option<usize>,
    /// Said to be not this: "Kafka doesn't see the 45 MB/s", "I wouldn't
    /// push 400K/s through the join". Kept for the record, skipped by
    /// [`Design::numbers_of`] and the rate queries.
    #[serde(default)]
    pub denied: bool,
    /// Said of one partition, broker or node ("64 partitions is about
    /// 3 MB/s each", "a partition can take 100 MB/s"), not of the flow.
    #[serde(default)]
    pub per_unit: bool,
    pub evidence: Evidence,
    pub turn: u32,
}

/// A write the candidate made safe to retry.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct IdempotentWrite {
    /// The sink written to.
    pub sink: usize,
    /// The mechanism as said ("MERGE ... on session_id", "upsert by key").
    pub mechanism: String,
    /// A key was named with it.
    pub keyed: bool,
    pub evidence: Evidence,
    pub turn: u32,
}

/// A stated choice or trade-off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Choice {
    /// The component chosen.
    pub component: Option<usize>,
    /// The alternative it was chosen over, if named.
    pub over: Option<String>,
    /// A reason was given ("because", "so that").
    pub reason: bool,
    /// A cost or downside was named ("the trade-off is", "at the cost of").
    pub tradeoff: bool,
    pub evidence: Evidence,
    pub turn: u32,
}

/// A clarifying question and the topics it asks about.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Question {
    pub topics: Vec<FactTopic>,
    pub evidence: Evidence,
    pub turn: u32,
    pub phase: Option<Phase>,
}

/// One candidate turn's place in the joined text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TurnSpan {
    pub turn: u32,
    pub phase: Option<Phase>,
    pub start: usize,
    pub end: usize,
    /// The turn answers a what-if the interviewer put ("ten times the
    /// traffic"): its figures are another design's.
    #[serde(default)]
    pub what_if: bool,
}

/// What one turn added to the model: what the interviewer reacts to.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize)]
pub struct TurnReading {
    pub turn: u32,
    pub words: usize,
    pub new_components: Vec<usize>,
    pub new_edges: Vec<usize>,
    /// Edges that gained a payload, format or rate this turn.
    pub annotated: Vec<usize>,
    pub numbers: Vec<usize>,
    /// Components or edges given a partition key this turn.
    pub keys: usize,
    /// A delivery guarantee was stated this turn.
    pub guarantee: bool,
    /// ... with what gives it (checkpoints, transactions, dedupe).
    pub guarantee_mechanism: bool,
    pub writes: Vec<usize>,
    pub choices: Vec<usize>,
    /// What this turn said about a failure, part by part.
    pub failure: FailureTalk,
    /// The turn is a question about the problem.
    pub question: Option<usize>,
    /// Concepts whose mechanism was explained this turn (rubric indexes).
    pub mechanisms: Vec<u16>,
    /// The turn drew arrows or named products as a design.
    pub designing: bool,
    /// The turn said something the model records: not "it just works".
    pub substance: bool,
}

/// What the question on the table was about, so a terse answer lands where
/// it was asked: "By date." keys the component a key question was about;
/// "It carries Avro, about 2K/s." annotates the arrow an annotation question
/// was about, though it names one end or none.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Asked {
    /// The component the question was about.
    pub component: Option<usize>,
    /// The hop the question was about (an index into [`Design::edges`]).
    pub edge: Option<usize>,
    /// The question asked for a partition key.
    pub key: bool,
    /// The question changed the problem ("ten times the write traffic"):
    /// the answer's figures are the changed design's.
    pub what_if: bool,
}

/// The design model of one answer or one round.
#[derive(Debug, Clone, Default)]
pub struct Design {
    text: String,
    turns: Vec<TurnSpan>,
    pub components: Vec<Component>,
    pub edges: Vec<Edge>,
    pub numbers: Vec<Number>,
    pub keys: Vec<KeyFact>,
    pub guarantees: Vec<Guarantee>,
    pub writes: Vec<IdempotentWrite>,
    /// Components prose says are written to ("MERGE into Snowflake").
    pub written: Vec<usize>,
    /// Dedupe steps with their key ("Flink dedupes by event_id"): retries
    /// made harmless before any sink.
    pub dedupes: Vec<Evidence>,
    pub choices: Vec<Choice>,
    pub questions: Vec<Question>,
    /// One entry per turn that talked about failures.
    pub failures: Vec<FailureTalk>,
    /// Every concept mechanism explained: the turn, the concept (rubric
    /// index) and the sentence, once per sentence.
    mechanisms: Vec<(u32, u16, Evidence)>,
    /// Concepts named at all, and signals cued (rubric indexes).
    concepts_named: Vec<u16>,
    signals_named: Vec<u16>,
    /// Concepts whose mechanism was said in a sentence that is not a
    /// keyword list, explained or not ("late readings go to a side output
    /// merged nightly"): the interviewer does not ask for it again.
    mechanisms_said: Vec<u16>,
    /// How often a component runs: (component, seconds, the words).
    pub schedules: Vec<(usize, f64, Evidence)>,
    parts: Parts,
    /// Each turn's text hash, so a pasted duplicate counts once.
    seen: Vec<u64>,
    /// Products named in a drawn box's note ("S3 raw (Iceberg)"): the box
    /// and the catalogue name. "The raw Iceberg table" in prose is that box.
    pub(crate) noted: Vec<(usize, String)>,
}

impl Design {
    /// An empty model for a new round.
    pub fn new() -> Design {
        Design::default()
    }

    /// The model of a written answer: one turn, no phase.
    pub(crate) fn of_answer(reader: &Reader, text: &str) -> Design {
        let mut d = Design::new();
        d.add_turn(reader, text, None, None);
        d
    }

    /// The model of a written answer with only what the scorer reads
    /// ([`reader::Scope::Scoring`]): what batch grading needs, read faster.
    /// The scorer's result is the same as from [`Design::of_answer`].
    pub(crate) fn scoring_facts_of(reader: &Reader, text: &str) -> Design {
        let mut d = Design::new();
        reader::read_turn(
            &mut d,
            reader,
            text,
            None,
            Asked::default(),
            reader::Scope::Scoring,
        );
        d
    }

    /// Read one candidate turn into the model. `about` is the component the
    /// question just asked was about, so "it's an upsert" lands on it.
    pub(crate) fn add_turn(
        &mut self,
        reader: &Reader,
        text: &str,
        phase: Option<Phase>,
        about: Option<usize>,
    ) -> TurnReading {
        let asked = Asked {
            component: about,
            ..Asked::default()
        };
        self.read_answer(reader, text, phase, asked)
    }

    /// Read one candidate turn that answers a question: `asked` says what
    /// the question was about (a component, an arrow, a key), so an answer
    /// that names only one end of the arrow, or nothing at all ("By date."),
    /// still lands on it. Numbers, format and payload of such an answer go
    /// to the asked arrow unless a sentence names another hop; a key goes to
    /// the asked component; "that arrow is control" marks the asked arrow.
    pub(crate) fn read_answer(
        &mut self,
        reader: &Reader,
        text: &str,
        phase: Option<Phase>,
        asked: Asked,
    ) -> TurnReading {
        reader::read_turn(self, reader, text, phase, asked, reader::Scope::Full)
    }

    /// All candidate text, turns joined by blank lines: every span indexes it.
    pub fn text(&self) -> &str {
        &self.text
    }

    /// The candidate's words as design, lower-cased: every turn but the
    /// clarifying questions ("who needs the proof?" is not a design that
    /// produces it; a diagram drawn in the clarify phase is design).
    pub fn design_words(&self) -> String {
        let asked = |turn: u32| {
            self.questions.iter().any(|q| q.turn == turn)
                && !self.components.iter().any(|c| c.introduced.turn == turn)
        };
        self.turns
            .iter()
            .filter(|t| t.phase != Some(Phase::Clarify) || !asked(t.turn))
            .filter_map(|t| self.text.get(t.start..t.end))
            .collect::<Vec<_>>()
            .join("\n")
            .to_ascii_lowercase()
    }

    /// The kinds of the components named as products (not vague boxes).
    pub fn named_kinds(&self) -> Vec<ComponentKind> {
        self.components
            .iter()
            .filter(|c| !c.vague)
            .map(|c| c.kind)
            .collect()
    }

    /// What the problem's brief asks for that this design never covers.
    pub fn brief_missed(&self, brief: &[crate::rubric::BriefNeed]) -> Vec<String> {
        crate::rubric::brief::missed(brief, &self.design_words(), &self.named_kinds())
    }

    /// The turns read so far.
    pub fn turns(&self) -> &[TurnSpan] {
        &self.turns
    }

    /// The text reading for the scorer: sentences, cue hits and numbers of
    /// every turn, offsets into [`Design::text`].
    pub(crate) fn analysis(&self) -> Analysis<'_> {
        Analysis::of_parts(&self.text, &self.parts)
    }

    /// What the whole text says about failures, part by part, from its
    /// reading `an` ([`Design::analysis`]). A written answer is one turn,
    /// and that turn's own reading is this one: it is not read again.
    pub(crate) fn failure_talk(&self, an: &Analysis<'_>) -> FailureTalk {
        if self.turns.len() == 1 {
            return self.failures.first().cloned().unwrap_or_default();
        }
        failures::read(an, 0, None)
    }

    /// The same reading restricted to turns of one phase (the scorer's
    /// per-phase attribution); `None` reads everything.
    pub(crate) fn analysis_of(&self, phase: Option<Phase>) -> Analysis<'_> {
        let Some(p) = phase else {
            return self.analysis();
        };
        let spans: Vec<(usize, usize)> = self
            .turns
            .iter()
            .filter(|t| t.phase == Some(p))
            .map(|t| (t.start, t.end))
            .collect();
        let inside = |pos: usize| spans.iter().any(|&(s, e)| s <= pos && pos < e);
        let mut sentences = Vec::new();
        let mut map = vec![usize::MAX; self.parts.sentences.len()];
        for (i, s) in self.parts.sentences.iter().enumerate() {
            if inside(s.start) {
                map[i] = sentences.len();
                sentences.push(s.clone());
            }
        }
        let hits = self
            .parts
            .hits()
            .iter()
            .filter(|(_, si)| map.get(*si).is_some_and(|m| *m != usize::MAX))
            .map(|(h, si)| (*h, map[*si]))
            .collect();
        let quantities = self
            .parts
            .quantities
            .iter()
            .filter(|q| inside(q.evidence.start))
            .cloned()
            .collect();
        let components = self
            .parts
            .components
            .iter()
            .filter(|c| inside(c.evidence.start))
            .cloned()
            .collect();
        let parts = Parts::new(sentences, hits, quantities, components);
        Analysis::from_parts(&self.text, parts)
    }

    /// Concept mechanisms explained: the turn each was first explained in,
    /// the concept (rubric index) and the sentence that explained it.
    pub fn mechanisms(&self) -> &[(u32, u16, Evidence)] {
        &self.mechanisms
    }

    /// True when concept `i` (rubric index) was named in any turn.
    pub fn concept_named(&self, i: usize) -> bool {
        self.concepts_named.contains(&(i as u16))
    }

    /// True when concept `i`'s mechanism was explained in any turn.
    pub fn concept_explained(&self, i: usize) -> bool {
        self.mechanisms.iter().any(|(_, c, _)| usize::from(*c) == i)
    }

    /// True when concept `i`'s mechanism was said in a sentence of its own
    /// (explained or not), not only listed.
    pub fn concept_mechanism_said(&self, i: usize) -> bool {
        self.concept_explained(i) || self.mechanisms_said.contains(&(i as u16))
    }

    /// True when signal `i` (rubric index) was cued in any turn.
    pub fn signal_named(&self, i: usize) -> bool {
        self.signals_named.contains(&(i as u16))
    }

    /// The phase of a turn.
    pub fn phase_of(&self, turn: u32) -> Option<Phase> {
        self.turns
            .iter()
            .find(|t| t.turn == turn)
            .and_then(|t| t.phase)
    }

    /// The phase in which the text at `pos` was said.
    pub fn phase_at(&self, pos: usize) -> Option<Phase> {
        self.turns
            .iter()
            .find(|t| t.start <= pos && pos <= t.end)
            .and_then(|t| t.phase)
    }

    /// Each drawn box by its own words without the product ("orders
    /// topic" for "Kafka orders topic"), where one box alone shortens so:
    /// what prose calls it.
    pub(crate) fn short_names(&self) -> Vec<(usize, String)> {
        reader::short_names(self)
            .into_iter()
            .map(|(i, n)| (i, String::from_utf8_lossy(&n).into_owned()))
            .collect()
    }

    /// Components drawn as boxes and still in the design.
    pub fn boxes(&self) -> impl Iterator<Item = (usize, &Component)> + '_ {
        self.components
            .iter()
            .enumerate()
            .filter(|(_, c)| c.drawn && c.gone.is_none())
    }

    /// Arrows drawn in a diagram, between components still in the design.
    pub fn arrows(&self) -> impl Iterator<Item = (usize, &Edge)> + '_ {
        self.edges
            .iter()
            .enumerate()
            .filter(|(_, e)| e.drawn && self.live(e))
    }

    /// True when component `i` was taken out of the design.
    pub fn gone(&self, i: usize) -> bool {
        self.components.get(i).is_some_and(|c| c.gone.is_some())
    }

    /// True when both ends of `e` are still in the design.
    pub fn live(&self, e: &Edge) -> bool {
        !self.gone(e.from) && !self.gone(e.to)
    }

    /// The hops (drawn or said) between components still in the design.
    pub fn live_edges(&self) -> impl Iterator<Item = (usize, &Edge)> + '_ {
        self.edges.iter().enumerate().filter(|(_, e)| self.live(e))
    }

    /// The same hops without their indexes.
    pub fn current_edges(&self) -> impl Iterator<Item = &Edge> + '_ {
        self.edges.iter().filter(|e| self.live(e))
    }

    /// True when the candidate drew a diagram (at least one arrow).
    pub fn has_diagram(&self) -> bool {
        self.edges.iter().any(|e| e.drawn)
    }

    /// The component whose product (or name) is `name`, preferring a box.
    pub fn find(&self, name: &str) -> Option<usize> {
        let by = |f: &dyn Fn(&Component) -> bool| {
            self.components
                .iter()
                .enumerate()
                .filter(|(_, c)| f(c))
                .min_by_key(|(_, c)| !c.drawn)
                .map(|(i, _)| i)
        };
        by(&|c| {
            c.product
                .as_deref()
                .is_some_and(|p| p.eq_ignore_ascii_case(name))
        })
        .or_else(|| by(&|c| c.name.eq_ignore_ascii_case(name)))
    }

    /// Numbers of one measure, newest last; numbers the candidate said are
    /// not this design's ("Kafka doesn't see the 45 MB/s") are left out.
    pub fn numbers_of(&self, m: Measure) -> impl Iterator<Item = &Number> + '_ {
        self.numbers
            .iter()
            .filter(move |n| n.measure == m && !n.denied)
    }

    /// The key stated for component `i` (or a hop out of or into it).
    pub fn key_of(&self, i: usize) -> Option<&KeyFact> {
        self.keys.iter().find(|k| {
            k.subject == Some(i)
                || k.edge
                    .is_some_and(|e| self.edges.get(e).is_some_and(|e| e.from == i || e.to == i))
        })
    }

    /// A delivery guarantee stated with what gives it, if any.
    pub fn explained_guarantee(&self) -> Option<&Guarantee> {
        self.guarantees.iter().find(|g| g.mechanism.is_some())
    }

    /// The sentence of the newest turn that names one of `terms` (whole
    /// words, any case), if any.
    pub fn last_turn_mentions(&self, terms: &[String]) -> Option<Evidence> {
        let t = self.turns.last()?;
        let text = &self.text[t.start..t.end];
        let lower = text.to_ascii_lowercase();
        let bytes = lower.as_bytes();
        let hit = terms.iter().find_map(|term| {
            let term = term.to_ascii_lowercase();
            let mut from = 0;
            while let Some(i) = lower[from..].find(&term) {
                let s = from + i;
                let e = s + term.len();
                let left = s == 0 || !bytes[s - 1].is_ascii_alphanumeric();
                if left {
                    return Some((s, e));
                }
                from = e;
            }
            None
        })?;
        // Sentence bounds: a full stop followed by a space ends one;
        // "linger.ms" does not.
        let is_end = |i: usize| {
            let b = text.as_bytes();
            matches!(b[i], b'.' | b'!' | b'?')
                && b.get(i + 1).is_none_or(|n| n.is_ascii_whitespace())
                || b[i] == b'\n'
        };
        let start = (0..hit.0).rev().find(|&i| is_end(i)).map_or(0, |i| i + 1);
        let end = (hit.1..text.len())
            .find(|&i| is_end(i))
            .map_or(text.len(), |i| i + 1);
        let q = &text[start..end];
        let lead = q.len() - q.trim_start().len();
        let quote = q.trim().to_string();
        Some(Evidence {
            start: t.start + start + lead,
            end: t.start + start + lead + quote.len(),
            quote,
        })
    }

    /// Failure talk of turns at or after `turn` (a drill counts only what
    /// was said after it was asked).
    pub fn failures_since(&self, turn: u32) -> impl Iterator<Item = &FailureTalk> + '_ {
        self.failures.iter().filter(move |f| f.turn >= turn)
    }
}

#[cfg(test)]
mod tests;
#[cfg(test)]
mod tests_answers;
#[cfg(test)]
mod tests_changes;
#[cfg(test)]
mod tests_hops;
