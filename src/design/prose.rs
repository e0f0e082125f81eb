//! What prose says about the flow: hops described in sentences ("Flink
//! reads from Kafka and writes Parquet to S3"), components written to
//! ("we MERGE into Snowflake"), and choices with their reasons and
//! trade-offs ("Flink rather than Spark because...").

use std::sync::OnceLock;

use regex::Regex;

fn re(cell: &'static OnceLock<Option<Regex>>, pattern: &str) -> Option<&'static Regex> {
    cell.get_or_init(|| Regex::new(pattern).ok()).as_ref()
}

fn forward_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(
        &RE,
        r"(?i)\b(?:writes?|writing|wrote|sends?|sending|sent|publish(?:es|ed|ing)?|produces?|produced|producing|streams?|streamed|streaming|loads?|loaded|loading|lands?|landed|landing|feeds?|fed|push(?:es|ed|ing)?|sinks?|emits?|emitted|emitting|forwards?|ships?|shipped|exports?|dumps?|replicates?|replicated|merges?|merged|merging|upserts?|upserted|inserts?|inserted|persists?|persisted|stores?|stored|goes|go|flows?|moves?|moved|copies|copied|rolls? up|delivers?|delivered|sync(?:s|ed)?)\b[^.;!?]{0,40}?\b(?:to|into|in|onto)\s+(?:the\s+|a\s+|an\s+)?$",
    )
}

fn direct_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(
        &RE,
        r"(?i)\b(?:loads?|feeds?|updates?|populates?|fills?|hydrates?|refreshes?|triggers?|calls?|notifies?)\s+(?:the\s+|a\s+|an\s+)?$",
    )
}

fn reverse_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(
        &RE,
        r"(?i)\b(?:reads?|reading|consumes?|consumed|consuming|pulls?|pulled|pulling|subscribes?|polls?|polling|ingests?|ingested|fetch(?:es|ed)?|scans?|tails?|tailing|captures?|captured|listens?)\b[^.;!?]{0,30}?(?:\bfrom\s+|\bto\s+|\bon\s+)?(?:the\s+|a\s+)?$",
    )
}

/// The direction of a hop between two mentions, from the words between
/// them: `Some(true)` is first → second, `Some(false)` second → first.
pub(crate) fn flow_between(between: &str) -> Option<bool> {
    let between = between.trim_start_matches([',', ' ']);
    if between.len() > 80 || between.contains(". ") {
        return None;
    }
    // "Spark never writes to the raw events": no hop.
    let lower = format!(" {} ", between.to_ascii_lowercase());
    if [" never ", " not ", "n't ", " no longer ", " nothing "]
        .iter()
        .any(|w| lower.contains(w))
    {
        return None;
    }
    if forward_re().is_some_and(|r| r.is_match(between)) {
        return Some(true);
    }
    if reverse_re().is_some_and(|r| r.is_match(between)) {
        return Some(false);
    }
    // "Spark loads Snowflake", "Flink also updates a Postgres table".
    if direct_re().is_some_and(|r| r.is_match(between)) {
        return Some(true);
    }
    let t = between.trim().to_ascii_lowercase();
    if matches!(
        t.as_str(),
        "to" | "into" | "then" | "feeds" | "then into" | "and then"
    ) {
        return Some(true);
    }
    None
}

/// True when the words just before a mention make it a write target
/// ("... MERGEs the hour into ", "we write the results to ").
pub(crate) fn written_before(before: &str) -> bool {
    let tail = last_chars(before, 60);
    // "Nothing writes into the Search API", "we never write to S3 here".
    let lower = format!(" {}", tail.to_ascii_lowercase());
    let negated = [
        " nothing ",
        " never ",
        " no one ",
        "n't ",
        " not ",
        " nobody ",
        " no ",
    ]
    .iter()
    .any(|n| lower.contains(n));
    !negated && forward_re().is_some_and(|r| r.is_match(tail))
}

