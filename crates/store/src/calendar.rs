//! The working-day calendar as data: the national entries (seeded with the official schedules
//! 2020–2026 the first time), a unit's own entries and week, edited by administrators with every
//! change in the audit log, and the built [`WorkCalendar`] of each unit, cached until the next
//! change (`settings.calendar_version`).

use crate::{Result, Store, StoreError, audit, now_utc};
use chrono::{Datelike, NaiveDate};
use danvan_calendar::holidays::{self, RowError};
use danvan_calendar::{DayKind, Entry, WorkCalendar, WorkWeek};
use danvan_domain::Actor;
use danvan_domain::access::Action;
use sqlx::Row;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};

/// Built calendars by unit (0: national), valid for one calendar version.
#[derive(Default)]
pub(crate) struct CalendarCache {
    version: i64,
    by_unit: HashMap<i64, Arc<WorkCalendar>>,
}

pub(crate) type SharedCache = Arc<Mutex<CalendarCache>>;

/// An entry as stored, with who last changed it.
#[derive(Debug, Clone, serde::Serialize)]
pub struct CalendarRow {
    pub entry: Entry,
    /// 0: national; else the unit's own entry.
    pub unit_id: i64,
    pub updated_at: String,
}

/// One year's effective schedule, as shown and printed by `danvan calendar holidays`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct YearSchedule {
    pub year: i32,
    /// True when the year has recorded entries; false: computed from the law (provisional).
    pub recorded: bool,
    /// The days that differ from the unit's week.
    pub entries: Vec<Entry>,
}

fn entry_from(r: &sqlx::any::AnyRow) -> Result<Entry> {
    let on: String = r.try_get(0)?;
    let kind: String = r.try_get(1)?;
    Ok(Entry {
        date: crate::parse_day(&on)?,
        kind: DayKind::parse(&kind)
            .ok_or_else(|| StoreError::Corrupt(format!("loại ngày '{kind}'")))?,
        name: r.try_get(2)?,
        basis: r.try_get(3)?,
        provisional: r.try_get::<i64, _>(4)? != 0,
    })
}

