//! The Vietnamese lunar calendar: Hồ Ngọc Đức's astronomical method ("Âm lịch Việt Nam",
//! informatik.uni-leipzig.de/~duc/amlich/) at UTC+7, in f64 throughout.
//!
//! Vietnam has counted its lunar calendar at UTC+7 since 1967 and China at UTC+8, so the two
//! differ in some years (Tết 1985-01-21 here, 1985-02-20 in China; 2007, 2030, 2053…). The
//! algorithm fixes the start of every lunar month once, in a table built on first use for
//! 1899–2101; conversions are then binary searches in that table. Where the official Vietnamese
//! calendar is known to differ from the algorithm, [`OVERRIDES`] wins and says why.

use chrono::{Datelike, NaiveDate};
use std::f64::consts::PI;
use std::sync::OnceLock;

const TIME_ZONE: f64 = 7.0;

/// First and last solar years whose every day converts.
pub const FIRST_YEAR: i32 = 1900;
pub const LAST_YEAR: i32 = 2100;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize)]
pub struct LunarDate {
    pub day: u32,
    pub month: u32,
    pub year: i32,
    /// A leap month (tháng nhuận) repeats the number of the month before it.
    pub leap: bool,
}

impl LunarDate {
    /// "1/1/2030", "15/4 nhuận/2023".
    pub fn text(&self) -> String {
        if self.leap {
            format!("{}/{} nhuận/{}", self.day, self.month, self.year)
        } else {
            format!("{}/{}/{}", self.day, self.month, self.year)
        }
    }
}

/// A month start the official calendar fixes differently from the algorithm.
pub struct Override {
    pub year: i32,
    pub month: u32,
    pub leap: bool,
    /// The official first day of that lunar month.
    pub starts: (i32, u32, u32),
    pub why: &'static str,
}

/// Official dates that win over the computation.
pub const OVERRIDES: &[Override] = &[Override {
    year: 1991,
    month: 1,
    leap: false,
    starts: (1991, 2, 15),
    why: "Tết Tân Mùi 1991 is 15/2/1991 in the Vietnamese calendar in use (domain-law.md §6.2). \
          The new moon falls 33 minutes after midnight UTC+7, so ports of the algorithm disagree \
          (amlich-core 0.1.4 and the reference's own check give 14/2); ours gives 15/2, and the \
          official date is pinned here whatever the arithmetic does.",
}];

#[derive(Debug, Clone, Copy)]
struct Month {
    /// Julian day number of the first day.
    start: i64,
    month: u32,
    year: i32,
    leap: bool,
}

fn table() -> &'static [Month] {
    static TABLE: OnceLock<Vec<Month>> = OnceLock::new();
    TABLE.get_or_init(build_table)
}

fn build_table() -> Vec<Month> {
    let from = jd_from_date(1, 12, FIRST_YEAR - 1);
    let to = jd_from_date(31, 1, LAST_YEAR + 1);
    let mut k = ((from as f64 - 2415021.076998695) / 29.530588853).floor() as i64 - 1;
    let mut months = vec![];
    loop {
        let start = new_moon_day(k);
        k += 1;
        if start < from {
            continue;
        }
        if start > to {
            break;
        }
        let (_, month, year, leap) = solar_to_lunar_by_algorithm(start);
        months.push(Month {
            start,
            month,
            year,
            leap,
        });
    }
    for o in OVERRIDES {
        if let Some(m) = months
            .iter_mut()
            .find(|m| m.year == o.year && m.month == o.month && m.leap == o.leap)
        {
            m.start = jd_from_date(o.starts.2 as i64, o.starts.1 as i64, o.starts.0);
        }
    }
    months
}

/// Is the date in the supported range (1/1/1900 – 31/12/2100)?
pub fn supported(d: NaiveDate) -> bool {
    (FIRST_YEAR..=LAST_YEAR).contains(&d.year())
}

