//! Nắm tình hình nhân dân: periodic situation reports from units, their hotspots, and the
//! overview that sets what the reports said beside the signals of the registers.

use super::{audit_write, ids_in, view_clause};
use crate::query::Where;
use crate::visits::unit_for_write;
use crate::{Page, Paged, Result, Store, StoreError, now_utc, parse_day};
use chrono::NaiveDate;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::coordination::{HotspotDraft, HotspotStatus, SituationDraft, SituationLevel};
use danvan_domain::{Actor, Invalid};
use serde::Serialize;
use sqlx::Row;
use std::collections::BTreeMap;

/// An entry of an editable catalogue (situation topics, model criteria).
#[derive(Debug, Clone, Serialize)]
pub struct CatalogueItem {
    pub code: String,
    pub label: String,
    pub active: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct SituationRow {
    pub id: i64,
    pub unit: String,
    pub unit_code: String,
    pub period_from: NaiveDate,
    pub period_to: NaiveDate,
    pub level: SituationLevel,
    /// Topic labels.
    pub topics: Vec<String>,
    pub hotspots: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct HotspotRow {
    pub id: i64,
    pub report_id: i64,
    pub area: String,
    pub area_code: Option<String>,
    /// The unit whose report named it.
    pub report_unit_code: String,
    pub place: String,
    pub since: NaiveDate,
    pub people: i64,
    pub status: HotspotStatus,
    pub measures: String,
    /// (code, title) of the linked cases.
    pub cases: Vec<(String, String)>,
    /// Group visits (đoàn đông người) about the linked cases, and their people.
    pub group_visits: i64,
    pub group_people: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SituationDetail {
    pub row: SituationRow,
    pub unit_path: String,
    pub narrative: String,
    pub recommendations: String,
    pub hotspots: Vec<HotspotRow>,
    pub may_edit: bool,
}

/// One area's line in the overview (a unit one level below the area asked for, with its
/// subtree): its latest level and its reports by level.
#[derive(Debug, Clone, Serialize)]
pub struct UnitSituation {
    pub unit: String,
    pub unit_code: String,
    pub latest: SituationLevel,
    pub latest_on: NaiveDate,
    pub stable: i64,
    pub signs: i64,
    pub complex: i64,
    pub open_hotspots: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct SituationOverview {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub units: Vec<UnitSituation>,
    /// Hotspots reported in the period, open ones first.
    pub hotspots: Vec<HotspotRow>,
    /// (month "mm/yyyy", stable, signs, complex) by the month a report's period ends.
    pub trend: Vec<(String, i64, i64, i64)>,
    /// The registers' signals for the same period and area.
    pub group_visits: i64,
    pub group_people: i64,
    pub complex_cases: i64,
    pub prolonged_cases: i64,
    pub ethnic_cases: i64,
    pub religious_cases: i64,
}

const ROW_SQL: &str = "SELECT s.id, u.name, u.code, s.period_from, s.period_to, s.level, s.topics, \
    (SELECT COUNT(*) FROM hotspots h WHERE h.report_id = s.id), s.narrative, s.recommendations, u.path \
    FROM situation_reports s JOIN units u ON u.id = s.unit_id";

impl Store {
    pub async fn situation_topics(&self, all: bool) -> Result<Vec<CatalogueItem>> {
        let rows: Vec<(String, String, i64)> = sqlx::query_as(
            "SELECT code, label, active FROM situation_topics ORDER BY sort_order, code",
        )
        .fetch_all(&self.pool)
        .await?;
        Ok(rows
            .into_iter()
            .filter(|r| all || r.2 != 0)
            .map(|(code, label, active)| CatalogueItem {
                code,
                label,
                active: active != 0,
            })
            .collect())
    }

    /// Adds a topic or renames and (de)activates an existing one (administrators).
    pub async fn set_situation_topic(
        &self,
        actor: &Actor,
        code: &str,
        label: &str,
        active: bool,
    ) -> Result<()> {
        if !actor.may(Action::Administer) {
            return Err(StoreError::Forbidden);
        }
        let code = code.trim().to_lowercase();
        if code.is_empty() || !code.chars().all(|c| c.is_ascii_alphanumeric() || c == '_') {
            return Err(Invalid::one(
                "code",
                "Mã chủ đề chỉ gồm chữ không dấu, số và dấu gạch dưới",
            )
            .into());
        }
        if label.trim().is_empty() {
            return Err(Invalid::one("label", "Chưa nhập tên chủ đề").into());
        }
        let mut tx = self.write().await?;
        let updated =
            sqlx::query("UPDATE situation_topics SET label = $1, active = $2 WHERE code = $3")
                .bind(label.trim().to_owned())
                .bind(i64::from(active))
                .bind(code.clone())
                .execute(&mut *tx)
                .await?
                .rows_affected();
        if updated == 0 {
            sqlx::query("INSERT INTO situation_topics (code, label, sort_order, active) VALUES ($1, $2, (SELECT COALESCE(MAX(sort_order), 0) + 1 FROM situation_topics), $3)")
                .bind(code.clone())
                .bind(label.trim().to_owned())
                .bind(i64::from(active))
                .execute(&mut *tx)
                .await?;
        }
        crate::audit::record(
            &mut tx,
            Some(actor.user_id),
            "update",
            "situation_topic",
            &code,
            label.trim(),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn topic_labels(&self) -> Result<BTreeMap<String, String>> {
        Ok(self
            .situation_topics(true)
            .await?
            .into_iter()
            .map(|t| (t.code, t.label))
            .collect())
    }

    fn situation_from(
        r: &sqlx::any::AnyRow,
        labels: &BTreeMap<String, String>,
    ) -> Result<SituationRow> {
        let topics: String = r.try_get(6)?;
        Ok(SituationRow {
            id: r.try_get(0)?,
            unit: r.try_get(1)?,
            unit_code: r.try_get(2)?,
            period_from: parse_day(&r.try_get::<String, _>(3)?)?,
            period_to: parse_day(&r.try_get::<String, _>(4)?)?,
            level: SituationLevel::parse(&r.try_get::<String, _>(5)?)
                .ok_or_else(|| StoreError::Corrupt("mức độ tình hình".into()))?,
            topics: topics
                .split(',')
                .filter(|t| !t.is_empty())
                .map(|t| labels.get(t).cloned().unwrap_or_else(|| t.to_owned()))
                .collect(),
            hotspots: r.try_get(7)?,
        })
    }

    pub async fn create_situation(&self, actor: &Actor, d: &SituationDraft) -> Result<i64> {
        let v = d.check()?;
        let known = self.topic_labels().await?;
        let mut topics: Vec<&str> = d
            .topics
            .iter()
            .map(|t| t.trim())
            .filter(|t| !t.is_empty())
            .collect();
        topics.sort_unstable();
        topics.dedup();
        if let Some(bad) = topics.iter().find(|t| !known.contains_key(**t)) {
            return Err(
                Invalid::one("topics", format!("Chủ đề “{bad}” không có trong danh mục")).into(),
            );
        }
        let mut tx = self.write().await?;
        let (unit_id, path) = unit_for_write(&mut tx, d.unit.trim(), "unit").await?;
        if !actor.may(Action::Coordinate(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let stored = if topics.is_empty() {
            String::new()
        } else {
            format!(",{},", topics.join(","))
        };
        let id: i64 = sqlx::query_scalar("INSERT INTO situation_reports (unit_id, period_from, period_to, level, topics, narrative, recommendations, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(unit_id)
            .bind(v.from.to_string())
            .bind(v.to.to_string())
            .bind(v.level.code())
            .bind(stored)
            .bind(d.narrative.trim().to_owned())
            .bind(d.recommendations.trim().to_owned())
            .bind(actor.user_id)
            .bind(now_utc())
            .fetch_one(&mut *tx)
            .await?;
        audit_write(
            &mut tx,
            actor,
            "create",
            "situation_report",
            id,
            v.level.code(),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A hotspot in a report. Its place must lie inside the report's unit and the reader's area.
    pub async fn add_hotspot(
        &self,
        actor: &Actor,
        report_id: i64,
        d: &HotspotDraft,
        today: NaiveDate,
    ) -> Result<i64> {
        let report_path: Option<String> = sqlx::query_scalar("SELECT u.path FROM situation_reports s JOIN units u ON u.id = s.unit_id WHERE s.id = $1")
            .bind(report_id)
            .fetch_optional(&self.pool)
            .await?;
        let report_path = report_path.ok_or(StoreError::NotFound)?;
        if !actor.may(Action::Coordinate(RecordRef {
            unit_path: &report_path,
        })) {
            return Err(StoreError::Forbidden);
        }
        let (since, status) = d.check(today)?;
        let cases = self.cases_for(actor, &d.cases, "cases").await?;
        let mut tx = self.write().await?;
        let (area_id, area_path) = unit_for_write(&mut tx, d.area_unit.trim(), "area_unit").await?;
        if !area_path.starts_with(&report_path)
            || !actor.may(Action::Coordinate(RecordRef {
                unit_path: &area_path,
            }))
        {
            return Err(Invalid::one(
                "area_unit",
                "Địa bàn của điểm nóng nằm ngoài địa bàn của báo cáo hoặc của bạn",
            )
            .into());
        }
        let area_code: Option<String> =
            sqlx::query_scalar("SELECT area_code FROM units WHERE id = $1")
                .bind(area_id)
                .fetch_one(&mut *tx)
                .await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO hotspots (report_id, unit_id, area_code, place, since, people, status, measures, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id")
            .bind(report_id)
            .bind(area_id)
            .bind(area_code)
            .bind(d.place.trim().to_owned())
            .bind(since.to_string())
            .bind(d.people)
            .bind(status.code())
            .bind(d.measures.trim().to_owned())
            .bind(now_utc())
            .fetch_one(&mut *tx)
            .await?;
        for case_id in cases {
            sqlx::query("INSERT INTO hotspot_cases (hotspot_id, case_id) VALUES ($1, $2)")
                .bind(id)
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
        audit_write(&mut tx, actor, "create", "hotspot", id, d.place.trim()).await?;
        tx.commit().await?;
        Ok(id)
    }

    /// Moves a hotspot on (open → monitoring → resolved) with the measures taken.
    pub async fn update_hotspot(
        &self,
        actor: &Actor,
        id: i64,
        status: &str,
        measures: &str,
    ) -> Result<i64> {
        let row: Option<(i64, String)> = sqlx::query_as("SELECT h.report_id, u.path FROM hotspots h JOIN units u ON u.id = h.unit_id WHERE h.id = $1")
            .bind(id)
            .fetch_optional(&self.pool)
            .await?;
        let (report_id, path) = row.ok_or(StoreError::NotFound)?;
        if !actor.may(Action::Coordinate(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let status = HotspotStatus::parse(status.trim())
            .ok_or_else(|| Invalid::one("status", "Trạng thái không có trong danh mục"))?;
        let mut tx = self.write().await?;
        sqlx::query("UPDATE hotspots SET status = $1, measures = $2 WHERE id = $3")
            .bind(status.code())
            .bind(measures.trim().to_owned())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit_write(&mut tx, actor, "update", "hotspot", id, status.code()).await?;
        tx.commit().await?;
        Ok(report_id)
    }

    pub async fn list_situations(
        &self,
        actor: &Actor,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
        within: Option<&str>,
        level: Option<SituationLevel>,
        page: Page,
    ) -> Result<Paged<SituationRow>> {
        let mut w = Where::default();
        let units = self
            .units_clause("s.unit_id", &actor.coordination_scope(), within)
            .await?;
        w.and(units);
        w.date_between("s.period_to", from, to);
        w.equals("s.level", level.map(|l| l.code()));
        let labels = self.topic_labels().await?;
        self.paged(
            &w,
            (
                ROW_SQL,
                "situation_reports s JOIN units u ON u.id = s.unit_id",
            ),
            "s.period_to DESC, s.id DESC",
            page,
            |r| Self::situation_from(r, &labels),
        )
        .await
    }

    pub async fn situation(&self, actor: &Actor, id: i64) -> Result<SituationDetail> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("{ROW_SQL} WHERE s.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let path: String = r.try_get(10)?;
        if !actor.may(Action::ViewCoordination(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let labels = self.topic_labels().await?;
        let mut w = Where::default();
        let p = w.int(id);
        let hotspots = self
            .hotspots_where(&w, &format!("h.report_id = {p}"), 500)
            .await?;
        Ok(SituationDetail {
            row: Self::situation_from(&r, &labels)?,
            narrative: r.try_get(8)?,
            recommendations: r.try_get(9)?,
            may_edit: actor.may(Action::Coordinate(RecordRef { unit_path: &path })),
            unit_path: path,
            hotspots,
        })
    }

    /// Hotspots matching a clause over `h` (hotspot), `u` (its area's unit) and `s` (its
    /// report), whose parameters `w` holds, with their cases and group visits.
    async fn hotspots_where(&self, w: &Where, clause: &str, limit: i64) -> Result<Vec<HotspotRow>> {
        let sql = format!(
            "SELECT h.id, h.report_id, u.name, h.area_code, h.place, h.since, h.people, h.status, h.measures, ru.code \
             FROM hotspots h JOIN units u ON u.id = h.unit_id JOIN situation_reports s ON s.id = h.report_id JOIN units ru ON ru.id = s.unit_id \
             WHERE {clause} \
             ORDER BY CASE h.status WHEN 'open' THEN 0 WHEN 'monitoring' THEN 1 ELSE 2 END, h.since DESC, h.id DESC LIMIT {limit}"
        );
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(sql)))
            .fetch_all(&self.pool)
            .await?;
        let mut out = rows
            .iter()
            .map(|r| {
                Ok(HotspotRow {
                    id: r.try_get(0)?,
                    report_id: r.try_get(1)?,
                    area: r.try_get(2)?,
                    area_code: r.try_get(3)?,
                    place: r.try_get(4)?,
                    since: parse_day(&r.try_get::<String, _>(5)?)?,
                    people: r.try_get(6)?,
                    status: HotspotStatus::parse(&r.try_get::<String, _>(7)?)
                        .ok_or_else(|| StoreError::Corrupt("trạng thái điểm nóng".into()))?,
                    measures: r.try_get(8)?,
                    report_unit_code: r.try_get(9)?,
                    cases: vec![],
                    group_visits: 0,
                    group_people: 0,
                })
            })
            .collect::<Result<Vec<_>>>()?;
        if out.is_empty() {
            return Ok(out);
        }
        let ids: Vec<i64> = out.iter().map(|h| h.id).collect();
        let sql = format!(
            "SELECT hc.hotspot_id, c.code, c.title, \
             (SELECT COUNT(*) FROM visits v WHERE v.case_id = c.id AND v.is_group = 1), \
             (SELECT CAST(COALESCE(SUM(v.headcount), 0) AS BIGINT) FROM visits v WHERE v.case_id = c.id AND v.is_group = 1) \
             FROM hotspot_cases hc JOIN cases c ON c.id = hc.case_id WHERE hc.hotspot_id IN ({}) ORDER BY c.code",
            ids_in(&ids)
        );
        for r in sqlx::query(sqlx::AssertSqlSafe(sql))
            .fetch_all(&self.pool)
            .await?
        {
            let hid: i64 = r.try_get(0)?;
            if let Some(h) = out.iter_mut().find(|h| h.id == hid) {
                h.cases.push((r.try_get(1)?, r.try_get(2)?));
                h.group_visits += r.try_get::<i64, _>(3)?;
                h.group_people += r.try_get::<i64, _>(4)?;
            }
        }
        Ok(out)
    }

    /// The situation of a period inside a unit (None: all the reader may see): each reporting
    /// unit's levels and hotspots, the trend by month, and the registers' signals beside them.
    pub async fn situation_overview(
        &self,
        actor: &Actor,
        from: NaiveDate,
        to: NaiveDate,
        within: Option<&str>,
    ) -> Result<SituationOverview> {
        if let Some(path) = within
            && !actor.may(Action::ViewCoordination(RecordRef { unit_path: path }))
        {
            return Err(StoreError::Forbidden);
        }
        // The units the reader may see inside the area, resolved to ids: the reports are then
        // read through their (unit, period) index.
        let units = self
            .units_clause("s.unit_id", &actor.coordination_scope(), within)
            .await?;
        let mut w = Where::default();
        let f = w.text(from.to_string());
        let t = w.text(to.to_string());
        let filter = format!("{units} AND s.period_to >= {f} AND s.period_to <= {t}");
        // Each unit's counts by level, then rolled up to the areas one level below the one
        // asked for (the provinces of the country, the communes of a province), so that the
        // table has a line per area however many units report.
        let rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT u.path, s.level, COUNT(*), MAX(s.period_to) FROM situation_reports s JOIN units u ON u.id = s.unit_id \
                 WHERE {filter} GROUP BY u.path, s.level ORDER BY u.path"
            ))))
            .fetch_all(&self.pool)
            .await?;
        let all_units = self.units().await?;
        let base = super::breakdown_base(actor, within);
        let area_of = |path: &str| super::area_of(&all_units, &base, path);
        let mut units: Vec<UnitSituation> = vec![];
        for r in &rows {
            let path: String = r.try_get(0)?;
            let Some(area) = area_of(&path) else {
                continue;
            };
            let level = SituationLevel::parse(&r.try_get::<String, _>(1)?)
                .ok_or_else(|| StoreError::Corrupt("mức độ".into()))?;
            let n: i64 = r.try_get(2)?;
            let last = parse_day(&r.try_get::<String, _>(3)?)?;
            let i = match units.iter().position(|u| u.unit_code == area.code) {
                Some(i) => i,
                None => {
                    units.push(UnitSituation {
                        unit: area.name.clone(),
                        unit_code: area.code.clone(),
                        latest: level,
                        latest_on: last,
                        stable: 0,
                        signs: 0,
                        complex: 0,
                        open_hotspots: 0,
                    });
                    units.len() - 1
                }
            };
            let u = &mut units[i];
            match level {
                SituationLevel::Stable => u.stable += n,
                SituationLevel::Signs => u.signs += n,
                SituationLevel::Complex => u.complex += n,
            }
            // The latest report wins; on the same day, the graver level.
            if last > u.latest_on || (last == u.latest_on && level as u8 > u.latest as u8) {
                u.latest = level;
                u.latest_on = last;
            }
        }
        let trend_rows = w
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT SUBSTR(s.period_to, 1, 7), s.level, COUNT(*) FROM situation_reports s JOIN units u ON u.id = s.unit_id \
                 WHERE {filter} GROUP BY SUBSTR(s.period_to, 1, 7), s.level ORDER BY 1"
            ))))
            .fetch_all(&self.pool)
            .await?;
        let mut trend: Vec<(String, i64, i64, i64)> = vec![];
        for r in &trend_rows {
            let ym: String = r.try_get(0)?;
            let month = format!("{}/{}", &ym[5..7], &ym[0..4]);
            let n: i64 = r.try_get(2)?;
            if trend.last().is_none_or(|l| l.0 != month) {
                trend.push((month, 0, 0, 0));
            }
            let last = trend.last_mut().expect("pushed");
            match SituationLevel::parse(&r.try_get::<String, _>(1)?) {
                Some(SituationLevel::Stable) => last.1 += n,
                Some(SituationLevel::Signs) => last.2 += n,
                _ => last.3 += n,
            }
        }
        // Hotspots of the period's reports.
        let within_or_all = within.unwrap_or("/");
        let mut hw = Where::default();
        let inside = hw.text(crate::subtree(within_or_all));
        let f = hw.text(from.to_string());
        let t = hw.text(to.to_string());
        let visible = view_clause(&mut hw, actor, "u.path");
        let clause = format!(
            "u.path LIKE {inside} AND {visible} AND s.period_to >= {f} AND s.period_to <= {t}"
        );
        let hotspots = self.hotspots_where(&hw, &clause, 200).await?;
        for h in &hotspots {
            let area = all_units
                .iter()
                .find(|u| u.code == h.report_unit_code)
                .and_then(|u| area_of(&u.path));
            if h.status != HotspotStatus::Resolved
                && let Some(area) = area
                && let Some(u) = units.iter_mut().find(|u| u.unit_code == area.code)
            {
                u.open_hotspots += 1;
            }
        }
        // The registers' signals, counted for the same area and period.
        let scope = match within {
            Some(path) => self.scope_of(path).await?,
            None => actor.coordination_scope(),
        };
        // `+unit_id`: the unit list must not drive the plan — a province-year holds thousands
        // of visits, the partial indexes below only its few group visits and flagged cases.
        let in_scope = self.units_clause("+unit_id", &scope, None).await?;
        let mut rw = Where::default();
        let f = rw.text(from.to_string());
        let t = rw.text(to.to_string());
        let g = rw
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*), CAST(COALESCE(SUM(headcount), 0) AS BIGINT) FROM visits WHERE visit_date >= {f} AND visit_date <= {t} AND is_group = 1 AND refused = 0 AND {in_scope}"
            ))))
            .fetch_one(&self.pool)
            .await?;
        // Cases alive in the period: opened by its end and not closed before it began (a
        // closed case's last activity is not recorded, so closed cases count when opened in it).
        // Only flagged cases can count: the predicate is the partial index's, word for word.
        let c = rw
            .bind(sqlx::query(sqlx::AssertSqlSafe(format!(
                "SELECT CAST(COALESCE(SUM(is_complex), 0) AS BIGINT), CAST(COALESCE(SUM(is_prolonged), 0) AS BIGINT), \
                 CAST(COALESCE(SUM(is_ethnic), 0) AS BIGINT), CAST(COALESCE(SUM(is_religious), 0) AS BIGINT) FROM cases \
                 WHERE (is_complex = 1 OR is_prolonged = 1 OR is_ethnic = 1 OR is_religious = 1) \
                 AND opened_on <= {t} AND (status IN ('open','settling') OR opened_on >= {f}) AND {in_scope}"
            ))))
            .fetch_one(&self.pool)
            .await?;
        Ok(SituationOverview {
            from,
            to,
            units,
            hotspots,
            trend,
            group_visits: g.try_get(0)?,
            group_people: g.try_get(1)?,
            complex_cases: c.try_get(0)?,
            prolonged_cases: c.try_get(1)?,
            ethnic_cases: c.try_get(2)?,
            religious_cases: c.try_get(3)?,
        })
    }

    /// Reports of a period inside a unit whose level is not stable (for reviews).
    pub(crate) async fn situation_highlights(
        &self,
        within: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<(SituationRow, String)>> {
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{ROW_SQL} WHERE u.path LIKE $1 AND s.period_to >= $2 AND s.period_to <= $3 AND s.level <> 'stable' ORDER BY s.period_to, s.id LIMIT 50"
        )))
        .bind(crate::subtree(within))
        .bind(from.to_string())
        .bind(to.to_string())
        .fetch_all(&self.pool)
        .await?;
        let labels = self.topic_labels().await?;
        rows.iter()
            .map(|r| {
                Ok((
                    Self::situation_from(r, &labels)?,
                    r.try_get::<String, _>(8)?,
                ))
            })
            .collect()
    }

