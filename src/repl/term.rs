//! The candidate's terminal. Keys are read on a thread of their own from
//! the start of the round to its end, so text typed while the interviewer
//! speaks waits in order instead of being echoed into the reply or lost, and
//! a Ctrl-C is counted the moment it arrives (it stops a reply). The
//! terminal is put in a mode with no echo and no line buffering, but output
//! processing kept, so ordinary `\n` output still starts a new line.

use std::future::Future;
use std::io::{Read, Write};
use std::sync::{Arc, Mutex};

use tokio::sync::{mpsc, watch};

use super::keys::{Key, KeyDecoder};

/// Where output goes: the real streams, or a shared buffer for tests.
#[derive(Debug, Clone)]
pub enum Sink {
    Stdout,
    Stderr,
    Shared(Arc<Mutex<Vec<u8>>>),
}

impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        match self {
            Sink::Stdout => std::io::stdout().write(buf),
            Sink::Stderr => std::io::stderr().write(buf),
            Sink::Shared(b) => {
                b.lock()
                    .map_err(|_| std::io::Error::other("output buffer poisoned"))?
                    .extend_from_slice(buf);
                Ok(buf.len())
            }
        }
    }
    fn flush(&mut self) -> std::io::Result<()> {
        match self {
            Sink::Stdout => std::io::stdout().flush(),
            Sink::Stderr => std::io::stderr().flush(),
            Sink::Shared(_) => Ok(()),
        }
    }
}

/// Keys in, a screen width, and the terminal mode restored on drop.
pub struct Console {
    keys: mpsc::UnboundedReceiver<Vec<Key>>,
    interrupts: watch::Receiver<u64>,
    width: Option<usize>,
    /// Ctrl-C also arrives as SIGINT (the terminal could not be switched).
    sigint: bool,
    _mode: Option<TermMode>,
}

impl Console {
    /// The process's own terminal: stdin read on a thread, keys decoded.
    pub fn stdio() -> Console {
        let mode = TermMode::enter();
        let (tx, rx) = mpsc::unbounded_channel();
        let (itx, irx) = watch::channel(0u64);
        let spawned = std::thread::Builder::new()
            .name("mockround-keys".into())
            .spawn(move || read_keys(std::io::stdin().lock(), &tx, &itx));
        if spawned.is_err() {
            eprintln!("warning: cannot start the input reader; the round cannot take input");
        }
        Console {
            keys: rx,
            interrupts: irx,
            width: None,
            sigint: mode.is_none(),
            _mode: mode,
        }
    }

    /// A console fed by a test: keys from the channel, a fixed width.
    pub fn from_channel(
        keys: mpsc::UnboundedReceiver<Vec<Key>>,
        interrupts: watch::Receiver<u64>,
        width: usize,
    ) -> Console {
        Console {
            keys,
            interrupts,
            width: Some(width),
            sigint: false,
            _mode: None,
        }
    }

    /// The next batch of keys; `None` once input has ended.
    pub async fn next_keys(&mut self) -> Option<Vec<Key>> {
        self.keys.recv().await
    }

    /// Ctrl-C presses so far.
    pub fn interrupts(&self) -> u64 {
        *self.interrupts.borrow()
    }

    /// Completes on the first Ctrl-C after `seen` presses: it stops a reply.
    pub fn interrupted_after(&self, seen: u64) -> impl Future<Output = ()> + 'static {
        let mut rx = self.interrupts.clone();
        let sigint = self.sigint;
        async move {
            let key = async {
                if rx.wait_for(|n| *n > seen).await.is_err() {
                    std::future::pending::<()>().await;
                }
            };
            let signal = async {
                if !sigint || tokio::signal::ctrl_c().await.is_err() {
                    std::future::pending::<()>().await;
                }
            };
            tokio::select! {
                () = key => {}
                () = signal => {}
            }
        }
    }

    /// Columns of the screen (80 when unknown).
    pub fn width(&self) -> usize {
        self.width.unwrap_or_else(term_width).max(20)
    }
}

/// The reader thread's loop: bytes to keys, Ctrl-C counted before the keys
/// are queued (so a reply is stopped before its Ctrl-C can reach the answer).
fn read_keys(
    mut input: impl Read,
    tx: &mpsc::UnboundedSender<Vec<Key>>,
    interrupts: &watch::Sender<u64>,
) {
    let mut decoder = KeyDecoder::new();
    let mut buf = [0u8; 8192];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(_) => break,
        };
        let mut keys = Vec::new();
        decoder.feed(&buf[..n], &mut keys);
        decoder.end_of_read();
        interrupts.send_if_modified(|c| {
            let changed = *c != decoder.interrupts();
            *c = decoder.interrupts();
            changed
        });
        if tx.send(keys).is_err() {
            return;
        }
    }
    let mut keys = Vec::new();
    decoder.finish(&mut keys);
    if !keys.is_empty() {
        let _ = tx.send(keys);
    }
}

#[cfg(unix)]
pub(crate) fn term_width() -> usize {
    rustix::termios::tcgetwinsize(std::io::stdout())
        .ok()
        .map(|w| usize::from(w.ws_col))
        .filter(|w| *w > 0)
        .unwrap_or(80)
}

#[cfg(not(unix))]
pub(crate) fn term_width() -> usize {
    80
}

/// The terminal switched to key-at-a-time input without echo, with
/// bracketed paste on; the original settings come back on drop.
struct TermMode {
    #[cfg(unix)]
    saved: rustix::termios::Termios,
}

#[cfg(unix)]
impl TermMode {
    fn enter() -> Option<TermMode> {
        use rustix::termios::{
            isatty, tcgetattr, tcsetattr, InputModes, LocalModes, OptionalActions, SpecialCodeIndex,
        };
        let stdin = std::io::stdin();
        if !isatty(&stdin) {
            return None;
        }
        let saved = tcgetattr(&stdin).ok()?;
        let mut raw = saved.clone();
        raw.local_modes
            .remove(LocalModes::ICANON | LocalModes::ECHO | LocalModes::ISIG | LocalModes::IEXTEN);
        raw.input_modes.remove(InputModes::ICRNL | InputModes::IXON);
        raw.special_codes[SpecialCodeIndex::VMIN] = 1;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        // `Now`, not `Flush`: input typed before this point is kept.
        tcsetattr(&stdin, OptionalActions::Now, &raw).ok()?;
        let mut out = std::io::stdout();
        let _ = out.write_all(b"\x1b[?2004h");
        let _ = out.flush();
        Some(TermMode { saved })
    }
}

#[cfg(unix)]
impl Drop for TermMode {
    fn drop(&mut self) {
        let mut out = std::io::stdout();
        let _ = out.write_all(b"\x1b[?2004l");
        let _ = out.flush();
        let _ = rustix::termios::tcsetattr(
            std::io::stdin(),
            rustix::termios::OptionalActions::Now,
            &self.saved,
        );
    }
}

#[cfg(not(unix))]
impl TermMode {
    fn enter() -> Option<TermMode> {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reader_counts_interrupts_before_queueing_keys_and_ends_cleanly() {
        let (tx, mut rx) = mpsc::unbounded_channel();
        let (itx, irx) = watch::channel(0);
        read_keys(&b"ab\x03c\xc3"[..], &tx, &itx);
        assert_eq!(*irx.borrow(), 1);
        let mut all = Vec::new();
        while let Ok(k) = rx.try_recv() {
            all.extend(k);
        }
        assert_eq!(
            all,
            vec![
                Key::Char('a'),
                Key::Char('b'),
                Key::Interrupt(1),
                Key::Char('c'),
                Key::Invalid
            ]
        );
    }
}
