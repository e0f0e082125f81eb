//! Context budgeting: a 2-hour transcript never produces a request above an
//! 8k window; history is trimmed in a few large steps (the only places the
//! request prefix changes), and the rubric state survives every trim.

use std::sync::Arc;
use std::time::Duration;

use mockround::backend::openai::OpenAiBackend;
use mockround::backend::{ChatBackend, HttpBackendSettings, RetryPolicy, Timeouts};
use mockround::interview::clock::Pace;
use mockround::interview::phrasing::Phraser;
use mockround::interview::session::{Input, Session};
use mockround::interview::templates::Templates;
use mockround::rubric::Rubric;
use mockround::score::Scorer;
use mockround::tokens::{message_tokens, Budget, REPLY_RESERVE};

fn model_backend() -> Arc<dyn ChatBackend> {
    // Never contacted: `prepare` only builds requests.
    Arc::new(
        OpenAiBackend::new(HttpBackendSettings {
            base_url: "http://127.0.0.1:9/v1".into(),
            model: "small-local".into(),
            api_key_env: None,
            api_key: None,
            timeouts: Timeouts {
                connect: Duration::from_millis(10),
                request: Duration::from_millis(10),
                idle: Duration::from_millis(10),
            },
            retry: RetryPolicy {
                max_attempts: 1,
                base_delay: Duration::from_millis(1),
                max_delay: Duration::from_millis(1),
            },
            context_tokens: Some(8192),
            keep_alive: None,
            system_role: mockround::backend::SystemRole::Native,
        })
        .expect("backend"),
    )
}

fn answer(i: usize) -> String {
    format!(
        "Turn {i}: the event goes from the producer to Kafka, 100 partitions keyed by user_id, \
         then Flink dedupes by event_id with a 24-hour state TTL and checkpoints every minute to S3; \
         the hourly Spark job MERGEs into Snowflake on session_id so a rerun is idempotent, and we \
         alert on consumer lag above five minutes. Watermarks are ten minutes, late data goes to a \
         dead-letter prefix and a daily job reprocesses it. Cost: S3 lifecycle to Glacier after 30 days."
    )
}

#[test]
fn two_hour_transcript_stays_under_an_8k_window_with_few_trims() {
    let rubric = Rubric::builtin().expect("rubric");
    let scorer = Scorer::new(&rubric);
    let problem = rubric.problem("clickstream").expect("problem").clone();
    let templates = Arc::new(Templates::builtin());
    let mut session = Session::new(problem, templates.clone(), Pace::Untimed, 5);
    let mut phraser = Phraser::new(model_backend(), templates, &session, 8192, None, None);
    phraser.record_requests(true);
    // Every turn goes to the model in `phrase` mode: the worst case for the budget.
    phraser.set_mode(mockround::interview::phrasing::InterviewerMode::Phrase);
    session.open(0);
    session.handle(
        Input::Answer("What is the scale? How fresh? Who is the consumer?".into()),
        1,
        &scorer,
    );
    let budget = Budget::for_window(8192);
    // Two hours at one candidate turn every 30 seconds.
    let turns = 240;
    let mut prefix_breaks = 0;
    let mut prev: Option<Vec<mockround::backend::ChatMessage>> = None;
    for i in 0..turns {
        let now = (i as u64 + 1) * 30_000;
        let text = answer(i);
        let turn = session.handle(Input::Answer(text.clone()), now, &scorer);
        let req = phraser
            .prepare(&text, &session, &turn, now)
            .request
            .expect("a model backend builds a request");
        let total: usize = req.messages.iter().map(message_tokens).sum();
        assert!(
            total + REPLY_RESERVE <= 8192,
            "turn {i}: {total} prompt tokens do not fit an 8k window"
        );
        assert!(total <= budget.prompt_limit());
        if let Some(p) = &prev {
            if !req.messages.starts_with(p) {
                prefix_breaks += 1;
                // A trim: the summary restates the rubric state.
                let summary = &req.messages[1].content;
                assert!(summary.contains("summary of the earlier part"), "{summary}");
                assert!(
                    summary.contains("Components named:") && summary.contains("Kafka"),
                    "{summary}"
                );
            }
        }
        let reply = "Which key, and why that one?";
        phraser.commit(reply);
        let mut next = req.messages.clone();
        next.push(mockround::backend::ChatMessage::assistant(reply));
        prev = Some(next);
    }
    let trims = phraser.history().trims();
    assert_eq!(prefix_breaks, trims, "the prefix only changes at trims");
    // Large steps: a few trims over two hours, not one per turn.
    assert!((2..=40).contains(&trims), "{trims} trims in {turns} turns");
    // The system message is identical in every request.
    let first_system = &phraser.sent[0].messages[0];
    assert!(phraser.sent.iter().all(|r| &r.messages[0] == first_system));
}
