//! Archives generated from the format's rules, as another program could
//! write them: records whose references, ids and times are all valid, packed
//! in a zip; and the rows an import of one must give.

use std::io::Write;

use proptest::prelude::*;
use serde_json::Value;
use tenant_desk_core::archives::format::*;
use tenant_desk_core::conversations::ConversationStatus;
use tenant_desk_core::Desk;

use super::storable_text;
use super::archive_records::{author, role, status};

/// The test clock's time (2026-03-01 09:00 UTC): an archive may not be
/// exported after it.
pub const NOW: i64 = 1_772_355_600_000;
pub const DAY: i64 = 86_400_000;
/// How far back an archive's times may go, and how long a conversation may last.
pub const TWENTY_YEARS: i64 = 20 * 365 * DAY;
pub const YEAR: i64 = 365 * DAY;

#[derive(Debug, Clone)]
pub struct Model {
    pub manifest: Manifest,
    pub tenant: TenantRecord,
    pub users: Vec<UserRecord>,
    pub memberships: Vec<MembershipRecord>,
    pub schedules: Vec<ScheduleRecord>,
    pub conversations: Vec<ConversationRecord>,
    pub messages: Vec<MessageRecord>,
    pub audit: Vec<AuditRecord>,
    /// Lines end with CR LF, as a Windows program may write them.
    pub crlf: bool,
    /// Entries deflated, or stored as they are.
    pub deflate: bool,
}

/// When the archive was exported: mostly recent, sometimes any time at all
/// up to now (the earliest instant included).
fn exported_at() -> impl Strategy<Value = i64> {
    prop_oneof![6 => (NOW - 10 * YEAR)..=NOW, 1 => Just(i64::MIN), 1 => i64::MIN..=NOW, 1 => Just(NOW)]
}

/// A person: (name, local part of the email, phone, company, created, modified, deleted).
type PersonChoice = (String, String, String, String, i64, i64, Option<i64>);
/// A conversation: (how long before the export it began, how long it lasted,
/// channel, customer, operator (a person's position), status, replied).
type ConversationChoice = (i64, i64, String, String, Option<usize>, ConversationStatus, bool);

fn person() -> impl Strategy<Value = PersonChoice> {
    (storable_text(12), storable_text(8), storable_text(8), storable_text(8), any::<i64>(), any::<i64>(), any::<Option<i64>>())
}

fn conversation() -> impl Strategy<Value = ConversationChoice> {
    (0..=TWENTY_YEARS, 0..=YEAR, storable_text(8), storable_text(8), any::<Option<usize>>(), status(), any::<bool>())
}

/// A schedule: (zone, ranges as weekday, start minute, minutes long).
fn schedule() -> impl Strategy<Value = (String, Vec<(u8, u16, u16)>)> {
    let zone = proptest::sample::select(vec!["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe"]);
    (zone.prop_map(str::to_owned), proptest::collection::vec((0u8..7, 0u16..1440, 1u16..=1440), 0..4))
}

