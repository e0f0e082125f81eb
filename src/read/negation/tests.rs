//! The negation check against a reading of the whole text split first,
//! and the cases found playing rounds.

use super::*;

fn neg() -> Negation {
    let v = |xs: &[&str]| xs.iter().map(|s| s.to_string()).collect::<Vec<_>>();
    Negation::new(
        &v(&[
            "no",
            "not",
            "don't",
            "without",
            "never",
            "skip",
            "skipped",
            "instead of",
            "no need",
        ]),
        &v(&["not needed", "unnecessary", "overkill"]),
        &v(&["with", "via", "using", "so", "because", "and", "but"]),
    )
}

fn negated(t: &str, cue: &str) -> bool {
    let s = t.find(cue).expect("cue in text");
    neg().is_negated(t, 0, s, s + cue.len())
}

/// The check as it read the whole text split into words first: words
/// are the maximal runs of word characters, a cue's clause runs from
/// the last break before it (not before its sentence) to the next one.
fn whole_text_split(text: &str) -> (Vec<(usize, usize)>, Vec<usize>) {
    let mut words: Vec<(usize, usize)> = Vec::new();
    let mut open = None;
    for (i, c) in text.char_indices().chain([(text.len(), ' ')]) {
        match (word_char(c) && i < text.len(), open) {
            (true, None) => open = Some(i),
            (false, Some(o)) => {
                words.push((o, i));
                open = None;
            }
            _ => {}
        }
    }
    let breaks: Vec<usize> = text
        .char_indices()
        .filter(|&(_, c)| clause_end(c))
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    (words, breaks)
}

fn whole_text_reading(
    n: &Negation,
    text: &str,
    (words, breaks): &(Vec<(usize, usize)>, Vec<usize>),
    sent_start: usize,
    start: usize,
    end: usize,
) -> bool {
    let lo = sent_start.min(start);
    let from = breaks
        .iter()
        .rev()
        .find(|&&b| b <= start)
        .copied()
        .filter(|&b| b > lo)
        .unwrap_or(lo);
    let mut buf = Vec::new();
    let mut before = Vec::new();
    let last = words.partition_point(|w| w.0 < start);
    let in_clause: Vec<(usize, usize)> = words[..last]
        .iter()
        .rev()
        .take_while(|&&(_, e)| e > from)
        .copied()
        .collect();
    let mut ended = false;
    for (k, &(s, e)) in in_clause.iter().take(WINDOW).enumerate() {
        let info = n.info(&text[s.max(from)..e.min(start)], &mut buf);
        if k == 0 && info.conj {
            continue;
        }
        if info.breaker {
            ended = true;
            break;
        }
        before.push(info);
    }
    let beyond = in_clause
        .get(WINDOW)
        .filter(|_| !ended && before.last().is_some_and(|w| w.participle))
        .map(|&(s, e)| n.info(&text[s.max(from)..e.min(start)], &mut buf))
        .filter(|w| !w.breaker);
    let mut window = [NONE; WINDOW];
    described(&before, beyond, &mut window);
    let mut before = window[..before.len()].to_vec();
    before.reverse();
    if Negation::contains(&n.pre, &n.pre_by_first, &before) {
        return true;
    }
    let to = breaks.iter().find(|&&b| b > end).map_or(text.len(), |&b| {
        let c = text[..b].chars().next_back().map_or(1, char::len_utf8);
        b - c
    });
    let first = words.partition_point(|w| w.1 <= end);
    let after: Vec<u16> = words[first..]
        .iter()
        .take_while(|&&(s, _)| s < to)
        .take(WINDOW)
        .map(|&(s, e)| n.info(&text[s.max(end)..e.min(to)], &mut buf).id)
        .collect();
    Negation::contains(&n.post, &n.post_by_first, &after)
}

