//! A feature of a village map layer: what travels through sync and what the map editor makes.
use super::geometry::{Geometry, GeometryError, LANDMARK_KINDS, LAYERS};
use crate::fields::{choice, invalid, optional_text, village, SHORT_TEXT_MAX};
use crate::sync::contract::{FieldRule, Reason};
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Feature {
    pub id: String,
    pub village_id: String,
    /// One of `LAYERS`.
    pub layer: String,
    /// For landmarks: one of `LANDMARK_KINDS`.
    pub kind: Option<String>,
    /// A household's address, a street's or a landmark's name.
    pub name: Option<String>,
    pub geometry: Geometry,
    pub version: i64,
    pub updated_at: String,
}

/// A new feature, or the whole of a corrected one (payload of a `create` or an `update`).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct NewFeature {
    pub village_id: String,
    pub layer: String,
    #[serde(default)]
    pub kind: Option<String>,
    #[serde(default)]
    pub name: Option<String>,
    pub geometry: serde_json::Value,
}

/// The sync reason for a geometry the rules refuse: the form never lets one through, so
/// the device only needs to say which field.
fn geometry_reason(error: GeometryError) -> Reason {
    let rule = match error {
        GeometryError::NotLonLat => FieldRule::OutOfRange {
            min: -180,
            max: 180,
        },
        GeometryError::WrongType { .. } | GeometryError::NotGeometry => FieldRule::UnknownChoice,
        GeometryError::TooManyPositions => FieldRule::TooLong {
            max: super::geometry::MAX_POSITIONS,
        },
        GeometryError::TooFewPositions | GeometryError::RingNotClosed => FieldRule::Required,
    };
    invalid("geometry", rule)
}

impl NewFeature {
    pub fn checked(&self) -> Result<(NewFeature, Geometry), Reason> {
        let village_id = village(&self.village_id)?;
        let layer = choice("layer", &self.layer, LAYERS)?;
        let kind = match layer.as_str() {
            "landmarks" => Some(choice(
                "kind",
                self.kind.as_deref().unwrap_or("other"),
                LANDMARK_KINDS,
            )?),
            _ => None,
        };
        let geometry = Geometry::parse(&self.geometry).map_err(geometry_reason)?;
        geometry
            .check(&layer, kind.as_deref())
            .map_err(geometry_reason)?;
        let checked = NewFeature {
            village_id,
            layer,
            kind,
            name: optional_text("name", self.name.as_deref(), SHORT_TEXT_MAX)?,
            geometry: serde_json::to_value(&geometry).unwrap_or_default(),
        };
        Ok((checked, geometry))
    }

    pub fn shown(&self, id: &str, version: i64, geometry: Geometry) -> Feature {
        Feature {
            id: id.to_owned(),
            village_id: self.village_id.clone(),
            layer: self.layer.clone(),
            kind: self.kind.clone(),
            name: self.name.clone(),
            geometry,
            version,
            updated_at: String::new(),
        }
    }
}

impl From<&Feature> for NewFeature {
    fn from(feature: &Feature) -> Self {
        NewFeature {
            village_id: feature.village_id.clone(),
            layer: feature.layer.clone(),
            kind: feature.kind.clone(),
            name: feature.name.clone(),
            geometry: serde_json::to_value(&feature.geometry).unwrap_or_default(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn a_feature_is_checked_like_an_import() {
        let household = NewFeature {
            village_id: "v1".into(),
            layer: "households".into(),
            kind: Some("school".into()),
            name: Some(" Абай көшесі, 12 ".into()),
            geometry: json!({"type": "Point", "coordinates": [68.36, 51.81]}),
        };
        let (checked, geometry) = household.checked().unwrap();
        // Only landmarks have a kind.
        assert_eq!(checked.kind, None);
        assert_eq!(checked.name.as_deref(), Some("Абай көшесі, 12"));
        assert_eq!(geometry, Geometry::Point(vec![68.36, 51.81]));
        let landmark = NewFeature {
            layer: "landmarks".into(),
            kind: None,
            ..household.clone()
        };
        assert_eq!(landmark.checked().unwrap().0.kind.as_deref(), Some("other"));
        let well = NewFeature {
            kind: Some("well?".into()),
            ..landmark
        };
        assert_eq!(
            well.checked(),
            Err(invalid("kind", FieldRule::UnknownChoice))
        );
        let off_map = NewFeature {
            geometry: json!({"type": "Point", "coordinates": [7_600_000.0, 6_700_000.0]}),
            ..household.clone()
        };
        assert_eq!(
            off_map.checked(),
            Err(invalid(
                "geometry",
                FieldRule::OutOfRange {
                    min: -180,
                    max: 180
                }
            ))
        );
        let unknown_layer = NewFeature {
            layer: "roads".into(),
            ..household
        };
        assert_eq!(
            unknown_layer.checked(),
            Err(invalid("layer", FieldRule::UnknownChoice))
        );
    }
}
