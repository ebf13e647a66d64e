//! The tenant API on generated requests, through a real HTTP client against
//! one running server: any body to any write and any query string or path id
//! get an answer that is not a server error, and every refusal is the JSON
//! error with a field named when a field is wrong; a valid conversation is
//! created and read back as sent. `scripts/fuzz.sh` runs these with many
//! more cases (`PROPTEST_CASES`); failures are kept in
//! `src-tauri/http-api/proptest-regressions/`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, TestRunner};
use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use tenant_desk_api::RunningApi;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::notifications::Recorder;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::{Desk, DeskConfig};

const REGRESSIONS: &str = concat!(env!("CARGO_MANIFEST_DIR"), "/proptest-regressions/api_properties.txt");

/// `cases` cases unless `PROPTEST_CASES` asks for another number.
fn config(cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: Some(Box::new(FileFailurePersistence::Direct(REGRESSIONS))), ..ProptestConfig::default() }
}

struct Server {
    _dir: tempfile::TempDir,
    api: RunningApi,
    http: Client,
    key: String,
    /// A conversation of the key's tenant, for the paths that name one.
    conversation_id: i64,
    operator_id: i64,
}

async fn server() -> Server {
    let dir = tempfile::tempdir().unwrap();
    let desk = Arc::new(
        Desk::open(DeskConfig {
            data_dir: dir.path().to_owned(),
            clock: Arc::new(SystemClock),
            secrets: Arc::new(MemoryStore::new()),
            notifier: Arc::new(Recorder::new()),
        })
        .unwrap(),
    );
    let setup = desk.clone();
    let (key, operator_id) = tokio::task::spawn_blocking(move || {
        let (token, _) = setup
            .complete_setup(SetupInput {
                tenant_name: "Acme Support".into(),
                timezone: "Europe/Berlin".into(),
                admin_name: "Grace Hopper".into(),
                email: "grace@example.com".into(),
                password: "violet marble canyon drifts".into(),
                load_demo: true,
                load_demo_conversations: false,
            })
            .unwrap();
        let admin = setup.actor(&token).unwrap();
        let key = setup.tenant_api_key(&admin, admin.tenant.as_ref().unwrap().tenant_id).unwrap().expose().to_owned();
        (key, admin.account_id)
    })
    .await
    .unwrap();
    let api = tenant_desk_api::start(desk, 0).await.unwrap();
    let mut s = Server { _dir: dir, api, http: Client::new(), key, conversation_id: 0, operator_id };
    let (status, created) = s.send(Method::POST, "/api/v1/sessions", Body::Json(valid_session())).await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    s.conversation_id = created["session"]["id"].as_i64().unwrap();
    s
}

#[derive(Debug, Clone)]
enum Body {
    None,
    Json(Value),
    /// Any bytes, sent with this content type.
    Bytes(Vec<u8>, &'static str),
}

impl Server {
    async fn send(&self, method: Method, path: &str, body: Body) -> (StatusCode, Value) {
        let mut request = self.http.request(method, format!("http://{}{path}", self.api.addr)).bearer_auth(&self.key);
        request = match body {
            Body::None => request,
            Body::Json(value) => request.json(&value),
            Body::Bytes(bytes, content_type) => request.header("Content-Type", content_type).body(bytes),
        };
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }
}

/// Not a server error; a refusal is `{code, message, fields}`, naming a
/// field when it says a field is wrong.
fn an_answer(status: StatusCode, body: &Value) -> Result<(), TestCaseError> {
    prop_assert!(!status.is_server_error(), "{} {}", status, body);
    if status.is_client_error() {
        prop_assert!(body["code"].is_string() && body["message"].is_string(), "{} {}", status, body);
        prop_assert!(body["fields"].is_object(), "{} {}", status, body);
        if status == StatusCode::UNPROCESSABLE_ENTITY {
            prop_assert!(!body["fields"].as_object().unwrap().is_empty(), "no field named: {}", body);
        }
    }
    Ok(())
}

fn valid_session() -> Value {
    json!({"channel": "web", "customer": "Jane Customer", "messages": [{"author": "customer", "text": "Where is my order?"}]})
}

fn any_text(max_chars: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..=max_chars).prop_map(|c| c.into_iter().collect())
}