impl Store {
    /// Seeds the national calendar with the shipped official schedules on a fresh database.
    pub(crate) async fn ensure_default_calendar(&self) -> Result<()> {
        let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM calendar_entries WHERE unit_id = 0")
            .fetch_one(&self.pool)
            .await?;
        if n > 0 {
            return Ok(());
        }
        let mut tx = self.write().await?;
        let now = now_utc();
        for e in holidays::shipped() {
            insert_entry(&mut tx, 0, &e, None, &now).await?;
        }
        audit::record(
            &mut tx,
            None,
            "create",
            "calendar",
            "national",
            "lịch nghỉ chính thức 2020–2026",
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn calendar_version(&self) -> Result<i64> {
        Ok(self
            .setting("calendar_version")
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Recorded entries of a calendar (0: national), oldest first.
    pub async fn calendar_rows(&self, unit_id: i64, year: Option<i32>) -> Result<Vec<CalendarRow>> {
        let (from, to) = match year {
            Some(y) => (format!("{y}-01-01"), format!("{y}-12-31")),
            None => ("0000-01-01".to_owned(), "9999-12-31".to_owned()),
        };
        let rows = sqlx::query("SELECT on_date, kind, name, basis, provisional, updated_at FROM calendar_entries WHERE unit_id = $1 AND on_date >= $2 AND on_date <= $3 ORDER BY on_date")
            .bind(unit_id)
            .bind(from)
            .bind(to)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| {
                Ok(CalendarRow {
                    entry: entry_from(r)?,
                    unit_id,
                    updated_at: r.try_get(5)?,
                })
            })
            .collect()
    }

    /// The weeks set for units (those not listed work Monday–Friday).
    pub async fn work_weeks(&self) -> Result<HashMap<i64, WorkWeek>> {
        let rows = sqlx::query("SELECT unit_id, work_week FROM unit_work_weeks")
            .fetch_all(&self.pool)
            .await?;
        let mut out = HashMap::new();
        for r in &rows {
            let w: String = r.try_get(1)?;
            if let Some(w) = WorkWeek::parse(&w) {
                out.insert(r.try_get::<i64, _>(0)?, w);
            }
        }
        Ok(out)
    }

    /// A unit's week (Monday–Friday unless set).
    pub async fn work_week(&self, unit_id: i64) -> Result<WorkWeek> {
        let w: Option<String> =
            sqlx::query_scalar("SELECT work_week FROM unit_work_weeks WHERE unit_id = $1")
                .bind(unit_id)
                .fetch_optional(&self.pool)
                .await?;
        Ok(w.as_deref()
            .and_then(WorkWeek::parse)
            .unwrap_or(WorkWeek::STATE))
    }

    /// The entries in force for a unit: per year, the recorded national entries (or, for a year
    /// with none, the statutory defaults), then the unit's own entries over them.
    async fn effective_entries(&self, unit_id: i64) -> Result<Vec<Entry>> {
        let national: Vec<Entry> = self
            .calendar_rows(0, None)
            .await?
            .into_iter()
            .map(|r| r.entry)
            .collect();
        let mut entries = holidays::effective(&national);
        if unit_id != 0 {
            let own: Vec<Entry> = self
                .calendar_rows(unit_id, None)
                .await?
                .into_iter()
                .map(|r| r.entry)
                .collect();
            entries.extend(own);
        }
        Ok(entries)
    }

    /// The working-day calendar of a unit (0: national), built once per calendar version.
    pub async fn work_calendar(&self, unit_id: i64) -> Result<Arc<WorkCalendar>> {
        let version = self.calendar_version().await?;
        if let Ok(cache) = self.calendars.lock()
            && cache.version == version
            && let Some(c) = cache.by_unit.get(&unit_id)
        {
            return Ok(c.clone());
        }
        // Most units keep the national calendar: share it instead of building a copy.
        let own: i64 = if unit_id == 0 {
            0
        } else {
            sqlx::query_scalar("SELECT (SELECT COUNT(*) FROM calendar_entries WHERE unit_id = $1) + (SELECT COUNT(*) FROM unit_work_weeks WHERE unit_id = $1)")
                .bind(unit_id)
                .fetch_one(&self.pool)
                .await?
        };
        let cal = if unit_id != 0 && own == 0 {
            Box::pin(self.work_calendar(0)).await?
        } else {
            let week = if unit_id == 0 {
                WorkWeek::STATE
            } else {
                self.work_week(unit_id).await?
            };
            let entries = self.effective_entries(unit_id).await?;
            Arc::new(WorkCalendar::new(week, &entries))
        };
        if let Ok(mut cache) = self.calendars.lock() {
            if cache.version != version {
                cache.version = version;
                cache.by_unit.clear();
            }
            cache.by_unit.insert(unit_id, cal.clone());
        }
        Ok(cal)
    }

    /// The days of a year that differ from the unit's week, and whether they were recorded.
    pub async fn year_schedule(&self, unit_id: i64, year: i32) -> Result<YearSchedule> {
        if !(danvan_calendar::lunar::FIRST_YEAR..=danvan_calendar::lunar::LAST_YEAR).contains(&year)
        {
            return Err(
                danvan_domain::Invalid::one("year", "Năm phải trong khoảng 1900–2100").into(),
            );
        }
        let recorded: Vec<Entry> = self
            .calendar_rows(0, Some(year))
            .await?
            .into_iter()
            .map(|r| r.entry)
            .collect();
        let is_recorded = !recorded.is_empty();
        let mut entries = if is_recorded {
            recorded
        } else {
            holidays::statutory_defaults(year)
        };
        if unit_id != 0 {
            for own in self
                .calendar_rows(unit_id, Some(year))
                .await?
                .into_iter()
                .map(|r| r.entry)
            {
                entries.retain(|e| e.date != own.date);
                entries.push(own);
            }
        }
        entries.sort_by_key(|e| e.date);
        let week = if unit_id == 0 {
            WorkWeek::STATE
        } else {
            self.work_week(unit_id).await?
        };
        Ok(YearSchedule {
            year,
            recorded: is_recorded,
            entries: holidays::differences(&entries, week),
        })
    }

    fn may_edit_calendar(actor: &Actor, unit_path: Option<&str>) -> bool {
        match unit_path {
            None => actor.may(Action::Administer),
            Some(p) => actor.may(Action::AdministerUnit(danvan_domain::access::RecordRef {
                unit_path: p,
            })),
        }
    }

    async fn calendar_unit_path(&self, unit_id: i64) -> Result<Option<String>> {
        if unit_id == 0 {
            return Ok(None);
        }
        Ok(Some(self.unit_by_id(unit_id).await?.path))
    }

    /// Records (or replaces) one entry, with its before/after in the audit log.
    pub async fn set_calendar_entry(&self, actor: &Actor, unit_id: i64, e: &Entry) -> Result<()> {
        let path = self.calendar_unit_path(unit_id).await?;
        if !Self::may_edit_calendar(actor, path.as_deref()) {
            return Err(StoreError::Forbidden);
        }
        let mut errors = danvan_domain::FieldErrors::default();
        if !danvan_calendar::lunar::supported(e.date) {
            errors.add("date", "Ngày phải trong khoảng 1900–2100");
        }
        if e.name.trim().is_empty() {
            errors.add("name", "Chưa nhập tên ngày nghỉ hoặc ngày làm bù");
        }
        if e.kind == DayKind::Work
            && !matches!(
                e.date.weekday(),
                chrono::Weekday::Sat | chrono::Weekday::Sun
            )
        {
            errors.add("kind", "Ngày làm bù phải là thứ Bảy hoặc Chủ nhật");
        }
        if !errors.is_empty() {
            return Err(danvan_domain::Invalid(errors).into());
        }
        let mut tx = self.write().await?;
        let before = describe_existing(&mut tx, unit_id, e.date).await?;
        sqlx::query("DELETE FROM calendar_entries WHERE unit_id = $1 AND on_date = $2")
            .bind(unit_id)
            .bind(e.date.to_string())
            .execute(&mut *tx)
            .await?;
        insert_entry(&mut tx, unit_id, e, Some(actor.user_id), &now_utc()).await?;
        let after = describe(e);
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "set",
            "calendar",
            &format!("{unit_id}:{}", e.date),
            &format!("{before} → {after}"),
        )
        .await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Removes an entry (the day returns to the week, or to the computed default of its year).
    pub async fn delete_calendar_entry(
        &self,
        actor: &Actor,
        unit_id: i64,
        date: NaiveDate,
    ) -> Result<()> {
        let path = self.calendar_unit_path(unit_id).await?;
        if !Self::may_edit_calendar(actor, path.as_deref()) {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.write().await?;
        let before = describe_existing(&mut tx, unit_id, date).await?;
        let n = sqlx::query("DELETE FROM calendar_entries WHERE unit_id = $1 AND on_date = $2")
            .bind(unit_id)
            .bind(date.to_string())
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if n == 0 {
            return Err(StoreError::NotFound);
        }
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "delete",
            "calendar",
            &format!("{unit_id}:{date}"),
            &format!("{before} → (xóa)"),
        )
        .await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Replaces a year's entries with a schedule file, all or nothing. Every row must parse and
    /// fall in that year; otherwise the errors name the rows and nothing changes.
    pub async fn import_schedule(
        &self,
        actor: &Actor,
        unit_id: i64,
        year: i32,
        text: &str,
    ) -> Result<usize, ImportError> {
        let path = self
            .calendar_unit_path(unit_id)
            .await
            .map_err(ImportError::Store)?;
        if !Self::may_edit_calendar(actor, path.as_deref()) {
            return Err(ImportError::Store(StoreError::Forbidden));
        }
        let entries = holidays::parse_schedule(text).map_err(ImportError::Rows)?;
        let outside: Vec<RowError> = text
            .lines()
            .enumerate()
            .filter_map(|(i, l)| {
                let first = l.split(',').next()?.trim();
                let d = NaiveDate::parse_from_str(first, "%Y-%m-%d")
                    .or_else(|_| NaiveDate::parse_from_str(first, "%d/%m/%Y"))
                    .ok()?;
                (d.year() != year).then(|| RowError {
                    line: i + 1,
                    message: format!("ngày {} không thuộc năm {year}", d.format("%d/%m/%Y")),
                })
            })
            .collect();
        if !outside.is_empty() {
            return Err(ImportError::Rows(outside));
        }
        if entries.is_empty() {
            return Err(ImportError::Rows(vec![RowError {
                line: 1,
                message: "tệp không có dòng lịch nào".into(),
            }]));
        }
        let mut tx = self.write().await.map_err(ImportError::Store)?;
        let now = now_utc();
        let removed = sqlx::query(
            "DELETE FROM calendar_entries WHERE unit_id = $1 AND on_date >= $2 AND on_date <= $3",
        )
        .bind(unit_id)
        .bind(format!("{year}-01-01"))
        .bind(format!("{year}-12-31"))
        .execute(&mut *tx)
        .await
        .map_err(|e| ImportError::Store(e.into()))?
        .rows_affected();
        for e in &entries {
            insert_entry(&mut tx, unit_id, e, Some(actor.user_id), &now)
                .await
                .map_err(ImportError::Store)?;
        }
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "import",
            "calendar",
            &format!("{unit_id}:{year}"),
            &format!("thay {removed} dòng bằng {} dòng", entries.len()),
        )
        .await
        .map_err(ImportError::Store)?;
        bump_version(&mut tx).await.map_err(ImportError::Store)?;
        tx.commit()
            .await
            .map_err(|e| ImportError::Store(e.into()))?;
        Ok(entries.len())
    }

    /// Sets a unit's week ("1111110": Monday–Saturday).
    pub async fn set_work_week(&self, actor: &Actor, unit_id: i64, week: WorkWeek) -> Result<()> {
        let path = self.unit_by_id(unit_id).await?.path;
        if !Self::may_edit_calendar(actor, Some(&path)) {
            return Err(StoreError::Forbidden);
        }
        let mut tx = self.write().await?;
        sqlx::query("DELETE FROM unit_work_weeks WHERE unit_id = $1")
            .bind(unit_id)
            .execute(&mut *tx)
            .await?;
        sqlx::query("INSERT INTO unit_work_weeks (unit_id, work_week) VALUES ($1, $2)")
            .bind(unit_id)
            .bind(week.code())
            .execute(&mut *tx)
            .await?;
        audit::record(
            &mut tx,
            Some(actor.user_id),
            "set",
            "work_week",
            &unit_id.to_string(),
            &week.code(),
        )
        .await?;
        bump_version(&mut tx).await?;
        tx.commit().await?;
        Ok(())
    }

    /// Changes to the calendar, newest first (from the audit log).
    pub async fn calendar_history(
        &self,
        limit: i64,
    ) -> Result<Vec<(String, String, String, String)>> {
        let rows = sqlx::query("SELECT a.at, COALESCE(u.full_name, 'hệ thống'), a.entity_code, a.detail FROM audit_log a LEFT JOIN users u ON u.id = a.user_id WHERE a.entity IN ('calendar', 'work_week') ORDER BY a.id DESC LIMIT $1")
            .bind(limit)
            .fetch_all(&self.pool)
            .await?;
        rows.iter()
            .map(|r| Ok((r.try_get(0)?, r.try_get(1)?, r.try_get(2)?, r.try_get(3)?)))
            .collect()
    }
}

/// A schedule import refused: the rows at fault, or a storage error.
#[derive(Debug)]
pub enum ImportError {
    Rows(Vec<RowError>),
    Store(StoreError),
}

async fn insert_entry(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    unit_id: i64,
    e: &Entry,
    by: Option<i64>,
    now: &str,
) -> Result<()> {
    sqlx::query("INSERT INTO calendar_entries (unit_id, on_date, kind, name, basis, provisional, updated_by, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
        .bind(unit_id)
        .bind(e.date.to_string())
        .bind(e.kind.code())
        .bind(e.name.clone())
        .bind(e.basis.clone())
        .bind(i64::from(e.provisional))
        .bind(by)
        .bind(now.to_owned())
        .execute(&mut **tx)
        .await?;
    Ok(())
}

fn describe(e: &Entry) -> String {
    let kind = match e.kind {
        DayKind::Off => "nghỉ",
        DayKind::Work => "làm bù",
    };
    format!(
        "{kind}: {} ({})",
        e.name,
        if e.basis.is_empty() {
            "chưa có căn cứ"
        } else {
            &e.basis
        }
    )
}

async fn describe_existing(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    unit_id: i64,
    date: NaiveDate,
) -> Result<String> {
    let row = sqlx::query("SELECT on_date, kind, name, basis, provisional FROM calendar_entries WHERE unit_id = $1 AND on_date = $2")
        .bind(unit_id)
        .bind(date.to_string())
        .fetch_optional(&mut **tx)
        .await?;
    Ok(match row {
        Some(r) => describe(&entry_from(&r)?),
        None => "(chưa có)".into(),
    })
}

async fn bump_version(tx: &mut sqlx::Transaction<'static, sqlx::Any>) -> Result<()> {
    let v: Option<String> =
        sqlx::query_scalar("SELECT value FROM settings WHERE key = 'calendar_version'")
            .fetch_optional(&mut **tx)
            .await?;
    let next = v.and_then(|v| v.parse::<i64>().ok()).unwrap_or(0) + 1;
    sqlx::query("DELETE FROM settings WHERE key = 'calendar_version'")
        .execute(&mut **tx)
        .await?;
    sqlx::query("INSERT INTO settings (key, value) VALUES ('calendar_version', $1)")
        .bind(next.to_string())
        .execute(&mut **tx)
        .await?;
    Ok(())
}
