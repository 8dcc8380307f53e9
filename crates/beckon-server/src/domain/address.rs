//! The rules for addresses people type: an email address or an E.164 phone number as a login
//! ID, a redirect URI, and how each is masked in an answer.

use super::text::is_control_or_format;
use super::{Channel, Error, Result};

/// Checks a login ID for its channel: an email address, or an E.164 phone number.
pub fn normalize_login_id(channel: Channel, login_id: &str) -> Result<String> {
    normalize_address(channel, login_id, "loginId")
}

pub(crate) fn normalize_address(channel: Channel, value: &str, field: &str) -> Result<String> {
    match channel {
        Channel::Email => normalize_email_field(value, field),
        Channel::Sms => normalize_phone_field(value, field),
    }
}

/// An E.164 phone number: `+`, a country code, at most 15 digits in all. Spaces, dashes and
/// brackets people type are dropped.
pub fn normalize_phone(login_id: &str) -> Result<String> {
    normalize_phone_field(login_id, "loginId")
}

fn normalize_phone_field(login_id: &str, field: &str) -> Result<String> {
    let trimmed = login_id.trim();
    if trimmed.is_empty() {
        return Err(Error::missing(field));
    }
    let phone: String = trimmed
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '(' | ')' | '.'))
        .collect();
    let digits = phone.strip_prefix('+').unwrap_or_default();
    let valid = (7..=15).contains(&digits.len())
        && digits.chars().all(|c| c.is_ascii_digit())
        && !digits.starts_with('0');
    if valid {
        Ok(phone)
    } else {
        Err(Error::invalid(format!(
            "The {field} field must be a phone number in E.164 form, such as +14155550123"
        ))
        .with_message(format!(
            "{:?} is not an E.164 phone number",
            truncate(login_id, 40)
        )))
    }
}

/// Lower-cases and checks an email address; a clear error for anything that cannot be one.
pub fn normalize_email(login_id: &str) -> Result<String> {
    normalize_email_field(login_id, "loginId")
}

fn normalize_email_field(login_id: &str, field: &str) -> Result<String> {
    let email = login_id.trim().to_lowercase();
    if email.is_empty() {
        return Err(Error::missing(field));
    }
    let valid = email.len() <= 254
        && !email
            .chars()
            .any(|c| c.is_whitespace() || is_control_or_format(c) || "<>\",;".contains(c))
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && local.len() <= 64
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if valid {
        Ok(email)
    } else {
        Err(
            Error::invalid(format!("The {field} field must be a valid email address"))
                .with_message(format!(
                    "{:?} is not an email address",
                    truncate(login_id, 80)
                )),
        )
    }
}

pub(crate) fn parse_redirect(uri: &str) -> Result<url::Url> {
    let url = url::Url::parse(uri).map_err(|_| {
        Error::invalid(
            "The URI field must be an absolute URL, such as https://app.example.com/verify",
        )
    })?;
    if url.cannot_be_a_base() || url.fragment().is_some() {
        return Err(Error::invalid(
            "The URI field must be an absolute URL without a #fragment",
        ));
    }
    // The server adds the link's token as `t`; one already there would come first and be
    // the one a page reads: someone else's sign-in on the victim's page.
    if url.query_pairs().any(|(key, _)| key == "t") {
        return Err(Error::invalid(
            "The URI field must not have a t parameter: the server adds the link's token as t",
        ));
    }
    Ok(url)
}

/// `+14155550123` → `+*******0123`.
pub fn mask_phone(phone: &str) -> String {
    let digits: Vec<char> = phone.chars().filter(char::is_ascii_digit).collect();
    let shown: String = digits[digits.len().saturating_sub(4)..].iter().collect();
    format!("+{}{shown}", "*".repeat(digits.len().saturating_sub(4)))
}

/// `ada@example.com` → `a***@example.com`.
pub fn mask_email(email: &str) -> String {
    match email.split_once('@') {
        Some((local, domain)) => {
            let first: String = local.chars().take(1).collect();
            format!("{first}***@{domain}")
        }
        None => "***".into(),
    }
}

pub(crate) fn truncate(s: &str, max_chars: usize) -> String {
    s.chars().take(max_chars).collect()
}

/// The mailbox an address delivers to, for counting and pausing: `ada+anything@example.com` is
/// `ada@example.com` (sub-addressing, RFC 5233), so tags do not multiply a limit. Phone
/// numbers are as they are.
pub fn mailbox(address: &str) -> String {
    match address.split_once('@') {
        Some((local, domain)) => {
            let local = local.split_once('+').map_or(local, |(base, _)| base);
            format!("{local}@{domain}")
        }
        None => address.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Refusal;

    #[test]
    fn emails() {
        assert_eq!(
            normalize_email(" Ada@Example.COM ").unwrap(),
            "ada@example.com"
        );
        for bad in [
            "ada",
            "ada@",
            "@example.com",
            "ada@example",
            "a b@example.com",
            "a@b@c.com",
            "ada@.com",
            "ada@example..com",
        ] {
            assert_eq!(
                normalize_email(bad).unwrap_err().refusal(),
                Some(Refusal::Invalid),
                "{bad}"
            );
        }
        assert_eq!(
            normalize_email("  ").unwrap_err().refusal(),
            Some(Refusal::Missing)
        );
    }

    #[test]
    fn masks() {
        assert_eq!(mask_email("ada@example.com"), "a***@example.com");
        assert_eq!(mask_phone("+14155550123"), "+*******0123");
    }

    #[test]
    fn phones() {
        assert_eq!(
            normalize_phone(" +1 (415) 555-0123 ").unwrap(),
            "+14155550123"
        );
        for bad in [
            "14155550123",
            "+1",
            "+0123456789",
            "+1415555012345678",
            "+1415abc0123",
            "++14155550123",
        ] {
            assert_eq!(
                normalize_phone(bad).unwrap_err().refusal(),
                Some(Refusal::Invalid),
                "{bad}"
            );
        }
        assert_eq!(
            normalize_phone("").unwrap_err().refusal(),
            Some(Refusal::Missing)
        );
    }

    #[test]
    fn redirects_keep_their_query() {
        let mut url = parse_redirect("https://app.example.com/verify?x=1").unwrap();
        url.query_pairs_mut().append_pair("t", "abc");
        assert_eq!(url.as_str(), "https://app.example.com/verify?x=1&t=abc");
        assert!(parse_redirect("not a url").is_err());
        assert!(parse_redirect("https://app.example.com/verify?t=attacker").is_err());
        assert!(parse_redirect("https://app.example.com/verify?x=1&t=").is_err());
        assert!(parse_redirect("mailto:x@y.z").is_err());
    }

    #[test]
    fn tagged_addresses_count_as_their_mailbox() {
        assert_eq!(mailbox("ada+1@example.com"), "ada@example.com");
        assert_eq!(mailbox("ada+a+b@example.com"), "ada@example.com");
        assert_eq!(mailbox("ada@example.com"), "ada@example.com");
        assert_eq!(mailbox("+14155550123"), "+14155550123");
    }
}
