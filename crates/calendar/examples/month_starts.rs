//! Prints the month starts of danvan's lunar table (for comparing with other implementations).
fn main() {
    let mut d = chrono::NaiveDate::from_ymd_opt(1900, 1, 1).expect("date");
    let end = chrono::NaiveDate::from_ymd_opt(2100, 12, 31).expect("date");
    let mut first = true;
    while d <= end {
        let l = danvan_calendar::to_lunar(d).expect("in range");
        if l.day == 1 || first {
            println!("{d},{},{},{},{}", l.day, l.month, l.year, u8::from(l.leap));
        }
        first = false;
        d = d.succ_opt().expect("next");
    }
}
