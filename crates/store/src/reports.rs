//! Computing the official forms in SQL: per source, one pass over the records of the unit's
//! scope with one `SUM(CASE WHEN <column predicate> …)` per column, grouped by unit. A case
//! column is summed as records too, then corrected by a second pass grouped by case: each
//! case's counted records past its first are taken off. For petitions that pass reads only the
//! cases holding several (`multi_petition_cases`), a case of one being its one record. Rows are
//! the unit's direct sub-units (each with the history of the units it succeeded), plus the
//! total.

use crate::{Result, Store, StoreError};
use danvan_domain::Actor;
use danvan_domain::access::{Action, RecordRef};
use danvan_reports::forms::{ColumnDef, Form, FormSet};
use danvan_reports::predicate::{Fact, Measure, Pred, Source, SqlArg, Val};
use danvan_reports::report::{RawFigures, RowSpec, assemble};
use danvan_reports::{Period, Report};
use sqlx::Row;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// A record behind a figure, for the drill-down list.
#[derive(Debug, Clone, serde::Serialize)]
pub struct FigureRecord {
    pub kind: &'static str,
    pub code: String,
    pub date: String,
    pub unit: String,
    pub summary: String,
}

/// The petitions a statement reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reading {
    /// Every one.
    All,
    /// Those of cases holding several (`multi_petition_cases`)…
    Shared,
    /// …whose case id leaves this remainder divided by [`CASE_PARTS`]: a whole-country
    /// count of cases in parts, one per core (`Store::figures_by_unit`).
    SharedPart(i64),
}

/// How many parts a whole-country count of cases is cut into on PostgreSQL: the machine's two
/// cores, each grouping the cases of one part. Migration 0035 gives PostgreSQL statistics of
/// `case_id % 2`, without which it misjudges each part's size.
const CASE_PARTS: i64 = 2;

/// The records of a source that any column of a form may count, for some units and a period,
/// as a table aliased `p`, `v` or `s` with the given columns (besides `unit_id` and
/// `case_id`). For petitions it is a partition that indexes serve: received in the period;
/// received before and still undecided; received before and decided on or after the start
/// (carried over); decided before the start with a transfer answered in the period (read only
/// for a column on replies). A petition outside all four is counted by no column. `reading`
/// may keep only the petitions of cases that hold several (`multi_petition_cases`, by unit and
/// case), or a part of those.
fn source_table(
    source: Source,
    period: Period,
    scope: &Scope,
    columns: &[&str],
    reading: Reading,
    args: &mut Vec<SqlArg>,
) -> String {
    let branches = source_branches(source, period, scope, columns, reading, args);
    format!(
        "({}) {}",
        branches.join(" UNION ALL "),
        source_alias(source)
    )
}

/// The alias of a source's records in a report statement.
fn source_alias(source: Source) -> &'static str {
    unit_column(source).split('.').next().unwrap_or("p")
}

/// [`source_table`]'s parts, each a `SELECT` of some of the records, none in two parts.
fn source_branches(
    source: Source,
    period: Period,
    scope: &Scope,
    columns: &[&str],
    reading: Reading,
    args: &mut Vec<SqlArg>,
) -> Vec<String> {
    let ids = scope.ids.as_str();
    let mut arg = |v: String| {
        args.push(SqlArg::Text(v));
        format!("${}", args.len())
    };
    let alias = source_alias(source);
    let mut select: Vec<String> = vec![routed_unit(source, &scope.split)];
    if matches!(source, Source::Petitions | Source::Visits) {
        select.push(format!("{alias}.case_id"));
    }
    for c in columns {
        let expr = match (source, *c) {
            (Source::Petitions, "reply_on") => "t.reply_on AS reply_on".to_owned(),
            (Source::Petitions, "settle_from") => format!("{SETTLE_FROM} AS settle_from"),
            (Source::Petitions, "settle_state") => "ks.state AS settle_state".to_owned(),
            (_, "unit_id" | "case_id") => continue,
            (_, c) => format!("{alias}.{c}"),
        };
        if !select.contains(&expr) {
            select.push(expr);
        }
    }
    // Settlement columns also reach petitions decided long ago whose settlement was still open
    // when the period began; the clock of the settlement tells on time or late.
    let settlement = columns.iter().any(|c| {
        matches!(
            *c,
            "settle_from" | "result_on" | "result_kind" | "settle_state"
        )
    });
    let select = select.join(", ");
    match source {
        Source::Petitions => {
            let from = arg(period.from.to_string());
            let to = arg(period.to.to_string());
            let clocks = if columns.contains(&"settle_state") {
                " LEFT JOIN clocks ks ON ks.petition_id = p.id AND ks.clock IN ('kn1.settle', 'kn2.settle', 'tc.settle')"
            } else {
                ""
            };
            // The transfers (one at most per petition) only for a column on replies: every
            // other column is false for a petition decided before the period began, so without
            // one the replies' part of the partition counts nothing and is left out — the
            // whole-country 02/XLD no longer joins millions of petitions to their transfers.
            let replies = columns.contains(&"reply_on");
            let transfers = if replies {
                " LEFT JOIN transfers t ON t.petition_id = p.id"
            } else {
                ""
            };
            // A petition's entry is (its unit, its case); a unit's report reads only its
            // units' entries (a province's 37.482 of the country's 1.274.456 at 10M).
            let (multi, mut multi_units) = match reading {
                Reading::All => ("", String::new()),
                Reading::Shared | Reading::SharedPart(_) => (
                    " JOIN multi_petition_cases mc ON mc.unit_id = p.unit_id AND mc.case_id = p.case_id",
                    if ids == "*" {
                        String::new()
                    } else {
                        format!(" AND {}", in_units("mc", ids))
                    },
                ),
            };
            // A part: the petitions' and the entries' condition both, so that each part hashes
            // its own entries only.
            if let Reading::SharedPart(r) = reading {
                multi_units.push_str(&format!(
                    " AND p.case_id % {CASE_PARTS} = {r} AND mc.case_id % {CASE_PARTS} = {r}"
                ));
            }
            let base = format!(
                "SELECT {select} FROM petitions p{multi}{transfers}{clocks} WHERE {}{multi_units}",
                in_units("p", ids)
            );
            if settlement {
                // Settlement and execution reach far back: any petition received before the
                // period that was undecided, decided since, still being settled, with its
                // decision still to execute, or whose transfer was answered in the period.
                let replied = if replies {
                    format!(" OR (t.reply_on >= {from} AND t.reply_on <= {to})")
                } else {
                    String::new()
                };
                return vec![
                    format!("{base} AND p.received_date >= {from} AND p.received_date <= {to}"),
                    format!(
                        "{base} AND p.received_date < {from} AND (p.decision_date IS NULL OR p.decision_date >= {from} \
                         OR ({SETTLE_FROM} IS NOT NULL AND (p.result_on IS NULL OR p.result_on >= {from})) \
                         OR (p.result_on IS NOT NULL AND (p.execution_on IS NULL OR p.execution_on >= {from})){replied})"
                    ),
                ];
            }
            let replied = replies.then(|| {
                format!(
                    "{base} AND p.received_date < {from} AND p.decision_date < {from} AND t.reply_on >= {from} AND t.reply_on <= {to}"
                )
            });
            // Carried over and decided since, over the whole country: read from the oldest
            // petition received that was decided on or after the start, which the (received,
            // decision) index finds by walking from the oldest. Without that bound the part
            // read every petition received before the period (a year's report at 10M: the five
            // million before). A unit's report reads its own units' petitions by the
            // unit-leading index instead, fewer than that walk (on SQLite at 1M the walk cost
            // a province's report 40 ms a statement).
            let carried_bound = if ids == "*" {
                format!(
                    " AND p.received_date >= (SELECT MIN(q.received_date) FROM petitions q WHERE q.decision_date >= {from})"
                )
            } else {
                String::new()
            };
            let mut branches = vec![
                format!("{base} AND p.received_date >= {from} AND p.received_date <= {to}"),
                format!("{base} AND p.received_date < {from} AND p.decision_date IS NULL"),
                format!(
                    "{base} AND p.received_date < {from} AND p.decision_date >= {from}{carried_bound}"
                ),
            ];
            branches.extend(replied);
            branches
        }
        // Every visit column counts visits in the period; refusals are not visits (lượt).
        Source::Visits => {
            let a = arg(period.from.to_string());
            let b = arg(period.to.to_string());
            vec![format!(
                "SELECT {select} FROM visits v WHERE {} AND v.refused = 0 AND v.visit_date >= {a} AND v.visit_date <= {b}",
                in_units("v", ids)
            )]
        }
        Source::ReceptionDays => {
            vec![format!(
                "SELECT {select} FROM reception_schedule s WHERE {}",
                in_units("s", ids)
            )]
        }
        // Every column of 06/QLKNTC counts the activities dated in the period (not removed).
        Source::Activities => {
            let from = arg(period.from.to_string());
            let to = arg(period.to.to_string());
            vec![format!(
                "SELECT {select} FROM management_activities a WHERE {} AND a.removed_at IS NULL AND a.activity_date >= {from} AND a.activity_date <= {to}",
                in_units("a", ids)
            )]
        }
    }
}

