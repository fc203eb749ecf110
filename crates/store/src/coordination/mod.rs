//! Dân vận coordination (issue 7): programmes and tasks, dialogues and contact visits,
//! situation reports and hotspots, "Dân vận khéo" models, and the review drawn from them all.
//! Who may read and write is [`Action::ViewCoordination`], [`Action::Coordinate`] and
//! [`Action::AssessModel`]; lists are filtered by [`Actor::coordination_scope`], the same rule.

mod engagements;
mod models;
mod programmes;
mod review;
mod situation;

pub use engagements::{EngagementDetail, EngagementRow};
pub use models::{ModelCounts, ModelDetail, ModelFilter, ModelRow, RoundDraft};
pub use programmes::{ProgrammeDetail, ProgrammeRow, TaskDetail, TaskNote, TaskRow, UnitRef};
pub use review::Review;
pub use situation::{
    CatalogueItem, HotspotRow, SituationDetail, SituationOverview, SituationRow, UnitSituation,
};

use crate::query::{Where, scope_clause};
use crate::{Result, Store, StoreError, audit, parse_day};
use chrono::NaiveDate;
use danvan_domain::Actor;
use danvan_domain::Invalid;
use danvan_domain::access::{Action, RecordRef};
pub use danvan_domain::coordination::LinkKind;
use serde::Serialize;
use sqlx::{Any, Transaction};

/// A linked record as shown on a task.
#[derive(Debug, Clone, Serialize)]
pub struct Linked {
    pub kind: LinkKind,
    pub target: String,
    pub title: String,
    pub href: String,
}

fn day_opt(s: Option<String>) -> Result<Option<NaiveDate>> {
    s.filter(|s| !s.is_empty())
        .map(|s| parse_day(&s))
        .transpose()
}

/// Integers for an `IN (…)` list: ids from the database, nothing to escape.
fn ids_in(ids: &[i64]) -> String {
    ids.iter().map(i64::to_string).collect::<Vec<_>>().join(",")
}

/// The area a table of the overview or of the counts is broken down by: the unit asked for,
/// else the reader's one area, else the roots ("/").
fn breakdown_base(actor: &Actor, within: Option<&str>) -> String {
    let scope = actor.coordination_scope();
    match within {
        Some(p) => p.to_owned(),
        None if scope.len() == 1 => scope[0].clone(),
        None => "/".to_owned(),
    }
}

/// The area one level below `base` that holds the unit at `path` (`base` itself for its own
/// records): the provinces of the country, the communes of a province.
fn area_of<'u>(units: &'u [crate::UnitRow], base: &str, path: &str) -> Option<&'u crate::UnitRow> {
    let area = if path == base {
        path.to_owned()
    } else {
        let rest = path.strip_prefix(base)?;
        let (first, _) = rest.split_once('/')?;
        format!("{base}{first}/")
    };
    units.iter().find(|u| u.path == area)
}

/// The reader's coordination scope as a clause on a unit path column.
fn view_clause(w: &mut Where, actor: &Actor, column: &str) -> String {
    scope_clause(w, column, &actor.coordination_scope())
}

async fn audit_write(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    action: &str,
    entity: &str,
    id: i64,
    detail: &str,
) -> Result<()> {
    audit::record(
        tx,
        Some(actor.user_id),
        action,
        entity,
        &id.to_string(),
        detail,
    )
    .await
}

/// A case the reader may see or follow, by code: its id and title. A case beyond the reader
/// is answered like one that does not exist.
async fn visible_case(
    tx_or_pool: &sqlx::AnyPool,
    actor: &Actor,
    code: &str,
    field: &str,
) -> Result<(i64, String)> {
    let row: Option<(i64, String, String)> = sqlx::query_as(
        "SELECT c.id, c.title, u.path FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.code = $1",
    )
    .bind(code.trim().to_uppercase())
    .fetch_optional(tx_or_pool)
    .await?;
    match row {
        // The board follows the cases of its area by code and title (never the people in
        // them); opening the case itself still asks `ViewRecord`.
        Some((id, title, path))
            if actor.may(Action::ViewRecord(RecordRef { unit_path: &path }))
                || actor.may(Action::ViewCoordination(RecordRef { unit_path: &path })) =>
        {
            Ok((id, title))
        }
        _ => Err(Invalid::one(field, format!("Không có vụ việc {}", code.trim())).into()),
    }
}