pub fn model() -> impl Strategy<Value = Model> {
    (
        (exported_at(), any::<i64>(), storable_text(12), any::<[String; 9]>(), proptest::collection::vec(storable_text(6), 0..3)),
        (any::<bool>(), any::<i64>(), any::<i64>(), any::<i64>()),
        proptest::collection::vec((person(), proptest::option::of(role()), proptest::option::of(schedule())), 0..4),
        proptest::collection::vec(conversation(), 0..4),
        proptest::collection::vec((any::<usize>(), author(), storable_text(24), 0..=40 * DAY), 0..6),
        proptest::collection::vec((0..=TWENTY_YEARS, any::<Option<usize>>(), any::<Option<usize>>(), storable_text(8), storable_text(8), proptest::option::of(storable_text(8)), proptest::option::of(storable_text(8))), 0..4),
        (any::<bool>(), any::<bool>()),
    )
        .prop_map(|(tenant, (require_mfa, created_at, modified_at, id_base), people, conversations, messages, audit, (crlf, deflate))| {
            let (exported_at, tenant_id, name, texts, labels) = tenant;
            let [description, billing_email, phone, website, country, street, zip_code, timezone, source] = texts;
            let tenant = TenantRecord {
                id: tenant_id,
                // The one field the reader requires.
                name: format!("T{name}"),
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
            };
            let user_id = |i: usize| id_base.wrapping_add(i as i64);
            let users: Vec<UserRecord> = people
                .iter()
                .enumerate()
                .map(|(i, ((name, local, phone, company, created_at, modified_at, deleted_at), _, _))| UserRecord {
                    id: user_id(i),
                    // Unique whatever the local part: the position comes first.
                    email: format!("{i}.{local}@example.com"),
                    name: name.clone(),
                    phone: phone.clone(),
                    company: company.clone(),
                    created_at: *created_at,
                    modified_at: *modified_at,
                    deleted_at: *deleted_at,
                })
                .collect();
            let mut memberships = Vec::new();
            let mut schedules = Vec::new();
            for (i, (p, role, schedule)) in people.iter().enumerate() {
                let Some(role) = role else { continue };
                let id = 1000 + i as i64;
                memberships.push(MembershipRecord { id, user_id: user_id(i), role: *role, created_at: p.4, modified_at: p.5 });
                if let Some((zone, ranges)) = schedule {
                    let ranges = ranges
                        .iter()
                        .map(|&(weekday, start_minute, long)| RangeRecord { weekday, start_minute, end_minute: (start_minute + long).min(1440) })
                        .collect();
                    schedules.push(ScheduleRecord { membership_id: id, zone: zone.clone(), ranges });
                }
            }
            let someone = |choice: Option<usize>| choice.filter(|_| !users.is_empty()).map(|i| users[i % users.len()].id);
            let mut conversations: Vec<ConversationRecord> = conversations
                .into_iter()
                .enumerate()
                .map(|(i, (back, lasted, channel, customer, operator, status, customer_replied))| {
                    let created_at = exported_at.saturating_sub(back);
                    ConversationRecord {
                        id: 10_000 + i as i64,
                        channel,
                        customer,
                        operator_user_id: someone(operator),
                        status,
                        created_at,
                        last_activity_at: created_at.saturating_add(lasted).min(exported_at),
                        customer_replied,
                        message_count: 0,
                    }
                })
                .collect();
            let oldest = exported_at.saturating_sub(TWENTY_YEARS);
            let messages = if conversations.is_empty() {
                Vec::new()
            } else {
                messages
                    .into_iter()
                    .enumerate()
                    .map(|(i, (of, author, text, back))| {
                        let c = &conversations[of % conversations.len()];
                        MessageRecord {
                            id: 20_000 + i as i64,
                            conversation_id: c.id,
                            author,
                            text,
                            at: c.last_activity_at.saturating_sub(back).max(oldest),
                        }
                    })
                    .collect()
            };
            for c in &mut conversations {
                c.message_count = messages.iter().filter(|m| m.conversation_id == c.id).count() as i64;
            }
            let audit = audit
                .into_iter()
                .enumerate()
                .map(|(i, (back, actor, subject_user, action, subject, before, after))| AuditRecord {
                    id: 30_000 + i as i64,
                    at: exported_at.saturating_sub(back),
                    actor_user_id: someone(actor),
                    subject_user_id: someone(subject_user),
                    action,
                    subject,
                    before,
                    after,
                })
                .collect();
            let manifest = Manifest {
                format: FORMAT_NAME.into(),
                format_version: FORMAT_VERSION,
                source_install_id: source,
                tenant_id,
                tenant_name: tenant.name.clone(),
                exported_at,
                counts: Counts::default(),
            };
            Model { manifest, tenant, users, memberships, schedules, conversations, messages, audit, crlf, deflate }
        })
}

fn lines<T: serde::Serialize>(records: &[T], crlf: bool) -> Vec<u8> {
    let mut out = Vec::new();
    for r in records {
        out.extend(serde_json::to_vec(r).unwrap_or_default());
        out.extend_from_slice(if crlf { b"\r\n" } else { b"\n" });
    }
    out
}

impl Model {
    /// The archive's entries, named, in the order an export writes them;
    /// the manifest counts what the files hold.
    pub fn entries(&self) -> Vec<(String, Vec<u8>)> {
        let counts = Counts {
            tenant: 1,
            users: self.users.len() as u64,
            memberships: self.memberships.len() as u64,
            schedules: self.schedules.len() as u64,
            conversations: self.conversations.len() as u64,
            messages: self.messages.len() as u64,
            audit_log: self.audit.len() as u64,
        };
        let manifest = Manifest { counts, ..self.manifest.clone() };
        let c = self.crlf;
        vec![
            (MANIFEST.into(), serde_json::to_vec(&manifest).unwrap_or_default()),
            (EntityFile::Tenant.name().into(), lines(std::slice::from_ref(&self.tenant), c)),
            (EntityFile::Users.name().into(), lines(&self.users, c)),
            (EntityFile::Memberships.name().into(), lines(&self.memberships, c)),
            (EntityFile::Schedules.name().into(), lines(&self.schedules, c)),
            (EntityFile::Conversations.name().into(), lines(&self.conversations, c)),
            (EntityFile::Messages.name().into(), lines(&self.messages, c)),
            (EntityFile::AuditLog.name().into(), lines(&self.audit, c)),
        ]
    }

