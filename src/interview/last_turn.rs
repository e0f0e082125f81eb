//! What the newest candidate turn says, for the follow-ups that quote it
//! or check it: the turn whole, its first sentence said back, and whether
//! it names a box of the design.

use crate::interview::session::Session;

impl Session {
    /// True when `text` names a component of the design.
    pub(crate) fn names_a_component(&self, text: &str) -> bool {
        self.components_named_in(text) > 0
    }

    /// How many components of the design `text` names, by name, product or
    /// the box's own words without the product ("the hourly job" for
    /// "Spark hourly job").
    pub(crate) fn components_named_in(&self, text: &str) -> usize {
        let lower = text.to_ascii_lowercase();
        self.design
            .components
            .iter()
            .filter(|c| {
                let name = c.name.to_ascii_lowercase();
                let own = c.product.as_deref().is_some_and(|p| {
                    name.strip_prefix(&p.to_ascii_lowercase())
                        .map(str::trim)
                        .is_some_and(|rest| {
                            rest.len() >= 5 && crate::read::text::holds_words(&lower, rest)
                        })
                });
                own || [Some(c.name.as_str()), c.product.as_deref()]
                    .into_iter()
                    .flatten()
                    .any(|n| n.len() >= 2 && lower.contains(&n.to_ascii_lowercase()))
            })
            .count()
    }

    /// The newest candidate turn, whole.
    pub(crate) fn last_turn_text(&self) -> String {
        self.design
            .turns()
            .last()
            .map(|t| self.design.text()[t.start..t.end].to_string())
            .unwrap_or_default()
    }

    /// The newest candidate turn's first sentence, for quoting back.
    pub(crate) fn first_sentence_of_last_turn(&self) -> String {
        let Some(t) = self.design.turns().last() else {
            return String::new();
        };
        let text = &self.design.text()[t.start..t.end];
        // The reader's own sentences: "0.5%" or "e.g." does not end one.
        // "Hmm." or "Good question." before the answer is not what they said.
        let sentences: Vec<&str> = crate::read::sentences::split_sentences(text)
            .iter()
            .filter_map(|s| text.get(s.start..s.end))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .collect();
        let first = sentences
            .iter()
            .find(|s| !only_filler(s))
            .or(sentences.first())
            .copied()
            .unwrap_or("");
        let one: String = first.split_whitespace().collect::<Vec<_>>().join(" ");
        if one.chars().count() > 120 {
            let cut: String = one.chars().take(117).collect();
            let cut = cut
                .rsplit_once(' ')
                .map_or(cut.as_str(), |(a, _)| a)
                .to_string();
            format!("{cut}…")
        } else {
            one
        }
    }
}

/// A sentence of nothing but thinking noises and acknowledgements: "Hmm.",
/// "OK, so.", "Good question.", "Let me think."
fn only_filler(sentence: &str) -> bool {
    const FILLER: [&str; 24] = [
        "hmm",
        "hm",
        "um",
        "umm",
        "uh",
        "er",
        "well",
        "ok",
        "okay",
        "right",
        "so",
        "yeah",
        "yes",
        "sure",
        "good",
        "great",
        "question",
        "interesting",
        "let",
        "me",
        "think",
        "ah",
        "oh",
        "alright",
    ];
    sentence
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .all(|w| FILLER.iter().any(|f| w.eq_ignore_ascii_case(f)))
}

#[cfg(test)]
mod tests {
    use super::only_filler;

    #[test]
    fn thinking_noises_are_not_what_the_candidate_said() {
        for s in ["Hmm.", "OK, so.", "Good question.", "Let me think..."] {
            assert!(only_filler(s), "{s}");
        }
        for s in [
            "Not sure.",
            "Not much really, Flink is already fast.",
            "OK, 48.",
        ] {
            assert!(!only_filler(s), "{s}");
        }
    }
}
