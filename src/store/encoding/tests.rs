//! Tests of the parent module.

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

/// The same text in UTF-8 with `bad` put in place of the bytes at `range`.
fn utf8_with(text: &str, range: std::ops::Range<usize>, bad: &[u8]) -> Vec<u8> {
    let mut bytes = text.as_bytes().to_vec();
    bytes.splice(range, bad.iter().copied());
    bytes
}

#[test]
fn utf8_with_a_stray_byte_is_an_error_at_that_byte() {
    // 0xFF after 李 (line 3): GBK would read the rest as mojibake, or fail elsewhere.
    let at = CSV.find("李四").expect("present") + 3;
    let bytes = utf8_with(CSV, at..at, &[0xFF]);
    let want = DecodeError::Invalid {
        name: "UTF-8",
        offset: at,
        byte: 0xFF,
    };
    assert_eq!(decode(&bytes, None), Err(want.clone()));
    assert_eq!(decode_owned(bytes, None), Err(want));
}

#[test]
fn utf8_with_a_character_cut_short_is_an_error_at_it() {
    // 四 (E5 9B 9B) loses its last byte: E5 9B is a GBK character (鍥), and the error is
    // at the first byte of what is left of 四, not wherever GBK gives up.
    let at = CSV.find('四').expect("present");
    let bytes = utf8_with(CSV, at + 2..at + 3, &[]);
    assert_eq!(
        decode(&bytes, None),
        Err(DecodeError::Invalid {
            name: "UTF-8",
            offset: at,
            byte: 0xE5
        })
    );
}

#[test]
fn utf8_european_text_with_a_latin1_byte_is_an_error_at_it() {
    let text = "Name,City\nJosé Müller,Zürich\nFrançois Dupré,Orléans\nSøren Bæk,Århus\n";
    // é of Orléans as windows-1252 writes it (0xE9): pasted from another file.
    let at = text.find("léans").expect("present") + 1;
    let bytes = utf8_with(text, at..at + 2, &[0xE9]);
    assert_eq!(
        decode(&bytes, None),
        Err(DecodeError::Invalid {
            name: "UTF-8",
            offset: at,
            byte: 0xE9
        })
    );
}

#[test]
fn a_gbk_book_holds_utf8_pairs_by_chance_and_is_still_gbk() {
    let bytes: &[u8] = include_bytes!("../../../examples/excel-gbk/customers.csv");
    // Byte pairs of GBK characters that are valid two-byte UTF-8 sequences come every few
    // characters; three-byte ones and bytes that are not UTF-8 at all tell them apart.
    let evidence = Utf8Evidence::of(bytes, usize::MAX, false);
    assert!(evidence.short > 100 && evidence.long < 20, "{evidence:?}");
    assert!(evidence.bad > 4 * evidence.short, "{evidence:?}");
    assert!(!evidence.is_utf8());
    assert_eq!(decode(bytes, None).map(|d| d.encoding), Ok(te(GBK, false)));
}

#[test]
fn western_single_byte_file_still_decodes() {
    let text = "Name,City\r\nJosé Müller,Zürich\r\nFrançois Dupré,Orléans\r\nSøren Bæk,Århus\r\n";
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
    // UTF-8 with a bad byte in the head stays UTF-8: the reader reports the byte's row.
    let at = CSV.find("李四").expect("present") + 3;
    assert_eq!(
        sniff(&utf8_with(CSV, at..at, &[0xFF]), None),
        te(UTF_8, false)
    );
    // ... and so does a head cut inside a character after it.
    let cut = utf8_with(CSV, at..at, &[0xFF]);
    assert_eq!(sniff(&cut[..cut.len() - 8], None), te(UTF_8, false));
}

/// A log in ASCII but for a stray byte that GBK (the guess on such thin evidence) cannot
/// decode either is read as UTF-8, its row then skipped and reported; a book so made stays
/// refused as before (it is written back), and so does a GBK log with Chinese text and a
/// corrupt byte, or a forced encoding.
#[test]
fn a_log_in_ascii_with_a_stray_byte_is_read_as_utf8() {
    let stray = b"date,customer_id,kind,amount,note\n2026-11-20,c1,call,,bad \xFF\n";
    assert_eq!(sniff(stray, None), te(GBK, false));
    assert_eq!(sniff_log(stray, None), te(UTF_8, false));
    assert_eq!(sniff_log(stray, Some(GBK)), te(GBK, false));
    let mut corrupt = gbk_bytes(CSV);
    corrupt.extend_from_slice(b"\xFF\n");
    assert_eq!(sniff_log(&corrupt, None), te(GBK, false));
    assert_eq!(sniff_log(&gbk_bytes(CSV), None), te(GBK, false));
    assert_eq!(sniff_log(CSV.as_bytes(), None), te(UTF_8, false));
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
        // 锘 followed by a character whose GBK starts with BF is the UTF-8 byte-order mark
        // in GBK bytes: such a file says it is UTF-8 (and is then refused as bad UTF-8).
        prop_assume!(!bytes.starts_with(&[0xEF, 0xBB, 0xBF]));
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

    /// Chinese UTF-8 text with one byte changed, dropped or added is an error at the first
    /// byte that is not UTF-8, never read as GBK or another legacy encoding.
    #[test]
    fn utf8_with_one_bad_byte_is_an_error_at_it(
        text in gbk_text(),
        at in any::<prop::sample::Index>(),
        change in prop_oneof![
            Just(None),
            (0x80u8..=0xFF).prop_map(Some),
        ],
    ) {
        let mut bytes = text.as_bytes().to_vec();
        let i = at.index(bytes.len());
        match change {
            None => {
                bytes.remove(i);
            }
            Some(b) => bytes.insert(i, b),
        }
        let Err(e) = std::str::from_utf8(&bytes) else {
            // Still UTF-8 (an ASCII byte dropped, a continuation byte after one): nothing
            // to report.
            return Ok(());
        };
        let offset = e.valid_up_to();
        prop_assert_eq!(
            decode(&bytes, None),
            Err(DecodeError::Invalid { name: "UTF-8", offset, byte: bytes[offset] })
        );
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
