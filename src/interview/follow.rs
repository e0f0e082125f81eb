//! Following up on the question on the table: resolved by what the design
//! now holds, pushed once with the candidate's own words, or left as a gap.

use crate::design::TurnReading;
use crate::interview::answers::{self, Stance};
use crate::interview::claims;
use crate::interview::moves::Move;
use crate::interview::session::{Check, Session, Turn};
use crate::rubric::ComponentKind;

impl Session {
    /// "Postgres, I guess" for the vague `DB` box: the box is that product
    /// from now on, and the questions after it say "Postgres", not "DB".
    fn name_the_box(&mut self, i: usize, reading: &TurnReading) {
        let d = &mut self.design;
        let Some(b) = d.components.get(i).filter(|b| b.vague) else {
            return;
        };
        let kind = b.kind;
        let Some(named) = reading.new_components.iter().find_map(|&n| {
            let c = d.components.get(n)?;
            let fits = kind == c.kind || kind == ComponentKind::Other;
            (!c.vague && fits)
                .then(|| (c.product.clone().unwrap_or_else(|| c.name.clone()), c.kind))
        }) else {
            return;
        };
        if let Some(b) = d.components.get_mut(i) {
            b.name = named.0.clone();
            b.product = Some(named.0);
            b.kind = named.1;
            b.vague = false;
        }
    }

    /// True when the design now holds what a pending question asked for.
    pub(crate) fn resolved(&self, check: Check) -> bool {
        let d = &self.design;
        match check {
            Check::Diagram => d.has_diagram(),
            Check::Annotated(i) => {
                // An arrow said to be control is answered; a query path
                // asked (a board with no data arrow) needs its figures.
                d.edge_annotated(i)
                    || d.edges
                        .get(i)
                        .is_some_and(|e| !e.carries_figures() || !d.live(e))
            }
            Check::Product(i) => d.components.get(i).is_some_and(|c| !c.vague),
            Check::Boxes(n) => d.boxes().count() > n,
            Check::Key => !d.keys.is_empty(),
            Check::Guarantee => d.explained_guarantee().is_some(),
            Check::Write(s) => d.write_for(s).is_some(),
            Check::DataPath => d.arrows().any(|(_, e)| !e.control()),
            Check::Substance | Check::Curveball(_) | Check::Collapse => false,
        }
    }