/// The units a report reads, as SQL: `ids` is a list of unit ids, or `*` for every unit; `split`
/// lists the communes split on 1/7/2025 among them (empty when none), whose records are routed
/// to the part their citizen's address names.
struct Scope {
    ids: String,
    split: String,
    backend: crate::Backend,
}

/// The part of a split commune that a record's citizen's address names (by the new commune's
/// area code), as a scalar subquery: NULL when the address names none of them.
fn split_part(source: Source) -> Option<&'static str> {
    match source {
        Source::Petitions => Some(
            "(SELECT sp.new_unit_id FROM unit_split_parts sp JOIN people pe ON pe.area_code = sp.area_code \
             WHERE sp.old_unit_id = p.unit_id AND pe.id = p.sender_person_id)",
        ),
        Source::Visits => Some(
            "(SELECT sp.new_unit_id FROM unit_split_parts sp JOIN people pe ON pe.area_code = sp.area_code \
             JOIN visit_people vp ON vp.person_id = pe.id \
             WHERE sp.old_unit_id = v.unit_id AND vp.visit_id = v.id AND vp.position = 0)",
        ),
        Source::ReceptionDays | Source::Activities => None,
    }
}

/// The unit a record counts for, `AS unit_id`: its own, or for a record of a split commune the
/// part its citizen's address names (else its own, which the first listed part inherits).
fn routed_unit(source: Source, split: &str) -> String {
    let col = unit_column(source);
    match split_part(source) {
        Some(part) if !split.is_empty() => format!(
            "CASE WHEN {col} IN ({split}) THEN COALESCE({part}, {col}) ELSE {col} END AS unit_id"
        ),
        _ => col.to_owned(),
    }
}

/// When a petition's settlement began: its acceptance (thụ lý), or the "accept" decision.
const SETTLE_FROM: &str =
    "COALESCE(p.accepted_on, CASE WHEN p.decision = 'accept' THEN p.decision_date END)";

/// Date fields: grouped by where they fall relative to the period, not by day.
const DATE_FIELDS: &[&str] = &[
    "settle_from",
    "execution_on",
    "received_date",
    "decision_date",
    "accepted_on",
    "result_on",
    "reply_on",
    "visit_date",
    "scheduled_on",
    "activity_date",
];

/// The source's records grouped by the values the predicates read, with each date replaced by
/// a representative of its place relative to the period (before, inside, after, none), which
/// every date predicate judges the same way. The columns keep their names (`p.received_date`…)
/// so the predicates' SQL applies unchanged to a few hundred groups instead of every record;
/// `n` counts the records of a group and `people` sums their headcount.
fn grouped_table(
    source: Source,
    period: Period,
    scope: &Scope,
    fields: &[&'static str],
    amounts: &[&'static str],
    args: &mut Vec<SqlArg>,
) -> String {
    let from_cube = reads_cube(source, period, scope, fields, amounts);
    // Dates are ISO text, ordered as their bytes. PostgreSQL compares text in the database's
    // collation unless told otherwise, through the C library: for every record and date here
    // (≈ 10 % of a national form at 10M). SQLite compares bytes already.
    let bytewise = match scope.backend {
        crate::Backend::Postgres => " COLLATE \"C\"",
        crate::Backend::Sqlite => "",
    };
    let alias = source_alias(source);
    let mut keys: Vec<String> = vec![format!("{} AS unit_id", unit_column(source))];
    for f in fields {
        let Some(col) = danvan_reports::predicate::column(source, f) else {
            continue;
        };
        if DATE_FIELDS.contains(f) {
            args.push(SqlArg::Text(period.from.to_string()));
            let from = format!("${}", args.len());
            args.push(SqlArg::Text(period.to.to_string()));
            let to = format!("${}", args.len());
            keys.push(format!(
                "CASE WHEN {col} IS NULL THEN NULL WHEN {col} < {from}{bytewise} THEN '0000-01-01' WHEN {col} <= {to}{bytewise} THEN {from} ELSE '9999-12-31' END AS {f}"
            ));
        } else {
            keys.push(format!("{col} AS {f}"));
        }
    }
    let people = if source == Source::Visits {
        format!("CAST(SUM({alias}.headcount) AS BIGINT)")
    } else {
        "0".into()
    };
    let mut read: Vec<&str> = fields.to_vec();
    if source == Source::Visits {
        read.push("headcount");
    }
    read.extend(amounts);
    // Amounts a column sums (money, land, people restored) are summed per group.
    let sums: String = amounts
        .iter()
        .map(|a| format!(", CAST(SUM({alias}.{a}) AS BIGINT) AS {a}"))
        .collect();
    // Each part of the records grouped on its own, the groups then summed together: grouping
    // their union instead passed every record through the union first (a national year at
    // 10M: 1,2 s of 5,8 on 4,67 million petitions).
    let group: Vec<String> = (1..=keys.len()).map(|i| i.to_string()).collect();
    let (parts, counted) = if from_cube {
        (
            cube_branches(period, scope, &read, args),
            format!("CAST(SUM({alias}.n) AS BIGINT)"),
        )
    } else {
        (
            source_branches(source, period, scope, &read, Reading::All, args),
            "COUNT(*)".to_owned(),
        )
    };
    let parts: Vec<String> = parts
        .into_iter()
        .map(|part| {
            format!(
                "SELECT {}, {counted} AS n, {people} AS people{sums} FROM ({part}) {alias} GROUP BY {}",
                keys.join(", "),
                group.join(", ")
            )
        })
        .collect();
    format!("({}) {alias}", parts.join(" UNION ALL "))
}

/// The fields of a petition that `petition_month_cube` (PostgreSQL, migration 0035) keeps, each
/// date as its month's first day.
const CUBE_FIELDS: &[&str] = &[
    "received_date",
    "decision_date",
    "reply_on",
    "sender_kind",
    "petition_type",
    "field_code",
    "decision",
    "eligible",
    "competent",
    "earlier_settlement",
];

/// Whether a form's petition sums can be read from `petition_month_cube`: on PostgreSQL, for
/// a period of whole months (a date then compares with the period's first and last days as
/// its month's first day does), petitions counted (no amounts summed) by the cube's fields
/// only, in units none of which is a commune split on 1/7/2025 (whose records are routed by
/// their citizen's address, which the cube does not keep). At 10M a national year reads
/// 368.923 rows there instead of 4,67 million petitions.
fn reads_cube(
    source: Source,
    period: Period,
    scope: &Scope,
    fields: &[&str],
    amounts: &[&str],
) -> bool {
    use chrono::Datelike;
    source == Source::Petitions
        && scope.backend == crate::Backend::Postgres
        && scope.split.is_empty()
        && amounts.is_empty()
        && fields.iter().all(|f| CUBE_FIELDS.contains(f))
        && period.from.day() == 1
        && period.to.succ_opt().is_some_and(|d| d.day() == 1)
}

/// [`source_branches`] for petitions over `petition_month_cube`, the same four parts by the
/// months of receipt, decision and reply; each row counts `n` petitions.
fn cube_branches(
    period: Period,
    scope: &Scope,
    fields: &[&str],
    args: &mut Vec<SqlArg>,
) -> Vec<String> {
    let mut arg = |v: String| {
        args.push(SqlArg::Text(v));
        format!("${}", args.len())
    };
    let from = arg(period.from.to_string());
    let to = arg(period.to.to_string());
    let mut select = vec!["p.unit_id".to_owned()];
    select.extend(fields.iter().map(|f| format!("p.{f}")));
    select.push("p.n".into());
    let base = format!(
        "SELECT {} FROM petition_month_cube p WHERE {}",
        select.join(", "),
        in_units("p", &scope.ids)
    );
    let mut branches = vec![
        format!("{base} AND p.received_date >= {from} AND p.received_date <= {to}"),
        format!("{base} AND p.received_date < {from} AND p.decision_date IS NULL"),
        format!("{base} AND p.received_date < {from} AND p.decision_date >= {from}"),
    ];
    if fields.contains(&"reply_on") {
        branches.push(format!(
            "{base} AND p.received_date < {from} AND p.decision_date < {from} AND p.reply_on >= {from} AND p.reply_on <= {to}"
        ));
    }
    branches
}

/// `alias.unit_id IN (…)`, or nothing to test when the report covers every unit (`*`): the
/// whole-country report then reads the registers in date order instead of unit by unit.
fn in_units(alias: &str, ids: &str) -> String {
    if ids == "*" {
        "1=1".into()
    } else {
        format!("{alias}.unit_id IN ({ids})")
    }
}

fn unit_column(source: Source) -> &'static str {
    match source {
        Source::Petitions => "p.unit_id",
        Source::Visits => "v.unit_id",
        Source::ReceptionDays => "s.unit_id",
        Source::Activities => "a.unit_id",
    }
}

/// A report statement with its values, planned for those values each time it runs (not kept
/// prepared). A kept statement gets PostgreSQL's generic plan after five runs, chosen without
/// the period's dates: at 10M the province-year's distinct cases went from 0,4 to 1,1 s from the
/// sixth page on. Planning one of these statements takes 2–5 ms.
fn bind<'q>(
    q: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
    args: &[SqlArg],
) -> sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments> {
    let mut q = q.persistent(false);
    for a in args {
        q = match a {
            SqlArg::Text(s) => q.bind(s.clone()),
            SqlArg::Int(i) => q.bind(*i),
        };
    }
    q
}

