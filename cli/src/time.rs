//! Reading the times and durations people type, and writing durations for
//! people.
//!
//! Durations are humantime's (`90m`, `1h30m`, `2h 15min`, `1w`, `3days`),
//! with units in any case but `M` (months, as humantime has it) and a
//! decimal number of one unit (`1.5h`). Times are RFC 3339
//! (`2026-11-30T10:00:00Z`), a local date (`2026-12-01`) or date and time
//! (`2026-12-01 10:00`), `now`, or a duration back from now (`24h`,
//! `24h ago`).

use std::time::Duration;

use chrono::{DateTime, Local, NaiveDate, NaiveDateTime, TimeZone, Utc};

/// Which end of a window a time is: a plain date starts its day as a start,
/// and ends it (the next midnight) as an end, so `--since 2026-12-01
/// --until 2026-12-01` is that whole day.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Edge {
    Start,
    End,
}

/// A point in time, as people type it (see the module docs); local dates
/// and times are read in `zone`.
pub fn parse_time<Z: TimeZone>(
    text: &str,
    now: DateTime<Utc>,
    zone: &Z,
    edge: Edge,
) -> Result<DateTime<Utc>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("empty; give a time (2026-12-01, 2026-12-01T10:00:00Z) or a duration back from now (24h, 7d)".into());
    }
    if trimmed.eq_ignore_ascii_case("now") {
        return Ok(now);
    }
    if let Ok(time) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(time.with_timezone(&Utc));
    }
    if let Ok(date) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        let day = match edge {
            Edge::Start => Some(date),
            Edge::End => date.succ_opt(),
        };
        let midnight = day.and_then(|d| d.and_hms_opt(0, 0, 0));
        return midnight
            .and_then(|t| local(zone, t))
            .ok_or_else(|| format!("`{trimmed}` is not a time in the local zone"));
    }
    for format in [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%dT%H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y-%m-%dT%H:%M",
    ] {
        if let Ok(t) = NaiveDateTime::parse_from_str(trimmed, format) {
            return local(zone, t)
                .ok_or_else(|| format!("`{trimmed}` is not a time in the local zone"));
        }
    }
    let back = trimmed
        .strip_suffix("ago")
        .map(str::trim_end)
        .unwrap_or(trimmed);
    let ago = parse_duration(back).map_err(|why| {
        format!(
            "`{trimmed}` is neither a time (2026-12-01, 2026-12-01 10:00, 2026-11-30T10:00:00Z) \
             nor a duration back from now (90m, 1h30m, 1.5h, 7d, 1w): {why}"
        )
    })?;
    chrono::Duration::from_std(ago)
        .ok()
        .and_then(|ago| now.checked_sub_signed(ago))
        .ok_or_else(|| format!("`{trimmed}` reaches too far back"))
}

/// The local time `t` in `zone`; in a gap of a clock change, the earliest
/// reading after it.
fn local<Z: TimeZone>(zone: &Z, t: NaiveDateTime) -> Option<DateTime<Utc>> {
    zone.from_local_datetime(&t)
        .earliest()
        .or_else(|| {
            let later = t.checked_add_signed(chrono::Duration::hours(1))?;
            zone.from_local_datetime(&later).earliest()
        })
        .map(|t| t.with_timezone(&Utc))
}

/// A point in time in the local zone of this process (`TZ`).
pub fn parse_local_time(
    text: &str,
    now: DateTime<Utc>,
    edge: Edge,
) -> Result<DateTime<Utc>, String> {
    parse_time(text, now, &Local, edge)
}

/// A duration: humantime's units (`s`, `m`, `h`, `d`, `w`, and their long
/// names, several in a row as in `1h30m`), in any case but `M`, or a decimal
/// number of one unit (`1.5h`).
pub fn parse_duration(text: &str) -> Result<Duration, String> {
    let text = text.trim();
    if text.is_empty() {
        return Err("empty".into());
    }
    if text.chars().all(|c| c.is_ascii_digit()) {
        return Err(format!(
            "add a unit to `{text}`: s, m, h, d or w (for example {text}m)"
        ));
    }
    // Units in capitals are their lower-case selves, but for `M`: humantime
    // reads it as months, and a month is not a minute.
    let folded: String = text
        .chars()
        .map(|c| if c == 'M' { c } else { c.to_ascii_lowercase() })
        .collect();
    if let Ok(d) = humantime::parse_duration(&folded) {
        return Ok(d);
    }
    // A decimal number of one unit: 1.5h.
    let split = folded
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(folded.len());
    let (number, unit) = folded.split_at(split);
    if let (Ok(n), Ok(one)) = (
        number.parse::<f64>(),
        humantime::parse_duration(&format!("1{}", unit.trim())),
    ) && n.is_finite()
        && n >= 0.0
    {
        return Duration::try_from_secs_f64(one.as_secs_f64() * n)
            .map_err(|_| format!("`{text}` is too long"));
    }
    humantime::parse_duration(&folded)
        .map_err(|e| format!("{e} (units: s, m, h, d, w; for example 90m, 1h30m, 1.5h, 7d)"))
}

