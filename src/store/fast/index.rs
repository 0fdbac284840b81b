//! Finding a customer by id, ten million times per log. Two forms of table:
//!
//! - dense, when the ids are a shared prefix and a number: fixed-width (`C0000001`,
//!   `KH00017`, the usual shape) or unpadded (`C1`, `C22`: numbered ids as a spreadsheet
//!   leaves them). A slot per number: a million customers take 4 MB, which stays in cache.
//! - hashed, for any other ids: open addressing, each slot holding an id of up to twelve
//!   bytes itself, so a lookup reads one slot and not the customer. A longer id's slot
//!   holds its length, half its hash and where its bytes are in one text of all long ids.
//!
//! A lookup comes in two halves, [`IdIndex::key`] (no table memory read) and
//! [`IdIndex::resolve`], so that the log fold can ask for a batch's slots before it reads
//! them and their cache misses overlap; for a long id the fold takes a third step
//! ([`IdIndex::resolve_early`]), so that its text too is asked for before it is compared.

use rayon::prelude::*;

use crate::model::Customer;

/// A table from customer id to position in the book, built once with the book (see
/// [`IdTable::build`]); the first of duplicate ids wins.
#[derive(Clone, Debug)]
pub struct IdTable(Layout);

/// How an [`IdTable`] lays out its slots (see the module's doc).
#[derive(Clone, Debug)]
enum Layout {
    Dense {
        prefix: String,
        digits: Digits,
        /// The customer of each number; u32::MAX for none.
        slots: Vec<u32>,
    },
    Hashed {
        slots: Vec<Slot>,
        /// The bytes of the ids too long for a slot, one after another.
        long: Vec<u8>,
    },
}

/// How a dense table reads the number of an id.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Digits {
    /// Exactly this many digits, leading zeros included.
    Fixed(usize),
    /// As many as the number needs: no leading zero (but for the number 0 itself).
    Unpadded,
}

