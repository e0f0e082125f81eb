//! What the interviewer says next in the clarify, architecture and
//! data-flow phases: read the answer into the design model, follow up on
//! the question on the table (resolved, pushed once, or left as a gap),
//! then ask about the first gap the model shows, then challenge, then move
//! on. Deterministic: the same design gives the same move.

use crate::design::questions;
use crate::design::{Role, TurnReading};
use crate::interview::challenges::{self, Kind};
use crate::interview::curveballs::{self, CurveballResult};
use crate::interview::moves::Move;
use crate::interview::session::{phase_index, Check, Pending, Say, Session, Transition, Turn};
use crate::rubric::{ComponentKind, FactTopic, Phase};
use crate::score::Scorer;

/// Arrows asked about one by one before asking for the rest at once.
const MAX_EDGE_PROBES: usize = 3;
/// Challenges per phase before moving on.
const CHALLENGES: [u32; 4] = [0, 2, 3, 0];
/// Candidate turns in the data-flow phase before the tightened requirement.
const TIGHTEN_AFTER_TURNS: u32 = 2;

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
        let about = self.pending.as_ref().and_then(|p| p.about);
        let reading = self
            .design
            .add_turn(scorer.reader(), text, Some(self.phase), about);
        if let Some(dr) = &mut self.drill {
            dr.absorb(&reading.failure);
        }
        if self.phase != Phase::Clarify
            && !time_up
            && self.answer_late_question(text, &reading, turn)
        {
            let s = self.line("keep_going", &[]);
            turn.says.push(s);
            return;
        }
        match self.phase {
            Phase::Clarify => self.clarify(text, &reading, now, scorer, turn, time_up),
            _ if time_up => {}
            Phase::Architecture => self.architecture(&reading, now, scorer, turn),
            Phase::DataFlow => self.data_flow(&reading, now, scorer, turn),
            Phase::FailureModes => self.failure(&reading, now, scorer, turn),
        }
    }

    /// Say a move, record it, and put it on the table.
    pub(crate) fn ask(&mut self, turn: &mut Turn, mv: Move, check: Check) {
        let about = mv.target.as_deref().and_then(|t| self.design.find(t));
        let say = self.say_move(&mv);
        turn.says.push(say);
        self.history.push(mv.key());
        turn.moves.insert(0, mv.clone());
        self.offered = vec![mv.clone()];
        self.pending = Some(Pending {
            mv,
            pushed: false,
            about,
            check,
        });
    }

    pub(crate) fn say_move(&self, mv: &Move) -> Say {
        self.line(&mv.intent, &mv.pairs())
    }

    pub(crate) fn asked_before(&self, mv: &Move) -> bool {
        self.history.contains(&mv.key())
    }

    /// True when the design now holds what a pending question asked for.
    pub(crate) fn resolved(&self, check: Check) -> bool {
        let d = &self.design;
        match check {
            Check::Diagram => d.has_diagram(),
            Check::Annotated(i) => d.edges.get(i).is_some_and(|e| e.annotated()),
            Check::Product(i) => d.components.get(i).is_some_and(|c| !c.vague),
            Check::Boxes(n) => d.boxes().count() > n,
            Check::Key => !d.keys.is_empty(),
            Check::Guarantee => d.explained_guarantee().is_some(),
            Check::Write(s) => d.write_for(s).is_some(),
            Check::Substance | Check::Curveball(_) => false,
        }
    }

    /// Follow up on the question on the table. True when this turn's reply
    /// is a push (nothing else is said after it).
    pub(crate) fn follow_pending(&mut self, reading: &TurnReading, turn: &mut Turn) -> bool {
        let Some(p) = self.pending.clone() else {
            return false;
        };
        let resolved =
            match p.check {
                Check::Substance => reading.substance,
                Check::Product(i) => {
                    self.resolved(p.check)
                        || reading.new_components.iter().any(|&n| {
                            let c = &self.design.components[n];
                            !c.vague
                                && self.design.components.get(i).is_some_and(|v| {
                                    v.kind == c.kind || v.kind == ComponentKind::Other
                                })
                        })
                }
                Check::Curveball(i) => self.follow_curveball(i, reading),
                c => self.resolved(c),
            };
        if resolved {
            self.pending = None;
            if p.check == Check::Substance {
                let said = self
                    .design
                    .turns()
                    .last()
                    .map(|t| self.design.text()[t.start..t.end].to_string())
                    .unwrap_or_default();
                self.answered.push((p.mv.intent.clone(), said));
            }
            if reading.substance {
                let s = self.line("ack", &[]);
                turn.says.push(s);
            }
            return false;
        }
        if !p.pushed {
            let said = self.first_sentence_of_last_turn();
            let intent = if !reading.substance && reading.words <= 12 {
                "push_nonanswer".to_string()
            } else {
                format!("push_{}", p.mv.intent)
            };
            let intent = if self.templates.has(&intent) {
                intent
            } else {
                "push_generic".to_string()
            };
            let mut mv = Move {
                intent,
                ..p.mv.clone()
            }
            .word("said", said.clone());
            mv.quote = Some(said);
            let say = self.say_move(&mv);
            turn.says.push(say);
            self.history.push(mv.key());
            turn.moves.insert(0, mv);
            turn.follow_up = true;
            if let Some(pp) = &mut self.pending {
                pp.pushed = true;
            }
            return true;
        }
        if let Check::Curveball(i) = p.check {
            if let Some(c) = self.curveballs.get_mut(i) {
                c.adapted = Some(false);
            }
            self.pending = None;
        } else {
            self.leave_pending();
        }
        let s = self.line("gap_left", &[]);
        turn.says.push(s);
        false
    }

    /// The newest candidate turn's first sentence, for quoting back.
    pub(crate) fn first_sentence_of_last_turn(&self) -> String {
        let Some(t) = self.design.turns().last() else {
            return String::new();
        };
        let text = &self.design.text()[t.start..t.end];
        let first = text
            .split_inclusive(['.', '?', '!', '\n'])
            .map(str::trim)
            .find(|s| !s.is_empty())
            .unwrap_or("");
        let one: String = first.split_whitespace().collect::<Vec<_>>().join(" ");
        if one.chars().count() > 120 {
            let cut: String = one.chars().take(117).collect();
            let cut = cut
                .rsplit_once(' ')
                .map_or(cut.as_str(), |(a, _)| a)
                .to_string();
            format!("{cut}…")
        } else {
            one
        }
    }

    /// Answer a question about the problem asked after the clarify phase
    /// (interviewers answer those any time). True when one was answered.
    fn answer_late_question(&mut self, text: &str, reading: &TurnReading, turn: &mut Turn) -> bool {
        if reading.question.is_none() || text.len() > 400 {
            return false;
        }
        let lines = self.fact_lines(text);
        if lines.is_empty() {
            return false;
        }
        turn.says.extend(lines);
        true
    }

    /// The answers to the facts a question asks for: what was not said yet
    /// in full, what was said already as a short reminder.
    fn fact_lines(&mut self, text: &str) -> Vec<Say> {
        let facts = questions::facts_asked(&self.problem, text);
        let mut fresh = Vec::new();
        let mut again = Vec::new();
        for (i, f) in &facts {
            if self.revealed.contains(i) {
                again.push(questions::closest_sentence(&f.answer, text).to_string());
            } else {
                self.revealed.push(*i);
                fresh.push(f.answer.trim().to_string());
            }
        }
        let mut out = Vec::new();
        if !fresh.is_empty() {
            let a = fresh.join(" ");
            out.push(self.line("fact_answer", &[("answer", &a)]));
        }
        if !again.is_empty() && fresh.is_empty() {
            let a = again.join(" ");
            out.push(self.line("fact_repeat", &[("answer", &a)]));
        }
        out
    }

    fn clarify(
        &mut self,
        text: &str,
        reading: &TurnReading,
        now: u64,
        scorer: &Scorer,
        turn: &mut Turn,
        time_up: bool,
    ) {
        if let Some(q) = reading.question.and_then(|i| self.design.questions.get(i)) {
            for t in q.topics.clone() {
                if !self.asked.contains(&t) {
                    self.asked.push(t);
                }
            }
        }
        let facts = questions::facts_asked(&self.problem, text);
        for (_, f) in &facts {
            if !self.asked.contains(&f.topic) {
                self.asked.push(f.topic);
            }
        }
        let answers = self.fact_lines(text);
        let missing: Vec<FactTopic> = questions::REQUIRED_TOPICS
            .iter()
            .filter(|t| !self.asked.contains(t))
            .copied()
            .collect();
        if reading.designing && !missing.is_empty() && !self.jumped {
            self.jumped = true;
            let names: Vec<&str> = missing.iter().map(|t| questions::topic_name(*t)).collect();
            let m = join_and(&names);
            let s = self.line("jumped", &[("missing", &m)]);
            turn.says.push(s);
        }
        let answered = !answers.is_empty();
        turn.says.extend(answers);
        if !answered && reading.question.is_some() {
            let s = self.line("no_fact", &[]);
            turn.says.push(s);
        }
        if time_up {
            return;
        }
        if missing.is_empty() {
            let s = self.line("clarify_done", &[]);
            turn.says.push(s);
            self.advance(now, Transition::Covered, turn, scorer);
        } else if !turn.has("jumped") {
            let s = self.line("clarify_more", &[]);
            turn.says.push(s);
        }
    }

    fn architecture(&mut self, reading: &TurnReading, now: u64, scorer: &Scorer, turn: &mut Turn) {
        if self.follow_pending(reading, turn) {
            return;
        }
        if let Some((mv, check)) = self.architecture_gap() {
            self.ask(turn, mv, check);
            return;
        }
        if self.challenge(scorer, Phase::Architecture, turn) {
            return;
        }
        self.close_phase(now, "the architecture", turn, scorer);
    }

    /// Say the phase is covered (only when nothing was left open in it)
    /// and move on.
    fn close_phase(&mut self, now: u64, name: &str, turn: &mut Turn, scorer: &Scorer) {
        if turn.says.last().is_some_and(|s| s.intent == "ack") {
            turn.says.pop();
        }
        let open = self.gaps_left.iter().any(|g| g.phase == self.phase);
        let s = if open || (self.phase == Phase::Architecture && !self.design.has_diagram()) {
            self.line("phase_moving_on", &[("phase", name)])
        } else {
            self.line("phase_covered", &[("phase", name)])
        };
        turn.says.push(s);
        self.advance(now, Transition::Covered, turn, scorer);
    }

    fn architecture_gap(&self) -> Option<(Move, Check)> {
        let d = &self.design;
        // 1. A diagram at all: products listed in prose are not an architecture.
        if !d.has_diagram() {
            let named: Vec<&str> = d
                .components
                .iter()
                .filter(|c| !c.vague)
                .map(|c| c.label())
                .collect();
            let mv = if named.is_empty() {
                Move::new("ask_diagram_empty").target("diagram")
            } else {
                Move::new("ask_diagram")
                    .target("diagram")
                    .var("named", join_and(&named))
            };
            return (!self.asked_before(&mv)).then_some((mv, Check::Diagram));
        }
        // 2. Vague boxes.
        for (i, c) in d.boxes() {
            if c.vague && c.kind != ComponentKind::Producer {
                let mv = Move::new("vague_box")
                    .target(c.name.clone())
                    .quote(c.introduced.evidence.quote.clone())
                    .var("name", c.name.clone());
                if !self.asked_before(&mv) {
                    return Some((mv, Check::Product(i)));
                }
            }
        }
        // 3. Arrows without what flows and how much.
        let asked_edges = self
            .history
            .iter()
            .filter(|k| k.starts_with("annotate_edge"))
            .count();
        for (i, e) in d.arrows() {
            if e.annotated() {
                continue;
            }
            let (from, to) = (d.components[e.from].label(), d.components[e.to].label());
            let target = format!("{from} → {to}");
            let intent = match (e.payload.is_some() || e.format.is_some(), e.rate.is_some()) {
                (true, false) => "annotate_edge_rate",
                (false, true) => "annotate_edge_payload",
                _ => "annotate_edge",
            };
            let mut mv = Move::new(intent)
                .target(target)
                .quote(e.evidence.quote.clone())
                .var("from", from.to_string())
                .var("to", to.to_string());
            if let Some(p) = e.payload.as_ref().or(e.format.as_ref()) {
                mv = mv.var("payload", p.value.clone());
            }
            if let Some(r) = &e.rate {
                mv = mv.var("rate", r.value.clone());
            }
            if self
                .history
                .iter()
                .any(|k| k.ends_with(&format!("|{}", mv.target.as_deref().unwrap_or(""))))
            {
                continue;
            }
            if asked_edges >= MAX_EDGE_PROBES {
                let rest = Move::new("annotate_rest").target("arrows");
                return (!self.asked_before(&rest)).then_some((rest, Check::Substance));
            }
            return Some((mv, Check::Annotated(i)));
        }
        // 4. Enough boxes to cover source, storage, transformation, serving.
        let boxes: Vec<(usize, &crate::design::Component)> = d.boxes().collect();
        let n = boxes.len();
        if n < 4 {
            let missing = self.missing_layers();
            let mv = Move::new("too_few_boxes")
                .target("boxes")
                .var("count", n.to_string())
                .word(
                    "missing",
                    join_and(&missing.iter().map(String::as_str).collect::<Vec<_>>()),
                );
            if !self.asked_before(&mv) && !missing.is_empty() {
                return Some((mv, Check::Boxes(n)));
            }
        } else if n > 9 {
            let mv = Move::new("too_many_boxes")
                .target("boxes")
                .var("count", n.to_string());
            if !self.asked_before(&mv) {
                return Some((mv, Check::Substance));
            }
        }
        None
    }

    /// Layers the drawn design has no box for.
    fn missing_layers(&self) -> Vec<String> {
        use ComponentKind::*;
        let kinds: Vec<ComponentKind> = self.design.boxes().map(|(_, c)| c.kind).collect();
        let has = |ks: &[ComponentKind]| kinds.iter().any(|k| ks.contains(k));
        let mut out = Vec::new();
        if !has(&[ObjectStore, Warehouse]) {
            out.push("where the data lands".to_string());
        }
        if !has(&[StreamProcessor, BatchProcessor]) {
            out.push("what transforms it".to_string());
        }
        if !has(&[ServingStore, Warehouse, FeatureStore]) {
            out.push("what serves the consumer".to_string());
        }
        out
    }

    fn data_flow(&mut self, reading: &TurnReading, now: u64, scorer: &Scorer, turn: &mut Turn) {
        if self.follow_pending(reading, turn) {
            return;
        }
        if self.phase_turns[phase_index(Phase::DataFlow)] >= TIGHTEN_AFTER_TURNS
            && self.deliver_curveball(now, turn)
        {
            return;
        }
        if let Some((mv, check)) = self.data_flow_gap() {
            self.ask(turn, mv, check);
            return;
        }
        if self.challenge(scorer, Phase::DataFlow, turn) {
            return;
        }
        self.close_phase(now, "the data flow", turn, scorer);
    }

    /// The main path through the design, as the candidate named it.
    pub(crate) fn path(&self) -> String {
        let d = &self.design;
        let mut path: Vec<usize> = Vec::new();
        let start = (0..d.components.len())
            .find(|&i| d.role(i) == Role::Source && d.edges.iter().any(|e| e.from == i));
        let mut at = start.or_else(|| d.edges.first().map(|e| e.from));
        while let Some(i) = at {
            if path.contains(&i) || path.len() > 6 {
                break;
            }
            path.push(i);
            at = d.edges.iter().find(|e| e.from == i).map(|e| e.to);
        }
        let names: Vec<&str> = path.iter().map(|&i| d.components[i].label()).collect();
        names.join(" → ")
    }

    fn data_flow_gap(&self) -> Option<(Move, Check)> {
        let d = &self.design;
        let in_flow =
            |i: usize| d.components[i].drawn || d.edges.iter().any(|e| e.from == i || e.to == i);
        // 1. The partition key.
        if d.keys.is_empty() {
            let target = (0..d.components.len())
                .find(|&i| in_flow(i) && d.components[i].kind == ComponentKind::Queue)
                .or_else(|| {
                    (0..d.components.len()).find(|&i| {
                        in_flow(i)
                            && matches!(
                                d.components[i].kind,
                                ComponentKind::StreamProcessor
                                    | ComponentKind::ObjectStore
                                    | ComponentKind::Warehouse
                            )
                    })
                });
            if let Some(i) = target {
                let name = d.components[i].label().to_string();
                let mv = Move::new("ask_key")
                    .target(name.clone())
                    .var("component", name);
                if !self.asked_before(&mv) {
                    return Some((mv, Check::Key));
                }
            }
        }
        // 2. The delivery guarantee and what gives it.
        if d.explained_guarantee().is_none() {
            let path = self.path();
            let writer = (0..d.components.len())
                .find(|&i| {
                    in_flow(i)
                        && matches!(
                            d.components[i].kind,
                            ComponentKind::StreamProcessor | ComponentKind::BatchProcessor
                        )
                })
                .map(|i| d.components[i].label().to_string())
                .unwrap_or_else(|| "the job".into());
            let sink = d
                .sinks()
                .first()
                .map(|&i| d.components[i].label().to_string())
                .unwrap_or_else(|| "the sink".into());
            let claim = d.guarantees.first().map(|g| g.evidence.quote.clone());
            let intent = if claim.is_some() {
                "ask_guarantee_mechanism"
            } else {
                "ask_guarantee"
            };
            let mut mv = Move::new(intent)
                .target(if path.is_empty() {
                    "path".to_string()
                } else {
                    path.clone()
                })
                .var("path", path)
                .var("writer", writer)
                .var("sink", sink);
            if let Some(c) = claim {
                mv = mv.quote(c.clone()).word("claim", c);
            }
            if !self.asked_before(&mv) {
                return Some((mv, Check::Guarantee));
            }
        }
        // 3. Every write the design makes: safe to retry?
        for s in d.sinks() {
            if d.write_for(s).is_some() {
                continue;
            }
            let name = d.components[s].label().to_string();
            let writer = d
                .edges
                .iter()
                .find(|e| e.to == s)
                .map(|e| d.components[e.from].label().to_string());
            let mv = match writer {
                Some(w) => Move::new("ask_idempotent_write")
                    .target(name.clone())
                    .var("sink", name)
                    .var("writer", w),
                None => Move::new("ask_idempotent_write_plain")
                    .target(name.clone())
                    .var("sink", name),
            };
            if !self.asked_before(&mv) {
                return Some((mv, Check::Write(s)));
            }
        }
        None
    }

    /// Ask the best challenge not asked yet, within the phase's budget.
    pub(crate) fn challenge(&mut self, scorer: &Scorer, phase: Phase, turn: &mut Turn) -> bool {
        let budget = CHALLENGES[phase_index(phase)];
        if phase != Phase::FailureModes && self.challenges_this_phase >= budget {
            return false;
        }
        let cx = challenges::Ctx {
            design: &self.design,
            problem: &self.problem,
            rubric: scorer.rubric(),
            revealed: &self.revealed,
            asked: &self.history,
        };
        let mut all = challenges::candidates(&cx, phase);
        if let Some(f) = &self.focus {
            let kinds = focus_kinds(f.as_str());
            all.sort_by_key(|m| {
                !kinds
                    .iter()
                    .any(|k| k.intent() == m.intent || m.intent.starts_with(k.intent()))
            });
        }
        let fresh: Vec<Move> = all.into_iter().filter(|m| !self.asked_before(m)).collect();
        let Some(mv) = fresh.first().cloned() else {
            return false;
        };
        // Up to two alternatives a model may ask instead (never one that
        // reveals a fact: that is said only when the code picks it).
        let alternatives: Vec<Move> = fresh
            .into_iter()
            .skip(1)
            .filter(|m| m.intent != Kind::HiddenConstraint.intent())
            .take(2)
            .collect();
        if mv.intent == Kind::HiddenConstraint.intent() {
            if let Some(i) = mv
                .target
                .as_deref()
                .and_then(|t| t.strip_prefix("fact-"))
                .and_then(|n| n.parse().ok())
            {
                if !self.revealed.contains(&i) {
                    self.revealed.push(i);
                }
            }
        }
        self.challenges_this_phase += 1;
        self.ask(turn, mv, Check::Substance);
        self.offered.extend(alternatives.iter().cloned());
        turn.moves.extend(alternatives);
        turn.follow_up = true;
        true
    }

    /// Deliver the curveball due now, if any. True when one was said.
    pub(crate) fn deliver_curveball(&mut self, now: u64, turn: &mut Turn) -> bool {
        let progress = self.progress(now);
        let Some(c) =
            curveballs::due(&self.problem.curveballs, &self.curveballs, progress).cloned()
        else {
            return false;
        };
        let intent = format!("curveball_{}", c.kind.id());
        let mv = Move::new(&intent)
            .target(c.title.clone())
            .word("say", c.say.clone());
        self.curveballs.push(CurveballResult {
            kind: c.kind,
            title: c.title.clone(),
            said: c.say.clone(),
            since_turn: self.design.turns().len() as u32 + 1,
            adapted: None,
            quote: None,
            expect: c.expect.clone(),
            pushed: false,
        });
        let i = self.curveballs.len() - 1;
        self.ask(turn, mv, Check::Curveball(i));
        true
    }

    /// Read an answer to curveball `i`: true when it adapted the design.
    fn follow_curveball(&mut self, i: usize, reading: &TurnReading) -> bool {
        let terms = self
            .problem
            .curveballs
            .iter()
            .find(|c| Some(c.kind) == self.curveballs.get(i).map(|r| r.kind))
            .map(|c| c.adapted_by.clone())
            .unwrap_or_default();
        let cue = self.design.last_turn_mentions(&terms);
        let new_products = reading
            .new_components
            .iter()
            .filter(|&&c| self.design.components.get(c).is_some_and(|x| !x.vague))
            .count();
        let ok = curveballs::adapted(
            reading,
            cue.as_ref().map(|e| e.quote.as_str()),
            new_products,
        );
        let quote = cue
            .map(|e| e.quote)
            .unwrap_or_else(|| self.first_sentence_of_last_turn());
        if let Some(r) = self.curveballs.get_mut(i) {
            if ok || r.quote.is_none() {
                r.quote = Some(quote);
            }
            if ok {
                r.adapted = Some(true);
            } else if !r.pushed {
                r.pushed = true;
            }
        }
        ok
    }
}

/// Challenge kinds that practise a focus concept.
fn focus_kinds(concept: &str) -> Vec<Kind> {
    match concept {
        "hot-keys" => vec![Kind::HotKey],
        "backfill" => vec![Kind::Backfill, Kind::ReplayWindow],
        "watermarks" | "event-time" => vec![Kind::LateData],
        "schema-evolution" => vec![Kind::SchemaChange],
        "cost" => vec![Kind::Cost, Kind::StorageGrowth],
        "partitioning" => vec![Kind::PartitionCapacity, Kind::PartitionCount, Kind::HotKey],
        "exactly-once" | "idempotency" => vec![Kind::ExactlyOnceClaim],
        "sla-tiers" => vec![Kind::SlaTiers, Kind::FreshnessBudget],
        _ => Vec::new(),
    }
}

/// "a, b and c".
pub(crate) fn join_and(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [rest @ .., last] => format!("{} and {last}", rest.join(", ")),
    }
}
