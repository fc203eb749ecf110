//! Dân vận coordination: joint programmes and their tasks, dialogues and contact visits,
//! situation reports with their hotspots, and the "Dân vận khéo" models with their cycle from
//! registration to commendation. The drafts arrive as typed in forms and the API (dates as
//! `dd/mm/yyyy` or ISO); `check` turns a draft into its valid form or names every field at fault.

use crate::format::parse_date;
use crate::validate::{FieldErrors, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

vocabulary!(
    /// Where a task of a programme stands.
    TaskStatus {
        Planned => ("planned", "Chưa thực hiện"),
        InProgress => ("in_progress", "Đang thực hiện"),
        Done => ("done", "Hoàn thành"),
        Cancelled => ("cancelled", "Hủy bỏ"),
    }
);

vocabulary!(
    /// A task due once, or every month or quarter until the programme ends.
    Recurrence {
        Once => ("once", "Một lần"),
        Monthly => ("monthly", "Hằng tháng"),
        Quarterly => ("quarterly", "Hằng quý"),
    }
);

vocabulary!(
    /// A dialogue with citizens or a contact visit (to a religious organisation, an ethnic
    /// community, a prestigious person).
    EngagementKind {
        Dialogue => ("dialogue", "Đối thoại với nhân dân"),
        Meeting => ("meeting", "Tiếp xúc trực tiếp"),
        Contact => ("contact", "Thăm hỏi, tiếp xúc tôn giáo – dân tộc"),
    }
);

vocabulary!(
    /// The assessed level of a situation report.
    SituationLevel {
        Stable => ("stable", "Ổn định"),
        Signs => ("signs", "Có biểu hiện phức tạp"),
        Complex => ("complex", "Phức tạp"),
    }
);

vocabulary!(
    HotspotStatus {
        Open => ("open", "Đang diễn biến"),
        Monitoring => ("monitoring", "Đang theo dõi"),
        Resolved => ("resolved", "Đã ổn định"),
    }
);

vocabulary!(
    /// The four fields of the "Dân vận khéo" movement.
    ModelField {
        Economy => ("kt", "Kinh tế"),
        Society => ("vhxh", "Văn hóa – xã hội"),
        Security => ("qpan", "Quốc phòng – an ninh"),
        Politics => ("xdhtct", "Xây dựng hệ thống chính trị"),
    }
);

vocabulary!(
    ModelKind {
        Collective => ("collective", "Tập thể"),
        Individual => ("individual", "Cá nhân"),
    }
);

vocabulary!(
    /// The level at which a model is registered and recognised.
    ModelLevel {
        Commune => ("commune", "Cấp xã"),
        Province => ("province", "Cấp tỉnh"),
        Central => ("central", "Trung ương"),
    }
);

vocabulary!(
    /// The cycle of a model: registered → in progress → checked → recognised → exemplary →
    /// commended → replicated; or stopped at any point before it is commended.
    ModelStage {
        Registered => ("registered", "Đăng ký"),
        InProgress => ("in_progress", "Đang thực hiện"),
        Checked => ("checked", "Đã kiểm tra"),
        Recognised => ("recognised", "Được công nhận"),
        Exemplary => ("exemplary", "Tiêu biểu"),
        Commended => ("commended", "Được khen thưởng"),
        Replicated => ("replicated", "Nhân rộng"),
        Stopped => ("stopped", "Dừng thực hiện"),
    }
);

vocabulary!(
    /// What a task's evidence link points to.
    LinkKind {
        Case => ("case", "Vụ việc"),
        Engagement => ("engagement", "Đối thoại, tiếp xúc"),
        Situation => ("situation", "Báo cáo tình hình"),
        Model => ("model", "Mô hình Dân vận khéo"),
    }
);

impl ModelStage {
    /// The stages a model may move to from this one. A step may be skipped forward only where
    /// practice skips it: a recognised model may be commended without being named exemplary.
    pub fn next(self) -> &'static [ModelStage] {
        use ModelStage::*;
        match self {
            Registered => &[InProgress, Stopped],
            InProgress => &[Checked, Stopped],
            Checked => &[Recognised, InProgress, Stopped],
            Recognised => &[Exemplary, Commended, Replicated, Stopped],
            Exemplary => &[Commended, Replicated, Stopped],
            Commended => &[Replicated],
            Replicated | Stopped => &[],
        }
    }

    /// Has the model been recognised (it holds a recognition decision)?
    pub fn is_recognised(self) -> bool {
        matches!(
            self,
            ModelStage::Recognised
                | ModelStage::Exemplary
                | ModelStage::Commended
                | ModelStage::Replicated
        )
    }
}

