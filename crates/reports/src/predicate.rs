//! The language a report column is written in: a predicate over one kind of record and what to
//! count. One definition, two evaluations — compiled to SQL for speed ([`Pred::sql`]) and
//! evaluated over records in memory ([`Pred::eval`]) — so a test can check that the database
//! says what the definition means.

use crate::period::Period;
use serde::Serialize;
use std::collections::BTreeMap;

/// The records a column counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// Petitions (sổ xử lý đơn).
    Petitions,
    /// Visits (sổ tiếp công dân), refusals excluded.
    Visits,
    /// The heads' reception days (lịch tiếp công dân).
    ReceptionDays,
    /// State-management activities on complaints and denunciations (inspections,
    /// dissemination, documents: form 06/QLKNTC).
    Activities,
}

/// The fields a predicate may name, per source, with their SQL expressions. A field outside
/// this list is a programming error caught by the tests of every form.
pub fn column(source: Source, field: &str) -> Option<&'static str> {
    Some(match (source, field) {
        (Source::Petitions, "received_date") => "p.received_date",
        (Source::Petitions, "sender_kind") => "p.sender_kind",
        (Source::Petitions, "petition_type") => "p.petition_type",
        (Source::Petitions, "field_code") => "p.field_code",
        (Source::Petitions, "decision") => "p.decision",
        (Source::Petitions, "decision_date") => "p.decision_date",
        (Source::Petitions, "eligible") => "p.eligible",
        (Source::Petitions, "competent") => "p.competent",
        (Source::Petitions, "instance") => "p.instance",
        (Source::Petitions, "earlier_settlement") => "p.earlier_settlement",
        (Source::Petitions, "accepted_on") => "p.accepted_on",
        (Source::Petitions, "result_on") => "p.result_on",
        (Source::Petitions, "case_id") => "p.case_id",
        (Source::Petitions, "reply_on") => "p.reply_on",
        // Settlement: from acceptance (thụ lý, or an "accept" decision) to the result.
        (Source::Petitions, "settle_from") => "p.settle_from",
        (Source::Petitions, "result_kind") => "p.result_kind",
        (Source::Petitions, "recovered_money") => "p.recovered_money",
        (Source::Petitions, "recovered_land") => "p.recovered_land",
        (Source::Petitions, "restored_people") => "p.restored_people",
        // The settlement clock's state: done (in time) or done_late.
        (Source::Petitions, "settle_state") => "p.settle_state",
        (Source::Petitions, "execution") => "p.execution",
        (Source::Petitions, "execution_on") => "p.execution_on",
        (Source::Visits, "visit_date") => "v.visit_date",
        (Source::Visits, "kind") => "v.kind",
        (Source::Visits, "is_group") => "v.is_group",
        (Source::Visits, "headcount") => "v.headcount",
        (Source::Visits, "first_time") => "v.first_time",
        (Source::Visits, "petition_type") => "v.petition_type",
        (Source::Visits, "field_code") => "v.field_code",
        (Source::Visits, "case_id") => "v.case_id",
        (Source::ReceptionDays, "scheduled_on") => "s.scheduled_on",
        (Source::ReceptionDays, "held") => "s.held",
        (Source::Activities, "activity_date") => "a.activity_date",
        (Source::Activities, "kind") => "a.kind",
        (Source::Activities, "units_covered") => "a.units_covered",
        (Source::Activities, "units_in_breach") => "a.units_in_breach",
        (Source::Activities, "people_recommended") => "a.people_recommended",
        (Source::Activities, "participants") => "a.participants",
        _ => return None,
    })
}

/// A value in a record, for the in-memory evaluation. Dates are ISO text (they order as text).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub enum Val {
    Null,
    Int(i64),
    Text(String),
}

/// One record as the predicates see it.
#[derive(Debug, Clone, Default, Serialize)]
pub struct Fact {
    pub unit_id: i64,
    pub id: i64,
    pub fields: BTreeMap<&'static str, Val>,
}

impl Fact {
    fn get(&self, field: &str) -> &Val {
        self.fields.get(field).unwrap_or(&Val::Null)
    }
}

/// A bound value for the compiled SQL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SqlArg {
    Text(String),
    Int(i64),
}

