//! The transports' settings, checked: SMTP (`smtp_*`) and a Twilio-compatible SMS provider
//! (`sms_*`), with their secrets read from files.

use std::path::Path;

use super::{setting_error, Settings};
use crate::delivery::sms::SmsSettings;
use crate::delivery::smtp::{Security, SmtpSettings};
use crate::support::secrets::Secret;

/// SMTP settings, when `smtp_host` is given; every other `smtp_*` setting needs it.
pub(super) fn smtp_settings(s: &Settings) -> anyhow::Result<Option<SmtpSettings>> {
    let Some(host) = s.smtp_host.as_deref().map(str::trim) else {
        let stray = [
            ("smtp_port", s.smtp_port.is_some()),
            ("smtp_security", s.smtp_security.is_some()),
            ("smtp_username", s.smtp_username.is_some()),
            ("smtp_password_file", s.smtp_password_file.is_some()),
            ("smtp_from", s.smtp_from.is_some()),
            ("smtp_ca_file", s.smtp_ca_file.is_some()),
        ];
        if let Some((name, _)) = stray.iter().find(|(_, given)| *given) {
            anyhow::bail!(
                "{name} is set but smtp_host is not: set smtp_host (--smtp-host, BECKON_SMTP_HOST) \
                 to send email over SMTP, or remove {name}"
            );
        }
        return Ok(None);
    };
    if host.is_empty() || host.contains(['/', ' ', ':']) && !host.starts_with('[') {
        return Err(setting_error(
            "smtp_host",
            host,
            "it must be a host name or address, such as smtp.example.com (the port goes in smtp_port)",
        ));
    }
    let security = match &s.smtp_security {
        Some(v) => Security::parse(v).map_err(|e| setting_error("smtp_security", v, &e))?,
        None => Security::StartTls,
    };
    let from = s.smtp_from.as_deref().ok_or_else(|| {
        anyhow::anyhow!(
            "smtp_from is required with smtp_host: the sender, such as \
             --smtp-from \"Beckon <sign-in@example.com>\" (BECKON_SMTP_FROM)"
        )
    })?;
    let from = from.parse().map_err(|e| {
        setting_error(
            "smtp_from",
            from,
            &format!("{e}; write an address, such as Beckon <sign-in@example.com>"),
        )
    })?;
    let credentials = match (&s.smtp_username, &s.smtp_password_file) {
        (Some(user), Some(file)) => Some((user.clone(), read_secret_file("smtp_password_file", file)?)),
        (None, None) => None,
        (Some(_), None) => anyhow::bail!(
            "smtp_username is set without smtp_password_file: put the password in a file only \
             the server can read and name it with --smtp-password-file (BECKON_SMTP_PASSWORD_FILE)"
        ),
        (None, Some(_)) => anyhow::bail!(
            "smtp_password_file is set without smtp_username: add --smtp-username (BECKON_SMTP_USERNAME)"
        ),
    };
    if let Some(ca) = &s.smtp_ca_file {
        if !ca.is_file() {
            return Err(setting_error(
                "smtp_ca_file",
                &ca.display().to_string(),
                "no such file: name a PEM file of certificate authorities",
            ));
        }
    }
    Ok(Some(SmtpSettings {
        host: host.to_owned(),
        port: SmtpSettings::port_or_default(s.smtp_port, security),
        security,
        credentials,
        from,
        ca_file: s.smtp_ca_file.clone(),
    }))
}

/// SMS settings, when any `sms_*` setting is given: then the account, token and sender are
/// all needed.
pub(super) fn sms_settings(s: &Settings) -> anyhow::Result<Option<SmsSettings>> {
    let any = s.sms_provider_url.is_some()
        || s.sms_account_sid.is_some()
        || s.sms_auth_token_file.is_some()
        || s.sms_from.is_some();
    if !any {
        return Ok(None);
    }
    let (Some(sid), Some(token_file), Some(from)) =
        (&s.sms_account_sid, &s.sms_auth_token_file, &s.sms_from)
    else {
        let missing: Vec<&str> = [
            ("sms_account_sid", s.sms_account_sid.is_none()),
            ("sms_auth_token_file", s.sms_auth_token_file.is_none()),
            ("sms_from", s.sms_from.is_none()),
        ]
        .iter()
        .filter(|(_, missing)| *missing)
        .map(|(name, _)| *name)
        .collect();
        anyhow::bail!(
            "text messages need sms_account_sid, sms_auth_token_file and sms_from together; \
             missing: {} (flags --sms-…, variables BECKON_SMS_…)",
            missing.join(", ")
        );
    };
    let base_url = match &s.sms_provider_url {
        Some(url) if matches!(url.scheme(), "http" | "https") && url.host().is_some() => {
            url.clone()
        }
        Some(url) => {
            return Err(setting_error(
                "sms_provider_url",
                url.as_str(),
                "it must be an http(s) URL, such as https://api.twilio.com",
            ))
        }
        None => url::Url::parse("https://api.twilio.com")?,
    };
    Ok(Some(SmsSettings {
        base_url,
        account_sid: sid.trim().to_owned(),
        auth_token: read_secret_file("sms_auth_token_file", token_file)?,
        from: from.trim().to_owned(),
    }))
}

/// The first line of a secret file.
fn read_secret_file(name: &str, path: &Path) -> anyhow::Result<Secret> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        setting_error(
            name,
            &path.display().to_string(),
            &format!("cannot read it ({e}): the file must exist and be readable by the server"),
        )
    })?;
    let value = text.lines().next().unwrap_or_default().trim_end();
    if value.is_empty() {
        return Err(setting_error(
            name,
            &path.display().to_string(),
            "the file is empty: write the secret on its first line",
        ));
    }
    Ok(Secret::new(value))
}
