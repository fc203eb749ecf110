//! The narrative summary's figures, counted from the records in SQL.

use crate::query::{Where, scope_clause};
use crate::{Result, Store, subtree};
use chrono::NaiveDate;
use danvan_domain::summary::{LeadingField, Summary};
use sqlx::Row;

impl Store {
    /// Figures for a period and a unit with its subtree and the history of the units it
    /// succeeded (None: every unit).
    pub async fn summary(
        &self,
        from: NaiveDate,
        to: NaiveDate,
        unit_code: Option<&str>,
    ) -> Result<Summary> {
        let scope = match unit_code {
            Some(code) => {
                let unit = self
                    .unit_by_code(code)
                    .await?
                    .ok_or(crate::StoreError::NotFound)?;
                self.scope_of(&unit.path).await?
            }
            None => vec!["/".to_owned()],
        };
        let mut w = Where::default();
        w.text(from.to_string());
        w.text(to.to_string());
        let units = scope_clause(&mut w, "path", &scope);
        let in_scope = format!("unit_id IN (SELECT id FROM units WHERE {units})");
        let v = format!(
            "SELECT COUNT(*), COUNT(DISTINCT v.case_id), \
             CAST(COALESCE(SUM(CASE WHEN v.is_group = 1 THEN 1 ELSE 0 END), 0) AS BIGINT), \
             CAST(COALESCE(SUM(CASE WHEN v.is_group = 1 THEN v.headcount ELSE 0 END), 0) AS BIGINT) \
             FROM visits v WHERE v.visit_date >= $1 AND v.visit_date <= $2 AND v.refused = 0 AND v.{in_scope}",
        );
        // The visits and the petitions side by side; the petitions by field once, which gives
        // both their number and the leading fields.
        let visits = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(v)))
            .fetch_one(&self.pool);
        let by_field = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT x.n, f.code, f.narrative_label, f.sort_order FROM (SELECT p.field_code, COUNT(*) AS n FROM petitions p \
                 WHERE p.received_date >= $1 AND p.received_date <= $2 AND p.{in_scope} \
                 GROUP BY p.field_code) x LEFT JOIN fields f ON f.code = x.field_code"
            ))))
            .fetch_all(&self.pool);
        let (v, by_field) = tokio::try_join!(visits, by_field)?;
        let mut petitions = 0;
        let mut fields = vec![];
        for r in &by_field {
            let n: i64 = r.try_get(0)?;
            petitions += n;
            if let Some(code) = r.try_get::<Option<String>, _>(1)? {
                let label: String = r.try_get(2)?;
                let order: i64 = r.try_get(3)?;
                fields.push((
                    n,
                    order,
                    LeadingField {
                        code,
                        label,
                        count: n,
                    },
                ));
            }
        }
        fields.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        let leading = fields.into_iter().take(3).map(|f| f.2).collect();
        Ok(Summary {
            from,
            to,
            unit: unit_code.map(str::to_owned),
            visits: v.try_get(0)?,
            cases: v.try_get(1)?,
            group_visits: v.try_get(2)?,
            group_people: v.try_get(3)?,
            petitions,
            leading_fields: leading,
        })
    }

    /// Counts for the dashboard: open cases and transfers waiting in the actor's inbox.
    pub async fn dashboard_counts(&self, unit_path: &str) -> Result<(i64, i64)> {
        let open: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.status IN ('open', 'settling') AND u.path LIKE $1")
            .bind(subtree(unit_path))
            .fetch_one(&self.pool)
            .await?;
        let inbox: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM transfers t JOIN units u ON u.id = t.to_unit_id WHERE t.status = 'pending' AND u.path LIKE $1")
            .bind(subtree(unit_path))
            .fetch_one(&self.pool)
            .await?;
        Ok((open, inbox))
    }
}
