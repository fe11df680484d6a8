//! What a description cell states beyond prose: bounds, a default value and
//! enumerated values, in plain sentences (`The maximum value is 1000.`,
//! `最大值为1000`) or in `Definition / Constraints / Range / Default Value`
//! blocks (`Range 1–100 Default Value 100`).

use super::page::Bounds;

/// The bounds a description states.
pub fn bounds(text: &str) -> Bounds {
    let mut b = Bounds::default();
    if let Some((lo, hi)) = range(text) {
        b.min = Some(lo);
        b.max = Some(hi);
    }
    for phrase in [
        "minimum value is",
        "minimum is",
        "Minimum:",
        "Minimum value:",
        "greater than or equal to",
        "最小值为",
        "最小值:",
        "最小值：",
        "大于等于",
        "不小于",
    ] {
        if b.min.is_none() {
            b.min = number_after(text, phrase);
        }
    }
    const NOT_NEGATIVE: [&str; 6] = [
        "不能为负数",
        "不能为负",
        "不小于0",
        "cannot be negative",
        "must not be negative",
        "non-negative",
    ];
    if b.min.is_none() && NOT_NEGATIVE.iter().any(|p| text.contains(p)) {
        b.min = Some(0);
    }
    for phrase in [
        "maximum value is",
        "maximum is",
        "Maximum:",
        "Maximum value:",
        "less than or equal to",
        "最大值为",
        "最大值:",
        "最大值：",
        "小于等于",
        "不超过",
    ] {
        if b.max.is_none() {
            b.max = number_after(text, phrase);
        }
    }
    b
}

/// A `Range 1–100` / `取值范围:1~100` / `ranges from 1 to 100` statement.
fn range(text: &str) -> Option<(i64, i64)> {
    for phrase in [
        "Range",
        "Value range:",
        "value range:",
        "ranges from",
        "取值范围:",
        "取值范围：",
        "取值范围",
    ] {
        for (at, _) in text.match_indices(phrase) {
            let before = text[..at].chars().next_back();
            if before.is_some_and(|c| c.is_alphanumeric() && c.is_ascii()) {
                continue;
            }
            let rest = &text[at + phrase.len()..];
            let Some((lo, rest)) = leading_number(rest) else {
                continue;
            };
            let rest = rest.trim_start();
            let rest = ["–", "—", "-", "~", "～", "to"]
                .iter()
                .find_map(|sep| rest.strip_prefix(sep));
            if let Some((hi, _)) = rest.and_then(leading_number) {
                return Some((lo, hi));
            }
        }
    }
    None
}

/// The number right after a phrase, if the description has both.
fn number_after(text: &str, phrase: &str) -> Option<i64> {
    let at = text.find(phrase)?;
    let (n, rest) = leading_number(&text[at + phrase.len()..])?;
    (!is_duration_unit(rest)).then_some(n)
}

/// Units that make the number before them a span of time: "the range does
/// not exceed 30 days" (`时间跨度不超过30天`) limits the distance between two
/// parameters, not the value of one.
fn is_duration_unit(rest: &str) -> bool {
    const UNITS: [&str; 12] = [
        "天", "日", "小时", "分钟", "秒", "个月", "day", "hour", "minute", "second", "month",
        "week",
    ];
    let rest = rest.trim_start();
    UNITS.iter().any(|u| rest.starts_with(u))
}

/// A number (digits with thousands commas, an optional minus) at the start
/// of `text` after spaces and colons, and what follows it.
fn leading_number(text: &str) -> Option<(i64, &str)> {
    let t = text.trim_start_matches([' ', ':', '：', '\n']);
    let negative = t.starts_with('-');
    let body = if negative { &t[1..] } else { t };
    let mut digits = String::new();
    let mut end = 0;
    for (i, c) in body.char_indices() {
        if c.is_ascii_digit() {
            digits.push(c);
            end = i + 1;
        } else if c == ','
            && body[i + 1..].starts_with(|d: char| d.is_ascii_digit())
            && !digits.is_empty()
        {
            end = i + 1;
        } else {
            break;
        }
    }
    let n: i64 = digits.parse().ok()?;
    Some((if negative { -n } else { n }, &body[end..]))
}

