//! The official forms as versioned data. A form set is the list of forms a reporting circular
//! prescribes, in force from a date; a form is numbered columns under group headings, each one
//! domain predicate ([`Pred`]) and a measure, or the sum of other columns. The reading of every
//! column whose exact definition the reference leaves unconfirmed is written beside it in
//! `docs/REPORTS.md`, and here, once.

use crate::predicate::{Measure, Pred, Source};
use chrono::NaiveDate;
use serde::Serialize;

#[derive(Debug, Clone, Serialize)]
pub enum ColumnDef {
    /// Records of the form's source kept by the predicate, measured.
    Count(#[serde(skip)] Pred, Measure),
    /// The sum of other columns (by number).
    Sum(Vec<u32>),
}

#[derive(Debug, Clone, Serialize)]
pub struct Column {
    pub number: u32,
    /// Group headings above the column, outermost first.
    pub groups: Vec<&'static str>,
    pub heading: &'static str,
    pub def: ColumnDef,
    /// Records of this source (a form may mix visits and reception days).
    pub source: Source,
}

#[derive(Debug, Clone, Serialize)]
pub struct Form {
    /// "01/XLD"
    pub code: &'static str,
    pub title: &'static str,
    pub columns: Vec<Column>,
}

#[derive(Debug, Clone, Serialize)]
pub struct FormSet {
    /// "TT01-2024"
    pub code: &'static str,
    pub name: &'static str,
    pub valid_from: NaiveDate,
    pub forms: Vec<Form>,
}

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap_or(NaiveDate::MIN)
}

/// The form sets, oldest first.
pub fn form_sets() -> Vec<FormSet> {
    let tcd = tcd_01();
    let xld = xld_summary();
    let by_type = |code, title, t| xld_by_type(code, title, t);
    vec![
        FormSet {
            code: "TT02-2021",
            name: "Thông tư 02/2021/TT-TTCP",
            valid_from: day(2021, 5, 10),
            forms: vec![
                tcd.clone(),
                xld.clone(),
                by_type("02/XLD", "Tổng hợp kết quả xử lý đơn khiếu nại", "KN"),
                by_type("03/XLD", "Tổng hợp kết quả xử lý đơn tố cáo", "TC"),
                by_type(
                    "04/XLD",
                    "Tổng hợp kết quả xử lý đơn kiến nghị, phản ánh",
                    "KNPA",
                ),
                settlement("01/KQGQ", "Tổng hợp kết quả giải quyết khiếu nại", "KN"),
                execution(
                    "02/KQGQ",
                    "Tổng hợp kết quả thi hành quyết định giải quyết khiếu nại",
                    &["KN"],
                ),
                settlement("03/KQGQ", "Tổng hợp kết quả giải quyết tố cáo", "TC"),
            ],
        },
        FormSet {
            code: "TT01-2024",
            name: "Thông tư 01/2024/TT-TTCP",
            valid_from: day(2024, 3, 5),
            forms: vec![
                tcd.clone(),
                xld.clone(),
                by_type("02/XLD", "Tổng hợp kết quả xử lý đơn khiếu nại", "KN"),
                by_type("03/XLD", "Tổng hợp kết quả xử lý đơn tố cáo", "TC"),
                by_type(
                    "04/XLD",
                    "Tổng hợp kết quả xử lý đơn kiến nghị, phản ánh",
                    "KNPA",
                ),
                settlement("01/KQGQ", "Tổng hợp kết quả giải quyết khiếu nại", "KN"),
                execution(
                    "02/KQGQ",
                    "Tổng hợp kết quả thi hành quyết định giải quyết khiếu nại",
                    &["KN"],
                ),
                settlement("03/KQGQ", "Tổng hợp kết quả giải quyết tố cáo", "TC"),
            ],
        },
        FormSet {
            code: "TT06-2025",
            name: "Thông tư 06/2025/TT-TTCP",
            valid_from: day(2025, 9, 30),
            // TT 06/2025 renumbers the set: the petition-handling summary becomes 02/XLD
            // (reference §13.3); its columns are not confirmed to differ.
            forms: vec![
                tcd,
                Form {
                    code: "02/XLD",
                    ..xld
                },
                settlement("03/GQKN", "Tổng hợp kết quả giải quyết khiếu nại", "KN"),
                settlement("04/GQTC", "Tổng hợp kết quả giải quyết tố cáo", "TC"),
                execution(
                    "05/KQTH",
                    "Tổng hợp kết quả thi hành quyết định giải quyết khiếu nại, kết luận nội dung tố cáo",
                    &["KN", "TC"],
                ),
                management(),
            ],
        },
    ]
}

