//! Property tests of everything that takes outside input: archive records
//! and the archive reader, the tenant field rules and other form rules,
//! search terms and the dates of list filters. Each property runs a few
//! cases in the normal test run; `scripts/fuzz.sh` runs them with many more
//! (`PROPTEST_CASES`), and a failure it finds is kept in
//! `src-tauri/core/proptest-regressions/` and replayed first by every run.

mod archive_import;
mod archive_model;
mod archive_records;
mod archive_round_trip;
mod field_rules;
mod found;
mod queries;

use std::fmt::Debug;

use proptest::prelude::*;
use proptest::test_runner::{FileFailurePersistence, TestRunner};

/// `cases` cases unless `PROPTEST_CASES` asks for another number; failures
/// are kept in `regressions` (a path under the crate) and replayed first.
pub fn config(regressions: &'static str, cases: u32) -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES").ok().and_then(|n| n.parse().ok()).unwrap_or(cases);
    ProptestConfig { cases, failure_persistence: Some(Box::new(FileFailurePersistence::Direct(regressions))), ..ProptestConfig::default() }
}

/// Runs `test` on values of `strategy` (for properties that share one store
/// across their cases, which the `proptest!` macro cannot).
pub fn check<S: Strategy>(config: ProptestConfig, strategy: S, test: impl Fn(S::Value) -> Result<(), TestCaseError>)
where
    S::Value: Debug,
{
    if let Err(failure) = TestRunner::new(config).run(&strategy, test) {
        panic!("{failure}");
    }
}

/// Text of any Unicode characters, control characters and NUL included.
pub fn any_text(max_chars: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(any::<char>(), 0..=max_chars).prop_map(|c| c.into_iter().collect())
}

/// Text of any Unicode characters but NUL, which no store takes (PostgreSQL
/// text cannot hold it): what a valid archive or record may carry.
pub fn storable_text(max_chars: usize) -> impl Strategy<Value = String> {
    proptest::collection::vec(proptest::char::range('\u{1}', char::MAX), 0..=max_chars).prop_map(|c| c.into_iter().collect())
}

/// Text a person might type: mostly letters and digits, with spaces,
/// punctuation, accents and now and then any character at all.
pub fn typed_text(max_chars: usize) -> impl Strategy<Value = String> {
    let char = prop_oneof![
        6 => proptest::char::range('a', 'z'),
        2 => proptest::char::range('A', 'Z'),
        2 => proptest::char::range('0', '9'),
        2 => Just(' '),
        1 => proptest::sample::select(vec!['é', 'ß', 'Ö', 'ł', 'ø', 'ğ', '中', '文', 'Ж', '😀', '-', '.', '\'', '"', '*', '%', '_', '\t']),
        1 => any::<char>(),
    ];
    proptest::collection::vec(char, 0..=max_chars).prop_map(|c| c.into_iter().collect())
}
