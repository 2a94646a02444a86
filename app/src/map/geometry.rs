//! GeoJSON geometries of a village's map layers, and the rules they must keep: one place for
//! the map editor, sync and the admin's file import.
use serde::{Deserialize, Serialize};

/// The layers of a village map (DESIGN §2).
pub const LAYERS: &[&str] = &["boundary", "streets", "households", "landmarks"];
/// What a landmark is. A pasture is usually drawn as an area, the others as points.
pub const LANDMARK_KINDS: &[&str] = &[
    "school",
    "akimat",
    "shop",
    "pasture",
    "water_point",
    "other",
];
/// Most features one imported file may hold (a village has hundreds of households, not tens
/// of thousands).
pub const IMPORT_MAX_FEATURES: usize = 20_000;
/// Largest file the admin may import.
pub const IMPORT_MAX_BYTES: usize = 4 * 1024 * 1024;
/// Most positions in one geometry (a detailed village boundary has a few thousand).
pub const MAX_POSITIONS: usize = 50_000;

/// A position: longitude, latitude (GeoJSON order), and an optional height that is kept.
pub type Position = Vec<f64>;

/// The geometry types a village map uses.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", content = "coordinates")]
pub enum Geometry {
    Point(Position),
    LineString(Vec<Position>),
    MultiLineString(Vec<Vec<Position>>),
    Polygon(Vec<Vec<Position>>),
    MultiPolygon(Vec<Vec<Vec<Position>>>),
}

/// What is wrong with a geometry.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "problem", rename_all = "snake_case")]
pub enum GeometryError {
    /// Not a GeoJSON geometry of a type the map knows.
    NotGeometry,
    /// A type this layer does not hold (a point in the streets layer).
    WrongType {
        found: String,
    },
    /// A position without two numbers, a line of one point, a ring of fewer than four.
    TooFewPositions,
    /// A polygon ring whose last position is not its first.
    RingNotClosed,
    /// Numbers outside longitude/latitude: the file is in another coordinate system
    /// (metres of a projection such as UTM or Web Mercator).
    NotLonLat,
    TooManyPositions,
}

impl Geometry {
    pub fn type_name(&self) -> &'static str {
        match self {
            Self::Point(_) => "Point",
            Self::LineString(_) => "LineString",
            Self::MultiLineString(_) => "MultiLineString",
            Self::Polygon(_) => "Polygon",
            Self::MultiPolygon(_) => "MultiPolygon",
        }
    }

    /// Reads a GeoJSON geometry object.
    pub fn parse(value: &serde_json::Value) -> Result<Geometry, GeometryError> {
        let known = [
            "Point",
            "LineString",
            "MultiLineString",
            "Polygon",
            "MultiPolygon",
        ];
        match value.get("type").and_then(|t| t.as_str()) {
            Some(name) if !known.contains(&name) => {
                return Err(GeometryError::WrongType {
                    found: name.to_owned(),
                })
            }
            Some(_) => {}
            None => return Err(GeometryError::NotGeometry),
        }
        serde_json::from_value(value.clone()).map_err(|_| GeometryError::TooFewPositions)
    }

    /// Every position, whatever the type.
    pub fn positions(&self) -> Vec<&Position> {
        match self {
            Self::Point(p) => vec![p],
            Self::LineString(line) => line.iter().collect(),
            Self::MultiLineString(lines) | Self::Polygon(lines) => lines.iter().flatten().collect(),
            Self::MultiPolygon(polygons) => polygons.iter().flatten().flatten().collect(),
        }
    }

    /// (latitude, longitude) of every position, for areas and tile ranges.
    pub fn lat_lons(&self) -> Vec<(f64, f64)> {
        self.positions()
            .into_iter()
            .filter(|p| p.len() >= 2)
            .map(|p| (p[1], p[0]))
            .collect()
    }

    /// The geometry's rules for `layer`: the type the layer holds, and well-formed lon/lat.
    pub fn check(&self, layer: &str, kind: Option<&str>) -> Result<(), GeometryError> {
        let allowed: &[&str] = match layer {
            "boundary" => &["Polygon", "MultiPolygon"],
            "streets" => &["LineString", "MultiLineString"],
            "households" => &["Point"],
            // A pasture is an area; a school or a well may be either.
            "landmarks" if kind == Some("pasture") => &["Polygon", "MultiPolygon", "Point"],
            "landmarks" => &["Point", "Polygon"],
            _ => &[],
        };
        if !allowed.contains(&self.type_name()) {
            return Err(GeometryError::WrongType {
                found: self.type_name().to_owned(),
            });
        }
        let positions = self.positions();
        if positions.len() > MAX_POSITIONS {
            return Err(GeometryError::TooManyPositions);
        }
        for position in &positions {
            if position.len() < 2 || position.iter().any(|n| !n.is_finite()) {
                return Err(GeometryError::TooFewPositions);
            }
            if !(-180.0..=180.0).contains(&position[0]) || !(-90.0..=90.0).contains(&position[1]) {
                return Err(GeometryError::NotLonLat);
            }
        }
        match self {
            Self::Point(_) => Ok(()),
            Self::LineString(line) => line_ok(line),
            Self::MultiLineString(lines) => lines.iter().try_for_each(|l| line_ok(l)),
            Self::Polygon(rings) => polygon_ok(rings),
            Self::MultiPolygon(polygons) => polygons.iter().try_for_each(|p| polygon_ok(p)),
        }
    }
}

