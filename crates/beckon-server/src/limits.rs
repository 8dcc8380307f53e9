//! Rate limits: how many links one login ID or one client IP may ask for and verify, how
//! often one sign-in request or one client IP may poll, and how often one session or one
//! client IP may call with a refresh JWT, in a window of time.
//!
//! Polls are counted per request (its pendingRef), never per login ID: anyone may start a
//! sign-in for anyone's address, and their polls must not use up the real person's. Addresses
//! are counted as one mailbox whatever `+tag` they carry.
//!
//! Counters live in the database (`rate_limits`), so replicas that share a database share
//! their limits. Each counter is a fixed window that starts at its first hit: at most `max`
//! hits in the next `window` seconds, then `429`, `E130429` and `Retry-After` until the
//! window ends. A burst can straddle two windows (up to twice `max` in a short time); in
//! exchange a hit is one upsert, with no history kept.

use std::net::IpAddr;

use crate::domain::address::mailbox;
use crate::domain::client::network_of;
use crate::domain::{Error, Result};
use crate::store::Store;
use crate::support::secrets;

/// At most `max` hits per `window` seconds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Rule {
    pub max: u32,
    pub window: u32,
}

impl Rule {
    pub const fn new(max: u32, window: u32) -> Self {
        Self { max, window }
    }

    /// `COUNT/SECONDS` (`5/600`), or `off` for no limit.
    pub fn parse(value: &str) -> Result<Option<Rule>, String> {
        let value = value.trim();
        if value.eq_ignore_ascii_case("off") {
            return Ok(None);
        }
        let usage = "write COUNT/SECONDS, such as 5/600 (five in ten minutes), or off";
        let (max, window) = value.split_once('/').ok_or(usage)?;
        let max: u32 = max.trim().parse().map_err(|_| usage)?;
        let window: u32 = window.trim().parse().map_err(|_| usage)?;
        if max == 0 || !(1..=86_400).contains(&window) {
            return Err(format!(
                "COUNT must be at least 1 and SECONDS between 1 and 86400; {usage}"
            ));
        }
        Ok(Some(Rule { max, window }))
    }
}

/// Every limit; `None` is no limit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RuleSet {
    pub send_per_login_id: Option<Rule>,
    pub send_per_ip: Option<Rule>,
    pub verify_per_login_id: Option<Rule>,
    pub verify_per_ip: Option<Rule>,
    pub code_per_login_id: Option<Rule>,
    pub code_per_ip: Option<Rule>,
    pub poll_per_request: Option<Rule>,
    pub poll_per_ip: Option<Rule>,
    pub session_per_session: Option<Rule>,
    pub session_per_ip: Option<Rule>,
    pub management_refusals_per_ip: Option<Rule>,
}

impl Default for RuleSet {
    /// Enough for people (a few resends, an app polling every 2 s, an office behind one
    /// address), too few for a script mailing someone's inbox full.
    fn default() -> Self {
        Self {
            send_per_login_id: Some(Rule::new(5, 600)),
            send_per_ip: Some(Rule::new(30, 600)),
            verify_per_login_id: Some(Rule::new(20, 600)),
            verify_per_ip: Some(Rule::new(60, 600)),
            code_per_login_id: Some(Rule::new(10, 86_400)),
            code_per_ip: Some(Rule::new(30, 600)),
            poll_per_request: Some(Rule::new(120, 60)),
            poll_per_ip: Some(Rule::new(1200, 60)),
            session_per_session: Some(Rule::new(60, 60)),
            session_per_ip: Some(Rule::new(600, 60)),
            management_refusals_per_ip: Some(Rule::new(30, 60)),
        }
    }
}

impl RuleSet {
    /// No limits at all.
    pub fn off() -> Self {
        Self {
            send_per_login_id: None,
            send_per_ip: None,
            verify_per_login_id: None,
            verify_per_ip: None,
            code_per_login_id: None,
            code_per_ip: None,
            poll_per_request: None,
            poll_per_ip: None,
            session_per_session: None,
            session_per_ip: None,
            management_refusals_per_ip: None,
        }
    }
}

/// What is being counted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Action {
    /// Sending links (sign-in, sign-up, updates).
    Send,
    /// Verifying a link (API or confirm page).
    Verify,
    /// Typing a sign-in request's code.
    Code,
    /// Polling for the pending session.
    Poll,
    /// A call with a refresh JWT: refresh, try-refresh, me, logout, logoutall.
    Session,
}