fn last_chars(s: &str, n: usize) -> &str {
    let mut start = s.len().saturating_sub(n);
    while start > 0 && !s.is_char_boundary(start) {
        start -= 1;
    }
    &s[start..]
}

/// An arrow said to carry no data (a label that is the word "control",
/// alone or before a note, too).
pub(crate) const CONTROL: &str = r"(?i)(?:^\s*control\s*(?:[,;:(]|$)|(?:\bis|'s|’s|\bjust|\bonly|\bpurely|\bpure)\s+(?:a\s+)?control\b|control\s+(?:only|arrow|flow|path|signal|plane|edge|line)\b|(?:is|it's|just|only)\s+(?:a\s+)?trigger\b|(?:no|zero)\s+(?:data|bytes|records|rows)\s+(?:goes|go|flows?|moves?|pass(?:es)?|travels?)\b|zero bytes\b|not\s+a\s+data\s+(?:path|flow|hop|arrow)\b|carries\s+no\s+data\b|nothing\s+(?:flows|moves|passes)\s+(?:through|along|over|on)\b)";

fn control_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(&RE, CONTROL)
}

/// True when a sentence says an arrow carries no data: "that arrow is
/// control only", "it's a trigger, not a data path", "zero bytes".
pub(crate) fn says_control(sentence: &str) -> bool {
    control_re().is_some_and(|r| r.is_match(sentence))
}

fn contrast_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(
        &RE,
        r"(?i)\b(?:rather than|instead of|over|versus|vs\.?|compared (?:to|with)|better than|cheaper than|simpler than|faster than|not)\s+(?:the\s+|a\s+|plain\s+|using\s+)?$",
    )
}

/// A choice made.
pub(crate) const CHOOSE: &str = r"(?i)\b(?:chose|choose|choosing|pick|picked|prefer|preferred|went with|go with|going with|opted for|opt for|selected|i'd use|we'd use|i would use|we would use|i'd go with|we'd go with|my choice is)\b";

fn choose_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(&RE, CHOOSE)
}

/// A reason given.
pub(crate) const REASON: &str = r"(?i)\b(?:because|since|so that|given that|given|as it|as they|which (?:gives|lets|means|keeps|avoids|saves)|due to|the reason|that's why|which is why|to avoid|in order to|(?:it|that|this) (?:lets|gives|keeps|saves|avoids)|lets us|gives us|saves us|(?:is|are) (?:cheaper|simpler|faster|easier|safer)|(?:cheaper|simpler|faster|easier) than)\b";

fn reason_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(&RE, REASON)
}

fn attached_reason_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(
        &RE,
        r"(?i)^[\s,:(]*(?:is\s+(?:here\s+)?|here\s+|for\s+\w+\s+)?(?:because|since|as it|given that)\b",
    )
}

/// True when the words after a choice are its explanation: a colon or a
/// dash, then a clause of three words or more ("MSK over Kinesis: Kinesis
/// is cheaper at low volume, but ...").
fn explains_after(rest: &str) -> bool {
    let rest = rest.trim_start_matches([')', ']', ' ']);
    let Some(after) = rest
        .strip_prefix(':')
        .or_else(|| rest.strip_prefix('—'))
        .or_else(|| rest.strip_prefix("- "))
        .or_else(|| rest.strip_prefix("-- "))
    else {
        return false;
    };
    after
        .split_whitespace()
        .take_while(|w| !w.ends_with('.'))
        .count()
        >= 3
}

/// True when a sentence gives a reason ("because", "so that").
pub(crate) fn gives_reason(sentence: &str) -> bool {
    reason_re().is_some_and(|r| r.is_match(sentence))
}

/// A cost or downside named.
pub(crate) const TRADEOFF: &str = r"(?i)\b(?:trade-?offs?|downsides?|at the cost of|the cost is|the catch|we give up|you give up|drawbacks?|the price is|pros and cons|the con\b|but it costs|more expensive|less flexible|operational overhead|operationally heavier|harder to operate|at the expense of|costs? adds? up|(?:is|are) cheaper[^.;]{0,60}\bbut|costs? more|we lose|you lose|we accept|we pay (?:for|in|with)|in exchange for|more to (?:run|operate))\b";

