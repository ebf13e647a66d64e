-- Billing: plans (data, not code), each tenant's subscription and its one
-- trial, billable sessions, reminders sent, payment methods on file, the
-- credits ledger.

-- `sessions_included` NULL: set per subscription (Individual's custom
-- limits). `period`: the length of a billing period. `billed`: when the
-- price is invoiced. `extra_session_cents`: the price of each session over
-- the limit of the plan it is an add-on to (`add_on_to`).
CREATE TABLE plans (
    key                  TEXT PRIMARY KEY,
    name                 TEXT NOT NULL,
    sessions_included    INTEGER,
    price_cents          INTEGER NOT NULL,
    currency             TEXT NOT NULL,
    period               TEXT NOT NULL CHECK (period IN ('month', 'year')),
    billed               TEXT NOT NULL CHECK (billed IN ('free', 'period_start', 'period_end', 'custom')),
    extra_session_cents  INTEGER,
    add_on_to            TEXT REFERENCES plans(key),
    answered_only        INTEGER NOT NULL DEFAULT 0,
    credit_based         INTEGER NOT NULL DEFAULT 0,
    on_registration      INTEGER NOT NULL DEFAULT 0,
    position             INTEGER NOT NULL
);
INSERT INTO plans (key, name, sessions_included, price_cents, currency, period, billed, extra_session_cents, add_on_to, on_registration, position) VALUES
    ('playground', 'Playground', 300, 0, 'EUR', 'year', 'free', NULL, NULL, 1, 1),
    ('sme', 'SME', 600, 15000, 'EUR', 'month', 'period_start', NULL, NULL, 0, 2),
    ('sme_extra_sessions', 'SME Extra Sessions', NULL, 0, 'EUR', 'month', 'period_end', 50, 'sme', 0, 3),
    ('individual', 'Individual', NULL, 0, 'EUR', 'month', 'custom', NULL, NULL, 0, 4);

-- A tenant without a row is on the registration plan since it was created.
-- `started_at` anchors the billing periods. `extra_sessions`: SME Extra
-- Sessions is on. The `custom_*` columns are Individual's terms.
CREATE TABLE subscriptions (
    tenant_id             INTEGER PRIMARY KEY REFERENCES tenants(id),
    plan_key              TEXT NOT NULL REFERENCES plans(key),
    extra_sessions        INTEGER NOT NULL DEFAULT 0,
    custom_sessions       INTEGER,
    custom_answered_only  INTEGER NOT NULL DEFAULT 0,
    custom_credit_based   INTEGER NOT NULL DEFAULT 0,
    started_at            INTEGER NOT NULL,
    portal_url            TEXT NOT NULL DEFAULT ''
);

-- One trial per tenant, ever: the primary key refuses a second.
CREATE TABLE trials (
    tenant_id       INTEGER PRIMARY KEY REFERENCES tenants(id),
    started_at      INTEGER NOT NULL,
    ends_at         INTEGER NOT NULL,
    sessions_limit  INTEGER NOT NULL CHECK (sessions_limit > 0)
);

-- Each started 24-hour window of a conversation: window `idx` starts at
-- created_at + idx × 24 h and counts in the billing period holding that
-- instant. Kept up to date as messages arrive, in the same transaction.
-- `credit_spent`: on a credit-based plan, whether a credit paid for it.
CREATE TABLE billable_windows (
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id),
    idx              INTEGER NOT NULL CHECK (idx >= 0),
    tenant_id        INTEGER NOT NULL REFERENCES tenants(id),
    starts_at        INTEGER NOT NULL,
    credit_spent     INTEGER,
    PRIMARY KEY (conversation_id, idx)
) WITHOUT ROWID;
CREATE INDEX billable_windows_tenant_start ON billable_windows(tenant_id, starts_at);

-- Conversations stored before this migration get their windows now.
INSERT INTO billable_windows (conversation_id, idx, tenant_id, starts_at)
WITH RECURSIVE w(conversation_id, idx, tenant_id, created_at, last_at) AS (
    SELECT id, 0, tenant_id, created_at, max(created_at, last_activity_at) FROM conversations
    UNION ALL
    SELECT conversation_id, idx + 1, tenant_id, created_at, last_at FROM w
     WHERE created_at + (idx + 1) * 86400000 <= last_at
)
SELECT conversation_id, idx, tenant_id, created_at + idx * 86400000 FROM w;

-- A reminder sent for a tenant's trial; the primary key makes it once.
CREATE TABLE billing_reminders (
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
    reminder   TEXT NOT NULL,
    sent_at    INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, reminder)
);

-- Cards on file, as the billing portal reports them: never the number.
CREATE TABLE payment_methods (
    id         INTEGER PRIMARY KEY,
    tenant_id  INTEGER NOT NULL REFERENCES tenants(id),
    brand      TEXT NOT NULL,
    last4      TEXT NOT NULL CHECK (length(last4) = 4 AND last4 NOT GLOB '*[^0-9]*'),
    exp_month  INTEGER NOT NULL CHECK (exp_month BETWEEN 1 AND 12),
    exp_year   INTEGER NOT NULL,
    added_at   INTEGER NOT NULL
);
CREATE INDEX payment_methods_tenant ON payment_methods(tenant_id);

-- The credits ledger: the balance is the sum of `amount`. `balance_after`
-- is written in the same transaction and can never be negative.
CREATE TABLE credit_transactions (
    id                INTEGER PRIMARY KEY,
    tenant_id         INTEGER NOT NULL REFERENCES tenants(id),
    at                INTEGER NOT NULL,
    kind              TEXT NOT NULL CHECK (kind IN ('added', 'spent')),
    amount            INTEGER NOT NULL CHECK (amount <> 0),
    balance_after     INTEGER NOT NULL CHECK (balance_after >= 0),
    note              TEXT NOT NULL,
    actor_account_id  INTEGER REFERENCES accounts(id)
);
CREATE INDEX credit_transactions_tenant_at ON credit_transactions(tenant_id, at, id);
