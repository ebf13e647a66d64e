//! Server processes sharing one PostgreSQL database hear each other's
//! events: each change and notice a process records goes out on the
//! database's `tenant_desk_events` channel (NOTIFY), and every process
//! LISTENs there and passes what others recorded to its own desktops. A
//! desktop connected to one process so sees an assignment made through
//! another.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use tenant_desk_core::store::PgStore;

use crate::desk_api::{EventLog, Shared};

const CHANNEL: &str = "tenant_desk_events";
/// NOTIFY carries at most 8000 bytes; events are a few hundred.
const PAYLOAD_MAX: usize = 7900;

/// Starts sharing `events` with the other processes on `store`'s database.
pub fn share(events: &Arc<EventLog>, store: &PgStore) -> Result<(), String> {
    let sender = Mutex::new(store.listener().map_err(|e| e.message)?);
    let reconnect = store.listener_factory();
    events.share_with_peers(move |shared: &Shared| {
        let Ok(payload) = serde_json::to_string(shared) else { return };
        if payload.len() > PAYLOAD_MAX {
            tracing::warn!(bytes = payload.len(), "an event too large to share with the other server processes");
            return;
        }
        let mut client = sender.lock().unwrap_or_else(|p| p.into_inner());
        if client.is_closed() {
            match reconnect() {
                Ok(fresh) => *client = fresh,
                Err(e) => {
                    tracing::error!(error = %e.message, "the other server processes miss an event: the database cannot be reached");
                    return;
                }
            }
        }
        if let Err(e) = client.execute("SELECT pg_notify($1, $2)", &[&CHANNEL, &payload]) {
            tracing::error!(error = %e, "the other server processes miss an event");
        }
    });
    let events = events.clone();
    let connect = store.listener_factory();
    std::thread::Builder::new()
        .name("peer-events".into())
        .spawn(move || listen(&events, connect.as_ref()))
        .map_err(|e| e.to_string())?;
    Ok(())
}

/// Passes every event of the other processes to this one's desktops; when
/// the connection drops, connects again. NOTIFY keeps nothing for a listener
/// that is away: what the others recorded meanwhile reaches this process's
/// desktops only as their next reads (a list reloaded, a screen opened).
fn listen(events: &EventLog, connect: &dyn Fn() -> tenant_desk_core::Result<postgres::Client>) {
    use postgres::fallible_iterator::FallibleIterator;
    let mut wait = Duration::from_millis(500);
    loop {
        match connect() {
            Ok(mut client) => {
                if let Err(e) = client.batch_execute(&format!("LISTEN {CHANNEL}")) {
                    tracing::error!(error = %e, "cannot listen for the other server processes' events");
                } else {
                    wait = Duration::from_millis(500);
                    tracing::info!("listening for the other server processes' events");
                    let mut notifications = client.notifications();
                    let mut incoming = notifications.blocking_iter();
                    loop {
                        match incoming.next() {
                            Ok(Some(n)) => match serde_json::from_str::<Shared>(n.payload()) {
                                Ok(shared) => events.record_from_peer(shared),
                                Err(e) => tracing::warn!(error = %e, "an event from another server process could not be read"),
                            },
                            Ok(None) => break,
                            Err(e) => {
                                tracing::error!(error = %e, "lost the other server processes' events; connecting again");
                                break;
                            }
                        }
                    }
                }
            }
            Err(e) => tracing::error!(error = %e.message, "cannot reach the database for the other server processes' events"),
        }
        std::thread::sleep(wait);
        wait = (wait * 2).min(Duration::from_secs(30));
    }
}
