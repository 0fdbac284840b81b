//! Splitting CSV bytes into records exactly as the csv crate does (`"` quotes with doubled
//! quotes inside, CR, LF or CRLF line ends, blank lines skipped), but fast on the lines that
//! need no state machine: a line of plain fields is cut sixteen bytes at a time, a line with
//! simply quoted fields byte by byte, and the rest go through `csv_core`, which keeps its
//! state across refills.

use std::ops::Range;

use super::quotes::Quotes;

/// One step of [`Splitter::next`].
pub enum Step<'a> {
    /// A record, and how many bytes of the input it used (blank lines before it included).
    Record(Record<'a>, usize),
    /// The input ended inside a record (or before the end of a line): this many bytes were
    /// used; call again with the rest and more after it.
    NeedMore(usize),
    /// No more records (only when `eof` was passed).
    End,
}

/// The fields of one record: ranges in `bytes`.
pub struct Record<'a> {
    bytes: &'a [u8],
    fields: &'a [Range<usize>],
    /// Whether `bytes` is the input the step was given (else the unquoted copy).
    in_input: bool,
    /// See [`Record::unclosed`].
    unclosed: Option<usize>,
}

impl<'a> Record<'a> {
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    /// Where the quote that opened the record's last field is (counted from the record's
    /// first byte, the blank lines before it not counted), when the input ended inside that
    /// field: the record is then everything from that quote to the end, as the csv crate
    /// reads it, and a `"` is missing.
    pub fn unclosed(&self) -> Option<usize> {
        self.unclosed
    }

    /// Whether every field is empty (a line of delimiters only).
    pub fn all_empty(&self) -> bool {
        self.fields.iter().all(|f| f.is_empty())
    }

    /// The record as text, checked once: when its fields lie in `checked` (the input this
    /// step was given, from its start, already known to be UTF-8) without a second check,
    /// else as [`Record::text`] checks it.
    pub fn text_within(&self, checked: &'a str) -> Result<TextRecord<'a>, usize> {
        let end = self.fields.last().map_or(0, |f| f.end);
        // Fields cut from the input start and end next to ASCII bytes (delimiters, quotes,
        // line ends), so they are character boundaries of a checked text.
        if self.in_input && end <= checked.len() {
            return Ok(TextRecord {
                text: checked,
                base: 0,
                fields: self.fields,
            });
        }
        self.text()
    }

    /// The bytes of field `i` (unquoted), if the record has one.
    pub fn field(&self, i: usize) -> Option<&'a [u8]> {
        self.fields.get(i).map(|f| &self.bytes[f.clone()])
    }

    /// The record as text, or the index of the first field that is not valid UTF-8. The
    /// record's bytes are checked once, not field by field.
    pub fn text(&self) -> Result<TextRecord<'a>, usize> {
        let base = self.fields.first().map_or(0, |f| f.start);
        let end = self.fields.last().map_or(0, |f| f.end);
        if let Ok(text) = std::str::from_utf8(&self.bytes[base..end]) {
            // A quoted record's fields lie end to end, so a character could straddle two of
            // them and the whole still be valid: then a field on its own is not.
            let at_boundaries = self.fields.iter().all(|f| {
                text.is_char_boundary(f.start - base) && text.is_char_boundary(f.end - base)
            });
            if at_boundaries {
                return Ok(TextRecord {
                    text,
                    base,
                    fields: self.fields,
                });
            }
        }
        Err(self
            .fields
            .iter()
            .position(|f| std::str::from_utf8(&self.bytes[f.clone()]).is_err())
            .unwrap_or(0))
    }
}

/// A record known to be UTF-8.
pub struct TextRecord<'a> {
    text: &'a str,
    /// Where `text` starts in the record's bytes.
    base: usize,
    fields: &'a [Range<usize>],
}

impl<'a> TextRecord<'a> {
    pub fn len(&self) -> usize {
        self.fields.len()
    }

    pub fn is_empty(&self) -> bool {
        self.fields.is_empty()
    }

    pub fn get(&self, i: usize) -> Option<&'a str> {
        let f = self.fields.get(i)?;
        Some(&self.text[f.start - self.base..f.end - self.base])
    }

    pub fn iter(&self) -> impl Iterator<Item = &'a str> + '_ {
        (0..self.fields.len()).filter_map(|i| self.get(i))
    }
}

