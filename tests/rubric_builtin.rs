//! The built-in rubric is complete and valid: the seed's 14 concepts with
//! their shares, six signals, the four-step framework with its budgets,
//! level descriptors and a problem bank of at least 24 problems in at least
//! six categories.

use std::path::Path;

use mockround::rubric::{render_list, render_show, validate_path, FactTopic, Level, Phase, Rubric};
use mockround::score::Scorer;

fn rubric() -> Rubric {
    Rubric::builtin().expect("builtin rubric loads")
}

#[test]
fn rubrics_dir_validates_clean() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("rubrics");
    let errs = validate_path(&dir);
    assert!(errs.is_empty(), "{errs:#?}");
    let from_disk = Rubric::load_dir(&dir).expect("loads from disk");
    assert_eq!(
        from_disk.version,
        rubric().version,
        "embedded copy matches rubrics/"
    );
}

#[test]
fn has_the_seeds_fourteen_concepts_with_their_shares() {
    let r = rubric();
    let want = [
        ("exactly-once", 0.62),
        ("idempotency", 0.58),
        ("backfill", 0.47),
        ("event-time", 0.44),
        ("watermarks", 0.41),
        ("schema-evolution", 0.39),
        ("partitioning", 0.37),
        ("hot-keys", 0.34),
        ("sla-tiers", 0.31),
        ("cost", 0.28),
        ("cdc", 0.26),
        ("data-quality", 0.24),
        ("lambda-kappa", 0.21),
        ("lakehouse-warehouse", 0.19),
    ];
    assert_eq!(r.concepts.len(), 14);
    for (id, w) in want {
        let c = r
            .concept(&id.into())
            .unwrap_or_else(|| panic!("{id} missing"));
        assert!((c.weight - w).abs() < 1e-6, "{id} weight {}", c.weight);
        assert!(!c.weak.is_empty() && !c.adequate.is_empty() && !c.strong.is_empty());
        assert!(!c.levels.is_empty());
    }
}

#[test]
fn has_six_signals_and_four_steps_with_the_seed_budgets() {
    let r = rubric();
    let ids: Vec<&str> = r.signals.iter().map(|s| s.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "specific-numbers",
            "failure-reasoning",
            "idempotency-explicit",
            "schema-evolution",
            "cost-aware",
            "operational-realism"
        ]
    );
    for (phase, mins) in [
        (Phase::Clarify, 5),
        (Phase::Architecture, 15),
        (Phase::DataFlow, 15),
        (Phase::FailureModes, 15),
    ] {
        let s = r.step(phase).expect("step exists");
        assert_eq!(s.budget_minutes, mins);
        assert!(!s.must_contain.is_empty());
    }
    for l in [Level::L3, Level::L4, Level::L5, Level::L6] {
        assert!(r.level(l).is_some());
    }
}

#[test]
fn problem_bank_has_the_seed_prompts_and_more() {
    let r = rubric();
    let ids = r.problem_ids();
    assert!(ids.len() >= 12, "{ids:?}");
    for want in [
        "clickstream",
        "payments-reconciliation",
        "feature-store",
        "ad-attribution",
        "surge-pricing",
        "financial-reconciliation",
        "cdc-lakehouse",
    ] {
        assert!(ids.contains(&want), "{want} missing");
    }
    for p in &r.problems {
        for t in [FactTopic::Scale, FactTopic::Freshness, FactTopic::Consumer] {
            assert!(
                p.hidden_facts.iter().any(|h| h.topic == t),
                "{} lacks {t:?}",
                p.id
            );
        }
        assert!(p.failure_modes.len() >= 3, "{}", p.id);
        assert!(!p.reference_architecture.trim().is_empty());
    }
}

