//! Median and p90 by the nearest-rank method: the smallest measured value
//! with at least p % of the values at or below it: always a value that was
//! measured, never an interpolation.

use super::Durations;

/// The `p`-th percentile (1–100) of `sorted` (ascending).
pub fn nearest_rank(sorted: &[i64], p: usize) -> Option<i64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = (p * sorted.len()).div_ceil(100).max(1);
    sorted.get(rank - 1).copied()
}

/// Median and p90 of `values` (sorted here).
pub(crate) fn durations(mut values: Vec<i64>) -> Durations {
    values.sort_unstable();
    Durations {
        count: i64::try_from(values.len()).unwrap_or(i64::MAX),
        median_seconds: nearest_rank(&values, 50),
        p90_seconds: nearest_rank(&values, 90),
    }
}

#[cfg(test)]
mod tests {
    use super::nearest_rank;

    #[test]
    fn nearest_rank_picks_a_measured_value() {
        assert_eq!(nearest_rank(&[], 50), None);
        assert_eq!(nearest_rank(&[7], 50), Some(7));
        assert_eq!(nearest_rank(&[7], 90), Some(7));
        assert_eq!(nearest_rank(&[1, 2, 3, 4], 50), Some(2));
        assert_eq!(nearest_rank(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10], 90), Some(9));
        assert_eq!(nearest_rank(&[1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11], 90), Some(10));
    }
}
