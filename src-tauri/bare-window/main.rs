//! A bare Tauri window: the same tauri build as the app, one static page, no
//! plugins, no commands, no store. The start-up benchmark
//! (tests/e2e/examples/startup.rs) launches it beside the app to tell what
//! Tauri and WebKit cost from what the app adds.

fn main() {
    tauri::Builder::default()
        .run(tauri::generate_context!("src-tauri/bare-window/tauri.conf.json"))
        .unwrap_or_else(|e| panic!("the bare window could not run: {e}"));
}
