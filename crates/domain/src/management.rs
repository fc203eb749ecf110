//! State management of complaints and denunciations (quản lý nhà nước về khiếu nại, tố cáo):
//! what a unit does besides handling petitions, and what form 06/QLKNTC of TT 06/2025 reports —
//! the inspections of how units carry out the law, the dissemination and training sessions, and
//! the directing documents issued. The registers hold nothing of the kind, so each is recorded
//! here as an activity with a date and the amounts its kind has.

use crate::format::parse_date;
use crate::validate::{FieldErrors, Invalid};
use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

vocabulary!(
    /// What a state-management activity was.
    ActivityKind {
        Inspection => ("inspection", "Thanh tra, kiểm tra trách nhiệm thực hiện pháp luật về tiếp công dân, khiếu nại, tố cáo"),
        Dissemination => ("dissemination", "Tuyên truyền, phổ biến, tập huấn pháp luật về khiếu nại, tố cáo"),
        Document => ("document", "Văn bản quản lý, chỉ đạo, điều hành ban hành"),
    }
);

/// A bound no real activity reaches: a typing slip (an extra zero row) is caught.
const MOST: i64 = 1_000_000;

/// An activity as typed (amounts as text: a form sends them so, and a slip gets a message).
#[derive(Debug, Clone, Default, Deserialize)]
pub struct ActivityDraft {
    pub unit: String,
    pub kind: String,
    pub activity_date: String,
    pub title: String,
    #[serde(default)]
    pub units_covered: String,
    #[serde(default)]
    pub units_in_breach: String,
    #[serde(default)]
    pub people_recommended: String,
    #[serde(default)]
    pub participants: String,
    #[serde(default)]
    pub note: String,
}

/// An activity that passed its checks; amounts of another kind are zero.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ValidActivity {
    pub kind: ActivityKind,
    pub activity_date: NaiveDate,
    pub units_covered: i64,
    pub units_in_breach: i64,
    pub people_recommended: i64,
    pub participants: i64,
}

