//! The Users table: search by name or email, sort by any column, page.
//!
//! Terms of three characters or more are looked up in the trigram index
//! (`account_search`, FTS5), so a term that matches nothing costs an index
//! probe, not a scan. Shorter terms cannot use trigrams; they scan the folded
//! text in the requested order and stop as soon as the page is full, which is
//! quick for the common one- and two-letter prefixes people type first.

use rusqlite::types::Value;
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{row, scope, UserRow, ROW_SELECT};
use crate::authz::{authorize, Actor, Operation};
use crate::error::Result;
use crate::store::fold_case;
use crate::Desk;

pub const PAGE_SIZE_MAX: u32 = 200;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, Type)]
#[serde(rename_all = "snake_case")]
pub enum UserSort {
    Id,
    Name,
    Email,
    Role,
    Tenant,
    CreatedOn,
    ModifiedOn,
}

#[derive(Debug, Clone, Deserialize, Type)]
pub struct UserQuery {
    /// Part of a name or email; case-insensitive. Empty: everyone.
    pub term: String,
    pub sort: UserSort,
    pub descending: bool,
    /// From 0.
    pub page: u32,
    pub page_size: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct UserPage {
    pub rows: Vec<UserRow>,
    pub page: u32,
    pub page_size: u32,
    /// Whether a next page exists (counting every match of a common term
    /// would cost a scan; the pager only needs this).
    pub has_more: bool,
    /// Users in the tenant, whatever the search.
    pub total: i64,
    /// The tenant's timezone, for showing Created On and Modified On.
    pub timezone: String,
}

impl UserQuery {
    pub fn search(term: &str) -> Self {
        Self { term: term.to_owned(), sort: UserSort::Id, descending: false, page: 0, page_size: 50 }
    }
}

fn order_by(sort: UserSort) -> &'static str {
    match sort {
        UserSort::Id => "m.id",
        UserSort::Name => "(SELECT name_key FROM account_search_text WHERE account_id = m.account_id)",
        UserSort::Email => "a.email_key",
        UserSort::Role => "m.role",
        UserSort::Tenant => "t.name COLLATE NOCASE",
        UserSort::CreatedOn => "m.created_at",
        UserSort::ModifiedOn => "m.modified_at",
    }
}

/// The FTS5 query for a substring: one quoted phrase, quotes doubled.
fn phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

impl Desk {
    /// A page of the actor's current tenant's users.
    pub fn list_users(&self, actor: &Actor, query: &UserQuery) -> Result<UserPage> {
        authorize(actor, Operation::ListUsers)?;
        let page_size = query.page_size.clamp(1, PAGE_SIZE_MAX);
        let Some(tenant_id) = actor.tenant.as_ref().map(|t| t.tenant_id) else {
            return Ok(UserPage { rows: Vec::new(), page: 0, page_size, has_more: false, total: 0, timezone: "UTC".into() });
        };
        let term = fold_case(query.term.trim());
        self.db.read(|tx| {
            scope::require_admin_of(tx, actor, tenant_id)?;
            let mut params: Vec<Value> = vec![
                tenant_id.into(),
                i64::from(page_size + 1).into(),
                (i64::from(query.page) * i64::from(page_size)).into(),
            ];
            let filter = match term.chars().count() {
                0 => "",
                1 | 2 => {
                    params.push(term.clone().into());
                    "AND instr((SELECT text FROM account_search_text WHERE account_id = m.account_id), ?4) > 0"
                }
                _ => {
                    params.push(phrase(&term).into());
                    "AND m.account_id IN (SELECT rowid FROM account_search WHERE account_search MATCH ?4)"
                }
            };
            let dir = if query.descending { "DESC" } else { "ASC" };
            let sql = format!(
                "{ROW_SELECT} WHERE m.tenant_id = ?1 AND a.deleted_at IS NULL {filter}
                  ORDER BY {} {dir}, m.id {dir} LIMIT ?2 OFFSET ?3",
                order_by(query.sort)
            );
            let mut stmt = tx.prepare_cached(&sql)?;
            let mut rows = stmt
                .query_map(rusqlite::params_from_iter(params), row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let has_more = rows.len() > page_size as usize;
            rows.truncate(page_size as usize);
            let (total, timezone): (i64, String) = tx.query_row(
                "SELECT (SELECT count(*) FROM memberships WHERE tenant_id = ?1), timezone FROM tenants WHERE id = ?1",
                [tenant_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            Ok(UserPage { rows, page: query.page, page_size, has_more, total, timezone })
        })
    }
}
