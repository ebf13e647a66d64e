-- Who a notification reaches: each person's "Only during my shift" choice
-- (it applies where they have a schedule) and a pause they set.
CREATE TABLE notification_reach (
    account_id         INTEGER PRIMARY KEY REFERENCES accounts(id) ON DELETE CASCADE,
    only_during_shift  INTEGER NOT NULL DEFAULT 1 CHECK (only_during_shift IN (0, 1)),
    paused_until       INTEGER
);

-- A billing reminder waits for a Tenant Admin of its tenant to see it: until
-- then `settled_at` is NULL and the next admin who signs in gets it. It is
-- settled when shown, or when a later reminder of the tenant supersedes it.
ALTER TABLE billing_reminders ADD COLUMN settled_at INTEGER;
UPDATE billing_reminders SET settled_at = sent_at;
CREATE INDEX billing_reminders_unsettled ON billing_reminders(tenant_id) WHERE settled_at IS NULL;

-- When the person handling a conversation accepted it. An assignment by
-- someone else is offered until then; the conversations assigned before this
-- version count as accepted.
ALTER TABLE conversations ADD COLUMN accepted_at INTEGER;
UPDATE conversations SET accepted_at = created_at WHERE operator_account_id IS NOT NULL;