fn required(e: &mut FieldErrors, field: &str, value: &str, message: &str) {
    if value.trim().is_empty() {
        e.add(field, message);
    }
}

fn day(e: &mut FieldErrors, field: &str, value: &str, what: &str) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        e.add(field, format!("Chưa nhập {what}"));
        return None;
    }
    let d = parse_date(value);
    if d.is_none() {
        e.add(field, format!("{what} không hợp lệ (dd/mm/yyyy)"));
    }
    d
}

fn optional_day(e: &mut FieldErrors, field: &str, value: &str, what: &str) -> Option<NaiveDate> {
    if value.trim().is_empty() {
        None
    } else {
        day(e, field, value, what)
    }
}

fn code<T>(
    e: &mut FieldErrors,
    field: &str,
    value: &str,
    parse: fn(&str) -> Option<T>,
) -> Option<T> {
    let v = parse(value.trim());
    if v.is_none() {
        e.add(field, "Giá trị không có trong danh mục");
    }
    v
}

/// A coordination programme as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ProgrammeDraft {
    pub title: String,
    pub year_from: i32,
    pub year_to: i32,
    /// The coordination regulation or plan it carries out, with number and date.
    #[serde(default)]
    pub legal_basis: String,
    /// The units taking part, by code (at least two: a programme coordinates).
    pub parties: Vec<String>,
    /// The unit whose reception and petition figures the reviews report.
    pub scope_unit: String,
}

impl ProgrammeDraft {
    pub fn check(&self) -> Result<(), Invalid> {
        let mut e = FieldErrors::default();
        required(&mut e, "title", &self.title, "Chưa nhập tên chương trình");
        if !(2000..=2100).contains(&self.year_from) {
            e.add("year_from", "Năm bắt đầu không hợp lệ");
        } else if self.year_to < self.year_from || self.year_to > self.year_from + 10 {
            e.add(
                "year_to",
                "Năm kết thúc phải từ năm bắt đầu đến tối đa 10 năm sau",
            );
        }
        let mut parties: Vec<&str> = self
            .parties
            .iter()
            .map(|p| p.trim())
            .filter(|p| !p.is_empty())
            .collect();
        parties.sort_unstable();
        parties.dedup();
        if parties.len() < 2 {
            e.add(
                "parties",
                "Chương trình phối hợp cần ít nhất hai bên tham gia",
            );
        }
        required(
            &mut e,
            "scope_unit",
            &self.scope_unit,
            "Chưa chọn địa bàn lấy số liệu",
        );
        e.into_result()
    }
}

/// A task of a programme as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskDraft {
    pub content: String,
    pub lead_unit: String,
    #[serde(default)]
    pub cooperating: Vec<String>,
    #[serde(default)]
    pub starts_on: String,
    pub due_on: String,
    #[serde(default)]
    pub recurrence: String,
}

/// A task that passed its checks.
#[derive(Debug, Clone)]
pub struct ValidTask {
    pub starts_on: Option<NaiveDate>,
    pub due_on: NaiveDate,
    pub recurrence: Recurrence,
}

