//! The ids an archive file has given so far, to refuse one given twice.
//! An export writes each file in id order, so an id greater than every one
//! before is the usual case: it is appended to a sorted list, with no
//! hashing. Ids out of order (an archive from elsewhere) go to a hash set
//! beside it, so any order is still checked in full.

use std::collections::HashSet;

#[derive(Debug, Default)]
pub(super) struct IdSet {
    ascending: Vec<i64>,
    others: HashSet<i64>,
}

impl IdSet {
    pub(super) fn with_capacity(n: usize) -> Self {
        Self { ascending: Vec::with_capacity(n), others: HashSet::new() }
    }

    /// Adds `id`; false when it was already there. An id in `others` was
    /// not greater than the last ascending one then, so it is not now.
    pub(super) fn insert(&mut self, id: i64) -> bool {
        match self.ascending.last() {
            Some(&last) if id <= last => self.ascending.binary_search(&id).is_err() && self.others.insert(id),
            _ => {
                self.ascending.push(id);
                true
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::IdSet;
    use std::collections::HashSet;

    #[test]
    fn answers_as_a_hash_set_does_in_any_order() {
        let orders: [&[i64]; 5] = [
            &[1, 2, 3, 3, 4],
            &[5, 3, 5, 3, 9, 1, 9],
            &[10, 2, 11, 2, 10, 12],
            // Out of order first, then the same id again in order.
            &[7, 4, 6, 8, 6, 9, 4],
            &[-3, -5, 0, -5, i64::MAX, i64::MIN, i64::MAX],
        ];
        for ids in orders {
            let (mut set, mut plain) = (IdSet::default(), HashSet::new());
            for &id in ids {
                assert_eq!(set.insert(id), plain.insert(id), "{id} in {ids:?}");
            }
        }
    }
}
