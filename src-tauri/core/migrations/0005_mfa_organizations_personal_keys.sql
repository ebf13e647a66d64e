-- MFA (TOTP, RFC 6238), the organization switcher and personal API keys.

-- An account with MFA on. The TOTP secret itself lives in the OS keyring (it
-- must be read back to check codes); here only when MFA was turned on and the
-- last time step a code was accepted for, so no code is ever accepted twice.
CREATE TABLE account_mfa (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id),
    enabled_at  INTEGER NOT NULL,
    last_step   INTEGER NOT NULL
);

-- Ten single-use recovery codes per account with MFA, as SHA-256 hashes
-- (80 random bits each). Regenerating replaces them all.
CREATE TABLE mfa_recovery_codes (
    id          INTEGER PRIMARY KEY,
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    code_hash   TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    used_at     INTEGER
);
CREATE INDEX mfa_recovery_codes_account ON mfa_recovery_codes(account_id);

-- A session whose password was right but whose second factor is still to come:
-- nothing opens until a code (or a recovery code) is accepted.
ALTER TABLE login_sessions ADD COLUMN awaiting_code INTEGER NOT NULL DEFAULT 0;

-- The organization last chosen in the switcher; the next sign-in opens there
-- while the account is still a member.
ALTER TABLE accounts ADD COLUMN current_tenant_id INTEGER REFERENCES tenants(id);

-- Personal API keys: calls made on a person's behalf, with their role in the
-- tenant the key was created in. Only the SHA-256 of the key is kept.
CREATE TABLE personal_api_keys (
    id            INTEGER PRIMARY KEY,
    account_id    INTEGER NOT NULL REFERENCES accounts(id),
    tenant_id     INTEGER NOT NULL REFERENCES tenants(id),
    name          TEXT NOT NULL,
    key_hash      TEXT NOT NULL UNIQUE,
    created_at    INTEGER NOT NULL,
    expires_at    INTEGER,
    last_used_at  INTEGER,
    revoked_at    INTEGER
);
CREATE INDEX personal_api_keys_owner ON personal_api_keys(account_id, tenant_id);
