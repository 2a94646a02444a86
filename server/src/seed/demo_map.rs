//! A demo map for Сепе: a made-up outline, two streets, households along them (two of them the
//! demo persons' addresses) and a school, an akimat, a shop, a water point and a pasture. It
//! is drawn around the village's approximate centre and is not the real village: every row
//! carries `demo = TRUE`.
use super::{new_id, now_rfc3339, SeedError};
use app::db::Db;
use serde_json::json;
use sqlx::Transaction;

/// Degrees per 100 m north (latitude) at about 51.5° N, and east (longitude).
const NORTH_100M: f64 = 0.0009;
const EAST_100M: f64 = 0.00145;

pub(super) async fn load(tx: &mut Transaction<'static, Db>) -> Result<(), SeedError> {
    let db = |e| SeedError::Database("demo-map", e);
    let village: Option<(String, Option<f64>, Option<f64>)> =
        sqlx::query_as("SELECT id, lat, lon FROM villages WHERE name_ru = 'Сепе'")
            .fetch_optional(&mut **tx)
            .await
            .map_err(db)?;
    let Some((village_id, Some(lat), Some(lon))) = village else {
        return Ok(());
    };
    // A point `north` and `east` hundreds of metres from the centre, as GeoJSON [lon, lat].
    let at = |north: f64, east: f64| {
        let round = |degrees: f64| (degrees * 1e6).round() / 1e6;
        json!([
            round(lon + east * EAST_100M),
            round(lat + north * NORTH_100M)
        ])
    };
    let mut features: Vec<(&str, Option<&str>, String, serde_json::Value)> = vec![
        (
            "boundary",
            None,
            "Демо: граница".into(),
            json!({"type": "Polygon", "coordinates": [[at(-6.0, -7.0), at(-6.0, 7.0), at(6.0, 7.0), at(6.0, -7.0), at(-6.0, -7.0)]]}),
        ),
        (
            "streets",
            None,
            "ул. Степная".into(),
            json!({"type": "LineString", "coordinates": [at(0.0, -5.0), at(0.0, 5.0)]}),
        ),
        (
            "streets",
            None,
            "ул. Ленина".into(),
            json!({"type": "LineString", "coordinates": [at(-4.0, 1.0), at(4.0, 1.0)]}),
        ),
        (
            "landmarks",
            Some("school"),
            "Демо: школа".into(),
            json!({"type": "Point", "coordinates": at(0.6, 0.4)}),
        ),
        (
            "landmarks",
            Some("akimat"),
            "Демо: акимат".into(),
            json!({"type": "Point", "coordinates": at(-0.6, 1.6)}),
        ),
        (
            "landmarks",
            Some("shop"),
            "Демо: магазин".into(),
            json!({"type": "Point", "coordinates": at(0.6, -1.5)}),
        ),
        (
            "landmarks",
            Some("water_point"),
            "Демо: водопой".into(),
            json!({"type": "Point", "coordinates": at(4.5, -4.0)}),
        ),
        (
            "landmarks",
            Some("pasture"),
            "Демо: пастбище".into(),
            json!({"type": "Polygon", "coordinates": [[at(3.0, -6.5), at(3.0, -3.0), at(5.5, -3.0), at(5.5, -6.5), at(3.0, -6.5)]]}),
        ),
    ];
    for number in 1..=10 {
        let east = -5.0 + f64::from(number);
        let side = if number % 2 == 0 { 0.4 } else { -0.4 };
        features.push((
            "households",
            None,
            format!("ул. Степная, {number}"),
            json!({"type": "Point", "coordinates": at(side, east)}),
        ));
    }
    for number in [19, 21, 23] {
        let north = f64::from(number - 21);
        features.push((
            "households",
            None,
            format!("ул. Ленина, {number}"),
            json!({"type": "Point", "coordinates": at(north, 1.4)}),
        ));
    }
    let now = now_rfc3339();
    for (layer, kind, name, geometry) in features {
        sqlx::query(
            "INSERT INTO map_features (id, village_id, layer, kind, name, geometry, version, \
             created_at, updated_at, demo) VALUES ($1, $2, $3, $4, $5, $6, 1, $7, $7, TRUE)",
        )
        .bind(new_id())
        .bind(&village_id)
        .bind(layer)
        .bind(kind)
        .bind(name)
        .bind(geometry.to_string())
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }
    Ok(())
}
