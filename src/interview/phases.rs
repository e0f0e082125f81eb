//! What the interviewer says in each phase, given the candidate's latest
//! answer: one probe per turn, chosen by fixed priorities so the round is
//! deterministic. (The state lives in `session.rs`.)

use crate::interview::clarify;
use crate::interview::planner::{self, Gap, NamedComponent};
use crate::interview::session::{gaps, Session, Transition, Turn};
use crate::rubric::{ComponentKind, Phase};
use crate::score::Scorer;

/// Probe-goal cues (what to ask next, not what to score).
const PARTITION_CUES: &[&str] = &[
    "partition",
    "key=",
    "keyed by",
    "key by",
    "shard",
    "bucket",
    "hash on",
    "hashed on",
];
const CONSISTENCY_CUES: &[&str] = &[
    "exactly-once",
    "exactly once",
    "exactly_once",
    "at-least-once",
    "at least once",
    "at-most-once",
    "at most once",
    "transaction",
    "two-phase",
    "2pc",
];
const IDEMPOTENCY_CUES: &[&str] = &[
    "idempot",
    "upsert",
    "merge",
    "dedup",
    "de-dup",
    "overwrite",
    "on conflict",
    "replace",
];
const MAX_EDGE_PROBES: usize = 3;
const MAX_VAGUE_PROBES: usize = 2;
const MAX_COMPONENT_PROBES: [u32; 4] = [0, 2, 1, 0];

fn has_cue(lower: &str, cues: &[&str]) -> bool {
    cues.iter().any(|c| lower.contains(c))
}

/// True when a sentence naming `name` also carries one of `cues`.
fn sentence_covers(text: &str, name: &str, cues: &[&str]) -> bool {
    let name = name.to_ascii_lowercase();
    text.split(['.', '\n', ';'])
        .map(str::to_ascii_lowercase)
        .any(|s| s.contains(&name) && has_cue(&s, cues))
}

fn is_sink(kind: ComponentKind) -> bool {
    matches!(
        kind,
        ComponentKind::Warehouse
            | ComponentKind::ServingStore
            | ComponentKind::ObjectStore
            | ComponentKind::OltpDatabase
    )
}

fn phase_idx(p: Phase) -> usize {
    Phase::ALL.iter().position(|x| *x == p).unwrap_or(0)
}

impl Session {
    /// Learn from an answer and, unless time is up, say what comes next.
    pub(crate) fn respond(
        &mut self,
        text: &str,
        now: u64,
        scorer: &Scorer,
        turn: &mut Turn,
        time_up: bool,
    ) {
        let fresh = self.note_components(text, scorer);
        if self.phase != Phase::Clarify && self.answer_late_question(text, turn) && !time_up {
            // A clarifying question later in the round: answer it, then carry on.
            let s = self.line("keep_going", &[]);
            turn.says.push(s);
            return;
        }
        match self.phase {
            Phase::Clarify => self.clarify(text, &fresh, now, turn, time_up),
            _ if time_up => {}
            Phase::Architecture => self.architecture(text, &fresh, now, scorer, turn),
            Phase::DataFlow => self.data_flow(&fresh, now, scorer, turn),
            Phase::FailureModes => self.failure(text, now, scorer, turn),
        }
    }

    /// Answer a question about the problem asked after the clarify phase
    /// (interviewers answer those any time). True when one was answered.
    fn answer_late_question(&mut self, text: &str, turn: &mut Turn) -> bool {
        let facts = clarify::facts_asked(&self.problem, text);
        if facts.is_empty() || text.len() > 400 {
            return false;
        }
        let mut answers = Vec::new();
        for (i, f) in &facts {
            if !self.revealed.contains(i) {
                self.revealed.push(*i);
            }
            answers.push(f.answer.trim().to_string());
        }
        let a = answers.join(" ");
        let s = self.line("fact_answer", &[("answer", &a)]);
        turn.says.push(s);
        true
    }

    /// Add components named for the first time; returns them.
    fn note_components(&mut self, text: &str, scorer: &Scorer) -> Vec<NamedComponent> {
        let mut fresh = Vec::new();
        for m in scorer.components(text) {
            if m.vague || self.components.iter().any(|c| c.name == m.name) {
                continue;
            }
            let c = NamedComponent {
                name: m.name.clone(),
                kind: m.kind,
            };
            self.components.push(c.clone());
            fresh.push(c);
        }
        fresh
    }

