//! The batch answer reader: any JSONL bytes give one item (an answer or an
//! error naming `name:line`) per non-blank line, never a panic; the text
//! checks and front-matter split accept any bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mockround::grade::input::{check_text, split_front_matter, Inputs};

fuzz_target!(|data: &[u8]| {
    let reader = Box::new(std::io::Cursor::new(data.to_vec()));
    let items: Vec<_> = Inputs::from_jsonl_reader("fuzz.jsonl", reader).collect();
    let lines = data
        .split(|&b| b == b'\n')
        .filter(|l| !l.iter().all(u8::is_ascii_whitespace))
        .count();
    assert!(
        items.len() <= lines.max(1),
        "{} items from {lines} lines",
        items.len()
    );
    for e in items.iter().filter_map(|i| i.as_ref().err()) {
        assert!(
            e.source.contains("fuzz.jsonl"),
            "error does not name the input: {e:?}"
        );
    }
    if let Ok(text) = check_text(data, 4096) {
        let _ = split_front_matter(text);
    }
});
