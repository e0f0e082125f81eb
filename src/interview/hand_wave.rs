//! A design waved through: "It basically just works", "nothing really
//! breaks", said unprompted while the board is drawn or the flow is
//! walked. An L5 interviewer does not write that down as an answer; they
//! ask where it breaks first. Once per phase, as a question the next answer
//! has to meet (a second wave is pushed, then left open).

use std::sync::OnceLock;

use regex::Regex;

use crate::interview::claims::clause;
use crate::interview::moves::Move;
use crate::interview::session::{Check, Session, Turn};

/// Words that wave a design through. Stricter than the evasive answers to
/// a question (`answers::hand_wave`): "S3 is durable" or "Kafka handles
/// that by replicating" said while drawing are statements, not waves.
const WAVED: &str = r"(?ix)
    \bjust\s+works?\b
    | \bnothing\s+(?:really\s+|ever\s+)?(?:breaks|fails|goes\s+wrong)\b
    | \b(?:doesn'?t|does\s+not|won'?t|will\s+not|shouldn'?t)\s+really\s+(?:happen|fail|break)\b
    | \b(?:takes?|will\s+take)\s+care\s+of\s+(?:it|that|this|everything|itself)\s*(?:[.!;\n]|$)
    | \bscales?\s+(?:automatically|infinitely)\b";

/// The clause of `text` that waves the design through, unless the
/// candidate says it does not ("it doesn't just work") or goes on with how
/// ("scales automatically by adding shards").
pub(crate) fn waved(text: &str) -> Option<String> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    let re = RE.get_or_init(|| Regex::new(WAVED).ok()).as_ref()?;
    re.find_iter(text).find_map(|m| {
        // The few bytes before the match, not the whole text so far.
        let back = crate::read::text::floor_char(text, m.start().saturating_sub(8));
        let before = text[back..m.start()].trim_end().to_ascii_lowercase();
        let negated = ["n't", "not", "never"].iter().any(|w| before.ends_with(w));
        // "takes care of that." ends on its stop: the clause ends there.
        let end = m.start() + m.as_str().trim_end_matches(['.', ';', '!', '\n']).len();
        let rest = text[end..]
            .split(['.', ';', '\n', '?', '!'])
            .next()
            .unwrap_or("")
            .trim_start()
            .to_ascii_lowercase();
        let explained = [
            "by ",
            "with ",
            "via ",
            "using ",
            "through ",
            "because",
            "since ",
            "as long as",
            "once ",
        ]
        .iter()
        .any(|w| rest.starts_with(w));
        let said = clause(text, m.start(), end);
        (!negated && !explained && !said.is_empty()).then_some(said)
    })
}

impl Session {
    /// "It basically just works" said while no question is on the table:
    /// asked back, once per phase, with the candidate's words.
    pub(crate) fn challenge_hand_wave(&mut self, turn: &mut Turn) -> bool {
        // An answer to a question already met its follow-up ("Makes
        // sense.", a push, the gap left open): not asked twice.
        if self.pending.is_some() || !turn.says.is_empty() {
            return false;
        }
        let Some(said) = waved(&self.last_turn_text()) else {
            return false;
        };
        let mv = Move::new("challenge_hand_wave")
            .target(self.phase.title().to_ascii_lowercase())
            .quote(said.clone())
            .word("said", said);
        if self.asked_before(&mv) {
            return false;
        }
        self.ask(turn, mv, Check::Substance);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::waved;

    #[test]
    fn a_design_waved_through_is_quoted_whole() {
        assert_eq!(
            waved("Then it writes the audit row. It basically just works.").as_deref(),
            Some("It basically just works")
        );
        assert_eq!(
            waved("Flink takes care of that.").as_deref(),
            Some("Flink takes care of that")
        );
        assert!(waved("Honestly nothing really breaks here").is_some());
    }

    #[test]
    fn a_statement_with_its_mechanism_or_a_denial_is_no_wave() {
        for t in [
            "It doesn't just work: the delete can fail half way, so each table is a task.",
            "Kinesis scales automatically by adding shards when the put rate alarms.",
            "S3 is durable and Kafka handles that with three replicas.",
            "Flink takes care of the late events with a 10 minute allowed lateness.",
        ] {
            assert_eq!(waved(t), None, "{t}");
        }
    }
}
