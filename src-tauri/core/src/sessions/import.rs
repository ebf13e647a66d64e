//! The bulk path: many conversations, with their own times, in one
//! transaction (a tenant data export, a load test). All are checked before
//! anything is written; one bad conversation writes nothing.

use std::collections::HashSet;

use rusqlite::{params, Transaction};
use serde_json::json;

use super::append::insert_message;
use super::scope::{self, check_assignable};
use super::{rules, Author, SessionChange, SessionStatus};
use crate::authz::{authorize_caller, Caller, Operation};
use crate::error::{FieldErrors, Result};
use crate::store::audit;
use crate::validate::required_text;
use crate::Desk;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedMessage {
    pub author: Author,
    pub text: String,
    /// UTC milliseconds.
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedSession {
    pub channel: String,
    pub customer: String,
    pub operator_account_id: Option<i64>,
    pub status: SessionStatus,
    /// UTC milliseconds.
    pub created_at: i64,
    pub messages: Vec<ImportedMessage>,
}

fn check(i: usize, session: &ImportedSession, errors: &mut FieldErrors) {
    let at = |field: &str| format!("sessions[{i}].{field}");
    errors.check(&at("channel"), required_text(session.channel.trim(), "Channel", rules::CHANNEL_MAX));
    errors.check(&at("customer"), required_text(session.customer.trim(), "Customer", rules::CUSTOMER_MAX));
    for (j, message) in session.messages.iter().enumerate() {
        errors.check(&at(&format!("messages[{j}].text")), required_text(message.text.trim(), "Text", rules::TEXT_MAX));
    }
}

/// Stores one conversation with its messages, billable sessions and times
/// (checked by the caller); returns its id.
pub(crate) fn insert(tx: &Transaction, tenant_id: i64, session: &ImportedSession) -> Result<i64> {
    tx.prepare_cached(
        "INSERT INTO conversations (tenant_id, channel, customer, operator_account_id, status, created_at, last_activity_at,
                                    accepted_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?6, CASE WHEN ?4 IS NOT NULL THEN ?6 END)",
    )?
    .execute(params![
        tenant_id,
        session.channel.trim(),
        session.customer.trim(),
        session.operator_account_id,
        session.status,
        session.created_at
    ])?;
    let id = tx.last_insert_rowid();
    for message in &session.messages {
        insert_message(tx, id, message.author, message.text.trim(), message.at)?;
    }
    crate::billing::record_windows(tx, id)?;
    if session.status == SessionStatus::Resolved {
        // An import knows no resolution time; the last activity is the closest.
        tx.prepare_cached("UPDATE conversations SET resolved_at = last_activity_at WHERE id = ?1")?.execute([id])?;
    }
    Ok(id)
}

impl Desk {
    /// Returns how many conversations were added.
    pub fn import_sessions(&self, caller: &Caller, sessions: &[ImportedSession]) -> Result<usize> {
        authorize_caller(caller, Operation::CreateSession)?;
        let mut errors = FieldErrors::new();
        for (i, session) in sessions.iter().enumerate() {
            check(i, session, &mut errors);
        }
        errors.into_result()?;
        let now = self.now_millis();
        let tenant_id = self.db.write(|tx| {
            let scope = scope::resolve(tx, caller, Operation::CreateSession)?;
            let operators: HashSet<i64> = sessions.iter().filter_map(|s| s.operator_account_id).collect();
            for operator in operators {
                check_assignable(tx, scope.tenant_id, operator)?;
            }
            for session in sessions {
                insert(tx, scope.tenant_id, session)?;
            }
            audit::record(
                tx,
                audit::Entry {
                    subject: "sessions".into(),
                    after: Some(json!({ "count": sessions.len() })),
                    ..scope.entry(now, "session.import", 0)
                },
            )?;
            Ok(scope.tenant_id)
        })?;
        self.publish(SessionChange::Imported { tenant_id, count: sessions.len() });
        Ok(sessions.len())
    }
}
