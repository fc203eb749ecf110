//! Which days are off: the statutory holidays computed from the law (defaults, provisional) and
//! the official yearly schedules, which replace the defaults of their year.
//!
//! Bộ luật Lao động 2019 Art. 112 (2012 Art. 115 before 2021): 1/1; Tết Nguyên đán 5 days (the
//! Prime Minister fixes which); Giỗ Tổ Hùng Vương 10/3 lunar (since 2007); 30/4; 1/5; 2/9 plus
//! an adjacent day (since 2021); and since 1/7/2026 24/11, Ngày Văn hóa Việt Nam (NQ 28/2026/QH16).
//! A holiday on a weekend is compensated on the next working day (Art. 111.3).

use crate::lunar::{LunarDate, to_lunar, to_solar};
use crate::work::{DayKind, Entry, WorkWeek};
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use std::collections::BTreeMap;

/// The official schedules shipped with danvan (2020–2026), from `data/schedules.csv`.
pub const SHIPPED_CSV: &str = include_str!("../data/schedules.csv");

/// A malformed or conflicting row of a schedule file, named by its line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "dòng {}: {}", self.line, self.message)
    }
}

/// Parses a schedule file: `date,kind,name,basis,provisional` (header and `#` comments
/// allowed; dates `YYYY-MM-DD` or `dd/mm/yyyy`; kind `off`/`work`; provisional `0`/`1`, empty
/// meaning "provisional unless a basis is given"). All rows or none: every error is reported.
pub fn parse_schedule(text: &str) -> Result<Vec<Entry>, Vec<RowError>> {
    let mut entries: Vec<Entry> = vec![];
    let mut errors = vec![];
    let mut seen: BTreeMap<NaiveDate, usize> = BTreeMap::new();
    for (i, raw) in text.lines().enumerate() {
        let line = i + 1;
        let row = raw.trim();
        if row.is_empty() || row.starts_with('#') || row.starts_with("date,") {
            continue;
        }
        let cols = split_csv(row);
        let err = |m: &str| RowError {
            line,
            message: m.to_owned(),
        };
        if cols.len() < 3 || cols.len() > 5 {
            errors.push(err("cần các cột ngày,loại,tên[,căn cứ[,dự kiến]]"));
            continue;
        }
        let Some(date) = parse_day(&cols[0]) else {
            errors.push(err(&format!("ngày '{}' không hợp lệ", cols[0])));
            continue;
        };
        if !crate::lunar::supported(date) {
            errors.push(err("ngày nằm ngoài phạm vi 1900–2100"));
            continue;
        }
        let Some(kind) = DayKind::parse(cols[1].trim()) else {
            errors.push(err(&format!(
                "loại '{}' phải là off (nghỉ) hoặc work (làm bù)",
                cols[1]
            )));
            continue;
        };
        let name = cols[2].trim().to_owned();
        if name.is_empty() {
            errors.push(err("chưa có tên ngày nghỉ"));
            continue;
        }
        let basis = cols.get(3).map(|b| b.trim().to_owned()).unwrap_or_default();
        let provisional = match cols.get(4).map(|p| p.trim()) {
            None | Some("") => basis.is_empty(),
            Some("0") => false,
            Some("1") => true,
            Some(other) => {
                errors.push(err(&format!("cột dự kiến '{other}' phải là 0 hoặc 1")));
                continue;
            }
        };
        if let Some(first) = seen.get(&date) {
            errors.push(err(&format!(
                "ngày {} đã có ở dòng {first}",
                date.format("%d/%m/%Y")
            )));
            continue;
        }
        if kind == DayKind::Work && !matches!(date.weekday(), Weekday::Sat | Weekday::Sun) {
            errors.push(err("ngày làm bù phải là thứ Bảy hoặc Chủ nhật"));
            continue;
        }
        seen.insert(date, line);
        entries.push(Entry {
            date,
            kind,
            name,
            basis,
            provisional,
        });
    }
    if errors.is_empty() {
        Ok(entries)
    } else {
        Err(errors)
    }
}

fn parse_day(s: &str) -> Option<NaiveDate> {
    let s = s.trim();
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .or_else(|_| NaiveDate::parse_from_str(s, "%d/%m/%Y"))
        .ok()
}

