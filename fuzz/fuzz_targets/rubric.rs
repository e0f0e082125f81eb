//! Rubric loader: a user problem file (or a replaced core file) with any
//! content loads or gives errors, never a panic or a hang.
#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use mockround::rubric::{validate_path, Rubric};

const NAMES: [&str; 6] = [
    "problems/fuzz.toml",
    "concepts.toml",
    "signals.toml",
    "framework.toml",
    "levels.toml",
    "components.toml",
];

fn dir() -> &'static tempfile::TempDir {
    static DIR: OnceLock<tempfile::TempDir> = OnceLock::new();
    DIR.get_or_init(|| tempfile::tempdir().expect("temp dir for the fuzzer"))
}

fuzz_target!(|data: &[u8]| {
    let Some((&which, body)) = data.split_first() else {
        return;
    };
    let root = dir().path();
    for n in NAMES {
        let _ = std::fs::remove_file(root.join(n));
    }
    std::fs::create_dir_all(root.join("problems")).expect("problems dir");
    let name = NAMES[usize::from(which) % NAMES.len()];
    let path = root.join(name);
    std::fs::write(&path, body).expect("write fuzz input");
    let loaded = Rubric::load_dir(root);
    let errors = validate_path(root);
    assert_eq!(
        loaded.is_ok(),
        errors.is_empty(),
        "load_dir and validate disagree"
    );
});