impl Store {
    /// The rows of a report for a unit: its direct sub-units, or the unit itself when it has
    /// none; and the row of the total.
    pub async fn report_rows(&self, unit_code: &str) -> Result<(Vec<RowSpec>, RowSpec, String)> {
        let units = self.units().await?;
        let unit = units
            .iter()
            .find(|u| u.code == unit_code)
            .ok_or(StoreError::NotFound)?;
        let ids_of = |scope: &[String]| -> BTreeSet<i64> {
            units
                .iter()
                .filter(|u| scope.iter().any(|p| u.path.starts_with(p.as_str())))
                .map(|u| u.id)
                .collect()
        };
        let total = RowSpec {
            label: unit.name.clone(),
            unit_code: unit.code.clone(),
            unit_ids: ids_of(&self.scope_of(&unit.path).await?),
        };
        let mut rows = vec![];
        for child in units
            .iter()
            .filter(|u| u.parent_id == Some(unit.id) && u.valid_to.is_none())
        {
            rows.push(RowSpec {
                label: child.name.clone(),
                unit_code: child.code.clone(),
                unit_ids: ids_of(&self.scope_of(&child.path).await?),
            });
        }
        // Records of the unit itself (not of a sub-unit) get their own row.
        let covered: BTreeSet<i64> = rows
            .iter()
            .flat_map(|r| r.unit_ids.iter().copied())
            .collect();
        let own: BTreeSet<i64> = total.unit_ids.difference(&covered).copied().collect();
        if !own.is_empty() {
            rows.insert(
                0,
                RowSpec {
                    label: format!("{} (trực tiếp)", unit.name),
                    unit_code: unit.code.clone(),
                    unit_ids: own,
                },
            );
        }
        Ok((rows, total, unit.name.clone()))
    }

    /// May the actor read this unit's figures (its own subtree, or the board and inspectorate)?
    pub async fn may_report(&self, actor: &Actor, unit_code: &str) -> Result<bool> {
        let unit = self
            .unit_by_code(unit_code)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok(actor.may(Action::ViewAggregates(RecordRef {
            unit_path: &unit.path,
        })))
    }

