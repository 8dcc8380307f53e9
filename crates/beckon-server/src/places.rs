//! Where a sign-in request came from, as the confirm page and the email tell it under "Is this
//! you?": the approximate place of the requesting address, from the operator's MaxMind-format
//! City database (`geoip_database`: GeoLite2-City, DB-IP Lite City…), read into memory at
//! start. Nothing is fetched at run time; without a database the place is unknown, never
//! guessed.

use std::net::IpAddr;
use std::path::Path;

use maxminddb::{geoip2, Reader};

use crate::languages::Words;

/// The operator's place database, or none.
pub struct Places {
    reader: Option<Reader<Vec<u8>>>,
}

/// Where an address is, as far as the server can tell.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Place {
    /// A loopback address: the request came from the machine the server runs on.
    ThisComputer,
    /// A private, link-local or unique-local address: somewhere on the server's own network.
    LocalNetwork,
    /// What the database says: "city, region, country", as much of it as it knows.
    Near(String),
    /// No address, no database, or an address the database does not know.
    Unknown,
}

impl Places {
    /// No database: every public address is in an unknown place.
    pub fn none() -> Self {
        Self { reader: None }
    }

    /// Reads the database at `path` into memory, or says why it cannot.
    pub fn open(path: &Path) -> anyhow::Result<Self> {
        let reader = Reader::open_readfile(path).map_err(|e| {
            anyhow::anyhow!(
                "geoip_database: cannot read {} as a MaxMind-format database ({e}); give a \
                 City database such as GeoLite2-City.mmdb or DB-IP's dbip-city-lite, or leave \
                 the setting out",
                path.display()
            )
        })?;
        Ok(Self {
            reader: Some(reader),
        })
    }

    /// Where `address` is.
    pub fn place(&self, address: Option<IpAddr>) -> Place {
        let Some(address) = address.map(|a| a.to_canonical()) else {
            return Place::Unknown;
        };
        if address.is_loopback() {
            return Place::ThisComputer;
        }
        if is_local_network(address) {
            return Place::LocalNetwork;
        }
        let Some(reader) = &self.reader else {
            return Place::Unknown;
        };
        // A broken record is an unknown place: the page still shows, with everything else.
        let city = reader
            .lookup(address)
            .and_then(|found| found.decode::<geoip2::City>())
            .ok()
            .flatten();
        city.and_then(|city| {
            let names = [
                city.city.names.english,
                city.subdivisions.first().and_then(|s| s.names.english),
                city.country.names.english,
            ];
            let mut parts: Vec<&str> = Vec::with_capacity(3);
            for name in names.into_iter().flatten().map(str::trim) {
                // "Lisbon, Lisbon, Portugal" says the city twice.
                if !name.is_empty() && !parts.contains(&name) {
                    parts.push(name);
                }
            }
            (!parts.is_empty()).then(|| Place::Near(parts.join(", ")))
        })
        .unwrap_or(Place::Unknown)
    }
}

/// Private (RFC 1918), link-local, unique-local (fc00::/7) and shared (RFC 6598) addresses:
/// a network of the server's own, where a place database knows nothing.
fn is_local_network(address: IpAddr) -> bool {
    match address {
        IpAddr::V4(v4) => {
            v4.is_private()
                || v4.is_link_local()
                || (v4.octets()[0] == 100 && (v4.octets()[1] & 0xc0) == 64)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            (first & 0xfe00) == 0xfc00 || (first & 0xffc0) == 0xfe80
        }
    }
}

/// Where a request came from, as the page and the email show it under "Is this you?".
#[derive(Debug, Clone)]
pub struct Origin {
    pub place: Place,
    /// The requesting client's address.
    pub address: Option<IpAddr>,
    /// The requester's `User-Agent`: its own claim.
    pub device: Option<String>,
}

/// One row of "Is this you?": what it is (`where`, `address`, `device`, `when`, for tests
/// and styles), its label and its value, in the reader's language.
#[derive(Debug, Clone)]
pub struct OriginLine {
    pub key: &'static str,
    pub label: String,
    pub value: String,
}

