//! The window's commands for the operations of `tenant_desk_core::operations`,
//! generated from their one declaration: each runs the operation on this
//! computer's core, or sends it to the team server the desktop is connected
//! to, where that server's core decides. `relay` holds the same calls for
//! the desktop's own commands (a file dialog, the clipboard) around them.
//! Notification settings from a server are told this desktop's service.

use tauri::State;
use tenant_desk_core::notifications::{Availability, NotificationSettings};
use tenant_desk_core::{desk_operations, operations, Error, Result};

use super::relayed::Relayed;
use crate::state::AppState;

macro_rules! commands {
    (window { $($window:tt)* } shell { $($shell:tt)* }) => {
        commands!(@window $($window)*);

        /// Each operation, where the window's data lives.
        pub mod relay {
            use super::*;
            commands!(@relay $($window)* $($shell)*);
        }
    };
    (@window $( $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $out:ty as $who:ident |$d:ident, $a:ident| $body:expr; )*) => {
        $(
            #[tauri::command]
            #[specta::specta]
            pub async fn $name(state: State<'_, AppState> $(, $arg: $ty)*) -> Result<Relayed<$out>> {
                relay::$name(&state $(, $arg)*).await
            }
        )*
    };
    (@relay $( $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $out:ty as $who:ident |$d:ident, $a:ident| $body:expr; )*) => {
        $(
            pub async fn $name(state: &AppState $(, $arg: $ty)*) -> Result<Relayed<$out>> {
                match state.team_server() {
                    Some(server) => {
                        #[allow(unused_mut)]
                        let mut args = serde_json::Map::new();
                        $( args.insert(stringify!($arg).to_owned(), argument(&$arg)?); )*
                        let mut answer = server.call(stringify!($name), args).await?;
                        if std::any::TypeId::of::<$out>() == std::any::TypeId::of::<NotificationSettings>() {
                            answer = with_this_desktops_service(answer).await;
                        }
                        Ok(Relayed::There(answer))
                    }
                    None => state
                        .as_session(move |desk, token| operations::run::$name(desk, token $(, $arg)*))
                        .await
                        .map(Relayed::Here),
                }
            }
        )*
    };
}

desk_operations!(commands);

/// Notification settings from a team server say whether *this* desktop can
/// show notices: the server shows none itself.
async fn with_this_desktops_service(mut settings: serde_json::Value) -> serde_json::Value {
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

fn argument(value: &impl serde::Serialize) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::internal(format!("an argument would not serialize: {e}")))
}
