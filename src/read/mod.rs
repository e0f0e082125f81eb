//! Reading the candidate's text, the layer under the design model: one
//! compiled pass of every cue vocabulary (concepts, signals, failure
//! coverage, explanation markers, negation), sentences, specific numbers and
//! the component catalogue. Plain sync functions, no I/O; everything above
//! (the design model, the scorer, the interviewer) reads its results.

use serde::{Deserialize, Serialize};

pub(crate) mod analysis;
mod clause_breaks;
pub(crate) mod components;
#[cfg(test)]
pub(crate) mod corpus;
pub(crate) mod credit;
pub mod dialogue;
pub(crate) mod gates;
pub(crate) mod hand_wave;
mod lazy;
pub(crate) mod matcher;
pub(crate) mod negation;
pub mod quantity;
pub(crate) mod rates;
pub(crate) mod sentences;
pub(crate) mod text;

pub use components::ComponentMention;
pub use quantity::{quantities, Quantity, QuantityKind};

/// A verbatim span of the candidate's text. `text[start..end] == quote`
/// always holds for the text the span was found in; code checks it before a
/// span counts.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// Byte offset of the span in the scored text.
    pub start: usize,
    /// Byte offset one past the end.
    pub end: usize,
    pub quote: String,
}

/// Every cue of a rubric compiled once, with the component catalogue:
/// what a text is read with. Cheap to clone (shared automata).
#[derive(Debug, Clone)]
pub(crate) struct Reader {
    pub matchers: matcher::Matchers,
    pub index: components::ComponentIndex,
}

impl Reader {
    /// Compile the rubric's cues and catalogue, with the gates of up to
    /// eight `(?i)` regexes the layer above runs sentence by sentence
    /// (each analysis says which sentences each can match).
    pub(crate) fn new(rubric: &crate::rubric::Rubric, sentence_gates: &[&str]) -> Reader {
        let index = components::ComponentIndex::new(&rubric.components);
        Reader {
            matchers: matcher::Matchers::new(rubric, &index, sentence_gates),
            index,
        }
    }

    /// Everything a scorecard or the design model needs from a text.
    pub(crate) fn analyse<'t>(&self, text: &'t str) -> analysis::Analysis<'t> {
        analysis::Analysis::new(text, &self.matchers, &self.index)
    }
}
