import { describe } from "./api";

/// A form while it submits: busy, the message under each field the core
/// named, and a message for the whole form when it named none.
export class Form {
  busy = $state(false);
  errors: Partial<Record<string, string>> = $state({});
  message = $state("");

  /// The whole form's message, shown only when no field carries one.
  get formMessage(): string {
    return Object.keys(this.errors).length === 0 ? this.message : "";
  }

  clear() {
    this.errors = {};
    this.message = "";
  }

  /// Runs one step of the form; a failure lands in `errors` / `message`.
  async submit(step: () => Promise<void>) {
    this.busy = true;
    this.clear();
    try {
      await step();
    } catch (err) {
      const d = describe(err);
      this.message = d.message;
      this.errors = d.fields;
    } finally {
      this.busy = false;
    }
  }
}
