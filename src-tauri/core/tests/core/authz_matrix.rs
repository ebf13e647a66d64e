//! Every operation, run for real by every role (and a platform administrator),
//! against the spec's table.

use chrono::Duration;
use tenant_desk_core::analytics::{AnalyticsRange, RangePreset};
use tenant_desk_core::archives::{ExportOutcome, ImportOutcome, Limits, Progress};
use tenant_desk_core::audit::AuditQuery;
use tenant_desk_core::auth::{PasswordChange, SessionToken};
use tenant_desk_core::preferences::Theme;
use tenant_desk_core::profile::PersonalDetails;
use tenant_desk_core::billing::NewPaymentMethod;
use tenant_desk_core::authz::{is_allowed, Actor, Operation, Role};
use tenant_desk_core::mfa::MfaDisableInput;
use tenant_desk_core::organizations::NewOrganization;
use tenant_desk_core::personal_api_keys::NewPersonalApiKey;
use tenant_desk_core::authz::Caller;
use tenant_desk_core::local_api::LocalApiSettings;
use tenant_desk_core::conversations::{Author, NewMessage, ConversationQuery};
use tenant_desk_core::users::{ExistingUser, UserChanges, UserQuery};
use tenant_desk_core::{Desk, ErrorCode};

use crate::support::*;

#[derive(Debug, Clone, Copy)]
enum Who {
    Member(Role),
    /// The install's first account: platform administrator and Tenant Admin of its tenant.
    PlatformAdmin,
}

/// The expected answer, written out from PRODUCT.md "Sections and who sees them"
/// and the Identity document (Add tenant: platform administrators only).
fn expected(who: Who, op: Operation) -> bool {
    use Operation::*;
    use Role::*;
    let admin = matches!(who, Who::PlatformAdmin | Who::Member(TenantAdmin));
    match op {
        ViewOwnProfile | ViewOwnOrganization | ManageOwnPreferences | ManageOwnNotifications => true,
        UpdateOwnDetails => !matches!(who, Who::Member(TenantViewer)),
        AddTenant => matches!(who, Who::PlatformAdmin),
        UpdateOwnOrganization | ListTenants | UpdateTenant | CopyTenantApiKey | RotateTenantApiKey => admin,
        // Settings > Identity > Users and the audit log.
        ListUsers | CreateUser | UpdateUser | DeleteUser | ResetUserPassword | ResetUserMfa | ViewAuditLog => admin,
        // The Profile header: one's own account, whatever the role.
        ViewOwnMfa | EnableOwnMfa | DisableOwnMfa | RegenerateRecoveryCodes => true,
        ListOwnOrganizations | SwitchOrganization | CreateOrganization => true,
        ListPersonalApiKeys | CreatePersonalApiKey | RevokePersonalApiKey => true,
        // Sessions: admins everything, viewers read, operators read, accept,
        // resolve and write in their own; Tenant Users nothing.
        ViewConversations => !matches!(who, Who::Member(TenantUser)),
        CreateConversation | AssignConversation => admin,
        // Settings of the whole install: platform administrators, never a
        // Tenant Admin of one organization.
        ManageLocalApi | ManagePlatformAdmins | ViewInstallAuditLog => matches!(who, Who::PlatformAdmin),
        ManageMemberApiKeys => admin,
        // One's own sign-in.
        ChangeOwnPassword | ManageOwnSignIns | AnswerInvitations => true,
        AppendMessage | AcceptConversation | ResolveConversation => admin || matches!(who, Who::Member(TenantOperator)),
        // Profile > Billing: read-only for every role but Tenant Admin.
        ViewBilling => true,
        ManageBilling | AddCredits => admin,
        // Analytics: Tenant Admins (whole tenant) and Tenant Operators (own work).
        ViewAnalytics | ExportChartData => admin || matches!(who, Who::Member(TenantOperator)),
        SetChartExportExpiry => admin,
        // The store holds every tenant of the install: platform administrators only.
        BackUpStore | RestoreStore => matches!(who, Who::PlatformAdmin),
        // Archives and snapshots: administrators.
        ExportTenantArchive | ImportTenantArchive | ViewSnapshots | RemoveSnapshot => admin,
        // Diagnostics for everyone; the log records every tenant of the install.
        ViewDiagnostics => true,
        ReadAppLog => matches!(who, Who::PlatformAdmin),
    }
}

/// Runs the operation for real. Operations on a user get a fresh target made
/// by the platform administrator, so every role acts on a live user.
/// Organizations that invite each identity (one it is not in), with their
/// inviters: members of Acme who own no other organization.
struct Inviting {
    for_members: (Actor, i64),
    for_platform_admin: (Actor, i64),
}

