//! A written answer typed up as a dialogue ("Interviewer: … / Me: …"): only
//! the candidate's lines are theirs to be graded. The interviewer's
//! questions ("How do you handle backfill?") name concepts the candidate
//! may never have said.

use std::borrow::Cow;
use std::sync::OnceLock;

use regex::Regex;

/// Who a speaker label at the start of a line names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Speaker {
    Interviewer,
    Candidate,
}

/// A speaker label at the start of a line, optionally in bold or a
/// heading: "Interviewer:", "**Q:**", "Me —", "> Candidate:".
fn label_re() -> Option<&'static Regex> {
    static RE: OnceLock<Option<Regex>> = OnceLock::new();
    RE.get_or_init(|| {
        Regex::new(
            r"(?i)^[ \t>#*_-]*(interviewer|interviewers|int|panel|panelist|hiring manager|question|q|me|myself|candidate|cand|answer|a|you)\b[ \t*_]*(?:\([^)\n]{0,30}\))?[ \t*_]*(?::|：|—|–| - )[ \t*_]*",
        )
        .ok()
    })
    .as_ref()
}

/// The words a speaker label can start with, lower case.
const SPEAKERS: &[&str] = &[
    "interviewer",
    "interviewers",
    "int",
    "panel",
    "panelist",
    "hiring",
    "question",
    "q",
    "me",
    "myself",
    "candidate",
    "cand",
    "answer",
    "a",
    "you",
];

/// Does the line's first word (after quote, heading and bold marks) name a
/// speaker? A cheap look before the regex.
fn starts_with_speaker(line: &str) -> bool {
    let t = line.trim_start_matches([' ', '\t', '>', '#', '*', '_', '-']);
    let end = t
        .find(|c: char| !c.is_ascii_alphabetic())
        .unwrap_or(t.len());
    let word = &t[..end];
    !word.is_empty() && SPEAKERS.iter().any(|s| s.eq_ignore_ascii_case(word))
}

fn speaker(word: &str) -> Speaker {
    match word.to_ascii_lowercase().as_str() {
        "interviewer" | "interviewers" | "int" | "panel" | "panelist" | "hiring manager"
        | "question" | "q" => Speaker::Interviewer,
        _ => Speaker::Candidate,
    }
}

/// The candidate's words of `text`: when it is a dialogue (at least two
/// lines labelled as the interviewer's and two as the candidate's), the
/// interviewer's turns are left out and the candidate's labels dropped;
/// otherwise the text as it is. Lines before the first label (a title, a
/// note of the candidate's) are kept, and so is an unlabelled paragraph
/// after an interviewer's: a question is one paragraph.
pub fn candidate_words(text: &str) -> Cow<'_, str> {
    let Some(re) = label_re() else {
        return Cow::Borrowed(text);
    };
    // A cheap look first: most answers have no labels at all.
    if !text.contains([':', '：', '—', '–']) && !text.contains(" - ") {
        return Cow::Borrowed(text);
    }
    let mut lines: Vec<(Option<Speaker>, &str)> = Vec::new();
    let (mut asked, mut answered) = (0, 0);
    for line in text.split_inclusive('\n') {
        // A label is in a line's first few words: most lines have no ':'
        // or dash there and need no regex.
        let head = line
            .char_indices()
            .nth(40)
            .map_or(line, |(i, _)| &line[..i]);
        let labelled = starts_with_speaker(head)
            && (head.contains([':', '：', '—', '–']) || head.contains(" - "));
        match labelled.then(|| re.captures(line)).flatten() {
            Some(c) => {
                let who = speaker(c.get(1).map_or("", |m| m.as_str()));
                match who {
                    Speaker::Interviewer => asked += 1,
                    Speaker::Candidate => answered += 1,
                }
                let rest = c.get(0).map_or(line, |m| &line[m.end()..]);
                lines.push((Some(who), rest));
            }
            None => lines.push((None, line)),
        }
    }
    if asked < 2 || answered < 2 {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len());
    let mut current: Option<Speaker> = None;
    for (who, line) in lines {
        if who.is_some() {
            current = who;
            if current == Some(Speaker::Candidate) && !out.is_empty() && !out.ends_with("\n\n") {
                out.push_str(if out.ends_with('\n') { "\n" } else { "\n\n" });
            }
        }
        if current == Some(Speaker::Interviewer) {
            // A question is one paragraph: an unlabelled one after it is
            // the candidate's again.
            if who.is_none() && line.trim().is_empty() {
                current = None;
            }
            continue;
        }
        out.push_str(line);
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_typed_up_dialogue_keeps_only_the_candidates_lines() {
        let text = "Mock interview notes\n\nInterviewer: How would you approach it?\n\nMe: First I'd ask what faster means.\n\nInterviewer: Within 30 seconds. How do you handle backfill and schema evolution?\n\nMe: Debezium into Kafka,\nthen Flink.\n";
        let kept = candidate_words(text);
        assert!(kept.contains("Mock interview notes"));
        assert!(kept.contains("First I'd ask what faster means."));
        assert!(kept.contains("Debezium into Kafka,\nthen Flink."));
        assert!(!kept.contains("backfill"), "{kept}");
        assert!(!kept.contains("Interviewer"));
        assert!(!kept.contains("Me:"));
        // An unlabelled paragraph after a question is the candidate's.
        let kept = candidate_words("Interviewer: Why CDC?\nBecause of backfill?\n\nThe app has many write paths.\n\nInterviewer: And hot keys?\n\nMe: Salt them.\n\nMe: Done.\n");
        assert!(kept.contains("The app has many write paths."), "{kept}");
        assert!(
            !kept.contains("backfill") && !kept.contains("hot keys"),
            "{kept}"
        );
    }

    #[test]
    fn labels_in_bold_or_as_q_and_a_are_speakers_too() {
        let text = "**Q:** What is the SLA?\n**A:** Hourly, 99.9%.\n**Q:** And exactly-once?\n**A:** Idempotent MERGE on order_id.\n";
        let kept = candidate_words(text);
        assert!(!kept.contains("exactly-once"), "{kept}");
        assert!(kept.contains("Idempotent MERGE on order_id."));
    }

    #[test]
    fn an_answer_that_is_not_a_dialogue_is_left_as_it_is() {
        for text in [
            "Kafka -> Flink: 200K/s.\nQ: what about late data? A watermark of 10 minutes.\n",
            "I: ingest. A: aggregate.\nPipeline: Kafka to S3.\n",
            "No labels here at all, just prose about idempotency.",
        ] {
            assert_eq!(candidate_words(text), text);
        }
    }
}
