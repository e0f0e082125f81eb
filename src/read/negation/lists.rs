//! A cue that is an item of a negated list: "we will not use exactly-once,
//! watermarks, hot-key salting or SLA tiers". Read apart from the clause
//! check ([`Clauses::is_negated`]), which stops at the comma.

use super::{clause_words, word_char, Clauses, Negation, NONE, WINDOW};

/// Words a list item may hold between its comma and the cue ("…, or SLA
/// tiers"), or between two commas ("…, hot-key salting, …").
const LIST_ITEM: usize = 4;
/// At most this many items are read back to the list's head.
const LIST_ITEMS: usize = 6;
/// Bytes before a cue its list's comma can be in ([`LIST_ITEM`] words).
const LIST_REACH: usize = 48;

impl Clauses<'_> {
    /// "We will not use exactly-once, watermarks, hot-key salting or SLA
    /// tiers": a cue that is an item of a comma list (its clause starts at
    /// `at`) is negated with the list's head. Items read back must be short
    /// and hold no pronoun ("we don't use Kinesis, Flink handles dedupe" is
    /// two clauses, not a list).
    pub(crate) fn in_negated_list(
        &mut self,
        neg: &Negation,
        sent_start: usize,
        start: usize,
        end: usize,
    ) -> bool {
        let text = self.text;
        let lo = sent_start.min(start);
        let Some(before) = text.get(lo..start) else {
            return false;
        };
        // Most cues are no list item: the clause break nearest before the
        // cue (within a few words) is no comma.
        let near = before.as_bytes();
        let comma = near
            .iter()
            .rev()
            .take(LIST_REACH)
            .find(|&&b| {
                matches!(
                    b,
                    b',' | b';' | b':' | b'(' | b')' | b'.' | b'!' | b'?' | b'\n'
                )
            })
            .is_some_and(|&b| b == b',');
        if !comma {
            return false;
        }
        // The cue's own clause, read back: nothing, "or"/"and" and a few
        // more words of the item, or a word or two of an item the cue ends
        // ("hot-key salting or …"; not "Flink handles dedupe by …").
        let (words, count) = clause_words(before, true);
        let lead_conj = count > 0
            && neg
                .info(&before[words[0].0..words[0].1], &mut self.buf)
                .conj;
        let after = text.get(end.max(start)..).unwrap_or("");
        // The item ends right after the cue, or a word or two later
        // ("hot-key salting, …"): a comma, "or", "and", the sentence's end.
        // "If we didn't have Kafka, SQS plus the ledger would do" goes on.
        let ends_at = |t: &str| {
            let t = t.trim_start();
            t.is_empty()
                || t.starts_with([',', ';', '.', ')'])
                || ["or ", "and ", "nor "]
                    .iter()
                    .any(|c| t.get(..c.len()).is_some_and(|a| a.eq_ignore_ascii_case(c)))
        };
        let mut rest = after;
        let mut ends_item = ends_at(rest);
        for _ in 0..2 {
            let t = rest.trim_start();
            let w = t
                .find(|c: char| !word_char(c) && c != '-')
                .unwrap_or(t.len());
            if ends_item || w == 0 {
                break;
            }
            rest = &t[w..];
            ends_item = ends_at(rest);
        }
        if !((ends_item && count <= 2) || (lead_conj && count <= LIST_ITEM)) {
            return false;
        }
        let mut at = lo + words[..count].last().map_or(before.len(), |w| w.0);
        for _ in 0..LIST_ITEMS {
            let Some(head) = text.get(lo..at) else {
                return false;
            };
            let Some(before) = head.trim_end().strip_suffix(',') else {
                return false;
            };
            let (words, count) = clause_words(before, true);
            let mut window = [NONE; WINDOW];
            let mut m = 0;
            let mut pronoun = false;
            let mut ended = false;
            for &(s, e) in &words[..count] {
                let info = neg.info(&before[s..e], &mut self.buf);
                if info.breaker {
                    ended = true;
                    break;
                }
                pronoun |= info.subject;
                window[m] = info.id;
                m += 1;
            }
            window[..m].reverse();
            // The negator governs the list when words come before it in its
            // clause ("we will not use A, B"); one that opens its clause is
            // an item of its own ("fault-tolerant, no single point of
            // failure, exactly-once").
            let opens_clause = !ended && count < WINDOW;
            let from = usize::from(opens_clause).min(m);
            if Negation::contains(&neg.pre, &neg.pre_by_first, &window[from..m]) {
                return true;
            }
            // Read on only past another short item of the list.
            if ended || pronoun || count == 0 || count > LIST_ITEM {
                return false;
            }
            at = lo + words[count - 1].0;
        }
        false
    }
}