impl Inviting {
    fn new(h: &Harness) -> Self {
        let organization = |inviter: Actor, name: &str| {
            let org = h
                .desk
                .create_organization(&inviter, &NewOrganization { name: name.into(), billing_email: "b@example.com".into(), timezone: "UTC".into() })
                .unwrap_or_else(|e| panic!("organization: {e:?}"));
            (inviter, org.id)
        };
        Self {
            for_members: organization(h.actor_of("kenji.watanabe@demo.tenant-desk.example"), "Inviting members"),
            for_platform_admin: organization(h.actor_of("sam.carter@demo.tenant-desk.example"), "Inviting the platform administrator"),
        }
    }
}

fn run(
    h: &Harness,
    platform_admin: &Actor,
    inviting: &Inviting,
    (token, actor): (&SessionToken, &Actor),
    op: Operation,
    who: Who,
) -> Result<(), ErrorCode> {
    let desk: &Desk = &h.desk;
    let tenant = tenant_id(platform_admin);
    let who_key: String = format!("{who:?}").chars().filter(|c| c.is_ascii_alphanumeric()).collect();
    let admin_caller: Caller = platform_admin.into();
    let waiting_conversation = || session_of(desk, &admin_caller, None);
    // Assigned to the actor when they can handle conversations at all.
    let own_session = || {
        let handles = matches!(actor.role(), Some(Role::TenantAdmin | Role::TenantOperator));
        session_of(desk, &admin_caller, handles.then_some(actor.account_id))
    };
    let target = || new_user(desk, platform_admin, &format!("target-{op:?}-{who_key}@example.com"), Role::TenantUser).id;
    match op {
        Operation::ViewOwnProfile => desk.profile(actor).map(drop),
        Operation::UpdateOwnDetails => desk
            .update_own_details(
                actor,
                &PersonalDetails { name: "Renamed Person".into(), phone: "+4930123456".into(), company: "Acme".into() },
            )
            .map(drop),
        Operation::ManageOwnPreferences => desk.set_theme(actor, Theme::Dark).map(drop),
        Operation::ViewOwnOrganization => desk.organization(actor).map(drop),
        Operation::UpdateOwnOrganization => desk.update_own_organization(actor, &valid_organization("Acme")).map(drop),
        Operation::ListTenants => desk.list_tenants(actor, "").map(drop),
        Operation::UpdateTenant => desk.update_tenant(actor, tenant, &valid_tenant("Acme")).map(drop),
        Operation::AddTenant => desk.add_tenant(actor, &valid_tenant("Another tenant")).map(drop),
        Operation::CopyTenantApiKey => desk.tenant_api_key(actor, tenant).map(drop),
        Operation::RotateTenantApiKey => desk.rotate_tenant_api_key(actor, tenant),
        Operation::ListUsers => desk.list_users(actor, &UserQuery::search("")).map(drop),
        Operation::CreateUser => desk
            .create_user(actor, new_user_input(&format!("made-by-{who_key}@example.com"), Role::TenantUser, tenant))
            .map(drop),
        Operation::UpdateUser => desk
            .update_user(
                actor,
                target(),
                UserChanges { name: "Changed Name".into(), role: Role::TenantViewer, tenant_id: tenant, schedule: None },
            )
            .map(drop),
        Operation::DeleteUser => desk.delete_user(actor, target()).map(drop),
        Operation::ResetUserPassword => desk.reset_user_password(actor, target()).map(drop),
        Operation::ResetUserMfa => {
            // A target with MFA on, put straight in the store: this is about who may reset it.
            let user = new_user(desk, platform_admin, &format!("target-mfa-{who_key}@example.com"), Role::TenantUser);
            desk.db()
                .write(|tx| Ok(tx.execute("INSERT INTO account_mfa (account_id, enabled_at, last_step) VALUES (?1, 0, 0)", [user.account_id])?))
                .unwrap_or_else(|e| panic!("MFA on: {e:?}"));
            desk.reset_user_mfa(actor, user.id)
        }
        Operation::ViewAuditLog => desk.audit_log(actor, &AuditQuery::default()).map(drop),
        Operation::ViewConversations => desk.list_conversations(&actor.into(), &ConversationQuery::default()).map(drop),
        Operation::CreateConversation => desk.create_conversation(&actor.into(), new_conversation(None)).map(drop),
        Operation::AppendMessage => desk
            .append_message(
                &actor.into(),
                own_session(),
                NewMessage { author: Author::Operator, text: "On it.".into() },
            )
            .map(drop),
        Operation::AssignConversation => {
            let operator = account_id(desk, member_email(Role::TenantOperator));
            desk.assign_conversation(&actor.into(), waiting_conversation(), Some(operator)).map(drop)
        }
        Operation::AcceptConversation => desk.accept_conversation(actor, waiting_conversation()).map(drop),
        Operation::ResolveConversation => desk.resolve_conversation(&actor.into(), own_session()).map(drop),
        Operation::ManageLocalApi => {
            desk.update_local_api_settings(actor, LocalApiSettings { enabled: false, port: 8787 }).map(drop)
        }
        Operation::ManagePlatformAdmins => {
            let user = target();
            desk.set_platform_admin(actor, user, true).and_then(|_| desk.set_platform_admin(actor, user, false)).map(drop)
        }
        Operation::ViewInstallAuditLog => desk.audit_log(actor, &AuditQuery { install: true, ..AuditQuery::default() }).map(drop),
        Operation::ViewDiagnostics => desk.diagnostics(actor, "0.1.0").map(drop),
        Operation::ReadAppLog => desk.log_folder(actor).map(drop),
        Operation::ManageMemberApiKeys => desk.member_api_keys(actor).map(drop),
        Operation::ChangeOwnPassword => {
            // There and back, so the rest of the run signs in as before.
            let change = |from: &str, to: &str| PasswordChange { current: from.into(), password: to.into(), confirm: to.into() };
            desk.change_own_password(token, &change(PASSWORD, OTHER_PASSWORD))
                .and_then(|_| desk.change_own_password(token, &change(OTHER_PASSWORD, PASSWORD)))
                .map(drop)
        }
        Operation::ManageOwnSignIns => desk.signed_in_places(token).map(drop),
        Operation::AnswerInvitations => {
            // A tenant the person is not in invites them, and they decline.
            let email = account_email(desk, actor.account_id);
            let (inviter, org) = if actor.is_platform_admin { &inviting.for_platform_admin } else { &inviting.for_members };
            let invitation = desk
                .invite_existing_user(inviter, ExistingUser { email, role: Role::TenantUser, tenant_id: *org, schedule: None })
                .unwrap_or_else(|e| panic!("invite: {e:?}"));
            desk.received_invitations(actor).and_then(|_| desk.answer_invitation(actor, invitation.id, false)).map(drop)
        }
        Operation::ManageOwnNotifications => desk.block_notifications(actor).map(drop),
        Operation::ViewOwnMfa => desk.mfa_status(actor).map(drop),
        Operation::EnableOwnMfa => enable_mfa(h, actor).map(drop),
        Operation::RegenerateRecoveryCodes => {
            enable_mfa(h, actor).map_err(|e| e.code)?;
            desk.regenerate_recovery_codes(actor, PASSWORD).map(drop)
        }
        Operation::DisableOwnMfa => {
            let secret = enable_mfa(h, actor).map_err(|e| e.code)?;
            h.clock.advance(Duration::seconds(30));
            desk.disable_mfa(actor, &MfaDisableInput { password: PASSWORD.into(), code: h.code(&secret) })
        }
        Operation::ListOwnOrganizations => desk.organizations(actor).map(drop),
        Operation::SwitchOrganization => desk.switch_organization(token, tenant).map(drop),
        Operation::CreateOrganization => desk
            .create_organization(
                actor,
                &NewOrganization { name: format!("Own of {who_key}"), billing_email: "b@example.com".into(), timezone: "UTC".into() },
            )
            .map(drop),
        Operation::ListPersonalApiKeys => desk.personal_api_keys(actor).map(drop),
        Operation::CreatePersonalApiKey => desk
            .create_personal_api_key(actor, &NewPersonalApiKey { name: "Matrix".into(), expires_in_days: Some(7) })
            .map(drop),
        Operation::RevokePersonalApiKey => {
            let made = desk.create_personal_api_key(actor, &NewPersonalApiKey { name: "To revoke".into(), expires_in_days: None }).map_err(|e| e.code)?;
            desk.revoke_personal_api_key(actor, made.key.id)
        }
        Operation::ViewBilling => desk.billing(actor).map(drop),
        Operation::ManageBilling => desk
            .add_payment_method(
                actor,
                &NewPaymentMethod { brand: "Visa".into(), last4: "4242".into(), exp_month: 12, exp_year: 2030 },
            )
            .map(drop),
        Operation::ExportTenantArchive => desk
            .export_tenant_archive(actor, &h.dir.path().join(format!("matrix-{who_key}.tdarchive")), &Progress::new())
            .map(drop),
        Operation::ImportTenantArchive => desk
            .import_tenant_archive(actor, &matrix_archive(h, platform_admin), &Progress::new(), Limits::default())
            .map(drop),
        Operation::ViewSnapshots => desk.list_snapshots(actor).map(drop),
        Operation::RemoveSnapshot => {
            // Only someone who may import has a snapshot of their own to remove.
            let own = desk.import_tenant_archive(actor, &matrix_archive(h, platform_admin), &Progress::new(), Limits::default());
            match own {
                Ok(ImportOutcome::Imported { snapshot }) => desk.remove_snapshot(actor, snapshot.tenant_id),
                Ok(other) => panic!("import: {other:?}"),
                Err(_) => desk.remove_snapshot(actor, 0),
            }
        }
        Operation::AddCredits => {
            // Credits exist on a credit-based plan; the platform administrator puts the tenant on one.
            desk.change_plan(platform_admin, &credit_plan()).unwrap_or_else(|e| panic!("plan: {e:?}"));
            desk.add_credits(actor, 10).map(drop)
        }
        Operation::ViewAnalytics => desk.analytics(actor, &AnalyticsRange::preset(RangePreset::Last30Days)).map(drop),
        Operation::ExportChartData => desk
            .start_chart_export(actor, &AnalyticsRange::preset(RangePreset::Last7Days))
            .and_then(|export| desk.run_chart_export(export.id))
            .and_then(|_| desk.chart_exports(actor))
            .map(drop),
        Operation::SetChartExportExpiry => desk.set_chart_export_expiry(actor, 48),
        // On PostgreSQL the store itself refuses file backups (Conflict), once
        // the role may make them.
        Operation::BackUpStore | Operation::RestoreStore if postgres_store::on_postgres() => {
            let path = h.dir.path().join(format!("matrix-{who_key}.sqlite3"));
            let outcome = if op == Operation::BackUpStore {
                desk.back_up_store(actor, &path).map(drop)
            } else {
                desk.restore_store(actor, &path).map(drop)
            };
            match outcome {
                Err(e) if e.code == ErrorCode::Conflict => Ok(()),
                other => other,
            }
        }
        Operation::BackUpStore => {
            desk.back_up_store(actor, &h.dir.path().join(format!("matrix-{who_key}.sqlite3"))).map(drop)
        }
        Operation::RestoreStore => {
            // A backup of this very moment, so the restore changes no data
            // (it still ends every session, so it runs last).
            let backup = h.dir.path().join(format!("restore-{who_key}.sqlite3"));
            desk.back_up_store(platform_admin, &backup).unwrap_or_else(|e| panic!("backup: {e:?}"));
            desk.restore_store(actor, &backup).map(drop)
        }
    }
    .map_err(|e| e.code)
}