    /// Counts of a period's situation reports by level inside a unit (for reviews).
    pub(crate) async fn situation_counts(
        &self,
        within: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<(i64, i64, i64)> {
        let rows: Vec<(String, i64)> = sqlx::query_as("SELECT s.level, COUNT(*) FROM situation_reports s JOIN units u ON u.id = s.unit_id WHERE u.path LIKE $1 AND s.period_to >= $2 AND s.period_to <= $3 GROUP BY s.level")
            .bind(crate::subtree(within))
            .bind(from.to_string())
            .bind(to.to_string())
            .fetch_all(&self.pool)
            .await?;
        let n = |c: &str| rows.iter().find(|r| r.0 == c).map(|r| r.1).unwrap_or(0);
        Ok((n("stable"), n("signs"), n("complex")))
    }

    /// Hotspots reported in a period inside a unit (for reviews).
    pub(crate) async fn hotspots_in(
        &self,
        within: &str,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Vec<HotspotRow>> {
        let mut w = Where::default();
        let inside = w.text(crate::subtree(within));
        let f = w.text(from.to_string());
        let t = w.text(to.to_string());
        let clause = format!("u.path LIKE {inside} AND s.period_to >= {f} AND s.period_to <= {t}");
        self.hotspots_where(&w, &clause, 100).await
    }
}
