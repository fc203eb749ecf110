//! Bulk loading for the demo dataset and the scale generator: many rows in one transaction,
//! multi-row `INSERT`s, ids assigned here so that rows can refer to each other before they are
//! written. The same search keys and protection rules as the single-record paths apply.

use crate::query::Param;
use crate::visits::{search_key, visit_protected};
use crate::{Backend, Result, Store, audit, now_utc};
use chrono::{Datelike, NaiveDate};
use danvan_domain::coordination::{
    HotspotStatus, ModelField, ModelKind, ModelLevel, ModelStage, Recurrence, SituationLevel,
    TaskStatus,
};
use danvan_domain::records::PetitionType;
use sqlx::{Any, Row, Transaction};
use std::collections::{BTreeSet, HashMap};

/// Tables in the order their rows must reach the database (foreign keys).
const TABLES: &[(&str, &[&str])] = &[
    (
        "people",
        &[
            "id",
            "full_name",
            "name_key",
            "id_kind",
            "id_number",
            "birth_year",
            "address",
            "area_code",
            "phone",
            "created_at",
        ],
    ),
    (
        "cases",
        &[
            "id",
            "code",
            "unit_id",
            "title",
            "petition_type",
            "field_code",
            "status",
            "is_group",
            "is_complex",
            "is_prolonged",
            "is_skip_level",
            "is_ethnic",
            "is_religious",
            "opened_on",
            "created_at",
            "search_key",
        ],
    ),
    (
        "visits",
        &[
            "id",
            "code",
            "unit_id",
            "visit_date",
            "visit_time",
            "place",
            "kind",
            "mode",
            "receiver_name",
            "is_group",
            "headcount",
            "representatives",
            "content",
            "petition_type",
            "field_code",
            "case_id",
            "first_time",
            "documents",
            "earlier_handling",
            "handling",
            "follow_up",
            "refused",
            "refusal_reason",
            "created_at",
            "search_key",
        ],
    ),
    ("visit_people", &["visit_id", "person_id", "position"]),
    (
        "petitions",
        &[
            "id",
            "code",
            "unit_id",
            "arrival_no",
            "received_date",
            "source",
            "sender_kind",
            "signer_count",
            "sender_person_id",
            "subject",
            "petition_type",
            "field_code",
            "summary",
            "eligible",
            "eligibility_reason",
            "competent",
            "decision",
            "decision_date",
            "target_unit_id",
            "case_id",
            "visit_id",
            "created_at",
            "search_key",
            "accepted_on",
            "result_on",
            "is_remote",
            "result_kind",
            "recovered_money",
            "recovered_land",
            "restored_people",
            "execution",
            "execution_on",
        ],
    ),
    ("petition_bands", &["band_key", "petition_id"]),
    (
        "petition_events",
        &[
            "id",
            "petition_id",
            "kind",
            "on_date",
            "decision_no",
            "note",
            "created_at",
        ],
    ),
    (
        "transfers",
        &[
            "id",
            "petition_id",
            "from_unit_id",
            "to_unit_id",
            "sent_on",
            "status",
            "reply_on",
            "reply_note",
        ],
    ),
    ("case_handlers", &["case_id", "user_id"]),
    (
        "reception_schedule",
        &[
            "id",
            "unit_id",
            "leader_name",
            "scheduled_on",
            "held",
            "note",
        ],
    ),
    (
        "management_activities",
        &[
            "id",
            "unit_id",
            "kind",
            "activity_date",
            "title",
            "units_covered",
            "units_in_breach",
            "people_recommended",
            "participants",
            "note",
            "created_at",
        ],
    ),
    (
        "programmes",
        &[
            "id",
            "title",
            "year_from",
            "year_to",
            "legal_basis",
            "scope_unit_id",
            "created_at",
        ],
    ),
    ("programme_parties", &["programme_id", "unit_id"]),
    (
        "programme_tasks",
        &[
            "id",
            "programme_id",
            "content",
            "lead_unit_id",
            "due_on",
            "recurrence",
            "status",
            "completed_on",
            "created_at",
        ],
    ),
    ("task_units", &["task_id", "unit_id"]),
    (
        "situation_reports",
        &[
            "id",
            "unit_id",
            "period_from",
            "period_to",
            "level",
            "topics",
            "narrative",
            "created_at",
        ],
    ),
    (
        "hotspots",
        &[
            "id",
            "report_id",
            "unit_id",
            "area_code",
            "place",
            "since",
            "people",
            "status",
            "created_at",
        ],
    ),
    (
        "dvk_models",
        &[
            "id",
            "name",
            "unit_id",
            "address",
            "field",
            "kind",
            "level",
            "registered_on",
            "year",
            "period_from",
            "period_to",
            "stage",
            "stage_on",
            "recognised_decision",
            "recognised_on",
            "commend_form",
            "commend_issuer",
            "commend_decision",
            "commended_on",
            "search_key",
            "created_at",
        ],
    ),
];

