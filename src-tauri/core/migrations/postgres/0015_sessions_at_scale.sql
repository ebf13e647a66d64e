-- The menu badge's count, kept beside the conversations, and the date range
-- read from its index alone (SQLite's 0015).
DROP INDEX conversations_tenant_created;
CREATE INDEX conversations_tenant_created ON conversations(tenant_id, created_at, last_activity_at, id);

CREATE TABLE conversation_counts (
    tenant_id  BIGINT PRIMARY KEY REFERENCES tenants(id) ON DELETE CASCADE,
    waiting    BIGINT NOT NULL DEFAULT 0 CHECK (waiting >= 0)
);
INSERT INTO conversation_counts (tenant_id, waiting)
    SELECT tenant_id, count(*) FROM conversations
     WHERE status = 'open' AND operator_account_id IS NULL GROUP BY tenant_id;

CREATE FUNCTION conversations_waiting_count() RETURNS trigger
    LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.status = 'open' AND OLD.operator_account_id IS NULL THEN
        UPDATE conversation_counts SET waiting = waiting - 1 WHERE tenant_id = OLD.tenant_id;
    END IF;
    IF TG_OP IN ('INSERT', 'UPDATE') AND NEW.status = 'open' AND NEW.operator_account_id IS NULL THEN
        INSERT INTO conversation_counts (tenant_id, waiting) VALUES (NEW.tenant_id, 1)
            ON CONFLICT (tenant_id) DO UPDATE SET waiting = conversation_counts.waiting + 1;
    END IF;
    RETURN NULL;
END
$$;
CREATE TRIGGER conversations_waiting_count AFTER INSERT OR DELETE OR UPDATE OF tenant_id, status, operator_account_id
    ON conversations FOR EACH ROW EXECUTE FUNCTION conversations_waiting_count();

-- Words as SQLite's tokenizer reads them. The default parser keeps some
-- punctuation inside its tokens ("-0" a signed number, "1.5" a number,
-- "a@b.com" an address, "example.com/x" a path), so a search for "0",
-- "5", "b" or "example" would miss what SQLite finds. ASCII punctuation
-- becomes a space after the folding (unaccent turns some marks into it, such
-- as NFKC's fraction slash of "½"), so the parser sees words only.
CREATE FUNCTION desk_words(text) RETURNS text
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN translate(
        desk_unaccent(lower(normalize($1, NFKC))),
        '!"#$%&''()*+,-./:;<=>?@[\]^_`{|}~',
        '                                '
    );

-- The search of what people typed: its words, one per line, each folded and
-- split by the same function; every piece must be there, as a prefix unless
-- the word is a single letter (a one-letter prefix would read most of the
-- index), as on SQLite.
CREATE FUNCTION desk_words_query(text) RETURNS tsquery
    LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE
    RETURN (
        SELECT coalesce(
                   string_agg(
                       quote_literal(piece.lexeme)
                           || CASE WHEN length(replace(desk_words(word), ' ', '')) >= 2 THEN ':*' ELSE '' END,
                       ' & '
                   ),
                   ''
               )::tsquery
          FROM unnest(string_to_array($1, E'\n')) AS word,
               unnest(to_tsvector('simple', desk_words(word))) AS piece
    );

DROP INDEX messages_words;
CREATE INDEX messages_words ON messages USING gin (to_tsvector('simple', desk_words(text)));
