//! Web Mercator tile arithmetic (the "slippy map" scheme Leaflet and MBTiles use): which tiles
//! cover a village's area at each zoom, so the device can store exactly those for offline use.
use serde::{Deserialize, Serialize};

/// The zooms a download may choose from: 10 shows the district around the village, 18 single
/// yards. Beyond these a village download grows past what a phone should hold.
pub const ZOOM_MIN: u8 = 10;
pub const ZOOM_MAX: u8 = 18;
/// The range offered first: the whole village (12) down to single houses (17).
pub const DEFAULT_ZOOMS: (u8, u8) = (12, 17);
/// Most tiles one download may fetch (about 5,000 × 20 KB = 100 MB at worst).
pub const MAX_TILES: u64 = 5_000;
/// Half the side of the square taken around a village centre when no boundary is drawn: a
/// steppe village with its yards and nearest pastures fits within about 2 km of its centre.
pub const DEFAULT_HALF_SIDE_KM: f64 = 2.0;
/// How much a download grows the extent of what is drawn on a village's map, as a fraction of
/// its size on every side (the map page's `download_area`).
pub const DOWNLOAD_PADDING: f64 = 0.1;
/// How far past what a download of a village can ask for the server still serves its tiles:
/// a household or pasture drawn on a device and not yet synced (the server does not know it,
/// the device's download covers it), and a look over the village's edge on the map. The size
/// of the square around a centre again: an outlying yard or pasture is within that.
pub const REACH_MARGIN_KM: f64 = 2.0;
/// The farthest what is drawn on a village's map counts from its centre, for the tiles served.
/// A village's centre starts at its district's (approximate) until its outline is imported, so
/// the real village may lie tens of kilometres away; 60 km keeps a district's reach and still
/// refuses the rest of the world.
pub const VILLAGE_MAX_HALF_SIDE_KM: f64 = 60.0;
/// Kilometres in a degree of latitude (and of longitude at the equator).
const KM_PER_DEGREE: f64 = 111.32;

/// What the device needs to know about the server's base map.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileInfo {
    /// False when no tiles are configured: the map draws its layers on a plain background.
    pub available: bool,
    pub min_zoom: u8,
    pub max_zoom: u8,
    /// The image type of the tiles (`png`, `jpg`, `webp`).
    pub format: String,
    pub attribution: Option<String>,
}

/// A rectangle in degrees (WGS 84).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Area {
    pub south: f64,
    pub west: f64,
    pub north: f64,
    pub east: f64,
}

impl Area {
    /// The square of `half_side_km` around a point.
    pub fn around(lat: f64, lon: f64, half_side_km: f64) -> Area {
        let dlat = half_side_km / KM_PER_DEGREE;
        let dlon = half_side_km / (KM_PER_DEGREE * lat.to_radians().cos().max(0.01));
        Area {
            south: lat - dlat,
            west: lon - dlon,
            north: lat + dlat,
            east: lon + dlon,
        }
    }

    /// The smallest area holding every point; `None` for none.
    pub fn of_points(points: impl IntoIterator<Item = (f64, f64)>) -> Option<Area> {
        points.into_iter().fold(None, |area, (lat, lon)| {
            Some(match area {
                None => Area {
                    south: lat,
                    west: lon,
                    north: lat,
                    east: lon,
                },
                Some(a) => Area {
                    south: a.south.min(lat),
                    west: a.west.min(lon),
                    north: a.north.max(lat),
                    east: a.east.max(lon),
                },
            })
        })
    }

    /// Grown by `fraction` of its size on every side, and at least 200 m across, so tiles
    /// at the edge of the village are not cut off.
    pub fn padded(self, fraction: f64) -> Area {
        let min_half = 0.1 / KM_PER_DEGREE;
        let half_lat = ((self.north - self.south) * (0.5 + fraction)).max(min_half);
        let half_lon = ((self.east - self.west) * (0.5 + fraction)).max(min_half);
        let (lat, lon) = self.centre();
        Area {
            south: lat - half_lat,
            west: lon - half_lon,
            north: lat + half_lat,
            east: lon + half_lon,
        }
    }

    pub fn centre(self) -> (f64, f64) {
        (
            (self.south + self.north) / 2.0,
            (self.west + self.east) / 2.0,
        )
    }

    /// The smallest area holding both.
    /// The part of this area inside `bounds` (`bounds` itself when they do not meet).
    pub fn within(self, bounds: Area) -> Area {
        let clipped = Area {
            south: self.south.max(bounds.south),
            west: self.west.max(bounds.west),
            north: self.north.min(bounds.north),
            east: self.east.min(bounds.east),
        };
        if clipped.south <= clipped.north && clipped.west <= clipped.east {
            clipped
        } else {
            bounds
        }
    }

