//! danvan's calendars, pure and dependency-light: the Vietnamese lunar calendar ([`lunar`]),
//! the statutory holidays and official yearly schedules ([`holidays`]) and the working-day
//! calendar with its arithmetic ([`work`]).

#![forbid(unsafe_code)]

pub mod holidays;
pub mod lunar;
pub mod work;

pub use lunar::{LunarDate, to_lunar, to_solar};
pub use work::{DayKind, Entry, OutOfRange, WorkCalendar, WorkWeek};

/// The national calendar from the shipped schedules and the statutory defaults (what a fresh
/// installation uses before an administrator records anything).
pub fn national() -> WorkCalendar {
    static CAL: std::sync::OnceLock<WorkCalendar> = std::sync::OnceLock::new();
    CAL.get_or_init(|| {
        WorkCalendar::new(WorkWeek::STATE, &holidays::effective(&holidays::shipped()))
    })
    .clone()
}
