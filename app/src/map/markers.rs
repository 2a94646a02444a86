//! The records of a village that the map shows as markers (visits, offences, tasks, persons of
//! attention), placed by their own point or their household's, and the layers' labels.
use super::Feature;
use crate::i18n::*;
use crate::offences::Offence;
use crate::tasks::Task;
use crate::ui::I18nContext;
use crate::visits::Visit;

/// What a record marker stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MarkerKind {
    Visit,
    Offence,
    Task,
    Person,
}

impl MarkerKind {
    /// Marks the marker's popup link (for tests and styles).
    #[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
    pub fn code(self) -> &'static str {
        match self {
            Self::Visit => "visit",
            Self::Offence => "offence",
            Self::Task => "task",
            Self::Person => "person",
        }
    }
}

/// A record with a point, as the map shows it.
#[derive(Clone, Debug, PartialEq)]
pub struct MapMarker {
    pub lat: f64,
    pub lon: f64,
    pub kind: MarkerKind,
    pub label: String,
    pub href: String,
}

/// A household's point by its address (how persons and tasks name a household).
pub fn household_points(features: &[Feature]) -> Vec<(String, (f64, f64))> {
    features
        .iter()
        .filter(|f| f.layer == "households")
        .filter_map(|f| {
            let name = f.name.as_ref()?.trim().to_lowercase();
            let point = f.geometry.lat_lons().first().copied()?;
            Some((name, point))
        })
        .collect()
}

pub fn at_household(points: &[(String, (f64, f64))], address: Option<&str>) -> Option<(f64, f64)> {
    let address = address?.trim().to_lowercase();
    points
        .iter()
        .find(|(name, _)| *name == address)
        .map(|(_, point)| *point)
}

/// The records of a village that have a point, directly or through their household.
pub fn markers(
    i18n: I18nContext,
    village: &str,
    features: &[Feature],
    visits: &[Visit],
    offences: &[Offence],
    tasks: &[Task],
    persons: &[crate::persons::Person],
) -> Vec<MapMarker> {
    let households = household_points(features);
    let at = |address: &Option<String>| at_household(&households, address.as_deref());
    let dated = |what: String, date: &str| {
        format!(
            "{what} · {}",
            crate::dates::format_date(i18n.get_locale(), date)
        )
    };
    let mut list = Vec::new();
    // A record is on the map when it has a point of its own or its household has one.
    let mut add = |point: Option<(f64, f64)>, kind, label, href| {
        if let Some((lat, lon)) = point {
            list.push(MapMarker {
                lat,
                lon,
                kind,
                label,
                href,
            });
        }
    };
    for v in visits.iter().filter(|v| v.village_id == village) {
        let label = dated(crate::visits::kind_label(i18n, &v.kind), &v.visited_on);
        let point = v.lat.zip(v.lon).or_else(|| at(&v.household));
        add(
            point,
            MarkerKind::Visit,
            label,
            format!("/visits/{}/edit", v.id),
        );
    }
    for o in offences.iter().filter(|o| o.village_id == village) {
        let label = dated(
            crate::offences::category_label(i18n, &o.category),
            &o.occurred_on,
        );
        add(
            o.lat.zip(o.lon),
            MarkerKind::Offence,
            label,
            format!("/offences/{}", o.id),
        );
    }
    for t in tasks.iter().filter(|t| t.village_id == village) {
        add(
            at(&t.household),
            MarkerKind::Task,
            t.title.clone(),
            format!("/tasks/{}", t.id),
        );
    }
    for p in persons.iter().filter(|p| p.village_id == village) {
        let href = format!("/persons/{}", p.id);
        add(
            at(&p.household),
            MarkerKind::Person,
            p.full_name.clone(),
            href,
        );
    }
    list
}

pub fn layer_label(i18n: I18nContext, code: &str) -> String {
    let text = match code {
        "boundary" => t_string!(i18n, map.layer_boundary),
        "streets" => t_string!(i18n, map.layer_streets),
        "households" => t_string!(i18n, map.layer_households),
        "landmarks" => t_string!(i18n, map.layer_landmarks),
        other => return other.to_owned(),
    };
    text.to_owned()
}

pub fn landmark_label(i18n: I18nContext, code: &str) -> String {
    let text = match code {
        "school" => t_string!(i18n, map.kind_school),
        "akimat" => t_string!(i18n, map.kind_akimat),
        "shop" => t_string!(i18n, map.kind_shop),
        "pasture" => t_string!(i18n, map.kind_pasture),
        "water_point" => t_string!(i18n, map.kind_water_point),
        "other" => t_string!(i18n, map.kind_other),
        other => return other.to_owned(),
    };
    text.to_owned()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::map::Geometry;

    pub(crate) fn household(id: &str, name: &str, lon: f64, lat: f64) -> Feature {
        Feature {
            id: id.into(),
            village_id: "v1".into(),
            layer: "households".into(),
            kind: None,
            name: Some(name.into()),
            geometry: Geometry::Point(vec![lon, lat]),
            version: 1,
            updated_at: String::new(),
        }
    }

    #[test]
    fn households_are_found_by_address_whatever_the_case_and_spaces() {
        let points = household_points(&[household("h1", "Абай көшесі, 12", 68.3, 51.8)]);
        assert_eq!(
            at_household(&points, Some(" абай көшесі, 12 ")),
            Some((51.8, 68.3))
        );
        assert_eq!(at_household(&points, Some("Абай көшесі, 13")), None);
        assert_eq!(at_household(&points, None), None);
    }
}
