//! The 6-month and annual review of a programme: what the data says about a period, gathered
//! for the author who writes the rest. Every figure is counted from the records.

use super::engagements::EngagementRow;
use super::models::ModelRow;
use super::programmes::TaskRow;
use super::situation::{HotspotRow, SituationRow};
use crate::{Result, Store, StoreError};
use chrono::NaiveDate;
use danvan_domain::Actor;
use danvan_domain::coordination::{EngagementKind, TaskStatus};
use danvan_domain::summary::Summary;
use danvan_reports::docx::{Block, Letterhead, narrative_document};
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub struct Review {
    pub programme_id: i64,
    pub title: String,
    pub legal_basis: String,
    pub parties: Vec<String>,
    pub scope_unit: String,
    pub scope_code: String,
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Tasks completed in the period.
    pub done: Vec<TaskRow>,
    /// Tasks due by the end of the period and not completed by then.
    pub outstanding: Vec<TaskRow>,
    /// Tasks whose due date lies after the period (still running).
    pub running: i64,
    pub summary: Summary,
    pub engagements: Vec<(EngagementKind, i64)>,
    pub engagement_list: Vec<EngagementRow>,
    pub models_registered: i64,
    pub recognised: Vec<ModelRow>,
    pub commended: Vec<ModelRow>,
    /// Situation reports of the period by level: stable, signs, complex.
    pub situation_levels: (i64, i64, i64),
    pub highlights: Vec<(SituationRow, String)>,
    pub hotspots: Vec<HotspotRow>,
}

impl Review {
    /// Nothing happened in the period: no task, visit, petition, dialogue, model or report.
    pub fn is_empty(&self) -> bool {
        self.done.is_empty()
            && self.outstanding.is_empty()
            && self.summary.visits == 0
            && self.summary.petitions == 0
            && self.engagements.iter().all(|(_, n)| *n == 0)
            && self.models_registered == 0
            && self.recognised.is_empty()
            && self.commended.is_empty()
            && self.situation_levels == (0, 0, 0)
    }
}

impl Store {
    pub async fn review(
        &self,
        actor: &Actor,
        programme_id: i64,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<Review> {
        if to < from {
            return Err(
                danvan_domain::Invalid::one("to", "Đến ngày không thể trước từ ngày").into(),
            );
        }
        let p = self.programme(actor, programme_id, to).await?;
        let scope = self
            .unit_by_code(&p.scope_unit.code)
            .await?
            .ok_or(StoreError::NotFound)?;
        let (mut done, mut outstanding, mut running) = (vec![], vec![], 0);
        for t in p.tasks {
            let completed = t.completed_on.filter(|_| t.status == TaskStatus::Done);
            match (t.status, completed) {
                (TaskStatus::Cancelled, _) => {}
                (_, Some(d)) if d >= from && d <= to => done.push(t),
                (_, Some(d)) if d < from => {}
                // Open, or done only after the period: outstanding at its end if it was due.
                _ if t.due_on <= to => outstanding.push(t),
                _ => running += 1,
            }
        }
        let summary = self.summary(from, to, Some(&p.scope_unit.code)).await?;
        let engagements = self.engagement_counts(&scope.path, from, to).await?;
        let engagement_list = self.engagements_in(&scope.path, from, to, 50).await?;
        let models_registered = self.models_registered(&scope.path, from, to).await?;
        let (recognised, commended) = self.models_decided(&scope.path, from, to).await?;
        let situation_levels = self.situation_counts(&scope.path, from, to).await?;
        let highlights = self.situation_highlights(&scope.path, from, to).await?;
        let hotspots = self.hotspots_in(&scope.path, from, to).await?;
        Ok(Review {
            programme_id,
            title: p.title,
            legal_basis: p.legal_basis,
            parties: p.parties.into_iter().map(|u| u.name).collect(),
            scope_unit: p.scope_unit.name,
            scope_code: p.scope_unit.code,
            from,
            to,
            done,
            outstanding,
            running,
            summary,
            engagements,
            engagement_list,
            models_registered,
            recognised,
            commended,
            situation_levels,
            highlights,
            hotspots,
        })
    }
}

/// "6 tháng đầu năm 2022", "năm 2022", "từ ngày 01/01/2022 đến ngày 15/03/2022".
pub fn period_words(from: NaiveDate, to: NaiveDate) -> String {
    let phrase = danvan_domain::summary::period_phrase(from, to);
    match phrase.strip_prefix("Trong ") {
        Some(rest) => rest.to_owned(),
        None => phrase.replacen("Từ", "từ", 1),
    }
}

fn date(d: NaiveDate) -> String {
    danvan_domain::format::date(d)
}

fn number(n: i64) -> String {
    danvan_domain::format::number(n)
}

impl Review {
    /// The document's title line.
    pub fn title_line(&self) -> String {
        format!(
            "Kết quả {} thực hiện {}",
            period_words(self.from, self.to),
            lower_first(&self.title)
        )
    }

