//! The links in a message, as the development outbox and the outbox table keep them: a JSON
//! array of `{"number": "24", "url": "…?t=…"}` (a magic link has no number).

use serde_json::Value;

/// One link of a message.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Link {
    /// The number printed beside it (enchanted links); `None` for a magic link.
    pub number: Option<String>,
    /// Where it points.
    pub url: String,
}

impl Link {
    /// The link's token, its `t` parameter.
    pub fn token(&self) -> String {
        token_of(&self.url)
    }
}

/// The links of a message, from its `links` array (the development outbox's JSON).
pub fn links(array: &Value) -> Vec<Link> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("a message's links are an array: {array}"))
        .iter()
        .map(|link| Link {
            number: link["number"].as_str().map(str::to_owned),
            url: link["url"]
                .as_str()
                .unwrap_or_else(|| panic!("a link has a URL: {link}"))
                .to_owned(),
        })
        .collect()
}

/// The links of a message, from the outbox table's `links` column (that array as JSON text).
pub fn links_from_column(text: &str) -> Vec<Link> {
    let array = serde_json::from_str::<Value>(text)
        .unwrap_or_else(|e| panic!("a message's links are JSON: {e}: {text}"));
    links(&array)
}

/// The link numbered `number` among `links`.
pub fn numbered<'a>(links: &'a [Link], number: &str) -> &'a Link {
    links
        .iter()
        .find(|link| link.number.as_deref() == Some(number))
        .unwrap_or_else(|| panic!("no link numbered {number} in {links:?}"))
}

/// The URL of the link numbered `number` in a message's `links` array.
pub fn link_numbered(array: &Value, number: &str) -> String {
    numbered(&links(array), number).url.clone()
}

/// The token of a link: its one `t` parameter.
pub fn token_of(url: &str) -> String {
    let parsed = url::Url::parse(url).unwrap_or_else(|e| panic!("a link is a URL: {e}: {url}"));
    let mut tokens = parsed.query_pairs().filter(|(k, _)| k == "t");
    let token = tokens
        .next()
        .unwrap_or_else(|| panic!("a link has a t: {url}"));
    assert!(tokens.next().is_none(), "a link has one t: {url}");
    token.1.into_owned()
}

/// The code (`ABCD-EFGH`) in a sign-in message's text, found by its shape, so it is found in
/// every language the message is written in.
pub fn code_in(text: &str) -> String {
    text.split(|c: char| {
        c.is_whitespace() || matches!(c, ':' | '.' | ',' | '\u{2068}' | '\u{2069}')
    })
    .find(|word| {
        let bytes = word.as_bytes();
        bytes.len() == 9
            && bytes[4] == b'-'
            && bytes
                .iter()
                .enumerate()
                .all(|(i, b)| i == 4 || b.is_ascii_uppercase() || b.is_ascii_digit())
    })
    .unwrap_or_else(|| panic!("no code in the message: {text}"))
    .to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn the_link_numbered_n_and_its_token() {
        let message = json!([
            {"number": "17", "url": "http://127.0.0.1:1/confirm?t=aaa"},
            {"number": "24", "url": "http://127.0.0.1:1/confirm?t=bbb&x=1"},
        ]);
        let url = link_numbered(&message, "24");
        assert_eq!(token_of(&url), "bbb");
        let column = links_from_column(&message.to_string());
        assert_eq!(column, links(&message));
        assert_eq!(numbered(&column, "17").token(), "aaa");
    }

    #[test]
    fn a_magic_link_has_no_number() {
        let message = json!([{"url": "beckon://auth?t=ccc"}]);
        let only = &links(&message)[0];
        assert_eq!(only.number, None);
        assert_eq!(only.token(), "ccc");
    }

    #[test]
    #[should_panic(expected = "no link numbered 99")]
    fn a_missing_number_fails_the_test() {
        link_numbered(&json!([{"number": "17", "url": "http://h/?t=a"}]), "99");
    }
}