    pub fn union(self, other: Area) -> Area {
        Area {
            south: self.south.min(other.south),
            west: self.west.min(other.west),
            north: self.north.max(other.north),
            east: self.east.max(other.east),
        }
    }

    /// Grown by `km` on every side. Degrees of longitude are shortest at the edge nearer the
    /// pole, so they are counted there: the area grows by at least `km` all along its edges.
    pub fn widened(self, km: f64) -> Area {
        let dlat = km / KM_PER_DEGREE;
        let pole_side = self.south.abs().max(self.north.abs());
        let dlon = km / (KM_PER_DEGREE * pole_side.to_radians().cos().max(0.01));
        Area {
            south: self.south - dlat,
            west: self.west - dlon,
            north: self.north + dlat,
            east: self.east + dlon,
        }
    }
}

/// The area whose tiles the server serves for one village: everything "download this village"
/// can ask for, widened by `REACH_MARGIN_KM`. A download takes the extent of what the device
/// has drawn on the village's map grown by `DOWNLOAD_PADDING`, or, with nothing drawn, the
/// square of `DEFAULT_HALF_SIDE_KM` around the village's centre; the server may know features
/// the device has not pulled yet (or the other way round), so both are covered. `drawn` is the
/// extent of the village's features (its outline among them); `None` when nothing is known.
pub fn village_reach(centre: Option<(f64, f64)>, drawn: Option<Area>) -> Option<Area> {
    let around_centre = centre.map(|(lat, lon)| Area::around(lat, lon, DEFAULT_HALF_SIDE_KM));
    let mut download = drawn.map(|area| area.padded(DOWNLOAD_PADDING));
    // One household pushed at the other end of the world must not open the world's map to the
    // account: what is drawn counts only near the village.
    if let (Some(area), Some((lat, lon))) = (download, centre) {
        download = Some(area.within(Area::around(lat, lon, VILLAGE_MAX_HALF_SIDE_KM)));
    }
    [around_centre, download]
        .into_iter()
        .flatten()
        .reduce(Area::union)
        .map(|area| area.widened(REACH_MARGIN_KM))
}

/// Whether a tile shows any part of `area`. The same arithmetic as a download's ranges, so a
/// download of an area inside `area` only asks for tiles this accepts.
pub fn tile_touches(area: Area, zoom: u8, x: u32, y: u32) -> bool {
    TileRange::covering(area, zoom).contains(zoom, x, y)
}

/// The tile holding a point at `zoom`: (x, y), y counted from the north as in URLs
/// (MBTiles counts rows from the south: see `mbtiles_row`).
pub fn tile_of(lat: f64, lon: f64, zoom: u8) -> (u32, u32) {
    let n = f64::from(1u32 << zoom);
    // Web Mercator stops at about ±85.0511°.
    let lat = lat.clamp(-85.051_128, 85.051_128).to_radians();
    let x = ((lon + 180.0) / 360.0 * n).floor();
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor();
    let last = n - 1.0;
    (x.clamp(0.0, last) as u32, y.clamp(0.0, last) as u32)
}

/// The north-west corner of a tile, in degrees.
pub fn tile_corner(x: u32, y: u32, zoom: u8) -> (f64, f64) {
    let n = f64::from(1u32 << zoom);
    let lon = f64::from(x) / n * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * f64::from(y) / n))
        .sinh()
        .atan()
        .to_degrees();
    (lat, lon)
}

/// MBTiles stores rows in the TMS order, counted from the south.
pub fn mbtiles_row(y: u32, zoom: u8) -> u32 {
    (1u32 << zoom) - 1 - y
}

/// The tiles of one zoom that cover an area: columns `x_min..=x_max`, rows `y_min..=y_max`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileRange {
    pub zoom: u8,
    pub x_min: u32,
    pub x_max: u32,
    pub y_min: u32,
    pub y_max: u32,
}

impl TileRange {
    pub fn covering(area: Area, zoom: u8) -> TileRange {
        let (x_min, y_min) = tile_of(area.north, area.west, zoom);
        let (x_max, y_max) = tile_of(area.south, area.east, zoom);
        TileRange {
            zoom,
            x_min,
            x_max,
            y_min,
            y_max,
        }
    }

    pub fn count(&self) -> u64 {
        u64::from(self.x_max - self.x_min + 1) * u64::from(self.y_max - self.y_min + 1)
    }

    pub fn contains(&self, zoom: u8, x: u32, y: u32) -> bool {
        zoom == self.zoom
            && (self.x_min..=self.x_max).contains(&x)
            && (self.y_min..=self.y_max).contains(&y)
    }

