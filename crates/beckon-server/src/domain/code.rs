//! The code in a sign-in email, typed on the desktop when the link is not the way: 8
//! characters of Crockford's base32, read forgivingly (case, spaces and dashes ignored; I and
//! L read as 1, O as 0), shown as two groups of four.

/// The characters a code is made of: Crockford's base32 (no I, L, O or U).
pub const ALPHABET: &str = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// How many characters a code has.
pub const LEN: usize = 8;

/// A new code: [`LEN`] random characters of [`ALPHABET`] (40 bits).
pub fn new() -> String {
    crate::support::secrets::random_from(ALPHABET, LEN)
}

/// `ABCD-EFGH`, for the email.
pub fn display(code: &str) -> String {
    let (first, second) = code.split_at(code.len().min(LEN / 2));
    format!("{first}-{second}")
}

/// What a person typed, as the code it means (Crockford's decoding); `None` when it cannot
/// be one (a wrong length, or a character no code has).
pub fn normalize(typed: &str) -> Option<String> {
    let mut code = String::with_capacity(LEN);
    for c in typed.chars() {
        let c = match c.to_ascii_uppercase() {
            '-' | ' ' | '\t' => continue,
            'I' | 'L' => '1',
            'O' => '0',
            c if ALPHABET.contains(c) => c,
            _ => return None,
        };
        if code.len() == LEN {
            return None;
        }
        code.push(c);
    }
    (code.len() == LEN).then_some(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_code_is_read_whatever_its_case_dashes_and_lookalikes() {
        assert_eq!(normalize("abcd-efgh").as_deref(), Some("ABCDEFGH"));
        assert_eq!(normalize(" 7K2M 9QXZ ").as_deref(), Some("7K2M9QXZ"));
        assert_eq!(normalize("0OoI-iLl1").as_deref(), Some("00011111"));
        assert_eq!(normalize("ABCD-EFG"), None);
        assert_eq!(normalize("ABCD-EFGHJ"), None);
        assert_eq!(normalize("ABCD-EFGU"), None, "U is in no code");
        assert_eq!(normalize("ABCD+EFGH"), None);
        assert_eq!(normalize(""), None);
    }

    #[test]
    fn a_new_code_is_made_of_the_alphabet_and_reads_back_as_itself() {
        for _ in 0..200 {
            let code = new();
            assert_eq!(code.len(), LEN);
            assert!(code.chars().all(|c| ALPHABET.contains(c)), "{code}");
            assert_eq!(normalize(&display(&code)).as_deref(), Some(code.as_str()));
        }
    }
}