fn tradeoff_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    re(&RE, TRADEOFF)
}

/// True when a sentence names a cost or downside ("the trade-off is ...").
pub(crate) fn names_tradeoff(sentence: &str) -> bool {
    tradeoff_re().is_some_and(|r| r.is_match(sentence))
}

/// A choice in one sentence, given the byte spans of its component
/// mentions (relative to the sentence): (chosen mention, alternative
/// mention, reason, trade-off). The reader uses [`choice_with`].
#[cfg(test)]
pub(crate) fn choice_in(
    sentence: &str,
    mentions: &[(usize, usize)],
) -> Option<(usize, Option<usize>, bool, bool)> {
    let said = Said {
        reason: &|| gives_reason(sentence),
        tradeoff: &|| names_tradeoff(sentence),
        may_choose: true,
    };
    choice_with(sentence, mentions, &said)
}

/// What the reader already knows of a sentence for [`choice_with`]: whether
/// it gives a reason or names a trade-off (asked only once a choice is
/// found), and whether a choosing verb can be in it at all.
pub(crate) struct Said<'a> {
    pub reason: &'a dyn Fn() -> bool,
    pub tradeoff: &'a dyn Fn() -> bool,
    pub may_choose: bool,
}

/// [`choice_in`] with what is known of the sentence.
pub(crate) fn choice_with(
    sentence: &str,
    mentions: &[(usize, usize)],
    said: &Said<'_>,
) -> Option<(usize, Option<usize>, bool, bool)> {
    if mentions.is_empty() {
        return None;
    }
    let (reason, tradeoff) = (said.reason, said.tradeoff);
    // "X rather than Y": Y is the alternative, X the choice. "X over Y:
    // Y is cheaper at low volume, but ..." explains itself after the colon.
    for (j, &(s, e)) in mentions.iter().enumerate().skip(1) {
        let before = &sentence[mentions[j - 1].1..s];
        if contrast_re().is_some_and(|r| r.is_match(before)) {
            let explained = explains_after(&sentence[e..]);
            return Some((j - 1, Some(j), explained || reason(), tradeoff()));
        }
    }
    // "I'd go with X because ..."
    let chosen = said
        .may_choose
        .then(|| choose_re().and_then(|r| r.find(sentence)))
        .flatten();
    if let Some(m) = chosen {
        if let Some(i) = mentions
            .iter()
            .position(|&(s, _)| s >= m.end() && s - m.end() <= 30)
        {
            return Some((i, None, reason(), tradeoff()));
        }
    }
    // "Kafka because ...", "Redis, since ...": a reason right after the
    // component, near the start of the sentence.
    let (first, first_end) = mentions[0];
    let early = sentence[..first].split_whitespace().count() <= 4;
    let right_after = || {
        let mut end = (first_end + 24).min(sentence.len());
        while !sentence.is_char_boundary(end) {
            end -= 1;
        }
        attached_reason_re().is_some_and(|r| r.is_match(&sentence[first_end..end]))
    };
    if early && right_after() {
        // "Snowflake because it's what everyone uses": a choice, no reason.
        return Some((0, None, reason(), tradeoff()));
    }
    None
}

