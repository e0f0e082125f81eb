//! A hand-wave: a claim that the platform takes care of it, with no
//! mechanism ("it just works", "the cloud handles that", "Kafka's built for
//! that"). The interviewer pushes on one; the design model does not count
//! one as a failure answer's part.

use std::sync::OnceLock;

use regex::Regex;

fn matches(cell: &'static OnceLock<Option<Regex>>, pattern: &str, text: &str) -> bool {
    cell.get_or_init(|| Regex::new(pattern).ok())
        .as_ref()
        .is_some_and(|r| r.is_match(text))
}

/// A claim that the platform takes care of it, with no mechanism: "it just
/// works", "AWS handles that", "because it's exactly-once", "ACID". A
/// guarantee said with what gives it ("the Kafka source with exactly-once
/// offsets", "ACID through one MERGE transaction") is a mechanism.
pub(crate) fn hand_wave(text: &str) -> bool {
    static HANDLES_WITH: OnceLock<Option<Regex>> = OnceLock::new();
    // "Flink handles that with checkpoints" names a feature, not how; "the
    // daily job handles that with a 3-day lookback" says how, with its
    // figure.
    let handled_with = HANDLES_WITH
        .get_or_init(|| {
            Regex::new(r"(?i)\bhandles?\s+(?:it|that|this|all\s+(?:of\s+)?(?:it|that|this))\s+with\b([^.;!?\n]*)").ok()
        })
        .as_ref()
        .is_some_and(|r| {
            r.captures_iter(text).any(|c| {
                c.get(1)
                    .is_some_and(|m| !m.as_str().bytes().any(|b| b.is_ascii_digit()))
            })
        });
    handled_with || waves(text)
}

fn waves(text: &str) -> bool {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    static CLAIM: OnceLock<Option<Regex>> = OnceLock::new();
    static MECHANISM: OnceLock<Option<Regex>> = OnceLock::new();
    matches(
        &RE,
        r"(?ix)
        \bjust\s+works?\b | \btakes?\s+care\s+of\b
        | \bhandles?\s+(?:it|that|this|all\s+(?:of\s+)?(?:it|that|this))
          (?:\s+(?:for\s+(?:us|you)|fine|well|automatically|natively|gracefully|nicely))?
          \s*(?:[.,;:!?)]|$|(?:and|so|but|too|anyway)\b)
        | \bout\s+of\s+the\s+box\b | \bbest\s+practices?\b | \bindustry\s+standard\b
        | \b(?:it'?s|is|are)\s+(?:really\s+|very\s+|pretty\s+|super\s+|fully\s+|totally\s+|completely\s+|extremely\s+)?(?:reliable|durable|resilient|robust)\b
        | \bthe\s+cloud\s+handles\b | \bscales?\s+to\s+any\b
        | \bscales?\s+(?:automatically|horizontally|infinitely)\b | \bnothing\s+really\s+breaks\b
        | \b(?:doesn'?t|does\s+not|won'?t)\s+really\s+happen\b
        | \bjust\s+scales?\b | \b(?:it'?s\s+all|everything'?s|everything\s+is)\s+(?:all\s+)?(?:managed|elastic)\b
        | \bthe\s+cloud\s+(?:would\s+|will\s+|should\s+)?(?:handles?|takes?\s+care)\b
        | \b(?:built|made)\s+for\s+(?:that|this|it)\s*(?:[.,;:!?)]|$)
        | \bcatch(?:es)?\s+up\s+(?:after\s+a\s+while|eventually|on\s+its\s+own)\b
        | \b(?:it'?d|it\s+would|that'?d|that\s+would|it'?ll|it\s+will|it\s+should|that\s+should|we'?d|we\s+would|we'?ll|we\s+should)\s+be\s+(?:just\s+)?fine\b
        | \bwe'?re\s+(?:good|fine)\s*(?:[.!]|$) | \bso\s+it'?s\s+(?:all\s+)?fine\b
        | \bstorage\s+is\s+cheap\b | \bnot\s+a\s+(?:big\s+)?deal\b
        | \bkeep\s+an\s+eye\s+on\s+(?:it|that|this|the\s+cost)\b | \btune\s+it\s+as\s+we\s+go\b
        | \bself[-\s]healing\b | \bauto[-\s]?heal\w*\b",
        text,
    ) || matches(
        &CLAIM,
        r"(?ix)
        \b(?:because|with|since|thanks\s+to|by|gives\s+us|it'?s|it\s+is|(?:since|because)\s+it(?:'?s|\s+is))\s+(?:the\s+|its\s+|our\s+)?(?:platform'?s?\s+)?(?:exactly[-\s]once|acid)\b
        | \bexactly[-\s]once\s+semantics\s+of\b
        | \b(?:has|have|gives|provides|guarantees)\s+(?:built[-\s]in\s+|native\s+)?exactly[-\s]once\b
        | \bexactly[-\s]once\s+(?:everywhere|across\s+the\s+board)\b
        | \b(?:fully|totally|completely)\s+(?:idempotent|exactly[-\s]once|fault[-\s]tolerant)\b
        | \b(?:everything|it\s+all|all\s+of\s+it)\s+(?:is|will\s+be|would\s+be)\s+(?:\w+\s+){0,2}(?:idempotent|exactly[-\s]once)\b
        | \bmake\s+(?:everything|it\s+all|every\s+\w+|all\s+(?:the\s+)?\w+)\s+(?:\w+\s+)?(?:idempotent|exactly[-\s]once)\b",
        text,
    ) && !matches(
        &MECHANISM,
        r"(?i)\b(?:offsets?|checkpoint\w*|two[-\s]phase|2pc|merge|upsert\w*|dedup\w*|transactional\s+(?:sink|producer|writes?|commits?)|kafka\s+transactions|exactly[-\s]once\s+(?:\w+\s+){0,2}transactions)\b",
        text,
    )
}

#[cfg(test)]
mod tests {
    use super::hand_wave;

    #[test]
    fn a_blanket_guarantee_is_a_hand_wave_unless_its_mechanism_is_said() {
        for t in [
            "Everything is exactly-once everywhere, fully idempotent and self-healing, so the numbers are always correct.",
            "Make sure everything is idempotent.",
            "Make everything idempotent and exactly-once so the numbers are always right.",
            "The platform is fully fault-tolerant.",
        ] {
            assert!(hand_wave(t), "{t}");
        }
        for t in [
            "Writes are fully idempotent: a MERGE on (account_id, txn_id).",
            "Exactly-once end to end: Kafka transactions and the two-phase commit sink.",
            "The DELETE is naturally idempotent.",
        ] {
            assert!(!hand_wave(t), "{t}");
        }
    }
}
