//! An incremental Server-Sent Events decoder, byte-oriented and hand-written.
//!
//! OpenAI-compatible servers stream chat replies as SSE. Real servers differ
//! in the details: keep-alive comments (`: ping`), `event:` lines, CRLF line
//! ends, multi-line `data:`, and events cut across TCP reads at any byte. This
//! follows the WHATWG "event stream interpretation" rules so every server that
//! follows the spec decodes the same way, and it is sync so it can be tested
//! and benchmarked without a network.

use thiserror::Error;

use super::lines::{LineSplitter, LineTooLong, DEFAULT_MAX_LINE};

/// One dispatched event.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SseEvent {
    /// The `event:` field, when the server named the event type.
    pub event: Option<String>,
    /// All `data:` lines of the event joined with `\n`.
    pub data: String,
}

/// Why a byte stream is not a readable event stream.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum SseError {
    /// A single line exceeded the cap.
    #[error(transparent)]
    TooLong(#[from] LineTooLong),
    /// A line is not UTF-8, which the SSE format requires.
    #[error("event-stream line {line} is not valid UTF-8: {preview:?}")]
    InvalidUtf8 {
        /// 1-based line number.
        line: usize,
        /// The line, lossily decoded and shortened.
        preview: String,
    },
}

/// The decoder state carried between network reads.
#[derive(Debug, Clone)]
pub struct SseDecoder {
    lines: LineSplitter,
    data: String,
    has_data: bool,
    event: Option<String>,
    at_start: bool,
}

impl Default for SseDecoder {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_LINE)
    }
}

impl SseDecoder {
    /// A decoder whose lines may be at most `max_line` bytes.
    pub fn new(max_line: usize) -> Self {
        Self {
            lines: LineSplitter::new(max_line),
            data: String::new(),
            has_data: false,
            event: None,
            at_start: true,
        }
    }

    /// Feeds one network read; complete events are appended to `out`.
    pub fn feed(&mut self, chunk: &[u8], out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        let mut chunk = chunk;
        if self.at_start && !chunk.is_empty() {
            // A UTF-8 byte order mark may open the stream; it is not content.
            // Only a whole BOM in the first read is stripped, which is where
            // every server that sends one puts it.
            self.at_start = false;
            if let Some(rest) = chunk.strip_prefix(b"\xEF\xBB\xBF") {
                chunk = rest;
            }
        }
        let Self {
            lines,
            data,
            has_data,
            event,
            ..
        } = self;
        lines.feed(chunk, |line, no| {
            Self::on_line(data, has_data, event, line, no, out)
        })
    }

    /// Ends the input. Unlike a browser, an event still missing its closing
    /// blank line is dispatched: some servers close right after `data: [DONE]`.
    pub fn finish(&mut self, out: &mut Vec<SseEvent>) -> Result<(), SseError> {
        let Self {
            lines,
            data,
            has_data,
            event,
            ..
        } = self;
        lines.finish(|line, no| Self::on_line(data, has_data, event, line, no, out))?;
        Self::dispatch(data, has_data, event, out);
        Ok(())
    }

    fn on_line(
        data: &mut String,
        has_data: &mut bool,
        event: &mut Option<String>,
        line: &[u8],
        line_no: usize,
        out: &mut Vec<SseEvent>,
    ) -> Result<(), SseError> {
        if line.is_empty() {
            Self::dispatch(data, has_data, event, out);
            return Ok(());
        }
        if line[0] == b':' {
            return Ok(());
        }
        let line = std::str::from_utf8(line).map_err(|_| SseError::InvalidUtf8 {
            line: line_no,
            preview: preview(line),
        })?;
        let (field, value) = match line.find(':') {
            Some(i) => {
                let v = &line[i + 1..];
                (&line[..i], v.strip_prefix(' ').unwrap_or(v))
            }
            None => (line, ""),
        };
        match field {
            "data" => {
                if *has_data {
                    data.push('\n');
                }
                data.push_str(value);
                *has_data = true;
            }
            "event" => *event = Some(value.to_string()),
            // `id` and `retry` matter to browsers reconnecting; a chat reply
            // is never resumed, and unknown fields are ignored by the spec.
            _ => {}
        }
        Ok(())
    }

    fn dispatch(
        data: &mut String,
        has_data: &mut bool,
        event: &mut Option<String>,
        out: &mut Vec<SseEvent>,
    ) {
        if *has_data {
            out.push(SseEvent {
                event: event.take(),
                data: std::mem::take(data),
            });
        } else {
            event.take();
        }
        *has_data = false;
    }
}

