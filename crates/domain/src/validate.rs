//! Field-level validation errors, with the Vietnamese message shown next to the field in the UI
//! and returned as `fields` in the API's structured error.

use serde::Serialize;
use std::collections::BTreeMap;

#[derive(Debug, Default, Clone, Serialize, PartialEq, Eq)]
pub struct FieldErrors(pub BTreeMap<String, String>);

impl FieldErrors {
    /// Every message in one line, for a page or a command that shows them together.
    pub fn joined(&self) -> String {
        self.0.values().cloned().collect::<Vec<_>>().join("; ")
    }
    pub fn add(&mut self, field: &str, message: impl Into<String>) {
        self.0
            .entry(field.to_owned())
            .or_insert_with(|| message.into());
    }
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.get(field).map(String::as_str)
    }
    /// Ok(()) when no field failed, else the errors.
    pub fn into_result(self) -> Result<(), Invalid> {
        if self.is_empty() {
            Ok(())
        } else {
            Err(Invalid(self))
        }
    }
}

/// Input that failed validation; nothing was stored.
#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq)]
#[error("dữ liệu không hợp lệ")]
pub struct Invalid(pub FieldErrors);

impl Invalid {
    pub fn one(field: &str, message: impl Into<String>) -> Self {
        let mut e = FieldErrors::default();
        e.add(field, message);
        Self(e)
    }
}
