//! The drawing of the reports' charts, the one place it is done: scales from data to the SVG's
//! coordinates, tick values, and paths. Drawn by hand because the three charts need only lines,
//! dots and text, and the SVG must be plain markup the server renders into the page (readable
//! before the wasm arrives, printable, kept by the service worker); the views in `views::charts`
//! put these pieces in `<svg>` elements.

/// The SVG's own coordinates: every chart is drawn in this box and scaled by the browser.
pub const WIDTH: f64 = 640.0;
pub const HEIGHT: f64 = 320.0;
/// Room for the axes' labels: left, right, top, bottom.
pub const MARGIN: (f64, f64, f64, f64) = (48.0, 16.0, 32.0, 40.0);

/// A straight map from a data interval onto a pixel interval (pixels may run backwards, as the
/// y axis does).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Linear {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Linear {
    pub fn at(self, value: f64) -> f64 {
        let (d0, d1) = self.domain;
        let (r0, r1) = self.range;
        if d1 == d0 {
            return r0;
        }
        r0 + (value - d0) / (d1 - d0) * (r1 - r0)
    }
}

/// A map of positive values on a log scale (the funnel's population axis).
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Log {
    pub domain: (f64, f64),
    pub range: (f64, f64),
}

impl Log {
    pub fn at(self, value: f64) -> f64 {
        Linear {
            domain: (self.domain.0.ln(), self.domain.1.ln()),
            range: self.range,
        }
        .at(value.max(f64::MIN_POSITIVE).ln())
    }
}

/// The x scale across the plot area.
pub fn x_range() -> (f64, f64) {
    (MARGIN.0, WIDTH - MARGIN.1)
}

/// The y scale from `0..=top` up the plot area.
pub fn y_scale(top: f64) -> Linear {
    Linear {
        domain: (0.0, top),
        range: (HEIGHT - MARGIN.3, MARGIN.2),
    }
}

/// Round tick values from 0 covering `max` with about `count` steps of 1, 2 or 5 × 10ⁿ; the
/// last tick is at or above `max`, so it is also the axis's top.
pub fn ticks(max: f64, count: usize) -> Vec<f64> {
    let max = if max > 0.0 { max } else { 1.0 };
    let rough = max / count.max(1) as f64;
    let power = 10f64.powf(rough.log10().floor());
    let step = [1.0, 2.0, 5.0, 10.0]
        .iter()
        .map(|m| m * power)
        .find(|step| *step >= rough)
        .unwrap_or(10.0 * power);
    let steps = (max / step).ceil() as usize;
    (0..=steps).map(|i| i as f64 * step).collect()
}

/// An SVG path through the points, in order.
pub fn polyline(points: &[(f64, f64)]) -> String {
    points
        .iter()
        .enumerate()
        .map(|(i, (x, y))| format!("{}{x:.1},{y:.1}", if i == 0 { "M" } else { "L" }))
        .collect::<Vec<_>>()
        .join(" ")
}

/// A tick label: whole numbers without decimals, others with one.
pub fn label(value: f64) -> String {
    if (value - value.round()).abs() < 1e-9 {
        format!("{value:.0}")
    } else {
        format!("{value:.1}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn linear_scales_map_ends_to_ends_and_may_run_backwards() {
        let y = y_scale(10.0);
        assert_eq!(y.at(0.0), HEIGHT - MARGIN.3);
        assert_eq!(y.at(10.0), MARGIN.2);
        assert_eq!(y.at(5.0), (HEIGHT - MARGIN.3 + MARGIN.2) / 2.0);
        let flat = Linear {
            domain: (3.0, 3.0),
            range: (0.0, 100.0),
        };
        assert_eq!(flat.at(3.0), 0.0);
    }

    #[test]
    fn log_scales_put_each_tenfold_at_the_same_distance() {
        let x = Log {
            domain: (100.0, 10_000.0),
            range: (0.0, 200.0),
        };
        assert!((x.at(100.0) - 0.0).abs() < 1e-9);
        assert!((x.at(1_000.0) - 100.0).abs() < 1e-9);
        assert!((x.at(10_000.0) - 200.0).abs() < 1e-9);
    }

    #[test]
    fn ticks_are_round_steps_reaching_past_the_maximum() {
        assert_eq!(ticks(7.0, 4), vec![0.0, 2.0, 4.0, 6.0, 8.0]);
        assert_eq!(ticks(10.0, 5), vec![0.0, 2.0, 4.0, 6.0, 8.0, 10.0]);
        assert_eq!(ticks(0.0, 4), vec![0.0, 0.5, 1.0]);
        assert_eq!(ticks(230.0, 4), vec![0.0, 100.0, 200.0, 300.0]);
        assert_eq!(ticks(0.7, 4), vec![0.0, 0.2, 0.4, 0.6000000000000001, 0.8]);
    }

    #[test]
    fn paths_join_points_in_order_and_labels_drop_needless_decimals() {
        assert_eq!(polyline(&[(1.0, 2.0), (3.26, 4.0)]), "M1.0,2.0 L3.3,4.0");
        assert_eq!(polyline(&[]), "");
        assert_eq!(label(4.0), "4");
        assert_eq!(label(2.5), "2.5");
    }
}
