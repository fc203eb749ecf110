//! The records danvan keeps, the rules that bind them and the one function that decides who may
//! do what. Pure: no I/O, so everything here tests in milliseconds.

#![forbid(unsafe_code)]

/// A closed vocabulary: stored as its `code`, shown as its `label`, parsed from a form or the
/// API.
macro_rules! vocabulary {
    ($(#[$meta:meta])* $name:ident { $($variant:ident => ($code:literal, $label:literal)),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
        pub enum $name { $(#[serde(rename = $code)] $variant),+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$variant),+];
            pub fn code(self) -> &'static str { match self { $($name::$variant => $code),+ } }
            pub fn label(self) -> &'static str { match self { $($name::$variant => $label),+ } }
            pub fn parse(code: &str) -> Option<Self> {
                match code { $($code => Some($name::$variant),)+ _ => None }
            }
            /// (code, label) pairs, for a select.
            pub fn choices() -> impl Iterator<Item = (&'static str, &'static str)> {
                Self::ALL.iter().map(|v| (v.code(), v.label()))
            }
        }
    };
}

pub mod access;
pub mod coordination;
pub mod deadlines;
pub mod format;
pub mod ids;
pub mod management;
pub mod records;
pub mod summary;
pub mod validate;

pub use access::{Action, Actor, Role};
pub use validate::{FieldErrors, Invalid};
