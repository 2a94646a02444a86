//! What the reports read from the database (server only): the villages with their membership,
//! offences counted by village, month, category and kind, the repeats among them, the months
//! closed and each village's last offence. The arithmetic is in `compute`.
use super::months::Month;
use crate::offences::repeat::{repeat_ids, OffenceDates};
use crate::places::{LocalizedName, ProgramStatus};
use crate::stored::StoredEnum;
use sqlx::SqlitePool;
use std::collections::{HashMap, HashSet};

/// A village as the reports need it.
#[derive(Clone, Debug, PartialEq)]
pub struct ReportVillage {
    pub id: String,
    pub name: LocalizedName,
    pub district_id: String,
    pub district: LocalizedName,
    pub status: ProgramStatus,
    pub joined_on: Option<String>,
    pub left_on: Option<String>,
    pub population: Option<i64>,
}

#[derive(sqlx::FromRow)]
struct VillageRow {
    id: String,
    name_ru: String,
    name_kk: Option<String>,
    district_id: String,
    district_ru: String,
    district_kk: Option<String>,
    program_status: String,
    joined_on: Option<String>,
    left_on: Option<String>,
    population: Option<i64>,
}

pub async fn villages(pool: &SqlitePool) -> Result<Vec<ReportVillage>, sqlx::Error> {
    let rows: Vec<VillageRow> = sqlx::query_as(
        "SELECT v.id, v.name_ru, v.name_kk, v.district_id, d.name_ru AS district_ru, \
         d.name_kk AS district_kk, v.program_status, v.joined_on, v.left_on, v.population \
         FROM villages v JOIN districts d ON d.id = v.district_id \
         ORDER BY d.name_ru, v.name_ru",
    )
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|row| {
            Some(ReportVillage {
                status: ProgramStatus::parse(&row.program_status).ok()?,
                id: row.id,
                name: LocalizedName {
                    ru: row.name_ru,
                    kk: row.name_kk,
                },
                district_id: row.district_id,
                district: LocalizedName {
                    ru: row.district_ru,
                    kk: row.district_kk,
                },
                joined_on: row.joined_on,
                left_on: row.left_on,
                population: row.population,
            })
        })
        .collect())
}

/// Offences of one village, month, category and kind.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub village_id: String,
    pub month: Month,
    pub category: String,
    pub kind: String,
    pub offences: u64,
}

/// Everything counted from `from` (a first day) on.
#[derive(Clone, Debug, Default)]
pub struct Counts {
    pub offences: Vec<Count>,
    /// Repeat offences by village and month.
    pub repeats: HashMap<(String, Month), u64>,
    /// The persons of each village's repeats, by month: counted, never shown.
    pub repeat_persons: HashMap<(String, Month), HashSet<String>>,
}

pub async fn counts(pool: &SqlitePool, from: Month) -> Result<Counts, sqlx::Error> {
    let since = from.first_day();
    let rows: Vec<(String, String, String, String, i64)> = sqlx::query_as(
        "SELECT village_id, substr(occurred_at, 1, 7), category, kind, COUNT(*) FROM offences \
         WHERE occurred_at >= $1 GROUP BY 1, 2, 3, 4",
    )
    .bind(&since)
    .fetch_all(pool)
    .await?;
    let offences = rows
        .into_iter()
        .filter_map(|(village_id, month, category, kind, offences)| {
            Some(Count {
                village_id,
                month: Month::of(&month)?,
                category,
                kind,
                offences: offences.max(0) as u64,
            })
        })
        .collect();
    // The repeat rule looks a year back, so every offence of a person seen since `from` is
    // read, wherever and whenever it happened.
    let linked: Vec<(String, String, String, String)> = sqlx::query_as(
        "SELECT o.id, o.occurred_at, o.village_id, group_concat(op.person_id) \
         FROM offences o JOIN offence_persons op ON op.offence_id = o.id \
         WHERE op.person_id IN (SELECT p.person_id FROM offence_persons p \
             JOIN offences r ON r.id = p.offence_id WHERE r.occurred_at >= $1) \
         GROUP BY o.id",
    )
    .bind(&since)
    .fetch_all(pool)
    .await?;
    let persons: Vec<Vec<String>> = linked
        .iter()
        .map(|(_, _, _, list)| list.split(',').map(str::to_owned).collect())
        .collect();
    let repeat_set = repeat_ids(
        linked
            .iter()
            .zip(&persons)
            .map(|((id, date, _, _), persons)| OffenceDates { id, date, persons }),
    );
    let mut counts = Counts {
        offences,
        ..Counts::default()
    };
    for ((id, date, village_id, _), persons) in linked.iter().zip(&persons) {
        let Some(month) = Month::of(date).filter(|month| *month >= from) else {
            continue;
        };
        if !repeat_set.contains(id) {
            continue;
        }
        let key = (village_id.clone(), month);
        *counts.repeats.entry(key.clone()).or_default() += 1;
        counts
            .repeat_persons
            .entry(key)
            .or_default()
            .extend(persons.iter().cloned());
    }
    Ok(counts)
}

/// The months closed since `from`, by village.
pub async fn closings(
    pool: &SqlitePool,
    from: Month,
) -> Result<HashSet<(String, Month)>, sqlx::Error> {
    let rows: Vec<(String, String)> =
        sqlx::query_as("SELECT village_id, month FROM month_closings WHERE month >= $1")
            .bind(from.to_string())
            .fetch_all(pool)
            .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(village, month)| Some((village, Month::of(&month)?)))
        .collect())
}

/// Each village's latest offence day up to `today`.
pub async fn last_offences(
    pool: &SqlitePool,
    today: &str,
) -> Result<HashMap<String, String>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT village_id, substr(MAX(occurred_at), 1, 10) FROM offences \
         WHERE substr(occurred_at, 1, 10) <= $1 GROUP BY village_id",
    )
    .bind(today)
    .fetch_all(pool)
    .await?;
    Ok(rows.into_iter().collect())
}