/// A duration in seconds if `text` is a plain number, else as
/// [`parse_duration`] reads it.
pub fn parse_seconds_or_duration(text: &str) -> Result<Duration, String> {
    match text.trim().parse::<u64>() {
        Ok(secs) => Ok(Duration::from_secs(secs)),
        Err(_) => parse_duration(text),
    }
}

/// A duration rounded for people: `3.0s`, `12m05s`, `3h05m`, `2d04h`.
pub fn human(d: Duration) -> String {
    let secs = d.as_secs();
    match secs {
        s if s < 60 => format!("{:.1}s", d.as_secs_f64().min(59.9)),
        s if s < 3600 => format!("{}m{:02}s", s / 60, s % 60),
        s if s < 86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        s => format!("{}d{:02}h", s / 86_400, s % 86_400 / 3600),
    }
}

/// Whole seconds for people: `45s`, `12m`, `3h05m`, `2d04h`.
pub fn short(seconds: i64) -> String {
    match seconds {
        s if s < 60 => format!("{}s", s.max(0)),
        s if s < 3600 => format!("{}m", s / 60),
        s if s < 86_400 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        s => format!("{}d{:02}h", s / 86_400, s % 86_400 / 3600),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2026-12-01T12:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn at(text: &str) -> String {
        let zone = chrono::FixedOffset::east_opt(8 * 3600).unwrap();
        parse_time(text, now(), &zone, Edge::Start)
            .unwrap()
            .to_rfc3339()
    }

    #[test]
    fn durations_count_back_from_now() {
        assert_eq!(at("90m"), "2026-12-01T10:30:00+00:00");
        assert_eq!(at("24h"), "2026-11-30T12:00:00+00:00");
        assert_eq!(at("24H"), "2026-11-30T12:00:00+00:00");
        assert_eq!(at("7d"), "2026-11-24T12:00:00+00:00");
        assert_eq!(at("1w"), "2026-11-24T12:00:00+00:00");
        assert_eq!(at("1.5h"), "2026-12-01T10:30:00+00:00");
        assert_eq!(at("1h30m"), "2026-12-01T10:30:00+00:00");
        assert_eq!(at("2 hours ago"), "2026-12-01T10:00:00+00:00");
        assert_eq!(at("now"), "2026-12-01T12:00:00+00:00");
    }

    #[test]
    fn times_and_dates() {
        assert_eq!(at("2026-11-30T10:00:00+08:00"), "2026-11-30T02:00:00+00:00");
        assert_eq!(at("2026-11-30T10:00:00Z"), "2026-11-30T10:00:00+00:00");
        // Local dates and times, here in UTC+8.
        assert_eq!(at("2026-12-01"), "2026-11-30T16:00:00+00:00");
        assert_eq!(at("2026-12-01 10:00"), "2026-12-01T02:00:00+00:00");
        let zone = chrono::FixedOffset::east_opt(0).unwrap();
        let end = parse_time("2026-12-01", now(), &zone, Edge::End).unwrap();
        assert_eq!(
            end.to_rfc3339(),
            "2026-12-02T00:00:00+00:00",
            "a date ends at the next midnight"
        );
    }

    #[test]
    fn what_is_refused_says_why() {
        let zone = Utc;
        let refused = |s: &str| parse_time(s, now(), &zone, Edge::Start).unwrap_err();
        assert!(
            refused("yesterday").contains("neither a time"),
            "{}",
            refused("yesterday")
        );
        assert!(refused("5").contains("add a unit"), "{}", refused("5"));
        assert!(refused("").contains("empty"));
        assert!(
            refused("99999999999999d").contains("too far back")
                || refused("99999999999999d").contains("neither")
        );
    }

    #[test]
    fn durations_read_for_people() {
        assert_eq!(human(Duration::from_nanos(3_000_983_961)), "3.0s");
        assert_eq!(human(Duration::from_secs(725)), "12m05s");
        assert_eq!(human(Duration::from_secs(3 * 3600 + 300)), "3h05m");
        assert_eq!(short(45), "45s");
        assert_eq!(short(720), "12m");
        assert_eq!(short(2 * 86_400 + 4 * 3600), "2d04h");
        assert_eq!(
            parse_seconds_or_duration("30").unwrap(),
            Duration::from_secs(30)
        );
        assert_eq!(
            parse_seconds_or_duration("2h").unwrap(),
            Duration::from_secs(7200)
        );
    }
}
