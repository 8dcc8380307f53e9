//! The words people read, in their language: the emails, the text messages and the phone
//! pages, as Fluent messages (`locales/<lang>/server.ftl`, one file per language; English is
//! the reference every other one follows).
//!
//! Which language: a request's own `locale` (the desktop sends the computer's), else the
//! user's from their last sign-in, else `default_locale`; a page follows the phone's
//! `Accept-Language` first. A tag the server has no messages for falls back to its language
//! (`es-MX` reads `es`), then to the next choice.
//!
//! Two pseudo-locales exist for tests: `en-XA` (accented and 40 % longer: a string that
//! skipped the files shows as plain ASCII, and a layout that breaks on longer text breaks)
//! and `ar-XB` (English, right to left: every mirroring mistake shows).
//!
//! An operator can override any message with a folder of their own `.ftl` files
//! (`messages_dir`: `<dir>/<lang>/*.ftl`), checked at start: each message must exist in
//! English and use no variable English does not give it.

use std::borrow::Cow;
use std::collections::BTreeSet;
use std::path::Path;

use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};
use fluent_syntax::ast;
use icu_calendar::Gregorian;
use icu_datetime::fieldsets::YMDT;
use icu_datetime::input::{Date, DateTime, Time};
use icu_datetime::options::TimePrecision;
use icu_datetime::FixedCalendarDateTimeFormatter;
use unic_langid::LanguageIdentifier;

/// The languages shipped, English first: each one's tag and its messages.
const SHIPPED: &[(&str, &str)] = &[
    ("en", include_str!("../locales/en/server.ftl")),
    ("de", include_str!("../locales/de/server.ftl")),
    ("es", include_str!("../locales/es/server.ftl")),
    ("ar", include_str!("../locales/ar/server.ftl")),
];

/// How a pseudo-locale changes each piece of English text.
type Transform = fn(&str) -> Cow<'_, str>;

/// A file's name (for errors) and its text.
type File = (String, String);

/// The pseudo-locales, made from the English messages.
const PSEUDO: &[(&str, Transform)] = &[("en-XA", accented), ("ar-XB", mirrored)];

/// Languages written right to left, by their language subtag.
const RIGHT_TO_LEFT: &[&str] = &["ar", "fa", "he", "ur", "ps", "yi", "dv", "ckb", "sd", "ug"];

/// The longest language tag taken (BCP 47 tags people use are far shorter).
pub const MAX_TAG_LEN: usize = 35;

/// How many choices of an `Accept-Language` header are read; the rest are ignored.
const MAX_CHOICES: usize = 16;

/// The largest override file read, in bytes.
const MAX_OVERRIDE_FILE: u64 = 256 * 1024;

/// One language's messages.
struct Language {
    /// As the server writes it: `en`, `de`, `en-XA`.
    tag: String,
    id: LanguageIdentifier,
    rtl: bool,
    bundle: FluentBundle<FluentResource>,
}

/// Every language the server writes in, and the one it falls back to.
pub struct Languages {
    /// English first.
    list: Vec<Language>,
    default: usize,
}

/// The words of one language, with English behind it for a message it lacks.
#[derive(Clone, Copy)]
pub struct Words<'a> {
    language: &'a Language,
    english: &'a Language,
}

/// A message's variable: text or a whole number.
pub type Arg<'a> = (&'a str, FluentValue<'a>);

impl std::fmt::Debug for Words<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Words").field(&self.language.tag).finish()
    }
}

