//! The 13 villages of the program in their 8 districts, from the research file
//! `server/seed/akmola-places.json` (a copy of shared/seed). Only facts read in a source are
//! in it; village positions are unknown, so each village starts at its district centre,
//! marked approximate until an admin sets it on the map.
use super::{new_id, SeedError};
use app::db::Db;
use serde::Deserialize;
use sqlx::Transaction;
use std::collections::BTreeMap;

pub const PLACES_JSON: &str = include_str!("../../seed/akmola-places.json");

/// The pilot village of the program (DESIGN §2).
const PILOT_VILLAGE: &str = "Шуйское";

#[derive(Debug, Deserialize)]
pub struct ProgramPlaces {
    pub villages: Vec<SeedVillage>,
    pub district_centres: Vec<SeedCentre>,
    pub region: SeedRegion,
}

#[derive(Debug, Deserialize)]
pub struct SeedVillage {
    pub name_ru: String,
    pub name_kk: Option<String>,
    pub district_ru: String,
    pub district_kk: Option<String>,
    pub rural_okrug_ru: Option<String>,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub population: Option<i64>,
    pub notes: Option<String>,
}

#[derive(Debug, Deserialize)]
pub struct SeedCentre {
    pub district_ru: String,
    pub lat: Option<f64>,
    pub lon: Option<f64>,
    pub district_article_lat: Option<f64>,
    pub district_article_lon: Option<f64>,
}

#[derive(Debug, Deserialize)]
pub struct SeedRegion {
    pub wiki_lat: f64,
    pub wiki_lon: f64,
}

impl ProgramPlaces {
    pub fn parse() -> Result<Self, serde_json::Error> {
        serde_json::from_str(PLACES_JSON)
    }

    /// The best known point for a district: its centre town, else the district article's
    /// point, else the region's.
    pub fn district_point(&self, district_ru: &str) -> (f64, f64) {
        self.district_centres
            .iter()
            .find(|c| c.district_ru == district_ru)
            .and_then(|c| {
                c.lat
                    .zip(c.lon)
                    .or(c.district_article_lat.zip(c.district_article_lon))
            })
            .unwrap_or((self.region.wiki_lat, self.region.wiki_lon))
    }
}

/// The display form of a name the research could not settle: "Сейфуллина / Сейфуллино (form
/// unverified)" is shown without the English remark, which stays in the source note.
pub fn display_name(raw: &str) -> &str {
    raw.split(" (").next().unwrap_or(raw).trim()
}

pub(super) async fn load(tx: &mut Transaction<'static, Db>) -> Result<(), SeedError> {
    let places = ProgramPlaces::parse()?;
    let db = |e| SeedError::Database("places", e);

    let mut district_ids: BTreeMap<&str, String> = BTreeMap::new();
    for village in &places.villages {
        if district_ids.contains_key(village.district_ru.as_str()) {
            continue;
        }
        let id = new_id();
        let (lat, lon) = places.district_point(&village.district_ru);
        sqlx::query(
            "INSERT INTO districts (id, name_ru, name_kk, centre_lat, centre_lon) \
             VALUES ($1, $2, $3, $4, $5)",
        )
        .bind(&id)
        .bind(&village.district_ru)
        .bind(&village.district_kk)
        .bind(lat)
        .bind(lon)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        district_ids.insert(&village.district_ru, id);
    }

    for village in &places.villages {
        let name = display_name(&village.name_ru);
        let (approximate, (lat, lon)) = match village.lat.zip(village.lon) {
            Some(point) => (false, point),
            None => (true, places.district_point(&village.district_ru)),
        };
        let status = if name == PILOT_VILLAGE {
            "pilot"
        } else {
            "joined"
        };
        sqlx::query(
            "INSERT INTO villages (id, district_id, name_ru, name_kk, rural_okrug_ru, \
             program_status, joined_on, lat, lon, position_approximate, population, source_note) \
             VALUES ($1, $2, $3, $4, $5, $6, NULL, $7, $8, $9, $10, $11)",
        )
        .bind(new_id())
        .bind(&district_ids[village.district_ru.as_str()])
        .bind(name)
        .bind(&village.name_kk)
        .bind(&village.rural_okrug_ru)
        .bind(status)
        .bind(lat)
        .bind(lon)
        .bind(approximate)
        .bind(village.population)
        .bind(&village.notes)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::BTreeSet;

    #[test]
    fn the_program_has_13_villages_in_8_districts() {
        let places = ProgramPlaces::parse().unwrap();
        let districts: BTreeSet<_> = places.villages.iter().map(|v| &v.district_ru).collect();
        assert_eq!(places.villages.len(), 13);
        assert_eq!(districts.len(), 8);
    }

    #[test]
    fn unsettled_name_forms_are_shown_without_the_remark() {
        assert_eq!(
            display_name("Сейфуллина / Сейфуллино (form unverified)"),
            "Сейфуллина / Сейфуллино"
        );
        assert_eq!(display_name("Сепе"), "Сепе");
    }

    #[test]
    fn district_points_fall_back_from_town_to_article_to_region() {
        let places = ProgramPlaces::parse().unwrap();
        // Atbasar town has its own coordinates.
        assert_eq!(
            places.district_point("Атбасарский район"),
            (51.808333, 68.358056)
        );
        // Egindykol: only the district article's point is known.
        assert_eq!(
            places.district_point("Егиндыкольский район"),
            (50.91, 69.23)
        );
        // Sandyktau: nothing known, so the region's point.
        assert_eq!(places.district_point("Сандыктауский район"), (52.0, 69.0));
    }
}
