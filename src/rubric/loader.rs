//! Turning rubric files into a [`Rubric`]: parsing TOML, merging a user's
//! directory over the built-in set, running validation and hashing the version,
//! collecting every error with its `file:line:col`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::Path;

use serde::de::DeserializeOwned;
use serde::Deserialize;
use sha2::{Digest, Sha256};

use super::error::RubricError;
use super::model::*;
use super::sources::{builtin_files, is_core, read_dir_files, read_file, SourceFile};
use super::validate::{
    find_key_value, validate_catalogue, validate_concepts, validate_framework, validate_levels,
    validate_problem, validate_signals,
};
use super::Rubric;

/// Builtin plus a user's directory: user core files replace builtin ones of
/// the same name; user problems are added and override builtin ids.
pub(crate) fn load(extra: Option<&Path>) -> Result<Rubric, RubricError> {
    let mut core: BTreeMap<String, SourceFile> = BTreeMap::new();
    let mut problems = Vec::new();
    for f in builtin_files() {
        if is_core(&f.rel) {
            core.insert(f.rel.clone(), f);
        } else {
            problems.push(f);
        }
    }
    let mut user_problems = Vec::new();
    if let Some(dir) = extra {
        for f in read_dir_files(dir)? {
            if is_core(&f.rel) {
                core.insert(f.rel.clone(), f);
            } else {
                user_problems.push(f);
            }
        }
    }
    finish(build(core.into_values().collect(), problems, user_problems))
}

/// A directory on its own: its problems only, its core files where present
/// (the builtin ones otherwise, so a problems-only directory validates).
pub(crate) fn load_dir(dir: &Path) -> Result<Rubric, RubricError> {
    finish(build_dir(dir)?)
}

fn build_dir(dir: &Path) -> Result<(Option<Rubric>, Vec<RubricError>), RubricError> {
    if !dir.is_dir() {
        return Err(RubricError::File {
            path: dir.display().to_string(),
            message: "not a directory; pass a rubric directory or a single .toml file".into(),
        });
    }
    let mut core: BTreeMap<String, SourceFile> = builtin_files()
        .into_iter()
        .filter(|f| is_core(&f.rel))
        .map(|f| (f.rel.clone(), f))
        .collect();
    let mut problems = Vec::new();
    for f in read_dir_files(dir)? {
        if is_core(&f.rel) {
            core.insert(f.rel.clone(), f);
        } else {
            problems.push(f);
        }
    }
    Ok(build(core.into_values().collect(), problems, Vec::new()))
}

/// Every error in a file or directory, for `rubrics validate [PATH]`.
pub(crate) fn validate_path(path: &Path) -> Vec<RubricError> {
    let built = if path.is_dir() {
        build_dir(path)
    } else {
        read_file(path, "").map(|f| {
            let mut core: BTreeMap<String, SourceFile> = builtin_files()
                .into_iter()
                .filter(|f| is_core(&f.rel))
                .map(|f| (f.rel.clone(), f))
                .collect();
            let mut problems = Vec::new();
            if is_core(&f.rel) {
                core.insert(f.rel.clone(), f);
            } else {
                problems.push(f);
            }
            build(core.into_values().collect(), problems, Vec::new())
        })
    };
    match built {
        Ok((_, errs)) => errs.into_iter().flat_map(RubricError::flatten).collect(),
        Err(e) => e.flatten(),
    }
}

