//! The failure-mode phase: drills planned from what the candidate built,
//! each run until detect, recover and prevent-loss are covered or its
//! budget is spent; a failure the candidate already covered unasked gets
//! its harder variant; after three drills the round goes deeper (backfill,
//! schema change, cost, operations, more drills) until the clock ends it.

use crate::design::{Depth, TurnReading};
use crate::interview::answers;
use crate::interview::drills::{Drill, Next, Outcome, Part};
use crate::interview::failure_names::{engine_terms, generic_name, replace_word, zone_not_broker};
use crate::interview::moves::Move;
use crate::interview::planner::{plan_failures, NamedComponent, MIN_FAILURES};
use crate::interview::session::{Session, Transition, Turn};
use crate::rubric::ComponentKind;
use crate::score::Scorer;

impl Session {
    /// Plan the drills from the design and ask the first.
    pub(crate) fn open_failure_phase(&mut self, scorer: &Scorer, turn: &mut Turn) {
        let d = &self.design;
        let in_flow = |i: usize| {
            !d.gone(i)
                && (d.components[i].drawn || d.current_edges().any(|e| e.from == i || e.to == i))
        };
        let mut built: Vec<NamedComponent> = Vec::new();
        // Components in the flow first, then those only mentioned; none
        // the candidate removed ("scratch Redis").
        for pass in [true, false] {
            for (i, c) in d.components.iter().enumerate() {
                if c.vague || d.gone(i) || in_flow(i) != pass {
                    continue;
                }
                let name = c.product.clone().unwrap_or_else(|| c.name.clone());
                // An API only feeding the flow ("postback API -> Kafka") is
                // where data comes in, not a store serving it: a serving
                // store's failures (a restart double-counting the counters
                // it holds) are not its failures.
                let kind = if c.kind == ComponentKind::ServingStore
                    && d.current_edges().any(|e| e.from == i)
                    && !d.current_edges().any(|e| e.to == i)
                {
                    ComponentKind::Producer
                } else {
                    c.kind
                };
                let written_only = d.current_edges().any(|e| e.to == i && !e.control())
                    && !d.current_edges().any(|e| e.from == i && !e.control());
                if !built.iter().any(|b| b.name == name) {
                    built.push(NamedComponent {
                        name,
                        kind,
                        written_only,
                        one_off: c.one_off(),
                    });
                }
            }
        }
        self.plan = plan_failures(Some(&self.problem), &built);
        // A problem's failure names the product its reference answer uses
        // ("A ClickHouse node dies"); when the candidate built that part
        // with another product, ask about theirs.
        let catalogue = &scorer.rubric().components.component;
        for f in &mut self.plan {
            let own = f
                .component
                .as_ref()
                .and_then(|n| built.iter().find(|b| &b.name == n));
            for spec in catalogue {
                // "Spark" inside "Spark Structured Streaming", a box they
                // built, is theirs already.
                let inside_theirs = built.iter().any(|b| {
                    b.name.len() > spec.name.len()
                        && crate::read::text::holds_words(&b.name, &spec.name)
                        && (f.question.contains(&b.name) || f.title.contains(&b.name))
                });
                if inside_theirs
                    || built
                        .iter()
                        .any(|b| b.name.eq_ignore_ascii_case(&spec.name))
                    || (spec.exact_case
                        && !f.title.contains(&spec.name)
                        && !f.question.contains(&spec.name))
                {
                    continue;
                }
                // Theirs of the same kind: the drill's own component, else
                // the first they built; else what it is, in general words.
                let theirs = own
                    .filter(|b| b.kind == spec.kind)
                    .or_else(|| built.iter().find(|b| b.kind == spec.kind))
                    .map(|b| b.name.clone())
                    .unwrap_or_else(|| generic_name(spec.kind).to_string());
                f.title = replace_word(&f.title, &spec.name, &theirs);
                f.question = replace_word(&f.question, &spec.name, &theirs);
                if spec.name == "Flink" {
                    f.title = engine_terms(&f.title, &theirs);
                    f.question = engine_terms(&f.question, &theirs);
                }
            }
        }
        // Said back in their words: the catalogue plans for "Prometheus",
        // the candidate drew "Grafana". A box whose name holds the product
        // ("Flink guardrails job") is already called by it.
        for f in &mut self.plan {
            let Some(canon) = f.component.clone() else {
                continue;
            };
            let own = d
                .components
                .iter()
                .filter(|c| !c.vague && c.gone.is_none())
                .find(|c| c.product.as_deref().unwrap_or(&c.name) == canon)
                .map(|c| c.label().to_string());
            let holds = |o: &str| crate::read::text::holds_words(o, &canon);
            if let Some(own) = own.filter(|o| !holds(o)) {
                f.title = replace_word(&f.title, &canon, &own);
                f.question = replace_word(&f.question, &canon, &own);
                f.component = Some(own);
            }
        }
        // "One of the Kinesis brokers dies": a managed queue has no brokers
        // of theirs; what it can lose is an availability zone.
        for f in &mut self.plan {
            f.title = zone_not_broker(&f.title);
            f.question = zone_not_broker(&f.question);
        }
        for i in 0..self.plan.len() {
            self.plan[i].class = self.classify(scorer, i);
        }
        self.current = 0;
        self.drill = None;
        let first =
            (0..self.plan.len()).find(|&i| !self.answered_already(self.plan[i].class.as_deref()));
        if let Some(i) = first {
            self.open_drill(scorer, i, true, turn);
        }
    }

