//! Token counting (tiktoken-rs: `cl100k_base`, or `o200k_base` for the models
//! that use it) and context budgeting for the interviewer's conversation.
//!
//! Two goals pull against each other: a request must never exceed the model's
//! window (8k for small local models), and local servers (Ollama, llama.cpp)
//! only reuse their cached prefix when each request extends the previous one
//! byte for byte. So history is append-only, and when it no longer fits it is
//! trimmed in one large step: the oldest turns (at least half the budget) are
//! replaced by a summary that keeps the rubric state. Between trims every
//! request is the previous request plus new turns.

use serde::Serialize;
use tiktoken_rs::CoreBPE;

use crate::backend::{ChatMessage, ChatRequest, Role};

/// Reply tokens reserved in every request.
pub const REPLY_RESERVE: usize = 400;
/// Which BPE encoding a model uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    O200kBase,
    Cl100kBase,
}

impl Encoding {
    /// The encoding for a model name. Unknown and local models get cl100k,
    /// the closest widely used tokenizer (an estimate, said so in output).
    pub fn for_model(model: &str) -> Encoding {
        let m = model.to_ascii_lowercase();
        let m = m.rsplit('/').next().unwrap_or(&m);
        let o200k = m.starts_with("gpt-4o")
            || m.starts_with("gpt-4.1")
            || m.starts_with("gpt-4.5")
            || m.starts_with("gpt-5")
            || m.starts_with("chatgpt-4o")
            || (m.starts_with('o') && m[1..].starts_with(|c: char| c.is_ascii_digit()));
        if o200k {
            Encoding::O200kBase
        } else {
            Encoding::Cl100kBase
        }
    }

    /// The encoding's name as tiktoken spells it.
    pub fn name(self) -> &'static str {
        match self {
            Encoding::O200kBase => "o200k_base",
            Encoding::Cl100kBase => "cl100k_base",
        }
    }

    fn bpe(self) -> &'static CoreBPE {
        match self {
            Encoding::O200kBase => tiktoken_rs::o200k_base_singleton(),
            Encoding::Cl100kBase => tiktoken_rs::cl100k_base_singleton(),
        }
    }
}

/// Tokens in a piece of text, in the given encoding.
pub fn count_text(encoding: Encoding, text: &str) -> u64 {
    encoding.bpe().encode_with_special_tokens(text).len() as u64
}

/// Prompt tokens of a chat request: each message costs its content plus 3
/// tokens of framing (role and separators), and every reply is primed with
/// 3 more — the accounting in OpenAI's token-counting guide.
pub fn count_request(encoding: Encoding, req: &ChatRequest) -> u64 {
    let per_message = 3 + 1; // framing + the role name, one token for every role
    req.messages
        .iter()
        .map(|m| per_message + count_text(encoding, &m.content))
        .sum::<u64>()
        + 3
}

/// Share of the window kept free for chat-template overhead and tokenizer
/// differences (local models do not use `cl100k_base`).
pub const SAFETY_PERCENT: usize = 15;
/// The window assumed when a profile does not set `context_tokens`.
pub const DEFAULT_WINDOW: usize = 8192;

/// Tokens in `text` for history budgeting (`cl100k_base`, the shared
/// tiktoken instance also used by `grade --dry-run`).
pub fn count_tokens(text: &str) -> usize {
    Encoding::Cl100kBase.bpe().encode_ordinary(text).len()
}

/// Builds the history-budgeting BPE on a background thread. A model round
/// needs it for its first request, after the candidate's first answer; built
/// here it is ready by then instead of delaying the opening by ~100 ms. A
/// caller that needs it earlier waits for this build rather than starting a
/// second one. Never called for the offline backend, which counts nothing.
pub fn warm_up_in_background() {
    // If no thread can be started, the first request builds it instead.
    let _ = std::thread::Builder::new()
        .name("bpe-warm-up".into())
        .spawn(|| {
            Encoding::Cl100kBase.bpe();
        });
}

/// Tokens of a chat message, including a small per-message overhead.
pub fn message_tokens(m: &ChatMessage) -> usize {
    count_tokens(&m.content) + 4
}

/// How many prompt tokens a request may use.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Budget {
    /// The model's context window.
    pub window: usize,
    /// Tokens kept for the reply.
    pub reserve: usize,
}

