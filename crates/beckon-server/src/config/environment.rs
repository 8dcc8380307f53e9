//! The `BECKON_*` environment: every variable there must be a setting, one of
//! [`NOT_SETTINGS`], or a Kubernetes service link.

use super::Settings;

/// `BECKON_*` variables that are not settings, and that beckon-server reads or ignores.
pub const NOT_SETTINGS: &[(&str, &str)] = &[
    ("BECKON_LOG", "the log filter, such as beckon_server=debug"),
    ("BECKON_CONFIG", "the settings file, as --config"),
    (
        "BECKON_BASE_URL",
        "the desktop app's server address; beckon-server ignores it",
    ),
    (
        "BECKON_UNSAFE_PLAIN_HTTP",
        "lets the desktop app use a plain http:// server on another machine; beckon-server \
         ignores it",
    ),
];

/// Refuses `BECKON_*` variables that are neither a setting nor one of [`NOT_SETTINGS`]: a
/// misspelled setting (`BECKON_SMTP_HOTS`) would otherwise be silently left out. Kubernetes'
/// service links for a Service whose name starts with `beckon` are not settings and are
/// ignored (`is_service_link`); a setting given one's value is refused, naming the cure.
pub fn check_environment<I>(variables: I) -> anyhow::Result<()>
where
    I: IntoIterator<Item = (std::ffi::OsString, std::ffi::OsString)>,
{
    let settings: Vec<String> =
        <Settings as clap::Args>::augment_args(clap::Command::new("settings"))
            .get_arguments()
            .filter_map(|arg| arg.get_env())
            .map(|env| env.to_string_lossy().into_owned())
            .collect();
    let mut unknown = Vec::new();
    for (name, value) in variables {
        let name = name.to_string_lossy().into_owned();
        let value = value.to_string_lossy();
        if !name.starts_with("BECKON_") {
            continue;
        }
        if settings.contains(&name) {
            if service_address(&value).is_some() {
                anyhow::bail!(
                    "{name}={value:?} looks like a Kubernetes service link (a Service named \
                     after the setting), not a value for the setting: set \
                     enableServiceLinks: false in the pod's spec, or rename that Service"
                );
            }
        } else if !NOT_SETTINGS.iter().any(|(n, _)| *n == name)
            && !crate::support::faults::VARIABLES.contains(&name.as_str())
            && !is_service_link(&name, &value)
        {
            unknown.push(name);
        }
    }
    unknown.sort();
    if unknown.is_empty() {
        return Ok(());
    }
    anyhow::bail!(
        "unknown environment variable{} {}: no setting has that name. The settings are listed \
         by beckon-server --help; rename or unset it",
        if unknown.len() == 1 { "" } else { "s" },
        unknown.join(", ")
    )
}

/// `tcp://10.96.0.12:8787` (or `udp://`, `sctp://`), as Kubernetes writes a service's address.
fn service_address(value: &str) -> Option<std::net::SocketAddr> {
    let (scheme, address) = value.split_once("://")?;
    if !matches!(scheme, "tcp" | "udp" | "sctp") {
        return None;
    }
    address.parse().ok()
}

/// Whether `NAME=value` is one of the variables Kubernetes gives every pod of a namespace for
/// a Service (its name upper-cased, `-` as `_`, here one starting with `beckon`), with the
/// value Kubernetes writes: `…_SERVICE_HOST` (an address), `…_SERVICE_PORT` and
/// `…_SERVICE_PORT_<NAME>` (a port), `…_PORT` and `…_PORT_<N>_<PROTO>` (`tcp://address:port`),
/// `…_PORT_<N>_<PROTO>_PROTO`, `_PORT` and `_ADDR`. Checking the value too keeps a misspelt
/// setting (`BECKON_SMPT_PORT=2525`) refused.
fn is_service_link(name: &str, value: &str) -> bool {
    let is_port = |v: &str| v.parse::<u16>().is_ok();
    let is_address = |v: &str| v.parse::<std::net::IpAddr>().is_ok();
    let numbered = |port: &str, proto: &str| {
        !port.is_empty()
            && port.bytes().all(|b| b.is_ascii_digit())
            && matches!(proto, "TCP" | "UDP" | "SCTP")
    };
    let parts: Vec<&str> = name.split('_').collect();
    // The most specific shapes first: `…_PORT_8787_TCP_PORT` also ends in `_PORT`.
    match parts.as_slice() {
        [.., "PORT", port, proto, "PROTO"] if numbered(port, proto) => {
            value.eq_ignore_ascii_case(proto)
        }
        [.., "PORT", port, proto, "PORT"] if numbered(port, proto) => is_port(value),
        [.., "PORT", port, proto, "ADDR"] if numbered(port, proto) => is_address(value),
        [.., "PORT", port, proto] if numbered(port, proto) => service_address(value).is_some(),
        [.., "SERVICE", "HOST"] => is_address(value),
        [.., "SERVICE", "PORT"] => is_port(value),
        [.., "PORT"] => service_address(value).is_some(),
        // …_SERVICE_PORT_<NAME>
        _ => {
            parts
                .iter()
                .rposition(|p| *p == "SERVICE")
                .is_some_and(|at| parts.get(at + 1) == Some(&"PORT") && parts.len() > at + 2)
                && is_port(value)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kubernetes_service_links_are_known_by_name_and_value() {
        for (name, value) in [
            ("BECKON_SERVICE_HOST", "10.96.0.12"),
            ("BECKON_SERVICE_PORT_HTTP", "8787"),
            ("BECKON_PORT", "tcp://10.96.0.12:8787"),
            ("BECKON_SERVER_PORT_8787_TCP", "tcp://[fd00::1]:8787"),
            ("BECKON_SERVER_PORT_8787_TCP_PROTO", "tcp"),
            ("BECKON_SERVER_PORT_8787_TCP_PORT", "8787"),
            ("BECKON_SERVER_PORT_8787_TCP_ADDR", "fd00::1"),
        ] {
            assert!(is_service_link(name, value), "{name}={value}");
        }
        for (name, value) in [
            ("BECKON_SMPT_PORT", "2525"),
            ("BECKON_SMTP_HOTS", "10.96.0.12"),
            ("BECKON_SERVICE_HOST", "mail.example.com"),
            ("BECKON_PORT_87X_TCP", "tcp://10.96.0.12:8787"),
        ] {
            assert!(!is_service_link(name, value), "{name}={value}");
        }
    }
}