/// Rows per multi-row INSERT (×25 columns stays far below both backends' parameter limits).
const BATCH: usize = 200;

pub struct BulkPerson<'a> {
    pub full_name: &'a str,
    pub id_number: Option<&'a str>,
    pub birth_year: Option<i32>,
    pub address: &'a str,
    pub area_code: Option<&'a str>,
    pub phone: Option<&'a str>,
}

pub struct BulkCase<'a> {
    pub unit_id: i64,
    pub title: &'a str,
    pub petition_type: PetitionType,
    pub field_code: &'a str,
    pub status: &'a str,
    pub is_group: bool,
    pub is_complex: bool,
    pub opened_on: NaiveDate,
}

pub struct BulkVisit<'a> {
    pub unit_id: i64,
    pub date: NaiveDate,
    pub time: &'a str,
    pub place: &'a str,
    pub kind: &'a str,
    pub mode: &'a str,
    pub receiver_name: &'a str,
    pub is_group: bool,
    pub headcount: i64,
    pub representatives: i64,
    pub content: &'a str,
    pub petition_type: PetitionType,
    pub field_code: &'a str,
    pub case: (i64, &'a str),
    pub first_time: bool,
    pub documents: &'a str,
    pub handling: &'a str,
    pub people: &'a [(i64, &'a str)],
}

pub struct BulkPetition<'a> {
    pub unit_id: i64,
    pub arrival_no: &'a str,
    pub received_date: NaiveDate,
    pub source: &'a str,
    pub sender_kind: &'a str,
    pub signer_count: i64,
    pub sender: Option<(i64, &'a str)>,
    pub subject: &'a str,
    pub petition_type: PetitionType,
    pub field_code: &'a str,
    pub summary: &'a str,
    pub eligible: Option<bool>,
    pub competent: Option<bool>,
    pub decision: Option<&'a str>,
    pub decision_date: Option<NaiveDate>,
    pub target_unit_id: Option<i64>,
    pub case: (i64, &'a str),
    pub visit_id: Option<i64>,
    /// For a transfer: (status, reply date, reply note).
    pub transfer_reply: Option<(&'a str, Option<NaiveDate>, &'a str)>,
    /// Accepted for settlement (thụ lý), when not the decision date of an "accept".
    pub accepted_on: Option<NaiveDate>,
    /// The settlement's result.
    pub result_on: Option<NaiveDate>,
    pub is_remote: bool,
    /// The settlement's outcome and amounts: (kind, money in đồng, land in m², people restored).
    pub outcome: Option<(&'a str, i64, i64, i64)>,
    /// The execution of the decision: (done | partial | not_done, on).
    pub execution: Option<(&'a str, NaiveDate)>,
}

pub struct BulkTask<'a> {
    pub programme_id: i64,
    pub content: &'a str,
    pub lead_unit_id: i64,
    pub cooperating: &'a [i64],
    pub due_on: NaiveDate,
    pub recurrence: Recurrence,
    pub status: TaskStatus,
    pub completed_on: Option<NaiveDate>,
}

pub struct BulkSituation<'a> {
    pub unit_id: i64,
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub level: SituationLevel,
    pub topics: &'a [&'a str],
    pub narrative: &'a str,
}

