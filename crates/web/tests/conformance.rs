//! The store conformance suite: the same scenario on SQLite (always) and on PostgreSQL (when
//! DANVAN_TEST_PG_URL names a server; `scripts/test` starts one).

mod common;

use chrono::{Datelike, NaiveDate};
use danvan_domain::records::{PersonDraft, PetitionDraft, VisitDraft, VisitRules};
use danvan_store::{CaseFilter, Page, PetitionFilter, Store, VisitFilter};

fn d(y: i32, m: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, day).expect("date")
}

async fn scenario(store: Store) {
    common::seed(&store).await;
    let officer = store
        .actor_by_username("tiepdan")
        .await
        .expect("ok")
        .expect("actor");
    let handler = store
        .actor_by_username("xuly")
        .await
        .expect("ok")
        .expect("actor");
    let head = store
        .actor_by_username("chutich")
        .await
        .expect("ok")
        .expect("actor");
    let foreign = store
        .actor_by_username("ngoai")
        .await
        .expect("ok")
        .expect("actor");
    let fields = |c: &str| ["DD-TC", "DD-TH", "HC-CBCC"].contains(&c);
    let rules = VisitRules {
        today: d(2026, 11, 28),
        group_threshold: 5,
        field_exists: &fields,
    };
    let mut draft = VisitDraft {
        visit_date: "2026-03-02".into(),
        kind: "regular".into(),
        receiver_name: "Cán bộ".into(),
        people: vec![PersonDraft {
            full_name: "Hoàng Thị Hoà".into(),
            id_number: "060190001111".into(),
            area_code: "22924".into(),
            ..Default::default()
        }],
        content: "Đề nghị hoà giải tranh chấp đất đai (có ảnh camera)".into(),
        petition_type: "KN".into(),
        field_code: "DD-TC".into(),
        handling: "accept".into(),
        ..Default::default()
    };
    let v1 = store
        .create_visit(&officer, "P-TCD", &draft.check(&rules).expect("valid"))
        .await
        .expect("visit");
    // A group visit on the same case: a repeat visit, a group of 20.
    let first = store.visit_detail(&officer, &v1).await.expect("detail");
    draft.case_code = first.row.case_code.clone();
    draft.is_group = true;
    draft.headcount = "20".into();
    draft.representatives = "2".into();
    draft.visit_date = "2026-03-20".into();
    let v2 = store
        .create_visit(&officer, "P-TCD", &draft.check(&rules).expect("valid"))
        .await
        .expect("visit");
    assert_ne!(v1, v2);
    assert_eq!(
        common::sqlx_count(&store, "people").await,
        1,
        "the same ID number is the same person"
    );
    let list = store
        .list_visits(
            &officer,
            &VisitFilter {
                text: Some("hòa giải".into()),
                ..Default::default()
            },
            Page::new(1, 10),
        )
        .await
        .expect("list");
    assert_eq!(list.total, 2, "old and new tone placement match");
    // The server's upkeep merges the GIN indexes' pending entries (PostgreSQL): the visits'
    // entries wait there (below the connections' 1 MB limit) until it runs; SQLite has none.
    let merged = store.merge_pending_index_entries().await.expect("merge");
    match store.backend() {
        danvan_store::Backend::Postgres => assert!(merged > 0, "pending pages merged: {merged}"),
        danvan_store::Backend::Sqlite => assert_eq!(merged, 0),
    }
    assert_eq!(
        store.merge_pending_index_entries().await.expect("merge"),
        0,
        "nothing left to merge"
    );
    // Search: the index (FTS5 or tsvector) is kept with the record, and both backends give the
    // same results in the same order — exact diacritics first, then newer, then by code.
    let search = |actor: danvan_domain::Actor, text: &'static str| {
        let store = store.clone();
        async move {
            let mut answers = vec![];
            for plan in [
                danvan_store::search::Plan::FullText,
                danvan_store::search::Plan::Scope,
                danvan_store::search::Plan::Newest,
                danvan_store::search::Plan::Gathered,
            ] {
                let found = store
                    .search(
                        &actor,
                        &danvan_store::search::SearchFilter {
                            text: text.into(),
                            kind: Some("visit".into()),
                            plan,
                            ..Default::default()
                        },
                        Page::new(1, 10),
                    )
                    .await
                    .expect("search");
                answers.push((
                    found.total,
                    found
                        .results
                        .into_iter()
                        .map(|h| (h.code, h.score))
                        .collect::<Vec<_>>(),
                ));
            }
            for other in &answers[1..] {
                assert_eq!(&answers[0], other, "{text}: the plans answer the same");
            }
            answers.remove(0).1
        }
    };
    assert_eq!(
        search(officer.clone(), "hoà giải").await,
        vec![(v2.clone(), 2.5), (v1.clone(), 2.5)],
        "both tone placements match with their diacritics; the newer (20/3) first"
    );
    assert_eq!(
        search(officer.clone(), "\"tranh chap\" dat").await.len(),
        2,
        "a phrase and a prefix"
    );
    assert_eq!(
        search(officer.clone(), "Hoang Thi Hoa").await.len(),
        2,
        "a name recorded before 1/7/2026 (not yet protected at reception)"
    );
    // A closed syllable typed last is matched whole unless a recorded word extends it
    // (`syllable_extensions`): "chap" is whole, "cam" still a prefix of "camera".
    for text in ["tranh chap", "anh cam"] {
        assert_eq!(search(officer.clone(), text).await.len(), 2, "{text}");
    }
    assert!(search(officer.clone(), "anh camx").await.is_empty());
    assert!(search(foreign.clone(), "hoa giai").await.is_empty());
    // The index also holds each record's unit ("danvanunit…"): a prefix of that token is
    // held to the words, alone or after words that match.
    for text in ["danv", "hoa giai danvanu"] {
        assert!(
            search(officer.clone(), text).await.is_empty(),
            "{text}: no word begins so"
        );
    }
    let groups = store
        .list_visits(
            &officer,
            &VisitFilter {
                group: Some(true),
                from: Some(d(2026, 3, 1)),
                to: Some(d(2026, 3, 31)),
                ..Default::default()
            },
            Page::new(1, 10),
        )
        .await
        .expect("list");
    assert_eq!(groups.total, 1);
    assert!(!groups.items[0].first_time);
    assert_eq!(
        store
            .list_visits(&foreign, &VisitFilter::default(), Page::new(1, 10))
            .await
            .expect("list")
            .total,
        0
    );
    // Petitions: a denunciation transferred to another unit of the tree.
    let p = PetitionDraft {
        received_date: "2026-03-05".into(),
        source: "post".into(),
        sender_kind: "one".into(),
        sender: PersonDraft {
            full_name: "Người Tố Cáo".into(),
            ..Default::default()
        },
        petition_type: "TC".into(),
        field_code: "HC-CBCC".into(),
        summary: "Tố cáo công chức xã".into(),
        decision: "transfer".into(),
        decision_date: "2026-03-06".into(),
        target_unit_code: "P-XA".into(),
        ..Default::default()
    };
    let pc = store
        .create_petition(
            &handler,
            "P-UB",
            &p.check(d(2026, 11, 28), &fields).expect("valid"),
        )
        .await
        .expect("petition");
    let seen = store.petition_detail(&handler, &pc).await.expect("detail");
    assert!(seen.row.identity_masked);
    assert!(
        !store
            .petition_detail(&head, &pc)
            .await
            .expect("detail")
            .row
            .identity_masked
    );
    let inbox = store
        .list_petitions(
            &head,
            &PetitionFilter {
                inbox: true,
                ..Default::default()
            },
            Page::new(1, 10),
        )
        .await
        .expect("inbox");
    assert_eq!(inbox.total, 1, "P-XA is in the head's subtree");
    store
        .reply_transfer(&head, &pc, true, "Đã thụ lý", d(2026, 3, 15))
        .await
        .expect("reply");
    assert!(
        store
            .reply_transfer(&head, &pc, true, "lại", d(2026, 3, 16))
            .await
            .is_err(),
        "a transfer is answered once"
    );
    let case = store
        .case_detail(&head, &seen.row.case_code)
        .await
        .expect("case");
    assert_eq!(case.timeline.len(), 3, "received, transferred, replied");
    let cases = store
        .list_cases(&head, &CaseFilter::default(), Page::new(1, 10))
        .await
        .expect("cases");
    assert_eq!(cases.total, 2);
    text_filters(&store, &head).await;
    let s = store
        .summary(d(2026, 1, 1), d(2026, 3, 31), Some("P"))
        .await
        .expect("summary");
    assert_eq!(
        (
            s.visits,
            s.cases,
            s.group_visits,
            s.group_people,
            s.petitions
        ),
        (2, 1, 1, 20, 1)
    );
    assert_eq!(
        s.text(),
        "Trong quý I năm 2026 các cơ quan, đơn vị đã tiếp 2 lượt/1 vụ việc, trong đó tiếp đông người là 1 lượt/20 người; tiếp nhận 1 đơn. Nội dung chủ yếu về công chức, công vụ."
    );
    let audit = common::sqlx_count(&store, "audit_log").await;
    assert!(audit >= 8, "every write has its audit row ({audit})");

    // Two cases whose records fall in two rows of the committee's report: the denunciation's
    // case gets a complaint received by the commune, the visits' case a visit there. Each
    // counts once in each of its rows and once in the total.
    let spread = PetitionDraft {
        received_date: "2026-03-10".into(),
        source: "reception".into(),
        sender_kind: "one".into(),
        sender: PersonDraft {
            full_name: "Trần Văn Gửi".into(),
            ..Default::default()
        },
        petition_type: "KN".into(),
        field_code: "DD-TC".into(),
        summary: "Khiếu nại về cùng vụ việc".into(),
        eligible: "1".into(),
        competent: "1".into(),
        decision: "accept".into(),
        decision_date: "2026-03-12".into(),
        case_code: seen.row.case_code.clone(),
        ..Default::default()
    };
    store
        .create_petition(
            &handler,
            "P-XA",
            &spread.check(d(2026, 11, 28), &fields).expect("valid"),
        )
        .await
        .expect("petition in the commune");
    draft.visit_date = "2026-03-25".into();
    draft.is_group = false;
    draft.headcount = "1".into();
    draft.representatives = String::new();
    store
        .create_visit(&head, "P-XA", &draft.check(&rules).expect("valid"))
        .await
        .expect("visit in the commune");

    // State-management work for 06/QLKNTC in the committee and the commune; one removed.
    let activity = |unit: &str, kind: &str, date: &str| danvan_domain::management::ActivityDraft {
        unit: unit.into(),
        kind: kind.into(),
        activity_date: date.into(),
        title: format!("{kind} {unit}"),
        units_covered: if kind == "inspection" {
            "4".into()
        } else {
            String::new()
        },
        units_in_breach: if kind == "inspection" {
            "1".into()
        } else {
            String::new()
        },
        participants: if kind == "dissemination" {
            "75".into()
        } else {
            String::new()
        },
        ..Default::default()
    };
    for (unit, kind, date) in [
        ("P-UB", "inspection", "2026-02-10"),
        ("P-XA", "dissemination", "2026-03-31"),
        ("P-UB", "document", "2026-01-01"),
        ("P-XA", "inspection", "2026-04-01"),
    ] {
        store
            .add_activity(&head, &activity(unit, kind, date), d(2026, 11, 28))
            .await
            .expect("activity");
    }
    let slip = store
        .add_activity(
            &head,
            &activity("P-XA", "inspection", "2026-03-02"),
            d(2026, 11, 28),
        )
        .await
        .expect("activity");
    store.remove_activity(&head, slip).await.expect("removed");

    // Every form of every set, computed in SQL on this backend, equals its predicates
    // evaluated over the same records in memory: the province's total, and each row of the
    // committee's report.
    let period = danvan_reports::Period::new(d(2026, 1, 1), d(2026, 3, 31)).expect("period");
    let mut received = 0;
    let mut spread_cases = 0;
    for unit in ["P", "P-UB"] {
        let (rows, total, _) = store.report_rows(unit).await.expect("rows");
        let facts = store.report_facts(&total.unit_ids).await.expect("facts");
        for set in danvan_reports::form_sets() {
            for form in &set.forms {
                let report = store
                    .compute_report(&set, form, period, unit)
                    .await
                    .expect("report");
                let differences = danvan_reports::report::differences(
                    &report, form, period, &rows, &total, &facts,
                );
                assert!(
                    differences.is_empty(),
                    "{unit} {} {}: SQL and memory differ: {differences:#?}",
                    set.code,
                    form.code
                );
                if unit == "P-UB" {
                    // Cases counted in more than one row: the rows add up to more than the total.
                    for c in &form.columns {
                        let Some(col) = report.columns.iter().position(|x| x.number == c.number)
                        else {
                            continue;
                        };
                        let rows_sum: i64 = report.rows.iter().map(|r| r.values[col]).sum();
                        if rows_sum > report.total.values[col] {
                            spread_cases += 1;
                        }
                    }
                }
                if unit == "P" && form.code.ends_with("XLD") && form.columns.len() > 20 {
                    received = [5, 6, 7].iter().filter_map(|n| report.total_of(*n)).sum();
                }
            }
        }
    }
    assert_eq!(received, 2, "the quarter's two petitions");
    assert!(
        spread_cases > 0,
        "some column counts a case in two rows and once in the total"
    );

    // The batch paths of the clocks run on this backend too.
    let clocks = common::sqlx_count(&store, "clocks").await;
    assert!(clocks > 0, "registering a petition computed its clocks");
    let moved = store
        .recompute_deadlines(None, true)
        .await
        .expect("recompute");
    assert!(
        moved.is_empty(),
        "nothing changed since they were computed: {moved:?}"
    );
    let n = store.compute_all_clocks().await.expect("compute all");
    assert!(n >= 1);
    assert_eq!(
        common::sqlx_count(&store, "clocks").await,
        clocks,
        "the same clocks again"
    );

    coordination(&store, &head).await;

    // Every write and protected read above chained its audit entry on this backend.
    let entries = common::sqlx_count(&store, "audit_log").await;
    assert_eq!(
        store.verify_audit_chain().await.expect("verify"),
        danvan_store::ChainCheck::Ok(entries)
    );

    count_past_the_cap(&store, &head).await;
    kept_counts(&store, &head).await;
    search_partitions(&store, &officer).await;
}

