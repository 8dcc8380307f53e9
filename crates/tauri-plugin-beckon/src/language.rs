//! Which language the view speaks, and its messages: the plugin's own Fluent files
//! (`locales/<lang>/view.ftl`), English the reference. The person's choice in Settings
//! (kept in `settings.json`) wins; else the system's language; else English. A tag the view
//! has no messages for falls back to its language alone (`es-MX` reads `es`).
//!
//! The same tag goes to the server with each request (`loginOptions.locale`), so the emails,
//! texts and phone pages are in that language too (the server has its own messages).

use beckon_session::settings::ViewWords;
use std::sync::OnceLock;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource};
use unic_langid::LanguageIdentifier;

/// The languages the view speaks, English first: each one's tag and messages.
const SHIPPED: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en/view.ftl")),
    ("de", include_str!("../locales/de/view.ftl")),
    ("es", include_str!("../locales/es/view.ftl")),
    ("ar", include_str!("../locales/ar/view.ftl")),
];

/// Pseudo-locales for tests, made from English by the view: `en-XA` (accented, longer) and
/// `ar-XB` (right to left).
const PSEUDO: &[&str] = &["en-XA", "ar-XB"];

/// Languages written right to left, by their language subtag.
const RIGHT_TO_LEFT: &[&str] = &["ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"];

/// The longest tag taken (a choice from the view is checked before it is kept).
const MAX_TAG_LEN: usize = 35;

/// A language tag in its canonical form (`es-MX`), or none when `text` is not one. POSIX
/// forms such as `es_MX.UTF-8` are read too.
pub(crate) fn canonical(text: &str) -> Option<String> {
    let text = text
        .split(['.', '@'])
        .next()
        .unwrap_or_default()
        .replace('_', "-");
    if text.is_empty() || text.len() > MAX_TAG_LEN || text.eq_ignore_ascii_case("C") {
        return None;
    }
    let id: LanguageIdentifier = text.parse().ok()?;
    (id.language.as_str() != "und").then(|| id.to_string())
}

/// The system's language, as a tag; English when it names none.
pub(crate) fn system() -> String {
    sys_locale::get_locale()
        .and_then(|tag| canonical(&tag))
        .unwrap_or_else(|| "en".to_owned())
}

/// What the view speaks for `tag`: a shipped language or pseudo-locale, by the whole tag, then
/// by its language alone.
fn speaks(tag: &str) -> Option<&'static str> {
    let id: LanguageIdentifier = tag.parse().ok()?;
    let all = SHIPPED
        .iter()
        .map(|(t, _)| *t)
        .chain(PSEUDO.iter().copied());
    let exact = all
        .clone()
        .find(|t| t.parse::<LanguageIdentifier>().ok().as_ref() == Some(&id));
    exact.or_else(|| {
        SHIPPED
            .iter()
            .map(|(t, _)| *t)
            .find(|t| *t == id.language.as_str())
    })
}

/// The messages of `tag` (English's for a pseudo-locale).
fn source(tag: &str) -> &'static str {
    SHIPPED
        .iter()
        .find(|(t, _)| *t == tag)
        .map_or(SHIPPED[0].1, |(_, text)| *text)
}

/// The language the view speaks: `chosen` in Settings, else `system`, else English.
pub(crate) fn speaking(chosen: Option<&str>, system: &str) -> &'static str {
    chosen
        .and_then(speaks)
        .or_else(|| speaks(system))
        .unwrap_or("en")
}

/// What the view speaks (see [`speaking`]), with its messages.
pub(crate) fn words(chosen: Option<&str>, system: &str) -> ViewWords {
    let locale = speaking(chosen, system);
    let rtl = locale == "ar-XB"
        || locale
            .parse::<LanguageIdentifier>()
            .is_ok_and(|id| RIGHT_TO_LEFT.contains(&id.language.as_str()));
    ViewWords {
        locale: locale.to_owned(),
        rtl,
        messages: source(locale).to_owned(),
        english: SHIPPED[0].1.to_owned(),
        chosen: chosen.map(str::to_owned),
        system: system.to_owned(),
        languages: SHIPPED.iter().map(|(t, _)| (*t).to_owned()).collect(),
    }
}

