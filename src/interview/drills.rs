//! One failure drill: the question, then "and what if this fails?" until
//! the answer says how the design detects the failure, recovers and loses
//! no data, or the drill's budget runs out. Only what the candidate says
//! after the question was asked counts. A shallow answer ("Monitoring.")
//! is pushed once with the candidate's own words; a part still missing
//! after that is recorded, and the drill moves on: the same question is
//! never asked twice.

use serde::{Deserialize, Serialize};

use crate::design::{Depth, FailureTalk, PartDepth};

/// A part of a failure answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Part {
    Detect,
    Recover,
    Prevent,
}

impl Part {
    pub const ALL: [Part; 3] = [Part::Detect, Part::Recover, Part::Prevent];

    /// The id used in intents: `drill_detect`, `push_prevent`.
    pub fn id(self) -> &'static str {
        match self {
            Part::Detect => "detect",
            Part::Recover => "recover",
            Part::Prevent => "prevent",
        }
    }

    fn of_mut(self, t: &mut FailureTalk) -> &mut PartDepth {
        match self {
            Part::Detect => &mut t.detect,
            Part::Recover => &mut t.recover,
            Part::Prevent => &mut t.prevent,
        }
    }

    fn of(self, t: &FailureTalk) -> &PartDepth {
        match self {
            Part::Detect => &t.detect,
            Part::Recover => &t.recover,
            Part::Prevent => &t.prevent,
        }
    }
}

/// How a drill ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Outcome {
    /// Detect, recover and prevent-loss all covered.
    Complete,
    /// Pushed to the budget; some part never reached depth.
    BudgetSpent,
    /// The candidate moved on: `/next`, or "let's move on".
    Skipped,
    /// The clock or the round ended first.
    Stopped,
}

/// The next thing to say in a drill.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// Ask about a part not said at all.
    Ask(Part),
    /// The part was only named: push on it with the candidate's words.
    Push(Part),
    /// The answer to the drill's own question waved it away ("it just
    /// works", "S3 is durable"): push on the failure itself.
    PushFailure,
    /// Done: close the drill.
    Close(Outcome),
}

/// A drill in progress.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Drill {
    /// The first candidate turn that answers it.
    pub since_turn: u32,
    /// Everything said since, merged.
    pub talk: FailureTalk,
    pub follow_ups: u8,
    /// Parts already asked and pushed, in order.
    asked: Vec<Part>,
    pushed: Vec<Part>,
    /// The drill's own question was pushed.
    pushed_failure: bool,
}

impl Drill {
    /// A drill asked just before candidate turn `since_turn`.
    pub fn new(since_turn: u32) -> Drill {
        Drill {
            since_turn,
            ..Drill::default()
        }
    }

    /// Fold in what one answer said.
    pub fn absorb(&mut self, t: &FailureTalk) {
        if t.turn >= self.since_turn {
            self.talk.merge(t);
        }
    }

    /// Count a part as said before the drill was asked, when the question
    /// itself grants it ("the write is safe to retry, you said").
    pub fn grant(&mut self, part: Part, evidence: crate::read::Evidence) {
        part.of_mut(&mut self.talk).lift(&PartDepth {
            depth: Depth::Covered,
            evidence: Some(evidence),
            clause: None,
        });
    }

    /// Duplicates made harmless on a key with no horizon ("each user's
    /// first exposure per experiment", "a duplicate just rewrites the same
    /// value") leave nothing to clean up: the prevent part is the recovery
    /// too. A dedupe kept for a while ("by event_id for 7 days") still lets
    /// a later repeat through, so its recovery is still asked.
    pub fn collapse_duplicates(&mut self) {
        let prevent = &self.talk.prevent;
        if self.talk.recover.depth != Depth::None || prevent.depth < Depth::Covered {
            return;
        }
        let Some(ev) = prevent.evidence.clone() else {
            return;
        };
        let said = prevent
            .clause
            .as_ref()
            .unwrap_or(&ev)
            .quote
            .to_ascii_lowercase();
        const HORIZON: &[&str] = &[
            "ttl",
            "window",
            "minute",
            "hour",
            "day",
            "week",
            "retention",
            "expire",
            "evict",
            "for the last",
            "within",
        ];
        if HORIZON.iter().any(|h| said.contains(h)) {
            return;
        }
        self.grant(Part::Recover, ev);
    }

