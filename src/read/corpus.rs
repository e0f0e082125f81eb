//! The project's written answers, for tests that hold a reading to a
//! property over every text it has: the fixture answers and the three
//! calibration sets, each file whole (front matter included).

use std::path::PathBuf;

/// Every file of `tests/fixtures/answers` and the calibration sets, with
/// its path.
pub(crate) fn texts() -> Vec<(PathBuf, String)> {
    let root = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures");
    let mut out = Vec::new();
    for d in [
        "answers",
        "calibration/heldout",
        "calibration/tune",
        "calibration/tune2",
    ] {
        for f in std::fs::read_dir(format!("{root}/{d}"))
            .into_iter()
            .flatten()
            .flatten()
        {
            if let Ok(t) = std::fs::read_to_string(f.path()) {
                out.push((f.path(), t));
            }
        }
    }
    out
}
