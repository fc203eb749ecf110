//! Report periods: any date range, and the presets officials use — calendar month, quarter,
//! half and year; the cut-offs of TT 01/2024/TT-TTCP (Q1 15/12–14/3, 6 months 15/12–14/6,
//! 9 months 15/12–14/9, year 15/12–14/12, and Q2–Q4 from the 15th of the previous quarter's
//! last month); the National Assembly year (1/8–31/7).

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub from: NaiveDate,
    pub to: NaiveDate,
}

/// Why a period could not be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadPeriod(pub String);

impl std::fmt::Display for BadPeriod {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

fn day(y: i32, m: u32, d: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(y, m, d)
}

fn month_end(y: i32, m: u32) -> Option<NaiveDate> {
    let (ny, nm) = if m == 12 { (y + 1, 1) } else { (y, m + 1) };
    day(ny, nm, 1).and_then(|d| d.pred_opt())
}

impl Period {
    pub fn new(from: NaiveDate, to: NaiveDate) -> Result<Self, BadPeriod> {
        if to < from {
            return Err(BadPeriod(format!(
                "ngày kết thúc {} trước ngày bắt đầu {}",
                to.format("%d/%m/%Y"),
                from.format("%d/%m/%Y")
            )));
        }
        Ok(Period { from, to })
    }

    /// A preset by name: `2022` (year), `2022-H1`, `2022-Q3`, `2022-05` (month),
    /// `2022-KY-Q1|KY-6T|KY-9T|KY-NAM` (TT 01/2024 cut-offs; `KY-Q2`…`KY-Q4` too),
    /// `2025-QH` (National Assembly year 1/8/2024–31/7/2025).
    pub fn preset(name: &str) -> Result<Self, BadPeriod> {
        let bad = || BadPeriod(format!("kỳ báo cáo không hợp lệ: '{name}'"));
        let (year, rest) = name.split_once('-').unwrap_or((name, ""));
        let y: i32 = year.parse().map_err(|_| bad())?;
        if !(1900..=2100).contains(&y) {
            return Err(bad());
        }
        let cut = |m: u32| -> Option<(NaiveDate, NaiveDate)> {
            Some((day(y - 1, 12, 15)?, day(y, m, 14)?))
        };
        let range = match rest {
            "" => Some((day(y, 1, 1), day(y, 12, 31))).and_then(|(a, b)| Some((a?, b?))),
            "H1" => Some((day(y, 1, 1), day(y, 6, 30))).and_then(|(a, b)| Some((a?, b?))),
            "H2" => Some((day(y, 7, 1), day(y, 12, 31))).and_then(|(a, b)| Some((a?, b?))),
            "Q1" | "Q2" | "Q3" | "Q4" => {
                let q: u32 = rest[1..].parse().map_err(|_| bad())?;
                day(y, 3 * q - 2, 1).zip(month_end(y, 3 * q))
            }
            "KY-Q1" => cut(3),
            "KY-6T" => cut(6),
            "KY-9T" => cut(9),
            "KY-NAM" => cut(12),
            "KY-Q2" | "KY-Q3" | "KY-Q4" => {
                let q: u32 = rest[4..].parse().map_err(|_| bad())?;
                day(y, 3 * q - 3, 15).zip(day(y, 3 * q, 14))
            }
            "QH" => day(y - 1, 8, 1).zip(day(y, 7, 31)),
            m if m.len() == 2 => {
                let m: u32 = m.parse().map_err(|_| bad())?;
                if !(1..=12).contains(&m) {
                    return Err(bad());
                }
                day(y, m, 1).zip(month_end(y, m))
            }
            _ => None,
        };
        let (from, to) = range.ok_or_else(bad)?;
        Period::new(from, to)
    }

    /// The presets offered on the report page for a year: (name, label).
    pub fn presets(year: i32) -> Vec<(String, String)> {
        let mut out = vec![
            (
                format!("{year}-KY-Q1"),
                format!("Quý I/{year} (15/12–14/3)"),
            ),
            (
                format!("{year}-KY-6T"),
                format!("6 tháng {year} (15/12–14/6)"),
            ),
            (
                format!("{year}-KY-9T"),
                format!("9 tháng {year} (15/12–14/9)"),
            ),
            (
                format!("{year}-KY-NAM"),
                format!("Năm {year} (15/12–14/12)"),
            ),
            (format!("{year}-H1"), format!("6 tháng đầu năm {year}")),
            (format!("{year}"), format!("Năm {year}")),
            (
                format!("{year}-QH"),
                format!("Kỳ Quốc hội 1/8/{}–31/7/{year}", year - 1),
            ),
        ];
        for q in 1..=4 {
            out.push((format!("{year}-Q{q}"), format!("Quý {q}/{year}")));
        }
        out
    }

    pub fn year(&self) -> i32 {
        self.to.year()
    }

