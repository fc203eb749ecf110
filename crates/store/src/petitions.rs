//! The petition register (sổ xử lý đơn), transfers between units and their replies.

use crate::query::Where;
use crate::visits::{NewCase, case_for_link, open_case, search_key, unit_for_write};
use crate::{Page, Paged, Result, Store, StoreError, audit, now_utc, parse_day, people};
use chrono::{Datelike, NaiveDate};
use danvan_domain::access::{Action, IdentityContext, RecordRef};
use danvan_domain::records::{Decision, PetitionInput, PetitionType, RelatedAction, SenderKind};
use danvan_domain::{Actor, Invalid};
use serde::Serialize;
use sqlx::Row;
use sqlx::any::AnyRow;

pub const DENOUNCER_MASK: &str = "[Đã che thông tin người tố cáo]";

#[derive(Debug, Clone, Serialize)]
pub struct PetitionRow {
    pub code: String,
    pub arrival_no: String,
    pub received_date: NaiveDate,
    pub unit_code: String,
    pub unit_name: String,
    pub source: String,
    pub sender_kind: String,
    pub signer_count: i64,
    pub sender_name: String,
    pub sender_address: String,
    pub identity_masked: bool,
    pub subject: String,
    pub petition_type: String,
    pub field_code: String,
    pub summary: String,
    pub eligible: Option<bool>,
    pub competent: Option<bool>,
    pub decision: Option<String>,
    pub decision_date: Option<NaiveDate>,
    pub target_unit_name: Option<String>,
    pub case_code: String,
    pub transfer_status: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PetitionDetail {
    pub row: PetitionRow,
    pub sender_id_number: String,
    pub sender_phone: String,
    /// The sender's person page, when the reader may see them.
    pub sender_person_id: Option<i64>,
    pub eligibility_reason: String,
    pub subject_unit_name: Option<String>,
    pub visit_code: Option<String>,
    pub created_at: String,
    pub transfer_reply_note: String,
    /// The reader may record the reply of a transfer addressed to their unit.
    pub may_reply: bool,
    /// The reader may add files and record the handling's events.
    pub may_attach: bool,
    /// Complaint instance (1, 2) and remote area, which lengthen the settlement clock.
    pub instance: i64,
    pub is_remote: bool,
    pub attachments: Vec<crate::AttachmentRow>,
}

#[derive(Debug, Clone, Default)]
pub struct PetitionFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub unit_path: Option<String>,
    pub petition_type: Option<String>,
    pub field_code: Option<String>,
    pub decision: Option<String>,
    pub text: Option<String>,
    /// Only petitions transferred to the actor's units and not yet answered (the inbox).
    pub inbox: bool,
}

/// The register's order: newest first, the id breaking ties.
const ORDER: &str = "p.received_date DESC, p.id DESC";

const ROW_SQL: &str = "SELECT p.code, p.arrival_no, p.received_date, u.code, u.name, p.source, p.sender_kind, p.signer_count, \
    pe.full_name, pe.address, p.subject, p.petition_type, p.field_code, p.summary, p.eligible, p.competent, p.decision, p.decision_date, \
    tu.name, c.code, cu.path, \
    CASE WHEN EXISTS (SELECT 1 FROM case_handlers ch WHERE ch.case_id = p.case_id AND ch.user_id = $1) THEN 1 ELSE 0 END, \
    t.status, p.id, u.path, pe.id_number, pe.phone, tu.path \
    FROM petitions p JOIN units u ON u.id = p.unit_id JOIN cases c ON c.id = p.case_id JOIN units cu ON cu.id = c.unit_id \
    LEFT JOIN people pe ON pe.id = p.sender_person_id LEFT JOIN units tu ON tu.id = p.target_unit_id \
    LEFT JOIN transfers t ON t.petition_id = p.id";

struct Loaded {
    row: PetitionRow,
    id: i64,
    unit_path: String,
    id_number: String,
    phone: String,
    target_path: Option<String>,
}

