//! The demo dataset: the province of the seed article, Bình Thuận, with its 2022 units, and
//! since 1/7/2025 the units of Lâm Đồng that succeeded them. The visits and petitions of
//! 1/1–14/6/2022 reproduce the article's figures exactly — 2.002 lượt/1.993 vụ việc, 4 đoàn
//! đông người/72 người, 2.384 đơn, led by the three land fields — and ongoing activity runs to
//! today so that every page has something to show. Deterministic: the same data every time.

use crate::vn;
use anyhow::Context;
use chrono::{Datelike, Duration, NaiveDate, Weekday};
use danvan_domain::Role;
use danvan_domain::records::{PetitionType, UnitKind};
use danvan_store::bulk::{Bulk, BulkCase, BulkPerson, BulkPetition, BulkVisit};
use danvan_store::{NewUnit, NewUser, Store};
use rand::rngs::StdRng;
use rand::seq::SliceRandom;
use rand::{Rng, SeedableRng};
use std::collections::HashMap;

pub const DEMO_PASSWORD: &str = "danvan-demo-2026";

/// (code, name, kind, parent, area code, valid from, valid to, successor)
type UnitSpec = (
    &'static str,
    &'static str,
    UnitKind,
    Option<&'static str>,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
    Option<&'static str>,
);

pub const UNITS: &[UnitSpec] = &[
    (
        "BT",
        "Tỉnh Bình Thuận",
        UnitKind::Province,
        None,
        "60",
        None,
        Some("2025-06-30"),
        Some("LD"),
    ),
    (
        "BT-TU-BDV",
        "Ban Dân vận Tỉnh ủy Bình Thuận",
        UnitKind::PartyBoard,
        Some("BT"),
        "60",
        None,
        Some("2025-06-30"),
        Some("LD-TU-BTGDV"),
    ),
    (
        "BT-UBND",
        "UBND tỉnh Bình Thuận",
        UnitKind::PeoplesCommittee,
        Some("BT"),
        "60",
        None,
        Some("2025-06-30"),
        Some("LD-UBND"),
    ),
    (
        "BT-BTCD",
        "Ban Tiếp công dân tỉnh Bình Thuận",
        UnitKind::ReceptionOffice,
        Some("BT-UBND"),
        "60",
        None,
        Some("2025-06-30"),
        Some("LD-BTCD"),
    ),
    (
        "BT-TTR",
        "Thanh tra tỉnh Bình Thuận",
        UnitKind::Inspectorate,
        Some("BT-UBND"),
        "60",
        None,
        Some("2025-06-30"),
        Some("LD-TTR"),
    ),
    (
        "BT-STNMT",
        "Sở Tài nguyên và Môi trường tỉnh Bình Thuận",
        UnitKind::Department,
        Some("BT-UBND"),
        "60",
        None,
        Some("2025-06-30"),
        Some("LD-SNNMT"),
    ),
    (
        "BT-PT",
        "UBND thành phố Phan Thiết",
        UnitKind::District,
        Some("BT-UBND"),
        "593",
        None,
        Some("2025-06-30"),
        Some("LD-PHANTHIET"),
    ),
    (
        "BT-PT-PHUTHUY",
        "UBND phường Phú Thủy",
        UnitKind::Commune,
        Some("BT-PT"),
        "22924",
        None,
        Some("2025-06-30"),
        Some("LD-PHANTHIET"),
    ),
    (
        "BT-PQ",
        "UBND huyện Phú Quý",
        UnitKind::District,
        Some("BT-UBND"),
        "602",
        None,
        Some("2025-06-30"),
        Some("LD-PHUQUY"),
    ),
    (
        "BT-PQ-TAMTHANH",
        "UBND xã Tam Thanh",
        UnitKind::Commune,
        Some("BT-PQ"),
        "23278",
        None,
        Some("2025-06-30"),
        Some("LD-PHUQUY"),
    ),
    (
        "LD",
        "Tỉnh Lâm Đồng",
        UnitKind::Province,
        None,
        "68",
        Some("2025-07-01"),
        None,
        None,
    ),
    (
        "LD-TU-BTGDV",
        "Ban Tuyên giáo và Dân vận Tỉnh ủy Lâm Đồng",
        UnitKind::PartyBoard,
        Some("LD"),
        "68",
        Some("2025-07-01"),
        None,
        None,
    ),
    (
        "LD-UBND",
        "UBND tỉnh Lâm Đồng",
        UnitKind::PeoplesCommittee,
        Some("LD"),
        "68",
        Some("2025-07-01"),
        None,
        None,
    ),
    (
        "LD-BTCD",
        "Ban Tiếp công dân tỉnh Lâm Đồng",
        UnitKind::ReceptionOffice,
        Some("LD-UBND"),
        "68",
        Some("2025-07-01"),
        None,
        None,
    ),
    (
        "LD-TTR",
        "Thanh tra tỉnh Lâm Đồng",
        UnitKind::Inspectorate,
        Some("LD-UBND"),
        "68",
        Some("2025-07-01"),
        None,
        None,
    ),
    (
        "LD-SNNMT",
        "Sở Nông nghiệp và Môi trường tỉnh Lâm Đồng",
        UnitKind::Department,
        Some("LD-UBND"),
        "68",
        Some("2025-07-01"),
        None,
        None,
    ),
    (
        "LD-PHANTHIET",
        "UBND phường Phan Thiết",
        UnitKind::Commune,
        Some("LD-UBND"),
        "22945",
        Some("2025-07-01"),
        None,
        None,
    ),
    (
        "LD-PHUQUY",
        "UBND đặc khu Phú Quý",
        UnitKind::Commune,
        Some("LD-UBND"),
        "23272",
        Some("2025-07-01"),
        None,
        None,
    ),
];

