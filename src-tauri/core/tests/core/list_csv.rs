//! Export CSV: the rows of the screen's own query with the person's filters,
//! search and sort, every page of them, and no cell a spreadsheet would run.

use tenant_desk_core::audit::AuditQuery;
use tenant_desk_core::authz::{Caller, Role};
use tenant_desk_core::conversations::{NewConversation, ConversationQuery, ConversationStatus};
use tenant_desk_core::users::{UserQuery, UserSort};
use tenant_desk_core::ErrorCode;

use crate::support::*;

fn records(csv_text: &str) -> (Vec<String>, Vec<Vec<String>>) {
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let header = reader.headers().unwrap().iter().map(str::to_owned).collect();
    let rows = reader.records().map(|r| r.unwrap().iter().map(str::to_owned).collect()).collect();
    (header, rows)
}

#[test]
fn users_csv_holds_every_filtered_row_in_the_screen_order() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    for n in 0..60 {
        new_user(&h.desk, &admin, &format!("agent{n:02}@csv.example.com"), Role::TenantUser);
    }
    let query = UserQuery { term: "csv.example".into(), sort: UserSort::Email, descending: true, page: 1, page_size: 50 };
    let (header, rows) = records(&h.desk.users_csv(&admin, &query).unwrap());
    assert_eq!(header, ["ID", "Name", "Email", "Role", "Tenant", "Created On", "Modified On"]);

    let mut screen = Vec::new();
    for page in 0.. {
        let shown = h.desk.list_users(&admin, &UserQuery { page, ..query.clone() }).unwrap();
        screen.extend(shown.rows);
        if !shown.has_more {
            break;
        }
    }
    assert_eq!(screen.len(), 60, "every page, not only the one on screen");
    assert_eq!(rows.len(), screen.len());
    for (row, user) in rows.iter().zip(&screen) {
        assert_eq!(row[0], user.id.to_string());
        assert_eq!(row[2], user.email);
        assert_eq!(row[3], "Tenant User");
        assert_eq!(row[4], "Acme Support");
    }
    assert_eq!(rows[0][2], "agent59@csv.example.com");
    // Stored in UTC, written in the tenant's timezone (Berlin, winter).
    assert_eq!(rows[0][5], "2026-03-01T10:00:00+01:00");
}

#[test]
fn a_cell_a_spreadsheet_would_run_gets_a_leading_quote() {
    let h = Harness::new();
    h.set_up(false);
    let admin = h.actor_of(ADMIN_EMAIL);
    let mut input = new_user_input("formula@example.com", Role::TenantUser, tenant_id(&admin));
    input.name = "=HYPERLINK(\"http://evil.example\",\"x\")".into();
    h.desk.create_user(&admin, input).unwrap();
    let caller: Caller = (&admin).into();
    h.desk
        .create_conversation(&caller, NewConversation { customer: "+49 30 1234".into(), channel: "@chat".into(), ..new_conversation(None) })
        .unwrap();

    let (_, users) = records(&h.desk.users_csv(&admin, &UserQuery::search("formula")).unwrap());
    assert_eq!(users.len(), 1);
    assert_eq!(users[0][1], "'=HYPERLINK(\"http://evil.example\",\"x\")");
    let (_, conversations) = records(&h.desk.conversations_csv(&caller, &ConversationQuery::default()).unwrap());
    assert_eq!(conversations[0][1], "'+49 30 1234");
    assert_eq!(conversations[0][2], "'@chat");
}

#[test]
fn sessions_tenants_and_audit_csv_follow_their_filters() {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    let caller: Caller = (&admin).into();
    for n in 0..5 {
        let id = session_of(&h.desk, &caller, None);
        if n % 2 == 0 {
            h.desk.resolve_conversation(&caller, id).unwrap();
        }
    }
    let open = ConversationQuery { status: Some(ConversationStatus::Open), page_size: 1, ..ConversationQuery::default() };
    let (header, rows) = records(&h.desk.conversations_csv(&caller, &open).unwrap());
    assert_eq!(header[..5], ["ID", "Customer", "Channel", "Status", "Operator"]);
    let screen = h.desk.list_conversations(&caller, &ConversationQuery { page_size: 50, ..open.clone() }).unwrap();
    assert_eq!(rows.iter().map(|r| r[0].clone()).collect::<Vec<_>>(), screen.rows.iter().map(|s| s.id.to_string()).collect::<Vec<_>>());
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r[3] == "Open" && r[4] == "Waiting"));

    h.desk.add_tenant(&admin, &valid_tenant("Borealis Care")).unwrap();
    let (header, rows) = records(&h.desk.tenants_csv(&admin, "borealis").unwrap());
    assert_eq!(header, ["Name", "Description", "Billing email", "Phone", "Address", "Created On"]);
    assert_eq!(rows.len(), 1);
    assert_eq!(rows[0][0], "Borealis Care");
    // Data, not display: RFC 3339 with the tenant's offset.
    assert!(chrono::DateTime::parse_from_rfc3339(&rows[0][5]).is_ok(), "{}", rows[0][5]);

    new_user(&h.desk, &admin, "audited@example.com", Role::TenantUser);
    new_user(&h.desk, &admin, "audited.too@example.com", Role::TenantViewer);
    let query = AuditQuery { action: "user.create".into(), ..AuditQuery::default() };
    let (_, rows) = records(&h.desk.audit_log_csv(&admin, &query).unwrap());
    let screen = h.desk.audit_log(&admin, &query).unwrap();
    assert_eq!(rows.len(), screen.entries.len());
    assert_eq!(rows.len(), 2);
    assert!(rows.iter().all(|r| r[2] == "user.create"));
    assert!(rows[0][3].contains("audited.too@example.com"), "newest first, as on screen");
}

#[test]
fn an_export_is_refused_to_whoever_may_not_see_the_table() {
    let h = Harness::new();
    h.set_up(true);
    let user = h.actor_of(member_email(Role::TenantUser));
    let viewer = h.actor_of(member_email(Role::TenantViewer));
    assert_eq!(h.desk.users_csv(&viewer, &UserQuery::search("")).unwrap_err().code, ErrorCode::NotAllowed);
    assert_eq!(h.desk.tenants_csv(&viewer, "").unwrap_err().code, ErrorCode::NotAllowed);
    assert_eq!(h.desk.audit_log_csv(&viewer, &AuditQuery::default()).unwrap_err().code, ErrorCode::NotAllowed);
    assert_eq!(h.desk.conversations_csv(&(&user).into(), &ConversationQuery::default()).unwrap_err().code, ErrorCode::NotAllowed);
    assert!(h.desk.conversations_csv(&(&viewer).into(), &ConversationQuery::default()).is_ok());
}
