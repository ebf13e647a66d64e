-- SQLite's version 16 keeps its FTS5 word index by hand instead of by a
-- trigger. PostgreSQL's word index (`messages_words`) is an expression index
-- on the messages, which it keeps itself: nothing changes here, and the
-- version stays the same number on both stores.
SELECT 1;
