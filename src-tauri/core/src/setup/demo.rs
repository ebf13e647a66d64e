//! The demo team: one person per role (two operators with schedules), so a
//! new install has something to look at. Demo members sign in with the
//! password the administrator chose during setup.

use crate::store::sql::{params, Tx};

use crate::auth::password;
use crate::authz::Role;
use crate::error::Result;
use crate::validate::email_key;

/// Working hours: (weekday 0 = Monday, start hour, end hour) in the tenant's zone.
pub(crate) type Schedule = Vec<(u8, u16, u16)>;

pub(crate) struct Member {
    pub name: &'static str,
    pub email: String,
    pub role: Role,
    pub password_hash: String,
    pub schedule: Option<Schedule>,
}

const DOMAIN: &str = "demo.tenant-desk.example";

const TEAM: [(&str, &str, Role); 6] = [
    ("Ada Lovelace", "ada.lovelace", Role::TenantAdmin),
    ("Tomás Muñoz", "tomas.munoz", Role::TenantUser),
    ("Élodie Durand", "elodie.durand", Role::TenantViewer),
    ("Priya Raman", "priya.raman", Role::TenantOperator),
    ("Kenji Watanabe", "kenji.watanabe", Role::TenantOperator),
    ("Sam Carter", "sam.carter", Role::TenantUser),
];

fn schedule_of(local: &str) -> Option<Schedule> {
    match local {
        // Weekdays 9–17.
        "priya.raman" => Some((0..5).map(|d| (d, 9, 17)).collect()),
        // A split shift on weekends: 8–12 and 14–20.
        "kenji.watanabe" => Some(vec![(5, 8, 12), (5, 14, 20), (6, 8, 12), (6, 14, 20)]),
        _ => None,
    }
}

pub(crate) fn team(password: &str, admin_email: &str) -> Result<Vec<Member>> {
    TEAM.iter()
        .map(|(name, local, role)| (name, format!("{local}@{DOMAIN}"), *role, schedule_of(local)))
        .filter(|(_, email, _, _)| email_key(email) != email_key(admin_email))
        .map(|(name, email, role, schedule)| {
            Ok(Member { name, email, role, password_hash: password::hash(password)?, schedule })
        })
        .collect()
}

pub(crate) fn insert_schedule(tx: &Tx, membership_id: i64, zone: &str, schedule: &Schedule) -> Result<()> {
    tx.execute(
        "INSERT INTO operator_schedules (membership_id, zone) VALUES (?1, ?2)",
        params![membership_id, zone],
    )?;
    for (weekday, start, end) in schedule {
        tx.execute(
            "INSERT INTO operator_schedule_ranges (membership_id, weekday, start_minute, end_minute)
             VALUES (?1, ?2, ?3, ?4)",
            params![membership_id, weekday, start * 60, end * 60],
        )?;
    }
    Ok(())
}