    /// Follow up on the question on the table. True when this turn's reply
    /// is a push (nothing else is said after it).
    ///
    /// An answer resolves the question when the design now holds what it
    /// asked for, or when the answer gives it in words the model does not
    /// store ("By date.", "about 130 queries/s"). A correction with a reason
    /// ("no data goes through Airflow, it's a trigger") is taken: the
    /// question is not asked again. Otherwise the question's own push,
    /// once; then the gap is recorded and never asked again.
    pub(crate) fn follow_pending(&mut self, reading: &TurnReading, turn: &mut Turn) -> bool {
        let Some(p) = self.pending.clone() else {
            return false;
        };
        let text = self.last_turn_text();
        let rate_asked = p.mv.intent.ends_with("_rate");
        let stance = answers::stance(p.check, rate_asked, &text, reading.words);
        // "Flink because …" to "why Kafka rather than Kinesis?": another
        // choice answered, and the product given a reason instead.
        let other_choice = if p.check == Check::Substance {
            self.another_choice(&p.mv)
        } else {
            None
        };
        let other_write = self.another_write(p.check, reading, stance == Stance::Gives);
        let reasoned_other = other_choice.clone().flatten().or(other_write.clone());
        let family = crate::interview::moves::family(&p.mv.intent);
        let off_topic = p.check == Check::Substance
            && (!answers::on_topic(&p.mv.intent, &text)
                || other_choice.is_some()
                || (matches!(family, "challenge_why" | "challenge_tradeoff")
                    && !answers::about_the_choice(&p.mv, &text)));
        // An answer to another question than the one asked is one with
        // nothing to use in it, for the verdict as for a shrug.
        if off_topic
            && other_choice.is_none()
            && !reading.substance
            && !reading.designing
            && self.evasive.last() != Some(&text)
        {
            self.evasive.push(text.clone());
        }
        let resolved =
            match p.check {
                Check::Substance => {
                    // "You have to run the brokers, upgrades; MSK takes that
                    // away for more money": a trade-off said in words the
                    // design model does not store is still one.
                    let weighed = matches!(family, "challenge_why" | "challenge_tradeoff")
                        && reading.words >= 6
                        && answers::reason_for_a_choice(&text);
                    ((reading.substance || weighed) && stance != Stance::Evades && !off_topic)
                        || stance == Stance::Disputes
                        || (crate::interview::moves::family(&p.mv.intent) == "challenge_why"
                            && answers::given_not_chosen(&text))
                }
                Check::Product(i) => {
                    stance == Stance::Disputes
                        || answers::names_own_service(&text)
                        || self.resolved(p.check)
                        || reading.new_components.iter().any(|&n| {
                            let c = &self.design.components[n];
                            !c.vague
                                && self.design.components.get(i).is_some_and(|v| {
                                    v.kind == c.kind || v.kind == ComponentKind::Other
                                })
                        })
                }
                // "The data is in Snowflake": components named in the answer
                // fill the layers asked for, drawn or not.
                Check::Boxes(_) => {
                    self.resolved(p.check)
                        || self
                            .missing_layers_with(&self.named_on_the_board(reading))
                            .is_empty()
                }
                Check::Curveball(i) => self.follow_curveball(i, reading, stance),
                // "Airflow, the staging tables, the check runner …": the
                // boxes kept, by name, answer it as well as a new board.
                Check::Collapse => {
                    stance == Stance::Disputes
                        || reading.substance
                        || reading.designing
                        || self.components_named_in(&text) >= 2
                }
                // A write or guarantee "explained" by a platform claim
                // ("ACID", "exactly-once semantics") is not explained.
                c @ (Check::Write(_) | Check::Guarantee) => {
                    (self.resolved(c) && stance != Stance::Evades)
                        || matches!(stance, Stance::Gives | Stance::Disputes)
                }
                c => self.resolved(c) || matches!(stance, Stance::Gives | Stance::Disputes),
            };
        // "By date." when records arrive late: which date decides what a
        // late record rewrites, so that is the follow-up.
        let which_date =
            p.check == Check::Key && !p.pushed && answers::bare_date(&text) && self.late_problem();
        // "By ride id" when the state is per cell: where do one cell's
        // records come together? Asked once, about the key just given.
        let spread = (p.check == Check::Key && !p.pushed && !which_date)
            .then(|| {
                let turn = self.design.turns().last().map(|t| t.turn)?;
                let k = self.design.keys.iter().rev().find(|k| k.turn == turn)?;
                let per = crate::interview::key_fit::spread_aggregate(&self.problem, &k.key)?;
                Some((k.key.clone(), per))
            })
            .flatten();
        // Standing by a figure the arithmetic just refuted ("I'd stand by
        // it: 10 MB") is not an answer: say it back once more. Working it
        // out again in a sum that adds up is a new working, not a stand.
        let newest = self.design.turns().last().map_or(0, |l| l.turn);
        let stands_by = p.check == Check::Substance
            && crate::interview::moves::family(&p.mv.intent) == "challenge_numbers_disagree"
            && p.mv.target.as_deref().is_some_and(|t| {
                // A "where does it go" check restates their own figure
                // as the "about" one: only a contradiction has the
                // interviewer's figure to take.
                let working =
                    p.mv.vars
                        .iter()
                        .find(|(k, _)| k == "working" && !p.mv.intent.ends_with("_plain"))
                        .map_or("", |(_, v)| v.as_str());
                answers::stands_by(&text, t, working)
                    && !crate::design::arith::turn_confirms(&self.design, newest, t)
            });
        // "It scales horizontally" to a hot key: more partitions or
        // subtasks do not split one key, whatever else the answer says.
        let scale_out = !p.pushed
            && crate::interview::moves::family(&p.mv.intent) == "challenge_hot_key"
            && answers::scale_out_only(&text);
        // "Kinesis is slower I think" to "why Kafka over Kinesis?": by how
        // much, and does it matter here? Asked once.
        let unquantified = !p.pushed
            && crate::interview::moves::family(&p.mv.intent) == "challenge_why"
            && answers::bare_comparison(&text);
        let resolved = resolved
            && other_write.is_none()
            && !which_date
            && !stands_by
            && !scale_out
            && !unquantified
            && spread.is_none();
        if resolved {
            self.pending = None;
            if let Check::Product(i) = p.check {
                self.name_the_box(i, reading);
            }
            if stance == Stance::Disputes || answers::names_own_service(&text) {
                if let Check::Product(i) = p.check {
                    // "It's our own service": a concrete box, not a vague one.
                    if let Some(c) = self.design.components.get_mut(i) {
                        c.vague = false;
                    }
                }
            }
            // "What's the delivery guarantee, and what gives you that?"
            // answered with one and its mechanism is answered too.
            if matches!(p.check, Check::Substance | Check::Guarantee) {
                self.answered.push((p.mv.intent.clone(), text.clone()));
                if stance == Stance::Other && reading.substance && !off_topic {
                    self.credited.push((p.mv.intent.clone(), text.clone()));
                }
            }
            // "Why Kafka rather than Kinesis?" answered with a reason is a
            // reasoned choice on the board, whatever words gave it.
            if crate::interview::moves::family(&p.mv.intent) == "challenge_why"
                && stance != Stance::Disputes
                && !answers::given_not_chosen(&text)
            {
                if let Some(i) = p.about {
                    let over =
                        p.mv.vars
                            .iter()
                            .find(|(k, _)| k == "alternative")
                            .map(|(_, v)| v.clone());
                    self.design.answered_choice(i, over);
                }
            }
            if self.push_claim(&text, turn) {
                return true;
            }
            if reading.substance || stance != Stance::Other {
                let s = self.line("ack", &[]);
                turn.says.push(s);
            }
            return false;
        }
        // "I'd rather skip this one": taken at once, and left open.
        let skipped = answers::skip_request(&text);
        if !p.pushed && !skipped {
            let said = self.first_sentence_of_last_turn();
            let intent = if which_date {
                "push_key_which_date".to_string()
            } else if spread.is_some() {
                "push_key_spreads".to_string()
            } else if scale_out {
                "push_hot_key_scale_out".to_string()
            } else if unquantified {
                "push_why_unquantified".to_string()
            } else if other_write.is_some() {
                "push_off_topic_write".to_string()
            } else if off_topic && reading.substance && stance != Stance::Evades {
                if reasoned_other.is_some() {
                    "push_off_topic_choice".to_string()
                } else {
                    "push_off_topic".to_string()
                }
            } else {
                self.push_intent(&p.mv, p.check, reading)
            };
            let mut mv = Move {
                intent,
                ..p.mv.clone()
            }
            .word("said", said.clone());
            mv.quote = Some(said);
            // Ask only for the layers the answer did not name.
            if let Check::Boxes(_) = p.check {
                let missing = self.missing_layers_with(&self.named_on_the_board(reading));
                let missing: Vec<&str> = missing.iter().map(String::as_str).collect();
                mv.vars.retain(|(k, _)| k != "missing");
                mv = mv.word("missing", crate::interview::phases::join_and(&missing));
            }
            if let Some((key, per)) = &spread {
                mv = mv.word("key", key.clone()).word("per", per.clone());
            }
            // "A lot" for a volume the problem's numbers already give:
            // say the numbers back and ask what they make on this arrow.
            if mv.intent == "push_annotate_edge_rate" || mv.intent == "push_annotate_edge" {
                if let Some(given) = self.given_scale() {
                    mv.intent = format!("{}_given", mv.intent);
                    mv = mv.word("given", given);
                }
            }
            if mv.intent.starts_with("push_off_topic") {
                let asked = self.say_move(&p.mv).text;
                mv = mv.word("question", asked);
                if let Some(other) = &reasoned_other {
                    mv = mv.word("other", other.clone());
                }
            }
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
        // Asked twice and still nothing to use: a dodge, for the verdict.
        if !skipped
            && !reading.substance
            && !reading.designing
            && reading.new_components.is_empty()
            && self.evasive.last() != Some(&text)
        {
            self.evasive.push(text.clone());
        }
        if let Check::Curveball(i) = p.check {
            if let Some(c) = self.curveballs.get_mut(i) {
                c.adapted = Some(false);
            }
            self.pending = None;
        } else {
            self.leave_pending();
        }
        let s = self.line(if skipped { "skip_taken" } else { "gap_left" }, &[]);
        turn.says.push(s);
        false
    }

    /// The sentence of the problem's scale that gives a rate or volume,
    /// when the scale was told to the candidate ("peak is about 20K order
    /// events/sec, ...").
    fn given_scale(&self) -> Option<String> {
        const RATE: &[&str] = &[
            "/s", "/sec", "second", "/day", "a day", "per day", "TB", "GB",
        ];
        let (_, fact) = self
            .problem
            .hidden_facts
            .iter()
            .enumerate()
            .find(|(i, f)| {
                f.topic == crate::rubric::FactTopic::Scale && self.revealed.contains(i)
            })?;
        let sentence = fact
            .answer
            .split_inclusive(". ")
            .map(str::trim)
            .find(|s| RATE.iter().any(|r| s.contains(r)))?
            .trim_end_matches('.');
        // "Peak is about ..." reads on after a colon as "peak is about ...".
        let mut chars = sentence.chars();
        let first = chars.next()?;
        let lower_next = chars.next().is_some_and(char::is_lowercase);
        Some(if lower_next {
            first
                .to_lowercase()
                .chain(sentence.chars().skip(1))
                .collect()
        } else {
            sentence.to_string()
        })
    }

    /// True when the problem's records can arrive late (its statement or
    /// hidden facts say so).
    fn late_problem(&self) -> bool {
        let p = &self.problem;
        std::iter::once(p.statement.as_str())
            .chain(p.hidden_facts.iter().map(|f| f.answer.as_str()))
            .any(|t| {
                let l = t.to_ascii_lowercase();
                l.contains(" late") || l.contains("out of order") || l.contains("days later")
            })
    }

    /// The question's own push, for what is still missing ("how much" when
    /// the arrow now says what flows); the generic one only for a question
    /// that has none.
    fn push_intent(&self, mv: &Move, check: Check, reading: &TurnReading) -> String {
        let own = match check {
            Check::Annotated(i) => match self.design.edges.get(i) {
                Some(e)
                    if e.payload.is_some()
                        || e.format.is_some()
                        || answers::names_format(&self.last_turn_text()) =>
                {
                    "push_annotate_edge_rate".to_string()
                }
                Some(e) if e.rate.is_some() => "push_annotate_edge_payload".to_string(),
                _ => "push_annotate_edge".to_string(),
            },
            _ => format!("push_{}", mv.intent),
        };
        // A variant's push is its family's ("challenge_why_plain" pushes as
        // "challenge_why" does).
        let family = format!("push_{}", crate::interview::moves::family(&mv.intent));
        if self.templates.has(&own) {
            own
        } else if self.templates.has(&family) {
            family
        } else if !reading.substance && reading.words <= 12 {
            "push_nonanswer".to_string()
        } else {
            "push_generic".to_string()
        }
    }

    /// Say back a dubious claim in this answer (`acks=1`, 100 MB/s through
    /// one partition) instead of "Makes sense.": once per kind of claim.
    /// Two in one answer are said one at a time: the other waits for the
    /// next answer that brings none of its own.
    pub(crate) fn push_claim(&mut self, text: &str, turn: &mut Turn) -> bool {
        let said_before = |s: &Self, c: &claims::Claim| {
            let key = Move::new("push_claim").target(c.id.to_string()).key();
            s.history.contains(&key)
        };
        let mut fresh: Vec<claims::Claim> = claims::dubious_all(text)
            .into_iter()
            .filter(|c| !said_before(self, c))
            .collect();
        let c = if fresh.is_empty() {
            let Some(k) = self.claims_later.iter().position(|c| !said_before(self, c)) else {
                return false;
            };
            self.claims_later.remove(k)
        } else {
            // Another claim in the same words is the same point.
            let first = fresh.remove(0);
            self.claims_later
                .extend(fresh.into_iter().filter(|c| c.said != first.said));
            first
        };
        let mv = Move::new("push_claim")
            .target(c.id)
            .quote(c.said.clone())
            .word("said", c.said)
            // Said after the quote's stop: a sentence of its own.
            .word("why", crate::interview::templates::capitalised(c.why));
        self.say_once(mv, turn)
    }

    /// Say `mv` as this turn's follow-up, unless it was said before.
    pub(crate) fn say_once(&mut self, mv: Move, turn: &mut Turn) -> bool {
        if self.asked_before(&mv) {
            return false;
        }
        self.history.push(mv.key());
        let say = self.say_move(&mv);
        turn.says.push(say);
        turn.moves.insert(0, mv);
        turn.follow_up = true;
        true
    }

    /// Numbers in the newest turn that contradict the candidate's own
    /// (a sum done wrong: "2M events/s at 1 KB is 200 MB/s"): said back
    /// with the arithmetic at once, in any phase, once per figure.
    pub(crate) fn push_numbers(&mut self, turn: &mut Turn) -> bool {
        let newest = self.design.turns().last().map(|t| t.turn);
        let stretched = self.stretched_since();
        let Some(m) = crate::design::arith::mismatches(&self.design)
            .into_iter()
            .filter(|m| stretched.is_none_or(|t| !m.rescaled_since(t)))
            .filter(|m| m.severity == crate::design::arith::Severity::Contradiction)
            .find(|m| m.turns.last().copied() == newest)
        else {
            return false;
        };
        let quote = m
            .quotes
            .last()
            .map_or_else(|| m.stated.said.clone(), |q| q.quote.clone());
        let mv = Move::new("challenge_numbers_disagree")
            .target(m.stated.said.clone())
            .quote(quote)
            .var("working", m.working.trim_end_matches('.').to_string())
            .var("said", m.stated.said);
        if self.asked_before(&mv) {
            return false;
        }
        self.history.push(mv.key());
        let say = self.say_move(&mv);
        turn.says.push(say);
        turn.moves.insert(0, mv.clone());
        turn.follow_up = true;
        // Open, so standing by the figure gets its push; a question
        // already on the table stays there.
        if self.pending.is_none() {
            self.pending = Some(crate::interview::session::Pending {
                mv,
                pushed: false,
                about: None,
                check: Check::Substance,
            });
        }
        true
    }
}
