//! Input is never lost, whatever arrives: the real binary in a
//! pseudo-terminal gets bytes that are not UTF-8, lines typed while the
//! interviewer is still replying, a 5,000-word paste with blank lines, and a
//! Ctrl-C in the middle of a paste; each time the journal holds exactly what
//! the candidate meant, no `/quit` is made up, and the round goes on. A
//! resumed round shows where it stopped, and the debrief on a terminal is
//! rendered, in colour unless NO_COLOR.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use mockround::transcript::{read_journal, Record};
use rexpect::process::Signal;
use rexpect::session::{spawn_command, PtySession};
use wiremock::matchers::method;
use wiremock::{Mock, MockServer, ResponseTemplate};

fn mockround(data: &Path, extra: &[&str], color: bool) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_mockround"));
    c.arg("--data-dir").arg(data).args(extra);
    c.env("TERM", "xterm")
        .env("XDG_CONFIG_HOME", data.join("config"))
        .env_remove("MOCKROUND_CONFIG")
        .env_remove("MOCKROUND_BACKEND");
    if color {
        c.env_remove("NO_COLOR");
    } else {
        c.env("NO_COLOR", "1");
    }
    c
}

fn offline(data: &Path) -> Command {
    mockround(
        data,
        &[
            "practice",
            "--problem",
            "clickstream",
            "--seed",
            "1",
            "--no-clock",
        ],
        false,
    )
}

fn spawn(cmd: Command) -> PtySession {
    spawn_command(cmd, Some(20_000)).expect("spawn in a pty")
}

fn write_raw(p: &mut PtySession, bytes: &[u8]) {
    p.writer.write_all(bytes).expect("write to the pty");
    p.writer.flush().expect("flush");
}

