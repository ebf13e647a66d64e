-- Closing the window keeps the app running in the tray (the default) so
-- notifications keep coming, or quits; and whether the one-line notice that
-- explains it was shown to the person already.
ALTER TABLE account_preferences ADD COLUMN keep_running_when_closed INTEGER NOT NULL DEFAULT 1;
ALTER TABLE account_preferences ADD COLUMN tray_notice_shown INTEGER NOT NULL DEFAULT 0;
