//! danvan's official reports, pure: report periods ([`period`]), the predicate language every
//! column is written in ([`predicate`]), the forms of each reporting circular as versioned
//! data ([`forms`]), and the assembled report with its renderings ([`report`]). The store runs
//! the compiled SQL; tests evaluate the same predicates in memory.

#![forbid(unsafe_code)]

pub mod chart;
pub mod docx;
pub mod forms;
pub mod period;
pub mod predicate;
pub mod report;
pub mod xlsx;

pub use forms::{Form, FormSet, canonical_code, form_sets, set_by_code, set_on};
pub use period::{MonthSplit, Period};
pub use report::{Report, RowSpec};
