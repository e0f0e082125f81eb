//! Time for a round. The session never reads the system clock itself: it is
//! handed "now" as milliseconds since the round started, from a `Clock`. The
//! real clock backs the REPL; the manual clock lets tests move phases without
//! sleeping, and resume starts a real clock at the time already used.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::Instant;

use crate::rubric::Phase;

/// Milliseconds since the round started (round time, not wall time).
pub type Millis = u64;

/// A source of round time.
pub trait Clock: Send + Sync {
    /// Milliseconds of round time elapsed so far.
    fn now_ms(&self) -> Millis;
}

/// The real clock, optionally starting at an offset (time already used before a resume).
#[derive(Debug, Clone)]
pub struct SystemClock {
    started: Instant,
    offset: Millis,
}

impl SystemClock {
    /// A clock at zero now.
    pub fn new() -> Self {
        Self::starting_at(0)
    }

    /// A clock that reads `offset` now, so a resumed round keeps its time used.
    pub fn starting_at(offset: Millis) -> Self {
        Self {
            started: Instant::now(),
            offset,
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        Self::new()
    }
}

impl Clock for SystemClock {
    fn now_ms(&self) -> Millis {
        self.offset
            .saturating_add(u64::try_from(self.started.elapsed().as_millis()).unwrap_or(u64::MAX))
    }
}

/// A clock moved by hand; clones share the same time, so a test can keep one
/// handle and give another to the code under test.
#[derive(Debug, Clone, Default)]
pub struct ManualClock {
    now: Arc<AtomicU64>,
}

impl ManualClock {
    /// A manual clock at zero.
    pub fn new() -> Self {
        Self::default()
    }
    /// Move time forward.
    pub fn advance_ms(&self, ms: Millis) {
        self.now.fetch_add(ms, Ordering::SeqCst);
    }
    /// Move time forward by whole minutes.
    pub fn advance_minutes(&self, minutes: u64) {
        self.advance_ms(minutes * 60_000);
    }
    /// Set the time.
    pub fn set_ms(&self, ms: Millis) {
        self.now.store(ms, Ordering::SeqCst);
    }
}

impl Clock for ManualClock {
    fn now_ms(&self) -> Millis {
        self.now.load(Ordering::SeqCst)
    }
}

/// How the round is timed: real (5+15+15+15), fast (a fifth of that), or untimed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Pace {
    /// The seed's budgets: 50 minutes of phases in the 60-minute slot.
    Real,
    /// A quick drill: each phase a fifth of its real budget (10 minutes in all).
    Fast,
    /// No clock: phases move on when covered or on `/next`.
    Untimed,
}

impl Pace {
    /// The budget of a phase in milliseconds, `None` when untimed.
    pub fn budget_ms(self, phase: Phase) -> Option<Millis> {
        let real = u64::from(phase.budget_minutes()) * 60_000;
        match self {
            Pace::Real => Some(real),
            Pace::Fast => Some(real / 5),
            Pace::Untimed => None,
        }
    }

    /// The whole round's budget, `None` when untimed.
    pub fn round_budget_ms(self) -> Option<Millis> {
        Phase::ALL
            .iter()
            .map(|p| self.budget_ms(*p))
            .sum::<Option<Millis>>()
    }

    /// The id used on the command line and in journals.
    pub fn id(self) -> &'static str {
        match self {
            Pace::Real => "real",
            Pace::Fast => "fast",
            Pace::Untimed => "untimed",
        }
    }
}

/// `m:ss` for a status line; negative amounts (overtime) get a leading `-`.
pub fn format_mmss(ms: i64) -> String {
    let sign = if ms < 0 { "-" } else { "" };
    let secs = ms.unsigned_abs() / 1000;
    format!("{sign}{}:{:02}", secs / 60, secs % 60)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fast_pace_is_a_fifth_of_real() {
        // 5 + 15 + 15 + 15: the seed's 60-minute slot keeps 10 for intro and debrief.
        assert_eq!(Pace::Real.round_budget_ms(), Some(50 * 60_000));
        assert_eq!(Pace::Fast.round_budget_ms(), Some(10 * 60_000));
        assert_eq!(Pace::Fast.budget_ms(Phase::Clarify), Some(60_000));
        assert_eq!(Pace::Untimed.round_budget_ms(), None);
    }

    #[test]
    fn manual_clock_clones_share_time() {
        let a = ManualClock::new();
        let b = a.clone();
        a.advance_minutes(2);
        assert_eq!(b.now_ms(), 120_000);
    }

    #[test]
    fn resumed_system_clock_keeps_time_used() {
        assert!(SystemClock::starting_at(90_000).now_ms() >= 90_000);
    }

    #[test]
    fn formats_overtime_with_sign() {
        assert_eq!(format_mmss(125_000), "2:05");
        assert_eq!(format_mmss(-5_000), "-0:05");
    }
}
