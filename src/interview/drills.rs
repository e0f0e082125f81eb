//! One failure drill: the question, then "and what if this fails?" until
//! the answer says how the design detects the failure, recovers and loses
//! no data, or the drill's budget runs out. Only what the candidate says
//! after the question was asked counts. A shallow answer ("Monitoring.")
//! is pushed once with the candidate's own words; a part still missing
//! after that is recorded, and the drill moves on: the same question is
//! never asked twice in a row.

use serde::{Deserialize, Serialize};

use crate::design::{Depth, FailureTalk, PartDepth};

/// Follow-ups per drill before moving on.
pub const FOLLOW_UP_BUDGET: u8 = 3;

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
    /// The candidate moved on with `/next`.
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

    /// What to say next, and record it as said.
    pub fn next_move(&mut self) -> Next {
        if self.talk.complete() {
            return Next::Close(Outcome::Complete);
        }
        if self.follow_ups >= FOLLOW_UP_BUDGET {
            return Next::Close(Outcome::BudgetSpent);
        }
        for p in Part::ALL {
            let d = p.of(&self.talk).depth;
            if d.covered() {
                continue;
            }
            if d == Depth::Named && !self.pushed.contains(&p) {
                self.pushed.push(p);
                self.follow_ups += 1;
                return Next::Push(p);
            }
            if d == Depth::None && !self.asked.contains(&p) {
                self.asked.push(p);
                self.follow_ups += 1;
                return Next::Ask(p);
            }
            if d == Depth::None && self.asked.contains(&p) && !self.pushed.contains(&p) {
                // Asked, and the answer went elsewhere: one concrete push.
                self.pushed.push(p);
                self.follow_ups += 1;
                return Next::Push(p);
            }
        }
        Next::Close(Outcome::BudgetSpent)
    }

    /// The depth reached on each part.
    pub fn depths(&self) -> (Depth, Depth, Depth) {
        (
            self.talk.detect.depth,
            self.talk.recover.depth,
            self.talk.prevent.depth,
        )
    }

    /// The candidate's words on a part, when they named it.
    pub fn said(&self, p: Part) -> Option<&str> {
        p.of(&self.talk).evidence.as_ref().map(|e| e.quote.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn talk(turn: u32, d: Depth, r: Depth, p: Depth) -> FailureTalk {
        let pd = |depth| PartDepth {
            depth,
            evidence: None,
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
    fn a_bare_word_is_pushed_once_then_the_drill_moves_on() {
        let mut dr = Drill::new(5);
        dr.absorb(&talk(5, Depth::Named, Depth::Covered, Depth::Covered));
        assert_eq!(dr.next_move(), Next::Push(Part::Detect));
        dr.absorb(&talk(6, Depth::Named, Depth::None, Depth::None));
        // Not the same push again: the drill has nothing else missing.
        assert_eq!(dr.next_move(), Next::Close(Outcome::BudgetSpent));
    }

    #[test]
    fn answers_before_the_question_do_not_count() {
        let mut dr = Drill::new(5);
        dr.absorb(&talk(3, Depth::Deep, Depth::Deep, Depth::Deep));
        assert!(!dr.talk.complete());
        assert_eq!(dr.next_move(), Next::Ask(Part::Detect));
    }

    #[test]
    fn a_complete_answer_closes_the_drill() {
        let mut dr = Drill::new(1);
        dr.absorb(&talk(1, Depth::Covered, Depth::Deep, Depth::Covered));
        assert_eq!(dr.next_move(), Next::Close(Outcome::Complete));
    }

    #[test]
    fn the_budget_ends_the_drill() {
        let mut dr = Drill::new(1);
        for _ in 0..FOLLOW_UP_BUDGET {
            assert!(!matches!(dr.next_move(), Next::Close(_)));
        }
        assert_eq!(dr.next_move(), Next::Close(Outcome::BudgetSpent));
    }
}
