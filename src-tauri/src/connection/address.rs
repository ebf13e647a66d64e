//! A team server's address as a person types it, and the desktop's choice
//! to use it, kept in the data folder (`team-server.json`).

use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use tenant_desk_core::{Error, ErrorCode, Result};

const FILE: &str = "team-server.json";

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServerAddress {
    /// `https://host[:port]`, or `http://` to this machine (loopback) only.
    pub base: String,
    /// A self-signed server's certificate (DER, base64), confirmed by its
    /// fingerprint: the only one accepted from it. None: the system's
    /// certificate authorities decide.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pinned: Option<String>,
}

impl ServerAddress {
    /// Reads what a person typed: a host alone means HTTPS; a trailing slash
    /// or path is dropped. Plain HTTP is refused unless the host is this
    /// machine, as the server itself refuses it.
    pub fn parse(typed: &str) -> Result<Self> {
        let typed = typed.trim();
        if typed.is_empty() {
            return Err(field("Enter the team server's address."));
        }
        let with_scheme = if typed.contains("://") { typed.to_owned() } else { format!("https://{typed}") };
        let url = url::Url::parse(&with_scheme).map_err(|_| field("This is not a server address, such as https://desk.example.com."))?;
        let host = url.host_str().filter(|h| !h.is_empty()).ok_or_else(|| field("The address needs a host name."))?;
        match url.scheme() {
            "https" => {}
            "http" if is_loopback(host) => {}
            "http" => return Err(field("Use https:// for a server on another machine: plain HTTP is only for this computer.")),
            _ => return Err(field("The address starts with https://.")),
        }
        let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
        Ok(ServerAddress { base: format!("{}://{host}{port}", url.scheme()), pinned: None })
    }

    /// Host and port to open a connection to.
    pub fn host_and_port(&self) -> Option<(String, u16)> {
        let url = url::Url::parse(&self.base).ok()?;
        Some((url.host_str()?.trim_matches(['[', ']']).to_owned(), url.port_or_known_default()?))
    }

    pub fn is_tls(&self) -> bool {
        self.base.starts_with("https://")
    }

    /// The choice kept in `data_dir`, if the desktop connects to a server.
    pub fn load(data_dir: &Path) -> Option<Self> {
        let text = std::fs::read_to_string(file(data_dir)).ok()?;
        match serde_json::from_str(&text) {
            Ok(address) => Some(address),
            Err(e) => {
                tracing::warn!(error = %e, "team-server.json is unreadable: this computer's store is used");
                None
            }
        }
    }

    pub fn save(&self, data_dir: &Path) -> Result<()> {
        let text = serde_json::to_string_pretty(self).map_err(|e| Error::internal(e.to_string()))?;
        // Written aside and renamed: a crash leaves the old choice or the new one.
        let aside = data_dir.join(format!("{FILE}.new"));
        std::fs::write(&aside, text)
            .and_then(|()| std::fs::rename(&aside, file(data_dir)))
            .map_err(|e| Error::new(ErrorCode::Storage, format!("The choice of team server could not be saved: {e}")))
    }

    /// Back to this computer's store.
    pub fn forget(data_dir: &Path) -> Result<()> {
        match std::fs::remove_file(file(data_dir)) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(Error::new(ErrorCode::Storage, format!("The choice of team server could not be removed: {e}"))),
        }
    }
}

fn file(data_dir: &Path) -> PathBuf {
    data_dir.join(FILE)
}

fn is_loopback(host: &str) -> bool {
    host == "localhost" || host.trim_matches(['[', ']']).parse::<IpAddr>().is_ok_and(|ip| ip.is_loopback())
}

fn field(message: &str) -> Error {
    let mut error = Error::new(ErrorCode::Validation, message);
    error.fields.insert("address".into(), message.into());
    error
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_address_is_https_unless_it_is_this_machine() {
        let base = |typed: &str| ServerAddress::parse(typed).map(|a| a.base).map_err(|e| e.fields["address"].clone());
        assert_eq!(base("desk.example.com"), Ok("https://desk.example.com".into()));
        assert_eq!(base(" https://desk.example.com:8443/ "), Ok("https://desk.example.com:8443".into()));
        assert_eq!(base("http://127.0.0.1:8080"), Ok("http://127.0.0.1:8080".into()));
        assert_eq!(base("http://localhost:8080/api"), Ok("http://localhost:8080".into()));
        assert!(base("http://desk.example.com").is_err_and(|m| m.contains("https://")));
        assert!(base("").is_err());
        assert!(base("ftp://desk.example.com").is_err());
    }

    #[test]
    fn the_choice_is_kept_and_forgotten() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ServerAddress::load(dir.path()), None);
        let address = ServerAddress::parse("http://127.0.0.1:9").unwrap_or_else(|e| panic!("{e}"));
        address.save(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ServerAddress::load(dir.path()), Some(address));
        ServerAddress::forget(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        ServerAddress::forget(dir.path()).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(ServerAddress::load(dir.path()), None);
    }
}
