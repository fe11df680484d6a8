//! Reading the times people type: RFC 3339, or a duration back from now.

use chrono::{DateTime, Duration, Utc};

/// `2026-11-30T10:00:00Z`, or `90m`, `24h`, `7d`, `30s` meaning that long
/// before `now`.
pub fn parse_time(text: &str, now: DateTime<Utc>) -> Result<DateTime<Utc>, String> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text) {
        return Ok(time.with_timezone(&Utc));
    }
    let ago = parse_duration(text).map_err(|why| {
        format!("`{text}` is neither an RFC 3339 time (2026-11-30T10:00:00Z) nor a duration: {why}")
    })?;
    now.checked_sub_signed(ago)
        .ok_or_else(|| format!("`{text}` reaches too far back"))
}

/// A whole number followed by `s`, `m`, `h` or `d`.
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit())
        .ok_or("add a unit: s, m, h or d (for example 90m)")?;
    let (number, unit) = text.split_at(split);
    let n: i64 = number
        .parse()
        .map_err(|_| "expected a whole number before the unit (for example 24h)".to_string())?;
    let seconds = match unit {
        "s" => Some(n),
        "m" => n.checked_mul(60),
        "h" => n.checked_mul(3600),
        "d" => n.checked_mul(86_400),
        other => return Err(format!("unknown unit `{other}`: use s, m, h or d")),
    }
    .ok_or("too long")?;
    Duration::try_seconds(seconds).ok_or_else(|| "too long".to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_count_back_from_now() {
        let now = DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc);
        let at = |s| parse_time(s, now).unwrap().to_rfc3339();
        assert_eq!(at("90m"), "2026-12-01T10:30:00+00:00");
        assert_eq!(at("24h"), "2026-11-30T12:00:00+00:00");
        assert_eq!(at("7d"), "2026-11-24T12:00:00+00:00");
        assert_eq!(at("2026-11-30T10:00:00+08:00"), "2026-11-30T02:00:00+00:00");
        assert!(parse_time("soon", now).unwrap_err().contains("neither"));
        assert!(
            parse_time("5y", now)
                .unwrap_err()
                .contains("unknown unit `y`")
        );
        assert!(parse_time("99999999999999d", now).is_err());
    }
}
