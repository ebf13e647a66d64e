//! Answers the desktop's own file chooser (the GTK dialog the app opens) as a
//! person does: types the path into it and presses Enter. The app has its
//! display to itself, so the keys go to the dialog and nowhere else.

use std::path::Path;
use std::time::{Duration, Instant};

use tokio::process::Command;

use crate::x11::xdotool;
use crate::App;

impl App {
    /// Clicks `button`, waits for the file chooser titled `title`, and answers
    /// it with `path` (a file to open, or where to save).
    pub async fn choose_file(&self, button: &str, title: &str, path: &Path) {
        self.click(button).await;
        self.answer(title, path).await;
    }

    /// As `choose_file`, for a button inside the element `within` (an XPath).
    pub async fn choose_file_within(&self, within: &str, button: &str, title: &str, path: &Path) {
        self.click_within(within, button).await;
        self.answer(title, path).await;
    }

    /// Clicks `button`, waits for the file chooser titled `title`, and cancels it.
    pub async fn cancel_file_chooser(&self, button: &str, title: &str) {
        self.click(button).await;
        let display = self.display();
        let window = wait_for_window(display, title).await;
        xdotool(display, &["windowfocus", "--sync", &window]).await;
        xdotool(display, &["key", "Escape"]).await;
        wait_until_closed(display, title).await;
    }

    async fn answer(&self, title: &str, path: &Path) {
        let display = self.display();
        let window = wait_for_window(display, title).await;
        xdotool(display, &["windowfocus", "--sync", &window]).await;
        // Ctrl+L opens the location field when opening a file (saving has it
        // already); the path typed replaces whatever name it suggests.
        xdotool(display, &["key", "--clearmodifiers", "ctrl+l"]).await;
        xdotool(display, &["key", "--clearmodifiers", "ctrl+a"]).await;
        xdotool(display, &["type", "--delay", "8", &path.to_string_lossy()]).await;
        // The field completes names as it is typed; let it settle, as a person would.
        tokio::time::sleep(Duration::from_millis(300)).await;
        xdotool(display, &["key", "Return"]).await;
        wait_until_closed(display, title).await;
    }
}

async fn wait_for_window(display: &str, title: &str) -> String {
    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(window) = find_window(display, title).await {
            return window;
        }
        assert!(Instant::now() < deadline, "no file chooser titled {title:?} opened");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn wait_until_closed(display: &str, title: &str) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while find_window(display, title).await.is_some() {
        assert!(Instant::now() < deadline, "the file chooser {title:?} did not close");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

async fn find_window(display: &str, title: &str) -> Option<String> {
    let pattern = format!("^{}$", regex_escape(title));
    let out = Command::new("xdotool")
        .env("DISPLAY", display)
        .args(["search", "--onlyvisible", "--name", &pattern])
        .output()
        .await
        .unwrap_or_else(|e| panic!("xdotool (a test dependency) could not run: {e}"));
    String::from_utf8_lossy(&out.stdout).lines().next().map(str::to_owned)
}

fn regex_escape(text: &str) -> String {
    text.chars()
        .flat_map(|c| if c.is_ascii_alphanumeric() || c == ' ' { vec![c] } else { vec!['\\', c] })
        .collect()
}
