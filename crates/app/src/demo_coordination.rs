//! The demo's coordination work: the seed's programme between the provincial Party Committee's
//! Mass Mobilisation Board and the Party group of the provincial People's Committee for 2022,
//! its tasks and their progress, the dialogues and the board head's visit to the provincial
//! Buddhist Sangha, situation reports with a hotspot, and "Dân vận khéo" models — among them
//! the seed's related article, Đảng bộ xã Tam Thanh (huyện Phú Quý) in building new rural
//! areas — taken to commendation; then this year's programme of the merged province.
//! Entered through the store as officials would, so every rule and audit row applies.
//! Numbers of decisions and of the coordination regulation are illustrative.

use anyhow::Context;
use chrono::{Datelike, NaiveDate};
use danvan_domain::Actor;
use danvan_domain::coordination::{
    EngagementDraft, HotspotDraft, ModelDraft, ProgrammeDraft, SituationDraft, StageDraft,
    TaskDraft, TaskUpdate,
};
use danvan_store::coordination::RoundDraft;
use danvan_store::{Page, Store, VisitFilter};
use std::path::Path;

fn s(v: &str) -> String {
    v.to_owned()
}

fn d(v: &str) -> NaiveDate {
    NaiveDate::parse_from_str(v, "%Y-%m-%d").expect("demo date")
}

async fn actor(store: &Store, name: &str) -> anyhow::Result<Actor> {
    store
        .actor_by_username(name)
        .await?
        .with_context(|| format!("người dùng {name}"))
}

/// A task with its progress: (status or "", date, note, evidence).
struct Task<'a> {
    content: &'a str,
    lead: &'a str,
    cooperating: &'a [&'a str],
    starts: &'a str,
    due: &'a str,
    recurrence: &'a str,
    progress: &'a [(&'a str, &'a str, &'a str, &'a str)],
}

