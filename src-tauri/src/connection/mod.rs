//! Where the window's data lives: this computer's own store (the default), or
//! a team server the desktop connects to. Connected, every operation goes to
//! the server and its core decides; this computer's store stays beside it,
//! untouched, for when the person chooses "This computer only" again.
//!
//! - `address`: the server's address, checked, and the choice kept in the
//!   data folder.
//! - `certificate`: a self-signed server's certificate, shown by its
//!   fingerprint for the person to confirm, then pinned.
//! - `team_server`: the calls (sign-in, operations, health) over HTTPS, or
//!   plain HTTP to this machine only.
//! - `remembered`: "Keep me signed in", in this desktop's keyring.
//! - `this_desktop`: what a server's answers say about this desktop,
//!   corrected here (its notification service, its own sections).
//! - `follow`: the server's change stream, turned into the window's events
//!   and the person's notifications, reconnecting with backoff.

pub mod address;
pub mod certificate;
pub mod follow;
pub mod remembered;
pub mod team_server;
pub mod this_desktop;

pub use address::ServerAddress;
pub use team_server::TeamServer;
