//! Saying one turn: the model's reply streamed through the checks and
//! shown, or the template said instead. A guided reply that a check
//! rejects is asked for once more, with the reason: the request grows by
//! the rejected reply and a short note, so a local server reads only those
//! tokens anew (everything before them is its cached prefix).

use std::future::Future;
use std::pin::Pin;

use futures::StreamExt;

use super::{guided, is_unreachable, Checker, Phraser, Source, Spoken, HOLD_BACK};
use crate::backend::{ChatMessage, ChatRequest, StreamEvent};

/// How one request ended.
enum Attempt {
    /// The reply passed every check and was shown.
    Said(Spoken),
    /// Ctrl-C stopped it; the text is what was shown.
    Interrupted(Spoken),
    /// No usable reply: the backend failed (`unreachable` when it never
    /// answered) or a check rejected what arrived (`checked`). `got` is the
    /// reply as far as it arrived, `shown` the part already on screen.
    Unused {
        reason: String,
        got: String,
        shown: usize,
        unreachable: bool,
        checked: bool,
    },
}

impl Attempt {
    fn failed(reason: String, got: &str, shown: usize) -> Attempt {
        Attempt::Unused {
            reason,
            got: got.to_string(),
            shown,
            unreachable: false,
            checked: false,
        }
    }

    fn rejected(reason: String, got: &str, shown: usize) -> Attempt {
        Attempt::Unused {
            reason,
            got: got.to_string(),
            shown,
            unreachable: false,
            checked: true,
        }
    }
}

fn interrupted(partial: &str) -> Spoken {
    Spoken {
        text: format!("{partial} [interrupted]"),
        source: Source::Interrupted,
        fallback_reason: None,
        unreachable: false,
        copied: false,
        chosen: None,
        rejected: None,
        retried: None,
    }
}

impl Phraser {
    /// Stream a reply for `req`, writing it out through `emit`; falls back to
    /// `fallback` on any failure; stops early when `cancel` completes. A
    /// guided reply rejected before any of it was shown is asked for once
    /// more.
    pub async fn speak<C, E>(
        &self,
        req: Option<&ChatRequest>,
        fallback: &str,
        leaks: &[String],
        cancel: C,
        mut emit: E,
    ) -> Spoken
    where
        C: Future<Output = ()>,
        E: FnMut(&str),
    {
        let template = |reason: Option<String>, got: &str, shown: usize, emit: &mut E| {
            if shown > 0 {
                emit(" …\n");
            }
            emit(fallback);
            let got = got.trim();
            Spoken {
                text: fallback.to_string(),
                source: Source::Template,
                fallback_reason: reason,
                unreachable: false,
                copied: false,
                chosen: None,
                rejected: (!got.is_empty()).then(|| got.to_string()),
                retried: None,
            }
        };
        let Some(req) = req else {
            return template(None, "", 0, &mut emit);
        };
        tokio::pin!(cancel);
        let mut outcome = self
            .attempt(req, fallback, leaks, cancel.as_mut(), &mut emit)
            .await;
        let mut retried: Option<(String, String)> = None;
        if let Attempt::Unused {
            reason,
            got,
            shown: 0,
            checked: true,
            ..
        } = &outcome
        {
            // Only a reply that arrived can be answered with why it was
            // not used (an empty one would leave two user turns in a row,
            // which some chat templates refuse).
            if let (Some(g), false) = (&self.guide, got.trim().is_empty()) {
                let mut again = req.clone();
                again.messages.push(ChatMessage::assistant(got.trim()));
                again.messages.push(ChatMessage::user(guided::retry_note(
                    &self.templates,
                    g,
                    reason,
                )));
                retried = Some((reason.clone(), got.trim().to_string()));
                outcome = self
                    .attempt(&again, fallback, leaks, cancel.as_mut(), &mut emit)
                    .await;
            }
        }
        let (retry, first) = retried.unzip();
        match outcome {
            Attempt::Said(mut s) => {
                s.rejected = first;
                s.retried = retry;
                s
            }
            Attempt::Interrupted(s) => s,
            Attempt::Unused {
                reason,
                got,
                shown,
                unreachable,
                ..
            } => {
                let mut s = template(Some(reason), &got, shown, &mut emit);
                s.unreachable = unreachable;
                s.retried = retry;
                s
            }
        }
    }