/// Any JSON value, with the numbers and texts at the edges of the wire types.
fn json_value() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::from),
        any::<i64>().prop_map(Value::from),
        any::<u64>().prop_map(Value::from),
        proptest::sample::select(vec![i64::MIN, i64::MAX, -1, 0, 1, 200, 201, 4001]).prop_map(Value::from),
        any::<f64>().prop_map(|f| serde_json::Number::from_f64(f).map_or(Value::Null, Value::Number)),
        any_text(12).prop_map(Value::from),
        proptest::sample::select(vec!["customer", "operator", "ai_agent", "open", "resolved", "", " "]).prop_map(Value::from),
    ];
    leaf.prop_recursive(3, 12, 4, |inner| {
        prop_oneof![
            proptest::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            proptest::collection::vec((prop_oneof![any_text(6), Just("text".to_owned()), Just("author".to_owned())], inner), 0..4)
                .prop_map(|kv| Value::Object(kv.into_iter().collect())),
        ]
    })
}

/// A valid body of each write with one thing changed: a field set to any
/// value, an unknown field added, or a field left out.
fn changed_body() -> impl Strategy<Value = Value> {
    let valid = prop_oneof![
        Just(valid_session()),
        Just(json!({"author": "operator", "text": "On its way"})),
        Just(json!({"operator_account_id": null})),
    ];
    let field = prop_oneof![
        proptest::sample::select(vec!["channel", "customer", "operator_account_id", "messages", "author", "text"]).prop_map(String::from),
        any_text(8),
    ];
    (valid, field, json_value(), 0u8..3).prop_map(|(mut body, field, value, how)| {
        let object = body.as_object_mut().unwrap();
        match how {
            0 => {
                object.insert(field, value);
            }
            1 => {
                if let Some(messages) = object.get_mut("messages").and_then(Value::as_array_mut) {
                    messages[0][field] = value;
                } else {
                    object.insert(field, value);
                }
            }
            _ => {
                object.remove(&field);
            }
        }
        body
    })
}

fn body() -> impl Strategy<Value = Body> {
    let content_type = proptest::sample::select(vec!["application/json", "application/json; charset=utf-8", "text/plain", "APPLICATION/JSON"]);
    prop_oneof![
        3 => changed_body().prop_map(Body::Json),
        2 => json_value().prop_map(Body::Json),
        2 => (proptest::collection::vec(any::<u8>(), 0..200), content_type).prop_map(|(bytes, t)| Body::Bytes(bytes, t)),
        1 => Just(Body::None),
    ]
}

/// A path id as a client may send it: a number, an edge of i64, or any text.
fn path_id() -> impl Strategy<Value = Option<String>> {
    prop_oneof![
        3 => Just(None),
        1 => any::<i64>().prop_map(|n| Some(n.to_string())),
        1 => proptest::sample::select(vec!["0", "-1", "9223372036854775807", "9223372036854775808", "1e3", " 1", "%00", ".."]).prop_map(|s| Some(s.to_owned())),
        1 => any_text(10).prop_map(|t| Some(form_urlencoded::byte_serialize(t.as_bytes()).collect())),
    ]
}

fn check<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: std::fmt::Debug,
{
    if let Err(failure) = TestRunner::new(config(cases)).run(&strategy, test) {
        panic!("{failure}");
    }
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build().unwrap()
}

#[test]
fn any_body_to_any_write_gets_an_answer_never_a_server_error() {
    let rt = runtime();
    let s = rt.block_on(server());
    let endpoint = proptest::sample::select(vec!["", "/messages", "/assign", "/accept", "/resolve"]);
    check(96, (endpoint, path_id(), body()), |(endpoint, id, body)| {
        let id = id.unwrap_or_else(|| s.conversation_id.to_string());
        let path = if endpoint.is_empty() { "/api/v1/sessions".to_owned() } else { format!("/api/v1/sessions/{id}{endpoint}") };
        let (status, answer) = rt.block_on(s.send(Method::POST, &path, body));
        an_answer(status, &answer)
    });
}

