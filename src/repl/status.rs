//! What the REPL tells the candidate about the round: the status prompt,
//! `/time`, `/phase`, `/score`, `/help`, and where a resumed round stopped.

use crate::interview::clock::format_mmss;
use crate::interview::round::Round;
use crate::rubric::Phase;
use crate::score::Scorecard;
use crate::transcript::Record;

use super::COMMANDS;

/// The prompt: phase, time left in it and in the round.
pub fn prompt(round: &Round) -> String {
    let now = round.now();
    let s = round.session();
    match (s.phase_left(now), s.round_left(now)) {
        (Some(p), Some(r)) => format!(
            "[{} {} | round {}] you> ",
            s.phase().id(),
            format_mmss(p),
            format_mmss(r)
        ),
        _ => format!("[{} | no clock] you> ", s.phase().id()),
    }
}

/// Milliseconds until the prompt's time next changes or the phase's (or
/// round's) budget runs out, whichever is first; `None` when untimed.
pub fn next_change_ms(round: &Round) -> Option<u64> {
    let now = round.now();
    let s = round.session();
    let p = s.phase_left(now)?;
    let r = s.round_left(now).unwrap_or(p);
    let left = p.min(r);
    // `m:ss` truncates, so it changes when `left` crosses a whole second
    // (and, in overtime, when the time over does).
    let ms = if left > 0 {
        match left % 1000 {
            0 => 1000,
            m => m,
        }
    } else {
        1000 - (left.unsigned_abs() % 1000) as i64
    };
    Some(u64::try_from(ms).unwrap_or(1000))
}

/// The phase's or the round's budget is spent (never in an untimed round).
pub fn time_is_up(round: &Round) -> bool {
    let now = round.now();
    let s = round.session();
    let spent = |left: Option<i64>| left.is_some_and(|l| l <= 0);
    !s.is_finished() && (spent(s.phase_left(now)) || spent(s.round_left(now)))
}

/// `/help` text.
pub fn help_text() -> String {
    let mut s = String::from(
        "Type your answer; it can span several lines (paste diagrams freely: a paste\n\
         is kept whole, blank lines and all). Submit with an empty line, or a line\n\
         holding only `.`.\n\
         Ctrl-C clears what you are typing (Ctrl-Y brings it back), or stops the\n\
         interviewer mid-reply. What you type while the interviewer speaks is kept.\n\
         Ctrl-D or /quit ends the round with a debrief.\n\n",
    );
    for (c, h) in COMMANDS {
        s.push_str(&format!("  {c:<12} {h}\n"));
    }
    s
}

/// `/time` text.
pub fn time_text(round: &Round) -> String {
    let now = round.now();
    let s = round.session();
    match (s.phase_left(now), s.round_left(now)) {
        (Some(p), Some(r)) => format!(
            "{}: {} left in this phase, {} left in the round.",
            s.phase().title(),
            format_mmss(p),
            format_mmss(r)
        ),
        _ => format!(
            "{}: no clock (untimed round); {} used so far.",
            s.phase().title(),
            format_mmss(now as i64)
        ),
    }
}

/// `/phase` text.
pub fn phase_text(round: &Round) -> String {
    let s = round.session();
    let n = Phase::ALL.iter().position(|p| *p == s.phase()).unwrap_or(0) + 1;
    format!("Phase {n}/4: {}. Goal: {}.", s.phase().title(), s.goals())
}

/// A short scorecard for `/score`.
pub fn score_text(card: &Scorecard) -> String {
    let mut s = format!("So far: {} ({}/100)\n", card.verdict.level, card.overall);
    for st in &card.steps {
        s.push_str(&format!("  {:<26} {:>3}/100\n", st.phase.title(), st.score));
    }
    let mut covered: Vec<_> = card.concepts.iter().filter(|c| c.strength > 0).collect();
    covered.sort_by_key(|c| std::cmp::Reverse(c.strength));
    if !covered.is_empty() {
        let names: Vec<String> = covered
            .iter()
            .take(6)
            .map(|c| format!("{} {}/4", c.name, c.strength))
            .collect();
        s.push_str(&format!("  covered: {}\n", names.join(", ")));
    }
    if let Some(i) = card.verdict.improvements.first() {
        s.push_str(&format!("  next best step: {i}\n"));
    }
    s
}

