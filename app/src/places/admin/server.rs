//! The bodies of the admin's place functions (server only).
use super::{checked_point, taken_field, DistrictEntry, DistrictForm, EditedVillage, VillageForm};
use crate::access::{can, Action, RecordKind, Target};
use crate::accounts::session::SignedIn;
use crate::audit::store::{self as audit, Entry};
use crate::audit::AuditAction;
use crate::db::BeginWrite;
use crate::db::DbConnection;
use crate::errors::{refuse, AppError};
use crate::places::LocalizedName;

/// The caller, if the policy lets them do `action` on villages (the admin alone).
fn admin(action: Action) -> Result<SignedIn, AppError> {
    let who = crate::accounts::signed_in()?;
    if can(
        &who.principal,
        action,
        RecordKind::Village,
        &Target::default(),
    ) {
        Ok(who)
    } else {
        Err(AppError::Forbidden.respond())
    }
}

/// Create without an id, update with one.
fn action_for(id: &str) -> (Action, AuditAction) {
    if id.trim().is_empty() {
        (Action::Create, AuditAction::Create)
    } else {
        (Action::Update, AuditAction::Update)
    }
}

type Names = Vec<(String, String, Option<String>)>;

pub async fn list_districts() -> Result<Vec<DistrictEntry>, AppError> {
    admin(Action::Update)?;
    let pool = crate::db::pool()?;
    let rows: Names = sqlx::query_as("SELECT id, name_ru, name_kk FROM districts ORDER BY name_ru")
        .fetch_all(&pool)
        .await?;
    Ok(rows
        .into_iter()
        .map(|(id, ru, kk)| DistrictEntry {
            id,
            name: LocalizedName { ru, kk },
        })
        .collect())
}

pub async fn save_district(form: DistrictForm) -> Result<String, AppError> {
    let (action, audited) = action_for(&form.id);
    let who = admin(action)?;
    let district = form.checked().map_err(AppError::respond)?;
    let pool = crate::db::pool()?;
    // IMMEDIATE: the names compared are still the names when the write lands.
    let mut tx = pool.begin_write().await?;
    let others: Names = sqlx::query_as("SELECT id, name_ru, name_kk FROM districts")
        .fetch_all(&mut *tx)
        .await?;
    let fields = ("district_name_ru", "district_name_kk");
    let except = form.id.trim();
    let kk = district.name_kk.as_deref();
    if let Some(field) = taken_field(&others, except, &district.name_ru, kk, fields) {
        return refuse(AppError::NameTaken(field.into()));
    }
    let id = if action == Action::Create {
        let id = crate::ids::new_id();
        sqlx::query("INSERT INTO districts (id, name_ru, name_kk) VALUES ($1, $2, $3)")
            .bind(&id)
            .bind(&district.name_ru)
            .bind(&district.name_kk)
            .execute(&mut *tx)
            .await?;
        id
    } else {
        let changed = sqlx::query("UPDATE districts SET name_ru = $1, name_kk = $2 WHERE id = $3")
            .bind(&district.name_ru)
            .bind(&district.name_kk)
            .bind(except)
            .execute(&mut *tx)
            .await?
            .rows_affected();
        if changed == 0 {
            return refuse(AppError::NotFound);
        }
        except.to_owned()
    };
    audit::record(&mut *tx, Entry::by(&who, audited, "district").record(&id)).await?;
    tx.commit().await?;
    Ok(id)
}

/// A district's centre: `None` when there is no such district, `Some(None)` when it has none.
async fn district_centre(
    conn: &mut DbConnection,
    id: &str,
) -> Result<Option<Option<(f64, f64)>>, sqlx::Error> {
    let row: Option<(Option<f64>, Option<f64>)> =
        sqlx::query_as("SELECT centre_lat, centre_lon FROM districts WHERE id = $1")
            .bind(id)
            .fetch_optional(conn)
            .await?;
    Ok(row.map(|(lat, lon)| lat.zip(lon)))
}

