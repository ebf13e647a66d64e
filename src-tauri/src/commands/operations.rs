//! The window's commands for the operations of `tenant_desk_core::operations`,
//! generated from their one declaration: each runs the operation on this
//! computer's core, or sends it to the team server the desktop is connected
//! to, where that server's core decides. `relay` holds the same calls for
//! the desktop's own commands (a file dialog, the clipboard) around them.
//! A server's answers are told what belongs to this desktop (`this_desktop`).

use tauri::State;
use tenant_desk_core::{desk_operations, operations, Error, Result};

use super::relayed::Relayed;
use crate::connection::this_desktop;
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
                        let answer = server.call(stringify!($name), args).await?;
                        Ok(Relayed::There(this_desktop::as_seen_here::<$out>(answer).await))
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

fn argument(value: &impl serde::Serialize) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::internal(format!("an argument would not serialize: {e}")))
}