/// The set in force on a date (a period's last day).
pub fn set_on(date: NaiveDate) -> FormSet {
    let sets = form_sets();
    let mut chosen = sets[0].clone();
    for s in sets {
        if s.valid_from <= date {
            chosen = s;
        }
    }
    chosen
}

pub fn set_by_code(code: &str) -> Option<FormSet> {
    form_sets()
        .into_iter()
        .find(|s| s.code.eq_ignore_ascii_case(code))
}

/// A form code as typed (`01-XLD`, `01/xld`) in its canonical form (`01/XLD`).
pub fn canonical_code(code: &str) -> String {
    code.trim().replace('-', "/").to_uppercase()
}

fn count(
    number: u32,
    groups: &[&'static str],
    heading: &'static str,
    source: Source,
    pred: Pred,
    measure: Measure,
) -> Column {
    Column {
        number,
        groups: groups.to_vec(),
        heading,
        def: ColumnDef::Count(pred, measure),
        source,
    }
}

fn sum(
    number: u32,
    groups: &[&'static str],
    heading: &'static str,
    source: Source,
    of: &[u32],
) -> Column {
    Column {
        number,
        groups: groups.to_vec(),
        heading,
        def: ColumnDef::Sum(of.to_vec()),
        source,
    }
}

// ---------------------------------------------------------------- predicates shared by forms

/// Received before the period and not yet handled when it began (kỳ trước chuyển sang).
fn carried_over() -> Pred {
    Pred::all(vec![
        Pred::BeforeStart("received_date"),
        Pred::OpenAtStart("decision_date"),
    ])
}

fn received_in_period() -> Pred {
    Pred::InPeriod("received_date")
}

/// In the form's scope: carried over or received in the period.
fn in_scope() -> Pred {
    Pred::Any(vec![carried_over(), received_in_period()])
}

/// Handled (a decision dated by the period's end), among those in scope (cột 8).
fn processed() -> Pred {
    Pred::all(vec![in_scope(), Pred::ByEnd("decision_date")])
}

/// Eligible for handling, among those processed (cột 9–10).
fn eligible() -> Pred {
    Pred::all(vec![processed(), Pred::IsInt("eligible", 1)])
}

fn within_competence() -> Pred {
    Pred::all(vec![eligible(), Pred::IsInt("competent", 1)])
}

fn outside_competence() -> Pred {
    Pred::all(vec![eligible(), Pred::negate(Pred::IsInt("competent", 1))])
}

// ---------------------------------------------------------------- 01/XLD

fn xld_summary() -> Form {
    use Measure::*;
    use Source::Petitions as P;
    let carried = ["Kỳ trước chuyển sang"];
    let received = ["Tiếp nhận trong kỳ"];
    let elig = ["Đơn đủ điều kiện xử lý"];
    let by_type = ["Đơn đủ điều kiện xử lý", "Phân loại theo nội dung"];
    let by_status = [
        "Đơn đủ điều kiện xử lý",
        "Phân loại theo tình trạng giải quyết",
    ];
    let within = ["Kết quả xử lý", "Đơn thuộc thẩm quyền"];
    let outside = ["Kết quả xử lý", "Đơn không thuộc thẩm quyền"];
    let sender = |k: &'static str| Pred::Is("sender_kind", k);
    let typed = |t: &'static str| Pred::Is("petition_type", t);
    let settled = |s: &'static str| Pred::Is("earlier_settlement", s);
    Form {
        code: "01/XLD",
        title: "Tổng hợp kết quả xử lý đơn",
        columns: vec![
            sum(1, &[], "Tổng số đơn", P, &[2, 3, 4, 5, 6, 7]),
            count(
                2,
                &carried,
                "Đơn có một người đứng tên",
                P,
                Pred::all(vec![carried_over(), sender("one")]),
                Records,
            ),
            count(
                3,
                &carried,
                "Đơn có nhiều người đứng tên",
                P,
                Pred::all(vec![carried_over(), sender("many")]),
                Records,
            ),
            count(
                4,
                &carried,
                "Đơn khác (không rõ họ tên, địa chỉ)",
                P,
                Pred::all(vec![carried_over(), sender("anonymous")]),
                Records,
            ),
            count(
                5,
                &received,
                "Đơn có một người đứng tên",
                P,
                Pred::all(vec![received_in_period(), sender("one")]),
                Records,
            ),
            count(
                6,
                &received,
                "Đơn có nhiều người đứng tên",
                P,
                Pred::all(vec![received_in_period(), sender("many")]),
                Records,
            ),
            count(
                7,
                &received,
                "Đơn khác (không rõ họ tên, địa chỉ)",
                P,
                Pred::all(vec![received_in_period(), sender("anonymous")]),
                Records,
            ),
            count(8, &["Đã xử lý"], "Số đơn đã xử lý", P, processed(), Records),
            count(9, &elig, "Số đơn", P, eligible(), Records),
            count(10, &elig, "Số vụ việc", P, eligible(), Cases),
            count(
                11,
                &by_type,
                "Khiếu nại",
                P,
                Pred::all(vec![eligible(), typed("KN")]),
                Records,
            ),
            count(
                12,
                &by_type,
                "Tố cáo",
                P,
                Pred::all(vec![eligible(), typed("TC")]),
                Records,
            ),
            count(
                13,
                &by_type,
                "Kiến nghị, phản ánh",
                P,
                Pred::all(vec![eligible(), typed("KNPA")]),
                Records,
            ),
            count(
                14,
                &by_status,
                "Đã được giải quyết lần đầu",
                P,
                Pred::all(vec![eligible(), settled("once")]),
                Records,
            ),
            count(
                15,
                &by_status,
                "Đã được giải quyết nhiều lần",
                P,
                Pred::all(vec![eligible(), settled("many")]),
                Records,
            ),
            count(
                16,
                &by_status,
                "Đang giải quyết",
                P,
                Pred::all(vec![eligible(), settled("pending")]),
                Records,
            ),
            count(
                17,
                &by_status,
                "Chưa được giải quyết",
                P,
                Pred::all(vec![
                    eligible(),
                    Pred::negate(Pred::In("earlier_settlement", &["once", "many", "pending"])),
                ]),
                Records,
            ),
            sum(18, &within, "Tổng", P, &[19, 20, 21]),
            count(
                19,
                &within,
                "Khiếu nại",
                P,
                Pred::all(vec![within_competence(), typed("KN")]),
                Records,
            ),
            count(
                20,
                &within,
                "Tố cáo",
                P,
                Pred::all(vec![within_competence(), typed("TC")]),
                Records,
            ),
            count(
                21,
                &within,
                "Kiến nghị, phản ánh",
                P,
                Pred::all(vec![within_competence(), typed("KNPA")]),
                Records,
            ),
            sum(22, &outside, "Tổng", P, &[23, 24, 25]),
            count(
                23,
                &outside,
                "Hướng dẫn",
                P,
                Pred::all(vec![outside_competence(), Pred::Is("decision", "guide")]),
                Records,
            ),
            count(
                24,
                &outside,
                "Chuyển đơn",
                P,
                Pred::all(vec![outside_competence(), Pred::Is("decision", "transfer")]),
                Records,
            ),
            count(
                25,
                &outside,
                "Đôn đốc giải quyết",
                P,
                Pred::all(vec![outside_competence(), Pred::Is("decision", "urge")]),
                Records,
            ),
            count(
                26,
                &["Văn bản phúc đáp"],
                "Số văn bản phúc đáp nhận được do chuyển đơn",
                P,
                Pred::InPeriod("reply_on"),
                Records,
            ),
        ],
    }
}

/// The field groups of the complaint, denunciation and KNPA forms, over the default catalogue;
/// a field added later that is in no group counts under "Khác".
const FIELD_GROUPS: &[(&str, &str, &[&str])] = &[
    ("Hành chính", "Chế độ, chính sách", &["HC-CS"]),
    (
        "Hành chính",
        "Đất đai, nhà cửa",
        &["HC-DD", "DD-TC", "DD-TH", "DD-GCN", "DD-NHA"],
    ),
    ("Hành chính", "Công chức, công vụ", &["HC-CBCC"]),
    ("Hành chính", "Khác", &["HC", "HC-KHAC"]),
    ("Tư pháp", "Tư pháp", &["TP"]),
    ("Tham nhũng", "Tham nhũng", &["TN"]),
    ("Đảng, đoàn thể", "Đảng, đoàn thể", &["DANG"]),
];
const KNOWN_FIELDS: &[&str] = &[
    "HC-CS", "HC-DD", "DD-TC", "DD-TH", "DD-GCN", "DD-NHA", "HC-CBCC", "HC", "HC-KHAC", "TP", "TN",
    "DANG",
];

/// 02/03/04 XLD: one type, with its field breakdown (among the eligible).
fn xld_by_type(code: &'static str, title: &'static str, t: &'static str) -> Form {
    use Measure::*;
    use Source::Petitions as P;
    let of_type = |p: Pred| Pred::all(vec![p, Pred::Is("petition_type", t)]);
    let by_field = ["Đơn đủ điều kiện xử lý", "Phân loại theo lĩnh vực"];
    let mut columns = vec![
        sum(1, &[], "Tổng số đơn", P, &[2, 3]),
        count(
            2,
            &["Tổng số đơn"],
            "Kỳ trước chuyển sang",
            P,
            of_type(carried_over()),
            Records,
        ),
        count(
            3,
            &["Tổng số đơn"],
            "Tiếp nhận trong kỳ",
            P,
            of_type(received_in_period()),
            Records,
        ),
        count(
            4,
            &["Đã xử lý"],
            "Số đơn đã xử lý",
            P,
            of_type(processed()),
            Records,
        ),
        count(
            5,
            &["Đơn đủ điều kiện xử lý"],
            "Số đơn",
            P,
            of_type(eligible()),
            Records,
        ),
        count(
            6,
            &["Đơn đủ điều kiện xử lý"],
            "Số vụ việc",
            P,
            of_type(eligible()),
            Cases,
        ),
    ];
    let mut n = 7;
    for (group, heading, codes) in FIELD_GROUPS {
        let mut groups = by_field.to_vec();
        groups.push(group);
        columns.push(count(
            n,
            &groups,
            heading,
            P,
            of_type(Pred::all(vec![eligible(), Pred::In("field_code", codes)])),
            Records,
        ));
        n += 1;
    }
    let mut groups = by_field.to_vec();
    groups.push("Khác");
    columns.push(count(
        n,
        &groups,
        "Khác",
        P,
        of_type(Pred::all(vec![
            eligible(),
            Pred::negate(Pred::In("field_code", KNOWN_FIELDS)),
        ])),
        Records,
    ));
    n += 1;
    columns.push(count(
        n,
        &["Kết quả xử lý"],
        "Thuộc thẩm quyền",
        P,
        of_type(within_competence()),
        Records,
    ));
    columns.push(count(
        n + 1,
        &["Kết quả xử lý"],
        "Không thuộc thẩm quyền",
        P,
        of_type(outside_competence()),
        Records,
    ));
    Form {
        code,
        title,
        columns,
    }
}

// ---------------------------------------------------------------- settlement (KQGQ)

/// Settlement results of one type within competence: 01/KQGQ (complaints) and 03/KQGQ
/// (denunciations); renumbered 03/GQKN and 04/GQTC by TT 06/2025. "Carried over" = accepted
/// before the period and without a result when it began.
fn settlement(code: &'static str, title: &'static str, t: &'static str) -> Form {
    use Measure::*;
    use Source::Petitions as P;
    let of_type = |p: Pred| Pred::all(vec![p, Pred::Is("petition_type", t)]);
    let carried = || {
        of_type(Pred::all(vec![
            Pred::BeforeStart("settle_from"),
            Pred::OpenAtStart("result_on"),
        ]))
    };
    let new = || of_type(Pred::InPeriod("settle_from"));
    let scope = || Pred::Any(vec![carried(), new()]);
    let settled = || Pred::all(vec![scope(), Pred::ByEnd("result_on")]);
    let outcome = |o: &'static str| Pred::all(vec![settled(), Pred::Is("result_kind", o)]);
    let to_settle = ["Số vụ việc phải giải quyết"];
    let results = ["Kết quả giải quyết"];
    let recover = ["Kiến nghị thu hồi, bảo vệ quyền lợi"];
    let time = ["Thời hạn giải quyết"];
    Form {
        code,
        title,
        columns: vec![
            sum(1, &[], "Tổng số vụ việc phải giải quyết", P, &[2, 3]),
            count(2, &to_settle, "Kỳ trước chuyển sang", P, carried(), Records),
            count(3, &to_settle, "Thụ lý trong kỳ", P, new(), Records),
            count(4, &results, "Đã giải quyết", P, settled(), Records),
            count(5, &results, "Đúng", P, outcome("right"), Records),
            count(6, &results, "Sai", P, outcome("wrong"), Records),
            count(
                7,
                &results,
                "Có đúng, có sai",
                P,
                outcome("partly_right"),
                Records,
            ),
            count(8, &results, "Rút đơn", P, outcome("withdrawn"), Records),
            count(9, &results, "Đình chỉ", P, outcome("suspended"), Records),
            count(
                10,
                &["Đang giải quyết"],
                "Chưa có kết quả cuối kỳ",
                P,
                Pred::all(vec![scope(), Pred::OpenAtEnd("result_on")]),
                Records,
            ),
            count(
                11,
                &recover,
                "Tiền (đồng)",
                P,
                settled(),
                Sum("recovered_money"),
            ),
            count(
                12,
                &recover,
                "Đất (m²)",
                P,
                settled(),
                Sum("recovered_land"),
            ),
            count(
                13,
                &recover,
                "Số người được bảo vệ quyền lợi",
                P,
                settled(),
                Sum("restored_people"),
            ),
            count(
                14,
                &time,
                "Đúng hạn",
                P,
                Pred::all(vec![settled(), Pred::Is("settle_state", "done")]),
                Records,
            ),
            count(
                15,
                &time,
                "Quá hạn",
                P,
                Pred::all(vec![settled(), Pred::Is("settle_state", "done_late")]),
                Records,
            ),
        ],
    }
}

/// The execution of settlement decisions (02/KQGQ for complaints; 05/KQTH, complaints and
/// denunciations, under TT 06/2025). A decision is to be executed from its result date.
fn execution(code: &'static str, title: &'static str, types: &'static [&'static str]) -> Form {
    use Measure::*;
    use Source::Petitions as P;
    let of_type = |p: Pred| Pred::all(vec![p, Pred::In("petition_type", types)]);
    let carried = || {
        of_type(Pred::all(vec![
            Pred::BeforeStart("result_on"),
            Pred::OpenAtStart("execution_on"),
        ]))
    };
    let new = || of_type(Pred::InPeriod("result_on"));
    let scope = || Pred::Any(vec![carried(), new()]);
    let executed = |s: &'static str| {
        Pred::all(vec![
            scope(),
            Pred::ByEnd("execution_on"),
            Pred::Is("execution", s),
        ])
    };
    let to_execute = ["Số quyết định phải thi hành"];
    let results = ["Kết quả thi hành"];
    Form {
        code,
        title,
        columns: vec![
            sum(1, &[], "Tổng số quyết định phải thi hành", P, &[2, 3]),
            count(
                2,
                &to_execute,
                "Kỳ trước chuyển sang",
                P,
                carried(),
                Records,
            ),
            count(3, &to_execute, "Ban hành trong kỳ", P, new(), Records),
            count(
                4,
                &results,
                "Đã thi hành xong",
                P,
                executed("done"),
                Records,
            ),
            count(
                5,
                &results,
                "Thi hành một phần",
                P,
                executed("partial"),
                Records,
            ),
            count(
                6,
                &results,
                "Chưa thi hành xong cuối kỳ",
                P,
                Pred::all(vec![
                    scope(),
                    Pred::negate(Pred::all(vec![
                        Pred::ByEnd("execution_on"),
                        Pred::Is("execution", "done"),
                    ])),
                ]),
                Records,
            ),
            count(
                7,
                &["Đã thu hồi, bảo vệ quyền lợi theo quyết định"],
                "Tiền (đồng)",
                P,
                executed("done"),
                Sum("recovered_money"),
            ),
            count(
                8,
                &["Đã thu hồi, bảo vệ quyền lợi theo quyết định"],
                "Đất (m²)",
                P,
                executed("done"),
                Sum("recovered_land"),
            ),
        ],
    }
}

