//! The narrative summary of reception and petition work, in the words and number format of the
//! provincial reviews: "Trong 6 tháng đầu năm 2022 các cơ quan, đơn vị đã tiếp 2.002 lượt/1.993
//! vụ việc, trong đó tiếp đông người là 4 lượt/72 người; tiếp nhận 2.384 đơn. Nội dung chủ yếu
//! về …".

use crate::format::{date, number};
use chrono::{Datelike, NaiveDate};
use serde::Serialize;

#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct LeadingField {
    pub code: String,
    pub label: String,
    pub count: i64,
}

/// The figures; computed by the store from the records, never typed in.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct Summary {
    pub from: NaiveDate,
    pub to: NaiveDate,
    /// Unit code, or None for every unit.
    pub unit: Option<String>,
    /// Lượt tiếp (refused receptions are not counted).
    pub visits: i64,
    /// Distinct cases among those visits.
    pub cases: i64,
    pub group_visits: i64,
    pub group_people: i64,
    /// Đơn received in the period.
    pub petitions: i64,
    /// The three fields with most petitions, largest first.
    pub leading_fields: Vec<LeadingField>,
}

/// "Trong 6 tháng đầu năm 2022" and the other phrases officials use for standard periods.
pub fn period_phrase(from: NaiveDate, to: NaiveDate) -> String {
    let y = to.year();
    let ymd = |y, m, d| NaiveDate::from_ymd_opt(y, m, d);
    let calendar_year = from.year() == y;
    let reporting_start = ymd(y - 1, 12, 15);
    if (calendar_year && Some(from) == ymd(y, 1, 1) || Some(from) == reporting_start)
        && (Some(to) == ymd(y, 6, 30) || Some(to) == ymd(y, 6, 14))
    {
        return format!("Trong 6 tháng đầu năm {y}");
    }
    if (calendar_year && Some(from) == ymd(y, 1, 1) || Some(from) == reporting_start)
        && (Some(to) == ymd(y, 12, 31) || Some(to) == ymd(y, 12, 14))
    {
        return format!("Trong năm {y}");
    }
    if calendar_year && Some(from) == ymd(y, 7, 1) && Some(to) == ymd(y, 12, 31) {
        return format!("Trong 6 tháng cuối năm {y}");
    }
    if calendar_year && from.day() == 1 {
        let quarter_ends = [
            (1, 3, 31, "I"),
            (4, 6, 30, "II"),
            (7, 9, 30, "III"),
            (10, 12, 31, "IV"),
        ];
        for (m0, m1, d1, roman) in quarter_ends {
            if from.month() == m0 && to.month() == m1 && to.day() == d1 {
                return format!("Trong quý {roman} năm {y}");
            }
        }
        let month_end = from
            .checked_add_months(chrono::Months::new(1))
            .and_then(|d| d.pred_opt());
        if Some(to) == month_end {
            return format!("Trong tháng {} năm {y}", from.month());
        }
    }
    format!("Từ ngày {} đến ngày {}", date(from), date(to))
}

impl Summary {
    /// The one-line narrative.
    pub fn text(&self) -> String {
        let mut s = format!(
            "{} các cơ quan, đơn vị đã tiếp {} lượt/{} vụ việc, trong đó tiếp đông người là {} lượt/{} người; tiếp nhận {} đơn.",
            period_phrase(self.from, self.to),
            number(self.visits),
            number(self.cases),
            number(self.group_visits),
            number(self.group_people),
            number(self.petitions),
        );
        if !self.leading_fields.is_empty() {
            let labels: Vec<&str> = self
                .leading_fields
                .iter()
                .map(|f| f.label.as_str())
                .collect();
            s.push_str(" Nội dung chủ yếu về ");
            s.push_str(&labels.join("; "));
            s.push('.');
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(y: i32, m: u32, day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, day).expect("valid")
    }

    #[test]
    fn period_phrases() {
        assert_eq!(
            period_phrase(d(2022, 1, 1), d(2022, 6, 30)),
            "Trong 6 tháng đầu năm 2022"
        );
        assert_eq!(
            period_phrase(d(2021, 12, 15), d(2022, 6, 14)),
            "Trong 6 tháng đầu năm 2022"
        );
        assert_eq!(
            period_phrase(d(2022, 1, 1), d(2022, 12, 31)),
            "Trong năm 2022"
        );
        assert_eq!(
            period_phrase(d(2022, 1, 1), d(2022, 3, 31)),
            "Trong quý I năm 2022"
        );
        assert_eq!(
            period_phrase(d(2022, 2, 1), d(2022, 2, 28)),
            "Trong tháng 2 năm 2022"
        );
        assert_eq!(
            period_phrase(d(2022, 1, 5), d(2022, 2, 3)),
            "Từ ngày 05/01/2022 đến ngày 03/02/2022"
        );
    }

    #[test]
    fn the_seed_sentence() {
        let s = Summary {
            from: d(2022, 1, 1),
            to: d(2022, 6, 30),
            unit: None,
            visits: 2002,
            cases: 1993,
            group_visits: 4,
            group_people: 72,
            petitions: 2384,
            leading_fields: vec![
                LeadingField {
                    code: "a".into(),
                    label: "tranh chấp đất đai trong nội bộ nhân dân".into(),
                    count: 3,
                },
                LeadingField {
                    code: "b".into(),
                    label: "khiếu nại về việc thu hồi đất, bồi thường giải tỏa khi thu hồi đất"
                        .into(),
                    count: 2,
                },
                LeadingField {
                    code: "c".into(),
                    label: "khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất".into(),
                    count: 1,
                },
            ],
        };
        assert_eq!(
            s.text(),
            "Trong 6 tháng đầu năm 2022 các cơ quan, đơn vị đã tiếp 2.002 lượt/1.993 vụ việc, trong đó tiếp đông người là 4 lượt/72 người; tiếp nhận 2.384 đơn. Nội dung chủ yếu về tranh chấp đất đai trong nội bộ nhân dân; khiếu nại về việc thu hồi đất, bồi thường giải tỏa khi thu hồi đất; khiếu nại việc cấp giấy chứng nhận quyền sử dụng đất."
        );
    }
}
