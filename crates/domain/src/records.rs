//! The registers' records as the rules see them: the closed vocabularies (each value with its
//! stored code and its Vietnamese label) and the drafts an officer submits, with their checks.

use crate::format::parse_date;
use crate::ids::IdNumber;
use crate::validate::{FieldErrors, Invalid};
use chrono::NaiveDate;
use serde::Serialize;

vocabulary!(
    /// Loại đơn: the three kinds the law distinguishes.
    PetitionType {
        Complaint => ("KN", "Khiếu nại"),
        Denunciation => ("TC", "Tố cáo"),
        Recommendation => ("KNPA", "Kiến nghị, phản ánh"),
    }
);

vocabulary!(
    /// Hình thức tiếp: regular = reception staff; periodic and ad hoc = the head in person.
    VisitKind {
        Regular => ("regular", "Thường xuyên"),
        Periodic => ("periodic", "Định kỳ (Thủ trưởng tiếp)"),
        AdHoc => ("adhoc", "Đột xuất (Thủ trưởng tiếp)"),
        Authorised => ("authorised", "Ủy quyền"),
    }
);

vocabulary!(
    /// Since 1/7/2026 reception may also be online.
    VisitMode {
        InPerson => ("in_person", "Trực tiếp"),
        Online => ("online", "Trực tuyến"),
    }
);

vocabulary!(
    /// Kết quả tiếp: what was done at the visit.
    VisitHandling {
        Accept => ("accept", "Tiếp nhận đơn, tài liệu"),
        Guide => ("guide", "Hướng dẫn"),
        Transfer => ("transfer", "Chuyển đơn"),
        Explain => ("explain", "Giải thích, trả lời trực tiếp"),
    }
);

vocabulary!(
    /// Nguồn đơn.
    PetitionSource {
        Reception => ("reception", "Tiếp nhận tại trụ sở tiếp công dân"),
        Post => ("post", "Qua bưu chính"),
        Deputy => ("deputy", "Đại biểu Quốc hội, HĐND chuyển"),
        Front => ("front", "Mặt trận Tổ quốc chuyển"),
        Press => ("press", "Cơ quan báo chí chuyển"),
        OtherBody => ("other_body", "Cơ quan khác chuyển"),
        Leader => ("leader", "Lãnh đạo chuyển"),
        Online => ("online", "Trực tuyến"),
    }
);

vocabulary!(
    /// Người gửi: one signer, many signers, or anonymous (01/XLD "một người đứng tên / nhiều
    /// người đứng tên / đơn khác").
    SenderKind {
        One => ("one", "Một người đứng tên"),
        Many => ("many", "Nhiều người đứng tên"),
        Anonymous => ("anonymous", "Không rõ họ tên, địa chỉ (đơn khác)"),
    }
);

vocabulary!(
    /// Hướng xử lý đơn.
    Decision {
        Accept => ("accept", "Thụ lý"),
        Transfer => ("transfer", "Chuyển đơn"),
        Guide => ("guide", "Hướng dẫn"),
        Return => ("return", "Trả lại đơn"),
        File => ("file", "Lưu đơn"),
        Urge => ("urge", "Đôn đốc"),
    }
);

vocabulary!(
    /// Trạng thái vụ việc.
    CaseStatus {
        Open => ("open", "Đang xử lý"),
        Settling => ("settling", "Đang giải quyết"),
        Settled => ("settled", "Đã giải quyết"),
        Closed => ("closed", "Kết thúc"),
    }
);

vocabulary!(
    /// Kết quả giải quyết (for KN/TC).
    Outcome {
        Right => ("right", "Đúng"),
        Wrong => ("wrong", "Sai"),
        PartlyRight => ("partly_right", "Có đúng, có sai"),
        Withdrawn => ("withdrawn", "Rút đơn"),
        Suspended => ("suspended", "Đình chỉ"),
    }
);

