-- Accounts and authority: the idle lock, where one is signed in, remembered
-- sign-ins that end for good, and how an audited action came in.

-- The last input in the window (the idle lock counts from it, and "Where
-- you're signed in" shows it), and when the window locked. A locked session
-- does nothing until its person's password (and code) unlock it.
ALTER TABLE login_sessions ADD COLUMN last_active_at INTEGER;
ALTER TABLE login_sessions ADD COLUMN locked_at INTEGER;
UPDATE login_sessions SET last_active_at = created_at;

-- When a remembered sign-in was last used to start the app, and whether its
-- window was locked when the app closed (it then starts locked again).
ALTER TABLE remembered_sign_ins ADD COLUMN last_used_at INTEGER;
ALTER TABLE remembered_sign_ins ADD COLUMN locked_at INTEGER;
UPDATE remembered_sign_ins SET last_used_at = created_at;

-- Minutes without input after which a window of the tenant's members locks
-- (OWASP ASVS 7.3.1). A person in several tenants gets the shortest.
ALTER TABLE tenants ADD COLUMN idle_lock_minutes INTEGER NOT NULL DEFAULT 15
    CHECK (idle_lock_minutes BETWEEN 1 AND 480);

-- How an audited change came in: NULL for the window, 'tenant_api_key' or
-- 'personal_api_key' for the tenant API.
ALTER TABLE audit_log ADD COLUMN via TEXT;
-- Entries of no tenant: the install's own (platform administrators read
-- them) and those about one account, such as its sign-ins.
CREATE INDEX audit_log_untenanted ON audit_log(at) WHERE tenant_id IS NULL;
CREATE INDEX audit_log_subject ON audit_log(subject_account_id, at) WHERE tenant_id IS NULL;

-- Add User with the address of an existing account invites that person:
-- they become a member (and come under the tenant's rules, such as Require
-- MFA) only once they accept. Answered invitations are gone; the audit log
-- keeps what happened.
CREATE TABLE invitations (
    id          INTEGER PRIMARY KEY,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    role        TEXT NOT NULL CHECK (role IN ('tenant_admin', 'tenant_user', 'tenant_viewer', 'tenant_operator')),
    -- The operator schedule chosen with the invitation, as JSON; Tenant Operators only.
    schedule    TEXT,
    invited_by  INTEGER REFERENCES accounts(id),
    created_at  INTEGER NOT NULL,
    UNIQUE (tenant_id, account_id)
);
CREATE INDEX invitations_account ON invitations(account_id);

-- When an address last tried to sign in: its throttle row is forgotten a day
-- after that, never sooner (a count must not reset while someone guesses).
ALTER TABLE sign_in_throttle ADD COLUMN last_attempt_at INTEGER;
-- Upkeep finds what to forget by time.
CREATE INDEX api_idempotency_created ON api_idempotency(created_at);
CREATE INDEX login_sessions_ended ON login_sessions(ended_at) WHERE ended_at IS NOT NULL;
-- A key's claim now commits with its write and keeps the core's reply:
-- replies kept in the earlier form (at most a day old) are let go.
DELETE FROM api_idempotency;

-- A snapshot being imported (or removed) in short transactions: hidden from
-- every list until its last transaction makes it whole (or it is gone). One
-- listed when the app starts was cut short by a stopped app, and is removed.
CREATE TABLE unfinished_snapshots (
    tenant_id  INTEGER PRIMARY KEY REFERENCES tenants(id)
);