    /// A form for a period and a unit with its subtree.
    pub async fn compute_report(
        &self,
        set: &FormSet,
        form: &Form,
        period: Period,
        unit_code: &str,
    ) -> Result<Report> {
        let (rows, total, name) = self.report_rows(unit_code).await?;
        let scope = self.report_scope(&total.unit_ids).await?;
        // Distinct cases are counted per group of units: each row, then the total (last).
        let groups: Vec<&BTreeSet<i64>> = rows
            .iter()
            .chain(std::iter::once(&total))
            .map(|r| &r.unit_ids)
            .collect();
        let per_unit = self.figures_by_unit(form, period, &scope, &groups).await?;
        let fold = |specs: &[RowSpec], first_group: usize| -> RawFigures {
            let mut raw = RawFigures::new();
            for c in &form.columns {
                let ColumnDef::Count(_, measure) = &c.def else {
                    continue;
                };
                let values = specs
                    .iter()
                    .enumerate()
                    .map(|(i, row)| {
                        // A case column: its records, less each case's records past its first.
                        let summed: i64 = row
                            .unit_ids
                            .iter()
                            .filter_map(|u| per_unit.sums.get(&(c.number, *u)))
                            .sum();
                        match measure {
                            Measure::Cases => {
                                summed
                                    + per_unit
                                        .cases
                                        .get(&(c.number, first_group + i))
                                        .copied()
                                        .unwrap_or(0)
                            }
                            _ => summed,
                        }
                    })
                    .collect();
                raw.insert(c.number, values);
            }
            raw
        };
        let raw = fold(&rows, 0);
        let total_raw = fold(std::slice::from_ref(&total), rows.len());
        let mut report = assemble(
            set,
            form,
            period,
            (unit_code, &name),
            &rows,
            &raw,
            &total_raw,
        );
        // Records of communes split on 1/7/2025 were counted under the first successor.
        let split: Vec<i64> = sqlx::query_scalar("SELECT id FROM units WHERE successor_split = 1")
            .fetch_all(&self.pool)
            .await?;
        let split: Vec<String> = split
            .into_iter()
            .filter(|id| total.unit_ids.contains(id))
            .map(|id| id.to_string())
            .collect();
        if !split.is_empty() {
            // Only the records whose citizen's address names no part of the split.
            let ids = split.join(",");
            let (petition_part, visit_part) = (
                split_part(Source::Petitions).unwrap_or("NULL"),
                split_part(Source::Visits).unwrap_or("NULL"),
            );
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT (SELECT COUNT(*) FROM petitions p WHERE p.unit_id IN ({ids}) AND p.received_date >= $1 AND p.received_date <= $2 AND {petition_part} IS NULL) \
                 + (SELECT COUNT(*) FROM visits v WHERE v.unit_id IN ({ids}) AND v.visit_date >= $1 AND v.visit_date <= $2 AND {visit_part} IS NULL)"
            )))
            .bind(period.from.to_string())
            .bind(period.to.to_string())
            .fetch_one(&self.pool)
            .await?;
            if n > 0 {
                report.notes.push(format!(
                    "{} hồ sơ của {} xã cũ bị chia tách khi sắp xếp đơn vị hành chính (1/7/2025) được tính vào xã mới liệt kê đầu tiên trong bảng chuyển đổi",
                    danvan_domain::format::number(n),
                    split.len()
                ));
            }
        }
        // The unit's own row only when it has figures of its own.
        report
            .rows
            .retain(|r| !(r.label.ends_with("(trực tiếp)") && r.values.iter().all(|v| *v == 0)));
        Ok(report)
    }

    /// What a report over some units reads: those units, and the communes split on 1/7/2025
    /// that have a part among them (their records are routed by the citizen's address, so a
    /// part other than the first listed finds its own). Every unit is `*`.
    async fn report_scope(&self, units: &BTreeSet<i64>) -> Result<Scope> {
        let parts: Vec<(i64, i64)> =
            sqlx::query_as("SELECT old_unit_id, new_unit_id FROM unit_split_parts")
                .fetch_all(&self.pool)
                .await?;
        let mut read = units.clone();
        let mut split = BTreeSet::new();
        for (old, new) in parts {
            if units.contains(&old) || units.contains(&new) {
                read.insert(old);
                split.insert(old);
            }
        }
        let all: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM units")
            .fetch_one(&self.pool)
            .await?;
        let list =
            |ids: &BTreeSet<i64>| ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
        Ok(Scope {
            ids: if !read.is_empty() && read.len() as i64 == all {
                "*".to_owned()
            } else {
                list(&read)
            },
            split: list(&split),
            backend: self.backend,
        })
    }

    /// Per column: the records (or people, or amounts) of each unit, and the distinct cases of
    /// each group of units. Cases are counted in SQL (`distinct_cases`) rather than by sending
    /// every (unit, case) pair back: at 1M petitions on PostgreSQL the pairs of a national year
    /// alone were 391.145 rows and 1,2 s.
    /// On PostgreSQL the statements (per source, the sums and the cases) run side by side, each
    /// on its own connection: a whole-country form is two long aggregations, one per core.
    async fn figures_by_unit(
        &self,
        form: &Form,
        period: Period,
        scope: &Scope,
        groups: &[&BTreeSet<i64>],
    ) -> Result<PerUnit> {
        let mut out = PerUnit::default();
        if scope.ids.is_empty() {
            return Ok(out);
        }
        let whole_country = scope.ids == "*";
        let mut sums_sql = vec![];
        let mut cases_sql = vec![];
        for source in [
            Source::Petitions,
            Source::Visits,
            Source::ReceptionDays,
            Source::Activities,
        ] {
            let columns: Vec<_> = form
                .columns
                .iter()
                .filter(|c| c.source == source)
                .filter_map(|c| match &c.def {
                    ColumnDef::Count(p, m) => Some((c.number, p, *m)),
                    ColumnDef::Sum(_) => None,
                })
                .collect();
            if columns.is_empty() {
                continue;
            }
            let unit_col = unit_column(source);
            // A case column is summed too: its records, which `distinct_cases` then corrects
            // by each case's records past its first.
            let sums: Vec<_> = columns.iter().collect();
            if !sums.is_empty() {
                let mut fields = vec![];
                for (_, p, _) in &sums {
                    p.fields(&mut fields);
                }
                fields.sort_unstable();
                fields.dedup();
                let mut args = vec![];
                let exprs: Vec<String> = sums
                    .iter()
                    .map(|(_, p, m)| {
                        let pred = p.sql(source, period, &mut args);
                        let alias = unit_col.split('.').next().unwrap_or("p");
                        let value = match m {
                            Measure::People => "people",
                            Measure::Sum(a) => a,
                            _ => "n",
                        };
                        // PostgreSQL sums integers as numeric: back to BIGINT for both backends.
                        format!(
                            "CAST(SUM(CASE WHEN {pred} THEN {alias}.{value} ELSE 0 END) AS BIGINT)"
                        )
                    })
                    .collect();
                let amounts: Vec<&'static str> = sums
                    .iter()
                    .filter_map(|(_, _, m)| match m {
                        Measure::Sum(a) => Some(*a),
                        _ => None,
                    })
                    .collect();
                let table = grouped_table(source, period, scope, &fields, &amounts, &mut args);
                let sql = format!(
                    "SELECT {unit_col}, {} FROM {table} GROUP BY {unit_col}",
                    exprs.join(", ")
                );
                let numbers: Vec<u32> = sums.iter().map(|c| c.0).collect();
                sums_sql.push((sql, args, numbers));
            }
            let cases: Vec<_> = columns.iter().filter(|c| c.2 == Measure::Cases).collect();
            if !cases.is_empty() {
                let alias = unit_col.split('.').next().unwrap_or("p");
                let mut fields = vec![];
                for (_, p, _) in &cases {
                    p.fields(&mut fields);
                }
                fields.sort_unstable();
                fields.dedup();
                // A case of one petition is that petition, already counted by the sums: only
                // the cases of several are grouped (at 10M, 1,3 million of a year's 4,6 million).
                // Over the whole country on PostgreSQL, in parts by case (each case in one
                // part), side by side: the form's one long statement left a core idle once the
                // sums were read from the cube.
                let readings: Vec<Reading> = match source {
                    Source::Petitions
                        if whole_country && self.backend == crate::Backend::Postgres =>
                    {
                        (0..CASE_PARTS).map(Reading::SharedPart).collect()
                    }
                    Source::Petitions => vec![Reading::Shared],
                    _ => vec![Reading::All],
                };
                let parts: Vec<CaseCounts> = readings
                    .into_iter()
                    .map(|reading| {
                        let mut args = vec![];
                        // Per case and column: whether it counts, and how many of its
                        // records do.
                        let exprs: Vec<String> = cases
                            .iter()
                            .enumerate()
                            .map(|(i, (_, p, _))| {
                                let pred = p.sql(source, period, &mut args);
                                format!(
                                    "MAX(CASE WHEN {pred} THEN 1 ELSE 0 END) AS c{i}, \
                                     SUM(CASE WHEN {pred} THEN 1 ELSE 0 END) AS s{i}"
                                )
                            })
                            .collect();
                        // The records themselves: grouping them first by their predicates'
                        // inputs saves nothing here, each case being nearly its own group.
                        let table =
                            source_table(source, period, scope, &fields, reading, &mut args);
                        CaseCounts {
                            exprs,
                            table,
                            args,
                            alias,
                            unit_col,
                            numbers: cases.iter().map(|c| c.0).collect(),
                            whole_country,
                        }
                    })
                    .collect();
                cases_sql.push(parts);
            }
        }
        // (column, unit or group, value) from each statement of a list, one after the other.
        let run = |statements: Vec<(String, Vec<SqlArg>, Vec<u32>)>| async move {
            let mut found = vec![];
            for (sql, args, numbers) in statements {
                let rows = self
                    .fetch_aggregation(
                        bind(sqlx::query(sqlx::AssertSqlSafe(sql)), &args),
                        whole_country,
                    )
                    .await?;
                for r in &rows {
                    let key: i64 = r.try_get(0)?;
                    for (i, number) in numbers.iter().enumerate() {
                        let v: Option<i64> = r.try_get(i + 1)?;
                        found.push((*number, key, v.unwrap_or(0)));
                    }
                }
            }
            Ok::<_, StoreError>(found)
        };
        // Side by side on PostgreSQL, whose buffers the two connections share; one after the
        // other on SQLite, where each connection would read the pages into its own cache.
        let cases = async {
            let mut found = vec![];
            for parts in &cases_sql {
                match parts.as_slice() {
                    [one, two] => {
                        let (one, two) = tokio::join!(
                            self.distinct_cases(one, groups),
                            self.distinct_cases(two, groups)
                        );
                        found.extend(one?);
                        found.extend(two?);
                    }
                    parts => {
                        for q in parts {
                            found.extend(self.distinct_cases(q, groups).await?);
                        }
                    }
                }
            }
            Ok::<_, StoreError>(found)
        };
        let (sums, cases) = match self.backend {
            crate::Backend::Postgres => tokio::join!(run(sums_sql), cases),
            crate::Backend::Sqlite => (run(sums_sql).await, cases.await),
        };
        for (number, unit, v) in sums? {
            out.sums.insert((number, unit), v);
        }
        // A column's cases are counted in parts: their corrections add up.
        for (number, group, n) in cases? {
            *out.cases.entry((number, group as usize)).or_default() += n;
        }
        Ok(out)
    }

    /// The rows of one of a form's aggregations. Over the whole country on PostgreSQL the
    /// statement runs with JIT, which the pool turns off: compiling its expressions (≈ 0,1 s)
    /// pays for itself over the millions of records a national year holds, not over a
    /// province's. And without sorting where hashing will do: the planner, multiplying the
    /// keys' distinct values, expects a national year's 4,67 million petitions to fall in a
    /// million groups (they fall in 7.140) and sorts them on disk to group them (4,6 s of a
    /// 6,8 s statement at 10M; hashed in memory, 2,7 s). And each statement in one process:
    /// the form's two run side by side already, and on two cores their parallel workers only
    /// took turns (a national year at 10M: 5,6–5,9 s with two workers each, 4,5–5,0 without).
    async fn fetch_aggregation<'q>(
        &self,
        query: sqlx::query::Query<'q, sqlx::Any, sqlx::any::AnyArguments>,
        whole_country: bool,
    ) -> Result<Vec<sqlx::any::AnyRow>> {
        if !(whole_country && self.backend == crate::Backend::Postgres) {
            return Ok(query.fetch_all(&self.pool).await?);
        }
        let mut tx = self.pool.begin().await?;
        // For this transaction only (`set_config`'s third argument), in one round trip.
        sqlx::query(
            "SELECT set_config('jit', 'on', true), set_config('jit_inline_above_cost', '-1', true), \
             set_config('jit_optimize_above_cost', '-1', true), set_config('enable_sort', 'off', true), \
             set_config('max_parallel_workers_per_gather', '0', true)",
        )
        .execute(&mut *tx)
        .await?;
        let rows = query.fetch_all(&mut *tx).await?;
        tx.commit().await?;
        Ok(rows)
    }

    /// Every record of some units as the predicates see them (tests compare the SQL with this).
    /// Each source is read by one query whose columns are `id, unit_id`, then its fields.
    /// A record of a split commune carries the unit it counts for, routed as in the forms.
    pub async fn report_facts(&self, units: &BTreeSet<i64>) -> Result<Vec<(Source, Fact)>> {
        let scope = self.report_scope(units).await?;
        if scope.ids.is_empty() {
            return Ok(vec![]);
        }
        let (petition_unit, visit_unit) = (
            routed_unit(Source::Petitions, &scope.split),
            routed_unit(Source::Visits, &scope.split),
        );
        let (petitions_in, visits_in, days_in, activities_in) = (
            in_units("p", &scope.ids),
            in_units("v", &scope.ids),
            in_units("s", &scope.ids),
            in_units("a", &scope.ids),
        );
        // (field, read as an integer) in the order of each query's columns.
        const PETITION: &[(&str, bool)] = &[
            ("received_date", false),
            ("sender_kind", false),
            ("petition_type", false),
            ("field_code", false),
            ("decision", false),
            ("decision_date", false),
            ("eligible", true),
            ("competent", true),
            ("instance", true),
            ("earlier_settlement", false),
            ("accepted_on", false),
            ("result_on", false),
            ("case_id", true),
            ("reply_on", false),
            ("result_kind", false),
            ("recovered_money", true),
            ("recovered_land", true),
            ("restored_people", true),
            ("settle_state", false),
            ("execution", false),
            ("execution_on", false),
        ];
        const VISIT: &[(&str, bool)] = &[
            ("visit_date", false),
            ("kind", false),
            ("is_group", true),
            ("headcount", true),
            ("first_time", true),
            ("petition_type", false),
            ("field_code", false),
            ("case_id", true),
        ];
        const DAY: &[(&str, bool)] = &[("scheduled_on", false), ("held", true)];
        const ACTIVITY: &[(&str, bool)] = &[
            ("activity_date", false),
            ("kind", false),
            ("units_covered", true),
            ("units_in_breach", true),
            ("people_recommended", true),
            ("participants", true),
        ];
        let queries = [
            (
                Source::Petitions,
                format!(
                    "SELECT p.id, {petition_unit}, p.received_date, p.sender_kind, p.petition_type, p.field_code, p.decision, p.decision_date, p.eligible, p.competent, p.instance, p.earlier_settlement, p.accepted_on, p.result_on, p.case_id, t.reply_on, p.result_kind, p.recovered_money, p.recovered_land, p.restored_people, ks.state, p.execution, p.execution_on FROM petitions p LEFT JOIN transfers t ON t.petition_id = p.id LEFT JOIN clocks ks ON ks.petition_id = p.id AND ks.clock IN ('kn1.settle', 'kn2.settle', 'tc.settle') WHERE {petitions_in}"
                ),
                PETITION,
            ),
            (
                Source::Visits,
                format!(
                    "SELECT v.id, {visit_unit}, v.visit_date, v.kind, v.is_group, v.headcount, v.first_time, v.petition_type, v.field_code, v.case_id FROM visits v WHERE v.refused = 0 AND {visits_in}"
                ),
                VISIT,
            ),
            (
                Source::ReceptionDays,
                format!(
                    "SELECT s.id, s.unit_id, s.scheduled_on, s.held FROM reception_schedule s WHERE {days_in}"
                ),
                DAY,
            ),
            (
                Source::Activities,
                format!(
                    "SELECT a.id, a.unit_id, a.activity_date, a.kind, a.units_covered, a.units_in_breach, a.people_recommended, a.participants FROM management_activities a WHERE a.removed_at IS NULL AND {activities_in}"
                ),
                ACTIVITY,
            ),
        ];
        let mut out = vec![];
        for (source, sql, fields) in queries {
            for r in sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&self.pool)
                .await?
            {
                let mut f = Fact {
                    id: r.try_get(0)?,
                    unit_id: r.try_get(1)?,
                    ..Fact::default()
                };
                for (i, (name, is_int)) in fields.iter().enumerate() {
                    let v = if *is_int {
                        r.try_get::<Option<i64>, _>(i + 2)?.map(Val::Int)
                    } else {
                        r.try_get::<Option<String>, _>(i + 2)?.map(Val::Text)
                    };
                    f.fields.insert(name, v.unwrap_or(Val::Null));
                }
                if source == Source::Petitions {
                    // When the settlement began, computed as SETTLE_FROM does in SQL.
                    let settle_from = match (
                        f.fields.get("accepted_on"),
                        f.fields.get("decision"),
                        f.fields.get("decision_date"),
                    ) {
                        (Some(Val::Text(a)), _, _) => Val::Text(a.clone()),
                        (_, Some(Val::Text(d)), Some(Val::Text(on))) if d == "accept" => {
                            Val::Text(on.clone())
                        }
                        _ => Val::Null,
                    };
                    f.fields.insert("settle_from", settle_from);
                }
                out.push((source, f));
            }
        }
        Ok(out)
    }

    /// The records behind one figure of a form (its column, for a row's units), newest first,
    /// at most `limit`.
    pub async fn figure_records(
        &self,
        form: &Form,
        number: u32,
        period: Period,
        units: &BTreeSet<i64>,
        limit: i64,
    ) -> Result<Vec<FigureRecord>> {
        let Some(column) = form.columns.iter().find(|c| c.number == number) else {
            return Err(StoreError::NotFound);
        };
        let preds: Vec<(Source, Pred)> = match &column.def {
            ColumnDef::Count(p, _) => vec![(column.source, p.clone())],
            ColumnDef::Sum(of) => form
                .columns
                .iter()
                .filter(|c| of.contains(&c.number))
                .filter_map(|c| match &c.def {
                    ColumnDef::Count(p, _) => Some((c.source, p.clone())),
                    ColumnDef::Sum(_) => None,
                })
                .collect(),
        };
        let scope = self.report_scope(units).await?;
        if scope.ids.is_empty() {
            return Ok(vec![]);
        }
        // The units the records count for (routed records of split communes included).
        let counted = units
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        let mut out = vec![];
        for (source, pred) in preds {
            let mut args = vec![];
            let cond = pred.sql(source, period, &mut args);
            let mut read = vec![];
            pred.fields(&mut read);
            read.extend(match source {
                Source::Petitions => ["id", "code", "received_date", "summary"],
                Source::Visits => ["id", "code", "visit_date", "content"],
                Source::ReceptionDays => ["id", "leader_name", "scheduled_on", "note"],
                Source::Activities => ["id", "title", "activity_date", "note"],
            });
            let table = source_table(source, period, &scope, &read, Reading::All, &mut args);
            let sql = match source {
                Source::Petitions => format!(
                    "SELECT p.code, p.received_date, u.name, p.summary FROM {table} JOIN units u ON u.id = p.unit_id WHERE p.unit_id IN ({counted}) AND {cond} ORDER BY p.received_date DESC, p.id DESC LIMIT {limit}"
                ),
                Source::Visits => format!(
                    "SELECT v.code, v.visit_date, u.name, v.content FROM {table} JOIN units u ON u.id = v.unit_id WHERE v.unit_id IN ({counted}) AND {cond} ORDER BY v.visit_date DESC, v.id DESC LIMIT {limit}"
                ),
                Source::ReceptionDays => format!(
                    "SELECT s.leader_name, s.scheduled_on, u.name, s.note FROM {table} JOIN units u ON u.id = s.unit_id WHERE s.unit_id IN ({counted}) AND {cond} ORDER BY s.scheduled_on DESC LIMIT {limit}"
                ),
                Source::Activities => format!(
                    "SELECT a.title, a.activity_date, u.name, a.note FROM {table} JOIN units u ON u.id = a.unit_id WHERE a.unit_id IN ({counted}) AND {cond} ORDER BY a.activity_date DESC, a.id DESC LIMIT {limit}"
                ),
            };
            for r in bind(sqlx::query(sqlx::AssertSqlSafe(sql)), &args)
                .fetch_all(&self.pool)
                .await?
            {
                out.push(FigureRecord {
                    kind: match source {
                        Source::Petitions => "petition",
                        Source::Visits => "visit",
                        Source::ReceptionDays => "reception_day",
                        Source::Activities => "activity",
                    },
                    code: r.try_get(0)?,
                    date: r.try_get(1)?,
                    unit: r.try_get(2)?,
                    summary: r.try_get::<Option<String>, _>(3)?.unwrap_or_default(),
                });
            }
        }
        out.sort_by(|a, b| b.date.cmp(&a.date));
        out.truncate(limit.max(0) as usize);
        Ok(out)
    }
}

