import type { Role, Section } from "./bindings";

export const roleLabel: Record<Role, string> = {
  tenant_admin: "Tenant Admin",
  tenant_user: "Tenant User",
  tenant_viewer: "Tenant Viewer",
  tenant_operator: "Tenant Operator",
};

export const sectionLabel: Record<Section, string> = {
  profile: "Profile",
  identity: "Identity",
};

// The heading a section is listed under in the left menu (none: top level).
export const sectionGroup: Record<Section, string | null> = {
  profile: null,
  identity: "Settings",
};

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => p[0]?.toUpperCase() ?? "").join("") || "?";
}
