//! The audit row written in the same transaction as every change.

use crate::{Result, now_utc};
use sqlx::{Any, Transaction};

pub(crate) async fn record(
    tx: &mut Transaction<'static, Any>,
    user_id: Option<i64>,
    action: &str,
    entity: &str,
    entity_code: &str,
    detail: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (at, user_id, action, entity, entity_code, detail) VALUES ($1, $2, $3, $4, $5, $6)")
        .bind(now_utc())
        .bind(user_id)
        .bind(action.to_owned())
        .bind(entity.to_owned())
        .bind(entity_code.to_owned())
        .bind(detail.to_owned())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

/// Next number of a yearly sequence (`DON-2026-000123`), taken inside the caller's transaction.
pub(crate) async fn next_code(
    tx: &mut Transaction<'static, Any>,
    prefix: &str,
    year: i32,
) -> Result<String> {
    let updated: Option<i64> = sqlx::query_scalar(
        "UPDATE counters SET value = value + 1 WHERE name = $1 AND year = $2 RETURNING value",
    )
    .bind(prefix.to_owned())
    .bind(i64::from(year))
    .fetch_optional(&mut **tx)
    .await?;
    let n = match updated {
        Some(n) => n,
        None => {
            sqlx::query("INSERT INTO counters (name, year, value) VALUES ($1, $2, 1)")
                .bind(prefix.to_owned())
                .bind(i64::from(year))
                .execute(&mut **tx)
                .await?;
            1
        }
    };
    Ok(format!("{prefix}-{year}-{n:06}"))
}

impl crate::Store {
    /// The newest audit rows (for the administrator's page and tests).
    pub async fn audit_tail(
        &self,
        limit: i64,
    ) -> Result<Vec<(String, Option<i64>, String, String, String)>> {
        use sqlx::Row;
        let rows = sqlx::query("SELECT at, user_id, action, entity, entity_code FROM audit_log ORDER BY id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok((
                    r.try_get(0)?,
                    r.try_get(1)?,
                    r.try_get(2)?,
                    r.try_get(3)?,
                    r.try_get(4)?,
                ))
            })
            .collect()
    }
}

/// Logs a read of protected identity (its own short transaction).
pub(crate) async fn record_read(
    pool: &sqlx::AnyPool,
    user_id: i64,
    entity: &str,
    code: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO audit_log (at, user_id, action, entity, entity_code, detail) VALUES ($1, $2, 'read_identity', $3, $4, '')")
        .bind(now_utc())
        .bind(user_id)
        .bind(entity.to_owned())
        .bind(code.to_owned())
        .execute(pool)
        .await?;
    Ok(())
}
