//! A tray host for one test, on a private bus: a StatusNotifierWatcher that
//! records the items registering with it, as a desktop's panel does; then a
//! reader of an item's label (the count beside the icon) and its menu
//! (com.canonical.dbusmenu), whose entries a test picks by their words, as a
//! person picks them in the panel.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use zbus::message::Header;
use zbus::{OwnedVariant as OwnedValue, Structure, Variant as Value};

use crate::notification_service::PrivateBus;

const ITEM: &str = "org.kde.StatusNotifierItem";
const MENU: &str = "com.canonical.dbusmenu";

pub struct TrayHost {
    /// (bus name, object path) of each registered item.
    items: Arc<Mutex<Vec<(String, String)>>>,
    connection: zbus::Connection,
}

struct Watcher {
    items: Arc<Mutex<Vec<(String, String)>>>,
}

#[zbus::interface(name = "org.kde.StatusNotifierWatcher")]
impl Watcher {
    /// `service` is the item's object path (on the caller's connection) or its bus name.
    fn register_status_notifier_item(&self, service: String, #[zbus(header)] header: Header<'_>) {
        let sender = header.sender().map(|s| s.to_string()).unwrap_or_default();
        let item = match service.strip_prefix('/') {
            Some(_) => (sender, service),
            None => (service, "/StatusNotifierItem".to_owned()),
        };
        self.items.lock().unwrap_or_else(|p| p.into_inner()).push(item);
    }

    fn register_status_notifier_host(&self, _service: String) {}

    #[zbus(property)]
    fn registered_status_notifier_items(&self) -> Vec<String> {
        self.items.lock().unwrap_or_else(|p| p.into_inner()).iter().map(|(name, path)| format!("{name}{path}")).collect()
    }

    #[zbus(property)]
    fn is_status_notifier_host_registered(&self) -> bool {
        true
    }

    #[zbus(property)]
    fn protocol_version(&self) -> i32 {
        0
    }
}

impl TrayHost {
    pub async fn start(bus: &PrivateBus) -> Self {
        let items = Arc::new(Mutex::new(Vec::new()));
        let connection = zbus::connection::Builder::address(bus.address.as_str())
            .name("org.kde.StatusNotifierWatcher")
            .serve_at("/StatusNotifierWatcher", Watcher { items: items.clone() })
            .build()
            .await
            .unwrap_or_else(|e| panic!("tray host on {}: {e}", bus.address));
        Self { items, connection }
    }

    /// The first item that registered, once one did.
    pub async fn item(&self) -> (String, String) {
        for _ in 0..200 {
            if let Some(item) = self.items.lock().unwrap_or_else(|p| p.into_inner()).first().cloned() {
                return item;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("no tray icon registered with the tray host within 20 s");
    }

    async fn property(&self, name: &str) -> OwnedValue {
        let (bus_name, path) = self.item().await;
        let reply = self
            .connection
            .call_method(Some(bus_name.as_str()), path.as_str(), Some("org.freedesktop.DBus.Properties"), "Get", &(ITEM, name))
            .await
            .unwrap_or_else(|e| panic!("tray item property {name}: {e}"));
        reply.body().deserialize::<OwnedValue>().unwrap_or_else(|e| panic!("tray item property {name}: {e}"))
    }

    /// The text beside the icon (the count of sessions waiting), "" for none.
    pub async fn label(&self) -> String {
        String::try_from(self.property("XAyatanaLabel").await).unwrap_or_default()
    }

    /// Waits for the text beside the icon to read `expected`.
    pub async fn expect_label(&self, expected: &str) {
        let mut seen = String::new();
        for _ in 0..200 {
            seen = self.label().await;
            if seen == expected {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the tray icon reads {seen:?}, not {expected:?}");
    }

    async fn layout(&self) -> (String, String, Vec<MenuEntry>) {
        let (bus_name, _) = self.item().await;
        let menu = self.property("Menu").await;
        let path = zbus::OwnedObjectPath::try_from(menu).unwrap_or_else(|e| panic!("tray menu path: {e}"));
        let reply = self
            .connection
            .call_method(Some(bus_name.as_str()), path.as_str(), Some(MENU), "GetLayout", &(0i32, -1i32, Vec::<String>::new()))
            .await
            .unwrap_or_else(|e| panic!("tray menu layout: {e}"));
        // The reply is (revision, root node).
        let body = reply.body();
        let body: Structure = body.deserialize().unwrap_or_else(|e| panic!("tray menu layout: {e}"));
        let root = body.fields().get(1).unwrap_or_else(|| panic!("tray menu layout without a root"));
        let mut entries = Vec::new();
        flatten(root, &mut entries);
        (bus_name, path.to_string(), entries)
    }

    /// The tray menu's entries: (label, enabled), submenus' entries included.
    pub async fn entries(&self) -> Vec<(String, bool)> {
        self.layout().await.2.into_iter().map(|e| (e.label, e.enabled)).collect()
    }

    /// Picks the menu entry with this label, as a click in the panel does.
    pub async fn click(&self, label: &str) {
        let (bus_name, path, entries) = self.layout().await;
        let entry = entries
            .iter()
            .find(|e| e.label == label)
            .unwrap_or_else(|| panic!("no tray menu entry {label:?}: {:?}", entries.iter().map(|e| &e.label).collect::<Vec<_>>()));
        assert!(entry.enabled, "the tray menu entry {label:?} is disabled");
        self.connection
            .call_method(Some(bus_name.as_str()), path.as_str(), Some(MENU), "Event", &(entry.id, "clicked", Value::from(0i32), 0u32))
            .await
            .unwrap_or_else(|e| panic!("clicking {label:?} in the tray menu: {e}"));
    }

    /// Waits for the entry with this label to be enabled (or not).
    pub async fn expect_enabled(&self, label: &str, enabled: bool) {
        for _ in 0..200 {
            if self.entries().await.iter().any(|(l, e)| l == label && *e == enabled) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        panic!("the tray menu entry {label:?} is not {}: {:?}", if enabled { "enabled" } else { "disabled" }, self.entries().await);
    }
}

struct MenuEntry {
    id: i32,
    label: String,
    enabled: bool,
}

/// A dbusmenu node is (id, properties, children as variants).
fn flatten(node: &Value<'_>, into: &mut Vec<MenuEntry>) {
    let node = match node {
        Value::Variant(inner) => inner.as_ref(),
        other => other,
    };
    let Value::Structure(node) = node else { return };
    let fields = node.fields();
    let (Some(Value::I32(id)), Some(Value::Dict(props)), Some(Value::Array(children))) = (fields.first(), fields.get(1), fields.get(2))
    else {
        return;
    };
    let props: HashMap<String, OwnedValue> = props.try_clone().ok().and_then(|d| HashMap::try_from(d).ok()).unwrap_or_default();
    if let Some(label) = props.get("label").and_then(|v| String::try_from(v.try_clone().ok()?).ok()) {
        let enabled = props.get("enabled").and_then(|v| bool::try_from(v.try_clone().ok()?).ok()).unwrap_or(true);
        into.push(MenuEntry { id: *id, label: label.replace('_', ""), enabled });
    }
    for child in children.iter() {
        flatten(child, into);
    }
}
