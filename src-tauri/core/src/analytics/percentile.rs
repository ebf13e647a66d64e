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

/// Median and p90 of `values`, the same as [`nearest_rank`] gives on them
/// sorted. Only the two ranks are put in place (a selection, not a sort):
/// a chart's range holds up to a hundred thousand values.
pub(crate) fn durations(values: &mut [i64]) -> Durations {
    let rank_index = |p: usize| (p * values.len()).div_ceil(100).max(1) - 1;
    let (median, p90) = if values.is_empty() {
        (None, None)
    } else {
        let (at_90, at_50) = (rank_index(90), rank_index(50));
        let (below, &mut p90, _) = values.select_nth_unstable(at_90);
        // Every value below the p90's place is at most the p90, so the median's
        // place, never after it, is found among them.
        let median = if at_50 == at_90 { p90 } else { *below.select_nth_unstable(at_50).1 };
        (Some(median), Some(p90))
    };
    Durations { count: i64::try_from(values.len()).unwrap_or(i64::MAX), median_seconds: median, p90_seconds: p90 }
}

#[cfg(test)]
mod tests {
    use super::nearest_rank;

    #[test]
    fn durations_select_what_nearest_rank_reads_from_the_sorted_values() {
        let mut seed = 7_u64;
        for len in 0..60 {
            let values: Vec<i64> = (0..len)
                .map(|_| {
                    seed = seed.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(1);
                    i64::try_from(seed >> 58).unwrap_or(0)
                })
                .collect();
            let mut sorted = values.clone();
            sorted.sort_unstable();
            let d = super::durations(&mut values.clone());
            assert_eq!((d.count, d.median_seconds, d.p90_seconds), (len, nearest_rank(&sorted, 50), nearest_rank(&sorted, 90)), "{values:?}");
        }
    }

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