fn line_ok(line: &[Position]) -> Result<(), GeometryError> {
    if line.len() < 2 {
        return Err(GeometryError::TooFewPositions);
    }
    Ok(())
}

fn polygon_ok(rings: &[Vec<Position>]) -> Result<(), GeometryError> {
    if rings.is_empty() {
        return Err(GeometryError::TooFewPositions);
    }
    for ring in rings {
        // A closed ring repeats its first position: a triangle has four.
        if ring.len() < 4 {
            return Err(GeometryError::TooFewPositions);
        }
        let (first, last) = (&ring[0], &ring[ring.len() - 1]);
        if first[0] != last[0] || first[1] != last[1] {
            return Err(GeometryError::RingNotClosed);
        }
    }
    Ok(())
}

/// Why an imported file was refused; `feature` counts from 1 as a person would.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "code", rename_all = "snake_case")]
pub enum ImportError {
    NotJson,
    /// Valid JSON, but not a GeoJSON FeatureCollection or Feature.
    NotFeatureCollection,
    /// The file names a coordinate system other than WGS 84 longitude/latitude.
    WrongCrs {
        name: String,
    },
    TooLarge {
        limit_mb: usize,
    },
    TooManyFeatures {
        max: usize,
    },
    Empty,
    UnknownLayer,
    Feature {
        feature: usize,
        error: GeometryError,
    },
    /// A landmark's `kind` property is not one the map knows.
    UnknownKind {
        feature: usize,
        kind: String,
    },
}

/// One feature of an imported file, checked.
#[derive(Clone, Debug, PartialEq)]
pub struct ImportedFeature {
    pub kind: Option<String>,
    pub name: Option<String>,
    pub geometry: Geometry,
}

/// Reads an admin's GeoJSON file for one layer: every feature must pass, or nothing is
/// imported.
pub fn parse_import(layer: &str, text: &[u8]) -> Result<Vec<ImportedFeature>, ImportError> {
    if !LAYERS.contains(&layer) {
        return Err(ImportError::UnknownLayer);
    }
    if text.len() > IMPORT_MAX_BYTES {
        return Err(ImportError::TooLarge {
            limit_mb: IMPORT_MAX_BYTES / (1024 * 1024),
        });
    }
    let value: serde_json::Value =
        serde_json::from_slice(text).map_err(|_| ImportError::NotJson)?;
    if let Some(name) = value
        .pointer("/crs/properties/name")
        .and_then(|n| n.as_str())
    {
        // RFC 7946 is WGS 84 lon/lat only; old files name it as EPSG:4326 or CRS84.
        if !(name.contains("4326") || name.contains("CRS84")) {
            return Err(ImportError::WrongCrs {
                name: name.chars().take(80).collect(),
            });
        }
    }
    let features: Vec<&serde_json::Value> = match value.get("type").and_then(|t| t.as_str()) {
        Some("FeatureCollection") => match value.get("features").and_then(|f| f.as_array()) {
            Some(list) => list.iter().collect(),
            None => return Err(ImportError::NotFeatureCollection),
        },
        Some("Feature") => vec![&value],
        _ => return Err(ImportError::NotFeatureCollection),
    };
    if features.is_empty() {
        return Err(ImportError::Empty);
    }
    if features.len() > IMPORT_MAX_FEATURES {
        return Err(ImportError::TooManyFeatures {
            max: IMPORT_MAX_FEATURES,
        });
    }
    features
        .into_iter()
        .enumerate()
        .map(|(index, feature)| {
            let number = index + 1;
            let properties = feature.get("properties");
            let text = |key: &str| {
                properties
                    .and_then(|p| p.get(key))
                    .and_then(|v| v.as_str())
                    .map(|s| {
                        s.trim()
                            .chars()
                            .take(crate::fields::SHORT_TEXT_MAX)
                            .collect::<String>()
                    })
                    .filter(|s| !s.is_empty())
            };
            let kind = if layer == "landmarks" {
                let kind = text("kind").unwrap_or_else(|| "other".to_owned());
                if !LANDMARK_KINDS.contains(&kind.as_str()) {
                    return Err(ImportError::UnknownKind {
                        feature: number,
                        kind,
                    });
                }
                Some(kind)
            } else {
                None
            };
            let geometry = feature
                .get("geometry")
                .ok_or(GeometryError::NotGeometry)
                .and_then(Geometry::parse)
                .and_then(|g| g.check(layer, kind.as_deref()).map(|()| g))
                .map_err(|error| ImportError::Feature {
                    feature: number,
                    error,
                })?;
            Ok(ImportedFeature {
                kind,
                name: text("name").or_else(|| text("address")),
                geometry,
            })
        })
        .collect()
}