pub async fn save_village(form: VillageForm) -> Result<String, AppError> {
    let (action, audited) = action_for(&form.id);
    let who = admin(action)?;
    let village = form.checked().map_err(AppError::respond)?;
    let pool = crate::db::pool()?;
    let mut tx = pool.begin_write().await?;
    let Some(centre) = district_centre(&mut tx, &village.district_id).await? else {
        return refuse(AppError::InvalidField("village_district".into()));
    };
    // Names are unique within the district the village will be in (moved ones included).
    let others: Names =
        sqlx::query_as("SELECT id, name_ru, name_kk FROM villages WHERE district_id = $1")
            .bind(&village.district_id)
            .fetch_all(&mut *tx)
            .await?;
    let fields = ("village_name_ru", "village_name_kk");
    let except = form.id.trim();
    let kk = village.name_kk.as_deref();
    if let Some(field) = taken_field(&others, except, &village.name_ru, kk, fields) {
        return refuse(AppError::NameTaken(field.into()));
    }
    let id = if action == Action::Create {
        // Without a position a new village starts at its district's centre, marked
        // approximate, like the villages loaded on first start.
        let (approximate, point) = match village.position {
            Some(point) => (false, Some(point)),
            None => (true, centre),
        };
        let id = crate::ids::new_id();
        sqlx::query(
            "INSERT INTO villages (id, district_id, name_ru, name_kk, rural_okrug_ru, \
             program_status, lat, lon, position_approximate) \
             VALUES ($1, $2, $3, $4, $5, 'not_joined', $6, $7, $8)",
        )
        .bind(&id)
        .bind(&village.district_id)
        .bind(&village.name_ru)
        .bind(&village.name_kk)
        .bind(&village.rural_okrug)
        .bind(point.map(|p| p.0))
        .bind(point.map(|p| p.1))
        .bind(approximate)
        .execute(&mut *tx)
        .await?;
        id
    } else {
        let current: Option<(String, bool)> =
            sqlx::query_as("SELECT district_id, position_approximate FROM villages WHERE id = $1")
                .bind(except)
                .fetch_optional(&mut *tx)
                .await?;
        let Some((old_district, approximate)) = current else {
            return refuse(AppError::NotFound);
        };
        sqlx::query(
            "UPDATE villages SET district_id = $1, name_ru = $2, name_kk = $3, \
             rural_okrug_ru = $4 WHERE id = $5",
        )
        .bind(&village.district_id)
        .bind(&village.name_ru)
        .bind(&village.name_kk)
        .bind(&village.rural_okrug)
        .bind(except)
        .execute(&mut *tx)
        .await?;
        let moved = match village.position {
            Some(point) => Some((false, point)),
            // An approximate position follows the village to its new district's centre.
            None if approximate && old_district != village.district_id => {
                centre.map(|point| (true, point))
            }
            None => None,
        };
        if let Some((approximate, point)) = moved {
            set_position(&mut tx, except, point, approximate).await?;
        }
        except.to_owned()
    };
    audit::record(
        &mut *tx,
        Entry::by(&who, audited, "village")
            .record(&id)
            .village(Some(&id)),
    )
    .await?;
    tx.commit().await?;
    Ok(id)
}

async fn set_position(
    conn: &mut DbConnection,
    id: &str,
    (lat, lon): (f64, f64),
    approximate: bool,
) -> Result<u64, sqlx::Error> {
    Ok(sqlx::query(
        "UPDATE villages SET lat = $1, lon = $2, position_approximate = $3 WHERE id = $4",
    )
    .bind(lat)
    .bind(lon)
    .bind(approximate)
    .bind(id)
    .execute(conn)
    .await?
    .rows_affected())
}

#[derive(sqlx::FromRow)]
struct EditRow {
    id: String,
    district_id: String,
    name_ru: String,
    name_kk: Option<String>,
    rural_okrug_ru: Option<String>,
    lat: Option<f64>,
    lon: Option<f64>,
    position_approximate: bool,
}

pub async fn village_for_edit(id: String) -> Result<EditedVillage, AppError> {
    admin(Action::Update)?;
    let pool = crate::db::pool()?;
    let row: Option<EditRow> = sqlx::query_as(
        "SELECT id, district_id, name_ru, name_kk, rural_okrug_ru, lat, lon, \
         position_approximate FROM villages WHERE id = $1",
    )
    .bind(&id)
    .fetch_optional(&pool)
    .await?;
    let Some(row) = row else {
        return refuse(AppError::NotFound);
    };
    let exact = |value: Option<f64>| {
        value
            .filter(|_| !row.position_approximate)
            .map(|v| v.to_string())
            .unwrap_or_default()
    };
    Ok(EditedVillage {
        form: VillageForm {
            lat: exact(row.lat),
            lon: exact(row.lon),
            id: row.id,
            district_id: row.district_id,
            name_ru: row.name_ru,
            name_kk: row.name_kk.unwrap_or_default(),
            rural_okrug: row.rural_okrug_ru.unwrap_or_default(),
        },
        position_approximate: row.position_approximate,
    })
}

pub async fn place_village(village_id: String, lat: f64, lon: f64) -> Result<(), AppError> {
    let who = admin(Action::Update)?;
    let point = checked_point(lat, lon).map_err(AppError::respond)?;
    let pool = crate::db::pool()?;
    let mut tx = pool.begin_write().await?;
    if set_position(&mut tx, &village_id, point, false).await? == 0 {
        return refuse(AppError::NotFound);
    }
    audit::record(
        &mut *tx,
        Entry::by(&who, AuditAction::Update, "village")
            .record(&village_id)
            .village(Some(&village_id)),
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