/// The smaller full-text indexes (PostgreSQL, `danvan search-partitions`): per register, one
/// of each province's records, read by a search inside the province, and one of the newest
/// records, read first by a search over the country — the same answers as the whole index, by
/// every plan; a province's rebuilt when it gains a unit; all dropped on demand. On SQLite the
/// command is refused with a message.
async fn search_partitions(store: &Store, officer: &danvan_domain::Actor) {
    if store.backend() == danvan_store::Backend::Sqlite {
        let refused = store.refresh_search_partitions(1).await;
        assert!(
            matches!(refused, Err(danvan_store::StoreError::Invalid(_))),
            "PostgreSQL only"
        );
        return;
    }
    let texts = [
        "hoà giải",
        "\"tranh chap\" dat",
        "Hoang Thi Hoa",
        "tranh chap",
        "anh cam",
        "thu hoi",
    ];
    let everyone = store.anonymous_reader().await.expect("reader");
    let answers = || async {
        let mut all = vec![];
        for (text, reader) in texts.iter().flat_map(|t| [(*t, officer), (*t, &everyone)]) {
            for plan in [
                danvan_store::search::Plan::Auto,
                danvan_store::search::Plan::FullText,
                danvan_store::search::Plan::Gathered,
            ] {
                let found = store
                    .search(
                        reader,
                        &danvan_store::search::SearchFilter {
                            text: text.into(),
                            plan,
                            ..Default::default()
                        },
                        Page::new(1, 50),
                    )
                    .await
                    .expect("search");
                all.push((
                    text,
                    found.total,
                    found
                        .results
                        .into_iter()
                        .map(|h| (h.code, h.score))
                        .collect::<Vec<_>>(),
                ));
            }
        }
        all
    };
    // The newest tenth of the petitions holds more matches than the count's cap, the newest
    // hundredth fewer: a search over the country answers from the tenth alone.
    let unit = store
        .unit_by_code("P-TCD")
        .await
        .expect("unit")
        .expect("P-TCD");
    bulk_petitions(store, unit.id, 2 * danvan_store::search::COUNT_CAP, "N").await;
    let before = answers().await;
    assert!(
        before.iter().any(|(_, total, _)| *total > 0),
        "the texts find records"
    );
    let built = store.refresh_search_partitions(1).await.expect("build");
    assert_eq!(
        built.built.len(),
        12,
        "provinces P and Q and the newest hundredth and tenth, three registers each"
    );
    let again = store.refresh_search_partitions(1).await.expect("refresh");
    assert_eq!((again.built.len(), again.kept), (0, 12), "nothing changed");
    // The petitions holding "thu hoi dat" among those a newest records' index holds.
    let matching_among = async |index: &str| {
        danvan_store::testing::scalar(
            store,
            &format!(
                "SELECT COUNT(*) FROM petitions WHERE search_key LIKE '%thu hoi dat%' AND id > \
                 (SELECT newer_than FROM search_partitions WHERE index_name = '{index}')"
            ),
        )
        .await
    };
    assert!(matching_among("petitions_search_newest10").await > danvan_store::search::COUNT_CAP);
    assert!(matching_among("petitions_search_newest100").await <= danvan_store::search::COUNT_CAP);
    let province =
        danvan_store::testing::scalar(store, "SELECT id FROM units WHERE code = 'P'").await;
    let scans = |names: [String; 3]| {
        format!(
            "SELECT CAST(COALESCE(SUM(idx_scan), 0) AS BIGINT) FROM pg_stat_user_indexes \
             WHERE indexrelname IN ('{}', '{}', '{}')",
            names[0], names[1], names[2]
        )
    };
    let of =
        |suffix: &str| ["petitions", "visits", "cases"].map(|t| format!("{t}_search_{suffix}"));
    assert_eq!(
        answers().await,
        before,
        "the smaller indexes answer as the whole ones"
    );
    // The searches above read them: their scans reach the statistics when the connections
    // that ran them report (within PostgreSQL's 10 s idle interval).
    for (names, what) in [
        (
            of(&format!("p{province}")),
            "a search inside P reads P's own indexes",
        ),
        (
            of("newest10"),
            "a search over the country reads the newest records' first",
        ),
    ] {
        let mut read = 0;
        for _ in 0..60 {
            read = danvan_store::testing::scalar(store, &scans(names.clone())).await;
            if read > 0 {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(250)).await;
        }
        assert!(read > 0, "{what}");
    }
    // A commune added to P is in no index of P's: a scope holding it reads the country's
    // index, and a refresh rebuilds P's three.
    store
        .insert_unit(
            None,
            &common::new_unit(
                "P-XA2",
                danvan_domain::records::UnitKind::Commune,
                Some("P-UB"),
            ),
        )
        .await
        .expect("unit");
    let head = store
        .actor_by_username("chutich")
        .await
        .expect("ok")
        .expect("actor");
    let whole = store
        .search(
            &head,
            &danvan_store::search::SearchFilter {
                text: "hoa giai".into(),
                ..Default::default()
            },
            Page::new(1, 50),
        )
        .await
        .expect("search");
    assert!(whole.total > 0, "the head of P-UB still finds P's records");
    let rebuilt = store.refresh_search_partitions(1).await.expect("rebuild");
    assert_eq!(
        (rebuilt.built.len(), rebuilt.kept),
        (3, 9),
        "P's rebuilt, Q's and the newest kept"
    );
    assert!(
        rebuilt
            .built
            .iter()
            .all(|n| n.ends_with(&format!("_p{province}")))
    );
    let dropped = store.drop_search_partitions().await.expect("drop");
    assert_eq!(dropped.dropped.len(), 12);
    assert_eq!(
        danvan_store::testing::scalar(
            store,
            "SELECT COUNT(*) FROM pg_indexes WHERE indexname LIKE '%\\_search\\_p%'"
        )
        .await,
        0,
        "no index left behind"
    );
    assert_eq!(answers().await, before, "the country's index again");
}

