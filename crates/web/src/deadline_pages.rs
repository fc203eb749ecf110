//! Pages of the statutory clocks and the working-day calendar: the clocks on a petition or a
//! case, events that move them, the "Hạn xử lý" list (with CSV export), the calendar of a year
//! with its editing, import and history, the rule sets, and the explicit recomputation.

use crate::AppState;
use crate::auth::{SessionUser, posted_form};
use crate::error::WebError;
use crate::pages::{Chrome, chrome, rejected, render};
use crate::view::{FormState, date, qs, timestamp};
use askama::Template;
use axum::Form;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use chrono::{Datelike, NaiveDate};
use danvan_calendar::{DayKind, Entry};
use danvan_domain::access::Action;
use danvan_domain::deadlines::{Count, Rule};
use danvan_domain::format::parse_date;
use danvan_store::{ClockRow, DeadlineFilter, PetitionEvent, StoreError};
use std::collections::HashMap;

use crate::view::Pairs;

/// A clock as the pages show it.
pub struct ClockLine {
    pub label: String,
    pub due: String,
    pub state: String,
    pub overdue: bool,
    pub explanation: String,
    pub petition_code: String,
    pub case_code: String,
    pub unit: String,
    pub summary: String,
    pub days_left: String,
}

impl ClockLine {
    pub fn from(c: &ClockRow) -> Self {
        let state = match (c.state.as_str(), c.overdue) {
            ("running", true) => "Quá hạn".to_owned(),
            ("running", false) => "Đang trong hạn".to_owned(),
            ("paused", _) => "Tạm đình chỉ".to_owned(),
            ("done_late", _) => format!(
                "Xong ngày {} — quá hạn",
                c.ended.map(date).unwrap_or_default()
            ),
            _ => format!("Xong ngày {}", c.ended.map(date).unwrap_or_default()),
        };
        ClockLine {
            label: c.label.clone(),
            due: c.due.map(date).unwrap_or_else(|| "—".into()),
            state,
            overdue: c.overdue,
            explanation: c.explanation.clone(),
            petition_code: c.petition_code.clone(),
            case_code: c.case_code.clone(),
            unit: c.unit_name.clone(),
            summary: c.summary.chars().take(90).collect(),
            days_left: match c.days_left {
                Some(d) if d < 0 => format!("quá {} ngày làm việc", -d),
                Some(0) => "hết hạn hôm nay".into(),
                Some(d) => format!("còn {d} ngày làm việc"),
                None => String::new(),
            },
        }
    }
}

pub async fn petition_clock_lines(
    state: &AppState,
    user: &SessionUser,
    code: &str,
) -> Result<Vec<ClockLine>, WebError> {
    Ok(state
        .store
        .petition_clocks(&user.actor, code, state.today())
        .await?
        .iter()
        .map(ClockLine::from)
        .collect())
}

pub async fn case_clock_lines(
    state: &AppState,
    user: &SessionUser,
    code: &str,
) -> Result<Vec<ClockLine>, WebError> {
    Ok(state
        .store
        .case_clocks(&user.actor, code, state.today())
        .await?
        .iter()
        .map(ClockLine::from)
        .collect())
}

