//! Removing the demo data from a database (`server purge-demo`), for an installation that was
//! started with the demo and goes on with real people. Everything runs in one `BEGIN
//! IMMEDIATE` transaction: a failure leaves the database as it was.
//!
//! What goes:
//! - every row marked `demo = TRUE`: accounts, councils and their members, persons, offences,
//!   visits, proposals, tasks, task updates, events, meetings, decisions, map features;
//! - the rows that exist only for a demo row: a demo task's assignments and progress notes
//!   (whoever wrote them), the links of a demo offence or a demo person, and what describes a
//!   demo account: its villages, sessions, devices with their sync log, sign-in lockouts and
//!   its audit trail. The trail goes because it is the demo's activity under a published
//!   password, mostly reads of made-up persons, and a line kept without its account would
//!   read as an access by nobody. Copy the database file first if that trail matters.
//!
//! The demo's membership figures in the program's villages (`membership_demo`: joining dates,
//! residents, households) are cleared; a demo comparison village goes with its closings unless
//! a real row points at it, and then stays without its demo mark.
//!
//! Rows not marked demo are real and stay, whoever made them. Where one points at a demo row,
//! the pointer is cleared: the author (creator, recorder, visitor, responsible inspector) becomes
//! unknown, and a link to a demo person, proposal, meeting or council member is dropped. A
//! record whose synced copy loses such a link takes a new version, so devices pull it again
//! and an edit made on the old copy comes back as a conflict. A demo council that real people
//! went on using (a real member recorded in it, a real meeting held by it) stays as the
//! village's real council: it loses its demo mark, its made-up formation date and its demo
//! members, and takes a new version.
//!
//! Devices drop what they had pulled: the delete triggers of `sync_changes` leave a tombstone
//! for every task, proposal, event, offence, visit, meeting, decision, map feature and person
//! (persons' tombstones reach devices in the sensitive stream). What the pulls handed each
//! demo account goes too; what they handed a real account of a demo person stays, so that
//! account's devices get the person's tombstone.
//!
//! The `data_loads` records of the demo stay: a purged database never gets the demo again,
//! not even from `run.sh`, which turns demo data on. A fresh demo needs a new database file.
use super::now_rfc3339;
use app::db::BeginWrite;
use app::db::{DbConnection, DbPool};
use std::fmt;

/// Whether the database holds demo accounts, whose password is published in the README.
pub async fn has_demo_accounts(pool: &DbPool) -> Result<bool, sqlx::Error> {
    sqlx::query_scalar("SELECT EXISTS(SELECT 1 FROM accounts WHERE demo = TRUE)")
        .fetch_one(pool)
        .await
}

#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    #[error("purge-demo changed nothing: {0}")]
    Database(#[from] sqlx::Error),
}

/// What a purge did, for its summary line. Counts only: never a name.
#[derive(Debug, Default)]
pub struct PurgeReport {
    /// Rows deleted, per table.
    pub removed: TableCounts,
    /// References to demo rows cleared in real rows, per table.
    pub unlinked: TableCounts,
    /// Tombstones written for devices (one per synced record deleted).
    pub tombstones: u64,
}

impl PurgeReport {
    pub fn is_empty(&self) -> bool {
        self.removed.0.is_empty() && self.unlinked.0.is_empty()
    }
}

impl fmt::Display for PurgeReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("no demo data to remove");
        }
        write!(f, "demo rows removed: {}", self.removed)?;
        if !self.unlinked.0.is_empty() {
            write!(
                f,
                "; references to them cleared in real rows: {}",
                self.unlinked
            )?;
        }
        write!(f, "; tombstones left for devices: {}", self.tombstones)
    }
}

