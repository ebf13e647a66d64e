//! The Users table: search by name or email, sort by any column, page.
//!
//! The search index (`user_search`, FTS5 trigrams, one row per user) answers
//! terms of three characters or more. How a page is found depends on the sort:
//! - by ID, the index yields matches in ID order, so a page stops after its
//!   rows whether the term is common or rare;
//! - by another column, a rare term's matches (at most `RARE_MATCHES`) come
//!   from the index and are sorted; a common term's page comes from walking
//!   the column's index and keeping rows that contain the term, which soon
//!   fills a page.
//!
//! Terms of one or two characters have no trigram of their own: the index's
//! vocabulary says at once whether any trigram starts with them (name and
//! email both end with a separator, so every occurrence starts one); if so,
//! the table is walked in order as above.

use crate::store::sql::Value;
use crate::store::sql::{params, Dialect, Tx};
use serde::{Deserialize, Serialize};
use specta::Type;

use super::{row, with_limits, UserRow, ROW_COLUMNS};
use crate::authz::{permit, Actor, Operation, Permit};
use crate::error::Result;
use crate::store::fold_case;
use crate::Desk;

pub const PAGE_SIZE_MAX: u32 = 200;
/// The longest search: a whole email address.
pub const TERM_MAX_CHARS: usize = 254;

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

#[derive(Debug, Clone, Serialize, Deserialize, Type)]
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
    /// Users in the tenant; given for the unfiltered table only.
    pub total: Option<i64>,
    /// The tenant's timezone, for showing Created On and Modified On.
    pub timezone: String,
}

impl UserQuery {
    pub fn search(term: &str) -> Self {
        Self { term: term.to_owned(), sort: UserSort::Id, descending: false, page: 0, page_size: 50 }
    }
}

/// The ORDER BY of each sort. Each can be read off an index, so a page of a
/// common term stops early. The table lists one tenant, so sorting by tenant
/// is sorting by ID.
fn order_by(sort: UserSort, dir: &str) -> String {
    match sort {
        UserSort::Id | UserSort::Tenant => format!("m.id {dir}"),
        UserSort::Name => format!("st.name_key {dir}, st.membership_id {dir}"),
        UserSort::Email => format!("a.email_key {dir}"),
        UserSort::Role => format!("m.role {dir}, m.id {dir}"),
        UserSort::CreatedOn => format!("m.created_at {dir}, m.id {dir}"),
        UserSort::ModifiedOn => format!("m.modified_at {dir}, m.id {dir}"),
    }
}

/// Above this many matches a term counts as common (see the module comment).
const RARE_MATCHES: i64 = 2000;

// A snapshot's reader is not one of its users (`snapshot_reader`).
// Each plan first finds the IDs of one page (the inner query: only the
// index and the columns it needs), then reads those rows' columns.
const INDEX_IDS: &str = "SELECT m.id FROM user_search s CROSS JOIN memberships m ON m.id = s.rowid
      JOIN user_search_text st ON st.membership_id = m.id{accounts}
     WHERE user_search MATCH ?4 AND m.tenant_id = ?1 AND m.snapshot_reader = 0";

const TABLE_IDS: &str = "SELECT m.id FROM memberships m
      JOIN user_search_text st ON st.membership_id = m.id{accounts}
     WHERE m.tenant_id = ?1 AND m.snapshot_reader = 0";

/// The inner query reads accounts only to sort by email: every membership
/// has its account, so the join changes no page, and a rare term's matches
/// are each one lookup cheaper without it.
fn ids_from(ids: &str, sort: UserSort) -> String {
    ids.replace("{accounts}", if sort == UserSort::Email { " JOIN accounts a ON a.id = m.account_id" } else { "" })
}

const PAGE_ROWS: &str = "CROSS JOIN memberships m ON m.id = p.id
      JOIN user_search_text st ON st.membership_id = m.id
      JOIN accounts a ON a.id = m.account_id JOIN tenants t ON t.id = m.tenant_id";

/// The FTS5 query for a substring: one quoted phrase, quotes doubled.
fn phrase(term: &str) -> String {
    format!("\"{}\"", term.replace('"', "\"\""))
}

/// A LIKE pattern matching `term` anywhere, its wildcards taken literally.
fn like_anywhere(term: &str) -> String {
    let escaped = term.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    format!("%{escaped}%")
}

/// How a page of a search is read.
enum Plan {
    /// No such text anywhere: nothing to read.
    Nothing,
    /// Every user of the tenant (no term).
    Table,
    /// The index, in ID order.
    IndexById(String),
    /// The index's matches, sorted.
    IndexSorted(String),
    /// The table in the sort's order, keeping rows that contain the term.
    Walk(String),
    /// PostgreSQL: rows whose text is LIKE the term anywhere; its trigram
    /// index (pg_trgm) answers a rare term, and the planner walks the sort's
    /// index for a common or short one.
    Contains(String),
}

