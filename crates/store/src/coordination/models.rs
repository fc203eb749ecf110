//! "Dân vận khéo" models: registration, the cycle to commendation and replication, the
//! per-province criteria checklist, and the yearly rounds decided for many models at once.

use super::situation::CatalogueItem;
use super::{audit_write, day_opt};
use crate::query::Where;
use crate::visits::unit_for_write;
use crate::{Page, Paged, Result, Store, StoreError, now_utc, parse_day};
use chrono::{Datelike, NaiveDate};
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::coordination::{
    ModelDraft, ModelField, ModelKind, ModelLevel, ModelStage, ModelState, StageDraft,
};
use danvan_domain::{Actor, FieldErrors, Invalid};
use serde::{Deserialize, Serialize};
use sqlx::{Any, Row, Transaction};

#[derive(Debug, Clone, Serialize)]
pub struct ModelRow {
    pub id: i64,
    pub name: String,
    pub unit: String,
    pub field: ModelField,
    pub kind: ModelKind,
    pub level: ModelLevel,
    pub year: i32,
    pub stage: ModelStage,
    pub stage_on: NaiveDate,
    pub recognised_decision: Option<String>,
    pub recognised_on: Option<NaiveDate>,
    pub commend_form: Option<String>,
    pub commend_issuer: Option<String>,
    pub commend_decision: Option<String>,
    pub commended_on: Option<NaiveDate>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelEvent {
    pub stage: ModelStage,
    pub on: NaiveDate,
    pub note: String,
    pub decision: String,
    pub by: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct ModelDetail {
    pub row: ModelRow,
    pub address: String,
    pub registered_on: NaiveDate,
    pub period_from: i32,
    pub period_to: i32,
    pub description: String,
    pub results: String,
    pub evidence: String,
    pub stopped_reason: Option<String>,
    /// Every active criterion and whether the model meets it.
    pub criteria: Vec<(CatalogueItem, bool)>,
    pub events: Vec<ModelEvent>,
    pub may_update: bool,
    pub may_assess: bool,
}

#[derive(Debug, Clone, Default)]
pub struct ModelFilter {
    pub year: Option<i32>,
    pub field: Option<ModelField>,
    pub level: Option<ModelLevel>,
    pub stage: Option<ModelStage>,
    pub kind: Option<ModelKind>,
    /// A unit's subtree (path).
    pub within: Option<String>,
    pub text: Option<String>,
}

/// Counts of the models a filter selects, by field, level, kind and stage.
#[derive(Debug, Clone, Default, Serialize)]
pub struct ModelCounts {
    pub total: i64,
    pub by_field: Vec<(ModelField, i64)>,
    pub by_level: Vec<(ModelLevel, i64)>,
    pub by_kind: Vec<(ModelKind, i64)>,
    pub by_stage: Vec<(ModelStage, i64)>,
    /// By area one level below the unit asked for: (name, code, models), largest first.
    pub by_area: Vec<(String, String, i64)>,
}

impl ModelCounts {
    fn empty() -> Self {
        ModelCounts {
            total: 0,
            by_field: ModelField::ALL.iter().map(|v| (*v, 0)).collect(),
            by_level: ModelLevel::ALL.iter().map(|v| (*v, 0)).collect(),
            by_kind: ModelKind::ALL.iter().map(|v| (*v, 0)).collect(),
            by_stage: ModelStage::ALL.iter().map(|v| (*v, 0)).collect(),
            by_area: vec![],
        }
    }

    /// Adds `n` models of the stored (field, level, kind, stage) codes.
    fn add(&mut self, (field, level, kind, stage): (&str, &str, &str, &str), n: i64) {
        fn bump<T: Copy + PartialEq>(list: &mut [(T, i64)], v: Option<T>, n: i64) {
            if let Some(e) = list.iter_mut().find(|e| Some(e.0) == v) {
                e.1 += n;
            }
        }
        self.total += n;
        bump(&mut self.by_field, ModelField::parse(field), n);
        bump(&mut self.by_level, ModelLevel::parse(level), n);
        bump(&mut self.by_kind, ModelKind::parse(kind), n);
        bump(&mut self.by_stage, ModelStage::parse(stage), n);
    }
}

/// A round of recognition or commendation: one decision for the chosen models.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct RoundDraft {
    /// `recognised` or `commended`.
    pub stage: String,
    pub decision: String,
    pub on: String,
    #[serde(default)]
    pub form: String,
    #[serde(default)]
    pub issuer: String,
    pub models: Vec<i64>,
}

const ROW_SQL: &str = "SELECT m.id, m.name, u.name, m.field, m.kind, m.level, m.year, m.stage, m.stage_on, \
    m.recognised_decision, m.recognised_on, m.commend_form, m.commend_issuer, m.commend_decision, m.commended_on, \
    m.address, m.registered_on, m.period_from, m.period_to, m.description, m.results, m.evidence, m.stopped_reason, \
    m.criteria_met, u.path FROM dvk_models m JOIN units u ON u.id = m.unit_id";

fn corrupt(what: &str) -> StoreError {
    StoreError::Corrupt(what.into())
}

fn row_from(r: &sqlx::any::AnyRow) -> Result<ModelRow> {
    Ok(ModelRow {
        id: r.try_get(0)?,
        name: r.try_get(1)?,
        unit: r.try_get(2)?,
        field: ModelField::parse(&r.try_get::<String, _>(3)?).ok_or_else(|| corrupt("lĩnh vực"))?,
        kind: ModelKind::parse(&r.try_get::<String, _>(4)?)
            .ok_or_else(|| corrupt("loại mô hình"))?,
        level: ModelLevel::parse(&r.try_get::<String, _>(5)?).ok_or_else(|| corrupt("cấp"))?,
        year: r.try_get::<i64, _>(6)? as i32,
        stage: ModelStage::parse(&r.try_get::<String, _>(7)?).ok_or_else(|| corrupt("bước"))?,
        stage_on: parse_day(&r.try_get::<String, _>(8)?)?,
        recognised_decision: r.try_get(9)?,
        recognised_on: day_opt(r.try_get(10)?)?,
        commend_form: r.try_get(11)?,
        commend_issuer: r.try_get(12)?,
        commend_decision: r.try_get(13)?,
        commended_on: day_opt(r.try_get(14)?)?,
    })
}

impl Store {
    pub async fn model_criteria(&self, all: bool) -> Result<Vec<CatalogueItem>> {
        let rows: Vec<(i64, String, i64)> =
            sqlx::query_as("SELECT id, label, active FROM model_criteria ORDER BY sort_order, id")
                .fetch_all(&self.pool)
                .await?;
        Ok(rows
            .into_iter()
            .filter(|r| all || r.2 != 0)
            .map(|(id, label, active)| CatalogueItem {
                code: id.to_string(),
                label,
                active: active != 0,
            })
            .collect())
    }

