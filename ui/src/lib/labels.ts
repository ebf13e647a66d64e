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

// The window's one date format, "26 Nov 2026, 10:15", is the core's too (its
// `in_zone`), so a date reads the same whichever side wrote it. Composed here
// rather than left to Intl, whose month names vary with the engine ("Sept").
const months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"];

/// A calendar day from the core ("2026-11-26") as "26 Nov 2026".
export function calendarDay(day: string): string {
  const [year, month, date] = day.split("-").map(Number);
  return months[month - 1] && date ? `${date} ${months[month - 1]} ${year}` : day;
}

/// The same without its year ("26 Nov"), where the year is said nearby (a chart's axis).
export function calendarDayShort(day: string): string {
  return calendarDay(day).split(" ").slice(0, 2).join(" ");
}

// One formatter a zone, made once: making an Intl.DateTimeFormat costs far
// more than formatting with it, and a list formats every row's time each
// time it is drawn.
const wallClocks = new Map<string, Intl.DateTimeFormat | null>();

function wallClockFormat(timeZone: string): Intl.DateTimeFormat | null {
  let format = wallClocks.get(timeZone);
  if (format === undefined) {
    try {
      format = new Intl.DateTimeFormat("en-GB", {
        timeZone, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", hourCycle: "h23",
      });
    } catch {
      format = null;
    }
    wallClocks.set(timeZone, format);
  }
  return format;
}

function wallClock(at: Date, timeZone: string): Record<string, string> | null {
  const format = wallClockFormat(timeZone);
  return format ? Object.fromEntries(format.formatToParts(at).map((p) => [p.type, p.value])) : null;
}

/// A UTC timestamp from the core in a timezone as [date, time], ["26 Nov 2026", "10:15"],
/// so a narrow column breaks between them only. An unknown zone reads as UTC, as in the core.
export function inZoneParts(utc: string, timeZone: string): [string, string] {
  const at = new Date(utc);
  const clock = Number.isNaN(at.getTime()) ? null : (wallClock(at, timeZone) ?? wallClock(at, "UTC"));
  if (!clock) return [utc, ""];
  return [calendarDay(`${clock.year}-${clock.month}-${clock.day}`), `${clock.hour}:${clock.minute}`];
}

/// A UTC timestamp from the core in a timezone, "26 Nov 2026, 10:15".
export function inZone(utc: string, timeZone: string): string {
  const [date, time] = inZoneParts(utc, timeZone);
  return time ? `${date}, ${time}` : date;
}

/// The zone the operating system is set to, the schedule editor's default.
export function localZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone || "UTC";
}

/// An email address in pieces a line may break between (before "@", after
/// each "."), so a narrow column wraps it at sensible points.
export function emailPieces(email: string): string[] {
  return email.split(/(?=@)|(?<=\.)/);
}

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => p[0]?.toUpperCase() ?? "").join("") || "?";
}
