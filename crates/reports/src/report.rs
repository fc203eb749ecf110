//! A computed report: the form's columns, one row per unit group and a total, and the text and
//! CSV renderings. The figures come from the database ([`RawFigures`] filled by the store) or,
//! in tests, from the same predicates evaluated over records in memory ([`evaluate`]).

use crate::forms::{ColumnDef, Form, FormSet};
use crate::period::Period;
use crate::predicate::{Fact, Measure, Source, Val};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// A row of the report: a unit (with its subtree) and the units whose records it gathers.
#[derive(Debug, Clone, Serialize)]
pub struct RowSpec {
    pub label: String,
    pub unit_code: String,
    pub unit_ids: BTreeSet<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct ColumnHead {
    pub number: u32,
    pub groups: Vec<String>,
    pub heading: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Row {
    pub label: String,
    pub unit_code: String,
    /// One value per column, in column order.
    pub values: Vec<i64>,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
pub struct Report {
    pub form_set: String,
    pub form_set_name: String,
    pub form: String,
    pub title: String,
    pub from: chrono::NaiveDate,
    pub to: chrono::NaiveDate,
    pub unit: String,
    pub unit_name: String,
    pub columns: Vec<ColumnHead>,
    pub rows: Vec<Row>,
    pub total: Row,
    /// What the reader must know about the figures (records of split communes…).
    #[serde(default)]
    pub notes: Vec<String>,
}

/// The counted columns' values per row, as the store computes them: for each column number of
/// a `Count` column, the value of each row (in `RowSpec` order).
pub type RawFigures = BTreeMap<u32, Vec<i64>>;

/// Fills the sum columns and the total row, and names everything.
pub fn assemble(
    set: &FormSet,
    form: &Form,
    period: Period,
    unit: (&str, &str),
    rows: &[RowSpec],
    raw: &RawFigures,
    total_raw: &RawFigures,
) -> Report {
    let value_of = |raw: &RawFigures, i: usize| -> Vec<i64> {
        let mut values: BTreeMap<u32, i64> = BTreeMap::new();
        for c in &form.columns {
            if let ColumnDef::Count(..) = c.def {
                values.insert(
                    c.number,
                    raw.get(&c.number)
                        .and_then(|v| v.get(i))
                        .copied()
                        .unwrap_or(0),
                );
            }
        }
        // Sums may refer to sums: resolve until stable (forms are shallow).
        for _ in 0..3 {
            for c in &form.columns {
                if let ColumnDef::Sum(of) = &c.def {
                    let s = of.iter().map(|n| values.get(n).copied().unwrap_or(0)).sum();
                    values.insert(c.number, s);
                }
            }
        }
        form.columns
            .iter()
            .map(|c| values.get(&c.number).copied().unwrap_or(0))
            .collect()
    };
    Report {
        form_set: set.code.into(),
        form_set_name: set.name.into(),
        form: form.code.into(),
        title: form.title.into(),
        from: period.from,
        to: period.to,
        unit: unit.0.into(),
        unit_name: unit.1.into(),
        columns: form
            .columns
            .iter()
            .map(|c| ColumnHead {
                number: c.number,
                groups: c.groups.iter().map(|g| (*g).to_owned()).collect(),
                heading: c.heading.into(),
            })
            .collect(),
        rows: rows
            .iter()
            .enumerate()
            .map(|(i, r)| Row {
                label: r.label.clone(),
                unit_code: r.unit_code.clone(),
                values: value_of(raw, i),
            })
            .collect(),
        total: Row {
            label: "Tổng cộng".into(),
            unit_code: unit.0.into(),
            values: value_of(total_raw, 0),
        },
        notes: vec![],
    }
}

/// Where a computed report differs from its predicates evaluated over the records in memory
/// ([`evaluate`]), for the total (over `total`'s units) and each row: one line per differing
/// figure, none when they agree. The store's tests hold its SQL to this, on both backends.
pub fn differences(
    report: &Report,
    form: &Form,
    period: Period,
    rows: &[RowSpec],
    total: &RowSpec,
    facts: &[(Source, Fact)],
) -> Vec<String> {
    let mut out = vec![];
    for (number, values) in &evaluate(form, period, std::slice::from_ref(total), facts) {
        if report.total_of(*number) != Some(values[0]) {
            out.push(format!(
                "total, column {number}: {:?} in the report, {} from the records",
                report.total_of(*number),
                values[0]
            ));
        }
    }
    let by_row = evaluate(form, period, rows, facts);
    for row in &report.rows {
        let Some(i) = rows.iter().position(|r| r.unit_code == row.unit_code) else {
            out.push(format!("row {}: not a row of the unit", row.label));
            continue;
        };
        for (number, values) in &by_row {
            let value = report
                .columns
                .iter()
                .position(|c| c.number == *number)
                .and_then(|col| row.values.get(col));
            if value != Some(&values[i]) {
                out.push(format!(
                    "row {}, column {number}: {value:?} in the report, {} from the records",
                    row.label, values[i]
                ));
            }
        }
    }
    out
}

/// The same figures from records in memory: `facts` are (source, record) pairs.
pub fn evaluate(
    form: &Form,
    period: Period,
    rows: &[RowSpec],
    facts: &[(Source, Fact)],
) -> RawFigures {
    let mut out = RawFigures::new();
    for c in &form.columns {
        let ColumnDef::Count(pred, measure) = &c.def else {
            continue;
        };
        let values = rows
            .iter()
            .map(|row| {
                let kept = facts.iter().filter(|(s, f)| {
                    *s == c.source && row.unit_ids.contains(&f.unit_id) && pred.eval(f, period)
                });
                match measure {
                    Measure::Records => kept.count() as i64,
                    Measure::People => kept
                        .map(|(_, f)| match f.fields.get("headcount") {
                            Some(Val::Int(n)) => *n,
                            _ => 0,
                        })
                        .sum(),
                    Measure::Sum(field) => kept
                        .map(|(_, f)| match f.fields.get(field) {
                            Some(Val::Int(n)) => *n,
                            _ => 0,
                        })
                        .sum(),
                    Measure::Cases => kept
                        .filter_map(|(_, f)| match f.fields.get("case_id") {
                            Some(Val::Int(n)) => Some(*n),
                            _ => None,
                        })
                        .collect::<BTreeSet<_>>()
                        .len() as i64,
                }
            })
            .collect();
        out.insert(c.number, values);
    }
    out
}

/// 2002 → "2.002".
pub fn number(n: i64) -> String {
    danvan_domain::format::number(n)
}

impl Report {
    /// One block per row: each column's number, heading and value (numbers 2.002).
    pub fn text(&self) -> String {
        let mut out = format!(
            "Biểu {} — {} ({})\nĐơn vị: {} · Kỳ báo cáo: {} – {}\n",
            self.form,
            self.title,
            self.form_set_name,
            self.unit_name,
            self.from.format("%d/%m/%Y"),
            self.to.format("%d/%m/%Y")
        );
        for row in self.rows.iter().chain(std::iter::once(&self.total)) {
            out.push_str(&format!("\n{}\n", row.label));
            for (c, v) in self.columns.iter().zip(&row.values) {
                let path = c
                    .groups
                    .iter()
                    .map(String::as_str)
                    .chain(std::iter::once(c.heading.as_str()))
                    .collect::<Vec<_>>()
                    .join(" / ");
                out.push_str(&format!("  ({}) {path}: {}\n", c.number, number(*v)));
            }
        }
        for n in &self.notes {
            out.push_str(&format!("\nGhi chú: {n}\n"));
        }
        out
    }

    /// CSV: a heading row with column numbers and names, one line per row, then the total.
    pub fn csv(&self) -> String {
        let cell = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
        let mut out = String::from("\u{feff}");
        let mut head = vec![cell("Đơn vị")];
        for c in &self.columns {
            let path = c
                .groups
                .iter()
                .map(String::as_str)
                .chain(std::iter::once(c.heading.as_str()))
                .collect::<Vec<_>>()
                .join(" / ");
            head.push(cell(&format!("({}) {path}", c.number)));
        }
        out.push_str(&head.join(","));
        out.push_str("\r\n");
        for row in self.rows.iter().chain(std::iter::once(&self.total)) {
            let mut line = vec![cell(&row.label)];
            line.extend(row.values.iter().map(|v| v.to_string()));
            out.push_str(&line.join(","));
            out.push_str("\r\n");
        }
        out
    }

    /// The value of a column (by number) in the total row.
    pub fn total_of(&self, number: u32) -> Option<i64> {
        let i = self.columns.iter().position(|c| c.number == number)?;
        self.total.values.get(i).copied()
    }
}