    /// Every tile of the range as (zoom, x, y).
    pub fn tiles(self) -> impl Iterator<Item = (u8, u32, u32)> {
        (self.y_min..=self.y_max)
            .flat_map(move |y| (self.x_min..=self.x_max).map(move |x| (self.zoom, x, y)))
    }
}

/// One range per zoom from `min_zoom` to `max_zoom` (swapped if given the wrong way round).
pub fn ranges(area: Area, min_zoom: u8, max_zoom: u8) -> Vec<TileRange> {
    let (low, high) = (min_zoom.min(max_zoom), min_zoom.max(max_zoom));
    (low..=high)
        .map(|zoom| TileRange::covering(area, zoom))
        .collect()
}

pub fn total(ranges: &[TileRange]) -> u64 {
    ranges.iter().map(TileRange::count).sum()
}

/// The address a tile is served from (and stored under on the device).
pub fn tile_url(zoom: u8, x: u32, y: u32) -> String {
    format!("/tiles/{zoom}/{x}/{y}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_tiles_are_found() {
        // Zoom 0 is one tile; the equator and the prime meridian meet at the centre of zoom 1.
        assert_eq!(tile_of(51.8, 68.3, 0), (0, 0));
        assert_eq!(tile_of(0.0001, 0.0001, 1), (1, 0));
        assert_eq!(tile_of(-0.0001, -0.0001, 1), (0, 1));
        // Astana at zoom 10 (x from the longitude: (71.43 + 180) / 360 × 1024 = 715.2).
        assert_eq!(tile_of(51.128, 71.43, 10).0, 715);
        // The poles of Web Mercator stay inside the grid.
        assert_eq!(tile_of(89.9, 179.99, 3), (7, 0));
        assert_eq!(tile_of(-89.9, -180.0, 3), (0, 7));
    }

    #[test]
    fn a_tile_corner_lies_in_the_tile_and_rows_flip_for_mbtiles() {
        for zoom in [5u8, 12, 17] {
            let (x, y) = tile_of(51.81, 68.36, zoom);
            let (lat, lon) = tile_corner(x, y, zoom);
            // A hair inside the north-west corner is the same tile.
            assert_eq!(tile_of(lat - 1e-9, lon + 1e-9, zoom), (x, y));
            assert_eq!(mbtiles_row(mbtiles_row(y, zoom), zoom), y);
        }
        assert_eq!(mbtiles_row(0, 3), 7);
        assert_eq!(mbtiles_row(7, 3), 0);
    }

    #[test]
    fn a_village_area_is_covered_at_every_zoom() {
        let area = Area::around(51.81, 68.36, DEFAULT_HALF_SIDE_KM);
        let ranges = ranges(area, 17, 12);
        assert_eq!(ranges.len(), 6);
        assert_eq!((ranges[0].zoom, ranges[5].zoom), (12, 17));
        for pair in ranges.windows(2) {
            // Each zoom has at least as many tiles as the one above, and at most 4× + an edge.
            let (a, b) = (pair[0].count(), pair[1].count());
            assert!(
                b >= a
                    && b <= 4 * a
                        + 4 * (pair[0].x_max - pair[0].x_min + pair[0].y_max - pair[0].y_min + 2)
                            as u64,
                "{a} {b}"
            );
        }
        // 4 km at 51.8° N is about 21 tiles of ~190 m at zoom 17, so ~22 × 22 tiles.
        let z17 = ranges[5];
        assert!((20..=23).contains(&(z17.x_max - z17.x_min + 1)), "{z17:?}");
        assert!((20..=23).contains(&(z17.y_max - z17.y_min + 1)), "{z17:?}");
        assert_eq!(
            total(&ranges),
            ranges.iter().map(|r| r.tiles().count() as u64).sum::<u64>()
        );
        assert!(total(&ranges) < MAX_TILES);
        // The centre's tile is in the range.
        let (x, y) = tile_of(51.81, 68.36, 17);
        assert!(z17.contains(17, x, y));
        assert!(!z17.contains(16, x, y));
    }

    #[test]
    fn areas_grow_from_points() {
        assert_eq!(Area::of_points([]), None);
        let area = Area::of_points([(51.0, 68.0), (51.2, 67.9), (50.9, 68.1)]).unwrap();
        assert_eq!(
            (area.south, area.west, area.north, area.east),
            (50.9, 67.9, 51.2, 68.1)
        );
        let padded = area.padded(0.1);
        assert!(padded.south < 50.9 && padded.north > 51.2 && padded.west < 67.9);
        // A single point still gets a small square.
        let dot = Area::of_points([(51.0, 68.0)]).unwrap().padded(0.1);
        assert!(dot.north - dot.south > 0.001);
        assert_eq!(tile_url(12, 3, 4), "/tiles/12/3/4");
        let other = Area::of_points([(52.0, 70.0)]).unwrap();
        assert_eq!(
            area.union(other),
            Area {
                south: 50.9,
                west: 67.9,
                north: 52.0,
                east: 70.0
            }
        );
    }

    #[test]
    fn an_area_widens_by_at_least_the_distance_on_every_side() {
        let area = Area::of_points([(51.0, 68.0), (52.0, 69.0)]).unwrap();
        let wide = area.widened(2.0);
        assert!(((area.south - wide.south) * KM_PER_DEGREE - 2.0).abs() < 1e-9);
        assert!(((wide.north - area.north) * KM_PER_DEGREE - 2.0).abs() < 1e-9);
        // Along the northern edge, where a degree of longitude is shortest, still 2 km.
        let east_km = (wide.east - area.east) * KM_PER_DEGREE * 52.0_f64.to_radians().cos();
        assert!((east_km - 2.0).abs() < 1e-9, "{east_km}");
        assert!(area.west - wide.west > 0.0);
    }

    /// Every tile of every download the map page can start for a village, at every zoom it
    /// offers.
    fn assert_downloads_served(reach: Area, downloads: &[Area]) {
        for download in downloads {
            for range in ranges(*download, ZOOM_MIN, ZOOM_MAX) {
                assert!(
                    range.tiles().all(|(z, x, y)| tile_touches(reach, z, x, y)),
                    "{range:?} of {download:?} outside {reach:?}"
                );
            }
        }
    }

    #[test]
    fn every_tile_a_village_download_asks_for_is_within_the_village_reach() {
        let centre = (51.808_333, 68.358_056);
        // Nothing drawn: the download is the square around the centre.
        let square = Area::around(centre.0, centre.1, DEFAULT_HALF_SIDE_KM);
        assert_downloads_served(village_reach(Some(centre), None).unwrap(), &[square]);

        // An outline imported 20 km from the approximate centre, and a lone household beyond
        // it: the download is their padded extent (or the square, on a device without them).
        let drawn = Area::of_points([(51.95, 68.55), (52.0, 68.62), (52.03, 68.7)]).unwrap();
        let reach = village_reach(Some(centre), Some(drawn)).unwrap();
        assert_downloads_served(reach, &[square, drawn.padded(DOWNLOAD_PADDING)]);

        // One point drawn and no centre: the download's smallest square (200 m).
        let dot = Area::of_points([(51.9, 68.4)]).unwrap();
        let reach = village_reach(None, Some(dot)).unwrap();
        assert_downloads_served(reach, &[dot.padded(DOWNLOAD_PADDING)]);
        assert_eq!(village_reach(None, None), None);
    }

    #[test]
    fn tiles_beyond_the_margin_are_not_within_the_reach() {
        let (lat, lon) = (51.808_333, 68.358_056);
        let reach = village_reach(Some((lat, lon)), None).unwrap();
        // The square's 2 km and the margin's 2 km: a tile 3.5 km east is in, 4.5 km is out.
        let km_east = |km: f64| lon + km / (KM_PER_DEGREE * lat.to_radians().cos());
        for zoom in [16u8, 17, 18] {
            let (inside, y) = tile_of(lat, km_east(3.5), zoom);
            let (outside, _) = tile_of(lat, km_east(4.5), zoom);
            assert!(tile_touches(reach, zoom, inside, y));
            assert!(!tile_touches(reach, zoom, outside, y));
        }
        // The other side of the world, and the tile next to a village's at a wide zoom.
        assert!(!tile_touches(reach, 14, 0, 0));
        let (x, y) = tile_of(lat, lon, 10);
        assert!(tile_touches(reach, 10, x, y));
        assert!(!tile_touches(reach, 10, x + 2, y));
    }

    #[test]
    fn a_feature_drawn_far_away_does_not_widen_the_tiles_served() {
        let (lat, lon) = (51.8, 68.35);
        let near = Area::around(lat, lon, 1.0);
        let world = near.union(Area {
            south: -85.0,
            west: -179.9,
            north: 85.0,
            east: 179.9,
        });
        let reach = village_reach(Some((lat, lon)), Some(world)).unwrap();
        let paris = tile_of(48.86, 2.35, 14);
        assert!(!tile_touches(reach, 14, paris.0, paris.1));
        let home = tile_of(lat, lon, 14);
        assert!(tile_touches(reach, 14, home.0, home.1));
        assert!(reach.north - reach.south < 1.5, "{reach:?}");
    }
}