/// How many line-end bytes (CR, LF) `bytes` starts with: the blank lines before a record.
pub fn blank_run(bytes: &[u8]) -> usize {
    bytes
        .iter()
        .position(|&b| b != b'\n' && b != b'\r')
        .unwrap_or(bytes.len())
}

/// The splitter's state; one per stream.
pub struct Splitter {
    delimiter: u8,
    core: csv_core::Reader,
    /// A record going through `csv_core`: its unquoted bytes and field ends so far.
    out: Vec<u8>,
    ends: Vec<usize>,
    nout: usize,
    nend: usize,
    /// Whether `core` is in the middle of a record.
    in_record: bool,
    /// Whether `core` was given the empty input that finishes the stream.
    finished: bool,
    fields: Vec<Range<usize>>,
    /// The quotes of the record going through `csv_core`.
    quotes: Quotes,
}

impl Splitter {
    pub fn new(delimiter: u8) -> Splitter {
        let mut core = csv_core::ReaderBuilder::new().delimiter(delimiter).build();
        // csv_core strips a UTF-8 BOM from the first input it sees; a record that merely
        // starts with those bytes mid-file must keep them, so the first input is a blank line.
        let _ = core.read_record(b"\n", &mut [], &mut []);
        Splitter {
            delimiter,
            core,
            out: vec![0; 1024],
            ends: vec![0; 16],
            nout: 0,
            nend: 0,
            in_record: false,
            finished: false,
            fields: Vec::new(),
            quotes: Quotes::new(delimiter),
        }
    }

    /// Whether the last step stopped inside a record that `csv_core` is still reading.
    pub fn in_record(&self) -> bool {
        self.in_record
    }

    /// Reads the next record from `input`, which starts where the previous step stopped.
    /// `eof`: nothing follows `input`.
    pub fn next<'a>(&'a mut self, input: &'a [u8], eof: bool) -> Step<'a> {
        let mut used = 0;
        if !self.in_record {
            // Blank lines (any run of CR and LF) are skipped, as csv_core does.
            used = blank_run(input);
            let rest = &input[used..];
            if rest.is_empty() {
                return if eof { Step::End } else { Step::NeedMore(used) };
            }
            if let Some(len) = split_plain(rest, self.delimiter, used, &mut self.fields) {
                return Step::Record(
                    Record {
                        bytes: input,
                        fields: &self.fields,
                        in_input: true,
                        unclosed: None,
                    },
                    used + len + 1,
                );
            }
            // The line, unless a CR comes first (a CR ends a record too: the slow way).
            let line_end = match memchr::memchr2(b'\n', b'\r', rest) {
                Some(n) if rest[n] == b'\n' => Some(n),
                Some(_) => return self.slow(input, used, eof),
                None if eof => None,
                None => return Step::NeedMore(used),
            };
            let line = &rest[..line_end.unwrap_or(rest.len())];
            if split_line(line, self.delimiter, used, &mut self.fields) {
                let consumed = used + line.len() + usize::from(line_end.is_some());
                return Step::Record(
                    Record {
                        bytes: input,
                        fields: &self.fields,
                        in_input: true,
                        unclosed: None,
                    },
                    consumed,
                );
            }
        }
        self.slow(input, used, eof)
    }

    /// The state machine's way, for a record with quotes or CRs.
    fn slow<'a>(&'a mut self, input: &'a [u8], mut used: usize, eof: bool) -> Step<'a> {
        use csv_core::ReadRecordResult as R;
        loop {
            let rest = &input[used..];
            if rest.is_empty() && !eof {
                return Step::NeedMore(used);
            }
            if rest.is_empty() && self.finished {
                return Step::End;
            }
            self.finished = rest.is_empty();
            self.in_record = true;
            let (res, nin, nout, nend) = self.core.read_record(
                rest,
                &mut self.out[self.nout..],
                &mut self.ends[self.nend..],
            );
            self.quotes.feed(&rest[..nin]);
            used += nin;
            self.nout += nout;
            self.nend += nend;
            match res {
                R::InputEmpty => {}
                R::OutputFull => {
                    let n = self.out.len() * 2;
                    self.out.resize(n, 0);
                }
                R::OutputEndsFull => {
                    let n = self.ends.len() * 2;
                    self.ends.resize(n, 0);
                }
                R::Record => {
                    self.fields.clear();
                    let mut start = 0;
                    for &end in &self.ends[..self.nend] {
                        self.fields.push(start..end);
                        start = end;
                    }
                    self.nout = 0;
                    self.nend = 0;
                    self.in_record = false;
                    // Only the end of the input ends a record inside quotes.
                    let unclosed = self.quotes.unclosed().filter(|_| self.finished);
                    self.quotes = Quotes::new(self.delimiter);
                    return Step::Record(
                        Record {
                            bytes: &self.out,
                            fields: &self.fields,
                            in_input: false,
                            unclosed,
                        },
                        used,
                    );
                }
                R::End => {
                    self.in_record = false;
                    self.quotes = Quotes::new(self.delimiter);
                    return Step::End;
                }
            }
        }
    }
}