/// The records counted per unit as they are written (`register_counts`) agree with the
/// registers, after the writes above (one by one and in bulk) and after a record is moved to
/// another unit and one is deleted behind the product's back; an unfiltered list's total is
/// the reader's units' records, counted independently.
async fn kept_counts(store: &Store, head: &danvan_domain::Actor) {
    use danvan_store::testing::{execute, scalar};
    // Cases are counted per status too; the other registers' status is ''.
    let drifted = |register: &str| {
        let status = if register == "cases" { "status" } else { "''" };
        format!(
            "SELECT COUNT(*) FROM (SELECT unit_id, {status} AS status, COUNT(*) AS n FROM {register} GROUP BY 1, 2) t \
             LEFT JOIN register_counts c ON c.register = '{register}' AND c.unit_id = t.unit_id AND c.status = t.status \
             WHERE c.n IS NULL OR c.n <> t.n"
        )
    };
    let check = |when: &'static str| {
        let drifted = &drifted;
        async move {
            for register in ["visits", "petitions", "cases"] {
                let records = scalar(store, &format!("SELECT COUNT(*) FROM {register}")).await;
                assert!(records > 0, "{register} has records");
                assert_eq!(
                    scalar(store, &drifted(register)).await,
                    0,
                    "{register}: a unit's kept count differs {when}"
                );
                assert_eq!(
                    scalar(
                        store,
                        &format!(
                            "SELECT CAST(SUM(n) AS BIGINT) FROM register_counts WHERE register = '{register}'"
                        )
                    )
                    .await,
                    records,
                    "{register}: the kept counts add up to its records {when}"
                );
            }
            // Per month, as the charts read them (`monthly_counts`): every group of records
            // has its count, and no count is left without records.
            for (register, groups) in [
                (
                    "visits",
                    "SELECT unit_id, SUBSTR(visit_date, 1, 7) AS month, '' AS field_code, '' AS decision, \
                     COUNT(*) AS n FROM visits WHERE refused = 0 GROUP BY 1, 2, 3, 4",
                ),
                (
                    "petitions",
                    "SELECT unit_id, SUBSTR(received_date, 1, 7) AS month, field_code, COALESCE(decision, '') AS decision, \
                     COUNT(*) AS n FROM petitions GROUP BY 1, 2, 3, 4",
                ),
            ] {
                let same = "c.unit_id = t.unit_id AND c.month = t.month AND c.field_code = t.field_code AND c.decision = t.decision";
                let differing = scalar(
                    store,
                    &format!(
                        "SELECT COUNT(*) FROM ({groups}) t LEFT JOIN monthly_counts c \
                         ON c.register = '{register}' AND {same} WHERE c.n IS NULL OR c.n <> t.n"
                    ),
                )
                .await;
                let orphaned = scalar(
                    store,
                    &format!(
                        "SELECT COUNT(*) FROM monthly_counts c WHERE c.register = '{register}' AND c.n <> 0 \
                         AND NOT EXISTS (SELECT 1 FROM ({groups}) t WHERE {same})"
                    ),
                )
                .await;
                assert_eq!(
                    (differing, orphaned),
                    (0, 0),
                    "{register}: monthly counts differing, left without records {when}"
                );
            }
        }
    };
    check("after the scenario's writes").await;

    // The cases holding several petitions, with each unit their petitions are in, as the
    // records say (kept by the writes, one by one and in bulk): one case is in two units.
    let pairs = "SELECT DISTINCT unit_id, case_id FROM petitions WHERE case_id IN \
                 (SELECT case_id FROM petitions GROUP BY case_id HAVING COUNT(*) > 1)";
    let missing = scalar(
        store,
        &format!(
            "SELECT COUNT(*) FROM ({pairs}) e WHERE NOT EXISTS \
             (SELECT 1 FROM multi_petition_cases m WHERE m.unit_id = e.unit_id AND m.case_id = e.case_id)"
        ),
    )
    .await;
    let extra = scalar(
        store,
        &format!(
            "SELECT COUNT(*) FROM multi_petition_cases m WHERE NOT EXISTS \
             (SELECT 1 FROM ({pairs}) e WHERE m.unit_id = e.unit_id AND m.case_id = e.case_id)"
        ),
    )
    .await;
    assert_eq!(
        (missing, extra),
        (0, 0),
        "multi_petition_cases: missing, extra"
    );
    assert!(
        scalar(
            store,
            "SELECT COUNT(*) FROM (SELECT case_id FROM multi_petition_cases GROUP BY case_id HAVING COUNT(*) > 1) x"
        )
        .await
            > 0,
        "a case with petitions in two units"
    );

    // Moved and deleted directly in the database: the triggers follow.
    let other_unit = scalar(
        store,
        "SELECT MAX(u.id) FROM units u WHERE u.id <> (SELECT unit_id FROM petitions ORDER BY id DESC LIMIT 1)",
    )
    .await;
    execute(
        store,
        &format!(
            "UPDATE petitions SET unit_id = {other_unit} WHERE id = (SELECT MAX(id) FROM petitions)"
        ),
    )
    .await;
    let unreferenced = scalar(
        store,
        "SELECT MAX(p.id) FROM petitions p WHERE NOT EXISTS (SELECT 1 FROM clocks x WHERE x.petition_id = p.id) \
         AND NOT EXISTS (SELECT 1 FROM petition_events x WHERE x.petition_id = p.id) \
         AND NOT EXISTS (SELECT 1 FROM transfers x WHERE x.petition_id = p.id) \
         AND NOT EXISTS (SELECT 1 FROM attachments x WHERE x.petition_id = p.id) \
         AND NOT EXISTS (SELECT 1 FROM letters x WHERE x.petition_id = p.id) \
         AND NOT EXISTS (SELECT 1 FROM protection_waivers x WHERE x.petition_id = p.id)",
    )
    .await;
    assert!(unreferenced > 0, "a petition nothing refers to");
    execute(
        store,
        &format!(
            "DELETE FROM petition_bands WHERE petition_id = {unreferenced}; \
             DELETE FROM petitions WHERE id = {unreferenced}"
        ),
    )
    .await;
    execute(
        store,
        "UPDATE cases SET status = 'closed' WHERE id = (SELECT MIN(id) FROM cases WHERE status <> 'closed')",
    )
    .await;
    // A visit refused, another moved to an earlier month, a petition decided otherwise.
    execute(
        store,
        "UPDATE visits SET refused = 1 WHERE id = (SELECT MAX(id) FROM visits WHERE refused = 0)",
    )
    .await;
    execute(
        store,
        "UPDATE visits SET visit_date = '2025-01-15' WHERE id = (SELECT MIN(id) FROM visits WHERE refused = 0)",
    )
    .await;
    execute(
        store,
        "UPDATE petitions SET decision = CASE WHEN decision = 'file' THEN 'guide' ELSE 'file' END \
         WHERE id = (SELECT MIN(id) FROM petitions)",
    )
    .await;
    check("after a petition was moved and one deleted, a case closed, visits refused and redated, a decision changed").await;

    // The charts: whole months from the counts, loose days from the records, the same as
    // counting the records, over whole months and over a cut-off period's half-months.
    let unit = store.unit_by_id(head.unit_id).await.expect("unit");
    let (_, total, _) = store.report_rows(&unit.code).await.expect("rows");
    let ids: Vec<String> = total.unit_ids.iter().map(i64::to_string).collect();
    let ids = ids.join(",");
    // Periods whose first and last whole months hold the oldest and newest petitions.
    let day = |sql: String| async move {
        let text = danvan_store::testing::texts(store, &sql).await.concat();
        NaiveDate::parse_from_str(&text, "%Y-%m-%d").expect("a date")
    };
    let oldest = day(format!(
        "SELECT MIN(received_date) FROM petitions WHERE unit_id IN ({ids})"
    ))
    .await;
    let newest = day(format!(
        "SELECT MAX(received_date) FROM petitions WHERE unit_id IN ({ids})"
    ))
    .await;
    let first = oldest.with_day(1).expect("first day");
    let last = (newest.with_day(1).expect("first day") + chrono::Months::new(1))
        .pred_opt()
        .expect("last day");
    let periods = [
        danvan_reports::Period::new(first, last).expect("whole months"),
        danvan_reports::Period::new(first - chrono::Days::new(10), last + chrono::Days::new(10))
            .expect("with loose days"),
        danvan_reports::Period::preset("2026-KY-Q1").expect("cut-off"),
        danvan_reports::Period::new(d(2026, 3, 5), d(2026, 3, 20)).expect("days"),
    ];
    for period in periods {
        let charts = store
            .chart_data(&unit.code, period, d(2026, 11, 28))
            .await
            .expect("charts");
        let (from, to) = (period.from, period.to);
        let counted = |sql: String| async move { danvan_store::testing::texts(store, &sql).await };
        let visits = counted(format!(
            "SELECT SUBSTR(visit_date, 1, 7) || ' ' || CAST(COUNT(*) AS TEXT) FROM visits WHERE unit_id IN ({ids}) \
             AND refused = 0 AND visit_date >= '{from}' AND visit_date <= '{to}' GROUP BY SUBSTR(visit_date, 1, 7) ORDER BY 1"
        ))
        .await;
        let petitions = counted(format!(
            "SELECT SUBSTR(received_date, 1, 7) || ' ' || CAST(COUNT(*) AS TEXT) FROM petitions WHERE unit_id IN ({ids}) \
             AND received_date >= '{from}' AND received_date <= '{to}' GROUP BY SUBSTR(received_date, 1, 7) ORDER BY 1"
        ))
        .await;
        let outcomes = counted(format!(
            "SELECT COALESCE(decision, 'none') || ' ' || CAST(COUNT(*) AS TEXT) FROM petitions WHERE unit_id IN ({ids}) \
             AND received_date >= '{from}' AND received_date <= '{to}' GROUP BY COALESCE(decision, 'none') ORDER BY 1"
        ))
        .await;
        let shown = |pairs: Vec<(String, i64)>| {
            let mut v: Vec<String> = pairs.into_iter().map(|(k, n)| format!("{k} {n}")).collect();
            v.sort();
            v
        };
        // A month holds both series, one of them possibly none; a field or decision whose
        // count went back to zero is not drawn at all.
        let months = |pick: fn(&(String, i64, i64)) -> i64| {
            shown(
                charts
                    .by_month
                    .iter()
                    .map(|m| (m.0.clone(), pick(m)))
                    .filter(|(_, n)| *n > 0)
                    .collect(),
            )
        };
        assert_eq!(months(|m| m.1), visits, "visits by month, {period:?}");
        assert_eq!(months(|m| m.2), petitions, "petitions by month, {period:?}");
        assert_eq!(
            shown(charts.outcomes.clone()),
            outcomes,
            "outcomes, {period:?}"
        );
        if period == periods[0] {
            assert!(
                !visits.is_empty() && !petitions.is_empty(),
                "the year holds visits and petitions"
            );
        }
    }

    // The unfiltered lists' totals, against the reader's units counted straight.
    let in_scope = |register: &str| {
        let paths: Vec<String> = head
            .scope
            .iter()
            .map(|p| format!("u.path LIKE '{p}%'"))
            .collect();
        format!(
            "SELECT COUNT(*) FROM {register} r JOIN units u ON u.id = r.unit_id WHERE ({})",
            paths.join(" OR ")
        )
    };
    let visits = store
        .list_visits(head, &VisitFilter::default(), Page::new(1, 10))
        .await
        .expect("visits");
    assert_eq!(visits.total, scalar(store, &in_scope("visits")).await);
    assert!(!visits.total_is_lower_bound);
    let petitions = store
        .list_petitions(head, &PetitionFilter::default(), Page::new(1, 10))
        .await
        .expect("petitions");
    assert_eq!(petitions.total, scalar(store, &in_scope("petitions")).await);
    assert!(
        petitions.total > 1000,
        "the bulk petitions are in the head's units"
    );
    let cases = store
        .list_cases(head, &CaseFilter::default(), Page::new(1, 10))
        .await
        .expect("cases");
    assert_eq!(cases.total, scalar(store, &in_scope("cases")).await);
    for status in ["open", "closed"] {
        let listed = store
            .list_cases(
                head,
                &CaseFilter {
                    status: Some(status.into()),
                    ..CaseFilter::default()
                },
                Page::new(1, 10),
            )
            .await
            .expect("cases by status");
        let counted = scalar(
            store,
            &format!("{} AND r.status = '{status}'", in_scope("cases")),
        )
        .await;
        assert!(counted > 0, "{status} cases in the head's units");
        assert_eq!(listed.total, counted, "{status} cases");
    }
}

