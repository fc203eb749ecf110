//! The records danvan keeps, the rules that bind them and the one function that decides who may
//! do what. Pure: no I/O, so everything here tests in milliseconds.

#![forbid(unsafe_code)]

pub mod access;
pub mod deadlines;
pub mod format;
pub mod ids;
pub mod records;
pub mod summary;
pub mod validate;

pub use access::{Action, Actor, Role};
pub use validate::{FieldErrors, Invalid};
