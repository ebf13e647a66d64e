// The signed-in person's desktop notification settings, shared by the Profile
// header, the sign-in offer and Settings > Notifications.
import { call, commands } from "./api";
import { events } from "./bindings";
import type { Category, NotificationSettings, PauseFor } from "./bindings";

export const notifications = $state<{ settings: NotificationSettings | null }>({ settings: null });

export async function loadNotifications(): Promise<NotificationSettings> {
  notifications.settings = await call(commands.getNotificationSettings());
  return notifications.settings;
}

/// Sends a real notification through the desktop's service; on success the
/// person's consent is Enabled.
export async function enableNotifications() {
  notifications.settings = await call(commands.enableNotifications());
}

export async function blockNotifications() {
  notifications.settings = await call(commands.blockNotifications());
}

export async function setCategory(category: Category, enabled: boolean) {
  notifications.settings = await call(commands.setNotificationCategory(category, enabled));
}

export async function pauseNotifications(pause: PauseFor) {
  notifications.settings = await call(commands.pauseNotifications(pause));
}

export async function resumeNotifications() {
  notifications.settings = await call(commands.resumeNotifications());
}

export async function setOnlyDuringShift(only: boolean) {
  notifications.settings = await call(commands.setOnlyDuringShift(only));
}

// A pause or resume from the tray menu: the screens showing it read it again.
void events.notificationSettingsChanged.listen(() => {
  if (notifications.settings) void loadNotifications().catch(() => undefined);
});
