//! Text from the user's files shown to a person, never obeyed: a character a terminal (or a
//! calendar, or a text view) would act on instead of drawing — an escape sequence, a bell, a
//! line break inside a cell, a right-to-left override — is replaced by a visible stand-in.
//!
//! The stand-ins: a C0 control (U+0000–U+001F) and DEL by its Unicode control picture
//! (ESC `␛`, BEL `␇`, backspace `␈`, tab `␉`, line feed `␊`, CR `␍`, DEL `␡`); a C1 control
//! (U+0080–U+009F), a bidirectional embedding, override or isolate (U+202A–U+202E,
//! U+2066–U+2069) and the line and paragraph separators (U+2028, U+2029) by their code
//! point in angle brackets, `<U+202E>`. Everything else is shown as it is.

use std::borrow::Cow;

/// Whether `c` acts on what shows it rather than being drawn: a C0 or C1 control, DEL, a
/// bidirectional embedding, override or isolate, or a line or paragraph separator.
pub fn acts(c: char) -> bool {
    matches!(
        c,
        '\0'..='\u{1f}'
            | '\u{7f}'..='\u{9f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2066}'..='\u{2069}'
            | '\u{2028}'
            | '\u{2029}'
    )
}

/// Appends `c`'s stand-in (see the module's page), or `c` itself when it is drawn as is.
pub fn push(out: &mut String, c: char) {
    match c {
        '\0'..='\u{1f}' => out.push(char::from_u32(0x2400 + c as u32).unwrap_or('\u{fffd}')),
        '\u{7f}' => out.push('\u{2421}'),
        c if acts(c) => {
            use std::fmt::Write;
            let _ = write!(out, "<U+{:04X}>", c as u32);
        }
        c => out.push(c),
    }
}

/// `text` with every character that [`acts`] replaced by its stand-in; borrowed when there
/// is none (the common case costs one pass and no copy).
pub fn visible(text: &str) -> Cow<'_, str> {
    match text.find(acts) {
        None => Cow::Borrowed(text),
        Some(first) => {
            let mut out = String::with_capacity(text.len() + 8);
            out.push_str(&text[..first]);
            for c in text[first..].chars() {
                push(&mut out, c);
            }
            Cow::Owned(out)
        }
    }
}

/// [`visible`], but line feeds kept: for a message of several lines whose values may hold
/// anything (a CR, alone or before the LF, is shown).
pub fn visible_lines(text: &str) -> Cow<'_, str> {
    if !text.contains(|c| c != '\n' && acts(c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c == '\n' {
            out.push(c);
        } else {
            push(&mut out, c);
        }
    }
    Cow::Owned(out)
}

/// [`visible`] for a text of lines shown whole (the diff of `--dry-run --diff`): line feeds
/// and tabs kept (a tab-separated book's), and a carriage return right before a line feed
/// (a CRLF book's line ends); every other character that acts shown.
pub fn visible_text(text: &str) -> Cow<'_, str> {
    let bytes = text.as_bytes();
    let acts_here = |k: usize, c: char| {
        acts(c) && c != '\n' && c != '\t' && !(c == '\r' && bytes.get(k + 1) == Some(&b'\n'))
    };
    if !text.char_indices().any(|(k, c)| acts_here(k, c)) {
        return Cow::Borrowed(text);
    }
    let mut out = String::with_capacity(text.len() + 8);
    for (k, c) in text.char_indices() {
        if acts_here(k, c) {
            push(&mut out, c);
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    #[test]
    fn a_text_keeps_its_line_ends_and_shows_the_rest() {
        assert_eq!(visible_text("a\tb\r\nc\n"), "a\tb\r\nc\n");
        assert_eq!(
            visible_text("x\u{1b}[2Jy\rz\n"),
            format!("x{}[2Jy{}z\n", visible("\u{1b}"), visible("\r"))
        );
    }

    use super::*;

    /// Each kind of acting character has its stand-in; text around it, Chinese and emoji
    /// included, is kept as it is.
    #[test]
    fn every_acting_character_is_shown_by_its_stand_in() {
        assert_eq!(visible("华星 Acme"), "华星 Acme");
        assert!(matches!(visible("华星 Acme"), Cow::Borrowed(_)));
        assert_eq!(visible("\u{1b}[31mred\u{1b}[0m"), "␛[31mred␛[0m");
        assert_eq!(visible("bell\u{7}"), "bell␇");
        assert_eq!(visible("a\u{8}b"), "a␈b");
        assert_eq!(visible("\0"), "␀");
        assert_eq!(visible("a\tb\nc\r\nd"), "a␉b␊c␍␊d");
        assert_eq!(visible("\u{1f}\u{7f}"), "␟␡");
        assert_eq!(
            visible("x\u{80}\u{85}\u{9b}y"),
            "x<U+0080><U+0085><U+009B>y"
        );
        assert_eq!(visible("abc\u{202e}fed"), "abc<U+202E>fed");
        assert_eq!(
            visible("\u{202a}\u{2066}\u{2069}"),
            "<U+202A><U+2066><U+2069>"
        );
        assert_eq!(visible("a\u{2028}b\u{2029}"), "a<U+2028>b<U+2029>");
        // Not acting: the next character after each range, and a space.
        assert_eq!(
            visible(" \u{a0}\u{202f}\u{206a}😀"),
            " \u{a0}\u{202f}\u{206a}😀"
        );
    }

    #[test]
    fn message_lines_keep_their_line_feeds_only() {
        assert_eq!(visible_lines("one\ntwo"), "one\ntwo");
        assert!(matches!(visible_lines("one\ntwo"), Cow::Borrowed(_)));
        assert_eq!(visible_lines("a\u{1b}]0;x\u{7}\r\nb"), "a␛]0;x␇␍\nb");
    }

    /// Every character is either drawn as is or has a stand-in that acts on nothing.
    #[test]
    fn no_stand_in_acts() {
        for c in (0..0x3000u32).filter_map(char::from_u32) {
            let shown = visible(c.encode_utf8(&mut [0; 4])).into_owned();
            assert!(!shown.contains(acts), "{c:?} shows as {shown:?}");
            assert_eq!(shown == c.to_string(), !acts(c), "{c:?}");
        }
    }
}
