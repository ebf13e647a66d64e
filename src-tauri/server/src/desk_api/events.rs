//! Changes pushed to every signed-in desktop, in order, with sequence
//! numbers. The server keeps the latest ones, so a desktop that was away
//! asks for what came after the last it saw (`Last-Event-ID: epoch:seq`, as
//! server-sent events reconnect) and gets exactly the rest, nothing lost and
//! nothing twice. When that is no longer possible (the server restarted: a
//! new epoch; or it was away too long) it is told to reload instead.

use std::collections::VecDeque;
use std::convert::Infallible;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream};
use serde_json::Value;
use tenant_desk_core::auth::SessionToken;
use tenant_desk_core::authz::{can, Actor, Operation};
use tenant_desk_core::conversations::ConversationChange;
use tenant_desk_core::notifications::{Availability, DesktopNotifier, Notice};
use tokio::sync::broadcast;

use super::{blocking, Bearer, DeskApi};
use tenant_desk_api::ApiError;

/// Changes kept for desktops catching up.
const KEPT: usize = 10_000;

pub struct EventLog {
    /// Differs on every start: sequence numbers of another run mean nothing.
    epoch: String,
    kept: Mutex<Kept>,
    live: broadcast::Sender<Arc<Entry>>,
    /// Sends what this process recorded to the other server processes of
    /// the team (`peers`), when there are any.
    peers: Mutex<Option<SendToPeers>>,
}

type SendToPeers = Box<dyn Fn(&Shared) + Send + Sync>;

/// An event as it travels between server processes on one database.
#[derive(serde::Serialize, serde::Deserialize)]
pub struct Shared {
    /// The epoch of the process that recorded it.
    pub origin: String,
    /// `tenant` or `account`, and its id.
    pub to: String,
    pub id: i64,
    pub body: Value,
}

struct Kept {
    next: u64,
    entries: VecDeque<Arc<Entry>>,
}

pub struct Entry {
    seq: u64,
    audience: Audience,
    body: Value,
}

/// Whose desktops an event goes to.
enum Audience {
    /// Everyone who works in the tenant and may see its conversations.
    Tenant(i64),
    /// One person: a notice the core decided to show them.
    Account(i64),
}

impl EventLog {
    pub fn new() -> Result<Arc<Self>, String> {
        let epoch = tenant_desk_core::secrets::random::token(8).map_err(|e| e.message)?;
        Ok(Arc::new(EventLog {
            epoch,
            kept: Mutex::new(Kept { next: 1, entries: VecDeque::new() }),
            live: broadcast::channel(1024).0,
            peers: Mutex::new(None),
        }))
    }

    /// From now on, what this process records also goes to `send`.
    pub fn share_with_peers(&self, send: impl Fn(&Shared) + Send + Sync + 'static) {
        *self.peers.lock().unwrap_or_else(|p| p.into_inner()) = Some(Box::new(send));
    }

    /// An event another server process recorded, for this one's desktops.
    pub fn record_from_peer(&self, shared: Shared) {
        if shared.origin == self.epoch {
            return;
        }
        let audience = match shared.to.as_str() {
            "tenant" => Audience::Tenant(shared.id),
            "account" => Audience::Account(shared.id),
            _ => return,
        };
        self.push(audience, shared.body);
    }

    fn share(&self, audience: &Audience, body: &Value) {
        let peers = self.peers.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(send) = peers.as_ref() {
            let (to, id) = match audience {
                Audience::Tenant(id) => ("tenant", *id),
                Audience::Account(id) => ("account", *id),
            };
            send(&Shared { origin: self.epoch.clone(), to: to.into(), id, body: body.clone() });
        }
    }

    /// Called by the core after each committed change. A message's text is
    /// left out: a desktop reads it through the operations that check who
    /// may see it.
    pub fn record(&self, change: &ConversationChange) {
        let mut body = serde_json::to_value(change).unwrap_or_default();
        if let Some(fields) = body.as_object_mut() {
            fields.remove("text");
        }
        let audience = Audience::Tenant(change.tenant_id());
        self.share(&audience, &body);
        self.push(audience, body);
    }

    /// A notice for one person (`{"kind": "notice", "notice": …}`), shown by
    /// each desktop they are signed in on. The core already applied their
    /// choices (consent, categories, pause, shift).
    pub fn record_notice(&self, account_id: i64, notice: &Notice) {
        let body = serde_json::json!({ "kind": "notice", "notice": notice });
        let audience = Audience::Account(account_id);
        self.share(&audience, &body);
        self.push(audience, body);
    }

    fn push(&self, audience: Audience, body: Value) {
        let mut kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let entry = Arc::new(Entry { seq: kept.next, audience, body });
        kept.next += 1;
        if kept.entries.len() == KEPT {
            kept.entries.pop_front();
        }
        kept.entries.push_back(entry.clone());
        // Sent under the lock, so the live order is the sequence order.
        let _ = self.live.send(entry);
    }

    /// What came after `seq`, or `None` when some of it is no longer kept.
    fn after(&self, seq: u64) -> Option<Vec<Arc<Entry>>> {
        let kept = self.kept.lock().unwrap_or_else(|p| p.into_inner());
        let oldest = kept.entries.front().map_or(kept.next, |e| e.seq);
        if seq + 1 < oldest || seq >= kept.next {
            return None;
        }
        Some(kept.entries.iter().filter(|e| e.seq > seq).cloned().collect())
    }

    fn latest(&self) -> u64 {
        self.kept.lock().unwrap_or_else(|p| p.into_inner()).next - 1
    }
}

