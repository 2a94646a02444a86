//! Queries of the places area (server only). Plain `$n` parameters and text ids keep the SQL
//! portable to PostgreSQL.
use super::types::{LocalizedName, ProgramStatus, VillageDetails, VillageSummary};
use crate::councils::{CouncilMember, MemberRole};
use crate::db::DbPool;
use crate::stored::StoredEnum;

#[derive(sqlx::FromRow)]
struct VillageRow {
    id: String,
    name_ru: String,
    name_kk: Option<String>,
    district_id: String,
    district_ru: String,
    district_kk: Option<String>,
    rural_okrug_ru: Option<String>,
    program_status: String,
    joined_on: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    position_approximate: bool,
}

impl VillageRow {
    fn status(&self) -> Result<ProgramStatus, sqlx::Error> {
        ProgramStatus::parse(&self.program_status).map_err(|e| sqlx::Error::Decode(Box::new(e)))
    }

    fn name(&self) -> LocalizedName {
        LocalizedName {
            ru: self.name_ru.clone(),
            kk: self.name_kk.clone(),
        }
    }

    fn district(&self) -> LocalizedName {
        LocalizedName {
            ru: self.district_ru.clone(),
            kk: self.district_kk.clone(),
        }
    }
}

const VILLAGE_COLUMNS: &str =
    "SELECT v.id, v.name_ru, v.name_kk, v.district_id, d.name_ru AS district_ru, \
     d.name_kk AS district_kk, v.rural_okrug_ru, v.program_status, v.joined_on, v.lat, v.lon, \
     v.position_approximate FROM villages v JOIN districts d ON d.id = v.district_id";

pub async fn list_villages(pool: &DbPool) -> Result<Vec<VillageSummary>, sqlx::Error> {
    let rows: Vec<VillageRow> =
        sqlx::query_as(&format!("{VILLAGE_COLUMNS} ORDER BY d.name_ru, v.name_ru"))
            .fetch_all(pool)
            .await?;
    rows.into_iter()
        .map(|row| {
            Ok(VillageSummary {
                status: row.status()?,
                name: row.name(),
                district: row.district(),
                district_id: row.district_id,
                centre: row.lat.zip(row.lon),
                id: row.id,
            })
        })
        .collect()
}

/// What the village's results need of it: its district and the day it joined the program.
pub async fn village_program(
    pool: &DbPool,
    id: &str,
) -> Result<Option<(String, Option<String>)>, sqlx::Error> {
    sqlx::query_as("SELECT district_id, joined_on FROM villages WHERE id = $1")
        .bind(id)
        .fetch_optional(pool)
        .await
}

#[derive(sqlx::FromRow)]
struct MemberRow {
    id: String,
    full_name: String,
    role: String,
    phone: Option<String>,
    since: Option<String>,
    demo: bool,
}

pub async fn village_details(
    pool: &DbPool,
    id: &str,
) -> Result<Option<VillageDetails>, sqlx::Error> {
    let row: Option<VillageRow> = sqlx::query_as(&format!("{VILLAGE_COLUMNS} WHERE v.id = $1"))
        .bind(id)
        .fetch_optional(pool)
        .await?;
    let Some(row) = row else {
        return Ok(None);
    };
    let has_council: bool =
        sqlx::query_scalar("SELECT EXISTS(SELECT 1 FROM councils WHERE village_id = $1)")
            .bind(id)
            .fetch_one(pool)
            .await?;
    let member_rows: Vec<MemberRow> = sqlx::query_as(
        "SELECT m.id, m.full_name, m.role, m.phone, m.since, m.demo \
         FROM council_members m JOIN councils c ON c.id = m.council_id \
         WHERE c.village_id = $1 AND m.left_on IS NULL",
    )
    .bind(id)
    .fetch_all(pool)
    .await?;
    let mut council_members = member_rows
        .into_iter()
        .map(|m| {
            Ok(CouncilMember {
                role: MemberRole::parse(&m.role).map_err(|e| sqlx::Error::Decode(Box::new(e)))?,
                id: m.id,
                full_name: m.full_name,
                phone: m.phone,
                since: m.since,
                demo: m.demo,
            })
        })
        .collect::<Result<Vec<_>, sqlx::Error>>()?;
    council_members.sort_by(|a, b| a.role.cmp(&b.role).then(a.full_name.cmp(&b.full_name)));

    Ok(Some(VillageDetails {
        status: row.status()?,
        name: row.name(),
        district: row.district(),
        district_id: row.district_id,
        id: row.id,
        rural_okrug: row.rural_okrug_ru,
        joined_on: row.joined_on,
        lat: row.lat,
        lon: row.lon,
        position_approximate: row.position_approximate,
        has_council,
        council_members,
    }))
}
