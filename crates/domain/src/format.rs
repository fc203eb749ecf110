//! How numbers and dates are written for Vietnamese readers: `2.002`, `30/06/2022`.

use chrono::NaiveDate;

/// `2002` → `2.002` (Vietnamese groups thousands with a dot).
pub fn number(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, ch) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// `2022-06-30` → `30/06/2022`.
pub fn date(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// Reads `dd/mm/yyyy` (as typed in forms) or ISO `yyyy-mm-dd` (as sent by date inputs and the API).
pub fn parse_date(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
        .filter(|d| (1900..=2200).contains(&chrono::Datelike::year(d)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_thousands_with_dots() {
        assert_eq!(number(0), "0");
        assert_eq!(number(72), "72");
        assert_eq!(number(2002), "2.002");
        assert_eq!(number(1_000_000), "1.000.000");
        assert_eq!(number(-1234), "-1.234");
    }

    #[test]
    fn dates_both_ways() {
        let d = NaiveDate::from_ymd_opt(2022, 6, 30).expect("valid");
        assert_eq!(date(d), "30/06/2022");
        assert_eq!(parse_date("30/06/2022"), Some(d));
        assert_eq!(parse_date("2022-06-30"), Some(d));
        assert_eq!(parse_date("31/02/2022"), None);
        assert_eq!(parse_date("hôm qua"), None);
    }
}
