//! The judge request is laid out for servers that reuse a cached prompt
//! prefix: the instructions and the rubric's criteria come first and are the
//! same for every answer; the problem and the answer come last.

use mockround::grade::rubric_scorer;
use mockround::rubric::Rubric;
use mockround::score::judge;

#[test]
fn judge_prompt_shares_instructions_and_criteria_across_problems() {
    let rubric = Rubric::builtin().expect("built-in rubric");
    let criteria = rubric_scorer::criteria(&rubric);
    let statement = |id: &str| rubric.problem(id).expect(id).statement.clone();
    let a = judge::build_request(
        &criteria,
        Some(&statement("clickstream")),
        "answer one",
        None,
        None,
    );
    let b = judge::build_request(
        &criteria,
        Some(&statement("feature-store")),
        "answer two",
        None,
        None,
    );
    let (sa, sb) = (&a.messages[0].content, &b.messages[0].content);
    let shared = sa
        .bytes()
        .zip(sb.bytes())
        .take_while(|(x, y)| x == y)
        .count();
    let last_criterion = criteria.last().expect("criteria");
    let criteria_end = sa
        .find(&format!("`{}`", last_criterion.id))
        .expect("criteria listed");
    assert!(
        shared > criteria_end,
        "the prompts differ at byte {shared}, before the end of the criteria ({criteria_end})"
    );
    assert!(sa.trim_end().ends_with(statement("clickstream").trim()));
}
