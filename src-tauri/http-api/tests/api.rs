//! The tenant API through a real HTTP client against the running server:
//! authentication, tenant isolation, every class of bad input (nothing
//! written), idempotency keys, and the OpenAPI document.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;

use reqwest::{Client, Method, StatusCode};
use serde_json::{json, Value};
use tenant_desk_core::authz::Actor;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::notifications::Recorder;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::tenants::TenantFields;
use tenant_desk_core::{Desk, DeskConfig};
use tenant_desk_api::RunningApi;

struct Server {
    _dir: tempfile::TempDir,
    desk: Arc<Desk>,
    api: RunningApi,
    http: Client,
    admin: Actor,
    key: String,
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
    let (admin, key) = {
        let desk = desk.clone();
        tokio::task::spawn_blocking(move || {
            let (token, _) = desk
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
            let admin = desk.actor(&token).unwrap();
            let tenant = admin.tenant.as_ref().unwrap().tenant_id;
            let key = desk.tenant_api_key(&admin, tenant).unwrap().expose().to_owned();
            (admin, key)
        })
        .await
        .unwrap()
    };
    let api = tenant_desk_api::start(desk.clone(), 0).await.unwrap();
    Server { _dir: dir, desk, api, http: Client::new(), admin, key }
}

impl Server {
    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.api.addr)
    }

    async fn send(&self, method: Method, path: &str, key: Option<&str>, body: Option<Value>) -> (StatusCode, Value) {
        let mut request = self.http.request(method, self.url(path));
        if let Some(key) = key {
            request = request.bearer_auth(key);
        }
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        (status, response.json().await.unwrap_or(Value::Null))
    }

    async fn get(&self, path: &str) -> (StatusCode, Value) {
        self.send(Method::GET, path, Some(&self.key), None).await
    }

    async fn post(&self, path: &str, body: Value) -> (StatusCode, Value) {
        self.send(Method::POST, path, Some(&self.key), Some(body)).await
    }

    /// A second tenant with its own key.
    async fn other_tenant_key(&self) -> String {
        let desk = self.desk.clone();
        let admin = self.admin.clone();
        tokio::task::spawn_blocking(move || {
            let fields = TenantFields {
                name: "Globex".into(),
                description: "Another workspace".into(),
                billing_email: "billing@globex.example".into(),
                phone: String::new(),
                website: String::new(),
                country: "DE".into(),
                street: "Main Street 1".into(),
                zip_code: "10115".into(),
                timezone: "Europe/Berlin".into(),
                labels: vec![],
                ..TenantFields::default()
            };
            let tenant = desk.add_tenant(&admin, &fields).unwrap().id;
            desk.tenant_api_key(&admin, tenant).unwrap().expose().to_owned()
        })
        .await
        .unwrap()
    }

    /// A personal API key of a demo member (who signs in with the setup password).
    async fn personal_key(&self, email: &'static str) -> (String, i64) {
        let desk = self.desk.clone();
        tokio::task::spawn_blocking(move || {
            let (token, _) = desk
                .sign_in(tenant_desk_core::auth::SignInInput {
                    email: email.into(),
                    password: "violet marble canyon drifts".into(),
                    remember: false,
                })
                .unwrap();
            let actor = desk.actor(&token).unwrap();
            let kept = desk
                .create_personal_api_key(
                    &actor,
                    &tenant_desk_core::personal_api_keys::NewPersonalApiKey { name: "API".into(), expires_in_days: None },
                )
                .unwrap();
            (kept.secret, actor.account_id)
        })
        .await
        .unwrap()
    }

    async fn session_count(&self) -> usize {
        self.get("/api/v1/sessions?page_size=200").await.1["sessions"].as_array().unwrap().len()
    }
}

fn new_conversation() -> Value {
    json!({"channel": "web", "customer": "Jane Customer", "messages": [{"author": "customer", "text": "Where is my order?"}]})
}

