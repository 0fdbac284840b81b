//! Reading and writing text files in the user's encoding: detection (BOM, UTF-8, or a
//! legacy encoding such as GBK), strict decoding that points at the first bad byte, and
//! encoding back to the same bytes on write.
//!
//! Customer books are often exported by Excel on Chinese Windows, so GBK and UTF-8 with a
//! BOM are as common as plain UTF-8. Nothing here ever substitutes U+FFFD or `?`: a file
//! that does not decode, or text that the file's encoding cannot hold, is an error, because
//! a silent replacement would be written back and lose the customer's data.

use std::borrow::Cow;

use encoding_rs::{DecoderResult, EncoderResult, Encoding, REPLACEMENT, UTF_8, UTF_16BE, UTF_16LE};

/// How a file's bytes map to text, remembered so a write-back keeps it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextEncoding {
    /// The character encoding.
    pub encoding: &'static Encoding,
    /// Whether the file starts with a byte order mark (only UTF-8 and UTF-16 have one).
    pub bom: bool,
}

impl TextEncoding {
    /// How many bytes the file's byte order mark takes (0 without one).
    pub fn bom_len(self) -> usize {
        if self.bom {
            own_bom(self.encoding).map_or(0, <[u8]>::len)
        } else {
            0
        }
    }
}

/// A file's text together with the encoding it was read in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text, without the BOM.
    pub text: String,
    /// How to encode `text` to get the file back.
    pub encoding: TextEncoding,
}

/// Why a file's bytes could not be read as text.
#[derive(Clone, Debug, thiserror::Error, PartialEq, Eq)]
pub enum DecodeError {
    /// Not valid UTF-8, and the detected legacy encoding does not decode it either.
    #[error("not valid UTF-8, and not valid {guess} either (byte 0x{byte:02X})")]
    Undecodable {
        /// Name of the legacy encoding that detection settled on.
        guess: &'static str,
        /// Byte offset in the raw bytes of the first bad byte.
        offset: usize,
        /// The first bad byte.
        byte: u8,
    },
    /// The bytes are not valid in an encoding that was forced, or announced by a BOM.
    #[error("not valid {name} (byte 0x{byte:02X})")]
    Invalid {
        /// Name of the encoding.
        name: &'static str,
        /// Byte offset in the raw bytes of the first bad byte.
        offset: usize,
        /// The first bad byte.
        byte: u8,
    },
}

