//! IANA timezone names, from chrono-tz's database.

use chrono_tz::{Tz, TZ_VARIANTS};

pub fn all() -> Vec<String> {
    TZ_VARIANTS.iter().map(|tz| tz.name().to_owned()).collect()
}

pub fn parse(name: &str) -> Option<Tz> {
    name.parse::<Tz>().ok()
}

/// The zone the operating system is set to, if it is a known IANA name.
pub fn system() -> String {
    iana_time_zone::get_timezone()
        .ok()
        .filter(|name| parse(name).is_some())
        .unwrap_or_else(|| "UTC".to_owned())
}

pub fn check(name: &str) -> Result<(), String> {
    match parse(name) {
        Some(_) => Ok(()),
        None => Err("Pick a timezone from the list (an IANA name such as Europe/Berlin).".to_owned()),
    }
}