#[tokio::test]
async fn a_key_is_required_and_wrong_keys_get_a_json_401() {
    let s = server().await;
    let other_scheme = s
        .http
        .get(s.url("/api/v1/sessions"))
        .header("Authorization", format!("Basic {}", s.key))
        .send()
        .await
        .unwrap();
    assert_eq!(other_scheme.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(other_scheme.headers()["www-authenticate"], "Bearer");
    for key in [None, Some(""), Some("tdk_wrong"), Some(&s.key[..s.key.len() - 1])] {
        let (status, body) = s.send(Method::GET, "/api/v1/sessions", key, None).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED, "{key:?}");
        assert_eq!(body["code"], "unauthorized");
        assert_eq!(body["message"], "Send a valid API key as a Bearer token in the Authorization header.");
        let (status, _) = s.send(Method::POST, "/api/v1/sessions", key, Some(new_conversation())).await;
        assert_eq!(status, StatusCode::UNAUTHORIZED);
    }
    assert_eq!(s.session_count().await, 0, "nothing was written without a key");
    let (status, body) = s.post("/api/v1/sessions", new_conversation()).await;
    assert_eq!(status, StatusCode::CREATED, "{body}");
}

#[tokio::test]
async fn a_key_of_one_tenant_never_reaches_another() {
    let s = server().await;
    let other = s.other_tenant_key().await;
    let (_, created) = s.post("/api/v1/sessions", new_conversation()).await;
    let id = created["session"]["id"].as_i64().unwrap();
    let mine = format!("/api/v1/sessions/{id}");

    let (status, list) = s.send(Method::GET, "/api/v1/sessions", Some(&other), None).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["sessions"], json!([]));
    let (status, body) = s.send(Method::GET, &mine, Some(&other), None).await;
    assert_eq!((status, body["fields"]["id"].is_string()), (StatusCode::NOT_FOUND, true));
    let message = json!({"author": "customer", "text": "hijack"});
    for (path, body) in [
        (format!("{mine}/messages"), Some(message)),
        (format!("{mine}/resolve"), None),
        (format!("{mine}/assign"), Some(json!({"operator_account_id": null}))),
    ] {
        let (status, _) = s.send(Method::POST, &path, Some(&other), body).await;
        assert_eq!(status, StatusCode::NOT_FOUND, "{path}");
    }
    let (_, detail) = s.get(&mine).await;
    assert_eq!(detail["messages"].as_array().unwrap().len(), 1);
    assert_eq!(detail["session"]["status"], "open");
    // The other tenant's own conversations stay its own.
    let (status, _) = s.send(Method::POST, "/api/v1/sessions", Some(&other), Some(new_conversation())).await;
    assert_eq!(status, StatusCode::CREATED);
    assert_eq!(s.session_count().await, 1);
}

