// The signed-in tenant as last saved, so the menu shows an edit of its name at once,
// whichever screen made it.
import type { TenantRow, TenantSummary } from "./bindings";

export const current = $state<{ tenant: TenantSummary | null }>({ tenant: null });

export function tenantSaved(row: TenantRow) {
  if (current.tenant?.id === row.id) current.tenant = { ...current.tenant, name: row.name, timezone: row.timezone };
}