impl TaskDraft {
    /// `term` is the programme's years: a task falls inside them.
    pub fn check(&self, term: (i32, i32)) -> Result<ValidTask, Invalid> {
        let mut e = FieldErrors::default();
        required(
            &mut e,
            "content",
            &self.content,
            "Chưa nhập nội dung nhiệm vụ",
        );
        required(
            &mut e,
            "lead_unit",
            &self.lead_unit,
            "Chưa chọn đơn vị chủ trì",
        );
        let starts_on = optional_day(&mut e, "starts_on", &self.starts_on, "Ngày bắt đầu");
        let due_on = day(&mut e, "due_on", &self.due_on, "Hạn hoàn thành");
        let recurrence = if self.recurrence.trim().is_empty() {
            Some(Recurrence::Once)
        } else {
            code(&mut e, "recurrence", &self.recurrence, Recurrence::parse)
        };
        if let (Some(s), Some(d)) = (starts_on, due_on)
            && d < s
        {
            e.add(
                "due_on",
                "Hạn hoàn thành không thể trước ngày bắt đầu nhiệm vụ",
            );
        }
        if let Some(d) = due_on {
            use chrono::Datelike;
            if d.year() < term.0 || d.year() > term.1 {
                e.add(
                    "due_on",
                    format!(
                        "Hạn hoàn thành phải nằm trong thời gian của chương trình ({}–{})",
                        term.0, term.1
                    ),
                );
            }
        }
        if self
            .cooperating
            .iter()
            .any(|c| c.trim() == self.lead_unit.trim())
        {
            e.add(
                "cooperating",
                "Đơn vị chủ trì không đồng thời là đơn vị phối hợp",
            );
        }
        e.into_result()?;
        Ok(ValidTask {
            starts_on,
            due_on: due_on.expect("checked above"),
            recurrence: recurrence.expect("checked above"),
        })
    }
}

/// A progress note on a task: what was done, with its evidence, and optionally a new status.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct TaskUpdate {
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub note: String,
    #[serde(default)]
    pub evidence: String,
    #[serde(default)]
    pub noted_on: String,
}

impl TaskUpdate {
    pub fn check(&self, today: NaiveDate) -> Result<(Option<TaskStatus>, NaiveDate), Invalid> {
        let mut e = FieldErrors::default();
        let status = if self.status.trim().is_empty() {
            None
        } else {
            code(&mut e, "status", &self.status, TaskStatus::parse)
        };
        if status.is_none() && self.note.trim().is_empty() {
            e.add("note", "Chưa nhập nội dung tiến độ");
        }
        let on = optional_day(&mut e, "noted_on", &self.noted_on, "Ngày ghi nhận").unwrap_or(today);
        if on > today {
            e.add("noted_on", "Ngày ghi nhận không thể sau hôm nay");
        }
        e.into_result()?;
        Ok((status, on))
    }
}

/// A dialogue, meeting or contact visit as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct EngagementDraft {
    pub kind: String,
    pub unit: String,
    pub held_on: String,
    #[serde(default)]
    pub place: String,
    /// Who hosted the dialogue or led the visit.
    pub host: String,
    /// Whom the unit met or visited (a community, a religious organisation, the residents of…).
    #[serde(default)]
    pub counterpart: String,
    #[serde(default)]
    pub occasion: String,
    #[serde(default)]
    pub participants: i64,
    #[serde(default)]
    pub topics: String,
    #[serde(default)]
    pub gifts: String,
    #[serde(default)]
    pub issues: String,
    #[serde(default)]
    pub conclusions: String,
    #[serde(default)]
    pub follow_up: String,
    /// Codes of the cases discussed.
    #[serde(default)]
    pub cases: Vec<String>,
}

