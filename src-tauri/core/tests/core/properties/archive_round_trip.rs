//! Export then import of generated tenants: the tenant's details (any the
//! rules accept) and conversations (any text a store holds) come back in
//! the snapshot exactly as the tenant held them.

use proptest::prelude::*;
use serde_json::Value;
use tenant_desk_core::archives::{ExportOutcome, ImportOutcome, Limits, Progress};
use tenant_desk_core::authz::Caller;
use tenant_desk_core::conversations::{ImportedMessage, ImportedConversation};
use tenant_desk_core::tenants::TenantFields;
use tenant_desk_core::Desk;

use super::archive_model::{rows, DAY, NOW};
use super::archive_records::{author, status};
use super::field_rules::{trimmed_text, valid_tenant_fields};
use super::{check, config, storable_text};
use crate::support::*;

const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/archive_round_trip.txt");

/// Conversations as the bulk import takes them, in the last 300 days.
fn conversations() -> impl Strategy<Value = Vec<ImportedConversation>> {
    let message = (author(), storable_text(60).prop_filter("not blank", |t| !t.trim().is_empty()), 0..600i64);
    let conversation = (trimmed_text(1, 40), trimmed_text(1, 60), status(), 1..300i64, proptest::collection::vec(message, 0..4));
    proptest::collection::vec(conversation, 1..4).prop_map(|all| {
        all.into_iter()
            .map(|(channel, customer, status, days_ago, messages)| {
                let created_at = NOW - days_ago * DAY;
                ImportedConversation {
                    channel,
                    customer,
                    operator_account_id: None,
                    status,
                    created_at,
                    messages: messages
                        .into_iter()
                        .map(|(author, text, minutes)| ImportedMessage { author, text, at: created_at + minutes * 60_000 })
                        .collect(),
                }
            })
            .collect()
    })
}

/// What a tenant holds, without this install's ids: equal for a tenant and
/// a snapshot of it.
fn holdings(desk: &Desk, tenant_id: i64) -> Value {
    let t = (tenant_id,);
    let email = |col: &str| format!("(SELECT email FROM accounts WHERE id = {col})");
    serde_json::json!({
        "tenant": rows(desk, "SELECT name, description, billing_email, phone, website, country, street, zip_code, timezone, labels,
                                     require_mfa, created_at, modified_at FROM tenants WHERE id = ?1", t),
        "members": rows(desk, "SELECT a.email, a.name, a.phone, a.company, a.created_at, a.modified_at, a.deleted_at, m.role,
                                      m.created_at, m.modified_at FROM memberships m JOIN accounts a ON a.id = m.account_id
                                WHERE m.tenant_id = ?1 AND m.snapshot_reader = 0 ORDER BY a.email", t),
        "conversations": rows(desk, "SELECT channel, customer, status, created_at, last_activity_at, customer_replied, message_count,
                                            first_customer_at, first_response_at, resolved_at FROM conversations
                                      WHERE tenant_id = ?1 ORDER BY id", t),
        "messages": rows(desk, "SELECT (SELECT count(*) FROM conversations c2 WHERE c2.tenant_id = ?1 AND c2.id <= m.conversation_id),
                                       m.author, m.text, m.at FROM messages m JOIN conversations c ON c.id = m.conversation_id
                                 WHERE c.tenant_id = ?1 ORDER BY m.id", t),
        "windows": rows(desk, "SELECT count(*), coalesce(min(starts_at), 0), coalesce(max(starts_at), 0) FROM billable_windows WHERE tenant_id = ?1", t),
        "audit": rows(desk, &format!("SELECT at, {}, {}, action, subject, before, after FROM audit_log l WHERE tenant_id = ?1 ORDER BY id",
                                     email("l.actor_account_id"), email("l.subject_account_id")), t),
    })
}

#[test]
fn an_exported_tenant_imports_with_its_details_and_conversations_unchanged() {
    check(config(REGRESSIONS, 6), (valid_tenant_fields(), conversations()), |(fields, conversations)| {
        // A store of its own: each case's tenant holds only what it generated.
        let h = Harness::new();
        h.set_up(false);
        let admin = h.actor_of(ADMIN_EMAIL);
        let tenant = tenant_id(&admin);
        let archive = h.dir.path().join("round-trip.tdarchive");
        // Requiring MFA asks for the editor's own first, which is another test's business.
        let fields = TenantFields { require_mfa: false, ..fields };
        h.desk.update_tenant(&admin, tenant, &fields).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        h.desk.import_conversations(&Caller::from(&admin), &conversations).map_err(|e| TestCaseError::fail(format!("{e:?}")))?;
        let before = holdings(&h.desk, tenant);
        let exported = h.desk.export_tenant_archive(&admin, &archive, &Progress::new());
        prop_assert!(matches!(exported, Ok(ExportOutcome::Exported { .. })), "{:?}", exported);
        let snapshot = match h.desk.import_tenant_archive(&admin, &archive, &Progress::new(), Limits::default()) {
            Ok(ImportOutcome::Imported { snapshot }) => snapshot.tenant_id,
            other => return Err(TestCaseError::fail(format!("not imported: {other:?}"))),
        };
        prop_assert_eq!(holdings(&h.desk, snapshot), before);
        Ok(())
    });
}
