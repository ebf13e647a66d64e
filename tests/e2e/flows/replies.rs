//! An operator answers a customer from the conversation: Alt+A accepts the
//! session assigned to her, the reply box sends with Ctrl+Enter, the reply
//! shows at once, reaches the tenant's delivery address (a local receiver
//! that checks the signature) and is marked Delivered; the platform reads it
//! through the API after its cursor.

use std::sync::{Arc, Mutex};

use serde_json::Value;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;
use tenant_desk_core::replies::{signature, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use tenant_desk_e2e::{seed, Install};

use crate::flows_util::*;
use crate::conversations::{sign_in_as, Api};

const PRIYA: &str = "priya.raman@demo.tenant-desk.example";
const CONTROL: char = '\u{E009}';
const ALT: char = '\u{E00A}';
const ENTER: char = '\u{E007}';

/// A delivery address on this computer that answers 200 and keeps each
/// request's headers (lower-case names) and body.
async fn receiver() -> (String, Arc<Mutex<Vec<(Vec<(String, String)>, Vec<u8>)>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("receiver: {e}"));
    let url = format!("http://{}/replies", listener.local_addr().unwrap_or_else(|e| panic!("{e}")));
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    tokio::spawn(async move {
        while let Ok((stream, _)) = listener.accept().await {
            let (read, mut write) = stream.into_split();
            let mut reader = BufReader::new(read);
            let mut line = String::new();
            let _ = reader.read_line(&mut line).await;
            let mut headers = Vec::new();
            loop {
                line.clear();
                let _ = reader.read_line(&mut line).await;
                let Some((name, value)) = line.trim_end().split_once(':') else { break };
                headers.push((name.trim().to_lowercase(), value.trim().to_owned()));
            }
            let length = headers.iter().find(|(n, _)| n == "content-length").and_then(|(_, v)| v.parse().ok()).unwrap_or(0);
            let mut body = vec![0; length];
            let _ = reader.read_exact(&mut body).await;
            log.lock().unwrap_or_else(|p| p.into_inner()).push((headers, body));
            let _ = write.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").await;
        }
    });
    (url, seen)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_operator_accepts_with_alt_a_replies_with_ctrl_enter_and_the_reply_is_delivered() {
    let install = Install::new("replies");
    let api = Api::seed_in_keyring(&install).await;
    let dir = install.data_dir();
    seed::set_operator_shift(dir, PRIYA, true);
    let (url, received) = receiver().await;
    seed::delivery_address(dir, &url);
    let priya = seed::account_id(dir, PRIYA);
    let mut app = install.launch().await;
    sign_in_as(&app, PRIYA).await;
    app.see(&heading("Sessions")).await;
    api.ready().await;

    let id = api.conversation("Rita Reply", "Where is my refund?", Some(priya)).await;
    app.click("Open session with Rita Reply").await;
    app.see(&heading("Session with Rita Reply")).await;
    app.see("//dd[normalize-space(.)='Priya Raman (not accepted yet)']").await;
    let reply_box = app.find(&textbox("Reply to the customer")).await;
    reply_box.send_keys(&format!("{ALT}a")).await.unwrap_or_else(|e| panic!("Alt+A: {e}"));
    app.see(&status("Session accepted")).await;
    app.see("//dd[normalize-space(.)='Priya Raman']").await;
    assert!(!app.exists_now(&button("Accept")).await);

    let reply_box = app.find(&textbox("Reply to the customer")).await;
    reply_box.send_keys("Your refund left us this morning.").await.unwrap_or_else(|e| panic!("typing: {e}"));
    reply_box.send_keys(&format!("{CONTROL}{ENTER}")).await.unwrap_or_else(|e| panic!("Ctrl+Enter: {e}"));
    let shown = "//ol[@role='log']//li[contains(@class, 'from-operator')][p[normalize-space(.)='Your refund left us this morning.']]";
    app.see(shown).await;
    app.see(&format!("{shown}//*[@role='status'][normalize-space(.)='Delivered']")).await;
    assert_eq!(app.value_of("Reply to the customer").await, "", "the box is empty after sending");
    shoot(&mut app, "reply-delivered").await;

    // What the delivery address received: the reply, signed with the tenant API key.
    let requests = received.lock().unwrap_or_else(|p| p.into_inner()).clone();
    assert_eq!(requests.len(), 1);
    let (headers, body) = &requests[0];
    let header = |name: &str| headers.iter().find(|(n, _)| n == &name.to_lowercase()).map(|(_, v)| v.clone()).unwrap_or_default();
    assert_eq!(header(SIGNATURE_HEADER), signature(api.key(), &header(TIMESTAMP_HEADER), body));
    let sent: Value = serde_json::from_slice(body).unwrap_or_else(|e| panic!("body: {e}"));
    assert_eq!(sent["message"]["text"], "Your refund left us this morning.");
    assert_eq!(sent["session"]["id"], id);

    // The platform reads it after the customer's message.
    let all = api.get(&format!("/api/v1/sessions/{id}/messages")).await;
    let first = all["messages"][0]["id"].as_i64().unwrap_or_default();
    let after = api.get(&format!("/api/v1/sessions/{id}/messages?after={first}")).await;
    assert_eq!(after["messages"].as_array().map(Vec::len), Some(1));
    assert_eq!(after["messages"][0]["author"], "operator");
    assert_eq!(after["messages"][0]["text"], "Your refund left us this morning.");
    assert_eq!(after["cursor"], after["messages"][0]["id"]);
    app.quit().await;
}