/// The cases named in a form, resolved and checked (codes separated by commas or spaces).
pub fn case_codes(list: &[String]) -> Vec<String> {
    list.iter()
        .flat_map(|s| s.split([',', ' ', ';', '\n']))
        .map(|s| s.trim().to_uppercase())
        .filter(|s| !s.is_empty())
        .collect()
}

impl Store {
    async fn cases_for(&self, actor: &Actor, codes: &[String], field: &str) -> Result<Vec<i64>> {
        let mut ids = vec![];
        for code in case_codes(codes) {
            let (id, _) = visible_case(&self.pool, actor, &code, field).await?;
            if !ids.contains(&id) {
                ids.push(id);
            }
        }
        Ok(ids)
    }

    /// Checks a link target and returns it in stored form.
    async fn resolve_link(&self, actor: &Actor, kind: LinkKind, target: &str) -> Result<String> {
        if kind == LinkKind::Case {
            visible_case(&self.pool, actor, target, "target").await?;
            return Ok(target.trim().to_uppercase());
        }
        let id: i64 = target
            .trim()
            .trim_start_matches('#')
            .parse()
            .map_err(|_| Invalid::one("target", "Số hiệu phải là một số"))?;
        let table = match kind {
            LinkKind::Engagement => "engagements",
            LinkKind::Situation => "situation_reports",
            LinkKind::Model => "dvk_models",
            LinkKind::Case => unreachable!("handled above"),
        };
        let path: Option<String> = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT u.path FROM {table} x JOIN units u ON u.id = x.unit_id WHERE x.id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.pool)
        .await?;
        match path {
            Some(p) if actor.may(Action::ViewCoordination(RecordRef { unit_path: &p })) => {
                Ok(id.to_string())
            }
            _ => Err(Invalid::one(
                "target",
                format!("Không có {} số {id}", kind.label().to_lowercase()),
            )
            .into()),
        }
    }

    /// The programme tasks a record proves (the other side of a task's links), those of
    /// programmes the reader may read: (task id, content).
    pub async fn linked_tasks(
        &self,
        actor: &Actor,
        kind: LinkKind,
        target: &str,
    ) -> Result<Vec<(i64, String)>> {
        let rows: Vec<(i64, String, i64)> = sqlx::query_as(
            "SELECT t.id, t.content, t.programme_id FROM task_links l JOIN programme_tasks t ON t.id = l.task_id \
             WHERE l.target_kind = $1 AND l.target = $2 ORDER BY t.due_on, t.id",
        )
        .bind(kind.code())
        .bind(target.to_owned())
        .fetch_all(&self.pool)
        .await?;
        let mut out = vec![];
        for (id, content, programme) in rows {
            let (parties, _) = self.programme_parties(programme).await?;
            if Self::may_view_programme(actor, &parties) && !out.iter().any(|(t, _)| *t == id) {
                out.push((id, content));
            }
        }
        Ok(out)
    }

    async fn task_links(&self, task_id: i64) -> Result<Vec<Linked>> {
        let rows: Vec<(String, String)> = sqlx::query_as(
            "SELECT target_kind, target FROM task_links WHERE task_id = $1 ORDER BY id",
        )
        .bind(task_id)
        .fetch_all(&self.pool)
        .await?;
        let mut out = vec![];
        for (kind, target) in rows {
            let Some(kind) = LinkKind::parse(&kind) else {
                return Err(StoreError::Corrupt("loại liên kết".into()));
            };
            let (sql, href) = match kind {
                LinkKind::Case => (
                    "SELECT title FROM cases WHERE code = $1",
                    format!("/cases/{target}"),
                ),
                LinkKind::Engagement => (
                    "SELECT host || ' — ' || held_on FROM engagements WHERE CAST(id AS TEXT) = $1",
                    format!("/engagements/{target}"),
                ),
                LinkKind::Situation => (
                    "SELECT u.name || ' (' || s.period_from || ' – ' || s.period_to || ')' FROM situation_reports s JOIN units u ON u.id = s.unit_id WHERE CAST(s.id AS TEXT) = $1",
                    format!("/situation/reports/{target}"),
                ),
                LinkKind::Model => (
                    "SELECT name FROM dvk_models WHERE CAST(id AS TEXT) = $1",
                    format!("/models/{target}"),
                ),
            };
            let title: Option<String> = sqlx::query_scalar(sql)
                .bind(target.clone())
                .fetch_optional(&self.pool)
                .await?;
            out.push(Linked {
                kind,
                title: title.unwrap_or_default(),
                target,
                href,
            });
        }
        Ok(out)
    }
}
