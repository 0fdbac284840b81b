//! Where a quoted field is left open: the quotes of CSV text followed as `csv_core` reads
//! them, for the record splitter's records that go the slow way and for a whole log before
//! `log` appends to it.

/// Whether a record is inside a quoted field, followed a piece at a time as `csv_core`
/// reads it: a quote opens a field only at the field's start (after a delimiter or a line
/// end, or first in the record), closes it unless doubled, and is an ordinary character
/// anywhere else. Only the quotes are looked at (found by `memchr`), each with the byte
/// before or after it, so a record with none costs a search.
#[derive(Clone, Copy, Debug)]
pub(super) struct Quotes {
    delimiter: u8,
    /// Inside a quoted field: where its opening quote is, from the record's first byte.
    open: Option<usize>,
    /// The last byte fed is a quote inside a quoted field: it closes the field unless the
    /// next byte is a quote too (a doubled quote, one `"` of the text).
    pending: bool,
    /// The last byte fed (a line end before the first: a record starts a field).
    last: u8,
    /// Bytes fed since the record's first.
    fed: usize,
}

impl Quotes {
    pub(super) fn new(delimiter: u8) -> Quotes {
        Quotes {
            delimiter,
            open: None,
            pending: false,
            last: b'\n',
            fed: 0,
        }
    }

    /// Follows the quotes of the record's next bytes.
    pub(super) fn feed(&mut self, bytes: &[u8]) {
        let Some(&last) = bytes.last() else {
            return;
        };
        let mut i = 0;
        if self.pending {
            self.pending = false;
            if bytes[0] == b'"' {
                i = 1;
            } else {
                self.open = None;
            }
        }
        while let Some(n) = memchr::memchr(b'"', &bytes[i..]) {
            let at = i + n;
            i = at + 1;
            if self.open.is_some() {
                match bytes.get(at + 1) {
                    Some(b'"') => i = at + 2,
                    Some(_) => self.open = None,
                    None => self.pending = true,
                }
            } else {
                let before = if at == 0 { self.last } else { bytes[at - 1] };
                if before == self.delimiter || before == b'\n' || before == b'\r' {
                    self.open = Some(self.fed + at);
                }
            }
        }
        self.last = last;
        self.fed += bytes.len();
    }

    /// Where the open quoted field's quote is, if the record ended now.
    pub(super) fn unclosed(&self) -> Option<usize> {
        self.open.filter(|_| !self.pending)
    }
}

/// Where the quote is that the end of the CSV text read from `input` leaves open (from the
/// text's start), as [`Record::unclosed`] finds it: a `"` missing, which makes the rest of
/// the text one field. Only the quotes are looked at, so a pass costs little more than a
/// read.
pub fn unclosed_quote(
    mut input: impl std::io::Read,
    delimiter: u8,
) -> std::io::Result<Option<usize>> {
    let mut quotes = Quotes::new(delimiter);
    let mut buf = vec![0u8; 1 << 20];
    loop {
        let n = match input.read(&mut buf) {
            Ok(0) => return Ok(quotes.unclosed()),
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        };
        quotes.feed(&buf[..n]);
    }
}

#[cfg(test)]
mod tests {
    use super::super::plain;
    use super::super::records::{Splitter, Step, blank_run};
    use super::*;
    use proptest::prelude::*;

    /// Where the splitter says the quote left open is, from the start of `text` fed in
    /// pieces of the given sizes.
    fn unclosed_by_splitter(text: &[u8], delimiter: u8, pieces: &[usize]) -> Option<usize> {
        let mut splitter = Splitter::new(delimiter);
        let mut sizes = pieces.iter().copied().cycle();
        let (mut buf, mut fed, mut consumed, mut start) = (Vec::new(), 0, 0, 0);
        let mut found = None;
        loop {
            let eof = fed == text.len();
            if !splitter.in_record() {
                start = consumed + blank_run(&buf);
            }
            match splitter.next(&buf, eof) {
                Step::Record(r, used) => {
                    if let Some(quote) = r.unclosed() {
                        assert!(found.is_none(), "one record at most runs to the end");
                        found = Some(start + quote);
                    }
                    buf.drain(..used);
                    consumed += used;
                }
                Step::NeedMore(used) => {
                    buf.drain(..used);
                    consumed += used;
                    let n = sizes.next().unwrap_or(1).max(1).min(text.len() - fed);
                    buf.extend_from_slice(&text[fed..fed + n]);
                    fed += n;
                }
                Step::End => return found,
            }
        }
    }

    #[test]
    fn a_quote_left_open_is_found_at_its_place() {
        for (text, want) in [
            (&b"a,b\nc,\"open\nd,e\n"[..], Some(6)),
            (b"a,\"x\"\"", Some(2)),
            (b"a,\"x\"\"\"", None),
            (b"a,\"x\"\"\n\"", None),
            (b"a,5\" screen\n", None),
            (b"a,\"x\"y\"\n", None),
            (b"\"\"\"", Some(0)),
            (b"\"\"", None),
            (b"a\r\"b", Some(2)),
            (b"a,\"b\"\r\n\n\"c,d", Some(8)),
            (b"x,\"two\nlines\"\n", None),
        ] {
            assert_eq!(plain::unclosed_quote(text, b','), want, "{text:?}");
            assert_eq!(unclosed_quote(text, b',').unwrap(), want, "{text:?}");
            for pieces in [&[1][..], &[2, 3], &[1000]] {
                assert_eq!(
                    unclosed_by_splitter(text, b',', pieces),
                    want,
                    "{text:?} in pieces {pieces:?}"
                );
            }
        }
    }

    proptest! {
        /// Whatever the bytes, the delimiter and however they arrive, the quote left open is
        /// the one a byte-by-byte walk through a field's states finds, for the splitter's
        /// records and for a whole text alike.
        #[test]
        fn finds_what_a_walk_byte_by_byte_finds(
            text in proptest::collection::vec(
                prop::sample::select(vec![b'a', b',', b';', b'\t', b'"', b'\n', b'\r', b' ', 0xE4]),
                0..300,
            ),
            delimiter in prop::sample::select(vec![b',', b';', b'\t']),
            pieces in proptest::collection::vec(1usize..40, 1..8),
        ) {
            let unclosed = plain::unclosed_quote(&text, delimiter);
            prop_assert_eq!(unclosed_by_splitter(&text, delimiter, &pieces), unclosed);
            prop_assert_eq!(unclosed_quote(&text[..], delimiter).unwrap(), unclosed);
        }
    }
}