    /// The framework scenario a planned failure is about.
    fn classify(&self, scorer: &Scorer, i: usize) -> Option<String> {
        let f = self.plan.get(i)?;
        // The title says what the failure is ("Duplicate producer
        // retries"); the question may mention other failures on the way
        // ("a broker restarts and the producer retries"). The title wins,
        // then the scenario the question names most.
        let best = |text: &str| {
            let an = scorer.reader().analyse(text);
            let mut counts: Vec<(u16, usize)> = Vec::new();
            for (h, _) in an.group(crate::read::matcher::Group::Scenario) {
                if let crate::read::matcher::Owner::Scenario(s) = h.owner {
                    match counts.iter_mut().find(|(x, _)| *x == s) {
                        Some((_, n)) => *n += 1,
                        None => counts.push((s, 1)),
                    }
                }
            }
            // Most hits; the first named on a tie.
            counts.iter().rev().max_by_key(|(_, n)| *n).map(|(s, _)| *s)
        };
        let scenarios = &scorer.rubric().framework.failure_scenario;
        let id_of = |s: u16| scenarios.get(usize::from(s)).map(|x| x.id.clone());
        // "Outage" is read broadly when listening ("times out", "breaks",
        // "reappears"), but a drill asks how the component fails over only
        // when something really went down: a retried postback or a listing
        // that reappears is a correctness failure.
        let went_down = |t: &str| {
            let l = t.to_ascii_lowercase();
            [
                "down",
                "outage",
                " dies",
                " died",
                "crash",
                "unavailable",
                "unreachable",
                "fails over",
                "region",
                " lost",
                "loses",
            ]
            .iter()
            .any(|w| l.contains(w))
        };
        // Money burnt is not data lost: a runaway query or a backfill that
        // spends the budget is drilled on the signal, the stop and the cap.
        // A budget the data informs ("marketing makes budget decisions on
        // the mix") is the readers' business, not the pipeline's money.
        let costly = |t: &str| {
            let l = t.to_ascii_lowercase();
            let l = ["budget decision", "budget allocation", "budget planning"]
                .iter()
                .fold(l, |l, w| l.replace(w, ""));
            ["budget", "spend", "cost", "quota", "credits", "$"]
                .iter()
                .any(|w| l.contains(w))
                || (l.contains("scan") && l.contains(" tb"))
        };
        [f.title.as_str(), f.question.as_str()]
            .iter()
            .find_map(|t| {
                let id = id_of(best(t)?)?;
                (id != "outage" || went_down(t)).then_some(id)
            })
            .or_else(|| {
                [f.title.as_str(), f.question.as_str()]
                    .iter()
                    .any(|t| costly(t))
                    .then(|| "cost".to_string())
            })
    }

