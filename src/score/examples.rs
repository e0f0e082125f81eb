//! Cue precision: every concept and signal carries sentences that must be
//! credited for it and sentences that must earn nothing ("CPC = cost /
//! clicks" is not a cost-aware choice). `rubrics validate` scores each one
//! with the rubric's own cues and reports every miss.

use super::scorer::Scorer;
use crate::rubric::Rubric;

/// One example the cues get wrong.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleMiss {
    /// `concepts.toml` or `signals.toml`.
    pub file: &'static str,
    /// The concept or signal id.
    pub owner: String,
    pub example: String,
    /// A counter-example that earned credit (else an example that earned none).
    pub counter: bool,
    pub strength: u8,
}

impl std::fmt::Display for ExampleMiss {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if self.counter {
            write!(
                f,
                "`{}`: counter-example earns credit ({}/4): \"{}\"; narrow the cue that matches it",
                self.owner, self.strength, self.example
            )
        } else {
            write!(
                f,
                "`{}`: example earns nothing: \"{}\"; add a term or pattern that matches it",
                self.owner, self.example
            )
        }
    }
}

/// Score every example and counter-example with the rubric's own cues.
pub fn check(rubric: &Rubric) -> Vec<ExampleMiss> {
    let scorer = Scorer::new(rubric);
    let mut out = Vec::new();
    for c in &rubric.concepts {
        let strength = |t: &str| {
            scorer
                .concept_strengths(t)
                .into_iter()
                .find(|(id, _)| *id == c.id)
                .map_or(0, |(_, s)| s)
        };
        for (list, counter) in [(&c.examples, false), (&c.counter_examples, true)] {
            for e in list {
                let s = strength(e);
                if (s > 0) == counter {
                    out.push(ExampleMiss {
                        file: "concepts.toml",
                        owner: c.id.to_string(),
                        example: e.clone(),
                        counter,
                        strength: s,
                    });
                }
            }
        }
    }
    for sig in &rubric.signals {
        let strength = |t: &str| {
            scorer
                .score(None, t)
                .signals
                .into_iter()
                .find(|x| x.id == sig.id)
                .map_or(0, |x| x.strength)
        };
        for (list, counter) in [(&sig.examples, false), (&sig.counter_examples, true)] {
            for e in list {
                let s = strength(e);
                if (s > 0) == counter {
                    out.push(ExampleMiss {
                        file: "signals.toml",
                        owner: sig.id.to_string(),
                        example: e.clone(),
                        counter,
                        strength: s,
                    });
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_rubric_credits_every_example_and_no_counter_example() {
        let rubric = Rubric::builtin().expect("built-in rubric loads");
        let misses = check(&rubric);
        let listed: Vec<String> = misses.iter().map(|m| m.to_string()).collect();
        assert!(misses.is_empty(), "{listed:#?}");
    }

    #[test]
    fn a_bare_word_cue_is_reported_against_its_counter_example() {
        let mut rubric = Rubric::builtin().expect("built-in rubric loads");
        let cost = rubric
            .concepts
            .iter_mut()
            .find(|c| c.id.as_str() == "cost")
            .expect("cost concept");
        cost.terms.push("cost".into());
        let misses = check(&rubric);
        assert!(
            misses
                .iter()
                .any(|m| m.counter && m.owner == "cost" && m.example.contains("CPC")),
            "{misses:?}"
        );
    }
}
