-- SQLite's version 18 gives each snapshot a word index of its own.
-- PostgreSQL's word index (`messages_words`) is an expression index on the
-- messages: nothing changes here, and the version stays the same number on
-- both stores.
SELECT 1;