/// POST /petitions/{code}/events: acceptance, extension, suspension, resumption, result,
/// a late decision, or the complaint's instance and remoteness.
pub async fn petition_event(
    State(state): State<AppState>,
    user: SessionUser,
    Path(code): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let on = parse_date(f.v("on"));
    let number = f.v("decision_no").trim().to_owned();
    let need_date = || {
        on.ok_or_else(|| {
            StoreError::from(danvan_domain::Invalid::one(
                "on",
                "Ngày không hợp lệ (dd/mm/yyyy)",
            ))
        })
    };
    let event = match f.v("kind") {
        "settings" => Ok(PetitionEvent::Settings {
            instance: if f.v("instance") == "2" { 2 } else { 1 },
            remote: f.checked("remote"),
        }),
        "execute" => need_date().map(|on| PetitionEvent::Execute {
            on,
            status: f.v("execution").to_owned(),
        }),
        "decide" => need_date().map(|on| PetitionEvent::Decide {
            decision: f.v("decision").to_owned(),
            on,
        }),
        "accept" => need_date().map(|on| PetitionEvent::Accept {
            on,
            decision_no: number,
        }),
        "extend" => need_date().map(|on| PetitionEvent::Extend {
            on,
            decision_no: number,
        }),
        "suspend" => need_date().map(|on| PetitionEvent::Suspend {
            on,
            decision_no: number,
        }),
        "resume" => need_date().map(|on| PetitionEvent::Resume {
            on,
            decision_no: number,
        }),
        "result" => need_date().map(|on| {
            let amount = |k: &str| -> i64 {
                f.v(k)
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect::<String>()
                    .parse()
                    .unwrap_or(0)
            };
            PetitionEvent::Result {
                on,
                decision_no: number,
                note: f.v("note").trim().to_owned(),
                outcome: Some(f.v("outcome").to_owned()).filter(|o| !o.is_empty()),
                money: amount("money"),
                land: amount("land"),
                people: amount("people"),
            }
        }),
        _ => Err(danvan_domain::Invalid::one("kind", "Chọn việc cần ghi").into()),
    };
    let result = match event {
        Ok(e) => {
            state
                .store
                .record_petition_event(&user.actor, &code, &e)
                .await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(()) => Ok(Redirect::to(&format!("/petitions/{code}#thoi-han")).into_response()),
        Err(StoreError::Invalid(e)) => {
            let message = e.0.joined();
            Ok(rejected(
                crate::petition_pages::petition_page_with(
                    &state,
                    &user,
                    &code,
                    String::new(),
                    message,
                )
                .await?,
            ))
        }
        Err(e) => Err(e.into()),
    }
}

// ---------------------------------------------------------------- Hạn xử lý

#[derive(Template)]
#[template(path = "deadlines.html")]
struct DeadlinesPage {
    chrome: Chrome,
    rows: Vec<ClockLine>,
    overdue_only: bool,
    window: i64,
    units: Vec<crate::view::Opt>,
    sort: String,
    export: String,
    overdue_count: usize,
}

fn deadline_filter(
    q: &HashMap<String, String>,
    unit_path: Option<String>,
) -> (DeadlineFilter, i64) {
    let window = q
        .get("window")
        .and_then(|w| w.parse::<i64>().ok())
        .filter(|w| (0..=60).contains(w))
        .unwrap_or(5);
    let overdue_only = q.get("overdue").is_some_and(|v| v == "1");
    (
        DeadlineFilter {
            unit_path,
            overdue_only,
            due_within: (!overdue_only && q.get("all").is_none_or(|v| v != "1")).then_some(window),
            include_done: false,
        },
        window,
    )
}

async fn filtered(
    state: &AppState,
    user: &SessionUser,
    q: &HashMap<String, String>,
) -> Result<(Vec<ClockRow>, i64, String), WebError> {
    let unit = q.get("unit").cloned().unwrap_or_default();
    let unit_path = if unit.is_empty() {
        None
    } else {
        Some(
            state
                .store
                .unit_by_code(&unit)
                .await?
                .ok_or_else(|| WebError::BadRequest("Không có đơn vị này".into()))?
                .path,
        )
    };
    let (filter, window) = deadline_filter(q, unit_path);
    let mut rows = state
        .store
        .deadlines(&user.actor, &filter, state.today())
        .await?;
    match q.get("sort").map(String::as_str) {
        Some("unit") => rows.sort_by(|a, b| a.unit_name.cmp(&b.unit_name).then(a.due.cmp(&b.due))),
        Some("type") => rows.sort_by(|a, b| a.clock.cmp(&b.clock).then(a.due.cmp(&b.due))),
        Some("started") => rows.sort_by_key(|r| r.started),
        _ => {}
    }
    Ok((rows, window, unit))
}

/// GET /deadlines: overdue and soon-due clocks of the user's units.
pub async fn deadlines(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let (rows, window, unit) = filtered(&state, &user, &q).await?;
    let units = state
        .store
        .units()
        .await?
        .into_iter()
        .filter(|u| user.actor.covers(&u.path))
        .map(|u| crate::view::Opt {
            selected: u.code == unit,
            code: u.code,
            label: u.name,
        })
        .collect();
    let export: String = q
        .iter()
        .filter(|(k, _)| k.as_str() != "format")
        .map(|(k, v)| format!("{}={}", qs(k), qs(v)))
        .chain(std::iter::once("format=csv".to_owned()))
        .collect::<Vec<_>>()
        .join("&");
    if q.get("format").is_some_and(|f| f == "csv") {
        return Ok(csv(&rows));
    }
    let lines: Vec<ClockLine> = rows.iter().map(ClockLine::from).collect();
    Ok(render(DeadlinesPage {
        chrome: chrome(&user, "deadlines"),
        overdue_count: lines.iter().filter(|l| l.overdue).count(),
        rows: lines,
        overdue_only: q.get("overdue").is_some_and(|v| v == "1"),
        window,
        units,
        sort: q.get("sort").cloned().unwrap_or_default(),
        export,
    }))
}

fn csv(rows: &[ClockRow]) -> Response {
    let cell = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from(
        "\u{feff}Mã đơn,Vụ việc,Đơn vị,Thời hạn,Bắt đầu,Hạn,Tình trạng,Còn lại,Giải thích\r\n",
    );
    for r in rows {
        let l = ClockLine::from(r);
        out.push_str(
            &[
                cell(&l.petition_code),
                cell(&l.case_code),
                cell(&l.unit),
                cell(&l.label),
                cell(&date(r.started)),
                cell(&l.due),
                cell(&l.state),
                cell(&l.days_left),
                cell(&l.explanation),
            ]
            .join(","),
        );
        out.push_str("\r\n");
    }
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8"),
            (
                header::CONTENT_DISPOSITION,
                "attachment; filename=\"han-xu-ly.csv\"",
            ),
        ],
        out,
    )
        .into_response()
}

