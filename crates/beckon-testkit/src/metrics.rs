//! Reading a server's `GET /metrics` (the Prometheus text format) as tests need it.

/// The series a held-wait count is in: the polls one server holds now.
pub const HELD_WAITS: &str = "beckon_held_waits{scope=\"replica\"}";

/// The value of `series` (its name and labels as written, `name{label="value"}`) in a
/// Prometheus text exposition; `None` when it is not there.
pub fn sample(exposition: &str, series: &str) -> Option<f64> {
    exposition
        .lines()
        .filter(|line| !line.starts_with('#'))
        .find_map(|line| {
            let (name, value) = line.rsplit_once(' ')?;
            (name == series).then(|| value.parse().ok())?
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_series_is_found_by_its_name_and_labels() {
        let text = "# HELP beckon_held_waits held\nbeckon_held_waits{scope=\"replica\"} 3\n";
        assert_eq!(sample(text, HELD_WAITS), Some(3.0));
        assert_eq!(sample(text, "beckon_held_waits"), None);
    }
}