/// Splits a CSV row (double quotes around fields with commas).
fn split_csv(row: &str) -> Vec<String> {
    let mut out = vec![];
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = row.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            c => cur.push(c),
        }
    }
    out.push(cur);
    out
}

/// The shipped official schedules.
pub fn shipped() -> Vec<Entry> {
    parse_schedule(SHIPPED_CSV).unwrap_or_default()
}

fn lunar(day: u32, month: u32, year: i32) -> Option<NaiveDate> {
    to_solar(LunarDate {
        day,
        month,
        year,
        leap: false,
    })
}

/// The holidays the law gives for a year, before the Prime Minister's decisions: Tết as the last
/// day of the old year and mùng 1–4 (mùng 1–3 before 2013), the day after 2/9 or before it by
/// the weekday, and nghỉ bù for weekend holidays. All provisional.
pub fn statutory_defaults(year: i32) -> Vec<Entry> {
    let week = WorkWeek::STATE;
    let d = |m: u32, day: u32| NaiveDate::from_ymd_opt(year, m, day);
    let labour_code = if year >= 2021 {
        "BLLĐ 2019 Điều 112 (dự kiến)"
    } else {
        "BLLĐ 2012 Điều 115 (dự kiến)"
    };
    let mut holidays: Vec<(NaiveDate, String, String)> = vec![];
    let mut push = |date: Option<NaiveDate>, name: &str, basis: &str| {
        if let Some(date) = date {
            holidays.push((date, name.to_owned(), basis.to_owned()));
        }
    };
    push(d(1, 1), "Tết Dương lịch", labour_code);
    if let Some(mung1) = lunar(1, 1, year) {
        let eve = mung1 - Duration::days(1);
        let day_of_eve = to_lunar(eve).map(|l| l.day).unwrap_or(30);
        push(
            Some(eve),
            &format!("Tết Âm lịch ({day_of_eve} tháng Chạp)"),
            labour_code,
        );
        let days = if year >= 2013 { 4 } else { 3 };
        for i in 0..days {
            push(
                Some(mung1 + Duration::days(i)),
                &format!("Tết Âm lịch (mùng {})", i + 1),
                labour_code,
            );
        }
    }
    if year >= 2007 {
        push(lunar(10, 3, year), "Giỗ Tổ Hùng Vương", labour_code);
    }
    push(d(4, 30), "Ngày Chiến thắng", labour_code);
    push(d(5, 1), "Ngày Quốc tế Lao động", labour_code);
    push(d(9, 2), "Quốc khánh", labour_code);
    if year >= 2021 {
        // The choice the Prime Minister made in 2021–2026, as a weekday rule.
        let adjacent = match d(9, 2).map(|x| x.weekday()) {
            Some(Weekday::Mon | Weekday::Thu | Weekday::Sun) => d(9, 3),
            _ => d(9, 1),
        };
        push(adjacent, "Quốc khánh (ngày liền kề)", labour_code);
    }
    if year >= 2026 {
        push(
            d(11, 24),
            "Ngày Văn hóa Việt Nam",
            "Nghị quyết 28/2026/QH16 Điều 2",
        );
    }
    holidays.sort_by_key(|h| h.0);
    let taken: std::collections::BTreeSet<NaiveDate> = holidays.iter().map(|h| h.0).collect();
    let mut compensation: std::collections::BTreeSet<NaiveDate> = Default::default();
    let mut entries = vec![];
    for (date, name, basis) in &holidays {
        entries.push(Entry {
            date: *date,
            kind: DayKind::Off,
            name: name.clone(),
            basis: basis.clone(),
            provisional: true,
        });
        if !week.works(date.weekday()) {
            let mut next = *date + Duration::days(1);
            while !week.works(next.weekday())
                || taken.contains(&next)
                || compensation.contains(&next)
            {
                next += Duration::days(1);
            }
            compensation.insert(next);
            entries.push(Entry {
                date: next,
                kind: DayKind::Off,
                name: format!("Nghỉ bù {}", lower_first(name)),
                basis: "BLLĐ 2019 Điều 111.3 (dự kiến)".into(),
                provisional: true,
            });
        }
    }
    entries.sort_by_key(|e| e.date);
    entries.dedup_by_key(|e| e.date);
    entries
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) if s.starts_with("Ngày") || s.starts_with("Quốc") => {
            f.to_lowercase().chain(c).collect()
        }
        _ => s.to_owned(),
    }
}