/// An archive of the platform administrator's tenant, written once.
fn matrix_archive(h: &Harness, platform_admin: &Actor) -> std::path::PathBuf {
    let path = h.dir.path().join("matrix-source.tdarchive");
    if !path.exists() {
        desk_export(h, platform_admin, &path);
    }
    path
}

fn desk_export(h: &Harness, actor: &Actor, path: &std::path::Path) {
    match h.desk.export_tenant_archive(actor, path, &Progress::new()) {
        Ok(ExportOutcome::Exported { .. }) => {}
        other => panic!("export: {other:?}"),
    }
}

/// Turns MFA on afresh (an earlier operation may have turned it on) and returns the secret.
fn enable_mfa(h: &Harness, actor: &Actor) -> tenant_desk_core::Result<String> {
    h.desk.db().write(|tx| {
        tx.execute("DELETE FROM account_mfa WHERE account_id = ?1", [actor.account_id])?;
        Ok(tx.execute("DELETE FROM mfa_recovery_codes WHERE account_id = ?1", [actor.account_id])?)
    })?;
    h.clock.advance(Duration::seconds(30));
    let setup = h.desk.begin_mfa_setup(actor, PASSWORD)?;
    h.desk.confirm_mfa(actor, &h.code(&setup.secret))?;
    Ok(setup.secret)
}