impl Budget {
    /// A budget for a window, with the default reply reserve.
    pub fn for_window(window: usize) -> Budget {
        Budget {
            window: window.max(1024),
            reserve: REPLY_RESERVE,
        }
    }

    /// Prompt tokens allowed.
    pub fn prompt_limit(&self) -> usize {
        (self.window * (100 - SAFETY_PERCENT) / 100).saturating_sub(self.reserve)
    }
}

#[derive(Debug, Clone)]
struct Counted {
    msg: ChatMessage,
    tokens: usize,
}

/// The conversation as the model sees it: a fixed system message, an
/// optional summary of trimmed turns, and the kept turns.
///
/// Tokens are counted only when a request is built: the offline interviewer
/// replays and records turns here too, and must never pay for building the
/// BPE (about 100 ms and 25 MB) it has no use for.
#[derive(Debug, Clone)]
pub struct History {
    system: ChatMessage,
    /// The system message's tokens, once counted.
    system_tokens: Option<usize>,
    /// Turns whose tokens are known (cut to the per-message cap when needed).
    turns: Vec<Counted>,
    /// Turns pushed since the last request, not yet counted.
    uncounted: Vec<ChatMessage>,
    keep_from: usize,
    summary: Option<Counted>,
    trims: u32,
}

impl History {
    /// A history with this system message, which never changes afterwards.
    pub fn new(system: impl Into<String>) -> History {
        History {
            system: ChatMessage::system(system),
            system_tokens: None,
            turns: Vec::new(),
            uncounted: Vec::new(),
            keep_from: 0,
            summary: None,
            trims: 0,
        }
    }

    /// Append a turn. When it is counted, a single message larger than a
    /// third of the budget is cut (keeping its start and end) so one huge
    /// paste cannot starve the rest.
    pub fn push(&mut self, msg: ChatMessage, _budget: &Budget) {
        self.uncounted.push(msg);
    }

    /// Count the turns pushed since the last request, cutting any that is
    /// over the per-message cap.
    fn settle(&mut self, budget: &Budget) {
        if self.system_tokens.is_none() {
            self.system_tokens = Some(message_tokens(&self.system));
        }
        let cap = budget.prompt_limit() / 3;
        for mut msg in std::mem::take(&mut self.uncounted) {
            let mut tokens = message_tokens(&msg);
            if tokens > cap && cap > 0 {
                msg.content = cut_middle(&msg.content, msg.content.len() * cap / tokens);
                tokens = message_tokens(&msg);
            }
            self.turns.push(Counted { msg, tokens });
        }
    }

    /// Number of times the history was trimmed (each a documented prefix break).
    pub fn trims(&self) -> u32 {
        self.trims
    }

    /// All turns ever pushed (the full transcript, untrimmed).
    pub fn len(&self) -> usize {
        self.turns.len() + self.uncounted.len()
    }

    /// True before any turn.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    fn kept_tokens(&self) -> usize {
        self.system_tokens.unwrap_or(0)
            + self.summary.as_ref().map_or(0, |s| s.tokens)
            + self.turns[self.keep_from..]
                .iter()
                .map(|c| c.tokens)
                .sum::<usize>()
    }

    /// The messages for the next request, trimming first if they would not
    /// fit. `summarise` gets the turns being dropped (all turns before the new
    /// cut) and returns the summary that replaces them; it should restate the
    /// rubric state (facts revealed, components named, failures probed).
    pub fn request_messages(
        &mut self,
        budget: &Budget,
        summarise: impl FnOnce(&[ChatMessage]) -> String,
    ) -> Vec<ChatMessage> {
        self.settle(budget);
        let limit = budget.prompt_limit();
        if self.kept_tokens() > limit {
            self.trim(limit, summarise);
        }
        let mut out = Vec::with_capacity(self.turns.len() - self.keep_from + 2);
        out.push(self.system.clone());
        if let Some(s) = &self.summary {
            out.push(s.msg.clone());
        }
        out.extend(self.turns[self.keep_from..].iter().map(|c| c.msg.clone()));
        out
    }

    fn trim(&mut self, limit: usize, summarise: impl FnOnce(&[ChatMessage]) -> String) {
        // Large step: after the trim the kept turns use at most half the room.
        let summary_cap = limit / 6;
        let room = limit.saturating_sub(self.system_tokens.unwrap_or(0) + summary_cap) / 2;
        let mut kept: usize = self.turns[self.keep_from..].iter().map(|c| c.tokens).sum();
        let mut cut = self.keep_from;
        let last = self.turns.len().saturating_sub(1);
        while cut < last && kept > room {
            kept -= self.turns[cut].tokens;
            cut += 1;
        }
        // Start the kept part on a user turn so roles keep alternating.
        while cut < last && self.turns[cut].msg.role != Role::User {
            cut += 1;
        }
        self.keep_from = cut;
        let dropped: Vec<ChatMessage> = self.turns[..cut].iter().map(|c| c.msg.clone()).collect();
        let mut text = summarise(&dropped);
        let tokens = count_tokens(&text);
        if tokens > summary_cap && tokens > 0 {
            text = cut_middle(&text, text.len() * summary_cap / tokens);
        }
        let msg = ChatMessage::user(format!(
            "[summary of the earlier part of the round]\n{text}"
        ));
        self.summary = Some(Counted {
            tokens: message_tokens(&msg),
            msg,
        });
        self.trims += 1;
    }
}

