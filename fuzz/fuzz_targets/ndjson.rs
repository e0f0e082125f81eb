//! NDJSON decoder: no panic on any bytes, and the values do not depend on
//! where the network cut the stream.
#![no_main]

use libfuzzer_sys::fuzz_target;
use mockround::backend::ndjson::{NdjsonDecoder, NdjsonError};
use serde_json::Value;

fn decode(pieces: &[&[u8]], max_line: usize) -> Result<Vec<Value>, NdjsonError> {
    let mut d = NdjsonDecoder::new(max_line);
    let mut out = Vec::new();
    for p in pieces {
        d.feed(p, &mut out)?;
    }
    d.finish(&mut out)?;
    Ok(out)
}

fuzz_target!(|data: &[u8]| {
    if data.len() < 2 {
        return;
    }
    let max_line = 16 + usize::from(data[0]) * 4;
    let body = &data[2..];
    let whole = decode(&[body], max_line);
    let pieces: Vec<&[u8]> = body.chunks(1 + usize::from(data[1] % 11)).collect();
    let split = decode(&pieces, max_line);
    match (&whole, &split) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "values depend on the read boundaries"),
        (Err(_), Err(_)) => {}
        _ => panic!("whole {whole:?} vs split {split:?} disagree on validity"),
    }
});
