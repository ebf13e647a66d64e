//! The Sessions list's word search on SQLite: the conversations with a
//! matching message, read from the word index alone (its rows are named by
//! conversation, [`word_index::KEY`]), then the page of them the list's
//! filters and order keep.
//!
//! PostgreSQL's search is a condition of the list's own query
//! (`read.rs`), answered from its expression index on the messages.

use crate::store::sql::{params_from_iter, Tx, Value};

use super::word_index::{self, Index};
use crate::error::{Error, Result};

/// The FTS5 query for typed words: each one a quoted prefix, or the whole
/// term when the index holds no longer word that starts with it (FTS5
/// merges every term a prefix starts before it can answer, which for a
/// common word is most of the search's time; a whole term is read as it is
/// stored). A single character is always a whole word: a one-letter prefix
/// would read most of the index.
pub(super) fn fts5_query(tx: &Tx, index: &Index, words: &[String]) -> Result<String> {
    let letters = |w: &str| w.chars().filter(|c| !unicode_normalization::char::is_combining_mark(*c)).count();
    let mut query = Vec::with_capacity(words.len());
    for word in words {
        let whole = letters(word) < 2 || starts_no_longer_term(tx, index, word)?;
        query.push(if whole { format!("\"{word}\"") } else { format!("\"{word}\"*") });
    }
    Ok(query.join(" "))
}

/// Whether `index` holds `word` and no longer term starting with it.
/// Answered only for ASCII letters and digits, which the index's tokenizer
/// folds to lower case and nothing else; any other word stays a prefix.
fn starts_no_longer_term(tx: &Tx, index: &Index, word: &str) -> Result<bool> {
    if !word.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Ok(false);
    }
    let term = word.to_ascii_lowercase();
    let held = tx.prepare_cached(&format!("SELECT 1 FROM {} WHERE term = ?1 LIMIT 1", index.terms))?.exists([&term])?;
    if !held {
        return Ok(false);
    }
    // The least term after `term`: a longer one starting with it would sort
    // first, since the tokenizer keeps no control characters in a term.
    let next: Option<String> = tx
        .prepare_cached(&format!("SELECT term FROM {} WHERE term >= ?1 || char(1) LIMIT 1", index.terms))?
        .query_map([&term], |r| r.get(0))?
        .next()
        .transpose()?;
    Ok(!next.is_some_and(|n| n.starts_with(&term)))
}

/// The conversations with a message matching `fts5` in `index` (of every
/// tenant it holds), ascending: the index lists its rows in order, so each
/// conversation's come together.
pub(super) fn matching_conversations(tx: &Tx, index: &Index, fts5: &str) -> Result<Vec<i64>> {
    let conn = tx.as_sqlite().ok_or_else(|| Error::internal("the word index is SQLite's"))?;
    let mut stmt = conn.prepare_cached(&format!("SELECT rowid FROM {table} WHERE {table} MATCH ?1", table = index.table))?;
    let mut rows = stmt.query([fts5])?;
    let mut ids = Vec::new();
    while let Some(row) = rows.next()? {
        let id = word_index::conversation_of(row.get(0)?);
        if ids.last() != Some(&id) {
            ids.push(id);
        }
    }
    Ok(ids)
}

/// Up to this many matches are each looked up and ordered; more are found
/// by walking the list's own order until the page is full.
const LOOKED_UP_AT_MOST: usize = 2_000;

/// The ids of the page: of the conversations `filters` keeps (a condition on
/// `conversations c`, with its `params`) and `matches` holds, newest activity
/// first, `take` after the first `skip`.
pub(super) fn page(tx: &Tx, filters: &str, params: &[Value], matches: &[i64], skip: usize, take: usize) -> Result<Vec<i64>> {
    if matches.is_empty() {
        return Ok(Vec::new());
    }
    let n = params.len();
    if matches.len() <= LOOKED_UP_AT_MOST {
        let ids = format!("[{}]", matches.iter().map(i64::to_string).collect::<Vec<_>>().join(","));
        let sql = format!(
            "SELECT c.id FROM json_each(?{}) m CROSS JOIN conversations c ON c.id = m.value
              WHERE {filters} ORDER BY c.last_activity_at DESC, c.id DESC LIMIT ?{} OFFSET ?{}",
            n + 1,
            n + 2,
            n + 3
        );
        let all = params.iter().cloned().chain([Value::from(ids), to_value(take), to_value(skip)]);
        let mut stmt = tx.prepare_cached(&sql)?;
        return Ok(stmt.query_map(params_from_iter(all), |r| r.get(0))?.collect::<crate::store::sql::Result<Vec<i64>>>()?);
    }
    // Many: a page is found after about (skip + take) × (conversations ÷
    // matches) rows of the list's index, and never more than the rows the
    // filters keep.
    let sql = format!("SELECT c.id FROM conversations c WHERE {filters} ORDER BY c.last_activity_at DESC, c.id DESC");
    let mut stmt = tx.prepare_cached(&sql)?;
    let mut found = Vec::with_capacity(take);
    let mut skipped = 0;
    for id in stmt.query_map(params_from_iter(params.iter().cloned()), |r| r.get::<_, i64>(0))? {
        let id = id?;
        if matches.binary_search(&id).is_err() {
            continue;
        }
        if skipped < skip {
            skipped += 1;
            continue;
        }
        found.push(id);
        if found.len() == take {
            break;
        }
    }
    Ok(found)
}

fn to_value(n: usize) -> Value {
    Value::from(i64::try_from(n).unwrap_or(i64::MAX))
}

#[cfg(test)]
mod tests {
    use super::{fts5_query, Index};
    use crate::store::Db;

    #[test]
    fn a_typed_word_is_a_whole_term_only_when_no_longer_term_starts_with_it() {
        let dir = tempfile::tempdir().unwrap_or_else(|e| panic!("{e}"));
        let db = Db::open(dir.path()).unwrap_or_else(|e| panic!("{e:?}"));
        db.write(|tx| {
            tx.execute("INSERT INTO message_search (rowid, text) VALUES (1, 'refund refunded card élan'), (2, 'zeppelin')", [])?;
            Ok(())
        })
        .unwrap_or_else(|e| panic!("{e:?}"));
        let query = |words: &[&str]| {
            let words: Vec<String> = words.iter().map(|w| (*w).to_owned()).collect();
            db.read(|tx| fts5_query(tx, &Index::shared(), &words)).unwrap_or_else(|e| panic!("{e:?}"))
        };
        // "refund" starts "refunded"; "card" and "ZEPPELIN" (folded) start
        // nothing longer; "zep" is not a term; one letter is always whole;
        // a word with an accent stays a prefix.
        assert_eq!(query(&["refund", "card"]), "\"refund\"* \"card\"");
        assert_eq!(query(&["ZEPPELIN", "zep", "x"]), "\"ZEPPELIN\" \"zep\"* \"x\"");
        assert_eq!(query(&["élan", "refunded"]), "\"élan\"* \"refunded\"");
    }
}