    /// Adds a criterion (`id` None) or edits one (administrators; the checklist is the
    /// province's own).
    pub async fn set_model_criterion(
        &self,
        actor: &Actor,
        id: Option<i64>,
        label: &str,
        active: bool,
    ) -> Result<()> {
        if !actor.may(Action::Administer) {
            return Err(StoreError::Forbidden);
        }
        if label.trim().is_empty() {
            return Err(Invalid::one("label", "Chưa nhập nội dung tiêu chí").into());
        }
        let mut tx = self.write().await?;
        let id = match id {
            Some(id) => {
                let n = sqlx::query("UPDATE model_criteria SET label = $1, active = $2 WHERE id = $3")
                    .bind(label.trim().to_owned())
                    .bind(i64::from(active))
                    .bind(id)
                    .execute(&mut *tx)
                    .await?
                    .rows_affected();
                if n == 0 {
                    return Err(StoreError::NotFound);
                }
                id
            }
            None => sqlx::query_scalar("INSERT INTO model_criteria (label, sort_order, active) VALUES ($1, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM model_criteria), $2) RETURNING id")
                .bind(label.trim().to_owned())
                .bind(i64::from(active))
                .fetch_one(&mut *tx)
                .await?,
        };
        audit_write(
            &mut tx,
            actor,
            "update",
            "model_criterion",
            id,
            label.trim(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    pub async fn register_model(
        &self,
        actor: &Actor,
        d: &ModelDraft,
        today: NaiveDate,
    ) -> Result<i64> {
        let v = d.check(today)?;
        let mut tx = self.write().await?;
        let (unit_id, path) = unit_for_write(&mut tx, d.unit.trim(), "unit").await?;
        if !actor.may(Action::Coordinate(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let on = v.registered_on.to_string();
        let id: i64 = sqlx::query_scalar("INSERT INTO dvk_models (name, unit_id, address, field, kind, level, registered_on, year, period_from, period_to, description, results, evidence, stage, stage_on, created_by, created_at, search_key) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, 'registered', $7, $14, $15, $16) RETURNING id")
            .bind(d.name.trim().to_owned())
            .bind(unit_id)
            .bind(d.address.trim().to_owned())
            .bind(v.field.code())
            .bind(v.kind.code())
            .bind(v.level.code())
            .bind(on.clone())
            .bind(i64::from(v.registered_on.year()))
            .bind(i64::from(d.period_from))
            .bind(i64::from(d.period_to))
            .bind(d.description.trim().to_owned())
            .bind(d.results.trim().to_owned())
            .bind(d.evidence.trim().to_owned())
            .bind(actor.user_id)
            .bind(now_utc())
            .bind(danvan_vntext::fold(&format!("{} {}", d.name, d.address)))
            .fetch_one(&mut *tx)
            .await?;
        event(
            &mut tx,
            actor,
            id,
            ModelStage::Registered,
            &on,
            "",
            "",
            None,
        )
        .await?;
        audit_write(&mut tx, actor, "create", "dvk_model", id, d.name.trim()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// The filter's clause over `m` (the models table alone: the units the reader may see and
    /// the area asked for are resolved to ids first, so the indexes on `dvk_models` serve it).
    async fn model_filter(&self, actor: &Actor, f: &ModelFilter) -> Result<Where> {
        let mut w = Where::default();
        let units = self
            .units_clause(
                "m.unit_id",
                &actor.coordination_scope(),
                f.within.as_deref(),
            )
            .await?;
        w.and(units);
        if let Some(y) = f.year {
            let p = w.int(i64::from(y));
            w.and(format!("m.year = {p}"));
        }
        w.equals("m.field", f.field.map(|v| v.code()));
        w.equals("m.level", f.level.map(|v| v.code()));
        w.equals("m.stage", f.stage.map(|v| v.code()));
        w.equals("m.kind", f.kind.map(|v| v.code()));
        w.folded_contains("m.search_key", f.text.as_deref());
        Ok(w)
    }

    /// One page of the models a filter selects, newest first, and their counts by field,
    /// level, kind, stage and area (whose sum is the page's total). One statement reads the
    /// matching models once (a name typed in part costs one pass over the keys, not three):
    /// their few columns are kept aside, then grouped twice and paged.
    pub async fn list_models(
        &self,
        actor: &Actor,
        f: &ModelFilter,
        page: Page,
    ) -> Result<(Paged<ModelRow>, ModelCounts)> {
        let w = self.model_filter(actor, f).await?;
        let sql = format!(
            "WITH h AS MATERIALIZED (SELECT m.id, m.year, m.field, m.level, m.kind, m.stage, m.unit_id FROM dvk_models m WHERE {}) \
             SELECT 0, field, level, kind, stage, CAST(0 AS BIGINT), COUNT(*) FROM h GROUP BY field, level, kind, stage \
             UNION ALL SELECT 1, '', '', '', '', unit_id, COUNT(*) FROM h GROUP BY unit_id \
             UNION ALL SELECT 2, '', '', '', '', id, CAST(0 AS BIGINT) FROM (SELECT id FROM h ORDER BY year DESC, id DESC LIMIT {} OFFSET {}) p",
            w.sql(),
            page.size,
            page.offset()
        );
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(&self.pool)
            .await?;
        let mut counts = ModelCounts::empty();
        let (mut by_unit, mut ids) = (vec![], vec![]);
        for r in &rows {
            let (part, id, n): (i32, i64, i64) = (r.try_get(0)?, r.try_get(5)?, r.try_get(6)?);
            match part {
                0 => counts.add(
                    (
                        &r.try_get::<String, _>(1)?,
                        &r.try_get::<String, _>(2)?,
                        &r.try_get::<String, _>(3)?,
                        &r.try_get::<String, _>(4)?,
                    ),
                    n,
                ),
                1 => by_unit.push((id, n)),
                _ => ids.push(id),
            }
        }
        counts.by_area = self.by_area(&by_unit, actor, f.within.as_deref()).await?;
        let rows = if ids.is_empty() {
            vec![]
        } else {
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "{ROW_SQL} WHERE m.id IN ({}) ORDER BY m.year DESC, m.id DESC",
                super::ids_in(&ids)
            )))
            .fetch_all(&self.pool)
            .await?
        };
        Ok((
            Paged {
                items: rows.iter().map(row_from).collect::<Result<_>>()?,
                total: counts.total,
                total_is_lower_bound: false,
                page: page.number,
                page_size: page.size,
            },
            counts,
        ))
    }

    /// Models by unit rolled up to the area one level below the unit asked for.
    async fn by_area(
        &self,
        by_unit: &[(i64, i64)],
        actor: &Actor,
        within: Option<&str>,
    ) -> Result<Vec<(String, String, i64)>> {
        let units = self.units().await?;
        let base = super::breakdown_base(actor, within);
        let mut out: Vec<(String, String, i64)> = vec![];
        for (unit, n) in by_unit {
            let Some(area) = units
                .iter()
                .find(|u| u.id == *unit)
                .and_then(|u| super::area_of(&units, &base, &u.path))
            else {
                continue;
            };
            match out.iter_mut().find(|a| a.1 == area.code) {
                Some(a) => a.2 += n,
                None => out.push((area.name.clone(), area.code.clone(), *n)),
            }
        }
        out.sort_by(|a, b| b.2.cmp(&a.2).then_with(|| a.0.cmp(&b.0)));
        Ok(out)
    }

    pub async fn model(&self, actor: &Actor, id: i64) -> Result<ModelDetail> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("{ROW_SQL} WHERE m.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let path: String = r.try_get(24)?;
        let rec = RecordRef { unit_path: &path };
        if !actor.may(Action::ViewCoordination(rec)) {
            return Err(StoreError::Forbidden);
        }
        let met: String = r.try_get(23)?;
        let criteria = self
            .model_criteria(false)
            .await?
            .into_iter()
            .map(|c| {
                let on = met.contains(&format!(",{},", c.code));
                (c, on)
            })
            .collect();
        let events = sqlx::query("SELECT e.stage, e.on_date, e.note, e.decision, COALESCE(us.full_name, '') FROM model_events e LEFT JOIN users us ON us.id = e.created_by WHERE e.model_id = $1 ORDER BY e.on_date, e.id")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|e| {
                Ok(ModelEvent {
                    stage: ModelStage::parse(&e.try_get::<String, _>(0)?).ok_or_else(|| corrupt("bước"))?,
                    on: parse_day(&e.try_get::<String, _>(1)?)?,
                    note: e.try_get(2)?,
                    decision: e.try_get(3)?,
                    by: e.try_get(4)?,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        Ok(ModelDetail {
            row: row_from(&r)?,
            address: r.try_get(15)?,
            registered_on: parse_day(&r.try_get::<String, _>(16)?)?,
            period_from: r.try_get::<i64, _>(17)? as i32,
            period_to: r.try_get::<i64, _>(18)? as i32,
            description: r.try_get(19)?,
            results: r.try_get(20)?,
            evidence: r.try_get(21)?,
            stopped_reason: r.try_get(22)?,
            criteria,
            events,
            may_update: actor.may(Action::Coordinate(rec)),
            may_assess: actor.may(Action::AssessModel(rec)),
        })
    }

    /// The state the cycle's rules need, and the model's unit path, read in the transaction.
    async fn model_state(
        tx: &mut Transaction<'static, Any>,
        id: i64,
    ) -> Result<(ModelState, String)> {
        let r = sqlx::query("SELECT m.stage, m.registered_on, m.stage_on, m.recognised_on, u.path FROM dvk_models m JOIN units u ON u.id = m.unit_id WHERE m.id = $1")
            .bind(id)
            .fetch_optional(&mut **tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((
            ModelState {
                stage: ModelStage::parse(&r.try_get::<String, _>(0)?)
                    .ok_or_else(|| corrupt("bước"))?,
                registered_on: parse_day(&r.try_get::<String, _>(1)?)?,
                last_step_on: parse_day(&r.try_get::<String, _>(2)?)?,
                recognised_on: day_opt(r.try_get(3)?)?,
            },
            r.try_get(4)?,
        ))
    }

    /// One step of the cycle. Moving the work on (in progress, stopped) is for the model's own
    /// unit; checking, recognising, commending and replicating are for the board and leaders.
    pub async fn step_model(
        &self,
        actor: &Actor,
        id: i64,
        d: &StageDraft,
        today: NaiveDate,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        self.apply_step(&mut tx, actor, id, d, today, None).await?;
        tx.commit().await?;
        Ok(())
    }

    async fn apply_step(
        &self,
        tx: &mut Transaction<'static, Any>,
        actor: &Actor,
        id: i64,
        d: &StageDraft,
        today: NaiveDate,
        round: Option<i64>,
    ) -> Result<ModelStage> {
        let (state, path) = Self::model_state(tx, id).await?;
        let rec = RecordRef { unit_path: &path };
        if !actor.may(Action::ViewCoordination(rec)) {
            return Err(StoreError::NotFound);
        }
        // Who may take no step at all is refused before the step is read.
        if !actor.may(Action::Coordinate(rec)) && !actor.may(Action::AssessModel(rec)) {
            return Err(StoreError::Forbidden);
        }
        let (stage, on) = d.check(state, today)?;
        let allowed = match stage {
            ModelStage::InProgress | ModelStage::Stopped => {
                actor.may(Action::Coordinate(rec)) || actor.may(Action::AssessModel(rec))
            }
            _ => actor.may(Action::AssessModel(rec)),
        };
        if !allowed {
            return Err(StoreError::Forbidden);
        }
        let on_s = on.to_string();
        let decision = d.decision.trim().to_owned();
        // Every parameter is used whatever the stage (PostgreSQL types each one it is sent).
        sqlx::query(
            "UPDATE dvk_models SET stage = $1, stage_on = $2, \
             recognised_decision = CASE WHEN $1 = 'recognised' THEN $3 ELSE recognised_decision END, \
             recognised_on = CASE WHEN $1 = 'recognised' THEN $2 ELSE recognised_on END, \
             commend_decision = CASE WHEN $1 = 'commended' THEN $3 ELSE commend_decision END, \
             commended_on = CASE WHEN $1 = 'commended' THEN $2 ELSE commended_on END, \
             commend_form = CASE WHEN $1 = 'commended' THEN $4 ELSE commend_form END, \
             commend_issuer = CASE WHEN $1 = 'commended' THEN $5 ELSE commend_issuer END, \
             stopped_reason = CASE WHEN $1 = 'stopped' THEN $6 ELSE stopped_reason END \
             WHERE id = $7",
        )
        .bind(stage.code())
        .bind(on_s.clone())
        .bind(decision.clone())
        .bind(d.form.trim().to_owned())
        .bind(d.issuer.trim().to_owned())
        .bind(d.note.trim().to_owned())
        .bind(id)
        .execute(&mut **tx)
        .await?;
        event(tx, actor, id, stage, &on_s, d.note.trim(), &decision, round).await?;
        audit_write(tx, actor, "update", "dvk_model", id, stage.code()).await?;
        Ok(stage)
    }

    /// Records which criteria a model meets (the check before recognition).
    pub async fn set_model_criteria(&self, actor: &Actor, id: i64, met: &[i64]) -> Result<()> {
        let mut tx = self.write().await?;
        let (_, path) = Self::model_state(&mut tx, id).await?;
        if !actor.may(Action::AssessModel(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let known: Vec<i64> = sqlx::query_scalar("SELECT id FROM model_criteria WHERE active = 1")
            .fetch_all(&mut *tx)
            .await?;
        let mut ids: Vec<i64> = met.iter().copied().filter(|i| known.contains(i)).collect();
        ids.sort_unstable();
        ids.dedup();
        let stored = if ids.is_empty() {
            String::new()
        } else {
            format!(",{},", super::ids_in(&ids))
        };
        sqlx::query("UPDATE dvk_models SET criteria_met = $1 WHERE id = $2")
            .bind(stored.clone())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_write(&mut tx, actor, "update", "dvk_model_criteria", id, &stored).await?;
        tx.commit().await?;
        Ok(())
    }

    /// A yearly round: one decision recognising or commending many models, all or none.
    /// Returns the number of models.
    pub async fn model_round(
        &self,
        actor: &Actor,
        d: &RoundDraft,
        today: NaiveDate,
    ) -> Result<usize> {
        let stage = match d.stage.trim() {
            "recognised" => ModelStage::Recognised,
            "commended" => ModelStage::Commended,
            _ => return Err(Invalid::one("stage", "Chọn đợt công nhận hoặc khen thưởng").into()),
        };
        let mut ids = d.models.clone();
        ids.sort_unstable();
        ids.dedup();
        if ids.is_empty() {
            return Err(Invalid::one("models", "Chưa chọn mô hình nào").into());
        }
        let step = StageDraft {
            stage: stage.code().into(),
            on: d.on.clone(),
            note: format!("Theo quyết định {}", d.decision.trim()),
            decision: d.decision.clone(),
            form: d.form.clone(),
            issuer: d.issuer.clone(),
        };
        let mut tx = self.write().await?;
        let on = danvan_domain::format::parse_date(&d.on)
            .map(|d| d.to_string())
            .unwrap_or_default();
        let round: i64 = sqlx::query_scalar("INSERT INTO model_rounds (stage, decision, decided_on, form, issuer, models, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id")
            .bind(stage.code())
            .bind(d.decision.trim().to_owned())
            .bind(on)
            .bind(d.form.trim().to_owned())
            .bind(d.issuer.trim().to_owned())
            .bind(ids.len() as i64)
            .bind(actor.user_id)
            .bind(now_utc())
            .fetch_one(&mut *tx)
            .await?;
        for id in &ids {
            match self
                .apply_step(&mut tx, actor, *id, &step, today, Some(round))
                .await
            {
                Ok(_) => {}
                // Name the model at fault; the transaction is dropped, nothing is saved.
                Err(StoreError::Invalid(i)) => {
                    let mut e = FieldErrors::default();
                    e.add("models", format!("Mô hình số {id}: {}", i.0.joined()));
                    return Err(Invalid(e).into());
                }
                Err(e) => return Err(e),
            }
        }
        audit_write(
            &mut tx,
            actor,
            "create",
            "model_round",
            round,
            d.decision.trim(),
        )
        .await?;
        tx.commit().await?;
        Ok(ids.len())
    }

    /// Models recognised and commended in a period inside a unit (for reviews).
    pub(crate) async fn models_decided(
        &self,
        within: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(Vec<ModelRow>, Vec<ModelRow>)> {
        let q = |col: &str| {
            format!(
                "{ROW_SQL} WHERE u.path LIKE $1 AND m.{col} >= $2 AND m.{col} <= $3 ORDER BY m.{col}, m.id LIMIT 500"
            )
        };
        let mut out = vec![];
        for col in ["recognised_on", "commended_on"] {
            let rows = sqlx::query(sqlx::AssertSqlSafe(q(col)))
                .bind(crate::subtree(within))
                .bind(from.to_string())
                .bind(to.to_string())
                .fetch_all(&self.pool)
                .await?;
            out.push(rows.iter().map(row_from).collect::<Result<Vec<_>>>()?);
        }
        let commended = out.pop().unwrap_or_default();
        let recognised = out.pop().unwrap_or_default();
        Ok((recognised, commended))
    }

    /// Models registered in a period inside a unit, counted (for reviews).
    pub(crate) async fn models_registered(
        &self,
        within: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<i64> {
        Ok(sqlx::query_scalar("SELECT COUNT(*) FROM dvk_models m JOIN units u ON u.id = m.unit_id WHERE u.path LIKE $1 AND m.registered_on >= $2 AND m.registered_on <= $3")
            .bind(crate::subtree(within))
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_one(&self.pool)
            .await?)
    }
}

#[allow(clippy::too_many_arguments)]
async fn event(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    model: i64,
    stage: ModelStage,
    on: &str,
    note: &str,
    decision: &str,
    round: Option<i64>,
) -> Result<()> {
    sqlx::query("INSERT INTO model_events (model_id, stage, on_date, note, decision, round_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(model)
        .bind(stage.code())
        .bind(on.to_owned())
        .bind(note.to_owned())
        .bind(decision.to_owned())
        .bind(round)
        .bind(actor.user_id)
        .bind(now_utc())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
