//! Map features in the database (server only): written through sync pushes, or a whole layer
//! at once by the admin's file import.
use super::geometry::{Geometry, ImportedFeature};
use super::tiles::Area;
use super::types::{Feature, NewFeature};
use crate::access::Place;
use crate::access::{can, Action, RecordKind, Target};
use crate::accounts::session::SignedIn;
use crate::db::BeginWrite;
use crate::db::{DbConnection, DbPool};
use crate::sync::contract::Applied;
use crate::sync::contract::Entity;
use crate::sync::contract::Reason;
use crate::sync::kind::{read_in_village, SyncedKind};
use crate::sync::write::WriteResult;
use crate::sync::write::{changeable, decode, may_create_in, stays_in, village_place};

/// A stored feature, its geometry still the GeoJSON text the column keeps.
#[derive(sqlx::FromRow)]
struct Row {
    id: String,
    village_id: String,
    layer: String,
    kind: Option<String>,
    name: Option<String>,
    geometry: String,
    version: i64,
    updated_at: String,
}

const SELECT: &str =
    "SELECT id, village_id, layer, kind, name, geometry, version, updated_at FROM map_features";

fn feature(row: Row) -> Option<Feature> {
    Some(Feature {
        id: row.id,
        village_id: row.village_id,
        layer: row.layer,
        kind: row.kind,
        name: row.name,
        // Written only after `Geometry::check`; a row that does not parse is left out.
        geometry: serde_json::from_str(&row.geometry).ok()?,
        version: row.version,
        updated_at: row.updated_at,
    })
}

pub async fn load(conn: &mut DbConnection, id: &str) -> Result<Option<Feature>, sqlx::Error> {
    let row: Option<Row> = sqlx::query_as(&format!("{SELECT} WHERE id = $1"))
        .bind(id)
        .fetch_optional(conn)
        .await?;
    Ok(row.and_then(feature))
}

fn decoded(payload: serde_json::Value) -> Result<(NewFeature, Geometry), Reason> {
    decode::<NewFeature>(payload).and_then(|draft| draft.checked())
}

crate::changeable_record!(Feature);

impl SyncedKind for Feature {
    const ENTITY: Entity = Entity::MapFeature;

    async fn create(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        create(conn, who, id, payload, now).await
    }

    async fn update(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        base_version: Option<i64>,
        payload: serde_json::Value,
        now: &str,
    ) -> WriteResult<Applied> {
        update(conn, who, id, base_version, payload, now).await
    }

    async fn delete(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        base_version: Option<i64>,
    ) -> WriteResult<Applied> {
        delete(conn, who, id, base_version).await
    }

    async fn readable(
        conn: &mut DbConnection,
        who: &SignedIn,
        id: &str,
        place: &Place,
    ) -> Result<Option<serde_json::Value>, sqlx::Error> {
        read_in_village::<Self, _>(who, place, load(conn, id)).await
    }
}

pub async fn create(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let (draft, geometry) = decoded(payload)?;
    may_create_in(conn, who, RecordKind::MapFeature, &draft.village_id).await?;
    insert(
        conn,
        record_id,
        &draft.village_id,
        &draft.layer,
        draft.kind.as_deref(),
        draft.name.as_deref(),
        &geometry,
        &who.principal.account_id,
        now,
    )
    .await?;
    Ok(Applied { version: 1 })
}

#[allow(clippy::too_many_arguments)]
async fn insert(
    conn: &mut DbConnection,
    id: &str,
    village_id: &str,
    layer: &str,
    kind: Option<&str>,
    name: Option<&str>,
    geometry: &Geometry,
    by: &str,
    now: &str,
) -> Result<(), sqlx::Error> {
    sqlx::query(
        "INSERT INTO map_features (id, village_id, layer, kind, name, geometry, version, \
         created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $8, $8)",
    )
    .bind(id)
    .bind(village_id)
    .bind(layer)
    .bind(kind)
    .bind(name)
    .bind(serde_json::to_string(geometry).unwrap_or_default())
    .bind(by)
    .bind(now)
    .execute(conn)
    .await?;
    Ok(())
}

