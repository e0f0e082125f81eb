//! Holding the design to the brief: the statement asks for consumers and
//! duties ("live dashboards", "years of history", "erasure from Kafka");
//! a board that leaves one out is asked about it once, as an interviewer
//! would, and the debrief names any never covered.

use crate::interview::moves::Move;
use crate::interview::session::{Say, Session};
use crate::rubric::brief::said_in;
use crate::rubric::Phase;

/// Boxes on the board before the brief is held against it: a sketch of one
/// or two boxes is asked for the missing layers first.
const MIN_BOXES: usize = 3;

impl Session {
    /// The candidate's own words, lower-cased, without the clarifying
    /// questions: "who needs the proof?" is not a design that produces it
    /// (a diagram drawn in the clarify phase is design, though).
    fn design_words(&self) -> String {
        let d = &self.design;
        let asked = |turn: u32| {
            d.questions.iter().any(|q| q.turn == turn)
                && !d.components.iter().any(|c| c.introduced.turn == turn)
        };
        d.turns()
            .iter()
            .filter(|t| t.phase != Some(Phase::Clarify) || !asked(t.turn))
            .filter_map(|t| d.text().get(t.start..t.end))
            .collect::<Vec<_>>()
            .join("\n")
            .to_ascii_lowercase()
    }

    /// True when the design handles the brief's need `k`: the candidate
    /// said one of its words, or put a component of its kind in the design.
    pub(crate) fn brief_covered(&self, k: usize) -> bool {
        let Some(need) = self.problem.brief.get(k) else {
            return true;
        };
        let words = self.design_words();
        need.covered_by.iter().any(|w| said_in(&words, w))
            || self
                .design
                .components
                .iter()
                .any(|c| !c.vague && need.kinds.contains(&c.kind))
    }

    /// The brief's needs the design never covered, in the problem's order.
    pub(crate) fn brief_missed(&self) -> Vec<String> {
        (0..self.problem.brief.len())
            .filter(|&k| !self.brief_covered(k))
            .filter_map(|k| self.problem.brief.get(k).map(|b| b.need.clone()))
            .collect()
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