/// Calls `take` with each record of the CSV text `input` gives (blank lines skipped, as
/// csv_core does), read `block` bytes at a time (more when a record is longer).
pub fn for_each_record(
    mut input: impl std::io::Read,
    delimiter: u8,
    block: usize,
    mut take: impl FnMut(&Record<'_>),
) -> std::io::Result<()> {
    let mut splitter = Splitter::new(delimiter);
    let mut buf = vec![0u8; block.max(1)];
    let (mut lo, mut hi, mut eof) = (0, 0, false);
    loop {
        match splitter.next(&buf[lo..hi], eof) {
            Step::Record(record, used) => {
                take(&record);
                lo += used;
            }
            Step::NeedMore(used) => {
                lo += used;
                refill(&mut input, &mut buf, &mut lo, &mut hi, &mut eof)?;
            }
            Step::End => return Ok(()),
        }
    }
}

/// Moves the unread bytes to the front of `buf` (growing it when a record fills it) and
/// reads more after them.
pub(super) fn refill<R: std::io::Read>(
    input: &mut R,
    buf: &mut Vec<u8>,
    lo: &mut usize,
    hi: &mut usize,
    eof: &mut bool,
) -> std::io::Result<()> {
    buf.copy_within(*lo..*hi, 0);
    *hi -= *lo;
    *lo = 0;
    if *hi == buf.len() {
        buf.resize(buf.len() * 2, 0);
    }
    loop {
        match input.read(&mut buf[*hi..]) {
            Ok(0) => *eof = true,
            Ok(n) => *hi += n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(e),
        }
        return Ok(());
    }
}

/// Which bytes of a 16-byte chunk are a LF, the delimiter, or a quote or CR (bit i: byte i).
#[derive(Debug, PartialEq, Eq)]
struct Marks {
    lf: u32,
    delimiter: u32,
    quote_or_cr: u32,
}

/// The marks of `chunk`, sixteen bytes compared at once.
#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
fn marks(chunk: &[u8; 16], delimiter: u8) -> Marks {
    // SAFETY: the function needs only sse2, which this build enables (the cfg above).
    unsafe { marks_sse2(chunk, delimiter) }
}

#[cfg(all(target_arch = "x86_64", target_feature = "sse2"))]
#[target_feature(enable = "sse2")]
fn marks_sse2(chunk: &[u8; 16], delimiter: u8) -> Marks {
    use std::arch::x86_64::{
        _mm_cmpeq_epi8, _mm_movemask_epi8, _mm_or_si128, _mm_set_epi64x, _mm_set1_epi8,
    };
    let half = |at: usize| {
        let mut word = [0u8; 8];
        word.copy_from_slice(&chunk[at..at + 8]);
        i64::from_le_bytes(word)
    };
    // Compiles to one unaligned load.
    let v = _mm_set_epi64x(half(8), half(0));
    let eq = |b: u8| _mm_cmpeq_epi8(v, _mm_set1_epi8(b as i8));
    let bits = |m| _mm_movemask_epi8(m) as u32;
    Marks {
        lf: bits(eq(b'\n')),
        delimiter: bits(eq(delimiter)),
        quote_or_cr: bits(_mm_or_si128(eq(b'"'), eq(b'\r'))),
    }
}

/// The marks of `chunk`, eight bytes at a time in a u64 (where there is no sse2).
#[cfg(not(all(target_arch = "x86_64", target_feature = "sse2")))]
fn marks(chunk: &[u8; 16], delimiter: u8) -> Marks {
    marks_swar(chunk, delimiter)
}

/// The high bit of each byte of `word` that equals `b`, and no other bit: exact, with no
/// carries between bytes (eight bytes compared at once, where there is no vector unit or
/// the text is too short for one).
#[inline(always)]
pub fn bytes_equal(word: u64, b: u8) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let x = word ^ (ONES * u64::from(b));
    !(((x & LOW7) + LOW7) | x) & HIGH
}

