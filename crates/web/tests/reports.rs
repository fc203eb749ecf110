//! The form pages: a table with numbered columns, figures that open their records for those
//! who may see records, aggregates only for the board, CSV, and clear messages for bad input.

mod common;

use common::*;

#[tokio::test]
async fn a_form_on_screen_drills_down_to_its_records() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let form = vec![
        ("_csrf", csrf.as_str()),
        ("unit_code", "P-UB"),
        ("received_date", "10/11/2026"),
        ("source", "post"),
        ("sender_kind", "many"),
        ("signer_count", "7"),
        ("sender.full_name", "Nguyễn Văn Đại Diện"),
        ("petition_type", "KN"),
        ("field_code", "DD-TH"),
        ("summary", "Khiếu nại bồi thường khi thu hồi đất"),
        ("eligible", "1"),
        ("competent", "1"),
        ("decision", "accept"),
        ("decision_date", "12/11/2026"),
    ];
    let code = app.create("/petitions", &cookie, &form).await;

    let (head, _) = app.login("chutich").await;
    let url = "/reports?form=02-XLD&from=01/11/2026&to=30/11/2026&unit=P-UB";
    let (status, page) = app.get(url, &head).await;
    assert_eq!(status, 200);
    assert!(
        page.contains("Biểu số 02/XLD"),
        "TT 06/2025 numbers the summary 02/XLD"
    );
    assert!(
        page.contains("Thông tư 06/2025/TT-TTCP"),
        "the set is named"
    );
    assert!(page.contains("(24)") && page.contains("Tổng cộng"));
    let link = page
        .split("href=\"/reports/records?")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a figure links to its records")
        .replace("&amp;", "&")
        .replace("&#38;", "&");
    let (status, records) = app.get(&format!("/reports/records?{link}"), &head).await;
    assert_eq!(status, 200);
    assert!(records.contains(&code), "the petition behind the figure");

    let (status, csv) = app.get(&format!("{url}&format=csv"), &head).await;
    assert_eq!(status, 200);
    assert!(csv.contains("\"Tổng cộng\",1,"));
    for format in ["xlsx", "docx"] {
        let res = app
            .send(
                axum::http::Request::get(format!("{url}&format={format}"))
                    .header(axum::http::header::COOKIE, &head)
                    .body(axum::body::Body::empty())
                    .expect("request"),
            )
            .await;
        assert_eq!(res.status(), 200, "{format}");
        assert!(
            res.headers()[axum::http::header::CONTENT_DISPOSITION]
                .to_str()
                .expect("ascii")
                .ends_with(&format!(".{format}\""))
        );
        let body = body_text(res).await;
        assert!(body.starts_with("PK"), "{format} is a zip package");
    }

    // The board reads the figures of any unit, never the records.
    let (board, _) = app.login("bandv").await;
    let (status, page) = app.get(url, &board).await;
    assert_eq!(status, 200);
    assert!(
        !page.contains("/reports/records?"),
        "no drill-down links for aggregate readers"
    );
    let (status, _) = app.get(&format!("/reports/records?{link}"), &board).await;
    assert_eq!(status, 404);
    // Another province's head may not read P's figures.
    let (foreign, _) = app.login("chutichq").await;
    let (status, _) = app.get(url, &foreign).await;
    assert_eq!(status, 403);
    // Bad input: a clear message, nothing computed.
    let (status, page) = app
        .get(
            "/reports?form=01-XLD&from=30/11/2026&to=01/11/2026&unit=P-UB",
            &head,
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("trước ngày bắt đầu"));
    let (_, page) = app
        .get("/reports?form=99-ABC&preset=2026&unit=P-UB", &head)
        .await;
    assert!(page.contains("không có biểu 99/ABC"));
}

