//! SSE decoder: no panic on any bytes, and the events do not depend on where
//! the network cut the stream (whole vs. pieces decode the same).
#![no_main]

use libfuzzer_sys::fuzz_target;
use mockround::backend::sse::{SseDecoder, SseError, SseEvent};

fn decode(pieces: &[&[u8]], max_line: usize) -> Result<Vec<SseEvent>, SseError> {
    let mut d = SseDecoder::new(max_line);
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
    // The BOM is only stripped when the first read holds it whole, so the
    // first cut comes after byte 3.
    let cut = (usize::from(data[1]) + 3).min(body.len());
    let whole = decode(&[body], max_line);
    let mut pieces: Vec<&[u8]> = vec![&body[..cut]];
    pieces.extend(body[cut..].chunks(1 + usize::from(data[1] % 7)));
    let split = decode(&pieces, max_line);
    match (&whole, &split) {
        (Ok(a), Ok(b)) => assert_eq!(a, b, "events depend on the read boundaries"),
        (Err(_), Err(_)) => {}
        _ => panic!("whole {whole:?} vs split {split:?} disagree on validity"),
    }
});
