//! Calibration against labelled written answers (`tests/fixtures/calibration`):
//! a tuning half used while adjusting cues and thresholds, and a held-out
//! half written independently and never used for tuning. The held-out
//! figures are the ones the README reports: exact agreement, agreement
//! within one level, quadratic weighted kappa and the confusion matrix.
//!
//! `cargo test --test calibration -- --nocapture` prints both tables;
//! `CALIBRATION_DETAIL=1` adds every answer's label, verdict and reasons.

use std::path::{Path, PathBuf};

use mockround::rubric::{Level, Rubric};
use mockround::score::Scorer;
use serde::Deserialize;

#[derive(Debug, Deserialize)]
struct Labels {
    answer: Vec<Label>,
}

#[derive(Debug, Deserialize)]
struct Label {
    file: String,
    problem: String,
    level: Level,
    why: String,
}

const LEVELS: [Level; 4] = [Level::L3, Level::L4, Level::L5, Level::L6];

fn idx(l: Level) -> usize {
    LEVELS.iter().position(|x| *x == l).unwrap_or(0)
}

/// Agreement figures for one half.
#[derive(Debug)]
struct Figures {
    n: usize,
    exact: usize,
    within_one: usize,
    two_apart: usize,
    qwk: f64,
    /// confusion[label][verdict]
    confusion: [[usize; 4]; 4],
}

/// Quadratic weighted kappa over the 4×4 confusion matrix.
fn qwk(m: &[[usize; 4]; 4]) -> f64 {
    let n: usize = m.iter().flatten().sum();
    if n == 0 {
        return 0.0;
    }
    let rows: Vec<f64> = m.iter().map(|r| r.iter().sum::<usize>() as f64).collect();
    let cols: Vec<f64> = (0..4)
        .map(|j| m.iter().map(|r| r[j]).sum::<usize>() as f64)
        .collect();
    let (mut obs, mut exp) = (0.0, 0.0);
    for i in 0..4 {
        for j in 0..4 {
            let w = ((i as f64 - j as f64).powi(2)) / 9.0;
            obs += w * m[i][j] as f64;
            exp += w * rows[i] * cols[j] / n as f64;
        }
    }
    if exp == 0.0 {
        1.0
    } else {
        1.0 - obs / exp
    }
}

fn dir(half: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/calibration")
        .join(half)
}

fn measure(half: &str, scorer: &Scorer, rubric: &Rubric) -> Figures {
    let d = dir(half);
    let text = std::fs::read_to_string(d.join("labels.toml")).expect("labels.toml");
    let labels: Labels = toml::from_str(&text).expect("labels parse");
    let detail = std::env::var("CALIBRATION_DETAIL").is_ok();
    let mut f = Figures {
        n: 0,
        exact: 0,
        within_one: 0,
        two_apart: 0,
        qwk: 0.0,
        confusion: [[0; 4]; 4],
    };
    for l in &labels.answer {
        let answer = std::fs::read_to_string(d.join(&l.file)).expect("answer file");
        let problem = rubric.problem(&l.problem).expect("problem id");
        let card = scorer.score(Some(problem), &answer);
        let got = card.verdict.level;
        let (a, b) = (idx(l.level), idx(got));
        f.n += 1;
        f.confusion[a][b] += 1;
        let gap = a.abs_diff(b);
        if gap == 0 {
            f.exact += 1;
        }
        if gap <= 1 {
            f.within_one += 1;
        }
        if gap >= 2 {
            f.two_apart += 1;
        }
        if detail || gap >= 2 {
            println!(
                "{half}/{}: label {} ({}) -> {} {}/100\n    {}",
                l.file,
                l.level,
                l.why,
                got,
                card.overall,
                card.verdict.reasons.join("\n    ")
            );
        }
    }
    f.qwk = qwk(&f.confusion);
    f
}

fn print(half: &str, f: &Figures) {
    let pct = |a: usize| 100.0 * a as f64 / f.n.max(1) as f64;
    println!(
        "\n{half}: {} answers — exact {:.0}% ({}), within one level {:.0}%, two or more apart {}, QWK {:.2}",
        f.n,
        pct(f.exact),
        f.exact,
        pct(f.within_one),
        f.two_apart,
        f.qwk
    );
    println!("| label \\ verdict | L3 | L4 | L5 | L6 |\n|---|---|---|---|---|");
    for (i, l) in LEVELS.iter().enumerate() {
        let r = f.confusion[i];
        println!("| {l} | {} | {} | {} | {} |", r[0], r[1], r[2], r[3]);
    }
}

#[test]
fn held_out_answers_get_the_level_an_interviewer_would_give() {
    let rubric = Rubric::builtin().expect("rubric");
    let scorer = Scorer::new(&rubric);
    let tune = measure("tune", &scorer, &rubric);
    print("tuning set 1", &tune);
    let tune2 = measure("tune2", &scorer, &rubric);
    print("tuning set 2", &tune2);
    let held = measure("heldout", &scorer, &rubric);
    print("held-out half", &held);
    assert!(held.n >= 30 && tune.n >= 30);
    let exact = held.exact as f64 / held.n as f64;
    assert!(
        exact >= 0.8 && held.qwk >= 0.8 && held.two_apart == 0,
        "held-out: exact {exact:.2}, QWK {:.2}, {} two levels apart",
        held.qwk,
        held.two_apart
    );
}

#[test]
fn qwk_is_one_for_perfect_agreement_and_lower_for_misses() {
    let mut m = [[0; 4]; 4];
    for (i, row) in m.iter_mut().enumerate() {
        row[i] = 5;
    }
    assert!((qwk(&m) - 1.0).abs() < 1e-9);
    m[0][0] = 0;
    m[0][3] = 5;
    assert!(qwk(&m) < 0.8);
}
