//! Every day 1900–2100 against an independent reference table.
//!
//! `data/lunar-vn-1.4.0-month-starts.csv` was generated once with PyPI `lunar-vn` 1.4.0, an
//! independent Python port of Hồ Ngọc Đức's algorithm, at UTC+7 (the header says how). It
//! lists the first day of every lunar month; the expected lunar date of any day follows from the
//! month it falls in. Our table must give the same date for all 73.414 days, except where an
//! entry of `lunar::OVERRIDES` says otherwise (none needed: lunar-vn also has Tết 1991 on 15/2).
//!
//! The crate amlich-core 0.1.4 was tried first and rejected: its new-moon series writes
//! `c1 -= a + b` for the published `c1 = c1 - a + b`, which moves 47 month starts by a day
//! (and gives lunar day 0 on 7/5/2054).

use chrono::{Duration, NaiveDate};
use danvan_calendar::lunar::{LunarDate, OVERRIDES, month_length, to_lunar, to_solar};

fn reference() -> Vec<(NaiveDate, LunarDate)> {
    include_str!("data/lunar-vn-1.4.0-month-starts.csv")
        .lines()
        .filter(|l| l.starts_with(|c: char| c.is_ascii_digit()))
        .map(|l| {
            let c: Vec<&str> = l.split(',').collect();
            let n = |i: usize| c[i].parse::<i64>().expect("number");
            (
                NaiveDate::parse_from_str(c[0], "%Y-%m-%d").expect("date"),
                LunarDate {
                    day: n(1) as u32,
                    month: n(2) as u32,
                    year: n(3) as i32,
                    leap: n(4) == 1,
                },
            )
        })
        .collect()
}

#[test]
fn every_day_from_1900_to_2100_matches_the_reference() {
    let months = reference();
    assert_eq!(months.len(), 2487, "the whole table is there");
    let end = NaiveDate::from_ymd_opt(2100, 12, 31).expect("date");
    let mut checked = 0;
    let mut differences = vec![];
    for (i, (start, first)) in months.iter().enumerate() {
        let next = months
            .get(i + 1)
            .map(|m| m.0)
            .unwrap_or(end + Duration::days(1));
        let mut d = *start;
        let mut day = first.day;
        while d < next {
            let expected = LunarDate { day, ..*first };
            let got = to_lunar(d).expect("in range");
            if got != expected {
                differences.push((d, got, expected));
            }
            assert_eq!(to_solar(got), Some(d), "round trip of {d}");
            checked += 1;
            d += Duration::days(1);
            day += 1;
        }
    }
    assert_eq!(checked, 73_414);
    for (d, got, expected) in &differences {
        let explained = OVERRIDES.iter().any(|o| {
            (o.year, o.month, o.leap) == (got.year, got.month, got.leap)
                || (o.year, o.month, o.leap) == (expected.year, expected.month, expected.leap)
        });
        assert!(
            explained,
            "{d}: {got:?} but the reference says {expected:?}"
        );
    }
    assert!(differences.len() < 40, "overrides stay exceptions");
}

#[test]
fn month_lengths_are_29_or_30() {
    for year in 1900..2100 {
        for month in 1..=12 {
            let len = month_length(year, month, false).expect("every month exists");
            assert!(len == 29 || len == 30, "{month}/{year}: {len}");
        }
    }
}