// ---------------------------------------------------------------- 06/QLKNTC

/// State management of complaints and denunciations (TT 06/2025, Biểu 06/QLKNTC): the
/// activities a unit recorded with a date in the period. The reference confirms the form, not
/// its columns; these are the three kinds of work the law charges a unit with (inspecting how
/// units apply it, disseminating it, directing by documents) and the amounts an inspector asks
/// of each (docs/REPORTS.md).
fn management() -> Form {
    use Measure::*;
    use Source::Activities as A;
    let of_kind =
        |k: &'static str| Pred::all(vec![Pred::InPeriod("activity_date"), Pred::Is("kind", k)]);
    let inspections =
        ["Thanh tra, kiểm tra trách nhiệm thực hiện pháp luật về tiếp công dân, khiếu nại, tố cáo"];
    let dissemination = ["Tuyên truyền, phổ biến, tập huấn pháp luật"];
    let documents = ["Văn bản quản lý, chỉ đạo, điều hành"];
    Form {
        code: "06/QLKNTC",
        title: "Tổng hợp kết quả công tác quản lý nhà nước về khiếu nại, tố cáo",
        columns: vec![
            count(
                1,
                &inspections,
                "Số cuộc",
                A,
                of_kind("inspection"),
                Records,
            ),
            count(
                2,
                &inspections,
                "Số đơn vị được thanh tra, kiểm tra",
                A,
                of_kind("inspection"),
                Sum("units_covered"),
            ),
            count(
                3,
                &inspections,
                "Số đơn vị có vi phạm",
                A,
                of_kind("inspection"),
                Sum("units_in_breach"),
            ),
            count(
                4,
                &inspections,
                "Số cá nhân bị kiến nghị xử lý",
                A,
                of_kind("inspection"),
                Sum("people_recommended"),
            ),
            count(
                5,
                &dissemination,
                "Số cuộc, lớp",
                A,
                of_kind("dissemination"),
                Records,
            ),
            count(
                6,
                &dissemination,
                "Số lượt người tham dự",
                A,
                of_kind("dissemination"),
                Sum("participants"),
            ),
            count(
                7,
                &documents,
                "Số văn bản ban hành",
                A,
                of_kind("document"),
                Records,
            ),
        ],
    }
}

