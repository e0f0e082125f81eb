//! The REPL's history file, in the format rustyline wrote before (a `#V2`
//! line, then one entry a line with `\n` and `\` escaped), so the history of
//! earlier versions carries over.

use std::path::{Path, PathBuf};

/// Entries kept in the file.
const MAX_ENTRIES: usize = 1_000;
const HEADER: &str = "#V2";

/// The history file for the REPL.
pub fn history_path(data_dir: &Path) -> PathBuf {
    data_dir.join("history.txt")
}

/// Read the history; a missing or unreadable file is an empty history.
pub fn load(path: &Path) -> Vec<String> {
    let Ok(bytes) = std::fs::read(path) else {
        return Vec::new();
    };
    let text = String::from_utf8_lossy(&bytes);
    let mut lines = text.lines();
    let v2 = lines.clone().next() == Some(HEADER);
    if v2 {
        lines.next();
    }
    lines
        .filter(|l| !l.is_empty())
        .map(|l| if v2 { unescape(l) } else { l.to_string() })
        .collect()
}

/// Write the history (the newest `MAX_ENTRIES`).
pub fn save(path: &Path, entries: &[String]) -> std::io::Result<()> {
    let start = entries.len().saturating_sub(MAX_ENTRIES);
    let mut body = format!("{HEADER}\n");
    for e in &entries[start..] {
        body.push_str(&e.replace('\\', "\\\\").replace('\n', "\\n"));
        body.push('\n');
    }
    std::fs::write(path, body)
}

fn unescape(line: &str) -> String {
    let mut out = String::with_capacity(line.len());
    let mut chars = line.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            out.push(c);
            continue;
        }
        match chars.next() {
            Some('n') => out.push('\n'),
            Some(other) => out.push(other),
            None => out.push('\\'),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entries_round_trip_with_newlines_and_backslashes() {
        let dir = tempfile::tempdir().expect("tempdir");
        let p = history_path(dir.path());
        let entries = vec!["/time".to_string(), "a\\b\nsecond line".to_string()];
        save(&p, &entries).expect("save");
        assert_eq!(load(&p), entries);
        let raw = std::fs::read_to_string(&p).expect("read");
        assert!(raw.starts_with("#V2\n/time\n"), "{raw}");
    }
}