/// The number in `id` after `prefix`, written as `digits` says; nine digits at most, so
/// that it fits a u32.
#[inline]
fn number(id: &str, prefix: &str, digits: Digits) -> Option<usize> {
    let (id, prefix) = (id.as_bytes(), prefix.as_bytes());
    // Length first: it rejects most other shapes without reading a byte.
    let width = id.len().checked_sub(prefix.len())?;
    let fits = match digits {
        Digits::Fixed(w) => width == w,
        Digits::Unpadded => width == 1 || (width > 1 && id[prefix.len()] != b'0'),
    };
    if !fits || width > 9 {
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

/// How many bytes of an id a hashed slot holds.
const SHORT: usize = 12;

/// A hashed table's slot: an id of at most [`SHORT`] bytes padded with 0xFF (a byte UTF-8
/// never has), or a longer id's [`long_slot`]; and the customer.
#[derive(Clone, Copy, Debug)]
#[repr(C, align(16))]
struct Slot {
    short: [u8; SHORT],
    customer: u32,
}

const EMPTY: Slot = Slot {
    short: [0xFF; SHORT],
    customer: u32::MAX,
};

/// The first byte of a slot, or a key, that stands for a long id; of a key already
/// resolved. Neither byte occurs in UTF-8.
const LONG: u8 = 0xFE;
const RESOLVED: u8 = 0xFD;

/// An id made ready for a lookup (see [`IdIndex::key`]).
#[derive(Clone, Copy, Debug)]
pub struct Key {
    /// Dense: the id's number. Hashed: the id's hash; the customer once resolved.
    word: u64,
    /// Hashed: what a short id's slot holds (see [`Slot`]); for a long id, a [`long_slot`]
    /// whose place is in the bytes given with the key; [`RESOLVED`] first for an id looked
    /// up whole.
    short: [u8; SHORT],
}

impl Key {
    /// Whether the key is a long id's, kept in the bytes given with it.
    #[inline]
    pub fn is_long(&self) -> bool {
        self.short[0] == LONG
    }
}

// Constants for the hash. K0 and K1 hold bytes (0xC0, 0xC1) that neither UTF-8 nor the
// padding has, so no short id's words cancel them to zero in `hash_short`'s first multiply.
const K0: u64 = 0xC0A4_D3E1_F5B2_97C1;
const K1: u64 = 0xC1C0_8F3B_6D2E_A5C0;
const K2: u64 = 0x9E37_79B9_7F4A_7C15;

/// A 64×64→128-bit multiply, folded: every bit of both words reaches the middle bits.
#[inline]
fn mix(a: u64, b: u64) -> u64 {
    let m = u128::from(a) * u128::from(b);
    (m as u64) ^ ((m >> 64) as u64)
}

/// The hash of an id of at most [`SHORT`] bytes, from its padded bytes.
#[inline]
fn hash_short(short: &[u8; SHORT]) -> u64 {
    let (lo, hi) = short.split_at(8);
    let lo = u64::from_le_bytes(lo.try_into().unwrap_or_default());
    let hi = u64::from(u32::from_le_bytes(hi.try_into().unwrap_or_default()));
    mix(mix(lo ^ K0, hi ^ K1), K2)
}

/// The hash of an id longer than [`SHORT`] bytes, eight bytes at a time: whole words, then
/// the last eight bytes (overlapping the words before; the length, hashed in first, tells
/// such ids apart). Words are read whole, not copied into a buffer: a copy of a few bytes
/// is a call to `memcpy`, and the fold hashes every log row's id.
#[inline]
fn hash_long(id: &[u8]) -> u64 {
    debug_assert!(id.len() > SHORT, "a short id is hashed by hash_short");
    let word = |bytes: &[u8]| u64::from_le_bytes(bytes.try_into().unwrap_or_default());
    let mut h = K2 ^ id.len() as u64;
    let mut words = id.chunks_exact(8);
    for w in &mut words {
        h = mix(h ^ word(w) ^ K0, K1);
    }
    if !words.remainder().is_empty() {
        h = mix(h ^ word(&id[id.len() - 8..]) ^ K0, K1);
    }
    mix(h, K2)
}

/// An id's bytes padded with 0xFF, if it is short enough for a slot.
#[inline]
fn padded(id: &str) -> Option<[u8; SHORT]> {
    let bytes = id.as_bytes();
    let mut short = [0xFF; SHORT];
    short.get_mut(..bytes.len())?.copy_from_slice(bytes);
    Some(short)
}

/// A long id's slot: [`LONG`], a zero byte, the id's length (two bytes), where its bytes
/// are in the table's text of long ids (four bytes), and the low half of its hash. An id
/// that does not fit there (longer than 65 534 bytes, or past 4 GB of them) has length
/// u16::MAX: it is read from its customer instead.
fn long_slot(hash: u64, len: u16, at: u32) -> [u8; SHORT] {
    let mut short = [LONG, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0];
    short[2..4].copy_from_slice(&len.to_le_bytes());
    short[4..8].copy_from_slice(&at.to_le_bytes());
    short[8..].copy_from_slice(&(hash as u32).to_le_bytes());
    short
}

/// Puts long id `id` at the end of `text` and gives its [`long_slot`] there; None, and
/// nothing put, when it does not fit one (see [`long_slot`]).
fn put_long(hash: u64, id: &[u8], text: &mut Vec<u8>) -> Option<[u8; SHORT]> {
    let (len, at) = (
        u16::try_from(id.len()).ok()?,
        u32::try_from(text.len()).ok()?,
    );
    if len == u16::MAX {
        return None;
    }
    text.extend_from_slice(id);
    Some(long_slot(hash, len, at))
}

/// Where a hash's probe starts in a table of `len` slots: the hash's high bits scaled to
/// the length, which need not be a power of two.
#[inline]
fn home(hash: u64, len: usize) -> usize {
    ((u128::from(hash) * len as u128) >> 64) as usize
}

/// The slots from `home` on, wrapping around (a table is never full).
#[inline]
fn probe(slots: &[Slot], home: usize) -> impl Iterator<Item = (usize, &Slot)> {
    let (before, after) = slots.split_at(home);
    (home..).zip(after).chain((0..).zip(before))
}

impl IdTable {
    /// The table of `customers`' ids, and each customer whose id an earlier one has, with
    /// that earlier one (in book order).
    pub fn build(customers: &[Customer]) -> (IdTable, Vec<(usize, usize)>) {
        let mut duplicates = Vec::new();
        if let Some(table) = Self::dense(customers, &mut duplicates) {
            return (table, duplicates);
        }
        duplicates.clear();
        let table = Self::hashed(customers, &mut duplicates);
        (table, duplicates)
    }

    /// The index over this table for the customers it was built from.
    pub fn index<'a>(&'a self, customers: &'a [Customer]) -> IdIndex<'a> {
        IdIndex {
            customers,
            table: self,
        }
    }

    /// The dense form, when every id is the first one's prefix and a number written the
    /// same way (fixed-width if the first id's is; else unpadded) and the numbers are not
    /// too sparse.
    fn dense(customers: &[Customer], duplicates: &mut Vec<(usize, usize)>) -> Option<IdTable> {
        let first = &customers.first()?.id;
        let digits_at = first.find(|c: char| c.is_ascii_digit())?;
        let prefix = &first[..digits_at];
        let width = first.len() - digits_at;
        let mut shapes = vec![Digits::Fixed(width)];
        if width == 1 || !first[digits_at..].starts_with('0') {
            shapes.push(Digits::Unpadded);
        }
        let limit = customers.len().saturating_mul(4).saturating_add(1024);
        for digits in shapes {
            // The numbers on every core (reading each customer's id is a pass over the
            // whole book); the slots, a few megabytes, are filled on one.
            let numbers: Option<Vec<u32>> = customers
                .par_iter()
                .map(|c| {
                    number(&c.id, prefix, digits)
                        .filter(|&n| n < limit)
                        .map(|n| n as u32)
                })
                .collect();
            let Some(numbers) = numbers else {
                continue;
            };
            let len = numbers.iter().max().map_or(0, |&n| n as usize + 1);
            // Read at random, a row of the log at a time (see `huge_pages`).
            let mut slots = Vec::with_capacity(len);
            super::memory::huge_pages(slots.spare_capacity_mut());
            slots.resize(len, u32::MAX);
            for (i, n) in numbers.into_iter().enumerate() {
                let n = n as usize;
                if slots[n] == u32::MAX {
                    slots[n] = i as u32;
                } else {
                    duplicates.push((i, slots[n] as usize));
                }
            }
            return Some(IdTable(Layout::Dense {
                prefix: prefix.to_string(),
                digits,
                slots,
            }));
        }
        None
    }

    /// The hashed form: half as many slots again as customers, filled in book order a batch
    /// at a time, each batch's slots asked for before they are written.
    fn hashed(customers: &[Customer], duplicates: &mut Vec<(usize, usize)>) -> IdTable {
        let len = (customers.len() + customers.len() / 2).max(8);
        let mut slots = Vec::with_capacity(len);
        super::memory::huge_pages(slots.spare_capacity_mut());
        slots.resize(len, EMPTY);
        let mut long = Vec::new();
        const BATCH: usize = 32;
        let mut batch = [(0u64, 0usize, None); BATCH];
        for (b, chunk) in customers.chunks(BATCH).enumerate() {
            for (entry, c) in batch.iter_mut().zip(chunk) {
                let short = padded(&c.id);
                let hash = match &short {
                    Some(short) => hash_short(short),
                    None => hash_long(c.id.as_bytes()),
                };
                let start = home(hash, len);
                super::memory::prefetch(&slots[start]);
                *entry = (hash, start, short);
            }
            for (k, (c, &(hash, start, short))) in chunk.iter().zip(&batch).enumerate() {
                let i = b * BATCH + k;
                let found = match short {
                    Some(short) => find_slot(&slots, start, |s| s.short == short),
                    None => find_slot(&slots, start, |s| {
                        long_holds(s, hash, c.id.as_bytes(), &long, customers)
                    }),
                };
                let at = match found {
                    Ok(at) => at,
                    Err(first) => {
                        duplicates.push((i, first.customer as usize));
                        continue;
                    }
                };
                let short = short.unwrap_or_else(|| {
                    put_long(hash, c.id.as_bytes(), &mut long)
                        .unwrap_or_else(|| long_slot(hash, u16::MAX, 0))
                });
                slots[at] = Slot {
                    short,
                    customer: i as u32,
                };
            }
        }
        IdTable(Layout::Hashed { slots, long })
    }
}

/// The length, place and half hash a [`long_slot`] holds.
fn long_parts(short: &[u8; SHORT]) -> (u16, usize, u32) {
    let [_, _, l0, l1, a0, a1, a2, a3, h0, h1, h2, h3] = *short;
    (
        u16::from_le_bytes([l0, l1]),
        u32::from_le_bytes([a0, a1, a2, a3]) as usize,
        u32::from_le_bytes([h0, h1, h2, h3]),
    )
}

/// Whether slot `s` holds the long id `id` of hash `hash`.
fn long_holds(s: &Slot, hash: u64, id: &[u8], long: &[u8], customers: &[Customer]) -> bool {
    let (len, at, half) = long_parts(&s.short);
    if s.short[0] != LONG || half != hash as u32 {
        return false;
    }
    if len == u16::MAX {
        return customers[s.customer as usize].id.as_bytes() == id;
    }
    usize::from(len) == id.len() && long.get(at..at + id.len()) == Some(id)
}

/// Walks the probe from `start`: Ok(where the first empty slot is), or Err(the first slot
/// `same` holds for).
fn find_slot(slots: &[Slot], start: usize, same: impl Fn(&Slot) -> bool) -> Result<usize, &Slot> {
    for (at, s) in probe(slots, start) {
        if s.customer == u32::MAX {
            return Ok(at);
        }
        if same(s) {
            return Err(s);
        }
    }
    unreachable!("a hashed id table always has empty slots")
}

/// An index from customer id to position in the book: a table and the customers it was
/// built from.
#[derive(Clone, Copy, Debug)]
pub struct IdIndex<'a> {
    customers: &'a [Customer],
    table: &'a IdTable,
}

impl IdIndex<'_> {
    pub fn get(&self, id: &str) -> Option<usize> {
        let mut ids = Vec::new();
        let key = self.key(id, &mut ids)?;
        self.resolve(&key, &ids)
    }

    /// The first half of a lookup, reading no table memory: the slot number, or the id's
    /// hash and bytes. `None` means the id cannot be a customer's. An id too long for a
    /// hashed slot is put at the end of `ids`, the bytes [`IdIndex::resolve`] is then given.
    #[inline]
    pub fn key(&self, id: &str, ids: &mut Vec<u8>) -> Option<Key> {
        match &self.table.0 {
            Layout::Dense {
                prefix,
                digits,
                slots,
            } => number(id, prefix, *digits)
                .filter(|&n| n < slots.len())
                .map(|n| Key {
                    word: n as u64,
                    short: [0; SHORT],
                }),
            Layout::Hashed { slots, long } => match padded(id) {
                Some(short) => Some(Key {
                    word: hash_short(&short),
                    short,
                }),
                None => self.long_key(slots, long, id, ids),
            },
        }
    }

    /// The key of an id longer than a slot holds: its hash, and where in `ids` it is put,
    /// as a [`long_slot`]. One too long for that is looked up here, whole.
    fn long_key(&self, slots: &[Slot], long: &[u8], id: &str, ids: &mut Vec<u8>) -> Option<Key> {
        let hash = hash_long(id.as_bytes());
        if let Some(short) = put_long(hash, id.as_bytes(), ids) {
            return Some(Key { word: hash, short });
        }
        let found = find_slot(slots, home(hash, slots.len()), |s| {
            long_holds(s, hash, id.as_bytes(), long, self.customers)
        });
        let mut short = [0; SHORT];
        short[0] = RESOLVED;
        Some(Key {
            word: u64::from(found.err()?.customer),
            short,
        })
    }

    /// The bytes of a long id's key in `ids`.
    fn long_id<'i>(key: &Key, ids: &'i [u8]) -> &'i [u8] {
        let (len, at, _) = long_parts(&key.short);
        &ids[at..at + usize::from(len)]
    }

    /// The id a key was made from (for naming an id no customer has), with the `ids` given
    /// to [`IdIndex::key`].
    pub fn id_of_key(&self, key: &Key, ids: &[u8]) -> String {
        match &self.table.0 {
            Layout::Dense {
                prefix,
                digits: Digits::Fixed(width),
                ..
            } => format!("{prefix}{:0width$}", key.word),
            Layout::Dense { prefix, .. } => format!("{prefix}{}", key.word),
            Layout::Hashed { .. } => match key.short[0] {
                RESOLVED => self.customers[key.word as usize].id.to_string(),
                LONG => String::from_utf8_lossy(Self::long_id(key, ids)).into_owned(),
                _ => {
                    let len = key.short.iter().position(|&b| b == 0xFF).unwrap_or(SHORT);
                    String::from_utf8_lossy(&key.short[..len]).into_owned()
                }
            },
        }
    }

    /// Asks for the memory [`IdIndex::resolve`] will read for `key`, without waiting.
    #[inline]
    pub fn prefetch(&self, key: &Key) {
        match &self.table.0 {
            Layout::Dense { slots, .. } => {
                if let Some(slot) = slots.get(key.word as usize) {
                    super::memory::prefetch(slot);
                }
            }
            Layout::Hashed { slots, .. } => {
                if key.short[0] != RESOLVED {
                    super::memory::prefetch(&slots[home(key.word, slots.len())]);
                }
            }
        }
    }

    /// [`IdIndex::resolve`] for a pipeline, which reads a long id's text a step later: the
    /// same answer for every key but a long id's, whose answer is the customer of the first
    /// slot with the same length and half hash (or none), its text asked for but not yet
    /// compared. Such a key must be resolved again (see [`Key::is_long`]) once the text has
    /// come.
    #[inline]
    pub fn resolve_early(&self, key: &Key, ids: &[u8]) -> Option<usize> {
        let Layout::Hashed { slots, long } = &self.table.0 else {
            return self.resolve(key, ids);
        };
        if !key.is_long() {
            return self.resolve(key, ids);
        }
        let (len, _, half) = long_parts(&key.short);
        let guess = find_slot(slots, home(key.word, slots.len()), |s| {
            let (l, _, h) = long_parts(&s.short);
            s.short[0] == LONG && l == len && h == half
        })
        .err()?;
        // Both ends: an id of a few dozen bytes often crosses a cache line.
        let at = long_parts(&guess.short).1;
        if let Some(text) = long.get(at..at + usize::from(len)) {
            super::memory::prefetch(&text[0]);
            super::memory::prefetch(&text[text.len() - 1]);
        }
        Some(guess.customer as usize)
    }

    /// The second half: the customer a key stands for, with the `ids` given to
    /// [`IdIndex::key`].
    #[inline]
    pub fn resolve(&self, key: &Key, ids: &[u8]) -> Option<usize> {
        match &self.table.0 {
            Layout::Dense { slots, .. } => Some(slots[key.word as usize])
                .filter(|&s| s != u32::MAX)
                .map(|s| s as usize),
            Layout::Hashed { slots, long } => {
                let start = home(key.word, slots.len());
                match key.short[0] {
                    RESOLVED => Some(key.word as usize),
                    LONG => {
                        let id = Self::long_id(key, ids);
                        find_slot(slots, start, |s| {
                            long_holds(s, key.word, id, long, self.customers)
                        })
                        .err()
                        .map(|s| s.customer as usize)
                    }
                    _ => find_slot(slots, start, |s| s.short == key.short)
                        .err()
                        .map(|s| s.customer as usize),
                }
            }
        }
    }
}