impl Words<'_> {
    /// The message `id`, which takes no variables.
    pub fn tr(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The message `id` with its variables.
    pub fn tr_with(&self, id: &str, args: &[Arg<'_>]) -> String {
        let mut fluent = FluentArgs::with_capacity(args.len());
        for (name, value) in args {
            fluent.set(*name, value.clone());
        }
        self.format(id, Some(&fluent))
    }

    fn format(&self, id: &str, args: Option<&FluentArgs<'_>>) -> String {
        for language in [self.language, self.english] {
            let Some(pattern) = language.bundle.get_message(id).and_then(|m| m.value()) else {
                continue;
            };
            let mut errors = Vec::new();
            let text = language.bundle.format_pattern(pattern, args, &mut errors);
            if !errors.is_empty() {
                tracing::warn!(message_id = id, language = %language.tag, ?errors, "a message did not format cleanly");
            }
            return text.into_owned();
        }
        tracing::error!(message_id = id, "no such message");
        id.to_owned()
    }

    /// The language's tag, for `lang`.
    pub fn tag(&self) -> &str {
        &self.language.tag
    }

    /// `rtl` or `ltr`, for `dir`.
    pub fn dir(&self) -> &'static str {
        if self.language.rtl {
            "rtl"
        } else {
            "ltr"
        }
    }

    /// Whether the language is written right to left.
    pub fn rtl(&self) -> bool {
        self.language.rtl
    }

    /// `Nov 21, 2026, 11:40 PM UTC`, `21.11.2026, 23:40 UTC`: a moment as the language writes
    /// it, in UTC, which an email says since it cannot know its reader's time zone.
    pub fn when_utc(&self, unix: i64) -> String {
        self.tr_with("when-utc", &[("when", self.date_time(unix).into())])
    }

    /// A moment (`unix` seconds, in UTC) as the language writes a date and a time: "Dec 4,
    /// 2026, 5:00 PM", "04.12.2026, 17:00". ISO 8601 when the language has no such data.
    pub fn date_time(&self, unix: i64) -> String {
        let Ok(moment) = time::OffsetDateTime::from_unix_timestamp(unix) else {
            return String::new();
        };
        let iso = || {
            format!(
                "{:04}-{:02}-{:02} {:02}:{:02}",
                moment.year(),
                u8::from(moment.month()),
                moment.day(),
                moment.hour(),
                moment.minute()
            )
        };
        // Made for each call: ICU4X's formatter is not `Sync`, and a message needs one or two.
        let (Some(dates), Ok(date), Ok(time)) = (
            date_formatter(&self.language.tag),
            Date::try_new_gregorian(moment.year(), u8::from(moment.month()), moment.day()),
            Time::try_new(moment.hour(), moment.minute(), moment.second(), 0),
        ) else {
            return iso();
        };
        // CLDR puts a narrow no-break space before "PM": a plain one keeps a text message
        // in the GSM alphabet (160 characters a part, not 70).
        dates
            .format(&DateTime { date, time })
            .to_string()
            .replace('\u{202f}', " ")
    }
}

/// Why the messages could not be loaded.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct LoadError(String);

impl Languages {
    /// The shipped messages, English by default, no overrides.
    pub fn shipped() -> Self {
        match Self::load("en", None) {
            Ok(languages) => languages,
            // The shipped files are checked by the tests (beckon-testkit's messages test).
            Err(error) => panic!("the shipped messages do not load: {error}"),
        }
    }

    /// The shipped messages with the operator's overrides from `overrides` (`<lang>/*.ftl`),
    /// falling back to `default_locale`.
    pub fn load(default_locale: &str, overrides: Option<&Path>) -> Result<Self, LoadError> {
        let mut sources: Vec<(&str, Vec<File>)> = SHIPPED
            .iter()
            .map(|(tag, text)| {
                (
                    *tag,
                    vec![(format!("locales/{tag}/server.ftl"), (*text).to_owned())],
                )
            })
            .collect();
        if let Some(dir) = overrides {
            for (tag, files) in read_overrides(dir)? {
                let Some(entry) = sources.iter_mut().find(|(t, _)| *t == tag) else {
                    return Err(LoadError(format!(
                        "messages_dir: {} has a folder {tag:?}, but the server has no messages in \
                         that language to override (it has {})",
                        dir.display(),
                        SHIPPED
                            .iter()
                            .map(|(t, _)| *t)
                            .collect::<Vec<_>>()
                            .join(", ")
                    )));
                };
                entry.1.extend(files);
            }
        }
        let english_variables = message_variables(SHIPPED[0].1)?;
        let mut list = Vec::with_capacity(sources.len() + PSEUDO.len());
        for (tag, files) in &sources {
            list.push(language(tag, files, None, &english_variables)?);
        }
        for (tag, transform) in PSEUDO {
            list.push(language(
                tag,
                &sources[0].1,
                Some(*transform),
                &english_variables,
            )?);
        }
        let mut languages = Self { list, default: 0 };
        languages.default = languages.find(default_locale).ok_or_else(|| {
            LoadError(format!(
                "default_locale: the server has no messages in {default_locale:?}; it writes in {}",
                languages.tags().join(", ")
            ))
        })?;
        Ok(languages)
    }

