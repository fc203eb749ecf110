//! Throughput of the calendar arithmetic: `cargo bench -p danvan-calendar`.
//! Targets (issue 3): ≥ 1.000.000 `add_working_days` per second, ≥ 100.000 lunar conversions
//! per second.

use chrono::{Datelike, Duration, NaiveDate};
use std::hint::black_box;
use std::time::Instant;

fn main() {
    let cal = danvan_calendar::national();
    let start = NaiveDate::from_ymd_opt(1990, 1, 1).expect("date");
    let n = 2_000_000u32;
    let t = Instant::now();
    let mut acc = 0i64;
    for i in 0..n {
        let d = start + Duration::days(i64::from(i % 36_500));
        let r = cal
            .add_working_days(black_box(d), black_box(i % 400))
            .expect("in range");
        acc += i64::from(r.day());
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "add_working_days: {:.0} per second ({n} calls, {secs:.3} s, spans up to 400 working days) [{acc}]",
        f64::from(n) / secs
    );

    let t = Instant::now();
    let mut acc = 0i64;
    for i in 0..n {
        let d = start + Duration::days(i64::from(i % 36_500));
        acc += cal
            .working_days_between(black_box(start), black_box(d))
            .expect("in range");
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "working_days_between: {:.0} per second [{acc}]",
        f64::from(n) / secs
    );

    let m = 1_000_000u32;
    let first = NaiveDate::from_ymd_opt(1900, 1, 1).expect("date");
    let t = Instant::now();
    let mut acc = 0u64;
    for i in 0..m {
        let d = first + Duration::days(i64::from(i % 73_000));
        let l = danvan_calendar::to_lunar(black_box(d)).expect("in range");
        acc += u64::from(l.day);
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "to_lunar: {:.0} per second ({m} dates) [{acc}]",
        f64::from(m) / secs
    );

    let t = Instant::now();
    let built = 20;
    for _ in 0..built {
        black_box(danvan_calendar::WorkCalendar::new(
            danvan_calendar::WorkWeek::STATE,
            &danvan_calendar::holidays::effective(&danvan_calendar::holidays::shipped()),
        ));
    }
    println!(
        "building a calendar 1900–2100 with every year's holidays: {:.1} ms",
        t.elapsed().as_secs_f64() * 1000.0 / f64::from(built)
    );
}