fn finish((rubric, errs): (Option<Rubric>, Vec<RubricError>)) -> Result<Rubric, RubricError> {
    match (rubric, errs.len()) {
        (Some(r), 0) => Ok(r),
        (_, 1) => Err(errs.into_iter().next().unwrap_or(RubricError::File {
            path: "rubrics".into(),
            message: "invalid rubric".into(),
        })),
        (_, 0) => Err(RubricError::File {
            path: "rubrics".into(),
            message: "rubric incomplete".into(),
        }),
        _ => Err(RubricError::Many(errs)),
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ConceptsFile {
    concept: Vec<Concept>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct SignalsFile {
    signal: Vec<Signal>,
}

fn parse<T: DeserializeOwned>(f: &SourceFile, errs: &mut Vec<RubricError>) -> Option<T> {
    match toml::from_str::<T>(&f.text) {
        Ok(v) => Some(v),
        Err(e) => {
            let offset = e.span().map(|s| s.start).unwrap_or(0);
            let msg = e.message().trim().replace('\n', " ");
            errs.push(RubricError::at(&f.display, &f.text, offset, msg));
            None
        }
    }
}

/// One of the rubric's core files: parsed and validated, or reported as
/// missing (every core file is required).
fn required<T: DeserializeOwned>(
    core: &[SourceFile],
    rel: &str,
    errs: &mut Vec<RubricError>,
    validate: impl FnOnce(&SourceFile, &T, &mut Vec<RubricError>),
) -> Option<T> {
    let Some(f) = core.iter().find(|f| f.rel == rel) else {
        errs.push(RubricError::File {
            path: format!("rubrics/{rel}"),
            message: "required rubric file is missing".into(),
        });
        return None;
    };
    let parsed = parse::<T>(f, errs)?;
    validate(f, &parsed, errs);
    Some(parsed)
}

/// Parse and cross-validate; `user_problems` override `problems` by id.
fn build(
    core: Vec<SourceFile>,
    problems: Vec<SourceFile>,
    user_problems: Vec<SourceFile>,
) -> (Option<Rubric>, Vec<RubricError>) {
    let mut errs = Vec::new();
    let mut hasher = Sha256::new();
    let mut all: Vec<&SourceFile> = core.iter().chain(&problems).chain(&user_problems).collect();
    all.sort_by(|a, b| a.rel.cmp(&b.rel));
    for f in &all {
        hasher.update(f.rel.as_bytes());
        hasher.update([0]);
        hasher.update(f.text.as_bytes());
        hasher.update([0]);
    }
    let digest = hasher.finalize();
    let version: String = digest.iter().take(8).map(|b| format!("{b:02x}")).collect();

    let concepts = required::<ConceptsFile>(&core, "concepts.toml", &mut errs, |f, c, e| {
        validate_concepts(f, &c.concept, e)
    })
    .map(|c| c.concept);
    let signals = required::<SignalsFile>(&core, "signals.toml", &mut errs, |f, s, e| {
        validate_signals(f, &s.signal, e)
    })
    .map(|s| s.signal);
    let framework = required::<Framework>(&core, "framework.toml", &mut errs, validate_framework);
    let levels = required::<Levels>(&core, "levels.toml", &mut errs, validate_levels);
    let components = required::<Catalogue>(&core, "components.toml", &mut errs, validate_catalogue);

    let concept_ids: HashSet<String> = concepts.iter().flatten().map(|c| c.id.0.clone()).collect();
    let mut merged: Vec<Problem> = Vec::new();
    let mut index: HashMap<String, usize> = HashMap::new();
    for (group, files) in [(0, &problems), (1, &user_problems)] {
        let mut seen_here: HashMap<String, String> = HashMap::new();
        for f in files {
            let Some(p) = parse::<Problem>(f, &mut errs) else {
                continue;
            };
            validate_problem(f, &p, &concept_ids, &mut errs);
            if let Some(first) = seen_here.get(&p.id.0) {
                let off = find_key_value(&f.text, "id", &p.id.0, 0).unwrap_or(0);
                errs.push(RubricError::at(
                    &f.display,
                    &f.text,
                    off,
                    format!("duplicate problem id `{}` (already defined in {first}); ids must be unique", p.id),
                ));
                continue;
            }
            seen_here.insert(p.id.0.clone(), f.display.clone());
            match index.get(&p.id.0) {
                Some(&i) if group == 1 => merged[i] = p,
                _ => {
                    index.insert(p.id.0.clone(), merged.len());
                    merged.push(p);
                }
            }
        }
    }

    match (concepts, signals, framework, levels, components) {
        (Some(concepts), Some(signals), Some(framework), Some(levels), Some(components)) => (
            Some(Rubric {
                concepts,
                signals,
                problems: merged,
                version,
                framework,
                levels,
                components,
            }),
            errs,
        ),
        _ => (None, errs),
    }
}