    /// The rows a snapshot of this archive holds, in the shape of `snapshot_rows`.
    pub fn rows(&self) -> Value {
        let email = |id: Option<i64>| id.and_then(|id| self.users.iter().find(|u| u.id == id)).map(|u| u.email.clone());
        let t = &self.tenant;
        serde_json::json!({
            "tenant": [[t.name, t.description, t.billing_email, t.phone, t.website, t.country, t.street, t.zip_code,
                        t.timezone, serde_json::to_string(&t.labels).unwrap_or_default(), i64::from(t.require_mfa),
                        t.created_at, t.modified_at]],
            "people": self.users.iter().map(|u| serde_json::json!([u.email, u.name, u.phone, u.company, u.created_at, u.modified_at, u.deleted_at])).collect::<Vec<_>>(),
            "memberships": self.memberships.iter().map(|m| serde_json::json!([email(Some(m.user_id)), m.role, m.created_at, m.modified_at])).collect::<Vec<_>>(),
            "zones": self.schedules.iter().map(|s| serde_json::json!([email(self.member(s.membership_id)), s.zone])).collect::<Vec<_>>(),
            // A schedule's ranges are a set: compared in the order of the week.
            "ranges": self.schedules.iter().flat_map(|s| {
                let mut ranges: Vec<_> = s.ranges.iter().collect();
                ranges.sort_by_key(|r| (r.weekday, r.start_minute));
                ranges.into_iter().map(|r| serde_json::json!([email(self.member(s.membership_id)), r.weekday, r.start_minute, r.end_minute]))
            }).collect::<Vec<_>>(),
            "conversations": self.conversations.iter().map(|c| serde_json::json!([c.channel, c.customer, email(c.operator_user_id), c.status.key(),
                c.created_at, c.last_activity_at, i64::from(c.customer_replied), c.message_count])).collect::<Vec<_>>(),
            "messages": self.messages.iter().map(|m| serde_json::json!([self.conversations.iter().position(|c| c.id == m.conversation_id).map(|p| p + 1),
                m.author.key(), m.text, m.at])).collect::<Vec<_>>(),
            "audit": self.audit.iter().map(|a| serde_json::json!([a.at, email(a.actor_user_id), email(a.subject_user_id), a.action, a.subject, a.before, a.after])).collect::<Vec<_>>(),
        })
    }

    fn member(&self, membership_id: i64) -> Option<i64> {
        self.memberships.iter().find(|m| m.id == membership_id).map(|m| m.user_id)
    }
}

/// A small valid archive: a tenant with one conversation and one audit entry,
/// all within the rules, and nothing else.
pub fn small_archive() -> Model {
    let exported_at = NOW - DAY;
    Model {
        manifest: Manifest {
            format: FORMAT_NAME.into(),
            format_version: FORMAT_VERSION,
            source_install_id: "elsewhere".into(),
            tenant_id: 7,
            tenant_name: "Small".into(),
            exported_at,
            counts: Counts::default(),
        },
        tenant: TenantRecord {
            id: 7,
            name: "Small".into(),
            description: String::new(),
            billing_email: String::new(),
            phone: String::new(),
            website: String::new(),
            country: String::new(),
            street: String::new(),
            zip_code: String::new(),
            timezone: "UTC".into(),
            labels: vec![],
            require_mfa: false,
            created_at: exported_at - 10 * DAY,
            modified_at: exported_at - 10 * DAY,
        },
        users: vec![],
        memberships: vec![],
        schedules: vec![],
        conversations: vec![ConversationRecord {
            id: 1,
            channel: "web".into(),
            customer: "C".into(),
            operator_user_id: None,
            status: ConversationStatus::Open,
            created_at: exported_at - 2 * DAY,
            last_activity_at: exported_at - DAY,
            customer_replied: false,
            message_count: 0,
        }],
        messages: vec![],
        audit: vec![AuditRecord {
            id: 1,
            at: exported_at - DAY,
            actor_user_id: None,
            subject_user_id: None,
            action: "tenant.update".into(),
            subject: "tenant:7".into(),
            before: None,
            after: None,
        }],
        crlf: false,
        deflate: true,
    }
}

