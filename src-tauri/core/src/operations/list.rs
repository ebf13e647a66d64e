// Every operation of a signed-in person, declared once: its name, its
// arguments, what it answers, and what it asks of the core. From this one
// list come the core's `operations::run` (the local call) and `dispatch`
// (the team server's `/api/desk/v1/op/<name>`), the desktop's Tauri commands
// that run an operation here or on the team server, and their TypeScript
// bindings, so a local call and a remote one cannot drift apart.
//
// `window` holds the operations the window calls; `shell` those the desktop
// calls around a desktop service (a file dialog, the clipboard, the system
// browser). Each runs `as` one of:
// - `actor`: the signed-in person, with the checks of their role;
// - `enrolling`: the same, also while a tenant's "Require MFA" keeps the rest
//   closed (setting MFA up);
// - `session`: the sign-in itself (the code step, a new password, the idle
//   lock, one's password and places).
// The build script includes this file for the window's command names.

#[macro_export]
macro_rules! desk_operations {
    ($then:ident $(, $extra:tt)*) => {
        $then! {
            $($extra)*
            window {
                // Profile
                get_profile() -> $crate::profile::Profile as actor |desk, actor| desk.profile(actor);
                update_profile_details(details: $crate::profile::PersonalDetails) -> $crate::profile::Profile
                    as actor |desk, actor| desk.update_own_details(actor, &details);
                remove_avatar() -> $crate::profile::Profile as actor |desk, actor| desk.remove_own_avatar(actor);
                get_preferences() -> $crate::preferences::Preferences as actor |desk, actor| desk.preferences(actor);
                set_show_toasts(show: bool) -> $crate::preferences::Preferences
                    as actor |desk, actor| desk.set_show_toasts(actor, show);
                set_theme(theme: $crate::preferences::Theme) -> $crate::preferences::Preferences
                    as actor |desk, actor| desk.set_theme(actor, theme);
                pin_home_page(section: $crate::menu::Section) -> $crate::preferences::Preferences
                    as actor |desk, actor| desk.pin_home_page(actor, section);
                unpin_home_page() -> $crate::preferences::Preferences as actor |desk, actor| desk.unpin_home_page(actor);

                // The sign-in itself
                set_new_password(input: $crate::auth::NewPasswordInput) -> $crate::auth::SignedIn
                    as session |desk, token| desk.set_new_password(token, input);
                change_own_password(input: $crate::auth::PasswordChange) -> $crate::auth::PasswordChanged
                    as session |desk, token| desk.change_own_password(token, &input);
                list_signed_in_places() -> Vec<$crate::auth::SignInPlace> as session |desk, token| desk.signed_in_places(token);
                sign_out_place(kind: $crate::auth::PlaceKind, id: i64) -> Vec<$crate::auth::SignInPlace>
                    as session |desk, token| desk.sign_out_place(token, kind, id);
                note_activity() -> () as session |desk, token| desk.note_activity(token);
                lock_session() -> $crate::auth::SignedIn as session |desk, token| desk.lock_session(token);
                unlock_session(input: $crate::auth::UnlockInput) -> $crate::auth::SignedIn
                    as session |desk, token| desk.unlock_session(token, &input);

                // MFA
                get_mfa_status() -> $crate::mfa::MfaStatus as actor |desk, actor| desk.mfa_status(actor);
                begin_mfa_setup(password: String) -> $crate::mfa::MfaSetup
                    as enrolling |desk, actor| desk.begin_mfa_setup(actor, &password);
                confirm_mfa(code: String) -> $crate::mfa::RecoveryCodes as enrolling |desk, actor| desk.confirm_mfa(actor, &code);
                disable_mfa(input: $crate::mfa::MfaDisableInput) -> () as actor |desk, actor| desk.disable_mfa(actor, &input);
                regenerate_recovery_codes(password: String) -> $crate::mfa::RecoveryCodes
                    as actor |desk, actor| desk.regenerate_recovery_codes(actor, &password);

                // Identity > Users
                list_users(query: $crate::users::UserQuery) -> $crate::users::UserPage
                    as actor |desk, actor| desk.list_users(actor, &query);
                get_user(id: i64) -> $crate::users::UserDetail as actor |desk, actor| desk.user_detail(actor, id);
                create_user(input: $crate::users::NewUser) -> $crate::users::UserRow as actor |desk, actor| desk.create_user(actor, input);
                import_users(input: $crate::users::UserImport) -> $crate::users::UserImportReport
                    as actor |desk, actor| desk.import_users(actor, &input);
                invite_existing_user(input: $crate::users::ExistingUser) -> $crate::users::SentInvitation
                    as actor |desk, actor| desk.invite_existing_user(actor, input);
                list_sent_invitations() -> Vec<$crate::users::SentInvitation> as actor |desk, actor| desk.sent_invitations(actor);
                cancel_invitation(id: i64) -> () as actor |desk, actor| desk.cancel_invitation(actor, id);
                list_received_invitations() -> Vec<$crate::users::ReceivedInvitation>
                    as actor |desk, actor| desk.received_invitations(actor);
                answer_invitation(id: i64, accept: bool) -> i64 as actor |desk, actor| desk.answer_invitation(actor, id, accept);
                set_platform_admin(id: i64, granted: bool) -> $crate::users::UserDetail
                    as actor |desk, actor| desk.set_platform_admin(actor, id, granted);
                // `version`: the one Edit user was opened with (`UserDetail.version`).
                update_user(id: i64, changes: $crate::users::UserChanges, version: String) -> $crate::users::UserRow
                    as actor |desk, actor| desk.update_user_if_unchanged(actor, id, changes, &version);
                delete_user(id: i64) -> $crate::users::Deletion as actor |desk, actor| desk.delete_user(actor, id);
                reset_user_password(id: i64) -> $crate::users::TemporaryPassword
                    as actor |desk, actor| desk.reset_user_password(actor, id);
                reset_user_mfa(id: i64) -> () as actor |desk, actor| desk.reset_user_mfa(actor, id);
                list_administered_tenants() -> Vec<$crate::users::TenantOption>
                    as actor |desk, actor| desk.administered_tenants(actor);
                preview_schedule(input: $crate::schedules::PreviewInput) -> $crate::schedules::WeekPreview
                    as actor |desk, actor| desk.preview_schedule(actor, &input);
                get_audit_log(query: $crate::audit::AuditQuery) -> $crate::audit::AuditPage
                    as actor |desk, actor| desk.audit_log(actor, &query);
                list_member_api_keys() -> Vec<$crate::personal_api_keys::MemberApiKeyRow>
                    as actor |desk, actor| desk.member_api_keys(actor);
                revoke_member_api_key(id: i64) -> () as actor |desk, actor| desk.revoke_member_api_key(actor, id);

                // Personal API keys
                list_personal_api_keys() -> Vec<$crate::personal_api_keys::PersonalApiKeyRow>
                    as actor |desk, actor| desk.personal_api_keys(actor);
                create_personal_api_key(input: $crate::personal_api_keys::NewPersonalApiKey)
                    -> $crate::personal_api_keys::CreatedPersonalApiKey
                    as actor |desk, actor| desk.create_personal_api_key(actor, &input);
                revoke_personal_api_key(id: i64) -> () as actor |desk, actor| desk.revoke_personal_api_key(actor, id);

                // Organizations and tenants
                get_organization() -> Option<$crate::tenants::Organization> as actor |desk, actor| desk.organization(actor);
                // `version`: the one the form was opened with (`Organization.version`).
                update_organization(input: $crate::tenants::OrganizationFields, version: String) -> $crate::tenants::Organization
                    as actor |desk, actor| desk.update_own_organization_if_unchanged(actor, &input, &version);
                list_tenants(search: String) -> Vec<$crate::tenants::TenantRow> as actor |desk, actor| desk.list_tenants(actor, &search);
                // `version`: the one Edit tenant was opened with (`TenantRow.version`).
                update_tenant(tenant_id: i64, input: $crate::tenants::TenantFields, version: String) -> $crate::tenants::TenantRow
                    as actor |desk, actor| desk.update_tenant_if_unchanged(actor, tenant_id, &input, &version);
                add_tenant(input: $crate::tenants::TenantFields) -> $crate::tenants::TenantRow
                    as actor |desk, actor| desk.add_tenant(actor, &input);
                rotate_tenant_api_key(tenant_id: i64) -> () as actor |desk, actor| desk.rotate_tenant_api_key(actor, tenant_id);
                list_organizations() -> $crate::organizations::Organizations as actor |desk, actor| desk.organizations(actor);
                create_organization(input: $crate::organizations::NewOrganization) -> $crate::tenants::TenantRow
                    as actor |desk, actor| desk.create_organization(actor, &input);
                get_delivery_address() -> $crate::replies::DeliveryAddress as actor |desk, actor| desk.delivery_address(actor);
                set_delivery_address(url: String) -> $crate::replies::DeliveryAddress
                    as actor |desk, actor| desk.set_delivery_address(actor, &url);

                // Sessions (conversations)
                list_conversations(query: $crate::conversations::ConversationQuery) -> $crate::conversations::ConversationPage
                    as actor |desk, actor| desk.list_conversations(&$crate::authz::Caller::from(actor), &query);
                get_conversation(id: i64) -> $crate::conversations::ConversationDetail
                    as actor |desk, actor| desk.conversation(&$crate::authz::Caller::from(actor), id);
                get_conversation_filters() -> $crate::conversations::ConversationFilters
                    as actor |desk, actor| desk.conversation_filters(&$crate::authz::Caller::from(actor));
                count_waiting_conversations() -> i64
                    as actor |desk, actor| desk.conversations_waiting(&$crate::authz::Caller::from(actor));
                accept_conversation(id: i64) -> $crate::conversations::ConversationSummary
                    as actor |desk, actor| desk.accept_conversation(actor, id);
                resolve_conversation(id: i64) -> $crate::conversations::ConversationSummary
                    as actor |desk, actor| desk.resolve_conversation(&$crate::authz::Caller::from(actor), id);
                assign_conversation(id: i64, operator_account_id: Option<i64>) -> $crate::conversations::ConversationSummary
                    as actor |desk, actor| desk.assign_conversation(&$crate::authz::Caller::from(actor), id, operator_account_id);
                // A reply to the customer: an operator message, shown at once and
                // sent on through the tenant API (and the delivery address, if any).
                reply_to_conversation(id: i64, text: String) -> $crate::conversations::Message
                    as actor |desk, actor| desk.append_message(
                        &$crate::authz::Caller::from(actor),
                        id,
                        $crate::conversations::NewMessage { author: $crate::conversations::Author::Operator, text },
                    );
                retry_delivery(id: i64, message_id: i64) -> $crate::replies::Delivery
                    as actor |desk, actor| desk.retry_delivery(&$crate::authz::Caller::from(actor), id, message_id);

                // Notifications
                get_notification_settings() -> $crate::notifications::NotificationSettings
                    as actor |desk, actor| desk.notification_settings(actor);
                block_notifications() -> $crate::notifications::NotificationSettings
                    as actor |desk, actor| desk.block_notifications(actor);
                set_notification_category(category: $crate::notifications::Category, enabled: bool)
                    -> $crate::notifications::NotificationSettings
                    as actor |desk, actor| desk.set_notification_category(actor, category, enabled);
                set_only_during_shift(only: bool) -> $crate::notifications::NotificationSettings
                    as actor |desk, actor| desk.set_only_during_shift(actor, only);

                // Billing
                get_billing() -> Option<$crate::billing::BillingOverview> as actor |desk, actor| desk.billing(actor);
                start_trial() -> () as actor |desk, actor| desk.start_trial(actor);
                change_plan(choice: $crate::billing::PlanChoice) -> () as actor |desk, actor| desk.change_plan(actor, &choice);
                set_billing_portal(url: String) -> () as actor |desk, actor| desk.set_billing_portal(actor, &url);
                add_payment_method(method: $crate::billing::NewPaymentMethod) -> $crate::billing::PaymentMethod
                    as actor |desk, actor| desk.add_payment_method(actor, &method);
                remove_payment_method(id: i64) -> () as actor |desk, actor| desk.remove_payment_method(actor, id);
                add_credits(amount: i64) -> i64 as actor |desk, actor| desk.add_credits(actor, amount);
                list_credit_transactions(query: $crate::billing::CreditQuery) -> $crate::billing::CreditPage
                    as actor |desk, actor| desk.credit_transactions(actor, &query);

                // Analytics
                get_analytics(range: $crate::analytics::AnalyticsRange) -> $crate::analytics::Analytics
                    as actor |desk, actor| desk.analytics(actor, &range);
            }
            shell {
                enable_notifications() -> $crate::notifications::NotificationSettings
                    as actor |desk, actor| desk.enable_notifications(actor);
                verify_sign_in_code(input: $crate::auth::SignInCodeInput) -> $crate::auth::SignedIn
                    as session |desk, token| desk.verify_sign_in_code(token, input);
                switch_organization(tenant_id: i64) -> $crate::auth::SignedIn
                    as session |desk, token| desk.switch_organization(token, tenant_id);
                pause_notifications(pause: $crate::notifications::PauseFor) -> $crate::notifications::NotificationSettings
                    as actor |desk, actor| desk.pause_notifications(actor, pause);
                resume_notifications() -> $crate::notifications::NotificationSettings
                    as actor |desk, actor| desk.resume_notifications(actor);
                set_keep_running_when_closed(keep: bool) -> $crate::preferences::Preferences
                    as actor |desk, actor| desk.set_keep_running_when_closed(actor, keep);
                // Whether this is the first time closing left the app in the tray (a notice says so once).
                first_close_to_tray() -> bool as actor |desk, actor| desk.first_close_to_tray(actor);
                // For the tray: cheaper than the settings (no question to the notification service).
                notifications_paused_until() -> Option<String>
                    as actor |desk, actor| desk.notifications_paused_until(actor);
                may_update_own_details() -> ()
                    as actor |desk, actor| desk.check(actor, $crate::authz::Operation::UpdateOwnDetails);
                // The picture as base64, so a photo crosses to a team server as text.
                set_own_avatar(file: String) -> $crate::profile::Profile
                    as actor |desk, actor| desk.set_own_avatar(actor, &$crate::operations::decode_bytes(&file)?);
                tenant_api_key(tenant_id: i64) -> String
                    as actor |desk, actor| desk.tenant_api_key(actor, tenant_id).map(|key| key.expose().to_owned());
                billing_portal_url() -> String as actor |desk, actor| desk.billing_portal_url(actor);
                recovery_codes_file(codes: Vec<String>) -> String
                    as enrolling |desk, actor| desk.recovery_codes_file(actor, &codes);
                credit_transactions_csv(kind: Option<$crate::billing::CreditKind>) -> String
                    as actor |desk, actor| desk.credit_transactions_csv(actor, kind);
                users_csv(query: $crate::users::UserQuery) -> String as actor |desk, actor| desk.users_csv(actor, &query);
                tenants_csv(search: String) -> String as actor |desk, actor| desk.tenants_csv(actor, &search);
                conversations_csv(query: $crate::conversations::ConversationQuery) -> String
                    as actor |desk, actor| desk.conversations_csv(&$crate::authz::Caller::from(actor), &query);
                audit_log_csv(query: $crate::audit::AuditQuery) -> String as actor |desk, actor| desk.audit_log_csv(actor, &query);
            }
        }
    };
}
