//! The civil-service working-day calendar and its arithmetic.
//!
//! A calendar is a weekly pattern (Monday–Friday for state bodies, QĐ 188/1999/QĐ-TTg; a unit may
//! work Saturdays) overlaid with dated entries: days off on working days (holidays, Tết, nghỉ bù,
//! swapped days) and working days on days off (làm bù Saturdays). It is built once into an index
//! over 1900–2100 (for each day, the number of working days up to it), so that counting working
//! days between two dates is a subtraction and adding N working days a binary search — never a
//! loop over the days.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use serde::Serialize;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum DayKind {
    /// No work on a day the week would work.
    Off,
    /// Work on a day the week would rest (làm bù).
    Work,
}

impl DayKind {
    pub fn code(self) -> &'static str {
        match self {
            DayKind::Off => "off",
            DayKind::Work => "work",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "off" => Some(DayKind::Off),
            "work" => Some(DayKind::Work),
            _ => None,
        }
    }
}

/// One dated change to the weekly pattern, with the text that decided it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Entry {
    pub date: NaiveDate,
    pub kind: DayKind,
    pub name: String,
    /// Legal basis ("Thông báo 9441/TB-BNV ngày 16/10/2025", "BLLĐ 2019 Điều 112").
    pub basis: String,
    /// No notice number recorded yet (a computed default, or a plan not yet decided).
    pub provisional: bool,
}

/// Which weekdays work, Monday first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct WorkWeek(pub [bool; 7]);

impl WorkWeek {
    /// Monday to Friday (QĐ 188/1999/QĐ-TTg).
    pub const STATE: WorkWeek = WorkWeek([true, true, true, true, true, false, false]);
    /// Monday to Saturday.
    pub const WITH_SATURDAY: WorkWeek = WorkWeek([true, true, true, true, true, true, false]);

    pub fn works(&self, day: Weekday) -> bool {
        self.0[day.num_days_from_monday() as usize]
    }

    /// "1111100" → Monday–Friday.
    pub fn parse(s: &str) -> Option<Self> {
        let b: Vec<bool> = s
            .chars()
            .map(|c| match c {
                '1' => Some(true),
                '0' => Some(false),
                _ => None,
            })
            .collect::<Option<_>>()?;
        let arr: [bool; 7] = b.try_into().ok()?;
        arr.iter().any(|w| *w).then_some(WorkWeek(arr))
    }

    pub fn code(&self) -> String {
        self.0.iter().map(|w| if *w { '1' } else { '0' }).collect()
    }
}

/// Arithmetic outside the calendar's range.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutOfRange(pub NaiveDate);

impl std::fmt::Display for OutOfRange {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "ngày {} nằm ngoài phạm vi lịch (01/01/{} – 31/12/{})",
            self.0.format("%d/%m/%Y"),
            crate::lunar::FIRST_YEAR,
            crate::lunar::LAST_YEAR
        )
    }
}

impl std::error::Error for OutOfRange {}

/// A working-day calendar indexed over 1900–2100.
#[derive(Debug, Clone)]
pub struct WorkCalendar {
    first: NaiveDate,
    /// `upto[i]`: working days in [first, first + i].
    upto: Vec<u32>,
}

impl WorkCalendar {
    /// The weekly pattern with the entries applied (a later entry for the same date wins).
    pub fn new<'a>(week: WorkWeek, entries: impl IntoIterator<Item = &'a Entry>) -> Self {
        let first = NaiveDate::from_ymd_opt(crate::lunar::FIRST_YEAR, 1, 1).expect("1/1/1900");
        let last = NaiveDate::from_ymd_opt(crate::lunar::LAST_YEAR, 12, 31).expect("31/12/2100");
        let n = (last - first).num_days() as usize + 1;
        let start = first.weekday().num_days_from_monday() as usize;
        let mut working: Vec<bool> = (0..n).map(|i| week.0[(start + i) % 7]).collect();
        for e in entries {
            if let Some(i) = index(first, n, e.date) {
                working[i] = e.kind == DayKind::Work;
            }
        }
        let mut upto = Vec::with_capacity(n);
        let mut count = 0u32;
        for w in working {
            count += u32::from(w);
            upto.push(count);
        }
        WorkCalendar { first, upto }
    }

    fn at(&self, d: NaiveDate) -> Result<usize, OutOfRange> {
        index(self.first, self.upto.len(), d).ok_or(OutOfRange(d))
    }

    pub fn is_working(&self, d: NaiveDate) -> Result<bool, OutOfRange> {
        let i = self.at(d)?;
        Ok(self.upto[i] > if i == 0 { 0 } else { self.upto[i - 1] })
    }

    /// Working days in (from, to]; negative when `to` is before `from`.
    pub fn working_days_between(&self, from: NaiveDate, to: NaiveDate) -> Result<i64, OutOfRange> {
        Ok(i64::from(self.upto[self.at(to)?]) - i64::from(self.upto[self.at(from)?]))
    }

    /// The n-th working day after `d` (`d` itself not counted); `d` for n = 0.
    pub fn add_working_days(&self, d: NaiveDate, n: u32) -> Result<NaiveDate, OutOfRange> {
        let i = self.at(d)?;
        if n == 0 {
            return Ok(d);
        }
        let target = self.upto[i] + n;
        let j = self.upto.partition_point(|c| *c < target);
        if j >= self.upto.len() {
            return Err(OutOfRange(d));
        }
        Ok(self.first + Duration::days(j as i64))
    }

    /// The first working day after `d`.
    pub fn next_working_day(&self, d: NaiveDate) -> Result<NaiveDate, OutOfRange> {
        self.add_working_days(d, 1)
    }

    /// `d` if it is a working day, else the next working day (Bộ luật Dân sự Art. 148.5).
    pub fn roll_forward(&self, d: NaiveDate) -> Result<NaiveDate, OutOfRange> {
        if self.is_working(d)? {
            Ok(d)
        } else {
            self.next_working_day(d)
        }
    }

    /// n days after `d` (the first day not counted, Art. 147.2), moved to the next working day
    /// when the last day is off (Art. 148.5).
    pub fn add_days_rolled(&self, d: NaiveDate, n: u32) -> Result<NaiveDate, OutOfRange> {
        let end = d
            .checked_add_signed(Duration::days(i64::from(n)))
            .ok_or(OutOfRange(d))?;
        self.roll_forward(end)
    }
}

