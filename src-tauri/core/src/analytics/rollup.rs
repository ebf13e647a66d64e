//! The times charts measure, kept on the conversation as it changes (in the
//! sessions writes' transactions), so a chart over a date range reads one
//! index range of conversations and never their messages.
//!
//! - First response: from the customer's first message to the first
//!   operator message at or after it (AI agent replies do not count: the
//!   chart measures people).
//! - Resolution: from the conversation's start to when it was resolved; a
//!   customer writing again reopens it and clears the time.
//!
//! Messages may arrive out of order (imports carry their own times), so an
//! earlier customer message looks the first response up again.

use crate::store::sql::{params, Tx};

use crate::error::Result;
use crate::conversations::Author;

/// The first customer message and the first response to it, from a whole
/// conversation's messages (author, UTC milliseconds) in any order: what
/// [`record_message`] keeps, message by message.
pub(crate) fn first_times(messages: impl Iterator<Item = (Author, i64)> + Clone) -> (Option<i64>, Option<i64>) {
    let first_customer = messages.clone().filter(|(author, _)| *author == Author::Customer).map(|(_, at)| at).min();
    let first_response = first_customer.and_then(|customer| {
        messages.filter(|(author, at)| *author == Author::Operator && *at >= customer).map(|(_, at)| at).min()
    });
    (first_customer, first_response)
}

pub(crate) fn record_message(tx: &Tx, conversation_id: i64, author: Author, at: i64) -> Result<()> {
    match author {
        Author::Customer => {
            let moved = tx
                .prepare_cached(
                    "UPDATE conversations SET first_customer_at = ?2
                      WHERE id = ?1 AND (first_customer_at IS NULL OR first_customer_at > ?2)",
                )?
                .execute(params![conversation_id, at])?;
            if moved > 0 {
                tx.prepare_cached(
                    "UPDATE conversations SET first_response_at =
                        (SELECT min(m.at) FROM messages m
                          WHERE m.conversation_id = ?1 AND m.author = 'operator' AND m.at >= ?2)
                      WHERE id = ?1",
                )?
                .execute(params![conversation_id, at])?;
            }
        }
        Author::Operator => {
            tx.prepare_cached(
                "UPDATE conversations SET first_response_at = ?2
                  WHERE id = ?1 AND first_customer_at <= ?2 AND (first_response_at IS NULL OR first_response_at > ?2)",
            )?
            .execute(params![conversation_id, at])?;
        }
        Author::AiAgent => {}
    }
    Ok(())
}

pub(crate) fn record_resolved(tx: &Tx, conversation_id: i64, at: i64) -> Result<()> {
    tx.prepare_cached("UPDATE conversations SET resolved_at = ?2 WHERE id = ?1")?.execute(params![conversation_id, at])?;
    Ok(())
}

pub(crate) fn record_reopened(tx: &Tx, conversation_id: i64) -> Result<()> {
    tx.prepare_cached("UPDATE conversations SET resolved_at = NULL WHERE id = ?1")?.execute([conversation_id])?;
    Ok(())
}

/// [`first_times`] gathered message by message, for a conversation whose
/// messages come one at a time and in any order (an archive's messages file):
/// the first customer message so far and every operator message's time, as
/// the first response is the first of them at or after the customer's first.
#[derive(Debug, Default)]
pub(crate) struct FirstTimes {
    first_customer: Option<i64>,
    operator: Vec<i64>,
}

impl FirstTimes {
    pub fn add(&mut self, author: Author, at: i64) {
        match author {
            Author::Customer => self.first_customer = Some(self.first_customer.map_or(at, |first| first.min(at))),
            Author::Operator => self.operator.push(at),
            Author::AiAgent => {}
        }
    }

    /// The first customer message and the first response to it.
    pub fn times(&self) -> (Option<i64>, Option<i64>) {
        let first_response =
            self.first_customer.and_then(|customer| self.operator.iter().copied().filter(|at| *at >= customer).min());
        (self.first_customer, first_response)
    }
}

#[cfg(test)]
mod tests {
    use super::{first_times, FirstTimes};
    use crate::conversations::Author::{AiAgent, Customer, Operator};

    // Message by message, in any order, the same times as from the whole
    // conversation: a reply at the customer's very moment counts, one
    // before it does not, an AI agent's never.
    #[test]
    fn first_times_gathered_one_message_at_a_time_match_the_whole_conversation() {
        let conversations = [
            vec![(Operator, 50), (Customer, 100), (AiAgent, 100), (Operator, 100), (Operator, 150)],
            vec![(Operator, 10), (Customer, 100), (Operator, 90), (Operator, 300), (Operator, 200), (Customer, 95)],
            vec![(Customer, 7), (AiAgent, 8)],
            vec![(Operator, 1)],
            vec![],
        ];
        let expected = [(Some(100), Some(100)), (Some(95), Some(200)), (Some(7), None), (None, None), (None, None)];
        for (messages, expected) in conversations.iter().zip(expected) {
            let mut gathered = FirstTimes::default();
            for (author, at) in messages.iter().rev() {
                gathered.add(*author, *at);
            }
            assert_eq!(gathered.times(), expected, "{messages:?}");
            assert_eq!(first_times(messages.iter().copied()), expected, "{messages:?}");
        }
    }
}
