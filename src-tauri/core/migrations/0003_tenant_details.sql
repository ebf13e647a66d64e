-- The tenant API key: the key itself lives in the OS keyring of the machine that
-- created it; here only its SHA-256, to verify calls. One live key per tenant:
-- rotating replaces the row, so the old key stops verifying at once.
CREATE TABLE tenant_api_keys (
    tenant_id   INTEGER PRIMARY KEY REFERENCES tenants(id),
    key_hash    TEXT NOT NULL UNIQUE,
    created_at  INTEGER NOT NULL,
    created_by  INTEGER REFERENCES accounts(id)
);

-- Owners are counted per account (at most 3 tenants each).
CREATE INDEX tenants_owner ON tenants(owner_account_id);