    /// The review as the paragraphs of the official document; the screen shows the same
    /// figures with links to the records behind them.
    pub fn blocks(&self) -> Vec<Block> {
        let mut b = vec![];
        let basis = if self.legal_basis.is_empty() {
            String::new()
        } else {
            format!(" ({})", self.legal_basis)
        };
        b.push(Block::Paragraph(format!(
            "Thực hiện {}{basis}, {} báo cáo kết quả phối hợp {} như sau:",
            lower_first(&self.title),
            self.parties.join(" và "),
            period_words(self.from, self.to)
        )));
        b.push(Block::Heading("I. KẾT QUẢ THỰC HIỆN".into()));
        if self.is_empty() {
            b.push(Block::Paragraph(format!(
                "{}, hệ thống không ghi nhận hoạt động nào của chương trình trên địa bàn {}: không có nhiệm vụ đến hạn, lượt tiếp công dân, đơn, cuộc đối thoại, mô hình hay báo cáo tình hình.",
                danvan_domain::summary::period_phrase(self.from, self.to),
                self.scope_unit
            )));
        } else {
            b.push(Block::Heading("1. Thực hiện các nhiệm vụ phối hợp".into()));
            b.push(Block::Paragraph(format!(
                "Đã hoàn thành {} nhiệm vụ; {} nhiệm vụ đến hạn chưa hoàn thành; {} nhiệm vụ đang tiếp tục triển khai theo kế hoạch.",
                number(self.done.len() as i64),
                number(self.outstanding.len() as i64),
                number(self.running)
            )));
            for t in &self.done {
                b.push(Block::Item(format!(
                    "- {} ({} chủ trì; hoàn thành ngày {}).",
                    t.content,
                    t.lead_unit,
                    t.completed_on.map(date).unwrap_or_default()
                )));
            }
            for t in &self.outstanding {
                b.push(Block::Item(format!(
                    "- {} ({} chủ trì; hạn {}): chưa hoàn thành.",
                    t.content,
                    t.lead_unit,
                    date(t.due_on)
                )));
            }
            b.push(Block::Heading(
                "2. Công tác tiếp công dân, giải quyết khiếu nại, tố cáo, kiến nghị, phản ánh"
                    .into(),
            ));
            b.push(Block::Paragraph(self.summary.text()));
            b.push(Block::Heading(
                "3. Đối thoại, tiếp xúc trực tiếp với nhân dân".into(),
            ));
            let n = |k: EngagementKind| {
                self.engagements
                    .iter()
                    .find(|(x, _)| *x == k)
                    .map(|(_, n)| *n)
                    .unwrap_or(0)
            };
            b.push(Block::Paragraph(format!(
                "Các cơ quan, đơn vị đã tổ chức {} cuộc đối thoại, {} cuộc tiếp xúc trực tiếp với nhân dân và {} lượt thăm hỏi, tiếp xúc các tổ chức tôn giáo, đồng bào dân tộc.",
                number(n(EngagementKind::Dialogue)),
                number(n(EngagementKind::Meeting)),
                number(n(EngagementKind::Contact))
            )));
            for e in self
                .engagement_list
                .iter()
                .filter(|e| e.kind == EngagementKind::Contact)
            {
                b.push(Block::Item(format!(
                    "- Ngày {}: {} thăm {}{}.",
                    date(e.held_on),
                    e.host,
                    e.counterpart,
                    if e.topics.is_empty() {
                        String::new()
                    } else {
                        format!(" ({})", e.topics)
                    }
                )));
            }
            b.push(Block::Heading(
                "4. Phong trào thi đua “Dân vận khéo”".into(),
            ));
            b.push(Block::Paragraph(format!(
                "Đăng ký mới {} mô hình; công nhận {} mô hình; khen thưởng {} mô hình.",
                number(self.models_registered),
                number(self.recognised.len() as i64),
                number(self.commended.len() as i64)
            )));
            for m in &self.commended {
                b.push(Block::Item(format!(
                    "- Mô hình {} ({}): {} của {}, Quyết định số {} ngày {}.",
                    quoted(&m.name),
                    m.unit,
                    m.commend_form.clone().unwrap_or_default(),
                    m.commend_issuer.clone().unwrap_or_default(),
                    m.commend_decision.clone().unwrap_or_default(),
                    m.commended_on.map(date).unwrap_or_default()
                )));
            }
            let (stable, signs, complex) = self.situation_levels;
            b.push(Block::Heading("5. Nắm tình hình nhân dân".into()));
            b.push(Block::Paragraph(format!(
                "Các đơn vị đã gửi {} báo cáo tình hình, trong đó {} báo cáo đánh giá ổn định, {} báo cáo có biểu hiện phức tạp, {} báo cáo phức tạp.",
                number(stable + signs + complex),
                number(stable),
                number(signs),
                number(complex)
            )));
            for (s, narrative) in &self.highlights {
                b.push(Block::Item(format!(
                    "- {} ({} – {}): {}. {}",
                    s.unit,
                    date(s.period_from),
                    date(s.period_to),
                    s.level.label(),
                    narrative
                )));
            }
            for h in &self.hotspots {
                b.push(Block::Item(format!(
                    "- Điểm nóng {} ({}), từ ngày {}, {} người: {}{}.",
                    h.place,
                    h.area,
                    date(h.since),
                    number(h.people),
                    h.status.label().to_lowercase(),
                    if h.cases.is_empty() {
                        String::new()
                    } else {
                        format!("; {} vụ việc liên quan", h.cases.len())
                    }
                )));
            }
        }
        b.push(Block::Heading(
            "II. PHƯƠNG HƯỚNG, NHIỆM VỤ THỜI GIAN TỚI".into(),
        ));
        b.push(Block::ToWrite(
            "(Phần này do người soạn thảo viết: các nhiệm vụ trọng tâm kỳ tới, kiến nghị, đề xuất.)".into(),
        ));
        b
    }
}

/// A name in Vietnamese quotes, unless it already opens with them.
fn quoted(name: &str) -> String {
    if name.starts_with('“') {
        name.to_owned()
    } else {
        format!("“{name}”")
    }
}

fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

impl Store {
    /// The review as a Word document in the format of NĐ 30/2020.
    pub async fn review_docx(
        &self,
        actor: &Actor,
        programme_id: i64,
        from: NaiveDate,
        to: NaiveDate,
        today: NaiveDate,
    ) -> Result<Vec<u8>> {
        use chrono::Datelike;
        let r = self.review(actor, programme_id, from, to).await?;
        let issuer = r.parties.first().cloned().unwrap_or_default();
        let units = self.units().await?;
        let place = units
            .iter()
            .find(|u| u.code == r.scope_code)
            .map(|u| crate::units::document_place(&units, &u.path))
            .filter(|p| !p.is_empty())
            .map(|p| format!("{p}, "))
            .unwrap_or_default();
        let head = Letterhead {
            parent_body: String::new(),
            body: issuer.clone(),
            number: "Số:\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}\u{a0}/BC".into(),
            place_date: format!(
                "{place}ngày {} tháng {} năm {}",
                today.day(),
                today.month(),
                today.year()
            ),
            kind: "Báo cáo".into(),
            title: r.title_line(),
        };
        narrative_document(&head, &r.blocks(), &format!("TM. {issuer}"), "")
            .map_err(|e| StoreError::Corrupt(format!("tạo tệp Word: {e}")))
    }
}