    /// Ask drill `i`: its question, or its harder variant when the
    /// candidate already covered that failure unasked.
    fn open_drill(&mut self, scorer: &Scorer, i: usize, first: bool, turn: &mut Turn) {
        let Some(f) = self.plan.get(i).cloned() else {
            return;
        };
        self.current = i;
        let component = f.component.clone().unwrap_or_else(|| self.main_component());
        // What they said unasked that covers this failure: a sentence
        // about it (not one of the normal flow that shares its nouns), or
        // one that says what the problem's reference answer says.
        let retry_safe = self
            .retry_safe_already(&f.id)
            .or_else(|| self.rerun_safe_already(&f));
        let volunteered = f
            .class
            .as_deref()
            .and_then(|class| self.volunteered(scorer, class, f.component.as_deref()))
            // Two words of what goes wrong: one shared verb is chance.
            .filter(|ev| self.about_failure(&f.id, f.class.as_deref(), &ev.quote, 2))
            .or_else(|| retry_safe.as_ref().map(|(e, _)| e.clone()))
            .or_else(|| {
                // Already close to the reference answer (and on its ground,
                // checked there): it must still say what protects.
                let min = usize::from(f.class.is_some());
                self.covered_by_reference(&f.id)
                    .filter(|ev| self.about_failure(&f.id, f.class.as_deref(), &ev.quote, min))
            })
            .filter(|ev| !self.covered_quotes.contains(&ev.quote));
        if let Some(ev) = &volunteered {
            self.covered_quotes.push(ev.quote.clone());
        }
        let from_retry = matches!(
            (&volunteered, &retry_safe),
            (Some(v), Some((r, _))) if v.quote == r.quote
        );
        let (question, escalated, quote) = match &volunteered {
            Some(ev) => {
                // The write it asks about is already safe to retry: the
                // scenario stands, asked from what readers see meanwhile
                // and how it is noticed.
                let intent = f
                    .class
                    .as_ref()
                    .filter(|_| !from_retry)
                    .map(|class| format!("harder_{class}"))
                    .filter(|i| self.templates.has(i))
                    .unwrap_or_else(|| {
                        if from_retry {
                            "harder_retry_safe"
                        } else {
                            "harder_generic"
                        }
                        .to_string()
                    });
                // The title starts the question: as written.
                let title = f.title.clone();
                let later = crate::interview::volunteered::past_horizon(&ev.quote)
                    .unwrap_or_else(|| "two days later".into());
                // The store the retry-safe write goes to, whose readers see
                // the failure.
                let sink = retry_safe
                    .as_ref()
                    .map(|(_, s)| s.clone())
                    .filter(|s| from_retry && !s.is_empty())
                    .unwrap_or_else(|| component.clone());
                let q = self
                    .line(
                        &intent,
                        &[
                            ("component", &component),
                            ("title", &title),
                            ("later", &later),
                            ("sink", &sink),
                        ],
                    )
                    .text;
                (q, true, Some(ev.quote.clone()))
            }
            None => (f.question.clone(), false, None),
        };
        if let Some(p) = self.plan.get_mut(i) {
            p.escalated = escalated;
            if escalated {
                p.question = question.clone();
            }
        }
        let intent = match (first, escalated) {
            (true, false) => "intro_failure_modes",
            (true, true) => "intro_failure_modes_escalated",
            (false, false) => "failure_next",
            (false, true) => "failure_next_escalated",
        };
        let mut mv = Move::new(intent)
            .target(f.id.clone())
            .word("question", question.clone())
            .var("component", component);
        if let Some(q) = quote {
            mv = mv.quote(q.clone()).word("said", q);
        }
        let say = self.say_move(&mv);
        turn.says.push(say);
        self.history.push(mv.key());
        turn.moves.insert(0, mv);
        self.pending = None;
        let mut drill = Drill::new(self.design.turns().len() as u32 + 1);
        // Asked from the retry-safe write it stands on: that write is the
        // drill's "no double count", already said.
        if let Some((r, _)) = retry_safe.filter(|_| from_retry) {
            drill.grant(Part::Prevent, r);
        }
        self.drill = Some(drill);
    }

