//! PostgreSQL's side of the values: a column of any type read into one of
//! the five classes, a parameter written as the type the statement expects,
//! and `?N` placeholders written as `$N`.

use std::error::Error as StdError;

use bytes::BytesMut;
use postgres::types::{to_sql_checked, FromSql as PgFromSql, IsNull, ToSql as PgToSql, Type};

use super::value::ValueRef;

type BoxError = Box<dyn StdError + Sync + Send>;

/// A column as read: text, integers and booleans as SQLite holds them.
pub(super) struct PgValueRef<'a>(pub ValueRef<'a>);

impl<'a> PgFromSql<'a> for PgValueRef<'a> {
    fn from_sql(ty: &Type, raw: &'a [u8]) -> Result<Self, BoxError> {
        let value = match *ty {
            Type::INT8 => ValueRef::Integer(i64::from_sql(ty, raw)?),
            Type::INT4 => ValueRef::Integer(i32::from_sql(ty, raw)?.into()),
            Type::INT2 => ValueRef::Integer(i16::from_sql(ty, raw)?.into()),
            Type::OID => ValueRef::Integer(u32::from_sql(ty, raw)?.into()),
            Type::BOOL => ValueRef::Integer(bool::from_sql(ty, raw)?.into()),
            Type::FLOAT8 => ValueRef::Real(f64::from_sql(ty, raw)?),
            Type::FLOAT4 => ValueRef::Real(f32::from_sql(ty, raw)?.into()),
            Type::NUMERIC => numeric(raw)?,
            Type::BYTEA => ValueRef::Blob(raw),
            _ => ValueRef::Text(std::str::from_utf8(raw)?),
        };
        Ok(PgValueRef(value))
    }

    fn from_sql_null(_: &Type) -> Result<Self, BoxError> {
        Ok(PgValueRef(ValueRef::Null))
    }

    fn accepts(_: &Type) -> bool {
        true
    }
}

/// A NUMERIC (what `sum` of BIGINTs gives): an integer when it has no
/// fraction and fits, else a float.
fn numeric(raw: &[u8]) -> Result<ValueRef<'static>, BoxError> {
    let word = |i: usize| -> Result<i16, BoxError> {
        raw.get(i..i + 2).map(|b| i16::from_be_bytes([b[0], b[1]])).ok_or_else(|| "short numeric".into())
    };
    let digits = usize::try_from(word(0)?)?;
    let weight = i32::from(word(2)?);
    let sign = word(4)? as u16;
    let scale = word(6)?;
    if sign == 0xC000 {
        return Ok(ValueRef::Real(f64::NAN));
    }
    let mut whole: i128 = 0;
    let mut real: f64 = 0.0;
    let mut fraction = false;
    for i in 0..digits {
        let d = i128::from(word(8 + 2 * i)?);
        let power = weight - i32::try_from(i)?;
        real += d as f64 * 10000f64.powi(power);
        if power >= 0 {
            whole += d * 10000i128.pow(u32::try_from(power)?);
        } else if d != 0 {
            fraction = true;
        }
    }
    let negative = sign == 0x4000;
    if scale == 0 || !fraction {
        let whole = if negative { -whole } else { whole };
        if let Ok(i) = i64::try_from(whole) {
            return Ok(ValueRef::Integer(i));
        }
    }
    Ok(ValueRef::Real(if negative { -real } else { real }))
}

/// A parameter, written as the type PostgreSQL inferred for it.
#[derive(Debug)]
pub(super) struct Bound<'a>(pub ValueRef<'a>);