#[cfg_attr(all(target_arch = "x86_64", target_feature = "sse2"), allow(dead_code))]
fn marks_swar(chunk: &[u8; 16], delimiter: u8) -> Marks {
    // The high bits of the bytes equal to `b`, gathered into the low eight bits.
    let eq =
        |word: u64, b: u8| (bytes_equal(word, b).wrapping_mul(0x0002_0408_1020_4081) >> 56) as u32;
    let mut m = Marks {
        lf: 0,
        delimiter: 0,
        quote_or_cr: 0,
    };
    for (k, half) in chunk.chunks_exact(8).enumerate() {
        let mut bytes = [0u8; 8];
        bytes.copy_from_slice(half);
        let word = u64::from_le_bytes(bytes);
        m.lf |= eq(word, b'\n') << (8 * k);
        m.delimiter |= eq(word, delimiter) << (8 * k);
        m.quote_or_cr |= (eq(word, b'"') | eq(word, b'\r')) << (8 * k);
    }
    m
}

/// The commonest line, fields without quotes ended by a LF, walked sixteen bytes at a time:
/// `field_end` is called with the offset in `rest` where each field ends (each delimiter,
/// then the LF). Returns the line's length (LF excluded), or None for anything else (a
/// quote or CR before the LF, or no LF in the last sixteen bytes' reach) for the byte-wise
/// path to handle; `field_end` may have been called for some fields by then.
#[inline(always)]
fn walk_plain(rest: &[u8], delimiter: u8, mut field_end: impl FnMut(usize)) -> Option<usize> {
    for (k, chunk) in rest.chunks_exact(16).enumerate() {
        let m = marks(chunk.try_into().ok()?, delimiter);
        // Bits of the bytes before the first LF (all, when there is none).
        let before = if m.lf == 0 {
            u32::MAX
        } else {
            (m.lf & m.lf.wrapping_neg()) - 1
        };
        if m.quote_or_cr & before != 0 {
            return None;
        }
        let mut delimiters = m.delimiter & before;
        while delimiters != 0 {
            field_end(k * 16 + delimiters.trailing_zeros() as usize);
            delimiters &= delimiters - 1;
        }
        if m.lf != 0 {
            let end = k * 16 + m.lf.trailing_zeros() as usize;
            field_end(end);
            return Some(end);
        }
    }
    None
}

/// A line of plain fields (see [`walk_plain`]) cut into fields, as ranges offset by `base`.
fn split_plain(
    rest: &[u8],
    delimiter: u8,
    base: usize,
    fields: &mut Vec<Range<usize>>,
) -> Option<usize> {
    fields.clear();
    let mut start = 0;
    walk_plain(rest, delimiter, |end| {
        fields.push(base + start..base + end);
        start = end + 1;
    })
}

/// Where the first fields of a record end, when they are plain (no quote, CR or LF in
/// them) and the record ends on its first line: `ends[k]` becomes the offset in `rest`
/// where field k ends, for as many fields as `ends` holds. The fields after them may be
/// quoted (a log's note often is), as long as each closes before the line's end. Returns
/// the record's length (LF excluded), or None for the splitter to read it: fewer fields
/// than `ends`, a quote or CR in one of them, a CR outside quotes after them, a line break
/// inside quotes, or no LF in `rest`.
#[inline(always)]
pub fn plain_prefix(rest: &[u8], delimiter: u8, ends: &mut [usize]) -> Option<usize> {
    let mut found = 0;
    let walked = walk_plain(rest, delimiter, |end| {
        if let Some(slot) = ends.get_mut(found) {
            *slot = end;
            found += 1;
        }
    });
    match walked {
        Some(len) => (found == ends.len()).then_some(len),
        None => quoted_rest(rest, delimiter, ends, found),
    }
}

