//! Answers the desktop's own file chooser (the GTK dialog the app opens) as a
//! person does: types the path into it and presses Enter. Tests running in
//! parallel share one display and one keyboard, so the keyboard's focus is
//! held while a dialog is answered.

use std::path::Path;
use std::time::{Duration, Instant};

use tokio::process::Command;

use crate::{focus, App};

impl App {
    /// Clicks `button`, waits for the file chooser titled `title`, and answers
    /// it with `path` (a file to open, or where to save).
    pub async fn choose_file(&self, button: &str, title: &str, path: &Path) {
        let _focus = focus::hold().await;
        self.click(button).await;
        answer(title, path).await;
    }

    /// As `choose_file`, for a button inside the element `within` (an XPath).
    pub async fn choose_file_within(&self, within: &str, button: &str, title: &str, path: &Path) {
        let _focus = focus::hold().await;
        self.click_within(within, button).await;
        answer(title, path).await;
    }

    /// Clicks `button`, waits for the file chooser titled `title`, and cancels it.
    pub async fn cancel_file_chooser(&self, button: &str, title: &str) {
        let _focus = focus::hold().await;
        self.click(button).await;
        let window = wait_for_window(title).await;
        xdotool(&["windowfocus", "--sync", &window]).await;
        xdotool(&["key", "Escape"]).await;
        wait_until_closed(title).await;
    }
}

async fn answer(title: &str, path: &Path) {
    let window = wait_for_window(title).await;
    for _ in 0..3 {
        xdotool(&["windowfocus", "--sync", &window]).await;
        // Ctrl+L opens the location field when opening a file (saving has it
        // already); the path typed replaces whatever name it suggests.
        xdotool(&["key", "--clearmodifiers", "ctrl+l"]).await;
        xdotool(&["key", "--clearmodifiers", "ctrl+a"]).await;
        xdotool(&["type", "--delay", "8", &path.to_string_lossy()]).await;
        // The field completes names as it is typed; let it settle, as a person would.
        tokio::time::sleep(Duration::from_millis(300)).await;
        if focused_window().await != window {
            // A window that came forward took some of the keys: type it again.
            continue;
        }
        xdotool(&["key", "Return"]).await;
        if closed_within(title, Duration::from_secs(15)).await {
            return;
        }
    }
    panic!("the file chooser {title:?} did not close after the path was typed three times");
}

async fn focused_window() -> String {
    let out = Command::new("xdotool")
        .arg("getwindowfocus")
        .output()
        .await
        .unwrap_or_else(|e| panic!("xdotool (a test dependency) could not run: {e}"));
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

async fn wait_for_window(title: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(window) = find_window(title).await {
            return window;
        }
        assert!(Instant::now() < deadline, "no file chooser titled {title:?} opened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_until_closed(title: &str) {
    assert!(closed_within(title, Duration::from_secs(30)).await, "the file chooser {title:?} did not close");
}

async fn closed_within(title: &str, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    while find_window(title).await.is_some() {
        if Instant::now() > deadline {
            return false;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    true
}

async fn find_window(title: &str) -> Option<String> {
    let pattern = format!("^{}$", regex_escape(title));
    let out = Command::new("xdotool")
        .args(["search", "--onlyvisible", "--name", &pattern])
        .output()
        .await
        .unwrap_or_else(|e| panic!("xdotool (a test dependency) could not run: {e}"));
    String::from_utf8_lossy(&out.stdout).lines().next().map(str::to_owned)
}

async fn xdotool(args: &[&str]) {
    let out = Command::new("xdotool")
        .args(args)
        .output()
        .await
        .unwrap_or_else(|e| panic!("xdotool (a test dependency) could not run: {e}"));
    assert!(out.status.success(), "xdotool {args:?}: {}", String::from_utf8_lossy(&out.stderr));
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| if c.is_ascii_alphanumeric() || c == ' ' { vec![c] } else { vec!['\\', c] })
        .collect()
}
