//! Operators' desktop notifications, in the portal's words:
//! "You have new session assigned." when a conversation becomes theirs, and
//! "New message: " with the text when the customer writes in one they handle.
//!
//! Sent to whoever handles the conversation, whatever their role, when they
//! are signed in on this machine, enabled notifications with the category on
//! (`Desk::notify`), have not paused them, and — where they have a schedule
//! and keep "Only during my shift" on — are on shift (`notifications::reach`).
//! Otherwise the message is only in the Sessions list.
//!
//! The summary (the line daemons show in bold and cut) names the customer
//! and channel; the body carries the customer's words.
//!
//! A burst does not flood the desktop: after [`BURST_LIMIT`] notices for one
//! conversation within [`BURST_WINDOW_MILLIS`], the next message gives one
//! summary notice and later ones in that minute none.

use std::collections::{HashMap, VecDeque};
use std::sync::Mutex;

use super::{Author, ConversationChange};
use crate::error::Result;
use crate::notifications::{Category, Notice};
use crate::Desk;

pub const SESSION_ASSIGNED: &str = "You have new session assigned.";
pub const NEW_MESSAGE: &str = "New message: ";
/// Notices per conversation and minute before a burst is folded.
pub const BURST_LIMIT: usize = 3;
pub const BURST_WINDOW_MILLIS: i64 = 60_000;
/// Characters of a message shown in its notice's body (daemons show a body
/// of a few lines; a longer message is read in the window).
const SHOWN_CHARS: usize = 400;

/// Recent new-message notices per (operator, conversation).
#[derive(Default)]
pub(crate) struct Bursts(Mutex<HashMap<(i64, i64), Burst>>);

#[derive(Default)]
struct Burst {
    shown: VecDeque<i64>,
    folded_until: Option<i64>,
}

enum Decision {
    Show,
    Summary,
    Quiet,
}

impl Burst {
    fn decide(&mut self, now: i64) -> Decision {
        while self.shown.front().is_some_and(|t| now - t >= BURST_WINDOW_MILLIS) {
            self.shown.pop_front();
        }
        if self.folded_until.is_some_and(|until| now < until) {
            return Decision::Quiet;
        }
        if self.shown.len() < BURST_LIMIT {
            self.shown.push_back(now);
            return Decision::Show;
        }
        self.folded_until = Some(now + BURST_WINDOW_MILLIS);
        Decision::Summary
    }
}

/// The text cut to about `SHOWN_CHARS` characters, at a word boundary when
/// one is near, with an ellipsis; whitespace runs become single spaces.
pub fn shorten(text: &str) -> String {
    let flat: String = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= SHOWN_CHARS {
        return flat;
    }
    let cut: String = flat.chars().take(SHOWN_CHARS).collect();
    let at_word = match cut.rfind(' ') {
        Some(i) if i >= SHOWN_CHARS * 3 / 4 => &cut[..i],
        _ => cut.as_str(),
    };
    format!("{}…", at_word.trim_end_matches(|c: char| c.is_whitespace() || c.is_ascii_punctuation()))
}

impl Desk {
    /// Reacts to a committed change. A notification that cannot be shown is
    /// logged: the write it follows is already done.
    pub(crate) fn notify_operator(&self, change: &ConversationChange) {
        let outcome = match change {
            ConversationChange::Created { tenant_id, conversation_id, operator_account_id: Some(operator) } => {
                self.notify_assigned(*tenant_id, *conversation_id, *operator)
            }
            ConversationChange::Assigned { tenant_id, conversation_id, operator_account_id: Some(operator), by_account_id }
                if *by_account_id != Some(*operator) =>
            {
                self.notify_assigned(*tenant_id, *conversation_id, *operator)
            }
            ConversationChange::Message {
                tenant_id,
                conversation_id,
                operator_account_id: Some(operator),
                author: Author::Customer,
                text,
            } => self.notify_message(*tenant_id, *conversation_id, *operator, text),
            _ => Ok(()),
        };
        if let Err(e) = outcome {
            tracing::warn!(tenant_id = change.tenant_id(), error = %e.message, "operator notification not shown");
        }
    }

    /// Whether a notice about the tenant reaches the person now (signed in
    /// here, not paused, on shift where they choose so).
    fn reachable(&self, tenant_id: i64, account_id: i64) -> Result<bool> {
        let now = self.now_millis();
        self.db.read(|tx| crate::notifications::reachable(tx, tenant_id, account_id, now, self.opened_at))
    }

    /// "{customer} · {channel}": which conversation a notice is about.
    fn about(&self, conversation_id: i64) -> Result<String> {
        self.db.read(|tx| {
            Ok(tx.query_row("SELECT customer, channel FROM conversations WHERE id = ?1", [conversation_id], |r| {
                Ok(format!("{} · {}", r.get::<_, String>(0)?, r.get::<_, String>(1)?))
            })?)
        })
    }

    fn notify_assigned(&self, tenant_id: i64, conversation_id: i64, operator: i64) -> Result<()> {
        if !self.reachable(tenant_id, operator)? {
            return Ok(());
        }
        let notice = Notice {
            summary: SESSION_ASSIGNED.into(),
            body: self.about(conversation_id)?,
            conversation_id: Some(conversation_id),
            offers_accept: true,
        };
        self.notify(operator, Category::ConversationAssigned, &notice).map(drop)
    }

    fn notify_message(&self, tenant_id: i64, conversation_id: i64, operator: i64, text: &str) -> Result<()> {
        if !self.reachable(tenant_id, operator)? || !self.wants_notification(operator, Category::NewMessage)? {
            return Ok(());
        }
        let now = self.now_millis();
        let decision = {
            let mut bursts = self.bursts.0.lock().unwrap_or_else(|p| p.into_inner());
            bursts.entry((operator, conversation_id)).or_default().decide(now)
        };
        let about = self.about(conversation_id)?;
        let notice = match decision {
            Decision::Quiet => return Ok(()),
            Decision::Show => Notice {
                summary: about,
                body: format!("{NEW_MESSAGE}{}", shorten(text)),
                conversation_id: Some(conversation_id),
                offers_accept: false,
            },
            Decision::Summary => Notice {
                summary: about,
                body: "More messages arrived; open the session to read them all.".into(),
                conversation_id: Some(conversation_id),
                offers_accept: false,
            },
        };
        self.notify(operator, Category::NewMessage, &notice).map(drop)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_texts_stay_whole_and_long_ones_end_at_a_word() {
        assert_eq!(shorten("Where is\n my   order?"), "Where is my order?");
        let long = "I ordered a blue jacket three weeks ago and it still has not arrived, the tracking page says nothing at all since Monday. ".repeat(4);
        let long = long.as_str();
        let short = shorten(long);
        assert!(short.ends_with('…'), "{short}");
        assert!(short.chars().count() <= SHOWN_CHARS + 1);
        assert!(long.starts_with(short.trim_end_matches('…')));
        assert_eq!(shorten(&"x".repeat(SHOWN_CHARS + 50)), format!("{}…", "x".repeat(SHOWN_CHARS)));
    }

    #[test]
    fn a_burst_folds_after_the_limit_for_a_minute() {
        let mut burst = Burst::default();
        let shown: Vec<&str> = [0, 1_000, 2_000, 3_000, 4_000, 59_000, 63_001]
            .into_iter()
            .map(|t| match burst.decide(t) {
                Decision::Show => "show",
                Decision::Summary => "summary",
                Decision::Quiet => "quiet",
            })
            .collect();
        assert_eq!(shown, vec!["show", "show", "show", "summary", "quiet", "quiet", "show"]);
    }
}
