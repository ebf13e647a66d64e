-- Desktop notifications, per account on this install: whether the person has
-- enabled or blocked them (no row: not decided yet), and the categories they
-- turned off (no row: on).
CREATE TABLE notification_consent (
    account_id  INTEGER PRIMARY KEY REFERENCES accounts(id),
    consent     TEXT NOT NULL CHECK (consent IN ('enabled', 'blocked')),
    decided_at  INTEGER NOT NULL
);

CREATE TABLE notification_categories_off (
    account_id  INTEGER NOT NULL REFERENCES accounts(id),
    category    TEXT NOT NULL,
    PRIMARY KEY (account_id, category)
) WITHOUT ROWID;
