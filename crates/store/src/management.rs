//! State management of complaints and denunciations: the inspections, dissemination sessions and
//! documents a unit records for form 06/QLKNTC (`danvan_domain::management`).

use crate::query::{Where, scope_clause};
use crate::visits::unit_for_write;
use crate::{Result, Store, StoreError, audit, now_utc, parse_day};
use chrono::NaiveDate;
use danvan_domain::Actor;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::management::{ActivityDraft, ActivityKind};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct ActivityRow {
    pub id: i64,
    pub unit_code: String,
    pub unit_name: String,
    pub kind: ActivityKind,
    pub activity_date: NaiveDate,
    pub title: String,
    pub units_covered: i64,
    pub units_in_breach: i64,
    pub people_recommended: i64,
    pub participants: i64,
    pub note: String,
    /// Whether the reader may remove it (a slip is removed, not edited: the audit log keeps
    /// what it said).
    pub removable: bool,
}

impl Store {
    /// Records an activity with its audit row; returns its id.
    pub async fn add_activity(
        &self,
        actor: &Actor,
        d: &ActivityDraft,
        today: NaiveDate,
    ) -> Result<i64> {
        let v = d.check(today)?;
        let mut tx = self.write().await?;
        let (unit_id, path) = unit_for_write(&mut tx, d.unit.trim(), "unit").await?;
        if !actor.may(Action::RecordManagement(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO management_activities (unit_id, kind, activity_date, title, units_covered, units_in_breach, people_recommended, participants, note, created_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id",
        )
        .bind(unit_id)
        .bind(v.kind.code())
        .bind(v.activity_date.to_string())
        .bind(d.title.trim().to_owned())
        .bind(v.units_covered)
        .bind(v.units_in_breach)
        .bind(v.people_recommended)
        .bind(v.participants)
        .bind(d.note.trim().to_owned())
        .bind(actor.user_id)
        .bind(now_utc())
        .fetch_one(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "create",
            "management_activity",
            &id.to_string(),
            &format!("{} {} {}", v.kind.code(), v.activity_date, d.title.trim()),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Removes an activity recorded by mistake: it counts nowhere from now on, and the row (with
    /// who removed it) and the audit log keep what it said. Removing it again changes nothing.
    pub async fn remove_activity(&self, actor: &Actor, id: i64) -> Result<()> {
        let mut tx = self.write().await?;
        let row = sqlx::query(
            "SELECT u.path, a.kind, a.activity_date, a.title FROM management_activities a JOIN units u ON u.id = a.unit_id WHERE a.id = $1",
        )
        .bind(id)
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let path: String = row.try_get(0)?;
        if !actor.may(Action::ViewRecord(RecordRef { unit_path: &path })) {
            return Err(StoreError::NotFound);
        }
        if !actor.may(Action::RecordManagement(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let removed = sqlx::query(
            "UPDATE management_activities SET removed_at = $1, removed_by = $2 WHERE id = $3 AND removed_at IS NULL",
        )
        .bind(now_utc())
        .bind(actor.user_id)
        .bind(id)
        .execute(&mut *tx)
        .await?
        .rows_affected();
        if removed > 0 {
            audit::record(
                &mut tx,
                Some(actor.user_id),
                "delete",
                "management_activity",
                &id.to_string(),
                &format!(
                    "{} {} {}",
                    row.try_get::<String, _>(1)?,
                    row.try_get::<String, _>(2)?,
                    row.try_get::<String, _>(3)?
                ),
            )
            .await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The activities (not removed) of the units the reader may see, dated in a period, newest
    /// first.
    pub async fn activities(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ActivityRow>> {
        let mut w = Where::default();
        let visible = scope_clause(&mut w, "u.path", &actor.scope);
        w.and(visible);
        w.and("a.removed_at IS NULL".into());
        w.date_between("a.activity_date", Some(from), Some(to));
        let sql = format!(
            "SELECT a.id, u.code, u.name, u.path, a.kind, a.activity_date, a.title, a.units_covered, a.units_in_breach, a.people_recommended, a.participants, a.note \
             FROM management_activities a JOIN units u ON u.id = a.unit_id WHERE {} ORDER BY a.activity_date DESC, a.id DESC",
            w.sql()
        );
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                let path: String = r.try_get(3)?;
                Ok(ActivityRow {
                    id: r.try_get(0)?,
                    unit_code: r.try_get(1)?,
                    unit_name: r.try_get(2)?,
                    kind: ActivityKind::parse(&r.try_get::<String, _>(4)?)
                        .ok_or_else(|| StoreError::Corrupt("loại hoạt động".into()))?,
                    activity_date: parse_day(&r.try_get::<String, _>(5)?)?,
                    title: r.try_get(6)?,
                    units_covered: r.try_get(7)?,
                    units_in_breach: r.try_get(8)?,
                    people_recommended: r.try_get(9)?,
                    participants: r.try_get(10)?,
                    note: r.try_get(11)?,
                    removable: actor.may(Action::RecordManagement(RecordRef { unit_path: &path })),
                })
            })
            .collect()
    }
}
