-- Profile: personal contact details, the avatar, and preferences, per account.

-- Optional; the phone follows the tenant phone rule (7–15 digits, optional +).
ALTER TABLE accounts ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE accounts ADD COLUMN company TEXT NOT NULL DEFAULT '';

-- The picked image, decoded and stored as a 256 × 256 PNG (never the original file).
CREATE TABLE account_avatars (
    account_id   INTEGER PRIMARY KEY REFERENCES accounts(id),
    png          BLOB NOT NULL,
    modified_at  INTEGER NOT NULL
);

-- No row means the defaults: toasts on, the system theme, nothing pinned.
-- `pinned_section` is a menu section key (`menu::Section`, snake_case).
CREATE TABLE account_preferences (
    account_id      INTEGER PRIMARY KEY REFERENCES accounts(id),
    show_toasts     INTEGER NOT NULL DEFAULT 1,
    theme           TEXT NOT NULL DEFAULT 'system' CHECK (theme IN ('system', 'light', 'dark')),
    pinned_section  TEXT,
    modified_at     INTEGER NOT NULL
);
