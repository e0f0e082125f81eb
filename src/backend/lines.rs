//! Incremental line splitting shared by the SSE and NDJSON decoders.
//!
//! Network reads cut a reply at arbitrary byte positions: in the middle of a
//! line, between the `\r` and `\n` of a CRLF, or inside a multi-byte UTF-8
//! character. The splitter keeps the unfinished tail between reads so the
//! decoders above it only ever see whole lines, and it caps the length of one
//! line so a hostile or broken server cannot grow memory without bound.

use thiserror::Error;

/// The default cap on one line: far above any real chat chunk, far below
/// what would hurt the machine.
pub const DEFAULT_MAX_LINE: usize = 8 * 1024 * 1024;

/// A line grew past the cap before its terminator arrived.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
#[error("line {line} is longer than {limit} bytes without a line break; the server is not sending a line-based stream")]
pub struct LineTooLong {
    /// 1-based number of the offending line.
    pub line: usize,
    /// The cap that was exceeded.
    pub limit: usize,
}

/// Splits a byte stream into lines ended by `\n`, `\r\n` or a lone `\r`
/// (the three terminators the SSE specification allows).
#[derive(Debug, Clone)]
pub struct LineSplitter {
    buf: Vec<u8>,
    /// The previous chunk ended in `\r`: a `\n` starting the next chunk
    /// belongs to that terminator, not to a new empty line.
    skip_lf: bool,
    max_line: usize,
    lines_seen: usize,
}

impl Default for LineSplitter {
    fn default() -> Self {
        Self::new(DEFAULT_MAX_LINE)
    }
}

impl LineSplitter {
    /// A splitter that rejects lines longer than `max_line` bytes.
    pub fn new(max_line: usize) -> Self {
        Self {
            buf: Vec::new(),
            skip_lf: false,
            max_line,
            lines_seen: 0,
        }
    }

    /// Number of complete lines handed out so far; decoders use it to name
    /// the line in their errors.
    pub fn lines_seen(&self) -> usize {
        self.lines_seen
    }

    /// Feeds one chunk and calls `on_line` for every line it completes,
    /// without the terminator.
    pub fn feed<E: From<LineTooLong>>(
        &mut self,
        chunk: &[u8],
        mut on_line: impl FnMut(&[u8], usize) -> Result<(), E>,
    ) -> Result<(), E> {
        let mut rest = chunk;
        if self.skip_lf && !rest.is_empty() {
            self.skip_lf = false;
            if rest[0] == b'\n' {
                rest = &rest[1..];
            }
        }
        while let Some(i) = memchr::memchr2(b'\n', b'\r', rest) {
            let terminator = rest[i];
            self.lines_seen += 1;
            let line_no = self.lines_seen;
            if self.buf.is_empty() {
                self.check_len(i, line_no)?;
                on_line(&rest[..i], line_no)?;
            } else {
                self.check_len(self.buf.len() + i, line_no)?;
                self.buf.extend_from_slice(&rest[..i]);
                let line = std::mem::take(&mut self.buf);
                let result = on_line(&line, line_no);
                self.buf = line;
                self.buf.clear();
                result?;
            }
            rest = &rest[i + 1..];
            if terminator == b'\r' {
                match rest.first() {
                    Some(b'\n') => rest = &rest[1..],
                    Some(_) => {}
                    None => self.skip_lf = true,
                }
            }
        }
        if !rest.is_empty() {
            self.check_len(self.buf.len() + rest.len(), self.lines_seen + 1)?;
            self.buf.extend_from_slice(rest);
        }
        Ok(())
    }

    /// Ends the input: an unterminated last line is handed out as a line.
    pub fn finish<E: From<LineTooLong>>(
        &mut self,
        mut on_line: impl FnMut(&[u8], usize) -> Result<(), E>,
    ) -> Result<(), E> {
        self.skip_lf = false;
        if self.buf.is_empty() {
            return Ok(());
        }
        self.lines_seen += 1;
        let line = std::mem::take(&mut self.buf);
        on_line(&line, self.lines_seen)
    }

    fn check_len(&self, len: usize, line: usize) -> Result<(), LineTooLong> {
        if len > self.max_line {
            Err(LineTooLong {
                line,
                limit: self.max_line,
            })
        } else {
            Ok(())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split_all(chunks: &[&[u8]]) -> Vec<Vec<u8>> {
        let mut s = LineSplitter::default();
        let mut out = Vec::new();
        for c in chunks {
            s.feed::<LineTooLong>(c, |l, _| {
                out.push(l.to_vec());
                Ok(())
            })
            .expect("no cap hit");
        }
        s.finish::<LineTooLong>(|l, _| {
            out.push(l.to_vec());
            Ok(())
        })
        .expect("no cap hit");
        out
    }

    #[test]
    fn crlf_split_between_cr_and_lf_is_one_terminator() {
        let got = split_all(&[b"a\r", b"\nb\r", b"\r\n", b"c"]);
        assert_eq!(
            got,
            vec![b"a".to_vec(), b"b".to_vec(), b"".to_vec(), b"c".to_vec()]
        );
    }

    #[test]
    fn lone_cr_and_lf_end_lines() {
        let got = split_all(&[b"a\rb\nc\r\nd\n"]);
        assert_eq!(
            got,
            vec![b"a".to_vec(), b"b".to_vec(), b"c".to_vec(), b"d".to_vec()]
        );
    }

    #[test]
    fn line_over_cap_is_rejected_even_when_it_arrives_in_pieces() {
        let mut s = LineSplitter::new(8);
        let mut sink = |_: &[u8], _| Ok::<(), LineTooLong>(());
        s.feed(b"12345", &mut sink).expect("under cap");
        let err = s.feed(b"67890", &mut sink).expect_err("over cap");
        assert_eq!(err, LineTooLong { line: 1, limit: 8 });
    }
}
