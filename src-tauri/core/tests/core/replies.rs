//! Operators' replies leaving through the tenant API: read after a cursor,
//! and POSTed to the tenant's delivery address — signed, one idempotency key
//! per reply, retried with backoff on a local receiver that answers 500
//! twice and then 200, failed with the reason on an answer retrying cannot
//! change, retried on request; and counted as the first response.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use chrono::Duration;
use tenant_desk_core::authz::Caller;
use tenant_desk_core::replies::{signature, DeliveryState, MAX_ATTEMPTS, SIGNATURE_HEADER, TIMESTAMP_HEADER};
use tenant_desk_core::conversations::{Author, NewMessage};
use tenant_desk_core::ErrorCode;

use crate::support::*;

/// One request as the receiver read it: headers (lower-case names) and body.
#[derive(Debug, Clone)]
struct Received {
    headers: Vec<(String, String)>,
    body: Vec<u8>,
}

impl Received {
    fn header(&self, name: &str) -> String {
        self.headers.iter().find(|(n, _)| n == &name.to_lowercase()).map(|(_, v)| v.clone()).unwrap_or_default()
    }
}

/// A local HTTP receiver answering with `statuses` in turn (the last one
/// from then on); returns its address and what it received.
fn receiver(statuses: Vec<u16>) -> (String, Arc<Mutex<Vec<Received>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/replies", listener.local_addr().unwrap());
    let seen = Arc::new(Mutex::new(Vec::new()));
    let log = seen.clone();
    std::thread::spawn(move || {
        for (n, stream) in listener.incoming().enumerate() {
            let Ok(mut stream) = stream else { continue };
            let mut reader = BufReader::new(stream.try_clone().unwrap());
            let mut headers = Vec::new();
            let mut line = String::new();
            reader.read_line(&mut line).unwrap();
            loop {
                line.clear();
                reader.read_line(&mut line).unwrap();
                let Some((name, value)) = line.trim_end().split_once(':') else { break };
                headers.push((name.trim().to_lowercase(), value.trim().to_owned()));
            }
            let length: usize = headers.iter().find(|(n, _)| n == "content-length").map_or(0, |(_, v)| v.parse().unwrap());
            let mut body = vec![0; length];
            reader.read_exact(&mut body).unwrap();
            log.lock().unwrap().push(Received { headers, body });
            let status = statuses[n.min(statuses.len() - 1)];
            write!(stream, "HTTP/1.1 {status} Whatever\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").unwrap();
        }
    });
    (url, seen)
}

struct Setup {
    h: Harness,
    admin: tenant_desk_core::authz::Actor,
    conversation: i64,
}

/// Grace (a Tenant Admin) handles a conversation whose customer wrote first.
fn setup(delivery: Option<&str>) -> Setup {
    let h = Harness::new();
    h.set_up(true);
    let admin = h.actor_of(ADMIN_EMAIL);
    if let Some(url) = delivery {
        h.desk.set_delivery_address(&admin, url).unwrap();
    }
    let conversation = session_of(&h.desk, &Caller::from(&admin), Some(admin.account_id));
    Setup { h, admin, conversation }
}

impl Setup {
    fn reply(&self, text: &str) -> tenant_desk_core::conversations::Message {
        self.h
            .desk
            .append_message(&Caller::from(&self.admin), self.conversation, NewMessage { author: Author::Operator, text: text.into() })
            .unwrap()
    }

    fn delivery(&self, message_id: i64) -> tenant_desk_core::replies::Delivery {
        let detail = self.h.desk.conversation(&Caller::from(&self.admin), self.conversation).unwrap();
        detail.messages.into_iter().find(|m| m.id == message_id).and_then(|m| m.delivery).unwrap()
    }
}

#[test]
fn a_reply_is_signed_retried_with_backoff_and_sent_once_the_receiver_takes_it() {
    let (url, received) = receiver(vec![500, 500, 200]);
    let s = setup(Some(&url));
    let tenant = s.admin.tenant.as_ref().unwrap().tenant_id;
    let reply = s.reply("We are on it.");
    assert_eq!(reply.delivery.as_ref().map(|d| d.state), Some(DeliveryState::Pending));

    assert_eq!(s.h.desk.deliver_due_replies().unwrap(), 1);
    let first = s.delivery(reply.id);
    assert_eq!((first.state, first.attempts), (DeliveryState::Retrying, 1));
    assert_eq!(first.last_error.as_deref(), Some("The delivery address answered 500 Internal Server Error."));
    assert_eq!(s.h.desk.deliver_due_replies().unwrap(), 0, "not due before its backoff");
    s.h.clock.advance(Duration::seconds(5));
    assert_eq!(s.h.desk.deliver_due_replies().unwrap(), 1);
    assert_eq!(s.delivery(reply.id).attempts, 2);
    s.h.clock.advance(Duration::seconds(9));
    assert_eq!(s.h.desk.deliver_due_replies().unwrap(), 0, "the second wait is twice the first");
    s.h.clock.advance(Duration::seconds(1));
    assert_eq!(s.h.desk.deliver_due_replies().unwrap(), 1);
    let sent = s.delivery(reply.id);
    assert_eq!((sent.state, sent.attempts, sent.last_error), (DeliveryState::Sent, 3, None));
    assert_eq!(s.h.desk.deliver_due_replies().unwrap(), 0, "sent once");

    let key = s.h.desk.tenant_api_key(&s.admin, tenant).unwrap();
    let requests = received.lock().unwrap().clone();
    assert_eq!(requests.len(), 3);
    let idempotency = requests[0].header("Idempotency-Key");
    assert!(idempotency.ends_with(&format!("-{}", reply.id)), "{idempotency}");
    for request in &requests {
        assert_eq!(request.header("Idempotency-Key"), idempotency, "one key for every attempt");
        let timestamp = request.header(TIMESTAMP_HEADER);
        assert_eq!(request.header(SIGNATURE_HEADER), signature(key.expose(), &timestamp, &request.body));
        assert_ne!(request.header(SIGNATURE_HEADER), signature("tdk_another", &timestamp, &request.body));
    }
    let body: serde_json::Value = serde_json::from_slice(&requests[2].body).unwrap();
    assert_eq!(body["message"]["text"], "We are on it.");
    assert_eq!(body["message"]["id"], reply.id);
    assert_eq!(body["session"]["id"], s.conversation);
    assert_eq!(body["operator"]["name"], "Grace Hopper");
}