#[tokio::test]
async fn a_submitted_report_keeps_its_figures_and_shows_what_changed_since() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("chutich").await;
    let petition = |summary: &'static str| {
        vec![
            ("_csrf", csrf.clone()),
            ("unit_code", "P-UB".to_owned()),
            ("received_date", "10/11/2026".to_owned()),
            ("source", "post".to_owned()),
            ("sender_kind", "one".to_owned()),
            ("sender.full_name", "Hoàng Văn Nộp".to_owned()),
            ("petition_type", "KNPA".to_owned()),
            ("field_code", "HC-CS".to_owned()),
            ("summary", summary.to_owned()),
        ]
    };
    let form = petition("Kiến nghị về chế độ chính sách");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = app.post_form("/petitions", &cookie, &pairs).await;
    assert_eq!(status, 303);
    let url = "/reports?form=02-XLD&from=01/11/2026&to=30/11/2026&unit=P-UB";
    let (_, page) = app.get(url, &cookie).await;
    assert!(page.contains("Nộp báo cáo"), "the head may submit");
    let (status, location, _) = app
        .post_form(
            "/reports/submit",
            &cookie,
            &[
                ("_csrf", &csrf),
                ("form", "02-XLD"),
                ("set", "TT06-2025"),
                ("from", "2026-11-01"),
                ("to", "2026-11-30"),
                ("unit", "P-UB"),
            ],
        )
        .await;
    assert_eq!(status, 303);
    assert!(location.starts_with("/reports?"));
    let (_, page) = app.get(url, &cookie).await;
    assert!(
        page.contains("Đã nộp lúc") && !page.contains("đã nộp 1"),
        "nothing differs yet"
    );

    let form = petition("Kiến nghị thứ hai");
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let (status, _, _) = app.post_form("/petitions", &cookie, &pairs).await;
    assert_eq!(status, 303);
    let (_, page) = app.get(url, &cookie).await;
    assert!(
        page.contains("đã nộp 1"),
        "today's 2 against the submitted 1"
    );
    let set = danvan_reports::set_by_code("TT06-2025").expect("set");
    let form = set.forms.iter().find(|f| f.code == "02/XLD").expect("form");
    let period = danvan_reports::Period::preset("2026-11").expect("period");
    let today = app
        .store
        .compute_report(&set, form, period, "P-UB")
        .await
        .expect("report");
    let kept = app
        .store
        .submitted_report(&today)
        .await
        .expect("db")
        .expect("submitted");
    assert_eq!(kept.report.total_of(5), Some(1), "the submission is frozen");
    assert_eq!(today.total_of(5), Some(2));

    // A handler may read the form but not submit it for the unit.
    let (handler, handler_csrf) = app.login("xuly").await;
    let (status, _, _) = app
        .post_form(
            "/reports/submit",
            &handler,
            &[
                ("_csrf", &handler_csrf),
                ("form", "02-XLD"),
                ("set", "TT06-2025"),
                ("from", "2026-11-01"),
                ("to", "2026-11-30"),
                ("unit", "P-UB"),
            ],
        )
        .await;
    assert_eq!(status, 403);
}