// ---------------------------------------------------------------- 01/TCD

fn tcd_01() -> Form {
    use Measure::*;
    use Source::{ReceptionDays as D, Visits as V};
    let kind = |k: &'static [&'static str]| Pred::In("kind", k);
    let mut columns = vec![
        count(
            1,
            &["Tổng"],
            "Lượt",
            V,
            Pred::InPeriod("visit_date"),
            Records,
        ),
        count(
            2,
            &["Tổng"],
            "Người",
            V,
            Pred::InPeriod("visit_date"),
            People,
        ),
        count(
            3,
            &["Tổng"],
            "Vụ việc",
            V,
            Pred::InPeriod("visit_date"),
            Cases,
        ),
    ];
    let blocks: [(&'static str, &'static [&'static str]); 3] = [
        ("Tiếp thường xuyên", &["regular"]),
        (
            "Thủ trưởng tiếp định kỳ và đột xuất",
            &["periodic", "adhoc"],
        ),
        ("Ủy quyền tiếp", &["authorised"]),
    ];
    let mut n = 4;
    for (block, kinds) in blocks {
        if block.starts_with("Thủ trưởng") {
            columns.push(count(
                n,
                &[block],
                "Số kỳ tiếp",
                D,
                Pred::all(vec![Pred::InPeriod("scheduled_on"), Pred::IsInt("held", 1)]),
                Records,
            ));
            n += 1;
        }
        let base = || Pred::all(vec![Pred::InPeriod("visit_date"), kind(kinds)]);
        let first = |p: Pred| Pred::all(vec![p, Pred::IsInt("first_time", 1)]);
        let repeat = |p: Pred| Pred::all(vec![p, Pred::IsInt("first_time", 0)]);
        let group = |p: Pred| Pred::all(vec![p, Pred::IsInt("is_group", 1)]);
        columns.push(count(n, &[block], "Lượt", V, base(), Records));
        columns.push(count(n + 1, &[block], "Người", V, base(), People));
        columns.push(count(
            n + 2,
            &[block, "Vụ việc"],
            "Cũ (tiếp nhiều lần)",
            V,
            repeat(base()),
            Cases,
        ));
        columns.push(count(
            n + 3,
            &[block, "Vụ việc"],
            "Mới phát sinh",
            V,
            first(base()),
            Cases,
        ));
        columns.push(count(
            n + 4,
            &[block, "Đoàn đông người"],
            "Số đoàn",
            V,
            group(base()),
            Records,
        ));
        columns.push(count(
            n + 5,
            &[block, "Đoàn đông người"],
            "Người",
            V,
            group(base()),
            People,
        ));
        columns.push(count(
            n + 6,
            &[block, "Đoàn đông người"],
            "Vụ việc cũ",
            V,
            repeat(group(base())),
            Cases,
        ));
        columns.push(count(
            n + 7,
            &[block, "Đoàn đông người"],
            "Vụ việc mới phát sinh",
            V,
            first(group(base())),
            Cases,
        ));
        n += 8;
    }
    let by_type = ["Phân loại theo nội dung"];
    for (t, h) in [
        ("KN", "Khiếu nại"),
        ("TC", "Tố cáo"),
        ("KNPA", "Kiến nghị, phản ánh"),
    ] {
        columns.push(count(
            n,
            &by_type,
            h,
            V,
            Pred::all(vec![
                Pred::InPeriod("visit_date"),
                Pred::Is("petition_type", t),
            ]),
            Records,
        ));
        n += 1;
    }
    let by_field = ["Phân loại theo lĩnh vực"];
    for (_, heading, codes) in FIELD_GROUPS {
        columns.push(count(
            n,
            &by_field,
            heading,
            V,
            Pred::all(vec![
                Pred::InPeriod("visit_date"),
                Pred::In("field_code", codes),
            ]),
            Records,
        ));
        n += 1;
    }
    columns.push(count(
        n,
        &by_field,
        "Khác",
        V,
        Pred::all(vec![
            Pred::InPeriod("visit_date"),
            Pred::negate(Pred::In("field_code", KNOWN_FIELDS)),
        ]),
        Records,
    ));
    Form {
        code: "01/TCD",
        title: "Tổng hợp kết quả tiếp công dân",
        columns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::predicate::column;

    #[test]
    fn every_column_names_known_fields_and_existing_columns() {
        for set in form_sets() {
            for form in &set.forms {
                let numbers: Vec<u32> = form.columns.iter().map(|c| c.number).collect();
                let mut sorted = numbers.clone();
                sorted.sort_unstable();
                sorted.dedup();
                assert_eq!(
                    sorted.len(),
                    numbers.len(),
                    "{} {}: numbers unique",
                    set.code,
                    form.code
                );
                assert_eq!(
                    numbers,
                    (1..=numbers.len() as u32).collect::<Vec<_>>(),
                    "{}: numbered 1..n",
                    form.code
                );
                for c in &form.columns {
                    match &c.def {
                        ColumnDef::Count(p, measure) => {
                            let mut fields = vec![];
                            p.fields(&mut fields);
                            if let Measure::Sum(amount) = measure {
                                fields.push(amount);
                            }
                            for f in fields {
                                assert!(
                                    column(c.source, f).is_some(),
                                    "{} col {}: field {f}",
                                    form.code,
                                    c.number
                                );
                            }
                        }
                        ColumnDef::Sum(of) => {
                            for n in of {
                                assert!(
                                    numbers.contains(n) && n != &c.number,
                                    "{} col {}",
                                    form.code,
                                    c.number
                                );
                            }
                        }
                    }
                }
            }
        }
    }

    #[test]
    fn the_set_follows_the_period_end() {
        assert_eq!(set_on(day(2022, 6, 30)).code, "TT02-2021");
        assert_eq!(set_on(day(2024, 12, 14)).code, "TT01-2024");
        assert_eq!(set_on(day(2025, 12, 14)).code, "TT06-2025");
        assert!(
            set_on(day(2025, 12, 14))
                .forms
                .iter()
                .any(|f| f.code == "02/XLD")
        );
        assert_eq!(canonical_code("01-xld"), "01/XLD");
    }
}
