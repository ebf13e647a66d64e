-- Operators' replies leave through the tenant API: the platform reads them
-- after a cursor, and a tenant may also name a delivery address (a webhook)
-- that each reply is POSTed to.
ALTER TABLE tenants ADD COLUMN delivery_url TEXT;

-- The outbox: one row per reply written in the window while the tenant had a
-- delivery address, in the same transaction as the message. `next_at`: when
-- the next attempt is due (pending and retrying only).
CREATE TABLE reply_deliveries (
    message_id  INTEGER PRIMARY KEY REFERENCES messages(id) ON DELETE CASCADE,
    tenant_id   INTEGER NOT NULL REFERENCES tenants(id),
    state       TEXT NOT NULL CHECK (state IN ('pending', 'retrying', 'sent', 'failed')),
    attempts    INTEGER NOT NULL DEFAULT 0,
    next_at     INTEGER,
    last_error  TEXT,
    sent_at     INTEGER
);
CREATE INDEX reply_deliveries_due ON reply_deliveries(next_at) WHERE state IN ('pending', 'retrying');