impl EngagementDraft {
    pub fn check(&self, today: NaiveDate) -> Result<(EngagementKind, NaiveDate), Invalid> {
        let mut e = FieldErrors::default();
        let kind = code(&mut e, "kind", &self.kind, EngagementKind::parse);
        required(&mut e, "unit", &self.unit, "Chưa chọn đơn vị");
        let held_on = day(&mut e, "held_on", &self.held_on, "Ngày tổ chức");
        required(&mut e, "host", &self.host, "Chưa nhập người chủ trì");
        if kind == Some(EngagementKind::Contact) {
            required(
                &mut e,
                "counterpart",
                &self.counterpart,
                "Chưa nhập tổ chức, cộng đồng được thăm",
            );
        }
        if self.participants < 0 {
            e.add("participants", "Số người tham dự không thể âm");
        }
        if held_on.is_some_and(|d| d > today) {
            e.add("held_on", "Ngày tổ chức không thể sau hôm nay");
        }
        e.into_result()?;
        Ok((kind.expect("checked"), held_on.expect("checked")))
    }
}

/// A periodic situation report as typed.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct SituationDraft {
    pub unit: String,
    pub period_from: String,
    pub period_to: String,
    pub level: String,
    #[serde(default)]
    pub topics: Vec<String>,
    pub narrative: String,
    #[serde(default)]
    pub recommendations: String,
}

#[derive(Debug, Clone)]
pub struct ValidSituation {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub level: SituationLevel,
}

impl SituationDraft {
    pub fn check(&self) -> Result<ValidSituation, Invalid> {
        let mut e = FieldErrors::default();
        required(&mut e, "unit", &self.unit, "Chưa chọn đơn vị, địa bàn");
        let from = day(&mut e, "period_from", &self.period_from, "Từ ngày");
        let to = day(&mut e, "period_to", &self.period_to, "Đến ngày");
        let level = code(&mut e, "level", &self.level, SituationLevel::parse);
        required(
            &mut e,
            "narrative",
            &self.narrative,
            "Chưa nhập nội dung tình hình",
        );
        if let (Some(f), Some(t)) = (from, to)
            && t < f
        {
            e.add("period_to", "Đến ngày không thể trước từ ngày");
        }
        e.into_result()?;
        Ok(ValidSituation {
            from: from.expect("checked"),
            to: to.expect("checked"),
            level: level.expect("checked"),
        })
    }
}

/// A hotspot (điểm nóng) as typed, inside a situation report.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct HotspotDraft {
    /// The unit of the place (a commune, a district): must lie in the report's area.
    pub area_unit: String,
    pub place: String,
    pub since: String,
    #[serde(default)]
    pub people: i64,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub measures: String,
    #[serde(default)]
    pub cases: Vec<String>,
}

impl HotspotDraft {
    pub fn check(&self, today: NaiveDate) -> Result<(NaiveDate, HotspotStatus), Invalid> {
        let mut e = FieldErrors::default();
        required(&mut e, "area_unit", &self.area_unit, "Chưa chọn địa bàn");
        required(&mut e, "place", &self.place, "Chưa nhập địa điểm");
        let since = day(&mut e, "since", &self.since, "Ngày phát sinh");
        let status = if self.status.trim().is_empty() {
            Some(HotspotStatus::Open)
        } else {
            code(&mut e, "status", &self.status, HotspotStatus::parse)
        };
        if self.people < 0 {
            e.add("people", "Số người không thể âm");
        }
        if since.is_some_and(|d| d > today) {
            e.add("since", "Ngày phát sinh không thể sau hôm nay");
        }
        e.into_result()?;
        Ok((since.expect("checked"), status.expect("checked")))
    }
}

/// A "Dân vận khéo" model as registered.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ModelDraft {
    pub name: String,
    pub unit: String,
    #[serde(default)]
    pub address: String,
    pub field: String,
    pub kind: String,
    pub level: String,
    pub registered_on: String,
    pub period_from: i32,
    pub period_to: i32,
    #[serde(default)]
    pub description: String,
    #[serde(default)]
    pub results: String,
    #[serde(default)]
    pub evidence: String,
}

#[derive(Debug, Clone)]
pub struct ValidModel {
    pub field: ModelField,
    pub kind: ModelKind,
    pub level: ModelLevel,
    pub registered_on: NaiveDate,
}