pub struct BulkModel<'a> {
    pub name: &'a str,
    pub unit_id: i64,
    pub address: &'a str,
    pub field: ModelField,
    pub kind: ModelKind,
    pub level: ModelLevel,
    pub registered_on: NaiveDate,
    pub period: (i32, i32),
    pub stage: ModelStage,
    pub stage_on: NaiveDate,
    /// (decision, date)
    pub recognised: Option<(&'a str, NaiveDate)>,
    /// (form, issuer, decision, date)
    pub commended: Option<(&'a str, &'a str, &'a str, NaiveDate)>,
}

pub struct Bulk {
    tx: Transaction<'static, Any>,
    backend: Backend,
    next_id: HashMap<&'static str, i64>,
    buffers: HashMap<&'static str, Vec<Vec<Param>>>,
    counters: HashMap<(String, i32), i64>,
    buffered: usize,
    now: String,
    /// ID numbers of the people written in this load, for the search keys of their records.
    id_numbers: HashMap<i64, String>,
    /// (band key, petition) rows, written at the end in key order: sorted inserts touch the
    /// index's pages in order instead of at random (200.000 petitions: 37 s → 33 s).
    bands: Vec<(i64, i64)>,
    /// The cases this load added petitions to, for `multi_petition_cases`.
    petition_cases: Vec<i64>,
    /// The words of its search keys that extend a closed syllable (`search_words`).
    syllable_extensions: BTreeSet<(String, String)>,
    pub rows_written: u64,
}

fn text(s: &str) -> Param {
    Param::Text(s.to_owned())
}
fn opt_text(s: Option<&str>) -> Param {
    s.map(text).unwrap_or(Param::Null)
}
fn int(i: i64) -> Param {
    Param::Int(i)
}
fn flag(b: bool) -> Param {
    Param::Int(i64::from(b))
}

impl Store {
    pub async fn bulk(&self) -> Result<Bulk> {
        let mut tx = self.write().await?;
        if self.backend == Backend::Postgres {
            // A load merges its full-text entries in PostgreSQL's default batches; the app's
            // connections keep them small (`Store::open`), and `finish` merges what is left.
            sqlx::query("SET LOCAL gin_pending_list_limit = '4MB'")
                .execute(&mut *tx)
                .await?;
        }
        if self.backend == Backend::Sqlite {
            // A load inserts into many indexes at random places (band keys, the full-text
            // index): a larger page cache for this connection keeps their pages in memory.
            sqlx::query("PRAGMA cache_size = -1048576")
                .execute(&mut *tx)
                .await?;
        }
        let mut next_id = HashMap::new();
        for (table, cols) in TABLES {
            if cols[0] == "id" {
                let max: Option<i64> =
                    sqlx::query_scalar(sqlx::AssertSqlSafe(format!("SELECT MAX(id) FROM {table}")))
                        .fetch_one(&mut *tx)
                        .await?;
                next_id.insert(*table, max.unwrap_or(0) + 1);
            }
        }
        let mut counters = HashMap::new();
        for r in sqlx::query("SELECT name, year, value FROM counters")
            .fetch_all(&mut *tx)
            .await?
        {
            counters.insert(
                (r.try_get::<String, _>(0)?, r.try_get::<i64, _>(1)? as i32),
                r.try_get::<i64, _>(2)?,
            );
        }
        Ok(Bulk {
            tx,
            backend: self.backend,
            next_id,
            buffers: HashMap::new(),
            counters,
            buffered: 0,
            now: now_utc(),
            id_numbers: HashMap::new(),
            bands: vec![],
            petition_cases: vec![],
            syllable_extensions: BTreeSet::new(),
            rows_written: 0,
        })
    }
}

impl Store {
    /// After a bulk load: PostgreSQL's planner statistics for every table, as a DBA would
    /// take them. Autovacuum would, in time, for tables that changed, but never for a table
    /// the load left empty: `transfers`, never analysed, was taken for 430 rows, and the
    /// whole-country 02/XLD hashed the year's 467.073 petitions to join it instead of the
    /// reverse (at 1M, 1,1–1,3 s → 0,68–0,80 s a statement). SQLite keeps no statistics here:
    /// its queries are written for its planner without them (no `sqlite_stat1`).
    /// How many generated petitions (written by no user) the units under `root_code` hold:
    /// where a `danvan gen` of that seed stopped.
    pub async fn generated_petitions(&self, root_code: &str) -> Result<u64> {
        let n: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM petitions p JOIN units u ON u.id = p.unit_id \
             WHERE p.created_by IS NULL AND u.path LIKE \
             (SELECT r.path FROM units r WHERE r.code = $1) || '%'",
        )
        .bind(root_code.to_owned())
        .fetch_one(&self.pool)
        .await?;
        Ok(n as u64)
    }

    pub async fn refresh_statistics(&self) -> Result<()> {
        if self.backend == Backend::Postgres {
            sqlx::query("ANALYZE").execute(&self.pool).await?;
        }
        Ok(())
    }
}

