//! What the reports read from the database (server only): the villages with their membership,
//! offences counted by village, month, category and kind, the repeats among them, the months
//! closed and each village's last offence. The arithmetic is in `compute`.
use super::months::Month;
use crate::db::DbPool;
use crate::offences::repeat::{repeat_ids, OffenceDates};
use crate::places::{LocalizedName, ProgramStatus};
use crate::stored::StoredEnum;
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

pub async fn villages(pool: &DbPool) -> Result<Vec<ReportVillage>, sqlx::Error> {
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

/// Offences of one village in one month.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Count {
    pub village_id: String,
    pub month: Month,
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

/// Limits a reading to one village (a trend) or reads them all (the overview).
#[derive(Clone, Copy, Debug)]
pub enum Villages<'a> {
    All,
    One(&'a str),
}

impl Villages<'_> {
    fn id(self) -> Option<String> {
        match self {
            Villages::All => None,
            Villages::One(id) => Some(id.to_owned()),
        }
    }
}

/// Offences by village and month from the tallies the write paths keep (migration 0013), and
/// the repeats among them from `repeats_from` on.
pub async fn counts(
    pool: &DbPool,
    from: Month,
    repeats_from: Month,
    villages: Villages<'_>,
) -> Result<Counts, sqlx::Error> {
    let started = std::time::Instant::now();
    // One row per village with its months packed as "2026-10 3,2026-11 1": the driver hands
    // rows over one by one, and a row per village and month (340,000 of them for 6,000
    // villages) was most of a large region's overview time; SQLite packs them in a tenth.
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT village_id, string_agg(month || ' ' || offences, ',') FROM offence_months \
         WHERE month >= $1 AND offences > 0 AND ($2 IS NULL OR village_id = $2) \
         GROUP BY village_id",
    )
    .bind(from.to_string())
    .bind(villages.id())
    .fetch_all(pool)
    .await?;
    let mut offences = Vec::new();
    for (village_id, packed) in rows {
        offences.extend(packed.split(',').filter_map(|item| {
            let (month, count) = item.split_once(' ')?;
            Some(Count {
                village_id: village_id.clone(),
                month: Month::of(month)?,
                offences: count.parse().ok()?,
            })
        }));
    }
    let tallied = started.elapsed();
    let mut counts = Counts {
        offences,
        ..Counts::default()
    };
    // The repeat rule looks a year back: the offences of the 12 months before `repeats_from`
    // are read too, wherever they happened, and no earlier one can make a repeat.
    let lookback = repeats_from.plus(-12).first_day();
    // The links carry their offence's day and village (migration 0013): a range scan.
    let links: Vec<(String, String, String, String)> = match villages {
        Villages::All => {
            sqlx::query_as(
                "SELECT offence_id, occurred_at, village_id, person_id FROM offence_persons \
                 WHERE occurred_at >= $1",
            )
            .bind(&lookback)
            .fetch_all(pool)
            .await?
        }
        Villages::One(village) => {
            sqlx::query_as(
                "SELECT op.offence_id, op.occurred_at, op.village_id, op.person_id \
                 FROM offence_persons op WHERE op.occurred_at >= $1 AND op.person_id IN ( \
                 SELECT person_id FROM offence_persons WHERE village_id = $2 AND occurred_at >= $1)",
            )
            .bind(&lookback)
            .bind(village)
            .fetch_all(pool)
            .await?
        }
    };
    let mut persons: HashMap<&str, (&str, &str, Vec<String>)> = HashMap::new();
    for (id, date, village, person) in &links {
        persons
            .entry(id)
            .or_insert_with(|| (date, village, Vec::new()))
            .2
            .push(person.clone());
    }
    let repeat_set = repeat_ids(persons.iter().map(|(id, (date, _, persons))| OffenceDates {
        id,
        date,
        persons,
    }));
    for (id, (date, village, offenders)) in &persons {
        let Some(month) = Month::of(date).filter(|month| *month >= repeats_from) else {
            continue;
        };
        if !repeat_set.contains(*id) {
            continue;
        }
        let key = ((*village).to_owned(), month);
        *counts.repeats.entry(key.clone()).or_default() += 1;
        counts
            .repeat_persons
            .entry(key)
            .or_default()
            .extend(offenders.iter().cloned());
    }
    tracing::debug!(
        tallies_ms = tallied.as_millis() as u64,
        repeats_ms = (started.elapsed() - tallied).as_millis() as u64,
        "offences counted"
    );
    Ok(counts)
}

/// How many offences of one category and kind happened in one month.
#[derive(Clone, Debug, PartialEq, sqlx::FromRow)]
pub struct ThemeCount {
    /// YYYY-MM.
    pub month: String,
    pub category: String,
    pub kind: String,
    pub offences: i64,
}

/// Offences by month, category and kind from `first` to `last` (whole months) in `villages`
/// (all of them when `None`), from the index that holds all three.
pub async fn themes(
    pool: &DbPool,
    first: Month,
    last: Month,
    villages: Option<&[String]>,
) -> Result<Vec<ThemeCount>, sqlx::Error> {
    // The month is the date's first seven characters, as the `offence_months` tally keeps it.
    let mut query = sqlx::QueryBuilder::<crate::db::Db>::new(
        "SELECT substr(occurred_at, 1, 7) AS month, category, kind, COUNT(*) AS offences \
         FROM offences WHERE occurred_at >= ",
    );
    query
        .push_bind(first.first_day())
        .push(" AND occurred_at < ")
        .push_bind(last.plus(1).first_day());
    if let Some(villages) = villages {
        crate::db::push_in(&mut query, "village_id", villages);
    }
    query.push(" GROUP BY 1, 2, 3");
    query.build_query_as().fetch_all(pool).await
}

/// The months closed since `from`, by village.
pub async fn closings(
    pool: &DbPool,
    from: Month,
    villages: Villages<'_>,
) -> Result<HashSet<(String, Month)>, sqlx::Error> {
    let rows: Vec<(String, String)> = sqlx::query_as(
        "SELECT village_id, month FROM month_closings \
         WHERE month >= $1 AND ($2 IS NULL OR village_id = $2)",
    )
    .bind(from.to_string())
    .bind(villages.id())
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(village, month)| Some((village, Month::of(&month)?)))
        .collect())
}

/// Each village's latest offence day up to `today`: one index seek per village.
pub async fn last_offences(
    pool: &DbPool,
    today: &str,
) -> Result<HashMap<String, String>, sqlx::Error> {
    // Every time of `today` sorts before "…T99", and the next day after it.
    let end_of_today = format!("{today}T99");
    let rows: Vec<(String, Option<String>)> = sqlx::query_as(
        "SELECT v.id, (SELECT substr(MAX(o.occurred_at), 1, 10) FROM offences o \
         WHERE o.village_id = v.id AND o.occurred_at <= $1) FROM villages v",
    )
    .bind(end_of_today)
    .fetch_all(pool)
    .await?;
    Ok(rows
        .into_iter()
        .filter_map(|(village, day)| Some((village, day?)))
        .collect())
}

/// The first month with an offence on record anywhere (see `Facts::data_start`).
pub async fn data_start(pool: &DbPool) -> Result<Option<Month>, sqlx::Error> {
    let first: Option<String> =
        sqlx::query_scalar("SELECT MIN(month) FROM offence_months WHERE offences > 0")
            .fetch_one(pool)
            .await?;
    Ok(first.as_deref().and_then(Month::of))
}