/// Row counts per table, in the order the purge met the tables; tables with none left out.
#[derive(Debug, Default)]
pub struct TableCounts(Vec<(&'static str, u64)>);

impl TableCounts {
    fn add(&mut self, table: &'static str, rows: u64) {
        if rows == 0 {
            return;
        }
        match self.0.iter_mut().find(|(name, _)| *name == table) {
            Some((_, count)) => *count += rows,
            None => self.0.push((table, rows)),
        }
    }
}

impl fmt::Display for TableCounts {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (index, (table, rows)) in self.0.iter().enumerate() {
            let separator = if index == 0 { "" } else { ", " };
            write!(f, "{separator}{table} {rows}")?;
        }
        Ok(())
    }
}

/// Real records whose synced copy carries a link to a demo row: the link is cleared (or its
/// link row deleted below) and the record takes a new version. `$1` is the time of the purge.
const REVISED: &[(&str, &str)] = &[
    // Councils in real use stay, as the village's real council (see the module comment).
    (
        "councils",
        "UPDATE councils SET demo = FALSE, formed_on = NULL, version = version + 1, updated_at = $1 \
         WHERE demo = TRUE AND (id IN (SELECT council_id FROM council_members WHERE demo = FALSE) \
                             OR id IN (SELECT council_id FROM meetings WHERE demo = FALSE))",
    ),
    (
        "tasks",
        "UPDATE tasks SET person_id = NULL, version = version + 1, updated_at = $1 \
         WHERE demo = FALSE AND person_id IN (SELECT id FROM persons WHERE demo = TRUE)",
    ),
    (
        "tasks",
        "UPDATE tasks SET proposal_id = NULL, version = version + 1, updated_at = $1 \
         WHERE demo = FALSE AND proposal_id IN (SELECT id FROM proposals WHERE demo = TRUE)",
    ),
    (
        "tasks",
        "UPDATE tasks SET version = version + 1, updated_at = $1 WHERE demo = FALSE AND id IN \
         (SELECT task_id FROM task_assignees \
          WHERE member_id IN (SELECT id FROM council_members WHERE demo = TRUE))",
    ),
    (
        "offences",
        "UPDATE offences SET version = version + 1, updated_at = $1 WHERE demo = FALSE AND id IN \
         (SELECT offence_id FROM offence_persons \
          WHERE person_id IN (SELECT id FROM persons WHERE demo = TRUE))",
    ),
    (
        "visits",
        "UPDATE visits SET person_id = NULL, version = version + 1, updated_at = $1 \
         WHERE demo = FALSE AND person_id IN (SELECT id FROM persons WHERE demo = TRUE)",
    ),
    (
        "decisions",
        "UPDATE decisions SET meeting_id = NULL, version = version + 1, updated_at = $1 \
         WHERE demo = FALSE AND meeting_id IN (SELECT id FROM meetings WHERE demo = TRUE)",
    ),
];

/// References to demo rows that devices never see (who made a record, a device's browser):
/// cleared without a new version.
const CLEARED: &[(&str, &str)] = &[
    (
        "month_closings",
        "UPDATE month_closings SET closed_by = NULL \
         WHERE demo = FALSE AND closed_by IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "tasks",
        "UPDATE tasks SET creator_id = NULL \
         WHERE demo = FALSE AND creator_id IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "task_updates",
        "UPDATE task_updates SET author_id = NULL \
         WHERE demo = FALSE AND author_id IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "offences",
        "UPDATE offences SET recorded_by = NULL \
         WHERE demo = FALSE AND recorded_by IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "visits",
        "UPDATE visits SET visitor_id = NULL \
         WHERE demo = FALSE AND visitor_id IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "persons",
        "UPDATE persons SET responsible_inspector_id = NULL WHERE demo = FALSE \
         AND responsible_inspector_id IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "map_features",
        "UPDATE map_features SET created_by = NULL \
         WHERE demo = FALSE AND created_by IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "accounts",
        "UPDATE accounts SET member_id = NULL \
         WHERE demo = FALSE AND member_id IN (SELECT id FROM council_members WHERE demo = TRUE)",
    ),
    (
        "devices",
        "UPDATE devices SET browser_id = NULL \
         WHERE account_id NOT IN (SELECT id FROM accounts WHERE demo = TRUE) \
         AND browser_id IN (SELECT id FROM devices \
                            WHERE account_id IN (SELECT id FROM accounts WHERE demo = TRUE))",
    ),
];

/// Deletions, each before the rows it references (foreign keys are on). Meetings go before
/// councils also because their delete trigger looks up the council's village.
const DELETED: &[(&str, &str)] = &[
    (
        "sessions",
        "DELETE FROM sessions WHERE account_id IN (SELECT id FROM accounts WHERE demo = TRUE) \
         OR device_id IN (SELECT id FROM devices \
                          WHERE account_id IN (SELECT id FROM accounts WHERE demo = TRUE))",
    ),
    (
        "sync_mutations",
        "DELETE FROM sync_mutations WHERE device_id IN (SELECT id FROM devices \
         WHERE account_id IN (SELECT id FROM accounts WHERE demo = TRUE))",
    ),
    (
        "login_throttle",
        "DELETE FROM login_throttle WHERE key IN \
         (SELECT 'account:' || login FROM accounts WHERE demo = TRUE \
          UNION ALL SELECT 'device:' || id FROM devices \
          WHERE account_id IN (SELECT id FROM accounts WHERE demo = TRUE))",
    ),
    (
        "devices",
        "DELETE FROM devices WHERE account_id IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "audit_events",
        "DELETE FROM audit_events WHERE account_id IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "account_villages",
        "DELETE FROM account_villages \
         WHERE account_id IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "person_handouts",
        "DELETE FROM person_handouts \
         WHERE account_id IN (SELECT id FROM accounts WHERE demo = TRUE)",
    ),
    (
        "task_assignees",
        "DELETE FROM task_assignees WHERE task_id IN (SELECT id FROM tasks WHERE demo = TRUE) \
         OR member_id IN (SELECT id FROM council_members WHERE demo = TRUE)",
    ),
    (
        "task_updates",
        "DELETE FROM task_updates \
         WHERE demo = TRUE OR task_id IN (SELECT id FROM tasks WHERE demo = TRUE)",
    ),
    (
        "offence_persons",
        "DELETE FROM offence_persons \
         WHERE offence_id IN (SELECT id FROM offences WHERE demo = TRUE) \
         OR person_id IN (SELECT id FROM persons WHERE demo = TRUE)",
    ),
    ("tasks", "DELETE FROM tasks WHERE demo = TRUE"),
    ("visits", "DELETE FROM visits WHERE demo = TRUE"),
    ("offences", "DELETE FROM offences WHERE demo = TRUE"),
    ("decisions", "DELETE FROM decisions WHERE demo = TRUE"),
    ("meetings", "DELETE FROM meetings WHERE demo = TRUE"),
    ("proposals", "DELETE FROM proposals WHERE demo = TRUE"),
    ("events", "DELETE FROM events WHERE demo = TRUE"),
    ("map_features", "DELETE FROM map_features WHERE demo = TRUE"),
    ("persons", "DELETE FROM persons WHERE demo = TRUE"),
    ("accounts", "DELETE FROM accounts WHERE demo = TRUE"),
    (
        "council_members",
        "DELETE FROM council_members WHERE demo = TRUE",
    ),
    ("councils", "DELETE FROM councils WHERE demo = TRUE"),
    (
        "month_closings",
        "DELETE FROM month_closings WHERE demo = TRUE",
    ),
    // A demo comparison village goes unless a real row still points at it.
    (
        "villages",
        "DELETE FROM villages WHERE demo = TRUE AND id NOT IN ( \
         SELECT village_id FROM councils UNION ALL SELECT village_id FROM account_villages \
         UNION ALL SELECT village_id FROM persons UNION ALL SELECT village_id FROM offences \
         UNION ALL SELECT village_id FROM visits UNION ALL SELECT village_id FROM proposals \
         UNION ALL SELECT village_id FROM tasks UNION ALL SELECT village_id FROM events \
         UNION ALL SELECT village_id FROM decisions UNION ALL SELECT village_id FROM map_features \
         UNION ALL SELECT village_id FROM month_closings \
         UNION ALL SELECT village_id FROM audit_events WHERE village_id IS NOT NULL)",
    ),
];

/// What the demo wrote into rows that stay: made-up membership figures of the program's
/// villages, and the demo mark of a comparison village that real records went on using.
const UNMARKED: &[(&str, &str)] = &[
    (
        "villages",
        "UPDATE villages SET joined_on = NULL, population = NULL, households = NULL, \
         population_source = NULL, population_year = NULL, membership_demo = FALSE \
         WHERE membership_demo = TRUE",
    ),
    (
        "villages",
        "UPDATE villages SET demo = FALSE WHERE demo = TRUE",
    ),
];

/// Removes every demo row and what depends on it (see the module comment).
pub async fn purge_demo(pool: &DbPool) -> Result<PurgeReport, PurgeError> {
    let mut tx = pool.begin_write().await?;
    let tombstones_before = tombstones(&mut tx).await?;
    let mut report = PurgeReport::default();
    let now = now_rfc3339();
    for &(table, sql) in REVISED {
        let rows = sqlx::query(sql).bind(&now).execute(&mut *tx).await?;
        report.unlinked.add(table, rows.rows_affected());
    }
    for &(table, sql) in CLEARED {
        report.unlinked.add(table, execute(&mut tx, sql).await?);
    }
    for &(table, sql) in DELETED {
        report.removed.add(table, execute(&mut tx, sql).await?);
    }
    for &(table, sql) in UNMARKED {
        report.unlinked.add(table, execute(&mut tx, sql).await?);
    }
    report.tombstones = tombstones(&mut tx).await?.saturating_sub(tombstones_before);
    tx.commit().await?;
    Ok(report)
}

async fn tombstones(conn: &mut DbConnection) -> Result<u64, sqlx::Error> {
    let count: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sync_changes WHERE deleted = TRUE")
        .fetch_one(conn)
        .await?;
    Ok(count.unsigned_abs())
}

async fn execute(conn: &mut DbConnection, sql: &str) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(sql).execute(conn).await?.rows_affected())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::seed::new_id;

    async fn demo_database() -> (tempfile::TempDir, DbPool) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("zq.sqlite");
        let pool = crate::db::connect(path.to_str().unwrap()).await.unwrap();
        crate::seed::load(&pool, true).await.unwrap();
        (dir, pool)
    }

    async fn count(pool: &DbPool, sql: &str) -> i64 {
        sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
    }

    /// A number about one row.
    async fn scalar(pool: &DbPool, sql: &str, id: &str) -> i64 {
        sqlx::query_scalar(sql)
            .bind(id)
            .fetch_one(pool)
            .await
            .unwrap()
    }

    const SYNC_VERSION: &str = "SELECT version FROM sync_changes WHERE record_id = $1";

    async fn demo_id(pool: &DbPool, sql: &str) -> String {
        sqlx::query_scalar(sql).fetch_one(pool).await.unwrap()
    }

    async fn write(pool: &DbPool, sql: &str, values: &[&str]) {
        let mut query = sqlx::query(sql);
        for value in values {
            query = query.bind(*value);
        }
        query.execute(pool).await.unwrap();
    }

    /// Every table with a `demo` column, so a table added later is checked too.
    async fn demo_tables(pool: &DbPool) -> Vec<String> {
        #[cfg(not(feature = "postgres"))]
        let tables = "SELECT m.name FROM sqlite_master m JOIN pragma_table_info(m.name) c \
             WHERE m.type = 'table' AND c.name = 'demo' ORDER BY m.name";
        #[cfg(feature = "postgres")]
        let tables = "SELECT table_name::text FROM information_schema.columns \
             WHERE table_schema = current_schema() AND column_name = 'demo' ORDER BY 1";
        sqlx::query_scalar(tables).fetch_all(pool).await.unwrap()
    }

    /// A demo account's device that signed in, pushed once, was locked out once and was
    /// audited: rows the seed does not make but a demo that was used has.
    async fn use_demo_inspector(pool: &DbPool) -> String {
        let inspector = demo_id(
            pool,
            "SELECT id FROM accounts WHERE login = 'demo.inspector'",
        )
        .await;
        let device = new_id();
        let now = now_rfc3339();
        write(
            pool,
            "INSERT INTO devices (id, account_id, created_at) VALUES ($1, $2, $3)",
            &[&device, &inspector, &now],
        )
        .await;
        write(
            pool,
            "INSERT INTO sessions (token_hash, account_id, device_id, created_at, last_seen_at) \
             VALUES ('hash', $1, $2, 0, 0)",
            &[&inspector, &device],
        )
        .await;
        write(
            pool,
            "INSERT INTO sync_mutations (device_id, seq, mutation_id, entity, record_id, status, \
             answer, at) VALUES ($1, 1, $2, 'event', $2, 'rejected', '{}', $3)",
            &[&device, &new_id(), &now],
        )
        .await;
        write(
            pool,
            "INSERT INTO login_throttle (key, failures, first_failure) \
             VALUES ('account:demo.inspector', 1, 0)",
            &[],
        )
        .await;
        write(
            pool,
            "INSERT INTO audit_events (id, at, account_id, action, entity) \
             VALUES ($1, $2, $3, 'read', 'person')",
            &[&new_id(), &now, &inspector],
        )
        .await;
        // A month closed by the demo inspector is a real report of a real village.
        write(
            pool,
            "INSERT INTO month_closings (village_id, month, offences, closed_by, closed_at) \
             VALUES ((SELECT id FROM villages WHERE name_ru = 'Сепе'), '2020-01', 0, $1, $2)",
            &[&inspector, &now],
        )
        .await;
        device
    }

    #[tokio::test]
    async fn a_purge_leaves_no_demo_row_and_a_tombstone_for_every_demo_record_devices_had() {
        let (_dir, pool) = demo_database().await;
        use_demo_inspector(&pool).await;
        let mut synced: Vec<(String, String)> =
            sqlx::query_as("SELECT entity, record_id FROM sync_changes ORDER BY entity, record_id")
                .fetch_all(&pool)
                .await
                .unwrap();
        assert!(synced.iter().any(|(entity, _)| entity == "person"));
        assert!(has_demo_accounts(&pool).await.unwrap());

        let report = purge_demo(&pool).await.unwrap();

        let closing = "SELECT COUNT(*) FROM month_closings WHERE month = '2020-01' \
                       AND closed_by IS NULL";
        assert_eq!(
            count(&pool, closing).await,
            1,
            "the real closing stays, its author cleared"
        );
        for table in demo_tables(&pool).await {
            let left = count(
                &pool,
                &format!("SELECT COUNT(*) FROM {table} WHERE demo = TRUE"),
            )
            .await;
            assert_eq!(left, 0, "{table}");
        }
        for table in [
            "accounts",
            "account_villages",
            "person_handouts",
            "devices",
            "sessions",
            "sync_mutations",
            "login_throttle",
            "audit_events",
            "task_assignees",
            "offence_persons",
        ] {
            let left = count(&pool, &format!("SELECT COUNT(*) FROM {table}")).await;
            assert_eq!(left, 0, "{table}");
        }
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM villages").await, 13);
        let mut tombstoned: Vec<(String, String)> = sqlx::query_as(
            "SELECT entity, record_id FROM sync_changes WHERE deleted = TRUE \
             ORDER BY entity, record_id",
        )
        .fetch_all(&pool)
        .await
        .unwrap();
        synced.sort();
        tombstoned.sort();
        assert_eq!(
            tombstoned, synced,
            "every record a device could hold is a tombstone"
        );
        assert_eq!(report.tombstones, synced.len() as u64);
        assert!(!has_demo_accounts(&pool).await.unwrap());
        let summary = report.to_string();
        assert!(summary.contains("accounts 7"), "{summary}");
        assert!(summary.contains("councils 13"), "{summary}");
        assert!(
            !summary.contains("Демо"),
            "counts only, never names: {summary}"
        );

        let again = purge_demo(&pool).await.unwrap();
        assert!(again.is_empty());
        assert_eq!(again.to_string(), "no demo data to remove");
    }

    #[tokio::test]
    async fn real_rows_keep_everything_but_their_pointers_to_demo_rows() {
        let (_dir, pool) = demo_database().await;
        let demo_device = use_demo_inspector(&pool).await;
        let inspector = demo_id(
            &pool,
            "SELECT id FROM accounts WHERE login = 'demo.inspector'",
        )
        .await;
        let person = demo_id(
            &pool,
            "SELECT id FROM persons \
             WHERE village_id = (SELECT id FROM villages WHERE name_ru = 'Сепе')",
        )
        .await;
        let proposal = demo_id(&pool, "SELECT id FROM proposals LIMIT 1").await;
        let meeting = demo_id(&pool, "SELECT id FROM meetings LIMIT 1").await;
        let demo_task = demo_id(&pool, "SELECT id FROM tasks LIMIT 1").await;
        let (village, member): (String, String) = sqlx::query_as(
            "SELECT c.village_id, m.id FROM council_members m \
             JOIN councils c ON c.id = m.council_id \
             WHERE c.village_id = (SELECT village_id FROM persons WHERE id = $1) LIMIT 1",
        )
        .bind(&person)
        .fetch_one(&pool)
        .await
        .unwrap();
        let now = now_rfc3339();
        let real_account = new_id();
        write(
            &pool,
            "INSERT INTO accounts (id, login, display_name, role, scope_kind, password_hash, \
             created_at) VALUES ($1, 'real.coordinator', 'X', 'region_coordinator', 'region', \
             'x', $2)",
            &[&real_account, &now],
        )
        .await;
        // A real account's sync id first used in a browser the demo inspector signed in from.
        let real_device = new_id();
        write(
            &pool,
            "INSERT INTO devices (id, account_id, created_at, browser_id) VALUES ($1, $2, $3, $4)",
            &[&real_device, &real_account, &now, &demo_device],
        )
        .await;
        let task = new_id();
        write(
            &pool,
            "INSERT INTO tasks (id, village_id, title, creator_id, priority, status, person_id, \
             proposal_id, created_at, updated_at) \
             VALUES ($1, $2, 'real', $3, 'normal', 'new', $4, $5, $6, $6)",
            &[&task, &village, &inspector, &person, &proposal, &now],
        )
        .await;
        write(
            &pool,
            "INSERT INTO task_assignees (task_id, member_id) VALUES ($1, $2)",
            &[&task, &member],
        )
        .await;
        // A real account's progress note on a demo task goes with the task.
        write(
            &pool,
            "INSERT INTO task_updates (id, task_id, author_id, note, created_at) \
             VALUES ($1, $2, $3, 'real note', $4)",
            &[&new_id(), &demo_task, &real_account, &now],
        )
        .await;
        let offence = new_id();
        write(
            &pool,
            "INSERT INTO offences (id, village_id, occurred_at, category, kind, recorded_by, \
             created_at, updated_at) VALUES ($1, $2, $3, 'theft', 'administrative', $4, $3, $3)",
            &[&offence, &village, &now, &inspector],
        )
        .await;
        write(
            &pool,
            "INSERT INTO offence_persons (offence_id, person_id) VALUES ($1, $2)",
            &[&offence, &person],
        )
        .await;
        let visit = new_id();
        write(
            &pool,
            "INSERT INTO visits (id, village_id, person_id, visitor_id, kind, visited_at, \
             created_at, updated_at) VALUES ($1, $2, $3, $4, 'visit', $5, $5, $5)",
            &[&visit, &village, &person, &inspector, &now],
        )
        .await;
        let decision = new_id();
        write(
            &pool,
            "INSERT INTO decisions (id, village_id, meeting_id, body, created_at, updated_at) \
             VALUES ($1, $2, $3, 'real', $4, $4)",
            &[&decision, &village, &meeting, &now],
        )
        .await;
        let offence_version_before = scalar(&pool, SYNC_VERSION, &offence).await;

        let report = purge_demo(&pool).await.unwrap();

        let task_row: (Option<String>, Option<String>, Option<String>, i64) = sqlx::query_as(
            "SELECT creator_id, person_id, proposal_id, version FROM tasks WHERE id = $1",
        )
        .bind(&task)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert_eq!(task_row.0, None);
        assert_eq!(task_row.1, None);
        assert_eq!(task_row.2, None);
        assert!(task_row.3 > 1, "devices pull the changed task again");
        let checks = [
            (
                "SELECT COUNT(*) FROM task_assignees WHERE task_id = $1",
                &task,
                0,
            ),
            (
                "SELECT COUNT(*) FROM offence_persons WHERE offence_id = $1",
                &offence,
                0,
            ),
            (
                "SELECT version FROM offences WHERE id = $1 AND recorded_by IS NULL",
                &offence,
                2,
            ),
            (
                "SELECT version FROM visits \
                 WHERE id = $1 AND person_id IS NULL AND visitor_id IS NULL",
                &visit,
                2,
            ),
            (
                "SELECT version FROM decisions WHERE id = $1 AND meeting_id IS NULL",
                &decision,
                2,
            ),
            (
                "SELECT COUNT(*) FROM devices WHERE id = $1 AND browser_id IS NULL",
                &real_device,
                1,
            ),
            (
                "SELECT COUNT(*) FROM accounts WHERE id = $1",
                &real_account,
                1,
            ),
            (
                "SELECT COUNT(*) FROM task_updates WHERE task_id = $1",
                &demo_task,
                0,
            ),
            (
                "SELECT deleted FROM sync_changes WHERE record_id = $1",
                &task,
                0,
            ),
        ];
        for (sql, id, expected) in checks {
            assert_eq!(scalar(&pool, sql, id).await, expected, "{sql}");
        }
        let offence_version_after = scalar(&pool, SYNC_VERSION, &offence).await;
        assert!(offence_version_after > offence_version_before);
        let summary = report.to_string();
        assert!(
            summary.contains("references to them cleared in real rows: tasks 4"),
            "{summary}"
        );
    }

    #[tokio::test]
    async fn a_demo_council_in_real_use_stays_as_the_real_council_without_demo_members() {
        let (_dir, pool) = demo_database().await;
        let council = demo_id(&pool, "SELECT id FROM councils LIMIT 1").await;
        let now = now_rfc3339();
        write(
            &pool,
            "INSERT INTO meetings (id, council_id, held_on, created_at, updated_at) \
             VALUES ($1, $2, '2026-01-15', $3, $3)",
            &[&new_id(), &council, &now],
        )
        .await;
        let version_before = scalar(
            &pool,
            "SELECT version FROM councils WHERE id = $1",
            &council,
        )
        .await;

        purge_demo(&pool).await.unwrap();

        assert_eq!(count(&pool, "SELECT COUNT(*) FROM councils").await, 1);
        let kept =
            "SELECT COUNT(*) FROM councils WHERE id = $1 AND demo = FALSE AND formed_on IS NULL";
        assert_eq!(scalar(&pool, kept, &council).await, 1);
        let version = "SELECT version FROM councils WHERE id = $1";
        assert_eq!(scalar(&pool, version, &council).await, version_before + 1);
        assert_eq!(
            count(&pool, "SELECT COUNT(*) FROM council_members").await,
            0
        );
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM meetings").await, 1);
        assert!(!has_demo_accounts(&pool).await.unwrap());
    }

    #[tokio::test]
    async fn a_purged_database_does_not_get_the_demo_again() {
        let (_dir, pool) = demo_database().await;
        purge_demo(&pool).await.unwrap();
        crate::seed::load(&pool, true).await.unwrap();
        assert!(!has_demo_accounts(&pool).await.unwrap());
        assert_eq!(count(&pool, "SELECT COUNT(*) FROM councils").await, 0);
    }
}