impl super::Design {
    /// The newest turn answered "why `component` rather than `over`?" with
    /// a reason, in whatever words ("Debezium runs on Kafka Connect;
    /// Kinesis would need a custom bridge"): the answer is the choice's
    /// reason, though no "because" is in it. A choice the turn already
    /// made of that component takes the reason and the alternative.
    pub(crate) fn answered_choice(&mut self, component: usize, over: Option<String>) {
        let Some(t) = self.turns.last().cloned() else {
            return;
        };
        if component >= self.components.len() {
            return;
        }
        if let Some(c) = self
            .choices
            .iter_mut()
            .find(|c| c.turn == t.turn && c.component == Some(component))
        {
            c.reason = true;
            c.over = c.over.take().or(over);
            return;
        }
        let answer = &self.text[t.start..t.end];
        let Some(first) = crate::read::sentences::split_sentences(answer)
            .into_iter()
            .find(|s| !answer[s.start..s.end].trim().is_empty())
        else {
            return;
        };
        // The sentence's own span, its surrounding whitespace left out.
        let said = &answer[first.start..first.end];
        let start = t.start + first.start + (said.len() - said.trim_start().len());
        let quote = said.trim().to_string();
        self.choices.push(super::Choice {
            component: Some(component),
            over,
            reason: true,
            tradeoff: names_tradeoff(answer),
            evidence: crate::read::Evidence {
                start,
                end: start + quote.len(),
                quote,
            },
            turn: t.turn,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flow_verbs_give_a_direction() {
        assert_eq!(flow_between(" writes Parquet to "), Some(true));
        assert_eq!(flow_between(" reads from "), Some(false));
        assert_eq!(flow_between(" consumes "), Some(false));
        assert_eq!(flow_between(" and "), None);
        assert_eq!(flow_between(" never writes to the "), None);
        assert_eq!(flow_between(" doesn't write to "), None);
        assert_eq!(flow_between(" runs every hour and loads "), Some(true));
        assert_eq!(flow_between(" also updates a "), Some(true));
        assert_eq!(flow_between(" is cheaper than "), None);
    }

    #[test]
    fn control_arrows_are_recognised_when_said() {
        assert!(says_control(
            "No data goes through Airflow; that arrow is control only."
        ));
        assert!(says_control("Zero bytes. It's a trigger, not a data path."));
        // An arrow label that starts with the word.
        assert!(says_control("control, per-day checks gate publishing"));
        assert!(says_control("control"));
        assert!(says_control(
            "That's control: Airflow launches the compaction job."
        ));
        assert!(!says_control(
            "Flink writes Parquet to S3 under access control."
        ));
        assert!(!says_control("We control costs with tiered storage."));
    }

    #[test]
    fn write_targets_are_recognised_from_the_words_before() {
        assert!(written_before("The hourly job does a MERGE into "));
        assert!(written_before("we write the results to "));
        assert!(!written_before("CDC reads from "));
    }

    #[test]
    fn choices_with_alternatives_reasons_and_tradeoffs() {
        let s = "Flink rather than Spark Streaming because we need event-time sessions";
        let c = choice_in(s, &[(0, 5), (18, 33)]).expect("choice");
        assert_eq!((c.0, c.1, c.2), (0, Some(1), true));
        let s = "I'd go with Redis since reads must be under 10 ms";
        let c = choice_in(s, &[(12, 17)]).expect("choice");
        assert!(c.2);
        assert!(choice_in("Kafka and Flink are there", &[(0, 5), (10, 15)]).is_none());
    }

    #[test]
    fn a_choice_explained_after_a_colon_has_its_reason_and_cost() {
        let s = "I chose MSK over Kinesis: Kinesis is cheaper at low volume, but at 200K events/s the per-shard costs add up and MSK keeps the Kafka ecosystem";
        let c = choice_in(s, &[(8, 11), (17, 24)]).expect("choice");
        assert_eq!((c.0, c.1), (0, Some(1)));
        assert!(c.2, "the clause after the colon is the reason");
        assert!(
            c.3,
            "a cheaper alternative whose costs add up is a trade-off"
        );
        // A colon with a bare name after it explains nothing.
        let s = "Flink over Spark: yes";
        let c = choice_in(s, &[(0, 5), (11, 16)]).expect("choice");
        assert!(!c.2 && !c.3);
        let s = "Snowflake over BigQuery because the team knows it, at the expense of lock-in";
        let c = choice_in(s, &[(0, 9), (15, 23)]).expect("choice");
        assert!(c.2 && c.3);
        // The choice being cheaper is its reason, not its downside.
        let s = "S3 over EBS because it is cheaper for cold data";
        let c = choice_in(s, &[(0, 2), (8, 11)]).expect("choice");
        assert!(c.2 && !c.3, "{c:?}");
    }
}