vocabulary!(
    /// Loại đơn vị.
    UnitKind {
        National => ("national", "Trung ương"),
        Province => ("province", "Tỉnh"),
        PeoplesCommittee => ("committee", "Ủy ban nhân dân"),
        PartyBoard => ("party_board", "Ban Đảng"),
        ReceptionOffice => ("reception_office", "Ban Tiếp công dân"),
        Inspectorate => ("inspectorate", "Thanh tra"),
        Department => ("department", "Sở, ngành"),
        District => ("district", "Cấp huyện"),
        Commune => ("commune", "Cấp xã"),
    }
);

/// 1/7/2026: Luật 136/2025 makes every citizen's personal data at reception confidential.
pub fn reception_identity_protected(visit_date: NaiveDate) -> bool {
    visit_date >= NaiveDate::from_ymd_opt(2026, 7, 1).unwrap_or(NaiveDate::MAX)
}

/// A person as typed on a form.
#[derive(Debug, Clone, Default)]
pub struct PersonDraft {
    pub full_name: String,
    pub id_number: String,
    pub birth_year: String,
    pub address: String,
    pub area_code: String,
    pub phone: String,
}

/// A person that passed the checks.
#[derive(Debug, Clone, Serialize)]
pub struct PersonInput {
    pub full_name: String,
    pub id_number: Option<IdNumber>,
    pub birth_year: Option<i32>,
    pub address: String,
    pub area_code: Option<String>,
    pub phone: Option<String>,
}

impl PersonDraft {
    pub fn is_blank(&self) -> bool {
        self.full_name.trim().is_empty() && self.id_number.trim().is_empty()
    }

    fn check(&self, prefix: &str, errors: &mut FieldErrors) -> Option<PersonInput> {
        let name = danvan_vntext::normalize(self.full_name.trim());
        if name.is_empty() {
            errors.add(&format!("{prefix}full_name"), "Chưa nhập họ và tên");
        } else if name.chars().count() > 200 {
            errors.add(
                &format!("{prefix}full_name"),
                "Họ và tên quá dài (tối đa 200 ký tự)",
            );
        }
        let id_number = match self.id_number.trim() {
            "" => None,
            raw => match IdNumber::parse(raw) {
                Ok(id) => Some(id),
                Err(msg) => {
                    errors.add(&format!("{prefix}id_number"), msg);
                    None
                }
            },
        };
        let birth_year = match self.birth_year.trim() {
            "" => None,
            raw => match raw.parse::<i32>() {
                Ok(y) if (1900..=2026).contains(&y) => Some(y),
                _ => {
                    errors.add(&format!("{prefix}birth_year"), "Năm sinh không hợp lệ");
                    None
                }
            },
        };
        let phone = match self.phone.trim() {
            "" => None,
            raw => {
                let digits: String = raw
                    .chars()
                    .filter(|c| !c.is_whitespace() && *c != '.')
                    .collect();
                let ok = digits
                    .trim_start_matches('+')
                    .chars()
                    .all(|c| c.is_ascii_digit())
                    && (9..=12).contains(&digits.trim_start_matches('+').len());
                if !ok {
                    errors.add(&format!("{prefix}phone"), "Số điện thoại không hợp lệ");
                }
                Some(digits)
            }
        };
        let area_code = match self.area_code.trim() {
            "" => None,
            code if code.len() == 5 && code.chars().all(|c| c.is_ascii_digit()) => {
                Some(code.to_owned())
            }
            _ => {
                errors.add(
                    &format!("{prefix}area_code"),
                    "Mã đơn vị hành chính cấp xã gồm 5 chữ số",
                );
                None
            }
        };
        Some(PersonInput {
            full_name: name,
            id_number,
            birth_year,
            address: self.address.trim().to_owned(),
            area_code,
            phone,
        })
    }
}

