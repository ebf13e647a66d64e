//! Startup benchmark (not a test): time from launching the app to the Sign in
//! screen, and the memory the idle window holds. Run inside the test desktop:
//!
//!     tests/e2e/desktop-session.sh cargo run -p tenant-desk-e2e --example startup
//!
//! `TENANT_DESK_BIN=target/release/tenant-desk` measures the release build.

use std::time::{Duration, Instant};

use tenant_desk_e2e::locate::heading;
use tenant_desk_e2e::{seed, Install};

const RUNS: usize = 5;

#[tokio::main]
async fn main() {
    let install = Install::new("startup-bench");
    seed::set_up(install.data_dir(), false);
    let mut times = Vec::new();
    let mut rss = Vec::new();
    for _ in 0..RUNS {
        let started = Instant::now();
        let app = install.launch().await;
        app.see(&heading("Sign in")).await;
        times.push(started.elapsed());
        tokio::time::sleep(Duration::from_secs(3)).await;
        rss.push(resident_kib(&install));
        app.quit().await;
    }
    times.sort();
    rss.sort();
    println!(
        "launch to Sign in screen: median {:?} (min {:?}, max {:?}) over {RUNS} runs, WebDriver session start included",
        times[RUNS / 2], times[0], times[RUNS - 1]
    );
    let (app_kib, web_kib) = rss[RUNS / 2];
    println!(
        "idle resident memory: app process {} MiB, WebKit web/network processes {} MiB, total {} MiB",
        app_kib / 1024,
        web_kib / 1024,
        (app_kib + web_kib) / 1024
    );
}

/// VmRSS of this install's tenant-desk process and of the WebKit processes it started.
fn resident_kib(install: &Install) -> (u64, u64) {
    let marker = format!("TENANT_DESK_DATA_DIR={}", install.data_dir().display());
    let procs: Vec<(u32, u32, String, u64)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let status = std::fs::read_to_string(entry.path().join("status")).ok()?;
            let field = |name: &str| status.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_owned());
            let ppid = field("PPid:")?.parse().ok()?;
            let kib = field("VmRSS:").unwrap_or_default().trim_end_matches(" kB").parse().unwrap_or(0);
            Some((pid, ppid, field("Name:")?, kib))
        })
        .collect();
    let ours = |pid: u32| {
        std::fs::read(format!("/proc/{pid}/environ"))
            .map(|env| env.split(|b| *b == 0).any(|kv| kv == marker.as_bytes()))
            .unwrap_or(false)
    };
    let apps: Vec<u32> = procs.iter().filter(|p| p.2 == "tenant-desk" && ours(p.0)).map(|p| p.0).collect();
    let app = procs.iter().filter(|p| apps.contains(&p.0)).map(|p| p.3).sum();
    let web = procs.iter().filter(|p| apps.contains(&p.1)).map(|p| p.3).sum();
    (app, web)
}
