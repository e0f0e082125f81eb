#[test]
fn a_duration_adjective_is_said_as_a_duration() {
    assert_eq!(super::spoken_duration("1-hour"), "an hour");
    assert_eq!(super::spoken_duration("2-hour"), "2 hours");
    assert_eq!(super::spoken_duration("24h"), "24 hours");
    assert_eq!(super::spoken_duration("1 day"), "a day");
    assert_eq!(super::spoken_duration("about a week"), "about a week");
}

/// 40 GB a day kept for a week is about 280 GB, a few dollars a month:
/// a real interviewer does not ask how that is tiered. 5 TB a day kept
/// for 90 days is a bill worth asking about.
#[test]
fn how_a_store_grows_is_asked_only_when_its_bill_matters() {
    use crate::design::{Design, SENTENCE_CUES};
    use crate::read::Reader;
    use crate::rubric::Rubric;
    let rubric = Rubric::builtin().expect("builtin rubric");
    let reader = Reader::new(&rubric, &SENTENCE_CUES);
    let problem = rubric.problem("clickstream").expect("problem").clone();
    let asks = |day: &str, kept: &str| {
        let design = Design::of_answer(
            &reader,
            &format!("Web SDK -> Kafka (JSON, 200K events/s) -> Flink -> S3 raw (Parquet, {day})\n\nS3 raw is kept for {kept}."),
        );
        let cx = super::super::Ctx {
            design: &design,
            problem: &problem,
            rubric: &rubric,
            revealed: &[],
            asked: &[],
            answered: &[],
            tightened: None,
            stretched_since: None,
            changed: Vec::new(),
        };
        super::storage_growth(&cx).map(|m| m.intent)
    };
    assert_eq!(asks("40 GB/day", "7 days"), None);
    assert_eq!(
        asks("5 TB/day", "90 days").as_deref(),
        Some("challenge_storage_growth_daily")
    );
}
