//! The few statements whose text differs between SQLite and PostgreSQL.

use crate::Backend;

/// The folder of migrations for a backend, embedded at build time.
pub(crate) fn migrations(backend: Backend) -> &'static [(&'static str, &'static str)] {
    match backend {
        Backend::Sqlite => &[
            (
                "0001_init",
                include_str!("../migrations/sqlite/0001_init.sql"),
            ),
            (
                "0002_register_indexes",
                include_str!("../migrations/sqlite/0002_register_indexes.sql"),
            ),
            (
                "0003_calendar_deadlines",
                include_str!("../migrations/sqlite/0003_calendar_deadlines.sql"),
            ),
            (
                "0004_reports",
                include_str!("../migrations/sqlite/0004_reports.sql"),
            ),
            (
                "0005_submitted_reports",
                include_str!("../migrations/sqlite/0005_submitted_reports.sql"),
            ),
            (
                "0006_settlement_results",
                include_str!("../migrations/sqlite/0006_settlement_results.sql"),
            ),
            (
                "0007_split_parts",
                include_str!("../migrations/sqlite/0007_split_parts.sql"),
            ),
            (
                "0008_search",
                include_str!("../migrations/sqlite/0008_search.sql"),
            ),
            (
                "0009_report_scan_indexes",
                include_str!("../migrations/sqlite/0009_report_scan_indexes.sql"),
            ),
            (
                "0010_related",
                include_str!("../migrations/sqlite/0010_related.sql"),
            ),
            (
                "0011_sender_index",
                include_str!("../migrations/sqlite/0011_sender_index.sql"),
            ),
            (
                "0012_unit_in_tsvector",
                include_str!("../migrations/sqlite/0012_unit_in_tsvector.sql"),
            ),
            (
                "0013_audit_chain",
                include_str!("../migrations/sqlite/0013_audit_chain.sql"),
            ),
            (
                "0014_coordination",
                include_str!("../migrations/sqlite/0014_coordination.sql"),
            ),
            (
                "0015_programme_documents",
                include_str!("../migrations/sqlite/0015_programme_documents.sql"),
            ),
            (
                "0016_sessions_accounts",
                include_str!("../migrations/sqlite/0016_sessions_accounts.sql"),
            ),
            (
                "0017_protection_waivers",
                include_str!("../migrations/sqlite/0017_protection_waivers.sql"),
            ),
            (
                "0018_totp",
                include_str!("../migrations/sqlite/0018_totp.sql"),
            ),
            (
                "0023_multi_petition_cases",
                include_str!("../migrations/sqlite/0023_multi_petition_cases.sql"),
            ),
            (
                "0024_unit_in_fts",
                include_str!("../migrations/sqlite/0024_unit_in_fts.sql"),
            ),
            (
                "0025_syllable_extensions",
                include_str!("../migrations/sqlite/0025_syllable_extensions.sql"),
            ),
        ],
        Backend::Postgres => &[
            (
                "0001_init",
                include_str!("../migrations/postgres/0001_init.sql"),
            ),
            (
                "0002_register_indexes",
                include_str!("../migrations/postgres/0002_register_indexes.sql"),
            ),
            (
                "0003_calendar_deadlines",
                include_str!("../migrations/postgres/0003_calendar_deadlines.sql"),
            ),
            (
                "0004_reports",
                include_str!("../migrations/postgres/0004_reports.sql"),
            ),
            (
                "0005_submitted_reports",
                include_str!("../migrations/postgres/0005_submitted_reports.sql"),
            ),
            (
                "0006_settlement_results",
                include_str!("../migrations/postgres/0006_settlement_results.sql"),
            ),
            (
                "0007_split_parts",
                include_str!("../migrations/postgres/0007_split_parts.sql"),
            ),
            (
                "0008_search",
                include_str!("../migrations/postgres/0008_search.sql"),
            ),
            (
                "0009_report_scan_indexes",
                include_str!("../migrations/postgres/0009_report_scan_indexes.sql"),
            ),
            (
                "0010_related",
                include_str!("../migrations/postgres/0010_related.sql"),
            ),
            (
                "0011_sender_index",
                include_str!("../migrations/postgres/0011_sender_index.sql"),
            ),
            (
                "0012_unit_in_tsvector",
                include_str!("../migrations/postgres/0012_unit_in_tsvector.sql"),
            ),
            (
                "0013_audit_chain",
                include_str!("../migrations/postgres/0013_audit_chain.sql"),
            ),
            (
                "0014_coordination",
                include_str!("../migrations/postgres/0014_coordination.sql"),
            ),
            (
                "0015_programme_documents",
                include_str!("../migrations/postgres/0015_programme_documents.sql"),
            ),
            (
                "0016_sessions_accounts",
                include_str!("../migrations/postgres/0016_sessions_accounts.sql"),
            ),
            (
                "0017_protection_waivers",
                include_str!("../migrations/postgres/0017_protection_waivers.sql"),
            ),
            (
                "0018_totp",
                include_str!("../migrations/postgres/0018_totp.sql"),
            ),
            // PostgreSQL only: SQLite's covering indexes already serve the text filters, its
            // date indexes end with the rowid, and its visits are read from memory.
            (
                "0019_register_trigrams",
                include_str!("../migrations/postgres/0019_register_trigrams.sql"),
            ),
            (
                "0020_date_id_indexes",
                include_str!("../migrations/postgres/0020_date_id_indexes.sql"),
            ),
            (
                "0021_visit_report_index",
                include_str!("../migrations/postgres/0021_visit_report_index.sql"),
            ),
            (
                "0022_date_id_unit_indexes",
                include_str!("../migrations/postgres/0022_date_id_unit_indexes.sql"),
            ),
            (
                "0023_multi_petition_cases",
                include_str!("../migrations/postgres/0023_multi_petition_cases.sql"),
            ),
            (
                "0024_newest_unit_indexes",
                include_str!("../migrations/postgres/0024_newest_unit_indexes.sql"),
            ),
            (
                "0025_syllable_extensions",
                include_str!("../migrations/postgres/0025_syllable_extensions.sql"),
            ),
            (
                "0026_unit_id_indexes",
                include_str!("../migrations/postgres/0026_unit_id_indexes.sql"),
            ),
        ],
    }
}

/// After rows were inserted with explicit ids, PostgreSQL's identity sequence must move past
/// them (SQLite's rowid needs nothing).
pub(crate) async fn reset_identity(
    tx: &mut sqlx::Transaction<'static, sqlx::Any>,
    table: &str,
) -> crate::Result<()> {
    let sql = format!(
        "SELECT setval(pg_get_serial_sequence('{table}', 'id'), COALESCE((SELECT MAX(id) FROM {table}), 0) + 1, false)"
    );
    sqlx::query(sqlx::AssertSqlSafe(sql))
        .fetch_one(&mut **tx)
        .await?;
    Ok(())
}
