//! A round that must stop: the disk fills up mid-round. The real binary
//! runs a scripted round under a file-size limit (`ulimit -f`, with SIGXFSZ
//! ignored so a write past the limit fails with EFBIG, as on a full disk),
//! once for every 512-byte limit below the journal's final size (so the
//! round stops at a different turn each time, often with a torn last line)
//! and a few that stop it while the debrief is written.
//!
//! Each time: a clear error naming the file, the cause and the `--resume`
//! command, exit code 1 as documented, no panic, a journal that reads, no
//! half-written debrief; then
//! `practice --resume` with the rest of the answers finishes the round with
//! every answer journaled exactly once and the same result as a round that
//! never stopped.

mod robust_support;

use std::path::Path;
use std::time::Duration;

use mockround::transcript::{read_journal, JournalRead, Record};
use robust_support::{candidates, journal_of, run_bounded, Home, Run};

const ANSWERS: &[&str] = robust_support::ROUND_ANSWERS;

const BLOCK: u64 = 512;
const LIMIT: Duration = Duration::from_secs(60);

fn write_script(home: &Home, name: &str, answers: &[&str]) -> String {
    let p = home.path().join(name);
    std::fs::write(&p, answers.join("\n---\n")).expect("script");
    p.to_string_lossy().into_owned()
}

/// `practice` on the offline backend, after `shell` (limits) when given.
fn practice(home: &Home, shell: &str, extra: &[&str]) -> Run {
    let mut args = vec!["--backend", "offline", "practice"];
    args.extend_from_slice(extra);
    run_bounded(home.command_after(shell, &args), None, LIMIT)
}

fn outcome(read: &JournalRead) -> Option<String> {
    read.end().map(|e| match e {
        Record::End { level, overall, .. } => format!("{level:?} {overall}"),
        _ => String::new(),
    })
}

fn file_len(p: &Path) -> u64 {
    std::fs::metadata(p).map(|m| m.len()).unwrap_or(0)
}

/// What one sweep of limits found.
#[derive(Default, Debug)]
struct Sweep {
    stops: usize,
    torn: usize,
    in_debrief: usize,
    stopped_after: std::collections::BTreeSet<usize>,
}

/// Runs `answers` once without a limit, then under every 512-byte limit
/// below the journal's size and four between that and the debrief's size,
/// resuming each stopped round.
fn sweep(answers: &[&str]) -> Sweep {
    let new_round = ["--problem", "clickstream", "--seed", "5", "--answers"];
    // The round that never stops: what every resumed round must equal.
    let reference = Home::new();
    let script = write_script(&reference, "answers.txt", answers);
    let run = practice(
        &reference,
        ":",
        &[&new_round[..], &[script.as_str()]].concat(),
    );
    assert_eq!(run.code, Some(0), "{}", run.all());
    let journal = journal_of(&reference);
    let full = read_journal(&journal).expect("journal");
    let expected = outcome(&full).expect("the reference round finished");
    let in_journal = file_len(&journal) / BLOCK;
    let debrief = file_len(&journal.with_extension("debrief.json"))
        .max(file_len(&journal.with_extension("debrief.md")))
        / BLOCK;
    let mut limits: Vec<u64> = (1..=in_journal).collect();
    if debrief > in_journal {
        let step = ((debrief - in_journal) / 4).max(1);
        limits.extend(
            (1..=4)
                .map(|k| in_journal + k * step)
                .filter(|&l| l <= debrief),
        );
    }
    let mut found = Sweep::default();
    for limit in limits {
        let home = Home::new();
        let script = write_script(&home, "answers.txt", answers);
        let shell = format!("trap '' XFSZ; ulimit -f {limit}");
        let run = practice(
            &home,
            &shell,
            &[&new_round[..], &[script.as_str()]].concat(),
        );
        run.assert_no_panic("round on a full disk");
        let journal = journal_of(&home);
        let what = format!("limit {} bytes\n{}", limit * BLOCK, run.all());
        assert_eq!(run.code, Some(1), "stops with the documented code: {what}");
        let error = run
            .stderr
            .lines()
            .find(|l| l.starts_with("error: "))
            .unwrap_or_else(|| panic!("no error line: {what}"));
        assert!(
            error.contains("File too large"),
            "the error says why: {what}"
        );
        found.in_debrief += usize::from(error.contains("cannot write the debrief"));
        let read = read_journal(&journal).expect("the journal stays readable");
        let id = match read.start() {
            Some(Record::Start { id, .. }) => id.clone(),
            _ => panic!("no start record: {what}"),
        };
        assert!(
            run.stderr
                .contains(&format!("mockround practice --resume {id}"))
                && run.stderr.contains(&journal.display().to_string()),
            "the error names the journal and the command to continue: {what}"
        );
        assert!(read.end().is_none(), "{what}");
        // No half-written debrief is left behind: each is whole or absent.
        for ext in ["debrief.json.tmp", "debrief.md.tmp"] {
            let p = journal.with_extension(ext);
            assert!(!p.exists(), "{} left behind: {what}", p.display());
        }
        let json = journal.with_extension("debrief.json");
        if json.exists() {
            let body = std::fs::read(&json).expect("debrief");
            assert!(
                serde_json::from_slice::<serde_json::Value>(&body).is_ok(),
                "a half-written debrief: {what}"
            );
        }
        let is_torn = file_len(&journal) > read.good_len;
        found.torn += usize::from(is_torn);
        let done = candidates(&read);
        assert!(
            answers.starts_with(&done),
            "the journal holds the answers in order: {done:?}"
        );
        found.stopped_after.insert(done.len());

        // Space is back: resume with the answers not yet journaled.
        let rest = write_script(&home, "rest.txt", &answers[done.len()..]);
        let again = practice(&home, ":", &["--resume", &id, "--answers", &rest]);
        again.assert_no_panic("resume after a full disk");
        assert_eq!(again.code, Some(0), "{what}\n--- resume:\n{}", again.all());
        if is_torn {
            assert!(
                again.stderr.contains("warning:"),
                "a torn last line is skipped with a warning: {}",
                again.all()
            );
        }
        let read = read_journal(&journal).expect("journal readable after resume");
        assert!(read.warnings.is_empty(), "{:?}", read.warnings);
        assert_eq!(
            candidates(&read),
            answers,
            "answers lost or duplicated: {what}"
        );
        assert_eq!(
            outcome(&read).as_deref(),
            Some(expected.as_str()),
            "the resumed round scores as the uninterrupted one: {what}"
        );
        found.stops += 1;
    }
    found
}

#[test]
fn a_round_stopped_by_a_full_disk_resumes_with_no_answer_lost_or_duplicated() {
    let long = sweep(ANSWERS);
    assert!(
        long.stopped_after.len() >= 4,
        "the stops should fall at different turns: {long:?}"
    );
    // A short round: its debrief is bigger than its journal, so some limits
    // stop the round while the debrief is written.
    let short = sweep(&ANSWERS[..2]);
    assert!(
        long.in_debrief + short.in_debrief >= 1,
        "no stop while writing the debrief: {long:?} {short:?}"
    );
    eprintln!(
        "disk full: {} stop points ({} with a torn last line, {} while writing the debrief); every round resumed to the same result",
        long.stops + short.stops,
        long.torn + short.torn,
        long.in_debrief + short.in_debrief
    );
}
