//! The country list of the organization and tenant forms (the same on every
//! computer: no store involved).

use tenant_desk_core::countries::{self, CountryOption};

#[tauri::command]
#[specta::specta]
pub fn list_countries() -> Vec<CountryOption> {
    countries::all()
}