/// Text that cannot be written in the file's encoding.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
#[error("{name} cannot hold the character {ch:?}")]
pub struct EncodeError {
    /// Name of the encoding.
    pub name: &'static str,
    /// The first character it cannot hold.
    pub ch: char,
    /// Byte offset of that character in the input text.
    pub offset: usize,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";
const UTF16LE_BOM: &[u8] = b"\xFF\xFE";
const UTF16BE_BOM: &[u8] = b"\xFE\xFF";

/// Multi-byte legacy encodings that chardetng can guess. See [`undecodable_prefix`].
const MULTI_BYTE_CANDIDATES: [&Encoding; 5] = [
    encoding_rs::GBK,
    encoding_rs::BIG5,
    encoding_rs::SHIFT_JIS,
    encoding_rs::EUC_KR,
    encoding_rs::EUC_JP,
];

/// Reads a file's bytes as text, detecting the encoding unless one is `forced`.
///
/// Detection: a BOM decides (UTF-8, UTF-16LE, UTF-16BE); else valid UTF-8 is UTF-8; else
/// chardetng guesses a legacy encoding, which must then decode every byte. A forced
/// encoding skips detection, though its own BOM is still recognised and stripped.
pub fn decode(bytes: &[u8], forced: Option<&'static Encoding>) -> Result<Decoded, DecodeError> {
    decode_cow(Cow::Borrowed(bytes), forced)
}

/// Like [`decode`], but takes ownership so that UTF-8 input (the common case) becomes the
/// text without copying it.
pub fn decode_owned(
    bytes: Vec<u8>,
    forced: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    decode_cow(Cow::Owned(bytes), forced)
}

fn decode_cow(
    bytes: Cow<'_, [u8]>,
    forced: Option<&'static Encoding>,
) -> Result<Decoded, DecodeError> {
    // A forced encoding or a BOM is an explicit statement, so a failure is reported against
    // it rather than against a guess.
    let explicit = match forced {
        Some(encoding) => Some((
            encoding,
            own_bom(encoding)
                .filter(|b| bytes.starts_with(b))
                .map_or(0, <[u8]>::len),
        )),
        None => Encoding::for_bom(&bytes),
    };
    if let Some((encoding, bom_len)) = explicit {
        let text = decode_strict(encoding, drop_front(bytes, bom_len)).map_err(|(off, byte)| {
            DecodeError::Invalid {
                name: encoding.name(),
                offset: bom_len + off,
                byte,
            }
        })?;
        return Ok(Decoded {
            text,
            encoding: TextEncoding {
                encoding,
                bom: bom_len > 0,
            },
        });
    }

    let bytes = match into_utf8(bytes) {
        Ok(text) => {
            return Ok(Decoded {
                text,
                encoding: TextEncoding {
                    encoding: UTF_8,
                    bom: false,
                },
            });
        }
        Err(bytes) => bytes,
    };

    // UTF-8 but for a few bad bytes: an error at the first, never a legacy encoding that
    // happens to decode them all (GBK reads almost any run of high bytes) into mojibake.
    let evidence = Utf8Evidence::of(&bytes, DETECT_SAMPLE, false);
    if evidence.is_utf8()
        && let Some(offset) = std::str::from_utf8(&bytes).err().map(|e| e.valid_up_to())
    {
        return Err(DecodeError::Invalid {
            name: UTF_8.name(),
            offset,
            byte: bytes[offset],
        });
    }

    let sample = detect(&bytes, DETECT_SAMPLE);
    let mut guess = sample.encoding;
    let mut decoded = decode_strict(guess, Cow::Borrowed(&bytes));
    if decoded.is_err() && !sample.complete {
        // The sample may have misled chardetng; before blaming the file, decide on all of
        // it, as a failure must be reported against the best guess there is.
        let whole = detect(&bytes, usize::MAX).encoding;
        if whole != guess {
            guess = whole;
            decoded = decode_strict(guess, Cow::Borrowed(&bytes));
        }
    }
    match decoded {
        Ok(text) => {
            if guess.is_single_byte()
                && let Some(err) = undecodable_prefix(&bytes)
            {
                return Err(err);
            }
            Ok(Decoded {
                text,
                encoding: TextEncoding {
                    // GBK stays GBK even though its decoder also reads GB18030's four-byte
                    // sequences: the write-back must produce what Excel expects.
                    encoding: guess,
                    bom: false,
                },
            })
        }
        Err((offset, byte)) => Err(DecodeError::Undecodable {
            guess: guess.name(),
            offset,
            byte,
        }),
    }
}

/// Decides a file's encoding from its first bytes only, for readers that stream the rest
/// (the activity log). It cannot fail: bytes the chosen encoding does not decode are for
/// the streaming reader to report where it meets them.
///
/// Same order as [`decode`]: `forced` (its BOM noted if present), a BOM, UTF-8, then
/// chardetng's guess.
pub fn sniff(head: &[u8], forced: Option<&'static Encoding>) -> TextEncoding {
    if let Some(encoding) = forced {
        let bom = own_bom(encoding).is_some_and(|b| head.starts_with(b));
        return TextEncoding { encoding, bom };
    }
    if let Some((encoding, _)) = Encoding::for_bom(head) {
        return TextEncoding {
            encoding,
            bom: true,
        };
    }
    let utf8 = match std::str::from_utf8(head) {
        Ok(_) => true,
        // The head is cut at an arbitrary byte, so a character left incomplete at its very
        // end is no evidence against UTF-8.
        Err(e) if e.error_len().is_none() => true,
        // UTF-8 but for a few bad bytes: their rows are for the reader to report.
        Err(_) => Utf8Evidence::of(head, usize::MAX, true).is_utf8(),
    };
    if utf8 {
        return TextEncoding {
            encoding: UTF_8,
            bom: false,
        };
    }
    let mut detector = chardetng::EncodingDetector::new();
    // Not `last`: the file usually goes on past the head.
    detector.feed(head, false);
    TextEncoding {
        encoding: detector.guess(Some(HINT), false),
        bom: false,
    }
}

/// [`sniff`] for the activity log, which is read a row at a time and only appended to: a
/// head with no character of more than one byte in UTF-8 and a byte the guessed encoding
/// cannot decode either (a stray byte in an English team's log) is read as UTF-8, so that
/// the rows holding such bytes are skipped and reported, not the whole log refused. A log
/// of Chinese text keeps the guess: a corrupt byte in it stops with its position.
pub fn sniff_log(head: &[u8], forced: Option<&'static Encoding>) -> TextEncoding {
    let enc = sniff(head, forced);
    if forced.is_some() || enc.bom || enc.encoding == UTF_8 {
        return enc;
    }
    let evidence = Utf8Evidence::of(head, usize::MAX, true);
    let mut decoder = enc.encoding.new_decoder_without_bom_handling();
    let mut out = vec![0u8; head.len().saturating_mul(3).saturating_add(16)];
    // Not `last`: a character cut by the head's end is no evidence.
    let (result, _, _) = decoder.decode_to_utf8_without_replacement(head, &mut out, false);
    let refused = matches!(result, encoding_rs::DecoderResult::Malformed(..));
    if evidence.short + evidence.long == 0 && refused {
        TextEncoding {
            encoding: UTF_8,
            bom: false,
        }
    } else {
        enc
    }
}

/// The top-level domain chardetng is told the text comes from: the users are mostly Chinese
/// sales teams, so on thin evidence (a log of one row) GBK should win over EUC-JP or
/// windows-1250. Other encodings are still detected on real evidence; `--encoding` decides
/// where detection cannot.
const HINT: &[u8] = b"cn";

/// How many bytes chardetng reads, counted from the first non-ASCII byte. It runs at
/// about 4 MB/s, so a whole 100 MB file would take half a minute, while a quarter
/// megabyte of non-ASCII text is far more than it needs to be sure.
const DETECT_SAMPLE: usize = 256 * 1024;

/// What the bytes that are not ASCII say for and against UTF-8, in a sample from the first
/// of them: the multi-byte sequences that are valid UTF-8 (by length), and the sequences
/// that are not.
///
/// Chinese text in UTF-8 is three bytes a character; in GBK or Big5 (two bytes a
/// character, nearly any pair of high bytes), a valid two-byte sequence comes by chance
/// every few characters, a three-byte one rarely, and most characters hold a byte that is
/// not UTF-8. So bytes are UTF-8 with a few bad ones when the valid three- and four-byte
/// sequences outnumber the bad ones, or the two-byte ones (European text) do four times:
/// on generated GBK, Big5, EUC-KR and Shift_JIS text of six or more characters, not once
/// in tens of thousands of samples. A legacy encoding is taken only on bytes that say so.
#[derive(Debug, Default, PartialEq, Eq)]
struct Utf8Evidence {
    short: usize,
    long: usize,
    bad: usize,
}

impl Utf8Evidence {
    /// The evidence in `bytes` up to `sample` bytes past their first non-ASCII byte; `cut`:
    /// the text goes on past `bytes` (a file's head).
    fn of(bytes: &[u8], sample: usize, cut: bool) -> Utf8Evidence {
        let start = Encoding::ascii_valid_up_to(bytes);
        let end = start.saturating_add(sample).min(bytes.len());
        let mut evidence = Utf8Evidence::default();
        let mut last_invalid: &[u8] = &[];
        for chunk in bytes[start..end].utf8_chunks() {
            // Each valid multi-byte sequence has one lead byte: 0xC2..=0xDF starts two,
            // 0xE0..=0xF4 three or four.
            let valid = chunk.valid().as_bytes();
            evidence.short += valid.iter().filter(|&&b| (0xC0..0xE0).contains(&b)).count();
            evidence.long += valid.iter().filter(|&&b| b >= 0xE0).count();
            evidence.bad += usize::from(!chunk.invalid().is_empty());
            last_invalid = chunk.invalid();
        }
        // A character cut by the sample's end is no evidence.
        let incomplete = std::str::from_utf8(last_invalid).is_err_and(|e| e.error_len().is_none());
        if (cut || end < bytes.len()) && incomplete {
            evidence.bad -= 1;
        }
        evidence
    }