/// The reception form as submitted (strings, as typed).
#[derive(Debug, Clone, Default)]
pub struct VisitDraft {
    pub unit_code: String,
    pub visit_date: String,
    pub visit_time: String,
    pub place: String,
    pub kind: String,
    pub mode: String,
    pub receiver_name: String,
    pub is_group: bool,
    pub headcount: String,
    pub representatives: String,
    pub people: Vec<PersonDraft>,
    pub content: String,
    pub petition_type: String,
    pub field_code: String,
    /// Existing case code; empty opens a new case.
    pub case_code: String,
    pub documents: String,
    pub earlier_handling: String,
    pub handling: String,
    pub follow_up: String,
    pub refused: bool,
    pub refusal_reason: String,
    /// (choice, code of the suggested record, reason shown) for each suggestion answered.
    pub related: Vec<(String, String, String)>,
}

/// A visit that passed every check; only these reach the store.
#[derive(Debug, Clone, Serialize)]
pub struct VisitInput {
    pub visit_date: NaiveDate,
    pub visit_time: Option<String>,
    pub place: String,
    pub kind: VisitKind,
    pub mode: VisitMode,
    pub receiver_name: String,
    pub is_group: bool,
    pub headcount: i64,
    pub representatives: i64,
    pub people: Vec<PersonInput>,
    pub content: String,
    pub petition_type: PetitionType,
    pub field_code: String,
    pub case_code: Option<String>,
    pub documents: String,
    pub earlier_handling: String,
    pub handling: VisitHandling,
    pub follow_up: String,
    pub refused: bool,
    pub refusal_reason: String,
    pub related: Vec<RelatedChoice>,
}

/// What the checks need to know beyond the form.
pub struct VisitRules<'a> {
    pub today: NaiveDate,
    /// People from this many on make a group visit (đoàn đông người); default 5.
    pub group_threshold: i64,
    pub field_exists: &'a (dyn Fn(&str) -> bool + Sync),
}

fn required(errors: &mut FieldErrors, field: &str, value: &str, message: &str) -> String {
    let v = value.trim();
    if v.is_empty() {
        errors.add(field, message);
    }
    v.to_owned()
}

fn parse_vocab<T>(
    errors: &mut FieldErrors,
    field: &str,
    raw: &str,
    parse: fn(&str) -> Option<T>,
    message: &str,
) -> Option<T> {
    let parsed = parse(raw.trim());
    if parsed.is_none() {
        errors.add(field, message);
    }
    parsed
}