    /// One request: its reply streamed through the checks; shown as it
    /// passes them (a guided reply only once whole and checked).
    async fn attempt<C, E>(
        &self,
        req: &ChatRequest,
        fallback: &str,
        leaks: &[String],
        mut cancel: Pin<&mut C>,
        emit: &mut E,
    ) -> Attempt
    where
        C: Future<Output = ()>,
        E: FnMut(&str),
    {
        // Waiting for the server's first byte can be long on a local model:
        // Ctrl-C must work there too (dropping the future cancels the request).
        let opened = tokio::select! {
            s = self.backend.stream(req) => s,
            () = cancel.as_mut() => return Attempt::Interrupted(interrupted("")),
        };
        let mut stream = match opened {
            Ok(s) => s,
            Err(e) => {
                return Attempt::Unused {
                    reason: e.to_string(),
                    got: String::new(),
                    shown: 0,
                    unreachable: is_unreachable(&e),
                    checked: false,
                }
            }
        };
        let mut check =
            Checker::new(fallback, leaks).with_context(&self.said, &self.last_candidate);
        check.must_ask = self.expect_question;
        check.known_numbers = &self.known_numbers;
        // A guided reply is one short question, checked whole (on target,
        // one question) before any of it is shown.
        let hold_back = if self.hold_whole || self.guide.is_some() {
            usize::MAX
        } else {
            HOLD_BACK
        };
        let mut text = String::new();
        let mut shown = 0usize;
        loop {
            let ev = tokio::select! {
                ev = stream.next() => ev,
                () = cancel.as_mut() => {
                    drop(stream);
                    return Attempt::Interrupted(interrupted(&text[..shown]));
                }
            };
            match ev {
                None => break,
                Some(Ok(StreamEvent::Delta(d))) => {
                    text.push_str(&d);
                    if let Some(why) = check.violation(&text) {
                        return Attempt::rejected(why, &text, shown);
                    }
                    let mut upto = text.len().saturating_sub(hold_back);
                    while !text.is_char_boundary(upto) {
                        upto -= 1;
                    }
                    if upto > shown {
                        emit(&text[shown..upto]);
                        shown = upto;
                    }
                }
                Some(Ok(StreamEvent::Usage(_))) => {}
                Some(Err(e)) => return Attempt::failed(e.to_string(), &text, shown),
            }
        }
        let trimmed_len = text.trim_end().len();
        if text.trim().is_empty() {
            return Attempt::rejected("the model sent an empty reply".into(), "", 0);
        }
        if let Some(why) = check.final_violation(&text) {
            return Attempt::rejected(why, &text, shown);
        }
        let (mut copied, mut chosen) = (false, None);
        let mut said = text.trim().to_string();
        if let Some(g) = &self.guide {
            if g.prefixed {
                // The code has acknowledged or moved on already.
                said = guided::without_opener(&said);
            }
            if let Some(m) = g.moves.first() {
                said = guided::question_after_announcement(&said, m).to_string();
            }
            let reply = said.as_str();
            chosen = guided::chosen(reply, &g.moves);
            let mv = chosen.and_then(|i| g.moves.get(i)).or(g.moves.first());
            let asked = chosen.is_none().then_some(g.template.as_str());
            if g.moves.iter().any(|m| guided::recites_facts(reply, m)) {
                return Attempt::rejected(
                    "the model reply read the interviewer notes aloud (the names it may use)"
                        .into(),
                    &text,
                    shown,
                );
            }
            if mv.is_some_and(|m| !guided::on_target(reply, m, asked)) {
                return Attempt::rejected(
                    format!(
                        "the model reply left the question's target (\"{}\")",
                        mv.and_then(|m| m.target.as_deref()).unwrap_or("")
                    ),
                    &text,
                    shown,
                );
            }
            if let Some(m) = mv {
                let asked = match chosen {
                    None => g.template.clone(),
                    Some(_) => self.templates.variants(&m.intent, &m.pairs()).join(" "),
                };
                let goal = guided::goal(&self.templates, m, &asked);
                if !guided::on_intent(reply, m, &asked, &goal) {
                    return Attempt::rejected(
                        "the model reply did not ask what the move asks".into(),
                        &text,
                        shown,
                    );
                }
            }
            if let Some(why) = guided::lectures(reply, &g.template) {
                return Attempt::rejected(why, &text, shown);
            }
            if reply.matches('?').count() > 2 {
                return Attempt::rejected(
                    "the model reply asked more than one question".into(),
                    &text,
                    shown,
                );
            }
            copied = guided::copied(reply, &g.template)
                || mv.is_some_and(|m| {
                    self.templates
                        .variants(&m.intent, &m.pairs())
                        .iter()
                        .any(|t| guided::copied(reply, t))
                });
        }
        if self.guide.is_some() {
            emit(&said);
        } else if trimmed_len > shown {
            emit(&text[shown..trimmed_len]);
        }
        Attempt::Said(Spoken {
            text: said,
            source: Source::Model,
            fallback_reason: None,
            unreachable: false,
            copied,
            chosen,
            rejected: None,
            retried: None,
        })
    }
}