/// The distinct-case columns of one source: per column, whether a case counts
/// (`MAX(CASE WHEN … THEN 1 ELSE 0 END) AS c{i}`) and how many of its records do (`s{i}`),
/// over the records' table (`source_table`), with the table's parameters.
struct CaseCounts {
    exprs: Vec<String>,
    /// Read over every unit: millions of records at national scale ([`Store::fetch_aggregation`]).
    whole_country: bool,
    table: String,
    args: Vec<SqlArg>,
    alias: &'static str,
    unit_col: &'static str,
    numbers: Vec<u32>,
}

impl CaseCounts {
    /// Per column, the cases counted and their records, over the per-case `c0, s0, c1, …`.
    fn case_sums(&self) -> String {
        (0..self.numbers.len())
            .map(|i| format!("CAST(SUM(c{i}) AS BIGINT), CAST(SUM(s{i}) AS BIGINT)"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// (column, cases less records) from a row of `case_sums` whose first figure is at `at`.
    fn excess(&self, r: &sqlx::any::AnyRow, at: usize) -> Result<Vec<(u32, i64, bool)>> {
        let mut out = vec![];
        for (i, number) in self.numbers.iter().enumerate() {
            let cases = r.try_get::<Option<i64>, _>(at + 2 * i)?.unwrap_or(0);
            let records = r.try_get::<Option<i64>, _>(at + 2 * i + 1)?.unwrap_or(0);
            out.push((*number, cases - records, cases > 0));
        }
        Ok(out)
    }

    /// The records' table joined to (unit, group) pairs as `m.group_no`, then `filter` (a
    /// `WHERE …`, or nothing). The pairs are ids from the database: nothing to escape.
    fn joined(&self, pairs: &[String], filter: &str) -> String {
        format!(
            "{} JOIN (SELECT column1 AS unit_id, column2 AS group_no FROM (VALUES {}) vals) m ON m.unit_id = {}{filter}",
            self.table,
            pairs.join(", "),
            self.unit_col
        )
    }
}

/// Above this many cases spread over several rows, the cases are counted per (row, case)
/// for every case instead (the list would be longer than the statement is worth).
const SPREAD_CASES_LISTED: usize = 20_000;

impl Store {
    /// Distinct cases per group of units less the records that the sums counted, as (column,
    /// group, cases − records): a case counts once however many of its records count. The
    /// records of a case with no other counted one add nothing; for petitions, only the cases
    /// holding several are read (`source_table`'s `shared_only`). When the rows' groups are
    /// disjoint and the last group is the total (a report's shape: the unit itself and each
    /// sub-unit's subtree, then all of them), each record is read once: cases are grouped by
    /// themselves, each with the rows its records fall in — a case within one row counts there
    /// (the common case), every case counts once in the total, and only the few cases spread
    /// over several rows are counted again, row by row, from their own records. Otherwise,
    /// and when those are too many, (group, case) pairs for every group a record's unit is in:
    /// twice the rows to hash for a report with a total (a national year: 9,3 million pairs of
    /// 4,6 million petitions).
    async fn distinct_cases(
        &self,
        q: &CaseCounts,
        groups: &[&BTreeSet<i64>],
    ) -> Result<Vec<(u32, i64, i64)>> {
        let Some((total_group, rows)) = groups.split_last() else {
            return Ok(vec![]);
        };
        let total_no = rows.len() as i64;
        let mut row_of: BTreeMap<i64, i64> = BTreeMap::new();
        let mut disjoint = true;
        for (r, units) in rows.iter().enumerate() {
            for u in units.iter() {
                disjoint &= total_group.contains(u) && row_of.insert(*u, r as i64).is_none();
            }
        }
        if !disjoint {
            return self.cases_by_group(q, groups, None).await;
        }
        // Units of the total in no row count for the total only: a row number past the rows.
        let pairs: Vec<String> = total_group
            .iter()
            .map(|u| format!("({u}, {})", row_of.get(u).copied().unwrap_or(total_no)))
            .collect();
        if pairs.is_empty() {
            return Ok(vec![]);
        }
        let a = q.alias;
        // Per case: the row its records fall in (-1 when several, the case then listed). A case
        // with one record here adds nothing (its one record counts once either way) and is
        // left out before the second grouping: a province-year's 117.232 cases become 17.386.
        let sql = format!(
            "SELECT CAST(r AS BIGINT), CAST(spread AS BIGINT), {} FROM (SELECT \
             CASE WHEN MIN(m.group_no) = MAX(m.group_no) THEN MIN(m.group_no) ELSE -1 END AS r, \
             CASE WHEN MIN(m.group_no) = MAX(m.group_no) THEN NULL ELSE {a}.case_id END AS spread, {} \
             FROM {} GROUP BY {a}.case_id HAVING COUNT(*) > 1) x GROUP BY r, spread",
            q.case_sums(),
            q.exprs.join(", "),
            q.joined(&pairs, ""),
        );
        let found = self
            .fetch_aggregation(
                bind(sqlx::query(sqlx::AssertSqlSafe(sql)), &q.args),
                q.whole_country,
            )
            .await?;
        let mut out: BTreeMap<(u32, i64), i64> = BTreeMap::new();
        let mut spread: Vec<Option<i64>> = vec![];
        for r in &found {
            let row: i64 = r.try_get(0)?;
            let case: Option<i64> = r.try_get(1)?;
            let mut counts = false;
            for (number, excess, counted) in q.excess(r, 2)? {
                counts |= counted;
                *out.entry((number, total_no)).or_default() += excess;
                if (0..total_no).contains(&row) {
                    *out.entry((number, row)).or_default() += excess;
                }
            }
            if row < 0 && counts {
                spread.push(case);
            }
        }
        if spread.len() > SPREAD_CASES_LISTED {
            return self.cases_by_group(q, groups, None).await;
        }
        if !spread.is_empty() {
            for (number, row, n) in self.cases_by_group(q, rows, Some(&spread)).await? {
                *out.entry((number, row)).or_default() += n;
            }
        }
        Ok(out.into_iter().map(|((c, g), n)| (c, g, n)).collect())
    }

    /// Distinct cases less records per group of units from (group, case) pairs, for every
    /// group a record's unit is in; only the listed cases (`None` in the list: records without a case) when
    /// `only` is given.
    async fn cases_by_group(
        &self,
        q: &CaseCounts,
        groups: &[&BTreeSet<i64>],
        only: Option<&[Option<i64>]>,
    ) -> Result<Vec<(u32, i64, i64)>> {
        let a = q.alias;
        // (unit, group) pairs; ids from the database, nothing to escape.
        let pairs: Vec<String> = groups
            .iter()
            .enumerate()
            .flat_map(|(g, units)| units.iter().map(move |u| format!("({u}, {g})")))
            .collect();
        if pairs.is_empty() {
            return Ok(vec![]);
        }
        let listed = match only {
            None => String::new(),
            Some(cases) => {
                let ids: Vec<String> = cases.iter().flatten().map(i64::to_string).collect();
                let mut any = vec![];
                if !ids.is_empty() {
                    any.push(format!("{a}.case_id IN ({})", ids.join(", ")));
                }
                if cases.contains(&None) {
                    any.push(format!("{a}.case_id IS NULL"));
                }
                format!(" WHERE ({})", any.join(" OR "))
            }
        };
        // Two levels of grouping, both hashed: (group, case) → whether the case counts
        // in each column, then the cases per group (COUNT(DISTINCT) sorted on disk).
        let sql = format!(
            "SELECT CAST(g AS BIGINT), {} FROM (SELECT m.group_no AS g, {a}.case_id, {} FROM {} \
             GROUP BY m.group_no, {a}.case_id) x GROUP BY g",
            q.case_sums(),
            q.exprs.join(", "),
            q.joined(&pairs, &listed),
        );
        let rows = bind(sqlx::query(sqlx::AssertSqlSafe(sql)), &q.args)
            .fetch_all(&self.pool)
            .await?;
        let mut found = vec![];
        for r in &rows {
            let group: i64 = r.try_get(0)?;
            for (number, excess, _) in q.excess(r, 1)? {
                found.push((number, group, excess));
            }
        }
        Ok(found)
    }
}

#[derive(Default)]
struct PerUnit {
    /// (column, unit) → records or people (for a case column, records).
    sums: HashMap<(u32, i64), i64>,
    /// (column, group of units) → distinct cases less records (zero or below): added to the
    /// records summed, the distinct cases.
    cases: HashMap<(u32, usize), i64>,
}

impl Store {
    /// The form as a Word report in the NĐ 30/2020 layout: the unit's letterhead, the narrative
    /// summary of the same period and unit, then the table.
    pub async fn report_docx(&self, report: &Report, today: chrono::NaiveDate) -> Result<Vec<u8>> {
        use chrono::Datelike;
        let units = self.units().await?;
        let unit = units
            .iter()
            .find(|u| u.code == report.unit)
            .ok_or(StoreError::NotFound)?;
        let parent = unit
            .parent_id
            .and_then(|p| units.iter().find(|u| u.id == p))
            .map(|u| u.name.clone())
            .unwrap_or_default();
        // The place of the date line: the province the unit belongs to.
        let root = crate::units::document_place(&units, &unit.path);
        let summary = self
            .summary(report.from, report.to, Some(&report.unit))
            .await?;
        let head = danvan_reports::docx::Letterhead {
            parent_body: parent,
            body: unit.name.clone(),
            number: "Số:\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}/BC".into(),
            place_date: format!(
                "{}ngày {} tháng {} năm {}",
                if root.is_empty() {
                    String::new()
                } else {
                    format!("{root}, ")
                },
                today.day(),
                today.month(),
                today.year()
            ),
            kind: "Báo cáo".into(),
            title: format!(
                "{} từ ngày {} đến ngày {}",
                report.title,
                report.from.format("%d/%m/%Y"),
                report.to.format("%d/%m/%Y")
            ),
        };
        danvan_reports::docx::report_document(
            &head,
            &[summary.text()],
            std::slice::from_ref(report),
        )
        .map_err(|e| StoreError::Corrupt(format!("tạo tệp Word: {e}")))
    }
}

/// The figures behind the charts of a unit over a period.
#[derive(Debug, Clone, Default)]
pub struct ChartData {
    /// (YYYY-MM, visits, petitions), oldest first.
    pub by_month: Vec<(String, i64, i64)>,
    /// (field code, petitions received), most first.
    pub by_field: Vec<(String, i64)>,
    /// (decision code or "none", petitions), most first.
    pub outcomes: Vec<(String, i64)>,
    /// (unit name, running clocks past their end), most first.
    pub overdue_by_unit: Vec<(String, i64)>,
}

impl Store {
    /// Visits and petitions by month, petitions by field and by handling decision, and overdue
    /// clocks by unit, for a unit's scope and a period: three grouped queries side by side (the
    /// petitions' three breakdowns come from one read, grouped by month, field and decision at
    /// once). Whole months are read from `monthly_counts`, loose days from the records.
    pub async fn chart_data(
        &self,
        unit_code: &str,
        period: Period,
        today: chrono::NaiveDate,
    ) -> Result<ChartData> {
        let (_, total, _) = self.report_rows(unit_code).await?;
        let ids = total
            .unit_ids
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        if ids.is_empty() {
            return Ok(ChartData::default());
        }
        // (keys…, count) rows of a grouped statement; a NULL key reads "none".
        let grouped = |sql: String, a: Vec<String>, keys: usize| async move {
            // Planned for its dates each time, as `bind` does.
            let mut q = sqlx::query(sqlx::AssertSqlSafe(sql)).persistent(false);
            for v in a {
                q = q.bind(v);
            }
            let rows = q.fetch_all(&self.pool).await?;
            rows.iter()
                .map(|r| {
                    let mut key = vec![];
                    for i in 0..keys {
                        key.push(
                            r.try_get::<Option<String>, _>(i)?
                                .unwrap_or_else(|| "none".into()),
                        );
                    }
                    Ok((key, r.try_get::<i64, _>(keys)?))
                })
                .collect::<Result<Vec<(Vec<String>, i64)>>>()
        };
        // The period's whole months from the counts kept per month (`monthly_counts`), its
        // loose days (a cut-off period's half-months) from the records. A count left at zero
        // (its records moved or deleted) draws nothing, as a month without records.
        let danvan_reports::MonthSplit { months, loose } = period.whole_months();
        let (mut visit_parts, mut visit_args) = (vec![], vec![]);
        let (mut petition_parts, mut petition_args) = (vec![], vec![]);
        let range = |args: &mut Vec<String>, a: String, b: String| {
            args.push(a);
            args.push(b);
            (format!("${}", args.len() - 1), format!("${}", args.len()))
        };
        if let Some((first, last)) = months {
            let (a, b) = range(&mut visit_args, first.clone(), last.clone());
            visit_parts.push(format!(
                "SELECT month AS m, n FROM monthly_counts WHERE register = 'visits' AND unit_id IN ({ids}) AND month >= {a} AND month <= {b}"
            ));
            let (a, b) = range(&mut petition_args, first, last);
            petition_parts.push(format!(
                "SELECT month AS m, field_code AS f, NULLIF(decision, '') AS d, n FROM monthly_counts \
                 WHERE register = 'petitions' AND unit_id IN ({ids}) AND month >= {a} AND month <= {b}"
            ));
        }
        for (from, to) in loose {
            let (a, b) = range(&mut visit_args, from.to_string(), to.to_string());
            visit_parts.push(format!(
                "SELECT SUBSTR(visit_date, 1, 7) AS m, COUNT(*) AS n FROM visits \
                 WHERE unit_id IN ({ids}) AND refused = 0 AND visit_date >= {a} AND visit_date <= {b} GROUP BY 1"
            ));
            let (a, b) = range(&mut petition_args, from.to_string(), to.to_string());
            petition_parts.push(format!(
                "SELECT SUBSTR(received_date, 1, 7) AS m, field_code AS f, decision AS d, COUNT(*) AS n FROM petitions \
                 WHERE unit_id IN ({ids}) AND received_date >= {a} AND received_date <= {b} GROUP BY 1, 2, 3"
            ));
        }
        let (visits, petitions, overdue) = tokio::try_join!(
            grouped(
                format!(
                    "SELECT m, CAST(SUM(n) AS BIGINT) FROM ({}) x GROUP BY m HAVING SUM(n) <> 0",
                    visit_parts.join(" UNION ALL ")
                ),
                visit_args,
                1,
            ),
            grouped(
                format!(
                    "SELECT m, f, d, CAST(SUM(n) AS BIGINT) FROM ({}) x GROUP BY m, f, d HAVING SUM(n) <> 0",
                    petition_parts.join(" UNION ALL ")
                ),
                petition_args,
                3,
            ),
            grouped(
                format!(
                    "SELECT u.name, COUNT(*) FROM clocks k JOIN units u ON u.id = k.unit_id WHERE k.unit_id IN ({ids}) AND k.state = 'running' AND k.due_on < $1 GROUP BY u.name"
                ),
                vec![today.to_string()],
                1,
            ),
        )?;
        let mut months: BTreeMap<String, (i64, i64)> = BTreeMap::new();
        let mut by_field: BTreeMap<String, i64> = BTreeMap::new();
        let mut outcomes: BTreeMap<String, i64> = BTreeMap::new();
        for (mut key, n) in visits {
            months.entry(key.swap_remove(0)).or_default().0 = n;
        }
        for (key, n) in petitions {
            if let [month, field, decision] = &key[..] {
                months.entry(month.clone()).or_default().1 += n;
                *by_field.entry(field.clone()).or_default() += n;
                *outcomes.entry(decision.clone()).or_default() += n;
            }
        }
        // Most first; ties in the order of their codes (names), the same on both backends.
        let most_first = |m: BTreeMap<String, i64>| {
            let mut v: Vec<(String, i64)> = m.into_iter().collect();
            v.sort_by_key(|x| std::cmp::Reverse(x.1));
            v
        };
        let overdue_by_unit = most_first(
            overdue
                .into_iter()
                .map(|(mut k, n)| (k.swap_remove(0), n))
                .collect(),
        );
        Ok(ChartData {
            by_month: months.into_iter().map(|(m, (v, p))| (m, v, p)).collect(),
            by_field: most_first(by_field),
            outcomes: most_first(outcomes),
            overdue_by_unit,
        })
    }
}

/// A report as it was submitted.
#[derive(Debug, Clone)]
pub struct Submitted {
    pub report: Report,
    pub by: String,
    pub at: String,
}

impl Store {
    /// Freezes a report as submitted by the unit (its leaders and administrators): the figures
    /// are kept as they are now, with who and when, in one transaction with the audit row.
    pub async fn submit_report(&self, actor: &Actor, report: &Report) -> Result<()> {
        let unit = self
            .unit_by_code(&report.unit)
            .await?
            .ok_or(StoreError::NotFound)?;
        let leader = matches!(
            actor.role,
            danvan_domain::Role::Head | danvan_domain::Role::Deputy | danvan_domain::Role::Admin
        );
        if !actor.may(Action::ViewRecord(RecordRef {
            unit_path: &unit.path,
        })) || !leader
        {
            return Err(StoreError::Forbidden);
        }
        let json = serde_json::to_string(report)
            .map_err(|e| StoreError::Corrupt(format!("báo cáo: {e}")))?;
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO submitted_reports (unit_id, form_set, form, period_from, period_to, report_json, submitted_by, submitted_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
            .bind(unit.id)
            .bind(report.form_set.clone())
            .bind(report.form.clone())
            .bind(report.from.to_string())
            .bind(report.to.to_string())
            .bind(json)
            .bind(actor.user_id)
            .bind(crate::now_utc())
            .execute(&mut *tx)
            .await?;
        crate::audit::record(
            &mut tx,
            Some(actor.user_id),
            "submit",
            "report",
            &format!(
                "{} {} {}–{}",
                report.unit, report.form, report.from, report.to
            ),
            &format!("tổng cột (1): {}", report.total_of(1).unwrap_or(0)),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The latest submission of a form for a unit and period, if any.
    pub async fn submitted_report(&self, report: &Report) -> Result<Option<Submitted>> {
        let Some(unit) = self.unit_by_code(&report.unit).await? else {
            return Ok(None);
        };
        let row = sqlx::query("SELECT s.report_json, COALESCE(u.full_name, ''), s.submitted_at FROM submitted_reports s LEFT JOIN users u ON u.id = s.submitted_by WHERE s.unit_id = $1 AND s.form = $2 AND s.form_set = $3 AND s.period_from = $4 AND s.period_to = $5 ORDER BY s.id DESC LIMIT 1")
            .bind(unit.id)
            .bind(report.form.clone())
            .bind(report.form_set.clone())
            .bind(report.from.to_string())
            .bind(report.to.to_string())
            .fetch_optional(&self.pool)
            .await?;
        let Some(r) = row else { return Ok(None) };
        let json: String = r.try_get(0)?;
        Ok(Some(Submitted {
            report: serde_json::from_str(&json)
                .map_err(|e| StoreError::Corrupt(format!("báo cáo đã nộp: {e}")))?,
            by: r.try_get(1)?,
            at: r.try_get(2)?,
        }))
    }
}