/// The lunar date of a solar date; None outside 1900–2100.
pub fn to_lunar(d: NaiveDate) -> Option<LunarDate> {
    if !supported(d) {
        return None;
    }
    let jd = jd_of(d);
    let months = table();
    let i = months.partition_point(|m| m.start <= jd).checked_sub(1)?;
    let m = months[i];
    Some(LunarDate {
        day: (jd - m.start + 1) as u32,
        month: m.month,
        year: m.year,
        leap: m.leap,
    })
}

/// The solar date of a lunar date; None when that lunar day does not exist (a 30th in a month
/// of 29 days, a leap month the year does not have) or lies outside 1900–2100.
pub fn to_solar(l: LunarDate) -> Option<NaiveDate> {
    let months = table();
    let i = months
        .iter()
        .position(|m| m.year == l.year && m.month == l.month && m.leap == l.leap)?;
    let m = months[i];
    let next = months.get(i + 1)?;
    if l.day == 0 || i64::from(l.day) > next.start - m.start {
        return None;
    }
    let d = date_of(m.start + i64::from(l.day) - 1)?;
    supported(d).then_some(d)
}

/// The days in a lunar month (29 or 30), if the month exists in the table.
pub fn month_length(year: i32, month: u32, leap: bool) -> Option<u32> {
    let months = table();
    let i = months
        .iter()
        .position(|m| m.year == year && m.month == month && m.leap == leap)?;
    Some((months.get(i + 1)?.start - months[i].start) as u32)
}

// ---------------------------------------------------------------- the algorithm

fn jd_of(d: NaiveDate) -> i64 {
    jd_from_date(i64::from(d.day()), i64::from(d.month()), d.year())
}

fn date_of(jd: i64) -> Option<NaiveDate> {
    let (d, m, y) = jd_to_date(jd);
    NaiveDate::from_ymd_opt(y, m as u32, d as u32)
}

fn jd_from_date(dd: i64, mm: i64, yy: i32) -> i64 {
    let a = (14 - mm).div_euclid(12);
    let y = i64::from(yy) + 4800 - a;
    let m = mm + 12 * a - 3;
    let jd = dd + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - y.div_euclid(100)
        + y.div_euclid(400)
        - 32045;
    if jd < 2299161 {
        dd + (153 * m + 2).div_euclid(5) + 365 * y + y.div_euclid(4) - 32083
    } else {
        jd
    }
}

fn jd_to_date(jd: i64) -> (i64, i64, i32) {
    let (b, c) = if jd > 2299160 {
        let a = jd + 32044;
        let b = (4 * a + 3).div_euclid(146097);
        (b, a - (b * 146097).div_euclid(4))
    } else {
        (0, jd + 32082)
    };
    let d = (4 * c + 3).div_euclid(1461);
    let e = c - (1461 * d).div_euclid(4);
    let m = (5 * e + 2).div_euclid(153);
    let day = e - (153 * m + 2).div_euclid(5) + 1;
    let month = m + 3 - 12 * m.div_euclid(10);
    let year = b * 100 + d - 4800 + m.div_euclid(10);
    (day, month, year as i32)
}

