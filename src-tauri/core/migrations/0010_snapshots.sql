-- Read-only snapshots: a tenant imported from an archive. The tenant row is
-- marked read_only; this table says where its data came from and as of when.
-- `source_install_id` and `source_tenant_id` name the exported tenant, so two
-- snapshots of one tenant can be compared.
CREATE TABLE snapshots (
    tenant_id          INTEGER PRIMARY KEY REFERENCES tenants(id),
    source_install_id  TEXT NOT NULL,
    source_tenant_id   INTEGER NOT NULL,
    source_name        TEXT NOT NULL,
    data_as_of         INTEGER NOT NULL,
    format_version     INTEGER NOT NULL,
    imported_at        INTEGER NOT NULL,
    imported_by        INTEGER REFERENCES accounts(id)
);
CREATE INDEX snapshots_source ON snapshots(source_install_id, source_tenant_id, data_as_of);

-- The importing account's way into a snapshot: a membership that is not part
-- of the archived data, so the Users table and exports leave it out.
ALTER TABLE memberships ADD COLUMN snapshot_reader INTEGER NOT NULL DEFAULT 0;
CREATE INDEX memberships_snapshot_readers ON memberships(tenant_id) WHERE snapshot_reader = 1;