impl OriginLine {
    /// The time row: `when` (already in words).
    pub fn when(words: Words<'_>, when: String) -> Self {
        Self {
            key: "when",
            label: words.tr("origin-when"),
            value: when,
        }
    }
}

impl Origin {
    /// "Where", "Address" and "Device", each with its value in words (the time is the
    /// page's and the email's own: relative on the page, absolute in the email).
    pub fn lines(&self, words: Words<'_>) -> Vec<OriginLine> {
        let line =
            |key: &'static str, label: String, value: String| OriginLine { key, label, value };
        vec![
            line("where", words.tr("origin-where"), self.place.words(words)),
            line(
                "address",
                words.tr("origin-address"),
                self.address.map_or_else(
                    || words.tr("address-unknown"),
                    |a| a.to_canonical().to_string(),
                ),
            ),
            line(
                "device",
                words.tr("origin-device"),
                self.device.as_deref().map_or_else(
                    || words.tr("device-unknown"),
                    // The User-Agent is the requester's own claim: told as such, never as fact.
                    |ua| words.tr_with("device-claimed", &[("device", ua.into())]),
                ),
            ),
        ]
    }
}

impl Place {
    /// The place in words, as "Where" shows it.
    pub fn words(&self, words: Words<'_>) -> String {
        match self {
            Place::ThisComputer => words.tr("place-this-computer"),
            Place::LocalNetwork => words.tr("place-local-network"),
            Place::Near(name) => words.tr_with("place-near", &[("place", name.as_str().into())]),
            Place::Unknown => words.tr("place-unknown"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fixture() -> Places {
        Places::open(&Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/geoip-test.mmdb"))
            .unwrap()
    }

    fn ip(text: &str) -> Option<IpAddr> {
        Some(text.parse().unwrap())
    }

    #[test]
    fn a_known_address_is_near_its_city_region_and_country() {
        let places = fixture();
        assert_eq!(
            places.place(ip("203.0.113.9")),
            Place::Near("Lisbon, Portugal".into())
        );
        assert_eq!(
            places.place(ip("198.51.100.7")),
            Place::Near("Japan".into())
        );
        assert_eq!(
            places.place(ip("2001:db8:1::42")),
            Place::Near("Bergen, Vestland, Norway".into())
        );
        // An IPv4 address as a dual-stack socket reports it.
        assert_eq!(
            places.place(ip("::ffff:203.0.113.9")),
            Place::Near("Lisbon, Portugal".into())
        );
    }

    #[test]
    fn an_address_the_database_does_not_know_is_unknown() {
        let places = fixture();
        assert_eq!(places.place(ip("198.51.100.200")), Place::Unknown);
        assert_eq!(places.place(ip("2001:db8:2::1")), Place::Unknown);
        assert_eq!(places.place(None), Place::Unknown);
    }

    #[test]
    fn without_a_database_a_public_address_is_unknown() {
        assert_eq!(Places::none().place(ip("203.0.113.9")), Place::Unknown);
    }

    #[test]
    fn local_addresses_say_so_with_or_without_a_database() {
        for places in [fixture(), Places::none()] {
            for loopback in ["127.0.0.1", "::1", "::ffff:127.0.0.1"] {
                assert_eq!(
                    places.place(ip(loopback)),
                    Place::ThisComputer,
                    "{loopback}"
                );
            }
            for local in [
                "192.168.1.20",
                "10.0.0.5",
                "172.16.3.4",
                "169.254.1.1",
                "100.64.0.9",
                "fd12::1",
                "fe80::1",
            ] {
                assert_eq!(places.place(ip(local)), Place::LocalNetwork, "{local}");
            }
        }
    }

    #[test]
    fn a_file_that_is_not_a_database_is_refused_with_the_setting_named() {
        let file = tempfile::NamedTempFile::new().unwrap();
        std::fs::write(file.path(), b"not a database").unwrap();
        let error = Places::open(file.path()).err().unwrap().to_string();
        assert!(error.starts_with("geoip_database: cannot read"), "{error}");
    }
}