impl Bulk {
    /// A record's search key, its extending words noted for `syllable_extensions`.
    fn noted(&mut self, key: String) -> String {
        crate::search_words::extensions(&key, &mut self.syllable_extensions);
        key
    }

    fn id(&mut self, table: &'static str) -> i64 {
        let slot = self.next_id.entry(table).or_insert(1);
        let id = *slot;
        *slot += 1;
        id
    }

    /// Next human code of a yearly sequence (`VV-2022-000001`).
    pub fn code(&mut self, prefix: &str, year: i32) -> String {
        let n = self.counters.entry((prefix.to_owned(), year)).or_insert(0);
        *n += 1;
        format!("{prefix}-{year}-{:06}", *n)
    }

    async fn push(&mut self, table: &'static str, row: Vec<Param>) -> Result<()> {
        self.buffers.entry(table).or_default().push(row);
        self.buffered += 1;
        if self.buffered >= BATCH * 4 {
            self.flush().await?;
        }
        Ok(())
    }

    async fn flush(&mut self) -> Result<()> {
        for (table, cols) in TABLES {
            let Some(rows) = self.buffers.remove(table) else {
                continue;
            };
            for chunk in rows.chunks(BATCH) {
                let mut sql = format!("INSERT INTO {table} ({}) VALUES ", cols.join(", "));
                let mut n = 0;
                for (i, row) in chunk.iter().enumerate() {
                    if i > 0 {
                        sql.push_str(", ");
                    }
                    sql.push('(');
                    for j in 0..row.len() {
                        n += 1;
                        if j > 0 {
                            sql.push_str(", ");
                        }
                        // SQLite resolves a numbered parameter's name by walking a list, which
                        // makes binding thousands of `$n` quadratic; anonymous `?` bind in order.
                        match self.backend {
                            Backend::Sqlite => sql.push('?'),
                            Backend::Postgres => sql.push_str(&format!("${n}")),
                        }
                    }
                    sql.push(')');
                }
                let mut q = sqlx::query(sqlx::AssertSqlSafe(sql));
                for row in chunk {
                    for p in row {
                        q = match p {
                            Param::Text(s) => q.bind(s.clone()),
                            Param::Int(i) => q.bind(*i),
                            Param::Null => q.bind(Option::<String>::None),
                            Param::NullInt => q.bind(Option::<i64>::None),
                        };
                    }
                }
                q.execute(&mut *self.tx).await?;
                self.rows_written += chunk.len() as u64;
            }
        }
        self.buffered = 0;
        Ok(())
    }

    fn id_number(&self, person: i64) -> &str {
        self.id_numbers.get(&person).map_or("", String::as_str)
    }

    pub async fn person(&mut self, p: &BulkPerson<'_>) -> Result<i64> {
        let id = self.id("people");
        let id_kind = p
            .id_number
            .map(|n| if n.len() == 12 { "cccd" } else { "cmnd" });
        let row = vec![
            int(id),
            text(p.full_name),
            text(&danvan_vntext::name_key(p.full_name)),
            opt_text(id_kind),
            opt_text(p.id_number),
            p.birth_year
                .map(|y| int(i64::from(y)))
                .unwrap_or(Param::NullInt),
            text(p.address),
            opt_text(p.area_code),
            opt_text(p.phone),
            text(&self.now.clone()),
        ];
        self.push("people", row).await?;
        if let Some(n) = p.id_number {
            self.id_numbers.insert(id, n.to_owned());
        }
        Ok(id)
    }