impl PgToSql for Bound<'_> {
    fn to_sql(&self, ty: &Type, out: &mut BytesMut) -> Result<IsNull, BoxError> {
        let mismatch = || -> BoxError { format!("cannot write {:?} as {ty}", self.0).into() };
        match (self.0, ty) {
            (ValueRef::Null, _) => Ok(IsNull::Yes),
            (ValueRef::Integer(i), &Type::INT8) => i.to_sql(ty, out),
            (ValueRef::Integer(i), &Type::INT4) => i32::try_from(i)?.to_sql(ty, out),
            (ValueRef::Integer(i), &Type::INT2) => i16::try_from(i)?.to_sql(ty, out),
            (ValueRef::Integer(i), &Type::BOOL) => (i != 0).to_sql(ty, out),
            (ValueRef::Integer(i), &Type::FLOAT8) => (i as f64).to_sql(ty, out),
            (ValueRef::Integer(i), &Type::NUMERIC) => {
                write_numeric(i, out);
                Ok(IsNull::No)
            }
            (ValueRef::Integer(i), t) if is_text(t) => i.to_string().as_str().to_sql(&Type::TEXT, out),
            (ValueRef::Real(r), &Type::FLOAT8) => r.to_sql(ty, out),
            (ValueRef::Real(r), &Type::FLOAT4) => (r as f32).to_sql(ty, out),
            (ValueRef::Real(r), t) if is_text(t) => r.to_string().as_str().to_sql(&Type::TEXT, out),
            (ValueRef::Text(s), t) if is_text(t) => s.to_sql(&Type::TEXT, out),
            (ValueRef::Text(s), &Type::INT8) => s.trim().parse::<i64>().map_err(|_| mismatch())?.to_sql(ty, out),
            (ValueRef::Blob(b), &Type::BYTEA) => b.to_sql(ty, out),
            _ => Err(mismatch()),
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    to_sql_checked!();
}

fn is_text(ty: &Type) -> bool {
    matches!(*ty, Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME | Type::UNKNOWN)
}

/// An integer as a NUMERIC (base 10,000 digits, most significant first).
fn write_numeric(i: i64, out: &mut BytesMut) {
    let mut rest = i.unsigned_abs();
    let mut digits = Vec::new();
    while rest > 0 {
        digits.push((rest % 10000) as i16);
        rest /= 10000;
    }
    digits.reverse();
    let count = digits.len() as i16;
    out.extend_from_slice(&count.to_be_bytes());
    out.extend_from_slice(&(count - 1).max(0).to_be_bytes());
    out.extend_from_slice(&(if i < 0 { 0x4000u16 } else { 0 }).to_be_bytes());
    out.extend_from_slice(&0i16.to_be_bytes());
    for d in digits {
        out.extend_from_slice(&d.to_be_bytes());
    }
}

/// SQLite's SQL as PostgreSQL reads it: `$N` placeholders, `CROSS JOIN ..
/// ON` (SQLite's join-order hint) as a plain join, two-argument `max`/`min`
/// as `greatest`/`least`, `instr` as `strpos`.
pub(super) fn translate(sql: &str) -> String {
    let sql = placeholders(sql);
    let mut out = String::with_capacity(sql.len());
    let bytes = sql.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c == b'\'' || c == b'"' {
            let end = sql[i + 1..].find(c as char).map_or(sql.len(), |e| i + 1 + e + 1);
            out.push_str(&sql[i..end]);
            i = end;
            continue;
        }
        let word_start = c.is_ascii_alphabetic() && (i == 0 || !(bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'_'));
        if word_start {
            let len = sql[i..].find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')).unwrap_or(sql.len() - i);
            let word = &sql[i..i + len];
            let next = sql[i + len..].trim_start();
            let called = next.starts_with('(');
            let lower = word.to_ascii_lowercase();
            let replaced = match lower.as_str() {
                "max" | "min" if called && top_level_commas(next) > 0 => {
                    Some(if lower == "max" { "greatest" } else { "least" })
                }
                "instr" if called => Some("strpos"),
                "cross" if next.len() >= 4 && next[..4].eq_ignore_ascii_case("join") => Some(""),
                "indexed" if next.len() >= 2 && next[..2].eq_ignore_ascii_case("by") => {
                    // SQLite's index hint: PostgreSQL's planner picks for itself.
                    let after_by = next[2..].trim_start();
                    let name_len = after_by.find(|ch: char| !(ch.is_ascii_alphanumeric() || ch == '_')).unwrap_or(after_by.len());
                    let skipped = sql.len() - after_by.len() + name_len;
                    i = skipped;
                    continue;
                }
                _ => None,
            };
            match replaced {
                Some("") => {
                    // "CROSS " dropped: the JOIN that follows stays.
                    i += len;
                    while i < bytes.len() && bytes[i] == b' ' {
                        i += 1;
                    }
                }
                Some(name) => {
                    out.push_str(name);
                    i += len;
                }
                None => {
                    out.push_str(word);
                    i += len;
                }
            }
            continue;
        }
        let ch = sql[i..].chars().next().unwrap_or(' ');
        out.push(ch);
        i += ch.len_utf8();
    }
    out
}

/// Commas at the top level of the parenthesised list `text` starts with.
fn top_level_commas(text: &str) -> usize {
    let mut depth = 0i32;
    let mut commas = 0;
    let mut quote: Option<char> = None;
    for ch in text.chars() {
        match (quote, ch) {
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(ch),
            (None, '(') => depth += 1,
            (None, ')') => {
                depth -= 1;
                if depth == 0 {
                    return commas;
                }
            }
            (None, ',') if depth == 1 => commas += 1,
            _ => {}
        }
    }
    commas
}

/// `?1` and `?` placeholders as `$1`; quoted text, quoted names and comments
/// are copied as they are.
pub(super) fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut chars = sql.chars().peekable();
    let mut next = 0u32;
    while let Some(c) = chars.next() {
        match c {
            '\'' | '"' => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == c {
                        break;
                    }
                }
            }
            '-' if chars.peek() == Some(&'-') => {
                out.push(c);
                for d in chars.by_ref() {
                    out.push(d);
                    if d == '\n' {
                        break;
                    }
                }
            }
            '?' => {
                let mut number = String::new();
                while let Some(d) = chars.peek().copied().filter(char::is_ascii_digit) {
                    number.push(d);
                    chars.next();
                }
                out.push('$');
                if number.is_empty() {
                    next += 1;
                    out.push_str(&next.to_string());
                } else {
                    next = next.max(number.parse().unwrap_or(0));
                    out.push_str(&number);
                }
            }
            _ => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::{placeholders, translate};

    #[test]
    fn sqlite_only_spellings_are_translated() {
        assert_eq!(
            translate("SELECT max(a, ?1), max(b), MIN(x,y), instr(t, 'a') FROM p CROSS JOIN q ON q.id = p.id"),
            "SELECT greatest(a, $1), max(b), least(x,y), strpos(t, 'a') FROM p JOIN q ON q.id = p.id"
        );
        assert_eq!(translate("SELECT a FROM c INDEXED BY c_x WHERE b"), "SELECT a FROM c  WHERE b");
        assert_eq!(translate("SELECT 'max(a, b)', \"min\""), "SELECT 'max(a, b)', \"min\"");
    }

    #[test]
    fn placeholders_are_numbered_outside_quotes() {
        assert_eq!(placeholders("SELECT ?1, ?2 WHERE a = ?1"), "SELECT $1, $2 WHERE a = $1");
        assert_eq!(placeholders("SELECT ? , ?"), "SELECT $1 , $2");
        assert_eq!(placeholders("SELECT '?1' || ?1 -- why?\n, \"a?\""), "SELECT '?1' || $1 -- why?\n, \"a?\"");
    }
}