// ---------------------------------------------------------------- calendar

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    chrome: Chrome,
    year: i32,
    recorded: bool,
    rows: Vec<CalendarLine>,
    may_edit: bool,
    f: FormState,
    notice: String,
    import_errors: Vec<String>,
    history: Vec<(String, String, String, String)>,
    moved: Vec<(String, String, String, String)>,
    show_moved: bool,
    years: Vec<i32>,
    /// Units of the administrator's subtree, with their week ("Thứ Hai – Thứ Sáu").
    unit_weeks: Vec<(String, String, String)>,
}

pub struct CalendarLine {
    pub date: String,
    pub weekday: String,
    pub lunar: String,
    pub work: bool,
    pub name: String,
    pub basis: String,
    pub provisional: bool,
    pub iso: String,
}

fn weekday(d: NaiveDate) -> &'static str {
    match d.weekday() {
        chrono::Weekday::Mon => "Thứ Hai",
        chrono::Weekday::Tue => "Thứ Ba",
        chrono::Weekday::Wed => "Thứ Tư",
        chrono::Weekday::Thu => "Thứ Năm",
        chrono::Weekday::Fri => "Thứ Sáu",
        chrono::Weekday::Sat => "Thứ Bảy",
        chrono::Weekday::Sun => "Chủ nhật",
    }
}

