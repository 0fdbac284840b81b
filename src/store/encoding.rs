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

/// A file's text together with the encoding it was read in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Decoded {
    /// The decoded text, without the BOM.
    pub text: String,
    /// How to encode `text` to get the file back.
    pub encoding: TextEncoding,
}

/// Why a file's bytes could not be read as text.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
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
    if let Some(encoding) = forced {
        let bom = own_bom(encoding).filter(|b| bytes.starts_with(b));
        let bom_len = bom.map_or(0, <[u8]>::len);
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
                bom: bom.is_some(),
            },
        });
    }

    if let Some((encoding, bom_len)) = Encoding::for_bom(&bytes) {
        // The BOM is an explicit statement, so a failure is reported against it rather than
        // against a guess.
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
                bom: true,
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
        Err(e) => e.error_len().is_none(),
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

/// The top-level domain chardetng is told the text comes from: the users are mostly Chinese
/// sales teams, so on thin evidence (a log of one row) GBK should win over EUC-JP or
/// windows-1250. Other encodings are still detected on real evidence; `--encoding` decides
/// where detection cannot.
const HINT: &[u8] = b"cn";

/// How many bytes chardetng reads, counted from the first non-ASCII byte. It runs at
/// about 4 MB/s, so a whole 100 MB file would take half a minute, while a quarter
/// megabyte of non-ASCII text is far more than it needs to be sure.
const DETECT_SAMPLE: usize = 256 * 1024;

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
mod tests {
    use super::*;
    use encoding_rs::{BIG5, GB18030, GBK, SHIFT_JIS, WINDOWS_1252};
    use proptest::prelude::*;

    const CSV: &str = "客户名称,电话,地址,备注\r\n张三,13800000000,北京市朝阳区,老客户\r\n李四,13900000000,上海市浦东新区,需要回访\r\n";

    fn gbk_bytes(text: &str) -> Vec<u8> {
        encode(
            text,
            TextEncoding {
                encoding: GBK,
                bom: false,
            },
        )
        .expect("test text is GBK-encodable")
    }

    fn te(encoding: &'static Encoding, bom: bool) -> TextEncoding {
        TextEncoding { encoding, bom }
    }

    #[test]
    fn utf8_without_bom() {
        let d = decode(CSV.as_bytes(), None).expect("utf-8 decodes");
        assert_eq!(d.text, CSV);
        assert_eq!(d.encoding, te(UTF_8, false));
        let owned = decode_owned(CSV.as_bytes().to_vec(), None).expect("utf-8 decodes");
        assert_eq!(owned, d);
    }

    #[test]
    fn utf8_with_bom() {
        let mut bytes = UTF8_BOM.to_vec();
        bytes.extend_from_slice(CSV.as_bytes());
        let d = decode(&bytes, None).expect("utf-8 bom decodes");
        assert_eq!(d.text, CSV);
        assert_eq!(d.encoding, te(UTF_8, true));
        assert_eq!(decode_owned(bytes.clone(), None), Ok(d.clone()));
        assert_eq!(encode(&d.text, d.encoding), Ok(bytes));
    }

    #[test]
    fn empty_and_ascii() {
        assert_eq!(
            decode(b"", None),
            Ok(Decoded {
                text: String::new(),
                encoding: te(UTF_8, false)
            })
        );
        let d = decode(b"name,phone\n", None).expect("ascii");
        assert_eq!(d.encoding, te(UTF_8, false));
        // A file that is only a BOM is an empty UTF-8 file that keeps its BOM.
        assert_eq!(
            decode(UTF8_BOM, None),
            Ok(Decoded {
                text: String::new(),
                encoding: te(UTF_8, true)
            })
        );
    }

    #[test]
    fn utf16le_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in CSV.encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        let d = decode(&bytes, None).expect("utf-16le decodes");
        assert_eq!(d.text, CSV);
        assert_eq!(d.encoding, te(UTF_16LE, true));
        assert_eq!(encode(&d.text, d.encoding), Ok(bytes));
    }

    #[test]
    fn utf16be_with_bom() {
        let mut bytes = vec![0xFE, 0xFF];
        for u in "名字😀\r\n".encode_utf16() {
            bytes.extend_from_slice(&u.to_be_bytes());
        }
        let d = decode(&bytes, None).expect("utf-16be decodes");
        assert_eq!(d.text, "名字😀\r\n");
        assert_eq!(d.encoding, te(UTF_16BE, true));
        assert_eq!(encode(&d.text, d.encoding), Ok(bytes));
    }

    #[test]
    fn utf16_with_bom_but_odd_length_is_invalid() {
        let bytes = [0xFF, 0xFE, b'a', 0, b'b'];
        assert_eq!(
            decode(&bytes, None),
            Err(DecodeError::Invalid {
                name: "UTF-16LE",
                offset: 4,
                byte: b'b'
            })
        );
    }

    #[test]
    fn gbk_detected_and_decoded_exactly() {
        let bytes = gbk_bytes(CSV);
        assert!(std::str::from_utf8(&bytes).is_err());
        let d = decode(&bytes, None).expect("gbk decodes");
        assert_eq!(d.encoding, te(GBK, false));
        assert_eq!(d.text, CSV);
        // CRLF survives decoding untouched.
        assert_eq!(d.text.matches("\r\n").count(), 3);
        assert_eq!(encode(&d.text, d.encoding), Ok(bytes.clone()));
        assert_eq!(decode_owned(bytes, None), Ok(d));
    }

    #[test]
    fn gbk_with_a_stray_byte_is_undecodable_at_that_byte() {
        let mut bytes = gbk_bytes(CSV);
        let offset = bytes.len();
        bytes.push(0xFF);
        bytes.extend_from_slice(&gbk_bytes("王五,13700000000,广州市天河区,新客户\r\n"));
        let err = decode(&bytes, None).expect_err("must not decode");
        assert_eq!(
            err,
            DecodeError::Undecodable {
                guess: "GBK",
                offset,
                byte: 0xFF
            }
        );
        assert_eq!(
            err.to_string(),
            "not valid UTF-8, and not valid GBK either (byte 0xFF)"
        );
    }

    #[test]
    fn gbk_lead_byte_at_end_is_undecodable() {
        let mut bytes = gbk_bytes(CSV);
        let offset = bytes.len();
        bytes.push(0xB0);
        assert_eq!(
            decode(&bytes, None),
            Err(DecodeError::Undecodable {
                guess: "GBK",
                offset,
                byte: 0xB0
            })
        );
    }

    #[test]
    fn western_single_byte_file_still_decodes() {
        let text =
            "Name,City\r\nJosé Müller,Zürich\r\nFrançois Dupré,Orléans\r\nSøren Bæk,Århus\r\n";
        let (bytes, _, unmappable) = WINDOWS_1252.encode(text);
        assert!(!unmappable);
        let d = decode(&bytes, None).expect("windows-1252 decodes");
        assert_eq!(d.text, text);
        assert_eq!(d.encoding, te(WINDOWS_1252, false));
        assert_eq!(encode(&d.text, d.encoding).as_deref(), Ok(&bytes[..]));
    }

    #[test]
    fn forced_encoding() {
        let bytes = gbk_bytes(CSV);
        let d = decode(&bytes, Some(GB18030)).expect("gbk bytes are gb18030");
        assert_eq!(d.text, CSV);
        assert_eq!(d.encoding, te(GB18030, false));

        // Forcing overrides what detection would say: plain ASCII read as GBK.
        let d = decode(b"a,b\n", Some(GBK)).expect("ascii is gbk");
        assert_eq!(d.encoding, te(GBK, false));

        // Forced UTF-8 strips its BOM and remembers it.
        let d = decode(b"\xEF\xBB\xBFhi", Some(UTF_8)).expect("utf-8");
        assert_eq!(d.text, "hi");
        assert_eq!(d.encoding, te(UTF_8, true));

        // Forced UTF-16LE without a BOM.
        let d = decode(b"h\0i\0", Some(UTF_16LE)).expect("utf-16le");
        assert_eq!(d.text, "hi");
        assert_eq!(d.encoding, te(UTF_16LE, false));
    }

    #[test]
    fn forced_encoding_that_fails() {
        let bytes = gbk_bytes("张三");
        assert_eq!(
            decode(&bytes, Some(UTF_8)),
            Err(DecodeError::Invalid {
                name: "UTF-8",
                offset: 0,
                byte: bytes[0]
            })
        );
        let mut with_bom = UTF8_BOM.to_vec();
        with_bom.extend_from_slice(b"ok\xFF");
        let err = decode_owned(with_bom, Some(UTF_8)).expect_err("bad utf-8");
        assert_eq!(
            err,
            DecodeError::Invalid {
                name: "UTF-8",
                offset: 5,
                byte: 0xFF
            }
        );
        assert_eq!(err.to_string(), "not valid UTF-8 (byte 0xFF)");
        assert_eq!(
            decode(b"ab\xFFc", Some(GBK)),
            Err(DecodeError::Invalid {
                name: "GBK",
                offset: 2,
                byte: 0xFF
            })
        );
    }

    #[test]
    fn big5_forced_round_trip() {
        let text = "客戶名稱,電話\r\n陳大文,0912345678\r\n";
        let enc = te(BIG5, false);
        let bytes = encode(text, enc).expect("big5 holds these");
        let d = decode(&bytes, Some(BIG5)).expect("big5 decodes");
        assert_eq!(d.text, text);
        assert_eq!(encode(&d.text, d.encoding), Ok(bytes));
    }

    #[test]
    fn encode_round_trips_each_encoding() {
        for enc in [
            te(UTF_8, false),
            te(UTF_8, true),
            te(UTF_16LE, true),
            te(UTF_16LE, false),
            te(UTF_16BE, true),
            te(GBK, false),
            te(GB18030, false),
        ] {
            let bytes = encode(CSV, enc).expect("encodable");
            let d = decode(&bytes, Some(enc.encoding)).expect("decodable");
            assert_eq!(d.text, CSV, "{enc:?}");
            assert_eq!(d.encoding, enc, "{enc:?}");
            assert_eq!(encode(&d.text, d.encoding), Ok(bytes), "{enc:?}");
        }
    }

    #[test]
    fn gb18030_holds_what_gbk_cannot() {
        let text = "价格¥12 😀";
        let bytes = encode(text, te(GB18030, false)).expect("gb18030 holds everything");
        assert_eq!(
            decode(&bytes, Some(GB18030)).map(|d| d.text),
            Ok(text.into())
        );
        // GBK's decoder reads GB18030's four-byte sequences too.
        assert_eq!(decode(&bytes, Some(GBK)).map(|d| d.text), Ok(text.into()));
    }

    #[test]
    fn unmappable_character() {
        // encoding_rs's GBK encoder has no four-byte sequences: U+00A5 and emoji are out,
        // while '€' is in (0x80).
        let text = "价格：¥12";
        let err = encode(text, te(GBK, false)).expect_err("GBK lacks U+00A5");
        assert_eq!(
            err,
            EncodeError {
                name: "GBK",
                ch: '¥',
                offset: text.find('¥').expect("present")
            }
        );
        assert_eq!(err.to_string(), "GBK cannot hold the character '¥'");
        let err = encode("ok 😀", te(GBK, false)).expect_err("GBK lacks emoji");
        assert_eq!((err.ch, err.offset), ('😀', 3));
        assert_eq!(encode("€", te(GBK, false)), Ok(vec![0x80]));
        let err = encode("naïve 张", te(WINDOWS_1252, false)).expect_err("no CJK");
        assert_eq!((err.name, err.ch, err.offset), ("windows-1252", '张', 7));
    }

    #[test]
    fn lookup_labels() {
        assert_eq!(lookup("utf-8"), Some(UTF_8));
        assert_eq!(lookup("UTF8"), Some(UTF_8));
        assert_eq!(lookup("gbk"), Some(GBK));
        assert_eq!(lookup("GBK"), Some(GBK));
        assert_eq!(lookup("gb2312"), Some(GBK));
        assert_eq!(lookup("cp936"), Some(GBK));
        assert_eq!(lookup("gb18030"), Some(GB18030));
        assert_eq!(lookup("utf-16le"), Some(UTF_16LE));
        assert_eq!(lookup("utf-16be"), Some(UTF_16BE));
        assert_eq!(lookup("big5"), Some(BIG5));
        assert_eq!(lookup("cp950"), Some(BIG5));
        assert_eq!(lookup(" shift_jis "), Some(SHIFT_JIS));
        assert_eq!(lookup("utf-8-sig"), Some(UTF_8));
        assert_eq!(lookup("iso-2022-kr"), None);
        assert_eq!(lookup("klingon"), None);
        assert_eq!(lookup(""), None);
    }

    #[test]
    fn line_col_positions() {
        let text = "ab\r\n张三x\nz";
        assert_eq!(line_col(text, 0), (1, 1));
        assert_eq!(line_col(text, 1), (1, 2));
        assert_eq!(line_col(text, 2), (1, 3)); // the '\r'
        assert_eq!(line_col(text, 3), (1, 3)); // the '\n' of CRLF: '\r' not counted
        assert_eq!(line_col(text, 4), (2, 1)); // '张'
        assert_eq!(line_col(text, 7), (2, 2)); // '三'
        assert_eq!(line_col(text, 10), (2, 3)); // 'x'
        assert_eq!(line_col(text, 11), (2, 4)); // the '\n'
        assert_eq!(line_col(text, 12), (3, 1)); // 'z'
        assert_eq!(line_col(text, 13), (3, 2)); // end
        assert_eq!(line_col(text, 99), (3, 2)); // past the end
        assert_eq!(line_col(text, 5), (2, 1)); // inside '张'
        assert_eq!(line_col("", 0), (1, 1));
        assert_eq!(line_col("a\rb", 2), (1, 3)); // a lone '\r' is a character
    }

    #[test]
    fn error_offset_maps_to_line_col() {
        let mut bytes = gbk_bytes(CSV);
        bytes.push(0xFF);
        bytes.extend_from_slice(&gbk_bytes("王五,广州市天河区,新客户\r\n"));
        let DecodeError::Undecodable { offset, .. } = decode(&bytes, None).expect_err("bad") else {
            panic!("expected Undecodable");
        };
        // The clean prefix decodes, so its text length gives the position.
        let prefix = decode(&bytes[..offset], Some(GBK)).expect("prefix decodes");
        assert_eq!(line_col(&prefix.text, prefix.text.len()), (4, 1));
    }

    #[test]
    fn sniff_decides_from_the_head() {
        let gbk = gbk_bytes(CSV);
        assert_eq!(sniff(&gbk, None), te(GBK, false));
        // Cut in the middle of a GBK character: still GBK.
        assert_eq!(sniff(&gbk[..gbk.len() - 1], None), te(GBK, false));
        let utf8 = CSV.as_bytes();
        // Cut in the middle of a UTF-8 character: still UTF-8.
        let cut = CSV.find('张').expect("present") + 1;
        assert_eq!(sniff(&utf8[..cut], None), te(UTF_8, false));
        assert_eq!(sniff(b"", None), te(UTF_8, false));
        assert_eq!(sniff(b"\xEF\xBB\xBFid,name", None), te(UTF_8, true));
        assert_eq!(sniff(b"\xFF\xFEi\0", None), te(UTF_16LE, true));
        assert_eq!(sniff(b"\xFE\xFF\0i", None), te(UTF_16BE, true));
        assert_eq!(sniff(utf8, Some(GBK)), te(GBK, false));
        assert_eq!(sniff(b"\xFF\xFEi\0", Some(UTF_16LE)), te(UTF_16LE, true));
        assert_eq!(sniff(b"i\0", Some(UTF_16LE)), te(UTF_16LE, false));
        // A UTF-8 byte order mark under a forced legacy encoding is just bytes.
        assert_eq!(sniff(b"\xEF\xBB\xBFid", Some(GBK)), te(GBK, false));
    }

    /// A character from GB2312 (lead bytes 0xB0..=0xF7: the hanzi block), as GBK decodes it.
    fn gb2312_hanzi() -> impl Strategy<Value = char> {
        (0xB0u8..=0xF7, 0xA1u8..=0xFE).prop_filter_map("unassigned in GB2312", |(lead, trail)| {
            let pair = [lead, trail];
            let (text, had_errors) = GBK.decode_without_bom_handling(&pair);
            let c = text.chars().next()?;
            ('\u{4E00}'..='\u{9FA5}')
                .contains(&c)
                .then_some(c)
                .filter(|_| !had_errors)
        })
    }

    fn gbk_text() -> impl Strategy<Value = String> {
        let piece = prop_oneof![
            3 => gb2312_hanzi(),
            1 => prop::char::range(' ', '~'),
            1 => prop::sample::select(vec![',', '\r', '\n', '，', '。', '、']),
        ];
        (
            prop::collection::vec(gb2312_hanzi(), 10..40),
            prop::collection::vec(piece, 0..200),
        )
            .prop_map(|(hanzi, rest)| hanzi.into_iter().chain(rest).collect())
    }

    proptest! {
        #[test]
        fn utf_round_trips(text in any::<String>(), bom in any::<bool>()) {
            for encoding in [UTF_8, UTF_16LE, UTF_16BE] {
                let enc = te(encoding, bom);
                let bytes = encode(&text, enc).expect("UTF encodings hold everything");
                let d = decode(&bytes, Some(encoding)).expect("decodes");
                prop_assert_eq!(&d.text, &text);
                prop_assert_eq!(encode(&d.text, d.encoding).expect("again"), bytes.clone());
                if bom || encoding == UTF_8 {
                    // Self-describing: detection must agree.
                    let d = decode_owned(bytes, None).expect("detected");
                    prop_assert_eq!(&d.text, &text);
                    // Text starting with U+FEFF and no BOM looks like a BOM'd file.
                    if !text.starts_with('\u{FEFF}') || bom {
                        prop_assert_eq!(d.encoding, enc);
                    }
                }
            }
        }

        #[test]
        fn gbk_round_trips_and_is_detected(text in gbk_text()) {
            let bytes = encode(&text, te(GBK, false)).expect("GB2312 text is GBK");
            let forced = decode(&bytes, Some(GBK)).expect("decodes");
            prop_assert_eq!(&forced.text, &text);
            let d = decode(&bytes, None).expect("detected");
            prop_assert!(
                d.encoding.encoding == GBK || d.encoding.encoding == GB18030,
                "detected {}", d.encoding.encoding.name()
            );
            prop_assert_eq!(&d.text, &text);
            prop_assert_eq!(encode(&d.text, d.encoding).expect("again"), bytes);
        }

        #[test]
        fn decode_never_panics(bytes in prop::collection::vec(any::<u8>(), 0..300)) {
            let _ = sniff(&bytes, None);
            if let Err(DecodeError::Undecodable { offset, byte, .. }) = decode(&bytes, None) {
                prop_assert_eq!(bytes.get(offset), Some(&byte));
            }
        }

        #[test]
        fn line_col_never_panics(text in any::<String>(), offset in 0usize..400) {
            let (line, col) = line_col(&text, offset);
            prop_assert!(line >= 1 && col >= 1);
        }
    }
}
