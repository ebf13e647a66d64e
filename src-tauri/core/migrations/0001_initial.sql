-- Timestamps are UTC milliseconds since the Unix epoch.

CREATE TABLE install (
    id          INTEGER PRIMARY KEY CHECK (id = 1),
    install_id  TEXT NOT NULL,
    created_at  INTEGER NOT NULL
);

CREATE TABLE accounts (
    id                 INTEGER PRIMARY KEY,
    email              TEXT NOT NULL,
    email_key          TEXT NOT NULL UNIQUE,
    name               TEXT NOT NULL,
    password_hash      TEXT NOT NULL,
    is_platform_admin  INTEGER NOT NULL DEFAULT 0,
    deleted_at         INTEGER,
    created_at         INTEGER NOT NULL,
    modified_at        INTEGER NOT NULL
);

CREATE TABLE tenants (
    id                INTEGER PRIMARY KEY,
    name              TEXT NOT NULL,
    description       TEXT NOT NULL DEFAULT '',
    billing_email     TEXT NOT NULL DEFAULT '',
    phone             TEXT NOT NULL DEFAULT '',
    website           TEXT NOT NULL DEFAULT '',
    country           TEXT NOT NULL DEFAULT '',
    street            TEXT NOT NULL DEFAULT '',
    zip_code          TEXT NOT NULL DEFAULT '',
    timezone          TEXT NOT NULL,
    labels            TEXT NOT NULL DEFAULT '[]',
    read_only         INTEGER NOT NULL DEFAULT 0,
    require_mfa       INTEGER NOT NULL DEFAULT 0,
    owner_account_id  INTEGER REFERENCES accounts(id),
    created_at        INTEGER NOT NULL,
    modified_at       INTEGER NOT NULL
);

CREATE TABLE memberships (
    id           INTEGER PRIMARY KEY,
    account_id   INTEGER NOT NULL REFERENCES accounts(id),
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    role         TEXT NOT NULL CHECK (role IN ('tenant_admin', 'tenant_user', 'tenant_viewer', 'tenant_operator')),
    created_at   INTEGER NOT NULL,
    modified_at  INTEGER NOT NULL,
    UNIQUE (account_id, tenant_id)
);
CREATE INDEX memberships_tenant ON memberships(tenant_id);

-- An operator's working hours, entered in `zone`; minutes from local midnight.
CREATE TABLE operator_schedules (
    membership_id  INTEGER PRIMARY KEY REFERENCES memberships(id) ON DELETE CASCADE,
    zone           TEXT NOT NULL
);
CREATE TABLE operator_schedule_ranges (
    membership_id  INTEGER NOT NULL REFERENCES operator_schedules(membership_id) ON DELETE CASCADE,
    weekday        INTEGER NOT NULL CHECK (weekday BETWEEN 0 AND 6), -- 0 = Monday
    start_minute   INTEGER NOT NULL CHECK (start_minute BETWEEN 0 AND 1440),
    end_minute     INTEGER NOT NULL CHECK (end_minute BETWEEN 0 AND 1440),
    CHECK (end_minute > start_minute)
);
CREATE INDEX operator_schedule_ranges_membership ON operator_schedule_ranges(membership_id);

-- "Keep me signed in": the token itself lives in the OS keyring; only its hash is here.
CREATE TABLE remembered_sign_ins (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    token_hash  TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    expires_at  INTEGER NOT NULL,
    revoked_at  INTEGER
);
CREATE INDEX remembered_sign_ins_account ON remembered_sign_ins(account_id);

-- A signed-in window. The id is the hash of a token held only in memory.
CREATE TABLE login_sessions (
    id             TEXT PRIMARY KEY,
    account_id     INTEGER NOT NULL REFERENCES accounts(id),
    tenant_id      INTEGER REFERENCES tenants(id),
    remembered_id  INTEGER REFERENCES remembered_sign_ins(id),
    created_at     INTEGER NOT NULL,
    ended_at       INTEGER
);
CREATE INDEX login_sessions_account ON login_sessions(account_id);

-- Failed sign-ins per email key, whether or not such an account exists, so the
-- throttle says nothing about which emails are registered.
CREATE TABLE sign_in_throttle (
    email_key     TEXT PRIMARY KEY,
    failures      INTEGER NOT NULL,
    locked_until  INTEGER
);

CREATE TABLE audit_log (
    id                INTEGER PRIMARY KEY,
    at                INTEGER NOT NULL,
    actor_account_id  INTEGER REFERENCES accounts(id),
    tenant_id         INTEGER REFERENCES tenants(id),
    action            TEXT NOT NULL,
    subject           TEXT NOT NULL,
    before            TEXT,
    after             TEXT
);
CREATE INDEX audit_log_tenant_at ON audit_log(tenant_id, at);
