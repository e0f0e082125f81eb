//! Result keys: a run is idempotent because every row carries a hash of
//! everything that determines its result. Change the answer, the problem,
//! the rubric, the backend, the model or the judge prompt, and the key
//! changes, so a rerun regrades exactly what is stale.

use sha2::{Digest, Sha256};

/// The parts of a result key.
#[derive(Debug, Clone, Copy)]
pub struct KeyParts<'a> {
    pub answer: &'a str,
    pub problem: Option<&'a str>,
    pub rubric_version: &'a str,
    pub backend: &'a str,
    pub model: &'a str,
    pub prompt_version: &'a str,
}

/// Hex SHA-256 of the parts, each length-prefixed so no two different
/// tuples can collide by shifting text between fields.
pub fn result_key(p: &KeyParts<'_>) -> String {
    let mut h = Sha256::new();
    for part in [
        p.answer,
        p.problem.unwrap_or("\u{0}none"),
        p.rubric_version,
        p.backend,
        p.model,
        p.prompt_version,
    ] {
        h.update((part.len() as u64).to_le_bytes());
        h.update(part.as_bytes());
    }
    hex(&h.finalize())
}

/// Identity of one row in a results file: the input id and its result key.
/// Two inputs with the same text but different ids each get a row.
pub fn row_identity(id: &str, key: &str) -> [u8; 16] {
    let mut h = Sha256::new();
    h.update((id.len() as u64).to_le_bytes());
    h.update(id.as_bytes());
    h.update(key.as_bytes());
    let d = h.finalize();
    let mut out = [0u8; 16];
    out.copy_from_slice(&d[..16]);
    out
}

/// A Batch API `custom_id` for a row: short, unique per (id, key).
pub fn custom_id(id: &str, key: &str) -> String {
    format!("mr-{}", hex(&row_identity(id, key)))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parts<'a>(answer: &'a str, model: &'a str) -> KeyParts<'a> {
        KeyParts {
            answer,
            problem: Some("clickstream"),
            rubric_version: "r1",
            backend: "openai",
            model,
            prompt_version: "judge-v1",
        }
    }

    #[test]
    fn key_changes_with_any_part_and_is_stable() {
        let a = result_key(&parts("text", "m1"));
        assert_eq!(a, result_key(&parts("text", "m1")));
        assert_ne!(a, result_key(&parts("text", "m2")));
        assert_ne!(a, result_key(&parts("text2", "m1")));
        assert_eq!(a.len(), 64);
    }

    #[test]
    fn fields_cannot_collide_by_shifting_text() {
        let a = result_key(&KeyParts {
            answer: "ab",
            problem: Some("c"),
            ..parts("", "m")
        });
        let b = result_key(&KeyParts {
            answer: "a",
            problem: Some("bc"),
            ..parts("", "m")
        });
        assert_ne!(a, b);
    }
}