#[test]
fn an_answer_retrying_cannot_change_fails_at_once_and_is_retried_on_request() {
    let (url, received) = receiver(vec![410, 200]);
    let s = setup(Some(&url));
    let reply = s.reply("Your parcel left today.");
    s.h.desk.deliver_due_replies().unwrap();
    let failed = s.delivery(reply.id);
    assert_eq!((failed.state, failed.attempts), (DeliveryState::Failed, 1));
    assert_eq!(failed.last_error.as_deref(), Some("The delivery address answered 410 Gone."));
    s.h.clock.advance(Duration::hours(1));
    assert_eq!(s.h.desk.deliver_due_replies().unwrap(), 0, "a failed delivery waits for a person");

    let retried = s.h.desk.retry_delivery(&Caller::from(&s.admin), s.conversation, reply.id).unwrap();
    assert_eq!(retried.state, DeliveryState::Pending);
    s.h.desk.deliver_due_replies().unwrap();
    assert_eq!(s.delivery(reply.id).state, DeliveryState::Sent);
    assert_eq!(received.lock().unwrap().len(), 2);
    let again = s.h.desk.retry_delivery(&Caller::from(&s.admin), s.conversation, reply.id).unwrap_err();
    assert_eq!(again.code, ErrorCode::Conflict, "a sent reply is not sent twice");
}

#[test]
fn a_receiver_that_never_answers_fails_the_delivery_after_the_last_attempt_with_the_reason() {
    let closed = TcpListener::bind("127.0.0.1:0").unwrap();
    let url = format!("http://{}/replies", closed.local_addr().unwrap());
    drop(closed);
    let s = setup(Some(&url));
    let reply = s.reply("Hello?");
    for _ in 0..MAX_ATTEMPTS {
        s.h.desk.deliver_due_replies().unwrap();
        s.h.clock.advance(Duration::hours(1));
    }
    let failed = s.delivery(reply.id);
    assert_eq!((failed.state, failed.attempts), (DeliveryState::Failed, MAX_ATTEMPTS));
    assert!(failed.last_error.unwrap_or_default().starts_with("The delivery address could not be reached"));
}

#[test]
fn replies_are_read_after_a_cursor_and_count_as_the_first_response() {
    let s = setup(None);
    let key = Caller::from(&s.admin);
    let all = s.h.desk.conversation_messages_after(&key, s.conversation, 0, 100).unwrap();
    let cursor = all.cursor;
    assert!(!all.messages.is_empty() && !all.more);
    s.h.clock.advance(Duration::minutes(3));
    let reply = s.reply("Thanks for waiting.");
    assert_eq!(reply.delivery, None, "no delivery address: read through the API only");
    let new = s.h.desk.conversation_messages_after(&key, s.conversation, cursor, 100).unwrap();
    assert_eq!(new.messages.iter().map(|m| m.text.as_str()).collect::<Vec<_>>(), ["Thanks for waiting."]);
    assert_eq!(new.cursor, reply.id);
    let none = s.h.desk.conversation_messages_after(&key, s.conversation, new.cursor, 100).unwrap();
    assert!(none.messages.is_empty() && none.cursor == new.cursor);
    let first: (i64, i64) = s
        .h
        .desk
        .db()
        .read(|tx| {
            Ok(tx.query_row("SELECT first_customer_at, first_response_at FROM conversations WHERE id = ?1", [s.conversation], |r| {
                Ok((r.get(0)?, r.get(1)?))
            })?)
        })
        .unwrap();
    assert_eq!(first.1 - first.0, 180_000, "the reply three minutes after the customer is the first response");
}

#[test]
fn the_delivery_address_is_a_tenant_admins_and_https() {
    let s = setup(None);
    let refused = s.h.desk.set_delivery_address(&s.admin, "http://hooks.example.com/in").unwrap_err();
    assert!(refused.fields.contains_key("url"));
    let viewer = s.h.actor_of(member_email(tenant_desk_core::authz::Role::TenantViewer));
    let not_allowed = s.h.desk.set_delivery_address(&viewer, "https://hooks.example.com/in").unwrap_err();
    assert_eq!(not_allowed.code, ErrorCode::NotAllowed);
    let set = s.h.desk.set_delivery_address(&s.admin, "https://hooks.example.com/in").unwrap();
    assert_eq!(set.url.as_deref(), Some("https://hooks.example.com/in"));
    assert_eq!(s.h.desk.delivery_address(&viewer).unwrap(), set, "every member reads it");
    assert_eq!(s.h.desk.set_delivery_address(&s.admin, "").unwrap().url, None);
}
