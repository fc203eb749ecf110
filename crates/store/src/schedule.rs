//! Lịch tiếp công dân: the days each head must hold reception, and whether each was held.

use crate::{Result, Store, StoreError, audit, parse_day, subtree};
use chrono::NaiveDate;
use danvan_domain::Actor;
use danvan_domain::access::{Action, RecordRef};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct ScheduleRow {
    pub id: i64,
    pub unit_name: String,
    pub leader_name: String,
    pub scheduled_on: NaiveDate,
    pub held: Option<bool>,
    pub note: String,
}

impl Store {
    pub async fn add_schedule(
        &self,
        actor: &Actor,
        unit_code: &str,
        leader_name: &str,
        on: NaiveDate,
    ) -> Result<()> {
        if leader_name.trim().is_empty() {
            return Err(
                danvan_domain::Invalid::one("leader_name", "Chưa nhập lãnh đạo tiếp").into(),
            );
        }
        let mut tx = self.write().await?;
        let (unit_id, path) =
            crate::visits::unit_for_write(&mut tx, unit_code, "unit_code").await?;
        if !actor.may(Action::ManageSchedule(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        sqlx::query("INSERT INTO reception_schedule (unit_id, leader_name, scheduled_on) VALUES ($1, $2, $3)")
            .bind(unit_id)
            .bind(leader_name.trim().to_owned())
            .bind(on.to_string())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "create",
            "reception_schedule",
            unit_code,
            &format!("{leader_name} {on}"),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn mark_schedule(
        &self,
        actor: &Actor,
        id: i64,
        held: bool,
        note: &str,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let path: Option<String> = sqlx::query_scalar("SELECT u.path FROM reception_schedule s JOIN units u ON u.id = s.unit_id WHERE s.id = $1").bind(id).fetch_optional(&mut *tx).await?;
        let Some(path) = path else {
            return Err(StoreError::NotFound);
        };
        if !actor.may(Action::ManageSchedule(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        sqlx::query("UPDATE reception_schedule SET held = $1, note = $2 WHERE id = $3")
            .bind(i64::from(held))
            .bind(note.trim().to_owned())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "update",
            "reception_schedule",
            &id.to_string(),
            if held { "held" } else { "not_held" },
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn schedule(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<ScheduleRow>> {
        let rows = sqlx::query("SELECT s.id, u.name, s.leader_name, s.scheduled_on, s.held, s.note FROM reception_schedule s JOIN units u ON u.id = s.unit_id WHERE u.path LIKE $1 AND s.scheduled_on >= $2 AND s.scheduled_on <= $3 ORDER BY s.scheduled_on, u.path")
            .bind(subtree(&actor.unit_path))
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(ScheduleRow {
                    id: r.try_get(0)?,
                    unit_name: r.try_get(1)?,
                    leader_name: r.try_get(2)?,
                    scheduled_on: parse_day(&r.try_get::<String, _>(3)?)?,
                    held: r.try_get::<Option<i64>, _>(4)?.map(|v| v != 0),
                    note: r.try_get(5)?,
                })
            })
            .collect()
    }
}