/// Whose hits are counted.
#[derive(Debug, Clone, Copy)]
pub enum Key<'a> {
    /// A normalized login ID or address.
    LoginId(&'a str),
    /// One sign-in request, by the hash of its pendingRef.
    Request(&'a [u8]),
    /// The client's address; `None` when it is not known (a router called without a socket).
    Ip(Option<IpAddr>),
    /// One session, by its ID (the same across refresh-token rotations).
    Session(&'a str),
}

/// The rule that counts `action` by `key`: its setting's name without `limit_`
/// (`send_per_login_id`), as the metrics label it.
pub fn rule_name(action: Action, key: Key<'_>) -> &'static str {
    match (action, key) {
        (Action::Send, Key::LoginId(_)) => "send_per_login_id",
        (Action::Send, _) => "send_per_ip",
        (Action::Verify, Key::LoginId(_)) => "verify_per_login_id",
        (Action::Verify, _) => "verify_per_ip",
        (Action::Code, Key::LoginId(_)) => "code_per_login_id",
        (Action::Code, _) => "code_per_ip",
        (Action::Poll, Key::Ip(_)) => "poll_per_ip",
        (Action::Poll, _) => "poll_per_request",
        (Action::Session, Key::Session(_)) => "session_per_session",
        (Action::Session, _) => "session_per_ip",
    }
}

/// Counts one hit of `action` by `key`; refuses it with `429` once over the limit.
pub async fn hit(
    store: &Store,
    rules: &RuleSet,
    now: i64,
    action: Action,
    key: Key<'_>,
) -> Result<()> {
    let (rule, scope, value) = match key {
        Key::LoginId(id) => (
            match action {
                Action::Send => rules.send_per_login_id,
                Action::Verify => rules.verify_per_login_id,
                Action::Code => rules.code_per_login_id,
                Action::Poll => rules.poll_per_request,
                Action::Session => None,
            },
            "login",
            mailbox(id),
        ),
        Key::Request(ref_hash) => (
            match action {
                Action::Poll => rules.poll_per_request,
                Action::Send | Action::Verify | Action::Code | Action::Session => None,
            },
            "request",
            ref_hash.iter().map(|b| format!("{b:02x}")).collect(),
        ),
        Key::Ip(Some(ip)) => (
            match action {
                Action::Send => rules.send_per_ip,
                Action::Verify => rules.verify_per_ip,
                Action::Code => rules.code_per_ip,
                Action::Poll => rules.poll_per_ip,
                Action::Session => rules.session_per_ip,
            },
            "ip",
            ip_bucket(ip),
        ),
        Key::Session(id) => (
            match action {
                Action::Session => rules.session_per_session,
                Action::Send | Action::Verify | Action::Code | Action::Poll => None,
            },
            "session",
            id.to_owned(),
        ),
        Key::Ip(None) => return Ok(()),
    };
    let Some(rule) = rule else {
        return Ok(());
    };
    // Login IDs are people's addresses: the table keeps only a hash of each.
    let bucket = secrets::hash(&format!("{action:?}:{scope}:{value}"));
    let (hits, ends) = store.rate_hit(&bucket, now, i64::from(rule.window)).await?;
    if hits > i64::from(rule.max) {
        let retry_after = u64::try_from(ends - now).unwrap_or(1).max(1);
        return Err(Error::rate_limited(retry_after));
    }
    Ok(())
}

/// Refusals counted per client network in memory, for a limit that must cost no database
/// work at all: a wrong management key, whose flood would otherwise queue for the database's
/// write lock. Per server (replicas count apart), at most [`Strikes::TRACKED`] networks at
/// once; past that an untracked network is not limited (each refusal then costs one read) and
/// not audited, so neither memory nor the audit trail grows with the number of attackers.
pub struct Strikes {
    rule: Option<Rule>,
    by_network: std::sync::Mutex<std::collections::HashMap<Option<IpAddr>, Strike>>,
}

struct Strike {
    window_start: i64,
    count: u32,
    audited_at: Option<i64>,
}

/// How long one network's refusals are audited once.
const AUDIT_EVERY_SECS: i64 = 60;

impl Strikes {
    /// The most networks tracked at once.
    pub const TRACKED: usize = 4096;

    /// Refusals limited by `rule` (`None`: only counted, for the audit).
    pub fn new(rule: Option<Rule>) -> Self {
        Self {
            rule,
            by_network: Default::default(),
        }
    }

    /// Refuses a client over its limit now: `Err` with the seconds until it may try again.
    pub fn check(&self, ip: Option<IpAddr>, now: i64) -> std::result::Result<(), u64> {
        let Some(rule) = self.rule else {
            return Ok(());
        };
        let map = self.lock();
        match map.get(&ip.map(network_of)) {
            Some(s) if s.count >= rule.max && now < s.window_start + i64::from(rule.window) => {
                let ends = s.window_start + i64::from(rule.window);
                Err(u64::try_from(ends - now).unwrap_or(1).max(1))
            }
            _ => Ok(()),
        }
    }

    /// Counts one refusal of `ip`; `true` when it is to be audited (the first of its network
    /// in a minute).
    pub fn strike(&self, ip: Option<IpAddr>, now: i64) -> bool {
        let window = self.rule.map_or(AUDIT_EVERY_SECS, |r| i64::from(r.window));
        let mut map = self.lock();
        let key = ip.map(network_of);
        if !map.contains_key(&key) && map.len() >= Self::TRACKED {
            let quiet = |s: &Strike| {
                now >= s.window_start + window
                    && s.audited_at.is_none_or(|at| now >= at + AUDIT_EVERY_SECS)
            };
            map.retain(|_, s| !quiet(s));
            if map.len() >= Self::TRACKED {
                return false;
            }
        }
        let strike = map.entry(key).or_insert(Strike {
            window_start: now,
            count: 0,
            audited_at: None,
        });
        if now >= strike.window_start + window {
            strike.window_start = now;
            strike.count = 0;
        }
        strike.count = strike.count.saturating_add(1);
        let audit = strike
            .audited_at
            .is_none_or(|at| now >= at + AUDIT_EVERY_SECS);
        if audit {
            strike.audited_at = Some(now);
        }
        audit
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, std::collections::HashMap<Option<IpAddr>, Strike>> {
        // Counts changed a line at a time: a panic leaves them usable.
        self.by_network
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

/// A client's bucket: its network ([`network_of`]), an IPv6 one written as `…::/64`.
fn ip_bucket(ip: IpAddr) -> String {
    match network_of(ip) {
        IpAddr::V4(v4) => v4.to_string(),
        IpAddr::V6(v6) => format!("{v6}/64"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rules_parse_or_explain() {
        assert_eq!(Rule::parse("5/600"), Ok(Some(Rule::new(5, 600))));
        assert_eq!(Rule::parse(" 5 / 600 "), Ok(Some(Rule::new(5, 600))));
        assert_eq!(Rule::parse("OFF"), Ok(None));
        for bad in ["5", "0/60", "5/0", "5/100000", "five/60", "-1/60"] {
            assert!(Rule::parse(bad).unwrap_err().contains("COUNT"), "{bad}");
        }
    }

    #[test]
    fn strikes_limit_a_network_audit_it_once_a_minute_and_stay_bounded() {
        let strikes = Strikes::new(Some(Rule::new(2, 60)));
        let ip = |s: &str| Some(s.parse::<IpAddr>().unwrap());
        assert!(strikes.strike(ip("2001:db8::1"), 0), "the first is audited");
        assert!(
            !strikes.strike(ip("2001:db8::2"), 1),
            "the same /64, not again"
        );
        assert_eq!(strikes.check(ip("2001:db8::3"), 2), Err(58));
        assert_eq!(strikes.check(ip("192.0.2.1"), 2), Ok(()));
        assert_eq!(strikes.check(ip("2001:db8::3"), 60), Ok(()), "window over");
        assert!(
            strikes.strike(ip("2001:db8::1"), 61),
            "a minute on, audited again"
        );
        for n in 0..(Strikes::TRACKED as u32 + 10) {
            strikes.strike(Some(IpAddr::from(n.to_be_bytes())), 70);
        }
        assert!(strikes.lock().len() <= Strikes::TRACKED);
    }

    #[test]
    fn ipv6_hosts_share_their_slash_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().unwrap();
        let b: IpAddr = "2001:db8:1:2:bbbb::2".parse().unwrap();
        let c: IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(ip_bucket(a), ip_bucket(b));
        assert_ne!(ip_bucket(a), ip_bucket(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(ip_bucket(mapped), "192.0.2.7");
    }
}
