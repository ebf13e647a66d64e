//! The command list and the TypeScript bindings generated from it
//! (`ui/src/lib/bindings.ts`). A test fails when the committed file is stale;
//! `UPDATE_BINDINGS=1 cargo test -p tenant-desk bindings` rewrites it.

use tauri::ipc::Invoke;
use tauri::Wry;
use tauri_specta::{collect_events, Builder, Events};

use crate::window_commands::{window_commands, with_desktop_commands};

use crate::commands::{
    analytics, api_key, archives, backups, billing, conversations, desktop, diagnostics, list_csv, local_api, mfa, notifications, operations, organizations,
    profile, recovery, setup, sign_in, team_server, tenants, user_import,
};
use crate::desktop_notifier::NotificationClicked;

/// Tauri's dispatch of the list, by each command's name.
macro_rules! dispatch {
    ($($module:ident :: $command:ident),* $(,)?) => {
        tauri::generate_handler![$($module::$command),*]
    };
}

/// The window's commands as the app answers them. Their types are collected
/// only where the bindings are generated (`typed`), not at each launch: that
/// builds a description of every argument and result.
pub fn invoke_handler() -> impl Fn(Invoke<Wry>) -> bool + Send + Sync + 'static {
    window_commands!(dispatch)
}

fn events() -> Events {
    collect_events![
        conversations::ConversationsChanged,
        NotificationClicked,
        analytics::ChartExportsChanged,
        crate::desktop::tray::NotificationSettingsChanged,
        crate::connection::follow::ServerReach
    ]
}

/// The events the app emits, mounted on it at setup under the names the
/// bindings listen for.
pub fn mount_events(app: &tauri::App) {
    Builder::<Wry>::new().events(events()).mount_events(app);
}

/// The list as tauri-specta collects it.
#[cfg(test)]
macro_rules! collect {
    ($($module:ident :: $command:ident),* $(,)?) => {
        tauri_specta::collect_commands![$($module::$command),*]
    };
}

/// The commands and events with their types, as the bindings are generated.
#[cfg(test)]
fn typed() -> Builder<Wry> {
    Builder::<Wry>::new()
        .commands(window_commands!(collect))
        .events(events())
        // One shape per type: the UI only reads what commands return.
        .disable_serde_phases()
        // Ids are SQLite rowids, far below 2^53.
        .dangerously_cast_bigints_to_number()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    use crate::window_commands::{window_commands, with_desktop_commands};

    use specta_typescript::Typescript;

    const COMMITTED: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/ui/src/lib/bindings.ts");

    fn generate(to: &Path) {
        super::typed()
            .export(Typescript::default().header("// Generated from the Rust types by tauri-specta. Do not edit.\n// @ts-nocheck"), to)
            .unwrap_or_else(|e| panic!("export failed: {e}"));
    }

    #[test]
    fn bindings_are_up_to_date() {
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            generate(Path::new(COMMITTED));
            return;
        }
        let dir = std::env::temp_dir().join(format!("tenant-desk-bindings-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
        let fresh = dir.join("bindings.ts");
        generate(&fresh);
        let fresh = std::fs::read_to_string(&fresh).unwrap_or_default();
        let committed = std::fs::read_to_string(COMMITTED).unwrap_or_default();
        assert!(
            fresh == committed,
            "ui/src/lib/bindings.ts is stale: run UPDATE_BINDINGS=1 cargo test -p tenant-desk bindings"
        );
    }

    /// The window is granted exactly the declared commands: the generated
    /// capabilities/commands.json is the one build.rs writes from the list,
    /// and the TypeScript calls nothing else.
    #[test]
    fn the_window_is_granted_exactly_the_declared_commands() {
        macro_rules! names {
            ($($module:ident :: $command:ident),* $(,)?) => {
                vec![$(stringify!($command)),*]
            };
        }
        let declared: Vec<&str> = window_commands!(names);
        let read = |path: &str| {
            std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap_or_else(|e| panic!("{path}: {e}"))
        };
        let grant = read("capabilities/commands.json");
        let granted: Vec<String> =
            grant.split("\"allow-").skip(1).filter_map(|rest| rest.split('"').next()).map(|p| format!("allow-{p}")).collect();
        let expected: Vec<String> = declared.iter().map(|c| format!("allow-{}", c.replace('_', "-"))).collect();
        assert_eq!(granted, expected, "capabilities/commands.json is stale: build the app to regenerate it");
        let bindings = read("ui/src/lib/bindings.ts");
        // `TAURI_INVOKE("name"` for commands that can fail, `__TAURI_INVOKE<T>("name"` for the others.
        let mut called: Vec<&str> = bindings
            .split("TAURI_INVOKE")
            .skip(1)
            .filter_map(|rest| rest.split_once("(\"").filter(|(generic, _)| generic.is_empty() || generic.starts_with('<')))
            .filter_map(|(_, rest)| rest.split('"').next())
            .collect();
        let mut declared = declared;
        called.sort_unstable();
        declared.sort_unstable();
        assert_eq!(called, declared, "the TypeScript calls what is declared");
    }

    /// Every declared command is reachable from the window: some screen
    /// calls it through the bindings, and nothing calls Tauri around them.
    #[test]
    fn every_declared_command_is_called_by_the_window() {
        macro_rules! names {
            ($($module:ident :: $command:ident),* $(,)?) => {
                vec![$(stringify!($command)),*]
            };
        }
        let declared: Vec<&str> = window_commands!(names);
        let mut sources = String::new();
        let mut folders = vec![Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src")];
        while let Some(folder) = folders.pop() {
            for entry in std::fs::read_dir(&folder).unwrap_or_else(|e| panic!("{}: {e}", folder.display())).flatten() {
                let path = entry.path();
                if path.is_dir() {
                    folders.push(path);
                } else if path.file_name().is_some_and(|n| n != "bindings.ts")
                    && path.extension().is_some_and(|e| e == "ts" || e == "svelte")
                {
                    sources.push_str(&std::fs::read_to_string(&path).unwrap_or_default());
                }
            }
        }
        assert!(!sources.contains("invoke("), "a screen calls Tauri without the bindings");
        let camel = |snake: &str| {
            let mut parts = snake.split('_');
            let first = parts.next().unwrap_or_default().to_owned();
            parts.fold(first, |mut name, part| {
                let mut chars = part.chars();
                if let Some(c) = chars.next() {
                    name.extend(c.to_uppercase());
                    name.push_str(chars.as_str());
                }
                name
            })
        };
        let unused: Vec<&str> = declared.into_iter().filter(|c| !sources.contains(&format!("commands.{}(", camel(c)))).collect();
        assert!(unused.is_empty(), "declared but called by no screen: {unused:?}");
    }
}
