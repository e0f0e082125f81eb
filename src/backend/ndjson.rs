//! An incremental newline-delimited JSON decoder.
//!
//! Ollama streams one JSON object per line. Lines arrive cut at arbitrary
//! byte positions, so the decoder keeps the unfinished tail between reads,
//! skips blank lines, and names the line when one is not JSON so a broken
//! server is diagnosable. It shares the capped line splitter with SSE.

use serde::de::DeserializeOwned;
use thiserror::Error;

use super::lines::{LineSplitter, LineTooLong};

/// Why a byte stream is not readable NDJSON.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum NdjsonError {
    /// A single line exceeded the cap.
    #[error(transparent)]
    TooLong(#[from] LineTooLong),
    /// A line is not a JSON value of the expected shape.
    #[error("line {line} of the stream is not the expected JSON ({reason}): {preview:?}")]
    Malformed {
        /// 1-based line number.
        line: usize,
        /// What serde said.
        reason: String,
        /// The line, lossily decoded and shortened.
        preview: String,
    },
}

/// The decoder state carried between network reads.
#[derive(Debug, Clone, Default)]
pub struct NdjsonDecoder {
    lines: LineSplitter,
}

impl NdjsonDecoder {
    /// A decoder whose lines may be at most `max_line` bytes
    /// (`Default` uses the shared 8 MiB cap).
    pub fn new(max_line: usize) -> Self {
        Self {
            lines: LineSplitter::new(max_line),
        }
    }

    /// Feeds one network read; each complete non-blank line is parsed as `T`
    /// and appended to `out`.
    pub fn feed<T: DeserializeOwned>(
        &mut self,
        chunk: &[u8],
        out: &mut Vec<T>,
    ) -> Result<(), NdjsonError> {
        self.lines.feed(chunk, |line, no| parse_line(line, no, out))
    }

    /// Ends the input; a last line without a newline still counts.
    pub fn finish<T: DeserializeOwned>(&mut self, out: &mut Vec<T>) -> Result<(), NdjsonError> {
        self.lines.finish(|line, no| parse_line(line, no, out))
    }
}

fn parse_line<T: DeserializeOwned>(
    line: &[u8],
    line_no: usize,
    out: &mut Vec<T>,
) -> Result<(), NdjsonError> {
    if line.iter().all(u8::is_ascii_whitespace) {
        return Ok(());
    }
    match serde_json::from_slice(line) {
        Ok(v) => {
            out.push(v);
            Ok(())
        }
        Err(e) => Err(NdjsonError::Malformed {
            line: line_no,
            reason: e.to_string(),
            preview: String::from_utf8_lossy(&line[..line.len().min(200)]).into_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};
    use serde_json::{json, Value};

    const STREAM: &[u8] = b"{\"message\":{\"content\":\"h\xC3\xA9\"},\"done\":false}\n\r\n{\"message\":{\"content\":\"\xF0\x9F\x98\x80 x\"},\"done\":false}\r\n\n  \n{\"done\":true,\"eval_count\":2}\r{\"tail\":1}";

    fn expected() -> Vec<Value> {
        vec![
            json!({"message":{"content":"hé"},"done":false}),
            json!({"message":{"content":"😀 x"},"done":false}),
            json!({"done":true,"eval_count":2}),
            json!({"tail":1}),
        ]
    }

    fn decode(pieces: &[&[u8]]) -> Vec<Value> {
        let mut d = NdjsonDecoder::default();
        let mut out = Vec::new();
        for p in pieces {
            d.feed(p, &mut out).expect("valid");
        }
        d.finish(&mut out).expect("valid");
        out
    }

    #[test]
    fn every_single_cut_position_gives_identical_values() {
        for cut in 0..=STREAM.len() {
            let (a, b) = STREAM.split_at(cut);
            assert_eq!(decode(&[a, b]), expected(), "cut at byte {cut}");
        }
        let bytes: Vec<&[u8]> = STREAM.chunks(1).collect();
        assert_eq!(decode(&bytes), expected());
    }

    #[test]
    fn random_cuts_with_fixed_seed_give_identical_values() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(42);
        for _ in 0..500 {
            let mut pieces = Vec::new();
            let mut rest = STREAM;
            while !rest.is_empty() {
                let n = rng.random_range(1..=rest.len().min(13));
                let (a, b) = rest.split_at(n);
                pieces.push(a);
                rest = b;
            }
            assert_eq!(decode(&pieces), expected());
        }
    }

    #[test]
    fn malformed_line_names_line_number_and_content() {
        let mut d = NdjsonDecoder::default();
        let mut out: Vec<Value> = Vec::new();
        let err = d
            .feed(b"{\"ok\":1}\nnot json at all\n", &mut out)
            .expect_err("malformed");
        let msg = err.to_string();
        assert!(msg.contains("line 2"), "{msg}");
        assert!(msg.contains("not json at all"), "{msg}");
        assert_eq!(out, vec![json!({"ok":1})]);
    }

    #[test]
    fn endless_line_hits_the_cap() {
        let mut d = NdjsonDecoder::new(64);
        let mut out: Vec<Value> = Vec::new();
        let err = d.feed(&[b'{'; 100], &mut out).expect_err("over cap");
        assert!(matches!(err, NdjsonError::TooLong(_)));
    }
}
