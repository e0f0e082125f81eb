//! The failure-mode phase: drills planned from what the candidate built,
//! each run until detect, recover and prevent-loss are covered or its
//! budget is spent; a failure the candidate already covered unasked gets
//! its harder variant; after three drills the round goes deeper (backfill,
//! schema change, cost, operations, more drills) until the clock ends it.

use crate::design::{Depth, TurnReading};
use crate::interview::answers;
use crate::interview::drills::{Drill, Next, Outcome, Part};
use crate::interview::moves::Move;
use crate::interview::planner::{plan_failures, NamedComponent, MIN_FAILURES};
use crate::interview::session::{Session, Transition, Turn};
use crate::score::Scorer;

impl Session {
    /// Plan the drills from the design and ask the first.
    pub(crate) fn open_failure_phase(&mut self, scorer: &Scorer, turn: &mut Turn) {
        let d = &self.design;
        let in_flow =
            |i: usize| d.components[i].drawn || d.edges.iter().any(|e| e.from == i || e.to == i);
        let mut built: Vec<NamedComponent> = Vec::new();
        // Components in the flow first, then those only mentioned.
        for pass in [true, false] {
            for (i, c) in d.components.iter().enumerate() {
                if c.vague || in_flow(i) != pass {
                    continue;
                }
                let name = c.product.clone().unwrap_or_else(|| c.name.clone());
                if !built.iter().any(|b| b.name == name) {
                    built.push(NamedComponent { name, kind: c.kind });
                }
            }
        }
        self.plan = plan_failures(Some(&self.problem), &built);
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
        let text = format!("{}. {}", f.title, f.question);
        let an = scorer.reader().analyse(&text);
        let first = an
            .group(crate::read::matcher::Group::Scenario)
            .find_map(|(h, _)| match h.owner {
                crate::read::matcher::Owner::Scenario(s) => Some(s),
                _ => None,
            });
        first.and_then(|s| {
            scorer
                .rubric()
                .framework
                .failure_scenario
                .get(usize::from(s))
                .map(|x| x.id.clone())
        })
    }