/// A text found more often than the count's cap: the total stops at the cap as a lower
/// bound, whichever way the store finds the words (on PostgreSQL the common way first probes
/// the scope's newest rows for more than the cap), and the page is the newest matches.
/// `n` petitions of one case in `unit_id` on a compensation complaint ("bồi thường khi thu hồi
/// đất"), loaded in bulk, numbered `{prefix}-0`, `{prefix}-1`…
async fn bulk_petitions(store: &Store, unit_id: i64, n: i64, prefix: &str) {
    use danvan_store::bulk::{BulkCase, BulkPetition};
    let mut bulk = store.bulk().await.expect("bulk");
    let case = bulk
        .case(&BulkCase {
            unit_id,
            title: "Bồi thường khi thu hồi đất",
            petition_type: danvan_domain::records::PetitionType::Complaint,
            field_code: "DD-TC",
            status: "open",
            is_group: false,
            is_complex: false,
            opened_on: d(2026, 2, 2),
        })
        .await
        .expect("case");
    for i in 0..n {
        let arrival = format!("{prefix}-{i}");
        bulk.petition(&BulkPetition {
            unit_id,
            arrival_no: &arrival,
            received_date: d(2026, 2, 2) + chrono::Duration::days(i % 200),
            source: "post",
            sender_kind: "one",
            signer_count: 1,
            sender: None,
            subject: "",
            petition_type: danvan_domain::records::PetitionType::Complaint,
            field_code: "DD-TC",
            summary: "Khiếu nại mức bồi thường khi thu hồi đất",
            eligible: None,
            competent: None,
            decision: None,
            decision_date: None,
            target_unit_id: None,
            case: (case.0, &case.1),
            visit_id: None,
            transfer_reply: None,
            accepted_on: None,
            result_on: None,
            is_remote: false,
            outcome: None,
            execution: None,
        })
        .await
        .expect("petition");
    }
    bulk.finish("conformance").await.expect("finish");
}