    pub(crate) fn failure(
        &mut self,
        reading: &TurnReading,
        now: u64,
        scorer: &Scorer,
        turn: &mut Turn,
    ) {
        // The answer to numbers said back: pushed once more if they stand
        // by the figure; then the drill goes on.
        let numbers_open = self.pending.as_ref().is_some_and(|p| {
            crate::interview::moves::family(&p.mv.intent) == "challenge_numbers_disagree"
        });
        if numbers_open && self.follow_pending(reading, turn) {
            return;
        }
        // Numbers that contradict their own, said back at once, whatever
        // is on the table (the question stays open).
        if self.push_numbers(turn) {
            return;
        }
        if self.drill.is_some() {
            let text = self.last_turn_text();
            // "Let's move on": taken as `/next` is, and the failure left
            // open.
            if answers::skip_request(&text) {
                self.stop_drill(Outcome::Skipped);
                let s = self.line("skip_taken", &[]);
                turn.says.push(s);
                self.next_item(now, scorer, turn);
                return;
            }
            if self.push_claim(&text, turn) || self.push_other_failure(turn) {
                return;
            }
            let evasive = answers::hand_wave(&text)
                || answers::buzz_only(&text)
                // A hedge is evasive when it is all there is: "Probably the
                // view was pointed at the empty table", followed by how it
                // should have shipped, is a diagnosis with a design.
                || (answers::unsure(&text) && (reading.words <= 20 || reading.failure.is_empty()))
                || (reading.words <= 3 && reading.failure.is_empty());
            let next = self.drill.as_mut().map(|d| d.next_move(evasive));
            match next {
                Some(Next::Ask(p)) => {
                    self.drill_line("drill", Some(p), turn);
                    return;
                }
                Some(Next::Push(p)) => {
                    self.drill_line("push", Some(p), turn);
                    return;
                }
                Some(Next::PushFailure) => {
                    self.drill_line("push", None, turn);
                    return;
                }
                Some(Next::Close(outcome)) => {
                    self.stop_drill(outcome);
                    let s = if outcome == Outcome::Complete {
                        self.line("drill_complete", &[])
                    } else {
                        self.line("failure_budget_spent", &[])
                    };
                    turn.says.push(s);
                }
                None => {}
            }
        } else if self.follow_pending(reading, turn) {
            return;
        }
        self.next_item(now, scorer, turn);
    }

    /// An answer about another of the problem's failures than the one
    /// asked ("Flink restarts from its checkpoint" to "a broker dies"):
    /// the question is asked again, once per drill.
    fn push_other_failure(&mut self, turn: &mut Turn) -> bool {
        let (Some(f), Some(other)) = (self.plan.get(self.current), self.elsewhere.clone()) else {
            return false;
        };
        let said = self.first_sentence_of_last_turn();
        let mv = Move::new("push_failure_other")
            .target(f.id.clone())
            .quote(said.clone())
            .word("said", said)
            .var("other", other)
            .var("question", f.question.clone());
        self.say_once(mv, turn)
    }

    /// A follow-up inside the current drill (`kind` is `drill` or `push`),
    /// on part `p` or on the failure itself, worded for the kind of failure
    /// (a broker loss recovers by failover, not by a rerun), quoting the
    /// candidate's own words on that part when they said some.
    fn drill_line(&mut self, kind: &str, p: Option<Part>, turn: &mut Turn) {
        let f = self.plan.get(self.current).cloned();
        let id = f.as_ref().map(|f| f.id.clone()).unwrap_or_default();
        let class = f.as_ref().and_then(|f| f.class.clone());
        let f_title = f.as_ref().map(|f| f.title.clone()).unwrap_or_default();
        let component = f
            .and_then(|f| f.component)
            .unwrap_or_else(|| self.main_component());
        // The monitoring that caught it does not resume processing: the
        // recovery and the no-loss parts are the pipeline's.
        // A collector that feeds the pipeline (an OpenTelemetry Collector
        // into Kafka) is part of it; only a pure watcher hands over.
        let watcher = self.design.find(&component).is_some_and(|i| {
            self.design
                .components
                .get(i)
                .is_some_and(|c| c.kind == ComponentKind::Monitoring)
                && !self
                    .design
                    .current_edges()
                    .any(|e| e.from == i && !e.control())
        });
        let component = if watcher && matches!(p, Some(Part::Recover | Part::Prevent)) {
            self.main_component()
        } else {
            component
        };
        let base = match p {
            Some(p) => format!("{kind}_{}", p.id()),
            None => "push_failure".to_string(),
        };
        // A broker or a store that "dies" fails over; only a job restarts.
        let kind = self
            .design
            .find(&component)
            .and_then(|i| self.design.components.get(i))
            .map(|c| c.kind);
        let title = f_title.to_ascii_lowercase();
        let job = matches!(
            kind,
            Some(
                ComponentKind::StreamProcessor | ComponentKind::BatchProcessor | ComponentKind::Cdc
            )
        ) || [
            "job",
            "task",
            "worker",
            "executor",
            "connector",
            "consumer",
            "lambda",
        ]
        .iter()
        .any(|w| title.contains(w));
        let class = match class.as_deref() {
            Some("node-crash") if !job => Some("outage".to_string()),
            _ => class,
        };
        // A failure that puts no data at risk asks for a guardrail, not for
        // what stops a record being lost or counted twice.
        let intent = class
            .as_deref()
            .map(|c| format!("{base}_{c}"))
            .filter(|i| self.templates.has(i))
            .or_else(|| {
                Some(format!("{base}_guard"))
                    .filter(|i| self.templates.has(i) && self.asks_guardrail())
            })
            .or_else(|| {
                Some(format!("{base}_gate")).filter(|i| self.templates.has(i) && self.asks_gate())
            })
            .unwrap_or(base);
        // The recovery pushed after the drill's no-loss part was given
        // ("the upsert overwrites the same rows"): asked without asking
        // that again.
        let prevented =
            p == Some(Part::Recover) && self.drill.as_ref().is_some_and(|d| d.depths().2.covered());
        let intent = Some(format!("{intent}_prevented"))
            .filter(|i| prevented && self.templates.has(i))
            .unwrap_or(intent);
        let said = self
            .drill
            .as_ref()
            .and_then(|d| p.and_then(|p| d.said(p)).map(str::to_string))
            .filter(|s| s.len() <= 160)
            .unwrap_or_else(|| self.first_sentence_of_last_turn());
        // "It'd be fine, the cloud is reliable" is a hope; "Not sure." or
        // "Dashboards in Grafana." is too little, and is told so plainly.
        let intent = if intent == "push_failure" && !crate::read::hand_wave::hand_wave(&said) {
            "push_failure_plain".to_string()
        } else {
            intent
        };
        let mut mv = Move::new(&intent)
            .target(id)
            .var("component", component)
            .word("said", said.clone());
        if !said.is_empty() {
            mv = mv.quote(said);
        }
        let say = self.say_move(&mv);
        turn.says.push(say);
        self.history.push(mv.key());
        turn.moves.insert(0, mv);
        turn.follow_up = true;
    }

