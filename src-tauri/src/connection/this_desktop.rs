//! What a team server's answers say about *this* desktop, corrected here:
//! whether its notification service can show notices (the server shows none
//! itself), and which sections belong to this computer's own workspace
//! (its backups, its local API), which a window working with a server does
//! not offer. (Archives stays: on a server it saves the tenant's archive for
//! offline review.)

use std::any::TypeId;

use serde_json::Value;
use tenant_desk_core::auth::SignedIn;
use tenant_desk_core::notifications::{Availability, NotificationSettings};

/// Sections and Identity tabs of this computer's own workspace.
const THIS_COMPUTERS_SECTIONS: [&str; 1] = ["backups"];
const THIS_COMPUTERS_TABS: [&str; 1] = ["local_api"];

/// The server's answer of type `T`, as this desktop shows it.
pub async fn as_seen_here<T: 'static>(answer: Value) -> Value {
    let kind = TypeId::of::<T>();
    if kind == TypeId::of::<NotificationSettings>() {
        with_this_desktops_service(answer).await
    } else if kind == TypeId::of::<SignedIn>() {
        without_this_computers_sections(answer)
    } else {
        answer
    }
}

async fn with_this_desktops_service(mut settings: Value) -> Value {
    let here = tauri::async_runtime::spawn_blocking(crate::desktop_notifier::availability).await;
    let (available, reason) = match here {
        Ok(Availability::Available) => (true, None),
        Ok(Availability::Unavailable(reason)) => (false, Some(reason)),
        Err(_) => (false, Some("the desktop's notification service could not be asked.".to_owned())),
    };
    settings["available"] = available.into();
    settings["unavailable_reason"] = reason.into();
    settings
}

fn without_this_computers_sections(mut signed_in: Value) -> Value {
    let menu = &mut signed_in["menu"];
    if let Some(sections) = menu["sections"].as_array_mut() {
        sections.retain(|s| !s.as_str().is_some_and(|s| THIS_COMPUTERS_SECTIONS.contains(&s)));
    }
    if let Some(tabs) = menu["identity_tabs"].as_array_mut() {
        tabs.retain(|t| !t.as_str().is_some_and(|t| THIS_COMPUTERS_TABS.contains(&t)));
    }
    if menu["landing"].as_str().is_some_and(|l| THIS_COMPUTERS_SECTIONS.contains(&l)) {
        menu["landing"] = "profile".into();
    }
    signed_in
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn a_window_on_a_server_offers_no_section_of_this_computers_own_workspace() {
        let from_server = json!({ "menu": {
            "sections": ["profile", "sessions", "identity", "archives", "backups"],
            "identity_tabs": ["users", "tenants", "local_api"],
            "landing": "backups",
        }});
        let shown = without_this_computers_sections(from_server);
        assert_eq!(shown["menu"]["sections"], json!(["profile", "sessions", "identity", "archives"]));
        assert_eq!(shown["menu"]["identity_tabs"], json!(["users", "tenants"]));
        assert_eq!(shown["menu"]["landing"], "profile");
    }
}