    pub async fn case(&mut self, c: &BulkCase<'_>) -> Result<(i64, String)> {
        let id = self.id("cases");
        let code = self.code("VV", c.opened_on.year());
        let title: String = c.title.chars().take(160).collect();
        let row = vec![
            int(id),
            text(&code),
            int(c.unit_id),
            text(&title),
            text(c.petition_type.code()),
            text(c.field_code),
            text(c.status),
            flag(c.is_group),
            flag(c.is_complex),
            flag(false),
            flag(false),
            flag(false),
            flag(false),
            text(&c.opened_on.to_string()),
            text(&self.now.clone()),
            text(&self.noted(search_key(&[&code, &title]))),
        ];
        self.push("cases", row).await?;
        Ok((id, code))
    }

    pub async fn visit(&mut self, v: &BulkVisit<'_>) -> Result<(i64, String)> {
        let id = self.id("visits");
        let code = self.code("TCD", v.date.year());
        let identities: Vec<&str> = if visit_protected(v.petition_type.code(), v.date) {
            vec![]
        } else {
            v.people
                .iter()
                .flat_map(|p| [p.1, self.id_number(p.0)])
                .collect()
        };
        let key = search_key(&[&code, v.case.1, v.content, &identities.join(" ")]);
        let key = self.noted(key);
        let row = vec![
            int(id),
            text(&code),
            int(v.unit_id),
            text(&v.date.to_string()),
            text(v.time),
            text(v.place),
            text(v.kind),
            text(v.mode),
            text(v.receiver_name),
            flag(v.is_group),
            int(v.headcount),
            int(v.representatives),
            text(v.content),
            text(v.petition_type.code()),
            text(v.field_code),
            int(v.case.0),
            flag(v.first_time),
            text(v.documents),
            text(""),
            text(v.handling),
            text(""),
            flag(false),
            text(""),
            text(&self.now.clone()),
            text(&key),
        ];
        self.push("visits", row).await?;
        for (i, (person_id, _)) in v.people.iter().enumerate() {
            self.push(
                "visit_people",
                vec![int(id), int(*person_id), int(i as i64)],
            )
            .await?;
        }
        Ok((id, code))
    }

    pub async fn petition(&mut self, p: &BulkPetition<'_>) -> Result<(i64, String)> {
        let id = self.id("petitions");
        let code = self.code("DON", p.received_date.year());
        let (sender_name, sender_id) = match p.sender {
            Some((person, name)) if p.petition_type != PetitionType::Denunciation => {
                (name, self.id_number(person))
            }
            _ => ("", ""),
        };
        let key = search_key(&[
            &code,
            p.case.1,
            p.arrival_no,
            p.subject,
            p.summary,
            sender_name,
            sender_id,
        ]);
        let key = self.noted(key);
        let row = vec![
            int(id),
            text(&code),
            int(p.unit_id),
            text(p.arrival_no),
            text(&p.received_date.to_string()),
            text(p.source),
            text(p.sender_kind),
            int(p.signer_count),
            p.sender.map(|s| int(s.0)).unwrap_or(Param::NullInt),
            text(p.subject),
            text(p.petition_type.code()),
            text(p.field_code),
            text(p.summary),
            p.eligible.map(flag).unwrap_or(Param::NullInt),
            text(""),
            p.competent.map(flag).unwrap_or(Param::NullInt),
            opt_text(p.decision),
            opt_text(p.decision_date.map(|d| d.to_string()).as_deref()),
            p.target_unit_id.map(int).unwrap_or(Param::NullInt),
            int(p.case.0),
            p.visit_id.map(int).unwrap_or(Param::NullInt),
            text(&self.now.clone()),
            text(&key),
            opt_text(p.accepted_on.map(|d| d.to_string()).as_deref()),
            opt_text(p.result_on.map(|d| d.to_string()).as_deref()),
            flag(p.is_remote),
            opt_text(p.outcome.map(|o| o.0)),
            int(p.outcome.map(|o| o.1).unwrap_or(0)),
            int(p.outcome.map(|o| o.2).unwrap_or(0)),
            int(p.outcome.map(|o| o.3).unwrap_or(0)),
            opt_text(p.execution.map(|e| e.0)),
            opt_text(p.execution.map(|e| e.1.to_string()).as_deref()),
        ];
        self.push("petitions", row).await?;
        self.petition_cases.push(p.case.0);
        for key in crate::related::distinct_band_keys(p.summary) {
            self.bands.push((key, id));
        }
        if let (Some(to), Some((status, reply_on, note))) = (p.target_unit_id, p.transfer_reply) {
            let tid = self.id("transfers");
            let sent = p.decision_date.unwrap_or(p.received_date).to_string();
            let reply = opt_text(reply_on.map(|d| d.to_string()).as_deref());
            self.push(
                "transfers",
                vec![
                    int(tid),
                    int(id),
                    int(p.unit_id),
                    int(to),
                    text(&sent),
                    text(status),
                    reply,
                    text(note),
                ],
            )
            .await?;
        }
        Ok((id, code))
    }

