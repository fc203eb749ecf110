//! The letters of the petition desk (TT 04/2021, TT 05/2021 and the decrees, reference §1–§4):
//! drafted from the record, editable while a draft, issued with a yearly number of the unit and
//! the date, then fixed. A denouncer's identity is never written into a letter for a reader who
//! may not see it, nor into a transfer slip (the receiving body gets the content, not the
//! person).

use crate::{Result, Store, StoreError, audit, now_utc, parse_day};
use chrono::{Datelike, NaiveDate};
use danvan_domain::Actor;
use danvan_domain::access::{Action, RecordRef};
use danvan_domain::format::date as vn;
use sqlx::Row;

/// The kinds of letter, with the symbol of their number and what they answer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LetterKind {
    Receipt,
    AcceptProposal,
    AcceptNotice,
    RejectNotice,
    TransferSlip,
    GuideSlip,
    ExtensionDecision,
    RefusalNotice,
}

impl LetterKind {
    pub const ALL: [LetterKind; 8] = [
        LetterKind::Receipt,
        LetterKind::AcceptProposal,
        LetterKind::AcceptNotice,
        LetterKind::RejectNotice,
        LetterKind::TransferSlip,
        LetterKind::GuideSlip,
        LetterKind::ExtensionDecision,
        LetterKind::RefusalNotice,
    ];
    pub fn code(self) -> &'static str {
        match self {
            LetterKind::Receipt => "receipt",
            LetterKind::AcceptProposal => "accept_proposal",
            LetterKind::AcceptNotice => "accept_notice",
            LetterKind::RejectNotice => "reject_notice",
            LetterKind::TransferSlip => "transfer_slip",
            LetterKind::GuideSlip => "guide_slip",
            LetterKind::ExtensionDecision => "extension_decision",
            LetterKind::RefusalNotice => "refusal_notice",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|k| k.code() == s)
    }
    pub fn label(self) -> &'static str {
        match self {
            LetterKind::Receipt => "Giấy biên nhận",
            LetterKind::AcceptProposal => "Phiếu đề xuất thụ lý",
            LetterKind::AcceptNotice => "Thông báo thụ lý",
            LetterKind::RejectNotice => "Thông báo không thụ lý",
            LetterKind::TransferSlip => "Phiếu chuyển đơn",
            LetterKind::GuideSlip => "Phiếu hướng dẫn",
            LetterKind::ExtensionDecision => "Quyết định gia hạn giải quyết",
            LetterKind::RefusalNotice => "Thông báo từ chối tiếp công dân",
        }
    }
    /// The symbol in the number: "12/TB-…".
    fn symbol(self) -> &'static str {
        match self {
            LetterKind::Receipt => "GBN",
            LetterKind::AcceptProposal => "PĐX",
            LetterKind::AcceptNotice | LetterKind::RejectNotice | LetterKind::RefusalNotice => "TB",
            LetterKind::TransferSlip => "PC",
            LetterKind::GuideSlip => "PHD",
            LetterKind::ExtensionDecision => "QĐ",
        }
    }
    /// Letters of a visit; the others answer a petition.
    pub fn for_visit(self) -> bool {
        matches!(self, LetterKind::Receipt | LetterKind::RefusalNotice)
    }
}

#[derive(Debug, Clone, serde::Serialize)]
pub struct Letter {
    pub id: i64,
    pub kind: String,
    pub label: String,
    pub number: Option<String>,
    pub issued_on: Option<NaiveDate>,
    pub title: String,
    pub body: String,
    pub signer_title: String,
    pub signer_name: String,
    pub case_code: String,
    pub record_code: String,
    pub unit_name: String,
    pub parent_unit_name: String,
    pub place: String,
    pub protected_identity: bool,
}

