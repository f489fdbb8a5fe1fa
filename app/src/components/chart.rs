//! The «Статистика» chart: consumption or money per month as inline SVG drawn on the server
//! (no script, no measuring in the browser), with a legend that does not rely on colour alone
//! and the same numbers as a table.
//!
//! The SVG scales with its container (`viewBox`, width 100 %): the drawing is 480 units wide so
//! that its 16-unit labels stay about 10 px tall on a 360 px phone.

use crate::components::table::TableWrap;
use leptos::prelude::*;
use shared::money::THOUSANDS_SEPARATOR;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ChartKind {
    Line,
    Bar,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ChartSeries {
    pub name: String,
    /// One value per label; `None` = no data that month.
    pub values: Vec<Option<f64>>,
}

impl ChartSeries {
    pub fn new(name: impl Into<String>, values: Vec<Option<f64>>) -> Self {
        Self {
            name: name.into(),
            values,
        }
    }
}

const WIDTH: f64 = 480.0;
const HEIGHT: f64 = 300.0;
const FONT: f64 = 16.0;
/// A generous width of one label character (DejaVu Sans digits are 0.64 em wide).
const CHAR_WIDTH: f64 = FONT * 0.64;
const LABEL_GAP: f64 = 12.0;
const TOP: f64 = 36.0;
const BOTTOM: f64 = 268.0;
const X_LABEL_BASELINE: f64 = BOTTOM + 24.0;
const MIN_MARGIN: f64 = 8.0;
/// Values beyond this are treated as garbage, like NaN and infinities.
const LIMIT: f64 = 1e15;
const NO_DATA: &str = "Нет данных за выбранный период";

/// Series colours for a white background (each ≥ 4.5:1); the stylesheet overrides them per
/// `chart__series--N` class (lighter ones for the dark theme).
const PALETTE: [&str; 6] = [
    "#0b5cad", "#c2410c", "#2e7d32", "#7b3fa0", "#8a6d00", "#0e7c86",
];
const DASHES: [Option<&str>; 6] = [
    None,
    Some("10 5"),
    Some("3 4"),
    Some("14 4 3 4"),
    Some("6 3"),
    Some("2 2"),
];
/// Hatching of the bars of series 1…5 (series 0 is solid), drawn in an 8 × 8 tile.
const HATCHES: [&str; 6] = [
    "",
    "M-2,2 l4,-4 M0,8 l8,-8 M6,10 l4,-4",
    "M2,2 h1 v1 h-1 z M6,6 h1 v1 h-1 z",
    "M0,4 h8",
    "M-2,6 l4,4 M0,0 l8,8 M6,-2 l4,4",
    "M0,4 h8 M4,0 v8",
];

/// A finite, plausible value.
fn usable(value: Option<f64>) -> Option<f64> {
    value.filter(|v| v.is_finite() && v.abs() <= LIMIT)
}

/// `mantissa × 10^exponent`, exact for the small integers and exponents used here.
fn decimal(mantissa: f64, exponent: i32) -> f64 {
    if exponent >= 0 {
        mantissa * 10_f64.powi(exponent)
    } else {
        mantissa / 10_f64.powi(-exponent)
    }
}

/// The smallest step of 1, 2 or 5 × 10ⁿ (at least 0.001) not below `raw`, as (mantissa, n).
fn nice_step(raw: f64) -> (f64, i32) {
    let raw = if raw.is_finite() { raw.max(0.001) } else { 1.0 };
    let mut exponent = raw.log10().floor() as i32;
    loop {
        for mantissa in [1.0, 2.0, 5.0] {
            if decimal(mantissa, exponent) >= raw {
                return (mantissa, exponent);
            }
        }
        exponent += 1;
        if exponent > 300 {
            return (1.0, 0);
        }
    }
}

/// Round ticks of the value axis covering `min..=max` and zero, about five steps apart.
fn ticks(min: f64, max: f64) -> Vec<f64> {
    let lo = if min.is_finite() {
        min.clamp(-LIMIT, 0.0)
    } else {
        0.0
    };
    let mut hi = if max.is_finite() {
        max.clamp(0.0, LIMIT)
    } else {
        0.0
    };
    if hi <= lo {
        hi = 1.0;
    }
    let (mantissa, exponent) = nice_step((hi - lo) / 5.0);
    let step = decimal(mantissa, exponent);
    let first = (lo / step).floor();
    let last = (hi / step).ceil().max(first + 1.0);
    let count = (last - first).clamp(1.0, 12.0) as usize;
    (0..=count)
        .map(|k| decimal((first + k as f64) * mantissa, exponent))
        .collect()
}

/// A generous estimate of the width of a label.
fn text_width(text: &str) -> f64 {
    text.chars().count() as f64 * CHAR_WIDTH
}

/// How many months apart the x labels are (1, 2, 3, 4, 6 or a multiple of 12) so that labels
/// `label_width` wide, one per `band`, never overlap.
fn x_labels_step(count: usize, band: f64, label_width: f64) -> usize {
    if count <= 1 {
        return 1;
    }
    if band.is_nan() || band <= 0.0 {
        return count;
    }
    let needed = (label_width + LABEL_GAP) / band;
    [1, 2, 3, 4, 6]
        .into_iter()
        .chain((1..).map(|years| years * 12))
        .find(|&step| step as f64 >= needed || step >= count)
        .unwrap_or(count)
}

#[derive(Clone, Copy, Debug, PartialEq)]
struct Rect {
    x: f64,
    y: f64,
    width: f64,
    height: f64,
}

/// Where things go in the viewBox.
#[derive(Clone, Debug, PartialEq)]
struct Layout {
    count: usize,
    ticks: Vec<f64>,
    /// The plot area's left and right edges.
    left: f64,
    right: f64,
    label_step: usize,
}

impl Layout {
    fn new(count: usize, min: f64, max: f64, label_width: f64) -> Self {
        let count = count.max(1);
        let ticks = ticks(min, max);
        let tick_width = ticks
            .iter()
            .map(|&t| text_width(&format_value(t, 0, 3)))
            .fold(0.0, f64::max);
        // The first and last month labels are centred on their bands and may stick out: room
        // for them is reserved from the narrowest band the plot can end up with.
        let widest = label_width / 2.0 + 2.0;
        let narrowest = (WIDTH - (tick_width + 10.0).max(widest) - widest) / count as f64;
        let overhang = (widest - narrowest / 2.0).max(MIN_MARGIN);
        let left = (tick_width + 10.0).max(overhang);
        let right = WIDTH - overhang;
        let band = (right - left) / count as f64;
        Self {
            count,
            ticks,
            left,
            right,
            label_step: x_labels_step(count, band, label_width),
        }
    }

    fn band(&self) -> f64 {
        (self.right - self.left) / self.count as f64
    }

    /// The centre of month `i`.
    fn x(&self, i: usize) -> f64 {
        self.left + self.band() * (i as f64 + 0.5)
    }

    fn lo(&self) -> f64 {
        self.ticks.first().copied().unwrap_or(0.0)
    }

    fn hi(&self) -> f64 {
        self.ticks.last().copied().unwrap_or(1.0)
    }

    fn y(&self, value: f64) -> f64 {
        let (lo, hi) = (self.lo(), self.hi());
        if hi.is_nan() || lo.is_nan() || hi <= lo || !value.is_finite() {
            return BOTTOM;
        }
        BOTTOM - (value.clamp(lo, hi) - lo) / (hi - lo) * (BOTTOM - TOP)
    }

    /// The last month always has its label; the others every `label_step` months back.
    fn shows_label(&self, i: usize) -> bool {
        i < self.count && (self.count - 1 - i).is_multiple_of(self.label_step)
    }

    /// The bar of series `series` (of `series_count`) in month `month`, from zero to `value`.
    fn bar(&self, month: usize, series: usize, series_count: usize, value: f64) -> Rect {
        let series_count = series_count.max(1);
        let group = (self.band() * 0.8).min(series_count as f64 * 32.0);
        let slot = group / series_count as f64;
        let width = slot - (slot * 0.15).min(3.0);
        let x = self.x(month) - group / 2.0 + slot * series as f64 + (slot - width) / 2.0;
        let zero = self.y(0.0);
        let end = self.y(value);
        let mut height = (end - zero).abs();
        if value != 0.0 && height < 1.0 {
            height = 1.0;
        }
        let y = if value < 0.0 { zero } else { zero - height };
        Rect {
            x,
            y,
            width,
            height,
        }
    }
}

/// Runs of consecutive months with values: each becomes one polyline.
fn runs(values: &[Option<f64>]) -> Vec<Vec<(usize, f64)>> {
    let mut runs = Vec::new();
    let mut current = Vec::new();
    for (i, value) in values.iter().enumerate() {
        match usable(*value) {
            Some(v) => current.push((i, v)),
            None if !current.is_empty() => runs.push(std::mem::take(&mut current)),
            None => {}
        }
    }
    if !current.is_empty() {
        runs.push(current);
    }
    runs
}

/// A number the Russian way: «12 345,678» (narrow no-break space, decimal comma), rounded to
/// `max_decimals` (at most 3), trailing zeros dropped down to `min_decimals`; «—» if not finite.
pub fn format_value(value: f64, min_decimals: usize, max_decimals: usize) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let max_decimals = max_decimals.min(3);
    let min_decimals = min_decimals.min(max_decimals);
    let text = format!("{:.*}", max_decimals, value.abs());
    let (whole, fraction) = text.split_once('.').unwrap_or((&text, ""));
    let keep = fraction.trim_end_matches('0').len().max(min_decimals);
    let fraction = fraction.get(..keep).unwrap_or(fraction);
    let negative = value < 0.0 && whole.bytes().chain(fraction.bytes()).any(|b| b != b'0');
    let mut out = String::with_capacity(text.len() + text.len() / 3 + 2);
    if negative {
        out.push('-');
    }
    for (i, digit) in whole.chars().enumerate() {
        if i > 0 && (whole.len() - i).is_multiple_of(3) {
            out.push(THOUSANDS_SEPARATOR);
        }
        out.push(digit);
    }
    if !fraction.is_empty() {
        out.push(',');
        out.push_str(fraction);
    }
    out
}

