//! The archive format, version 1 (documented in `docs/archive-format.md`):
//! a zip holding `manifest.json` and one JSON Lines file per entity, one
//! record per line. Ids are those of the exporting install; references
//! between files use them.

use serde::{Deserialize, Serialize};

use crate::authz::Role;
use crate::conversations::{Author, ConversationStatus};

pub const FORMAT_NAME: &str = "tenant-desk-archive";
pub const FORMAT_VERSION: u32 = 1;
pub const MANIFEST: &str = "manifest.json";

/// The entity files, in the order they are written and loaded: a file only
/// refers to records of files before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EntityFile {
    Tenant,
    Users,
    Memberships,
    Schedules,
    Conversations,
    Messages,
    AuditLog,
}

impl EntityFile {
    pub const ALL: [EntityFile; 7] = [
        EntityFile::Tenant,
        EntityFile::Users,
        EntityFile::Memberships,
        EntityFile::Schedules,
        EntityFile::Conversations,
        EntityFile::Messages,
        EntityFile::AuditLog,
    ];

    pub fn name(self) -> &'static str {
        match self {
            EntityFile::Tenant => "tenant.jsonl",
            EntityFile::Users => "users.jsonl",
            EntityFile::Memberships => "memberships.jsonl",
            EntityFile::Schedules => "schedules.jsonl",
            EntityFile::Conversations => "conversations.jsonl",
            EntityFile::Messages => "messages.jsonl",
            EntityFile::AuditLog => "audit_log.jsonl",
        }
    }

    pub fn count(self, counts: &Counts) -> u64 {
        match self {
            EntityFile::Tenant => counts.tenant,
            EntityFile::Users => counts.users,
            EntityFile::Memberships => counts.memberships,
            EntityFile::Schedules => counts.schedules,
            EntityFile::Conversations => counts.conversations,
            EntityFile::Messages => counts.messages,
            EntityFile::AuditLog => counts.audit_log,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Counts {
    pub tenant: u64,
    pub users: u64,
    pub memberships: u64,
    pub schedules: u64,
    pub conversations: u64,
    pub messages: u64,
    pub audit_log: u64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub format: String,
    pub format_version: u32,
    /// The install the tenant was exported from (with `tenant_id`, names the
    /// tenant across archives).
    pub source_install_id: String,
    pub tenant_id: i64,
    pub tenant_name: String,
    /// UTC milliseconds: the data is as of this time.
    pub exported_at: i64,
    pub counts: Counts,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TenantRecord {
    pub id: i64,
    pub name: String,
    pub description: String,
    pub billing_email: String,
    pub phone: String,
    pub website: String,
    pub country: String,
    pub street: String,
    pub zip_code: String,
    pub timezone: String,
    pub labels: Vec<String>,
    pub require_mfa: bool,
    pub created_at: i64,
    pub modified_at: i64,
}

/// A person: members, and anyone the audit log or a conversation names
/// (also deleted accounts). Never a password hash or another secret.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserRecord {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub phone: String,
    pub company: String,
    pub created_at: i64,
    pub modified_at: i64,
    pub deleted_at: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MembershipRecord {
    pub id: i64,
    pub user_id: i64,
    pub role: Role,
    pub created_at: i64,
    pub modified_at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleRecord {
    pub membership_id: i64,
    /// The IANA zone the hours were entered in.
    pub zone: String,
    pub ranges: Vec<RangeRecord>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RangeRecord {
    /// 0 = Monday.
    pub weekday: u8,
    /// Minutes from local midnight, 0–1440, end after start.
    pub start_minute: u16,
    pub end_minute: u16,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ConversationRecord {
    pub id: i64,
    pub channel: String,
    pub customer: String,
    pub operator_user_id: Option<i64>,
    pub status: ConversationStatus,
    pub created_at: i64,
    pub last_activity_at: i64,
    pub customer_replied: bool,
    pub message_count: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MessageRecord {
    pub id: i64,
    pub conversation_id: i64,
    pub author: Author,
    pub text: String,
    pub at: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct AuditRecord {
    pub id: i64,
    pub at: i64,
    pub actor_user_id: Option<i64>,
    pub subject_user_id: Option<i64>,
    pub action: String,
    pub subject: String,
    /// The stored JSON text of the change's before and after, as is.
    pub before: Option<String>,
    pub after: Option<String>,
}