/// Julian day (with fraction) of the k-th new moon after 1900-01-01.
fn new_moon(k: i64) -> f64 {
    let k = k as f64;
    let t = k / 1236.85;
    let t2 = t * t;
    let t3 = t2 * t;
    let dr = PI / 180.0;
    let mut jd1 = 2415020.75933 + 29.53058868 * k + 0.0001178 * t2 - 0.000000155 * t3;
    jd1 += 0.00033 * ((166.56 + 132.87 * t - 0.009173 * t2) * dr).sin();
    let m = 359.2242 + 29.10535608 * k - 0.0000333 * t2 - 0.00000347 * t3;
    let mpr = 306.0253 + 385.81691806 * k + 0.0107306 * t2 + 0.00001236 * t3;
    let f = 21.2964 + 390.67050646 * k - 0.0016528 * t2 - 0.00000239 * t3;
    let mut c1 = (0.1734 - 0.000393 * t) * (m * dr).sin() + 0.0021 * (2.0 * dr * m).sin();
    c1 = c1 - 0.4068 * (mpr * dr).sin() + 0.0161 * (dr * 2.0 * mpr).sin();
    c1 -= 0.0004 * (dr * 3.0 * mpr).sin();
    c1 = c1 + 0.0104 * (dr * 2.0 * f).sin() - 0.0051 * (dr * (m + mpr)).sin();
    c1 = c1 - 0.0074 * (dr * (m - mpr)).sin() + 0.0004 * (dr * (2.0 * f + m)).sin();
    c1 = c1 - 0.0004 * (dr * (2.0 * f - m)).sin() - 0.0006 * (dr * (2.0 * f + mpr)).sin();
    c1 = c1 + 0.0010 * (dr * (2.0 * f - mpr)).sin() + 0.0005 * (dr * (2.0 * mpr + m)).sin();
    let deltat = if t < -11.0 {
        0.001 + 0.000839 * t + 0.0002261 * t2 - 0.00000845 * t3 - 0.000000081 * t * t3
    } else {
        -0.000278 + 0.000265 * t + 0.000262 * t2
    };
    jd1 + c1 - deltat
}

/// The sun's longitude (radians, 0..2π) at a Julian day.
fn sun_longitude(jdn: f64) -> f64 {
    let t = (jdn - 2451545.0) / 36525.0;
    let t2 = t * t;
    let dr = PI / 180.0;
    let m = 357.52910 + 35999.05030 * t - 0.0001559 * t2 - 0.00000048 * t * t2;
    let l0 = 280.46645 + 36000.76983 * t + 0.0003032 * t2;
    let mut dl = (1.914600 - 0.004817 * t - 0.000014 * t2) * (dr * m).sin();
    dl += (0.019993 - 0.000101 * t) * (dr * 2.0 * m).sin() + 0.000290 * (dr * 3.0 * m).sin();
    let l = (l0 + dl) * dr;
    l - PI * 2.0 * (l / (PI * 2.0)).floor()
}

/// The sun's longitude sector (0..11, 30° each) at local midnight starting a day.
fn sun_sector(day: i64) -> i64 {
    (sun_longitude(day as f64 - 0.5 - TIME_ZONE / 24.0) / PI * 6.0).floor() as i64
}

fn new_moon_day(k: i64) -> i64 {
    (new_moon(k) + 0.5 + TIME_ZONE / 24.0).floor() as i64
}

/// First day of the lunar month 11 (the one holding the winter solstice) of a solar year.
fn lunar_month_11(yy: i32) -> i64 {
    let off = jd_from_date(31, 12, yy) - 2415021;
    let k = (off as f64 / 29.530588853).floor() as i64;
    let nm = new_moon_day(k);
    if sun_sector(nm) >= 9 {
        new_moon_day(k - 1)
    } else {
        nm
    }
}

fn leap_month_offset(a11: i64) -> i64 {
    let k = ((a11 as f64 - 2415021.076998695) / 29.530588853 + 0.5).floor() as i64;
    let mut i = 1;
    let mut arc = sun_sector(new_moon_day(k + i));
    loop {
        let last = arc;
        i += 1;
        arc = sun_sector(new_moon_day(k + i));
        if arc == last || i >= 14 {
            break;
        }
    }
    i - 1
}

