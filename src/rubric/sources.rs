//! Finding rubric files: the built-in set embedded in the binary, and the
//! `*.toml` files of a user's rubric directory (top level and `problems/`).

use std::path::{Path, PathBuf};

use super::error::RubricError;

/// One rubric file: where it came from (for messages) and its text.
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    /// Name relative to the rubric root, e.g. `problems/clickstream.toml`.
    pub rel: String,
    /// Path shown in messages.
    pub display: String,
    pub text: String,
}

macro_rules! builtin {
    ($($rel:literal),* $(,)?) => {
        &[$(($rel, include_str!(concat!("../../rubrics/", $rel)))),*]
    };
}

/// The built-in rubric, embedded so the binary works from any directory.
const BUILTIN: &[(&str, &str)] = builtin!(
    "concepts.toml",
    "signals.toml",
    "framework.toml",
    "levels.toml",
    "components.toml",
    "problems/clickstream.toml",
    "problems/payments-reconciliation.toml",
    "problems/feature-store.toml",
    "problems/ad-attribution.toml",
    "problems/surge-pricing.toml",
    "problems/financial-reconciliation.toml",
    "problems/cdc-lakehouse.toml",
    "problems/iot-telemetry.toml",
    "problems/log-analytics.toml",
    "problems/fraud-features.toml",
    "problems/experimentation-metrics.toml",
    "problems/gdpr-deletion.toml",
    "problems/data-quality-platform.toml",
    "problems/streaming-enrichment.toml",
    "problems/multi-region-replication.toml",
    "problems/warehouse-cost-control.toml",
    "problems/schema-registry-migration.toml",
    "problems/ml-training-snapshots.toml",
    "problems/search-indexing.toml",
    "problems/metrics-pipeline.toml",
    "problems/scd2-dimension.toml",
    "problems/late-arriving-facts.toml",
    "problems/year-backfill.toml",
    "problems/realtime-inventory.toml",
);

/// A built-in file's text.
pub(crate) fn builtin_text(rel: &str) -> Option<&'static str> {
    BUILTIN.iter().find(|(r, _)| *r == rel).map(|(_, t)| *t)
}

const CORE: [&str; 5] = [
    "concepts.toml",
    "signals.toml",
    "framework.toml",
    "levels.toml",
    "components.toml",
];

pub(crate) fn builtin_files() -> Vec<SourceFile> {
    BUILTIN
        .iter()
        .map(|(rel, text)| SourceFile {
            rel: (*rel).to_string(),
            display: format!("rubrics/{rel}"),
            text: (*text).to_string(),
        })
        .collect()
}

pub(crate) fn is_core(rel: &str) -> bool {
    CORE.contains(&rel)
}

/// Read every `*.toml` at the top of `dir` and under `dir/problems/`.
pub(crate) fn read_dir_files(dir: &Path) -> Result<Vec<SourceFile>, RubricError> {
    let mut out = Vec::new();
    for (sub, prefix) in [(dir.to_path_buf(), ""), (dir.join("problems"), "problems/")] {
        if prefix.is_empty() || sub.is_dir() {
            let entries = std::fs::read_dir(&sub).map_err(|source| RubricError::Io {
                path: sub.display().to_string(),
                source,
            })?;
            let mut paths: Vec<PathBuf> = entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "toml"))
                .collect();
            paths.sort();
            for p in paths {
                out.push(read_file(&p, prefix)?);
            }
        }
    }
    Ok(out)
}

pub(crate) fn read_file(p: &Path, prefix: &str) -> Result<SourceFile, RubricError> {
    let text = std::fs::read_to_string(p).map_err(|source| RubricError::Io {
        path: p.display().to_string(),
        source,
    })?;
    let name = p
        .file_name()
        .map(|n| n.to_string_lossy().to_string())
        .unwrap_or_default();
    let rel = if prefix.is_empty() && is_core(&name) {
        name
    } else {
        format!("problems/{name}")
    };
    Ok(SourceFile {
        rel,
        display: p.display().to_string(),
        text,
    })
}
