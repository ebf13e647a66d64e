//! The window under load (a benchmark, not a test): while four clients feed
//! the app's local tenant API as fast as it answers, a person scrolls Sessions
//! with the mouse wheel and types searches into Search messages, and the page
//! records every main-thread task over 50 ms. `scripts/bench-window-under-load.sh`
//! runs it on the release build inside the test desktop.
//!
//! WebKit has no long-task observer (PerformanceObserver lists no "longtask"
//! entry type; the run prints the types it offers), so the page keeps a
//! heartbeat instead: a timer due every 10 ms that notes how late it ran. A
//! task of the main thread holding it for T ms makes the next beat up to T ms
//! late, so a beat more than 50 ms late marks a task over 50 ms.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use serde_json::{json, Value};
use tenant_desk_e2e::locate::{heading, menu_item, textbox};
use tenant_desk_e2e::x11::xdotool;
use tenant_desk_e2e::{free_port, seed, Install};

const SECONDS: u64 = 20;
const SEARCHES: [&str; 4] = ["order", "refund please", "message 3", "ORD-1234"];

const HEARTBEAT: &str = r#"
const beats = { late: [], due: performance.now() + 10 };
window.__beats = beats;
(function beat() {
  const now = performance.now();
  beats.late.push(now - beats.due);
  beats.due = now + 10;
  setTimeout(beat, 10);
})();
"#;

#[tokio::main]
async fn main() {
    let conversations: usize = std::env::var("CONVERSATIONS").ok().and_then(|v| v.parse().ok()).unwrap_or(20_000);
    // Feeding clients; 0 leaves the person alone with the window, to tell
    // what the load adds.
    let clients: usize = std::env::var("CLIENTS").ok().and_then(|v| v.parse().ok()).unwrap_or(4);
    let install = Install::new("window-under-load");
    seed::set_up(install.data_dir(), false);
    seed::add_conversations(install.data_dir(), conversations, 5);
    let port = free_port();
    let key = seed::enable_local_api(install.data_dir(), port);

    let app = install.launch().await;
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Identity")).await;
    app.find(&menu_item("Sessions")).await.click().await.unwrap_or_else(|e| panic!("Sessions: {e}"));
    app.see(&heading("Sessions")).await;
    let entry_types = app
        .client
        .execute("return typeof PerformanceObserver === 'undefined' ? [] : PerformanceObserver.supportedEntryTypes", vec![])
        .await
        .unwrap_or_else(|e| panic!("entry types: {e}"));
    println!("PerformanceObserver entry types here: {entry_types}");
    app.client.execute(HEARTBEAT, vec![]).await.unwrap_or_else(|e| panic!("heartbeat: {e}"));

    let written = Arc::new(AtomicU64::new(0));
    let deadline = Instant::now() + Duration::from_secs(SECONDS);
    let feeders: Vec<_> = (0..clients)
        .map(|client| {
            let (key, written) = (key.clone(), written.clone());
            tokio::spawn(async move {
                let http = reqwest::Client::new();
                let mut n = 0u64;
                while Instant::now() < deadline {
                    n += 1;
                    let body = json!({
                        "channel": "web",
                        "customer": format!("Load {client}-{n}"),
                        "messages": [
                            {"author": "customer", "text": format!("Where is my order ORD-{n}? I would like a refund please")},
                            {"author": "ai_agent", "text": "Let me look that up for you."},
                        ],
                    });
                    let response = http
                        .post(format!("http://127.0.0.1:{port}/api/v1/sessions"))
                        .bearer_auth(&key)
                        .json(&body)
                        .send()
                        .await
                        .unwrap_or_else(|e| panic!("POST /api/v1/sessions: {e}"));
                    assert!(response.status().is_success(), "POST /api/v1/sessions: {}", response.status());
                    written.fetch_add(2, Ordering::Relaxed);
                }
            })
        })
        .collect();

    // The person: the wheel over the list, then a search typed, in turn.
    let display = app.display().to_owned();
    let search = app.find(&textbox("Search messages")).await;
    let mut rounds = 0;
    while Instant::now() < deadline {
        xdotool(&display, &["mousemove", "600", "500"]).await;
        for _ in 0..10 {
            xdotool(&display, &["click", "5"]).await;
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let term = SEARCHES[rounds % SEARCHES.len()];
        search.clear().await.unwrap_or_else(|e| panic!("clear the search: {e}"));
        for c in term.chars() {
            search.send_keys(&c.to_string()).await.unwrap_or_else(|e| panic!("type: {e}"));
            tokio::time::sleep(Duration::from_millis(80)).await;
        }
        tokio::time::sleep(Duration::from_millis(300)).await;
        rounds += 1;
    }
    for feeder in feeders {
        feeder.await.unwrap_or_else(|e| panic!("a feeding client failed: {e}"));
    }

    let late: Value = app.client.execute("return window.__beats.late", vec![]).await.unwrap_or_else(|e| panic!("beats: {e}"));
    let mut late: Vec<f64> = late.as_array().map(|a| a.iter().filter_map(Value::as_f64).collect()).unwrap_or_default();
    late.sort_by(f64::total_cmp);
    let over_50 = late.iter().filter(|ms| **ms > 50.0).count();
    let p99 = late.get(late.len() * 99 / 100).copied().unwrap_or(0.0);
    let max = late.last().copied().unwrap_or(0.0);
    println!(
        "{}",
        json!({
            "seconds": SECONDS,
            "clients": clients,
            "api_messages_per_s": written.load(Ordering::Relaxed) / SECONDS,
            "rounds_of_scrolling_and_typing": rounds,
            "beats": late.len(),
            "tasks_over_50_ms": over_50,
            "their_lateness_ms": late.iter().filter(|ms| **ms > 50.0).map(|ms| ms.round()).collect::<Vec<_>>(),
            "lateness_p99_ms": (p99 * 10.0).round() / 10.0,
            "lateness_max_ms": (max * 10.0).round() / 10.0,
        })
    );
    app.quit().await;
}

