//! The admin's districts and villages: add them, correct their names, set where a village
//! stands. Every write asks the policy (only the admin changes places), compares names with
//! the others in Rust (SQLite's `lower()` leaves Cyrillic alone) and is audited in the same
//! transaction as the change.
use super::types::LocalizedName;
use crate::errors::AppError;
use crate::sync::contract::{FieldRule, Reason};
use leptos::prelude::*;
use serde::{Deserialize, Serialize};
use std::ops::RangeInclusive;

/// The longest name (or rural okrug) kept.
pub const MAX_NAME_CHARS: usize = 200;

/// Positions outside Kazakhstan's box are typing mistakes (swapped or mistyped degrees).
const LATITUDES: RangeInclusive<f64> = 40.0..=56.0;
const LONGITUDES: RangeInclusive<f64> = 46.0..=88.0;

/// A district as the admin's page lists it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DistrictEntry {
    pub id: String,
    pub name: LocalizedName,
}

/// The district form: an empty id adds a district, an id renames that one.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct DistrictForm {
    pub id: String,
    pub name_ru: String,
    pub name_kk: String,
}

/// The village form: an empty id adds a village, an id corrects that one. The position is
/// typed text: both empty keeps the village's position, both filled sets it (exact).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VillageForm {
    pub id: String,
    pub district_id: String,
    pub name_ru: String,
    pub name_kk: String,
    pub rural_okrug: String,
    pub lat: String,
    pub lon: String,
}

/// A village to correct: its form, with the position only when it is exact (an approximate
/// one sent back would be saved as exact), and whether the kept position is approximate.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EditedVillage {
    pub form: VillageForm,
    pub position_approximate: bool,
}

/// A district's names as they will be kept.
#[derive(Debug, PartialEq)]
pub struct CheckedDistrict {
    pub name_ru: String,
    pub name_kk: Option<String>,
}

/// A village's fields as they will be kept.
#[derive(Debug, PartialEq)]
pub struct CheckedVillage {
    pub district_id: String,
    pub name_ru: String,
    pub name_kk: Option<String>,
    pub rural_okrug: Option<String>,
    pub position: Option<(f64, f64)>,
}

/// A name as it is kept (the one name rule, `crate::fields::name`), for the saved notice.
pub fn tidy(text: &str) -> String {
    crate::fields::name("name", text, usize::MAX).unwrap_or_default()
}

/// A kept name, `None` when empty; refused (naming `field`) when too long, without letters,
/// or empty but `required`.
fn name(text: &str, field: &str, required: bool) -> Result<Option<String>, AppError> {
    match crate::fields::name(field, text, MAX_NAME_CHARS) {
        Ok(name) => Ok(Some(name)),
        Err(Reason::Invalid {
            rule: FieldRule::Required,
            ..
        }) if !required => Ok(None),
        Err(_) => Err(AppError::InvalidField(field.into())),
    }
}

/// A point inside Kazakhstan, else the coordinate that is not.
pub fn checked_point(lat: f64, lon: f64) -> Result<(f64, f64), AppError> {
    if !LATITUDES.contains(&lat) {
        return Err(AppError::InvalidField("lat".into()));
    }
    if !LONGITUDES.contains(&lon) {
        return Err(AppError::InvalidField("lon".into()));
    }
    // Six decimals: about 10 cm, finer than any phone's GPS or finger.
    let round = |value: f64| (value * 1e6).round() / 1e6;
    Ok((round(lat), round(lon)))
}

/// A typed position: none when both are empty; a decimal comma is read as a point.
pub fn typed_position(lat: &str, lon: &str) -> Result<Option<(f64, f64)>, AppError> {
    let read = |text: &str| text.trim().replace(',', ".");
    let (lat, lon) = (read(lat), read(lon));
    let number = |text: &str, field: &str| {
        text.parse::<f64>()
            .map_err(|_| AppError::InvalidField(field.into()))
    };
    match (lat.is_empty(), lon.is_empty()) {
        (true, true) => Ok(None),
        (true, false) => Err(AppError::InvalidField("lat".into())),
        (false, true) => Err(AppError::InvalidField("lon".into())),
        (false, false) => checked_point(number(&lat, "lat")?, number(&lon, "lon")?).map(Some),
    }
}

impl DistrictForm {
    pub fn checked(&self) -> Result<CheckedDistrict, AppError> {
        Ok(CheckedDistrict {
            name_ru: name(&self.name_ru, "district_name_ru", true)?.unwrap_or_default(),
            name_kk: name(&self.name_kk, "district_name_kk", false)?,
        })
    }
}

impl VillageForm {
    pub fn checked(&self) -> Result<CheckedVillage, AppError> {
        let district_id = self.district_id.trim();
        if district_id.is_empty() {
            return Err(AppError::InvalidField("village_district".into()));
        }
        Ok(CheckedVillage {
            district_id: district_id.to_owned(),
            name_ru: name(&self.name_ru, "village_name_ru", true)?.unwrap_or_default(),
            name_kk: name(&self.name_kk, "village_name_kk", false)?,
            rural_okrug: name(&self.rural_okrug, "village_okrug", false)?,
            position: typed_position(&self.lat, &self.lon)?,
        })
    }
}

