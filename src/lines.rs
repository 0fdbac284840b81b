//! Line numbers as the tool counts them in every file it reads: a LF, a CRLF and a CR alone
//! (old Mac spreadsheets) each end one line.

use std::ops::Range;

/// How many line ends of `text` end in `range`: LF, CRLF, and a CR alone (which ends a
/// record too, as in the CSV files of old Mac spreadsheets). Line numbers count these. A CR
/// is looked at with the byte after it even past the range: a range may end between the CR
/// and the LF of one line end, whose LF is then counted with the range that holds it.
pub fn line_ends(text: &[u8], range: Range<usize>) -> usize {
    let start = range.start;
    let bytes = &text[range];
    let lone_cr = memchr::memchr_iter(b'\r', bytes)
        .filter(|&i| text.get(start + i + 1) != Some(&b'\n'))
        .count();
    memchr::memchr_iter(b'\n', bytes).count() + lone_cr
}

#[cfg(test)]
mod tests {
    use super::line_ends;

    /// LF, CRLF and a CR alone each end one line, wherever a range cuts the text.
    #[test]
    fn line_ends_count_each_line_end_once() {
        let text = b"a\r\nb\rc\n\r\r\nd";
        assert_eq!(line_ends(text, 0..text.len()), 5);
        for cut in 0..=text.len() {
            let parts = line_ends(text, 0..cut) + line_ends(text, cut..text.len());
            assert_eq!(parts, 5, "cut at {cut}");
        }
        assert_eq!(line_ends(text, 0..2), 0, "the CR of a CRLF cut from its LF");
    }
}
