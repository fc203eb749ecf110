//! Cases (vụ việc): one matter that gathers visits and petitions over time.

use crate::query::Where;
use crate::{Page, Paged, Result, Store, StoreError, audit, parse_day};
use chrono::NaiveDate;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::records::CaseStatus;
use danvan_domain::{Actor, Invalid};
use serde::Serialize;
use sqlx::{Any, Row, Transaction};

#[derive(Debug, Clone, Serialize)]
pub struct CaseRow {
    pub code: String,
    pub unit_name: String,
    pub title: String,
    pub petition_type: String,
    pub field_code: String,
    pub status: String,
    pub opened_on: NaiveDate,
    pub flags: Vec<&'static str>,
    pub visits: i64,
    pub petitions: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct TimelineEntry {
    pub date: NaiveDate,
    pub kind: &'static str,
    pub code: String,
    pub text: String,
}

#[derive(Debug, Clone, Serialize)]
pub struct CaseDetail {
    pub row: CaseRow,
    pub unit_code: String,
    pub handlers: Vec<(String, String)>,
    pub timeline: Vec<TimelineEntry>,
    pub may_edit: bool,
}

const FLAGS: [(&str, &str); 6] = [
    ("is_group", "Đông người"),
    ("is_complex", "Phức tạp"),
    ("is_prolonged", "Kéo dài"),
    ("is_skip_level", "Vượt cấp"),
    ("is_ethnic", "Liên quan dân tộc"),
    ("is_religious", "Liên quan tôn giáo"),
];

pub fn flag_columns() -> impl Iterator<Item = (&'static str, &'static str)> {
    FLAGS.into_iter()
}

/// The register's order: newest first, the id breaking ties.
const ORDER: &str = "c.opened_on DESC, c.id DESC";

const ROW_SQL: &str = "SELECT c.code, u.name, c.title, c.petition_type, c.field_code, c.status, c.opened_on, \
    c.is_group, c.is_complex, c.is_prolonged, c.is_skip_level, c.is_ethnic, c.is_religious, \
    (SELECT COUNT(*) FROM visits v WHERE v.case_id = c.id), (SELECT COUNT(*) FROM petitions p WHERE p.case_id = c.id), \
    c.id, u.path, u.code FROM cases c JOIN units u ON u.id = c.unit_id";

fn row_from(r: &sqlx::any::AnyRow) -> Result<(CaseRow, i64, String, String)> {
    let mut flags = vec![];
    for (i, (_, label)) in FLAGS.iter().enumerate() {
        if r.try_get::<i64, _>(7 + i)? != 0 {
            flags.push(*label);
        }
    }
    Ok((
        CaseRow {
            code: r.try_get(0)?,
            unit_name: r.try_get(1)?,
            title: r.try_get(2)?,
            petition_type: r.try_get(3)?,
            field_code: r.try_get(4)?,
            status: r.try_get(5)?,
            opened_on: parse_day(&r.try_get::<String, _>(6)?)?,
            flags,
            visits: r.try_get(13)?,
            petitions: r.try_get(14)?,
        },
        r.try_get(15)?,
        r.try_get(16)?,
        r.try_get(17)?,
    ))
}

#[derive(Debug, Clone, Default)]
pub struct CaseFilter {
    pub status: Option<String>,
    pub text: Option<String>,
    /// Only cases with more than one visit or petition (nhiều lần).
    pub repeat_only: bool,
}

impl Store {
    pub async fn list_cases(
        &self,
        actor: &Actor,
        f: &CaseFilter,
        page: Page,
    ) -> Result<Paged<CaseRow>> {
        let mut w = Where::default();
        self.units_filter(&mut w, "c.unit_id", &actor.scope, None)
            .await?;
        w.status_equals("c.status", f.status.as_deref());
        w.folded_contains("c.search_key", f.text.as_deref());
        if f.repeat_only {
            w.and("(SELECT COUNT(*) FROM visits v WHERE v.case_id = c.id) + (SELECT COUNT(*) FROM petitions p WHERE p.case_id = c.id) > 1".into());
        }
        let (total, total_is_lower_bound, ids) =
            self.page_of_ids(&w, "cases c", ORDER, "c.id", page).await?;
        let rows = self.page_rows(ROW_SQL, "c.id", ORDER, None, &ids).await?;
        let items = rows
            .iter()
            .map(|r| row_from(r).map(|x| x.0))
            .collect::<Result<Vec<_>>>()?;
        Ok(Paged {
            items,
            total,
            total_is_lower_bound,
            page: page.number,
            page_size: page.size,
        })
    }

