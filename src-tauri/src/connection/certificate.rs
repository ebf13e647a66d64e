//! A self-signed team server, as SSH treats a new host: its certificate is
//! fetched without trusting it, its SHA-256 fingerprint shown once for the
//! person to compare with the one the server logs at start, and once
//! confirmed that one certificate is the only one this desktop accepts from
//! the server (pinned; the host name is still checked against it).

use std::io::Write;
use std::net::{TcpStream, ToSocketAddrs};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rustls::client::danger::{HandshakeSignatureValid, ServerCertVerified, ServerCertVerifier};
use rustls::pki_types::{CertificateDer, ServerName, UnixTime};
use rustls::{DigitallySignedStruct, SignatureScheme};
use sha2::{Digest, Sha256};
use tenant_desk_core::{Error, ErrorCode, Result};

const DEADLINE: Duration = Duration::from_secs(5);

/// `AB:CD:…`: the SHA-256 of the certificate, as browsers and
/// `openssl x509 -fingerprint -sha256` show it.
pub fn fingerprint(der: &[u8]) -> String {
    Sha256::digest(der).iter().map(|b| format!("{b:02X}")).collect::<Vec<_>>().join(":")
}

/// The certificate `host:port` presents, read in a TLS handshake that trusts
/// nothing and sends nothing else (blocking).
pub fn presented(host: &str, port: u16) -> Result<Vec<u8>> {
    let unreachable = |detail: String| {
        Error::new(ErrorCode::ServerUnreachable, format!("The team server {host}:{port} cannot be reached: {detail}"))
    };
    let address = (host, port)
        .to_socket_addrs()
        .map_err(|e| unreachable(e.to_string()))?
        .next()
        .ok_or_else(|| unreachable("the name has no address".into()))?;
    let mut socket = TcpStream::connect_timeout(&address, DEADLINE).map_err(|e| unreachable(e.to_string()))?;
    socket.set_read_timeout(Some(DEADLINE)).and_then(|()| socket.set_write_timeout(Some(DEADLINE))).map_err(|e| unreachable(e.to_string()))?;
    let recorder = Arc::new(Recorder { seen: Mutex::default(), provider: rustls::crypto::ring::default_provider().into() });
    let config = rustls::ClientConfig::builder_with_provider(recorder.provider.clone())
        .with_safe_default_protocol_versions()
        .map_err(|e| Error::internal(e.to_string()))?
        .dangerous()
        .with_custom_certificate_verifier(recorder.clone())
        .with_no_client_auth();
    let name = ServerName::try_from(host.to_owned()).map_err(|_| unreachable("not a host name".into()))?;
    let mut connection = rustls::ClientConnection::new(Arc::new(config), name).map_err(|e| unreachable(e.to_string()))?;
    // The handshake runs until the server's certificate has come; nothing is sent after it.
    while connection.is_handshaking() && recorder.seen.lock().unwrap_or_else(|p| p.into_inner()).is_none() {
        connection.complete_io(&mut socket).map_err(|e| unreachable(e.to_string()))?;
    }
    connection.send_close_notify();
    let _ = connection.complete_io(&mut socket);
    let _ = socket.flush();
    let seen = recorder.seen.lock().unwrap_or_else(|p| p.into_inner()).take();
    seen.ok_or_else(|| unreachable("it sent no certificate".into()))
}

/// Accepts any certificate, keeping the end entity's: used only to show it.
#[derive(Debug)]
struct Recorder {
    seen: Mutex<Option<Vec<u8>>>,
    provider: Arc<rustls::crypto::CryptoProvider>,
}

impl ServerCertVerifier for Recorder {
    fn verify_server_cert(
        &self,
        end_entity: &CertificateDer<'_>,
        _intermediates: &[CertificateDer<'_>],
        _server_name: &ServerName<'_>,
        _ocsp_response: &[u8],
        _now: UnixTime,
    ) -> std::result::Result<ServerCertVerified, rustls::Error> {
        *self.seen.lock().unwrap_or_else(|p| p.into_inner()) = Some(end_entity.to_vec());
        Ok(ServerCertVerified::assertion())
    }

    fn verify_tls12_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls12_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn verify_tls13_signature(
        &self,
        message: &[u8],
        cert: &CertificateDer<'_>,
        dss: &DigitallySignedStruct,
    ) -> std::result::Result<HandshakeSignatureValid, rustls::Error> {
        rustls::crypto::verify_tls13_signature(message, cert, dss, &self.provider.signature_verification_algorithms)
    }

    fn supported_verify_schemes(&self) -> Vec<SignatureScheme> {
        self.provider.signature_verification_algorithms.supported_schemes()
    }
}