/// The tag the server is asked to write in: the choice, else the system's (the server
/// picks among its own languages).
pub(crate) fn for_server(chosen: Option<&str>, system: &str) -> String {
    chosen.unwrap_or(system).to_owned()
}

/// The message `id` of the view's files in `locale`, with `args`; English when the language
/// lacks it, and `id` itself when no file has it.
pub(crate) fn message(locale: &str, id: &str, args: &[(&str, &str)]) -> String {
    let mut fluent = FluentArgs::new();
    for (name, value) in args {
        fluent.set(*name, *value);
    }
    let bundles = bundles();
    // A pseudo-locale is English's messages (the view transforms them, not Rust).
    let shipped = SHIPPED.iter().position(|(t, _)| *t == locale).unwrap_or(0);
    for bundle in [&bundles[shipped], &bundles[0]] {
        let Some(pattern) = bundle.get_message(id).and_then(|m| m.value()) else {
            continue;
        };
        let mut errors = Vec::new();
        return bundle
            .format_pattern(pattern, Some(&fluent), &mut errors)
            .into_owned();
    }
    id.to_owned()
}

/// The shipped languages' messages, in [`SHIPPED`]'s order, each parsed once on first use.
fn bundles() -> &'static [FluentBundle<FluentResource>] {
    static BUNDLES: OnceLock<Vec<FluentBundle<FluentResource>>> = OnceLock::new();
    BUNDLES.get_or_init(|| {
        SHIPPED
            .iter()
            .map(|(tag, text)| {
                let id: LanguageIdentifier = tag.parse().unwrap_or_default();
                let rtl = RIGHT_TO_LEFT.contains(&id.language.as_str());
                let mut bundle = FluentBundle::new_concurrent(vec![id]);
                bundle.set_use_isolating(rtl);
                // The files are checked by the messages test; a fault here would leave the
                // message to English, or to its ID.
                let resource = FluentResource::try_new((*text).to_owned())
                    .unwrap_or_else(|(partial, _)| partial);
                let _ = bundle.add_resource(resource);
                bundle
            })
            .collect()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_choice_then_the_system_then_english_by_tag_then_language() {
        assert_eq!(words(None, "es-MX").locale, "es");
        assert_eq!(words(Some("de"), "es-MX").locale, "de");
        assert_eq!(words(Some("fr"), "ar-EG").locale, "ar");
        assert!(words(None, "ar-EG").rtl);
        assert_eq!(words(None, "fr-FR").locale, "en");
        assert_eq!(words(Some("en-XA"), "de").locale, "en-XA");
        assert!(words(Some("ar-XB"), "de").rtl);
        assert_eq!(for_server(None, "es-MX"), "es-MX");
        assert_eq!(for_server(Some("de"), "es-MX"), "de");
    }

    #[test]
    fn posix_locales_are_read_as_tags() {
        assert_eq!(canonical("es_ES.UTF-8").as_deref(), Some("es-ES"));
        assert_eq!(canonical("de_DE@euro").as_deref(), Some("de-DE"));
        assert_eq!(canonical("C"), None);
        assert_eq!(canonical(""), None);
        assert_eq!(canonical("not a tag"), None);
    }

    #[test]
    fn rust_reads_the_same_messages() {
        assert_eq!(
            message("es", "notification-body", &[("email", "ada@example.com")]),
            "Has entrado como ada@example.com."
        );
        assert_eq!(
            message("fr", "notification-title", &[("app", "Beckon")]),
            "Signed in to Beckon"
        );
        // Right to left: the address is isolated (FSI … PDI) so it stays one left-to-right run.
        assert_eq!(
            message("ar", "notification-body", &[("email", "ada@example.com")]),
            "سجّلت الدخول باسم \u{2068}ada@example.com\u{2069}."
        );
        assert_eq!(
            message("en-XA", "notification-title", &[("app", "Beckon")]),
            "Signed in to Beckon"
        );
        assert_eq!(message("de", "no-such-message", &[]), "no-such-message");
    }
}
