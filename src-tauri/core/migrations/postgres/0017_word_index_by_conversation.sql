-- SQLite's version 17 lays out its FTS5 word index by conversation.
-- PostgreSQL's word index (`messages_words`) is an expression index on the
-- messages: nothing changes here, and the version stays the same number on
-- both stores.
SELECT 1;