async fn count_past_the_cap(store: &Store, head: &danvan_domain::Actor) {
    let unit = store
        .unit_by_code("P-TCD")
        .await
        .expect("unit")
        .expect("P-TCD");
    let matching = danvan_store::TEXT_COUNT_CAP + 5;
    bulk_petitions(store, unit.id, matching, "B").await;
    let newest: String = danvan_store::testing::texts(
        store,
        "SELECT code FROM petitions ORDER BY received_date DESC, id DESC LIMIT 1",
    )
    .await
    .remove(0);
    for s in [
        store.clone(),
        danvan_store::testing::every_word_common(store),
    ] {
        let list = s
            .list_petitions(
                head,
                &PetitionFilter {
                    text: Some("boi thuong".into()),
                    ..Default::default()
                },
                Page::new(1, 10),
            )
            .await
            .expect("list");
        assert_eq!(
            (list.total, list.total_is_lower_bound),
            (danvan_store::TEXT_COUNT_CAP, true),
            "{} matches counted to the cap",
            matching
        );
        assert_eq!(list.items.len(), 10);
        assert_eq!(list.items[0].code, newest, "the newest match first");
    }
}

/// The registers' text filters answer the same whichever way the store finds the words: on
/// PostgreSQL a rare word goes through the trigram index and a common one through the scope's
/// own rows (`every_word_common` forces the second here); SQLite reads the same indexes both
/// times. Counts, order and pages past the end agree.
async fn text_filters(store: &Store, head: &danvan_domain::Actor) {
    let both = [
        store.clone(),
        danvan_store::testing::every_word_common(store),
    ];
    let mut answers = vec![];
    for s in &both {
        let mut seen = vec![];
        for (text, page) in [
            ("hoa giai", 1),
            ("dat dai", 1),
            ("at da", 1),
            ("hoa giai", 2),
            ("khong co o dau", 1),
            ("h", 1),
        ] {
            let visits = s
                .list_visits(
                    head,
                    &VisitFilter {
                        text: Some(text.into()),
                        ..Default::default()
                    },
                    Page::new(page, 1),
                )
                .await
                .expect("visits");
            seen.push((
                text,
                page,
                visits.total,
                visits
                    .items
                    .iter()
                    .map(|r| r.code.clone())
                    .collect::<Vec<_>>(),
            ));
        }
        for text in ["to cao cong", "cong chuc", "nowhere"] {
            let petitions = s
                .list_petitions(
                    head,
                    &PetitionFilter {
                        text: Some(text.into()),
                        ..Default::default()
                    },
                    Page::new(1, 10),
                )
                .await
                .expect("petitions");
            let cases = s
                .list_cases(
                    head,
                    &CaseFilter {
                        text: Some(text.into()),
                        ..Default::default()
                    },
                    Page::new(1, 10),
                )
                .await
                .expect("cases");
            seen.push((text, 1, petitions.total, vec![]));
            seen.push((
                text,
                1,
                cases.total,
                cases.items.iter().map(|r| r.code.clone()).collect(),
            ));
        }
        answers.push(seen);
    }
    assert_eq!(answers[0], answers[1], "both ways answer the same");
    let counts: Vec<i64> = answers[0].iter().map(|a| a.2).collect();
    // hoa giai: 2 visits, one a page; "at da" is inside "dat dai"; page 2 keeps the count.
    assert_eq!(counts[..6], [2, 2, 2, 2, 0, 2], "{:?}", answers[0]);
    assert_eq!(answers[0][0].3.len(), 1);
    assert_eq!(answers[0][3].3.len(), 1);
    assert_ne!(answers[0][0].3, answers[0][3].3, "pages 1 and 2 differ");
    assert_eq!(counts[6..], [1, 1, 1, 1, 0, 0], "{:?}", answers[0]);
}