/// A coordinate for an attribute.
fn coord(value: f64) -> String {
    format!("{value:.1}")
}

/// The point marker of style `style` (circle, square, triangle, diamond, ▼, plus) at (x, y).
fn marker_path(style: usize, x: f64, y: f64) -> String {
    let r = 4.5;
    match style % 6 {
        0 => format!(
            "M{},{} a{r},{r} 0 1,0 {},0 a{r},{r} 0 1,0 -{},0 z",
            coord(x - r),
            coord(y),
            2.0 * r,
            2.0 * r
        ),
        1 => format!("M{},{} h8 v8 h-8 z", coord(x - 4.0), coord(y - 4.0)),
        2 => format!("M{},{} l5.5,9.5 h-11 z", coord(x), coord(y - 5.5)),
        3 => format!(
            "M{},{} l5.5,5.5 l-5.5,5.5 l-5.5,-5.5 z",
            coord(x),
            coord(y - 5.5)
        ),
        4 => format!("M{},{} l5.5,-9.5 h-11 z", coord(x), coord(y + 5.5)),
        _ => format!(
            "M{},{} h3 v3.5 h3.5 v3 h-3.5 v3.5 h-3 v-3.5 h-3.5 v-3 h3.5 z",
            coord(x - 1.5),
            coord(y - 5.0)
        ),
    }
}