    /// Whether the bytes are UTF-8, a few bad ones aside.
    fn is_utf8(&self) -> bool {
        self.long > self.bad || self.short > 4 * self.bad
    }
}

/// What chardetng made of (a sample of) the input.
struct Detection {
    encoding: &'static Encoding,
    /// chardetng's own word that the guess beat at least one other candidate.
    confident: bool,
    /// Whether it saw the whole input rather than a sample.
    complete: bool,
}

/// chardetng's guess, UTF-8 excluded (the caller already ruled it out), from the input
/// up to `sample` bytes past its first non-ASCII byte.
fn detect(bytes: &[u8], sample: usize) -> Detection {
    let end = Encoding::ascii_valid_up_to(bytes)
        .saturating_add(sample)
        .min(bytes.len());
    let complete = end == bytes.len();
    let mut detector = chardetng::EncodingDetector::new();
    detector.feed(&bytes[..end], complete);
    let (encoding, confident) = detector.guess_assess(Some(HINT), false);
    Detection {
        encoding,
        confident,
        complete,
    }
}

/// Catches a double-byte file (GBK, above all) with a corrupt byte in it.
///
/// One bad byte rules the real encoding out, and chardetng then falls back to a single-byte
/// encoding such as windows-1252, which decodes any byte: the file would open as mojibake
/// and be written back as such. So when the guess is single-byte, look for a double-byte
/// encoding that decodes the file up to some bad byte and that chardetng, shown only that
/// clean prefix, confidently picks; if one exists, report that byte. The longest such
/// prefix wins.
fn undecodable_prefix(bytes: &[u8]) -> Option<DecodeError> {
    let mut best: Option<(&'static Encoding, usize, u8)> = None;
    for candidate in MULTI_BYTE_CANDIDATES {
        let Some((offset, byte)) = first_malformed(candidate, bytes) else {
            continue;
        };
        let prefix = &bytes[..offset];
        if best.is_some_and(|(_, o, _)| o >= offset)
            || Encoding::ascii_valid_up_to(prefix) == prefix.len()
        {
            // Shorter than a prefix already found, or all ASCII, which says nothing.
            continue;
        }
        let found = detect(prefix, DETECT_SAMPLE);
        if found.confident && found.encoding == candidate {
            best = Some((candidate, offset, byte));
        }
    }
    best.map(|(encoding, offset, byte)| DecodeError::Undecodable {
        guess: encoding.name(),
        offset,
        byte,
    })
}

/// Offset and value of the first byte of the first malformed sequence, without keeping
/// the decoded text (it goes through a small scratch buffer).
fn first_malformed(encoding: &'static Encoding, bytes: &[u8]) -> Option<(usize, u8)> {
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let mut scratch = [0u8; 16 * 1024];
    let mut read_total = 0;
    loop {
        let (result, read, _) =
            decoder.decode_to_utf8_without_replacement(&bytes[read_total..], &mut scratch, true);
        read_total += read;
        match result {
            DecoderResult::InputEmpty => return None,
            DecoderResult::OutputFull => {}
            DecoderResult::Malformed(bad, after) => {
                let offset = read_total.saturating_sub(usize::from(bad) + usize::from(after));
                return Some((offset, bytes.get(offset).copied().unwrap_or(0)));
            }
        }
    }
}

/// The BOM that `encoding` recognises, if it has one.
fn own_bom(encoding: &'static Encoding) -> Option<&'static [u8]> {
    if encoding == UTF_8 {
        Some(UTF8_BOM)
    } else if encoding == UTF_16LE {
        Some(UTF16LE_BOM)
    } else if encoding == UTF_16BE {
        Some(UTF16BE_BOM)
    } else {
        None
    }
}

fn drop_front(bytes: Cow<'_, [u8]>, n: usize) -> Cow<'_, [u8]> {
    if n == 0 {
        return bytes;
    }
    match bytes {
        Cow::Borrowed(b) => Cow::Borrowed(&b[n..]),
        Cow::Owned(mut v) => {
            v.drain(..n);
            Cow::Owned(v)
        }
    }
}

/// The bytes as a `String` if they are UTF-8, validated once and, when owned, not copied;
/// otherwise the bytes back.
fn into_utf8(bytes: Cow<'_, [u8]>) -> Result<String, Cow<'_, [u8]>> {
    match bytes {
        Cow::Owned(v) => String::from_utf8(v).map_err(|e| Cow::Owned(e.into_bytes())),
        Cow::Borrowed(b) => std::str::from_utf8(b)
            .map(str::to_owned)
            .map_err(|_| Cow::Borrowed(b)),
    }
}

/// Decodes without replacement and without BOM sniffing; on failure returns the offset
/// (in `bytes`) and value of the first byte of the first malformed sequence.
fn decode_strict(encoding: &'static Encoding, bytes: Cow<'_, [u8]>) -> Result<String, (usize, u8)> {
    if encoding == UTF_8 {
        return into_utf8(bytes).map_err(|b| {
            // into_utf8 failed, so from_utf8 fails again here; this second pass happens
            // only on the error path.
            let offset = std::str::from_utf8(&b).err().map_or(0, |e| e.valid_up_to());
            (offset, b.get(offset).copied().unwrap_or(0))
        });
    }
    let bytes = &*bytes;
    let mut decoder = encoding.new_decoder_without_bom_handling();
    let capacity = decoder
        .max_utf8_buffer_length_without_replacement(bytes.len())
        .unwrap_or(bytes.len());
    let mut text = String::with_capacity(capacity);
    let mut read_total = 0;
    loop {
        let (result, read) =
            decoder.decode_to_string_without_replacement(&bytes[read_total..], &mut text, true);
        read_total += read;
        match result {
            DecoderResult::InputEmpty => return Ok(text),
            DecoderResult::OutputFull => {
                let more = decoder
                    .max_utf8_buffer_length_without_replacement(bytes.len() - read_total)
                    .unwrap_or(4096)
                    .max(4096);
                text.reserve(more);
            }
            DecoderResult::Malformed(bad, after) => {
                let offset = read_total.saturating_sub(usize::from(bad) + usize::from(after));
                return Err((offset, bytes.get(offset).copied().unwrap_or(0)));
            }
        }
    }
}

/// Encodes text for writing back, with the BOM when `enc.bom` (legacy encodings have no
/// BOM, so there it is ignored). Fails on the first character the encoding cannot hold.
pub fn encode(text: &str, enc: TextEncoding) -> Result<Vec<u8>, EncodeError> {
    let encoding = enc.encoding;
    if encoding == UTF_16LE || encoding == UTF_16BE {
        // encoding_rs only decodes UTF-16 (the Web never writes it), so this is by hand.
        let little = encoding == UTF_16LE;
        let mut out = Vec::with_capacity(text.len() * 2 + 2);
        if enc.bom {
            out.extend_from_slice(if little { UTF16LE_BOM } else { UTF16BE_BOM });
        }
        for unit in text.encode_utf16() {
            out.extend_from_slice(&if little {
                unit.to_le_bytes()
            } else {
                unit.to_be_bytes()
            });
        }
        return Ok(out);
    }
    // The replacement encoding's output encoding is UTF-8, so it takes this path too.
    if encoding.output_encoding() == UTF_8 {
        let bom = if enc.bom { UTF8_BOM } else { &[] };
        let mut out = Vec::with_capacity(bom.len() + text.len());
        out.extend_from_slice(bom);
        out.extend_from_slice(text.as_bytes());
        return Ok(out);
    }

    let mut encoder = encoding.new_encoder();
    let capacity = encoder
        .max_buffer_length_from_utf8_without_replacement(text.len())
        .unwrap_or(text.len());
    let mut out = Vec::with_capacity(capacity);
    let mut read_total = 0;
    loop {
        let (result, read) = encoder.encode_from_utf8_to_vec_without_replacement(
            &text[read_total..],
            &mut out,
            true,
        );
        read_total += read;
        match result {
            EncoderResult::InputEmpty => return Ok(out),
            EncoderResult::OutputFull => {
                let more = encoder
                    .max_buffer_length_from_utf8_without_replacement(text.len() - read_total)
                    .unwrap_or(4096)
                    .max(4096);
                out.reserve(more);
            }
            EncoderResult::Unmappable(ch) => {
                return Err(EncodeError {
                    name: encoding.name(),
                    ch,
                    offset: read_total - ch.len_utf8(),
                });
            }
        }
    }
}

/// Finds an encoding by name: the WHATWG labels (`utf-8`, `gbk`, `gb18030`, `utf-16le`,
/// `big5`, `shift_jis`, …, case-insensitive) plus the Windows code page names people
/// type (`cp936`, `cp950`, `cp932`, `cp949`). GBK and GB18030 stay distinct.
pub fn lookup(label: &str) -> Option<&'static Encoding> {
    let label = label.trim();
    if let Some(encoding) = Encoding::for_label(label.as_bytes()) {
        // The replacement encoding decodes any file to a single U+FFFD: never what a user
        // asking for "iso-2022-kr" wants.
        return (encoding != REPLACEMENT).then_some(encoding);
    }
    const WINDOWS_NAMES: &[(&str, &Encoding)] = &[
        ("cp936", encoding_rs::GBK),
        ("ms936", encoding_rs::GBK),
        ("windows-936", encoding_rs::GBK),
        ("euc-cn", encoding_rs::GBK),
        ("cp950", encoding_rs::BIG5),
        ("ms950", encoding_rs::BIG5),
        ("windows-950", encoding_rs::BIG5),
        ("cp932", encoding_rs::SHIFT_JIS),
        ("ms932", encoding_rs::SHIFT_JIS),
        ("cp949", encoding_rs::EUC_KR),
        ("ms949", encoding_rs::EUC_KR),
        ("windows-949", encoding_rs::EUC_KR),
        ("uhc", encoding_rs::EUC_KR),
        ("utf-8-sig", UTF_8),
        ("utf8-sig", UTF_8),
        ("cp65001", UTF_8),
    ];
    WINDOWS_NAMES
        .iter()
        .find(|(name, _)| name.eq_ignore_ascii_case(label))
        .map(|&(_, encoding)| encoding)
}

/// The line (1-based) and column (1-based, in characters) of a byte offset in text.
///
/// The `\r` of a CRLF line ending is not counted as a column. An offset past the end is
/// taken as the end, and one inside a character as that character's start.
pub fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text.as_bytes()[..offset];
    let line = 1 + before.iter().filter(|&&b| b == b'\n').count();
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let in_line = &text[line_start..offset];
    let mut column = 1 + in_line.chars().count();
    if in_line.ends_with('\r') && text[offset..].starts_with('\n') {
        column -= 1;
    }
    (line, column)
}

#[cfg(test)]
mod tests;
