//! The reception register (sổ tiếp công dân).

use crate::query::Where;
use crate::{Page, Paged, Result, Store, StoreError, audit, now_utc, parse_day, people};
use chrono::{Datelike, NaiveDate};
use danvan_domain::access::{Action, IdentityContext, RecordRef};
use danvan_domain::records::{
    PetitionType, RelatedAction, VisitInput, reception_identity_protected,
};
use danvan_domain::{Actor, Invalid};
use serde::Serialize;
use sqlx::any::AnyRow;
use sqlx::{Any, Row, Transaction};

/// Shown instead of a protected name.
pub const MASK: &str = "[Thông tin cá nhân được bảo mật]";

/// One line of the register, with the columns of the official sổ (TT 04/2021 Mẫu 03).
#[derive(Debug, Clone, Serialize)]
pub struct VisitRow {
    pub code: String,
    pub visit_date: NaiveDate,
    pub visit_time: Option<String>,
    pub unit_code: String,
    pub unit_name: String,
    pub kind: String,
    pub mode: String,
    pub is_group: bool,
    pub headcount: i64,
    /// First person (or representative): masked when the reader may not see identity.
    pub person_name: String,
    pub person_address: String,
    pub person_id_number: String,
    pub identity_masked: bool,
    pub content: String,
    pub petition_type: String,
    pub field_code: String,
    pub earlier_handling: String,
    pub handling: String,
    pub follow_up: String,
    pub case_code: String,
    pub first_time: bool,
    pub refused: bool,
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitPerson {
    pub full_name: String,
    pub address: String,
    pub id_number: String,
    pub phone: String,
    pub person_id: i64,
}

#[derive(Debug, Clone, Serialize)]
pub struct VisitDetail {
    pub row: VisitRow,
    pub place: String,
    pub receiver_name: String,
    pub representatives: i64,
    pub people: Vec<VisitPerson>,
    pub documents: String,
    pub refusal_reason: String,
    pub created_at: String,
    pub petition_codes: Vec<String>,
}

#[derive(Debug, Clone, Default)]
pub struct VisitFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub unit_path: Option<String>,
    pub petition_type: Option<String>,
    pub field_code: Option<String>,
    pub group: Option<bool>,
    /// Free text, folded and matched against the search key.
    pub text: Option<String>,
}

/// The register's order: newest first, the id breaking ties.
const ORDER: &str = "v.visit_date DESC, v.id DESC";

const ROW_SQL: &str = "SELECT v.code, v.visit_date, v.visit_time, u.code, u.name, u.path, v.kind, v.mode, v.is_group, v.headcount, \
    v.content, v.petition_type, v.field_code, v.earlier_handling, v.handling, v.follow_up, c.code, cu.path, \
    CASE WHEN EXISTS (SELECT 1 FROM case_handlers ch WHERE ch.case_id = v.case_id AND ch.user_id = $1) THEN 1 ELSE 0 END, \
    p.full_name, p.address, p.id_number, v.first_time, v.refused, v.id \
    FROM visits v JOIN units u ON u.id = v.unit_id JOIN cases c ON c.id = v.case_id JOIN units cu ON cu.id = c.unit_id \
    LEFT JOIN visit_people vp ON vp.visit_id = v.id AND vp.position = 0 LEFT JOIN people p ON p.id = vp.person_id";

/// Is a visit's personal data protected? A denouncer's always; since 1/7/2026 everyone's.
pub(crate) fn visit_protected(petition_type: &str, date: NaiveDate) -> bool {
    petition_type == PetitionType::Denunciation.code() || reception_identity_protected(date)
}