/// A stable id for the chart's ids (the same on the server and in the browser), so that
/// several charts on a page do not clash.
fn chart_id(title: &str, unit: &str, labels: &[String], series: &[ChartSeries]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    let parts = [title, unit]
        .into_iter()
        .chain(labels.iter().map(String::as_str))
        .chain(series.iter().map(|s| s.name.as_str()));
    for part in parts {
        for byte in part.bytes().chain([0xff]) {
            hash ^= u64::from(byte);
            hash = hash.wrapping_mul(0x0100_0000_01b3);
        }
    }
    format!("chart-{:08x}", hash as u32)
}

/// The text alternative of the drawing.
fn describe(kind: ChartKind, unit: &str, labels: &[String], series: &[ChartSeries]) -> String {
    let kind = match kind {
        ChartKind::Line => "Линейный график",
        ChartKind::Bar => "Столбчатая диаграмма",
    };
    let names = series
        .iter()
        .map(|s| s.name.as_str())
        .collect::<Vec<_>>()
        .join(", ");
    let period = match (labels.first(), labels.last()) {
        (Some(first), Some(last)) if labels.len() > 1 => format!("с {first} по {last}"),
        (Some(only), _) => format!("за {only}"),
        _ => String::new(),
    };
    let mut text = format!("{kind} по месяцам {period}, {unit}; ряды: {names}.");
    let highest = series
        .iter()
        .flat_map(|s| {
            s.values
                .iter()
                .zip(labels)
                .filter_map(move |(v, label)| usable(*v).map(|v| (v, s.name.as_str(), label)))
        })
        .fold(
            None,
            |best: Option<(f64, &str, &String)>, item| match best {
                Some(b) if b.0 >= item.0 => Some(b),
                _ => Some(item),
            },
        );
    if let Some((value, name, label)) = highest {
        text.push_str(&format!(
            " Наибольшее значение: {} {unit} ({name}, {label}).",
            format_value(value, 0, 3)
        ));
    }
    text.push_str(" Значения — в таблице под графиком.");
    text
}