const LETTER_SQL: &str = "SELECT l.id, l.kind, l.number, l.issued_on, l.title, l.body, l.signer_title, l.signer_name, c.code, COALESCE(p.code, v.code, ''), u.name, COALESCE(pu.name, ''), u.path, l.protected_identity \
    FROM letters l JOIN cases c ON c.id = l.case_id JOIN units u ON u.id = l.unit_id LEFT JOIN units pu ON pu.id = u.parent_id \
    LEFT JOIN petitions p ON p.id = l.petition_id LEFT JOIN visits v ON v.id = l.visit_id";

fn letter_from(r: &sqlx::any::AnyRow) -> Result<(Letter, String)> {
    let protected = r.try_get::<i64, _>(13)? != 0;
    let kind: String = r.try_get(1)?;
    let issued: Option<String> = r.try_get(3)?;
    Ok((
        Letter {
            id: r.try_get(0)?,
            label: LetterKind::parse(&kind)
                .map(|k| k.label())
                .unwrap_or("")
                .into(),
            kind,
            number: r.try_get(2)?,
            issued_on: issued.as_deref().map(parse_day).transpose()?,
            title: r.try_get(4)?,
            body: r.try_get(5)?,
            signer_title: r.try_get(6)?,
            signer_name: r.try_get(7)?,
            case_code: r.try_get(8)?,
            record_code: r.try_get(9)?,
            unit_name: r.try_get(10)?,
            parent_unit_name: r.try_get(11)?,
            place: String::new(),
            protected_identity: protected,
        },
        r.try_get(12)?,
    ))
}