/// (username, full name, unit, role)
pub const USERS: &[(&str, &str, &str, Role)] = &[
    ("admin", "Quản trị hệ thống", "LD", Role::Admin),
    (
        "tiepdan",
        "Trần Thị Thu Hà",
        "LD-BTCD",
        Role::ReceptionOfficer,
    ),
    ("xulydon", "Lê Văn Phong", "LD-UBND", Role::PetitionHandler),
    ("chutich", "Phạm Minh Tuấn", "LD-UBND", Role::Head),
    ("phochutich", "Nguyễn Hữu Long", "LD-UBND", Role::Deputy),
    ("bandanvan", "Võ Thị Mai", "LD-TU-BTGDV", Role::Board),
    ("thanhtra", "Đặng Quang Sơn", "LD-TTR", Role::Viewer),
    (
        "phuquy",
        "Huỳnh Văn Nam",
        "LD-PHUQUY",
        Role::PetitionHandler,
    ),
];

/// Fields of the 2.384 petitions of H1 2022: the three land fields lead, as in the article.
const H1_2022_FIELDS: &[(&str, usize)] = &[
    ("DD-TC", 720),
    ("DD-TH", 540),
    ("DD-GCN", 410),
    ("HC-CS", 200),
    ("DD-NHA", 150),
    ("HC-CBCC", 120),
    ("TP", 90),
    ("KHAC", 70),
    ("TN", 50),
    ("DANG", 34),
];
const H1_VISITS: usize = 2002;
const H1_CASES: usize = 1993;
const H1_GROUPS: [i64; 4] = [15, 17, 18, 22];
const H1_PETITIONS_AT_VISITS: usize = 1100;

pub struct Demo {
    pub users: Vec<(String, String, String)>,
    pub rows: u64,
}

struct Ctx {
    rng: StdRng,
    units: HashMap<&'static str, i64>,
    users: HashMap<&'static str, i64>,
}

/// Places (commune name, district, province, area code) for people of each era.
const BT_PLACES: &[(&str, &str, &str, &str)] = &[
    (
        "phường Phú Thủy",
        "thành phố Phan Thiết",
        "tỉnh Bình Thuận",
        "22924",
    ),
    (
        "phường Mũi Né",
        "thành phố Phan Thiết",
        "tỉnh Bình Thuận",
        "22915",
    ),
    (
        "phường Đức Long",
        "thành phố Phan Thiết",
        "tỉnh Bình Thuận",
        "22954",
    ),
    (
        "xã Tiến Lợi",
        "thành phố Phan Thiết",
        "tỉnh Bình Thuận",
        "22963",
    ),
    ("xã Tam Thanh", "huyện Phú Quý", "tỉnh Bình Thuận", "23278"),
    ("xã Ngũ Phụng", "huyện Phú Quý", "tỉnh Bình Thuận", "23272"),
    ("xã Long Hải", "huyện Phú Quý", "tỉnh Bình Thuận", "23275"),
];
const LD_PLACES: &[(&str, &str, &str, &str)] = &[
    ("phường Phan Thiết", "", "tỉnh Lâm Đồng", "22945"),
    ("đặc khu Phú Quý", "", "tỉnh Lâm Đồng", "23272"),
];

