//! Small helpers for pages: escaping for hand-built HTML, Vietnamese formats, form values,
//! select options.

use chrono::NaiveDate;
use danvan_domain::FieldErrors;
use std::collections::HashMap;

pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

pub fn date(d: NaiveDate) -> String {
    danvan_domain::format::date(d)
}

pub fn opt_date(d: Option<NaiveDate>) -> String {
    d.map(date).unwrap_or_default()
}

pub fn num(n: i64) -> String {
    danvan_domain::format::number(n)
}

/// A select option.
#[derive(Debug, Clone)]
pub struct Opt {
    pub code: String,
    pub label: String,
    pub selected: bool,
}

pub fn options<'a>(list: impl IntoIterator<Item = (&'a str, &'a str)>, current: &str) -> Vec<Opt> {
    list.into_iter()
        .map(|(c, l)| Opt {
            code: c.to_owned(),
            label: l.to_owned(),
            selected: c == current,
        })
        .collect()
}

/// Posted form values (repeated keys keep the last), with the field errors to show next to
/// each field when the form comes back.
#[derive(Debug, Default, Clone)]
pub struct FormState {
    pub values: HashMap<String, String>,
    pub errors: FieldErrors,
}

impl FormState {
    pub fn from_pairs(pairs: Vec<(String, String)>) -> Self {
        Self {
            values: pairs.into_iter().collect(),
            errors: FieldErrors::default(),
        }
    }
    pub fn v(&self, name: &str) -> &str {
        self.values.get(name).map(String::as_str).unwrap_or("")
    }
    pub fn checked(&self, name: &str) -> bool {
        matches!(self.v(name), "1" | "on" | "true")
    }
    /// The error next to a field, as escaped HTML (empty when the field is fine).
    pub fn e(&self, name: &str) -> String {
        match self.errors.get(name) {
            Some(m) => format!(
                "<span class=\"field-error\" role=\"alert\">{}</span>",
                escape(m)
            ),
            None => String::new(),
        }
    }
    /// Value of a person row's field (`people[i].name`).
    pub fn pv(&self, i: &usize, field: &str) -> &str {
        self.v(&format!("people[{i}].{field}"))
    }
    pub fn pe(&self, i: &usize, field: &str) -> String {
        self.e(&format!("people[{i}].{field}"))
    }
    pub fn take(&self, name: &str) -> String {
        self.v(name).to_owned()
    }
}

/// Pagination links of a list.
#[derive(Debug, Clone)]
pub struct Pager {
    pub page: i64,
    pub pages: i64,
    pub total: String,
    pub prev: Option<String>,
    pub next: Option<String>,
}

impl Pager {
    /// `query` is the current query string without `page`. A list whose count stopped at a
    /// cap says "hơn …" and keeps a link to the next page.
    pub fn new<T>(list: &danvan_store::Paged<T>, base: &str, query: &str) -> Self {
        let (page, size, total) = (list.page, list.page_size, list.total);
        let mut pages = ((total + size - 1) / size).max(1);
        if list.total_is_lower_bound {
            pages = pages.max(page + 1);
        }
        let link = |p: i64| {
            format!(
                "{base}?{query}{}page={p}",
                if query.is_empty() { "" } else { "&" }
            )
        };
        Pager {
            page,
            pages,
            total: if list.total_is_lower_bound {
                format!("hơn {}", num(total))
            } else {
                num(total)
            },
            prev: (page > 1).then(|| link(page - 1)),
            next: (page < pages).then(|| link(page + 1)),
        }
    }
}

/// Encodes a query-string value.
pub fn qs(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            b' ' => out.push('+'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

/// A file size as officials read it: "850 KB", "2,4 MB".
pub fn size(bytes: &i64) -> String {
    let b = *bytes;
    if b < 1024 * 1024 {
        format!("{} KB", num((b + 1023) / 1024))
    } else {
        let tenths = (b * 10 + 512 * 1024) / (1024 * 1024);
        format!("{},{} MB", num(tenths / 10), tenths % 10)
    }
}

/// Where a record opens, from its code (DON-…, TCD-…, VV-…).
pub fn record_url(code: &str) -> String {
    let base = if code.starts_with("TCD-") {
        "/visits/"
    } else if code.starts_with("VV-") {
        "/cases/"
    } else {
        "/petitions/"
    };
    format!("{base}{code}")
}

/// The label of an answer to a related-record suggestion.
pub fn related_choice(code: &str) -> &'static str {
    danvan_domain::records::RelatedAction::parse(code)
        .map(|a| a.label())
        .unwrap_or("")
}

/// A Word file as a download (never shown in the browser, never cached).
pub fn word_file(file_name: &str, bytes: Vec<u8>) -> axum::response::Response {
    use axum::http::header;
    use axum::response::IntoResponse;
    (
        [
            (
                header::CONTENT_TYPE,
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
                    .to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{file_name}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_owned()),
        ],
        bytes,
    )
        .into_response()
}

/// A period typed in a filter (`dd/mm/yyyy` or ISO, either end may be empty), or the message
/// to show when it is not one.
pub fn date_range(from: &str, to: &str) -> Result<(Option<NaiveDate>, Option<NaiveDate>), String> {
    let parse = |s: &str, what: &str| -> Result<Option<NaiveDate>, String> {
        match s.trim() {
            "" => Ok(None),
            s => danvan_domain::format::parse_date(s)
                .map(Some)
                .ok_or_else(|| format!("{what} không hợp lệ (dd/mm/yyyy)")),
        }
    };
    let (from, to) = (parse(from, "Từ ngày")?, parse(to, "Đến ngày")?);
    if let (Some(f), Some(t)) = (from, to)
        && t < f
    {
        return Err("Đến ngày trước Từ ngày: chọn lại khoảng thời gian".into());
    }
    Ok((from, to))
}
/// An RFC 3339 UTC timestamp as officials read it: Vietnam time, "28/11/2026 21:49".
pub fn timestamp(at: &str) -> String {
    chrono::DateTime::parse_from_rfc3339(at)
        .map(|t| {
            (t.with_timezone(&chrono::Utc) + chrono::Duration::hours(7))
                .format("%d/%m/%Y %H:%M")
                .to_string()
        })
        .unwrap_or_else(|_| at.to_owned())
}

/// A posted form as its (name, value) pairs, repeated names kept (multi-selects, checkboxes).
pub(crate) type Pairs = axum::Form<Vec<(String, String)>>;

/// Every value posted under `name` (multi-selects and checkboxes).
pub(crate) fn all(pairs: &[(String, String)], name: &str) -> Vec<String> {
    pairs
        .iter()
        .filter(|(k, v)| k == name && !v.trim().is_empty())
        .map(|(_, v)| v.clone())
        .collect()
}

/// The `year` a page of one year is asked for: this year when absent, unreadable or outside
/// 2000–2100.
pub fn year_param(q: &HashMap<String, String>, today: NaiveDate) -> i32 {
    use chrono::Datelike;
    q.get("year")
        .and_then(|y| y.parse().ok())
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(today.year())
}

/// The first and last day of a year (`today` for a year chrono cannot hold).
pub fn year_bounds(year: i32, today: NaiveDate) -> (NaiveDate, NaiveDate) {
    let day = |m, d| NaiveDate::from_ymd_opt(year, m, d).unwrap_or(today);
    (day(1, 1), day(12, 31))
}
