//! Statutory clocks in the database: the rule sets (seeded from the law's defaults, editable),
//! the events that move a petition's clocks, and the computed clocks themselves — stored, so
//! that a later change of calendar or rules never rewrites them silently. Recomputation is an
//! explicit action, logged, that reports which end dates moved.

use crate::{Result, Store, StoreError, audit, now_utc, parse_day};
use chrono::NaiveDate;
use danvan_calendar::WorkCalendar;
use danvan_domain::Actor;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::deadlines::{self, Clock, Count, Deadline, Facts, Rule, Start, State};
use serde::Serialize;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::Arc;

/// Today in Vietnam (UTC+7).
pub fn today_vn() -> NaiveDate {
    (chrono::Utc::now() + chrono::Duration::hours(7)).date_naive()
}

/// A stored clock with what the lists show beside it.
#[derive(Debug, Clone, Serialize)]
pub struct ClockRow {
    pub petition_code: String,
    pub case_code: String,
    pub unit_code: String,
    pub unit_name: String,
    pub petition_type: String,
    pub summary: String,
    pub clock: String,
    pub label: String,
    pub started: NaiveDate,
    pub due: Option<NaiveDate>,
    pub ended: Option<NaiveDate>,
    pub state: String,
    pub explanation: String,
    /// Overdue as of the day asked (running past its end, or ended late).
    pub overdue: bool,
    /// Working days left until the end date (negative: overdue), for running clocks.
    pub days_left: Option<i64>,
}

/// A change of end date found by a recomputation.
#[derive(Debug, Clone, Serialize)]
pub struct Moved {
    pub petition_code: String,
    pub clock: String,
    pub before: Option<NaiveDate>,
    pub after: Option<NaiveDate>,
}

/// What a deadline list shows.
#[derive(Debug, Clone, Default)]
pub struct DeadlineFilter {
    pub unit_path: Option<String>,
    /// Only overdue clocks.
    pub overdue_only: bool,
    /// Only clocks ending within this many working days (and overdue ones).
    pub due_within: Option<i64>,
    /// Include ended clocks.
    pub include_done: bool,
}

/// An event recorded on a petition's handling.
#[derive(Debug, Clone)]
pub enum PetitionEvent {
    /// The handling decision, made after registration (not a transfer).
    Decide {
        decision: String,
        on: NaiveDate,
    },
    /// Accepted for settlement (thụ lý).
    Accept {
        on: NaiveDate,
        decision_no: String,
    },
    Extend {
        on: NaiveDate,
        decision_no: String,
    },
    Suspend {
        on: NaiveDate,
        decision_no: String,
    },
    Resume {
        on: NaiveDate,
        decision_no: String,
    },
    /// The settlement's result (quyết định giải quyết, kết luận nội dung tố cáo).
    Result {
        on: NaiveDate,
        decision_no: String,
        note: String,
        /// right | wrong | partly_right | withdrawn | suspended (domain `Outcome`).
        outcome: Option<String>,
        /// Money (đồng) and land (m²) to be recovered; people whose rights were restored.
        money: i64,
        land: i64,
        people: i64,
    },
    /// The execution of the settlement decision: done, partial or not_done.
    Execute {
        on: NaiveDate,
        status: String,
    },
    /// Complaint instance and remoteness.
    Settings {
        instance: u8,
        remote: bool,
    },
}

fn opt_day(s: Option<String>) -> Result<Option<NaiveDate>> {
    s.as_deref().map(parse_day).transpose()
}

fn rule_from(r: &sqlx::any::AnyRow) -> Result<(i64, Rule)> {
    let clock: String = r.try_get(1)?;
    let start: String = r.try_get(2)?;
    let count: String = r.try_get(7)?;
    let u =
        |i: usize| -> Result<Option<u32>> { Ok(r.try_get::<Option<i64>, _>(i)?.map(|v| v as u32)) };
    Ok((
        r.try_get(0)?,
        Rule {
            clock: Clock::parse(&clock)
                .ok_or_else(|| StoreError::Corrupt(format!("thời hạn '{clock}'")))?,
            start: Start::parse(&start)
                .ok_or_else(|| StoreError::Corrupt(format!("mốc '{start}'")))?,
            days: r.try_get::<i64, _>(3)? as u32,
            complex_days: u(4)?,
            remote_days: u(5)?,
            remote_complex_days: u(6)?,
            count: Count::parse(&count)
                .ok_or_else(|| StoreError::Corrupt(format!("cách tính '{count}'")))?,
            roll_forward: r.try_get::<i64, _>(8)? != 0,
            max_extensions: r.try_get::<i64, _>(9)? as u32,
            extension_days: r.try_get::<i64, _>(10)? as u32,
            basis: r.try_get(11)?,
            valid_from: parse_day(&r.try_get::<String, _>(12)?)?,
            valid_to: opt_day(r.try_get(13)?)?,
            applies_to_pending: r.try_get::<i64, _>(14)? != 0,
            unconfirmed: r.try_get::<i64, _>(15)? != 0,
        },
    ))
}