fn index(first: NaiveDate, n: usize, d: NaiveDate) -> Option<usize> {
    let i = (d - first).num_days();
    (0..n as i64).contains(&i).then_some(i as usize)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn national() -> WorkCalendar {
        crate::national()
    }

    #[test]
    fn tet_2026_and_the_swaps() {
        let c = national();
        // Tết Bính Ngọ: off Monday 16/2 – Friday 20/2/2026.
        for day in 16..=20 {
            assert!(!c.is_working(d(2026, 2, day)).expect("in range"));
        }
        assert!(c.is_working(d(2026, 2, 13)).expect("in range"));
        assert!(c.is_working(d(2026, 2, 23)).expect("in range"));
        // Friday 2/1/2026 off, Saturday 10/1/2026 worked.
        assert!(!c.is_working(d(2026, 1, 2)).expect("in range"));
        assert!(c.is_working(d(2026, 1, 10)).expect("in range"));
        // 2/5/2025 off for Saturday 26/4/2025.
        assert!(!c.is_working(d(2025, 5, 2)).expect("in range"));
        assert!(c.is_working(d(2025, 4, 26)).expect("in range"));
        // The new 24/11 holiday.
        assert!(!c.is_working(d(2026, 11, 24)).expect("in range"));
        assert!(c.is_working(d(2025, 11, 24)).expect("in range"));
    }

    #[test]
    fn arithmetic_over_tet() {
        let c = national();
        // Friday 13/2/2026 + 1 working day = Monday 23/2/2026.
        assert_eq!(c.add_working_days(d(2026, 2, 13), 1), Ok(d(2026, 2, 23)));
        assert_eq!(
            c.working_days_between(d(2026, 2, 13), d(2026, 2, 23)),
            Ok(1)
        );
        assert_eq!(c.next_working_day(d(2026, 2, 14)), Ok(d(2026, 2, 23)));
        // 30 days from 5/3/2026 is Saturday 4/4/2026 → Monday 6/4/2026.
        assert_eq!(c.add_days_rolled(d(2026, 3, 5), 30), Ok(d(2026, 4, 6)));
        assert_eq!(c.roll_forward(d(2026, 4, 6)), Ok(d(2026, 4, 6)));
        assert!(c.add_working_days(d(2100, 12, 30), 5).is_err());
        assert!(c.is_working(d(2101, 1, 1)).is_err());
    }

    #[test]
    fn a_unit_that_works_saturdays() {
        let c = WorkCalendar::new(WorkWeek::WITH_SATURDAY, &[]);
        assert!(c.is_working(d(2026, 11, 28)).expect("in range"));
        assert_eq!(WorkWeek::parse("1111110"), Some(WorkWeek::WITH_SATURDAY));
        assert_eq!(WorkWeek::parse("0000000"), None);
        assert_eq!(WorkWeek::parse("11111"), None);
    }

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..73_000).prop_map(|i| d(1900, 1, 1) + Duration::days(i))
    }

    proptest! {
        #[test]
        fn adding_then_counting_returns_n(start in any_date(), n in 0u32..400) {
            let c = national();
            if let Ok(end) = c.add_working_days(start, n) {
                prop_assert_eq!(c.working_days_between(start, end), Ok(i64::from(n)));
                if n > 0 {
                    prop_assert_eq!(c.is_working(end), Ok(true), "a result is a working day");
                    // It is the first such day: the day before holds one fewer.
                    prop_assert_eq!(c.working_days_between(start, end - Duration::days(1)), Ok(i64::from(n) - 1));
                }
            }
        }

        #[test]
        fn adding_is_monotonic(a in any_date(), gap in 0i64..400, n in 0u32..300) {
            let c = national();
            let b = a + Duration::days(gap);
            if let (Ok(x), Ok(y)) = (c.add_working_days(a, n), c.add_working_days(b, n)) {
                prop_assert!(x <= y);
            }
            if let (Ok(x), Ok(y)) = (c.add_working_days(a, n), c.add_working_days(a, n + 1)) {
                prop_assert!(x < y);
            }
        }

        #[test]
        fn rolled_days_land_on_working_days(start in any_date(), n in 0u32..100) {
            let c = national();
            if let Ok(end) = c.add_days_rolled(start, n) {
                prop_assert_eq!(c.is_working(end), Ok(true));
                prop_assert!(end >= start + Duration::days(i64::from(n)));
            }
        }
    }
}
