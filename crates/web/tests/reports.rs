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
    let (status, location, body) = app.post_form("/petitions", &cookie, &form).await;
    assert_eq!(status, 303, "{body}");
    let code = location
        .trim_start_matches("/petitions/")
        .split('?')
        .next()
        .expect("code")
        .to_owned();

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