/// [`plain_prefix`] once the sixteen-byte walk has stopped at a quote or CR, with `found`
/// of the fields sought found: the others byte by byte from the last one found, then the
/// rest of the record. Out of line: the walk is inlined where lines are read, this is not.
#[inline(never)]
fn quoted_rest(rest: &[u8], delimiter: u8, ends: &mut [usize], mut found: usize) -> Option<usize> {
    let mut at = found.checked_sub(1).map_or(0, |k| ends[k] + 1);
    while found < ends.len() {
        let n = rest[at..]
            .iter()
            .position(|&b| b == delimiter || matches!(b, b'\n' | b'"' | b'\r'))?;
        ends[found] = at + n;
        found += 1;
        match rest[at + n] {
            b'\n' if found == ends.len() => return Some(at + n),
            b if b == delimiter => at += n + 1,
            _ => return None,
        }
    }
    record_end(rest, at, delimiter)
}

/// The offset of the LF that ends the record whose field starting at `at` is not its
/// first, when the record ends on this line and has no CR outside quotes; None otherwise.
/// A field opening with a quote runs to the quote that closes it (a doubled quote is one
/// quote inside it); after that, and in any other field, a quote is an ordinary character,
/// as in csv_core. Byte by byte: what is left of a line is short, too short for a vector
/// search to pay for its calls.
fn record_end(rest: &[u8], at: usize, delimiter: u8) -> Option<usize> {
    #[derive(Clone, Copy)]
    enum In {
        FieldStart,
        Unquoted,
        Quoted,
        /// Just after a quote that closes a quoted field, or doubles one inside it.
        Closed,
    }
    let mut state = In::FieldStart;
    for (i, &b) in rest.iter().enumerate().skip(at) {
        state = match (state, b) {
            (In::Quoted, b'"') => In::Closed,
            (In::Quoted, b'\n') => return None,
            (In::Quoted, _) => In::Quoted,
            (In::FieldStart | In::Closed, b'"') => In::Quoted,
            (_, b'\n') => return Some(i),
            (_, b'\r') => return None,
            (_, b) if b == delimiter => In::FieldStart,
            _ => In::Unquoted,
        };
    }
    None
}

