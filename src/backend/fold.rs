//! Folding system messages into user turns, for chat templates that have no
//! system role.
//!
//! Gemma's chat template has no system turn, and llama-cpp-python's
//! `--chat_format gemma` drops system messages without a word (seen here:
//! the interviewer persona and the judge's instructions never reached the
//! model). Google's own template puts the system text at the start of the
//! first user turn; this does the same on the client, so it works whatever
//! the server does. The result is deterministic and extends the same prefix
//! turn after turn, so servers can still reuse their prompt cache.

use super::{ChatMessage, Role};

/// How system messages are sent, from the profile's `system_role`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SystemRole {
    /// As `role: system` (what every OpenAI-compatible API expects).
    Native,
    /// Prepended to the next user message, separated by a blank line.
    Fold,
}

impl SystemRole {
    /// `auto` (the default) folds for models whose template has no system
    /// role (Gemma) on OpenAI-compatible servers, and sends them natively
    /// otherwise; `native` and `fold` force one or the other.
    pub fn resolve(setting: Option<&str>, model: &str) -> Result<Self, String> {
        match setting.unwrap_or("auto") {
            "native" => Ok(Self::Native),
            "fold" => Ok(Self::Fold),
            "auto" if model.to_ascii_lowercase().contains("gemma") => Ok(Self::Fold),
            "auto" => Ok(Self::Native),
            other => Err(format!(
                "system_role `{other}` is not one of auto, native, fold"
            )),
        }
    }
}

/// `messages` with each system message merged into the start of the user
/// message after it (a system message with no user message after it is sent
/// as a user message). Nothing else changes.
pub fn fold_system(messages: &[ChatMessage]) -> Vec<ChatMessage> {
    let mut out: Vec<ChatMessage> = Vec::with_capacity(messages.len());
    let mut pending = String::new();
    for m in messages {
        match m.role {
            Role::System => {
                if !pending.is_empty() {
                    pending.push_str("\n\n");
                }
                pending.push_str(&m.content);
            }
            Role::User if !pending.is_empty() => {
                let mut content = std::mem::take(&mut pending);
                content.push_str("\n\n");
                content.push_str(&m.content);
                out.push(ChatMessage::user(content));
            }
            _ => out.push(m.clone()),
        }
    }
    if !pending.is_empty() {
        out.push(ChatMessage::user(pending));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn system_text_opens_the_first_user_turn() {
        let folded = fold_system(&[
            ChatMessage::system("You are the interviewer."),
            ChatMessage::user("Hi"),
            ChatMessage::assistant("Hello"),
            ChatMessage::user("Scale?"),
        ]);
        assert_eq!(
            folded,
            vec![
                ChatMessage::user("You are the interviewer.\n\nHi"),
                ChatMessage::assistant("Hello"),
                ChatMessage::user("Scale?"),
            ]
        );
    }

    #[test]
    fn a_later_system_message_joins_the_next_user_turn_and_a_trailing_one_becomes_user() {
        let folded = fold_system(&[
            ChatMessage::user("a"),
            ChatMessage::assistant("b"),
            ChatMessage::system("summary one"),
            ChatMessage::system("summary two"),
            ChatMessage::user("c"),
            ChatMessage::system("last"),
        ]);
        assert_eq!(
            folded,
            vec![
                ChatMessage::user("a"),
                ChatMessage::assistant("b"),
                ChatMessage::user("summary one\n\nsummary two\n\nc"),
                ChatMessage::user("last"),
            ]
        );
    }

    #[test]
    fn folding_extends_the_same_prefix_as_the_conversation_grows() {
        let mut convo = vec![ChatMessage::system("persona"), ChatMessage::user("q1")];
        let before = fold_system(&convo);
        convo.push(ChatMessage::assistant("r1"));
        convo.push(ChatMessage::user("q2"));
        let after = fold_system(&convo);
        assert_eq!(&after[..before.len()], &before[..]);
    }

    #[test]
    fn auto_folds_only_for_gemma_not_qwen_and_bad_settings_say_what_is_allowed() {
        assert_eq!(
            SystemRole::resolve(None, "gemma3-270m"),
            Ok(SystemRole::Fold)
        );
        assert_eq!(
            SystemRole::resolve(None, "Gemma-2-9B-it"),
            Ok(SystemRole::Fold)
        );
        assert_eq!(
            SystemRole::resolve(None, "gpt-4o-mini"),
            Ok(SystemRole::Native)
        );
        // The Qwen models `scripts/local-model.sh` serves have a system role
        // in their own chat template: their system messages go as sent.
        for qwen in [
            "qwen2.5-1.5b",
            "qwen2.5-0.5b",
            "Qwen2.5-Coder-1.5B-Instruct",
        ] {
            assert_eq!(SystemRole::resolve(None, qwen), Ok(SystemRole::Native));
        }
        assert_eq!(
            SystemRole::resolve(Some("native"), "gemma3"),
            Ok(SystemRole::Native)
        );
        assert_eq!(
            SystemRole::resolve(Some("fold"), "llama3"),
            Ok(SystemRole::Fold)
        );
        let err = SystemRole::resolve(Some("inline"), "x").unwrap_err();
        assert!(err.contains("auto, native, fold"), "{err}");
    }
}