    /// Ask drill `i`: its question, or its harder variant when the
    /// candidate already covered that failure unasked.
    fn open_drill(&mut self, scorer: &Scorer, i: usize, first: bool, turn: &mut Turn) {
        let Some(f) = self.plan.get(i).cloned() else {
            return;
        };
        self.current = i;
        let component = f
            .component
            .clone()
            .unwrap_or_else(|| "that component".into());
        let volunteered = f
            .class
            .as_deref()
            .and_then(|class| self.volunteered(scorer, class, f.component.as_deref()));
        let (question, escalated, quote) = match (&volunteered, &f.class) {
            (Some(ev), Some(class)) => {
                let intent = format!("harder_{class}");
                let intent = if self.templates.has(&intent) {
                    intent
                } else {
                    "harder_generic".to_string()
                };
                let q = self.line(&intent, &[("component", &component)]).text;
                (q, true, Some(ev.quote.clone()))
            }
            _ => (f.question.clone(), false, None),
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
        self.drill = Some(Drill::new(self.design.turns().len() as u32 + 1));
    }

    /// True when a challenge on the same ground as this kind of failure was
    /// already asked and answered: the drill would only ask it again.
    fn answered_already(&self, class: Option<&str>) -> bool {
        let intents: &[&str] = match class {
            Some("late-data") => &["challenge_late"],
            Some("hot-key") => &["challenge_hot_key"],
            Some("schema-break") => &["challenge_schema_change"],
            _ => &[],
        };
        self.answered
            .iter()
            .any(|(i, _)| intents.iter().any(|p| i.starts_with(p)))
    }

    /// What the candidate already said, unasked, that covers a failure of
    /// this kind: the failure talked through with recovery or prevention
    /// (naming the component), or the concept that handles it explained.
    fn volunteered(
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
            let words = class_words(class);
            let sentence = said
                .split_inclusive(". ")
                .find(|s| {
                    let l = s.to_ascii_lowercase();
                    words.iter().any(|w| l.contains(w))
                })
                .or_else(|| said.split_inclusive(". ").next())
                .unwrap_or(said)
                .trim()
                .trim_end_matches('.');
            return Some(clip(&crate::read::Evidence {
                start: 0,
                end: sentence.len(),
                quote: sentence.to_string(),
            }));
        }
        let r = scorer.rubric();
        let idx = r
            .framework
            .failure_scenario
            .iter()
            .position(|s| s.id == class)? as u16;
        let talked = self
            .design
            .failures
            .iter()
            .filter(|t| t.scenarios.contains(&idx))
            .filter(|t| t.prevent.depth.covered() || t.recover.depth.covered())
            .filter_map(|t| {
                t.prevent
                    .evidence
                    .clone()
                    .or_else(|| t.recover.evidence.clone())
            })
            .find(|e| {
                component.is_none_or(|c| {
                    e.quote
                        .to_ascii_lowercase()
                        .contains(&c.to_ascii_lowercase())
                })
            });
        if let Some(e) = talked {
            return Some(clip(&e));
        }
        // The mechanism that handles this kind of failure, explained: the
        // clause that says it ("Flink dedupes by event_id").
        let (concept, words): (&str, &[&str]) = match class {
            "duplicates" => ("idempotency", &["dedup", "de-dup", "event_id", "idempot"]),
            "late-data" => ("watermarks", &["late ", "later ", "lateness", "watermark"]),
            "hot-key" => ("hot-keys", &["hot", "salt", "skew"]),
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
        words
            .iter()
            .find_map(|w| all.iter().find_map(|e| clause_with(e, &[w])))
            .or_else(|| all.first().map(|e| clip(e)))
    }

    pub(crate) fn failure(
        &mut self,
        reading: &TurnReading,
        now: u64,
        scorer: &Scorer,
        turn: &mut Turn,
    ) {
        if self.drill.is_some() {
            let text = self.last_turn_text();
            let evasive = answers::hand_wave(&text)
                || answers::unsure(&text)
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

    /// A follow-up inside the current drill (`kind` is `drill` or `push`),
    /// on part `p` or on the failure itself, worded for the kind of failure
    /// (a broker loss recovers by failover, not by a rerun), quoting the
    /// candidate's own words on that part when they said some.
    fn drill_line(&mut self, kind: &str, p: Option<Part>, turn: &mut Turn) {
        let f = self.plan.get(self.current).cloned();
        let id = f.as_ref().map(|f| f.id.clone()).unwrap_or_default();
        let class = f.as_ref().and_then(|f| f.class.clone());
        let component = f
            .and_then(|f| f.component)
            .unwrap_or_else(|| "that component".into());
        let base = match p {
            Some(p) => format!("{kind}_{}", p.id()),
            None => "push_failure".to_string(),
        };
        let intent = class
            .map(|c| format!("{base}_{c}"))
            .filter(|i| self.templates.has(i))
            .unwrap_or(base);
        let said = self
            .drill
            .as_ref()
            .and_then(|d| p.and_then(|p| d.said(p)).map(str::to_string))
            .filter(|s| s.len() <= 160)
            .unwrap_or_else(|| self.first_sentence_of_last_turn());
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
        let next_drill = (0..self.plan.len()).find(|&i| {
            i != self.current
                && !done(self, i)
                && !self.answered_already(self.plan[i].class.as_deref())
        });
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

/// Words that show a sentence is about a kind of failure.
fn class_words(class: &str) -> &'static [&'static str] {
    match class {
        "hot-key" => &["hot", "skew", "rate limit", "salt", "bot"],
        "duplicates" => &["dedup", "duplicate", "idempot", "event_id"],
        "storage-full" => &["state", "rocksdb", "disk", "retention"],
        "late-data" => &["late ", "later ", "watermark"],
        _ => &[],
    }
}

/// The clause of a quote (between commas or semicolons) that holds one of
/// `words`, as its own span.
fn clause_with(e: &crate::read::Evidence, words: &[&str]) -> Option<crate::read::Evidence> {
    let lower = e.quote.to_ascii_lowercase();
    let at = words.iter().filter_map(|w| lower.find(w)).min()?;
    let start = e.quote[..at].rfind([',', ';', ':']).map_or(0, |i| i + 1);
    let end = e.quote[at..]
        .find([',', ';'])
        .map_or(e.quote.len(), |i| at + i);
    let raw = &e.quote[start..end];
    let lead = raw.len() - raw.trim_start().len();
    let q = raw.trim().trim_end_matches('.');
    Some(clip(&crate::read::Evidence {
        start: e.start + start + lead,
        end: e.start + start + lead + q.len(),
        quote: q.to_string(),
    }))
}

/// The longest quote read back to the candidate, in bytes.
const MAX_QUOTE: usize = 110;

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
    let q = e.quote[..cut].trim_end_matches([',', ';', ' ']);
    crate::read::Evidence {
        start: e.start,
        end: e.start + q.len(),
        quote: q.to_string(),
    }
}
