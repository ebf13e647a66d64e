//! Start-up benchmark (not a test): time from launching the app to the Sign in
//! screen, and the memory the idle window holds, each beside a bare Tauri
//! window (src-tauri/bare-window/: the same tauri build, one static page)
//! launched the same way in the same run. `scripts/bench-startup.sh` builds
//! both in release and runs this inside the test desktop:
//!
//!     TENANT_DESK_BIN=target/release/tenant-desk BARE_WINDOW_BIN=target/release/bare-window \
//!       tests/e2e/desktop-session.sh cargo run -p tenant-desk-e2e --example startup
//!
//! With `MESSAGES=1000000` the app's store holds that many messages first.
//!
//! Launch time counts from starting tauri-driver until the page's heading is
//! found over WebDriver, the same steps for both programs. Memory is the
//! proportional set size (PSS: shared pages divided among the processes that
//! share them) of the program and the WebKit processes it started, 3 s after
//! its page is shown.

use std::path::Path;
use std::time::{Duration, Instant};

use tenant_desk_e2e::locate::heading;
use tenant_desk_e2e::{seed, Install};

const RUNS: usize = 7;

struct Program {
    label: &'static str,
    path: String,
    heading: &'static str,
    launches: Vec<Duration>,
    /// Process start to the page's start, to its script run, to the heading
    /// found (ms; the phases of one launch).
    phases: Vec<[f64; 3]>,
    own_kib: Vec<u64>,
    webkit_kib: Vec<u64>,
}

/// The page's own clock: when it started (epoch ms), and how far into it its
/// scripts had run (DOMContentLoaded's end) and the heading is found.
const PAGE_TIMES: &str = "const n = performance.getEntriesByType('navigation')[0];
  return [performance.timeOrigin, n ? n.domContentLoadedEventEnd : 0, performance.now()];";

#[tokio::main]
async fn main() {
    let app = std::env::var("TENANT_DESK_BIN").unwrap_or_else(|_| panic!("TENANT_DESK_BIN names the app to measure"));
    let bare = std::env::var("BARE_WINDOW_BIN").unwrap_or_else(|_| panic!("BARE_WINDOW_BIN names the bare window"));
    let install = Install::new("startup-bench");
    seed::set_up(install.data_dir(), false);
    // MESSAGES=1000000: the same launch on a store of a benchmark's size.
    let messages: usize = std::env::var("MESSAGES").ok().and_then(|v| v.parse().ok()).unwrap_or(0);
    if messages > 0 {
        seed::messages(install.data_dir(), messages);
        let size = std::fs::metadata(install.data_dir().join("tenant-desk.sqlite3")).map(|m| m.len()).unwrap_or(0);
        println!("store: {messages} messages, {} MB", size / 1_000_000);
    }
    let mut programs = [
        Program { label: "Tenant Desk", path: app, heading: "Sign in", launches: vec![], phases: vec![], own_kib: vec![], webkit_kib: vec![] },
        Program { label: "bare Tauri window", path: bare, heading: "Bare window", launches: vec![], phases: vec![], own_kib: vec![], webkit_kib: vec![] },
    ];
    // Turn about, so both meet the machine in the same state.
    for _ in 0..RUNS {
        for program in &mut programs {
            let started = Instant::now();
            let window = install.launch_program(&program.path).await;
            // Asked every 5 ms: a wait's usual 250 ms between looks would
            // count up to a quarter of a second the screen was already there.
            let shown = heading(program.heading);
            while !window.exists_now(&shown).await {
                assert!(started.elapsed() < Duration::from_secs(30), "{} showed no {:?} within 30 s", program.label, program.heading);
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            program.launches.push(started.elapsed());
            let page = window.client.execute(PAGE_TIMES, vec![]).await.unwrap_or_else(|e| panic!("page times: {e}"));
            let at = |i: usize| page[i].as_f64().unwrap_or(0.0);
            let to_page = at(0) - process_started_ms(&install, &program.path);
            program.phases.push([to_page, to_page + at(1), to_page + at(2)]);
            tokio::time::sleep(Duration::from_secs(3)).await;
            let (own, webkit) = proportional_kib(&install, &program.path);
            program.own_kib.push(own);
            program.webkit_kib.push(webkit);
            window.quit().await;
        }
    }
    for program in &mut programs {
        program.launches.sort();
        println!(
            "{}: launch to its first screen median {:?} (min {:?}, max {:?}) over {RUNS} runs; idle PSS {} MiB ({} MiB its own process, {} MiB WebKit's)",
            program.label,
            program.launches[RUNS / 2],
            program.launches[0],
            program.launches[RUNS - 1],
            (median(&program.own_kib) + median(&program.webkit_kib)) / 1024,
            median(&program.own_kib) / 1024,
            median(&program.webkit_kib) / 1024,
        );
        let phase = |i: usize| {
            let mut v: Vec<f64> = program.phases.iter().map(|p| p[i]).collect();
            v.sort_by(f64::total_cmp);
            v[v.len() / 2]
        };
        println!(
            "  from its process start (medians): page started {:.0} ms, its scripts run {:.0} ms, heading found {:.0} ms",
            phase(0),
            phase(1),
            phase(2)
        );
    }
    let [app, bare] = &programs;
    let total = |p: &Program| (median(&p.own_kib) + median(&p.webkit_kib)) as f64;
    println!(
        "Tenant Desk against the bare window: launch {:.2}x, memory {:.2}x",
        app.launches[RUNS / 2].as_secs_f64() / bare.launches[RUNS / 2].as_secs_f64(),
        total(app) / total(bare)
    );
}

/// When this install's process of `program` started (epoch ms): its start in
/// clock ticks after boot (/proc/PID/stat) plus the boot's time.
fn process_started_ms(install: &Install, program: &str) -> f64 {
    let pid = our_processes(install, program).0.first().copied().unwrap_or_else(|| panic!("no {program} process"));
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_else(|e| panic!("stat: {e}"));
    // Fields after the command's closing parenthesis; starttime is the 22nd field.
    let after = &stat[stat.rfind(')').unwrap_or(0) + 2..];
    let ticks: f64 = after.split(' ').nth(19).and_then(|t| t.parse().ok()).unwrap_or_else(|| panic!("starttime in {stat}"));
    // The boot's time from now less the time since boot (/proc/stat's own
    // boot time is whole seconds).
    let up: f64 = std::fs::read_to_string("/proc/uptime")
        .ok()
        .and_then(|s| s.split(' ').next().and_then(|v| v.parse().ok()))
        .unwrap_or_else(|| panic!("no /proc/uptime"));
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs_f64()).unwrap_or(0.0);
    let boot = now - up;
    // Linux counts a process's start in USER_HZ, 100 a second.
    (boot + ticks / 100.0) * 1000.0
}