/// Keep about `max_bytes` of `text`: its start and its end, with a marker.
pub fn cut_middle(text: &str, max_bytes: usize) -> String {
    if text.len() <= max_bytes {
        return text.to_string();
    }
    let half = max_bytes / 2;
    let mut head_end = half.min(text.len());
    while !text.is_char_boundary(head_end) {
        head_end -= 1;
    }
    let mut tail_start = text.len().saturating_sub(half);
    while !text.is_char_boundary(tail_start) {
        tail_start += 1;
    }
    format!(
        "{}\n[… trimmed …]\n{}",
        &text[..head_end],
        &text[tail_start..]
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_real_tokens() {
        let n = count_tokens("Kafka with 100 partitions on user_id");
        assert!((5..20).contains(&n), "{n}");
    }

    #[test]
    fn history_extends_prefix_until_a_trim() {
        let budget = Budget::for_window(2048);
        let mut h = History::new("system");
        let mut prev: Vec<ChatMessage> = Vec::new();
        let mut breaks = 0;
        for i in 0..200 {
            h.push(
                ChatMessage::user(format!(
                    "candidate turn {i} about Kafka and Flink partitions"
                )),
                &budget,
            );
            let msgs = h.request_messages(&budget, |d| format!("{} turns dropped", d.len()));
            let total: usize = msgs.iter().map(message_tokens).sum();
            assert!(total <= budget.prompt_limit(), "turn {i}: {total}");
            if !prev.is_empty() && !msgs.starts_with(&prev) {
                breaks += 1;
            }
            h.push(
                ChatMessage::assistant(format!("interviewer reply {i}")),
                &budget,
            );
            prev = msgs;
            prev.push(ChatMessage::assistant(format!("interviewer reply {i}")));
        }
        assert_eq!(breaks, h.trims());
        assert!(h.trims() >= 1 && h.trims() < 20, "trims {}", h.trims());
    }

    #[test]
    fn history_counts_no_tokens_until_a_request_is_built() {
        let budget = Budget::for_window(2048);
        let mut h = History::new("system");
        h.push(ChatMessage::user("What is the scale?"), &budget);
        h.push(ChatMessage::assistant("200K events/sec."), &budget);
        assert_eq!(h.len(), 2);
        assert!(h.system_tokens.is_none() && h.turns.is_empty());
        let msgs = h.request_messages(&budget, |_| String::new());
        assert_eq!(msgs.len(), 3);
        assert!(h.system_tokens.is_some_and(|t| t > 0));
        assert_eq!(h.turns.len(), 2);
    }

    #[test]
    fn a_huge_turn_is_cut_when_it_is_counted() {
        let budget = Budget::for_window(2048);
        let mut h = History::new("system");
        h.push(ChatMessage::user("Kafka partitions ".repeat(3000)), &budget);
        let msgs = h.request_messages(&budget, |_| String::new());
        assert!(msgs[1].content.contains("[… trimmed …]"));
        // The cut is by bytes in proportion to tokens, so it lands near the cap.
        let (got, cap) = (message_tokens(&msgs[1]), budget.prompt_limit() / 3);
        assert!(got <= cap * 5 / 4, "{got} tokens against a cap of {cap}");
    }

    #[test]
    fn cut_middle_respects_char_boundaries() {
        let s = "é".repeat(100);
        let c = cut_middle(&s, 51);
        assert!(c.contains("trimmed"));
    }
}
