//! Text that people and operators read: names, and login IDs as they are shown. A name with a
//! control character forges a row or retitles the operator's terminal (ESC, CR, LF, OSC
//! sequences); a bidirectional control reorders a table's cells; a zero-width or other format
//! character hides what a login ID really is.

use unicode_properties::{GeneralCategory, UnicodeGeneralCategory};

use super::{Error, Result};

/// The bidirectional controls: marks, embeddings, overrides and isolates.
fn is_bidi_control(c: char) -> bool {
    matches!(c, '\u{200e}' | '\u{200f}' | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}')
}

/// The zero-width non-joiner and joiner, which Persian words and emoji sequences need.
fn is_joiner(c: char) -> bool {
    matches!(c, '\u{200c}' | '\u{200d}')
}

/// A control (Cc) or format (Cf) character: never part of an address someone can read.
pub(crate) fn is_control_or_format(c: char) -> bool {
    c.is_control() || c.general_category() == GeneralCategory::Format
}

/// Checks a person's name (`field` names it in the error): no control character and no
/// bidirectional control; the joiners stay.
pub fn check_name(field: &str, value: &str) -> Result<()> {
    match value
        .chars()
        .find(|&c| c.is_control() || is_bidi_control(c))
    {
        None => Ok(()),
        Some(c) => Err(Error::invalid(format!(
            "The {field} field has a character that is not text (U+{:04X}): a name may not \
             hold control or text-direction characters",
            u32::from(c)
        ))),
    }
}

/// `value` as a terminal may print it: every control and format character but the joiners
/// written as `\u{…}`, so an older row cannot move the cursor, retitle the terminal or
/// reorder a table.
pub fn printable(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    for c in value.chars() {
        if is_control_or_format(c) && !is_joiner(c) {
            out.push_str(&format!("\\u{{{:x}}}", u32::from(c)));
        } else {
            out.push(c);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_keep_joiners_and_refuse_controls() {
        assert!(check_name("name", "می\u{200c}خواهم").is_ok());
        assert!(check_name("name", "\u{1f469}\u{200d}\u{1f4bb}").is_ok());
        for bad in ["a\u{1b}[2J", "a\nb", "a\u{202e}b", "a\u{2067}b", "a\u{7f}"] {
            assert!(check_name("name", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn printable_escapes_what_a_terminal_would_act_on() {
        assert_eq!(printable("Ada\u{1b}]0;x\u{7}"), "Ada\\u{1b}]0;x\\u{7}");
        assert_eq!(
            printable("a\r\nb\u{202e}c\u{200b}"),
            "a\\u{d}\\u{a}b\\u{202e}c\\u{200b}"
        );
        assert_eq!(printable("می\u{200c}خواهم"), "می\u{200c}خواهم");
    }
}