/// The default value a description states.
pub fn default_value(text: &str) -> Option<String> {
    for phrase in [
        "Default Value",
        "Default value:",
        "Default value",
        "Default:",
        "defaults to",
        "If this parameter is not specified,",
        "默认值:",
        "默认值：",
        "默认值",
        "默认为",
        "则为",
    ] {
        let Some(at) = text.find(phrase) else {
            continue;
        };
        let rest = text[at + phrase.len()..].trim_start_matches([' ', ':', '：', '\n']);
        let token: String = rest
            .chars()
            .take_while(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            .collect();
        let token = token.trim_end_matches('.').to_string();
        if token.is_empty() || token == "N" || token.eq_ignore_ascii_case("none") {
            return None;
        }
        return Some(token);
    }
    None
}

/// Values a description enumerates, one per line after a marker such as
/// `Options:` or `Enumeration values:` (`EXTEND: modifying specifications`).
pub fn enumeration(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut listing = false;
    for line in text.lines() {
        let l = line.trim().trim_start_matches(['-', '•', '*']).trim();
        if listing {
            let value = l
                .split([':', '：'])
                .next()
                .unwrap_or("")
                .trim()
                .trim_matches('*')
                .trim();
            if !value.is_empty()
                && value
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-' | '.'))
            {
                out.push(value.to_string());
                continue;
            }
            listing = false;
        }
        let lower = l.to_ascii_lowercase();
        if lower.ends_with("options:")
            || lower.ends_with("enumeration values:")
            || lower.ends_with("the options are as follows:")
            || lower.ends_with("following values:")
            || l.ends_with("取值:")
            || l.ends_with("取值：")
            || l.ends_with("枚举值:")
            || l.ends_with("枚举值：")
        {
            listing = true;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sentences_and_blocks() {
        let en = "Number of records displayed on each page. The minimum value is 1. The maximum value is 1000*. If this parameter is not specified, 10 records are displayed on each page by default.";
        assert_eq!(
            bounds(en),
            Bounds {
                min: Some(1),
                max: Some(1000)
            }
        );
        assert_eq!(default_value(en).as_deref(), Some("10"));
        let zh = "每页显示条数,最小值为1,最大值为1000,若不设置该参数,则为10。";
        assert_eq!(
            bounds(zh),
            Bounds {
                min: Some(1),
                max: Some(1000)
            }
        );
        assert_eq!(default_value(zh).as_deref(), Some("10"));
        let block = "Definition Index offset. Constraints N/A Range 0–2,147,483,647 Default Value 0: The query starts from the first data record.";
        assert_eq!(
            bounds(block),
            Bounds {
                min: Some(0),
                max: Some(2_147_483_647)
            }
        );
        assert_eq!(default_value(block).as_deref(), Some("0"));
        let none = "Definition Task status. Constraints N/A Range\nDefault Value N/A";
        assert!(bounds(none).is_empty());
        assert_eq!(default_value(none), None);
        assert_eq!(
            bounds("The value must be greater than or equal to 0.").min,
            Some(0)
        );
        assert_eq!(bounds("Error message. Maximum: 1024").max, Some(1024));
    }

    #[test]
    fn spans_of_time_are_no_bounds() {
        let zh = "查询结束时间,且大于查询开始时间,时间跨度不超过30天。";
        assert!(bounds(zh).is_empty());
        assert!(bounds("The range must not exceed 30 days. Maximum: 30 days").is_empty());
        assert_eq!(bounds("条数不超过30。").max, Some(30));
    }

    #[test]
    fn not_negative_is_a_minimum_of_0() {
        let zh = "索引位置,偏移量。默认为0,必须为数字,不能为负数。";
        assert_eq!(bounds(zh).min, Some(0));
        assert_eq!(bounds("The offset cannot be negative.").min, Some(0));
        assert_eq!(bounds("Minimum: 1. Must not be negative.").min, Some(1));
        assert!(bounds("Offset of the query.").is_empty());
    }

    #[test]
    fn enumerations() {
        let text = "Background task name. Options:\nEXTEND: modifying specifications\nBindEip: enabling public access";
        assert_eq!(enumeration(text), vec!["EXTEND", "BindEip"]);
        assert!(enumeration("Task status.").is_empty());
    }
}
