//! Judge variance in the HTML report (`grade --samples N`): which criteria
//! the judge scored two or more points apart across its samples, over the
//! batch and for each answer. The Markdown report says the same in
//! `markdown.rs`.

use std::fmt::Write as _;

use crate::grade::samples::JudgeSamples;
use crate::report::html::esc;
use crate::report::Summary;

/// The batch section: how many answers were sampled and which criteria
/// were unstable in how many of them. Empty when nothing was sampled.
pub fn html_section(s: &Summary) -> String {
    if s.sampled == 0 {
        return String::new();
    }
    let mut h = format!(
        "<h2>Judge variance</h2><p>{} answer(s) were graded on the median of several judge samples (criteria shuffled each time). Criteria whose samples were 2+ points apart:</p>",
        s.sampled
    );
    if s.unstable.is_empty() {
        h.push_str("<p>None: every criterion's samples agreed within one point.</p>");
        return h;
    }
    h.push_str("<table class=variance><tr><th>Criterion</th><th>Unstable in</th></tr>");
    let mut v: Vec<(&String, &u64)> = s.unstable.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    for (id, n) in v {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=n>{n} of {}</td></tr>",
            esc(id),
            s.sampled
        );
    }
    h.push_str("</table>");
    h
}

/// One answer's samples: how many were used, and each unstable
/// criterion's scores sample by sample.
pub fn html_answer(sm: &JudgeSamples) -> String {
    let mut o = format!(
        "<p class=meta>Judge samples: {} of {} used.</p>",
        sm.used, sm.requested
    );
    let unstable: Vec<_> = sm.criteria.iter().filter(|c| c.unstable).collect();
    if !unstable.is_empty() {
        o.push_str("<table class=variance><tr><th>Unstable criterion</th><th>Scores by sample</th><th>Median used</th></tr>");
        for c in unstable {
            let scores: Vec<String> = c.scores.iter().map(u8::to_string).collect();
            let _ = write!(
                o,
                "<tr><td>{}</td><td>{}</td><td class=n>{}</td></tr>",
                esc(&c.id),
                scores.join(", "),
                c.median
            );
        }
        o.push_str("</table>");
    }
    for f in &sm.failed {
        let _ = write!(o, "<p class=warn>Sample not used: {}</p>", esc(f));
    }
    o
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grade::samples::CriterionSpread;

    fn samples() -> JudgeSamples {
        JudgeSamples {
            requested: 3,
            used: 2,
            failed: vec!["sample 3: <timeout>".into()],
            criteria: vec![
                CriterionSpread {
                    id: "idempotency".into(),
                    scores: vec![1, 3],
                    median: 2,
                    spread: 2,
                    unstable: true,
                },
                CriterionSpread {
                    id: "backfill".into(),
                    scores: vec![2, 2],
                    median: 2,
                    spread: 0,
                    unstable: false,
                },
            ],
            unstable: vec!["idempotency".into()],
        }
    }

    #[test]
    fn an_answers_unstable_criteria_show_their_scores_by_sample() {
        let h = html_answer(&samples());
        assert!(h.contains("2 of 3 used"), "{h}");
        assert!(h.contains("<td>idempotency</td><td>1, 3</td>"), "{h}");
        assert!(
            !h.contains("backfill"),
            "stable criteria are not listed: {h}"
        );
        assert!(h.contains("&lt;timeout&gt;"), "escaped: {h}");
    }

    #[test]
    fn the_batch_section_counts_unstable_criteria_and_is_absent_without_samples() {
        let mut s = Summary::default();
        assert_eq!(html_section(&s), "");
        s.sampled = 4;
        s.unstable.insert("idempotency".into(), 3);
        s.unstable.insert("backfill".into(), 1);
        let h = html_section(&s);
        let (i, b) = (
            h.find("idempotency").unwrap_or(usize::MAX),
            h.find("backfill").unwrap_or(0),
        );
        assert!(i < b, "most unstable first: {h}");
        assert!(h.contains("3 of 4"), "{h}");
    }
}