fn row_from(actor: &Actor, r: &AnyRow) -> Result<Loaded> {
    let petition_type: String = r.try_get(11)?;
    let sender_kind: String = r.try_get(6)?;
    let case_unit_path: String = r.try_get(20)?;
    let assigned = r.try_get::<i64, _>(21)? != 0;
    let masked = petition_type == PetitionType::Denunciation.code()
        && sender_kind != SenderKind::Anonymous.code()
        && !actor.may_see_identity(IdentityContext {
            handling_unit_path: Some(&case_unit_path),
            assigned,
            receiving_unit_path: None,
        });
    let opt =
        |i: usize| -> Result<String> { Ok(r.try_get::<Option<String>, _>(i)?.unwrap_or_default()) };
    let flag =
        |i: usize| -> Result<Option<bool>> { Ok(r.try_get::<Option<i64>, _>(i)?.map(|v| v != 0)) };
    let (name, address, id_number, phone) = if masked {
        (
            DENOUNCER_MASK.to_owned(),
            String::new(),
            String::new(),
            String::new(),
        )
    } else if sender_kind == SenderKind::Anonymous.code() {
        (
            "Đơn không rõ họ tên, địa chỉ".to_owned(),
            String::new(),
            String::new(),
            String::new(),
        )
    } else {
        (opt(8)?, opt(9)?, opt(25)?, opt(26)?)
    };
    let decision_date: Option<String> = r.try_get(17)?;
    Ok(Loaded {
        row: PetitionRow {
            code: r.try_get(0)?,
            arrival_no: r.try_get(1)?,
            received_date: parse_day(&r.try_get::<String, _>(2)?)?,
            unit_code: r.try_get(3)?,
            unit_name: r.try_get(4)?,
            source: r.try_get(5)?,
            sender_kind,
            signer_count: r.try_get(7)?,
            sender_name: name,
            sender_address: address,
            identity_masked: masked,
            subject: r.try_get(10)?,
            petition_type,
            field_code: r.try_get(12)?,
            summary: r.try_get(13)?,
            eligible: flag(14)?,
            competent: flag(15)?,
            decision: r.try_get(16)?,
            decision_date: decision_date.as_deref().map(parse_day).transpose()?,
            target_unit_name: r.try_get(18)?,
            case_code: r.try_get(19)?,
            transfer_status: r.try_get(22)?,
        },
        id: r.try_get(23)?,
        unit_path: r.try_get(24)?,
        id_number,
        phone,
        target_path: r.try_get(27)?,
    })
}