fn check_date(
    errors: &mut FieldErrors,
    field: &str,
    raw: &str,
    today: NaiveDate,
    what: &str,
) -> Option<NaiveDate> {
    if raw.trim().is_empty() {
        errors.add(field, format!("Chưa nhập {what}"));
        return None;
    }
    match parse_date(raw) {
        None => {
            errors.add(
                field,
                format!("{} không hợp lệ (định dạng dd/mm/yyyy)", capitalise(what)),
            );
            None
        }
        Some(d) if d > today => {
            errors.add(
                field,
                format!("{} không được sau ngày hôm nay", capitalise(what)),
            );
            None
        }
        Some(d) => Some(d),
    }
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

fn limit(errors: &mut FieldErrors, field: &str, value: &str, max: usize) {
    if value.chars().count() > max {
        errors.add(field, format!("Quá dài (tối đa {max} ký tự)"));
    }
}

impl VisitDraft {
    pub fn check(&self, rules: &VisitRules<'_>) -> Result<VisitInput, Invalid> {
        let mut e = FieldErrors::default();
        let visit_date = check_date(
            &mut e,
            "visit_date",
            &self.visit_date,
            rules.today,
            "ngày tiếp",
        );
        let visit_time = match self.visit_time.trim() {
            "" => None,
            t => match chrono::NaiveTime::parse_from_str(t, "%H:%M") {
                Ok(_) => Some(t.to_owned()),
                Err(_) => {
                    e.add("visit_time", "Giờ tiếp không hợp lệ (định dạng hh:mm)");
                    None
                }
            },
        };
        let kind = parse_vocab(
            &mut e,
            "kind",
            &self.kind,
            VisitKind::parse,
            "Chọn hình thức tiếp",
        );
        let mode = if self.mode.trim().is_empty() {
            Some(VisitMode::InPerson)
        } else {
            parse_vocab(
                &mut e,
                "mode",
                &self.mode,
                VisitMode::parse,
                "Chọn tiếp trực tiếp hoặc trực tuyến",
            )
        };
        if let (Some(d), Some(VisitMode::Online)) = (visit_date, mode)
            && !reception_identity_protected(d)
        {
            e.add(
                "mode",
                "Tiếp công dân trực tuyến chỉ áp dụng từ ngày 01/07/2026",
            );
        }
        let receiver_name = required(
            &mut e,
            "receiver_name",
            &self.receiver_name,
            "Chưa nhập người tiếp",
        );
        let content = required(
            &mut e,
            "content",
            &self.content,
            "Chưa nhập nội dung vụ việc",
        );
        limit(&mut e, "content", &content, 10_000);
        let petition_type = parse_vocab(
            &mut e,
            "petition_type",
            &self.petition_type,
            PetitionType::parse,
            "Chọn phân loại: khiếu nại, tố cáo hoặc kiến nghị, phản ánh",
        );
        let field_code = self.field_code.trim().to_owned();
        if field_code.is_empty() {
            e.add("field_code", "Chọn lĩnh vực");
        } else if !(rules.field_exists)(&field_code) {
            e.add("field_code", "Lĩnh vực không có trong danh mục");
        }
        let handling = parse_vocab(
            &mut e,
            "handling",
            &self.handling,
            VisitHandling::parse,
            "Chọn kết quả xử lý",
        );
        let people: Vec<PersonInput> = self
            .people
            .iter()
            .enumerate()
            .filter(|(_, p)| !p.is_blank())
            .filter_map(|(i, p)| p.check(&format!("people[{i}].",), &mut e))
            .collect();
        if people.is_empty() {
            e.add(
                "people[0].full_name",
                "Nhập ít nhất một công dân (người đến hoặc người đại diện)",
            );
        }
        let mut headcount = people.len() as i64;
        let mut representatives = 0;
        if self.is_group {
            match self.headcount.trim().parse::<i64>() {
                Ok(n) if n >= rules.group_threshold && n <= 100_000 => headcount = n,
                Ok(_) => e.add(
                    "headcount",
                    format!(
                        "Đoàn đông người phải có từ {} người trở lên",
                        rules.group_threshold
                    ),
                ),
                Err(_) => e.add("headcount", "Nhập số người trong đoàn"),
            }
            representatives = match self.representatives.trim() {
                "" => people.len() as i64,
                raw => raw.parse::<i64>().unwrap_or(-1),
            };
            if representatives < 1 {
                e.add("representatives", "Số người đại diện không hợp lệ");
            } else if representatives > headcount {
                e.add(
                    "representatives",
                    "Số người đại diện không được nhiều hơn số người trong đoàn",
                );
            }
        } else if people.len() as i64 >= rules.group_threshold {
            e.add(
                "is_group",
                format!(
                    "Từ {} người trở lên là đoàn đông người: đánh dấu đoàn đông người",
                    rules.group_threshold
                ),
            );
        }
        if self.refused && self.refusal_reason.trim().is_empty() {
            e.add(
                "refusal_reason",
                "Nêu lý do từ chối tiếp (Điều 9 Luật Tiếp công dân)",
            );
        }
        let related = check_related(&mut e, &self.related, false);
        e.clone().into_result()?;
        // Every Option below is Some: a None added an error above and returned.
        match (visit_date, kind, mode, petition_type, handling) {
            (Some(visit_date), Some(kind), Some(mode), Some(petition_type), Some(handling)) => {
                Ok(VisitInput {
                    visit_date,
                    visit_time,
                    place: self.place.trim().to_owned(),
                    kind,
                    mode,
                    receiver_name,
                    is_group: self.is_group,
                    headcount,
                    representatives,
                    people,
                    content: danvan_vntext::normalize(&content),
                    petition_type,
                    field_code,
                    case_code: Some(self.case_code.trim().to_owned()).filter(|c| !c.is_empty()),
                    documents: self.documents.trim().to_owned(),
                    earlier_handling: self.earlier_handling.trim().to_owned(),
                    handling,
                    follow_up: self.follow_up.trim().to_owned(),
                    refused: self.refused,
                    refusal_reason: self.refusal_reason.trim().to_owned(),
                    related,
                })
            }
            _ => Err(Invalid(e)),
        }
    }
}

/// The petition form as submitted.
#[derive(Debug, Clone, Default)]
pub struct PetitionDraft {
    pub arrival_no: String,
    pub received_date: String,
    pub source: String,
    pub sender_kind: String,
    pub signer_count: String,
    pub sender: PersonDraft,
    pub subject: String,
    pub subject_unit_code: String,
    pub petition_type: String,
    pub field_code: String,
    pub summary: String,
    pub eligible: String,
    pub eligibility_reason: String,
    pub competent: String,
    pub decision: String,
    pub decision_date: String,
    pub target_unit_code: String,
    pub case_code: String,
    pub visit_code: String,
    /// (choice, code of the suggested record, reason shown) for each suggestion answered.
    pub related: Vec<(String, String, String)>,
}

/// The officer's answers to the suggested related records, checked: known actions (a visit
/// cannot be "filed as a duplicate"), a code each, at most one link or duplicate mark.
fn check_related(
    e: &mut FieldErrors,
    raw: &[(String, String, String)],
    duplicates_allowed: bool,
) -> Vec<RelatedChoice> {
    let mut related = vec![];
    for (choice, code, reason) in raw {
        match RelatedAction::parse(choice) {
            Some(RelatedAction::Duplicate) if !duplicates_allowed => e.add(
                "related",
                "Lượt tiếp không đánh dấu trùng: gắn vào vụ việc hoặc bỏ qua",
            ),
            Some(choice) if !code.trim().is_empty() => related.push(RelatedChoice {
                choice,
                other_code: code.trim().to_owned(),
                reason: reason.trim().to_owned(),
            }),
            _ => e.add("related", "Lựa chọn hồ sơ liên quan không hợp lệ"),
        }
    }
    if related
        .iter()
        .filter(|r| r.choice != RelatedAction::Dismiss)
        .count()
        > 1
    {
        e.add(
            "related",
            "Chỉ gắn với một hồ sơ liên quan (hoặc đánh dấu trùng một đơn)",
        );
    }
    related
}

/// What the officer chose about a record suggested as related while entering another (issue 5).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RelatedChoice {
    pub choice: RelatedAction,
    /// The suggested record's code.
    pub other_code: String,
    /// Why it was suggested, as shown ("Nội dung giống 92%").
    pub reason: String,
}

