//! Personal API keys: calls made on a person's behalf, with their role in the
//! tenant the key was created in (a key never reaches another tenant, and
//! follows the person's role there as it changes).
//!
//! `tdp_` followed by 256 bits from the OS CSPRNG, shown once at creation;
//! the database keeps only its SHA-256. Separate from the tenant API key
//! (`api_keys`), which speaks for a tenant, not a person.
//!
//! - `create`: name and optional expiry; `list`: the person's keys in the
//!   current tenant; `revoke`: stops a key at once; `verify`: the actor a
//!   presented key acts as (for the local API), recording its last use.
//! - `members`: the tenant administrators' view of every member's keys.

mod create;
mod list;
mod members;
mod revoke;
mod verify;

pub use create::{CreatedPersonalApiKey, NewPersonalApiKey};
pub use list::PersonalApiKeyRow;
pub use members::MemberApiKeyRow;
pub(crate) use revoke::revoke_keys_of;

use crate::secrets::random;

/// What every personal API key starts with.
pub const PREFIX: &str = "tdp_";
const RANDOM_BYTES: usize = 32;
pub const NAME_MAX_CHARS: usize = 100;
/// The longest expiry one can choose, in days.
pub const MAX_EXPIRY_DAYS: u32 = 365;

/// 256 random bits make a fast hash enough.
fn hash(key: &str) -> String {
    random::token_hash(key)
}