/// Two ids of the same length, too long for a slot, whose hashes have the same low half and
/// start their probes at the same slot of a table for at most five customers (eight
/// slots): the fold takes a long id's customer from its slot's length and half hash before
/// it compares the text (see [`IdIndex::resolve_early`]), and must still tell them apart.
#[cfg(test)]
pub(crate) fn long_ids_alike() -> (String, String) {
    let mut seen = std::collections::HashMap::new();
    for i in 0.. {
        let id = format!("long-customer-{i:08}");
        let hash = hash_long(id.as_bytes());
        if let Some(other) = seen.insert((hash as u32, home(hash, 8)), id.clone()) {
            return (other, id);
        }
    }
    unreachable!()
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn book(ids: &[&str]) -> Vec<Customer> {
        ids.iter()
            .map(|id| Customer {
                id: (*id).into(),
                ..Customer::default()
            })
            .collect()
    }

    /// Each id's lookup, and the name a key gives back, as the book's first customer with
    /// the id says (None: no customer has it).
    fn check(ids: &[&str], lookups: &[(&str, Option<usize>)]) -> IdTable {
        let customers = book(ids);
        let (table, _) = IdTable::build(&customers);
        let index = table.index(&customers);
        for &(id, want) in lookups {
            assert_eq!(index.get(id), want, "{id} in {ids:?}");
            let mut bytes = b"before".to_vec();
            if let Some(key) = index.key(id, &mut bytes) {
                assert_eq!(index.id_of_key(&key, &bytes), id, "{ids:?}");
                assert_eq!(index.resolve(&key, &bytes), want, "{id} in {ids:?}");
            }
        }
        table
    }

    #[test]
    fn prefixed_fixed_width_numbers_are_dense() {
        let table = check(
            &["C0000003", "C0000001", "C0000002", "C0000001"],
            &[
                ("C0000001", Some(1)),
                ("C0000003", Some(0)),
                ("C000001", None),
                ("C00000001", None),
                ("C0000004", None),
                ("D0000001", None),
                ("C00000a1", None),
                ("", None),
            ],
        );
        assert!(matches!(
            table.0,
            Layout::Dense {
                digits: Digits::Fixed(7),
                ..
            }
        ));
    }

    /// Numbered ids as a spreadsheet leaves them: the same number with a leading zero is
    /// another id, which no customer has.
    #[test]
    fn prefixed_unpadded_numbers_are_dense() {
        for (ids, lookups) in [
            (
                &["C1", "C22", "C333", "C0", "C22"][..],
                &[
                    ("C1", Some(0)),
                    ("C22", Some(1)),
                    ("C333", Some(2)),
                    ("C0", Some(3)),
                    ("C01", None),
                    ("C022", None),
                    ("C00", None),
                    ("C4", None),
                    ("C", None),
                    ("c1", None),
                ][..],
            ),
            (
                &["100", "7", "12"],
                &[("7", Some(1)), ("100", Some(0)), ("007", None), ("8", None)],
            ),
            (
                &["客户12", "客户3"],
                &[("客户3", Some(1)), ("客户03", None), ("客户12", Some(0))],
            ),
        ] {
            let table = check(ids, lookups);
            assert!(
                matches!(
                    table.0,
                    Layout::Dense {
                        digits: Digits::Unpadded,
                        ..
                    }
                ),
                "{ids:?}"
            );
        }
    }

    #[test]
    fn other_shapes_are_hashed_short_and_long() {
        let long = "上海华明包装有限公司-华东区";
        let longer = "buyer.0000001@example.com";
        let table = check(
            &[
                "京001", "沪001", "A1", "C0001", "C1", long, longer, "A1", long,
            ],
            &[
                ("京001", Some(0)),
                ("沪001", Some(1)),
                ("A1", Some(2)),
                ("C0001", Some(3)),
                ("C1", Some(4)),
                (long, Some(5)),
                (longer, Some(6)),
                ("C01", None),
                ("a1", None),
                ("", None),
                ("京00", None),
                ("上海华明包装有限公司-华东", None),
                ("buyer.0000001@example.co", None),
                ("buyer.0000001@example.con", None),
                ("123456789012", None),
                ("1234567890123", None),
            ],
        );
        assert!(matches!(table.0, Layout::Hashed { .. }));
    }

    /// An id past what a slot's length holds is read from its customer.
    #[test]
    fn ids_too_long_for_the_text_of_long_ids_are_found_too() {
        let huge = "x".repeat(70_000);
        let mut near = huge.clone();
        near.pop();
        near.push('y');
        check(
            &[&huge, "a-1", &huge],
            &[(&huge, Some(0)), (&near, None), ("a-1", Some(1))],
        );
    }

    #[test]
    fn duplicates_are_found_while_building_in_every_form() {
        for (ids, want) in [
            (
                &["C0000003", "C0000001", "C0000002", "C0000001", "C0000003"][..],
                &[(3, 1), (4, 0)][..],
            ),
            (&["C3", "C10", "C3", "C10"], &[(2, 0), (3, 1)]),
            (&["A1", "B2", "A1", "x", "B2"], &[(2, 0), (4, 1)]),
            (
                &["a-very-long-id-indeed", "b", "a-very-long-id-indeed"],
                &[(2, 0)],
            ),
        ] {
            let (_, dups) = IdTable::build(&book(ids));
            assert_eq!(dups, want, "{ids:?}");
        }
    }

    /// A long id whose length and half hash are another's is first taken for it, and then
    /// told apart.
    #[test]
    fn a_long_id_taken_early_for_another_is_told_apart() {
        let (a, b) = long_ids_alike();
        assert_eq!(a.len(), b.len());
        let customers = book(&["x", &a, "y"]);
        let (table, _) = IdTable::build(&customers);
        let index = table.index(&customers);
        let mut bytes = Vec::new();
        let key = index.key(&b, &mut bytes).unwrap();
        assert!(key.is_long());
        assert_eq!(index.resolve_early(&key, &bytes), Some(1));
        assert_eq!(index.resolve(&key, &bytes), None);
        assert_eq!(index.id_of_key(&key, &bytes), b);
        assert_eq!(index.get(&a), Some(1));
    }

    /// The mean number of slots a lookup of each id reads: about two at two thirds full, as
    /// linear probing with an even hash gives. Ids that differ in a few digits must not
    /// pile up in a few runs of slots.
    #[test]
    fn hashed_ids_spread_over_the_table() {
        let n = 100_000;
        for shape in [
            |i: usize| format!("C{i:07}-K"),
            |i: usize| format!("{i:x}"),
            |i: usize| format!("buyer.{i:07}@example.com"),
            // 23 bytes: the number only in the last eight, which overlap the second word.
            |i: usize| format!("customer-number-{i:06}x"),
        ] {
            let ids: Vec<String> = (0..n).map(shape).collect();
            let customers = book(&ids.iter().map(String::as_str).collect::<Vec<_>>());
            let (table, _) = IdTable::build(&customers);
            let Layout::Hashed { slots, .. } = &table.0 else {
                panic!("{} is dense", ids[0])
            };
            let mut reads = 0;
            for id in &ids {
                let hash = padded(id).map_or_else(|| hash_long(id.as_bytes()), |s| hash_short(&s));
                let start = home(hash, slots.len());
                let found = probe(slots, start).position(|(_, s)| {
                    s.customer != u32::MAX && *customers[s.customer as usize].id == **id
                });
                reads += found.expect("every id is in the table") + 1;
            }
            let mean = reads as f64 / n as f64;
            assert!(mean < 2.3, "{}: {mean:.3} slots per lookup", ids[0]);
        }
    }

    fn id_strategy() -> impl Strategy<Value = String> {
        prop_oneof![
            (0u32..40).prop_map(|n| format!("C{n:03}")),
            (0u32..40).prop_map(|n| format!("C{n}")),
            (0u32..40).prop_map(|n| format!("{n}")),
            "[A-C0-9]{0,3}",
            "[a-b]{10,14}",
            "[京沪]{1,5}[0-9]{0,2}",
        ]
    }

    proptest! {
        /// Whatever the ids, every lookup agrees with a map of each id to its first
        /// customer, duplicates are every later customer of an id, and a key names its id.
        #[test]
        fn lookups_agree_with_a_map_of_first_positions(
            ids in proptest::collection::vec(id_strategy(), 1..40),
            probes in proptest::collection::vec(id_strategy(), 0..20),
        ) {
            let customers = book(&ids.iter().map(String::as_str).collect::<Vec<_>>());
            let mut first = std::collections::HashMap::new();
            let mut want_dups = Vec::new();
            for (i, id) in ids.iter().enumerate() {
                match first.get(id.as_str()) {
                    Some(&f) => want_dups.push((i, f)),
                    None => { first.insert(id.as_str(), i); }
                }
            }
            let (table, dups) = IdTable::build(&customers);
            prop_assert_eq!(dups, want_dups);
            let index = table.index(&customers);
            for id in ids.iter().chain(&probes) {
                prop_assert_eq!(index.get(id), first.get(id.as_str()).copied(), "{}", id);
                let mut bytes = Vec::new();
                if let Some(key) = index.key(id, &mut bytes) {
                    prop_assert_eq!(index.id_of_key(&key, &bytes), id.as_str());
                }
            }
        }
    }
}