fn day(s: &str) -> NaiveDate {
    // Only called on literals of this file.
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap_or(NaiveDate::MIN)
}

fn working_days(from: NaiveDate, to: NaiveDate) -> Vec<NaiveDate> {
    let tet_2022 = (day("2022-01-29"), day("2022-02-06"));
    from.iter_days()
        .take_while(|d| *d <= to)
        .filter(|d| !matches!(d.weekday(), Weekday::Sat | Weekday::Sun))
        .filter(|d| !(*d >= tet_2022.0 && *d <= tet_2022.1))
        .collect()
}

impl Ctx {
    fn unit(&self, code: &str) -> i64 {
        self.units.get(code).copied().unwrap_or(0)
    }

    async fn new_person(
        &mut self,
        bulk: &mut Bulk,
        places: &[(&str, &str, &str, &str)],
        province: u32,
    ) -> anyhow::Result<(i64, String)> {
        let rng = &mut self.rng;
        let name = vn::person_name(rng);
        let place = places.choose(rng).copied().unwrap_or(places[0]);
        let birth: i32 = rng.gen_range(1950..2002);
        let id = rng
            .gen_bool(0.9)
            .then(|| vn::cccd(rng, province, birth, name.contains(" Thị ")));
        let phone = rng.gen_bool(0.7).then(|| vn::phone(rng));
        let address = vn::address(rng, place.0, place.1, place.2);
        let pid = bulk
            .person(&BulkPerson {
                full_name: &name,
                id_number: id.as_deref(),
                birth_year: Some(birth),
                address: &address,
                area_code: Some(place.3),
                phone: phone.as_deref(),
            })
            .await?;
        Ok((pid, name))
    }
}

pub async fn load(
    store: &Store,
    today: NaiveDate,
    blobs: &std::path::Path,
) -> anyhow::Result<Demo> {
    anyhow::ensure!(store.is_empty().await?, "cơ sở dữ liệu đã có dữ liệu");
    let mut ctx = Ctx {
        rng: StdRng::seed_from_u64(2022),
        units: HashMap::new(),
        users: HashMap::new(),
    };
    for (code, name, kind, parent, area, from, to, _) in UNITS {
        let row = store
            .insert_unit(
                None,
                &NewUnit {
                    code: (*code).into(),
                    name: (*name).into(),
                    kind: *kind,
                    parent_code: parent.map(Into::into),
                    area_code: Some((*area).into()),
                    valid_from: from.map(Into::into),
                    valid_to: to.map(Into::into),
                },
            )
            .await?;
        ctx.units.insert(code, row.id);
    }
    for (code, .., successor) in UNITS {
        if let Some(s) = successor {
            store.set_successor(None, code, s).await?;
        }
    }
    let mut users = vec![];
    for (username, full_name, unit, role) in USERS {
        let id = store
            .create_user(
                None,
                &NewUser {
                    username: (*username).into(),
                    full_name: (*full_name).into(),
                    unit_code: (*unit).into(),
                    role: *role,
                    password: DEMO_PASSWORD.into(),
                },
            )
            .await
            .with_context(|| format!("tạo người dùng {username}"))?;
        ctx.users.insert(username, id);
        users.push((
            (*username).to_owned(),
            role.label().to_owned(),
            (*unit).to_owned(),
        ));
    }
    let mut bulk = store.bulk().await?;
    seed_half_year(&mut ctx, &mut bulk).await?;
    ongoing(&mut ctx, &mut bulk, today).await?;
    management(&ctx, &mut bulk, today).await?;
    let rows = bulk.finish("demo").await?;
    store.compute_all_clocks().await?;
    let typed = typed_as_officials_type(store, today).await?;
    let coordination = crate::demo_coordination::load(store, today, blobs).await?;
    Ok(Demo {
        users,
        rows: rows + typed + coordination,
    })
}

