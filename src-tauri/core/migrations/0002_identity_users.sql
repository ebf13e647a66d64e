-- Settings > Identity > Users: temporary passwords, user search, audit filters.

-- Set when an administrator chose the password (creation, reset): the person
-- must pick a new one before anything else opens (OWASP ASVS 6.4.1).
ALTER TABLE accounts ADD COLUMN must_change_password INTEGER NOT NULL DEFAULT 0;

-- The Users table's search, one row per membership (a user of a tenant), so
-- the index yields users in ID order and a page stops after its 50 rows.
-- `text` is name and email folded to lower case by `fold_case` (Rust's Unicode
-- lowering, a function the store registers on its connection; SQLite's
-- `lower` only knows ASCII), so "ÉLODIE" finds "élodie". Name and email are
-- joined, and ended, by U+0001, which no search term can contain: no match
-- spans the two, and every occurrence of a one- or two-character term begins
-- some trigram. `name_key` (`sort_key`: lower case without accents) sorts by
-- name the way people read it ("Élodie" before "Tomás").
CREATE TABLE user_search_text (
    membership_id  INTEGER PRIMARY KEY,
    text           TEXT NOT NULL,
    name_key       TEXT NOT NULL
);
CREATE INDEX user_search_text_name ON user_search_text(name_key);
-- FTS5 with the trigram tokenizer over `text`: substring search by index.
CREATE VIRTUAL TABLE user_search USING fts5(
    text, content = 'user_search_text', content_rowid = 'membership_id', tokenize = 'trigram'
);
CREATE VIRTUAL TABLE user_search_vocab USING fts5vocab(user_search, row);

CREATE TRIGGER user_search_text_insert AFTER INSERT ON user_search_text BEGIN
    INSERT INTO user_search (rowid, text) VALUES (new.membership_id, new.text);
END;
CREATE TRIGGER user_search_text_delete AFTER DELETE ON user_search_text BEGIN
    INSERT INTO user_search (user_search, rowid, text) VALUES ('delete', old.membership_id, old.text);
END;
CREATE TRIGGER user_search_text_update AFTER UPDATE OF text ON user_search_text BEGIN
    INSERT INTO user_search (user_search, rowid, text) VALUES ('delete', old.membership_id, old.text);
    INSERT INTO user_search (rowid, text) VALUES (new.membership_id, new.text);
END;

INSERT INTO user_search_text (membership_id, text, name_key)
    SELECT m.id, fold_case(a.name) || char(1) || fold_case(a.email) || char(1), sort_key(a.name)
      FROM memberships m JOIN accounts a ON a.id = m.account_id;

CREATE TRIGGER memberships_search_insert AFTER INSERT ON memberships BEGIN
    INSERT INTO user_search_text (membership_id, text, name_key)
        SELECT new.id, fold_case(a.name) || char(1) || fold_case(a.email) || char(1), sort_key(a.name)
          FROM accounts a WHERE a.id = new.account_id;
END;
CREATE TRIGGER memberships_search_delete AFTER DELETE ON memberships BEGIN
    DELETE FROM user_search_text WHERE membership_id = old.id;
END;
CREATE TRIGGER accounts_search_update AFTER UPDATE OF name, email ON accounts BEGIN
    UPDATE user_search_text
       SET text = fold_case(new.name) || char(1) || fold_case(new.email) || char(1), name_key = sort_key(new.name)
     WHERE membership_id IN (SELECT id FROM memberships WHERE account_id = new.id);
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
