import type { Role, Section } from "./bindings";

export const roleLabel: Record<Role, string> = {
  tenant_admin: "Tenant Admin",
  tenant_user: "Tenant User",
  tenant_viewer: "Tenant Viewer",
  tenant_operator: "Tenant Operator",
};

export const sectionLabel: Record<Section, string> = {
  profile: "Profile",
};

export function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : parts;
  return letters.map((p) => p[0]?.toUpperCase() ?? "").join("") || "?";
}