/// Records entered through the registers as officials type them, for search to find however
/// it is asked: a name typed in NFD (decomposed, as some keyboards send it) and the old tone
/// placement "hoà" — found by `Nguyen Van A`, `dat dai`, `hòa giải` and `Phu Qui`.
async fn typed_as_officials_type(store: &Store, today: NaiveDate) -> anyhow::Result<u64> {
    use unicode_normalization::UnicodeNormalization;
    let actor = store
        .actor_by_username("xulydon")
        .await?
        .context("tài khoản xulydon")?;
    let fields = store.fields().await?;
    let exists = |c: &str| fields.iter().any(|f| f.code == c);
    let received = (today - chrono::Duration::days(20))
        .format("%d/%m/%Y")
        .to_string();
    let draft = danvan_domain::records::PetitionDraft {
        received_date: received,
        source: "post".into(),
        sender_kind: "one".into(),
        sender: danvan_domain::records::PersonDraft {
            full_name: "Nguyễn Văn A".nfd().collect(),
            address: "đặc khu Phú Quý, tỉnh Lâm Đồng".into(),
            ..Default::default()
        },
        petition_type: "KNPA".into(),
        field_code: "DD-TC".into(),
        summary: "Đề nghị hoà giải tranh chấp ranh giới đất đai với hộ liền kề tại đặc khu Phú Quý"
            .nfd()
            .collect(),
        ..Default::default()
    };
    let input = draft
        .check(today, &exists)
        .map_err(|e| anyhow::anyhow!("{:?}", e.0))?;
    store.create_petition(&actor, "LD-UBND", &input).await?;
    Ok(1)
}

