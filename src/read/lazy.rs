//! Anchored searches on a forward lazy DFA. The scorer knows where a match
//! must start (a prefix literal, a digit), so it only needs the end: one
//! forward DFA walk, without the meta regex's reverse search and per-call
//! setup. Caches are pooled per searcher and taken once per text.

use std::sync::Mutex;

use regex_automata::hybrid::dfa::{Cache, DFA};
use regex_automata::nfa::thompson;
use regex_automata::util::syntax;
use regex_automata::{Anchored, Input, MatchKind, PatternID};

/// One or more regexes compiled into a forward lazy DFA, each searchable
/// anchored at a given start.
#[derive(Debug)]
pub(crate) struct AnchoredDfa {
    dfa: DFA,
    caches: Mutex<Vec<Cache>>,
}

impl Clone for AnchoredDfa {
    fn clone(&self) -> Self {
        AnchoredDfa {
            dfa: self.dfa.clone(),
            caches: Mutex::new(Vec::new()),
        }
    }
}

impl AnchoredDfa {
    /// Leftmost-first semantics, like the meta regexes these stand in for;
    /// `None` when the patterns do not fit a lazy DFA.
    pub(crate) fn new<P: AsRef<str>>(
        patterns: &[P],
        syntax: syntax::Config,
        nfa_size_limit: usize,
    ) -> Option<Self> {
        let dfa = DFA::builder()
            .configure(
                DFA::config()
                    .match_kind(MatchKind::LeftmostFirst)
                    .starts_for_each_pattern(patterns.len() > 1),
            )
            .syntax(syntax)
            .thompson(
                thompson::Config::new()
                    .utf8(false)
                    .nfa_size_limit(Some(nfa_size_limit)),
            )
            .build_many(patterns)
            .ok()?;
        Some(AnchoredDfa {
            dfa,
            caches: Mutex::new(Vec::new()),
        })
    }

    /// A cache for a run of searches; it goes back to the pool on drop.
    pub(crate) fn session(&self) -> Session<'_> {
        let cache = self
            .caches
            .lock()
            .ok()
            .and_then(|mut v| v.pop())
            .unwrap_or_else(|| self.dfa.create_cache());
        Session {
            owner: self,
            cache: Some(cache),
        }
    }
}

/// Searches sharing one cache.
pub(crate) struct Session<'a> {
    owner: &'a AnchoredDfa,
    cache: Option<Cache>,
}

impl Session<'_> {
    /// End of the leftmost-first match of `pattern` (of all patterns when
    /// `None`) that starts exactly at `start`. `Err` when the lazy DFA gives
    /// up; the caller then asks its meta regex.
    pub(crate) fn end_at(
        &mut self,
        haystack: &[u8],
        start: usize,
        pattern: Option<usize>,
    ) -> Result<Option<usize>, ()> {
        self.match_at(haystack, start, pattern)
            .map(|m| m.map(|(end, _)| end))
    }

    /// [`end_at`](Self::end_at) with the pattern that matched: of all
    /// patterns, the first (in order) whose match starts at `start`.
    pub(crate) fn match_at(
        &mut self,
        haystack: &[u8],
        start: usize,
        pattern: Option<usize>,
    ) -> Result<Option<(usize, usize)>, ()> {
        let Some(cache) = self.cache.as_mut() else {
            return Err(());
        };
        let anchored = match pattern {
            Some(p) => Anchored::Pattern(PatternID::new(p).map_err(|_| ())?),
            None => Anchored::Yes,
        };
        let input = Input::new(haystack).range(start..).anchored(anchored);
        self.owner
            .dfa
            .try_search_fwd(cache, &input)
            .map(|m| m.map(|m| (m.offset(), m.pattern().as_usize())))
            .map_err(|_| ())
    }
}

impl Drop for Session<'_> {
    fn drop(&mut self) {
        if let (Some(c), Ok(mut pool)) = (self.cache.take(), self.owner.caches.lock()) {
            pool.push(c);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn cfg() -> syntax::Config {
        syntax::Config::new()
            .case_insensitive(true)
            .unicode(false)
            .utf8(false)
    }

    #[test]
    fn finds_the_leftmost_first_end_at_the_given_start() {
        let d = AnchoredDfa::new(&[r"\d+\s*ms\b", r"p9|p99"], cfg(), 1 << 20).expect("builds");
        let mut s = d.session();
        let t = b"at 250 ms, P99 then 7msx";
        assert_eq!(s.end_at(t, 3, Some(0)), Ok(Some(9)));
        // Not at a start the pattern can match from, nor across a word.
        assert_eq!(s.end_at(t, 2, Some(0)), Ok(None));
        assert_eq!(s.end_at(t, 20, Some(0)), Ok(None));
        // Leftmost-first: the first alternative wins even when shorter.
        assert_eq!(s.end_at(t, 11, Some(1)), Ok(Some(13)));
        assert_eq!(s.end_at(t, 11, None), Ok(Some(13)));
    }

    #[test]
    fn word_boundaries_see_the_byte_before_the_start() {
        let d = AnchoredDfa::new(&[r"\bkey\b"], cfg(), 1 << 20).expect("builds");
        let mut s = d.session();
        assert_eq!(s.end_at(b"a key", 2, None), Ok(Some(5)));
        assert_eq!(s.end_at(b"akey", 1, None), Ok(None));
        drop(s);
        // The cache went back to the pool and is reused.
        assert_eq!(d.caches.lock().map(|v| v.len()).unwrap_or(0), 1);
        let _again = d.session();
        assert_eq!(d.caches.lock().map(|v| v.len()).unwrap_or(9), 0);
    }
}