fn median(values: &[u64]) -> u64 {
    let mut sorted = values.to_vec();
    sorted.sort_unstable();
    sorted[sorted.len() / 2]
}

/// PSS of this install's process of `program` and of the WebKit processes it started.
fn proportional_kib(install: &Install, program: &str) -> (u64, u64) {
    let (mains, children) = our_processes(install, program);
    (mains.iter().map(|pid| pss_kib(*pid)).sum(), children.iter().map(|pid| pss_kib(*pid)).sum())
}

/// This install's processes of `program`, and the processes they started.
fn our_processes(install: &Install, program: &str) -> (Vec<u32>, Vec<u32>) {
    let marker = format!("TENANT_DESK_DATA_DIR={}", install.desktop_dir().display());
    // The kernel keeps the first 15 bytes of a program's name.
    let name: String = Path::new(program).file_name().map(|n| n.to_string_lossy().chars().take(15).collect()).unwrap_or_default();
    let procs: Vec<(u32, u32, String)> = std::fs::read_dir("/proc")
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|entry| {
            let pid: u32 = entry.file_name().to_str()?.parse().ok()?;
            let status = std::fs::read_to_string(entry.path().join("status")).ok()?;
            let field = |name: &str| status.lines().find_map(|l| l.strip_prefix(name)).map(|v| v.trim().to_owned());
            Some((pid, field("PPid:")?.parse().ok()?, field("Name:")?))
        })
        .collect();
    let ours = |pid: u32| {
        std::fs::read(format!("/proc/{pid}/environ"))
            .map(|env| env.split(|b| *b == 0).any(|kv| kv == marker.as_bytes()))
            .unwrap_or(false)
    };
    let mains: Vec<u32> = procs.iter().filter(|p| p.2 == name && ours(p.0)).map(|p| p.0).collect();
    let children = procs.iter().filter(|p| mains.contains(&p.1)).map(|p| p.0).collect();
    (mains, children)
}

fn pss_kib(pid: u32) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup"))
        .ok()
        .and_then(|rollup| {
            rollup.lines().find_map(|l| l.strip_prefix("Pss:")).and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