    /// Absorb an answer that waved the question away ("AIOps anomaly
    /// detection on the golden signals", "it just works"): what it touched
    /// is at most named, never covered.
    pub fn absorb_evasive(&mut self, t: &FailureTalk) {
        let mut capped = t.clone();
        for part in [&mut capped.detect, &mut capped.recover, &mut capped.prevent] {
            if part.depth > crate::design::Depth::Named {
                part.depth = crate::design::Depth::Named;
            }
        }
        self.absorb(&capped);
    }

    /// What to say next, and record it as said. `evasive`: the newest
    /// answer waved the question away.
    ///
    /// Every shallow answer is pushed once, on what was just asked: the
    /// part, or the failure itself. Each part is asked at most once and
    /// pushed at most once, so the same question never comes twice and a
    /// drill ends after six follow-ups at most.
    pub fn next_move(&mut self, evasive: bool) -> Next {
        if self.talk.complete() {
            return Next::Close(Outcome::Complete);
        }
        let last = self.asked.last().copied();
        let open = |s: &Drill, p: Part| !p.of(&s.talk).depth.covered();
        match last {
            None if evasive && !self.pushed_failure => {
                self.pushed_failure = true;
                return self.count(Next::PushFailure);
            }
            Some(p) if open(self, p) && !self.pushed.contains(&p) => {
                self.pushed.push(p);
                return self.count(Next::Push(p));
            }
            _ => {}
        }
        // After the drill's own question: a part only named gets its push.
        if last.is_none() {
            if let Some(p) = Part::ALL
                .into_iter()
                .find(|p| p.of(&self.talk).depth == Depth::Named && !self.pushed.contains(p))
            {
                self.pushed.push(p);
                return self.count(Next::Push(p));
            }
        }
        if let Some(p) = Part::ALL
            .into_iter()
            .find(|&p| open(self, p) && !self.asked.contains(&p) && !self.pushed.contains(&p))
        {
            self.asked.push(p);
            return self.count(Next::Ask(p));
        }
        Next::Close(Outcome::BudgetSpent)
    }

    fn count(&mut self, n: Next) -> Next {
        self.follow_ups += 1;
        n
    }

    /// The depth reached on each part.
    pub fn depths(&self) -> (Depth, Depth, Depth) {
        (
            self.talk.detect.depth,
            self.talk.recover.depth,
            self.talk.prevent.depth,
        )
    }

