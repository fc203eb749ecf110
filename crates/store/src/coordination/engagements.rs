//! Dialogues with citizens, direct meetings, and contact visits to religious organisations and
//! ethnic communities: who met whom, when, about what, and what follows.

use super::{audit_write, view_clause};
use crate::query::Where;
use crate::visits::unit_for_write;
use crate::{Page, Paged, Result, Store, StoreError, now_utc, parse_day};
use chrono::NaiveDate;
use danvan_domain::Actor;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::coordination::{EngagementDraft, EngagementKind};
use serde::Serialize;
use sqlx::Row;

#[derive(Debug, Clone, Serialize)]
pub struct EngagementRow {
    pub id: i64,
    pub kind: EngagementKind,
    pub unit: String,
    pub held_on: NaiveDate,
    pub host: String,
    pub counterpart: String,
    pub topics: String,
    pub participants: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct EngagementDetail {
    pub row: EngagementRow,
    pub place: String,
    pub occasion: String,
    pub gifts: String,
    pub issues: String,
    pub conclusions: String,
    pub follow_up: String,
    /// (code, title) of the cases discussed.
    pub cases: Vec<(String, String)>,
}

const ROW_SQL: &str = "SELECT e.id, e.kind, u.name, e.held_on, e.host, e.counterpart, e.topics, e.participants, \
    e.place, e.occasion, e.gifts, e.issues, e.conclusions, e.follow_up, u.path \
    FROM engagements e JOIN units u ON u.id = e.unit_id";

fn row_from(r: &sqlx::any::AnyRow) -> Result<EngagementRow> {
    Ok(EngagementRow {
        id: r.try_get(0)?,
        kind: EngagementKind::parse(&r.try_get::<String, _>(1)?)
            .ok_or_else(|| StoreError::Corrupt("loại đối thoại".into()))?,
        unit: r.try_get(2)?,
        held_on: parse_day(&r.try_get::<String, _>(3)?)?,
        host: r.try_get(4)?,
        counterpart: r.try_get(5)?,
        topics: r.try_get(6)?,
        participants: r.try_get(7)?,
    })
}

impl Store {
    pub async fn create_engagement(
        &self,
        actor: &Actor,
        d: &EngagementDraft,
        today: NaiveDate,
    ) -> Result<i64> {
        let (kind, held_on) = d.check(today)?;
        let cases = self.cases_for(actor, &d.cases, "cases").await?;
        let mut tx = self.write().await?;
        let (unit_id, path) = unit_for_write(&mut tx, d.unit.trim(), "unit").await?;
        if !actor.may(Action::Coordinate(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let id: i64 = sqlx::query_scalar("INSERT INTO engagements (kind, unit_id, held_on, place, host, counterpart, occasion, participants, topics, gifts, issues, conclusions, follow_up, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15) RETURNING id")
            .bind(kind.code())
            .bind(unit_id)
            .bind(held_on.to_string())
            .bind(d.place.trim().to_owned())
            .bind(d.host.trim().to_owned())
            .bind(d.counterpart.trim().to_owned())
            .bind(d.occasion.trim().to_owned())
            .bind(d.participants)
            .bind(d.topics.trim().to_owned())
            .bind(d.gifts.trim().to_owned())
            .bind(d.issues.trim().to_owned())
            .bind(d.conclusions.trim().to_owned())
            .bind(d.follow_up.trim().to_owned())
            .bind(actor.user_id)
            .bind(now_utc())
            .fetch_one(&mut *tx)
            .await?;
        for case_id in cases {
            sqlx::query("INSERT INTO engagement_cases (engagement_id, case_id) VALUES ($1, $2)")
                .bind(id)
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
        audit_write(&mut tx, actor, "create", "engagement", id, kind.code()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Dialogues and visits in a period, newest first.
    pub async fn list_engagements(
        &self,
        actor: &Actor,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        kind: Option<EngagementKind>,
        page: Page,
    ) -> Result<Paged<EngagementRow>> {
        let mut w = Where::default();
        let visible = view_clause(&mut w, actor, "u.path");
        w.and(visible);
        w.date_between("e.held_on", from, to);
        w.equals("e.kind", kind.map(|k| k.code()));
        self.paged(
            &w,
            (ROW_SQL, "engagements e JOIN units u ON u.id = e.unit_id"),
            "e.held_on DESC, e.id DESC",
            page,
            row_from,
        )
        .await
    }

    pub async fn engagement(&self, actor: &Actor, id: i64) -> Result<EngagementDetail> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("{ROW_SQL} WHERE e.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let path: String = r.try_get(14)?;
        if !actor.may(Action::ViewCoordination(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let cases = sqlx::query_as("SELECT c.code, c.title FROM engagement_cases ec JOIN cases c ON c.id = ec.case_id WHERE ec.engagement_id = $1 ORDER BY c.code")
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        Ok(EngagementDetail {
            row: row_from(&r)?,
            place: r.try_get(8)?,
            occasion: r.try_get(9)?,
            gifts: r.try_get(10)?,
            issues: r.try_get(11)?,
            conclusions: r.try_get(12)?,
            follow_up: r.try_get(13)?,
            cases,
        })
    }

    /// How many dialogues, meetings and visits each kind counts in a period inside a unit.
    pub(crate) async fn engagement_counts(
        &self,
        scope_path: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(EngagementKind, i64)>> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT e.kind, COUNT(*) FROM engagements e JOIN units u ON u.id = e.unit_id WHERE u.path LIKE $1 AND e.held_on >= $2 AND e.held_on <= $3 GROUP BY e.kind")
            .bind(crate::subtree(scope_path))
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&self.pool)
            .await?;
        Ok(EngagementKind::ALL
            .iter()
            .map(|k| {
                (
                    *k,
                    rows.iter()
                        .find(|(c, _)| c == k.code())
                        .map(|(_, n)| *n)
                        .unwrap_or(0),
                )
            })
            .collect())
    }

    /// The dialogues and visits of a period inside a unit, in date order (for reviews).
    pub(crate) async fn engagements_in(
        &self,
        scope_path: &str,
        from: NaiveDate,
        to: NaiveDate,
        limit: i64,
    ) -> Result<Vec<EngagementRow>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{ROW_SQL} WHERE u.path LIKE $1 AND e.held_on >= $2 AND e.held_on <= $3 ORDER BY e.held_on, e.id LIMIT {limit}"
        )))
        .bind(crate::subtree(scope_path))
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        rows.iter().map(row_from).collect()
    }
}