/// A predicate over one record, in a period.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Pred {
    True,
    All(Vec<Pred>),
    Any(Vec<Pred>),
    Not(Box<Pred>),
    /// Text field equals.
    Is(&'static str, &'static str),
    /// Integer field equals.
    IsInt(&'static str, i64),
    /// Text field is one of.
    In(&'static str, &'static [&'static str]),
    Null(&'static str),
    /// Date field within the period.
    InPeriod(&'static str),
    /// Date field before the period starts.
    BeforeStart(&'static str),
    /// Date field set and on or before the period's end.
    ByEnd(&'static str),
    /// Date field empty, or on or after the period's start (still open when it began).
    OpenAtStart(&'static str),
    /// Date field empty, or after the period's end (still open when it ended).
    OpenAtEnd(&'static str),
}

impl Pred {
    pub fn all(v: Vec<Pred>) -> Pred {
        Pred::All(v)
    }
    pub fn negate(p: Pred) -> Pred {
        Pred::Not(Box::new(p))
    }

    /// The fields the predicate reads (for the tests that check every form against the source).
    pub fn fields(&self, out: &mut Vec<&'static str>) {
        match self {
            Pred::True => {}
            Pred::All(v) | Pred::Any(v) => v.iter().for_each(|p| p.fields(out)),
            Pred::Not(p) => p.fields(out),
            Pred::Is(f, _)
            | Pred::IsInt(f, _)
            | Pred::In(f, _)
            | Pred::Null(f)
            | Pred::InPeriod(f)
            | Pred::BeforeStart(f)
            | Pred::ByEnd(f)
            | Pred::OpenAtStart(f)
            | Pred::OpenAtEnd(f) => out.push(f),
        }
    }

    /// SQL for this predicate; values are pushed to `args` and named `$n` by their position.
    pub fn sql(&self, source: Source, period: Period, args: &mut Vec<SqlArg>) -> String {
        self.sql_in(source, period, args, false)
    }

    /// Under a `NOT` every leaf is made two-valued (`COALESCE(…, FALSE)`), so that `NOT` means
    /// what it means in memory; elsewhere a NULL leaf already counts as false, and the plain
    /// comparison is cheaper.
    fn sql_in(
        &self,
        source: Source,
        period: Period,
        args: &mut Vec<SqlArg>,
        negated: bool,
    ) -> String {
        let col = |f: &str| column(source, f).unwrap_or("NULL");
        let arg = |a: SqlArg, args: &mut Vec<SqlArg>| {
            args.push(a);
            format!("${}", args.len())
        };
        let two_valued = |e: String| {
            if negated {
                format!("COALESCE({e}, FALSE)")
            } else {
                format!("({e})")
            }
        };
        let from = period.from.to_string();
        let to = period.to.to_string();
        match self {
            Pred::True => "1=1".into(),
            Pred::All(v) if v.is_empty() => "1=1".into(),
            Pred::Any(v) if v.is_empty() => "1=0".into(),
            Pred::All(v) => format!(
                "({})",
                v.iter()
                    .map(|p| p.sql_in(source, period, args, negated))
                    .collect::<Vec<_>>()
                    .join(" AND ")
            ),
            Pred::Any(v) => format!(
                "({})",
                v.iter()
                    .map(|p| p.sql_in(source, period, args, negated))
                    .collect::<Vec<_>>()
                    .join(" OR ")
            ),
            Pred::Not(p) => format!("NOT {}", p.sql_in(source, period, args, true)),
            Pred::Is(f, v) => two_valued(format!(
                "{} = {}",
                col(f),
                arg(SqlArg::Text((*v).into()), args)
            )),
            Pred::IsInt(f, v) => two_valued(format!("{} = {}", col(f), arg(SqlArg::Int(*v), args))),
            Pred::In(f, vs) => {
                if vs.is_empty() {
                    return "1=0".into();
                }
                let list: Vec<String> = vs
                    .iter()
                    .map(|v| arg(SqlArg::Text((*v).into()), args))
                    .collect();
                two_valued(format!("{} IN ({})", col(f), list.join(", ")))
            }
            Pred::Null(f) => format!("({} IS NULL)", col(f)),
            Pred::InPeriod(f) => {
                let a = arg(SqlArg::Text(from), args);
                let b = arg(SqlArg::Text(to), args);
                two_valued(format!("{c} >= {a} AND {c} <= {b}", c = col(f)))
            }
            Pred::BeforeStart(f) => {
                two_valued(format!("{} < {}", col(f), arg(SqlArg::Text(from), args)))
            }
            Pred::ByEnd(f) => two_valued(format!("{} <= {}", col(f), arg(SqlArg::Text(to), args))),
            Pred::OpenAtStart(f) => format!(
                "({c} IS NULL OR {c} >= {})",
                arg(SqlArg::Text(from), args),
                c = col(f)
            ),
            Pred::OpenAtEnd(f) => format!(
                "({c} IS NULL OR {c} > {})",
                arg(SqlArg::Text(to), args),
                c = col(f)
            ),
        }
    }

    /// The same predicate over a record in memory.
    pub fn eval(&self, fact: &Fact, period: Period) -> bool {
        let from = Val::Text(period.from.to_string());
        let to = Val::Text(period.to.to_string());
        match self {
            Pred::True => true,
            Pred::All(v) => v.iter().all(|p| p.eval(fact, period)),
            Pred::Any(v) => v.iter().any(|p| p.eval(fact, period)),
            Pred::Not(p) => !p.eval(fact, period),
            Pred::Is(f, v) => *fact.get(f) == Val::Text((*v).into()),
            Pred::IsInt(f, v) => *fact.get(f) == Val::Int(*v),
            Pred::In(f, vs) => vs.iter().any(|v| *fact.get(f) == Val::Text((*v).into())),
            Pred::Null(f) => *fact.get(f) == Val::Null,
            Pred::InPeriod(f) => {
                let x = fact.get(f);
                *x != Val::Null && *x >= from && *x <= to
            }
            Pred::BeforeStart(f) => {
                let x = fact.get(f);
                *x != Val::Null && *x < from
            }
            Pred::ByEnd(f) => {
                let x = fact.get(f);
                *x != Val::Null && *x <= to
            }
            Pred::OpenAtStart(f) => {
                let x = fact.get(f);
                *x == Val::Null || *x >= from
            }
            Pred::OpenAtEnd(f) => {
                let x = fact.get(f);
                *x == Val::Null || *x > to
            }
        }
    }
}

/// What a column counts among the records its predicate keeps.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Measure {
    Records,
    /// Distinct cases (vụ việc).
    Cases,
    /// People: the headcount of visits.
    People,
    /// The sum of an amount of the records (money, land, people restored).
    Sum(&'static str),
}