    /// A case with its timeline: visits, petitions, transfers and replies, oldest first.
    pub async fn case_detail(&self, actor: &Actor, code: &str) -> Result<CaseDetail> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("{ROW_SQL} WHERE c.code = $1")))
            .bind(code.to_owned())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (row, id, path, unit_code) = row_from(&r)?;
        if !actor.may(Action::ViewRecord(RecordRef { unit_path: &path })) {
            return Err(StoreError::NotFound);
        }
        let mut timeline = vec![];
        for v in sqlx::query("SELECT visit_date, code, kind, content, handling, is_group, headcount FROM visits WHERE case_id = $1").bind(id).fetch_all(&self.pool).await? {
            let group = if v.try_get::<i64, _>(5)? != 0 { format!(" — đoàn {} người", v.try_get::<i64, _>(6)?) } else { String::new() };
            timeline.push(TimelineEntry {
                date: parse_day(&v.try_get::<String, _>(0)?)?,
                kind: "Tiếp công dân",
                code: v.try_get(1)?,
                text: format!("{}{group}", v.try_get::<String, _>(3)?),
            });
        }
        for p in sqlx::query("SELECT p.received_date, p.code, p.summary, p.decision, p.decision_date, t.status, t.reply_on, t.reply_note, tu.name FROM petitions p LEFT JOIN transfers t ON t.petition_id = p.id LEFT JOIN units tu ON tu.id = t.to_unit_id WHERE p.case_id = $1")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
        {
            let code: String = p.try_get(1)?;
            timeline.push(TimelineEntry { date: parse_day(&p.try_get::<String, _>(0)?)?, kind: "Nhận đơn", code: code.clone(), text: p.try_get(2)? });
            if let (Some(decision), Some(on)) = (p.try_get::<Option<String>, _>(3)?, p.try_get::<Option<String>, _>(4)?) {
                let label = danvan_domain::records::Decision::parse(&decision).map(|d| d.label()).unwrap_or("Xử lý");
                let to = p.try_get::<Option<String>, _>(8)?.map(|n| format!(" đến {n}")).unwrap_or_default();
                timeline.push(TimelineEntry { date: parse_day(&on)?, kind: "Xử lý đơn", code: code.clone(), text: format!("{label}{to}") });
            }
            if let Some(reply_on) = p.try_get::<Option<String>, _>(6)? {
                let status: String = p.try_get(5)?;
                let what = if status == "accepted" { "Cơ quan nhận chuyển đơn đã thụ lý" } else { "Cơ quan nhận chuyển đơn trả lại" };
                let note: String = p.try_get(7)?;
                timeline.push(TimelineEntry { date: parse_day(&reply_on)?, kind: "Trả lời chuyển đơn", code, text: if note.is_empty() { what.into() } else { format!("{what}: {note}") } });
            }
        }
        timeline.sort_by(|a, b| a.date.cmp(&b.date).then(a.code.cmp(&b.code)));
        let handlers = sqlx::query("SELECT us.username, us.full_name FROM case_handlers ch JOIN users us ON us.id = ch.user_id WHERE ch.case_id = $1 ORDER BY us.username")
            .bind(id)
            .fetch_all(&self.pool)
            .await?
            .iter()
            .map(|h| Ok((h.try_get(0)?, h.try_get(1)?)))
            .collect::<Result<Vec<_>>>()?;
        let may_edit = actor.may(Action::HandlePetition(RecordRef { unit_path: &path }));
        Ok(CaseDetail {
            row,
            unit_code,
            handlers,
            timeline,
            may_edit,
        })
    }

    /// Sets a case's status and flags.
    pub async fn update_case(
        &self,
        actor: &Actor,
        code: &str,
        status: CaseStatus,
        flags: &[(&str, bool)],
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let r = sqlx::query(
            "SELECT c.id, u.path FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.code = $1",
        )
        .bind(code.to_owned())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let path: String = r.try_get(1)?;
        if !actor.may(Action::HandlePetition(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let id: i64 = r.try_get(0)?;
        sqlx::query("UPDATE cases SET status = $1 WHERE id = $2")
            .bind(status.code())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        let mut detail = vec![format!("status={}", status.code())];
        for (column, value) in flags {
            // Column names come from the fixed FLAGS list, never from input.
            let Some((col, _)) = FLAGS.iter().find(|(c, _)| c == column) else {
                continue;
            };
            sqlx::query(sqlx::AssertSqlSafe(format!(
                "UPDATE cases SET {col} = $1 WHERE id = $2"
            )))
            .bind(i64::from(*value))
            .bind(id)
            .execute(&mut *tx)
            .await?;
            detail.push(format!("{col}={}", i64::from(*value)));
        }
        // "Complex" lengthens a complaint's settlement: its petitions' clocks move with it.
        let petitions: Vec<i64> = sqlx::query_scalar("SELECT id FROM petitions WHERE case_id = $1")
            .bind(id)
            .fetch_all(&mut *tx)
            .await?;
        for p in petitions {
            self.refresh_clocks(&mut tx, p).await?;
        }
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "update",
            "case",
            code,
            &detail.join(","),
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Assigns a handler (a user of the case's unit subtree) to a case.
    pub async fn assign_handler(&self, actor: &Actor, code: &str, username: &str) -> Result<()> {
        let mut tx = self.write().await?;
        let r = sqlx::query(
            "SELECT c.id, u.path FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.code = $1",
        )
        .bind(code.to_owned())
        .fetch_optional(&mut *tx)
        .await?
        .ok_or(StoreError::NotFound)?;
        let path: String = r.try_get(1)?;
        if !(actor.may(Action::HandlePetition(RecordRef { unit_path: &path }))
            && matches!(
                actor.role,
                danvan_domain::Role::Head
                    | danvan_domain::Role::Deputy
                    | danvan_domain::Role::Admin
            ))
        {
            return Err(StoreError::Forbidden);
        }
        let user = sqlx::query("SELECT us.id, un.path FROM users us JOIN units un ON un.id = us.unit_id WHERE us.username = $1")
            .bind(username.trim().to_lowercase())
            .fetch_optional(&mut *tx)
            .await?;
        let Some(user) = user else {
            return Err(Invalid::one("username", "Không có người dùng này").into());
        };
        let user_path: String = user.try_get(1)?;
        if !user_path.starts_with(&path) {
            return Err(Invalid::one(
                "username",
                "Người được phân công phải thuộc đơn vị giải quyết vụ việc",
            )
            .into());
        }
        let user_id: i64 = user.try_get(0)?;
        let case_id: i64 = r.try_get(0)?;
        let exists: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM case_handlers WHERE case_id = $1 AND user_id = $2",
        )
        .bind(case_id)
        .bind(user_id)
        .fetch_one(&mut *tx)
        .await?;
        if exists == 0 {
            sqlx::query("INSERT INTO case_handlers (case_id, user_id) VALUES ($1, $2)")
                .bind(case_id)
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
        }
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "assign",
            "case",
            code,
            username,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}

/// Keeps `multi_petition_cases` true for some cases after petitions were added to them or moved
/// out of them, inside the caller's transaction: a case is listed, with each unit its petitions
/// are in, while it holds more than one petition (reports count the others' cases as their
/// single petition). Whatever moves a petition to another unit must call this too. On PostgreSQL the cases
/// are locked first, so that two petitions added at once to the same case, each counting only
/// itself, cannot both leave it unlisted: the second counts after the first commits.
pub(crate) async fn note_petition_cases(
    tx: &mut Transaction<'static, Any>,
    backend: crate::Backend,
    case_ids: &[i64],
) -> Result<()> {
    let mut ids = case_ids.to_vec();
    ids.sort_unstable();
    ids.dedup();
    for id in ids {
        if backend == crate::Backend::Postgres {
            sqlx::query("SELECT id FROM cases WHERE id = $1 FOR UPDATE")
                .bind(id)
                .fetch_optional(&mut **tx)
                .await?;
        }
        let petitions: i64 =
            sqlx::query_scalar("SELECT COUNT(*) FROM petitions WHERE case_id = $1")
                .bind(id)
                .fetch_one(&mut **tx)
                .await?;
        sqlx::query("DELETE FROM multi_petition_cases WHERE case_id = $1")
            .bind(id)
            .execute(&mut **tx)
            .await?;
        if petitions > 1 {
            sqlx::query(
                "INSERT INTO multi_petition_cases (unit_id, case_id) \
                 SELECT DISTINCT unit_id, case_id FROM petitions WHERE case_id = $1",
            )
            .bind(id)
            .execute(&mut **tx)
            .await?;
        }
    }
    Ok(())
}

/// Lists in `multi_petition_cases` the cases a bulk load added petitions to that now hold
/// several, with their units (a load only adds petitions), in statements of a thousand cases.
pub(crate) async fn note_loaded_petition_cases(
    tx: &mut Transaction<'static, Any>,
    mut case_ids: Vec<i64>,
) -> Result<()> {
    case_ids.sort_unstable();
    case_ids.dedup();
    for chunk in case_ids.chunks(1000) {
        // Ids from the load itself: nothing to escape.
        let ids = chunk
            .iter()
            .map(i64::to_string)
            .collect::<Vec<_>>()
            .join(",");
        sqlx::query(sqlx::AssertSqlSafe(format!(
            "INSERT INTO multi_petition_cases (unit_id, case_id) SELECT DISTINCT unit_id, case_id \
             FROM petitions WHERE case_id IN (SELECT case_id FROM petitions \
             WHERE case_id IN ({ids}) GROUP BY case_id HAVING COUNT(*) > 1) \
             ON CONFLICT (unit_id, case_id) DO NOTHING"
        )))
        .execute(&mut **tx)
        .await?;
    }
    Ok(())
}
