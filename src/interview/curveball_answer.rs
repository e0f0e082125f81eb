//! An answer to a curveball (a tightened requirement or a 10x stretch):
//! did it change the design, or say where the design already copes?

use crate::design::TurnReading;
use crate::interview::answers::Stance;
use crate::interview::curveballs;
use crate::interview::session::Session;

impl Session {
    /// Read an answer to curveball `i`: true when it adapted the design.
    pub(crate) fn follow_curveball(
        &mut self,
        i: usize,
        reading: &TurnReading,
        stance: Stance,
    ) -> bool {
        let terms = self
            .problem
            .curveballs
            .iter()
            .find(|c| Some(c.kind) == self.curveballs.get(i).map(|r| r.kind))
            .map(|c| c.adapted_by.clone())
            .unwrap_or_default();
        let cue = self.design.last_turn_mentions(&terms);
        let new_products = reading
            .new_components
            .iter()
            .filter(|&&c| self.design.components.get(c).is_some_and(|x| !x.vague))
            .count();
        // "The design already does that" counts when it says where, and
        // about the new requirement (its cue or its words): "nothing is
        // counted twice" to ten times the volume is another point, however
        // true.
        let text = self.last_turn_text();
        let about_it = cue.is_some()
            || self
                .curveballs
                .get(i)
                .is_some_and(|r| crate::interview::off_target::share_a_word(&r.said, &text));
        let already = stance == Stance::Disputes
            && reading.substance
            && about_it
            && self.names_a_component(&text);
        // "The hourly job: 400M lines a day in one burst. I'd give them
        // their own job and scale executors": what breaks and what changes,
        // in the design's own boxes, adapts it without the rubric's words.
        let changes_a_box =
            about_it && self.names_a_component(&text) && curveballs::names_a_change(&text);
        let ok = stance != Stance::Evades
            && (already
                || curveballs::says_a_change(&text)
                    && curveballs::adapted(reading, cue.is_some() || changes_a_box, new_products));
        let quote = cue
            .map(|e| e.quote)
            .unwrap_or_else(|| self.first_sentence_of_last_turn());
        if let Some(r) = self.curveballs.get_mut(i) {
            if ok || r.quote.is_none() {
                r.quote = Some(quote);
            }
            if ok {
                r.adapted = Some(true);
            } else if !r.pushed {
                r.pushed = true;
            }
        }
        ok
    }
}
