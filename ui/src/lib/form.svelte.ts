import { CommandError, describe, type ErrorCode } from "./api";
import { toast } from "./toasts.svelte";

/// A form while it submits: busy, the message under each field the core
/// named, and a message for the whole form when it named none.
export class Form {
  busy = $state(false);
  errors: Partial<Record<string, string>> = $state({});
  message = $state("");
  /// The code of the last refusal (e.g. "edit_conflict", to offer Reload).
  code: ErrorCode | null = $state(null);

  private readonly toastMessage: boolean;

  /// `toastMessage`: a form with no place for the whole form's message
  /// (only its fields) says it in a toast instead.
  constructor(options: { toastMessage?: boolean } = {}) {
    this.toastMessage = options.toastMessage ?? false;
  }

  /// The whole form's message, shown only when no field carries one.
  get formMessage(): string {
    return Object.keys(this.errors).length === 0 ? this.message : "";
  }

  /// What a form of one field shows under it: the core's message for that
  /// field, or else the whole form's.
  messageFor(field: string): string | undefined {
    return this.errors[field] ?? (this.message || undefined);
  }

  clear() {
    this.errors = {};
    this.message = "";
    this.code = null;
  }

  /// Runs one step of the form; a failure lands in `errors` / `message`.
  async submit(step: () => Promise<void>) {
    this.busy = true;
    this.clear();
    try {
      await step();
    } catch (err) {
      const d = describe(err);
      this.code = err instanceof CommandError ? err.code : null;
      this.message = d.message;
      this.errors = d.fields;
      // An edit conflict stays in the form, beside its Reload.
      if (this.toastMessage && this.formMessage && this.code !== "edit_conflict") toast(this.formMessage, "error");
    } finally {
      this.busy = false;
    }
  }
}
