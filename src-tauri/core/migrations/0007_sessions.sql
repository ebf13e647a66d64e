-- Conversation sessions of a tenant, their messages, the replies kept for
-- the tenant API's idempotency keys, and the local API's settings.

-- `operator_account_id`: the Tenant Operator (or Tenant Admin) handling the
-- conversation; NULL while it waits for one. `customer_replied`: the customer
-- wrote at least one message ("Answered only" billing counts only those).
CREATE TABLE conversations (
    id                   INTEGER PRIMARY KEY,
    tenant_id            INTEGER NOT NULL REFERENCES tenants(id),
    channel              TEXT NOT NULL,
    customer             TEXT NOT NULL,
    operator_account_id  INTEGER REFERENCES accounts(id),
    status               TEXT NOT NULL CHECK (status IN ('open', 'resolved')),
    created_at           INTEGER NOT NULL,
    last_activity_at     INTEGER NOT NULL,
    customer_replied     INTEGER NOT NULL DEFAULT 0,
    message_count        INTEGER NOT NULL DEFAULT 0
);
-- The list is newest activity first; each filter has an index in that order,
-- so a page of a large tenant stops after its rows.
CREATE INDEX conversations_tenant_activity ON conversations(tenant_id, last_activity_at, id);
CREATE INDEX conversations_tenant_status ON conversations(tenant_id, status, last_activity_at, id);
CREATE INDEX conversations_tenant_operator ON conversations(tenant_id, operator_account_id, last_activity_at, id);
CREATE INDEX conversations_tenant_channel ON conversations(tenant_id, channel, last_activity_at, id);
CREATE INDEX conversations_tenant_created ON conversations(tenant_id, created_at);
-- The menu badge: open conversations waiting for an operator.
CREATE INDEX conversations_waiting ON conversations(tenant_id) WHERE status = 'open' AND operator_account_id IS NULL;

CREATE TABLE messages (
    id               INTEGER PRIMARY KEY,
    conversation_id  INTEGER NOT NULL REFERENCES conversations(id),
    author           TEXT NOT NULL CHECK (author IN ('customer', 'operator', 'ai_agent')),
    text             TEXT NOT NULL,
    at               INTEGER NOT NULL
);
CREATE INDEX messages_conversation ON messages(conversation_id, at, id);

-- Word search in message text (prefix queries, accents ignored). Messages
-- are never edited or deleted, so only inserts feed the index.
CREATE VIRTUAL TABLE message_search USING fts5(
    text, content = 'messages', content_rowid = 'id', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER messages_search_insert AFTER INSERT ON messages BEGIN
    INSERT INTO message_search (rowid, text) VALUES (new.id, new.text);
END;

-- A write of the tenant API sent with an idempotency key, and the reply it
-- got, so a retry with the same key gets the same reply without a second
-- write. `caller` names the key that sent it ("tenant" or "account:<id>");
-- `fingerprint` is a hash of the request, so a different request reusing
-- the key is refused. `status` is NULL while the first request is running.
CREATE TABLE api_idempotency (
    tenant_id    INTEGER NOT NULL REFERENCES tenants(id),
    caller       TEXT NOT NULL,
    key          TEXT NOT NULL,
    fingerprint  TEXT NOT NULL,
    status       INTEGER,
    body         TEXT,
    created_at   INTEGER NOT NULL,
    PRIMARY KEY (tenant_id, caller, key)
);

-- The local HTTP tenant API of this install: off until an administrator
-- turns it on.
CREATE TABLE local_api_settings (
    id       INTEGER PRIMARY KEY CHECK (id = 1),
    enabled  INTEGER NOT NULL,
    port     INTEGER NOT NULL CHECK (port BETWEEN 1024 AND 65535)
);
INSERT INTO local_api_settings (id, enabled, port) VALUES (1, 0, 8787);