    fn clarify(
        &mut self,
        text: &str,
        fresh: &[NamedComponent],
        now: u64,
        turn: &mut Turn,
        time_up: bool,
    ) {
        for t in clarify::topics_asked(text) {
            if !self.asked.contains(&t) {
                self.asked.push(t);
            }
        }
        let facts = clarify::facts_asked(&self.problem, text);
        let mut answers = Vec::new();
        for (i, f) in &facts {
            if !self.revealed.contains(i) {
                self.revealed.push(*i);
            }
            if !self.asked.contains(&f.topic) {
                self.asked.push(f.topic);
            }
            answers.push(f.answer.trim().to_string());
        }
        let missing: Vec<&str> = clarify::REQUIRED_TOPICS
            .iter()
            .filter(|t| !self.asked.contains(t))
            .map(|t| clarify::topic_name(*t))
            .collect();
        let designing = !fresh.is_empty() || text.contains("->");
        if designing && !missing.is_empty() && !self.jumped {
            self.jumped = true;
            let m = join_and(&missing);
            let s = self.line("jumped", &[("missing", &m)]);
            turn.says.push(s);
        }
        if !answers.is_empty() {
            let a = answers.join(" ");
            let s = self.line("fact_answer", &[("answer", &a)]);
            turn.says.push(s);
        } else if clarify::is_question(text) {
            let s = self.line("no_fact", &[]);
            turn.says.push(s);
        }
        if time_up {
            return;
        }
        if missing.is_empty() {
            let s = self.line("clarify_done", &[]);
            turn.says.push(s);
            self.advance(now, Transition::Covered, turn);
        } else if !turn.has("jumped") {
            let s = self.line("clarify_more", &[]);
            turn.says.push(s);
        }
    }

    fn architecture(
        &mut self,
        text: &str,
        fresh: &[NamedComponent],
        now: u64,
        scorer: &Scorer,
        turn: &mut Turn,
    ) {
        let arch = self.phase_text[phase_idx(Phase::Architecture)].clone();
        let diagram = crate::diagram::parse(&arch);
        let node_name = |i: usize| {
            diagram
                .nodes
                .get(i)
                .map(|n| n.product.clone().unwrap_or_else(|| n.name.clone()))
                .unwrap_or_default()
        };
        // 1. Arrows without format or volume.
        if self.asked_edges.len() < MAX_EDGE_PROBES {
            let pending = diagram
                .unannotated_edges()
                .into_iter()
                .map(|e| (node_name(e.from), node_name(e.to)))
                .find(|(f, t)| !self.asked_edges.contains(&format!("{f}->{t}")));
            if let Some((from, to)) = pending {
                self.asked_edges.push(format!("{from}->{to}"));
                let s = self.line("unannotated_edge", &[("from", &from), ("to", &to)]);
                turn.says.push(s);
                return;
            }
        }
        // 2. Vague boxes, unless a real product of that kind was named.
        if self.asked_vague.len() < MAX_VAGUE_PROBES {
            let mut vague: Vec<(String, ComponentKind)> = diagram
                .vague_nodes()
                .into_iter()
                .map(|n| (n.name.clone(), n.kind))
                .collect();
            vague.extend(
                scorer
                    .components(text)
                    .into_iter()
                    .filter(|m| m.vague)
                    .map(|m| (m.evidence.quote.clone(), m.kind)),
            );
            let pick = vague.into_iter().find(|(name, kind)| {
                !self.asked_vague.contains(name)
                    && *kind != ComponentKind::Producer
                    && (*kind == ComponentKind::Other
                        || !self.components.iter().any(|c| c.kind == *kind))
            });
            if let Some((name, _)) = pick {
                self.asked_vague.push(name.clone());
                let s = self.line("vague_box", &[("name", &name)]);
                turn.says.push(s);
                return;
            }
        }
        // 3. A follow-up on a component just named.
        if self.component_probe(fresh, turn) {
            return;
        }
        // 4. Box count.
        let n = self.components.len();
        if !self.asked_count && !(5..=7).contains(&n) {
            self.asked_count = true;
            let count = n.to_string();
            let intent = if n < 5 {
                if n == 0 {
                    "no_product_names"
                } else {
                    "too_few_boxes"
                }
            } else {
                "too_many_boxes"
            };
            let s = self.line(intent, &[("count", &count)]);
            turn.says.push(s);
            return;
        }
        // 5. Covered?
        let turns = self.phase_turns[phase_idx(Phase::Architecture)];
        if n >= 5 && (!diagram.is_empty() || turns >= 2) {
            let s = self.line("phase_covered", &[("phase", "the architecture")]);
            turn.says.push(s);
            self.advance(now, Transition::Covered, turn);
            return;
        }
        let s = self.line("keep_going", &[]);
        turn.says.push(s);
    }