#[tokio::test]
async fn a_split_commune_counts_where_its_citizen_lives_else_under_the_first_listed() {
    let app = TestApp::new().await;
    let unit = |code: &str, area: &str, to: Option<&str>| danvan_store::NewUnit {
        code: code.into(),
        name: format!("Xã {code}"),
        kind: danvan_domain::records::UnitKind::Commune,
        parent_code: Some("P-UB".into()),
        area_code: Some(area.into()),
        valid_from: None,
        valid_to: to.map(Into::into),
    };
    // 00007 was split into 00008 and 00025 (conversion table); 00004 kept its code.
    for u in [
        unit("P-OLD7", "00007", Some("2025-06-30")),
        unit("P-OLD4", "00004", Some("2025-06-30")),
        unit("P-NEW8", "00008", None),
        unit("P-NEW25", "00025", None),
        unit("P-NEW4", "00004", None),
    ] {
        app.store.insert_unit(None, &u).await.expect("unit");
    }
    let (cookie, csrf) = app.login("xuly").await;
    let form = vec![
        ("_csrf", csrf.as_str()),
        ("unit_code", "P-OLD7"),
        ("received_date", "10/03/2025"),
        ("source", "post"),
        ("sender_kind", "one"),
        ("sender.full_name", "Vũ Văn Cũ"),
        ("petition_type", "KNPA"),
        ("field_code", "HC-CS"),
        ("summary", "Kiến nghị gửi xã cũ"),
    ];
    let (status, _, body) = app.post_form("/petitions", &cookie, &form).await;
    assert_eq!(status, 303, "{body}");
    // A second petition to the old commune from a citizen whose address is in the new 00025:
    // it belongs to that part of the split, not to the first listed.
    let mut form = form.clone();
    form.retain(|(k, _)| *k != "sender.full_name");
    form.push(("sender.full_name", "Lê Thị Mới"));
    form.push(("sender.area_code", "00025"));
    let (status, _, body) = app.post_form("/petitions", &cookie, &form).await;
    assert_eq!(status, 303, "{body}");

    let conversion = include_str!("../../../data/admin-units-2025-conversion.csv");
    let preview = app
        .store
        .regroup_communes(None, conversion, false)
        .await
        .expect("regroup");
    assert_eq!(
        preview.linked,
        vec![("P-OLD4".to_owned(), "P-NEW4".to_owned())]
    );
    assert_eq!(
        preview.split,
        vec![("P-OLD7".to_owned(), "P-NEW8".to_owned(), 2)]
    );
    assert!(
        app.store
            .unit_by_code("P-OLD7")
            .await
            .expect("db")
            .expect("u")
            .successor_id
            .is_none(),
        "a preview changes nothing"
    );
    app.store
        .regroup_communes(None, conversion, true)
        .await
        .expect("regroup");
    let new8 = app
        .store
        .unit_by_code("P-NEW8")
        .await
        .expect("db")
        .expect("u");
    let old7 = app
        .store
        .unit_by_code("P-OLD7")
        .await
        .expect("db")
        .expect("u");
    assert_eq!(old7.successor_id, Some(new8.id));

    let set = danvan_reports::set_by_code("TT01-2024").expect("set");
    let form = set.forms.iter().find(|f| f.code == "01/XLD").expect("form");
    let period = danvan_reports::Period::preset("2025-H1").expect("period");
    let r = app
        .store
        .compute_report(&set, form, period, "P-NEW8")
        .await
        .expect("report");
    assert_eq!(
        r.total_of(5),
        Some(1),
        "the old commune's petition is counted under its first successor"
    );
    assert!(
        r.notes
            .iter()
            .any(|n| n.starts_with("1 hồ sơ của 1 xã cũ bị chia tách")),
        "{:?}",
        r.notes
    );
    let r = app
        .store
        .compute_report(&set, form, period, "P-NEW25")
        .await
        .expect("report");
    assert_eq!(
        r.total_of(5),
        Some(1),
        "the petition whose citizen lives in 00025 counts there"
    );
    assert!(r.notes.is_empty(), "{:?}", r.notes);
    // The whole province counts both once; the drill-down of the part lists its own.
    let r = app
        .store
        .compute_report(&set, form, period, "P-UB")
        .await
        .expect("report");
    let total_row = |r: &danvan_reports::Report, code: &str| {
        let col = r.columns.iter().position(|c| c.number == 5).expect("col");
        r.rows
            .iter()
            .find(|row| row.unit_code == code)
            .map(|row| row.values[col])
    };
    assert_eq!(total_row(&r, "P-NEW8"), Some(1));
    assert_eq!(total_row(&r, "P-NEW25"), Some(1));
    let new25 = app
        .store
        .unit_by_code("P-NEW25")
        .await
        .expect("db")
        .expect("u");
    let listed = app
        .store
        .figure_records(form, 5, period, &[new25.id].into(), 10)
        .await
        .expect("records");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].summary, "Kiến nghị gửi xã cũ");
    // The in-memory evaluation routes the same way.
    let facts = app
        .store
        .report_facts(&[new25.id].into())
        .await
        .expect("facts");
    assert_eq!(
        facts.iter().filter(|(_, f)| f.unit_id == new25.id).count(),
        1
    );
}