impl ModelDraft {
    pub fn check(&self, today: NaiveDate) -> Result<ValidModel, Invalid> {
        let mut e = FieldErrors::default();
        required(&mut e, "name", &self.name, "Chưa nhập tên mô hình");
        required(&mut e, "unit", &self.unit, "Chưa chọn đơn vị đăng ký");
        let field = code(&mut e, "field", &self.field, ModelField::parse);
        let kind = code(&mut e, "kind", &self.kind, ModelKind::parse);
        let level = code(&mut e, "level", &self.level, ModelLevel::parse);
        let registered_on = day(&mut e, "registered_on", &self.registered_on, "Ngày đăng ký");
        if registered_on.is_some_and(|d| d > today) {
            e.add("registered_on", "Ngày đăng ký không thể sau hôm nay");
        }
        if !(2000..=2100).contains(&self.period_from) {
            e.add("period_from", "Năm bắt đầu không hợp lệ");
        } else if self.period_to < self.period_from {
            e.add(
                "period_to",
                "Giai đoạn kết thúc không thể trước năm bắt đầu",
            );
        }
        e.into_result()?;
        Ok(ValidModel {
            field: field.expect("checked"),
            kind: kind.expect("checked"),
            level: level.expect("checked"),
            registered_on: registered_on.expect("checked"),
        })
    }
}

/// A step in a model's cycle as typed: the stage it moves to, the date, and for recognition
/// and commendation the decision that made it so.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct StageDraft {
    pub stage: String,
    pub on: String,
    #[serde(default)]
    pub note: String,
    /// Số quyết định (recognition or commendation).
    #[serde(default)]
    pub decision: String,
    /// Commendation: the form (Bằng khen, Giấy khen…) and who issued it.
    #[serde(default)]
    pub form: String,
    #[serde(default)]
    pub issuer: String,
}

/// What the model looks like to the rules of its cycle.
#[derive(Debug, Clone, Copy)]
pub struct ModelState {
    pub stage: ModelStage,
    pub registered_on: NaiveDate,
    /// The date of the last step taken.
    pub last_step_on: NaiveDate,
    pub recognised_on: Option<NaiveDate>,
}

impl StageDraft {
    /// Checks a step against the model's current state; returns the stage and the date.
    pub fn check(
        &self,
        model: ModelState,
        today: NaiveDate,
    ) -> Result<(ModelStage, NaiveDate), Invalid> {
        let mut e = FieldErrors::default();
        let stage = code(&mut e, "stage", &self.stage, ModelStage::parse);
        let on = day(&mut e, "on", &self.on, "Ngày");
        if let Some(s) = stage {
            if !model.stage.next().contains(&s) {
                let msg = if s == ModelStage::Commended && !model.stage.is_recognised() {
                    "Mô hình chưa được công nhận thì chưa thể khen thưởng".to_owned()
                } else {
                    format!(
                        "Không thể chuyển từ “{}” sang “{}”",
                        model.stage.label(),
                        s.label()
                    )
                };
                e.add("stage", msg);
            }
            if matches!(s, ModelStage::Recognised | ModelStage::Commended) {
                required(
                    &mut e,
                    "decision",
                    &self.decision,
                    "Chưa nhập số quyết định",
                );
            }
            if s == ModelStage::Commended {
                required(
                    &mut e,
                    "form",
                    &self.form,
                    "Chưa nhập hình thức khen thưởng",
                );
                required(&mut e, "issuer", &self.issuer, "Chưa nhập cấp khen thưởng");
                if let (Some(d), Some(r)) = (on, model.recognised_on)
                    && d < r
                {
                    e.add(
                        "on",
                        "Ngày khen thưởng không thể trước ngày mô hình được công nhận",
                    );
                }
            }
            if s == ModelStage::Stopped {
                required(&mut e, "note", &self.note, "Chưa nhập lý do dừng");
            }
        }
        if let Some(d) = on {
            if d > today {
                e.add("on", "Ngày không thể sau hôm nay");
            } else if d < model.last_step_on || d < model.registered_on {
                e.add("on", "Ngày không thể trước bước trước đó của mô hình");
            }
        }
        e.into_result()?;
        Ok((stage.expect("checked"), on.expect("checked")))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid")
    }

