-- The word index names each message by its conversation: its row is the
-- conversation's id times 2^32 plus the message's id modulo 2^32 (unique
-- while a conversation's messages are fewer than 2^32 ids apart, and
-- positive below 2^31 conversations). A search then reads the matching
-- conversations from the index alone, instead of looking up every matching
-- message, and finds them already in conversation order. The index keeps no
-- copy of the text (`content=''`) and no per-row sizes (`columnsize=0`): it
-- is only searched, never ranked or read back.
DROP TABLE message_search;
CREATE VIRTUAL TABLE message_search USING fts5(
    text, content = '', columnsize = 0, tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO message_search (rowid, text)
SELECT (conversation_id << 32) | (id & 4294967295), text FROM messages ORDER BY 1;
-- The index's terms, to tell whether a typed word starts any longer word.
CREATE VIRTUAL TABLE message_search_terms USING fts5vocab(message_search, instance);