/// Where a reconnecting desktop left off: `Last-Event-ID: epoch:seq`.
fn resume_point(headers: &HeaderMap) -> Option<(String, u64)> {
    let id = headers.get("last-event-id")?.to_str().ok()?;
    let (epoch, seq) = id.split_once(':')?;
    Some((epoch.to_owned(), seq.parse().ok()?))
}

enum Step {
    Backlog(VecDeque<Arc<Entry>>, broadcast::Receiver<Arc<Entry>>, u64),
    Live(broadcast::Receiver<Arc<Entry>>, u64),
}

/// `GET /api/desk/v1/events`: the person's stream. Each event names a change
/// of the tenant they work in (kind and ids); it ends when their sign-in does.
pub async fn stream(
    State(api): State<DeskApi>,
    Bearer(token): Bearer,
    headers: HeaderMap,
) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, ApiError> {
    let desk = api.desk.clone();
    let first = token.expose().to_owned();
    let actor = blocking(move || Ok(desk.actor(&SessionToken::presented(first))?)).await?;
    // Subscribed before the backlog is read: nothing falls between the two.
    let live = api.events.live.subscribe();
    let log = api.events.clone();
    let mut opening = Vec::new();
    let (backlog, from) = match resume_point(&headers) {
        Some((epoch, seq)) if epoch == log.epoch => match log.after(seq) {
            Some(entries) => (entries, seq),
            None => {
                opening.push(reload(&log));
                (Vec::new(), log.latest())
            }
        },
        Some(_) => {
            opening.push(reload(&log));
            (Vec::new(), log.latest())
        }
        None => (Vec::new(), log.latest()),
    };
    let viewer = Viewer { desk: api.desk.clone(), token: token.expose().to_owned(), actor, checked: Instant::now() };
    let events = stream::unfold((Step::Backlog(backlog.into(), live, from), viewer), move |(step, mut viewer)| {
        let log = log.clone();
        async move {
            let (entry, next) = match step {
                Step::Backlog(mut pending, live, last) => match pending.pop_front() {
                    Some(entry) => {
                        let seq = entry.seq;
                        (entry, Step::Backlog(pending, live, seq))
                    }
                    None => return Some((None, (Step::Live(live, last), viewer))),
                },
                Step::Live(mut live, last) => match tokio::time::timeout(RECHECK, live.recv()).await {
                    // Quiet: still signed in? A sign-out ends even an idle stream.
                    Err(_) => {
                        viewer.refresh().await?;
                        return Some((None, (Step::Live(live, last), viewer)));
                    }
                    Ok(received) => match received {
                        Ok(entry) if entry.seq <= last => return Some((None, (Step::Live(live, last), viewer))),
                        Ok(entry) => {
                            let seq = entry.seq;
                            (entry, Step::Live(live, seq))
                        }
                        Err(broadcast::error::RecvError::Lagged(_)) => {
                            // Too slow to keep up: a reload, then on from the latest change.
                            let latest = log.latest();
                            return Some((Some(reload(&log)), (Step::Live(live.resubscribe(), latest), viewer)));
                        }
                        Err(broadcast::error::RecvError::Closed) => return None,
                    },
                },
            };
            // A sign-out or a removal ends the stream.
            viewer.refresh().await?;
            let event = reaches(&viewer.actor, &entry)
                .then(|| Event::default().id(format!("{}:{}", log.epoch, entry.seq)).data(entry.body.to_string()));
            Some((event, (next, viewer)))
        }
    });
    let opening = stream::iter(opening.into_iter().map(Some));
    let all = futures_util::StreamExt::filter_map(futures_util::StreamExt::chain(opening, events), |e| async move { e.map(Ok) });
    Ok(Sse::new(all).keep_alive(KeepAlive::default()))
}

/// Who the stream is for, read again from the store at most once a
/// `RECHECK` (and after a `RECHECK` without changes): at a team's rate of
/// changes, reading it for every change and every desktop would be most of
/// the server's work.
struct Viewer {
    desk: Arc<tenant_desk_core::Desk>,
    token: String,
    actor: Actor,
    checked: Instant,
}

const RECHECK: Duration = Duration::from_secs(1);

impl Viewer {
    /// `None` once the sign-in has ended.
    async fn refresh(&mut self) -> Option<()> {
        if self.checked.elapsed() < RECHECK {
            return Some(());
        }
        let (desk, token) = (self.desk.clone(), SessionToken::presented(self.token.clone()));
        self.actor = tokio::task::spawn_blocking(move || desk.actor(&token)).await.ok()?.ok()?;
        self.checked = Instant::now();
        Some(())
    }
}

/// The desktop lost changes it cannot get back: it reloads what it shows,
/// then goes on from the latest change.
fn reload(log: &EventLog) -> Event {
    Event::default().event("reload").id(format!("{}:{}", log.epoch, log.latest())).data("{}")
}

fn reaches(actor: &Actor, entry: &Entry) -> bool {
    match entry.audience {
        Audience::Tenant(tenant_id) => {
            actor.tenant.as_ref().is_some_and(|t| t.tenant_id == tenant_id) && can(actor, Operation::ViewConversations)
        }
        Audience::Account(account_id) => actor.account_id == account_id,
    }
}

/// The core's notifier on a team server: a notice goes to its person's desktops.
pub struct ToDesktops(pub Arc<EventLog>);

impl DesktopNotifier for ToDesktops {
    fn availability(&self) -> Availability {
        Availability::Available
    }

    fn show(&self, account_id: i64, notice: &Notice) -> tenant_desk_core::Result<()> {
        self.0.record_notice(account_id, notice);
        Ok(())
    }
}