#[test]
fn problem_bank_has_at_least_24_problems_in_at_least_6_categories() {
    let r = rubric();
    assert!(r.problems.len() >= 24, "{:?}", r.problem_ids());
    let mut categories: Vec<&str> = r.problems.iter().map(|p| p.category.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    assert!(
        categories.len() >= 6 && !categories.contains(&""),
        "{categories:?}"
    );
}

/// The areas the seed names (data quality, streaming joins, multi-region,
/// cost, schema evolution, ML snapshots, search, metrics, SCD type 2, late
/// facts, backfill, inventory) each have a problem deep enough to run a round
/// on: a hidden constraint to discover, four failure modes, both curveballs.
#[test]
fn bank_covers_the_seeds_areas_with_full_depth() {
    use mockround::rubric::CurveballKind;
    let r = rubric();
    for id in [
        "data-quality-platform",
        "streaming-enrichment",
        "multi-region-replication",
        "warehouse-cost-control",
        "schema-registry-migration",
        "ml-training-snapshots",
        "search-indexing",
        "metrics-pipeline",
        "scd2-dimension",
        "late-arriving-facts",
        "year-backfill",
        "realtime-inventory",
    ] {
        let p = r
            .problem(id)
            .unwrap_or_else(|| panic!("{id} missing from the bank"));
        assert!(!p.category.is_empty(), "{id}: no category");
        assert!(
            p.hidden_facts
                .iter()
                .any(|h| h.topic == FactTopic::Constraint && !h.asked_by.is_empty()),
            "{id}: no hidden constraint to ask about"
        );
        assert!(
            p.failure_modes.len() >= 4,
            "{id}: fewer than 4 failure modes"
        );
        assert!(p.key_concepts.len() >= 5, "{id}: too few key concepts");
        assert!(
            !p.sla_tiers.is_empty() && !p.expected_numbers.is_empty(),
            "{id}"
        );
        for kind in [CurveballKind::Tighten, CurveballKind::Stretch] {
            let c = p
                .curveballs
                .iter()
                .find(|c| c.kind == kind)
                .unwrap_or_else(|| panic!("{id}: no {kind:?} curveball"));
            assert!(
                c.adapted_by.len() >= 10,
                "{id}: {kind:?} adapted_by too short"
            );
        }
    }
}

#[test]
fn list_groups_problems_under_their_category() {
    let r = rubric();
    let list = render_list(&r);
    let problems = list.split("Concepts (").next().expect("problems section");
    // Each problem's line sits below its own category heading and above the next one.
    for p in &r.problems {
        let row = problems
            .lines()
            .position(|l| l.split_whitespace().next() == Some(p.id.as_str()))
            .unwrap_or_else(|| panic!("{} not listed\n{list}", p.id));
        let heading = problems
            .lines()
            .take(row)
            .filter(|l| !l.starts_with(' ') && l.ends_with("):"))
            .last()
            .unwrap_or_else(|| panic!("{} has no heading above it\n{list}", p.id));
        assert!(
            heading.starts_with(&format!("{} (", p.category)),
            "{} listed under {heading:?}\n{list}",
            p.id
        );
    }
    // One heading per category, with its count.
    let headings: Vec<&str> = problems
        .lines()
        .skip(1)
        .filter(|l| !l.starts_with(' ') && l.ends_with("):"))
        .collect();
    let mut categories: Vec<&str> = r.problems.iter().map(|p| p.category.as_str()).collect();
    categories.sort_unstable();
    categories.dedup();
    assert_eq!(headings.len(), categories.len(), "{list}");
    for c in categories {
        let n = r.problems.iter().filter(|p| p.category == c).count();
        let want = format!("{c} ({n}):");
        assert!(
            headings.contains(&want.as_str()),
            "{want} not in {headings:?}"
        );
    }
}

#[test]
fn every_builtin_problem_has_a_tighten_and_a_stretch_curveball() {
    use mockround::rubric::CurveballKind;
    for p in &rubric().problems {
        for kind in [CurveballKind::Tighten, CurveballKind::Stretch] {
            let c = p
                .curveballs
                .iter()
                .find(|c| c.kind == kind)
                .unwrap_or_else(|| panic!("{} has no {kind:?} curveball", p.id));
            assert!(c.say.contains('?'), "{}: {}", p.id, c.say);
            assert!(!c.adapted_by.is_empty() && !c.expect.is_empty());
        }
        let tighten = p
            .curveballs
            .iter()
            .find(|c| c.kind == CurveballKind::Tighten);
        let stretch = p
            .curveballs
            .iter()
            .find(|c| c.kind == CurveballKind::Stretch);
        if let (Some(t), Some(s)) = (tighten, stretch) {
            assert!(
                t.at() < s.at(),
                "{}: the tighten comes before the stretch",
                p.id
            );
        }
    }
}

#[test]
fn every_expected_component_is_in_the_catalogue() {
    let r = rubric();
    let s = Scorer::new(&r);
    for p in &r.problems {
        for c in &p.expected_components {
            if c == "Parquet" {
                continue; // a format, checked on arrows instead
            }
            let found = s.components(c);
            assert!(
                found.iter().any(|m| !m.vague),
                "{}: expected component {c} is not a known product",
                p.id
            );
        }
    }
}

#[test]
fn every_reference_architecture_parses_into_a_diagram() {
    let r = rubric();
    for p in &r.problems {
        let d = mockround::design::diagram::parse(&p.reference_architecture);
        assert!(d.edges.len() >= 3, "{}: {d:?}", p.id);
    }
}

#[test]
fn list_and_show_render_problems_concepts_and_signals() {
    let r = rubric();
    let list = render_list(&r);
    assert!(list.contains("clickstream") && list.contains("62%"));
    let show = render_show(&r, "clickstream").expect("problem");
    assert!(show.contains("200K events/sec") && show.contains("Hidden facts"));
    let c = render_show(&r, "watermarks").expect("concept");
    assert!(c.contains("Watermarks and late data"));
    assert!(render_show(&r, "operational-realism").is_ok());
    let err = render_show(&r, "nope").expect_err("unknown id");
    assert!(err.to_string().contains("rubrics list"));
}

#[test]
fn version_is_a_stable_hash() {
    assert_eq!(rubric().version, rubric().version);
    assert_eq!(rubric().version.len(), 16);
}

#[test]
fn list_columns_line_up_whatever_the_id_length() {
    let list = render_list(&rubric());
    let rows: Vec<&str> = list
        .lines()
        .filter(|l| l.starts_with("  ") && !l.trim().is_empty())
        .collect();
    assert!(rows.len() > 20, "{list}");
    let id_len = |l: &str| l[2..].find(' ').expect("id then a space");
    let col = rows.iter().map(|l| 2 + id_len(l) + 2).max().expect("rows");
    for l in &rows {
        assert!(
            l[2 + id_len(l)..col].bytes().all(|b| b == b' '),
            "second column of {l:?} does not start at {col}\n{list}"
        );
        assert_ne!(l.as_bytes()[col], b'\n');
    }
    let concepts = list
        .split("Concepts (")
        .nth(1)
        .and_then(|s| s.split("Signals (").next())
        .expect("concepts section");
    let pct: Vec<usize> = concepts.lines().filter_map(|l| l.find('%')).collect();
    assert!(
        pct.len() >= 14 && pct.iter().all(|&p| p == pct[0]),
        "{list}"
    );
}
