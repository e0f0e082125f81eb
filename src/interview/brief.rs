//! Holding the design to the brief: the statement asks for consumers and
//! duties ("live dashboards", "years of history", "erasure from Kafka");
//! a board that leaves one out is told so once, as the walk-through is
//! asked for, and the debrief names any never covered.

use crate::interview::moves::Move;
use crate::interview::session::{Say, Session};

/// Boxes on the board before the brief is held against it: a sketch of one
/// or two boxes is asked for the missing layers first.
const MIN_BOXES: usize = 3;

impl Session {
    /// True when the design handles the brief's need `k`: the candidate
    /// said one of its words, or put a component of its kind in the design.
    fn brief_covered(&self, k: usize) -> bool {
        let Some(need) = self.problem.brief.get(k) else {
            return true;
        };
        need.covered(&self.design.design_words(), &self.design.named_kinds())
    }

    /// The brief's needs the design never covered, in the problem's order.
    pub(crate) fn brief_missed(&self) -> Vec<String> {
        self.design.brief_missed(&self.problem.brief)
    }

    /// The first need of the brief a drawn board leaves out, unless it was
    /// said already.
    pub(crate) fn brief_uncovered(&self) -> Option<String> {
        if self.design.boxes().count() < MIN_BOXES
            || self
                .history
                .iter()
                .any(|h| h.starts_with("brief_uncovered|"))
        {
            return None;
        }
        let k = (0..self.problem.brief.len()).find(|&k| !self.brief_covered(k))?;
        self.problem.brief.get(k).map(|b| b.need.clone())
    }

    /// Said as the walk-through is asked for: the first need of the brief
    /// a drawn board leaves out ("live dashboards" on a board that ends in
    /// S3), for the candidate to cover on the way. A remark, not another
    /// question: the architecture phase keeps its length, and the debrief
    /// names what stays uncovered.
    pub(crate) fn brief_remark(&mut self) -> Option<Say> {
        let need = self.brief_uncovered()?;
        let mv = Move::new("brief_uncovered")
            .target("the brief")
            .var("need", need);
        self.history.push(mv.key());
        Some(self.say_move(&mv))
    }
}
