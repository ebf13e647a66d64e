// Calls into the Rust core through the generated bindings. A failed command
// throws its typed DeskError ({code, message, fields}), never a bare string.
import { commands, type DeskError, type ErrorCode } from "./bindings";
import { presentation } from "./errors";

export type { DeskError, ErrorCode };
export { commands };

type Outcome<T> = { status: "ok"; data: T } | { status: "error"; error: DeskError };

export class CommandError extends Error {
  constructor(readonly app: DeskError) {
    super(app.message);
  }
  get code(): ErrorCode {
    return this.app.code;
  }
  field(name: string): string | undefined {
    return this.app.fields[name];
  }
}

// Told when the core holds the session at a sign-in step (a tenant began to
// require MFA while the window was open), so the window can show that step.
let gateListener: (() => void) | null = null;
export function onSessionGate(listener: () => void) {
  gateListener = listener;
}

// Told when the session ended behind the window's back (the password was
// changed elsewhere, the person was removed), so it goes back to Sign in.
let signedOutListener: (() => void) | null = null;
export function onSignedOutElsewhere(listener: () => void) {
  signedOutListener = listener;
}

// Told when the core refuses a call because the window is locked (left idle
// past its tenants' limit), so the window covers itself.
let lockListener: (() => void) | null = null;
export function onSessionLocked(listener: (() => void) | null) {
  lockListener = listener;
}

/// A refusal that did not come from the core (Tauri's own, such as a command
/// the window is not granted) arrives as a bare string: it is shown as an
/// internal error with its words rather than as an empty message.
function asDeskError(error: unknown): DeskError {
  if (typeof error === "object" && error !== null && "code" in error && "message" in error) return error as DeskError;
  return { code: "internal", message: `Tenant Desk could not do this: ${String(error)}`, fields: {} } as DeskError;
}

export async function call<T>(pending: Promise<Outcome<T>>): Promise<T> {
  const outcome = await pending;
  if (outcome.status === "error") {
    outcome.error = asDeskError(outcome.error);
    switch (presentation[outcome.error.code]) {
      case "sign_in_step":
        gateListener?.();
        break;
      case "locked":
        lockListener?.();
        break;
      case "signed_out":
        signedOutListener?.();
        break;
    }
    throw new CommandError(outcome.error);
  }
  return outcome.data;
}

/// Field messages of a validation failure, or the single message of any other failure.
export function describe(e: unknown): { message: string; fields: Partial<Record<string, string>> } {
  if (e instanceof CommandError) {
    return { message: e.message, fields: presentation[e.code] === "fields" ? e.app.fields : {} };
  }
  return { message: String(e), fields: {} };
}
