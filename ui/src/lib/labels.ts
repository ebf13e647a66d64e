import type { Role, Section, TenantSummary } from "./bindings";

export const roleLabel: Record<Role, string> = {
  tenant_admin: "Tenant Admin",
  tenant_user: "Tenant User",
  tenant_viewer: "Tenant Viewer",
  tenant_operator: "Tenant Operator",
};

export const sectionLabel: Record<Section, string> = {
  profile: "Profile",
  sessions: "Sessions",
  analytics: "Analytics",
  identity: "Identity",
  notifications: "Notifications",
  backups: "Backups",
  archives: "Archives",
};

/// The menu group a section is listed under, if any.
export const sectionGroup: Partial<Record<Section, string>> = {
  identity: "Settings",
  notifications: "Settings",
  backups: "Settings",
  archives: "Settings",
};

/// Why nothing of the current organization can be changed (a snapshot, or a
/// tenant support made read-only), or null when it can.
export function readOnlyNotice(tenant: TenantSummary | null): string | null {
  if (!tenant?.read_only) return null;
  return tenant.snapshot_data_as_of != null
    ? "Readonly: this organization is a snapshot and cannot be changed."
    : "Readonly: this organization cannot be changed.";
}

export const weekdays = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"];

/// A UTC timestamp from the core shown in a timezone, e.g. "26 Nov 2026, 10:15".
export function inZone(utc: string, timeZone: string): string {
  try {
    return new Intl.DateTimeFormat("en-GB", { timeZone, day: "numeric", month: "short", year: "numeric", hour: "2-digit", minute: "2-digit" }).format(new Date(utc));
  } catch {
    return utc;
  }
}

/// The same as [date, time], so a narrow column breaks between them only.
export function inZoneParts(utc: string, timeZone: string): [string, string] {
  const text = inZone(utc, timeZone);
  const cut = text.lastIndexOf(", ");
  return cut < 0 ? [text, ""] : [text.slice(0, cut), text.slice(cut + 2)];
}

/// The zone the operating system is set to, the schedule editor's default.
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => p[0]?.toUpperCase() ?? "").join("") || "?";
}