    /// The tags of every language, pseudo-locales last.
    pub fn tags(&self) -> Vec<&str> {
        self.list.iter().map(|l| l.tag.as_str()).collect()
    }

    fn words(&self, index: usize) -> Words<'_> {
        Words {
            language: &self.list[index],
            english: &self.list[0],
        }
    }

    /// The default language's words.
    pub fn default_words(&self) -> Words<'_> {
        self.words(self.default)
    }

    /// The words of the first of `wanted` the server has (each tried whole, then by its
    /// language alone), else the default's.
    pub fn pick<'a>(&self, wanted: impl IntoIterator<Item = &'a str>) -> Words<'_> {
        let found = wanted.into_iter().find_map(|tag| self.find(tag));
        self.words(found.unwrap_or(self.default))
    }

    /// The language `tag` reads in: itself, or its language without region or script.
    fn find(&self, tag: &str) -> Option<usize> {
        let id: LanguageIdentifier = tag.parse().ok()?;
        let exact = self.list.iter().position(|l| l.id == id);
        exact.or_else(|| {
            self.list.iter().position(|l| {
                l.id.language == id.language && l.id.region.is_none() && l.id.script.is_none()
            })
        })
    }
}

/// Checks a client's `locale`: a language tag such as `es` or `es-MX`, in its canonical form;
/// `None` when it is not one.
pub fn canonical_tag(value: &str) -> Option<String> {
    if value.is_empty() || value.len() > MAX_TAG_LEN {
        return None;
    }
    let id: LanguageIdentifier = value.parse().ok()?;
    (id.language.as_str() != "und").then(|| id.to_string())
}

/// The languages of an `Accept-Language` header, most wanted first (by `q`, then by order);
/// `q=0` means "not this one". Reads at most the first few choices.
pub fn accepted(header: &str) -> Vec<String> {
    let mut choices: Vec<(u16, usize, String)> = Vec::new();
    for (index, item) in header.split(',').take(MAX_CHOICES).enumerate() {
        let mut parts = item.split(';');
        let tag = parts.next().unwrap_or_default().trim();
        if tag.is_empty() || tag == "*" {
            continue;
        }
        let mut quality = 1000;
        for parameter in parts {
            let Some((name, value)) = parameter.split_once('=') else {
                continue;
            };
            if name.trim().eq_ignore_ascii_case("q") {
                quality = parse_quality(value.trim()).unwrap_or(0);
            }
        }
        if quality == 0 {
            continue;
        }
        if let Some(tag) = canonical_tag(tag) {
            choices.push((quality, index, tag));
        }
    }
    choices.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    choices.into_iter().map(|(_, _, tag)| tag).collect()
}

/// A `q` value (`0` to `1`, up to three decimals) in thousandths.
fn parse_quality(value: &str) -> Option<u16> {
    let (whole, fraction) = value.split_once('.').unwrap_or((value, ""));
    if fraction.len() > 3 || !fraction.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let whole: u16 = match whole {
        "0" => 0,
        "1" => 1,
        _ => return None,
    };
    let thousandths = format!("{fraction:0<3}").parse::<u16>().ok()?;
    let quality = whole * 1000 + thousandths;
    (quality <= 1000).then_some(quality)
}

