//! The clock moves phases: with a manual clock (no sleeping) the interviewer
//! says time is up and moves on, fast pace is a fifth of real, an untimed
//! round never moves on by time, and the round ends when its budget is spent.

use std::sync::Arc;

use mockround::interview::clock::{Clock, ManualClock, Pace};
use mockround::interview::session::{Input, Session, Transition};
use mockround::interview::templates::Templates;
use mockround::rubric::{Phase, Rubric};
use mockround::score::Scorer;

fn session(pace: Pace) -> (Session, Scorer) {
    let rubric = Rubric::builtin().expect("builtin rubric");
    let problem = rubric.problem("clickstream").expect("clickstream").clone();
    let scorer = Scorer::new(&rubric);
    (
        Session::new(problem, Arc::new(Templates::builtin()), pace, 7),
        scorer,
    )
}

#[test]
fn time_up_in_clarify_moves_to_architecture_with_a_spoken_transition() {
    let (mut s, scorer) = session(Pace::Real);
    let clock = ManualClock::new();
    s.open(clock.now_ms());
    let t = s.handle(
        Input::Answer("What is the peak scale?".into()),
        clock.now_ms(),
        &scorer,
    );
    assert_eq!(s.phase(), Phase::Clarify);
    assert!(t.transition.is_none());
    clock.advance_minutes(5);
    let t = s.handle(
        Input::Answer("And who uses it?".into()),
        clock.now_ms(),
        &scorer,
    );
    assert_eq!(s.phase(), Phase::Architecture);
    assert_eq!(
        t.transition,
        Some((Phase::Clarify, Phase::Architecture, Transition::TimeUp))
    );
    assert!(t.has("time_up") && t.has("intro_architecture"), "{t:?}");
    // The question asked at the buzzer is still answered.
    assert!(t.has("fact_answer"));
}

#[test]
fn fast_pace_moves_after_a_fifth_of_the_budget() {
    let (mut s, scorer) = session(Pace::Fast);
    let clock = ManualClock::new();
    s.open(0);
    clock.advance_ms(59_000);
    s.handle(
        Input::Answer("Hmm, let me think.".into()),
        clock.now_ms(),
        &scorer,
    );
    assert_eq!(s.phase(), Phase::Clarify);
    clock.advance_ms(1_000);
    s.handle(Input::Answer("OK.".into()), clock.now_ms(), &scorer);
    assert_eq!(s.phase(), Phase::Architecture);
    let left = s.phase_left(clock.now_ms()).expect("timed");
    assert_eq!(left, 3 * 60_000);
}

#[test]
fn untimed_round_only_moves_on_next_or_coverage() {
    let (mut s, scorer) = session(Pace::Untimed);
    s.open(0);
    s.handle(
        Input::Answer("Let me think.".into()),
        10 * 3_600_000,
        &scorer,
    );
    assert_eq!(s.phase(), Phase::Clarify);
    assert_eq!(s.phase_left(0), None);
    let t = s.handle(Input::Next, 10 * 3_600_000 + 1, &scorer);
    assert_eq!(s.phase(), Phase::Architecture);
    assert_eq!(t.transition.map(|x| x.2), Some(Transition::Requested));
}

#[test]
fn round_budget_ends_the_round_and_times_are_kept_per_phase() {
    let (mut s, scorer) = session(Pace::Fast);
    let clock = ManualClock::new();
    s.open(0);
    clock.advance_minutes(1);
    s.handle(Input::Next, clock.now_ms(), &scorer); // -> architecture at 1:00
    clock.advance_minutes(3);
    s.handle(Input::Next, clock.now_ms(), &scorer); // -> data flow at 4:00
    clock.advance_minutes(2);
    s.handle(Input::Next, clock.now_ms(), &scorer); // -> failure modes at 6:00
    assert_eq!(s.phase(), Phase::FailureModes);
    assert!(s.plan().len() >= 3);
    clock.advance_minutes(5);
    let t = s.handle(
        Input::Answer("We'd alert on lag.".into()),
        clock.now_ms(),
        &scorer,
    );
    assert!(t.finished && s.is_finished(), "{t:?}");
    let times = s.phase_times(clock.now_ms());
    assert_eq!(times[0].1, 60_000);
    assert_eq!(times[1].1, 180_000);
    assert_eq!(times[2].1, 120_000);
    assert_eq!(times[3].1, 300_000);
    // The failure probed when time ran out is recorded, unanswered parts as missing.
    assert_eq!(s.failure_results().len(), 1);
}

#[test]
fn covering_the_three_questions_moves_on_before_time() {
    let (mut s, scorer) = session(Pace::Real);
    s.open(0);
    let t = s.handle(
        Input::Answer(
            "What's the peak scale, how fresh must it be, and who is the consumer?".into(),
        ),
        30_000,
        &scorer,
    );
    assert_eq!(s.phase(), Phase::Architecture);
    assert_eq!(t.transition.map(|x| x.2), Some(Transition::Covered));
    assert!(!s.facts().jumped_to_design);
}

#[test]
fn silence_past_the_phase_budget_ends_the_phase_at_once() {
    let (mut s, scorer) = session(Pace::Fast);
    let clock = ManualClock::new();
    s.open(clock.now_ms());
    // Before the budget is spent, time passing says nothing.
    clock.advance_ms(59_999);
    let t = s.tick(clock.now_ms(), &scorer);
    assert!(t.says.is_empty() && t.transition.is_none(), "{t:?}");
    assert_eq!(s.phase(), Phase::Clarify);
    // At the budget, with no input, the interviewer says so and moves on.
    clock.advance_ms(1);
    let t = s.tick(clock.now_ms(), &scorer);
    assert_eq!(
        t.transition,
        Some((Phase::Clarify, Phase::Architecture, Transition::TimeUp))
    );
    assert!(t.has("time_up") && t.has("intro_architecture"), "{t:?}");
    assert_eq!(s.phase(), Phase::Architecture);
    // The new phase's clock starts now, not at the next input.
    assert_eq!(s.phase_left(clock.now_ms()), Some(3 * 60_000));
    assert_eq!(s.phase_times(clock.now_ms())[0].1, 60_000);
    // A second tick at the same time says nothing more.
    assert!(s.tick(clock.now_ms(), &scorer).says.is_empty());
}

#[test]
fn silence_past_the_last_budget_ends_the_round() {
    let (mut s, scorer) = session(Pace::Fast);
    s.open(0);
    s.handle(Input::Next, 1_000, &scorer);
    s.handle(Input::Next, 2_000, &scorer);
    s.handle(Input::Next, 3_000, &scorer);
    assert_eq!(s.phase(), Phase::FailureModes);
    assert!(s.tick(3_000 + 179_999, &scorer).says.is_empty());
    let t = s.tick(3_000 + 180_000, &scorer);
    assert!(t.finished && s.is_finished(), "{t:?}");
    assert!(t.has("time_up") && t.has("round_over"), "{t:?}");
    // The failure on the table when time ran out is recorded.
    assert_eq!(s.failure_results().len(), 1);
}

#[test]
fn an_untimed_round_never_ends_a_phase_on_silence() {
    let (mut s, scorer) = session(Pace::Untimed);
    s.open(0);
    let t = s.tick(10 * 3_600_000, &scorer);
    assert!(t.says.is_empty(), "{t:?}");
    assert_eq!(s.phase(), Phase::Clarify);
}
