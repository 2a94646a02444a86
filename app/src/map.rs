//! The village map (DESIGN §2 "Map layer"): GeoJSON layers that travel through sync, the
//! rules of their geometry, the tile arithmetic of offline downloads, and the map pages.
pub mod geometry;
#[cfg(feature = "hydrate")]
mod live;
pub mod offline;
#[cfg(feature = "ssr")]
pub mod store;
pub mod tiles;
mod types;
mod views;

pub use geometry::{Geometry, GeometryError, ImportError, LANDMARK_KINDS, LAYERS};
pub use types::*;
pub use views::{use_point_from_query, MapImportPage, MapsPage, PositionField, VillageMapPage};