    #[test]
    fn a_task_due_before_it_starts_is_refused() {
        let t = TaskDraft {
            content: "Tổ chức đối thoại".into(),
            lead_unit: "A".into(),
            starts_on: "01/06/2022".into(),
            due_on: "31/05/2022".into(),
            ..Default::default()
        };
        let err = t.check((2022, 2022)).expect_err("due before start");
        assert!(
            err.0
                .get("due_on")
                .is_some_and(|m| m.contains("trước ngày bắt đầu"))
        );
        let ok = TaskDraft {
            due_on: "30/06/2022".into(),
            ..t
        };
        let v = ok.check((2022, 2022)).expect("valid");
        assert_eq!(v.due_on, d(2022, 6, 30));
        assert_eq!(v.recurrence, Recurrence::Once);
        let outside = TaskDraft {
            starts_on: String::new(),
            due_on: "30/06/2023".into(),
            ..ok
        };
        assert!(
            outside.check((2022, 2022)).is_err(),
            "outside the programme's term"
        );
    }

    #[test]
    fn the_model_cycle_goes_one_way() {
        let state = |stage| ModelState {
            stage,
            registered_on: d(2022, 1, 10),
            last_step_on: d(2022, 3, 1),
            recognised_on: None,
        };
        let step = |stage: &str| StageDraft {
            stage: stage.into(),
            on: "15/05/2022".into(),
            decision: "12/QĐ-BDV".into(),
            form: "Bằng khen".into(),
            issuer: "Chủ tịch UBND tỉnh".into(),
            ..Default::default()
        };
        let today = d(2022, 12, 31);
        let err = step("commended")
            .check(state(ModelStage::Checked), today)
            .expect_err("commended before recognised");
        assert!(
            err.0
                .get("stage")
                .is_some_and(|m| m.contains("chưa được công nhận"))
        );
        assert!(
            step("recognised")
                .check(state(ModelStage::Checked), today)
                .is_ok()
        );
        let recognised = ModelState {
            recognised_on: Some(d(2022, 6, 1)),
            ..state(ModelStage::Recognised)
        };
        let early = step("commended")
            .check(recognised, today)
            .expect_err("before recognition");
        assert!(early.0.get("on").is_some());
        let later = StageDraft {
            on: "20/06/2022".into(),
            ..step("commended")
        };
        assert_eq!(
            later.check(recognised, today).expect("valid").0,
            ModelStage::Commended
        );
        assert!(
            step("registered").check(recognised, today).is_err(),
            "no way back to registered"
        );
        let no_decision = StageDraft {
            decision: String::new(),
            ..step("recognised")
        };
        assert!(
            no_decision
                .check(state(ModelStage::Checked), today)
                .is_err()
        );
        assert!(ModelStage::Replicated.next().is_empty());
    }

    #[test]
    fn every_stage_is_reachable_from_registration() {
        let mut seen = vec![ModelStage::Registered];
        let mut i = 0;
        while i < seen.len() {
            for n in seen[i].next() {
                if !seen.contains(n) {
                    seen.push(*n);
                }
            }
            i += 1;
        }
        assert_eq!(seen.len(), ModelStage::ALL.len());
    }

    #[test]
    fn a_programme_coordinates_at_least_two_parties() {
        let p = ProgrammeDraft {
            title: "Chương trình phối hợp".into(),
            year_from: 2022,
            year_to: 2022,
            parties: vec!["A".into(), "A".into()],
            scope_unit: "A".into(),
            ..Default::default()
        };
        assert!(p.check().expect_err("one party").0.get("parties").is_some());
    }
}
