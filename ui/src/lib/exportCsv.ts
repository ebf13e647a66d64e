// Export CSV of the table on screen: the core writes the rows with the
// current filters; a save dialog asks where. Says where the file went.
import { call, describe } from "./api";
import type { DeskError } from "./bindings";
import { toast } from "./toasts.svelte";

type Outcome = { status: "ok"; data: string | null } | { status: "error"; error: DeskError };

export async function exportCsv(what: string, pending: Promise<Outcome>) {
  try {
    const path = await call(pending);
    if (path !== null) toast(`${what} exported to ${path}`);
  } catch (e) {
    toast(describe(e).message, "error");
  }
}
