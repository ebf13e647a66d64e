//! The server's configuration file (TOML): where it listens, its TLS
//! certificate and key, its data folder, and the bounds it keeps.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    /// Address and port, e.g. "0.0.0.0:8443".
    pub listen: SocketAddr,
    /// The team's store and the server's secrets; the same layout as a
    /// desktop's data folder.
    pub data_dir: PathBuf,
    /// Required unless `listen` is a loopback address.
    pub tls: Option<TlsFiles>,
    #[serde(default)]
    pub limits: Limits,
    /// The team's store in PostgreSQL (`postgres://user:password@host/db`)
    /// instead of the SQLite file in `data_dir`. Several server processes
    /// may share one database.
    pub database: Option<String>,
    #[serde(default)]
    pub database_pool: DatabasePool,
}

/// The PostgreSQL connections one server process keeps.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct DatabasePool {
    /// Connections open at most.
    pub size: u32,
    /// Opening a connection gives up after this long.
    pub connect_timeout_seconds: u64,
    /// A request waits this long for a free connection, then is told the
    /// database cannot be reached.
    pub acquire_timeout_seconds: u64,
    /// The longest one statement may run.
    pub statement_timeout_seconds: u64,
}

impl Default for DatabasePool {
    fn default() -> Self {
        DatabasePool { size: 16, connect_timeout_seconds: 5, acquire_timeout_seconds: 10, statement_timeout_seconds: 60 }
    }
}

impl Config {
    /// How to reach the PostgreSQL store, when there is one.
    pub fn postgres(&self) -> Option<tenant_desk_core::store::PgSettings> {
        let url = self.database.as_ref()?;
        let pool = &self.database_pool;
        Some(tenant_desk_core::store::PgSettings {
            url: url.clone(),
            pool_size: pool.size,
            connect_timeout: Duration::from_secs(pool.connect_timeout_seconds.max(1)),
            acquire_timeout: Duration::from_secs(pool.acquire_timeout_seconds.max(1)),
            statement_timeout: Duration::from_secs(pool.statement_timeout_seconds.max(1)),
        })
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TlsFiles {
    /// PEM: the server's certificate, then any intermediates.
    pub certificate: PathBuf,
    /// PEM: its private key (PKCS#8, PKCS#1 or SEC1).
    pub key: PathBuf,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Connections served at once; more wait to be accepted.
    pub max_connections: usize,
    /// A client must finish its TLS handshake and each request's headers
    /// within this long.
    pub request_header_seconds: u64,
    /// On shutdown, requests running get this long to finish.
    pub shutdown_grace_seconds: u64,
    /// Requests each client address may make per minute, steadily…
    pub requests_per_minute: u32,
    /// …and at once after a quiet spell.
    pub burst: u32,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_connections: 512, request_header_seconds: 10, shutdown_grace_seconds: 10, requests_per_minute: 3000, burst: 200 }
    }
}

impl Limits {
    pub fn header_timeout(&self) -> Duration {
        Duration::from_secs(self.request_header_seconds.max(1))
    }

    pub fn shutdown_grace(&self) -> Duration {
        Duration::from_secs(self.shutdown_grace_seconds)
    }
}

impl Config {
    /// Reads and checks the file; relative paths in it are taken from the
    /// file's own folder, as a reader of the file would expect.
    pub fn load(path: &Path) -> Result<Config, String> {
        let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
        let mut config: Config = toml::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let resolve = |p: &mut PathBuf| {
            if p.is_relative() {
                *p = base.join(&*p);
            }
        };
        resolve(&mut config.data_dir);
        if let Some(tls) = &mut config.tls {
            resolve(&mut tls.certificate);
            resolve(&mut tls.key);
        }
        config.check().map_err(|e| format!("{}: {e}", path.display()))?;
        Ok(config)
    }

    /// Plain HTTP only where no other machine can listen in.
    fn check(&self) -> Result<(), String> {
        if self.tls.is_none() && !self.listen.ip().is_loopback() {
            return Err(format!(
                "listen = \"{}\" reaches other machines, so the server needs TLS: set [tls] certificate and key \
                 (plain HTTP is only for a loopback address such as 127.0.0.1)",
                self.listen
            ));
        }
        if self.limits.max_connections == 0 {
            return Err("limits.max_connections must be at least 1".into());
        }
        if let Some(url) = &self.database {
            if !(url.starts_with("postgres://") || url.starts_with("postgresql://")) {
                return Err("database must be a postgres:// URL (leave it out for the SQLite store in data_dir)".into());
            }
        }
        if self.database_pool.size == 0 {
            return Err("database_pool.size must be at least 1".into());
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(text: &str) -> Result<Config, String> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("server.toml");
        std::fs::write(&path, text).unwrap();
        Config::load(&path)
    }

    #[test]
    fn other_machines_are_served_only_over_tls() {
        let refused = load("listen = \"0.0.0.0:8443\"\ndata_dir = \"data\"\n").unwrap_err();
        assert!(refused.contains("needs TLS"), "{refused}");
        let loopback = load("listen = \"127.0.0.1:8080\"\ndata_dir = \"data\"\n").unwrap();
        assert!(loopback.tls.is_none() && loopback.data_dir.is_absolute());
        let tls = load("listen = \"[::]:8443\"\ndata_dir = \"/srv/td\"\n[tls]\ncertificate = \"cert.pem\"\nkey = \"key.pem\"\n").unwrap();
        assert!(tls.tls.unwrap().certificate.ends_with("cert.pem"));
        assert_eq!(tls.limits.max_connections, Limits::default().max_connections);
    }

    #[test]
    fn a_mistyped_setting_is_named() {
        let refused = load("listen = \"127.0.0.1:8080\"\ndata_dir = \"data\"\nmax_conections = 3\n").unwrap_err();
        assert!(refused.contains("max_conections"), "{refused}");
    }
}
