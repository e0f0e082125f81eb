//! The real binary in a pseudo-terminal: a multi-line answer submitted with
//! an empty line, slash commands (with the status prompt), Ctrl-C clearing a
//! half-typed answer, Ctrl-C stopping a slow model reply without ending the
//! round, and /quit offering the debrief.

use std::process::Command;
use std::time::Duration;

use rexpect::session::{spawn_command, PtySession};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn mockround(data: &std::path::Path, extra: &[&str]) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mockround"));
    c.arg("--data-dir").arg(data).args(extra);
    c.env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .env_remove("MOCKROUND_CONFIG")
        .env_remove("MOCKROUND_BACKEND");
    c
}

fn spawn(cmd: Command) -> PtySession {
    spawn_command(cmd, Some(15_000)).expect("spawn in a pty")
}

#[test]
fn multiline_answer_slash_commands_ctrl_c_and_quit() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = spawn(mockround(
        dir.path(),
        &[
            "practice",
            "--problem",
            "clickstream",
            "--seed",
            "1",
            "--pace",
            "fast",
        ],
    ));
    p.exp_string("Phase 1/4").expect("banner");
    p.exp_string("[clarify ")
        .expect("status prompt with phase and time");
    p.exp_string("you> ").expect("prompt");
    // A multi-line answer: two lines, then an empty line submits.
    p.send_line("What is the peak scale in events per second?")
        .expect("line 1");
    p.exp_string("... ").expect("continuation prompt");
    p.send_line("And roughly how big is each event?")
        .expect("line 2");
    p.exp_string("... ").expect("continuation prompt");
    p.send_line("").expect("submit");
    p.exp_string("200K events/sec")
        .expect("the interviewer answered the scale question");
    p.exp_string("you> ").expect("prompt again");
    // A slash command.
    p.send_line("/time").expect("/time");
    p.exp_string("left in this phase").expect("time left");
    p.exp_string("you> ").expect("prompt");
    // Ctrl-C clears a half-typed answer and keeps the round.
    p.send("something I regret").expect("type");
    std::thread::sleep(Duration::from_millis(200));
    p.send_control('c').expect("ctrl-c");
    p.exp_string("cleared").expect("cleared notice");
    p.exp_string("you> ").expect("prompt after ctrl-c");
    p.send_line("/phase").expect("/phase");
    p.exp_string("Phase 1/4").expect("phase info");
    p.exp_string("you> ").expect("prompt");
    // /quit ends the round and offers the debrief.
    p.send_line("/quit").expect("/quit");
    p.exp_string("Show the debrief now?").expect("offered");
    p.send_line("y").expect("yes");
    p.exp_string("Debrief:").expect("debrief shown");
    p.exp_string("Verdict:").expect("rendered for the terminal");
    p.exp_eof().expect("exits");
    // History was saved across sessions.
    let hist = std::fs::read_to_string(dir.path().join("history.txt")).expect("history file");
    assert!(hist.contains("/time"), "{hist}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ctrl_c_stops_a_slow_model_reply_and_the_round_goes_on() {
    let server = MockServer::start().await;
    // The model takes 20 seconds to answer: Ctrl-C must not wait for it.
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Late words.\"}}]}\n\ndata: [DONE]\n\n")
                .set_delay(Duration::from_secs(20)),
        )
        .mount(&server)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let base = format!("{}/v1", server.uri());
    let mut cmd = mockround(
        dir.path(),
        &[
            "--backend",
            "openai",
            "--base-url",
            &base,
            "--model",
            "m",
            // Every turn goes to the model in `phrase` mode, so the first
            // answer already has a slow reply to stop.
            "--interviewer",
            "phrase",
            "practice",
            "--problem",
            "clickstream",
            "--no-clock",
        ],
    );
    cmd.env("OPENAI_API_KEY", "test-key");
    let started = std::time::Instant::now();
    tokio::task::spawn_blocking(move || {
        let mut p = spawn(cmd);
        p.exp_string("you> ").expect("prompt");
        p.send_line("What is the peak scale?").expect("question");
        p.exp_string("... ").expect("continuation prompt");
        p.send_line("").expect("submit");
        p.exp_string("Interviewer:").expect("reply starts");
        std::thread::sleep(Duration::from_millis(300));
        p.send_control('c').expect("ctrl-c");
        p.exp_string("reply stopped").expect("stopped notice");
        p.exp_string("you> ").expect("the round goes on");
        p.send_control('d').expect("ctrl-d ends the round");
        // The closing line goes to the (slow) model too; stop it as well.
        p.exp_string("Interviewer:").expect("closing line starts");
        std::thread::sleep(Duration::from_millis(300));
        p.send_control('c').expect("ctrl-c");
        p.exp_string("reply stopped").expect("closing line stopped");
        // The model's closing words for the debrief are slow too: skip them.
        std::thread::sleep(Duration::from_millis(500));
        p.send_control('c').expect("ctrl-c");
        p.exp_string("Debrief:").expect("debrief after ctrl-d");
        p.exp_eof().expect("exits");
    })
    .await
    .expect("pty session");
    assert!(
        started.elapsed() < Duration::from_secs(15),
        "Ctrl-C did not cut the 20 s wait"
    );
}
