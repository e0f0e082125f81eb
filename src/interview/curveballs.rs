//! Curveballs: a requirement tightened at about 40% of the round and a 10×
//! stretch at about 75%, as strong interviewers do, each defined per
//! problem in the rubric. The round's progress is the larger of the clock's
//! share and the phases' share (so an untimed or scripted round gets them
//! at the same point of the conversation). Whether the candidate adapted
//! the design is read from their answer and reported in the debrief.

use serde::{Deserialize, Serialize};

use crate::design::TurnReading;
use crate::rubric::{Curveball, CurveballKind, Phase};

/// How one curveball went.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CurveballResult {
    pub kind: CurveballKind,
    pub title: String,
    /// What the interviewer said.
    pub said: String,
    /// The first candidate turn answering it.
    pub since_turn: u32,
    /// `Some(true)` adapted the design, `Some(false)` did not, `None` not answered yet.
    pub adapted: Option<bool>,
    /// The candidate's words that showed it (or their answer, if not).
    pub quote: Option<String>,
    /// What an L5 answer changes.
    pub expect: String,
    /// Pushed once for a concrete change.
    #[serde(default)]
    pub pushed: bool,
}

/// The round's progress from its phases: where each phase starts in the
/// seed's 5 + 15 + 15 + 15 minutes, and in failure modes a tenth per drill.
pub fn phase_progress(phase: Phase, drills_done: usize) -> f32 {
    match phase {
        Phase::Clarify => 0.0,
        Phase::Architecture => 0.1,
        Phase::DataFlow => 0.4,
        Phase::FailureModes => 0.7 + 0.1 * drills_done.min(3) as f32,
    }
}

/// The next curveball due at `progress`, not yet delivered.
pub fn due<'p>(
    all: &'p [Curveball],
    delivered: &[CurveballResult],
    progress: f32,
) -> Option<&'p Curveball> {
    let mut order: Vec<&Curveball> = all.iter().collect();
    order.sort_by(|a, b| a.at().total_cmp(&b.at()));
    order
        .into_iter()
        .find(|c| c.at() <= progress && !delivered.iter().any(|d| d.kind == c.kind))
}

/// Did this answer adapt the design? A reasoned answer that names what
/// changes (`names_it`: one of the curveball's words, or a box of the
/// design and a word of changing), or that adds products (`new_products`)
/// or hops to the design.
pub fn adapted(reading: &TurnReading, names_it: bool, new_products: usize) -> bool {
    if reading.words < 8 || !reading.substance {
        return false;
    }
    names_it || new_products > 0 || !reading.new_edges.is_empty()
}

/// The answer says what it would change: a figure, or a word of changing
/// ("more partitions", "add a connector per shard", "switch to", "split").
/// "Nothing is lost because the merge is idempotent" names a curveball's
/// word ("merge") and changes nothing.
pub fn says_a_change(text: &str) -> bool {
    text.bytes().any(|b| b.is_ascii_digit()) || names_a_change(text)
}

/// A word of changing in the answer ("scale", "separate", "switch to"):
/// a figure alone may only restate the requirement ("it should already be
/// under 5 seconds").
pub fn names_a_change(text: &str) -> bool {
    let l = text.to_ascii_lowercase();
    [
        "more ",
        "add",
        "increase",
        "scale",
        "split",
        "per-shard",
        "per shard",
        "bigger",
        "larger",
        "raise",
        "double",
        "resize",
        "another",
        "switch",
        "move ",
        "moving",
        "replace",
        "bump",
        "instead",
        "upgrade",
        "tune",
        "reduce",
        "lower",
        "shorter",
        "smaller",
        "faster",
        "parallel",
        "separate",
        "dedicated",
        "new ",
        "would change",
        "i'd change",
        "rebalanc",
        "repartition",
        "shard",
        "becomes",
        "become ",
        "turns into",
        "goes to",
        "now ",
        "introduce",
        "remove",
        "precompute",
        "pre-compute",
    ]
    .iter()
    .any(|w| l.contains(w))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_change_is_said_with_a_figure_or_a_word_of_changing() {
        assert!(!says_a_change(
            "nothing is lost as long as the binlog is retained; replayed changes are fine \
             because the merge is idempotent on primary key and binlog position"
        ));
        assert!(says_a_change(
            "One Debezium connector per shard, and more Kafka partitions."
        ));
        assert!(says_a_change("I'd go to 200 partitions."));
    }

    fn ball(kind: CurveballKind) -> Curveball {
        Curveball {
            kind,
            at: None,
            title: "t".into(),
            say: "s?".into(),
            adapted_by: vec!["x".into()],
            expect: "e".into(),
        }
    }

    #[test]
    fn the_tighten_comes_at_data_flow_and_the_stretch_after_a_drill() {
        let all = [ball(CurveballKind::Stretch), ball(CurveballKind::Tighten)];
        assert!(due(&all, &[], phase_progress(Phase::Architecture, 0)).is_none());
        let t = due(&all, &[], phase_progress(Phase::DataFlow, 0)).expect("tighten");
        assert_eq!(t.kind, CurveballKind::Tighten);
        let done = [CurveballResult {
            kind: CurveballKind::Tighten,
            title: String::new(),
            said: String::new(),
            since_turn: 1,
            adapted: None,
            quote: None,
            expect: String::new(),
            pushed: false,
        }];
        assert!(due(&all, &done, phase_progress(Phase::FailureModes, 0)).is_none());
        let s = due(&all, &done, phase_progress(Phase::FailureModes, 1)).expect("stretch");
        assert_eq!(s.kind, CurveballKind::Stretch);
    }

    #[test]
    fn a_short_non_answer_does_not_adapt() {
        let r = TurnReading {
            words: 3,
            ..TurnReading::default()
        };
        assert!(!adapted(&r, true, 0));
    }
}
