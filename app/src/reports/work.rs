//! The council's work in a village per month (server only): tasks done and overdue,
//! proposals and how many were taken up, events with their attendance, and the inspector's
//! visits. Counts only.
use super::months::Month;
use super::types::CouncilMonth;
use crate::db::DbPool;
use std::collections::HashMap;

/// The village's last `count` months up to `last`, oldest first.
pub async fn council_work(
    pool: &DbPool,
    village_id: &str,
    last: Month,
    count: i32,
    today: &str,
) -> Result<Vec<CouncilMonth>, sqlx::Error> {
    let first = last.plus(-(count - 1));
    let from = first.first_day();
    let until = last.plus(1).first_day();
    let by_month = |rows: Vec<(String, i64, i64)>| -> HashMap<String, (u64, u64)> {
        rows.into_iter()
            .map(|(month, a, b)| (month, (a.max(0) as u64, b.max(0) as u64)))
            .collect()
    };
    // A task is done in the month of its first "done" (or "verified") progress note.
    let done = by_month(
        sqlx::query_as(
            "SELECT substr(d, 1, 7), COUNT(*), CAST(0 AS BIGINT) FROM (SELECT MIN(u.created_at) AS d \
             FROM task_updates u JOIN tasks t ON t.id = u.task_id \
             WHERE t.village_id = $1 AND u.status IN ('done', 'verified') GROUP BY u.task_id) AS first_done \
             WHERE d >= $2 AND d < $3 GROUP BY 1",
        )
        .bind(village_id)
        .bind(&from)
        .bind(&until)
        .fetch_all(pool)
        .await?,
    );
    // Overdue now, counted in the month it was due.
    let overdue = by_month(
        sqlx::query_as(
            "SELECT substr(due_on, 1, 7), COUNT(*), CAST(0 AS BIGINT) FROM tasks WHERE village_id = $1 \
             AND due_on >= $2 AND due_on < $3 AND due_on < $4 \
             AND status IN ('new', 'in_progress') GROUP BY 1",
        )
        .bind(village_id)
        .bind(&from)
        .bind(&until)
        .bind(today)
        .fetch_all(pool)
        .await?,
    );
    let proposals = by_month(
        sqlx::query_as(
            "SELECT substr(submitted_on, 1, 7), COUNT(*), \
             COUNT(*) FILTER (WHERE status IN ('accepted', 'implemented')) FROM proposals \
             WHERE village_id = $1 AND submitted_on >= $2 AND submitted_on < $3 GROUP BY 1",
        )
        .bind(village_id)
        .bind(&from)
        .bind(&until)
        .fetch_all(pool)
        .await?,
    );
    let events = by_month(
        sqlx::query_as(
            "SELECT substr(held_on, 1, 7), COUNT(*), CAST(COALESCE(SUM(attendance), 0) AS BIGINT) FROM events \
             WHERE village_id = $1 AND held_on >= $2 AND held_on < $3 GROUP BY 1",
        )
        .bind(village_id)
        .bind(&from)
        .bind(&until)
        .fetch_all(pool)
        .await?,
    );
    let visits = by_month(
        sqlx::query_as(
            "SELECT substr(visited_at, 1, 7), COUNT(*), CAST(0 AS BIGINT) FROM visits \
             WHERE village_id = $1 AND visited_at >= $2 AND visited_at < $3 GROUP BY 1",
        )
        .bind(village_id)
        .bind(&from)
        .bind(&until)
        .fetch_all(pool)
        .await?,
    );
    let get = |map: &HashMap<String, (u64, u64)>, month: &str| {
        map.get(month).copied().unwrap_or_default()
    };
    Ok(first
        .run(count)
        .map(|month| {
            let key = month.to_string();
            CouncilMonth {
                tasks_done: get(&done, &key).0,
                tasks_overdue: get(&overdue, &key).0,
                proposals: get(&proposals, &key).0,
                proposals_taken_up: get(&proposals, &key).1,
                events: get(&events, &key).0,
                attendance: get(&events, &key).1,
                visits: get(&visits, &key).0,
                month: key,
            }
        })
        .collect())
}
