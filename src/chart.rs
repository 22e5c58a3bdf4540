//! Line charts drawn with plotters, as SVG text ready for [`crate::show::svg`].
//!
//! Every chart in the book comes from a run; this module keeps their look consistent
//! (size, fonts, palette, markers) so a snippet only says what to plot.
//! It uses plotters' SVG backend with no font library: text is emitted as SVG `<text>`
//! and laid out by the browser, which keeps the library light enough for a notebook's `:dep`.
//!
//! ```
//! use sysdesign::chart::LineChart;
//!
//! let svg = LineChart::new("Hit ratio against capacity")
//!     .x_label("capacity")
//!     .y_label("hit ratio")
//!     .series("LRU", [(10.0, 0.2), (100.0, 0.5), (1000.0, 0.8)])
//!     .log_x()
//!     .to_svg()
//!     .unwrap();
//! assert!(svg.starts_with("<svg"));
//! assert!(svg.contains("LRU"));
//! ```

use plotters::coord::ranged1d::{AsRangedCoord, ValueFormatter};
use plotters::prelude::*;
use std::fmt;
use std::ops::Range;

/// Width and height of every chart, in SVG pixels.
pub const SIZE: (u32, u32) = (720, 420);

/// Colours for up to eight series, chosen to stay apart for common colour blindness (Okabe-Ito).
const PALETTE: [RGBColor; 8] = [
    RGBColor(0, 114, 178),
    RGBColor(213, 94, 0),
    RGBColor(0, 158, 115),
    RGBColor(204, 121, 167),
    RGBColor(230, 159, 0),
    RGBColor(86, 180, 233),
    RGBColor(0, 0, 0),
    RGBColor(240, 228, 66),
];

/// A chart of one or more series of (x, y) points joined by lines.
#[derive(Clone, Debug, Default)]
pub struct LineChart {
    title: String,
    x_label: String,
    y_label: String,
    series: Vec<(String, Vec<(f64, f64)>)>,
    log_x: bool,
    y_range: Option<Range<f64>>,
}

/// Why a chart could not be drawn.
#[derive(Debug, Clone, PartialEq)]
pub enum ChartError {
    /// The chart has no series, or only empty ones.
    NoData,
    /// A point is NaN or infinite, or not positive on a log axis.
    BadPoint {
        /// The series holding the point.
        series: String,
        /// The offending point.
        point: (f64, f64),
    },
    /// plotters reported an error while drawing.
    Drawing(String),
}

impl fmt::Display for ChartError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ChartError::NoData => write!(f, "the chart has no points to draw"),
            ChartError::BadPoint { series, point } => write!(
                f,
                "series {series:?} has the point {point:?}, which cannot be drawn on this chart"
            ),
            ChartError::Drawing(e) => write!(f, "plotters failed to draw the chart: {e}"),
        }
    }
}

impl std::error::Error for ChartError {}

impl LineChart {
    /// An empty chart with this title.
    pub fn new(title: impl Into<String>) -> Self {
        LineChart {
            title: title.into(),
            ..Default::default()
        }
    }

    /// Labels the x axis.
    pub fn x_label(mut self, label: impl Into<String>) -> Self {
        self.x_label = label.into();
        self
    }

    /// Labels the y axis.
    pub fn y_label(mut self, label: impl Into<String>) -> Self {
        self.y_label = label.into();
        self
    }

    /// Adds a named series.
    pub fn series(
        mut self,
        name: impl Into<String>,
        points: impl IntoIterator<Item = (f64, f64)>,
    ) -> Self {
        self.series
            .push((name.into(), points.into_iter().collect()));
        self
    }

    /// Draws the x axis on a logarithmic scale (all x must be positive).
    pub fn log_x(mut self) -> Self {
        self.log_x = true;
        self
    }

    /// Fixes the y axis range instead of fitting it to the data.
    pub fn y_range(mut self, range: Range<f64>) -> Self {
        self.y_range = Some(range);
        self
    }

