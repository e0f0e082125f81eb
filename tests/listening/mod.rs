//! The in-process round the listening tests drive: the offline
//! interviewer, a design model read from every answer, and helpers to see
//! what it said and asked next.
#![allow(dead_code)]

use std::sync::Arc;

use mockround::interview::clock::Pace;
use mockround::interview::session::{Input, Session, Turn};
use mockround::interview::templates::Templates;
use mockround::rubric::{Phase, Rubric};
use mockround::score::Scorer;

pub struct Round {
    pub s: Session,
    scorer: Scorer,
    now: u64,
}

impl Round {
    pub fn new(problem: &str) -> Round {
        Round::with_pace(problem, Pace::Untimed)
    }

    pub fn with_pace(problem: &str, pace: Pace) -> Round {
        Round::seeded(problem, pace, 1)
    }

    /// A round whose problem's failures and phrasing are picked by `seed`.
    pub fn seeded(problem: &str, pace: Pace, seed: u64) -> Round {
        let rubric = Rubric::builtin().expect("rubric");
        let p = rubric.problem(problem).expect("problem").clone();
        let mut s = Session::new(p, Arc::new(Templates::builtin()), pace, seed);
        s.open(0);
        Round {
            s,
            scorer: Scorer::new(&rubric),
            now: 0,
        }
    }

    pub fn say(&mut self, text: &str) -> Turn {
        self.now += 30_000;
        self.s
            .handle(Input::Answer(text.to_string()), self.now, &self.scorer)
    }

    pub fn next(&mut self) -> Turn {
        self.now += 1_000;
        self.s.handle(Input::Next, self.now, &self.scorer)
    }

    /// End the round, as `/quit` does.
    pub fn quit(&mut self) -> Turn {
        self.now += 1_000;
        self.s.handle(Input::Quit, self.now, &self.scorer)
    }

    /// Clarify scale, freshness and consumer, and land in the architecture phase.
    pub fn clarified(problem: &str) -> Round {
        let mut r = Round::new(problem);
        r.say("What is the peak scale, how fresh must the data be, and who consumes it?");
        assert_eq!(r.s.phase(), Phase::Architecture);
        r
    }

    /// Advance with /next to a phase.
    pub fn to(&mut self, phase: Phase) {
        while self.s.phase() < phase {
            self.next();
        }
    }
}

impl Round {
    /// Answer `filler` until the interviewer's question (intent, target)
    /// is one `want` accepts, at most `n` times: the turn that asks it (or
    /// the last one), and what the interviewer said before it.
    pub fn until(
        &mut self,
        mut t: Turn,
        n: usize,
        want: impl Fn(&str, &str) -> bool,
        filler: &str,
    ) -> (Turn, Vec<String>) {
        let mut seen = Vec::new();
        for _ in 0..n {
            if asks(&t).is_some_and(|(i, s)| want(i, s)) {
                break;
            }
            seen.push(t.text());
            t = self.say(filler);
        }
        (t, seen)
    }
}

pub fn intents(t: &Turn) -> Vec<&str> {
    t.says.iter().map(|s| s.intent.as_str()).collect()
}

pub fn asks(t: &Turn) -> Option<(&str, &str)> {
    t.moves
        .first()
        .map(|m| (m.intent.as_str(), m.target.as_deref().unwrap_or("")))
}