    pub async fn assign(&mut self, case_id: i64, user_id: i64) -> Result<()> {
        self.push("case_handlers", vec![int(case_id), int(user_id)])
            .await
    }

    pub async fn schedule(
        &mut self,
        unit_id: i64,
        leader: &str,
        on: NaiveDate,
        held: Option<bool>,
    ) -> Result<()> {
        let id = self.id("reception_schedule");
        self.push(
            "reception_schedule",
            vec![
                int(id),
                int(unit_id),
                text(leader),
                text(&on.to_string()),
                held.map(flag).unwrap_or(Param::NullInt),
                text(""),
            ],
        )
        .await
    }

    /// A state-management activity (form 06/QLKNTC), checked as one typed in its form.
    pub async fn activity(
        &mut self,
        unit_id: i64,
        draft: &danvan_domain::management::ActivityDraft,
        today: NaiveDate,
    ) -> Result<()> {
        let v = draft.check(today)?;
        let id = self.id("management_activities");
        let now = self.now.clone();
        self.push(
            "management_activities",
            vec![
                int(id),
                int(unit_id),
                text(v.kind.code()),
                text(&v.activity_date.to_string()),
                text(draft.title.trim()),
                int(v.units_covered),
                int(v.units_in_breach),
                int(v.people_recommended),
                int(v.participants),
                text(draft.note.trim()),
                text(&now),
            ],
        )
        .await
    }

    /// An event on a petition's handling (extend, suspend, resume…).
    pub async fn petition_event(
        &mut self,
        petition_id: i64,
        kind: &str,
        on: NaiveDate,
        decision_no: &str,
    ) -> Result<()> {
        let id = self.id("petition_events");
        let row = vec![
            int(id),
            int(petition_id),
            text(kind),
            text(&on.to_string()),
            text(decision_no),
            text(""),
            text(&self.now.clone()),
        ];
        self.push("petition_events", row).await
    }

    /// A coordination programme between `parties`, reporting the figures of `scope`.
    pub async fn programme(
        &mut self,
        title: &str,
        years: (i32, i32),
        scope: i64,
        parties: &[i64],
    ) -> Result<i64> {
        let id = self.id("programmes");
        let row = vec![
            int(id),
            text(title),
            int(i64::from(years.0)),
            int(i64::from(years.1)),
            text(""),
            int(scope),
            text(&self.now.clone()),
        ];
        self.push("programmes", row).await?;
        for unit in parties {
            self.push("programme_parties", vec![int(id), int(*unit)])
                .await?;
        }
        Ok(id)
    }

    pub async fn task(&mut self, t: &BulkTask<'_>) -> Result<i64> {
        let id = self.id("programme_tasks");
        let row = vec![
            int(id),
            int(t.programme_id),
            text(t.content),
            int(t.lead_unit_id),
            text(&t.due_on.to_string()),
            text(t.recurrence.code()),
            text(t.status.code()),
            opt_text(t.completed_on.map(|d| d.to_string()).as_deref()),
            text(&self.now.clone()),
        ];
        self.push("programme_tasks", row).await?;
        for unit in t.cooperating {
            self.push("task_units", vec![int(id), int(*unit)]).await?;
        }
        Ok(id)
    }

    pub async fn situation(&mut self, r: &BulkSituation<'_>) -> Result<i64> {
        let id = self.id("situation_reports");
        let topics = if r.topics.is_empty() {
            String::new()
        } else {
            format!(",{},", r.topics.join(","))
        };
        let row = vec![
            int(id),
            int(r.unit_id),
            text(&r.from.to_string()),
            text(&r.to.to_string()),
            text(r.level.code()),
            text(&topics),
            text(r.narrative),
            text(&self.now.clone()),
        ];
        self.push("situation_reports", row).await?;
        Ok(id)
    }

