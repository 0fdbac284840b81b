//! Finding a customer by id, ten million times per log: a dense slot array when the ids are
//! a shared prefix and a fixed-width number (`C0000001`, `KH00017` — the usual shape), else
//! a hash map. The slot array of a million customers is 4 MB and stays in cache, where a
//! hash table's random probes miss it on almost every lookup.

use std::borrow::Cow;

use rustc_hash::FxHashMap;

use crate::model::Customer;

/// An index from customer id to position in the book; the first of duplicate ids wins.
#[derive(Debug)]
pub enum IdIndex<'a> {
    Dense {
        prefix: &'a str,
        width: usize,
        /// Borrowed when the book kept the table it built to find duplicate ids.
        slots: Cow<'a, [u32]>,
    },
    Hashed(FxHashMap<&'a str, u32>),
}

/// The number in `id` after `prefix`, if it is exactly `width` ASCII digits.
#[inline]
fn number(id: &str, prefix: &str, width: usize) -> Option<usize> {
    let (id, prefix) = (id.as_bytes(), prefix.as_bytes());
    // Length first: it rejects most other shapes without reading a byte.
    if id.len() != prefix.len() + width || width > 9 {
        return None;
    }
    let (head, digits) = id.split_at(prefix.len());
    // Byte by byte: a prefix is a letter or two, shorter than a call to memcmp.
    if head.iter().zip(prefix).any(|(a, b)| a != b) {
        return None;
    }
    digits.iter().try_fold(0usize, |n, &b| {
        let d = b.wrapping_sub(b'0');
        (d < 10).then(|| n * 10 + usize::from(d))
    })
}

/// The prefix and the number of digits of the dense form, as the first customer's id shows
/// them.
fn shape(customers: &[Customer]) -> Option<(&str, usize)> {
    let first = &customers.first()?.id;
    let digits_at = first.find(|c: char| c.is_ascii_digit())?;
    Some((&first[..digits_at], first.len() - digits_at))
}

impl<'a> IdIndex<'a> {
    pub fn build(customers: &'a [Customer]) -> IdIndex<'a> {
        Self::build_finding_duplicates(customers).0
    }

    /// The index, and each customer whose id an earlier one has, with that earlier one
    /// (in book order), found while building.
    pub fn build_finding_duplicates(
        customers: &'a [Customer],
    ) -> (IdIndex<'a>, Vec<(usize, usize)>) {
        let mut duplicates = Vec::new();
        if let Some(index) = Self::dense(customers, &mut duplicates) {
            return (index, duplicates);
        }
        duplicates.clear();
        let mut map = FxHashMap::with_capacity_and_hasher(customers.len(), Default::default());
        for (i, c) in customers.iter().enumerate() {
            match map.entry(&*c.id) {
                std::collections::hash_map::Entry::Vacant(v) => {
                    v.insert(i as u32);
                }
                std::collections::hash_map::Entry::Occupied(o) => {
                    duplicates.push((i, *o.get() as usize));
                }
            }
        }
        (IdIndex::Hashed(map), duplicates)
    }

    /// The dense form, when every id fits it and the numbers are not too sparse.
    fn dense(
        customers: &'a [Customer],
        duplicates: &mut Vec<(usize, usize)>,
    ) -> Option<IdIndex<'a>> {
        let (prefix, width) = shape(customers)?;
        let limit = customers.len().saturating_mul(4).saturating_add(1024);
        // The numbers on every core (reading each customer's id is a pass over the whole
        // book); the slots, a few megabytes, are filled on one.
        // Nine digits at most: a number fits in a u32.
        let numbers: Vec<Option<u32>> = crate::parallel::map_each(customers, |c| {
            number(&c.id, prefix, width)
                .filter(|&n| n < limit)
                .map(|n| n as u32)
        });
        let numbers: Vec<u32> = numbers.into_iter().collect::<Option<_>>()?;
        let len = numbers.iter().max().map_or(0, |&n| n as usize + 1);
        // Read at random, a row of the log at a time (see `huge_pages`).
        let mut slots = Vec::with_capacity(len);
        crate::store::huge_pages(slots.spare_capacity_mut());
        slots.resize(len, u32::MAX);
        for (i, n) in numbers.into_iter().enumerate() {
            let n = n as usize;
            if slots[n] == u32::MAX {
                slots[n] = i as u32;
            } else {
                duplicates.push((i, slots[n] as usize));
            }
        }
        Some(IdIndex::Dense {
            prefix,
            width,
            slots: Cow::Owned(slots),
        })
    }