impl Store {
    /// Drafts a letter from a petition or a visit the actor handles; returns its id.
    pub async fn draft_letter(
        &self,
        actor: &Actor,
        kind: LetterKind,
        record_code: &str,
        today: NaiveDate,
    ) -> Result<i64> {
        let protected;
        let (case_id, petition_id, visit_id, unit_id, unit_path, title, body) = if kind.for_visit()
        {
            let v = self.visit_detail(actor, record_code).await?;
            let r = sqlx::query("SELECT v.id, v.case_id, v.unit_id, u.path FROM visits v JOIN units u ON u.id = v.unit_id WHERE v.code = $1")
                .bind(record_code.to_owned())
                .fetch_one(&self.pool)
                .await?;
            let person = if v.row.identity_masked {
                "công dân".to_owned()
            } else {
                format!("ông/bà {}", v.row.person_name)
            };
            protected = !v.row.identity_masked
                && crate::visits::visit_protected(&v.row.petition_type, v.row.visit_date);
            let body = match kind {
                LetterKind::Receipt => format!(
                    "Ngày {}, {} đã tiếp {} (địa chỉ: {}) và nhận các thông tin, tài liệu, chứng cứ sau: {}.\nNội dung: {}.\nGiấy biên nhận này được lập thành 02 bản, mỗi bên giữ 01 bản.",
                    vn(v.row.visit_date),
                    v.row.unit_name,
                    person,
                    if v.row.identity_masked {
                        "—".into()
                    } else {
                        v.row.person_address.clone()
                    },
                    if v.documents.is_empty() {
                        "không có"
                    } else {
                        &v.documents
                    },
                    v.row.content
                ),
                _ => format!(
                    "Ngày {}, {} từ chối tiếp {} vì lý do: {}.\nCăn cứ Điều 9 Luật Tiếp công dân, đề nghị công dân thực hiện đúng quy định khi đến nơi tiếp công dân.",
                    vn(v.row.visit_date),
                    v.row.unit_name,
                    person,
                    if v.refusal_reason.is_empty() {
                        "…"
                    } else {
                        &v.refusal_reason
                    }
                ),
            };
            (
                r.try_get::<i64, _>(1)?,
                None,
                Some(r.try_get::<i64, _>(0)?),
                r.try_get::<i64, _>(2)?,
                r.try_get::<String, _>(3)?,
                kind.label().to_owned(),
                body,
            )
        } else {
            let p = self.petition_detail(actor, record_code).await?;
            let r = sqlx::query("SELECT p.id, p.case_id, p.unit_id, u.path, COALESCE(tu.name, '') FROM petitions p JOIN units u ON u.id = p.unit_id LEFT JOIN units tu ON tu.id = p.target_unit_id WHERE p.code = $1")
                .bind(record_code.to_owned())
                .fetch_one(&self.pool)
                .await?;
            let target: String = r.try_get(4)?;
            // A transfer slip never carries the denouncer; other letters only for those who may
            // see them.
            let hide = p.row.identity_masked
                || (kind == LetterKind::TransferSlip && p.row.petition_type == "TC");
            let sender = if hide {
                "người gửi đơn (thông tin được bảo mật)".to_owned()
            } else {
                format!("ông/bà {}", p.row.sender_name)
            };
            protected = !hide && p.row.petition_type == "TC" && p.row.sender_kind != "anonymous";
            let got = format!(
                "Ngày {}, {} nhận được đơn của {} về việc: {}.",
                vn(p.row.received_date),
                p.row.unit_name,
                sender,
                p.row.summary
            );
            let body = match kind {
                LetterKind::AcceptProposal => format!(
                    "{got}\nQua xem xét, đơn đủ điều kiện thụ lý và thuộc thẩm quyền giải quyết. Đề xuất Thủ trưởng thụ lý giải quyết theo quy định."
                ),
                LetterKind::AcceptNotice => format!(
                    "{got}\nĐơn đủ điều kiện thụ lý và thuộc thẩm quyền giải quyết. {} thông báo đã thụ lý giải quyết kể từ ngày {}.",
                    p.row.unit_name,
                    vn(today)
                ),
                LetterKind::RejectNotice => format!(
                    "{got}\nĐơn không đủ điều kiện thụ lý giải quyết vì lý do: {}. {} thông báo để người gửi đơn biết.",
                    if p.eligibility_reason.is_empty() {
                        "…"
                    } else {
                        &p.eligibility_reason
                    },
                    p.row.unit_name
                ),
                LetterKind::TransferSlip => format!(
                    "{got}\nNội dung đơn không thuộc thẩm quyền giải quyết của {}. Căn cứ quy định về xử lý đơn, chuyển đơn đến {} để xem xét, giải quyết theo thẩm quyền và thông báo kết quả cho cơ quan chuyển đơn.",
                    p.row.unit_name,
                    if target.is_empty() {
                        "cơ quan có thẩm quyền"
                    } else {
                        &target
                    }
                ),
                LetterKind::GuideSlip => format!(
                    "{got}\nNội dung đơn không thuộc thẩm quyền giải quyết của {}. Đề nghị người gửi đơn gửi đơn đến cơ quan có thẩm quyền để được xem xét, giải quyết theo quy định.",
                    p.row.unit_name
                ),
                _ => format!(
                    "{got}\nDo vụ việc phức tạp, cần thêm thời gian xác minh, gia hạn thời hạn giải quyết thêm 30 ngày kể từ ngày hết hạn giải quyết (Điều 30 Luật Tố cáo).\nĐiều 2. Các cơ quan, cá nhân có liên quan chịu trách nhiệm thi hành Quyết định này."
                ),
            };
            (
                r.try_get::<i64, _>(1)?,
                Some(r.try_get::<i64, _>(0)?),
                None,
                r.try_get::<i64, _>(2)?,
                r.try_get::<String, _>(3)?,
                kind.label().to_owned(),
                body,
            )
        };
        let unit = RecordRef {
            unit_path: &unit_path,
        };
        let may = if kind.for_visit() {
            actor.may(Action::RecordVisit(unit))
        } else {
            actor.may(Action::HandlePetition(unit))
        };
        if !may {
            return Err(StoreError::Forbidden);
        }
        let signer = match kind {
            LetterKind::Receipt | LetterKind::RefusalNotice => "Người tiếp công dân",
            LetterKind::AcceptProposal => "Người đề xuất",
            _ => "Thủ trưởng cơ quan",
        };
        let now = now_utc();
        let mut tx = self.write().await?;
        let id: i64 = sqlx::query_scalar("INSERT INTO letters (case_id, petition_id, visit_id, unit_id, kind, title, body, signer_title, created_by, created_at, updated_at, protected_identity) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) RETURNING id")
            .bind(case_id)
            .bind(petition_id)
            .bind(visit_id)
            .bind(unit_id)
            .bind(kind.code())
            .bind(title)
            .bind(body)
            .bind(signer.to_owned())
            .bind(actor.user_id)
            .bind(now.clone())
            .bind(now)
            .bind(i64::from(protected))
            .fetch_one(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "draft",
            "letter",
            &id.to_string(),
            &format!("{} cho {record_code}", kind.label()),
        )
        .await?;
        tx.commit().await?;
        Ok(id)
    }