    /// A hotspot of a situation report: (report, area unit, area code, place, since, people).
    pub async fn hotspot(
        &mut self,
        report: i64,
        area: (i64, Option<&str>),
        place: &str,
        since: NaiveDate,
        people: i64,
        status: HotspotStatus,
    ) -> Result<i64> {
        let id = self.id("hotspots");
        let row = vec![
            int(id),
            int(report),
            int(area.0),
            opt_text(area.1),
            text(place),
            text(&since.to_string()),
            int(people),
            text(status.code()),
            text(&self.now.clone()),
        ];
        self.push("hotspots", row).await?;
        Ok(id)
    }

    pub async fn model(&mut self, m: &BulkModel<'_>) -> Result<i64> {
        let id = self.id("dvk_models");
        let recognised = m.recognised.map(|(d, on)| (d.to_owned(), on.to_string()));
        let commended = m.commended;
        let row = vec![
            int(id),
            text(m.name),
            int(m.unit_id),
            text(m.address),
            text(m.field.code()),
            text(m.kind.code()),
            text(m.level.code()),
            text(&m.registered_on.to_string()),
            int(i64::from(m.registered_on.year())),
            int(i64::from(m.period.0)),
            int(i64::from(m.period.1)),
            text(m.stage.code()),
            text(&m.stage_on.to_string()),
            opt_text(recognised.as_ref().map(|r| r.0.as_str())),
            opt_text(recognised.as_ref().map(|r| r.1.as_str())),
            opt_text(commended.map(|c| c.0)),
            opt_text(commended.map(|c| c.1)),
            opt_text(commended.map(|c| c.2)),
            opt_text(commended.map(|c| c.3.to_string()).as_deref()),
            text(&danvan_vntext::fold(&format!("{} {}", m.name, m.address))),
            text(&self.now.clone()),
        ];
        self.push("dvk_models", row).await?;
        Ok(id)
    }

    /// Writes what is buffered, brings the code counters and (PostgreSQL) identity sequences up
    /// to date, records one audit row and commits.
    pub async fn finish(mut self, label: &str) -> Result<u64> {
        self.flush().await?;
        let mut bands = std::mem::take(&mut self.bands);
        bands.sort_unstable();
        for (key, petition) in bands {
            self.push("petition_bands", vec![int(key), int(petition)])
                .await?;
        }
        self.flush().await?;
        for ((name, year), value) in &self.counters {
            let n = sqlx::query("UPDATE counters SET value = $1 WHERE name = $2 AND year = $3")
                .bind(*value)
                .bind(name.clone())
                .bind(i64::from(*year))
                .execute(&mut *self.tx)
                .await?
                .rows_affected();
            if n == 0 {
                sqlx::query("INSERT INTO counters (name, year, value) VALUES ($1, $2, $3)")
                    .bind(name.clone())
                    .bind(i64::from(*year))
                    .bind(*value)
                    .execute(&mut *self.tx)
                    .await?;
            }
        }
        let cases = std::mem::take(&mut self.petition_cases);
        crate::cases::note_loaded_petition_cases(&mut self.tx, cases).await?;
        let words = std::mem::take(&mut self.syllable_extensions);
        crate::search_words::insert(&mut self.tx, words).await?;
        if self.backend == Backend::Postgres {
            for (table, cols) in TABLES {
                if cols[0] == "id" {
                    crate::dialect::reset_identity(&mut self.tx, table).await?;
                }
            }
            // Every search scans a GIN index's pending entries: the load's are merged now,
            // not by the first record an officer saves (or by every search until then).
            sqlx::query(crate::upkeep::MERGE_PENDING_ENTRIES)
                .fetch_one(&mut *self.tx)
                .await?;
        }
        audit::record(
            &mut self.tx,
            None,
            "bulk_load",
            "dataset",
            label,
            &format!("{} rows", self.rows_written),
        )
        .await?;
        if self.backend == Backend::Sqlite {
            // The connection goes back to the pool with its usual cache.
            sqlx::query("PRAGMA cache_size = -65536")
                .execute(&mut *self.tx)
                .await?;
        }
        self.tx.commit().await?;
        Ok(self.rows_written)
    }
}