    /// The candidate's words on a part, when they named it: the clause
    /// that says it when the sentence runs long.
    pub fn said(&self, p: Part) -> Option<&str> {
        p.of(&self.talk).quote().map(|e| e.quote.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn talk(turn: u32, d: Depth, r: Depth, p: Depth) -> FailureTalk {
        let pd = |depth| PartDepth {
            depth,
            ..PartDepth::default()
        };
        FailureTalk {
            turn,
            detect: pd(d),
            recover: pd(r),
            prevent: pd(p),
            ..FailureTalk::default()
        }
    }

    #[test]
    fn a_push_quotes_the_clause_that_named_the_part_not_its_long_sentence() {
        let ev = |q: &str| crate::read::Evidence {
            start: 0,
            end: q.len(),
            quote: q.to_string(),
        };
        let mut t = talk(5, Depth::Named, Depth::Covered, Depth::Covered);
        t.detect.evidence = Some(ev(
            "To make it visible, the builder compares label snapshot \
             ids against the latest and flags sets built on a superseded one, and the \
             registry shows that flag next to the metric.",
        ));
        t.detect.clause = Some(ev(
            "the builder compares label snapshot ids against the latest",
        ));
        let mut dr = Drill::new(5);
        dr.absorb(&t);
        assert_eq!(
            dr.said(Part::Detect),
            Some("the builder compares label snapshot ids against the latest")
        );
        // A short sentence is its own quote.
        t.detect.clause = None;
        t.detect.evidence = Some(ev("We alert on lag."));
        let mut dr = Drill::new(5);
        dr.absorb(&t);
        assert_eq!(dr.said(Part::Detect), Some("We alert on lag."));
    }

    #[test]
    fn a_bare_word_is_pushed_once_then_the_drill_moves_on() {
        let mut dr = Drill::new(5);
        dr.absorb(&talk(5, Depth::Named, Depth::Covered, Depth::Covered));
        assert_eq!(dr.next_move(false), Next::Push(Part::Detect));
        dr.absorb(&talk(6, Depth::Named, Depth::None, Depth::None));
        // Not the same push again: the drill has nothing else missing.
        assert_eq!(dr.next_move(false), Next::Close(Outcome::BudgetSpent));
    }

    #[test]
    fn a_shallow_answer_to_a_part_is_pushed_on_that_part_before_the_next_is_asked() {
        let mut dr = Drill::new(1);
        dr.absorb(&talk(1, Depth::None, Depth::Covered, Depth::None));
        assert_eq!(dr.next_move(false), Next::Ask(Part::Detect));
        // "Alerts." answers the detect question with a bare word.
        dr.absorb(&talk(2, Depth::Named, Depth::None, Depth::None));
        assert_eq!(dr.next_move(false), Next::Push(Part::Detect));
        dr.absorb(&talk(3, Depth::Named, Depth::None, Depth::None));
        assert_eq!(dr.next_move(false), Next::Ask(Part::Prevent));
        // "We rerun it." to the prevent question: pushed, not dropped.
        dr.absorb(&talk(4, Depth::None, Depth::Named, Depth::None));
        assert_eq!(dr.next_move(false), Next::Push(Part::Prevent));
        assert_eq!(dr.next_move(false), Next::Close(Outcome::BudgetSpent));
    }

    #[test]
    fn a_hand_wave_to_the_failure_itself_is_pushed_before_any_part_is_asked() {
        let mut dr = Drill::new(1);
        dr.absorb(&talk(1, Depth::None, Depth::None, Depth::None));
        assert_eq!(dr.next_move(true), Next::PushFailure);
        dr.absorb(&talk(2, Depth::None, Depth::None, Depth::None));
        assert_eq!(dr.next_move(true), Next::Ask(Part::Detect));
    }

    #[test]
    fn answers_before_the_question_do_not_count() {
        let mut dr = Drill::new(5);
        dr.absorb(&talk(3, Depth::Deep, Depth::Deep, Depth::Deep));
        assert!(!dr.talk.complete());
        assert_eq!(dr.next_move(false), Next::Ask(Part::Detect));
    }

    #[test]
    fn a_complete_answer_closes_the_drill() {
        let mut dr = Drill::new(1);
        dr.absorb(&talk(1, Depth::Covered, Depth::Deep, Depth::Covered));
        assert_eq!(dr.next_move(false), Next::Close(Outcome::Complete));
    }

    #[test]
    fn every_part_is_asked_and_pushed_at_most_once() {
        let mut dr = Drill::new(1);
        let mut said = 0;
        while !matches!(dr.next_move(true), Next::Close(_)) {
            said += 1;
            assert!(said <= 7, "the drill never ends");
        }
        assert_eq!(said, 7);
    }

    #[test]
    fn duplicates_collapsed_on_a_key_need_no_cleanup_but_a_windowed_dedupe_does() {
        let prevent = |quote: &str| {
            let mut t = talk(1, Depth::Covered, Depth::None, Depth::Covered);
            t.prevent.evidence = Some(crate::read::Evidence {
                start: 0,
                end: quote.len(),
                quote: quote.into(),
            });
            t
        };
        let mut dr = Drill::new(1);
        dr.absorb(&prevent(
            "In Flink the assignment state is keyed by user and experiment, so a duplicate just rewrites the same value.",
        ));
        dr.collapse_duplicates();
        assert_eq!(dr.depths().1, Depth::Covered);
        assert_eq!(dr.next_move(false), Next::Close(Outcome::Complete));
        let mut dr = Drill::new(1);
        dr.absorb(&prevent(
            "We dedupe by event_id kept in keyed state for 7 days.",
        ));
        dr.collapse_duplicates();
        assert_eq!(dr.depths().1, Depth::None);
        assert_eq!(dr.next_move(false), Next::Ask(Part::Recover));
    }
}