async fn calendar_page(
    state: &AppState,
    user: &SessionUser,
    year: i32,
    f: FormState,
    notice: String,
    import_errors: Vec<String>,
    moved: Option<Vec<danvan_store::Moved>>,
) -> Result<Response, WebError> {
    let schedule = state.store.year_schedule(0, year).await?;
    let rows = schedule
        .entries
        .iter()
        .map(|e| CalendarLine {
            date: date(e.date),
            weekday: weekday(e.date).into(),
            lunar: danvan_calendar::to_lunar(e.date)
                .map(|l| l.text())
                .unwrap_or_default(),
            work: e.kind == DayKind::Work,
            name: e.name.clone(),
            basis: e.basis.clone(),
            provisional: e.provisional,
            iso: e.date.to_string(),
        })
        .collect();
    let bad = !f.errors.is_empty() || !import_errors.is_empty();
    let mut unit_weeks = vec![];
    if user.actor.may(Action::Administer) {
        let weeks = state.store.work_weeks().await?;
        for u in state.store.units().await? {
            if user.actor.covers(&u.path) {
                let w = weeks
                    .get(&u.id)
                    .copied()
                    .unwrap_or(danvan_calendar::WorkWeek::STATE);
                let label = if w == danvan_calendar::WorkWeek::WITH_SATURDAY {
                    "Thứ Hai – Thứ Bảy"
                } else if w == danvan_calendar::WorkWeek::STATE {
                    "Thứ Hai – Thứ Sáu"
                } else {
                    "khác"
                };
                unit_weeks.push((u.code, u.name, label.to_owned()));
            }
        }
    }
    let this = state.today().year();
    let mut res = render(CalendarPage {
        chrome: chrome(user, "calendar"),
        year,
        recorded: schedule.recorded,
        rows,
        may_edit: user.actor.may(Action::Administer),
        f,
        notice,
        import_errors,
        history: state
            .store
            .calendar_history(20)
            .await?
            .into_iter()
            .map(|(at, who, what, detail)| (timestamp(&at), who, history_item(&what), detail))
            .collect(),
        show_moved: moved.is_some(),
        moved: moved
            .unwrap_or_default()
            .iter()
            .map(|m| {
                (
                    m.petition_code.clone(),
                    danvan_domain::deadlines::Clock::parse(&m.clock)
                        .map(|c| c.label())
                        .unwrap_or("")
                        .to_owned(),
                    m.before.map(date).unwrap_or_else(|| "—".into()),
                    m.after.map(date).unwrap_or_else(|| "—".into()),
                )
            })
            .collect(),
        years: (this - 3..=this + 2).collect(),
        unit_weeks,
    });
    if bad {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// GET /calendar?year=YYYY: the days that differ from Monday–Friday, with lunar dates and the
/// text that decided each; administrators edit, import and recompute here.
pub async fn calendar(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    let year = q
        .get("year")
        .and_then(|y| y.parse().ok())
        .unwrap_or_else(|| state.today().year());
    let notice = q.get("ok").cloned().unwrap_or_default();
    calendar_page(
        &state,
        &user,
        year,
        FormState::default(),
        notice,
        vec![],
        None,
    )
    .await
}

/// POST /calendar/entries: add or replace one day.
pub async fn calendar_set(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let mut f = posted_form(&user, form)?;
    let year = f.v("year").parse().unwrap_or_else(|_| state.today().year());
    let Some(on) = parse_date(f.v("date")) else {
        f.errors.add("date", "Ngày không hợp lệ (dd/mm/yyyy)");
        return calendar_page(&state, &user, year, f, String::new(), vec![], None).await;
    };
    let entry = Entry {
        date: on,
        kind: if f.v("kind") == "work" {
            DayKind::Work
        } else {
            DayKind::Off
        },
        name: f.v("name").trim().to_owned(),
        basis: f.v("basis").trim().to_owned(),
        provisional: f.v("basis").trim().is_empty() || f.checked("provisional"),
    };
    match state.store.set_calendar_entry(&user.actor, 0, &entry).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/calendar?year={}&ok={}",
            on.year(),
            qs("Đã lưu. Các thời hạn đã tính không tự thay đổi: bấm «Tính lại thời hạn» để áp dụng.")
        ))
        .into_response()),
        Err(StoreError::Invalid(e)) => {
            f.errors = e.0;
            calendar_page(&state, &user, year, f, String::new(), vec![], None).await
        }
        Err(e) => Err(e.into()),
    }
}

/// POST /calendar/entries/{date}/delete
pub async fn calendar_delete(
    State(state): State<AppState>,
    user: SessionUser,
    Path(on): Path<String>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    posted_form(&user, form)?;
    let on = NaiveDate::parse_from_str(&on, "%Y-%m-%d").map_err(|_| WebError::NotFound)?;
    state
        .store
        .delete_calendar_entry(&user.actor, 0, on)
        .await?;
    Ok(Redirect::to(&format!("/calendar?year={}&ok={}", on.year(), qs("Đã xóa"))).into_response())
}

/// POST /calendar/import: a year's schedule from a CSV text, all or nothing.
pub async fn calendar_import(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let Ok(year) = f.v("year").trim().parse::<i32>() else {
        return calendar_page(
            &state,
            &user,
            state.today().year(),
            f,
            String::new(),
            vec!["Năm không hợp lệ".into()],
            None,
        )
        .await;
    };
    let text = f.v("schedule").to_owned();
    match state.store.import_schedule(&user.actor, 0, year, &text).await {
        Ok(n) => Ok(Redirect::to(&format!(
            "/calendar?year={year}&ok={}",
            qs(&format!("Đã nhập {n} ngày cho năm {year}. Bấm «Tính lại thời hạn» để áp dụng cho các vụ việc đang giải quyết."))
        ))
        .into_response()),
        Err(danvan_store::calendar::ImportError::Rows(rows)) => {
            let errors = rows.iter().map(|r| r.to_string()).collect();
            calendar_page(&state, &user, year, f, String::new(), errors, None).await
        }
        Err(danvan_store::calendar::ImportError::Store(e)) => Err(e.into()),
    }
}

/// POST /deadlines/recompute: preview (`apply` absent) or apply the new end dates.
pub async fn recompute(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let apply = f.v("apply") == "1";
    let moved = state
        .store
        .recompute_deadlines(Some(&user.actor), apply)
        .await?;
    let year = f.v("year").parse().unwrap_or_else(|_| state.today().year());
    let notice = if apply {
        format!(
            "Đã tính lại: {} thời hạn thay đổi (đã ghi nhật ký).",
            moved.len()
        )
    } else {
        format!(
            "Xem trước: {} thời hạn sẽ thay đổi nếu tính lại.",
            moved.len()
        )
    };
    calendar_page(
        &state,
        &user,
        year,
        FormState::default(),
        notice,
        vec![],
        Some(moved),
    )
    .await
}

