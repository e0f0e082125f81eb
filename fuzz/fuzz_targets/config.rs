//! Config parser: any text gives a `ConfigFile` or an error whose line and
//! column lie inside the text.
#![no_main]

use std::path::Path;

use libfuzzer_sys::fuzz_target;
use mockround::config::{parse_file, ConfigError};

fuzz_target!(|text: &str| {
    if let Err(ConfigError::Parse { line, col, .. }) = parse_file(Path::new("fuzz.toml"), text) {
        assert!(line >= 1 && col >= 1);
        assert!(
            line <= text.lines().count().max(1) + 1,
            "line {line} past the end"
        );
    }
});
