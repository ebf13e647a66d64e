//! The tray icon (a StatusNotifierItem, through libayatana-appindicator on
//! Linux): the number of conversations waiting for an operator — the Sessions
//! badge's count — beside the icon, and a menu with Open Tenant Desk, Pause
//! notifications (for 1 hour, until tomorrow, or Resume) and Quit.
//!
//! It is shown only where the desktop has a tray (a StatusNotifierWatcher
//! owns its name on the session bus); without one, closing the window quits
//! as it always did.

use std::time::Duration;

use serde::{Deserialize, Serialize};
use tauri::menu::{Menu, MenuEvent, MenuItem, Submenu};
use tauri::tray::{TrayIcon, TrayIconBuilder};
use tauri::{AppHandle, Manager};
use tauri_specta::Event;
use tauri::async_runtime::block_on;
use tenant_desk_core::notifications::PauseFor;

use super::window_life;
use crate::commands::operations::relay;
use crate::commands::relayed::Relayed;
use crate::state::AppState;

const WATCHER: &str = "org.kde.StatusNotifierWatcher";
/// How often the tray looks again on its own (a pause that ran out).
const PERIOD: Duration = Duration::from_secs(60);

/// Sent to the window when the tray paused or resumed notifications, so the
/// screens that show the pause read it again.
#[derive(Debug, Clone, Serialize, Deserialize, specta::Type, Event)]
pub struct NotificationSettingsChanged {
    pub paused: bool,
}

pub struct Tray {
    icon: TrayIcon,
    pause: Submenu<tauri::Wry>,
    resume: MenuItem<tauri::Wry>,
}

/// Whether the app has a tray icon on this desktop.
pub fn present(app: &AppHandle) -> bool {
    app.try_state::<Tray>().is_some()
}

/// Whether something on the session bus hosts tray icons.
fn host_available() -> bool {
    let Ok(bus) = zbus::blocking::Connection::session() else { return false };
    let Ok(dbus) = zbus::blocking::fdo::DBusProxy::new(&bus) else { return false };
    let Ok(name) = zbus::names::BusName::try_from(WATCHER) else { return false };
    dbus.name_has_owner(name).unwrap_or(false)
}

/// Puts the icon in the tray when the desktop has one, from a thread of its
/// own: whether the desktop has one is a round trip on the session bus
/// (about 20 ms) that the window's first screen need not wait for. Tauri
/// builds the icon and its menu on the main thread.
pub fn install_in_background(app: &AppHandle) {
    let app = app.clone();
    std::thread::spawn(move || {
        if let Err(e) = install(&app) {
            tracing::warn!(error = %e, "no tray icon: closing the window quits");
        }
    });
}

/// Puts the icon in the tray when the desktop has one; keeps it up to date.
fn install(app: &AppHandle) -> tauri::Result<()> {
    if present(app) {
        return Ok(());
    }
    if !host_available() {
        tracing::info!("the desktop has no tray: closing the window quits");
        return Ok(());
    }
    let hour = MenuItem::with_id(app, "pause_hour", "For 1 hour", true, None::<&str>)?;
    let tomorrow = MenuItem::with_id(app, "pause_tomorrow", "Until tomorrow", true, None::<&str>)?;
    let pause = Submenu::with_id_and_items(app, "pause", "Pause notifications", false, &[&hour, &tomorrow])?;
    let resume = MenuItem::with_id(app, "resume", "Resume notifications", false, None::<&str>)?;
    let open = MenuItem::with_id(app, "open", "Open Tenant Desk", true, None::<&str>)?;
    let quit = MenuItem::with_id(app, "quit", "Quit", true, None::<&str>)?;
    let menu = Menu::with_items(app, &[&open, &pause, &resume, &quit])?;
    let mut builder = TrayIconBuilder::with_id("main").menu(&menu).tooltip("Tenant Desk").on_menu_event(on_menu);
    if let Some(icon) = app.default_window_icon() {
        builder = builder.icon(icon.clone());
    }
    let icon = builder.build(app)?;
    app.manage(Tray { icon, pause, resume });
    tracing::info!("tray icon shown");
    follow(app);
    Ok(())
}

/// Refreshes the tray when the window's sign-in changes and every minute.
fn follow(app: &AppHandle) {
    let Some(state) = app.try_state::<AppState>() else { return };
    let mut changes = state.watch_session();
    let handle = app.clone();
    tauri::async_runtime::spawn(async move {
        loop {
            let app = handle.clone();
            let _ = tauri::async_runtime::spawn_blocking(move || refresh(&app)).await;
            if tokio::time::timeout(PERIOD, changes.changed()).await.is_ok_and(|r| r.is_err()) {
                return;
            }
        }
    });
}

/// Shows the waiting count of the person signed in in the window, and offers
/// Pause or Resume as their notifications stand, from the store the window
/// works with (this computer's or the team server's). Blocking.
pub fn refresh(app: &AppHandle) {
    let (Some(tray), Some(state)) = (app.try_state::<Tray>(), app.try_state::<AppState>()) else { return };
    let waiting = block_on(relay::count_waiting_conversations(&state)).and_then(Relayed::value).unwrap_or(0);
    let paused = block_on(relay::notifications_paused_until(&state)).and_then(Relayed::value).ok().map(|until| until.is_some());
    let count = (waiting > 0).then(|| waiting.to_string());
    let tooltip = match waiting {
        0 => "Tenant Desk".to_owned(),
        n => format!("Tenant Desk — {n} waiting for an operator"),
    };
    let outcome = tray
        .icon
        .set_title(count)
        .and_then(|()| tray.icon.set_tooltip(Some(tooltip)))
        .and_then(|()| tray.pause.set_enabled(paused == Some(false)))
        .and_then(|()| tray.resume.set_enabled(paused == Some(true)));
    if let Err(e) = outcome {
        tracing::warn!(error = %e, "tray not updated");
    }
}

fn on_menu(app: &AppHandle, event: MenuEvent) {
    match event.id().as_ref() {
        "open" => window_life::bring_forward(app),
        "quit" => {
            tracing::info!("quit from the tray");
            app.exit(0);
        }
        "pause_hour" => change_pause(app, Some(PauseFor::OneHour)),
        "pause_tomorrow" => change_pause(app, Some(PauseFor::UntilTomorrow)),
        "resume" => change_pause(app, None),
        _ => {}
    }
}

/// Pauses (or resumes) the notifications of the person signed in in the window.
fn change_pause(app: &AppHandle, pause: Option<PauseFor>) {
    let app = app.clone();
    std::thread::spawn(move || {
        let Some(state) = app.try_state::<AppState>() else { return };
        let outcome = match pause {
            Some(pause) => block_on(relay::pause_notifications(&state, pause)),
            None => block_on(relay::resume_notifications(&state)),
        }
        .and_then(Relayed::value);
        match outcome {
            Ok(settings) => {
                let _ = NotificationSettingsChanged { paused: settings.paused_until.is_some() }.emit(&app);
            }
            Err(e) => tracing::warn!(error = %e.message, "notifications not paused from the tray"),
        }
        refresh(&app);
    });
}
