//! The operations of a signed-in person, declared once in `list.rs`: the
//! local call (`run`), and the team server's entry to the same code
//! (`dispatch`, by name with JSON arguments). Whoever calls, the core
//! checks who may do what.

use base64::Engine;

use crate::auth::SessionToken;
use crate::{Desk, Error, ErrorCode, Result};

include!("list.rs");

/// The person an operation runs as, from their sign-in.
macro_rules! caller {
    (actor, $desk:ident, $token:ident) => {
        &$desk.actor($token)?
    };
    (enrolling, $desk:ident, $token:ident) => {
        &$desk.enrolling_actor($token)?
    };
    (session, $desk:ident, $token:ident) => {
        $token
    };
}

macro_rules! define {
    (window { $($window:tt)* } shell { $($shell:tt)* }) => {
        define!(@all $($window)* $($shell)*);
    };
    (@all $(
        $name:ident ( $($arg:ident : $ty:ty),* $(,)? ) -> $out:ty as $who:ident |$d:ident, $a:ident| $body:expr;
    )*) => {
        /// Each operation, run here for the holder of `token`.
        pub mod run {
            use super::*;
            $(
                #[allow(clippy::too_many_arguments)]
                pub fn $name(desk: &Desk, token: &SessionToken $(, $arg: $ty)*) -> Result<$out> {
                    let $d = desk;
                    let $a = caller!($who, desk, token);
                    $body
                }
            )*
        }

        /// Every operation's name.
        pub const NAMES: &[&str] = &[$(stringify!($name)),*];

        /// Runs the operation `name` with its arguments as a JSON object
        /// (`{"id": 3}`), for the holder of `token`; answers as the window's
        /// command would, in JSON.
        pub fn dispatch(desk: &Desk, token: &SessionToken, name: &str, args: serde_json::Value) -> Result<serde_json::Value> {
            match name {
                $(
                    stringify!($name) => {
                        #[derive(serde::Deserialize)]
                        #[serde(deny_unknown_fields)]
                        struct Args { $($arg: $ty),* }
                        let Args { $($arg),* } = serde_json::from_value(args).map_err(|e| unreadable(name, e))?;
                        answer(run::$name(desk, token $(, $arg)*)?)
                    }
                )*
                _ => Err(Error::new(ErrorCode::NotFound, format!("There is no operation named {name}."))),
            }
        }
    };
}

desk_operations!(define);

fn unreadable(name: &str, e: serde_json::Error) -> Error {
    Error::new(ErrorCode::Validation, format!("The arguments of {name} could not be read: {e}"))
}

fn answer(value: impl serde::Serialize) -> Result<serde_json::Value> {
    serde_json::to_value(value).map_err(|e| Error::internal(format!("an answer would not serialize: {e}")))
}

/// A file sent as base64 text.
pub fn decode_bytes(text: &str) -> Result<Vec<u8>> {
    base64::engine::general_purpose::STANDARD
        .decode(text)
        .map_err(|_| Error::new(ErrorCode::Validation, "The file could not be read."))
}

/// The same, for sending.
pub fn encode_bytes(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}