#[test]
fn a_cue_reads_the_same_words_as_the_whole_text_split_would_give() {
    let rubric = crate::rubric::Rubric::builtin().expect("builtin rubric");
    let lang = &rubric.framework.language;
    let n = Negation::new(&lang.negators, &lang.post_negators, &lang.scope_breakers);
    let mut texts: Vec<String> = crate::read::corpus::texts()
        .into_iter()
        .map(|(_, t)| t)
        .collect();
    texts.push("We DON’T need idempotency — no, dedupe isn’t needed; noidempotency".into());
    texts.push("Ünïcode wörds: we never café-dedupe, and upserts are not needed.".into());
    let mut checked = 0;
    for t in &texts {
        let split = whole_text_split(t);
        let bounds: Vec<usize> = t.char_indices().map(|(i, _)| i).chain([t.len()]).collect();
        // Every word of the text as a cue, its sentence taken to start
        // at the line, and a cue cut mid-word every seventh char.
        for (w, &i) in bounds.iter().enumerate() {
            let starts_word = t[i..].chars().next().is_some_and(word_char)
                && !t[..i].chars().next_back().is_some_and(word_char);
            if !starts_word && w % 7 != 0 {
                continue;
            }
            let end = t[i..]
                .find(|c: char| !word_char(c))
                .map_or(t.len(), |k| i + k)
                .max(i);
            let line = t[..i].rfind('\n').map_or(0, |k| k + 1);
            for sent in [line, i, line.saturating_sub(40).min(i)] {
                if !t.is_char_boundary(sent) {
                    continue;
                }
                assert_eq!(
                    Clauses::new(t).is_negated(&n, sent, i, end),
                    whole_text_reading(&n, t, &split, sent, i, end),
                    "cue {:?} at {i} (sentence from {sent})",
                    &t[i..end]
                );
                checked += 1;
            }
        }
    }
    assert!(checked > 10_000, "checked {checked}");
}

#[test]
fn negation_in_same_clause_cancels_the_cue() {
    assert!(negated("we don't need idempotency here", "idempotency"));
    assert!(negated(
        "Honestly idempotency is overkill for this.",
        "idempotency"
    ));
    assert!(negated("we skip dedupe entirely", "dedupe"));
    assert!(!negated(
        "no data loss with exactly-once sinks",
        "exactly-once"
    ));
    assert!(!negated("No. We make writes idempotent", "idempotent"));
    assert!(!negated(
        "without it, retries double count; so idempotent MERGE",
        "idempotent"
    ));
}

#[test]
fn conjunction_before_the_cue_keeps_the_scope_open() {
    assert!(negated("we skip dedupe and upserts", "upserts"));
    // A breaker further back still ends it.
    assert!(!negated("no retries but we use upserts", "upserts"));
}

#[test]
fn a_participle_after_a_noun_describes_it_and_negates_nothing() {
    // Found playing cdc-lakehouse: the alert was read as not said.
    assert!(!negated(
        "We count MERGE rows skipped as stale per batch and alert when it jumps",
        "alert"
    ));
    assert!(!negated(
        "late rows skipped by the filter go to a DLQ",
        "DLQ"
    ));
    // As the verb of its clause it still negates.
    assert!(negated("we skipped dedupe and upserts", "upserts"));
    assert!(negated("dedupe is skipped and upserts too", "upserts"));
    assert!(negated("Skipped dedupe entirely", "dedupe"));
    // A list after "no" stays negated across "or".
    assert!(negated(
        "with no new infrastructure like Kafka or Debezium to maintain",
        "Debezium"
    ));
}

#[test]
fn curly_apostrophes_and_case_match_the_vocabulary() {
    assert!(negated("We DON’T need idempotency", "idempotency"));
    assert!(negated("Dedupe is NOT NEEDED here", "Dedupe"));
    // Two curly apostrophes never equal a vocabulary word.
    assert!(!negated("we don’’t need idempotency", "idempotency"));
}