vocabulary!(
    /// Hướng xử lý một hồ sơ được gợi ý là liên quan.
    RelatedAction {
        Link => ("link", "Gắn vào vụ việc của hồ sơ này"),
        Duplicate => ("duplicate", "Đơn trùng: lưu đơn"),
        Dismiss => ("dismiss", "Không liên quan"),
    }
);

#[derive(Debug, Clone, Serialize)]
pub struct PetitionInput {
    pub arrival_no: String,
    pub received_date: NaiveDate,
    pub source: PetitionSource,
    pub sender_kind: SenderKind,
    pub signer_count: i64,
    pub sender: Option<PersonInput>,
    pub subject: String,
    pub subject_unit_code: Option<String>,
    pub petition_type: PetitionType,
    pub field_code: String,
    pub summary: String,
    pub eligible: Option<bool>,
    pub eligibility_reason: String,
    pub competent: Option<bool>,
    pub decision: Option<Decision>,
    pub decision_date: Option<NaiveDate>,
    pub target_unit_code: Option<String>,
    pub case_code: Option<String>,
    pub visit_code: Option<String>,
    pub related: Vec<RelatedChoice>,
}

fn tri_state(errors: &mut FieldErrors, field: &str, raw: &str) -> Option<bool> {
    match raw.trim() {
        "" => None,
        "1" | "true" | "yes" => Some(true),
        "0" | "false" | "no" => Some(false),
        _ => {
            errors.add(field, "Giá trị không hợp lệ");
            None
        }
    }
}