/// The coordination records on this backend: every statement of programmes, tasks,
/// dialogues, situation reports, hotspots, models, rounds and the review runs here.
async fn coordination(store: &Store, head: &danvan_domain::Actor) {
    use danvan_domain::coordination::*;
    use danvan_store::coordination::{LinkKind, ModelFilter, RoundDraft};
    let board = store
        .actor_by_username("bandv")
        .await
        .expect("ok")
        .expect("actor");
    let today = d(2026, 11, 28);
    let p = store
        .create_programme(
            &board,
            &ProgrammeDraft {
                title: "Chương trình phối hợp".into(),
                year_from: 2026,
                year_to: 2026,
                legal_basis: String::new(),
                parties: vec!["P-BDV".into(), "P-UB".into()],
                scope_unit: "P".into(),
            },
        )
        .await
        .expect("programme");
    let t = store
        .add_task(
            &board,
            p,
            &TaskDraft {
                content: "Báo cáo hằng tháng".into(),
                lead_unit: "P-UB".into(),
                cooperating: vec!["P-BDV".into()],
                starts_on: String::new(),
                due_on: "2026-09-30".into(),
                recurrence: "monthly".into(),
            },
        )
        .await
        .expect("task");
    store
        .update_task(
            head,
            t,
            &TaskUpdate {
                status: "done".into(),
                note: "Tháng 9".into(),
                noted_on: "2026-10-01".into(),
                ..Default::default()
            },
            today,
        )
        .await
        .expect("update");
    let detail = store.task(&board, t, today).await.expect("task");
    assert_eq!(
        detail.task.due_on,
        d(2026, 10, 31),
        "rolled to the next month"
    );
    assert!(detail.task.overdue);
    let (overdue, n) = store.overdue_tasks(head, today, 10).await.expect("overdue");
    assert_eq!((overdue.len(), n), (1, 1));
    let case = store
        .list_cases(head, &CaseFilter::default(), Page::new(1, 1))
        .await
        .expect("cases")
        .items[0]
        .code
        .clone();
    store
        .link_task(&board, t, LinkKind::Case, &case)
        .await
        .expect("link case");
    let e = store
        .create_engagement(
            &board,
            &EngagementDraft {
                kind: "dialogue".into(),
                unit: "P-UB".into(),
                held_on: "2026-03-20".into(),
                host: "Chủ tịch".into(),
                cases: vec![case.clone()],
                ..Default::default()
            },
            today,
        )
        .await
        .expect("engagement");
    store
        .link_task(&board, t, LinkKind::Engagement, &e.to_string())
        .await
        .expect("link engagement");
    let links = store.task(&board, t, today).await.expect("task").links;
    assert_eq!(links.len(), 2);
    assert!(
        links[1].title.starts_with("Chủ tịch — 2026-03-20"),
        "{links:?}"
    );
    let r = store
        .create_situation(
            &board,
            &SituationDraft {
                unit: "P-UB".into(),
                period_from: "2026-03-01".into(),
                period_to: "2026-03-31".into(),
                level: "complex".into(),
                topics: vec!["dat_dai".into()],
                narrative: "Tụ tập đông người".into(),
                recommendations: String::new(),
            },
        )
        .await
        .expect("situation");
    store
        .add_hotspot(
            &board,
            r,
            &HotspotDraft {
                area_unit: "P-XA".into(),
                place: "Thôn 1".into(),
                since: "2026-03-05".into(),
                people: 20,
                cases: vec![case.clone()],
                ..Default::default()
            },
            today,
        )
        .await
        .expect("hotspot");
    let o = store
        .situation_overview(&board, d(2026, 1, 1), d(2026, 6, 30), None)
        .await
        .expect("overview");
    assert_eq!(o.units.len(), 1);
    assert_eq!(o.units[0].latest, SituationLevel::Complex);
    assert_eq!(o.units[0].open_hotspots, 1);
    assert_eq!(o.trend, vec![("03/2026".to_owned(), 0, 0, 1)]);
    assert_eq!(o.hotspots[0].cases.len(), 1);
    let list = store
        .list_situations(&board, None, None, None, None, Page::new(1, 10))
        .await
        .expect("list");
    assert_eq!(list.total, 1);
    let m = store
        .register_model(
            &board,
            &ModelDraft {
                name: "Dân vận khéo trong xây dựng nông thôn mới".into(),
                unit: "P-XA".into(),
                field: "vhxh".into(),
                kind: "collective".into(),
                level: "commune".into(),
                registered_on: "2026-02-01".into(),
                period_from: 2026,
                period_to: 2026,
                ..Default::default()
            },
            today,
        )
        .await
        .expect("model");
    for stage in ["in_progress", "checked"] {
        let step = StageDraft {
            stage: stage.into(),
            on: "2026-04-01".into(),
            ..Default::default()
        };
        store
            .step_model(&board, m, &step, today)
            .await
            .expect("step");
    }
    store
        .set_model_criteria(&board, m, &[1, 3])
        .await
        .expect("criteria");
    for (stage, on, form) in [
        ("recognised", "2026-05-01", ""),
        ("commended", "2026-05-20", "Bằng khen"),
    ] {
        let n = store
            .model_round(
                &board,
                &RoundDraft {
                    stage: stage.into(),
                    decision: "1/QĐ".into(),
                    on: on.into(),
                    form: form.into(),
                    issuer: "Chủ tịch UBND tỉnh".into(),
                    models: vec![m],
                },
                today,
            )
            .await
            .expect("round");
        assert_eq!(n, 1);
    }
    let model = store.model(&board, m).await.expect("model");
    assert_eq!(model.row.stage, ModelStage::Commended);
    assert_eq!(model.criteria.iter().filter(|(_, on)| *on).count(), 2);
    let f = ModelFilter {
        year: Some(2026),
        text: Some("nong thon".into()),
        ..Default::default()
    };
    let (list, counts) = store
        .list_models(&board, &f, Page::new(1, 10))
        .await
        .expect("models");
    assert_eq!((list.items.len(), counts.total), (1, 1));
    assert_eq!(counts.by_field[1], (ModelField::Society, 1));
    let review = store
        .review(&board, p, d(2026, 1, 1), d(2026, 6, 30))
        .await
        .expect("review");
    assert_eq!(review.commended.len(), 1);
    assert_eq!(review.situation_levels, (0, 0, 1));
    assert_eq!(review.hotspots.len(), 1);
    let docx = store
        .review_docx(&board, p, d(2026, 1, 1), d(2026, 6, 30), today)
        .await
        .expect("docx");
    assert!(docx.starts_with(b"PK"));
}

