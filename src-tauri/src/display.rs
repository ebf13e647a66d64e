//! GTK aborts without a display; say so in words instead.

#[cfg(target_os = "linux")]
pub fn check() -> Result<(), String> {
    let set = |name: &str| std::env::var_os(name).is_some_and(|v| !v.is_empty());
    if set("DISPLAY") || set("WAYLAND_DISPLAY") {
        return Ok(());
    }
    Err("Tenant Desk needs a graphical desktop, but neither DISPLAY nor WAYLAND_DISPLAY is set.\n\
         Start it from a desktop session, or under a virtual display: xvfb-run -a tenant-desk"
        .to_owned())
}

#[cfg(not(target_os = "linux"))]
pub fn check() -> Result<(), String> {
    Ok(())
}