fn plan(tx: &Tx, term: &str, sort: UserSort) -> Result<Plan> {
    let by_id = matches!(sort, UserSort::Id | UserSort::Tenant);
    let chars = term.chars().count();
    if chars == 0 {
        return Ok(Plan::Table);
    }
    if tx.dialect() == Dialect::Postgres {
        // PostgreSQL text never holds a NUL, so nothing contains one.
        return Ok(if term.contains('\0') { Plan::Nothing } else { Plan::Contains(term.to_owned()) });
    }
    if chars < 3 {
        return Ok(if starts_a_trigram(tx, term)? { Plan::Walk(term.to_owned()) } else { Plan::Nothing });
    }
    // FTS5 reads a query only up to a NUL, so such a term is looked for in the table.
    if term.contains('\0') {
        return Ok(Plan::Walk(term.to_owned()));
    }
    if by_id {
        return Ok(Plan::IndexById(phrase(term)));
    }
    let matches: i64 = tx.query_row(
        "SELECT count(*) FROM (SELECT rowid FROM user_search WHERE user_search MATCH ?1 LIMIT ?2)",
        params![phrase(term), RARE_MATCHES + 1],
        |r| r.get(0),
    )?;
    Ok(if matches > RARE_MATCHES { Plan::Walk(term.to_owned()) } else { Plan::IndexSorted(phrase(term)) })
}

/// Whether any indexed trigram begins with `prefix` (one or two characters).
fn starts_a_trigram(tx: &Tx, prefix: &str) -> Result<bool> {
    let mut upper: Vec<char> = prefix.chars().collect();
    let Some(last) = upper.pop() else { return Ok(false) };
    let next = char::from_u32(u32::from(last) + 1).unwrap_or(char::MAX);
    upper.push(next);
    let upper: String = upper.into_iter().collect();
    let mut stmt = tx.prepare_cached("SELECT 1 FROM user_search_vocab WHERE term >= ?1 AND term < ?2 LIMIT 1")?;
    Ok(stmt.exists(params![prefix, upper])?)
}

impl Desk {
    /// A page of the actor's current tenant's users, each with what the
    /// actor may not do to their account.
    pub fn list_users(&self, actor: &Actor, query: &UserQuery) -> Result<UserPage> {
        let page_size = query.page_size.clamp(1, PAGE_SIZE_MAX);
        self.db.read(|tx| {
            let permit = permit(tx, actor, Operation::ListUsers)?;
            let page = page(tx, &permit, query, page_size)?;
            Ok(UserPage { rows: with_limits(tx, &permit, page.rows)?, ..page })
        })
    }

    /// The Users table's query with a page of any size (the CSV export takes
    /// every row in one page).
    pub(crate) fn users_page(&self, actor: &Actor, query: &UserQuery, page_size: u32) -> Result<UserPage> {
        self.db.read(|tx| page(tx, &permit(tx, actor, Operation::ListUsers)?, query, page_size))
    }
}

fn page(tx: &Tx, permit: &Permit, query: &UserQuery, page_size: u32) -> Result<UserPage> {
    if query.term.trim().chars().count() > TERM_MAX_CHARS {
        let mut errors = crate::error::FieldErrors::new();
        errors.add("term", format!("Search for at most {TERM_MAX_CHARS} characters."));
        errors.into_result()?;
    }
    let Some(tenant_id) = permit.tenant_id() else {
        return Ok(UserPage { rows: Vec::new(), page: 0, page_size, has_more: false, total: Some(0), timezone: "UTC".into() });
    };
    let term = fold_case(query.term.trim());
    let dir = if query.descending { "DESC" } else { "ASC" };
    let timezone: String = tx.query_row("SELECT timezone FROM tenants WHERE id = ?1", [tenant_id], |r| r.get(0))?;
    // Counting a tenant's users reads its whole index; only the
    // unfiltered table shows the count.
    let total = if term.is_empty() {
        Some(tx.query_row("SELECT (SELECT count(*) FROM memberships WHERE tenant_id = ?1)
                  - (SELECT count(*) FROM memberships WHERE tenant_id = ?1 AND snapshot_reader = 1)", [tenant_id], |r| r.get(0))?)
    } else {
        None
    };
    let mut params: Vec<Value> = vec![
        tenant_id.into(),
        (i64::from(page_size) + 1).into(),
        (i64::from(query.page) * i64::from(page_size)).into(),
    ];
    let order = order_by(query.sort, dir);
    let ids = match plan(tx, &term, query.sort)? {
        Plan::Nothing => None,
        Plan::Table => Some(format!("{} ORDER BY {order}", ids_from(TABLE_IDS, query.sort))),
        Plan::IndexById(phrase) => {
            params.push(phrase.into());
            Some(format!("{} ORDER BY s.rowid {dir}", ids_from(INDEX_IDS, query.sort)))
        }
        Plan::IndexSorted(phrase) => {
            params.push(phrase.into());
            Some(format!("{} ORDER BY {order}", ids_from(INDEX_IDS, query.sort)))
        }
        Plan::Walk(term) => {
            params.push(term.into());
            Some(format!("{} AND instr(st.text, ?4) > 0 ORDER BY {order}", ids_from(TABLE_IDS, query.sort)))
        }
        Plan::Contains(term) => {
            params.push(like_anywhere(&term).into());
            Some(format!("{} AND st.text LIKE ?4 ESCAPE '\\' ORDER BY {order}", ids_from(TABLE_IDS, query.sort)))
        }
    };
    let mut rows = match ids {
        None => Vec::new(),
        Some(ids) => {
            let sql = format!("{ROW_COLUMNS} FROM ({ids} LIMIT ?2 OFFSET ?3) p {PAGE_ROWS} ORDER BY {order}");
            let mut stmt = tx.prepare_cached(&sql)?;
            let rows = stmt.query_map(crate::store::sql::params_from_iter(params), row)?;
            rows.collect::<crate::store::sql::Result<Vec<_>>>()?
        }
    };
    let has_more = rows.len() > page_size as usize;
    rows.truncate(page_size as usize);
    Ok(UserPage { rows, page: query.page, page_size, has_more, total, timezone })
}