impl ActivityDraft {
    /// Every field at fault at once. An amount typed for another kind is refused rather than
    /// dropped: the officer meant something by it.
    pub fn check(&self, today: NaiveDate) -> Result<ValidActivity, Invalid> {
        let mut e = FieldErrors::default();
        if self.unit.trim().is_empty() {
            e.add("unit", "Chưa chọn đơn vị");
        }
        let kind = ActivityKind::parse(self.kind.trim());
        if kind.is_none() {
            e.add("kind", "Chưa chọn loại hoạt động");
        }
        let date = match self.activity_date.trim() {
            "" => {
                e.add("activity_date", "Chưa nhập ngày");
                None
            }
            typed => {
                let d = parse_date(typed);
                match d {
                    None => e.add("activity_date", "Ngày không hợp lệ (dd/mm/yyyy)"),
                    Some(d) if d > today => e.add("activity_date", "Ngày không thể sau hôm nay"),
                    Some(_) => {}
                }
                d
            }
        };
        if self.title.trim().is_empty() {
            e.add("title", "Chưa nhập nội dung hoạt động");
        }
        // Each amount with the kind it describes: typed for another kind, it is refused.
        use ActivityKind::{Dissemination, Inspection};
        let typed_amounts = [
            (
                "units_covered",
                &self.units_covered,
                Inspection,
                "Số đơn vị được thanh tra, kiểm tra",
            ),
            (
                "units_in_breach",
                &self.units_in_breach,
                Inspection,
                "Số đơn vị có vi phạm",
            ),
            (
                "people_recommended",
                &self.people_recommended,
                Inspection,
                "Số cá nhân bị kiến nghị xử lý",
            ),
            (
                "participants",
                &self.participants,
                Dissemination,
                "Số lượt người tham dự",
            ),
        ];
        let mut amounts = [0i64; 4];
        for (i, (field, typed, applies_to, label)) in typed_amounts.into_iter().enumerate() {
            // Numbers typed the Vietnamese way keep their thousands dots: "1.200".
            let typed: String = typed
                .trim()
                .chars()
                .filter(|c| *c != '.' && *c != ' ')
                .collect();
            if typed.is_empty() {
                continue;
            }
            match typed.parse::<i64>() {
                Ok(n) if (0..=MOST).contains(&n) => {
                    if n > 0 && kind.is_some_and(|k| k != applies_to) {
                        e.add(
                            field,
                            format!("{label} chỉ nhập cho hoạt động “{}”", applies_to.label()),
                        );
                    }
                    amounts[i] = n;
                }
                _ => e.add(
                    field,
                    format!("{label} phải là số nguyên từ 0 đến 1.000.000"),
                ),
            }
        }
        if amounts[1] > amounts[0] {
            e.add(
                "units_in_breach",
                "Số đơn vị có vi phạm không thể lớn hơn số đơn vị được thanh tra, kiểm tra",
            );
        }
        e.into_result()?;
        let (Some(kind), Some(activity_date)) = (kind, date) else {
            // Both were checked above: an error was recorded for whichever is missing.
            return Err(Invalid::one("kind", "Chưa chọn loại hoạt động"));
        };
        Ok(ValidActivity {
            kind,
            activity_date,
            units_covered: amounts[0],
            units_in_breach: amounts[1],
            people_recommended: amounts[2],
            participants: amounts[3],
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 12, 7).expect("date")
    }

    fn inspection() -> ActivityDraft {
        ActivityDraft {
            unit: "G1-19-UBND".into(),
            kind: "inspection".into(),
            activity_date: "12/03/2026".into(),
            title: "Thanh tra trách nhiệm của UBND xã Hòa Bình".into(),
            units_covered: "3".into(),
            units_in_breach: "1".into(),
            people_recommended: "2".into(),
            ..ActivityDraft::default()
        }
    }

    #[test]
    fn an_inspection_keeps_its_amounts() {
        let v = inspection().check(today()).expect("valid");
        assert_eq!(v.kind, ActivityKind::Inspection);
        assert_eq!(
            (v.units_covered, v.units_in_breach, v.people_recommended),
            (3, 1, 2)
        );
        assert_eq!(v.participants, 0);
    }

    #[test]
    fn thousands_dots_are_read_as_vietnamese_numbers() {
        let d = ActivityDraft {
            kind: "dissemination".into(),
            participants: "1.200".into(),
            units_covered: String::new(),
            units_in_breach: String::new(),
            people_recommended: String::new(),
            ..inspection()
        };
        assert_eq!(d.check(today()).expect("valid").participants, 1200);
    }

    #[test]
    fn every_fault_is_named_at_once() {
        let d = ActivityDraft {
            unit: String::new(),
            kind: "party".into(),
            activity_date: "31/02/2026".into(),
            title: " ".into(),
            units_covered: "-1".into(),
            ..ActivityDraft::default()
        };
        let Err(Invalid(e)) = d.check(today()) else {
            panic!("accepted a draft with every field wrong");
        };
        for field in ["unit", "kind", "activity_date", "title", "units_covered"] {
            assert!(e.get(field).is_some(), "{field} not named: {e:?}");
        }
    }

    #[test]
    fn an_amount_of_another_kind_or_in_the_future_is_refused() {
        let d = ActivityDraft {
            participants: "40".into(),
            ..inspection()
        };
        let Err(Invalid(e)) = d.check(today()) else {
            panic!("accepted participants on an inspection");
        };
        assert!(
            e.get("participants")
                .is_some_and(|m| m.contains("chỉ nhập"))
        );
        let d = ActivityDraft {
            activity_date: "08/12/2026".into(),
            ..inspection()
        };
        assert!(d.check(today()).is_err());
        let d = ActivityDraft {
            units_in_breach: "4".into(),
            ..inspection()
        };
        assert!(
            d.check(today()).is_err(),
            "more units in breach than inspected"
        );
    }
}
