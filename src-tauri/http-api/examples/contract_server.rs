//! The real API over a real store, for checking it against its OpenAPI
//! document from outside (`scripts/api-contract.sh`): a fresh Desk in a
//! temporary folder, set up with the demo team, a few conversations, and
//! keys for the tenant and for an operator, serving on a free port of
//! 127.0.0.1.
//!
//! Prints `NAME=value` lines on stdout (the base URL, the tenant API key, the
//! operator's personal key, and the ids of the people conversations can be
//! assigned to), then serves until stdin closes, so the store goes with the
//! script that started it even when that script dies.

use std::error::Error;
use std::io::{Read, Write};
use std::sync::Arc;

use tenant_desk_core::auth::SignInInput;
use tenant_desk_core::authz::Caller;
use tenant_desk_core::clock::SystemClock;
use tenant_desk_core::notifications::Recorder;
use tenant_desk_core::personal_api_keys::NewPersonalApiKey;
use tenant_desk_core::secrets::MemoryStore;
use tenant_desk_core::conversations::{Author, NewMessage, NewConversation};
use tenant_desk_core::setup::SetupInput;
use tenant_desk_core::{Desk, DeskConfig};

const PASSWORD: &str = "violet marble canyon drifts";

struct Prepared {
    tenant_key: String,
    operator_key: String,
    operators: Vec<i64>,
}

fn prepare(desk: &Desk) -> Result<Prepared, Box<dyn Error>> {
    let (token, _) = desk.complete_setup(SetupInput {
        tenant_name: "Contract Check".into(),
        timezone: "Europe/Berlin".into(),
        admin_name: "Grace Hopper".into(),
        email: "grace@example.com".into(),
        password: PASSWORD.into(),
        load_demo: true,
        load_demo_conversations: false,
    })?;
    let admin = desk.actor(&token)?;
    let tenant = admin.tenant.as_ref().ok_or("the administrator has no tenant")?.tenant_id;
    let tenant_key = desk.tenant_api_key(&admin, tenant)?.expose().to_owned();
    let caller = desk.tenant_key_caller(&tenant_key)?.ok_or("the new tenant key does not verify")?;
    // Ids 1, 2, 3… exist, so generated paths reach real conversations too.
    for (channel, customer) in [("web", "Jane Customer"), ("email", "Ola Nordmann"), ("whatsapp", "Chen Wei")] {
        start(desk, &caller, channel, customer)?;
    }
    let operators = desk.conversation_filters(&caller)?.operators.into_iter().map(|o| o.account_id).collect();
    // Only a person accepts a conversation: a Tenant Operator's own key.
    let (token, _) = desk.sign_in(SignInInput {
        email: "priya.raman@demo.tenant-desk.example".into(),
        password: PASSWORD.into(),
        remember: false,
    })?;
    let priya = desk.actor(&token)?;
    let named = NewPersonalApiKey { name: "Contract check".into(), expires_in_days: None };
    let operator_key = desk.create_personal_api_key(&priya, &named)?.secret;
    Ok(Prepared { tenant_key, operator_key, operators })
}

fn start(desk: &Desk, caller: &Caller, channel: &str, customer: &str) -> Result<(), Box<dyn Error>> {
    let message = NewMessage { author: Author::Customer, text: "Where is my order?".into() };
    let conversation = NewConversation { channel: channel.into(), customer: customer.into(), operator_account_id: None, messages: vec![message] };
    desk.create_conversation(caller, conversation)?;
    Ok(())
}

#[tokio::main]
async fn main() -> Result<(), Box<dyn Error>> {
    let dir = tempfile::tempdir()?;
    let desk = Arc::new(Desk::open(DeskConfig {
        data_dir: dir.path().to_owned(),
        clock: Arc::new(SystemClock),
        secrets: Arc::new(MemoryStore::new()),
        notifier: Arc::new(Recorder::new()),
    })?);
    let prepared = {
        let desk = desk.clone();
        tokio::task::spawn_blocking(move || prepare(&desk).map_err(|e| e.to_string())).await??
    };
    let api = tenant_desk_api::start(desk, 0).await?;
    let operators: Vec<String> = prepared.operators.iter().map(i64::to_string).collect();
    let mut out = std::io::stdout().lock();
    writeln!(out, "TENANT_DESK_API=http://{}", api.addr)?;
    writeln!(out, "TENANT_DESK_API_KEY={}", prepared.tenant_key)?;
    writeln!(out, "TENANT_DESK_OPERATOR_KEY={}", prepared.operator_key)?;
    writeln!(out, "TENANT_DESK_OPERATORS={}", operators.join(","))?;
    out.flush()?;
    drop(out);
    tokio::task::spawn_blocking(|| std::io::stdin().read_to_end(&mut Vec::new())).await??;
    api.stop().await;
    Ok(())
}