fn row_from(actor: &Actor, r: &AnyRow) -> Result<(VisitRow, i64)> {
    let visit_date = parse_day(&r.try_get::<String, _>(1)?)?;
    let petition_type: String = r.try_get(11)?;
    let unit_path: String = r.try_get(5)?;
    let case_unit_path: String = r.try_get(17)?;
    let assigned = r.try_get::<i64, _>(18)? != 0;
    let masked = visit_protected(&petition_type, visit_date)
        && !actor.may_see_identity(IdentityContext {
            handling_unit_path: Some(&case_unit_path),
            assigned,
            receiving_unit_path: Some(&unit_path),
        });
    let opt =
        |i: usize| -> Result<String> { Ok(r.try_get::<Option<String>, _>(i)?.unwrap_or_default()) };
    let (name, address, id) = if masked {
        (MASK.to_owned(), String::new(), String::new())
    } else {
        (opt(19)?, opt(20)?, opt(21)?)
    };
    Ok((
        VisitRow {
            code: r.try_get(0)?,
            visit_date,
            visit_time: r.try_get(2)?,
            unit_code: r.try_get(3)?,
            unit_name: r.try_get(4)?,
            kind: r.try_get(6)?,
            mode: r.try_get(7)?,
            is_group: r.try_get::<i64, _>(8)? != 0,
            headcount: r.try_get(9)?,
            person_name: name,
            person_address: address,
            person_id_number: id,
            identity_masked: masked,
            content: r.try_get(10)?,
            petition_type,
            field_code: r.try_get(12)?,
            earlier_handling: r.try_get(13)?,
            handling: r.try_get(14)?,
            follow_up: r.try_get(15)?,
            case_code: r.try_get(16)?,
            first_time: r.try_get::<i64, _>(22)? != 0,
            refused: r.try_get::<i64, _>(23)? != 0,
        },
        r.try_get(24)?,
    ))
}

/// Search key of a record: folded content and code, plus names only when they are not protected,
/// so that a protected name can never match a search.
pub(crate) fn search_key(parts: &[&str]) -> String {
    danvan_vntext::fold(&parts.join(" "))
}

pub(crate) struct NewCase<'a> {
    pub unit_id: i64,
    pub title: &'a str,
    pub petition_type: &'a str,
    pub field_code: &'a str,
    pub is_group: bool,
    pub opened_on: NaiveDate,
}

/// Opens a case inside the caller's transaction; returns (id, code).
pub(crate) async fn open_case(
    tx: &mut Transaction<'static, Any>,
    actor: Option<i64>,
    c: NewCase<'_>,
) -> Result<(i64, String)> {
    let code = audit::next_code(tx, "VV", c.opened_on.year()).await?;
    let title: String = c.title.chars().take(160).collect();
    let key = search_key(&[&code, &title]);
    let id: i64 = sqlx::query_scalar("INSERT INTO cases (code, unit_id, title, petition_type, field_code, status, is_group, opened_on, created_at, search_key) VALUES ($1, $2, $3, $4, $5, 'open', $6, $7, $8, $9) RETURNING id")
        .bind(code.clone())
        .bind(c.unit_id)
        .bind(title.clone())
        .bind(c.petition_type.to_owned())
        .bind(c.field_code.to_owned())
        .bind(i64::from(c.is_group))
        .bind(c.opened_on.to_string())
        .bind(now_utc())
        .bind(key.clone())
        .fetch_one(&mut **tx)
        .await?;
    crate::search_words::note(tx, &key).await?;
    audit::record(tx, actor, "create", "case", &code, &title).await?;
    Ok((id, code))
}

/// Finds a case by code inside a transaction, checking the actor may see it: (id, unit path).
pub(crate) async fn case_for_link(
    tx: &mut Transaction<'static, Any>,
    actor: &Actor,
    code: &str,
    field: &str,
) -> Result<(i64, String)> {
    let row = sqlx::query(
        "SELECT c.id, u.path FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.code = $1",
    )
    .bind(code.to_owned())
    .fetch_optional(&mut **tx)
    .await?;
    match row {
        Some(r) => {
            let path: String = r.try_get(1)?;
            if !actor.may(Action::ViewRecord(RecordRef { unit_path: &path })) {
                return Err(Invalid::one(
                    field,
                    "Không tìm thấy vụ việc này trong phạm vi của bạn",
                )
                .into());
            }
            Ok((r.try_get(0)?, path))
        }
        None => Err(Invalid::one(field, "Không tìm thấy vụ việc có mã này").into()),
    }
}

pub(crate) async fn unit_for_write(
    tx: &mut Transaction<'static, Any>,
    code: &str,
    field: &str,
) -> Result<(i64, String)> {
    let row = sqlx::query("SELECT id, path FROM units WHERE code = $1")
        .bind(code.to_owned())
        .fetch_optional(&mut **tx)
        .await?;
    match row {
        Some(r) => Ok((r.try_get(0)?, r.try_get(1)?)),
        None => Err(Invalid::one(field, "Không có đơn vị này").into()),
    }
}

