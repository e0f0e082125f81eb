//! Which rubric concept a challenge probes: an answer with substance to
//! "what does one hot card token do to its partition?" is the candidate's
//! word on hot keys, whatever words it used.

/// The concept (rubric id) the challenge family `family` (as
/// [`crate::interview::moves::family`] gives it) asks about, if it asks
/// about one.
pub(crate) fn concept_of(family: &str) -> Option<&'static str> {
    Some(match family {
        "challenge_hot_key" => "hot-keys",
        "challenge_backfill" | "challenge_replay_window" => "backfill",
        "challenge_schema_change" => "schema-evolution",
        "challenge_sla_tiers" => "sla-tiers",
        "challenge_cost" => "cost",
        "challenge_late_data" | "challenge_late_vs" => "watermarks",
        "challenge_exactly_once_claim" | "ask_guarantee" | "ask_guarantee_mechanism" => {
            "exactly-once"
        }
        "challenge_data_quality" => "data-quality",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_concept_named_is_in_the_rubric() {
        let r = crate::rubric::Rubric::builtin().expect("builtin rubric");
        for f in [
            "challenge_hot_key",
            "challenge_backfill",
            "challenge_replay_window",
            "challenge_schema_change",
            "challenge_sla_tiers",
            "challenge_cost",
            "challenge_late_data",
            "challenge_late_vs",
            "challenge_exactly_once_claim",
            "ask_guarantee",
            "ask_guarantee_mechanism",
            "challenge_data_quality",
        ] {
            let c = concept_of(f).expect("a concept");
            assert!(r.concept(&c.into()).is_some(), "{f} -> {c}");
        }
        assert_eq!(concept_of("challenge_why"), None);
    }
}