const RULE_COLUMNS: &str = "id, clock, start_event, days, complex_days, remote_days, remote_complex_days, day_count, roll_forward, max_extensions, extension_days, basis, valid_from, valid_to, applies_to_pending, unconfirmed";

impl Store {
    pub(crate) async fn ensure_default_rules(&self) -> Result<()> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM deadline_rules")
            .fetch_one(&self.pool)
            .await?;
        if n > 0 {
            return Ok(());
        }
        let mut tx = self.write().await?;
        for r in deadlines::default_rules() {
            sqlx::query("INSERT INTO deadline_rules (clock, start_event, days, complex_days, remote_days, remote_complex_days, day_count, roll_forward, max_extensions, extension_days, basis, valid_from, valid_to, applies_to_pending, unconfirmed) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)")
                .bind(r.clock.code())
                .bind(r.start.code())
                .bind(i64::from(r.days))
                .bind(r.complex_days.map(i64::from))
                .bind(r.remote_days.map(i64::from))
                .bind(r.remote_complex_days.map(i64::from))
                .bind(r.count.code())
                .bind(i64::from(r.roll_forward))
                .bind(i64::from(r.max_extensions))
                .bind(i64::from(r.extension_days))
                .bind(r.basis.clone())
                .bind(r.valid_from.to_string())
                .bind(r.valid_to.map(|d| d.to_string()))
                .bind(i64::from(r.applies_to_pending))
                .bind(i64::from(r.unconfirmed))
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            &mut tx,
            None,
            "create",
            "deadline_rules",
            "default",
            "quy định thời hạn trước và từ 01/07/2026",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The rule sets, by clock and effective date.
    pub async fn deadline_rules(&self) -> Result<Vec<(i64, Rule)>> {
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RULE_COLUMNS} FROM deadline_rules ORDER BY clock, valid_from"
        )))
        .fetch_all(&self.pool)
        .await?
        .iter()
        .map(rule_from)
        .collect()
    }

    /// Changes a rule's values (administrators); takes effect for clocks computed from now on
    /// and for an explicit recomputation.
    pub async fn update_rule(&self, actor: &Actor, id: i64, r: &Rule) -> Result<()> {
        if !actor.may(Action::Administer) {
            return Err(StoreError::Forbidden);
        }
        let mut errors = danvan_domain::FieldErrors::default();
        if r.days == 0 || r.days > 365 {
            errors.add("days", "Số ngày từ 1 đến 365");
        }
        for (field, v) in [
            ("complex_days", r.complex_days),
            ("remote_days", r.remote_days),
            ("remote_complex_days", r.remote_complex_days),
        ] {
            if v.is_some_and(|v| v < r.days || v > 365) {
                errors.add(field, "Không nhỏ hơn thời hạn thường, tối đa 365");
            }
        }
        if r.basis.trim().is_empty() {
            errors.add("basis", "Chưa ghi căn cứ pháp lý");
        }
        if !errors.is_empty() {
            return Err(danvan_domain::Invalid(errors).into());
        }
        let mut tx = self.write().await?;
        let before = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RULE_COLUMNS} FROM deadline_rules WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let (_, old) = rule_from(&before)?;
        sqlx::query("UPDATE deadline_rules SET days = $1, complex_days = $2, remote_days = $3, remote_complex_days = $4, day_count = $5, roll_forward = $6, max_extensions = $7, extension_days = $8, basis = $9, applies_to_pending = $10 WHERE id = $11")
            .bind(i64::from(r.days))
            .bind(r.complex_days.map(i64::from))
            .bind(r.remote_days.map(i64::from))
            .bind(r.remote_complex_days.map(i64::from))
            .bind(r.count.code())
            .bind(i64::from(r.roll_forward))
            .bind(i64::from(r.max_extensions))
            .bind(i64::from(r.extension_days))
            .bind(r.basis.trim().to_owned())
            .bind(i64::from(r.applies_to_pending))
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let detail = format!(
            "{} từ {}: {} {} → {} {}",
            old.clock.code(),
            old.valid_from,
            old.days,
            old.count.code(),
            r.days,
            r.count.code()
        );
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "update",
            "deadline_rule",
            &id.to_string(),
            &detail,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// What a petition's clocks need, read inside the caller's transaction.
    async fn facts(
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        petition_id: i64,
    ) -> Result<(Facts, i64)> {
        let r = sqlx::query("SELECT p.petition_type, p.received_date, p.decision, p.decision_date, p.competent, p.accepted_on, p.instance, p.is_remote, p.result_on, c.is_complex, p.unit_id FROM petitions p JOIN cases c ON c.id = p.case_id WHERE p.id = $1")
            .bind(petition_id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let decision: Option<String> = r.try_get(2)?;
        let decision_date = opt_day(r.try_get(3)?)?;
        let mut f = Facts {
            petition_type: r.try_get(0)?,
            received: Some(parse_day(&r.try_get::<String, _>(1)?)?),
            decision: decision.zip(decision_date),
            competent: r.try_get::<Option<i64>, _>(4)?.map(|v| v != 0),
            accepted: opt_day(r.try_get(5)?)?,
            instance: r.try_get::<i64, _>(6)? as u8,
            remote: r.try_get::<i64, _>(7)? != 0,
            result: opt_day(r.try_get(8)?)?,
            complex: r.try_get::<i64, _>(9)? != 0,
            ..Facts::default()
        };
        let unit_id: i64 = r.try_get(10)?;
        let events = sqlx::query("SELECT kind, on_date, decision_no FROM petition_events WHERE petition_id = $1 ORDER BY on_date, id")
            .bind(petition_id)
            .fetch_all(&mut **tx)
            .await?;
        for e in &events {
            let kind: String = e.try_get(0)?;
            let on = parse_day(&e.try_get::<String, _>(1)?)?;
            match kind.as_str() {
                "extend" => f.extensions.push((on, e.try_get(2)?)),
                "suspend" => f.suspensions.push((on, None)),
                "resume" => {
                    if let Some(last) = f.suspensions.last_mut().filter(|s| s.1.is_none()) {
                        last.1 = Some(on);
                    }
                }
                _ => {}
            }
        }
        Ok((f, unit_id))
    }

    /// Computes a petition's clocks and replaces the stored ones, inside the caller's
    /// transaction (every change that moves a clock calls this before committing).
    pub(crate) async fn refresh_clocks(
        &self,
        tx: &mut sqlx::Transaction<'static, sqlx::Any>,
        petition_id: i64,
    ) -> Result<Vec<Deadline>> {
        let (facts, unit_id) = Self::facts(tx, petition_id).await?;
        let rules: Vec<Rule> = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT {RULE_COLUMNS} FROM deadline_rules"
        )))
        .fetch_all(&mut **tx)
        .await?
        .iter()
        .map(|r| rule_from(r).map(|x| x.1))
        .collect::<Result<_>>()?;
        let cal = self.work_calendar(unit_id).await?;
        let computed = deadlines::clocks(&facts, &rules, &cal, today_vn())
            .map_err(|e| danvan_domain::Invalid::one("date", e.0))?;
        sqlx::query("DELETE FROM clocks WHERE petition_id = $1")
            .bind(petition_id)
            .execute(&mut **tx)
            .await?;
        let now = now_utc();
        for d in &computed {
            sqlx::query("INSERT INTO clocks (petition_id, unit_id, clock, started_on, due_on, ended_on, state, explanation, rule_from, computed_at, fingerprint) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
                .bind(petition_id)
                .bind(unit_id)
                .bind(d.clock.code())
                .bind(d.started.to_string())
                .bind(d.due.map(|x| x.to_string()))
                .bind(d.ended.map(|x| x.to_string()))
                .bind(d.state.code())
                .bind(d.explanation.clone())
                .bind(d.rule_from.to_string())
                .bind(now.clone())
                .bind(fingerprint(d))
                .execute(&mut **tx)
                .await?;
        }
        Ok(computed)
    }

    /// Records an event on a petition the actor handles, and moves its clocks.
    pub async fn record_petition_event(
        &self,
        actor: &Actor,
        code: &str,
        event: &PetitionEvent,
    ) -> Result<()> {
        let (petition_id, unit_path) = self.petition_ref(code).await?;
        let unit = RecordRef {
            unit_path: &unit_path,
        };
        if !actor.may(Action::ViewRecord(unit)) {
            return Err(StoreError::NotFound);
        }
        if !actor.may(Action::HandlePetition(unit)) {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.write().await?;
        let (facts, unit_id) = Self::facts(&mut tx, petition_id).await?;
        let received = facts.received.unwrap_or(NaiveDate::MIN);
        let invalid =
            |field: &str, m: &str| -> StoreError { danvan_domain::Invalid::one(field, m).into() };
        let today = today_vn();
        let date_of = |e: &PetitionEvent| match e {
            PetitionEvent::Decide { on, .. }
            | PetitionEvent::Accept { on, .. }
            | PetitionEvent::Extend { on, .. }
            | PetitionEvent::Suspend { on, .. }
            | PetitionEvent::Resume { on, .. }
            | PetitionEvent::Result { on, .. }
            | PetitionEvent::Execute { on, .. } => Some(*on),
            PetitionEvent::Settings { .. } => None,
        };
        if let Some(on) = date_of(event) {
            if on < received {
                return Err(invalid("on", "Ngày không được trước ngày nhận đơn"));
            }
            if on > today {
                return Err(invalid("on", "Ngày không được sau hôm nay"));
            }
        }
        let accepted = facts.accepted.or_else(|| {
            facts
                .decision
                .as_ref()
                .filter(|d| d.0 == "accept")
                .map(|d| d.1)
        });
        let open_suspension = facts.suspensions.last().is_some_and(|s| s.1.is_none());
        let (kind, on, number, note) = match event {
            PetitionEvent::Decide { decision, on } => {
                if facts.decision.is_some() {
                    return Err(invalid("decision", "Đơn đã có hướng xử lý"));
                }
                if !matches!(
                    decision.as_str(),
                    "accept" | "guide" | "return" | "file" | "urge"
                ) {
                    return Err(invalid(
                        "decision",
                        "Chọn hướng xử lý (chuyển đơn ghi khi vào sổ)",
                    ));
                }
                sqlx::query("UPDATE petitions SET decision = $1, decision_date = $2 WHERE id = $3")
                    .bind(decision.clone())
                    .bind(on.to_string())
                    .bind(petition_id)
                    .execute(&mut *tx)
                    .await?;
                ("decide", Some(*on), String::new(), decision.clone())
            }
            PetitionEvent::Accept { on, decision_no } => {
                if accepted.is_some() {
                    return Err(invalid("on", "Đơn đã được thụ lý"));
                }
                if facts.petition_type == "KNPA" {
                    return Err(invalid(
                        "on",
                        "Kiến nghị, phản ánh không có thủ tục thụ lý giải quyết",
                    ));
                }
                // Acceptance is the handling decision "thụ lý" when none was recorded yet.
                sqlx::query("UPDATE petitions SET decision = 'accept', decision_date = $1, competent = 1 WHERE id = $2 AND decision IS NULL")
                    .bind(on.to_string())
                    .bind(petition_id)
                    .execute(&mut *tx)
                    .await?;
                sqlx::query("UPDATE petitions SET accepted_on = $1 WHERE id = $2")
                    .bind(on.to_string())
                    .bind(petition_id)
                    .execute(&mut *tx)
                    .await?;
                ("accept", Some(*on), decision_no.clone(), String::new())
            }
            PetitionEvent::Extend { on, decision_no } => {
                let rules = self.deadline_rules().await?;
                let settling = accepted.is_some();
                let clock = match (facts.petition_type.as_str(), settling) {
                    ("TC", true) => Clock::DenunciationSettlement,
                    ("TC", false) => Clock::DenunciationCheck,
                    _ => {
                        return Err(invalid(
                            "on",
                            "Chỉ thời hạn xử lý và giải quyết tố cáo được gia hạn (Luật Tố cáo Điều 24, 30)",
                        ));
                    }
                };
                let started = if settling {
                    accepted.unwrap_or(received)
                } else {
                    received
                };
                let allowed = deadlines::rule_for(
                    &rules.iter().map(|r| r.1.clone()).collect::<Vec<_>>(),
                    clock,
                    started,
                    None,
                    today,
                )
                .map(|r| r.max_extensions)
                .unwrap_or(0);
                let used = facts
                    .extensions
                    .iter()
                    .filter(|e| !settling || Some(e.0) >= accepted)
                    .count() as u32;
                if used >= allowed {
                    return Err(invalid(
                        "on",
                        &format!("Đã gia hạn {used} lần: luật chỉ cho phép tối đa {allowed} lần"),
                    ));
                }
                if decision_no.trim().is_empty() {
                    return Err(invalid("decision_no", "Ghi số quyết định gia hạn"));
                }
                ("extend", Some(*on), decision_no.clone(), String::new())
            }
            PetitionEvent::Suspend { on, decision_no } => {
                if accepted.is_none() {
                    return Err(invalid("on", "Chỉ tạm đình chỉ việc giải quyết đã thụ lý"));
                }
                if open_suspension {
                    return Err(invalid("on", "Việc giải quyết đang tạm đình chỉ"));
                }
                ("suspend", Some(*on), decision_no.clone(), String::new())
            }
            PetitionEvent::Resume { on, decision_no } => {
                let Some(since) = facts
                    .suspensions
                    .last()
                    .filter(|s| s.1.is_none())
                    .map(|s| s.0)
                else {
                    return Err(invalid("on", "Việc giải quyết không bị tạm đình chỉ"));
                };
                if *on < since {
                    return Err(invalid(
                        "on",
                        "Ngày tiếp tục không được trước ngày tạm đình chỉ",
                    ));
                }
                ("resume", Some(*on), decision_no.clone(), String::new())
            }
            PetitionEvent::Result {
                on,
                decision_no,
                note,
                outcome,
                money,
                land,
                people,
            } => {
                if let Some(o) = outcome
                    && danvan_domain::records::Outcome::parse(o).is_none()
                {
                    return Err(invalid("outcome", "Chọn kết quả giải quyết"));
                }
                if *money < 0 || *land < 0 || *people < 0 {
                    return Err(invalid(
                        "money",
                        "Số tiền, diện tích, số người không được âm",
                    ));
                }
                let Some(acc) = accepted else {
                    return Err(invalid("on", "Chưa thụ lý: chưa có kết quả giải quyết"));
                };
                if *on < acc {
                    return Err(invalid(
                        "on",
                        "Ngày có kết quả không được trước ngày thụ lý",
                    ));
                }
                if open_suspension {
                    return Err(invalid(
                        "on",
                        "Việc giải quyết đang tạm đình chỉ: ghi quyết định tiếp tục trước",
                    ));
                }
                sqlx::query("UPDATE petitions SET result_on = $1, result_note = $2, result_kind = $3, recovered_money = $4, recovered_land = $5, restored_people = $6 WHERE id = $7")
                    .bind(on.to_string())
                    .bind(note.clone())
                    .bind(outcome.clone())
                    .bind(*money)
                    .bind(*land)
                    .bind(*people)
                    .bind(petition_id)
                    .execute(&mut *tx)
                    .await?;
                ("result", Some(*on), decision_no.clone(), note.clone())
            }
            PetitionEvent::Execute { on, status } => {
                if facts.result.is_none() {
                    return Err(invalid("on", "Chưa có kết quả giải quyết để thi hành"));
                }
                if !matches!(status.as_str(), "done" | "partial" | "not_done") {
                    return Err(invalid("status", "Chọn tình trạng thi hành"));
                }
                sqlx::query("UPDATE petitions SET execution = $1, execution_on = $2 WHERE id = $3")
                    .bind(status.clone())
                    .bind(on.to_string())
                    .bind(petition_id)
                    .execute(&mut *tx)
                    .await?;
                ("execute", Some(*on), String::new(), status.clone())
            }
            PetitionEvent::Settings { instance, remote } => {
                if !matches!(instance, 1 | 2) {
                    return Err(invalid("instance", "Lần giải quyết là 1 hoặc 2"));
                }
                sqlx::query("UPDATE petitions SET instance = $1, is_remote = $2 WHERE id = $3")
                    .bind(i64::from(*instance))
                    .bind(i64::from(*remote))
                    .bind(petition_id)
                    .execute(&mut *tx)
                    .await?;
                (
                    "settings",
                    None,
                    String::new(),
                    format!(
                        "lần {instance}{}",
                        if *remote {
                            ", vùng sâu, vùng xa"
                        } else {
                            ""
                        }
                    ),
                )
            }
        };
        if let Some(on) = on {
            sqlx::query("INSERT INTO petition_events (petition_id, kind, on_date, decision_no, note, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
                .bind(petition_id)
                .bind(kind)
                .bind(on.to_string())
                .bind(number.clone())
                .bind(note.clone())
                .bind(actor.user_id)
                .bind(now_utc())
                .execute(&mut *tx)
                .await?;
        }
        let _ = unit_id;
        self.refresh_clocks(&mut tx, petition_id).await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            kind,
            "petition",
            code,
            &format!(
                "{} {number} {note}",
                on.map(|d| d.to_string()).unwrap_or_default()
            ),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// The clocks of a petition of the actor's scope (empty for a reader outside it).
    pub async fn petition_clocks(
        &self,
        actor: &Actor,
        code: &str,
        today: NaiveDate,
    ) -> Result<Vec<ClockRow>> {
        let (id, path) = self.petition_ref(code).await?;
        if !actor.may(Action::ViewRecord(RecordRef { unit_path: &path })) {
            return Ok(vec![]);
        }
        self.clocks_of(None, Some(id), today).await
    }

    /// The clocks of every petition of a case of the actor's scope.
    pub async fn case_clocks(
        &self,
        actor: &Actor,
        code: &str,
        today: NaiveDate,
    ) -> Result<Vec<ClockRow>> {
        let r = sqlx::query(
            "SELECT c.id, u.path FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.code = $1",
        )
        .bind(code.to_owned())
        .fetch_optional(&self.pool)
        .await?
        .ok_or(StoreError::NotFound)?;
        let path: String = r.try_get(1)?;
        if !actor.may(Action::ViewRecord(RecordRef { unit_path: &path })) {
            return Err(StoreError::NotFound);
        }
        self.clocks_of(Some(r.try_get(0)?), None, today).await
    }

    /// Clocks of the petitions of a case (or of one petition), for its page.
    pub async fn clocks_of(
        &self,
        case_id: Option<i64>,
        petition_id: Option<i64>,
        today: NaiveDate,
    ) -> Result<Vec<ClockRow>> {
        let (clause, id) = match (case_id, petition_id) {
            (_, Some(p)) => ("k.petition_id = $1", p),
            (Some(c), None) => ("p.case_id = $1", c),
            (None, None) => return Ok(vec![]),
        };
        let sql = format!("{CLOCK_SQL} WHERE {clause} ORDER BY k.started_on, k.id");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        let calendars = self.calendars_for(&rows).await?;
        rows.iter()
            .map(|r| Self::clock_row(r, today, &calendars))
            .collect()
    }

    /// The calendars of the units of some clock rows (one build per unit, not per row).
    async fn calendars_for(
        &self,
        rows: &[sqlx::any::AnyRow],
    ) -> Result<HashMap<i64, Arc<WorkCalendar>>> {
        let mut map = HashMap::new();
        for r in rows {
            let unit_id: i64 = r.try_get(12)?;
            if let std::collections::hash_map::Entry::Vacant(slot) = map.entry(unit_id) {
                slot.insert(self.work_calendar(unit_id).await?);
            }
        }
        Ok(map)
    }

    fn clock_row(
        r: &sqlx::any::AnyRow,
        today: NaiveDate,
        calendars: &HashMap<i64, Arc<WorkCalendar>>,
    ) -> Result<ClockRow> {
        let clock: String = r.try_get(6)?;
        let due = opt_day(r.try_get(8)?)?;
        let state: String = r.try_get(10)?;
        let unit_id: i64 = r.try_get(12)?;
        let running = state == State::Running.code();
        let days_left = match (running, due, calendars.get(&unit_id)) {
            (true, Some(d), Some(cal)) => cal.working_days_between(today, d).ok(),
            _ => None,
        };
        let overdue =
            state == State::DoneLate.code() || (running && due.is_some_and(|d| d < today));
        Ok(ClockRow {
            petition_code: r.try_get(0)?,
            case_code: r.try_get(1)?,
            unit_code: r.try_get(2)?,
            unit_name: r.try_get(3)?,
            petition_type: r.try_get(4)?,
            summary: r.try_get(5)?,
            label: Clock::parse(&clock)
                .map(|c| c.label())
                .unwrap_or("")
                .to_owned(),
            clock,
            started: parse_day(&r.try_get::<String, _>(7)?)?,
            due,
            ended: opt_day(r.try_get(9)?)?,
            state,
            explanation: r.try_get(11)?,
            overdue,
            days_left,
        })
    }

    /// The "Hạn xử lý" list: running clocks of the actor's scope (and, if asked, ended ones),
    /// soonest end first.
    pub async fn deadlines(
        &self,
        actor: &Actor,
        f: &DeadlineFilter,
        today: NaiveDate,
    ) -> Result<Vec<ClockRow>> {
        let mut w = crate::query::Where::default();
        w.and(
            self.units_clause("k.unit_id", &actor.scope, f.unit_path.as_deref())
                .await?,
        );
        if f.overdue_only {
            let t = w.text(today.to_string());
            // The work list: clocks still running past their end (late ones that ended are
            // history, shown on their petition).
            w.and(format!("k.state = 'running' AND k.due_on < {t}"));
        } else if !f.include_done {
            w.and("k.state IN ('running', 'paused')".into());
        }
        let sql = format!(
            "{CLOCK_SQL} WHERE {} ORDER BY CASE WHEN k.due_on IS NULL THEN 1 ELSE 0 END, k.due_on, k.id LIMIT 2000",
            w.sql()
        );
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(&self.pool)
            .await?;
        let calendars = self.calendars_for(&rows).await?;
        let mut out = vec![];
        for r in &rows {
            let row = Self::clock_row(r, today, &calendars)?;
            if let Some(window) = f.due_within
                && !row.overdue
                && row.days_left.is_none_or(|d| d > window)
            {
                continue;
            }
            out.push(row);
        }
        Ok(out)
    }

    /// (overdue, due within `window` working days) for the dashboard.
    pub async fn deadline_counts(
        &self,
        actor: &Actor,
        today: NaiveDate,
        window: i64,
    ) -> Result<(i64, i64)> {
        let units = self.units_clause("k.unit_id", &actor.scope, None).await?;
        let overdue: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM clocks k WHERE {units} AND k.state = 'running' AND k.due_on < $1"
        )))
        .bind(today.to_string())
        .fetch_one(&self.pool)
        .await?;
        let cal = self.work_calendar(actor.unit_id).await?;
        let horizon = cal
            .add_working_days(today, window.max(0) as u32)
            .unwrap_or(today);
        let soon: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM clocks k WHERE {units} AND k.state = 'running' AND k.due_on >= $1 AND k.due_on <= $2"
        )))
        .bind(today.to_string())
        .bind(horizon.to_string())
        .fetch_one(&self.pool)
        .await?;
        Ok((overdue, soon))
    }

    /// Recomputes every clock that has not ended with today's calendar and rules; reports the
    /// end dates that moved. With `apply`, stores them and logs the action.
    pub async fn recompute_deadlines(
        &self,
        actor: Option<&Actor>,
        apply: bool,
    ) -> Result<Vec<Moved>> {
        if let Some(a) = actor
            && !a.may(Action::Administer)
        {
            return Err(StoreError::Forbidden);
        }
        let (count, moved) = self
            .batch_clocks_chunked(
                "EXISTS (SELECT 1 FROM clocks r WHERE r.petition_id = p.id AND r.state IN ('running', 'paused'))",
                apply,
            )
            .await?;
        if apply {
            let mut tx = self.write().await?;
            audit::record(
                &mut tx,
                actor.map(|a| a.user_id),
                "recompute",
                "deadlines",
                "all",
                &format!(
                    "{count} đơn được tính lại thời hạn, {} hạn thay đổi",
                    moved.len()
                ),
            )
            .await?;
            tx.commit().await?;
        }
        Ok(moved)
    }

    /// Computes the clocks of every petition (after a bulk load: the demo, `danvan gen`).
    pub async fn compute_all_clocks(&self) -> Result<usize> {
        Ok(self.batch_clocks_chunked("1=1", true).await?.0)
    }

    /// [`Self::batch_clocks`] over id ranges of 100.000 petitions, so memory stays flat.
    async fn batch_clocks_chunked(&self, which: &str, apply: bool) -> Result<(usize, Vec<Moved>)> {
        let r = sqlx::query("SELECT COALESCE(MIN(id), 0), COALESCE(MAX(id), 0) FROM petitions")
            .fetch_one(&self.pool)
            .await?;
        let (lo, hi): (i64, i64) = (r.try_get(0)?, r.try_get(1)?);
        let mut count = 0;
        let mut moved = vec![];
        let mut from = lo;
        while from <= hi {
            // Read one after the other: two ranges read side by side were slower (sqlx's row
            // decoding already keeps both cores busy).
            let batch = self.load_clocks((from, from + 99_999), which).await?;
            if apply {
                self.write_clocks(&batch).await?;
            }
            count += batch.petitions;
            moved.extend(batch.moved);
            from += 100_000;
        }
        Ok((count, moved))
    }

    /// The batch path: facts of the selected petitions in two queries, clocks computed in
    /// memory with one calendar per unit, written back with multi-row inserts in one
    /// transaction. Returns how many petitions and which end dates moved.
    async fn load_clocks(&self, (lo, hi): (i64, i64), which: &str) -> Result<Batch> {
        let rules: Vec<Rule> = self
            .deadline_rules()
            .await?
            .into_iter()
            .map(|r| r.1)
            .collect();
        let today = today_vn();
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT p.id, p.petition_type, p.received_date, p.decision, p.decision_date, p.competent, p.accepted_on, p.instance, p.is_remote, p.result_on, c.is_complex, p.unit_id, p.code, \
             (SELECT COUNT(*) FROM clocks k WHERE k.petition_id = p.id), \
             (SELECT CAST(COALESCE(SUM(k.fingerprint % {FOLD}), 0) AS BIGINT) FROM clocks k WHERE k.petition_id = p.id) \
             FROM petitions p JOIN cases c ON c.id = p.case_id WHERE p.id BETWEEN {lo} AND {hi} AND {which} ORDER BY p.id"
        )))
        .fetch_all(&self.pool)
        .await?;
        let mut events: HashMap<i64, Vec<(String, NaiveDate, String)>> = HashMap::new();
        for e in sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT e.petition_id, e.kind, e.on_date, e.decision_no FROM petition_events e WHERE e.petition_id BETWEEN {lo} AND {hi} ORDER BY e.on_date, e.id"
        )))
        .fetch_all(&self.pool)
        .await?
        {
            events.entry(e.try_get(0)?).or_default().push((e.try_get(1)?, parse_day(&e.try_get::<String, _>(2)?)?, e.try_get(3)?));
        }
        let mut calendars: HashMap<i64, Arc<WorkCalendar>> = HashMap::new();
        let mut computed: Vec<(i64, i64, Deadline)> = Vec::with_capacity(rows.len() * 2);
        let mut changed: Vec<i64> = vec![];
        let mut moved = vec![];
        for r in &rows {
            let id: i64 = r.try_get(0)?;
            let decision: Option<String> = r.try_get(3)?;
            let mut f = Facts {
                petition_type: r.try_get(1)?,
                received: Some(parse_day(&r.try_get::<String, _>(2)?)?),
                decision: decision.zip(opt_day(r.try_get(4)?)?),
                competent: r.try_get::<Option<i64>, _>(5)?.map(|v| v != 0),
                accepted: opt_day(r.try_get(6)?)?,
                instance: r.try_get::<i64, _>(7)? as u8,
                remote: r.try_get::<i64, _>(8)? != 0,
                result: opt_day(r.try_get(9)?)?,
                complex: r.try_get::<i64, _>(10)? != 0,
                ..Facts::default()
            };
            for (kind, on, number) in events.remove(&id).unwrap_or_default() {
                match kind.as_str() {
                    "extend" => f.extensions.push((on, number)),
                    "suspend" => f.suspensions.push((on, None)),
                    "resume" => {
                        if let Some(last) = f.suspensions.last_mut().filter(|s| s.1.is_none()) {
                            last.1 = Some(on);
                        }
                    }
                    _ => {}
                }
            }
            let unit_id: i64 = r.try_get(11)?;
            let cal = match calendars.get(&unit_id) {
                Some(c) => c.clone(),
                None => {
                    let c = self.work_calendar(unit_id).await?;
                    calendars.insert(unit_id, c.clone());
                    c
                }
            };
            let Ok(list) = deadlines::clocks(&f, &rules, &cal, today) else {
                continue;
            };
            let code: String = r.try_get(12)?;
            let stored: i64 = r.try_get(13)?;
            let stored_sum: i64 = r.try_get(14)?;
            let sum: i64 = list.iter().map(|d| fingerprint(d) % FOLD).sum();
            if stored == list.len() as i64 && stored_sum == sum {
                continue;
            }
            if stored > 0 {
                // Changed: which end dates moved (few rows; read only for these).
                let before = sqlx::query("SELECT clock, due_on FROM clocks WHERE petition_id = $1")
                    .bind(id)
                    .fetch_all(&self.pool)
                    .await?;
                for b in &before {
                    let clock: String = b.try_get(0)?;
                    let due = opt_day(b.try_get(1)?)?;
                    if let Some(d) = list.iter().find(|d| d.clock.code() == clock)
                        && d.due != due
                    {
                        moved.push(Moved {
                            petition_code: code.clone(),
                            clock,
                            before: due,
                            after: d.due,
                        });
                    }
                }
            }
            for d in list {
                computed.push((id, unit_id, d));
            }
            changed.push(id);
        }
        Ok(Batch {
            petitions: rows.len(),
            computed,
            changed,
            moved,
        })
    }

    /// Replaces the stored clocks of the changed petitions of a batch, in one transaction.
    async fn write_clocks(&self, batch: &Batch) -> Result<()> {
        let (computed, changed) = (&batch.computed, &batch.changed);
        {
            let mut tx = self.write().await?;
            for ids in changed.chunks(500) {
                let list = ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",");
                sqlx::query(sqlx::AssertSqlSafe(format!(
                    "DELETE FROM clocks WHERE petition_id IN ({list})"
                )))
                .execute(&mut *tx)
                .await?;
            }
            let now = now_utc();
            for chunk in computed.chunks(400) {
                let mut sql = String::from(
                    "INSERT INTO clocks (petition_id, unit_id, clock, started_on, due_on, ended_on, state, explanation, rule_from, computed_at, fingerprint) VALUES ",
                );
                let mut n = 0;
                for (i, _) in chunk.iter().enumerate() {
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    sql.push('(');
                    for j in 0..11 {
                        n += 1;
                        if j > 0 {
                            sql.push_str(", ");
                        }
                        // Anonymous placeholders bind in order on SQLite (see bulk.rs).
                        match self.backend {
                            crate::Backend::Sqlite => sql.push('?'),
                            crate::Backend::Postgres => sql.push_str(&format!("${n}")),
                        }
                    }
                    sql.push(')');
                }
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for (pid, uid, d) in chunk {
                    q = q
                        .bind(*pid)
                        .bind(*uid)
                        .bind(d.clock.code())
                        .bind(d.started.to_string())
                        .bind(d.due.map(|x| x.to_string()))
                        .bind(d.ended.map(|x| x.to_string()))
                        .bind(d.state.code())
                        .bind(d.explanation.clone())
                        .bind(d.rule_from.to_string())
                        .bind(now.clone())
                        .bind(fingerprint(d));
                }
                q.execute(&mut *tx).await?;
            }
            tx.commit().await?;
        }
        Ok(())
    }
}

/// Fingerprints are summed modulo this prime to compare a petition's clocks in one number.
const FOLD: i64 = 1_000_000_007;

/// One range of petitions with their freshly computed clocks.
struct Batch {
    petitions: usize,
    computed: Vec<(i64, i64, Deadline)>,
    /// Petitions whose stored clocks differ from the computed ones.
    changed: Vec<i64>,
    moved: Vec<Moved>,
}

/// FNV-1a over what a clock shows, kept in 63 bits so both backends store it as a signed integer.
fn fingerprint(d: &Deadline) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    let text = format!(
        "{:?}|{:?}|{}|{}",
        d.due,
        d.ended,
        d.state.code(),
        d.explanation
    );
    for b in text.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (h >> 1) as i64
}

const CLOCK_SQL: &str = "SELECT p.code, c.code, u.code, u.name, p.petition_type, p.summary, k.clock, k.started_on, k.due_on, k.ended_on, k.state, k.explanation, k.unit_id \
    FROM clocks k JOIN petitions p ON p.id = k.petition_id JOIN cases c ON c.id = p.case_id JOIN units u ON u.id = k.unit_id";