async fn tasks(
    store: &Store,
    who: &Actor,
    programme: i64,
    list: &[Task<'_>],
    today: NaiveDate,
) -> anyhow::Result<()> {
    for t in list {
        let id = store
            .add_task(
                who,
                programme,
                &TaskDraft {
                    content: s(t.content),
                    lead_unit: s(t.lead),
                    cooperating: t.cooperating.iter().map(|c| s(c)).collect(),
                    starts_on: s(t.starts),
                    due_on: s(t.due),
                    recurrence: s(t.recurrence),
                },
            )
            .await
            .with_context(|| format!("nhiệm vụ {}", t.content))?;
        for (status, on, note, evidence) in t.progress {
            if d(on) > today {
                continue;
            }
            store
                .update_task(
                    who,
                    id,
                    &TaskUpdate {
                        status: s(status),
                        note: s(note),
                        evidence: s(evidence),
                        noted_on: s(on),
                    },
                    today,
                )
                .await?;
        }
    }
    Ok(())
}

/// The case of the first group visit (đoàn đông người) received by a unit in a period.
async fn group_case(store: &Store, who: &Actor, from: &str, to: &str) -> anyhow::Result<String> {
    let list = store
        .list_visits(
            who,
            &VisitFilter {
                from: Some(d(from)),
                to: Some(d(to)),
                group: Some(true),
                ..Default::default()
            },
            Page::new(1, 1),
        )
        .await?;
    Ok(list
        .items
        .first()
        .map(|v| v.case_code.clone())
        .unwrap_or_default())
}

/// A one-page PDF with a line of text (ASCII, Helvetica): the demo's stand-in for a scanned
/// regulation. Offsets in the cross-reference table are computed, so readers open it.
fn one_page_pdf(text: &str) -> Vec<u8> {
    let content = format!("BT /F1 14 Tf 72 760 Td ({text}) Tj ET");
    let objects = [
        "<< /Type /Catalog /Pages 2 0 R >>".to_owned(),
        "<< /Type /Pages /Kids [3 0 R] /Count 1 >>".to_owned(),
        "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>".to_owned(),
        "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>".to_owned(),
        format!("<< /Length {} >>\nstream\n{content}\nendstream", content.len()),
    ];
    let mut out = b"%PDF-1.4\n".to_vec();
    let mut offsets = vec![];
    for (i, o) in objects.iter().enumerate() {
        offsets.push(out.len());
        out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
    }
    let xref = out.len();
    out.extend_from_slice(
        format!("xref\n0 {}\n0000000000 65535 f \n", objects.len() + 1).as_bytes(),
    );
    for o in offsets {
        out.extend_from_slice(format!("{o:010} 00000 n \n").as_bytes());
    }
    out.extend_from_slice(
        format!(
            "trailer\n<< /Size {} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objects.len() + 1
        )
        .as_bytes(),
    );
    out
}

pub async fn load(store: &Store, today: NaiveDate, blobs: &Path) -> anyhow::Result<u64> {
    let board = actor(store, "bandanvan").await?;
    let admin = actor(store, "admin").await?;
    let mut rows = 0u64;

    // ---- 2022: the seed's programme.
    let programme = store
        .create_programme(
            &board,
            &ProgrammeDraft {
                title: s("Chương trình phối hợp công tác dân vận giữa Ban Dân vận Tỉnh ủy và Ban Cán sự Đảng UBND tỉnh năm 2022"),
                year_from: 2022,
                year_to: 2022,
                legal_basis: s("Quy chế phối hợp công tác dân vận giữa Ban Dân vận Tỉnh ủy và Ban Cán sự Đảng UBND tỉnh; số hiệu minh họa"),
                parties: vec![s("BT-TU-BDV"), s("BT-UBND")],
                scope_unit: s("BT"),
            },
        )
        .await?;
    store
        .attach_to_programme(
            &board,
            blobs,
            programme,
            "Quy chế phối hợp (bản minh họa).pdf",
            &one_page_pdf("Quy che phoi hop cong tac dan van - ban minh hoa (du lieu mau)"),
        )
        .await?;
    rows += 1;
    tasks(store, &board, programme, &[
        Task {
            content: "Cụ thể hóa các chủ trương, nghị quyết, chỉ thị của Đảng về công tác dân vận",
            lead: "BT-UBND", cooperating: &["BT-TU-BDV"], starts: "2022-01-10", due: "2022-06-30", recurrence: "",
            progress: &[("in_progress", "2022-02-15", "Dự thảo kế hoạch thực hiện Kết luận 114-KL/TW", ""),
                        ("done", "2022-05-20", "UBND tỉnh ban hành kế hoạch thực hiện", "Kế hoạch của UBND tỉnh (số minh họa)")],
        },
        Task {
            content: "Phát động phong trào thi đua “Dân vận khéo” gắn với “Học tập và làm theo tư tưởng, đạo đức, phong cách Hồ Chí Minh”",
            lead: "BT-TU-BDV", cooperating: &["BT-UBND"], starts: "2022-01-10", due: "2022-04-30", recurrence: "",
            progress: &[("done", "2022-04-15", "Hướng dẫn đăng ký mô hình năm 2022 gửi các địa phương", "Hướng dẫn của Ban Dân vận Tỉnh ủy")],
        },
        Task {
            content: "Tiếp công dân, đối thoại, giải quyết kiến nghị, đơn thư khiếu nại, tố cáo",
            lead: "BT-UBND", cooperating: &["BT-BTCD", "BT-TTR"], starts: "2022-01-01", due: "2022-03-31", recurrence: "quarterly",
            progress: &[("done", "2022-04-05", "Quý I: tiếp công dân định kỳ, đối thoại các hộ dân bị thu hồi đất", ""),
                        ("done", "2022-07-05", "Quý II: tiếp công dân định kỳ, đột xuất", ""),
                        ("done", "2022-10-05", "Quý III", ""),
                        ("done", "2022-12-28", "Quý IV", "")],
        },
        Task {
            content: "Theo dõi, nắm tình hình tâm trạng, tư tưởng, nguyện vọng của nhân dân; các vụ việc phức tạp liên quan dân tộc, tôn giáo",
            lead: "BT-TU-BDV", cooperating: &["BT-UBND"], starts: "2022-01-01", due: "2022-03-31", recurrence: "quarterly",
            progress: &[("done", "2022-04-02", "Báo cáo tình hình quý I", ""),
                        ("done", "2022-07-02", "Báo cáo tình hình quý II", ""),
                        ("done", "2022-10-03", "Báo cáo tình hình quý III", ""),
                        ("done", "2022-12-30", "Báo cáo tình hình quý IV", "")],
        },
        Task {
            content: "Khảo sát, kiểm tra các mô hình “Dân vận khéo” đăng ký năm 2022",
            lead: "BT-TU-BDV", cooperating: &["BT-PQ", "BT-PT"], starts: "2022-04-15", due: "2022-06-15", recurrence: "",
            progress: &[("in_progress", "2022-05-20", "Kiểm tra mô hình tại huyện Phú Quý", ""),
                        ("done", "2022-08-10", "Hoàn thành khảo sát các mô hình", "Báo cáo kết quả khảo sát")],
        },
        Task {
            content: "Sơ kết 6 tháng, tổng kết năm thực hiện chương trình phối hợp",
            lead: "BT-TU-BDV", cooperating: &["BT-UBND"], starts: "2022-06-15", due: "2022-12-31", recurrence: "",
            progress: &[("in_progress", "2022-07-25", "Báo cáo sơ kết 6 tháng", "Báo cáo sơ kết"),
                        ("done", "2022-12-20", "Báo cáo tổng kết năm", "Báo cáo tổng kết")],
        },
    ], today).await?;
    rows += 6;

    // Dialogues and contacts of 2022.
    let land_case = group_case(store, &admin, "2022-01-01", "2022-06-30").await?;
    store
        .create_engagement(
            &board,
            &EngagementDraft {
                kind: s("contact"),
                unit: s("BT-TU-BDV"),
                held_on: s("2022-05-10"),
                place: s("Văn phòng Ban Trị sự Giáo hội Phật giáo Việt Nam tỉnh"),
                host: s("Đồng chí Đặng Hồng Sỹ - Ủy viên Ban Thường vụ Tỉnh ủy, Trưởng Ban Dân vận Tỉnh ủy"),
                counterpart: s("Giáo hội Phật giáo Việt Nam tỉnh Bình Thuận"),
                occasion: s("Đại lễ Phật đản Phật lịch 2566"),
                participants: 12,
                topics: s("Thăm, tặng quà, chúc mừng Đại lễ Phật đản"),
                gifts: s("Tặng quà"),
                issues: s("Giáo hội đề nghị tiếp tục tạo điều kiện cho hoạt động tôn giáo đúng pháp luật"),
                follow_up: s("Ban Dân vận Tỉnh ủy phối hợp Ban Tôn giáo tỉnh theo dõi"),
                ..Default::default()
            },
            today,
        )
        .await?;
    store
        .create_engagement(
            &admin,
            &EngagementDraft {
                kind: s("dialogue"),
                unit: s("BT-UBND"),
                held_on: s("2022-03-22"),
                place: s("Trụ sở UBND tỉnh"),
                host: s("Chủ tịch UBND tỉnh"),
                counterpart: s("Đại diện các hộ dân bị thu hồi đất"),
                participants: 25,
                topics: s("Bồi thường, hỗ trợ khi thu hồi đất"),
                conclusions: s("Giao Sở Tài nguyên và Môi trường rà soát phương án bồi thường, trả lời trong 30 ngày"),
                follow_up: s("Theo dõi kết quả rà soát"),
                cases: vec![land_case.clone()],
                ..Default::default()
            },
            today,
        )
        .await?;
    store
        .create_engagement(
            &admin,
            &EngagementDraft {
                kind: s("meeting"),
                unit: s("BT-PQ"),
                held_on: s("2022-06-08"),
                place: s("Nhà văn hóa xã Tam Thanh"),
                host: s("Chủ tịch UBND huyện Phú Quý"),
                counterpart: s("Nhân dân xã Tam Thanh"),
                participants: 80,
                topics: s("Xây dựng nông thôn mới, đường giao thông nông thôn"),
                ..Default::default()
            },
            today,
        )
        .await?;
    rows += 3;

    // Situation reports of 2022, one with a hotspot.
    for (unit, from, to, level, topics, narrative) in [
        (
            "BT-PQ",
            "2022-01-01",
            "2022-03-31",
            "stable",
            vec!["dan_sinh"],
            "Tình hình nhân dân trên địa bàn huyện ổn định; nhân dân phấn khởi với kết quả xây dựng nông thôn mới.",
        ),
        (
            "BT-PT",
            "2022-01-01",
            "2022-03-31",
            "signs",
            vec!["dat_dai"],
            "Một số hộ dân bức xúc về giá bồi thường khi thu hồi đất thực hiện dự án; có tụ tập đông người tại trụ sở tiếp công dân.",
        ),
        (
            "BT-PQ",
            "2022-04-01",
            "2022-06-30",
            "stable",
            vec!["dan_sinh", "ton_giao"],
            "Tình hình ổn định; các cơ sở tôn giáo hoạt động đúng pháp luật, tổ chức Đại lễ Phật đản an toàn.",
        ),
    ] {
        let id = store
            .create_situation(
                &board,
                &SituationDraft {
                    unit: s(unit),
                    period_from: s(from),
                    period_to: s(to),
                    level: s(level),
                    topics: topics.into_iter().map(s).collect(),
                    narrative: s(narrative),
                    recommendations: if level == "signs" {
                        s("Đề nghị UBND tỉnh chỉ đạo rà soát phương án bồi thường, tổ chức đối thoại với các hộ dân")
                    } else {
                        String::new()
                    },
                },
            )
            .await?;
        rows += 1;
        if level == "signs" {
            store
                .add_hotspot(
                    &board,
                    id,
                    &HotspotDraft {
                        area_unit: s("BT-PT-PHUTHUY"),
                        place: s("Khu dân cư dự án mở rộng đường ven biển, phường Phú Thủy"),
                        since: s("2022-02-14"),
                        people: 35,
                        status: s("monitoring"),
                        measures: s("Đối thoại ngày 22/03/2022; rà soát phương án bồi thường"),
                        cases: vec![land_case.clone()],
                    },
                    today,
                )
                .await?;
            rows += 1;
        }
    }

    // "Dân vận khéo" models of 2022: the seed's Tam Thanh model to commendation, and others
    // along their cycle.
    let models: &[(&str, &str, &str, &str, &str, &str)] = &[
        (
            "“Dân vận khéo” trong xây dựng nông thôn mới",
            "BT-PQ-TAMTHANH",
            "Đảng bộ xã Tam Thanh, huyện Phú Quý",
            "vhxh",
            "collective",
            "2022-02-15",
        ),
        (
            "Hiến đất mở đường giao thông nông thôn",
            "BT-PQ",
            "Xã Ngũ Phụng, huyện Phú Quý",
            "vhxh",
            "collective",
            "2022-02-20",
        ),
        (
            "Tổ hợp tác khai thác hải sản xa bờ",
            "BT-PQ",
            "Xã Long Hải, huyện Phú Quý",
            "kt",
            "collective",
            "2022-03-01",
        ),
        (
            "Camera an ninh khu dân cư",
            "BT-PT-PHUTHUY",
            "Phường Phú Thủy, thành phố Phan Thiết",
            "qpan",
            "collective",
            "2022-03-05",
        ),
        (
            "Cán bộ tiếp công dân tận tụy, gần dân",
            "BT-BTCD",
            "Ban Tiếp công dân tỉnh",
            "xdhtct",
            "individual",
            "2022-03-10",
        ),
        (
            "Chi hội phụ nữ giúp nhau thoát nghèo",
            "BT-PT",
            "Thành phố Phan Thiết",
            "kt",
            "collective",
            "2022-03-12",
        ),
    ];
    let mut ids = vec![];
    for (name, unit, address, field, kind, on) in models {
        let id = store
            .register_model(
                &board,
                &ModelDraft {
                    name: s(name),
                    unit: s(unit),
                    address: s(address),
                    field: s(field),
                    kind: s(kind),
                    level: s("commune"),
                    registered_on: s(on),
                    period_from: 2022,
                    period_to: 2025,
                    description: if unit == &"BT-PQ-TAMTHANH" {
                        s("Phong trào thi đua “Dân vận khéo” trong xây dựng nông thôn mới ở xã Tam Thanh, huyện đảo Phú Quý: phát huy quy chế dân chủ, vận động nhân dân hiến đất, góp công làm đường, xây dựng khối đại đoàn kết toàn dân.")
                    } else {
                        String::new()
                    },
                    results: if unit == &"BT-PQ-TAMTHANH" {
                        s("Bộ mặt nông thôn huyện đảo khởi sắc; kinh tế - xã hội phát triển; quy chế dân chủ được thực hiện tốt.")
                    } else {
                        String::new()
                    },
                    evidence: String::new(),
                },
                today,
            )
            .await?;
        ids.push(id);
        rows += 1;
    }
    let step = |stage: &str, on: &str, decision: &str| StageDraft {
        stage: s(stage),
        on: s(on),
        decision: s(decision),
        ..Default::default()
    };
    for (i, id) in ids.iter().enumerate() {
        store
            .step_model(&board, *id, &step("in_progress", "2022-03-15", ""), today)
            .await?;
        if i < 5 {
            store
                .step_model(&board, *id, &step("checked", "2022-05-20", ""), today)
                .await?;
        }
    }
    store
        .set_model_criteria(&board, ids[0], &[1, 2, 3, 4, 5, 6])
        .await?;
    // One decision recognises four models; the board commends two of them.
    store
        .model_round(
            &board,
            &RoundDraft {
                stage: s("recognised"),
                decision: s("25-QĐ/BDVTU"),
                on: s("2022-06-10"),
                models: ids[..4].to_vec(),
                ..Default::default()
            },
            today,
        )
        .await?;
    store
        .model_round(
            &board,
            &RoundDraft {
                stage: s("commended"),
                decision: s("1520/QĐ-UBND"),
                on: s("2022-06-25"),
                form: s("Bằng khen"),
                issuer: s("Chủ tịch UBND tỉnh"),
                models: ids[..2].to_vec(),
            },
            today,
        )
        .await?;
    store
        .step_model(&board, ids[2], &step("exemplary", "2022-09-15", ""), today)
        .await?;

    // ---- This year: the merged province's programme, with a task past due.
    let year = today.year();
    let current = store
        .create_programme(
            &board,
            &ProgrammeDraft {
                title: format!("Chương trình phối hợp công tác dân vận giữa Ban Tuyên giáo và Dân vận Tỉnh ủy và Đảng ủy UBND tỉnh năm {year}"),
                year_from: year,
                year_to: year,
                legal_basis: s("Quy chế phối hợp; số hiệu minh họa"),
                parties: vec![s("LD-TU-BTGDV"), s("LD-UBND")],
                scope_unit: s("LD"),
            },
        )
        .await?;
    let due = |m: u32, day: u32| {
        NaiveDate::from_ymd_opt(year, m, day)
            .map(|d| d.to_string())
            .unwrap_or_default()
    };
    let (q1, h1, oct) = (due(3, 31), due(6, 30), due(10, 31));
    let (q1_note, h1_note) = (due(3, 28), due(6, 25));
    tasks(store, &board, current, &[
        Task {
            content: "Triển khai quy chế dân chủ ở cơ sở sau sắp xếp đơn vị hành chính",
            lead: "LD-UBND", cooperating: &["LD-TU-BTGDV"], starts: "", due: &q1, recurrence: "",
            progress: &[("done", &q1_note, "Hướng dẫn các xã, phường, đặc khu", "")],
        },
        Task {
            content: "Sơ kết 6 tháng chương trình phối hợp",
            lead: "LD-TU-BTGDV", cooperating: &["LD-UBND"], starts: "", due: &h1, recurrence: "",
            progress: &[("done", &h1_note, "Báo cáo sơ kết", "")],
        },
        Task {
            content: "Đối thoại với nhân dân về bồi thường, hỗ trợ tái định cư các dự án trọng điểm",
            lead: "LD-UBND", cooperating: &["LD-BTCD"], starts: "", due: &oct, recurrence: "",
            progress: &[("in_progress", &h1_note, "Lập danh sách dự án cần đối thoại", "")],
        },
    ], today).await?;
    rows += 4;
    Ok(rows)
}
