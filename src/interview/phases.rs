//! What the interviewer says next in the clarify, architecture and
//! data-flow phases: read the answer into the design model, follow up on
//! the question on the table (resolved, pushed once, or left as a gap),
//! then ask about the first gap the model shows, then challenge, then move
//! on. Deterministic: the same design gives the same move.

use crate::design::TurnReading;
use crate::interview::answers;
use crate::interview::challenges::{self, Kind};
use crate::interview::curveballs::{self, CurveballResult};
use crate::interview::moves::Move;
use crate::interview::session::{phase_index, Check, Pending, Say, Session, Transition, Turn};
use crate::rubric::Phase;
use crate::score::Scorer;

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
        let pending = self.pending.as_ref();
        let asked = crate::design::Asked {
            component: pending.and_then(|p| p.about),
            edge: match pending.map(|p| p.check) {
                Some(Check::Annotated(i)) => Some(i),
                _ => None,
            },
            key: pending.is_some_and(|p| p.check == Check::Key),
            what_if: pending.is_some_and(|p| matches!(p.check, Check::Curveball(_))),
        };
        let reading = self
            .design
            .read_answer(scorer.reader(), text, Some(self.phase), asked);
        // An answer about another failure than the drill's says nothing of
        // how this one is detected, recovered or kept from losing data.
        self.elsewhere = self
            .plan
            .get(self.current)
            .filter(|_| self.drill.is_some())
            .and_then(|f| {
                let heard = format!("{} {}", f.title, f.question);
                crate::interview::off_target::other_failure(&self.problem, &f.id, &heard, text)
            })
            .map(|other| other.title.clone());
        let guarded = self.asks_guardrail();
        let gated = self.asks_gate();
        if let Some(dr) = self.drill.as_mut().filter(|_| self.elsewhere.is_none()) {
            if answers::hand_wave(text) || answers::buzz_only(text) {
                dr.absorb_evasive(&reading.failure);
            } else {
                dr.absorb(&reading.failure);
            }
            let class = self.plan.get(self.current).and_then(|f| f.class.as_deref());
            if class == Some("duplicates") {
                dr.collapse_duplicates();
            }
            // A failure that puts no data at risk is prevented by a
            // guardrail said concretely ("per-query limits of 1M series").
            let off = self.design.turns().last().map_or(0, |t| t.start);
            if guarded {
                if let Some(ev) = crate::interview::guards::guard_said(text, off) {
                    dr.grant(crate::interview::drills::Part::Prevent, ev);
                }
            }
            // Bad data kept from its readers by a gate said with what it
            // holds on ("not published until a passing result exists").
            if gated {
                if let Some(ev) = crate::interview::guards::gate_said(text, off) {
                    dr.grant(crate::interview::drills::Part::Prevent, ev);
                }
            }
        }
        // "Can I talk about how we did it at my last company?" with nothing
        // for the design in it: back to this problem, the question kept.
        let clarifying = self.phase == Phase::Clarify;
        if !time_up
            && (clarifying || !reading.substance)
            && reading.new_components.is_empty()
            && reading.new_edges.is_empty()
            && !answers::skip_request(text)
            && crate::design::questions::digression(text)
            && crate::design::questions::facts_to_answer(&self.problem, text).is_empty()
        {
            if clarifying {
                let s = self.line("clarify_digression", &[]);
                turn.says.push(s);
                return;
            }
            if self.pending.is_some() && self.evasive.last().map(String::as_str) != Some(text) {
                self.evasive.push(text.to_string());
            }
            let s = self.line("digression", &[]);
            turn.says.push(s);
            let s = self.back_to_the_table();
            turn.says.push(s);
            return;
        }
        if self.phase != Phase::Clarify
            && !time_up
            && (self.answer_late_question(text, &reading, turn)
                || self.open_late_question(text, &reading, turn))
        {
            let s = self.back_to_the_table();
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

    /// After answering a question about the problem mid-round, what is on
    /// the table again: the question still open, else the diagram still
    /// missing, else an invitation to go on.
    fn back_to_the_table(&self) -> Say {
        if let Some(p) = &self.pending {
            let q = self.say_move(&p.mv).text;
            return self.line("back_to_question", &[("question", &q)]);
        }
        // A failure drill open: its question again.
        if let Some(f) = self.plan.get(self.current).filter(|_| self.drill.is_some()) {
            return self.line("back_to_question", &[("question", &f.question)]);
        }
        if self.phase == Phase::Architecture && !self.design.has_diagram() {
            return self.line("back_to_board", &[]);
        }
        self.line("keep_going", &[])
    }

    /// Say a move, record it, and put it on the table.
    pub(crate) fn ask(&mut self, turn: &mut Turn, mv: Move, check: Check) {
        let about = mv.target.as_deref().and_then(|t| self.design.find(t));
        let say = self.say_move(&mv);
        turn.says.push(say);
        self.history.push(mv.key());
        // A claim said back ("You said \"exactly-once end to end\"") is
        // said back once.
        if let Some(q) = mv
            .quote
            .as_ref()
            .filter(|_| mv.intent.ends_with("_claimed"))
        {
            self.history.push(format!("quoted|{q}"));
        }
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

    fn architecture(&mut self, reading: &TurnReading, now: u64, scorer: &Scorer, turn: &mut Turn) {
        if self.follow_pending(reading, turn)
            || self.claim_unasked(turn)
            || self.challenge_hand_wave(turn)
        {
            return;
        }
        if self.numbers_first(scorer, Phase::Architecture, turn) {
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

    /// A dubious claim ("acks=1", "exactly-once because of Kafka") in a
    /// turn that answered no question on the table is said back too: the
    /// follow-up checks claims only in answers to its own questions.
    fn claim_unasked(&mut self, turn: &mut Turn) -> bool {
        if self.pending.is_some() {
            return false;
        }
        let text = self.last_turn_text();
        self.push_claim(&text, turn)
    }

    /// Say the phase is covered (only when nothing was left open in it)
    /// and move on.
    fn close_phase(&mut self, now: u64, name: &str, turn: &mut Turn, scorer: &Scorer) {
        if turn.says.last().is_some_and(|s| s.intent == "ack") {
            turn.says.pop();
        }
        let open = self.gaps_left.iter().any(|g| g.phase == self.phase);
        // Right after "I'll leave that one open" (a challenge left
        // unanswered too), "that covers what I wanted" would contradict it;
        // a second "I'll leave the architecture there" repeats it: just
        // move on.
        let just_left = turn.says.last().is_some_and(|s| s.intent == "gap_left");
        // A brief need the board leaves out is said as the walk-through is
        // asked for: not "that covers what I wanted" first.
        let brief_gap = self.phase == Phase::Architecture && self.brief_uncovered().is_some();
        let s = if open
            || brief_gap
            || just_left
            || (self.phase == Phase::Architecture && !self.design.has_diagram())
        {
            let mut s = self.line("phase_moving_on", &[("phase", name)]);
            if just_left {
                s.text = self
                    .line("phase_moving_on_after_gap", &[("phase", name)])
                    .text;
            }
            s
        } else {
            self.line("phase_covered", &[("phase", name)])
        };
        turn.says.push(s);
        self.advance(now, Transition::Covered, turn, scorer);
    }

    fn data_flow(&mut self, reading: &TurnReading, now: u64, scorer: &Scorer, turn: &mut Turn) {
        if self.follow_pending(reading, turn)
            || self.claim_unasked(turn)
            || self.challenge_hand_wave(turn)
        {
            return;
        }
        if self.phase_turns[phase_index(Phase::DataFlow)] >= TIGHTEN_AFTER_TURNS
            && curveballs::due(
                &self.problem.curveballs,
                &self.curveballs,
                self.progress(now),
            )
            .is_some()
        {
            // A sum in this very answer that does not add up is said back
            // before the requirement changes, while it is on the table;
            // the new requirement comes after.
            if self.push_numbers(turn) {
                drop_ack_before_last(turn);
                return;
            }
            if self.deliver_curveball(now, turn) {
                return;
            }
        }
        if self.numbers_first(scorer, Phase::DataFlow, turn) {
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

    /// Open the data-flow phase. A walk-through given already is picked
    /// up, not asked for again: the part of the path it left out, else the
    /// keys it did not give hop by hop; when it gave a key too, the first
    /// hop worth a question (the guarantee, if that is what is missing) is
    /// asked straight away.
    pub(crate) fn open_data_flow(&mut self, turn: &mut Turn) {
        let unit = crate::interview::units::record_word(&self.problem.category);
        let complete = !self.design.keys.is_empty();
        // The question asked with the intro, when the walk left nothing
        // but a hop's detail open.
        let mut ask = None;
        let s = match self.walked_path() {
            Some(w) if !w.rest.is_empty() => {
                let rest: Vec<&str> = w.rest.iter().map(String::as_str).collect();
                let rest = join_and(&rest);
                self.line(
                    "intro_data_flow_walked_rest",
                    &[
                        ("unit", unit),
                        ("from", &w.first),
                        ("to", &w.last),
                        ("rest", &rest),
                    ],
                )
            }
            Some(w) if complete => {
                ask = self.data_flow_gap();
                let intro = match ask {
                    Some(_) => "intro_data_flow_walked_full",
                    None => "intro_data_flow_walked_nothing_open",
                };
                self.line(
                    intro,
                    &[("unit", unit), ("from", &w.first), ("to", &w.last)],
                )
            }
            Some(w) => self.line(
                "intro_data_flow_walked",
                &[("unit", unit), ("from", &w.first), ("to", &w.last)],
            ),
            None => self.line("intro_data_flow", &[("unit", unit)]),
        };
        turn.says.push(s);
        if let Some(s) = self.brief_remark() {
            turn.says.push(s);
        }
        if let Some((mv, check)) = ask {
            self.ask(turn, mv, check);
        }
    }

    /// A figure the candidate gave that contradicts the problem's own ("5K
    /// changes a second" when peak is 20K) is taken up at once, as an
    /// interviewer would, not after the remaining boxes and arrows: the
    /// design is being sized from it. (Their figures disagreeing with one
    /// another waits for the arrows: the hops between are what explain it.)
    fn numbers_first(&mut self, scorer: &Scorer, phase: Phase, turn: &mut Turn) -> bool {
        const NOW: [Kind; 1] = [Kind::NumberCheck];
        if !self.challenge_among(scorer, phase, turn, Some(&NOW)) {
            return false;
        }
        drop_ack_before_last(turn);
        true
    }

    /// Ask the best challenge not asked yet, within the phase's budget.
    pub(crate) fn challenge(&mut self, scorer: &Scorer, phase: Phase, turn: &mut Turn) -> bool {
        self.challenge_among(scorer, phase, turn, None)
    }

    /// [`Self::challenge`], among the kinds in `only` when given.
    fn challenge_among(
        &mut self,
        scorer: &Scorer,
        phase: Phase,
        turn: &mut Turn,
        only: Option<&[Kind]>,
    ) -> bool {
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
            answered: &self.answered,
            tightened: self.tightened_target(),
            stretched_since: self.stretched_since(),
            changed: self.curveballs.iter().map(|c| c.said.as_str()).collect(),
        };
        // Only the kinds asked for are built when `only` is given: the
        // number check runs every turn, the rest only when it comes to them.
        let mut all = match only {
            Some(kinds) => kinds
                .iter()
                .filter(|k| k.phases().contains(&phase))
                .filter_map(|&k| challenges::build(k, &cx))
                .collect(),
            None => challenges::candidates(&cx, phase),
        };
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
            .filter(|m| !m.intent.starts_with(Kind::HiddenConstraint.intent()))
            .take(2)
            .collect();
        if mv.intent.starts_with(Kind::HiddenConstraint.intent()) {
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
        let contradicts =
            crate::interview::moves::family(&mv.intent) == "challenge_numbers_disagree";
        self.ask(turn, mv, Check::Substance);
        if contradicts {
            drop_ack_before_last(turn);
        }
        self.offered.extend(alternatives.iter().cloned());
        turn.moves.extend(alternatives);
        turn.follow_up = true;
        true
    }

    /// The first turn answering a delivered 10x stretch, if any.
    pub(crate) fn stretched_since(&self) -> Option<u32> {
        self.curveballs
            .iter()
            .find(|c| c.kind == crate::rubric::CurveballKind::Stretch)
            .map(|c| c.since_turn)
    }

    /// The freshness a delivered tighten curveball set, in its own words.
    fn tightened_target(&self) -> Option<String> {
        self.curveballs
            .iter()
            .rev()
            .filter(|c| c.kind == crate::rubric::CurveballKind::Tighten)
            .find_map(|c| {
                // The new target, not the old one it replaces: "cut from
                // 100 ms to 40 ms", "5 seconds instead of 30".
                let l = c.said.to_ascii_lowercase();
                crate::read::quantities(&c.said)
                    .into_iter()
                    .filter(|q| {
                        matches!(
                            q.kind,
                            crate::read::QuantityKind::Latency
                                | crate::read::QuantityKind::Duration
                        )
                    })
                    .find(|q| {
                        let from = q.evidence.start.saturating_sub(14);
                        let before = l.get(from..q.evidence.start).unwrap_or("");
                        ![
                            "from ",
                            "instead of ",
                            "not ",
                            "than ",
                            "was ",
                            "used to be ",
                        ]
                        .iter()
                        .any(|w| before.ends_with(w))
                    })
                    .map(|q| q.evidence.quote)
                    .or_else(|| {
                        // "within one second", "under a minute": in words.
                        [
                            "one second",
                            "a second",
                            "one minute",
                            "a minute",
                            "one hour",
                            "an hour",
                        ]
                        .iter()
                        .find(|w| l.contains(*w))
                        .map(|w| w.to_string())
                    })
            })
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

pub(crate) use crate::read::text::join_and;

/// "Good." before "You sized for 5K, but I said 20K" (or "your own figures
/// disagree") says two things: the acknowledgement goes.
fn drop_ack_before_last(turn: &mut Turn) {
    if turn.says.len() >= 2 && turn.says[turn.says.len() - 2].intent == "ack" {
        turn.says.remove(turn.says.len() - 2);
    }
}
