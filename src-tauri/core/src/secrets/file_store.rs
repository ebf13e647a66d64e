//! Secrets kept in one owner-only file, for a machine with no OS keyring: a
//! team server runs as a service account without a desktop session. The file
//! (`secrets.json`, 0600, in the 0700 data folder) is replaced whole on every
//! change, through a temporary file and a rename, so a crash leaves the old
//! secrets or the new ones, never half of either.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::PathBuf;
use std::sync::Mutex;

use super::{SecretAvailability, SecretError, SecretStore};
use crate::store::private::create_private;

pub struct FileStore {
    path: PathBuf,
    // Held across read-modify-write so two changes cannot lose one another.
    lock: Mutex<()>,
}

impl FileStore {
    pub fn new(path: PathBuf) -> Self {
        Self { path, lock: Mutex::new(()) }
    }

    fn load(&self) -> Result<BTreeMap<String, String>, SecretError> {
        match std::fs::read(&self.path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| SecretError(format!("{} is not a secrets file: {e}", self.path.display()))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(BTreeMap::new()),
            Err(e) => Err(SecretError(format!("{} cannot be read: {e}", self.path.display()))),
        }
    }

    fn save(&self, entries: &BTreeMap<String, String>) -> Result<(), SecretError> {
        let fail = |e: std::io::Error| SecretError(format!("{} cannot be written: {e}", self.path.display()));
        let fresh = self.path.with_extension("json.new");
        let mut file = create_private(&fresh).map_err(fail)?;
        file.write_all(&serde_json::to_vec(entries).map_err(|e| SecretError(e.to_string()))?).map_err(fail)?;
        file.sync_all().map_err(fail)?;
        std::fs::rename(&fresh, &self.path).map_err(fail)
    }

    fn change(&self, edit: impl FnOnce(&mut BTreeMap<String, String>)) -> Result<(), SecretError> {
        let _held = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        let mut entries = self.load()?;
        edit(&mut entries);
        self.save(&entries)
    }
}

impl SecretStore for FileStore {
    fn availability(&self) -> SecretAvailability {
        match self.load() {
            Ok(_) => SecretAvailability::Available,
            Err(e) => SecretAvailability::Unavailable { reason: e.0 },
        }
    }

    fn put(&self, key: &str, secret: &str) -> Result<(), SecretError> {
        self.change(|entries| {
            entries.insert(key.to_owned(), secret.to_owned());
        })
    }

    fn get(&self, key: &str) -> Result<Option<String>, SecretError> {
        let _held = self.lock.lock().unwrap_or_else(|p| p.into_inner());
        Ok(self.load()?.get(key).cloned())
    }

    fn delete(&self, key: &str) -> Result<(), SecretError> {
        self.change(|entries| {
            entries.remove(key);
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn secrets_survive_a_new_store_and_stay_the_owners() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("secrets.json");
        let store = FileStore::new(path.clone());
        assert_eq!(store.get("a").unwrap(), None);
        store.put("a", "one").unwrap();
        store.put("b", "two").unwrap();
        store.delete("a").unwrap();
        store.delete("missing").unwrap();
        let again = FileStore::new(path.clone());
        assert_eq!((again.get("a").unwrap(), again.get("b").unwrap()), (None, Some("two".to_owned())));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(&path).unwrap().permissions().mode() & 0o777, 0o600);
        }
        std::fs::write(&path, "not json").unwrap();
        assert!(matches!(again.availability(), SecretAvailability::Unavailable { .. }));
        assert!(again.put("c", "three").is_err(), "a damaged file is not overwritten");
    }
}
