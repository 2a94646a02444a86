//! The village map (DESIGN §2 "Map layer"): GeoJSON layers that travel through sync, the
//! rules of their geometry, the tile arithmetic of offline downloads, and the map pages.
#[cfg(feature = "hydrate")]
mod drawing;
pub mod geometry;
mod import_page;
mod layer_picker;
#[cfg(feature = "hydrate")]
mod live;
mod markers;
pub mod offline;
mod position;
#[cfg(feature = "ssr")]
pub mod store;
mod tile_download;
pub mod tiles;
mod tools;
mod types;
mod views;

pub use geometry::{Geometry, GeometryError, ImportError, LANDMARK_KINDS, LAYERS};
pub use import_page::MapImportPage;
pub use position::{use_point_from_query, PositionField};
pub use types::*;
pub use views::{MapsPage, VillageMapPage};