impl Store {
    /// Registers a petition (opening its case when none was chosen) in one transaction.
    pub async fn create_petition(
        &self,
        actor: &Actor,
        unit_code: &str,
        p: &PetitionInput,
    ) -> Result<String> {
        let mut tx = self.write().await?;
        let (unit_id, unit_path) = unit_for_write(&mut tx, unit_code, "unit_code").await?;
        if !actor.may(Action::HandlePetition(RecordRef {
            unit_path: &unit_path,
        })) {
            return Err(StoreError::Forbidden);
        }
        // A suggested record the officer linked to, or marked this one a duplicate of: the new
        // petition joins its case; a duplicate is filed (lưu đơn trùng) unless handled otherwise.
        let linked = p
            .related
            .iter()
            .find(|r| r.choice != RelatedAction::Dismiss);
        let linked_case = match linked {
            Some(r) => Some(crate::related::related_case(&mut tx, actor, &r.other_code).await?),
            None => None,
        };
        let owned;
        let p = match linked {
            Some(r) if r.choice == RelatedAction::Duplicate => {
                let mut q = p.clone();
                if q.decision.is_none() {
                    q.decision = Some(Decision::File);
                    q.decision_date = Some(q.received_date);
                }
                if q.eligibility_reason.is_empty() {
                    q.eligibility_reason = format!("Đơn trùng với {}", r.other_code);
                }
                q.case_code = q.case_code.or(linked_case);
                owned = q;
                &owned
            }
            Some(_) if p.case_code.is_none() => {
                let mut q = p.clone();
                q.case_code = linked_case;
                owned = q;
                &owned
            }
            _ => p,
        };
        let visit: Option<(i64, i64)> = match &p.visit_code {
            None => None,
            Some(code) => {
                let row = sqlx::query("SELECT v.id, v.case_id, u.path FROM visits v JOIN units u ON u.id = v.unit_id WHERE v.code = $1")
                    .bind(code.clone())
                    .fetch_optional(&mut *tx)
                    .await?;
                let Some(row) = row else {
                    return Err(
                        Invalid::one("visit_code", "Không tìm thấy lượt tiếp có mã này").into(),
                    );
                };
                let path: String = row.try_get(2)?;
                if !actor.may(Action::ViewRecord(RecordRef { unit_path: &path })) {
                    return Err(Invalid::one(
                        "visit_code",
                        "Không tìm thấy lượt tiếp có mã này trong phạm vi của bạn",
                    )
                    .into());
                }
                Some((row.try_get(0)?, row.try_get(1)?))
            }
        };
        let (case_id, case_code) = match (&p.case_code, visit) {
            (Some(code), _) => (
                case_for_link(&mut tx, actor, code, "case_code").await?.0,
                code.clone(),
            ),
            (None, Some((_, case_id))) => {
                let code: String = sqlx::query_scalar("SELECT code FROM cases WHERE id = $1")
                    .bind(case_id)
                    .fetch_one(&mut *tx)
                    .await?;
                (case_id, code)
            }
            (None, None) => {
                open_case(
                    &mut tx,
                    Some(actor.user_id),
                    NewCase {
                        unit_id,
                        title: &p.summary,
                        petition_type: p.petition_type.code(),
                        field_code: &p.field_code,
                        is_group: false,
                        opened_on: p.received_date,
                    },
                )
                .await?
            }
        };
        let subject_unit_id = match &p.subject_unit_code {
            Some(c) => Some(unit_for_write(&mut tx, c, "subject_unit_code").await?.0),
            None => None,
        };
        let target_unit_id = match &p.target_unit_code {
            Some(c) => {
                let (id, _) = unit_for_write(&mut tx, c, "target_unit_code").await?;
                if id == unit_id {
                    return Err(Invalid::one(
                        "target_unit_code",
                        "Không thể chuyển đơn cho chính đơn vị mình",
                    )
                    .into());
                }
                Some(id)
            }
            None => None,
        };
        let sender_id = match &p.sender {
            Some(person) => Some(people::find_or_insert(&mut tx, person).await?),
            None => None,
        };
        let code = audit::next_code(&mut tx, "DON", p.received_date.year()).await?;
        // A denouncer's name and ID number never enter the search key.
        let (sender_name, sender_number) = match (&p.sender, p.petition_type) {
            (Some(s), t) if t != PetitionType::Denunciation => (
                s.full_name.as_str(),
                s.id_number.as_ref().map_or("", |n| n.number.as_str()),
            ),
            _ => ("", ""),
        };
        let key = search_key(&[
            &code,
            &case_code,
            &p.arrival_no,
            &p.subject,
            &p.summary,
            sender_name,
            sender_number,
        ]);
        let id: i64 = sqlx::query_scalar(
            "INSERT INTO petitions (code, unit_id, arrival_no, received_date, source, sender_kind, signer_count, sender_person_id, subject, subject_unit_id, petition_type, field_code, summary, eligible, eligibility_reason, competent, decision, decision_date, target_unit_id, case_id, visit_id, created_by, created_at, search_key) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) RETURNING id",
        )
        .bind(code.clone())
        .bind(unit_id)
        .bind(p.arrival_no.clone())
        .bind(p.received_date.to_string())
        .bind(p.source.code())
        .bind(p.sender_kind.code())
        .bind(p.signer_count)
        .bind(sender_id)
        .bind(p.subject.clone())
        .bind(subject_unit_id)
        .bind(p.petition_type.code())
        .bind(p.field_code.clone())
        .bind(p.summary.clone())
        .bind(p.eligible.map(i64::from))
        .bind(p.eligibility_reason.clone())
        .bind(p.competent.map(i64::from))
        .bind(p.decision.map(|d| d.code()))
        .bind(p.decision_date.map(|d| d.to_string()))
        .bind(target_unit_id)
        .bind(case_id)
        .bind(visit.map(|v| v.0))
        .bind(actor.user_id)
        .bind(now_utc())
        .bind(key.clone())
        .fetch_one(&mut *tx)
        .await?;
        crate::search_words::note(&mut tx, &key).await?;
        if let (Some(Decision::Transfer), Some(to)) = (p.decision, target_unit_id) {
            sqlx::query("INSERT INTO transfers (petition_id, from_unit_id, to_unit_id, sent_on, status) VALUES ($1, $2, $3, $4, 'pending')")
                .bind(id)
                .bind(unit_id)
                .bind(to)
                .bind(p.decision_date.unwrap_or(p.received_date).to_string())
                .execute(&mut *tx)
                .await?;
        }
        if p.decision == Some(Decision::Accept) {
            sqlx::query("UPDATE cases SET status = 'settling' WHERE id = $1 AND status = 'open'")
                .bind(case_id)
                .execute(&mut *tx)
                .await?;
        }
        crate::cases::note_petition_cases(&mut tx, self.backend, &[case_id]).await?;
        self.refresh_clocks(&mut tx, id).await?;
        for key in crate::related::distinct_band_keys(&p.summary) {
            sqlx::query("INSERT INTO petition_bands (band_key, petition_id) VALUES ($1, $2)")
                .bind(key)
                .bind(id)
                .execute(&mut *tx)
                .await?;
        }
        crate::related::record_choices(&mut tx, actor, "petition", id, &p.related).await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "create",
            "petition",
            &code,
            &case_code,
        )
        .await?;
        tx.commit().await?;
        Ok(code)
    }

    /// A page of the petition register (or the inbox of transfers), scoped to the actor.
    pub async fn list_petitions(
        &self,
        actor: &Actor,
        f: &PetitionFilter,
        page: Page,
    ) -> Result<Paged<PetitionRow>> {
        let mut w = Where::default();
        if f.inbox {
            // Transfers waiting for a unit of the actor's scope.
            w.and(
                self.units_clause("p.target_unit_id", &actor.scope, None)
                    .await?,
            );
            w.and(
                "EXISTS (SELECT 1 FROM transfers t WHERE t.petition_id = p.id AND t.status = 'pending')"
                    .into(),
            );
            if let Some(path) = &f.unit_path {
                let receiving = std::slice::from_ref(path);
                w.and(self.units_clause("p.unit_id", receiving, None).await?);
            }
        } else {
            self.units_filter(&mut w, "p.unit_id", &actor.scope, f.unit_path.as_deref())
                .await?;
        }
        w.date_between("p.received_date", f.from, f.to);
        w.equals("p.petition_type", f.petition_type.as_deref());
        w.equals("p.field_code", f.field_code.as_deref());
        match f.decision.as_deref() {
            Some("none") => w.and("p.decision IS NULL".into()),
            decision => w.equals("p.decision", decision),
        }
        w.folded_contains("p.search_key", f.text.as_deref());
        let (total, total_is_lower_bound, ids) = self
            .page_of_ids(&w, "petitions p", ORDER, "p.id", page)
            .await?;
        let rows = self
            .page_rows(ROW_SQL, "p.id", ORDER, Some(actor.user_id), &ids)
            .await?;
        let items = rows
            .iter()
            .map(|r| row_from(actor, r).map(|l| l.row))
            .collect::<Result<Vec<_>>>()?;
        Ok(Paged {
            items,
            total,
            total_is_lower_bound,
            page: page.number,
            page_size: page.size,
        })
    }

    /// The latest petitions sent by these people that the actor may see with the sender shown
    /// (a denunciation whose denouncer is protected from the actor is left out, not masked).
    pub(crate) async fn petitions_with_identity_of(
        &self,
        actor: &Actor,
        person_ids: &str,
        limit: i64,
    ) -> Result<Vec<PetitionRow>> {
        let scope = self.units_clause("p.unit_id", &actor.scope, None).await?;
        let sql = format!(
            "{ROW_SQL} WHERE p.sender_person_id IN ({person_ids}) AND {scope} ORDER BY {ORDER} LIMIT {limit}"
        );
        let rows = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(actor.user_id)
            .fetch_all(&self.pool)
            .await?;
        let mut out = vec![];
        for r in &rows {
            let l = row_from(actor, r)?;
            if !l.row.identity_masked {
                out.push(l.row);
            }
        }
        Ok(out)
    }

    /// Id and receiving unit's path of a petition, for checks before a change.
    pub(crate) async fn petition_ref(&self, code: &str) -> Result<(i64, String)> {
        let r = sqlx::query("SELECT p.id, u.path FROM petitions p JOIN units u ON u.id = p.unit_id WHERE p.code = $1")
            .bind(code.to_owned())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        Ok((r.try_get(0)?, r.try_get(1)?))
    }

    pub async fn petition_detail(&self, actor: &Actor, code: &str) -> Result<PetitionDetail> {
        let sql = format!("{ROW_SQL} WHERE p.code = $2");
        let r = sqlx::query(sqlx::AssertSqlSafe(sql))
            .bind(actor.user_id)
            .bind(code.to_owned())
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let l = row_from(actor, &r)?;
        let own = actor.may(Action::ViewRecord(RecordRef {
            unit_path: &l.unit_path,
        }));
        let addressed = l
            .target_path
            .as_deref()
            .is_some_and(|p| actor.may(Action::ViewRecord(RecordRef { unit_path: p })));
        if !own && !addressed {
            return Err(StoreError::NotFound);
        }
        let extra = sqlx::query(
            "SELECT p.eligibility_reason, su.name, v.code, p.created_at, t.reply_note, p.instance, p.is_remote, p.sender_person_id FROM petitions p LEFT JOIN units su ON su.id = p.subject_unit_id \
             LEFT JOIN visits v ON v.id = p.visit_id LEFT JOIN transfers t ON t.petition_id = p.id WHERE p.id = $1",
        )
        .bind(l.id)
        .fetch_one(&self.pool)
        .await?;
        if !l.row.identity_masked
            && l.row.petition_type == PetitionType::Denunciation.code()
            && l.row.sender_kind != SenderKind::Anonymous.code()
        {
            audit::record_read(&self.pool, actor.user_id, "petition", &l.row.code).await?;
        }
        let may_reply = addressed
            && l.row.transfer_status.as_deref() == Some("pending")
            && l.target_path
                .as_deref()
                .is_some_and(|p| actor.may(Action::HandlePetition(RecordRef { unit_path: p })));
        let may_attach = actor.may(Action::HandlePetition(RecordRef {
            unit_path: &l.unit_path,
        }));
        // The unit a petition was transferred to handles it with its files.
        let attachments = self.attachments_of(l.id).await?;
        Ok(PetitionDetail {
            instance: extra.try_get(5)?,
            is_remote: extra.try_get::<i64, _>(6)? != 0,
            may_attach,
            attachments,
            eligibility_reason: extra.try_get(0)?,
            subject_unit_name: extra.try_get(1)?,
            visit_code: extra.try_get(2)?,
            created_at: extra.try_get(3)?,
            transfer_reply_note: extra.try_get::<Option<String>, _>(4)?.unwrap_or_default(),
            sender_id_number: l.id_number,
            sender_phone: l.phone,
            // The person page only for a reader who may see who sent it.
            sender_person_id: if l.row.identity_masked {
                None
            } else {
                extra.try_get(7)?
            },
            may_reply,
            row: l.row,
        })
    }

    /// The receiving unit answers a transfer: accepted for settlement, or returned.
    pub async fn reply_transfer(
        &self,
        actor: &Actor,
        petition_code: &str,
        accepted: bool,
        note: &str,
        on: NaiveDate,
    ) -> Result<()> {
        let mut tx = self.write().await?;
        let row = sqlx::query("SELECT t.id, tu.path, t.status, t.sent_on FROM transfers t JOIN petitions p ON p.id = t.petition_id JOIN units tu ON tu.id = t.to_unit_id WHERE p.code = $1")
            .bind(petition_code.to_owned())
            .fetch_optional(&mut *tx)
            .await?
            .ok_or(StoreError::NotFound)?;
        let path: String = row.try_get(1)?;
        if !actor.may(Action::HandlePetition(RecordRef { unit_path: &path })) {
            return Err(StoreError::Forbidden);
        }
        let status: String = row.try_get(2)?;
        if status != "pending" {
            return Err(Invalid::one("status", "Đơn chuyển này đã được trả lời").into());
        }
        if on.to_string() < row.try_get::<String, _>(3)? {
            return Err(
                Invalid::one("reply_on", "Ngày trả lời không được trước ngày chuyển đơn").into(),
            );
        }
        let status = if accepted { "accepted" } else { "returned" };
        sqlx::query(
            "UPDATE transfers SET status = $1, reply_on = $2, reply_note = $3 WHERE id = $4",
        )
        .bind(status)
        .bind(on.to_string())
        .bind(note.trim().to_owned())
        .bind(row.try_get::<i64, _>(0)?)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "reply_transfer",
            "petition",
            petition_code,
            status,
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }
}