    /// Draws the chart and returns the SVG document.
    pub fn to_svg(&self) -> Result<String, ChartError> {
        let points = self
            .series
            .iter()
            .flat_map(|(name, pts)| pts.iter().map(move |p| (name, p)));
        let (mut x_lo, mut x_hi) = (f64::INFINITY, f64::NEG_INFINITY);
        let (mut y_lo, mut y_hi) = (f64::INFINITY, f64::NEG_INFINITY);
        for (name, &(x, y)) in points {
            if !x.is_finite() || !y.is_finite() || (self.log_x && x <= 0.0) {
                return Err(ChartError::BadPoint {
                    series: name.clone(),
                    point: (x, y),
                });
            }
            x_lo = x_lo.min(x);
            x_hi = x_hi.max(x);
            y_lo = y_lo.min(y);
            y_hi = y_hi.max(y);
        }
        if x_lo > x_hi {
            return Err(ChartError::NoData);
        }
        if x_lo == x_hi {
            x_hi = x_lo + 1.0;
        }
        let y = match &self.y_range {
            Some(r) => r.clone(),
            None => {
                let pad = ((y_hi - y_lo) * 0.05).max(1e-9);
                (y_lo - pad)..(y_hi + pad)
            }
        };
        let mut svg = String::new();
        if self.log_x {
            self.draw(&mut svg, (x_lo..x_hi).log_scale(), y)?;
        } else {
            self.draw(&mut svg, x_lo..x_hi, y)?;
        }
        Ok(svg)
    }

    fn draw<X>(&self, out: &mut String, x: X, y: Range<f64>) -> Result<(), ChartError>
    where
        X: AsRangedCoord<Value = f64>,
        X::CoordDescType: ValueFormatter<f64>,
    {
        let err = |e: &dyn fmt::Display| ChartError::Drawing(e.to_string());
        let root = SVGBackend::with_string(out, SIZE).into_drawing_area();
        root.fill(&WHITE).map_err(|e| err(&e))?;
        let mut chart = ChartBuilder::on(&root)
            .caption(&self.title, ("sans-serif", 20))
            .margin(12)
            .x_label_area_size(42)
            .y_label_area_size(58)
            .build_cartesian_2d(x, y)
            .map_err(|e| err(&e))?;
        chart
            .configure_mesh()
            .x_desc(&self.x_label)
            .y_desc(&self.y_label)
            .x_label_formatter(&|x| tidy(*x))
            .y_label_formatter(&|y| tidy(*y))
            .light_line_style(RGBColor(235, 235, 235))
            .draw()
            .map_err(|e| err(&e))?;
        for (i, (name, pts)) in self.series.iter().enumerate() {
            let color = PALETTE[i % PALETTE.len()];
            chart
                .draw_series(LineSeries::new(pts.iter().copied(), color.stroke_width(2)))
                .map_err(|e| err(&e))?
                .label(name)
                .legend(move |(x, y)| {
                    PathElement::new([(x, y), (x + 18, y)], color.stroke_width(2))
                });
            chart
                .draw_series(pts.iter().map(|&p| Circle::new(p, 3, color.filled())))
                .map_err(|e| err(&e))?;
        }
        chart
            .configure_series_labels()
            // Most charts here rise from left to right, which leaves the upper left free.
            .position(SeriesLabelPosition::UpperLeft)
            .background_style(WHITE.mix(0.85))
            .border_style(RGBColor(180, 180, 180))
            .draw()
            .map_err(|e| err(&e))?;
        root.present().map_err(|e| err(&e))?;
        Ok(())
    }
}

/// An axis label: whole numbers without a decimal point, others to at most three decimals.
fn tidy(v: f64) -> String {
    if v == v.trunc() && v.abs() < 1e15 {
        format!("{v:.0}")
    } else {
        let s = format!("{v:.3}");
        s.trim_end_matches('0').to_string()
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn axis_labels_are_tidy() {
        assert_eq!(super::tidy(100.0), "100");
        assert_eq!(super::tidy(0.25), "0.25");
        assert_eq!(super::tidy(0.1), "0.1");
    }

    use super::*;

    #[test]
    fn empty_chart_is_an_error() {
        assert_eq!(LineChart::new("t").to_svg(), Err(ChartError::NoData));
    }

    #[test]
    fn zero_on_log_axis_names_the_series_and_point() {
        let e = LineChart::new("t")
            .log_x()
            .series("s", [(0.0, 1.0)])
            .to_svg()
            .unwrap_err();
        assert_eq!(
            e.to_string(),
            "series \"s\" has the point (0.0, 1.0), which cannot be drawn on this chart"
        );
    }

    #[test]
    fn every_series_appears_in_the_legend() {
        let svg = LineChart::new("t")
            .series("alpha", [(1.0, 1.0), (2.0, 2.0)])
            .series("beta", [(1.0, 2.0), (2.0, 1.0)])
            .to_svg()
            .unwrap();
        assert!(svg.contains("alpha") && svg.contains("beta"), "{svg}");
    }
}