#[test]
fn the_window_is_six_words_and_stops_at_clause_breaks() {
    assert!(negated("no a b c d e idempotency", "idempotency"));
    assert!(!negated("no a b c d e f idempotency", "idempotency"));
    assert!(!negated("no — idempotency", "idempotency"));
    assert!(!negated("idempotency; not needed", "idempotency"));
    assert!(negated("idempotency a b c d not needed", "idempotency"));
}

#[test]
fn a_cue_cut_mid_word_reads_the_clipped_words() {
    // The cue starts inside "noidempotency": the word before it is "no".
    let t = "noidempotency";
    assert!(neg().is_negated(t, 0, 2, t.len()));
    // Empty text and a cue at the very start have nothing to negate.
    assert!(!neg().is_negated("", 0, 0, 0));
    assert!(!neg().is_negated("idempotency", 0, 0, 11));
}

#[test]
fn sites_reach_ninety_bytes() {
    let mut s = NegationSites {
        pre: vec![10, 0],
        post: vec![300],
    };
    s.finish();
    assert!(s.near(50, 60));
    assert!(!s.near(200, 205));
    assert!(s.near(200, 210));
}

#[test]
fn breaker_lookup_matches_the_written_list() {
    let n = neg();
    let mut buf = Vec::new();
    assert!(n.info("WITH", &mut buf).breaker);
    assert!(!n.info("within", &mut buf).breaker);
    assert!(n.info("And", &mut buf).conj);
    assert_eq!(n.info("café", &mut buf).id, NONE);
}

#[test]
fn an_item_of_a_negated_list_is_negated() {
    let t = "We will not use exactly-once, watermarks, hot-key salting or SLA tiers here.";
    for cue in ["watermarks", "hot-key salting", "SLA tiers"] {
        assert!(negated(t, cue), "{cue}");
    }
    // Two clauses joined by a comma are no list.
    assert!(!negated(
        "We don't use Kinesis, Flink handles dedupe by event_id.",
        "dedupe"
    ));
    assert!(!negated(
        "We don't use Kinesis, and Flink dedupes by event_id.",
        "dedupes"
    ));
    // A list said plainly stays said.
    assert!(!negated(
        "We use exactly-once, watermarks and SLA tiers.",
        "watermarks"
    ));
}

#[test]
fn not_relevant_after_the_cue_negates_it() {
    let n = Negation::new(
        &["not".to_string()],
        &["not really relevant".to_string(), "irrelevant".to_string()],
        &[],
    );
    let t = "Idempotency is not really relevant here since checks are read-only.";
    assert!(n.is_negated(t, 0, 0, "Idempotency".len()));
}

#[test]
fn a_negated_list_is_read_with_the_rubrics_own_words() {
    let rubric = crate::rubric::Rubric::builtin().expect("builtin rubric");
    let lang = &rubric.framework.language;
    let n = Negation::new(&lang.negators, &lang.post_negators, &lang.scope_breakers);
    let t =
        "We will not use exactly-once, watermarks, hot-key salting or SLA tiers in this design.";
    for cue in ["watermarks", "hot-key salting", "salting", "SLA tiers"] {
        let s = t.find(cue).expect("cue");
        assert!(n.is_negated(t, 0, s, s + cue.len()), "{cue}");
    }
    let t = "We don't use Kinesis, Flink handles dedupe by event_id.";
    let s = t.find("dedupe").expect("cue");
    assert!(!n.is_negated(t, 0, s, s + "dedupe".len()));
    // A new clause after the comma is no item of the list.
    let t = "If we didn't have Kafka, SQS plus the ledger would do.";
    let s = t.find("SQS").expect("cue");
    assert!(!n.is_negated(t, 0, s, s + 3));
    // A negated item of a list says nothing of the items after it.
    let t = "Reliability: fault-tolerant, no single point of failure, exactly-once semantics, idempotent consumers.";
    for cue in ["exactly-once", "idempotent"] {
        let s = t.find(cue).expect("cue");
        assert!(!n.is_negated(t, 0, s, s + cue.len()), "{cue}");
    }
}