/// One language's bundle from its files (the shipped one first, then overrides), with
/// `transform` for a pseudo-locale.
fn language(
    tag: &str,
    files: &[File],
    transform: Option<Transform>,
    english: &std::collections::BTreeMap<String, BTreeSet<String>>,
) -> Result<Language, LoadError> {
    let id: LanguageIdentifier = tag
        .parse()
        .map_err(|e| LoadError(format!("{tag:?} is not a language tag: {e}")))?;
    let rtl = RIGHT_TO_LEFT.contains(&id.language.as_str()) || tag == "ar-XB";
    let mut bundle = FluentBundle::new_concurrent(vec![id.clone()]);
    // Left-to-right text gets no isolation marks (they would make every text message UCS-2,
    // halving what fits); right-to-left text does, so an address or a number in it keeps
    // its own direction.
    bundle.set_use_isolating(rtl);
    bundle.set_transform(transform);
    for (index, (name, text)) in files.iter().enumerate() {
        let variables = message_variables(text).map_err(|e| LoadError(format!("{name}: {e}")))?;
        for (message, uses) in &variables {
            let Some(allowed) = english.get(message) else {
                return Err(LoadError(format!(
                    "{name}: there is no message {message:?} to override (see locales/en/server.ftl)"
                )));
            };
            if let Some(unknown) = uses.difference(allowed).next() {
                return Err(LoadError(format!(
                    "{name}: message {message:?} uses ${unknown}, which the server does not give it \
                     (it gives: {})",
                    allowed.iter().map(|v| format!("${v}")).collect::<Vec<_>>().join(", ")
                )));
            }
        }
        let resource = FluentResource::try_new(text.clone())
            .map_err(|(_, errors)| LoadError(format!("{name}: {errors:?}")))?;
        if index == 0 {
            bundle
                .add_resource(resource)
                .map_err(|errors| LoadError(format!("{name}: {errors:?}")))?;
        } else {
            bundle.add_resource_overriding(resource);
        }
    }
    Ok(Language {
        tag: tag.to_owned(),
        id,
        rtl,
        bundle,
    })
}

/// The formatter of dates and times in `tag`'s language, with ASCII digits; British English
/// for the pseudo-locales (a 24-hour clock).
fn date_formatter(tag: &str) -> Option<FixedCalendarDateTimeFormatter<Gregorian, YMDT>> {
    let tag = match tag {
        "en-XA" | "ar-XB" => "en-GB",
        other => other,
    };
    let locale: icu_locale_core::Locale = format!("{tag}-u-nu-latn").parse().ok()?;
    FixedCalendarDateTimeFormatter::try_new(
        (&locale).into(),
        YMDT::medium().with_time_precision(TimePrecision::Minute),
    )
    .ok()
}

/// The operator's override files: for each language folder, its `.ftl` files, by name.
fn read_overrides(dir: &Path) -> Result<Vec<(String, Vec<File>)>, LoadError> {
    let fail = |what: &Path, e: std::io::Error| {
        LoadError(format!("messages_dir: cannot read {}: {e}", what.display()))
    };
    let mut languages = Vec::new();
    let mut folders: Vec<_> = std::fs::read_dir(dir)
        .map_err(|e| fail(dir, e))?
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .collect();
    folders.sort_by_key(|e| e.file_name());
    for folder in folders {
        let tag = folder.file_name().to_string_lossy().into_owned();
        let mut files: Vec<_> = std::fs::read_dir(folder.path())
            .map_err(|e| fail(&folder.path(), e))?
            .filter_map(Result::ok)
            .filter(|e| e.path().extension().is_some_and(|x| x == "ftl"))
            .collect();
        files.sort_by_key(|e| e.file_name());
        let mut read = Vec::new();
        for file in files {
            let path = file.path();
            let size = file.metadata().map_err(|e| fail(&path, e))?.len();
            if size > MAX_OVERRIDE_FILE {
                return Err(LoadError(format!(
                    "messages_dir: {} is {size} bytes; an override file may be at most {MAX_OVERRIDE_FILE}",
                    path.display()
                )));
            }
            let text = std::fs::read_to_string(&path).map_err(|e| fail(&path, e))?;
            read.push((path.display().to_string(), text));
        }
        languages.push((tag, read));
    }
    Ok(languages)
}

/// Each message of a Fluent file and the variables it uses (in its value, its selectors and
/// its variants). A file that does not parse is an error.
pub fn message_variables(
    text: &str,
) -> Result<std::collections::BTreeMap<String, BTreeSet<String>>, LoadError> {
    let resource = fluent_syntax::parser::parse(text).map_err(|(_, errors)| {
        LoadError(
            errors
                .iter()
                .map(|e| format!("at bytes {:?}: {:?}", e.pos, e.kind))
                .collect::<Vec<_>>()
                .join("; "),
        )
    })?;
    let mut messages = std::collections::BTreeMap::new();
    for entry in resource.body {
        if let ast::Entry::Message(message) = entry {
            let mut variables = BTreeSet::new();
            if let Some(value) = &message.value {
                pattern_variables(value, &mut variables);
            }
            messages.insert(message.id.name.to_owned(), variables);
        }
    }
    Ok(messages)
}