#[test]
fn every_operation_for_every_role() {
    let h = Harness::new();
    h.set_up(true);
    let platform_admin = h.actor_of(ADMIN_EMAIL);
    let inviting = Inviting::new(&h);
    let people = Role::ALL.into_iter().map(Who::Member).chain([Who::PlatformAdmin]);
    for who in people {
        let (token, actor) = match who {
            Who::Member(role) => {
                let (token, actor) = h.session_of(member_email(role));
                assert_eq!(actor.role(), Some(role));
                assert!(!actor.is_platform_admin);
                (token, actor)
            }
            Who::PlatformAdmin => h.session_of(ADMIN_EMAIL),
        };
        for op in Operation::ALL {
            let want = expected(who, op);
            assert_eq!(is_allowed(&actor, op), want, "policy table: {who:?} {op:?}");
            match run(&h, &platform_admin, &inviting, (&token, &actor), op, who) {
                Ok(()) => assert!(want, "{who:?} was allowed {op:?}"),
                Err(code) => {
                    assert!(!want, "{who:?} was refused {op:?}: {code:?}");
                    assert_eq!(code, ErrorCode::NotAllowed);
                }
            }
        }
    }
}

fn account_email(desk: &Desk, account_id: i64) -> String {
    desk.db()
        .read(|tx| Ok(tx.query_row("SELECT email FROM accounts WHERE id = ?1", [account_id], |r| r.get(0))?))
        .unwrap_or_else(|e| panic!("email: {e:?}"))
}