impl Store {
    /// Records a visit (and its new case when none was chosen) in one transaction with its audit
    /// rows. Returns the visit's code.
    pub async fn create_visit(
        &self,
        actor: &Actor,
        unit_code: &str,
        v: &VisitInput,
    ) -> Result<String> {
        let mut tx = self.write().await?;
        let (unit_id, unit_path) = unit_for_write(&mut tx, unit_code, "unit_code").await?;
        if !actor.may(Action::RecordVisit(RecordRef {
            unit_path: &unit_path,
        })) {
            return Err(StoreError::Forbidden);
        }
        // A suggested record the officer linked this visit to: the visit joins its case.
        let linked = match v
            .related
            .iter()
            .find(|r| r.choice != RelatedAction::Dismiss)
        {
            Some(r) if v.case_code.is_none() => {
                Some(crate::related::related_case(&mut tx, actor, &r.other_code).await?)
            }
            _ => None,
        };
        let (case_id, case_code, first_time) = match v.case_code.as_ref().or(linked.as_ref()) {
            Some(code) => {
                let (id, _) = case_for_link(&mut tx, actor, code, "case_code").await?;
                let earlier: i64 =
                    sqlx::query_scalar("SELECT COUNT(*) FROM visits WHERE case_id = $1")
                        .bind(id)
                        .fetch_one(&mut *tx)
                        .await?;
                (id, code.clone(), earlier == 0)
            }
            None => {
                let (id, code) = open_case(
                    &mut tx,
                    Some(actor.user_id),
                    NewCase {
                        unit_id,
                        title: &v.content,
                        petition_type: v.petition_type.code(),
                        field_code: &v.field_code,
                        is_group: v.is_group,
                        opened_on: v.visit_date,
                    },
                )
                .await?;
                (id, code, true)
            }
        };
        let code = audit::next_code(&mut tx, "TCD", v.visit_date.year()).await?;
        let protected = visit_protected(v.petition_type.code(), v.visit_date);
        // Names and ID numbers only when not protected (visit_protected).
        let identities: Vec<&str> = if protected {
            vec![]
        } else {
            v.people
                .iter()
                .flat_map(|p| {
                    [
                        p.full_name.as_str(),
                        p.id_number.as_ref().map_or("", |n| n.number.as_str()),
                    ]
                })
                .collect()
        };
        let key = search_key(&[&code, &case_code, &v.content, &identities.join(" ")]);
        let visit_id: i64 = sqlx::query_scalar(
            "INSERT INTO visits (code, unit_id, visit_date, visit_time, place, kind, mode, receiver_name, receiver_user_id, is_group, headcount, representatives, content, petition_type, field_code, case_id, first_time, documents, earlier_handling, handling, follow_up, refused, refusal_reason, created_by, created_at, search_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24, $25, $26) RETURNING id",
        )
        .bind(code.clone())
        .bind(unit_id)
        .bind(v.visit_date.to_string())
        .bind(v.visit_time.clone())
        .bind(v.place.clone())
        .bind(v.kind.code())
        .bind(v.mode.code())
        .bind(v.receiver_name.clone())
        .bind(actor.user_id)
        .bind(i64::from(v.is_group))
        .bind(v.headcount)
        .bind(v.representatives)
        .bind(v.content.clone())
        .bind(v.petition_type.code())
        .bind(v.field_code.clone())
        .bind(case_id)
        .bind(i64::from(first_time))
        .bind(v.documents.clone())
        .bind(v.earlier_handling.clone())
        .bind(v.handling.code())
        .bind(v.follow_up.clone())
        .bind(i64::from(v.refused))
        .bind(v.refusal_reason.clone())
        .bind(actor.user_id)
        .bind(now_utc())
        .bind(key.clone())
        .fetch_one(&mut *tx)
        .await?;
        crate::search_words::note(&mut tx, &key).await?;
        for (i, p) in v.people.iter().enumerate() {
            let person_id = people::find_or_insert(&mut tx, p).await?;
            sqlx::query(
                "INSERT INTO visit_people (visit_id, person_id, position) VALUES ($1, $2, $3)",
            )
            .bind(visit_id)
            .bind(person_id)
            .bind(i as i64)
            .execute(&mut *tx)
            .await?;
        }
        if v.is_group {
            sqlx::query("UPDATE cases SET is_group = 1 WHERE id = $1")
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
        crate::related::record_choices(&mut tx, actor, "visit", visit_id, &v.related).await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "create",
            "visit",
            &code,
            &case_code,
        )
        .await?;
        tx.commit().await?;
        Ok(code)
    }

