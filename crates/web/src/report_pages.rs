//! The official forms on screen: choose a form, a period (presets of TT 01/2024, calendar
//! periods, any range) and a unit; the table carries the form's numbered columns; every figure
//! opens the records behind it (for readers who may see records), and the form downloads as CSV.

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::error::WebError;
use crate::pages::{Chrome, chrome, render};
use crate::view::{Opt, date, num, qs};
use askama::Template;
use axum::extract::{Query, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use chrono::Datelike;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::format::parse_date;
use danvan_reports::{Period, canonical_code, set_by_code, set_on};
use std::collections::HashMap;

#[derive(Template)]
#[template(path = "reports.html")]
struct ReportsPage {
    chrome: Chrome,
    forms: Vec<Opt>,
    presets: Vec<Opt>,
    units: Vec<Opt>,
    from: String,
    to: String,
    table: Option<Table>,
    error: String,
    csv_link: String,
    charts: Vec<String>,
}

struct Table {
    title: String,
    set_name: String,
    period: String,
    /// (group heading, span) over the columns.
    groups: Vec<(String, usize)>,
    columns: Vec<(u32, String)>,
    rows: Vec<(String, Vec<Cell>)>,
    total: Vec<Cell>,
    /// "Đã nộp ngày … bởi …", when a submission exists.
    submitted: String,
    /// The form as a submission would send it (hidden fields of the submit button).
    key: (String, String, String, String, String),
    may_submit: bool,
    notes: Vec<String>,
}

/// A figure: today's value, the link to its records, and the submitted value when it differs.
pub struct Cell {
    pub value: String,
    pub link: String,
    pub submitted: String,
}

/// A form asked for, checked: which, for when, for which unit (the reader may read its figures),
/// and whether the reader may also open the records behind them.
struct Asked {
    set: danvan_reports::FormSet,
    form: danvan_reports::Form,
    period: Period,
    unit_code: String,
    may_open: bool,
}

impl Asked {
    async fn compute(&self, state: &AppState) -> Result<danvan_reports::Report, WebError> {
        Ok(state
            .store
            .compute_report(&self.set, &self.form, self.period, &self.unit_code)
            .await?)
    }
}

/// The form the query asks for, if any; a clear message when it cannot be drawn up.
async fn asked(
    state: &AppState,
    user: &SessionUser,
    q: &HashMap<String, String>,
) -> Result<Option<Asked>, WebError> {
    let Some(form) = q.get("form").filter(|f| !f.is_empty()) else {
        return Ok(None);
    };
    let period = match q.get("preset").filter(|p| !p.is_empty()) {
        Some(p) => Period::preset(p).map_err(|e| WebError::BadRequest(e.to_string()))?,
        None => {
            let from = q
                .get("from")
                .and_then(|d| parse_date(d))
                .ok_or_else(|| WebError::BadRequest("Từ ngày không hợp lệ (dd/mm/yyyy)".into()))?;
            let to = q
                .get("to")
                .and_then(|d| parse_date(d))
                .ok_or_else(|| WebError::BadRequest("Đến ngày không hợp lệ (dd/mm/yyyy)".into()))?;
            Period::new(from, to).map_err(|e| WebError::BadRequest(format!("Kỳ báo cáo: {e}")))?
        }
    };
    let set = match q.get("set").filter(|s| !s.is_empty()) {
        Some(code) => {
            set_by_code(code).ok_or_else(|| WebError::BadRequest("Không có bộ biểu này".into()))?
        }
        None => set_on(period.to),
    };
    let code = canonical_code(form);
    let f = set.forms.iter().find(|f| f.code == code).ok_or_else(|| {
        WebError::BadRequest(format!(
            "{} không có biểu {code} (kỳ kết thúc ngày {})",
            set.name,
            date(period.to)
        ))
    })?;
    let unit_code = match q.get("unit").filter(|u| !u.is_empty()) {
        Some(u) => u.clone(),
        None => state.store.unit_by_id(user.actor.unit_id).await?.code,
    };
    let unit = state
        .store
        .unit_by_code(&unit_code)
        .await?
        .ok_or(WebError::NotFound)?;
    if !user.actor.may(Action::ViewAggregates(RecordRef {
        unit_path: &unit.path,
    })) {
        return Err(WebError::Forbidden);
    }
    let may_open = user.actor.may(Action::ViewRecord(RecordRef {
        unit_path: &unit.path,
    }));
    Ok(Some(Asked {
        form: f.clone(),
        set,
        period,
        unit_code,
        may_open,
    }))
}

/// A form as a file (csv, xlsx, docx): the form computed alone, without the page's charts.
async fn download(
    state: &AppState,
    user: &SessionUser,
    q: &HashMap<String, String>,
    format: &str,
) -> Result<Response, WebError> {
    let a = match asked(state, user, q).await? {
        Some(a) => a,
        None => return Err(WebError::BadRequest("Chọn biểu và kỳ báo cáo".into())),
    };
    let r = a.compute(state).await?;
    let name = format!(
        "bieu-{}-{}-{}.{format}",
        r.form.replace('/', "-"),
        r.from,
        r.to
    );
    let (kind, bytes) = match format {
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            danvan_reports::xlsx::workbook(std::slice::from_ref(&r))
                .map_err(|e| WebError::Internal(format!("Không tạo được tệp Excel: {e}")))?,
        ),
        "docx" => (
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            state.store.report_docx(&r, state.today()).await?,
        ),
        _ => ("text/csv; charset=utf-8", r.csv().into_bytes()),
    };
    Ok((
        [
            (header::CONTENT_TYPE, kind.to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

/// GET /reports
pub async fn reports(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    if let Some(format) = q
        .get("format")
        .filter(|f| matches!(f.as_str(), "csv" | "xlsx" | "docx"))
    {
        return download(&state, &user, &q, format).await;
    }
    let year = state.today().year();
    let chosen = |k: &str| q.get(k).cloned().unwrap_or_default();
    // Every form code of every set, newest set's title first; the code resolves in the set
    // in force on the period's end when the form is drawn up.
    let mut forms: Vec<Opt> = vec![];
    for set in danvan_reports::form_sets().iter().rev() {
        for f in &set.forms {
            if forms.iter().all(|o| o.code != f.code.replace('/', "-")) {
                forms.push(Opt {
                    code: f.code.replace('/', "-"),
                    label: format!("{} — {}", f.code, f.title),
                    selected: canonical_code(&chosen("form")) == f.code,
                });
            }
        }
    }
    forms.sort_by(|a, b| a.code.cmp(&b.code));
    let mut presets: Vec<Opt> = vec![Opt {
        code: String::new(),
        label: "(theo ngày chọn)".into(),
        selected: chosen("preset").is_empty(),
    }];
    for y in [year, year - 1, year - 2, year - 3, year - 4] {
        for (code, label) in Period::presets(y) {
            presets.push(Opt {
                selected: chosen("preset") == code,
                code,
                label,
            });
        }
    }
    let units = state
        .store
        .units()
        .await?
        .into_iter()
        .filter(|u| {
            user.actor
                .may(Action::ViewAggregates(RecordRef { unit_path: &u.path }))
                && u.valid_to.is_none()
        })
        .map(|u| Opt {
            selected: chosen("unit") == u.code,
            code: u.code,
            label: format!(
                "{}{}",
                "· ".repeat(u.path.matches('/').count().saturating_sub(2)),
                u.name
            ),
        })
        .collect();
    let mut svg = vec![];
    let drawn = match asked(&state, &user, &q).await {
        Ok(Some(a)) => {
            // The form and its charts side by side: both read the unit's period, and at
            // 10M from disk the first time, where their reads overlap.
            let (report, charts) =
                tokio::join!(a.compute(&state), charts(&state, &a.unit_code, a.period));
            report.map(|r| Some((a, r, charts)))
        }
        Ok(None) => Ok(None),
        Err(e) => Err(e),
    };
    let (table, error) = match drawn {
        Ok(Some((a, r, charts))) => {
            svg = charts?;
            let submitted = state.store.submitted_report(&r).await?;
            let may_submit = a.may_open
                && matches!(
                    user.actor.role,
                    danvan_domain::Role::Head
                        | danvan_domain::Role::Deputy
                        | danvan_domain::Role::Admin
                );
            (
                Some(table(&r, a.may_open, submitted.as_ref(), may_submit)),
                String::new(),
            )
        }
        Ok(None) => (None, String::new()),
        Err(WebError::BadRequest(m)) => (None, m),
        Err(e) => return Err(e),
    };
    let csv_link: String = q
        .iter()
        .filter(|(k, _)| k.as_str() != "format")
        .map(|(k, v)| format!("{}={}", qs(k), qs(v)))
        .collect::<Vec<_>>()
        .join("&");
    Ok(render(ReportsPage {
        chrome: chrome(&user, "summary"),
        forms,
        presets,
        units,
        from: chosen("from"),
        to: chosen("to"),
        table,
        error,
        csv_link,
        charts: svg,
    }))
}

fn table(
    r: &danvan_reports::Report,
    may_open: bool,
    submitted: Option<&danvan_store::reports::Submitted>,
    may_submit: bool,
) -> Table {
    let mut groups: Vec<(String, usize)> = vec![];
    for c in &r.columns {
        let g = c.groups.first().cloned().unwrap_or_default();
        match groups.last_mut() {
            Some((last, span)) if *last == g => *span += 1,
            _ => groups.push((g, 1)),
        }
    }
    let link = |unit: &str, number: u32| {
        if may_open {
            format!(
                "/reports/records?form={}&set={}&col={number}&row={}&from={}&to={}",
                qs(&r.form),
                qs(&r.form_set),
                qs(unit),
                r.from,
                r.to
            )
        } else {
            String::new()
        }
    };
    // The submitted figures of the same row (by its label), to show where today's differ.
    let before = |label: &str| -> Option<Vec<i64>> {
        submitted?
            .report
            .rows
            .iter()
            .find(|x| x.label == label)
            .map(|x| x.values.clone())
    };
    let cells = |unit: &str, values: &[i64], old: Option<Vec<i64>>| -> Vec<Cell> {
        r.columns
            .iter()
            .zip(values)
            .enumerate()
            .map(|(i, (c, v))| Cell {
                value: num(*v),
                link: if *v > 0 {
                    link(unit, c.number)
                } else {
                    String::new()
                },
                submitted: match old.as_ref().and_then(|o| o.get(i)) {
                    Some(o) if o != v => num(*o),
                    _ => String::new(),
                },
            })
            .collect()
    };
    let total_before = submitted.map(|s| s.report.total.values.clone());
    Table {
        title: format!("Biểu số {} — {}", r.form, r.title),
        set_name: r.form_set_name.clone(),
        period: format!("{} – {} · {}", date(r.from), date(r.to), r.unit_name),
        groups,
        columns: r
            .columns
            .iter()
            .map(|c| {
                let rest: Vec<&str> = c
                    .groups
                    .iter()
                    .skip(1)
                    .map(String::as_str)
                    .chain(std::iter::once(c.heading.as_str()))
                    .collect();
                (c.number, rest.join(" · "))
            })
            .collect(),
        rows: r
            .rows
            .iter()
            .map(|row| {
                (
                    row.label.clone(),
                    cells(&row.unit_code, &row.values, before(&row.label)),
                )
            })
            .collect(),
        total: cells(&r.unit, &r.total.values, total_before),
        submitted: submitted
            .map(|s| format!("Đã nộp lúc {} bởi {}", crate::view::timestamp(&s.at), s.by))
            .unwrap_or_default(),
        key: (
            r.form.clone(),
            r.form_set.clone(),
            r.from.to_string(),
            r.to.to_string(),
            r.unit.clone(),
        ),
        may_submit,
        notes: r.notes.clone(),
    }
}

/// POST /reports/submit: freeze the form as the unit sends it.
pub async fn submit(
    State(state): State<AppState>,
    user: SessionUser,
    axum::Form(form): axum::Form<Vec<(String, String)>>,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let set = set_by_code(f.v("set")).ok_or(WebError::NotFound)?;
    let form = set
        .forms
        .iter()
        .find(|x| x.code == canonical_code(f.v("form")))
        .ok_or(WebError::NotFound)?;
    let day = |k: &str| chrono::NaiveDate::parse_from_str(f.v(k), "%Y-%m-%d").ok();
    let (Some(from), Some(to)) = (day("from"), day("to")) else {
        return Err(WebError::BadRequest("Kỳ báo cáo không hợp lệ".into()));
    };
    let period = Period::new(from, to).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let unit = state
        .store
        .unit_by_code(f.v("unit"))
        .await?
        .ok_or(WebError::NotFound)?;
    if !user.actor.may(Action::ViewAggregates(RecordRef {
        unit_path: &unit.path,
    })) {
        return Err(WebError::NotFound);
    }
    let report = state
        .store
        .compute_report(&set, form, period, &unit.code)
        .await?;
    state.store.submit_report(&user.actor, &report).await?;
    Ok(axum::response::Redirect::to(&format!(
        "/reports?form={}&set={}&from={}&to={}&unit={}",
        qs(&form.code.replace('/', "-")),
        qs(set.code),
        date(from),
        date(to),
        qs(&unit.code)
    ))
    .into_response())
}

#[derive(Template)]
#[template(path = "report_records.html")]
struct RecordsPage {
    chrome: Chrome,
    heading: String,
    records: Vec<danvan_store::reports::FigureRecord>,
}

/// GET /reports/records: the records behind one figure (readers who may see records only).
pub async fn records(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let get = |k: &str| q.get(k).cloned().unwrap_or_default();
    let set = set_by_code(&get("set")).ok_or(WebError::NotFound)?;
    let form = set
        .forms
        .iter()
        .find(|f| f.code == canonical_code(&get("form")))
        .ok_or(WebError::NotFound)?;
    let number: u32 = get("col").parse().map_err(|_| WebError::NotFound)?;
    let from = chrono::NaiveDate::parse_from_str(&get("from"), "%Y-%m-%d")
        .map_err(|_| WebError::BadRequest("Kỳ báo cáo không hợp lệ".into()))?;
    let to = chrono::NaiveDate::parse_from_str(&get("to"), "%Y-%m-%d")
        .map_err(|_| WebError::BadRequest("Kỳ báo cáo không hợp lệ".into()))?;
    let period = Period::new(from, to).map_err(|e| WebError::BadRequest(e.to_string()))?;
    let unit = state
        .store
        .unit_by_code(&get("row"))
        .await?
        .ok_or(WebError::NotFound)?;
    if !user.actor.may(Action::ViewRecord(RecordRef {
        unit_path: &unit.path,
    })) {
        // Aggregate readers (the board, the inspectorate) see figures, never the records.
        return Err(WebError::NotFound);
    }
    let (_, total, _) = state.store.report_rows(&unit.code).await?;
    let column = form
        .columns
        .iter()
        .find(|c| c.number == number)
        .ok_or(WebError::NotFound)?;
    let records = state
        .store
        .figure_records(form, number, period, &total.unit_ids, 500)
        .await?;
    Ok(render(RecordsPage {
        chrome: chrome(&user, "summary"),
        heading: format!(
            "Biểu {} · cột ({}) {} · {} · {} – {}",
            form.code,
            number,
            column.heading,
            unit.name,
            date(from),
            date(to)
        ),
        records,
    }))
}

/// The four charts of a unit over a period, as SVG: visits and petitions by month, petitions
/// by field, handling decisions, overdue clocks by unit.
pub async fn charts(
    state: &AppState,
    unit_code: &str,
    period: Period,
) -> Result<Vec<String>, WebError> {
    use danvan_reports::chart;
    let d = state
        .store
        .chart_data(unit_code, period, state.today())
        .await?;
    let fields: HashMap<String, String> = state
        .store
        .fields()
        .await?
        .into_iter()
        .map(|f| (f.code, f.label))
        .collect();
    let months: Vec<String> = d
        .by_month
        .iter()
        .map(|(m, _, _)| {
            let (y, mo) = m.split_once('-').unwrap_or((m, ""));
            format!("{mo}/{y}")
        })
        .collect();
    let mut out = vec![chart::columns(
        "Lượt tiếp và đơn nhận theo tháng",
        &months,
        &[
            ("Lượt tiếp", d.by_month.iter().map(|m| m.1).collect()),
            ("Đơn nhận", d.by_month.iter().map(|m| m.2).collect()),
        ],
    )];
    let by_field: Vec<(String, i64)> = d
        .by_field
        .iter()
        .take(10)
        .map(|(c, n)| (fields.get(c).cloned().unwrap_or_else(|| c.clone()), *n))
        .collect();
    out.push(chart::bars("Đơn theo lĩnh vực", &by_field));
    let outcomes: Vec<(String, i64)> = d
        .outcomes
        .iter()
        .map(|(c, n)| {
            let label = danvan_domain::records::Decision::parse(c)
                .map(|x| x.label().to_owned())
                .unwrap_or_else(|| "Chưa xử lý".into());
            (label, *n)
        })
        .collect();
    out.push(chart::bars("Kết quả xử lý đơn", &outcomes));
    if !d.overdue_by_unit.is_empty() {
        out.push(chart::bars(
            "Thời hạn quá hạn theo đơn vị (hôm nay)",
            &d.overdue_by_unit,
        ));
    }
    Ok(out)
}