#[tokio::test]
async fn the_forms_in_the_api() {
    let app = TestApp::new().await;
    let token = app
        .store
        .create_token(None, "chutich", "test")
        .await
        .expect("token");
    let (status, body) = app
        .api(
            "GET",
            "/api/v1/reports?form=02-XLD&from=2026-11-01&to=2026-11-30&unit=P-UB",
            &token,
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["form_set"], "TT06-2025");
    assert_eq!(body["form"], "02/XLD");
    assert!(body["columns"].as_array().is_some_and(|c| c.len() == 26));
    let (status, body) = app
        .api(
            "GET",
            "/api/v1/reports?form=01-XLD&from=2026-11-01&to=2026-11-30&unit=P-UB",
            &token,
            None,
        )
        .await;
    assert_eq!(status, 422, "TT 06/2025 has no 01/XLD: {body}");
    assert!(
        body["error"]["fields"]["form"]
            .as_str()
            .is_some_and(|m| m.contains("không có biểu"))
    );
    let (status, _) = app
        .api(
            "GET",
            "/api/v1/reports?form=02-XLD&from=2026-11-30&to=2026-11-01",
            &token,
            None,
        )
        .await;
    assert_eq!(status, 422);
    let (status, _) = app
        .api(
            "GET",
            "/api/v1/reports?form=02-XLD&from=2026-11-01&to=2026-11-30&unit=Q-UB",
            &token,
            None,
        )
        .await;
    assert_eq!(status, 403, "another province's figures");
}

/// The total row of a form from the API, by column number.
async fn form_total(app: &TestApp, token: &str, url: &str) -> Vec<i64> {
    let (status, body) = app.api("GET", url, token, None).await;
    assert_eq!(status, 200, "{body}");
    body["total"]["values"]
        .as_array()
        .expect("values")
        .iter()
        .map(|v| v.as_i64().expect("a number"))
        .collect()
}

