//! A verdict's reason quotes what it claims: "Uses specific numbers" quotes
//! the scale the design is built for, not a window length said first.

use mockround::rubric::Rubric;
use mockround::score::Scorer;

#[test]
fn uses_specific_numbers_quotes_the_scale_not_a_duration_said_first() {
    let r = Rubric::builtin().expect("rubric");
    let s = Scorer::new(&r);
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/tests/fixtures/answers/clickstream-l5.md"
    );
    let text = std::fs::read_to_string(path).expect("fixture");
    let body = text.split_once("\n+++\n").map_or(text.as_str(), |(_, b)| b);
    let answer = format!("Sessions close after 30 minutes of inactivity.\n\n{body}");
    let card = s.score(r.problem("clickstream"), &answer);
    let reason = card
        .verdict
        .reasons
        .iter()
        .find(|x| x.starts_with("Uses specific numbers"))
        .unwrap_or_else(|| panic!("{:#?}", card.verdict.reasons));
    assert!(!reason.contains("30 minutes"), "{reason}");
    assert!(reason.contains("200K events/sec"), "{reason}");
}
