// How the window presents each error the core can answer with: one table,
// checked against the generated ErrorCode (a new code fails the type check
// until it has a row here).
import type { ErrorCode } from "./bindings";

export type Presentation =
  /** Messages under the fields the core named (`fields`). */
  | "fields"
  /** The core's sentence, where the action was asked for. */
  | "message"
  /** The sign-in is not finished (a code, a new password, MFA to set up): the window shows that step. */
  | "sign_in_step"
  /** The window is locked: it covers itself until unlocked. */
  | "locked"
  /** The session ended (signed out elsewhere, removed): back to Sign in. */
  | "signed_out"
  /** The screen offers another way (invite the person, rotate the key, reload what someone else saved). */
  | "offer";

export const presentation: Record<ErrorCode, Presentation> = {
  validation: "fields",
  not_allowed: "message",
  not_signed_in: "signed_out",
  wrong_credentials: "message",
  throttled: "message",
  already_set_up: "message",
  password_change_required: "sign_in_step",
  second_factor_required: "sign_in_step",
  mfa_enrollment_required: "sign_in_step",
  last_tenant_admin: "message",
  not_found: "message",
  storage: "message",
  internal: "message",
  api_key_not_on_this_machine: "offer",
  desktop: "message",
  conflict: "message",
  store_damaged: "message",
  not_a_backup: "message",
  account_exists: "offer",
  session_locked: "locked",
  disk_full: "message",
  folder_in_use: "message",
  edit_conflict: "offer",
  server_unreachable: "message",
  store_unreachable: "message",
};
