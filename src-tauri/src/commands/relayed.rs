//! What an operation answers the window: the core's own value when it ran on
//! this computer, or the team server's JSON of the same type, passed on as it
//! came. Both are the type the operation declares, and that is what the
//! TypeScript bindings say.

use serde::de::DeserializeOwned;
use serde::{Serialize, Serializer};
use specta::datatype::DataType;
use specta::{Type, Types};
use tenant_desk_core::{Error, Result};

pub enum Relayed<T> {
    Here(T),
    There(serde_json::Value),
}

impl<T: DeserializeOwned> Relayed<T> {
    /// The value itself, for the desktop's own use of an answer.
    pub fn value(self) -> Result<T> {
        match self {
            Relayed::Here(value) => Ok(value),
            Relayed::There(json) => serde_json::from_value(json)
                .map_err(|e| Error::internal(format!("the team server answered in a shape this desktop does not know: {e}"))),
        }
    }
}

impl<T: Serialize> Serialize for Relayed<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Relayed::Here(value) => value.serialize(serializer),
            Relayed::There(json) => json.serialize(serializer),
        }
    }
}

impl<T: Type> Type for Relayed<T> {
    fn definition(types: &mut Types) -> DataType {
        T::definition(types)
    }
}