fn preview(line: &[u8]) -> String {
    let text = String::from_utf8_lossy(&line[..line.len().min(200)]);
    text.into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::{Rng, SeedableRng};

    const STREAM: &[u8] = b"\xEF\xBB\xBF: ping\r\n\r\nevent: message\r\ndata: {\"a\":\"h\xC3\xA9llo \xF0\x9F\x98\x80\"}\r\n\r\n: keep-alive\n\ndata: line one\ndata: line two\n\ndata:no-space\rid: 7\rretry: 10\r\rdata\n\nevent: error\ndata: {\"error\":{\"message\":\"boom\"}}\n\ndata: [DONE]\n\n";

    fn expected() -> Vec<SseEvent> {
        vec![
            SseEvent {
                event: Some("message".into()),
                data: "{\"a\":\"héllo 😀\"}".into(),
            },
            SseEvent {
                event: None,
                data: "line one\nline two".into(),
            },
            SseEvent {
                event: None,
                data: "no-space".into(),
            },
            SseEvent {
                event: None,
                data: String::new(),
            },
            SseEvent {
                event: Some("error".into()),
                data: "{\"error\":{\"message\":\"boom\"}}".into(),
            },
            SseEvent {
                event: None,
                data: "[DONE]".into(),
            },
        ]
    }

    fn decode_in_pieces(pieces: &[&[u8]]) -> Vec<SseEvent> {
        let mut d = SseDecoder::default();
        let mut out = Vec::new();
        for p in pieces {
            d.feed(p, &mut out).expect("valid stream");
        }
        d.finish(&mut out).expect("valid stream");
        out
    }

    #[test]
    fn decodes_comments_crlf_multiline_and_event_names() {
        assert_eq!(decode_in_pieces(&[STREAM]), expected());
    }

    #[test]
    fn every_single_cut_position_gives_identical_events() {
        // The BOM is only stripped from a first read that holds it whole.
        for cut in 3..=STREAM.len() {
            let (a, b) = STREAM.split_at(cut);
            assert_eq!(decode_in_pieces(&[a, b]), expected(), "cut at byte {cut}");
        }
    }

    #[test]
    fn byte_at_a_time_gives_identical_events() {
        let mut pieces: Vec<&[u8]> = vec![&STREAM[..3]];
        pieces.extend(STREAM[3..].chunks(1));
        assert_eq!(decode_in_pieces(&pieces), expected());
    }

    #[test]
    fn random_cuts_with_fixed_seed_give_identical_events() {
        let mut rng = rand::rngs::StdRng::seed_from_u64(0x5eed);
        for _ in 0..500 {
            let mut pieces: Vec<&[u8]> = vec![&STREAM[..3]];
            let mut rest = &STREAM[3..];
            while !rest.is_empty() {
                let n = rng.random_range(1..=rest.len().min(17));
                let (a, b) = rest.split_at(n);
                pieces.push(a);
                rest = b;
            }
            assert_eq!(decode_in_pieces(&pieces), expected());
        }
    }

    #[test]
    fn last_event_without_blank_line_is_still_dispatched_at_end() {
        assert_eq!(
            decode_in_pieces(&[b"data: [DONE]"]),
            vec![SseEvent {
                event: None,
                data: "[DONE]".into()
            }]
        );
    }

    #[test]
    fn invalid_utf8_names_the_line() {
        let mut d = SseDecoder::default();
        let mut out = Vec::new();
        let err = d
            .feed(b"data: ok\n\ndata: \xFF\xFE\n\n", &mut out)
            .expect_err("not utf-8");
        assert!(
            matches!(err, SseError::InvalidUtf8 { line: 3, .. }),
            "{err:?}"
        );
        assert!(err.to_string().contains("line 3"));
        assert_eq!(out.len(), 1);
    }

    #[test]
    fn endless_line_hits_the_cap_instead_of_growing() {
        let mut d = SseDecoder::new(1024);
        let mut out = Vec::new();
        let junk = vec![b'x'; 600];
        d.feed(b"data: ", &mut out).expect("short");
        d.feed(&junk, &mut out).expect("under cap");
        let err = d.feed(&junk, &mut out).expect_err("over cap");
        assert!(matches!(err, SseError::TooLong(_)));
    }
}