#[tokio::test]
async fn every_class_of_bad_input_is_a_4xx_naming_the_field_and_writes_nothing() {
    let s = server().await;
    let (_, created) = s.post("/api/v1/sessions", new_conversation()).await;
    let id = created["session"]["id"].as_i64().unwrap();
    let long = "x".repeat(4001);
    let messages = format!("/api/v1/sessions/{id}/messages");
    let messages = messages.as_str();
    let assign = format!("/api/v1/sessions/{id}/assign");
    let assign = assign.as_str();
    let cases: Vec<(&str, Value, StatusCode, &str)> = vec![
        ("/api/v1/sessions", json!({"channel": "web", "customer": 5}), StatusCode::UNPROCESSABLE_ENTITY, "customer"),
        ("/api/v1/sessions", json!({"channel": "web", "customer": "J", "colour": "red"}), StatusCode::UNPROCESSABLE_ENTITY, "colour"),
        ("/api/v1/sessions", json!({"customer": "J"}), StatusCode::UNPROCESSABLE_ENTITY, "channel"),
        (
            "/api/v1/sessions",
            json!({"channel": "web", "customer": "J", "messages": [{"author": "robot", "text": "hi"}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "messages[0].author",
        ),
        (
            "/api/v1/sessions",
            json!({"channel": "web", "customer": "J", "messages": [{"author": "customer", "text": "hi", "mood": 1}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "messages[0].mood",
        ),
        (
            "/api/v1/sessions",
            json!({"channel": "web", "customer": "J", "messages": [{"author": "customer", "text": long}]}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "messages[0].text",
        ),
        ("/api/v1/sessions", json!({"channel": "", "customer": "J"}), StatusCode::UNPROCESSABLE_ENTITY, "channel"),
        (
            "/api/v1/sessions",
            json!({"channel": "web", "customer": "J", "operator_account_id": 424242}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "operator_account_id",
        ),
        (
            "/api/v1/sessions",
            json!({"channel": "web", "customer": "J", "operator_account_id": "me"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "operator_account_id",
        ),
        ("/api/v1/sessions/424242/messages", json!({"author": "customer", "text": "hi"}), StatusCode::NOT_FOUND, "id"),
        ("/api/v1/sessions/abc/messages", json!({"author": "customer", "text": "hi"}), StatusCode::UNPROCESSABLE_ENTITY, "id"),
        (messages, json!({"author": "customer", "text": long}), StatusCode::UNPROCESSABLE_ENTITY, "text"),
        (messages, json!({"author": "customer"}), StatusCode::UNPROCESSABLE_ENTITY, "text"),
        (messages, json!(["customer", "hi"]), StatusCode::UNPROCESSABLE_ENTITY, "body"),
        (assign, json!({"operator_account_id": 424242}), StatusCode::UNPROCESSABLE_ENTITY, "operator_account_id"),
        ("/api/v1/sessions/424242/resolve", json!({}), StatusCode::NOT_FOUND, "id"),
    ];
    for (path, body, want, field) in cases {
        let (status, error) = s.post(path, body.clone()).await;
        assert_eq!(status, want, "{path} {body}: {error}");
        assert!(error["fields"][field].is_string(), "{path} {body}: field {field} not named in {error}");
        assert!(error["message"].is_string() && error["code"].is_string());
    }

    // Not JSON, not sent as JSON, too large.
    let raw = |body: String, content_type: &str| {
        s.http
            .post(s.url("/api/v1/sessions"))
            .bearer_auth(&s.key)
            .header("Content-Type", content_type.to_owned())
            .body(body)
            .send()
    };
    let broken = raw("{\"channel\": \"web\",".into(), "application/json").await.unwrap();
    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
    assert_eq!(broken.json::<Value>().await.unwrap()["code"], "invalid_json");
    let text = raw(new_conversation().to_string(), "text/plain").await.unwrap();
    assert_eq!(text.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(text.json::<Value>().await.unwrap()["code"], "unsupported_media_type");
    let huge = json!({"channel": "web", "customer": "J", "messages": [{"author": "customer", "text": "y".repeat(600 * 1024)}]});
    let too_large = raw(huge.to_string(), "application/json").await.unwrap();
    assert_eq!(too_large.status(), StatusCode::PAYLOAD_TOO_LARGE);
    let error: Value = too_large.json().await.unwrap();
    assert_eq!((error["code"].as_str(), error["fields"]["body"].is_string()), (Some("body_too_large"), true));

    // Query parameters: wrong type, unknown name, bad date.
    for (query, field) in [("page=abc", "page"), ("colour=red", "colour"), ("status=closed", "status"), ("from=March", "from")] {
        let (status, error) = s.get(&format!("/api/v1/sessions?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {error}");
        assert!(error["fields"][field].is_string(), "{query}: {error}");
    }

    // Nothing of the above was written.
    assert_eq!(s.session_count().await, 1);
    let (_, detail) = s.get(&format!("/api/v1/sessions/{id}")).await;
    assert_eq!(detail["messages"].as_array().unwrap().len(), 1);
    assert!(detail["session"]["operator"].is_null());
}

/// Paging out of range is refused, never quietly brought into range.
#[tokio::test]
async fn page_size_is_refused_outside_1_to_200() {
    let s = server().await;
    for _ in 0..2 {
        s.post("/api/v1/sessions", new_conversation()).await;
    }
    for size in ["0", "201", "4294967296", "-1"] {
        let (status, error) = s.get(&format!("/api/v1/sessions?page_size={size}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{size}: {error}");
        assert_eq!(error["fields"]["page_size"], "page_size must be between 1 and 200.", "{size}");
        assert_eq!(error["message"], "page_size must be between 1 and 200.");
    }
    let (status, error) = s.get("/api/v1/sessions?page_size=ten").await;
    assert_eq!((status, error["message"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("page_size must be a whole number between 1 and 200.")));
    let (status, page) = s.get("/api/v1/sessions?page_size=1").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!((page["sessions"].as_array().unwrap().len(), page["page_size"].as_u64(), page["has_more"].as_bool()), (1, Some(1), Some(true)));
    let (status, page) = s.get("/api/v1/sessions?page_size=200").await;
    assert_eq!((status, page["page_size"].as_u64()), (StatusCode::OK, Some(200)));
    let (status, error) = s.get("/api/v1/sessions?page=2147483648").await;
    assert_eq!((status, error["fields"]["page"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("page must be between 0 and 2147483647.")));
}

/// Every refusal of a query parameter, a path or a body field is a sentence
/// for people naming the field and what it takes, never the parser's words.
#[tokio::test]
async fn refusals_name_the_field_and_say_what_it_takes() {
    let s = server().await;
    let (_, created) = s.post("/api/v1/sessions", new_conversation()).await;
    let id = created["session"]["id"].as_i64().unwrap();
    let parser_words = ["invalid digit", "invalid type", "expected", "unknown variant", "`", "line 1"];
    let mut said = Vec::new();

    let query = [
        ("page=abc", "page", "page must be a whole number between 0 and 2147483647."),
        ("status=closed", "status", "status must be one of open or resolved."),
        ("unassigned=yes", "unassigned", "unassigned must be true or false."),
        ("from=March", "from", "from must be a date like 2026-11-26."),
        ("to=2026-02-30", "to", "to must be a date like 2026-11-26."),
        ("operator_account_id=0", "operator_account_id", "operator_account_id must be at least 1."),
        ("page=1&page=2", "page", "page is given twice; give it once."),
    ];
    for (query, field, sentence) in query {
        let (status, error) = s.get(&format!("/api/v1/sessions?{query}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{query}: {error}");
        assert_eq!((error["fields"][field].as_str(), error["message"].as_str()), (Some(sentence), Some(sentence)), "{query}");
        said.push(sentence.to_owned());
    }
    let (_, error) = s.get("/api/v1/sessions?colour=red").await;
    assert!(error["fields"]["colour"].as_str().unwrap().starts_with("colour is not a parameter here; the parameters are "));

    let (status, error) = s.get("/api/v1/sessions/abc").await;
    assert_eq!((status, error["fields"]["id"].as_str()), (StatusCode::UNPROCESSABLE_ENTITY, Some("id must be a whole number of at least 1.")));

    let bodies = [
        (json!({"channel": "web", "customer": 5}), "customer", "customer must be text of 1 to 200 characters."),
        (json!({"customer": "J"}), "channel", "channel is required: text of 1 to 40 characters."),
        (json!({"channel": "web", "customer": format!("J{}", " ".repeat(200))}), "customer", "customer must be text of 1 to 200 characters."),
        (
            json!({"channel": "web", "customer": "J", "colour": "red"}),
            "colour",
            "colour is not a field here; the fields are channel, customer, messages and operator_account_id.",
        ),
        (
            json!({"channel": "web", "customer": "J", "messages": [{"author": "robot", "text": "hi"}]}),
            "messages[0].author",
            "messages[0].author must be one of customer, operator or ai_agent.",
        ),
        (
            json!({"channel": "web", "customer": "J", "operator_account_id": "me"}),
            "operator_account_id",
            "operator_account_id must be a whole number of at least 1, or null.",
        ),
        (json!("web"), "body", "The body must be a JSON object."),
    ];
    for (body, field, sentence) in bodies {
        let (status, error) = s.post("/api/v1/sessions", body.clone()).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{body}: {error}");
        assert_eq!(error["fields"][field].as_str(), Some(sentence), "{body}");
        said.push(sentence.to_owned());
    }
    let (_, error) = s.post(&format!("/api/v1/sessions/{id}/messages"), json!({"author": "customer", "text": ["hi"]})).await;
    assert_eq!(error["fields"]["text"], "text must be text of 1 to 4000 characters.");

    let broken = s
        .http
        .post(s.url("/api/v1/sessions"))
        .bearer_auth(&s.key)
        .header("Content-Type", "application/json")
        .body("{\"channel\": \"web\",")
        .send()
        .await
        .unwrap();
    assert_eq!(broken.status(), StatusCode::BAD_REQUEST);
    let error: Value = broken.json().await.unwrap();
    assert_eq!(error["message"], "The body is not valid JSON: it ends too early at line 1, column 18.");

    for sentence in said {
        assert!(!parser_words.iter().any(|w| sentence.to_lowercase().contains(w)), "{sentence}");
    }
    assert_eq!(s.session_count().await, 1, "nothing refused was written");
}

/// JSON Schema counts 12.0 as the whole number 12, and so does the API.
#[tokio::test]
async fn a_whole_number_written_with_a_fraction_is_taken() {
    let s = server().await;
    let operator = s.desk.conversation_filters(&(&s.admin).into()).unwrap().operators[0].account_id;
    let body = format!(r#"{{"channel": "web", "customer": "J", "operator_account_id": {operator}.0}}"#);
    let response = s
        .http
        .post(s.url("/api/v1/sessions"))
        .bearer_auth(&s.key)
        .header("Content-Type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), StatusCode::CREATED);
    assert_eq!(response.json::<Value>().await.unwrap()["session"]["operator"]["account_id"].as_i64(), Some(operator));
    let (status, _) = s.post("/api/v1/sessions", json!({"channel": "web", "customer": "J", "operator_account_id": 1.5})).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn a_retry_with_the_same_idempotency_key_gets_the_same_reply_and_writes_once() {
    let s = server().await;
    let send = |path: &'static str, key: &'static str, body: Value| {
        s.http.post(s.url(path)).bearer_auth(&s.key).header("Idempotency-Key", key).json(&body).send()
    };
    let first = send("/api/v1/sessions", "order-1", new_conversation()).await.unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    assert!(first.headers().get("idempotent-replayed").is_none());
    let first: Value = first.json().await.unwrap();
    let again = send("/api/v1/sessions", "order-1", new_conversation()).await.unwrap();
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.headers()["idempotent-replayed"], "true");
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    assert_eq!(s.session_count().await, 1);

    let reused = send("/api/v1/sessions", "order-1", json!({"channel": "email", "customer": "Other"})).await.unwrap();
    assert_eq!(reused.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(reused.json::<Value>().await.unwrap()["fields"]["Idempotency-Key"].is_string());

    let id = first["session"]["id"].as_i64().unwrap();
    let path: &'static str = format!("/api/v1/sessions/{id}/messages").leak();
    let message = json!({"author": "customer", "text": "Any news?"});
    let a: Value = send(path, "msg-1", message.clone()).await.unwrap().json().await.unwrap();
    let b: Value = send(path, "msg-1", message.clone()).await.unwrap().json().await.unwrap();
    assert_eq!(a, b);
    // A failed write frees the key for the corrected request.
    let bad = send(path, "msg-2", json!({"author": "customer", "text": ""})).await.unwrap();
    assert_eq!(bad.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let fixed = send(path, "msg-2", message).await.unwrap();
    assert_eq!(fixed.status(), StatusCode::CREATED);
    let (_, detail) = s.get(&format!("/api/v1/sessions/{id}")).await;
    assert_eq!(detail["messages"].as_array().unwrap().len(), 3);
    let invalid = send(path, " ", json!({"author": "customer", "text": "x"})).await.unwrap();
    assert_eq!(invalid.status(), StatusCode::UNPROCESSABLE_ENTITY);
}

#[tokio::test]
async fn the_endpoints_do_what_they_say() {
    let s = server().await;
    let operator = s
        .desk
        .conversation_filters(&(&s.admin).into())
        .unwrap()
        .operators
        .into_iter()
        .find(|o| o.name == "Priya Raman")
        .unwrap()
        .account_id;
    let (_, created) = s.post("/api/v1/sessions", new_conversation()).await;
    let id = created["session"]["id"].as_i64().unwrap();
    let (status, assigned) = s.post(&format!("/api/v1/sessions/{id}/assign"), json!({"operator_account_id": operator})).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(assigned["operator"]["name"], "Priya Raman");
    let (status, list) = s.get(&format!("/api/v1/sessions?operator_account_id={operator}&status=open&text=order")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(list["sessions"][0]["id"], id);
    assert_eq!(list["waiting"], 0);
    let (status, _) = s.send(Method::POST, &format!("/api/v1/sessions/{id}/accept"), Some(&s.key), None).await;
    assert_eq!(status, StatusCode::FORBIDDEN, "the tenant key is not a person");
    let (status, resolved) = s.send(Method::POST, &format!("/api/v1/sessions/{id}/resolve"), Some(&s.key), None).await;
    assert_eq!((status, resolved["status"].as_str()), (StatusCode::OK, Some("resolved")));
    let (status, list) = s.get("/api/v1/sessions?status=resolved&page=0&page_size=1").await;
    assert_eq!((status, list["sessions"].as_array().unwrap().len(), list["has_more"].as_bool()), (StatusCode::OK, 1, Some(false)));
    let (status, error) = s.get("/api/v1/nowhere").await;
    assert_eq!((status, error["code"].as_str()), (StatusCode::NOT_FOUND, Some("not_found")));
}

/// A personal key acts as its person, with their role: a viewer reads and
/// cannot write; an operator accepts an unassigned session; an unknown one is 401.
#[tokio::test]
async fn personal_keys_act_with_their_owners_role() {
    let s = server().await;
    let (_, created) = s.post("/api/v1/sessions", new_conversation()).await;
    let id = created["session"]["id"].as_i64().unwrap();

    let (viewer, _) = s.personal_key("elodie.durand@demo.tenant-desk.example").await;
    let (status, list) = s.send(Method::GET, "/api/v1/sessions", Some(&viewer), None).await;
    assert_eq!((status, list["sessions"][0]["id"].as_i64()), (StatusCode::OK, Some(id)));
    let (status, _) = s.send(Method::POST, "/api/v1/sessions", Some(&viewer), Some(new_conversation())).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_eq!(s.session_count().await, 1, "the viewer wrote nothing");

    let (operator, operator_id) = s.personal_key("priya.raman@demo.tenant-desk.example").await;
    let (status, accepted) =
        s.send(Method::POST, &format!("/api/v1/sessions/{id}/accept"), Some(&operator), None).await;
    assert_eq!(status, StatusCode::OK, "{accepted}");
    assert_eq!(accepted["operator"]["account_id"].as_i64(), Some(operator_id));

    let (status, body) = s.send(Method::GET, "/api/v1/sessions", Some("tdp_not-a-key"), None).await;
    assert_eq!((status, body["code"].as_str()), (StatusCode::UNAUTHORIZED, Some("unauthorized")));
}

/// Resolves a `$ref` like `#/components/schemas/Session` in the document.
fn resolve<'a>(doc: &'a Value, reference: &str) -> Option<&'a Value> {
    doc.pointer(reference.strip_prefix('#')?)
}

fn refs<'a>(value: &'a Value, out: &mut Vec<&'a str>) {
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                match (k.as_str(), v) {
                    ("$ref", Value::String(r)) => out.push(r),
                    _ => refs(v, out),
                }
            }
        }
        Value::Array(items) => items.iter().for_each(|v| refs(v, out)),
        _ => {}
    }
}

#[tokio::test]
async fn the_served_openapi_document_is_valid_and_documents_every_route() {
    let s = server().await;
    let response = s.http.get(s.url("/api/v1/openapi.json")).send().await.unwrap();
    assert_eq!(response.status(), StatusCode::OK);
    let doc: Value = response.json().await.unwrap();
    assert_eq!(doc, serde_json::to_value(tenant_desk_api::openapi()).unwrap());
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert!(doc["info"]["title"].is_string() && doc["info"]["version"].is_string());
    assert_eq!(doc["components"]["securitySchemes"]["api_key"]["scheme"], "bearer");

    let mut documented: Vec<(String, String)> = Vec::new();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            documented.push((method.to_uppercase(), path.clone()));
            let responses = operation["responses"].as_object().unwrap();
            assert!(!responses.is_empty(), "{method} {path} documents no response");
            if method != "get" || path != "/api/v1/openapi.json" {
                assert!(responses.contains_key("401"), "{method} {path} does not document 401");
            }
            // Every documented route is served: it answers (401 without a key,
            // 200 for the document), never "no such endpoint".
            let concrete = path.replace("{id}", "1");
            let reply = s.http.request(method.to_uppercase().parse().unwrap(), s.url(&concrete)).send().await.unwrap();
            assert!(
                matches!(reply.status(), StatusCode::UNAUTHORIZED | StatusCode::OK),
                "{method} {path} answered {}",
                reply.status()
            );
        }
    }
    documented.sort();
    let expected = [
        ("GET", "/api/v1/openapi.json"),
        ("GET", "/api/v1/sessions"),
        ("GET", "/api/v1/sessions/{id}"),
        ("GET", "/api/v1/sessions/{id}/messages"),
        ("POST", "/api/v1/sessions"),
        ("POST", "/api/v1/sessions/{id}/accept"),
        ("POST", "/api/v1/sessions/{id}/assign"),
        ("POST", "/api/v1/sessions/{id}/messages"),
        ("POST", "/api/v1/sessions/{id}/resolve"),
    ];
    let expected: Vec<(String, String)> = expected.iter().map(|(m, p)| (m.to_string(), p.to_string())).collect();
    assert_eq!(documented, expected);

    let mut all = Vec::new();
    refs(&doc, &mut all);
    assert!(!all.is_empty());
    for reference in all {
        assert!(resolve(&doc, reference).is_some(), "dangling {reference}");
    }
    for schema in
        ["Session", "SessionWithMessages", "SessionList", "Message", "MessagesAfter", "NewSession", "NewMessage", "Assignment", "ApiError"]
    {
        assert!(doc["components"]["schemas"][schema].is_object(), "{schema} missing");
    }
    let new_conversation = &doc["components"]["schemas"]["NewSession"];
    assert_eq!(new_conversation["additionalProperties"], false, "unknown fields are refused, and documented so");
    let list = &doc["paths"]["/api/v1/sessions"]["get"];
    let page_size = list["parameters"].as_array().unwrap().iter().find(|p| p["name"] == "page_size").unwrap();
    let most = tenant_desk_core::conversations::PAGE_SIZE_MAX;
    assert_eq!((&page_size["schema"]["minimum"], &page_size["schema"]["maximum"]), (&json!(1), &json!(most)));
    for (path, item) in doc["paths"].as_object().unwrap() {
        for (method, operation) in item.as_object().unwrap() {
            if path != "/api/v1/openapi.json" {
                for status in ["401", "403", "422", "500"] {
                    assert!(operation["responses"].get(status).is_some(), "{method} {path} does not document {status}");
                }
            }
        }
    }
}