/// A whole country's forms on PostgreSQL: the petitions' sums read from
/// `petition_month_cube` for whole months (from the records otherwise), the cases counted in
/// parts side by side — each form equal to its predicates evaluated in memory over the
/// records, over whole months and over loose days, before and after a petition moves, is
/// decided again, and its transfer answered.
async fn whole_country(store: Store) {
    use danvan_domain::records::{PetitionType, UnitKind};
    use danvan_store::bulk::{BulkCase, BulkPetition};
    let unit = common::new_unit;
    for u in [
        unit("N", UnitKind::National, None),
        unit("P", UnitKind::Province, Some("N")),
        unit("P-UB", UnitKind::PeoplesCommittee, Some("P")),
        unit("P-XA", UnitKind::Commune, Some("P-UB")),
        unit("Q", UnitKind::Province, Some("N")),
        unit("Q-UB", UnitKind::PeoplesCommittee, Some("Q")),
    ] {
        store.insert_unit(None, &u).await.expect("unit");
    }
    let mut ids = vec![];
    for code in ["P-UB", "P-XA", "Q-UB", "P"] {
        ids.push(
            store
                .unit_by_code(code)
                .await
                .expect("unit")
                .expect(code)
                .id,
        );
    }
    let mut bulk = store.bulk().await.expect("bulk");
    let mut cases = vec![];
    for i in 0..9 {
        cases.push(
            bulk.case(&BulkCase {
                unit_id: ids[i % ids.len()],
                title: "Tranh chấp đất đai",
                petition_type: PetitionType::Complaint,
                field_code: "DD-TC",
                status: "open",
                is_group: false,
                is_complex: false,
                opened_on: d(2025, 12, 1),
            })
            .await
            .expect("case"),
        );
    }
    // 90 petitions over December–May in three units and the province, some cases spread over
    // several rows of the report, some decided (in the period, before it, after it), some
    // transferred with a reply.
    for i in 0..90usize {
        let arrival = format!("W-{i}");
        let received = d(2025, 12, 1) + chrono::Duration::days((i as i64 * 37) % 170);
        let decided = (i % 3 != 0).then(|| received + chrono::Duration::days((i as i64 * 11) % 75));
        let transferred = i % 5 == 0 && decided.is_some();
        let case = &cases[(i * 7) % cases.len()];
        bulk.petition(&BulkPetition {
            unit_id: ids[(i * 5) % ids.len()],
            arrival_no: &arrival,
            received_date: received,
            source: "post",
            sender_kind: ["one", "many", "other"][i % 3],
            signer_count: 1,
            sender: None,
            subject: "",
            petition_type: [PetitionType::Complaint, PetitionType::Denunciation][i % 2],
            field_code: ["DD-TC", "HC-CBCC"][(i / 2) % 2],
            summary: "Khiếu nại về đất đai",
            eligible: (i % 4 != 0).then_some(i % 7 != 0),
            competent: (i % 4 != 1).then_some(i % 6 != 0),
            decision: decided.map(|_| {
                if transferred {
                    "transfer"
                } else {
                    ["accept", "guide", "file"][i % 3]
                }
            }),
            decision_date: decided,
            target_unit_id: transferred.then_some(ids[2]),
            case: (case.0, &case.1),
            visit_id: None,
            transfer_reply: transferred.then(|| {
                (
                    "replied",
                    Some(received + chrono::Duration::days(40 + (i as i64 % 50))),
                    "",
                )
            }),
            accepted_on: None,
            result_on: None,
            is_remote: false,
            outcome: None,
            execution: None,
        })
        .await
        .expect("petition");
    }
    bulk.finish("conformance").await.expect("finish");
    let everything = async |label: &str| {
        let (rows, total, _) = store.report_rows("N").await.expect("rows");
        let facts = store.report_facts(&total.unit_ids).await.expect("facts");
        for period in [
            danvan_reports::Period::new(d(2026, 1, 1), d(2026, 3, 31)).expect("months"),
            danvan_reports::Period::new(d(2026, 2, 1), d(2026, 2, 28)).expect("a month"),
            danvan_reports::Period::new(d(2026, 1, 10), d(2026, 3, 20)).expect("days"),
        ] {
            for set in danvan_reports::form_sets() {
                for form in &set.forms {
                    let report = store
                        .compute_report(&set, form, period, "N")
                        .await
                        .expect("report");
                    let differences = danvan_reports::report::differences(
                        &report, form, period, &rows, &total, &facts,
                    );
                    assert!(
                        differences.is_empty(),
                        "{label} {} {} {period:?}: SQL and memory differ: {differences:#?}",
                        set.code,
                        form.code
                    );
                }
            }
        }
    };
    everything("loaded").await;
    // The cube follows the records: a petition moved to another unit and month, one decided
    // again, a transfer answered later, one petition deleted with its transfer.
    for sql in [
        "UPDATE petitions SET unit_id = (SELECT id FROM units WHERE code = 'Q-UB'), received_date = '2026-02-14' \
         WHERE id = (SELECT MIN(id) FROM petitions)",
        "UPDATE petitions SET decision = 'accept', decision_date = '2026-03-03', eligible = 1, competent = 1 \
         WHERE id = (SELECT MIN(id) + 1 FROM petitions)",
        "UPDATE transfers SET reply_on = '2026-03-30' WHERE id = (SELECT MIN(id) FROM transfers)",
        "DELETE FROM transfers WHERE id = (SELECT MAX(id) FROM transfers)",
    ] {
        danvan_store::testing::execute(&store, sql).await;
    }
    everything("changed").await;
    if store.backend() == danvan_store::Backend::Postgres {
        let records = "SELECT unit_id, SUBSTR(received_date, 1, 7), COALESCE(SUBSTR(decision_date, 1, 7), ''), \
             COUNT(*) FROM petitions GROUP BY 1, 2, 3";
        let cube = "SELECT unit_id, SUBSTR(received_date, 1, 7), COALESCE(SUBSTR(decision_date, 1, 7), ''), \
             CAST(SUM(n) AS BIGINT) FROM petition_month_cube GROUP BY 1, 2, 3 HAVING SUM(n) <> 0";
        let drift = danvan_store::testing::scalar(
            &store,
            &format!("SELECT COUNT(*) FROM (({records} EXCEPT {cube}) UNION ALL ({cube} EXCEPT {records})) x"),
        )
        .await;
        assert_eq!(
            drift, 0,
            "the cube counts every petition by unit and months"
        );
    }
}