    /// A page of the register, scoped to the actor's subtree and the filter.
    pub async fn list_visits(
        &self,
        actor: &Actor,
        f: &VisitFilter,
        page: Page,
    ) -> Result<Paged<VisitRow>> {
        let mut w = Where::default();
        self.units_filter(&mut w, "v.unit_id", &actor.scope, f.unit_path.as_deref())
            .await?;
        w.date_between("v.visit_date", f.from, f.to);
        w.equals("v.petition_type", f.petition_type.as_deref());
        w.equals("v.field_code", f.field_code.as_deref());
        if let Some(g) = f.group {
            let p = w.int(i64::from(g));
            w.and(format!("v.is_group = {p}"));
        }
        w.folded_contains("v.search_key", f.text.as_deref());
        let (total, total_is_lower_bound, ids) = self
            .page_of_ids(&w, "visits v", ORDER, "v.id", page)
            .await?;
        let rows = self
            .page_rows(ROW_SQL, "v.id", ORDER, Some(actor.user_id), &ids)
            .await?;
        let items = rows
            .iter()
            .map(|r| row_from(actor, r).map(|(v, _)| v))
            .collect::<Result<Vec<_>>>()?;
        Ok(Paged {
            items,
            total,
            total_is_lower_bound,
            page: page.number,
            page_size: page.size,
        })
    }

    /// The latest visits of these people that the actor may see with their identity shown
    /// (a record whose identity is protected from the actor is left out, not masked).
    pub(crate) async fn visits_with_identity_of(
        &self,
        actor: &Actor,
        person_ids: &str,
        limit: i64,
    ) -> Result<Vec<VisitRow>> {
        let scope = self.units_clause("v.unit_id", &actor.scope, None).await?;
        let sql = format!(
            "{ROW_SQL} WHERE v.id IN (SELECT vp2.visit_id FROM visit_people vp2 WHERE vp2.person_id IN ({person_ids})) AND {scope} ORDER BY {ORDER} LIMIT {limit}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(actor.user_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = vec![];
        for r in &rows {
            let (v, _) = row_from(actor, r)?;
            if !v.identity_masked {
                out.push(v);
            }
        }
        Ok(out)
    }

    pub async fn visit_detail(&self, actor: &Actor, code: &str) -> Result<VisitDetail> {
        let sql = format!("{ROW_SQL} WHERE v.code = $2");
        let r = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(actor.user_id)
            .bind(code.to_owned())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let unit_path: String = r.try_get(5)?;
        if !actor.may(Action::ViewRecord(RecordRef {
            unit_path: &unit_path,
        })) {
            return Err(StoreError::NotFound);
        }
        let (row, id) = row_from(actor, &r)?;
        let extra = sqlx::query("SELECT place, receiver_name, representatives, documents, refusal_reason, created_at FROM visits WHERE id = $1").bind(id).fetch_one(&self.pool).await?;
        let people = if row.identity_masked {
            vec![]
        } else {
            sqlx::query("SELECT p.full_name, p.address, p.id_number, p.phone, p.id FROM visit_people vp JOIN people p ON p.id = vp.person_id WHERE vp.visit_id = $1 ORDER BY vp.position")
                .bind(id)
                .fetch_all(&self.pool)
                .await?
                .iter()
                .map(|p| {
                    Ok(VisitPerson {
                        full_name: p.try_get(0)?,
                        address: p.try_get(1)?,
                        id_number: p.try_get::<Option<String>, _>(2)?.unwrap_or_default(),
                        phone: p.try_get::<Option<String>, _>(3)?.unwrap_or_default(),
                        person_id: p.try_get(4)?,
                    })
                })
                .collect::<Result<Vec<_>>>()?
        };
        if !row.identity_masked && visit_protected(&row.petition_type, row.visit_date) {
            audit::record_read(&self.pool, actor.user_id, "visit", &row.code).await?;
        }
        let petition_codes =
            sqlx::query_scalar("SELECT code FROM petitions WHERE visit_id = $1 ORDER BY id")
                .bind(id)
                .fetch_all(&self.pool)
                .await?;
        Ok(VisitDetail {
            place: extra.try_get(0)?,
            receiver_name: extra.try_get(1)?,
            representatives: extra.try_get(2)?,
            documents: extra.try_get(3)?,
            refusal_reason: extra.try_get(4)?,
            created_at: extra.try_get(5)?,
            people,
            petition_codes,
            row,
        })
    }
}