impl GeometryError {
    pub fn message(&self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::td_string;
        match self {
            Self::NotGeometry => td_string!(locale, map.problem_not_geometry).to_string(),
            Self::WrongType { found } => {
                td_string!(locale, map.problem_wrong_type, found = found.as_str()).to_string()
            }
            Self::TooFewPositions => td_string!(locale, map.problem_too_few_positions).to_string(),
            Self::RingNotClosed => td_string!(locale, map.problem_ring_not_closed).to_string(),
            Self::NotLonLat => td_string!(locale, map.problem_not_lon_lat).to_string(),
            Self::TooManyPositions => {
                td_string!(locale, map.problem_too_many_positions).to_string()
            }
        }
    }
}

impl ImportError {
    /// What the admin reads, in their language.
    pub fn message(&self, locale: crate::i18n::Locale) -> String {
        use crate::i18n::td_string;
        match self {
            Self::NotJson => td_string!(locale, map.error_not_json).to_string(),
            Self::NotFeatureCollection => {
                td_string!(locale, map.error_not_feature_collection).to_string()
            }
            Self::WrongCrs { name } => {
                td_string!(locale, map.error_wrong_crs, name = name.as_str()).to_string()
            }
            Self::TooLarge { limit_mb } => {
                td_string!(locale, map.error_too_large, limit = *limit_mb).to_string()
            }
            Self::TooManyFeatures { max } => {
                td_string!(locale, map.error_too_many_features, max = *max).to_string()
            }
            Self::Empty => td_string!(locale, map.error_empty).to_string(),
            Self::UnknownLayer => td_string!(locale, map.error_unknown_layer).to_string(),
            Self::Feature { feature, error } => td_string!(
                locale,
                map.error_feature,
                feature = *feature,
                problem = error.message(locale)
            )
            .to_string(),
            Self::UnknownKind { feature, kind } => td_string!(
                locale,
                map.error_unknown_kind,
                feature = *feature,
                kind = kind.as_str()
            )
            .to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn geometry(value: serde_json::Value) -> Geometry {
        Geometry::parse(&value).unwrap()
    }

    #[test]
    fn each_layer_holds_its_own_types() {
        let point = geometry(json!({"type": "Point", "coordinates": [68.36, 51.81]}));
        assert_eq!(point.check("households", None), Ok(()));
        assert_eq!(point.check("landmarks", Some("school")), Ok(()));
        assert_eq!(
            point.check("streets", None),
            Err(GeometryError::WrongType {
                found: "Point".into()
            })
        );
        let pasture = geometry(
            json!({"type": "Polygon", "coordinates": [[[68.3, 51.8], [68.31, 51.8], [68.31, 51.81], [68.3, 51.8]]]}),
        );
        assert_eq!(pasture.check("landmarks", Some("pasture")), Ok(()));
        assert_eq!(pasture.check("boundary", None), Ok(()));
        assert!(pasture.check("households", None).is_err());
        let street =
            geometry(json!({"type": "LineString", "coordinates": [[68.3, 51.8], [68.31, 51.8]]}));
        assert_eq!(street.check("streets", None), Ok(()));
        assert_eq!(street.lat_lons(), vec![(51.8, 68.3), (51.8, 68.31)]);
    }

    #[test]
    fn broken_geometry_is_named() {
        let open_ring = geometry(
            json!({"type": "Polygon", "coordinates": [[[68.3, 51.8], [68.31, 51.8], [68.31, 51.81], [68.3, 51.81]]]}),
        );
        assert_eq!(
            open_ring.check("boundary", None),
            Err(GeometryError::RingNotClosed)
        );
        let two_point_ring =
            geometry(json!({"type": "Polygon", "coordinates": [[[68.3, 51.8], [68.3, 51.8]]]}));
        assert_eq!(
            two_point_ring.check("boundary", None),
            Err(GeometryError::TooFewPositions)
        );
        let one_point_line = geometry(json!({"type": "LineString", "coordinates": [[68.3, 51.8]]}));
        assert_eq!(
            one_point_line.check("streets", None),
            Err(GeometryError::TooFewPositions)
        );
        let lone_number = geometry(json!({"type": "Point", "coordinates": [68.3]}));
        assert_eq!(
            lone_number.check("households", None),
            Err(GeometryError::TooFewPositions)
        );
        // UTM zone 42N metres for a point near Astana.
        let projected = geometry(json!({"type": "Point", "coordinates": [571_000.0, 5_664_000.0]}));
        assert_eq!(
            projected.check("households", None),
            Err(GeometryError::NotLonLat)
        );
        // Latitude and longitude swapped over 90° is caught too.
        let swapped = geometry(json!({"type": "Point", "coordinates": [51.8, 168.3]}));
        assert_eq!(
            swapped.check("households", None),
            Err(GeometryError::NotLonLat)
        );
        assert_eq!(
            Geometry::parse(&json!({"type": "GeometryCollection", "geometries": []})),
            Err(GeometryError::WrongType {
                found: "GeometryCollection".into()
            })
        );
        assert_eq!(
            Geometry::parse(&json!({"coordinates": [1, 2]})),
            Err(GeometryError::NotGeometry)
        );
        assert_eq!(
            Geometry::parse(&json!({"type": "Point", "coordinates": "here"})),
            Err(GeometryError::TooFewPositions)
        );
    }

    #[test]
    fn a_file_is_imported_whole_or_refused_with_the_feature_named() {
        let file = json!({"type": "FeatureCollection", "features": [
            {"type": "Feature", "properties": {"name": "Мектеп", "kind": "school"}, "geometry": {"type": "Point", "coordinates": [68.36, 51.81]}},
            {"type": "Feature", "properties": {"kind": "pasture"}, "geometry": {"type": "Polygon", "coordinates": [[[68.3, 51.8], [68.31, 51.8], [68.31, 51.81], [68.3, 51.8]]]}}
        ]});
        let text = serde_json::to_vec(&file).unwrap();
        let features = parse_import("landmarks", &text).unwrap();
        assert_eq!(features.len(), 2);
        assert_eq!(features[0].name.as_deref(), Some("Мектеп"));
        assert_eq!(features[1].kind.as_deref(), Some("pasture"));
        assert_eq!(
            parse_import("households", &text),
            Err(ImportError::Feature {
                feature: 2,
                error: GeometryError::WrongType {
                    found: "Polygon".into()
                }
            })
        );
        let unknown = serde_json::to_vec(&json!({"type": "Feature", "properties": {"kind": "mosque?"}, "geometry": {"type": "Point", "coordinates": [68.36, 51.81]}})).unwrap();
        assert_eq!(
            parse_import("landmarks", &unknown),
            Err(ImportError::UnknownKind {
                feature: 1,
                kind: "mosque?".into()
            })
        );
        assert_eq!(
            parse_import("landmarks", b"{not json"),
            Err(ImportError::NotJson)
        );
        assert_eq!(
            parse_import("landmarks", b"[1,2]"),
            Err(ImportError::NotFeatureCollection)
        );
        assert_eq!(parse_import("roads", &text), Err(ImportError::UnknownLayer));
        assert_eq!(
            parse_import(
                "landmarks",
                br#"{"type":"FeatureCollection","features":[]}"#
            ),
            Err(ImportError::Empty)
        );
        let projected = serde_json::to_vec(&json!({"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:EPSG::32642"}},
            "features": file["features"]}))
        .unwrap();
        assert_eq!(
            parse_import("landmarks", &projected),
            Err(ImportError::WrongCrs {
                name: "urn:ogc:def:crs:EPSG::32642".into()
            })
        );
        let wgs84 = serde_json::to_vec(&json!({"type": "FeatureCollection",
            "crs": {"type": "name", "properties": {"name": "urn:ogc:def:crs:OGC:1.3:CRS84"}},
            "features": file["features"]}))
        .unwrap();
        assert!(parse_import("landmarks", &wgs84).is_ok());
        let huge = vec![b' '; IMPORT_MAX_BYTES + 1];
        assert_eq!(
            parse_import("landmarks", &huge),
            Err(ImportError::TooLarge { limit_mb: 4 })
        );
    }
}