    /// The period as whole calendar months and loose days. Figures kept per month serve the
    /// months; only the loose days are read record by record.
    pub fn whole_months(&self) -> MonthSplit {
        let first_of = |d: NaiveDate| d.with_day(1).unwrap_or(d);
        let first = if self.from.day() == 1 {
            self.from
        } else {
            first_of(self.from)
                .checked_add_months(chrono::Months::new(1))
                .unwrap_or(self.from)
        };
        let last_end = match self.to.succ_opt() {
            Some(next) if next.day() == 1 => self.to,
            _ => first_of(self.to).pred_opt().unwrap_or(self.to),
        };
        if first > last_end {
            return MonthSplit {
                months: None,
                loose: vec![(self.from, self.to)],
            };
        }
        let mut loose = vec![];
        if self.from < first
            && let Some(before) = first.pred_opt()
        {
            loose.push((self.from, before));
        }
        if last_end < self.to
            && let Some(after) = last_end.succ_opt()
        {
            loose.push((after, self.to));
        }
        let months = (
            first.format("%Y-%m").to_string(),
            last_end.format("%Y-%m").to_string(),
        );
        MonthSplit {
            months: Some(months),
            loose,
        }
    }
}

/// A period cut into whole calendar months and loose days ([`Period::whole_months`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MonthSplit {
    /// The first and last whole month inside the period (`YYYY-MM`), none when it holds no
    /// whole month.
    pub months: Option<(String, String)>,
    /// The days before the first whole month and after the last: at most two ranges, the
    /// whole period when no month is whole.
    pub loose: Vec<(NaiveDate, NaiveDate)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    #[test]
    fn presets() {
        let p = |s| Period::preset(s).expect(s);
        assert_eq!(
            p("2022-H1"),
            Period {
                from: d(2022, 1, 1),
                to: d(2022, 6, 30)
            }
        );
        assert_eq!(
            p("2022-KY-6T"),
            Period {
                from: d(2021, 12, 15),
                to: d(2022, 6, 14)
            }
        );
        assert_eq!(
            p("2024-KY-Q1"),
            Period {
                from: d(2023, 12, 15),
                to: d(2024, 3, 14)
            }
        );
        assert_eq!(
            p("2024-KY-Q3"),
            Period {
                from: d(2024, 6, 15),
                to: d(2024, 9, 14)
            }
        );
        assert_eq!(
            p("2025-QH"),
            Period {
                from: d(2024, 8, 1),
                to: d(2025, 7, 31)
            }
        );
        assert_eq!(
            p("2024-02"),
            Period {
                from: d(2024, 2, 1),
                to: d(2024, 2, 29)
            }
        );
        assert_eq!(
            p("2023-Q4"),
            Period {
                from: d(2023, 10, 1),
                to: d(2023, 12, 31)
            }
        );
        assert!(Period::preset("2022-Q5").is_err());
        assert!(Period::preset("2022-13").is_err());
        assert!(Period::preset("abc").is_err());
        assert!(Period::new(d(2022, 2, 1), d(2022, 1, 1)).is_err());
    }

    #[test]
    fn whole_months_and_loose_days_cover_the_period_once() {
        let m = |a: &str, b: &str| Some((a.to_owned(), b.to_owned()));
        // A year, a quarter: all whole months.
        let split = |months, loose| MonthSplit { months, loose };
        assert_eq!(
            Period::preset("2022").expect("year").whole_months(),
            split(m("2022-01", "2022-12"), vec![])
        );
        // TT 01/2024's first quarter, 15/12–14/3: two loose half-months around Jan–Feb.
        assert_eq!(
            Period::preset("2024-KY-Q1")
                .expect("cut-off")
                .whole_months(),
            split(
                m("2024-01", "2024-02"),
                vec![
                    (d(2023, 12, 15), d(2023, 12, 31)),
                    (d(2024, 3, 1), d(2024, 3, 14))
                ]
            )
        );
        // Inside one month, or across two without a whole one: all loose.
        let p = Period::new(d(2024, 2, 3), d(2024, 2, 28)).expect("period");
        assert_eq!(p.whole_months(), split(None, vec![(p.from, p.to)]));
        let p = Period::new(d(2024, 1, 20), d(2024, 2, 10)).expect("period");
        assert_eq!(p.whole_months(), split(None, vec![(p.from, p.to)]));
        // Every day of many periods falls in exactly one whole month or loose range.
        let start = d(2023, 11, 1);
        for a in (0..120).step_by(7) {
            for len in [0, 1, 13, 27, 28, 29, 30, 31, 45, 59, 60, 61, 90, 366] {
                let from = start + chrono::Days::new(a);
                let to = from + chrono::Days::new(len);
                let p = Period::new(from, to).expect("period");
                let MonthSplit { months, loose } = p.whole_months();
                let mut day = from;
                while day <= to {
                    let month = day.format("%Y-%m").to_string();
                    let in_months = months
                        .as_ref()
                        .is_some_and(|(f, l)| *f <= month && month <= *l);
                    let in_loose = loose.iter().filter(|(f, l)| *f <= day && day <= *l).count();
                    assert_eq!(
                        usize::from(in_months) + in_loose,
                        1,
                        "{day} in {from}–{to}: {months:?} {loose:?}"
                    );
                    day = day.succ_opt().expect("next day");
                }
                // And the whole months lie inside the period.
                if let Some((f, l)) = &months {
                    assert!(*f >= from.format("%Y-%m").to_string());
                    assert!(*l <= to.format("%Y-%m").to_string());
                }
            }
        }
    }
}
