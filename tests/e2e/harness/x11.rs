//! The app's window as the X server knows it: whether it is shown, and
//! closing it the way a window manager's close button does (a
//! WM_DELETE_WINDOW message), which the app sees as a person closing it.

use std::ffi::CString;
use std::path::Path;

use tokio::process::Command;
use x11_dl::xlib;

/// The id of the app process holding `data_dir` (it writes it in its lock file).
pub fn app_pid(data_dir: &Path) -> u32 {
    noted_pid(data_dir).unwrap_or_else(|| panic!("no app process noted in {}", data_dir.join("tenant-desk.lock").display()))
}

/// The id of the process noted in `data_dir`'s lock, once one is.
pub fn noted_pid(data_dir: &Path) -> Option<u32> {
    std::fs::read_to_string(data_dir.join("tenant-desk.lock")).ok().and_then(|s| s.trim().parse().ok())
}

/// The shown windows of process `pid` named Tenant Desk on `display` (`--all`:
/// xdotool otherwise matches windows meeting any one of the conditions).
pub async fn shown_windows(display: &str, pid: u32) -> Vec<u64> {
    let out = Command::new("xdotool")
        .env("DISPLAY", display)
        .args(["search", "--all", "--onlyvisible", "--pid", &pid.to_string(), "--name", "^Tenant Desk$"])
        .output()
        .await
        .unwrap_or_else(|e| panic!("xdotool (a test dependency) could not run: {e}"));
    String::from_utf8_lossy(&out.stdout).lines().filter_map(|l| l.trim().parse().ok()).collect()
}

/// Runs xdotool on `display` (typing, keys, the mouse wheel), failing the test when it fails.
pub async fn xdotool(display: &str, args: &[&str]) {
    let out = Command::new("xdotool")
        .env("DISPLAY", display)
        .args(args)
        .output()
        .await
        .unwrap_or_else(|e| panic!("xdotool (a test dependency) could not run: {e}"));
    assert!(out.status.success(), "xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

/// Sends WM_DELETE_WINDOW to `window` on `display`.
pub fn ask_to_close(display: &str, window: u64) {
    let xlib = xlib::Xlib::open().unwrap_or_else(|e| panic!("Xlib: {e}"));
    let (protocols, delete) = (CString::new("WM_PROTOCOLS").unwrap_or_default(), CString::new("WM_DELETE_WINDOW").unwrap_or_default());
    let display_name = CString::new(display).unwrap_or_else(|e| panic!("display name {display:?}: {e}"));
    // SAFETY: one display connection, opened and closed here; the event is
    // a zeroed XEvent whose ClientMessage member is filled before sending.
    unsafe {
        let display = (xlib.XOpenDisplay)(display_name.as_ptr());
        assert!(!display.is_null(), "no X display {display_name:?}");
        let mut data = xlib::ClientMessageData::new();
        data.set_long(0, (xlib.XInternAtom)(display, delete.as_ptr(), 0) as std::os::raw::c_long);
        data.set_long(1, xlib::CurrentTime as std::os::raw::c_long);
        let mut event: xlib::XEvent = std::mem::zeroed();
        event.client_message = xlib::XClientMessageEvent {
            type_: xlib::ClientMessage,
            serial: 0,
            send_event: xlib::True,
            display,
            window,
            message_type: (xlib.XInternAtom)(display, protocols.as_ptr(), 0),
            format: 32,
            data,
        };
        (xlib.XSendEvent)(display, window, xlib::False, xlib::NoEventMask, &mut event);
        (xlib.XFlush)(display);
        (xlib.XCloseDisplay)(display);
    }
}
