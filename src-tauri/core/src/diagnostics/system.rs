//! The operating system in the words support asks for: the distribution's
//! name where it says one, the platform and the processor.

pub(super) fn operating_system() -> String {
    let platform = format!("{} {}", std::env::consts::OS, std::env::consts::ARCH);
    match distribution() {
        Some(name) => format!("{name}, {platform}"),
        None => platform,
    }
}

#[cfg(target_os = "linux")]
fn distribution() -> Option<String> {
    let release = std::fs::read_to_string("/etc/os-release").ok()?;
    release
        .lines()
        .find_map(|line| line.strip_prefix("PRETTY_NAME="))
        .map(|value| value.trim_matches('"').to_owned())
        .filter(|name| !name.is_empty())
}

#[cfg(not(target_os = "linux"))]
fn distribution() -> Option<String> {
    None
}