/// The entries in force for every year 1900–2100: a year with official entries uses exactly
/// those; the others use the statutory defaults.
pub fn effective(official: &[Entry]) -> Vec<Entry> {
    let mut by_year: BTreeMap<i32, Vec<Entry>> = BTreeMap::new();
    for e in official {
        by_year.entry(e.date.year()).or_default().push(e.clone());
    }
    let mut out = vec![];
    for year in crate::lunar::FIRST_YEAR..=crate::lunar::LAST_YEAR {
        match by_year.remove(&year) {
            Some(entries) => out.extend(entries),
            None => out.extend(statutory_defaults(year)),
        }
    }
    out
}

/// The entries of one year that change the Monday–Friday week (a day off on a weekday, a
/// worked weekend day), given the year's effective entries.
pub fn differences(entries: &[Entry], week: WorkWeek) -> Vec<Entry> {
    entries
        .iter()
        .filter(|e| match e.kind {
            DayKind::Off => week.works(e.date.weekday()),
            DayKind::Work => !week.works(e.date.weekday()),
        })
        .cloned()
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn the_shipped_file_parses_and_covers_2020_to_2026() {
        let entries = parse_schedule(SHIPPED_CSV).expect("shipped file is valid");
        let years: std::collections::BTreeSet<i32> =
            entries.iter().map(|e| e.date.year()).collect();
        assert_eq!(
            years.into_iter().collect::<Vec<_>>(),
            (2020..=2026).collect::<Vec<_>>()
        );
        assert!(
            entries
                .iter()
                .all(|e| !e.basis.is_empty() && !e.provisional)
        );
    }

    #[test]
    fn defaults_for_2026_match_the_official_tet_window() {
        let off: Vec<NaiveDate> = statutory_defaults(2026)
            .iter()
            .filter(|e| e.name.starts_with("Tết Âm lịch"))
            .map(|e| e.date)
            .collect();
        assert_eq!(off, (16..=20).map(|x| d(2026, 2, x)).collect::<Vec<_>>());
    }

    #[test]
    fn weekend_holidays_are_compensated_and_adjacent_days_follow_the_rule() {
        // 2027: 1/5 is a Saturday → Monday 3/5; 2/9 a Thursday → 3/9.
        let e = statutory_defaults(2027);
        assert!(
            e.iter()
                .any(|x| x.date == d(2027, 5, 3) && x.name.starts_with("Nghỉ bù"))
        );
        assert!(e.iter().any(|x| x.date == d(2027, 9, 3)));
        assert!(e.iter().any(|x| x.date == d(2027, 11, 24)));
        assert!(e.iter().all(|x| x.provisional));
        // The rule reproduces the adjacent days chosen in 2021–2026.
        for (year, day) in [
            (2021, 3),
            (2022, 1),
            (2023, 1),
            (2024, 3),
            (2025, 1),
            (2026, 1),
        ] {
            assert!(
                statutory_defaults(year)
                    .iter()
                    .any(|x| x.date == d(year, 9, day) && x.name.contains("liền kề")),
                "{year}"
            );
        }
    }

    #[test]
    fn a_bad_file_names_its_rows_and_yields_nothing() {
        let text = "date,kind,name,basis,provisional\n\
                    2027-02-05,off,Tết Đinh Mùi,Thông báo 1/TB-BNV,0\n\
                    2027-02-30,off,Ngày không có,,\n\
                    2027-02-05,off,Trùng ngày,,\n\
                    2027-02-08,play,Loại sai,,\n\
                    2027-02-09,work,Làm bù ngày thường,,\n";
        let errors = parse_schedule(text).expect_err("bad rows");
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, vec![3, 4, 5, 6]);
        assert!(errors[1].message.contains("đã có ở dòng 2"));
        let ok = parse_schedule("06/02/2027,work,\"Làm bù, thứ Bảy\",\n").expect("valid");
        assert_eq!(ok[0].name, "Làm bù, thứ Bảy");
        assert!(ok[0].provisional, "no basis: provisional");
    }
}