/// The field whose name another place (id, Russian name, Kazakh name) already holds, whatever
/// the case and spaces; `except` is the place being corrected. `fields` names the Russian and
/// the Kazakh field.
#[cfg(any(feature = "ssr", test))]
pub fn taken_field(
    others: &[(String, String, Option<String>)],
    except: &str,
    name_ru: &str,
    name_kk: Option<&str>,
    fields: (&'static str, &'static str),
) -> Option<&'static str> {
    use crate::fields::name_key;
    let (ru, kk) = (name_key(name_ru), name_kk.map(name_key));
    let others = || others.iter().filter(|(id, _, _)| id != except);
    if others().any(|(_, other, _)| name_key(other) == ru) {
        return Some(fields.0);
    }
    let kk = kk?;
    others()
        .any(|(_, _, other)| other.as_deref().map(name_key).as_ref() == Some(&kk))
        .then_some(fields.1)
}

/// Every district, by Russian name.
#[server(endpoint = "admin/list_districts")]
pub async fn list_districts() -> Result<Vec<DistrictEntry>, AppError> {
    server::list_districts().await
}

/// Adds (no id) or renames a district; returns its id.
#[server(endpoint = "admin/save_district")]
pub async fn save_district(district: DistrictForm) -> Result<String, AppError> {
    server::save_district(district).await
}

/// Adds (no id) or corrects a village, in any district (its records stay with it); returns
/// its id. New villages start as not joined.
#[server(endpoint = "admin/save_village")]
pub async fn save_village(village: VillageForm) -> Result<String, AppError> {
    server::save_village(village).await
}

/// A village as the form corrects it.
#[server(endpoint = "admin/village_for_edit")]
pub async fn village_for_edit(id: String) -> Result<EditedVillage, AppError> {
    server::village_for_edit(id).await
}

/// Sets a village's exact position (a tap on its map, or GPS there).
#[server(endpoint = "admin/place_village")]
pub async fn place_village(village_id: String, lat: f64, lon: f64) -> Result<(), AppError> {
    server::place_village(village_id, lat, lon).await
}

#[cfg(feature = "ssr")]
mod server;

#[cfg(test)]
mod tests {
    use super::*;

    fn village(name_ru: &str, lat: &str, lon: &str) -> VillageForm {
        VillageForm {
            district_id: "d1".into(),
            name_ru: name_ru.into(),
            lat: lat.into(),
            lon: lon.into(),
            ..VillageForm::default()
        }
    }

    fn field(result: Result<CheckedVillage, AppError>) -> String {
        match result {
            Err(AppError::InvalidField(field)) => field,
            other => panic!("expected a refused field, got {other:?}"),
        }
    }

    #[test]
    fn names_are_trimmed_and_their_spaces_tidied_and_the_russian_one_is_required() {
        let checked = VillageForm {
            name_kk: "  ".into(),
            rural_okrug: " Сепеевский   сельский округ ".into(),
            ..village("  Красная   Поляна ", "", "")
        }
        .checked()
        .unwrap();
        assert_eq!(checked.name_ru, "Красная Поляна");
        assert_eq!(checked.name_kk, None);
        assert_eq!(
            checked.rural_okrug.as_deref(),
            Some("Сепеевский сельский округ")
        );
        assert_eq!(checked.position, None);
        assert_eq!(field(village("   ", "", "").checked()), "village_name_ru");
        let long = "я".repeat(MAX_NAME_CHARS + 1);
        assert_eq!(field(village(&long, "", "").checked()), "village_name_ru");
        let no_district = VillageForm {
            district_id: " ".into(),
            ..village("Сепе", "", "")
        };
        assert_eq!(field(no_district.checked()), "village_district");
    }

    #[test]
    fn a_position_needs_both_coordinates_inside_kazakhstan() {
        let at = |lat, lon| village("Сепе", lat, lon).checked();
        assert_eq!(
            at("51,808333", " 68.358056").unwrap().position,
            Some((51.808333, 68.358056))
        );
        assert_eq!(field(at("51.8", "")), "lon");
        assert_eq!(field(at("", "68.3")), "lat");
        assert_eq!(field(at("68.3", "51.8")), "lat");
        assert_eq!(field(at("51.8", "100")), "lon");
        assert_eq!(field(at("север", "68.3")), "lat");
        assert_eq!(field(at("NaN", "68.3")), "lat");
    }

    #[test]
    fn a_name_is_taken_whatever_its_case_and_spaces_but_not_by_the_place_itself() {
        let others = vec![
            ("v1".to_owned(), "Шуйское".to_owned(), None),
            (
                "v2".to_owned(),
                "Сепе".to_owned(),
                Some("Сепе ауылы".to_owned()),
            ),
        ];
        let fields = ("village_name_ru", "village_name_kk");
        let taken = |except, ru, kk| taken_field(&others, except, ru, kk, fields);
        assert_eq!(taken("", "шуйское", None), Some("village_name_ru"));
        assert_eq!(taken("", " ШУЙСКОЕ ", None), Some("village_name_ru"));
        assert_eq!(taken("v1", "Шуйское", None), None);
        assert_eq!(
            taken("", "Новое", Some("сепе  АУЫЛЫ")),
            Some("village_name_kk")
        );
        assert_eq!(taken("v2", "Сепе", Some("Сепе ауылы")), None);
        assert_eq!(taken("", "Покровка", None), None);
    }
}
