// The signed-in person's preferences, applied at once: the theme on <html>
// (data-theme; "system" leaves it to prefers-color-scheme, which follows the
// OS live) and whether confirmations appear as toasts.
import type { Preferences, Theme } from "./bindings";

// Read by public/theme-boot.js before the first paint of the next start.
export const THEME_KEY = "tenant-desk.theme";

const defaults: Preferences = { show_toasts: true, theme: "system", pinned: null, keep_running_when_closed: true };

export const prefs = $state<Preferences>({ ...defaults });

export function applyPreferences(p: Preferences) {
  Object.assign(prefs, p);
  applyTheme(p.theme);
}

export function applyTheme(theme: Theme) {
  showTheme(theme);
  try {
    localStorage.setItem(THEME_KEY, theme);
  } catch {
    // Storage can be unavailable; the theme still applies for this run.
  }
}

function showTheme(theme: Theme) {
  prefs.theme = theme;
  if (theme === "system") {
    delete document.documentElement.dataset.theme;
  } else {
    document.documentElement.dataset.theme = theme;
  }
}

/// Back to the defaults (Clear all cache), remembering nothing.
export function resetPreferences() {
  Object.assign(prefs, defaults);
  showTheme(defaults.theme);
}