// ---------------------------------------------------------------- rules

#[derive(Template)]
#[template(path = "rules.html")]
struct RulesPage {
    chrome: Chrome,
    rules: Vec<(i64, Rule)>,
    notice: String,
    error: String,
}

pub fn clock_label(r: &Rule) -> &'static str {
    r.clock.label()
}

pub fn opt(v: &Option<u32>) -> String {
    v.map(|x| x.to_string()).unwrap_or_default()
}

/// GET /admin/rules: the clocks' lengths by effective date, editable by administrators.
pub async fn rules(
    State(state): State<AppState>,
    user: SessionUser,
    Query(q): Query<HashMap<String, String>>,
) -> Result<Response, WebError> {
    if !user.actor.may(Action::Administer) {
        return Err(WebError::Forbidden);
    }
    Ok(render(RulesPage {
        chrome: chrome(&user, "admin"),
        rules: state.store.deadline_rules().await?,
        notice: q.get("ok").cloned().unwrap_or_default(),
        error: String::new(),
    }))
}

/// POST /admin/rules/{id}
pub async fn update_rule(
    State(state): State<AppState>,
    user: SessionUser,
    Path(id): Path<i64>,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let rules = state.store.deadline_rules().await?;
    let Some((_, current)) = rules.iter().find(|r| r.0 == id) else {
        return Err(WebError::NotFound);
    };
    let num = |k: &str| -> Option<u32> { f.v(k).trim().parse().ok() };
    let rule = Rule {
        days: num("days").unwrap_or(0),
        complex_days: num("complex_days"),
        remote_days: num("remote_days"),
        remote_complex_days: num("remote_complex_days"),
        count: Count::parse(f.v("count")).unwrap_or(current.count),
        roll_forward: f.checked("roll_forward"),
        max_extensions: num("max_extensions").unwrap_or(0),
        extension_days: num("extension_days").unwrap_or(0),
        basis: f.v("basis").to_owned(),
        applies_to_pending: f.checked("applies_to_pending"),
        ..current.clone()
    };
    match state.store.update_rule(&user.actor, id, &rule).await {
        Ok(()) => Ok(Redirect::to(&format!(
            "/admin/rules?ok={}",
            qs("Đã lưu quy định. Thời hạn đã tính chỉ đổi khi bấm «Tính lại thời hạn» ở trang Lịch làm việc.")
        ))
        .into_response()),
        Err(StoreError::Invalid(e)) => {
            Ok(rejected(render(RulesPage {
                chrome: chrome(&user, "admin"),
                rules,
                notice: String::new(),
                error: e.0.joined(),
            })))
        }
        Err(e) => Err(e.into()),
    }
}

/// "0:2026-11-23" → "Lịch cả nước, 23/11/2026"; "12:2027" → "Lịch đơn vị 12, năm 2027".
fn history_item(code: &str) -> String {
    let (unit, rest) = code.split_once(':').unwrap_or((code, ""));
    let scope = match unit {
        "0" | "national" => "Lịch cả nước".to_owned(),
        u => format!("Đơn vị {u}"),
    };
    match NaiveDate::parse_from_str(rest, "%Y-%m-%d") {
        Ok(d) => format!("{scope}, ngày {}", date(d)),
        Err(_) if !rest.is_empty() => format!("{scope}, năm {rest}"),
        Err(_) => scope,
    }
}

/// POST /calendar/work-week: a unit that does not work Monday–Friday.
pub async fn calendar_work_week(
    State(state): State<AppState>,
    user: SessionUser,
    Form(form): Pairs,
) -> Result<Response, WebError> {
    let f = posted_form(&user, form)?;
    let unit = state
        .store
        .unit_by_code(f.v("unit_code"))
        .await?
        .ok_or_else(|| WebError::BadRequest("Không có đơn vị này".into()))?;
    let week = danvan_calendar::WorkWeek::parse(f.v("week"))
        .ok_or_else(|| WebError::BadRequest("Tuần làm việc không hợp lệ".into()))?;
    state
        .store
        .set_work_week(&user.actor, unit.id, week)
        .await?;
    Ok(Redirect::to(&format!(
        "/calendar?ok={}",
        qs(&format!("Đã đặt tuần làm việc của {}", unit.name))
    ))
    .into_response())
}