/// rexpect hands output back a byte per char; decode it as the terminal would.
fn utf8(s: &str) -> String {
    let bytes: Vec<u8> = s.chars().map(|c| c as u32 as u8).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn journal(data: &Path) -> PathBuf {
    let dir = data.join("sessions");
    std::fs::read_dir(&dir)
        .expect("sessions dir")
        .flatten()
        .map(|e| e.path())
        .find(|p| p.extension().is_some_and(|x| x == "jsonl"))
        .expect("a journal")
}

fn candidate_turns(data: &Path) -> Vec<String> {
    read_journal(&journal(data))
        .expect("journal")
        .records
        .into_iter()
        .filter_map(|r| match r {
            Record::Candidate { text, .. } => Some(text),
            _ => None,
        })
        .collect()
}

fn stop(mut p: PtySession) {
    let _ = p.process.signal(Signal::SIGTERM);
    let _ = p.process.wait();
}

/// Words with a blank line between every `para` of them.
fn essay(words: usize, para: usize, tag: &str) -> String {
    let mut s = String::new();
    for i in 0..words {
        if i > 0 {
            s.push_str(if i % para == 0 { "\n\n" } else { " " });
        }
        s.push_str(&format!("{tag}{i}"));
    }
    s
}

#[test]
fn bytes_that_are_not_utf8_are_replaced_and_the_round_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = spawn(offline(dir.path()));
    p.exp_string("you> ").expect("prompt");
    write_raw(&mut p, b"What is the peak scale? \xff\xfe\xc3\x28\r\r");
    p.exp_string("not valid UTF-8").expect("a one-line notice");
    p.exp_string("200K events/sec")
        .expect("the question was answered");
    p.exp_string("you> ").expect("the round goes on");
    write_raw(&mut p, "Who consumes the data?\r\r".as_bytes());
    // The reply, not the prompt redrawn with the echo: on a loaded machine
    // the prompt can show before the answer is handled and journaled.
    p.exp_string("Who consumes the data?").expect("the echo");
    p.exp_string("Interviewer").expect("and on");
    p.exp_string("you> ").expect("the prompt after the reply");
    stop(p);
    let turns = candidate_turns(dir.path());
    assert_eq!(
        turns,
        [
            "What is the peak scale? \u{FFFD}\u{FFFD}\u{FFFD}(",
            "Who consumes the data?"
        ]
    );
    let read = read_journal(&journal(dir.path())).expect("journal");
    assert!(
        read.end().is_none(),
        "the round is not finished: it resumes"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn lines_typed_while_the_interviewer_replies_are_kept_in_order() {
    let server = MockServer::start().await;
    // Every reply takes 1.5 s: the candidate types on meanwhile.
    Mock::given(method("POST"))
        .respond_with(
            ResponseTemplate::new(200)
                .insert_header("content-type", "text/event-stream")
                .set_body_string("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"Go on.\"}}]}\n\ndata: [DONE]\n\n")
                .set_delay(Duration::from_millis(1500)),
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
            "practice",
            "--problem",
            "clickstream",
            "--no-clock",
        ],
        false,
    );
    cmd.env("OPENAI_API_KEY", "test-key");
    let data = dir.path().to_path_buf();
    tokio::task::spawn_blocking(move || {
        let mut p = spawn(cmd);
        p.exp_string("you> ").expect("prompt");
        write_raw(&mut p, "What is the peak scale?\r".as_bytes());
        p.exp_string("... ").expect("continuation prompt");
        write_raw(&mut p, "\r".as_bytes());
        p.exp_string("Interviewer:").expect("the reply starts");
        // Seven lines, two answers, typed while the reply is still coming.
        for line in [
            "ALPHA line one\r",
            "BRAVO line two\r",
            "CHARLIE line three\r",
            "\r",
            "DELTA line four\r",
            "ECHO line five\r",
            "FOXTROT line six\r",
            "GOLF line seven\r",
            "\r",
        ] {
            write_raw(&mut p, line.as_bytes());
            std::thread::sleep(Duration::from_millis(30));
        }
        // Nothing typed ahead is echoed into the interviewer's words.
        let before_prompt = p.exp_string("you> ").expect("prompt after the reply");
        assert!(!before_prompt.contains("ALPHA"), "{before_prompt}");
        // The typed-ahead answers are sent in order, each after its reply.
        p.exp_string("GOLF line seven")
            .expect("second answer shown");
        p.exp_string("Interviewer:").expect("replied");
        p.exp_string("you> ").expect("prompt");
        // The last reply may still be on its way; wait for the journal.
        for _ in 0..100 {
            if candidate_turns(&data).len() >= 3 {
                break;
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        stop(p);
    })
    .await
    .expect("pty session");
    assert_eq!(
        candidate_turns(dir.path()),
        [
            "What is the peak scale?",
            "ALPHA line one\nBRAVO line two\nCHARLIE line three",
            "DELTA line four\nECHO line five\nFOXTROT line six\nGOLF line seven",
        ]
    );
}

#[test]
fn a_pasted_answer_of_5000_words_with_blank_lines_is_one_answer() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = spawn(offline(dir.path()));
    p.exp_string("you> ").expect("prompt");
    let text = essay(5_000, 250, "w");
    let mut paste = b"\x1b[200~".to_vec();
    paste.extend_from_slice(text.as_bytes());
    paste.extend_from_slice(b"\x1b[201~");
    write_raw(&mut p, &paste);
    // Blank lines inside the paste do not submit it; an empty line after does.
    write_raw(&mut p, b"\r\r");
    p.exp_string("Interviewer:").expect("one reply");
    p.exp_string("you> ").expect("prompt");
    stop(p);
    let turns = candidate_turns(dir.path());
    assert_eq!(turns.len(), 1, "{} turns", turns.len());
    assert_eq!(turns[0], text);
    assert_eq!(turns[0].split_whitespace().count(), 5_000);
}

#[test]
fn ctrl_c_in_the_middle_of_a_paste_drops_it_and_the_round_goes_on() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = spawn(offline(dir.path()));
    p.exp_string("you> ").expect("prompt");
    let mut bytes = b"\x1b[200~".to_vec();
    bytes.extend_from_slice(essay(2_500, 100, "a").as_bytes());
    bytes.push(0x03);
    bytes.extend_from_slice(essay(2_500, 100, "b").as_bytes());
    bytes.extend_from_slice(b"\x1b[201~");
    write_raw(&mut p, &bytes);
    p.exp_string("paste stopped").expect("notice");
    p.exp_string("you> ").expect("prompt");
    write_raw(&mut p, "What is the peak scale?\r\r".as_bytes());
    p.exp_string("200K events/sec").expect("answered");
    p.exp_string("you> ").expect("the round goes on");
    stop(p);
    // Nothing of the paste was sent piecemeal; no /quit was made up.
    assert_eq!(candidate_turns(dir.path()), ["What is the peak scale?"]);
}

#[test]
fn resume_shows_the_last_exchange_and_the_pending_question() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut p = spawn(offline(dir.path()));
    p.exp_string("you> ").expect("prompt");
    write_raw(&mut p, "What is the peak scale?\r\r".as_bytes());
    p.exp_string("200K events/sec").expect("answered");
    p.exp_string("you> ").expect("prompt");
    let _ = p.process.signal(Signal::SIGKILL);
    let _ = p.process.wait();
    let id = journal(dir.path())
        .file_stem()
        .and_then(|s| s.to_str())
        .expect("id")
        .to_string();
    let mut p = spawn(mockround(dir.path(), &["practice", "--resume", &id], false));
    p.exp_string("Where you left off")
        .expect("the tail is shown");
    p.exp_string("You: What is the peak scale?")
        .expect("the last answer");
    p.exp_string("200K events/sec")
        .expect("the interviewer's reply with the pending question");
    p.exp_string("[clarify | no clock] you> ")
        .expect("then the prompt");
    stop(p);
}

#[test]
fn the_debrief_on_a_terminal_is_rendered_and_coloured_unless_no_color() {
    for color in [false, true] {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut p = spawn(mockround(
            dir.path(),
            &[
                "practice",
                "--problem",
                "clickstream",
                "--seed",
                "1",
                "--no-clock",
            ],
            color,
        ));
        p.exp_string("you> ").expect("prompt");
        write_raw(&mut p, "/quit\r".as_bytes());
        p.exp_string("Show the debrief now?").expect("offered");
        write_raw(&mut p, "y\r".as_bytes());
        let shown = utf8(&p.exp_string("Debrief saved").expect("debrief shown"));
        let debrief = &shown[shown.find("Debrief:").expect("title")..];
        assert!(!debrief.contains("## "), "raw Markdown: {debrief}");
        assert!(!debrief.contains("|---"), "raw table: {debrief}");
        assert!(debrief.contains('┌') && debrief.contains('│'), "{debrief}");
        let sgr = debrief.contains("\x1b[38;5;") || debrief.contains("\x1b[4m");
        assert_eq!(sgr, color, "colour {color}: {debrief:?}");
        p.exp_eof().expect("exits");
        // The saved file stays Markdown.
        let md = journal(dir.path()).with_extension("debrief.md");
        let saved = std::fs::read_to_string(md).expect("saved debrief");
        assert!(
            saved.contains("## Verdict") && saved.contains("|---|"),
            "{saved}"
        );
    }
}
