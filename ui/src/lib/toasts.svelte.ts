// Short confirmations ("User updated successfully") shown in a live region.
export type Toast = { id: number; message: string; tone: "success" | "error" };

let next = 1;
export const toasts = $state<Toast[]>([]);

export function toast(message: string, tone: Toast["tone"] = "success") {
  const id = next++;
  toasts.push({ id, message, tone });
  setTimeout(() => dismiss(id), 5000);
}

export function dismiss(id: number) {
  const i = toasts.findIndex((t) => t.id === id);
  if (i >= 0) toasts.splice(i, 1);
}