fn pattern_variables(pattern: &ast::Pattern<&str>, into: &mut BTreeSet<String>) {
    for element in &pattern.elements {
        if let ast::PatternElement::Placeable { expression } = element {
            expression_variables(expression, into);
        }
    }
}

fn expression_variables(expression: &ast::Expression<&str>, into: &mut BTreeSet<String>) {
    match expression {
        ast::Expression::Select { selector, variants } => {
            inline_variables(selector, into);
            for variant in variants {
                pattern_variables(&variant.value, into);
            }
        }
        ast::Expression::Inline(inline) => inline_variables(inline, into),
    }
}

fn inline_variables(inline: &ast::InlineExpression<&str>, into: &mut BTreeSet<String>) {
    match inline {
        ast::InlineExpression::VariableReference { id } => {
            into.insert(id.name.to_owned());
        }
        ast::InlineExpression::FunctionReference { arguments, .. } => {
            for argument in &arguments.positional {
                inline_variables(argument, into);
            }
        }
        ast::InlineExpression::Placeable { expression } => expression_variables(expression, into),
        _ => {}
    }
}

/// `en-XA`: every letter accented and the text 40 % longer, so a string that skipped the
/// files, or a layout too tight for longer words, shows.
fn accented(text: &str) -> Cow<'_, str> {
    let mut out = String::with_capacity(text.len() * 2);
    let mut letters = 0usize;
    for c in text.chars() {
        let Some(index) = ASCII_LETTERS.find(c).filter(|_| c.is_ascii_alphabetic()) else {
            out.push(c);
            continue;
        };
        letters += 1;
        let mapped = ACCENTED.chars().nth(index).unwrap_or(c);
        out.push(mapped);
        // Vowels twice: about 30 % longer.
        if "aeiouAEIOU".contains(c) {
            out.push(mapped);
        }
    }
    // Dots make up the rest: each piece of text half as long again, so that a message,
    // variables and all, is at least 40 % longer.
    let grown = out.chars().count();
    let target = (text.chars().count() * 3).div_ceil(2);
    if letters > 0 && grown < target {
        out.extend(std::iter::repeat_n('\u{b7}', target - grown));
    }
    Cow::Owned(out)
}

/// Every ASCII letter, and its accented stand-in in `en-XA` (none of them ASCII).
const ASCII_LETTERS: &str = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
const ACCENTED: &str = "áƀçďéƒĝĥíĵķľɱñóƥʠŕšţúṽŵẋýžÅƁÇĎÉƑĜĤÎĴĶĽṀÑÖƤǪŔŠŢÜṼŴẊÝŽ";