fn pick_weighted<'a>(rng: &mut impl Rng, items: &'a [(&'a str, usize)]) -> &'a str {
    let total: usize = items.iter().map(|i| i.1).sum();
    let mut x = rng.gen_range(0..total.max(1));
    for (code, w) in items {
        if x < *w {
            return code;
        }
        x -= w;
    }
    items[0].0
}

/// (visit id, case, unit, date, field, type, person) of a first-time visit.
type FirstVisit<'a> = (
    i64,
    (i64, String),
    &'a str,
    NaiveDate,
    String,
    PetitionType,
    (i64, String),
);

/// A settled case's outcome, spread deterministically (not from the seeded generator, so the
/// article's figures stay as they are): mostly wrong or partly right complaints, some right,
/// a few withdrawn; money and land to recover and people whose rights were restored now and then.
fn settlement_outcome(i: usize) -> (&'static str, i64, i64, i64) {
    let kind = [
        "wrong",
        "partly_right",
        "wrong",
        "right",
        "partly_right",
        "withdrawn",
        "wrong",
    ][i % 7];
    let money = if kind == "right" || kind == "partly_right" {
        5_000_000 * (1 + (i as i64 % 9))
    } else {
        0
    };
    let land = if i.is_multiple_of(11) {
        40 + (i as i64 % 200)
    } else {
        0
    };
    let people = if kind == "right" {
        1 + (i as i64 % 3)
    } else {
        0
    };
    (kind, money, land, people)
}

/// 1/1–14/6/2022: exactly the article's figures.
async fn seed_half_year(ctx: &mut Ctx, bulk: &mut Bulk) -> anyhow::Result<()> {
    let days = working_days(day("2022-01-04"), day("2022-06-14"));
    let mut petition_fields: Vec<&str> = H1_2022_FIELDS
        .iter()
        .flat_map(|(f, n)| std::iter::repeat_n(*f, *n))
        .collect();
    petition_fields.shuffle(&mut ctx.rng);
    let visit_units: &[(&str, usize)] = &[
        ("BT-BTCD", 60),
        ("BT-PT", 12),
        ("BT-PT-PHUTHUY", 8),
        ("BT-STNMT", 8),
        ("BT-PQ", 6),
        ("BT-PQ-TAMTHANH", 6),
    ];
    let group_slots: Vec<usize> = vec![150, 600, 1100, 1700];
    // (visit id, case, unit, date, field, type, person) of the first-time visits.
    let mut first_visits: Vec<FirstVisit> = vec![];
    for i in 0..H1_CASES {
        let date = days[i * days.len() / H1_CASES];
        let group = group_slots.iter().position(|s| *s == i);
        let unit = if group.is_some() {
            "BT-BTCD"
        } else {
            pick_weighted(&mut ctx.rng, visit_units)
        };
        let field = if i < H1_PETITIONS_AT_VISITS {
            petition_fields[i].to_owned()
        } else {
            pick_weighted(&mut ctx.rng, H1_2022_FIELDS).to_owned()
        };
        let place = BT_PLACES
            .choose(&mut ctx.rng)
            .copied()
            .unwrap_or(BT_PLACES[0]);
        let (ptype, text) = vn::content(&mut ctx.rng, &field, place.0);
        let person = ctx.new_person(bulk, BT_PLACES, 60).await?;
        let kind = match ctx.rng.gen_range(0..100) {
            0..90 => "regular",
            90..96 => "periodic",
            96..99 => "adhoc",
            _ => "authorised",
        };
        let receiver = if kind == "periodic" || kind == "adhoc" {
            "Chủ tịch UBND tỉnh"
        } else {
            "Cán bộ Ban Tiếp công dân"
        };
        let (headcount, reps, content) = match group {
            Some(g) => (
                H1_GROUPS[g],
                2,
                format!("Đoàn {} công dân: {}", H1_GROUPS[g], text.to_lowercase()),
            ),
            None => (1, 0, text.clone()),
        };
        let case = bulk
            .case(&BulkCase {
                unit_id: ctx.unit(unit),
                title: &content,
                petition_type: ptype,
                field_code: &field,
                status: "closed",
                is_group: group.is_some(),
                is_complex: group.is_some(),
                opened_on: date,
            })
            .await?;
        let handling = ["accept", "guide", "explain", "transfer"]
            .choose(&mut ctx.rng)
            .copied()
            .unwrap_or("accept");
        let people = [(person.0, person.1.as_str())];
        let (vid, _) = bulk
            .visit(&BulkVisit {
                unit_id: ctx.unit(unit),
                date,
                time: "08:30",
                place: "Trụ sở tiếp công dân",
                kind,
                mode: "in_person",
                receiver_name: receiver,
                is_group: group.is_some(),
                headcount,
                representatives: reps,
                content: &content,
                petition_type: ptype,
                field_code: &field,
                case: (case.0, &case.1),
                first_time: true,
                documents: "Đơn và bản sao giấy tờ kèm theo",
                handling,
                people: &people,
            })
            .await?;
        first_visits.push((vid, case, unit, date, field, ptype, person));
    }
    // Nine repeat visits on cases already opened: 2.002 lượt, 1.993 vụ việc.
    for k in 0..(H1_VISITS - H1_CASES) {
        let (_, case, unit, date, field, ptype, person) = first_visits[100 + k * 150].clone();
        let later = days
            .iter()
            .copied()
            .find(|d| *d > date + Duration::days(20))
            .unwrap_or(date);
        let people = [(person.0, person.1.as_str())];
        bulk.visit(&BulkVisit {
            unit_id: ctx.unit(unit),
            date: later,
            time: "14:00",
            place: "Trụ sở tiếp công dân",
            kind: "regular",
            mode: "in_person",
            receiver_name: "Cán bộ Ban Tiếp công dân",
            is_group: false,
            headcount: 1,
            representatives: 0,
            content: "Công dân đến lần hai đề nghị trả lời kết quả giải quyết",
            petition_type: ptype,
            field_code: &field,
            case: (case.0, &case.1),
            first_time: false,
            documents: "",
            handling: "explain",
            people: &people,
        })
        .await?;
    }
    // 2.384 petitions: 1.100 handed in at those visits, the rest by post and forwarding.
    let transfer_targets = ["BT-PT", "BT-PQ", "BT-STNMT", "BT-PQ-TAMTHANH"];
    let petition_units: &[(&str, usize)] = &[
        ("BT-UBND", 30),
        ("BT-BTCD", 30),
        ("BT-STNMT", 15),
        ("BT-PT", 12),
        ("BT-PQ", 8),
        ("BT-TTR", 5),
    ];
    for (i, field) in petition_fields.iter().enumerate() {
        let at_visit = first_visits
            .get(i)
            .filter(|_| i < H1_PETITIONS_AT_VISITS)
            .cloned();
        let (unit, date, case, visit_id, sender, ptype, summary) = match at_visit {
            Some((vid, case, unit, date, f, ptype, person)) => {
                let place = BT_PLACES
                    .choose(&mut ctx.rng)
                    .copied()
                    .unwrap_or(BT_PLACES[0]);
                let (_, text) = vn::content(&mut ctx.rng, &f, place.0);
                (unit, date, case, Some(vid), Some(person), ptype, text)
            }
            None => {
                let unit = pick_weighted(&mut ctx.rng, petition_units);
                let date = days[ctx.rng.gen_range(0..days.len())];
                let place = BT_PLACES
                    .choose(&mut ctx.rng)
                    .copied()
                    .unwrap_or(BT_PLACES[0]);
                let (ptype, text) = vn::content(&mut ctx.rng, field, place.0);
                let case = bulk
                    .case(&BulkCase {
                        unit_id: ctx.unit(unit),
                        title: &text,
                        petition_type: ptype,
                        field_code: field,
                        status: "closed",
                        is_group: false,
                        is_complex: false,
                        opened_on: date,
                    })
                    .await?;
                let sender = if ctx.rng.gen_bool(0.04) {
                    None
                } else {
                    Some(ctx.new_person(bulk, BT_PLACES, 60).await?)
                };
                (unit, date, case, None, sender, ptype, text)
            }
        };
        let (sender_kind, signers) = match &sender {
            None => ("anonymous", 0),
            Some(_) if ctx.rng.gen_bool(0.08) => ("many", ctx.rng.gen_range(3..30)),
            Some(_) => ("one", 1),
        };
        let source = if visit_id.is_some() {
            "reception"
        } else {
            [
                "post",
                "post",
                "post",
                "deputy",
                "front",
                "press",
                "other_body",
                "leader",
                "online",
            ]
            .choose(&mut ctx.rng)
            .copied()
            .unwrap_or("post")
        };
        let decision = match ctx.rng.gen_range(0..100) {
            0..35 => "accept",
            35..60 => "transfer",
            60..85 => "guide",
            85..95 => "file",
            _ => "return",
        };
        let decision_date = date + Duration::days(ctx.rng.gen_range(2..9));
        let pick = transfer_targets
            .choose(&mut ctx.rng)
            .copied()
            .unwrap_or("BT-PT");
        let target = (decision == "transfer" && pick != unit).then(|| ctx.unit(pick));
        let decision = if decision == "transfer" && target.is_none() {
            "guide"
        } else {
            decision
        };
        let arrival = format!("{}/2022", i + 1);
        bulk.petition(&BulkPetition {
            unit_id: ctx.unit(unit),
            arrival_no: &arrival,
            received_date: date,
            source,
            sender_kind,
            signer_count: signers,
            sender: sender.as_ref().map(|s| (s.0, s.1.as_str())),
            subject: if ptype == PetitionType::Denunciation {
                "Cán bộ, công chức cấp xã"
            } else {
                ""
            },
            petition_type: ptype,
            field_code: field,
            summary: &summary,
            eligible: Some(decision != "file"),
            competent: Some(decision == "accept"),
            decision: Some(decision),
            decision_date: Some(decision_date),
            target_unit_id: target,
            case: (case.0, &case.1),
            visit_id,
            transfer_reply: target.map(|_| {
                (
                    "accepted",
                    Some(decision_date + Duration::days(12)),
                    "Đã thụ lý giải quyết",
                )
            }),
            // Settled 15–40 days after acceptance (a deterministic spread, not drawn from the
            // seeded generator, so the article's figures stay as they are): a few came late.
            accepted_on: None,
            result_on: (decision == "accept")
                .then(|| decision_date + Duration::days(15 + (i as i64 * 7919) % 19)),
            is_remote: false,
            outcome: (decision == "accept").then(|| settlement_outcome(i)),
            // Most decisions executed about a month later, some partly, a few still pending.
            execution: (decision == "accept" && i % 5 != 0).then(|| {
                (
                    if i % 4 == 0 { "partial" } else { "done" },
                    decision_date + Duration::days(40 + (i as i64 % 30)),
                )
            }),
        })
        .await?;
    }
    // The chairman's monthly reception days of 2022.
    for m in 1..=12 {
        let first = NaiveDate::from_ymd_opt(2022, m, 15).unwrap_or(NaiveDate::MIN);
        bulk.schedule(
            ctx.unit("BT-UBND"),
            "Chủ tịch UBND tỉnh Bình Thuận",
            first,
            Some(true),
        )
        .await?;
    }
    Ok(())
}

/// The state-management work of form 06/QLKNTC: each quarter since 2022 the provincial
/// inspectorate inspects how districts (communes, after 1/7/2025) apply the law on reception,
/// complaints and denunciations, the province holds a dissemination session, and the People's
/// Committee issues a directing document — until today.
async fn management(ctx: &Ctx, bulk: &mut Bulk, today: NaiveDate) -> anyhow::Result<()> {
    use danvan_domain::management::ActivityDraft;
    let reorganised = day("2025-07-01");
    let mut quarter = day("2022-01-01");
    let mut i: i64 = 0;
    while quarter <= today {
        let (inspectorate, committee, place) = if quarter < reorganised {
            ("BT-TTR", "BT-UBND", "Bình Thuận")
        } else {
            ("LD-TTR", "LD-UBND", "Lâm Đồng")
        };
        let on = |days: i64| (quarter + Duration::days(days)).min(today);
        let activities = [
            (
                inspectorate,
                ActivityDraft {
                    kind: "inspection".into(),
                    activity_date: on(40).to_string(),
                    title: format!(
                        "Thanh tra trách nhiệm thực hiện pháp luật về tiếp công dân, giải quyết khiếu nại, tố cáo (đợt {})",
                        i + 1
                    ),
                    units_covered: (2 + i % 3).to_string(),
                    units_in_breach: (i % 2).to_string(),
                    people_recommended: (i % 3).to_string(),
                    ..ActivityDraft::default()
                },
            ),
            (
                committee,
                ActivityDraft {
                    kind: "dissemination".into(),
                    activity_date: on(55).to_string(),
                    title: format!(
                        "Tập huấn Luật Khiếu nại, Luật Tố cáo cho cán bộ tiếp công dân tỉnh {place}"
                    ),
                    participants: (80 + 15 * (i % 4)).to_string(),
                    ..ActivityDraft::default()
                },
            ),
            (
                committee,
                ActivityDraft {
                    kind: "document".into(),
                    activity_date: on(20).to_string(),
                    title:
                        "Chỉ thị tăng cường công tác tiếp công dân, giải quyết khiếu nại, tố cáo"
                            .into(),
                    ..ActivityDraft::default()
                },
            ),
        ];
        for (unit, mut draft) in activities {
            draft.unit = unit.into();
            bulk.activity(ctx.unit(unit), &draft, today).await?;
        }
        i += 1;
        quarter = quarter
            .checked_add_months(chrono::Months::new(3))
            .unwrap_or(today + Duration::days(1));
    }
    Ok(())
}

/// 1/7/2022 to today: steady activity; after 1/7/2025 under the Lâm Đồng units. The last weeks
/// leave cases open, petitions waiting for a decision and transfers waiting in inboxes.
async fn ongoing(ctx: &mut Ctx, bulk: &mut Bulk, today: NaiveDate) -> anyhow::Result<()> {
    let reorganised = day("2025-07-01");
    let days = working_days(day("2022-07-01"), today);
    let fields: &[(&str, usize)] = &[
        ("DD-TC", 30),
        ("DD-TH", 22),
        ("DD-GCN", 18),
        ("HC-CS", 10),
        ("DD-NHA", 6),
        ("HC-CBCC", 5),
        ("TP", 3),
        ("KHAC", 3),
        ("TN", 2),
        ("DANG", 1),
    ];
    let recent = today - Duration::days(45);
    for (n, date) in days.iter().copied().enumerate() {
        if n % 3 != 0 {
            continue; // about 7 working days a month carry records
        }
        let new_era = date >= reorganised;
        let places = if new_era { LD_PLACES } else { BT_PLACES };
        let province = if new_era { 68 } else { 60 };
        let (reception, committee, targets): (&str, &str, [&str; 2]) = if new_era {
            ("LD-BTCD", "LD-UBND", ["LD-PHUQUY", "LD-PHANTHIET"])
        } else {
            ("BT-BTCD", "BT-UBND", ["BT-PQ", "BT-PT"])
        };
        let is_recent = date >= recent;
        for k in 0..3 {
            let field = pick_weighted(&mut ctx.rng, fields).to_owned();
            let place = places.choose(&mut ctx.rng).copied().unwrap_or(places[0]);
            let (ptype, text) = vn::content(&mut ctx.rng, &field, place.0);
            let person = ctx.new_person(bulk, places, province).await?;
            let status = if is_recent {
                "open"
            } else if ctx.rng.gen_bool(0.1) {
                "settling"
            } else {
                "closed"
            };
            let unit = if k == 2 { committee } else { reception };
            let case = bulk
                .case(&BulkCase {
                    unit_id: ctx.unit(unit),
                    title: &text,
                    petition_type: ptype,
                    field_code: &field,
                    status,
                    is_group: false,
                    is_complex: false,
                    opened_on: date,
                })
                .await?;
            if ctx.rng.gen_bool(0.6) {
                let online = date >= day("2026-07-01") && ctx.rng.gen_bool(0.2);
                let people = [(person.0, person.1.as_str())];
                bulk.visit(&BulkVisit {
                    unit_id: ctx.unit(reception),
                    date,
                    time: "09:00",
                    place: if online {
                        "Điểm cầu trực tuyến"
                    } else {
                        "Trụ sở tiếp công dân"
                    },
                    kind: "regular",
                    mode: if online { "online" } else { "in_person" },
                    receiver_name: "Cán bộ Ban Tiếp công dân",
                    is_group: false,
                    headcount: 1,
                    representatives: 0,
                    content: &text,
                    petition_type: ptype,
                    field_code: &field,
                    case: (case.0, &case.1),
                    first_time: true,
                    documents: "Đơn",
                    handling: "accept",
                    people: &people,
                })
                .await?;
            }
            let decision = if is_recent && k == 0 {
                None
            } else if k == 1 {
                Some("transfer")
            } else {
                Some("accept")
            };
            let target = (decision == Some("transfer")).then(|| ctx.unit(targets[n % 2]));
            let reply = target.map(|_| {
                if is_recent {
                    ("pending", None, "")
                } else {
                    (
                        "accepted",
                        Some(date + Duration::days(10)),
                        "Đã thụ lý giải quyết",
                    )
                }
            });
            let arrival = format!("{}/{}", n * 3 + k + 1, date.year());
            let petition = bulk
                .petition(&BulkPetition {
                    unit_id: ctx.unit(committee),
                    arrival_no: &arrival,
                    received_date: date,
                    source: "post",
                    sender_kind: "one",
                    signer_count: 1,
                    sender: Some((person.0, &person.1)),
                    subject: if ptype == PetitionType::Denunciation {
                        "Cán bộ địa chính cấp xã"
                    } else {
                        ""
                    },
                    petition_type: ptype,
                    field_code: &field,
                    summary: &text,
                    eligible: decision.map(|_| true),
                    competent: decision.map(|d| d == "accept"),
                    decision,
                    decision_date: decision
                        .map(|_| date + Duration::days(3))
                        .filter(|d| *d <= today),
                    target_unit_id: target,
                    case: (case.0, &case.1),
                    visit_id: None,
                    transfer_reply: reply,
                    accepted_on: None,
                    // Closed cases were settled; the rest still run, and those accepted more than a
                    // month ago without a result are overdue — as on a real desk.
                    result_on: (decision == Some("accept") && status == "closed")
                        .then(|| date + Duration::days(3 + 20 + (n as i64 * 31) % 20))
                        .filter(|d| *d <= today),
                    is_remote: false,
                    outcome: (decision == Some("accept") && status == "closed")
                        .then(|| settlement_outcome(n * 3 + k)),
                    execution: None,
                })
                .await?;
            if decision == Some("accept")
                && status != "closed"
                && ptype == PetitionType::Denunciation
            {
                // A denunciation being settled: extended once by decision of the chairman.
                let on = date + Duration::days(28);
                if on <= today {
                    let number = format!("Quyết định số {}/QĐ-UBND", 100 + n);
                    bulk.petition_event(petition.0, "extend", on, &number)
                        .await?;
                }
            }
            if is_recent && k == 2 {
                let handler = ctx.users.get("xulydon").copied().unwrap_or(0);
                if new_era && handler > 0 {
                    bulk.assign(case.0, handler).await?;
                }
            }
        }
    }
    // A group visit in the new era, so that the current period has one.
    let date = days.iter().rev().nth(8).copied().unwrap_or(today);
    if date >= reorganised {
        let person = ctx.new_person(bulk, LD_PLACES, 68).await?;
        let text = "Đoàn 12 công dân đặc khu Phú Quý khiếu nại phương án bồi thường, hỗ trợ khi thu hồi đất mở rộng cảng";
        let case = bulk
            .case(&BulkCase {
                unit_id: ctx.unit("LD-UBND"),
                title: text,
                petition_type: PetitionType::Complaint,
                field_code: "DD-TH",
                status: "open",
                is_group: true,
                is_complex: true,
                opened_on: date,
            })
            .await?;
        let people = [(person.0, person.1.as_str())];
        bulk.visit(&BulkVisit {
            unit_id: ctx.unit("LD-BTCD"),
            date,
            time: "08:00",
            place: "Trụ sở tiếp công dân tỉnh",
            kind: "adhoc",
            mode: "in_person",
            receiver_name: "Chủ tịch UBND tỉnh Lâm Đồng",
            is_group: true,
            headcount: 12,
            representatives: 2,
            content: text,
            petition_type: PetitionType::Complaint,
            field_code: "DD-TH",
            case: (case.0, &case.1),
            first_time: true,
            documents: "Đơn có chữ ký của 12 công dân",
            handling: "accept",
            people: &people,
        })
        .await?;
    }
    let mut month = day("2025-07-15");
    while month <= today + Duration::days(60) {
        bulk.schedule(
            ctx.unit("LD-UBND"),
            "Chủ tịch UBND tỉnh Lâm Đồng",
            month,
            (month < today).then_some(true),
        )
        .await?;
        month = month
            .checked_add_months(chrono::Months::new(1))
            .unwrap_or(today + Duration::days(61));
    }
    Ok(())
}