    /// `/next` in the failure phase: move to the next failure.
    pub(crate) fn skip_failure(&mut self, now: u64, turn: &mut Turn, scorer: &Scorer) {
        self.stop_drill(Outcome::Skipped);
        self.leave_pending();
        let s = self.line("next_requested", &[]);
        turn.says.push(s);
        self.next_item(now, scorer, turn);
    }

    /// After a drill: the stretch curveball when due, drills up to three,
    /// then deeper probes and the remaining drills until nothing is left.
    fn next_item(&mut self, now: u64, scorer: &Scorer, turn: &mut Turn) {
        if self.deliver_curveball(now, turn) {
            return;
        }
        let done = |s: &Session, i: usize| s.results.iter().any(|r| r.id == s.plan[i].id);
        // A kind of failure already drilled is not drilled again under
        // another name (a schema change upstream and at the source).
        let drilled: Vec<&str> = (0..self.plan.len())
            .filter(|&i| done(self, i))
            .filter_map(|i| self.plan[i].class.as_deref())
            .collect();
        let fresh = |s: &Session, i: usize| {
            i != s.current && !done(s, i) && !s.answered_already(s.plan[i].class.as_deref())
        };
        let next_drill = (0..self.plan.len())
            .find(|&i| {
                fresh(self, i)
                    && self.plan[i]
                        .class
                        .as_deref()
                        .is_none_or(|c| !drilled.contains(&c))
            })
            .or_else(|| (0..self.plan.len()).find(|&i| fresh(self, i)));
        if self.results.len() < MIN_FAILURES {
            if let Some(i) = next_drill {
                self.open_drill(scorer, i, false, turn);
                return;
            }
        }
        if self.challenge(scorer, crate::rubric::Phase::FailureModes, turn) {
            return;
        }
        if let Some(i) = next_drill {
            self.open_drill(scorer, i, false, turn);
            return;
        }
        self.finish(now, turn, Some(Transition::Covered));
    }

    /// Depth reached per part of every drill, for the goals line.
    pub fn drill_depths(&self) -> Vec<[Depth; 3]> {
        self.results.iter().map(|r| r.depth).collect()
    }
}

impl Session {
    /// The component a failure without one of its own is about: the first
    /// processing job in the design, else the first box, else "the pipeline".
    fn main_component(&self) -> String {
        use crate::rubric::ComponentKind::*;
        let d = &self.design;
        d.components
            .iter()
            .filter(|c| !c.vague)
            .find(|c| matches!(c.kind, StreamProcessor | BatchProcessor))
            .or_else(|| {
                d.components
                    .iter()
                    .find(|c| !c.vague && c.drawn && c.gone.is_none())
            })
            .map(|c| c.label().to_string())
            .unwrap_or_else(|| "the pipeline".into())
    }
}