/// `ar-XB`: English written right to left (each run of text reversed by a right-to-left
/// override), so a page that does not mirror shows it at once.
fn mirrored(text: &str) -> Cow<'_, str> {
    if text.trim().is_empty() {
        return Cow::Borrowed(text);
    }
    Cow::Owned(format!("\u{202e}{text}\u{202c}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accept_language_is_read_by_quality_then_order() {
        assert_eq!(
            accepted("es-MX;q=0.8, de, en;q=0.9, fr;q=0, *;q=0.1"),
            ["de", "en", "es-MX"]
        );
        assert_eq!(accepted("da, en-GB;q=0.8, en;q=0.7"), ["da", "en-GB", "en"]);
        assert!(accepted("").is_empty());
        assert!(accepted("q=1;;,,;").is_empty());
        // A q that is not one (above 1, more than three decimals) drops that choice.
        assert_eq!(accepted("de;q=1.5, es;q=0.0001, ar;q=0.5"), ["ar"]);
        // Only the first choices are read, however long the header.
        let long = vec!["xx"; 10_000].join(",");
        assert!(accepted(&long).len() <= MAX_CHOICES);
    }

    #[test]
    fn a_region_falls_back_to_its_language_then_the_next_choice_then_the_default() {
        let languages = Languages::shipped();
        assert_eq!(languages.pick(["es-MX"]).tag(), "es");
        assert_eq!(languages.pick(["fr-FR", "de-AT"]).tag(), "de");
        assert_eq!(languages.pick(["fr"]).tag(), "en");
        assert_eq!(languages.pick(["AR"]).tag(), "ar");
        assert_eq!(languages.pick(["en-XA"]).tag(), "en-XA");
        assert_eq!(languages.pick(["not a tag"]).tag(), "en");
        assert!(languages.pick(["ar"]).rtl());
        assert_eq!(languages.pick(["ar-XB"]).dir(), "rtl");
        let german = Languages::load("de", None).unwrap();
        assert_eq!(german.pick(["fr"]).tag(), "de");
        assert!(Languages::load("fr", None).is_err());
    }

    #[test]
    fn dates_follow_the_language_with_ascii_digits() {
        let languages = Languages::shipped();
        let at = 1_796_403_600; // 2026-12-04 17:00 UTC
        assert_eq!(languages.pick(["en"]).date_time(at), "Dec 4, 2026, 5:00 PM");
        assert_eq!(languages.pick(["de"]).date_time(at), "04.12.2026, 17:00");
        assert_eq!(languages.pick(["es"]).date_time(at), "4 dic 2026, 17:00");
        let arabic = languages.pick(["ar"]).date_time(at);
        assert!(
            arabic.contains("2026") && arabic.contains("5:00"),
            "{arabic}"
        );
        assert!(
            !arabic.chars().any(|c| ('\u{660}'..='\u{669}').contains(&c)),
            "{arabic}"
        );
    }

    #[test]
    fn a_locale_is_a_language_tag_of_bounded_length() {
        assert_eq!(canonical_tag("es-mx").as_deref(), Some("es-MX"));
        assert_eq!(canonical_tag("ar").as_deref(), Some("ar"));
        assert_eq!(canonical_tag(""), None);
        assert_eq!(canonical_tag("und"), None);
        assert_eq!(canonical_tag("es_MX!"), None);
        assert_eq!(canonical_tag(&"a".repeat(MAX_TAG_LEN + 1)), None);
    }

    #[test]
    fn the_pseudo_locales_change_every_letter_and_leave_variables_alone() {
        let languages = Languages::shipped();
        let words = languages.pick(["en-XA"]);
        let text = words.tr_with("sms-expires", &[("minutes", 15.into())]);
        assert!(text.contains("15"), "{text}");
        assert!(!text.chars().any(|c| c.is_ascii_alphabetic()), "{text}");
        let code = words.tr_with("sms-code", &[("code", "7K2M-9QXZ".into())]);
        assert!(code.contains("7K2M-9QXZ"), "{code}");
        let english = languages
            .pick(["en"])
            .tr_with("sms-expires", &[("minutes", 15.into())]);
        assert!(
            text.chars().count() * 10 >= english.chars().count() * 14,
            "{text} / {english}"
        );
        let mirrored = languages.pick(["ar-XB"]).tr("is-this-you");
        assert!(
            mirrored.starts_with('\u{2068}') || mirrored.starts_with('\u{202e}'),
            "{mirrored:?}"
        );
    }

    #[test]
    fn an_override_replaces_a_message_and_a_bad_one_is_refused_at_start() {
        let dir = tempfile::tempdir().unwrap();
        let es = dir.path().join("es");
        std::fs::create_dir(&es).unwrap();
        std::fs::write(es.join("mine.ftl"), "is-this-you = ¿Fuiste tú de verdad?\n").unwrap();
        let languages = Languages::load("en", Some(dir.path())).unwrap();
        assert_eq!(
            languages.pick(["es"]).tr("is-this-you"),
            "¿Fuiste tú de verdad?"
        );
        std::fs::write(es.join("mine.ftl"), "no-such-message = Hola\n").unwrap();
        let error = Languages::load("en", Some(dir.path()))
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("no-such-message"), "{error}");
        std::fs::write(es.join("mine.ftl"), "sms-expires = Caduca { $hours }\n").unwrap();
        let error = Languages::load("en", Some(dir.path()))
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("$hours"), "{error}");
        std::fs::create_dir(dir.path().join("fr")).unwrap();
        std::fs::write(es.join("mine.ftl"), "").unwrap();
        let error = Languages::load("en", Some(dir.path()))
            .err()
            .unwrap()
            .to_string();
        assert!(error.contains("\"fr\""), "{error}");
    }
}