impl PetitionDraft {
    pub fn check(
        &self,
        today: NaiveDate,
        field_exists: &(dyn Fn(&str) -> bool + Sync),
    ) -> Result<PetitionInput, Invalid> {
        let mut e = FieldErrors::default();
        let received_date = check_date(
            &mut e,
            "received_date",
            &self.received_date,
            today,
            "ngày nhận đơn",
        );
        let source = parse_vocab(
            &mut e,
            "source",
            &self.source,
            PetitionSource::parse,
            "Chọn nguồn đơn",
        );
        let sender_kind = parse_vocab(
            &mut e,
            "sender_kind",
            &self.sender_kind,
            SenderKind::parse,
            "Chọn người gửi đơn",
        );
        let signer_count = match sender_kind {
            Some(SenderKind::Many) => match self.signer_count.trim().parse::<i64>() {
                Ok(n) if (2..=100_000).contains(&n) => n,
                _ => {
                    e.add(
                        "signer_count",
                        "Đơn nhiều người đứng tên: nhập số người ký (từ 2 trở lên)",
                    );
                    0
                }
            },
            Some(SenderKind::One) => 1,
            _ => 0,
        };
        let sender = if sender_kind == Some(SenderKind::Anonymous) {
            None
        } else if self.sender.is_blank() {
            e.add(
                "sender.full_name",
                "Chưa nhập họ tên người gửi đơn (hoặc chọn đơn không rõ họ tên)",
            );
            None
        } else {
            self.sender.check("sender.", &mut e)
        };
        let petition_type = parse_vocab(
            &mut e,
            "petition_type",
            &self.petition_type,
            PetitionType::parse,
            "Chọn phân loại đơn",
        );
        let field_code = self.field_code.trim().to_owned();
        if field_code.is_empty() {
            e.add("field_code", "Chọn lĩnh vực");
        } else if !field_exists(&field_code) {
            e.add("field_code", "Lĩnh vực không có trong danh mục");
        }
        let summary = required(
            &mut e,
            "summary",
            &self.summary,
            "Chưa nhập tóm tắt nội dung đơn",
        );
        limit(&mut e, "summary", &summary, 10_000);
        limit(&mut e, "subject", &self.subject, 1_000);
        limit(&mut e, "arrival_no", &self.arrival_no, 50);
        let eligible = tri_state(&mut e, "eligible", &self.eligible);
        if eligible == Some(false) && self.eligibility_reason.trim().is_empty() {
            e.add(
                "eligibility_reason",
                "Nêu lý do đơn không đủ điều kiện xử lý",
            );
        }
        let competent = tri_state(&mut e, "competent", &self.competent);
        let decision = match self.decision.trim() {
            "" => None,
            raw => parse_vocab(
                &mut e,
                "decision",
                raw,
                Decision::parse,
                "Hướng xử lý không hợp lệ",
            ),
        };
        let decision_date = match self.decision_date.trim() {
            "" => decision.map(|_| today),
            _ => check_date(
                &mut e,
                "decision_date",
                &self.decision_date,
                today,
                "ngày xử lý",
            ),
        };
        if let (Some(r), Some(d)) = (received_date, decision_date)
            && d < r
        {
            e.add("decision_date", "Ngày xử lý không được trước ngày nhận đơn");
        }
        let target_unit_code =
            Some(self.target_unit_code.trim().to_owned()).filter(|c| !c.is_empty());
        if decision == Some(Decision::Transfer) && target_unit_code.is_none() {
            e.add("target_unit_code", "Chọn cơ quan nhận đơn chuyển");
        }
        if decision == Some(Decision::Accept) && competent == Some(false) {
            e.add("decision", "Không thể thụ lý đơn không thuộc thẩm quyền");
        }
        if decision == Some(Decision::Accept) && eligible == Some(false) {
            e.add("decision", "Không thể thụ lý đơn không đủ điều kiện xử lý");
        }
        let related = check_related(&mut e, &self.related, true);
        e.clone().into_result()?;
        match (received_date, source, sender_kind, petition_type) {
            (Some(received_date), Some(source), Some(sender_kind), Some(petition_type)) => {
                Ok(PetitionInput {
                    arrival_no: self.arrival_no.trim().to_owned(),
                    received_date,
                    source,
                    sender_kind,
                    signer_count,
                    sender,
                    subject: self.subject.trim().to_owned(),
                    subject_unit_code: Some(self.subject_unit_code.trim().to_owned())
                        .filter(|c| !c.is_empty()),
                    petition_type,
                    field_code,
                    summary: danvan_vntext::normalize(&summary),
                    eligible,
                    eligibility_reason: self.eligibility_reason.trim().to_owned(),
                    competent,
                    decision,
                    decision_date: decision.and(decision_date),
                    target_unit_code: if decision == Some(Decision::Transfer) {
                        target_unit_code
                    } else {
                        None
                    },
                    case_code: Some(self.case_code.trim().to_owned()).filter(|c| !c.is_empty()),
                    visit_code: Some(self.visit_code.trim().to_owned()).filter(|c| !c.is_empty()),
                    related,
                })
            }
            _ => Err(Invalid(e)),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rules() -> VisitRules<'static> {
        VisitRules {
            today: NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid"),
            group_threshold: 5,
            field_exists: &|c| c == "DD-TC",
        }
    }

    fn visit() -> VisitDraft {
        VisitDraft {
            visit_date: "15/03/2022".into(),
            kind: "regular".into(),
            receiver_name: "Trần Văn B".into(),
            people: vec![PersonDraft {
                full_name: "Nguyễn Văn A".into(),
                id_number: "060085001234".into(),
                ..Default::default()
            }],
            content: "Tranh chấp ranh giới đất".into(),
            petition_type: "KN".into(),
            field_code: "DD-TC".into(),
            handling: "accept".into(),
            ..Default::default()
        }
    }

    #[test]
    fn a_good_visit_passes() {
        let v = visit().check(&rules()).expect("valid");
        assert_eq!(v.headcount, 1);
        assert_eq!(v.kind, VisitKind::Regular);
    }

    #[test]
    fn bad_visits_name_the_field() {
        let mut d = visit();
        d.visit_date = "32/01/2022".into();
        d.people[0].id_number = "12345".into();
        d.field_code = "XX".into();
        d.content = " ".into();
        let err = d.check(&rules()).expect_err("invalid").0;
        assert!(err.get("visit_date").is_some());
        assert!(
            err.get("people[0].id_number")
                .is_some_and(|m| m.contains("12 chữ số"))
        );
        assert!(err.get("field_code").is_some());
        assert!(err.get("content").is_some());
    }

    #[test]
    fn group_visit_needs_enough_people() {
        let mut d = visit();
        d.is_group = true;
        d.headcount = "3".into();
        assert!(
            d.check(&rules())
                .expect_err("too few")
                .0
                .get("headcount")
                .is_some()
        );
        d.headcount = "20".into();
        d.representatives = "25".into();
        assert!(
            d.check(&rules())
                .expect_err("reps")
                .0
                .get("representatives")
                .is_some()
        );
        d.representatives = "2".into();
        assert_eq!(d.check(&rules()).expect("ok").headcount, 20);
    }

    #[test]
    fn online_reception_only_from_july_2026() {
        let mut d = visit();
        d.mode = "online".into();
        assert!(d.check(&rules()).is_err());
        d.visit_date = "01/07/2026".into();
        assert!(d.check(&rules()).is_ok());
    }

    #[test]
    fn transfer_needs_a_target() {
        let d = PetitionDraft {
            received_date: "2022-03-01".into(),
            source: "post".into(),
            sender_kind: "anonymous".into(),
            petition_type: "TC".into(),
            field_code: "DD-TC".into(),
            summary: "Tố cáo cán bộ địa chính".into(),
            decision: "transfer".into(),
            ..Default::default()
        };
        let today = NaiveDate::from_ymd_opt(2026, 11, 28).expect("valid");
        let err = d.check(today, &|c| c == "DD-TC").expect_err("no target").0;
        assert!(err.get("target_unit_code").is_some());
    }
}
