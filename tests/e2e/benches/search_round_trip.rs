//! Users search round trip through the window: the app (the binary named by
//! TENANT_DESK_BIN, a release build for figures worth reading) on an install
//! holding the users of USERS_CSV; for each term of TERMS_JSON, the page's
//! own `list_users` command call is timed inside the webview, from invoke to
//! the answer (IPC, the worker thread, the core, back), several times.
//! Prints one JSON line with p50/p95.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;
use tenant_desk_e2e::locate::heading;
use tenant_desk_e2e::{seed, Install};

const REPEATS: usize = 5;

const ROUND_TRIP: &str = r#"
const [term, done] = arguments;
const t0 = performance.now();
window.__TAURI_INTERNALS__
  .invoke("list_users", { query: { term, sort: "id", descending: false, page: 0, page_size: 50 } })
  .then((p) => done([performance.now() - t0, p.rows.length]), (e) => done([-1, JSON.stringify(e)]));
"#;

fn percentile(samples: &[f64], p: f64) -> f64 {
    let mut s = samples.to_vec();
    s.sort_by(f64::total_cmp);
    let k = (s.len() - 1) as f64 * p / 100.0;
    let (lo, hi) = (k.floor() as usize, k.ceil() as usize);
    s[lo] + (s[hi] - s[lo]) * (k - lo as f64)
}

#[tokio::main]
async fn main() {
    let (Ok(csv), Ok(terms)) = (std::env::var("USERS_CSV"), std::env::var("TERMS_JSON")) else {
        eprintln!("search_round_trip: set USERS_CSV and TERMS_JSON (scripts/bench-users-search.sh does)");
        return;
    };
    let terms: Vec<String> = serde_json::from_str(&std::fs::read_to_string(terms).unwrap()).unwrap();
    let install = Install::new("bench-round-trip");
    seed::set_up(install.data_dir(), false);
    let users = seed::load_users_csv(install.data_dir(), std::path::Path::new(&csv));

    let app = install.launch().await;
    app.fill("Email", seed::ADMIN_EMAIL).await;
    app.fill("Password", seed::PASSWORD).await;
    app.click("Sign in").await;
    app.see(&heading("Identity")).await;

    let mut samples = Vec::new();
    for warm in ["warmup", "lee", "x"] {
        app.client.execute_async(ROUND_TRIP, vec![json!(warm)]).await.unwrap();
    }
    for _ in 0..REPEATS {
        for term in &terms {
            let answer = app.client.execute_async(ROUND_TRIP, vec![json!(term)]).await.unwrap();
            let ms = answer[0].as_f64().unwrap_or(-1.0);
            assert!(ms >= 0.0, "list_users failed for {term}: {answer}");
            samples.push(ms);
        }
    }
    app.quit().await;
    let r = |x: f64| (x * 1000.0).round() / 1000.0;
    println!(
        "{}",
        json!({
            "bench": "users_search_window_round_trip",
            "users": users,
            "terms": terms.len(),
            "repeats": REPEATS,
            "round_trip_ms": {
                "p50": r(percentile(&samples, 50.0)),
                "p95": r(percentile(&samples, 95.0)),
                "max": r(samples.iter().copied().fold(0.0, f64::max)),
                "n": samples.len(),
            },
        })
    );
}
