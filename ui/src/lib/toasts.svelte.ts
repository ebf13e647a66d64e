// Short confirmations ("User updated successfully") shown in a live region.
// With Display Toast Notifications off, confirmations are not shown (the
// action still completes); failures always are.
import { describe } from "./api";
import { prefs } from "./preferences.svelte";

export type Toast = { id: number; message: string; tone: "success" | "error" };

let next = 1;
export const toasts = $state<Toast[]>([]);

export function toast(message: string, tone: Toast["tone"] = "success") {
  if (tone === "success" && !prefs.show_toasts) return;
  const id = next++;
  toasts.push({ id, message, tone });
  setTimeout(() => dismiss(id), 5000);
}

export function dismiss(id: number) {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}

/// Runs `work`, then confirms it with `done`, or shows why it failed.
export async function confirmed(work: () => Promise<unknown>, done: string): Promise<void> {
  try {
    await work();
    toast(done);
  } catch (e) {
    toast(describe(e).message, "error");
  }
}