/// The published conversion, day by day: (day, month, year, leap).
fn solar_to_lunar_by_algorithm(day_number: i64) -> (u32, u32, i32, bool) {
    let (_, _, yy) = jd_to_date(day_number);
    let k = ((day_number as f64 - 2415021.076998695) / 29.530588853).floor() as i64;
    let mut month_start = new_moon_day(k + 1);
    if month_start > day_number {
        month_start = new_moon_day(k);
    }
    let mut a11 = lunar_month_11(yy);
    let mut b11 = a11;
    let mut lunar_year;
    if a11 >= month_start {
        lunar_year = yy;
        a11 = lunar_month_11(yy - 1);
    } else {
        lunar_year = yy + 1;
        b11 = lunar_month_11(yy + 1);
    }
    let lunar_day = (day_number - month_start + 1) as u32;
    let diff = (month_start - a11).div_euclid(29);
    let mut leap = false;
    let mut lunar_month = diff + 11;
    if b11 - a11 > 365 {
        let leap_diff = leap_month_offset(a11);
        if diff >= leap_diff {
            lunar_month = diff + 10;
            if diff == leap_diff {
                leap = true;
            }
        }
    }
    if lunar_month > 12 {
        lunar_month -= 12;
    }
    if lunar_month >= 11 && diff < 4 {
        lunar_year -= 1;
    }
    (lunar_day, lunar_month as u32, lunar_year, leap)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("date")
    }

    fn tet(year: i32) -> NaiveDate {
        to_solar(LunarDate {
            day: 1,
            month: 1,
            year,
            leap: false,
        })
        .expect("Tết")
    }

    #[test]
    fn tet_where_the_chinese_calendar_differs() {
        assert_eq!(tet(1985), d(1985, 1, 21));
        assert_eq!(tet(2007), d(2007, 2, 17));
        assert_eq!(tet(2030), d(2030, 2, 2));
        assert_eq!(tet(2053), d(2053, 2, 18));
        assert_eq!(tet(1968), d(1968, 1, 29));
    }

    #[test]
    fn tet_and_gio_to_2024_to_2031() {
        let tets = [
            (2024, (2, 10)),
            (2025, (1, 29)),
            (2026, (2, 17)),
            (2027, (2, 6)),
            (2028, (1, 26)),
            (2029, (2, 13)),
            (2030, (2, 2)),
            (2031, (1, 23)),
        ];
        for (y, (m, day)) in tets {
            assert_eq!(tet(y), d(y, m, day), "Tết {y}");
        }
        let gio = [
            (2024, (4, 18)),
            (2025, (4, 7)),
            (2026, (4, 26)),
            (2027, (4, 16)),
            (2028, (4, 4)),
            (2029, (4, 23)),
            (2030, (4, 12)),
            (2031, (4, 1)),
        ];
        for (y, (m, day)) in gio {
            let g = to_solar(LunarDate {
                day: 10,
                month: 3,
                year: y,
                leap: false,
            });
            assert_eq!(g, Some(d(y, m, day)), "Giỗ Tổ {y}");
        }
    }

    #[test]
    fn the_1991_override_wins() {
        assert_eq!(tet(1991), d(1991, 2, 15));
        let eve = to_lunar(d(1991, 2, 14)).expect("in range");
        assert_eq!((eve.day, eve.month, eve.year), (30, 12, 1990));
        assert_eq!(month_length(1990, 12, false), Some(30));
    }

    #[test]
    fn the_2026_new_year_eve_is_the_29th() {
        assert_eq!(
            to_lunar(d(2026, 2, 14)).map(|l| (l.day, l.month, l.year)),
            Some((27, 12, 2025))
        );
        assert_eq!(month_length(2025, 12, false), Some(29));
    }

    #[test]
    fn leap_months_and_impossible_days() {
        // 2023 had a leap second month (tháng 2 nhuận): 22/3/2023 – 19/4/2023.
        let l = to_lunar(d(2023, 3, 22)).expect("in range");
        assert_eq!((l.day, l.month, l.leap), (1, 2, true));
        assert_eq!(l.text(), "1/2 nhuận/2023");
        assert_eq!(to_solar(l), Some(d(2023, 3, 22)));
        assert_eq!(
            to_solar(LunarDate {
                day: 1,
                month: 5,
                year: 2024,
                leap: true
            }),
            None,
            "2024 has no leap fifth month"
        );
        assert_eq!(
            to_solar(LunarDate {
                day: 30,
                month: 12,
                year: 2025,
                leap: false
            }),
            None,
            "tháng Chạp Ất Tỵ has 29 days"
        );
        assert_eq!(to_lunar(d(1899, 12, 31)), None);
        assert_eq!(to_lunar(d(2101, 1, 1)), None);
    }
}