    fn component_probe(&mut self, fresh: &[NamedComponent], turn: &mut Turn) -> bool {
        if self.probes_this_phase >= MAX_COMPONENT_PROBES[phase_idx(self.phase)] {
            return false;
        }
        for c in fresh {
            if self.probed.contains(&c.name) {
                continue;
            }
            if let Some(q) = planner::component_probe(self.phase, c) {
                self.probed.push(c.name.clone());
                self.probes_this_phase += 1;
                turn.follow_up = true;
                turn.says.push(crate::interview::session::Say {
                    intent: "component_probe".into(),
                    text: q,
                });
                return true;
            }
        }
        false
    }

    fn data_flow(&mut self, fresh: &[NamedComponent], now: u64, scorer: &Scorer, turn: &mut Turn) {
        let df = self.phase_text[phase_idx(Phase::DataFlow)].clone();
        let lower = df.to_ascii_lowercase();
        // 1. Idempotency of each write named.
        let mut sinks: Vec<String> = Vec::new();
        for m in scorer.components(&df) {
            if !m.vague && is_sink(m.kind) && !sinks.contains(&m.name) {
                sinks.push(m.name);
            }
        }
        let pending_sink = sinks.iter().find(|s| {
            !self.asked_idempotency.contains(s) && !sentence_covers(&df, s, IDEMPOTENCY_CUES)
        });
        if let Some(sink) = pending_sink.cloned() {
            self.asked_idempotency.push(sink.clone());
            let s = self.line("probe_idempotency", &[("component", &sink)]);
            turn.says.push(s);
            return;
        }
        // 2. Partitioning key, 3. consistency guarantee.
        let partition_ok = has_cue(&lower, PARTITION_CUES);
        let consistency_ok = has_cue(&lower, CONSISTENCY_CUES);
        if !partition_ok && !self.asked_partition {
            self.asked_partition = true;
            let s = self.line("probe_partitioning", &[]);
            turn.says.push(s);
            return;
        }
        if !consistency_ok && !self.asked_consistency {
            self.asked_consistency = true;
            let s = self.line("probe_consistency", &[]);
            turn.says.push(s);
            return;
        }
        // 4. A component just named.
        if self.component_probe(fresh, turn) {
            return;
        }
        let turns = self.phase_turns[phase_idx(Phase::DataFlow)];
        if turns >= 2 {
            let s = self.line("phase_covered", &[("phase", "the data flow")]);
            turn.says.push(s);
            self.advance(now, Transition::Covered, turn);
            return;
        }
        let s = self.line("keep_going", &[]);
        turn.says.push(s);
    }

    fn failure(&mut self, text: &str, now: u64, scorer: &Scorer, turn: &mut Turn) {
        if !self.failure_answer.is_empty() {
            self.failure_answer.push_str("\n\n");
        }
        self.failure_answer.push_str(text);
        let missing = gaps(scorer, &self.failure_answer);
        if let Some(gap) = planner::next_follow_up(&missing, self.follow_ups) {
            self.follow_ups += 1;
            turn.follow_up = true;
            let intent = match gap {
                Gap::Detect => "follow_up_detect",
                Gap::Recover => "follow_up_recover",
                Gap::PreventLoss => "follow_up_prevent_loss",
            };
            let s = self.line(intent, &[]);
            turn.says.push(s);
            return;
        }
        if !missing.is_empty() {
            let s = self.line("failure_budget_spent", &[]);
            turn.says.push(s);
        }
        self.next_failure(now, scorer, turn);
    }

    /// `/next` in the failure phase: move to the next failure.
    pub(crate) fn skip_failure(&mut self, now: u64, turn: &mut Turn, scorer: &Scorer) {
        let s = self.line("next_requested", &[]);
        turn.says.push(s);
        self.next_failure(now, scorer, turn);
    }

    fn next_failure(&mut self, now: u64, scorer: &Scorer, turn: &mut Turn) {
        self.close_current_failure(scorer);
        self.current += 1;
        self.follow_ups = 0;
        self.failure_answer.clear();
        if self.results.len() >= planner::MIN_FAILURES || self.current >= self.plan.len() {
            self.finish(now, turn, Some(Transition::Covered));
            return;
        }
        let q = self.plan[self.current].question.clone();
        self.failure_open = true;
        let s = self.line("failure_next", &[("question", &q)]);
        turn.says.push(s);
    }
}

/// "a, b and c".
fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