#[test]
fn a_valid_conversation_is_created_and_read_back_as_sent() {
    let rt = runtime();
    let s = rt.block_on(server());
    // U+0000 is refused in any text (neither store may hold what the other cannot).
    let text = |max: usize| any_text(max).prop_filter("not blank, no U+0000", |t| !t.trim().is_empty() && !t.contains('\0'));
    let author = proptest::sample::select(vec!["customer", "operator", "ai_agent"]);
    let conversation = (text(40), text(200), any::<bool>(), proptest::collection::vec((author, text(300)), 0..4));
    check(24, conversation, |(channel, customer, assigned, messages)| {
        let operator = assigned.then_some(s.operator_id);
        let messages: Vec<Value> = messages.iter().map(|(author, text)| json!({"author": author, "text": text})).collect();
        let body = json!({"channel": channel, "customer": customer, "operator_account_id": operator, "messages": messages});
        let (status, created) = rt.block_on(s.send(Method::POST, "/api/v1/sessions", Body::Json(body)));
        prop_assert_eq!(status, StatusCode::CREATED, "{}", created);
        let id = created["session"]["id"].as_i64().unwrap();
        let (status, read) = rt.block_on(s.send(Method::GET, &format!("/api/v1/sessions/{id}"), Body::None));
        prop_assert_eq!(status, StatusCode::OK);
        prop_assert_eq!(read["session"]["channel"].as_str(), Some(channel.trim()));
        prop_assert_eq!(read["session"]["customer"].as_str(), Some(customer.trim()));
        prop_assert_eq!(&read["session"]["operator"]["account_id"], &json!(operator));
        let texts: Vec<&str> = read["messages"].as_array().unwrap().iter().map(|m| m["text"].as_str().unwrap()).collect();
        let sent: Vec<&str> = messages.iter().map(|m| m["text"].as_str().unwrap().trim()).collect();
        prop_assert_eq!(texts, sent);
        Ok(())
    });
}

/// A query string: known parameters and unknown ones, with any values,
/// encoded or not.
fn query() -> impl Strategy<Value = String> {
    let name = prop_oneof![
        4 => proptest::sample::select(vec!["status", "channel", "operator_account_id", "unassigned", "from", "to", "text", "page", "page_size"]).prop_map(String::from),
        1 => any_text(6),
    ];
    let value = prop_oneof![
        any_text(16),
        any::<i64>().prop_map(|n| n.to_string()),
        proptest::sample::select(vec!["0", "1", "200", "201", "4294967296", "-1", "true", "false", "open", "2026-02-30", "+262142-12-31", "2026-01-01"]).prop_map(String::from),
    ];
    let pairs = proptest::collection::vec((name, value, any::<bool>()), 0..5);
    prop_oneof![
        4 => pairs.prop_map(|pairs| {
            pairs
                .into_iter()
                .map(|(name, value, encoded)| {
                    let enc = |t: &str| form_urlencoded::byte_serialize(t.as_bytes()).collect::<String>();
                    if encoded { format!("{}={}", enc(&name), enc(&value)) } else { format!("{}={}", enc(&name), value.replace(['&', '#', ' '], "")) }
                })
                .collect::<Vec<_>>()
                .join("&")
        }),
        1 => "[a-z=&%0-9A-F+]{0,30}".prop_map(String::from),
    ]
}

#[test]
fn any_query_or_path_id_gets_an_answer_never_a_server_error() {
    let rt = runtime();
    let s = rt.block_on(server());
    check(96, (query(), path_id()), |(query, id)| {
        let (status, answer) = rt.block_on(s.send(Method::GET, &format!("/api/v1/sessions?{query}"), Body::None));
        an_answer(status, &answer)?;
        if let Some(id) = id {
            let (status, answer) = rt.block_on(s.send(Method::GET, &format!("/api/v1/sessions/{id}"), Body::None));
            an_answer(status, &answer)?;
        }
        Ok(())
    });
}