    /// The dense form over a table built before for the same customers (see
    /// [`IdIndex::into_slots`]).
    pub fn with_slots(customers: &'a [Customer], slots: &'a [u32]) -> Option<IdIndex<'a>> {
        let (prefix, width) = shape(customers)?;
        Some(IdIndex::Dense {
            prefix,
            width,
            slots: Cow::Borrowed(slots),
        })
    }

    /// The dense form's table, to keep: the fold's index, made from it, then costs nothing.
    pub fn into_slots(self) -> Option<Vec<u32>> {
        match self {
            IdIndex::Dense { slots, .. } => Some(slots.into_owned()),
            IdIndex::Hashed(_) => None,
        }
    }

    pub fn get(&self, id: &str) -> Option<usize> {
        self.resolve(self.key(id)?)
    }

    /// The first half of a lookup, touching no table memory in the dense form: the slot
    /// number. Looking up a batch key-first lets the slow memory reads of the second half
    /// overlap (the log fold does this); `None` means the id cannot be a customer's.
    #[inline]
    pub fn key(&self, id: &str) -> Option<usize> {
        match self {
            IdIndex::Dense {
                prefix,
                width,
                slots,
            } => number(id, prefix, *width).filter(|&n| n < slots.len()),
            IdIndex::Hashed(map) => map.get(id).map(|&i| i as usize),
        }
    }

    /// The id a key was made from (for naming an id no customer has).
    pub fn id_of_key(&self, key: usize) -> String {
        match self {
            IdIndex::Dense { prefix, width, .. } => format!("{prefix}{key:0width$}"),
            // Every hashed key is a customer's position, so this is not reached in a fold.
            IdIndex::Hashed(map) => map
                .iter()
                .find(|&(_, &i)| i as usize == key)
                .map_or_else(String::new, |(id, _)| id.to_string()),
        }
    }

    /// Asks for the memory [`IdIndex::resolve`] will read for `key`, without waiting.
    pub fn prefetch(&self, key: usize) {
        if let IdIndex::Dense { slots, .. } = self
            && let Some(slot) = slots.get(key)
        {
            crate::store::prefetch(slot);
        }
    }

    /// The second half: the customer a key stands for.
    pub fn resolve(&self, key: usize) -> Option<usize> {
        match self {
            IdIndex::Dense { slots, .. } => Some(slots[key])
                .filter(|&s| s != u32::MAX)
                .map(|s| s as usize),
            IdIndex::Hashed(_) => Some(key),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn book(ids: &[&str]) -> Vec<Customer> {
        ids.iter()
            .map(|id| Customer {
                id: (*id).into(),
                ..Customer::default()
            })
            .collect()
    }

    #[test]
    fn prefixed_fixed_width_numbers_are_dense() {
        let customers = book(&["C0000003", "C0000001", "C0000002", "C0000001"]);
        let index = IdIndex::build(&customers);
        assert!(matches!(index, IdIndex::Dense { .. }));
        assert_eq!(index.get("C0000001"), Some(1));
        assert_eq!(index.get("C0000003"), Some(0));
        assert_eq!(index.get("C000001"), None);
        assert_eq!(index.get("C0000004"), None);
        assert_eq!(index.get("D0000001"), None);
        assert_eq!(index.get("C00000a1"), None);
        assert_eq!(index.get(""), None);
    }

    #[test]
    fn a_kept_table_answers_as_the_index_it_came_from() {
        let customers = book(&["KH007", "KH003", "KH005"]);
        let slots = IdIndex::build(&customers).into_slots().unwrap();
        let index = IdIndex::with_slots(&customers, &slots).unwrap();
        for (id, want) in [
            ("KH003", Some(1)),
            ("KH005", Some(2)),
            ("KH007", Some(0)),
            ("KH004", None),
            ("KH0070", None),
            ("KX003", None),
        ] {
            assert_eq!(index.get(id), want, "{id}");
        }
        assert_eq!(IdIndex::build(&book(&["A1", "B2"])).into_slots(), None);
    }

    #[test]
    fn duplicates_are_found_while_building_in_either_form() {
        let dense = book(&["C0000003", "C0000001", "C0000002", "C0000001", "C0000003"]);
        let (index, dups) = IdIndex::build_finding_duplicates(&dense);
        assert!(matches!(index, IdIndex::Dense { .. }));
        assert_eq!(dups, [(3, 1), (4, 0)]);
        let hashed = book(&["A1", "B2", "A1", "x", "B2"]);
        let (index, dups) = IdIndex::build_finding_duplicates(&hashed);
        assert!(matches!(index, IdIndex::Hashed(_)));
        assert_eq!(dups, [(2, 0), (4, 1)]);
    }

    #[test]
    fn other_shapes_are_hashed() {
        for ids in [
            &["京001", "沪001"][..],
            &["A1", "B2"],
            &["C1", "C22"],
            &["C1", "C999999"],
            &["x"],
        ] {
            let customers = book(ids);
            let index = IdIndex::build(&customers);
            assert!(matches!(index, IdIndex::Hashed(_)), "{ids:?}");
            for (i, id) in ids.iter().enumerate() {
                assert_eq!(index.get(id), Some(i));
            }
            assert_eq!(index.get("nope"), None);
        }
    }
}
