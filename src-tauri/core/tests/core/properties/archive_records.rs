//! Archive records: any record written as a JSON line reads back equal, and
//! stays one line whatever its text holds.

use proptest::prelude::*;
use tenant_desk_core::archives::format::{
    AuditRecord, ConversationRecord, Counts, Manifest, MembershipRecord, MessageRecord, RangeRecord, ScheduleRecord,
    TenantRecord, UserRecord,
};
use tenant_desk_core::authz::Role;
use tenant_desk_core::conversations::{Author, ConversationStatus};

use super::{any_text, config};

const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/archive_records.txt");

pub fn role() -> impl Strategy<Value = Role> {
    proptest::sample::select(Role::ALL.to_vec())
}

pub fn status() -> impl Strategy<Value = ConversationStatus> {
    prop_oneof![Just(ConversationStatus::Open), Just(ConversationStatus::Resolved)]
}

pub fn author() -> impl Strategy<Value = Author> {
    prop_oneof![Just(Author::Customer), Just(Author::Operator), Just(Author::AiAgent)]
}

fn counts() -> impl Strategy<Value = Counts> {
    any::<[u64; 7]>().prop_map(|[tenant, users, memberships, schedules, conversations, messages, audit_log]| Counts {
        tenant,
        users,
        memberships,
        schedules,
        conversations,
        messages,
        audit_log,
    })
}

fn manifest() -> impl Strategy<Value = Manifest> {
    (any_text(20), any::<u32>(), any_text(20), any::<i64>(), any_text(20), any::<i64>(), counts()).prop_map(
        |(format, format_version, source_install_id, tenant_id, tenant_name, exported_at, counts)| Manifest {
            format,
            format_version,
            source_install_id,
            tenant_id,
            tenant_name,
            exported_at,
            counts,
        },
    )
}

fn tenant() -> impl Strategy<Value = TenantRecord> {
    (
        (any::<i64>(), any_text(20), any_text(20), any_text(20), any_text(20), any_text(20)),
        (any_text(20), any_text(20), any_text(20), any_text(20)),
        (proptest::collection::vec(any_text(10), 0..4), any::<bool>(), any::<i64>(), any::<i64>()),
    )
        .prop_map(
            |(
                (id, name, description, billing_email, phone, website),
                (country, street, zip_code, timezone),
                (labels, require_mfa, created_at, modified_at),
            )| TenantRecord {
                id,
                name,
                description,
                billing_email,
                phone,
                website,
                country,
                street,
                zip_code,
                timezone,
                labels,
                require_mfa,
                created_at,
                modified_at,
            },
        )
}

fn user() -> impl Strategy<Value = UserRecord> {
    (any::<i64>(), any_text(20), any_text(20), any_text(20), any_text(20), any::<i64>(), any::<i64>(), any::<Option<i64>>())
        .prop_map(|(id, email, name, phone, company, created_at, modified_at, deleted_at)| UserRecord {
            id,
            email,
            name,
            phone,
            company,
            created_at,
            modified_at,
            deleted_at,
        })
}

fn membership() -> impl Strategy<Value = MembershipRecord> {
    (any::<i64>(), any::<i64>(), role(), any::<i64>(), any::<i64>())
        .prop_map(|(id, user_id, role, created_at, modified_at)| MembershipRecord { id, user_id, role, created_at, modified_at })
}

fn schedule() -> impl Strategy<Value = ScheduleRecord> {
    let range = (any::<u8>(), any::<u16>(), any::<u16>())
        .prop_map(|(weekday, start_minute, end_minute)| RangeRecord { weekday, start_minute, end_minute });
    (any::<i64>(), any_text(20), proptest::collection::vec(range, 0..5))
        .prop_map(|(membership_id, zone, ranges)| ScheduleRecord { membership_id, zone, ranges })
}

fn conversation() -> impl Strategy<Value = ConversationRecord> {
    (
        (any::<i64>(), any_text(20), any_text(20), any::<Option<i64>>(), status()),
        (any::<i64>(), any::<i64>(), any::<bool>(), any::<i64>()),
    )
        .prop_map(
            |((id, channel, customer, operator_user_id, status), (created_at, last_activity_at, customer_replied, message_count))| {
                ConversationRecord {
                    id,
                    channel,
                    customer,
                    operator_user_id,
                    status,
                    created_at,
                    last_activity_at,
                    customer_replied,
                    message_count,
                }
            },
        )
}

fn message() -> impl Strategy<Value = MessageRecord> {
    (any::<i64>(), any::<i64>(), author(), any_text(40), any::<i64>())
        .prop_map(|(id, conversation_id, author, text, at)| MessageRecord { id, conversation_id, author, text, at })
}

fn audit() -> impl Strategy<Value = AuditRecord> {
    (
        (any::<i64>(), any::<i64>(), any::<Option<i64>>(), any::<Option<i64>>()),
        (any_text(20), any_text(20), proptest::option::of(any_text(20)), proptest::option::of(any_text(20))),
    )
        .prop_map(|((id, at, actor_user_id, subject_user_id), (action, subject, before, after))| AuditRecord {
            id,
            at,
            actor_user_id,
            subject_user_id,
            action,
            subject,
            before,
            after,
        })
}

/// The record as the exporter writes it, and as the importer reads it back.
fn reads_back<T>(record: &T) -> Result<(), TestCaseError>
where
    T: serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let line = serde_json::to_vec(record).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert!(!line.contains(&b'\n'), "a record spans lines: {}", String::from_utf8_lossy(&line));
    let back: T = serde_json::from_slice(&line).map_err(|e| TestCaseError::fail(e.to_string()))?;
    prop_assert_eq!(&back, record);
    Ok(())
}

proptest! {
    #![proptest_config(config(REGRESSIONS, 64))]

    #[test]
    fn every_record_reads_back_equal_from_one_line(
        m in manifest(), t in tenant(), u in user(), ms in membership(), s in schedule(),
        c in conversation(), msg in message(), a in audit(),
    ) {
        reads_back(&m)?;
        reads_back(&t)?;
        reads_back(&u)?;
        reads_back(&ms)?;
        reads_back(&s)?;
        reads_back(&c)?;
        reads_back(&msg)?;
        reads_back(&a)?;
    }

}
