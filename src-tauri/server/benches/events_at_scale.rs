//! The team server under a team's load, through its real binary: DESKTOPS
//! desktops signed in and subscribed to the change stream, WRITES a second
//! starting conversations through the tenant API for SECONDS, each desktop
//! dropping its stream and reconnecting (Last-Event-ID) twice during the
//! run. Reports how long a change takes from the write to each desktop
//! (p50/p95/max), that every desktop got every change exactly once, and the
//! server's memory. One JSON line; `scripts/bench-server.sh` runs it.

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use serde_json::{json, Value};

const SERVER: &str = env!("CARGO_BIN_EXE_tenant-desk-server");
const PASSWORD: &str = "correct horse battery staple";

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name).ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// What one desktop saw: when each change (by sequence number) arrived.
#[derive(Default)]
struct Seen {
    at: HashMap<u64, (Instant, i64)>,
    repeated: usize,
    reconnects: usize,
    /// Streams that broke (not dropped on purpose) and were reconnected.
    broken: usize,
    reloads: usize,
}

fn main() {
    let desktops = setting("DESKTOPS", 200) as usize;
    let writes_per_second = setting("WRITES", 50);
    let seconds = setting("SECONDS", 20);
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("server.toml");
    std::fs::write(
        &config,
        "listen = \"127.0.0.1:0\"\ndata_dir = \"data\"\n[limits]\nmax_connections = 4096\nrequests_per_minute = 10000000\nburst = 1000000\n",
    )
    .unwrap();
    let mut setup = Command::new(SERVER)
        .args(["--config", config.to_str().unwrap(), "setup", "--workspace", "Acme Support", "--timezone", "Europe/Berlin"])
        .args(["--admin-name", "Grace Hopper", "--admin-email", "grace@example.com"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    writeln!(setup.stdin.take().unwrap(), "{PASSWORD}").unwrap();
    let out = setup.wait_with_output().unwrap();
    let key = String::from_utf8_lossy(&out.stdout).split_whitespace().find(|w| w.starts_with("tdk_")).unwrap().to_owned();

    let mut server = Command::new(SERVER).args(["--config", config.to_str().unwrap()]).stderr(Stdio::piped()).spawn().unwrap();
    let mut log = BufReader::new(server.stderr.take().unwrap());
    let address = loop {
        let mut line = String::new();
        assert!(log.read_line(&mut line).unwrap() > 0, "the server stopped");
        let entry: Value = serde_json::from_str(&line).unwrap();
        if entry["fields"]["message"] == "serving" {
            break entry["fields"]["address"].as_str().unwrap().to_owned();
        }
    };
    std::thread::spawn(move || for _ in log.lines() {});
    let base = format!("http://{address}");

    let runtime = tokio::runtime::Runtime::new().unwrap();
    let report = runtime.block_on(run(base, key, desktops, writes_per_second, seconds, server.id()));
    let _ = Command::new("kill").args(["-TERM", &server.id().to_string()]).status();
    let _ = server.wait();
    println!("{report}");
}

async fn run(base: String, key: String, desktops: usize, writes_per_second: u64, seconds: u64, pid: u32) -> Value {
    let http = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    // Each desktop signs in on its own (the same person on many computers).
    let mut tokens = Vec::new();
    let signing_in = Instant::now();
    for _ in 0..desktops {
        let session: Value = http
            .post(format!("{base}/api/desk/v1/sign-in"))
            .json(&json!({ "email": "grace@example.com", "password": PASSWORD }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        tokens.push(session["token"].as_str().unwrap().to_owned());
    }
    let sign_in_each = signing_in.elapsed() / desktops as u32;

    let total = writes_per_second * seconds;
    let seen: Vec<Arc<Mutex<Seen>>> = (0..desktops).map(|_| Arc::default()).collect();
    let run_for = Duration::from_secs(seconds);
    let started = Instant::now();
    let mut listeners = Vec::new();
    let connected = Arc::new(AtomicUsize::new(0));
    for (n, token) in tokens.into_iter().enumerate() {
        let (http, base, seen, connected) = (http.clone(), base.clone(), seen[n].clone(), connected.clone());
        // Two reconnects each, spread over the run.
        let drops = [run_for / 3 + Duration::from_millis(n as u64 * 7 % 1000), run_for * 2 / 3 + Duration::from_millis(n as u64 * 13 % 1000)];
        listeners.push(tokio::spawn(async move { listen(http, base, token, seen, started, drops, total, connected).await }));
    }
    // A desktop sees the changes after it connected: the writes start once all have.
    while connected.load(Ordering::SeqCst) < desktops {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The writes, at a steady rate; when each was sent, by conversation.
    let sent: Arc<Mutex<HashMap<i64, Instant>>> = Arc::default();
    let mut ticker = tokio::time::interval(Duration::from_micros(1_000_000 / writes_per_second));
    let mut writes = Vec::new();
    for n in 0..total {
        ticker.tick().await;
        let (http, base, key, sent) = (http.clone(), base.clone(), key.clone(), sent.clone());
        writes.push(tokio::spawn(async move {
            let at = Instant::now();
            let body = json!({ "channel": "web", "customer": format!("Customer {n}"), "messages": [{ "author": "customer", "text": "Hello" }] });
            let created: Value =
                http.post(format!("{base}/api/v1/sessions")).bearer_auth(&key).json(&body).send().await.unwrap().json().await.unwrap();
            sent.lock().unwrap().insert(created["session"]["id"].as_i64().unwrap(), at);
        }));
    }
    for w in writes {
        w.await.unwrap();
    }
    let write_seconds = started.elapsed().as_secs_f64();
    let deadline = Instant::now() + Duration::from_secs(30);
    while Instant::now() < deadline && seen.iter().any(|s| (s.lock().unwrap().at.len() as u64) < total) {
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    for l in listeners {
        l.abort();
    }

    let sent = sent.lock().unwrap();
    let mut latencies: Vec<f64> = Vec::new();
    let (mut lost, mut repeated, mut reconnects, mut reloads, mut broken) = (0u64, 0usize, 0usize, 0usize, 0usize);
    for s in &seen {
        let s = s.lock().unwrap();
        lost += total - s.at.len() as u64;
        repeated += s.repeated;
        reconnects += s.reconnects;
        reloads += s.reloads;
        broken += s.broken;
        for (at, conversation) in s.at.values() {
            if let Some(sent_at) = sent.get(conversation) {
                latencies.push(at.saturating_duration_since(*sent_at).as_secs_f64() * 1000.0);
            }
        }
    }
    latencies.sort_by(|a, b| a.total_cmp(b));
    let pct = |p: f64| latencies.get(((latencies.len() as f64 - 1.0) * p).round() as usize).copied().unwrap_or(f64::NAN);
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let memory = |field: &str| status.lines().find(|l| l.starts_with(field)).map(|l| l.split_whitespace().nth(1).unwrap_or("0").parse::<u64>().unwrap_or(0) / 1024);
    json!({
        "desktops": desktops,
        "writes_per_second": writes_per_second,
        "writes": total,
        "write_seconds": (write_seconds * 10.0).round() / 10.0,
        "sign_in_ms_each": sign_in_each.as_millis(),
        "deliveries": latencies.len(),
        "delivery_ms": { "p50": (pct(0.5) * 10.0).round() / 10.0, "p95": (pct(0.95) * 10.0).round() / 10.0, "max": (pct(1.0) * 10.0).round() / 10.0 },
        "lost": lost,
        "repeated": repeated,
        "reconnects": reconnects,
        "reloads": reloads,
        "broken_streams": broken,
        "server_rss_mib": memory("VmRSS:"),
        "server_peak_rss_mib": memory("VmHWM:"),
    })
}

/// One desktop: follows the stream, drops it at the given moments and
/// reconnects from the last change it saw.
#[allow(clippy::too_many_arguments)]
async fn listen(
    http: reqwest::Client,
    base: String,
    token: String,
    seen: Arc<Mutex<Seen>>,
    started: Instant,
    drops: [Duration; 2],
    total: u64,
    connected: Arc<AtomicUsize>,
) {
    let mut last: Option<String> = None;
    let mut next_drop = 0;
    loop {
        let mut request = http.get(format!("{base}/api/desk/v1/events")).bearer_auth(&token);
        if let Some(id) = &last {
            request = request.header("Last-Event-ID", id);
        }
        let Ok(response) = request.send().await else {
            seen.lock().unwrap().broken += 1;
            tokio::time::sleep(Duration::from_millis(50)).await;
            continue;
        };
        if last.is_none() {
            connected.fetch_add(1, Ordering::SeqCst);
        }
        let mut body = response.bytes_stream();
        let mut buffer = String::new();
        'stream: while let Some(chunk) = body.next().await {
            let Ok(chunk) = chunk else {
                seen.lock().unwrap().broken += 1;
                break 'stream;
            };
            buffer.push_str(&String::from_utf8_lossy(&chunk));
            while let Some(end) = buffer.find("\n\n") {
                let event: String = buffer.drain(..end + 2).collect();
                let (mut id, mut data, mut reload) = (None, None, false);
                for line in event.lines() {
                    if let Some(v) = line.strip_prefix("id:") {
                        id = Some(v.trim().to_owned());
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data = serde_json::from_str::<Value>(v.trim()).ok();
                    } else if line.starts_with("event:") && line.contains("reload") {
                        reload = true;
                    }
                }
                let mut s = seen.lock().unwrap();
                if reload {
                    s.reloads += 1;
                }
                if let (Some(id), Some(data), false) = (&id, &data, reload) {
                    let seq: u64 = id.split(':').nth(1).and_then(|v| v.parse().ok()).unwrap_or(0);
                    let conversation = data["conversation_id"].as_i64().unwrap_or(0);
                    if s.at.insert(seq, (Instant::now(), conversation)).is_some() {
                        s.repeated += 1;
                    }
                }
                if id.is_some() {
                    last = id;
                }
                let done = s.at.len() as u64 >= total;
                drop(s);
                if done {
                    return;
                }
                if next_drop < drops.len() && started.elapsed() >= drops[next_drop] {
                    next_drop += 1;
                    seen.lock().unwrap().reconnects += 1;
                    break 'stream;
                }
            }
        }
    }
}
