-- Settings > Identity > Users: temporary passwords, user search, audit filters.

-- Set when an administrator chose the password (creation, reset): the person
-- must pick a new one before anything else opens (OWASP ASVS 6.4.1).
ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

-- Substring search over name and email. `account_search_text` holds, per
-- account, name and email folded to lower case by `fold_case` (Rust's Unicode
-- lowering, a function the store registers on its connection; SQLite's `lower`
-- only knows ASCII), so "ÉLODIE" finds "élodie". Name and email are joined by
-- U+0001, which no search term can contain, so no match spans the two.
-- `account_search` indexes that text with FTS5's trigram tokenizer: terms of
-- three characters or more are found by index; shorter ones by scanning the
-- folded text. `name_key` (`sort_key`: lower case without accents) sorts the
-- Users table by name the way people read it ("Élodie" before "Tomás").
CREATE TABLE account_search_text (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id),
    text        TEXT NOT NULL,
    name_key    TEXT NOT NULL
);
CREATE INDEX account_search_text_name ON account_search_text(name_key);
CREATE VIRTUAL TABLE account_search USING fts5(
    text, content = 'account_search_text', content_rowid = 'account_id', tokenize = 'trigram'
);

CREATE TRIGGER account_search_text_insert AFTER INSERT ON account_search_text BEGIN
    INSERT INTO account_search (rowid, text) VALUES (new.account_id, new.text);
END;
CREATE TRIGGER account_search_text_delete AFTER DELETE ON account_search_text BEGIN
    INSERT INTO account_search (account_search, rowid, text) VALUES ('delete', old.account_id, old.text);
END;
CREATE TRIGGER account_search_text_update AFTER UPDATE OF text ON account_search_text BEGIN
    INSERT INTO account_search (account_search, rowid, text) VALUES ('delete', old.account_id, old.text);
    INSERT INTO account_search (rowid, text) VALUES (new.account_id, new.text);
END;

INSERT INTO account_search_text (account_id, text, name_key)
    SELECT id, fold_case(name) || char(1) || fold_case(email), sort_key(name) FROM accounts;

CREATE TRIGGER accounts_search_insert AFTER INSERT ON accounts BEGIN
    INSERT INTO account_search_text (account_id, text, name_key)
        VALUES (new.id, fold_case(new.name) || char(1) || fold_case(new.email), sort_key(new.name));
END;
CREATE TRIGGER accounts_search_update AFTER UPDATE OF name, email ON accounts BEGIN
    UPDATE account_search_text
       SET text = fold_case(new.name) || char(1) || fold_case(new.email), name_key = sort_key(new.name)
     WHERE account_id = new.id;
END;
CREATE TRIGGER accounts_search_delete AFTER DELETE ON accounts BEGIN
    DELETE FROM account_search_text WHERE account_id = old.id;
END;

-- Sorting the Users table by a column of a tenant with 100,000 members.
CREATE INDEX memberships_tenant_role ON memberships(tenant_id, role);
CREATE INDEX memberships_tenant_created ON memberships(tenant_id, created_at);
CREATE INDEX memberships_tenant_modified ON memberships(tenant_id, modified_at);
CREATE INDEX memberships_account ON memberships(account_id);

-- The account a change was about, so the audit log can be filtered by user
-- (as actor or as subject) and the history survives the user's deletion.
ALTER TABLE audit_log ADD COLUMN subject_account_id INTEGER REFERENCES accounts(id);
CREATE INDEX audit_log_tenant_subject ON audit_log(tenant_id, subject_account_id);
CREATE INDEX audit_log_tenant_actor ON audit_log(tenant_id, actor_account_id);