/// A chart of monthly values, with a legend and a table of the same numbers.
#[component]
pub fn Chart(
    /// The caption above the chart, also the drawing's accessible name.
    #[prop(into)]
    title: String,
    /// «кВт·ч», «руб.» …
    #[prop(into)]
    unit: String,
    /// The months, e.g. «10.2026», oldest first.
    labels: Vec<String>,
    series: Vec<ChartSeries>,
    kind: ChartKind,
    /// Decimals always shown in the table (2 for money); by default up to 3, trailing zeros dropped.
    #[prop(optional)]
    decimals: Option<usize>,
) -> impl IntoView {
    let count = labels.len();
    let series: Vec<ChartSeries> = series
        .into_iter()
        .map(|mut s| {
            s.values.resize(count, None);
            s
        })
        .collect();
    let values = || {
        series
            .iter()
            .flat_map(|s| s.values.iter().copied().filter_map(usable))
    };
    let (min, max) = values().fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), v| {
        (lo.min(v), hi.max(v))
    });
    if count == 0 || values().next().is_none() {
        return view! {
            <figure class="chart chart--empty">
                <figcaption class="chart__title">{title}</figcaption>
                <p class="chart__empty notice">{NO_DATA}</p>
            </figure>
        }
        .into_any();
    }

    let id = chart_id(&title, &unit, &labels, &series);
    let title_id = format!("{id}-title");
    let desc_id = format!("{id}-desc");
    let description = describe(kind, &unit, &labels, &series);
    let label_width = labels.iter().map(|l| text_width(l)).fold(0.0, f64::max);
    let layout = Layout::new(count, min, max, label_width);
    let series_count = series.len();
    let style = |j: usize| j % PALETTE.len();
    let pattern = |j: usize| format!("{id}-p{}", style(j));
    let bar_fill = move |j: usize| {
        if style(j) == 0 {
            "currentColor".to_string()
        } else {
            format!("url(#{})", pattern(j))
        }
    };
    let (table_min, table_max) = match decimals {
        Some(d) => (d, d),
        None => (0, 3),
    };

    let defs = (kind == ChartKind::Bar).then(|| {
        (1..series_count.min(PALETTE.len()))
            .map(|j| {
                view! {
                    <pattern
                        id=pattern(j)
                        class=format!("chart__series--{j}")
                        color=PALETTE[j]
                        patternUnits="userSpaceOnUse"
                        width="8"
                        height="8"
                    >
                        <rect width="8" height="8" fill="currentColor" fill-opacity="0.3"></rect>
                        <path d=HATCHES[j] stroke="currentColor" stroke-width="2" fill="currentColor"></path>
                    </pattern>
                }
            })
            .collect_view()
    });

    let grid = layout
        .ticks
        .iter()
        .map(|&t| {
            let y = coord(layout.y(t));
            view! {
                <line x1=coord(layout.left) x2=coord(layout.right) y1=y.clone() y2=y.clone()></line>
            }
        })
        .collect_view();
    let tick_labels = layout
        .ticks
        .iter()
        .map(|&t| {
            view! {
                <text x=coord(layout.left - 8.0) y=coord(layout.y(t)) dy="0.35em" text-anchor="end">
                    {format_value(t, 0, 3)}
                </text>
            }
        })
        .collect_view();
    let month_labels = labels
        .iter()
        .enumerate()
        .filter(|(i, _)| layout.shows_label(*i))
        .map(|(i, label)| {
            view! {
                <text x=coord(layout.x(i)) y=coord(X_LABEL_BASELINE) text-anchor="middle">
                    {label.clone()}
                </text>
            }
        })
        .collect_view();

    let label = |i: usize| labels.get(i).map_or("", String::as_str);
    let tip = |label: &str, name: &str, value: f64| {
        format!(
            "{label} · {name}: {} {unit}",
            format_value(value, table_min, table_max)
        )
    };
    let marks = series
        .iter()
        .enumerate()
        .map(|(j, s)| {
            let shapes = match kind {
                ChartKind::Bar => s
                    .values
                    .iter()
                    .enumerate()
                    .filter_map(|(i, v)| usable(*v).map(|v| (i, v)))
                    .map(|(i, v)| {
                        let r = layout.bar(i, j, series_count, v);
                        view! {
                            <rect
                                x=coord(r.x)
                                y=coord(r.y)
                                width=coord(r.width)
                                height=coord(r.height)
                                fill=bar_fill(j)
                                stroke="currentColor"
                                stroke-width="1"
                            >
                                <title>{tip(label(i), &s.name, v)}</title>
                            </rect>
                        }
                    })
                    .collect_view()
                    .into_any(),
                ChartKind::Line => runs(&s.values)
                    .into_iter()
                    .map(|run| {
                        let points = run
                            .iter()
                            .map(|&(i, v)| format!("{},{}", coord(layout.x(i)), coord(layout.y(v))))
                            .collect::<Vec<_>>()
                            .join(" ");
                        let markers = run
                            .iter()
                            .map(|&(i, v)| {
                                view! {
                                    <path d=marker_path(style(j), layout.x(i), layout.y(v))>
                                        <title>{tip(label(i), &s.name, v)}</title>
                                    </path>
                                }
                            })
                            .collect_view();
                        // A lone point is just its marker.
                        let line = (run.len() > 1).then(|| {
                            view! {
                                <polyline
                                    points=points
                                    fill="none"
                                    stroke="currentColor"
                                    stroke-width="2.5"
                                    stroke-linejoin="round"
                                    stroke-dasharray=DASHES[style(j)]
                                ></polyline>
                            }
                        });
                        view! {
                            {line}
                            {markers}
                        }
                    })
                    .collect_view()
                    .into_any(),
            };
            view! {
                <g
                    class=format!("chart__series chart__series--{}", style(j))
                    color=PALETTE[style(j)]
                    fill="currentColor"
                >
                    {shapes}
                </g>
            }
        })
        .collect_view();

    let legend = series
        .iter()
        .enumerate()
        .map(|(j, s)| {
            let swatch = match kind {
                ChartKind::Bar => view! {
                    <rect x="4" y="2" width="20" height="14" fill=bar_fill(j) stroke="currentColor"></rect>
                }
                .into_any(),
                ChartKind::Line => view! {
                    <line
                        x1="1"
                        y1="9"
                        x2="35"
                        y2="9"
                        stroke="currentColor"
                        stroke-width="2.5"
                        stroke-dasharray=DASHES[style(j)]
                    ></line>
                    <path d=marker_path(style(j), 18.0, 9.0)></path>
                }
                .into_any(),
            };
            view! {
                <li class="chart__legend-item">
                    <svg
                        class=format!("chart__swatch chart__series--{}", style(j))
                        color=PALETTE[style(j)]
                        fill="currentColor"
                        width="36"
                        height="18"
                        viewBox="0 0 36 18"
                        aria-hidden="true"
                        focusable="false"
                    >
                        {swatch}
                    </svg>
                    {s.name.clone()}
                </li>
            }
        })
        .collect_view();

    let header = series
        .iter()
        .map(|s| view! { <th scope="col">{s.name.clone()}</th> })
        .collect_view();
    let rows = labels
        .iter()
        .enumerate()
        .map(|(i, label)| {
            let cells = series
                .iter()
                .map(
                    |s| match s.values.get(i).copied().flatten().filter(|v| v.is_finite()) {
                        Some(v) => {
                            view! { <td>{format_value(v, table_min, table_max)}</td> }.into_any()
                        }
                        None => view! {
                            <td>
                                <span aria-hidden="true">"—"</span>
                                <span class="visually-hidden">"нет данных"</span>
                            </td>
                        }
                        .into_any(),
                    },
                )
                .collect_view();
            view! {
                <tr>
                    <th scope="row">{label.clone()}</th>
                    {cells}
                </tr>
            }
        })
        .collect_view();

    let zero = coord(layout.y(0.0));
    view! {
        <figure class=format!("chart chart--{}", if kind == ChartKind::Bar { "bar" } else { "line" })>
            <figcaption class="chart__title">{title.clone()}</figcaption>
            <ul class="chart__legend">{legend}</ul>
            <svg
                class="chart__svg"
                viewBox=format!("0 0 {WIDTH} {HEIGHT}")
                width="100%"
                role="img"
                aria-labelledby=title_id.clone()
                aria-describedby=desc_id.clone()
                font-size=FONT.to_string()
            >
                <title id=title_id.clone()>{title.clone()}</title>
                <desc id=desc_id.clone()>{description}</desc>
                <defs>{defs}</defs>
                <g class="chart__grid" stroke="currentColor" stroke-opacity="0.2">{grid}</g>
                <g class="chart__axis" fill="currentColor">
                    <text x="0" y="18">{unit.clone()}</text>
                    {tick_labels}
                    {month_labels}
                </g>
                <line
                    class="chart__zero"
                    x1=coord(layout.left)
                    x2=coord(layout.right)
                    y1=zero.clone()
                    y2=zero
                    stroke="currentColor"
                    stroke-opacity="0.6"
                ></line>
                {marks}
            </svg>
            <details class="chart__details">
                <summary>"Показать таблицу"</summary>
                <TableWrap label=format!("{title}, {unit}") class="chart__table-wrap">
                    <table class="chart__table">
                        <caption>{format!("{title}, {unit}")}</caption>
                        <thead>
                            <tr>
                                <th scope="col">"Месяц"</th>
                                {header}
                            </tr>
                        </thead>
                        <tbody>{rows}</tbody>
                    </table>
                </TableWrap>
            </details>
        </figure>
    }
    .into_any()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn months(n: usize) -> Vec<String> {
        (0..n)
            .map(|i| format!("{:02}.{}", i % 12 + 1, 2024 + i / 12))
            .collect()
    }

    #[test]
    fn ticks_are_round_and_cover_the_data() {
        for (min, max) in [
            (0.0, 1.0),
            (3.0, 97.0),
            (12.5, 412.7),
            (0.0, 0.3),
            (0.0004, 0.0009),
            (1234.56, 98_765.43),
            (0.0, 0.0),
            (7.0, 7.0),
            (0.0, 1e15),
        ] {
            let t = ticks(min, max);
            assert!(t.len() >= 2 && t.len() <= 9, "{min}..{max}: {t:?}");
            assert_eq!(t[0], 0.0, "{min}..{max}: starts at zero");
            assert!(*t.last().unwrap() >= max, "{min}..{max}: {t:?}");
            let step = t[1] - t[0];
            let (mantissa, _) = nice_step(step * 0.999);
            assert!([1.0, 2.0, 5.0].contains(&mantissa), "{t:?}");
            for pair in t.windows(2) {
                assert!((pair[1] - pair[0] - step).abs() <= step * 1e-9, "{t:?}");
            }
            assert!(
                t.iter()
                    .all(|&v| (v / step - (v / step).round()).abs() < 1e-6),
                "{t:?}"
            );
        }
        assert_eq!(ticks(0.0, 97.0), vec![0.0, 20.0, 40.0, 60.0, 80.0, 100.0]);
        assert_eq!(ticks(0.0, 0.3), vec![0.0, 0.1, 0.2, 0.3]);
        assert_eq!(ticks(0.0, 0.0), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
    }

    #[test]
    fn negative_values_extend_the_axis_below_zero() {
        let t = ticks(-120.0, 380.0);
        assert!(t[0] <= -120.0 && *t.last().unwrap() >= 380.0, "{t:?}");
        assert!(t.contains(&0.0), "{t:?}");
        let t = ticks(-5.0, -1.0);
        assert!(t[0] <= -5.0 && *t.last().unwrap() == 0.0, "{t:?}");

        let layout = Layout::new(3, -120.0, 380.0, 70.0);
        let zero = layout.y(0.0);
        assert!(zero > TOP && zero < BOTTOM);
        let down = layout.bar(1, 0, 2, -120.0);
        assert_eq!(down.y, zero);
        assert!(down.y + down.height <= BOTTOM + 1e-9);
        let up = layout.bar(1, 1, 2, 380.0);
        assert!((up.y + up.height - zero).abs() < 1e-9 && up.y >= TOP - 1e-9);
    }

    #[test]
    fn non_finite_input_does_not_break_the_axis() {
        for (min, max) in [
            (f64::NAN, f64::NAN),
            (f64::NEG_INFINITY, f64::INFINITY),
            (-1e300, 1e300),
        ] {
            let t = ticks(min, max);
            assert!(t.len() >= 2 && t.iter().all(|v| v.is_finite()), "{t:?}");
        }
        assert_eq!(usable(Some(f64::NAN)), None);
        assert_eq!(usable(Some(f64::INFINITY)), None);
        assert_eq!(usable(Some(2e15)), None);
        assert_eq!(usable(Some(-3.5)), Some(-3.5));
    }

    /// Shown labels, as (left, right) extents.
    fn label_extents(layout: &Layout, labels: &[String]) -> Vec<(f64, f64)> {
        labels
            .iter()
            .enumerate()
            .filter(|(i, _)| layout.shows_label(*i))
            .map(|(i, l)| {
                let half = text_width(l) / 2.0;
                (layout.x(i) - half, layout.x(i) + half)
            })
            .collect()
    }

    #[test]
    fn month_labels_never_overlap_and_stay_in_the_drawing() {
        for n in [1, 2, 3, 6, 12, 13, 24, 36, 60, 120] {
            let labels = months(n);
            let width = labels.iter().map(|l| text_width(l)).fold(0.0, f64::max);
            let layout = Layout::new(n, 0.0, 12_345.678, width);
            let extents = label_extents(&layout, &labels);
            assert!(!extents.is_empty(), "{n} months: no labels");
            assert!(
                layout.shows_label(n - 1),
                "{n} months: the last month is labelled"
            );
            for pair in extents.windows(2) {
                assert!(
                    pair[1].0 - pair[0].1 >= LABEL_GAP - 1e-9,
                    "{n} months: {pair:?}"
                );
            }
            let (first, last) = (extents[0], extents[extents.len() - 1]);
            assert!(first.0 >= 0.0 && last.1 <= WIDTH, "{n} months: {extents:?}");
            if n == 36 {
                assert!(extents.len() >= 3, "{extents:?}");
            }
        }
        assert_eq!(x_labels_step(12, 100.0, 70.0), 1);
        assert_eq!(x_labels_step(36, 11.0, 70.0), 12);
        assert_eq!(x_labels_step(5, 0.0, 70.0), 5);
        assert_eq!(x_labels_step(3, 1.0, 70.0), 3);
    }

    #[test]
    fn tick_labels_do_not_collide_and_fit_on_the_left() {
        for (min, max) in [(0.0, 9.0), (-987_654.3, 12_345_678.9), (0.0, 0.007)] {
            let layout = Layout::new(12, min, max, 70.0);
            let ys: Vec<f64> = layout.ticks.iter().map(|&t| layout.y(t)).collect();
            for pair in ys.windows(2) {
                assert!(pair[0] - pair[1] >= FONT + 4.0, "{ys:?}");
            }
            for &t in &layout.ticks {
                assert!(layout.left - 8.0 - text_width(&format_value(t, 0, 3)) >= 0.0);
            }
            assert!(layout.right > layout.left + WIDTH / 2.0, "{layout:?}");
        }
    }

    #[test]
    fn bars_stay_inside_the_plot_area() {
        for (n, series_count) in [(1, 1), (1, 5), (12, 3), (36, 5), (36, 8)] {
            let layout = Layout::new(n, 0.0, 987.6, 70.0);
            for month in 0..n {
                let band_left = layout.left + layout.band() * month as f64;
                let band_right = band_left + layout.band();
                for series in 0..series_count {
                    for value in [0.0, 0.001, 500.0, 987.6] {
                        let r = layout.bar(month, series, series_count, value);
                        assert!(r.width > 0.0 && r.height >= 0.0, "{r:?}");
                        assert!(r.x >= band_left && r.x + r.width <= band_right, "{r:?}");
                        assert!(
                            r.y >= TOP - 1e-9 && r.y + r.height <= BOTTOM + 1e-9,
                            "{r:?}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn one_month_is_centred() {
        let layout = Layout::new(1, 0.0, 42.0, 70.0);
        assert!((layout.x(0) - (layout.left + layout.right) / 2.0).abs() < 1e-9);
        assert!(layout.shows_label(0));
        let r = layout.bar(0, 0, 1, 42.0);
        assert!(r.width <= 32.0 && r.height > 0.0);
    }

    #[test]
    fn missing_values_make_gaps() {
        let values = [
            Some(1.0),
            Some(2.0),
            None,
            Some(f64::NAN),
            Some(3.0),
            None,
            Some(4.0),
            Some(5.0),
        ];
        let r = runs(&values);
        assert_eq!(
            r,
            vec![
                vec![(0, 1.0), (1, 2.0)],
                vec![(4, 3.0)],
                vec![(6, 4.0), (7, 5.0)]
            ]
        );
        assert!(runs(&[None, None]).is_empty());
    }

    #[test]
    fn numbers_are_written_the_russian_way() {
        assert_eq!(format_value(1234.5, 0, 3), "1\u{202F}234,5");
        assert_eq!(format_value(1234.5, 2, 2), "1\u{202F}234,50");
        assert_eq!(format_value(0.1 + 0.2, 0, 3), "0,3");
        assert_eq!(format_value(1_234_567.0, 0, 3), "1\u{202F}234\u{202F}567");
        assert_eq!(format_value(-12.3456, 0, 3), "-12,346");
        assert_eq!(format_value(-0.0001, 0, 3), "0");
        assert_eq!(format_value(999.9999, 0, 3), "1\u{202F}000");
        assert_eq!(format_value(5.0, 0, 9), "5");
        assert_eq!(format_value(f64::NAN, 0, 3), "—");
        assert_eq!(format_value(f64::INFINITY, 2, 2), "—");
    }

    #[test]
    fn ids_are_stable_and_distinct() {
        let s = vec![ChartSeries::new("День", vec![Some(1.0)])];
        let a = chart_id("Потребление", "кВт·ч", &months(1), &s);
        assert_eq!(a, chart_id("Потребление", "кВт·ч", &months(1), &s));
        assert_ne!(a, chart_id("Начисления", "руб.", &months(1), &s));
    }

    #[cfg(feature = "ssr")]
    fn render(labels: Vec<String>, series: Vec<ChartSeries>, kind: ChartKind) -> String {
        let owner = Owner::new();
        owner.with(|| {
            view! { <Chart title="Потребление" unit="кВт·ч" labels=labels series=series kind=kind /> }
                .to_html()
        })
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn renders_a_figure_with_a_table() {
        let series = vec![
            ChartSeries::new("День", vec![Some(120.5), None, Some(1300.0), Some(1250.0)]),
            ChartSeries::new("Ночь", vec![Some(60.0), Some(f64::NAN), Some(-2.0)]),
        ];
        let labels: Vec<String> = ["07.2026", "08.2026", "09.2026", "10.2026"]
            .into_iter()
            .map(String::from)
            .collect();
        for kind in [ChartKind::Line, ChartKind::Bar] {
            let html = render(labels.clone(), series.clone(), kind);
            for needle in [
                "<figure",
                "<figcaption",
                "role=\"img\"",
                "viewBox=\"0 0 480 300\"",
                "aria-labelledby=\"chart-",
                "по месяцам с 07.2026 по 10.2026, кВт·ч; ряды: День, Ночь.",
                "Наибольшее значение: 1\u{202F}300 кВт·ч (День, 09.2026)",
                "<th scope=\"col\">Ночь</th>",
                "<th scope=\"row\">08.2026</th>",
                "1\u{202F}300",
                "нет данных",
                "Показать таблицу",
            ] {
                assert!(html.contains(needle), "{kind:?}: no {needle:?} in {html}");
            }
            assert!(!html.contains("NaN") && !html.contains("inf"), "{html}");
        }
        let line = render(labels.clone(), series.clone(), ChartKind::Line);
        assert!(line.contains("<desc id=\"chart-") && line.contains("Линейный график по"));
        // Runs 07, 09–10 of «День» and 07, 09 of «Ночь» (10.2026 missing): one line, four lone points.
        assert_eq!(line.matches("<polyline").count(), 1, "{line}");
        assert_eq!(line.matches("<path").count(), 2 + 5, "{line}");
        let bar = render(labels, series, ChartKind::Bar);
        assert!(bar.contains("Столбчатая диаграмма по"));
        assert!(
            bar.contains("<pattern") && bar.contains("patternUnits="),
            "{bar}"
        );
        // Two legend swatches, five bars, the background of one hatching.
        assert_eq!(bar.matches("<rect").count(), 2 + 5 + 1, "{bar}");
    }

    #[cfg(feature = "ssr")]
    #[test]
    fn empty_data_says_so() {
        let empty = render(Vec::new(), Vec::new(), ChartKind::Line);
        assert!(
            empty.contains(NO_DATA) && !empty.contains("<svg"),
            "{empty}"
        );
        let all_none = render(
            months(3),
            vec![ChartSeries::new("День", vec![None, Some(f64::NAN), None])],
            ChartKind::Bar,
        );
        assert!(
            all_none.contains(NO_DATA) && !all_none.contains("<svg"),
            "{all_none}"
        );
    }
}
