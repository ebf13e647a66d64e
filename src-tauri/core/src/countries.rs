//! ISO 3166-1 countries, from the celes crate. Tenants store the alpha-2 code.

use celes::Country;
use serde::Serialize;
use specta::Type;

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Type)]
pub struct CountryOption {
    /// ISO 3166-1 alpha-2, e.g. "DE".
    pub code: String,
    pub name: String,
}

/// Every country, sorted by name, for the searchable list.
pub fn all() -> Vec<CountryOption> {
    let mut list: Vec<CountryOption> = Country::get_countries()
        .iter()
        .map(|c| CountryOption { code: c.alpha2.to_owned(), name: c.long_name.to_owned() })
        .collect();
    list.sort_by(|a, b| a.name.cmp(&b.name));
    list
}

/// The country a person picked: its alpha-2 code or its name from the list,
/// in any letter case.
pub fn find(text: &str) -> Option<Country> {
    let text = text.trim();
    if text.chars().count() == 2 {
        return Country::from_alpha2(text.to_ascii_uppercase()).ok();
    }
    Country::get_countries().into_iter().find(|c| c.long_name.eq_ignore_ascii_case(text))
}

/// The name shown for a stored code; empty for none.
pub fn name_of(code: &str) -> String {
    if code.is_empty() {
        return String::new();
    }
    find(code).map(|c| c.long_name.to_owned()).unwrap_or_else(|| code.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_code_or_name_in_any_case() {
        assert_eq!(find("de").map(|c| c.alpha2), Some("DE"));
        assert_eq!(find("Germany").map(|c| c.alpha2), Some("DE"));
        assert_eq!(find("  france ").map(|c| c.alpha2), Some("FR"));
        assert!(find("Atlantis").is_none());
        assert!(find("XX").is_none());
        assert!(find("").is_none());
    }

    #[test]
    fn the_list_is_the_full_iso_table() {
        let list = all();
        assert_eq!(list.len(), 250);
        assert!(list.iter().any(|c| c.code == "JP" && c.name == "Japan"));
        assert_eq!(name_of("JP"), "Japan");
    }
}