#[tokio::test]
async fn state_management_work_is_recorded_and_counted_in_form_06() {
    let app = TestApp::new().await;
    let (cookie, csrf) = app.login("xuly").await;
    let activity =
        |kind: &'static str, unit: &'static str, extra: &[(&'static str, &'static str)]| {
            let mut form = vec![
                ("_csrf", csrf.clone()),
                ("kind", kind.to_owned()),
                ("unit", unit.to_owned()),
                ("activity_date", "10/11/2026".to_owned()),
                ("title", format!("Hoạt động {kind} của {unit}")),
            ];
            form.extend(extra.iter().map(|(k, v)| (*k, (*v).to_owned())));
            form
        };
    let post = |form: Vec<(&'static str, String)>| {
        let cookie = cookie.clone();
        let app = &app;
        async move {
            let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
            app.post_form("/management", &cookie, &pairs).await
        }
    };
    for form in [
        activity(
            "inspection",
            "P-UB",
            &[
                ("units_covered", "3"),
                ("units_in_breach", "1"),
                ("people_recommended", "2"),
            ],
        ),
        activity("dissemination", "P-XA", &[("participants", "1.200")]),
        activity("document", "P-UB", &[]),
    ] {
        let (status, location, body) = post(form).await;
        assert_eq!(status, 303, "{body}");
        assert_eq!(location, "/management?year=2026");
    }
    let (status, page) = app.get("/management?year=2026", &cookie).await;
    assert_eq!(status, 200);
    assert!(page.contains("Hoạt động inspection của P-UB"));
    assert!(
        page.contains("1.200 lượt người tham dự"),
        "numbers the Vietnamese way"
    );

    // Bad input: every fault named in Vietnamese, nothing written.
    let before = app.count("management_activities").await;
    let (status, _, page) = post(activity(
        "inspection",
        "P-UB",
        &[("participants", "40"), ("units_covered", "ba")],
    ))
    .await;
    assert_eq!(status, 422);
    assert!(
        page.contains("chỉ nhập cho hoạt động"),
        "participants belong to sessions"
    );
    assert!(page.contains("phải là số nguyên"));
    let mut future = activity("document", "P-UB", &[]);
    future[3].1 = "01/01/2027".into();
    let (status, _, page) = post(future).await;
    assert_eq!(status, 422);
    assert!(page.contains("không thể sau hôm nay"));
    // A viewer records nothing, nor does another province's handler here.
    for user in ["xem", "ngoai"] {
        let (other, other_csrf) = app.login(user).await;
        let (status, _, _) = app
            .post_form(
                "/management",
                &other,
                &[
                    ("_csrf", &other_csrf),
                    ("kind", "document"),
                    ("unit", "P-UB"),
                    ("activity_date", "10/11/2026"),
                    ("title", "Văn bản"),
                ],
            )
            .await;
        assert_eq!(status, 403, "{user}");
    }
    assert_eq!(app.count("management_activities").await, before);

    // The form counts them, under the set of TT 06/2025, by the period's dates.
    let token = app
        .store
        .create_token(None, "chutich", "test")
        .await
        .expect("token");
    let url = "/api/v1/reports?form=06-QLKNTC&from=2026-11-01&to=2026-11-30&unit=P-UB";
    assert_eq!(
        form_total(&app, &token, url).await,
        vec![1, 3, 1, 2, 1, 1200, 1]
    );
    let october = "/api/v1/reports?form=06-QLKNTC&from=2026-10-01&to=2026-10-31&unit=P-UB";
    assert_eq!(form_total(&app, &token, october).await, vec![0; 7]);
    let (status, body) = app
        .api(
            "GET",
            "/api/v1/reports?form=06-QLKNTC&from=2024-01-01&to=2024-12-31&unit=P-UB",
            &token,
            None,
        )
        .await;
    assert_eq!(status, 422, "no 06/QLKNTC before TT 06/2025: {body}");

    // On screen, a figure opens the activity behind it.
    let (head, head_csrf) = app.login("chutich").await;
    let (status, page) = app
        .get(
            "/reports?form=06-QLKNTC&from=01/11/2026&to=30/11/2026&unit=P-UB",
            &head,
        )
        .await;
    assert_eq!(status, 200);
    assert!(page.contains("Biểu số 06/QLKNTC"));
    let (status, records) = app
        .get(
            "/reports/records?form=06-QLKNTC&set=TT06-2025&col=2&row=P-UB&from=2026-11-01&to=2026-11-30",
            &head,
        )
        .await;
    assert_eq!(status, 200);
    assert!(records.contains("Hoạt động inspection của P-UB"));
    assert!(
        !records.contains("Hoạt động document"),
        "only the inspections"
    );

    // A slip is removed: it counts nowhere, and removing it twice changes nothing.
    let (status, body) = app
        .api(
            "GET",
            "/api/v1/management-activities?year=2026",
            &token,
            None,
        )
        .await;
    assert_eq!(status, 200);
    let inspection = body
        .as_array()
        .expect("a list")
        .iter()
        .find(|a| a["kind"] == "inspection")
        .and_then(|a| a["id"].as_i64())
        .expect("the inspection");
    let audit = app.count("audit_log").await;
    for _ in 0..2 {
        let (status, _, body) = app
            .post_form(
                &format!("/management/{inspection}/remove"),
                &head,
                &[("_csrf", &head_csrf), ("year", "2026")],
            )
            .await;
        assert_eq!(status, 303, "{body}");
    }
    assert_eq!(
        app.count("audit_log").await,
        audit + 1,
        "one removal logged"
    );
    assert_eq!(
        form_total(&app, &token, url).await,
        vec![0, 0, 0, 0, 1, 1200, 1]
    );
    let (_, page) = app.get("/management?year=2026", &head).await;
    assert!(!page.contains("Hoạt động inspection của P-UB"));

    // The API records one too, and names a bad field.
    let (status, body) = app
        .api(
            "POST",
            "/api/v1/management-activities",
            &token,
            Some(serde_json::json!({
                "unit": "P-UB", "kind": "dissemination", "activity_date": "2026-11-20",
                "title": "Tuyên truyền Luật Tố cáo", "participants": "60"
            })),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert!(body["id"].as_i64().is_some());
    assert_eq!(form_total(&app, &token, url).await[4..6], [2, 1260]);
    let (status, body) = app
        .api(
            "POST",
            "/api/v1/management-activities",
            &token,
            Some(serde_json::json!({
                "unit": "P-UB", "kind": "audit", "activity_date": "2026-11-20", "title": "x"
            })),
        )
        .await;
    assert_eq!(status, 422);
    assert!(body["error"]["fields"]["kind"].is_string(), "{body}");
}