/// A fresh PostgreSQL database, or `None` (said on stderr) when `DANVAN_TEST_PG_URL` is not
/// set: scripts/test sets it.
async fn fresh_postgres(prefix: &str) -> Option<Store> {
    let Ok(admin) = std::env::var("DANVAN_TEST_PG_URL") else {
        eprintln!("DANVAN_TEST_PG_URL not set: PostgreSQL conformance runs in scripts/test");
        return None;
    };
    let name = format!(
        "{prefix}_{}_{}",
        std::process::id(),
        chrono::Utc::now().timestamp_micros()
    );
    let url = danvan_store::testing::create_pg_database(&admin, &name)
        .await
        .expect("create database");
    Some(Store::open(&url).await.expect("open postgres"))
}

#[tokio::test]
async fn whole_country_on_postgresql() {
    if let Some(store) = fresh_postgres("danvan_country").await {
        whole_country(store).await;
    }
}

#[tokio::test]
async fn whole_country_on_sqlite() {
    let (store, _) = common::fresh_store().await;
    whole_country(store).await;
}

#[tokio::test]
async fn conformance_on_sqlite() {
    let (store, _) = common::fresh_store().await;
    scenario(store).await;
}

#[tokio::test]
async fn conformance_on_postgresql() {
    if let Some(store) = fresh_postgres("danvan_conf").await {
        scenario(store).await;
    }
}
