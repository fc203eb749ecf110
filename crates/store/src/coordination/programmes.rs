//! Coordination programmes and their tasks: who leads, who cooperates, what was done and what
//! proves it. A programme is read by the users of any party; a task is updated by the users of
//! its lead or cooperating units.

use super::{LinkKind, Linked, audit_write, day_opt, ids_in, view_clause};
use crate::visits::unit_for_write;
use crate::{Result, Store, StoreError, now_utc, parse_day};
use chrono::{Datelike, Months, NaiveDate};
use danvan_domain::Actor;
use danvan_domain::Invalid;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::coordination::{ProgrammeDraft, Recurrence, TaskDraft, TaskStatus, TaskUpdate};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeRow {
    pub id: i64,
    pub title: String,
    pub year_from: i32,
    pub year_to: i32,
    pub parties: Vec<String>,
    pub tasks: i64,
    pub done: i64,
    pub overdue: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct UnitRef {
    pub code: String,
    pub name: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ProgrammeDetail {
    pub id: i64,
    pub title: String,
    pub year_from: i32,
    pub year_to: i32,
    pub legal_basis: String,
    pub scope_unit: UnitRef,
    pub parties: Vec<UnitRef>,
    pub tasks: Vec<TaskRow>,
    /// The regulation, plan and decisions, as files.
    pub documents: Vec<crate::AttachmentRow>,
    /// May the reader add tasks and documents (they belong to a party)?
    pub may_edit: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskRow {
    pub id: i64,
    pub programme_id: i64,
    pub content: String,
    pub lead_unit: String,
    pub cooperating: Vec<String>,
    pub starts_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
    pub recurrence: Recurrence,
    pub status: TaskStatus,
    pub completed_on: Option<NaiveDate>,
    pub overdue: bool,
    pub notes: i64,
    pub links: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskNote {
    pub noted_on: NaiveDate,
    pub status: Option<TaskStatus>,
    pub note: String,
    pub evidence: String,
    pub by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct TaskDetail {
    pub task: TaskRow,
    pub programme_title: String,
    pub notes: Vec<TaskNote>,
    pub links: Vec<Linked>,
    pub may_update: bool,
}

const TASK_SQL: &str = "SELECT t.id, t.programme_id, t.content, u.name, t.starts_on, t.due_on, t.recurrence, t.status, t.completed_on, \
    (SELECT COUNT(*) FROM task_notes n WHERE n.task_id = t.id), (SELECT COUNT(*) FROM task_links l WHERE l.task_id = t.id), u.path \
    FROM programme_tasks t JOIN units u ON u.id = t.lead_unit_id";

fn task_from(r: &sqlx::any::AnyRow, today: NaiveDate) -> Result<(TaskRow, String)> {
    let status = TaskStatus::parse(&r.try_get::<String, _>(7)?)
        .ok_or_else(|| StoreError::Corrupt("trạng thái nhiệm vụ".into()))?;
    let due_on = parse_day(&r.try_get::<String, _>(5)?)?;
    Ok((
        TaskRow {
            id: r.try_get(0)?,
            programme_id: r.try_get(1)?,
            content: r.try_get(2)?,
            lead_unit: r.try_get(3)?,
            cooperating: vec![],
            starts_on: day_opt(r.try_get(4)?)?,
            due_on,
            recurrence: Recurrence::parse(&r.try_get::<String, _>(6)?).unwrap_or(Recurrence::Once),
            status,
            completed_on: day_opt(r.try_get(8)?)?,
            overdue: is_open(status) && due_on < today,
            notes: r.try_get(9)?,
            links: r.try_get(10)?,
        },
        r.try_get(11)?,
    ))
}

fn is_open(s: TaskStatus) -> bool {
    matches!(s, TaskStatus::Planned | TaskStatus::InProgress)
}

/// The next due date of a recurring task, or None when the task is done for good.
fn next_due(due: NaiveDate, r: Recurrence, last_year: i32) -> Option<NaiveDate> {
    let months = match r {
        Recurrence::Once => return None,
        Recurrence::Monthly => 1,
        Recurrence::Quarterly => 3,
    };
    // Keep month ends at month ends: 30/4 + 1 month is 31/5, not 30/5.
    let first_of_next = due.with_day(1)?.checked_add_months(Months::new(months))?;
    let is_month_end = due.succ_opt().is_some_and(|d| d.day() == 1);
    let next = if is_month_end {
        first_of_next
            .checked_add_months(Months::new(1))?
            .pred_opt()?
    } else {
        due.checked_add_months(Months::new(months))?
    };
    (next.year() <= last_year).then_some(next)
}

impl Store {
    /// Party paths of a programme, and its years.
    pub(crate) async fn programme_parties(&self, id: i64) -> Result<(Vec<String>, (i32, i32))> {
        let years: Option<(i64, i64)> =
            sqlx::query_as("SELECT year_from, year_to FROM programmes WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let Some((a, b)) = years else {
            return Err(StoreError::NotFound);
        };
        let paths: Vec<String> = sqlx::query_scalar("SELECT u.path FROM programme_parties pp JOIN units u ON u.id = pp.unit_id WHERE pp.programme_id = $1")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        Ok((paths, (a as i32, b as i32)))
    }

    pub(crate) fn may_view_programme(actor: &Actor, parties: &[String]) -> bool {
        parties
            .iter()
            .any(|p| actor.may(Action::ViewCoordination(RecordRef { unit_path: p })))
    }

    fn may_edit_programme(actor: &Actor, parties: &[String]) -> bool {
        parties
            .iter()
            .any(|p| actor.may(Action::Coordinate(RecordRef { unit_path: p })))
    }

    pub async fn create_programme(&self, actor: &Actor, d: &ProgrammeDraft) -> Result<i64> {
        d.check()?;
        let mut tx = self.write().await?;
        let (scope_id, scope_path) =
            unit_for_write(&mut tx, d.scope_unit.trim(), "scope_unit").await?;
        if !actor.may(Action::ViewCoordination(RecordRef {
            unit_path: &scope_path,
        })) {
            return Err(Invalid::one("scope_unit", "Địa bàn nằm ngoài phạm vi của bạn").into());
        }
        let mut parties: Vec<(String, i64, String)> = vec![];
        for code in &d.parties {
            let code = code.trim();
            if code.is_empty() || parties.iter().any(|(c, ..)| c == code) {
                continue;
            }
            let (id, path) = unit_for_write(&mut tx, code, "parties").await?;
            parties.push((code.to_owned(), id, path));
        }
        let paths: Vec<String> = parties.iter().map(|(.., p)| p.clone()).collect();
        if !Self::may_edit_programme(actor, &paths) {
            return Err(StoreError::Forbidden);
        }
        let id: i64 = sqlx::query_scalar("INSERT INTO programmes (title, year_from, year_to, legal_basis, scope_unit_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id")
            .bind(d.title.trim().to_owned())
            .bind(i64::from(d.year_from))
            .bind(i64::from(d.year_to))
            .bind(d.legal_basis.trim().to_owned())
            .bind(scope_id)
            .bind(actor.user_id)
            .bind(now_utc())
            .fetch_one(&mut *tx)
            .await?;
        for (_, unit_id, _) in &parties {
            sqlx::query("INSERT INTO programme_parties (programme_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(*unit_id)
                .execute(&mut *tx)
                .await?;
        }
        audit_write(&mut tx, actor, "create", "programme", id, d.title.trim()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The programmes the reader may see, newest first, with their task counts.
    pub async fn list_programmes(
        &self,
        actor: &Actor,
        today: NaiveDate,
    ) -> Result<Vec<ProgrammeRow>> {
        let mut w = crate::query::Where::default();
        let visible = view_clause(&mut w, actor, "u.path");
        let t = w.text(today.to_string());
        let sql = format!(
            "SELECT p.id, p.title, p.year_from, p.year_to, \
             (SELECT COUNT(*) FROM programme_tasks t WHERE t.programme_id = p.id), \
             (SELECT COUNT(*) FROM programme_tasks t WHERE t.programme_id = p.id AND t.status = 'done'), \
             (SELECT COUNT(*) FROM programme_tasks t WHERE t.programme_id = p.id AND t.status IN ('planned','in_progress') AND t.due_on < {t}) \
             FROM programmes p WHERE EXISTS (SELECT 1 FROM programme_parties pp JOIN units u ON u.id = pp.unit_id WHERE pp.programme_id = p.id AND {visible}) \
             ORDER BY p.year_to DESC, p.id DESC LIMIT 200"
        );
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(&self.pool)
            .await?;
        let ids: Vec<i64> = rows
            .iter()
            .map(|r| r.try_get(0))
            .collect::<Result<_, _>>()?;
        let mut parties: std::collections::HashMap<i64, Vec<String>> = Default::default();
        if !ids.is_empty() {
            let sql = format!(
                "SELECT pp.programme_id, u.name FROM programme_parties pp JOIN units u ON u.id = pp.unit_id WHERE pp.programme_id IN ({}) ORDER BY u.path",
                ids_in(&ids)
            );
            for r in sqlx::query(sqlx::AssertSqlSafe(sql))
                .fetch_all(&self.pool)
                .await?
            {
                parties
                    .entry(r.try_get(0)?)
                    .or_default()
                    .push(r.try_get(1)?);
            }
        }
        rows.iter()
            .map(|r| {
                let id: i64 = r.try_get(0)?;
                Ok(ProgrammeRow {
                    id,
                    title: r.try_get(1)?,
                    year_from: r.try_get::<i64, _>(2)? as i32,
                    year_to: r.try_get::<i64, _>(3)? as i32,
                    parties: parties.remove(&id).unwrap_or_default(),
                    tasks: r.try_get(4)?,
                    done: r.try_get(5)?,
                    overdue: r.try_get(6)?,
                })
            })
            .collect()
    }

    pub async fn programme(
        &self,
        actor: &Actor,
        id: i64,
        today: NaiveDate,
    ) -> Result<ProgrammeDetail> {
        let (paths, _) = self.programme_parties(id).await?;
        if !Self::may_view_programme(actor, &paths) {
            return Err(StoreError::Forbidden);
        }
        let r = sqlx::query("SELECT p.title, p.year_from, p.year_to, p.legal_basis, u.code, u.name FROM programmes p JOIN units u ON u.id = p.scope_unit_id WHERE p.id = $1")
            .bind(id)
            .fetch_one(&self.pool)
            .await?;
        let parties = sqlx::query("SELECT u.code, u.name FROM programme_parties pp JOIN units u ON u.id = pp.unit_id WHERE pp.programme_id = $1 ORDER BY u.path")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| Ok(UnitRef { code: r.try_get(0)?, name: r.try_get(1)? }))
            .collect::<Result<Vec<_>>>()?;
        let tasks = self
            .tasks_where(
                "t.programme_id = $1 ORDER BY t.due_on, t.id LIMIT 1000",
                id,
                today,
            )
            .await?;
        Ok(ProgrammeDetail {
            id,
            title: r.try_get(0)?,
            year_from: r.try_get::<i64, _>(1)? as i32,
            year_to: r.try_get::<i64, _>(2)? as i32,
            legal_basis: r.try_get(3)?,
            scope_unit: UnitRef {
                code: r.try_get(4)?,
                name: r.try_get(5)?,
            },
            parties,
            tasks: tasks.into_iter().map(|(t, _)| t).collect(),
            documents: self.attachments_where("programme_id", id).await?,
            may_edit: Self::may_edit_programme(actor, &paths),
        })
    }

    /// Adds a document (the coordination regulation, the plan, a decision) to a programme the
    /// reader's unit is a party to.
    pub async fn attach_to_programme(
        &self,
        actor: &Actor,
        blobs: &std::path::Path,
        id: i64,
        file_name: &str,
        bytes: &[u8],
    ) -> Result<crate::AttachmentRow> {
        let (paths, _) = self.programme_parties(id).await?;
        if !Self::may_view_programme(actor, &paths) {
            return Err(StoreError::NotFound);
        }
        if !Self::may_edit_programme(actor, &paths) {
            return Err(StoreError::Forbidden);
        }
        self.attach(
            actor,
            blobs,
            crate::attachments::Owner::Programme(id),
            file_name,
            bytes,
        )
        .await
    }

    /// Tasks matching a clause with one integer parameter, with their cooperating units.
    async fn tasks_where(
        &self,
        clause: &str,
        param: i64,
        today: NaiveDate,
    ) -> Result<Vec<(TaskRow, String)>> {
        let sql = format!("{TASK_SQL} WHERE {clause}");
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(param)
            .fetch_all(&self.pool)
            .await?;
        let mut tasks = rows
            .iter()
            .map(|r| task_from(r, today))
            .collect::<Result<Vec<_>>>()?;
        self.fill_cooperating(&mut tasks).await?;
        Ok(tasks)
    }

    async fn fill_cooperating(&self, tasks: &mut [(TaskRow, String)]) -> Result<()> {
        if tasks.is_empty() {
            return Ok(());
        }
        let ids: Vec<i64> = tasks.iter().map(|(t, _)| t.id).collect();
        let sql = format!(
            "SELECT tu.task_id, u.name FROM task_units tu JOIN units u ON u.id = tu.unit_id WHERE tu.task_id IN ({}) ORDER BY u.path",
            ids_in(&ids)
        );
        let mut by: std::collections::HashMap<i64, Vec<String>> = Default::default();
        for r in sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?
        {
            by.entry(r.try_get(0)?).or_default().push(r.try_get(1)?);
        }
        for (t, _) in tasks.iter_mut() {
            t.cooperating = by.remove(&t.id).unwrap_or_default();
        }
        Ok(())
    }

    pub async fn add_task(&self, actor: &Actor, programme_id: i64, d: &TaskDraft) -> Result<i64> {
        let (paths, term) = self.programme_parties(programme_id).await?;
        if !Self::may_edit_programme(actor, &paths) {
            return Err(StoreError::Forbidden);
        }
        let v = d.check(term)?;
        let mut tx = self.write().await?;
        let (lead_id, _) = unit_for_write(&mut tx, d.lead_unit.trim(), "lead_unit").await?;
        let mut cooperating = vec![];
        for code in d
            .cooperating
            .iter()
            .map(|c| c.trim())
            .filter(|c| !c.is_empty())
        {
            let (id, _) = unit_for_write(&mut tx, code, "cooperating").await?;
            if !cooperating.contains(&id) {
                cooperating.push(id);
            }
        }
        let id: i64 = sqlx::query_scalar("INSERT INTO programme_tasks (programme_id, content, lead_unit_id, starts_on, due_on, recurrence, status, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, 'planned', $7, $8) RETURNING id")
            .bind(programme_id)
            .bind(d.content.trim().to_owned())
            .bind(lead_id)
            .bind(v.starts_on.map(|d| d.to_string()))
            .bind(v.due_on.to_string())
            .bind(v.recurrence.code())
            .bind(actor.user_id)
            .bind(now_utc())
            .fetch_one(&mut *tx)
            .await?;
        for unit_id in cooperating {
            sqlx::query("INSERT INTO task_units (task_id, unit_id) VALUES ($1, $2)")
                .bind(id)
                .bind(unit_id)
                .execute(&mut *tx)
                .await?;
        }
        audit_write(
            &mut tx,
            actor,
            "create",
            "programme_task",
            id,
            d.content.trim(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Paths of the task's lead and cooperating units, and its programme's parties.
    async fn task_paths(&self, id: i64) -> Result<(Vec<String>, i64)> {
        let programme: Option<i64> =
            sqlx::query_scalar("SELECT programme_id FROM programme_tasks WHERE id = $1")
                .bind(id)
                .fetch_optional(&self.pool)
                .await?;
        let Some(programme) = programme else {
            return Err(StoreError::NotFound);
        };
        let paths: Vec<String> = sqlx::query_scalar(
            "SELECT u.path FROM programme_tasks t JOIN units u ON u.id = t.lead_unit_id WHERE t.id = $1 \
             UNION ALL SELECT u.path FROM task_units tu JOIN units u ON u.id = tu.unit_id WHERE tu.task_id = $1",
        )
        .bind(id)
        .fetch_all(&self.pool)
        .await?;
        Ok((paths, programme))
    }

    fn may_update_task(actor: &Actor, units: &[String]) -> bool {
        units
            .iter()
            .any(|p| actor.may(Action::Coordinate(RecordRef { unit_path: p })))
    }

    pub async fn task(&self, actor: &Actor, id: i64, today: NaiveDate) -> Result<TaskDetail> {
        let (units, programme) = self.task_paths(id).await?;
        let (parties, _) = self.programme_parties(programme).await?;
        if !Self::may_view_programme(actor, &parties) && !Self::may_view_programme(actor, &units) {
            return Err(StoreError::Forbidden);
        }
        let mut rows = self.tasks_where("t.id = $1", id, today).await?;
        let (task, _) = rows.pop().ok_or(StoreError::NotFound)?;
        let programme_title: String =
            sqlx::query_scalar("SELECT title FROM programmes WHERE id = $1")
                .bind(programme)
                .fetch_one(&self.pool)
                .await?;
        let notes = sqlx::query("SELECT n.noted_on, n.status, n.note, n.evidence, COALESCE(us.full_name, '') FROM task_notes n LEFT JOIN users us ON us.id = n.created_by WHERE n.task_id = $1 ORDER BY n.noted_on, n.id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|r| {
                Ok(TaskNote {
                    noted_on: parse_day(&r.try_get::<String, _>(0)?)?,
                    status: r.try_get::<Option<String>, _>(1)?.as_deref().and_then(TaskStatus::parse),
                    note: r.try_get(2)?,
                    evidence: r.try_get(3)?,
                    by: r.try_get(4)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        let links = self.task_links(id).await?;
        Ok(TaskDetail {
            task,
            programme_title,
            notes,
            links,
            may_update: Self::may_update_task(actor, &units),
        })
    }

    /// A progress note, and a new status. A recurring task done for its period moves on to the
    /// next period's due date, until the programme's last year.
    pub async fn update_task(
        &self,
        actor: &Actor,
        id: i64,
        u: &TaskUpdate,
        today: NaiveDate,
    ) -> Result<()> {
        let (units, programme) = self.task_paths(id).await?;
        if !Self::may_update_task(actor, &units) {
            return Err(StoreError::Forbidden);
        }
        let (status, on) = u.check(today)?;
        let (_, (_, last_year)) = self.programme_parties(programme).await?;
        let mut tx = self.write().await?;
        let r = sqlx::query("SELECT due_on, recurrence, status FROM programme_tasks WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let due = parse_day(&r.try_get::<String, _>(0)?)?;
        let recurrence = Recurrence::parse(&r.try_get::<String, _>(1)?).unwrap_or(Recurrence::Once);
        sqlx::query("INSERT INTO task_notes (task_id, noted_on, status, note, evidence, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id)
            .bind(on.to_string())
            .bind(status.map(|s| s.code()))
            .bind(u.note.trim().to_owned())
            .bind(u.evidence.trim().to_owned())
            .bind(actor.user_id)
            .bind(now_utc())
            .execute(&mut *tx)
            .await?;
        if let Some(s) = status {
            match (s, next_due(due, recurrence, last_year)) {
                (TaskStatus::Done, Some(next)) => {
                    sqlx::query("UPDATE programme_tasks SET status = 'in_progress', due_on = $1 WHERE id = $2")
                        .bind(next.to_string())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                (TaskStatus::Done, None) => {
                    sqlx::query("UPDATE programme_tasks SET status = 'done', completed_on = $1 WHERE id = $2")
                        .bind(on.to_string())
                        .bind(id)
                        .execute(&mut *tx)
                        .await?;
                }
                (s, _) => {
                    sqlx::query(
                        "UPDATE programme_tasks SET status = $1, completed_on = NULL WHERE id = $2",
                    )
                    .bind(s.code())
                    .bind(id)
                    .execute(&mut *tx)
                    .await?;
                }
            }
        }
        audit_write(
            &mut tx,
            actor,
            "update",
            "programme_task",
            id,
            status.map(|s| s.code()).unwrap_or("note"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Links a record that proves the task: a case by code, a dialogue, situation report or
    /// model by number. The reader must be able to see the record.
    pub async fn link_task(
        &self,
        actor: &Actor,
        id: i64,
        kind: LinkKind,
        target: &str,
    ) -> Result<()> {
        let (units, _) = self.task_paths(id).await?;
        if !Self::may_update_task(actor, &units) {
            return Err(StoreError::Forbidden);
        }
        let target = self.resolve_link(actor, kind, target.trim()).await?;
        let mut tx = self.write().await?;
        sqlx::query("INSERT INTO task_links (task_id, target_kind, target, created_by, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id)
            .bind(kind.code())
            .bind(target.clone())
            .bind(actor.user_id)
            .bind(now_utc())
            .execute(&mut *tx)
            .await?;
        audit_write(
            &mut tx,
            actor,
            "link",
            "programme_task",
            id,
            &format!("{} {target}", kind.code()),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Open tasks past their due date that the reader's units lead or cooperate on (the
    /// dashboard's list), most overdue first.
    pub async fn overdue_tasks(
        &self,
        actor: &Actor,
        today: NaiveDate,
        limit: i64,
    ) -> Result<(Vec<TaskRow>, i64)> {
        let mut w = crate::query::Where::default();
        let t = w.text(today.to_string());
        let lead = view_clause(&mut w, actor, "u.path");
        let coop = view_clause(&mut w, actor, "cu.path");
        let filter = format!(
            "t.status IN ('planned','in_progress') AND t.due_on < {t} AND ({lead} OR EXISTS (SELECT 1 FROM task_units tu JOIN units cu ON cu.id = tu.unit_id WHERE tu.task_id = t.id AND {coop}))"
        );
        let total: i64 = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM programme_tasks t JOIN units u ON u.id = t.lead_unit_id WHERE {filter}"
            ))))
            .fetch_one(&self.pool)
            .await?
            .try_get(0)?;
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "{TASK_SQL} WHERE {filter} ORDER BY t.due_on, t.id LIMIT {}",
                limit.clamp(1, 500)
            ))))
            .fetch_all(&self.pool)
            .await?;
        let mut tasks = rows
            .iter()
            .map(|r| task_from(r, today))
            .collect::<Result<Vec<_>>>()?;
        self.fill_cooperating(&mut tasks).await?;
        Ok((tasks.into_iter().map(|(t, _)| t).collect(), total))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid")
    }

    #[test]
    fn recurring_tasks_roll_to_the_next_period() {
        assert_eq!(
            next_due(d(2022, 1, 31), Recurrence::Monthly, 2022),
            Some(d(2022, 2, 28))
        );
        assert_eq!(
            next_due(d(2022, 4, 30), Recurrence::Monthly, 2022),
            Some(d(2022, 5, 31))
        );
        assert_eq!(
            next_due(d(2022, 3, 31), Recurrence::Quarterly, 2022),
            Some(d(2022, 6, 30))
        );
        assert_eq!(
            next_due(d(2022, 3, 15), Recurrence::Quarterly, 2022),
            Some(d(2022, 6, 15))
        );
        assert_eq!(next_due(d(2022, 12, 31), Recurrence::Monthly, 2022), None);
        assert_eq!(next_due(d(2022, 6, 30), Recurrence::Once, 2025), None);
    }
}