    /// A letter of the actor's scope.
    pub async fn letter(&self, actor: &Actor, id: i64) -> Result<Letter> {
        let r = sqlx::query(sqlx::AssertSqlSafe(format!("{LETTER_SQL} WHERE l.id = $1")))
            .bind(id)
            .fetch_optional(&self.pool)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (mut letter, path) = letter_from(&r)?;
        if !actor.may(Action::ViewRecord(RecordRef { unit_path: &path })) {
            return Err(StoreError::NotFound);
        }
        if letter.protected_identity
            && !self
                .may_see_record_identity(actor, &letter.record_code)
                .await?
        {
            return Err(StoreError::Forbidden);
        }
        let units = self.units().await?;
        letter.place = crate::units::document_place(&units, &path);
        Ok(letter)
    }

    /// May the actor see the protected identity on this petition or visit? (The same rule as
    /// their pages; reading it there is audited.)
    async fn may_see_record_identity(&self, actor: &Actor, code: &str) -> Result<bool> {
        Ok(if code.starts_with("TCD-") {
            !self.visit_detail(actor, code).await?.row.identity_masked
        } else {
            !self.petition_detail(actor, code).await?.row.identity_masked
        })
    }

    /// The letters kept on a case (issued first, newest first).
    /// The letters of a case the reader may see (a case beyond them is not found).
    pub async fn letters_of_case(&self, actor: &Actor, case_code: &str) -> Result<Vec<Letter>> {
        let case_path: Option<String> = sqlx::query_scalar(
            "SELECT u.path FROM cases c JOIN units u ON u.id = c.unit_id WHERE c.code = $1",
        )
        .bind(case_code.to_owned())
        .fetch_optional(&self.pool)
        .await?;
        match case_path {
            Some(p) if actor.may(Action::ViewRecord(RecordRef { unit_path: &p })) => {}
            _ => return Err(StoreError::NotFound),
        }
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "{LETTER_SQL} WHERE c.code = $1 ORDER BY l.id DESC"
        )))
        .bind(case_code.to_owned())
        .fetch_all(&self.pool)
        .await?;
        let mut out = vec![];
        for r in &rows {
            let (l, path) = letter_from(r)?;
            if actor.may(Action::ViewRecord(RecordRef { unit_path: &path })) {
                out.push(l);
            }
        }
        Ok(out)
    }

    /// Edits a draft; an issued letter no longer changes.
    pub async fn update_letter(
        &self,
        actor: &Actor,
        id: i64,
        title: &str,
        body: &str,
        signer_title: &str,
        signer_name: &str,
    ) -> Result<()> {
        let letter = self.letter(actor, id).await?;
        self.may_write_letter(actor, id).await?;
        if letter.number.is_some() {
            return Err(
                danvan_domain::Invalid::one("body", "Văn bản đã ban hành, không sửa được").into(),
            );
        }
        if title.trim().is_empty() || body.trim().is_empty() {
            return Err(
                danvan_domain::Invalid::one("body", "Chưa có tiêu đề hoặc nội dung").into(),
            );
        }
        let mut tx = self.write().await?;
        sqlx::query("UPDATE letters SET title = $1, body = $2, signer_title = $3, signer_name = $4, updated_at = $5 WHERE id = $6 AND number IS NULL")
            .bind(title.trim().to_owned())
            .bind(body.trim().to_owned())
            .bind(signer_title.trim().to_owned())
            .bind(signer_name.trim().to_owned())
            .bind(now_utc())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "update",
            "letter",
            &id.to_string(),
            "",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    /// Issues a draft: the unit's next number of the year for its kind ("12/TB"), today's date.
    pub async fn issue_letter(&self, actor: &Actor, id: i64, today: NaiveDate) -> Result<String> {
        let letter = self.letter(actor, id).await?;
        self.may_write_letter(actor, id).await?;
        if letter.number.is_some() {
            return Err(danvan_domain::Invalid::one("body", "Văn bản đã ban hành").into());
        }
        let kind = LetterKind::parse(&letter.kind)
            .ok_or_else(|| StoreError::Corrupt(letter.kind.clone()))?;
        let mut tx = self.write().await?;
        let unit_id: i64 = sqlx::query_scalar("SELECT unit_id FROM letters WHERE id = $1")
            .bind(id)
            .fetch_one(&mut *tx)
            .await?;
        let counter = audit::next_code(
            &mut tx,
            &format!("VB{unit_id}{}", kind.symbol()),
            today.year(),
        )
        .await?;
        let n: i64 = counter
            .rsplit('-')
            .next()
            .and_then(|x| x.parse().ok())
            .unwrap_or(1);
        let number = format!("{n}/{}", kind.symbol());
        sqlx::query("UPDATE letters SET number = $1, issued_on = $2, updated_at = $3 WHERE id = $4 AND number IS NULL")
            .bind(number.clone())
            .bind(today.to_string())
            .bind(now_utc())
            .bind(id)
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "issue",
            "letter",
            &id.to_string(),
            &number,
        )
        .await?;
        tx.commit().await?;
        Ok(number)
    }

    async fn may_write_letter(&self, actor: &Actor, id: i64) -> Result<()> {
        let r = sqlx::query(
            "SELECT l.kind, u.path FROM letters l JOIN units u ON u.id = l.unit_id WHERE l.id = $1",
        )
        .bind(id)
        .fetch_one(&self.pool)
        .await?;
        let kind: String = r.try_get(0)?;
        let path: String = r.try_get(1)?;
        let unit = RecordRef { unit_path: &path };
        let may = if LetterKind::parse(&kind).is_some_and(LetterKind::for_visit) {
            actor.may(Action::RecordVisit(unit))
        } else {
            actor.may(Action::HandlePetition(unit))
        };
        if may {
            Ok(())
        } else {
            Err(StoreError::Forbidden)
        }
    }

    /// The letter as a Word document in the NĐ 30/2020 layout.
    pub async fn letter_docx(&self, actor: &Actor, id: i64) -> Result<Vec<u8>> {
        let l = self.letter(actor, id).await?;
        let day = l.issued_on;
        let head = danvan_reports::docx::Letterhead {
            parent_body: l.parent_unit_name.clone(),
            body: l.unit_name.clone(),
            number: format!(
                "Số: {}",
                l.number
                    .clone()
                    .unwrap_or_else(|| "\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}/…".into())
            ),
            place_date: match day {
                Some(d) => format!(
                    "{}{}ngày {} tháng {} năm {}",
                    l.place,
                    if l.place.is_empty() { "" } else { ", " },
                    d.day(),
                    d.month(),
                    d.year()
                ),
                None => format!(
                    "{}{}ngày … tháng … năm …",
                    l.place,
                    if l.place.is_empty() { "" } else { ", " }
                ),
            },
            kind: l.title.clone(),
            title: format!("(Vụ việc {}, {})", l.case_code, l.record_code),
        };
        let paragraphs: Vec<String> = l
            .body
            .lines()
            .map(str::to_owned)
            .filter(|p| !p.trim().is_empty())
            .collect();
        danvan_reports::docx::letter_document(&head, &paragraphs, &l.signer_title, &l.signer_name)
            .map_err(|e| StoreError::Corrupt(format!("tạo tệp Word: {e}")))
    }
}