/// `entries` packed as a zip, deflated or stored.
pub fn zip(entries: &[(String, Vec<u8>)], deflate: bool) -> Vec<u8> {
    let method = if deflate { zip::CompressionMethod::Deflated } else { zip::CompressionMethod::Stored };
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    for (name, bytes) in entries {
        w.start_file(name.as_str(), options).unwrap();
        w.write_all(bytes).unwrap();
    }
    w.finish().unwrap().into_inner()
}

pub fn rows(desk: &Desk, sql: &str, params: impl tenant_desk_core::store::sql::Params) -> Value {
    desk.db()
        .read(|tx| {
            let mut stmt = tx.prepare(sql)?;
            let n = stmt.column_count();
            let rows = stmt.query_map(params, |r| {
                (0..n)
                    .map(|i| {
                        Ok(match r.get_ref(i)? {
                            tenant_desk_core::store::sql::ValueRef::Null => Value::Null,
                            tenant_desk_core::store::sql::ValueRef::Integer(v) => v.into(),
                            tenant_desk_core::store::sql::ValueRef::Real(v) => v.into(),
                            tenant_desk_core::store::sql::ValueRef::Text(t) => t.into(),
                            tenant_desk_core::store::sql::ValueRef::Blob(b) => format!("{b:?}").into(),
                        })
                    })
                    .collect::<tenant_desk_core::store::sql::Result<Vec<Value>>>()
                    .map(Value::Array)
            })?;
            Ok(Value::Array(rows.collect::<tenant_desk_core::store::sql::Result<Vec<_>>>()?))
        })
        .unwrap_or_else(|e| panic!("{sql}: {e:?}"))
}

/// What the snapshot `tenant_id` holds, in the shape of `Model::rows`.
pub fn snapshot_rows(desk: &Desk, tenant_id: i64) -> Value {
    let people_key = format!(" snapshot:{tenant_id}:");
    let t = (tenant_id,);
    serde_json::json!({
        "tenant": rows(desk, "SELECT name, description, billing_email, phone, website, country, street, zip_code, timezone, labels,
                                     require_mfa, created_at, modified_at FROM tenants WHERE id = ?1", t),
        "people": rows(desk, "SELECT email, name, phone, company, created_at, modified_at, deleted_at FROM accounts
                               WHERE substr(email_key, 1, length(?1)) = ?1 ORDER BY id", (people_key.as_str(),)),
        "memberships": rows(desk, "SELECT a.email, m.role, m.created_at, m.modified_at FROM memberships m JOIN accounts a ON a.id = m.account_id
                                    WHERE m.tenant_id = ?1 AND m.snapshot_reader = 0 ORDER BY m.id", t),
        "zones": rows(desk, "SELECT a.email, s.zone FROM operator_schedules s JOIN memberships m ON m.id = s.membership_id
                               JOIN accounts a ON a.id = m.account_id WHERE m.tenant_id = ?1 ORDER BY m.id", t),
        "ranges": rows(desk, "SELECT a.email, r.weekday, r.start_minute, r.end_minute FROM operator_schedule_ranges r
                                JOIN memberships m ON m.id = r.membership_id JOIN accounts a ON a.id = m.account_id
                               WHERE m.tenant_id = ?1 ORDER BY m.id, r.weekday, r.start_minute", t),
        "conversations": rows(desk, "SELECT c.channel, c.customer, a.email, c.status, c.created_at, c.last_activity_at, c.customer_replied,
                                            c.message_count FROM conversations c LEFT JOIN accounts a ON a.id = c.operator_account_id
                                      WHERE c.tenant_id = ?1 ORDER BY c.id", t),
        "messages": rows(desk, "SELECT (SELECT count(*) FROM conversations c2 WHERE c2.tenant_id = ?1 AND c2.id <= m.conversation_id),
                                       m.author, m.text, m.at FROM messages m JOIN conversations c ON c.id = m.conversation_id
                                 WHERE c.tenant_id = ?1 ORDER BY m.id", t),
        "audit": rows(desk, "SELECT l.at, act.email, sub.email, l.action, l.subject, l.before, l.after FROM audit_log l
                               LEFT JOIN accounts act ON act.id = l.actor_account_id LEFT JOIN accounts sub ON sub.id = l.subject_account_id
                              WHERE l.tenant_id = ?1 ORDER BY l.id", t),
    })
}
