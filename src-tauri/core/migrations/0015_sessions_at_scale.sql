-- The menu badge asks how many open conversations wait for an operator after
-- every change; counting them in an index grows with the tenant, so the
-- count is kept beside it, changed by the same writes that change it.
CREATE TABLE conversation_counts (
    tenant_id  INTEGER PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    waiting    INTEGER NOT NULL DEFAULT 0 CHECK (waiting >= 0)
);
INSERT INTO conversation_counts (tenant_id, waiting)
    SELECT tenant_id, count(*) FROM conversations
     WHERE status = 'open' AND operator_account_id IS NULL GROUP BY tenant_id;

CREATE TRIGGER conversations_waiting_insert AFTER INSERT ON conversations
    WHEN new.status = 'open' AND new.operator_account_id IS NULL BEGIN
    INSERT INTO conversation_counts (tenant_id, waiting) VALUES (new.tenant_id, 1)
        ON CONFLICT (tenant_id) DO UPDATE SET waiting = waiting + 1;
END;
CREATE TRIGGER conversations_waiting_delete AFTER DELETE ON conversations
    WHEN old.status = 'open' AND old.operator_account_id IS NULL BEGIN
    UPDATE conversation_counts SET waiting = waiting - 1 WHERE tenant_id = old.tenant_id;
END;
CREATE TRIGGER conversations_waiting_update AFTER UPDATE OF tenant_id, status, operator_account_id ON conversations
    WHEN (old.status = 'open' AND old.operator_account_id IS NULL) OR (new.status = 'open' AND new.operator_account_id IS NULL) BEGIN
    UPDATE conversation_counts SET waiting = waiting - 1
     WHERE tenant_id = old.tenant_id AND old.status = 'open' AND old.operator_account_id IS NULL;
    INSERT INTO conversation_counts (tenant_id, waiting)
        SELECT new.tenant_id, 1 WHERE new.status = 'open' AND new.operator_account_id IS NULL
        ON CONFLICT (tenant_id) DO UPDATE SET waiting = waiting + 1;
END;

-- A date range of the Sessions list is read from this index alone, then
-- ordered by activity: no conversation row is visited for the range.
DROP INDEX conversations_tenant_created;
CREATE INDEX conversations_tenant_created ON conversations(tenant_id, created_at, last_activity_at, id);