/// A point moved, an area redrawn, a name corrected; the feature keeps its village and layer.
pub async fn update(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
    payload: serde_json::Value,
    now: &str,
) -> WriteResult<Applied> {
    let loaded = load(conn, record_id).await?;
    let current = changeable(conn, who, RecordKind::MapFeature, loaded, base_version).await?;
    let (draft, geometry) = decoded(payload)?;
    stays_in(&current.village_id, &draft.village_id)?;
    if draft.layer != current.layer {
        return Err(crate::fields::invalid(
            "layer",
            crate::sync::contract::FieldRule::UnknownChoice,
        )
        .into());
    }
    let version = current.version + 1;
    sqlx::query(
        "UPDATE map_features SET kind = $1, name = $2, geometry = $3, version = $4, \
         updated_at = $5 WHERE id = $6",
    )
    .bind(&draft.kind)
    .bind(&draft.name)
    .bind(serde_json::to_string(&geometry).unwrap_or_default())
    .bind(version)
    .bind(now)
    .bind(record_id)
    .execute(conn)
    .await?;
    Ok(Applied { version })
}

/// A point put in by mistake is removed (the devices get a tombstone).
pub async fn delete(
    conn: &mut DbConnection,
    who: &SignedIn,
    record_id: &str,
    base_version: Option<i64>,
) -> WriteResult<Applied> {
    let loaded = load(conn, record_id).await?;
    let current = changeable(conn, who, RecordKind::MapFeature, loaded, base_version).await?;
    sqlx::query("DELETE FROM map_features WHERE id = $1")
        .bind(record_id)
        .execute(conn)
        .await?;
    Ok(Applied {
        version: current.version + 1,
    })
}

/// Why an import was not written.
#[derive(Debug, PartialEq, Eq)]
pub enum ImportRefusal {
    NotFound,
    Forbidden,
}

/// Replaces one layer of a village with the features of a checked file, in one transaction:
/// the old layer stays whole if anything fails. Admin only (the village's map data).
/// Importing replaces what inspectors drew: the admin's task (DESIGN §1: "map data"). Also
/// asked before an import's body is read, so nobody else makes the server take in 4 MB.
pub fn may_import_layers(who: &SignedIn) -> bool {
    who.principal.role == crate::access::Role::Admin
}

pub async fn import_layer(
    pool: &DbPool,
    who: &SignedIn,
    village_id: &str,
    layer: &str,
    features: &[ImportedFeature],
    now: &str,
) -> Result<Result<usize, ImportRefusal>, sqlx::Error> {
    let mut tx = pool.begin_write().await?;
    let Some(place) = village_place(&mut tx, village_id).await? else {
        return Ok(Err(ImportRefusal::NotFound));
    };
    let target = Target {
        place: Some(&place),
        ..Target::default()
    };
    if !may_import_layers(who)
        || !can(
            &who.principal,
            Action::Create,
            RecordKind::MapFeature,
            &target,
        )
    {
        return Ok(Err(ImportRefusal::Forbidden));
    }
    sqlx::query("DELETE FROM map_features WHERE village_id = $1 AND layer = $2")
        .bind(village_id)
        .bind(layer)
        .execute(&mut *tx)
        .await?;
    for imported in features {
        insert(
            &mut tx,
            &crate::ids::new_id(),
            village_id,
            layer,
            imported.kind.as_deref(),
            imported.name.as_deref(),
            &imported.geometry,
            &who.principal.account_id,
            now,
        )
        .await?;
    }
    if layer == "boundary" {
        // The village's own record keeps its outline too (DESIGN §2: village boundary), and
        // its position becomes the middle of that outline: no longer approximate.
        let outline = features.first();
        let centre = outline
            .and_then(|f| Area::of_points(f.geometry.lat_lons()))
            .map(Area::centre);
        sqlx::query(
            "UPDATE villages SET boundary_geojson = $1, \
             lat = COALESCE($2, lat), lon = COALESCE($3, lon), \
             position_approximate = CASE WHEN $2 IS NULL THEN position_approximate ELSE FALSE END \
             WHERE id = $4",
        )
        .bind(outline.and_then(|f| serde_json::to_string(&f.geometry).ok()))
        .bind(centre.map(|(lat, _)| lat))
        .bind(centre.map(|(_, lon)| lon))
        .bind(village_id)
        .execute(&mut *tx)
        .await?;
    }
    tx.commit().await?;
    Ok(Ok(features.len()))
}
