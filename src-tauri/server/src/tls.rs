//! TLS for every address other machines can reach, with rustls (ring, the
//! provider the core's HTTPS client already uses).

use std::sync::Arc;

use rustls::pki_types::pem::PemObject;
use rustls::pki_types::{CertificateDer, PrivateKeyDer};
use sha2::{Digest, Sha256};
use tokio_rustls::TlsAcceptor;

use crate::config::TlsFiles;

/// The server's TLS, and its certificate's SHA-256 fingerprint (`AB:CD:…`),
/// logged at start so a desktop's person can compare it before trusting a
/// self-signed server.
pub struct Tls {
    pub acceptor: TlsAcceptor,
    pub fingerprint: String,
}

pub fn acceptor(files: &TlsFiles) -> Result<Tls, String> {
    let certificates: Vec<CertificateDer<'static>> = CertificateDer::pem_file_iter(&files.certificate)
        .and_then(|found| found.collect::<Result<_, _>>())
        .map_err(|e| format!("{}: no certificate read: {e}", files.certificate.display()))?;
    if certificates.is_empty() {
        return Err(format!("{}: holds no certificate", files.certificate.display()));
    }
    let fingerprint = Sha256::digest(&certificates[0]).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":");
    let key = PrivateKeyDer::from_pem_file(&files.key).map_err(|e| format!("{}: no private key read: {e}", files.key.display()))?;
    let mut config = rustls::ServerConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
        .with_safe_default_protocol_versions()
        .map_err(|e| e.to_string())?
        .with_no_client_auth()
        .with_single_cert(certificates, key)
        .map_err(|e| format!("{} and {} do not make a certificate and its key: {e}", files.certificate.display(), files.key.display()))?;
    config.alpn_protocols = vec![b"http/1.1".to_vec()];
    Ok(Tls { acceptor: TlsAcceptor::from(Arc::new(config)), fingerprint })
}