/// Cuts one line (no CR or LF in it) into fields at `delimiter`, as ranges offset by
/// `base`. A quoted field is taken when its closing quote is followed by the delimiter or
/// the line's end; a doubled quote, text after a closing quote, or a quote left open (a
/// line break inside the field) make this return false for the state machine to handle.
/// A quote inside an unquoted field is an ordinary character, as in csv_core.
fn split_line(line: &[u8], delimiter: u8, base: usize, fields: &mut Vec<Range<usize>>) -> bool {
    fields.clear();
    let mut i = 0;
    loop {
        if line.get(i) == Some(&b'"') {
            let Some(close) = memchr::memchr(b'"', &line[i + 1..]) else {
                return false;
            };
            let end = i + 1 + close;
            fields.push(base + i + 1..base + end);
            match line.get(end + 1) {
                None => return true,
                Some(&b) if b == delimiter => i = end + 2,
                Some(_) => return false,
            }
        } else {
            match line[i..].iter().position(|&b| b == delimiter) {
                Some(n) => {
                    fields.push(base + i..base + i + n);
                    i += n + 1;
                }
                None => {
                    fields.push(base + i..base + line.len());
                    return true;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// A record as its fields' bytes, or the index of the first field that is not UTF-8.
    type Read = super::super::plain::RecordRead;

    fn by_csv_crate(text: &[u8], delimiter: u8) -> Vec<Read> {
        super::super::plain::records(text, delimiter)
    }

    /// Reads `text` fed in pieces of the given sizes, as the log scan feeds its blocks.
    fn by_splitter(text: &[u8], delimiter: u8, pieces: &[usize]) -> Vec<Read> {
        let mut splitter = Splitter::new(delimiter);
        let mut sizes = pieces.iter().copied().cycle();
        let (mut buf, mut fed, mut out) = (Vec::new(), 0, Vec::new());
        loop {
            let eof = fed == text.len();
            match splitter.next(&buf, eof) {
                Step::Record(r, used) => {
                    let fields = (0..r.len()).map(|i| r.bytes[r.fields[i].clone()].to_vec());
                    out.push((fields.collect(), r.text().map(|_| ())));
                    buf.drain(..used);
                }
                Step::NeedMore(used) => {
                    buf.drain(..used);
                    let n = sizes.next().unwrap_or(1).max(1).min(text.len() - fed);
                    buf.extend_from_slice(&text[fed..fed + n]);
                    fed += n;
                }
                Step::End => return out,
            }
        }
    }

    #[test]
    fn quoted_fields_lines_and_line_ends() {
        let text = b"a,b\r\n\"x, \"\"y\"\"\",z\n\n\r\nq\"r,\"s\"t\n\"open\nline\",2\r\"\",\n,";
        let want: Vec<Vec<&[u8]>> = vec![
            vec![b"a", b"b"],
            vec![b"x, \"y\"", b"z"],
            vec![b"q\"r", b"st"],
            vec![b"open\nline", b"2"],
            vec![b"", b""],
            vec![b"", b""],
        ];
        for pieces in [&[1][..], &[3], &[7, 2], &[1000]] {
            let got = by_splitter(text, b',', pieces);
            let fields: Vec<Vec<&[u8]>> = got
                .iter()
                .map(|(f, _)| f.iter().map(Vec::as_slice).collect())
                .collect();
            assert_eq!(fields, want, "pieces {pieces:?}");
        }
        assert_eq!(by_splitter(text, b',', &[5]), by_csv_crate(text, b','));
    }

    #[test]
    fn a_bom_mid_stream_is_kept() {
        let text = "a\n\u{feff}b\n".as_bytes();
        assert_eq!(by_splitter(text, b',', &[2]), by_csv_crate(text, b','));
        assert_eq!(
            by_splitter(text, b',', &[2])[1].0,
            vec!["\u{feff}b".as_bytes().to_vec()]
        );
    }

    #[test]
    fn marks_name_each_special_byte_where_it_is() {
        for at in 0..16 {
            let mut chunk = [b'a'; 16];
            let bit = 1 << at;
            for (byte, want) in [
                (b'\n', (bit, 0, 0)),
                (b';', (0, bit, 0)),
                (b'"', (0, 0, bit)),
                (b'\r', (0, 0, bit)),
                (b',', (0, 0, 0)),
                // The same low bits with the high bit set are not marks.
                (b'\n' | 0x80, (0, 0, 0)),
                (b';' | 0x80, (0, 0, 0)),
            ] {
                chunk[at] = byte;
                let (lf, delimiter, quote_or_cr) = want;
                let want = Marks {
                    lf,
                    delimiter,
                    quote_or_cr,
                };
                assert_eq!(marks(&chunk, b';'), want, "byte {byte:#x} at {at}");
                assert_eq!(marks_swar(&chunk, b';'), want, "byte {byte:#x} at {at}");
            }
        }
    }

    proptest! {
        /// The vector marks are the word-at-a-time marks, for any bytes and delimiter.
        #[test]
        fn marks_agree(
            chunk in proptest::array::uniform16(prop::sample::select(vec![
                b'a', b',', b';', b'\t', b'"', b'\n', b'\r', 0x8a, 0xac, 0xa2, 0x0b, 0xff, 0x00,
            ])),
            delimiter in prop::sample::select(vec![b',', b';', b'\t']),
        ) {
            prop_assert_eq!(marks(&chunk, delimiter), marks_swar(&chunk, delimiter));
        }

        /// Whatever the bytes, the delimiter (the book sniffs `,` `;` or tab) and however
        /// they arrive, the records are the csv crate's.
        #[test]
        fn reads_what_the_csv_crate_reads(
            text in proptest::collection::vec(
                prop::sample::select(vec![b'a', b'b', b',', b';', b'\t', b'"', b'\n', b'\r', b' ', 0xC3, 0xA9, 0xE4]),
                0..300,
            ),
            delimiter in prop::sample::select(vec![b',', b';', b'\t']),
            pieces in proptest::collection::vec(1usize..40, 1..8),
        ) {
            prop_assert_eq!(by_splitter(&text, delimiter, &pieces), by_csv_crate(&text, delimiter));
        }

        /// Records walked a few bytes at a time from a reader (a record longer than the
        /// buffer grows it) are the csv crate's too.
        #[test]
        fn each_record_is_what_the_csv_crate_reads(
            text in proptest::collection::vec(
                prop::sample::select(vec![b'a', b',', b'"', b'\n', b'\r', b' ', 0xC3, 0xA9]),
                0..300,
            ),
            block in 1usize..40,
        ) {
            let mut got: Vec<Read> = Vec::new();
            for_each_record(&text[..], b',', block, |r| {
                let fields = (0..r.len()).map(|i| r.bytes[r.fields[i].clone()].to_vec());
                got.push((fields.collect(), r.text().map(|_| ())));
            })
            .expect("a slice reads");
            prop_assert_eq!(got, by_csv_crate(&text, b','));
        }
    }
}