/// The most of a long answer shown again on resume.
const TAIL_LINES: usize = 12;
const TAIL_CHARS: usize = 1_200;

/// Where a resumed round stopped: the last exchange from its journal. The
/// candidate's last answer (its end, when long) and the interviewer's reply
/// to it, which holds the question pending. When the reply was never
/// journaled (the round was killed while it was spoken), only the answer is
/// shown here: the round speaks the reply again itself.
pub fn resume_tail(records: &[Record]) -> Option<(Option<String>, Option<String>)> {
    let last_said = records
        .iter()
        .rposition(|r| matches!(r, Record::Interviewer { .. }));
    let last_typed = records.iter().rposition(
        |r| matches!(r, Record::Candidate { text, .. } if !text.trim().starts_with('/')),
    );
    let said = |i: usize| match &records[i] {
        Record::Interviewer { text, .. } => Some(text.trim_end().to_string()),
        _ => None,
    };
    let typed = |i: usize| match &records[i] {
        Record::Candidate { text, .. } => Some(shorten_answer(text)),
        _ => None,
    };
    match (last_typed, last_said) {
        (None, None) => None,
        (Some(t), Some(s)) if t > s => Some((typed(t), None)),
        (t, Some(s)) => Some((t.and_then(typed), said(s))),
        (Some(t), None) => Some((typed(t), None)),
    }
}

fn shorten_answer(text: &str) -> String {
    let text = text.trim_end();
    let lines: Vec<&str> = text.lines().collect();
    let mut keep = lines.len().min(TAIL_LINES);
    while keep > 1
        && lines[lines.len() - keep..]
            .iter()
            .map(|l| l.chars().count() + 1)
            .sum::<usize>()
            > TAIL_CHARS
    {
        keep -= 1;
    }
    let mut shown: Vec<String> = lines[lines.len() - keep..]
        .iter()
        .map(|l| l.to_string())
        .collect();
    if let Some(first) = shown.first_mut() {
        let n = first.chars().count();
        if n > TAIL_CHARS {
            *first = format!(
                "…{}",
                first.chars().skip(n - TAIL_CHARS).collect::<String>()
            );
        }
    }
    let earlier = lines.len() - keep;
    let mut out = String::new();
    if earlier > 0 {
        out.push_str(&format!(
            "(… {earlier} earlier line{})\n",
            if earlier == 1 { "" } else { "s" }
        ));
    }
    out.push_str(&shown.join("\n"));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cand(text: &str) -> Record {
        Record::Candidate {
            at_ms: 1,
            phase: Phase::Architecture,
            text: text.into(),
        }
    }
    fn said(text: &str) -> Record {
        Record::Interviewer {
            at_ms: 1,
            phase: Phase::Architecture,
            text: text.into(),
            fallback: None,
            by_model: false,
            copied: false,
            rejected: None,
            retry: None,
            offered: None,
            asked: None,
        }
    }

    #[test]
    fn the_tail_is_the_last_answer_and_the_reply_to_it() {
        let recs = vec![
            said("Q1?"),
            cand("A1"),
            said("Q2?"),
            cand("A2"),
            said("Q3?"),
        ];
        assert_eq!(
            resume_tail(&recs),
            Some((Some("A2".into()), Some("Q3?".into())))
        );
        // Killed before the reply was journaled: the round says it again.
        let recs = vec![said("Q1?"), cand("A1")];
        assert_eq!(resume_tail(&recs), Some((Some("A1".into()), None)));
        // Slash commands are not answers.
        let recs = vec![
            said("Q1?"),
            cand("A1"),
            said("Q2?"),
            cand("/next"),
            said("Q3?"),
        ];
        assert_eq!(
            resume_tail(&recs),
            Some((Some("A1".into()), Some("Q3?".into())))
        );
    }

    #[test]
    fn a_long_answer_shows_its_end() {
        let long: Vec<String> = (1..=40).map(|i| format!("line {i}")).collect();
        let shown = shorten_answer(&long.join("\n"));
        assert!(shown.starts_with("(… 28 earlier lines)\n"), "{shown}");
        assert!(shown.ends_with("line 40"));
        let one = "word ".repeat(2_000);
        assert!(shorten_answer(&one).chars().count() <= TAIL_CHARS + 1);
    }
}
