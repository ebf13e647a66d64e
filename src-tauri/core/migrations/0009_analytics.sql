-- Analytics: per-conversation times kept as messages arrive (so charts read
-- one index range instead of the messages), and chart data export jobs.

-- `first_customer_at`: the customer's first message. `first_response_at`:
-- the first operator message at or after it. `resolved_at`: when the
-- conversation was last resolved (NULL while open).
ALTER TABLE conversations ADD COLUMN first_customer_at INTEGER;
ALTER TABLE conversations ADD COLUMN first_response_at INTEGER;
ALTER TABLE conversations ADD COLUMN resolved_at INTEGER;

UPDATE conversations SET first_customer_at =
    (SELECT min(at) FROM messages m WHERE m.conversation_id = conversations.id AND m.author = 'customer');
UPDATE conversations SET first_response_at =
    (SELECT min(at) FROM messages m
      WHERE m.conversation_id = conversations.id AND m.author = 'operator' AND m.at >= conversations.first_customer_at)
 WHERE first_customer_at IS NOT NULL;
UPDATE conversations SET resolved_at = last_activity_at WHERE status = 'resolved';

-- Every chart reads the conversations started in a date range from this
-- index alone (it covers every column the charts use).
CREATE INDEX conversations_analytics ON conversations(
    tenant_id, created_at, channel, operator_account_id, status, first_customer_at, first_response_at, resolved_at
);

-- A chart data export: a background job writing a CSV into the data
-- folder's `exports/`. `operator_account_id`: the export holds only that
-- operator's work (NULL: the whole tenant). `state`: in_progress, done
-- (downloadable until `expires_at`), timed_out, expired (file deleted).
CREATE TABLE chart_exports (
    id                   INTEGER PRIMARY KEY,
    tenant_id            INTEGER NOT NULL REFERENCES tenants(id),
    account_id           INTEGER NOT NULL REFERENCES accounts(id),
    operator_account_id  INTEGER REFERENCES accounts(id),
    from_day             TEXT NOT NULL,
    to_day               TEXT NOT NULL,
    state                TEXT NOT NULL CHECK (state IN ('in_progress', 'done', 'timed_out', 'expired')),
    started_at           INTEGER NOT NULL,
    finished_at          INTEGER,
    expires_at           INTEGER,
    file_name            TEXT
);
CREATE INDEX chart_exports_owner ON chart_exports(tenant_id, account_id, started_at);
CREATE INDEX chart_exports_state ON chart_exports(state);

-- How long a finished export stays downloadable, per tenant (no row: 24 h).
CREATE TABLE chart_export_settings (
    tenant_id     INTEGER PRIMARY KEY REFERENCES tenants(id),
    expiry_hours  INTEGER NOT NULL CHECK (expiry_hours BETWEEN 1 AND 720)
);
