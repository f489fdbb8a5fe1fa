//! Printable PDF documents: the monthly receipt («Квитанция на оплату жилищно-коммунальных
//! услуг») with its payment QR code, and the tariff document of a period.
//!
//! Pure and synchronous: a document in, PDF bytes out. krilla's `Document` is not `Send`, so
//! async callers run these functions inside `tokio::task::spawn_blocking`.
//!
//! krilla has no layout engine. Text is shaped here with rustybuzz (the shaper krilla uses
//! itself), which gives the advance widths for right-aligned amounts and for wrapping table
//! cells. Pages are first laid out as lists of drawing operations and written afterwards, so a
//! long table continues on a new page and every footer knows the page count.

use anyhow::{Context, anyhow};
use krilla::Document;
use krilla::color::rgb;
use krilla::geom::{PathBuilder, Point, Rect};
use krilla::metadata::Metadata;
use krilla::num::NormalizedF32;
use krilla::page::PageSettings;
use krilla::paint::{Fill, FillRule};
use krilla::text::{Font, GlyphId, KrillaGlyph};
use qrcode::{EcLevel, QrCode};
use shared::Kopecks;
use std::sync::LazyLock;

/// Who is paid and how (printed in the header of the receipt).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PayeeBlock {
    pub name: String,
    pub inn: String,
    pub kpp: String,
    pub bank_name: String,
    pub bic: String,
    pub settlement_account: String,
    pub correspondent_account: String,
    pub address: String,
    pub phone: String,
}

/// One charge of the period: a row of the receipt's table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptLine {
    pub service: String,
    pub supplier: String,
    pub unit: String,
    /// Already formatted, e.g. "235,000", or "" for unmetered services.
    pub quantity: String,
    /// Price per unit; `None` for fixed charges.
    pub tariff: Option<Kopecks>,
    pub amount: Kopecks,
}

/// One meter reading of the period, already formatted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptReading {
    pub service: String,
    pub meter_serial: String,
    /// "" for one-zone meters, else "день"/"ночь"/…
    pub zone: String,
    pub previous: String,
    pub current: String,
    pub consumption: String,
}

/// Everything one monthly receipt shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptDocument {
    pub payee: PayeeBlock,
    pub account_number: String,
    pub owner_name: String,
    pub address: String,
    pub branch: String,
    /// «октябрь 2026»
    pub period_caption: String,
    /// The balance at the start of the period: positive = debt, negative = overpayment.
    pub previous_balance: Kopecks,
    pub lines: Vec<ReceiptLine>,
    pub charged_total: Kopecks,
    /// Payments received during the period.
    pub paid: Kopecks,
    /// `previous_balance + charged_total - paid`; negative = overpayment.
    pub total_to_pay: Kopecks,
    pub readings: Vec<ReceiptReading>,
    /// The ГОСТ Р 56042-2014 payload ("ST00012|Name=…"), `None` when nothing is to be paid.
    pub qr_payload: Option<String>,
    /// E.g. «Сформирована 22.11.2026».
    pub generated_caption: String,
}

/// One approved price of the tariff document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariffRow {
    pub service: String,
    pub zone: String,
    pub unit: String,
    pub price: Kopecks,
    pub valid_from: String,
}

/// «Документ об утверждении тарифов» for one period: a titled page with the tariff table.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TariffDocument {
    pub title: String,
    /// The approving act, e.g. «Постановление … № …».
    pub act: String,
    pub provider: String,
    pub period_caption: String,
    pub rows: Vec<TariffRow>,
    pub generated_caption: String,
}

/// Renders the monthly receipt as an A4 PDF: header with the payee's requisites, the payer and
/// the payment QR code, the table of charges, the totals and the meter readings.
pub fn render_receipt(doc: &ReceiptDocument) -> anyhow::Result<Vec<u8>> {
    let fonts = fonts()?;
    let canvas = layout_receipt(fonts, doc)?;
    canvas.finish(
        &format!(
            "Квитанция за {}, лицевой счет {}",
            doc.period_caption, doc.account_number
        ),
        &doc.generated_caption,
    )
}

/// Renders the tariff document of one period as an A4 PDF.
pub fn render_tariffs(doc: &TariffDocument) -> anyhow::Result<Vec<u8>> {
    let fonts = fonts()?;
    let canvas = layout_tariffs(fonts, doc);
    canvas.finish(&doc.title, &doc.generated_caption)
}

// ---------------------------------------------------------------------------------------------
// Page geometry (points, origin top-left, y down) and styles.

const PAGE_W: f32 = 595.28;
const PAGE_H: f32 = 841.89;
const CONTENT_W: f32 = 515.0;
const LEFT: f32 = (PAGE_W - CONTENT_W) / 2.0;
const RIGHT: f32 = LEFT + CONTENT_W;
const TOP: f32 = 40.0;
/// Content stops here; the footer sits below.
const BOTTOM: f32 = PAGE_H - 50.0;
const FOOTER_TOP: f32 = PAGE_H - 36.0;

/// The QR code's square, quiet zone included.
const QR_SIZE: f32 = 150.0;
/// Light modules around the code, as ISO/IEC 18004 asks.
const QR_QUIET_MODULES: usize = 4;
/// «Оплата по QR-коду в приложении банка», broken where it reads best.
const QR_CAPTION: [&str; 2] = ["Оплата по QR-коду", "в приложении банка"];

const CELL_PAD_X: f32 = 3.0;
const CELL_PAD_Y: f32 = 2.5;
/// Lines a table cell may take before it is cut with an ellipsis.
const CELL_MAX_LINES: usize = 3;
/// Longer input is cut before layout, so that wrapping stays cheap.
const MAX_TEXT_CHARS: usize = 600;

/// Gray levels: 0 is black, 255 white.
const INK: u8 = 0;
const MUTED: u8 = 90;
const RULE_DARK: u8 = 60;
const RULE_LIGHT: u8 = 190;
const SHADE: u8 = 236;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Align {
    Left,
    Center,
    Right,
}

#[derive(Debug, Clone, Copy)]
struct Style {
    size: f32,
    weight: Weight,
    gray: u8,
}

impl Style {
    const fn new(size: f32, weight: Weight, gray: u8) -> Style {
        Style { size, weight, gray }
    }

    fn line_height(self) -> f32 {
        self.size * 1.25
    }
}

const TITLE: Style = Style::new(12.0, Weight::Bold, INK);
const HEADING: Style = Style::new(10.0, Weight::Bold, INK);
const TEXT: Style = Style::new(8.5, Weight::Regular, INK);
const TEXT_BOLD: Style = Style::new(8.5, Weight::Bold, INK);
const PAYEE_NAME: Style = Style::new(9.5, Weight::Bold, INK);
const LABEL: Style = Style::new(8.5, Weight::Regular, MUTED);
const CAPTION: Style = Style::new(7.0, Weight::Regular, MUTED);
const CELL: Style = Style::new(8.0, Weight::Regular, INK);
const CELL_HEAD: Style = Style::new(7.5, Weight::Bold, INK);
const GRAND_TOTAL: Style = Style::new(12.0, Weight::Bold, INK);

// ---------------------------------------------------------------------------------------------
// Fonts and shaping.

static REGULAR_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans.ttf");
static BOLD_TTF: &[u8] = include_bytes!("../../assets/fonts/DejaVuSans-Bold.ttf");

/// Parsed once: both krilla's and rustybuzz's views of the bundled fonts.
static FONTS: LazyLock<Result<Fonts, String>> = LazyLock::new(|| {
    Ok(Fonts {
        regular: FontFace::load(REGULAR_TTF, "DejaVuSans.ttf")?,
        bold: FontFace::load(BOLD_TTF, "DejaVuSans-Bold.ttf")?,
    })
});

fn fonts() -> anyhow::Result<&'static Fonts> {
    FONTS.as_ref().map_err(|e| anyhow!("{e}"))
}

struct Fonts {
    regular: FontFace,
    bold: FontFace,
}

impl Fonts {
    fn face(&self, weight: Weight) -> &FontFace {
        match weight {
            Weight::Regular => &self.regular,
            Weight::Bold => &self.bold,
        }
    }

    fn shape(&self, text: &str, style: Style) -> Shaped {
        self.face(style.weight).shape(text)
    }

    fn width(&self, text: &str, style: Style) -> f32 {
        self.shape(text, style).width(style.size)
    }
}

struct FontFace {
    pdf: Font,
    shaper: rustybuzz::Face<'static>,
    /// Shaping plans for the scripts the documents use; building a plan costs more than
    /// shaping a short line.
    plans: Vec<(rustybuzz::Script, rustybuzz::ShapePlan)>,
    units_per_em: f32,
    /// The ascender in ems: from the top of a line to its baseline.
    ascent: f32,
}

impl FontFace {
    fn load(data: &'static [u8], name: &str) -> Result<FontFace, String> {
        let pdf = Font::new(data.into(), 0)
            .ok_or_else(|| format!("krilla cannot read the bundled font {name}"))?;
        let shaper = rustybuzz::Face::from_slice(data, 0)
            .ok_or_else(|| format!("rustybuzz cannot read the bundled font {name}"))?;
        let units_per_em = shaper.units_per_em() as f32;
        if units_per_em <= 0.0 {
            return Err(format!("the bundled font {name} has no units per em"));
        }
        let ascent = f32::from(shaper.ascender()) / units_per_em;
        let plans = [
            rustybuzz::script::CYRILLIC,
            rustybuzz::script::LATIN,
            // Digits and punctuation only.
            rustybuzz::script::UNKNOWN,
        ]
        .into_iter()
        .map(|script| {
            let plan = rustybuzz::ShapePlan::new(
                &shaper,
                rustybuzz::Direction::LeftToRight,
                Some(script),
                None,
                &[],
            );
            (script, plan)
        })
        .collect();
        Ok(FontFace {
            pdf,
            shaper,
            plans,
            units_per_em,
            ascent,
        })
    }

    /// Shapes one line left to right (kerning included), keeping the text for the PDF's
    /// ToUnicode map so that the text can be copied and searched.
    fn shape(&self, text: &str) -> Shaped {
        let mut buffer = rustybuzz::UnicodeBuffer::new();
        buffer.push_str(text);
        buffer.set_direction(rustybuzz::Direction::LeftToRight);
        buffer.guess_segment_properties();
        let script = buffer.script();
        let output = match self.plans.iter().find(|(s, _)| *s == script) {
            Some((_, plan)) => rustybuzz::shape_with_plan(&self.shaper, plan, buffer),
            None => rustybuzz::shape(&self.shaper, &[], buffer),
        };
        let infos = output.glyph_infos();
        let positions = output.glyph_positions();
        // A glyph's text runs from its cluster to the next glyph's different cluster.
        let mut ends = vec![text.len(); infos.len()];
        let mut end = text.len();
        for i in (0..infos.len()).rev() {
            if let Some(next) = infos.get(i + 1)
                && next.cluster != infos[i].cluster
            {
                end = next.cluster as usize;
            }
            ends[i] = end;
        }
        let upem = self.units_per_em;
        let mut width_em = 0.0;
        let glyphs = infos
            .iter()
            .zip(positions)
            .zip(ends)
            .map(|((info, pos), end)| {
                let start = (info.cluster as usize).min(end);
                width_em += pos.x_advance as f32 / upem;
                KrillaGlyph::new(
                    GlyphId::new(info.glyph_id),
                    pos.x_advance as f32 / upem,
                    pos.x_offset as f32 / upem,
                    pos.y_offset as f32 / upem,
                    pos.y_advance as f32 / upem,
                    start..end,
                    None,
                )
            })
            .collect();
        Shaped {
            text: text.to_string(),
            glyphs,
            width_em,
        }
    }
}

#[derive(Debug, Clone)]
struct Shaped {
    text: String,
    glyphs: Vec<KrillaGlyph>,
    width_em: f32,
}

impl Shaped {
    fn width(&self, size: f32) -> f32 {
        self.width_em * size
    }
}

/// Control characters become spaces; overly long input is cut.
fn clean(text: &str) -> String {
    text.chars()
        .take(MAX_TEXT_CHARS)
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// Spaces a line may break at: not the no-break ones inside amounts («1 234,56»).
fn is_break_space(c: char) -> bool {
    c.is_whitespace() && !matches!(c, '\u{00A0}' | '\u{2007}' | '\u{202F}')
}

/// Breaks `text` into shaped lines no wider than `max_width`; words wider than a line are
/// cut, and text beyond `max_lines` ends the last line with an ellipsis.
fn wrap(fonts: &Fonts, text: &str, style: Style, max_width: f32, max_lines: usize) -> Vec<Shaped> {
    let max_width = max_width.max(1.0);
    let max_lines = max_lines.max(1);
    let text = clean(text);
    let words: Vec<&str> = text
        .split(is_break_space)
        .filter(|w| !w.is_empty())
        .collect();
    if words.is_empty() {
        return Vec::new();
    }
    // Most cells fit on one line: shape them once.
    let whole = fonts.shape(&words.join(" "), style);
    if whole.width(style.size) <= max_width {
        return vec![whole];
    }
    let mut lines: Vec<Shaped> = Vec::new();
    let mut current: Option<Shaped> = None;
    for word in words {
        if let Some(line) = &current {
            let candidate = fonts.shape(&format!("{} {word}", line.text), style);
            if candidate.width(style.size) <= max_width {
                current = Some(candidate);
                continue;
            }
            lines.extend(current.take());
        }
        let mut rest = word;
        let mut shaped = fonts.shape(rest, style);
        while !rest.is_empty() && shaped.width(style.size) > max_width {
            let cut = fitting_prefix(fonts, rest, style, max_width);
            lines.push(fonts.shape(&rest[..cut], style));
            rest = &rest[cut..];
            shaped = fonts.shape(rest, style);
        }
        current = (!rest.is_empty()).then_some(shaped);
        if lines.len() > max_lines {
            break;
        }
    }
    lines.extend(current);
    if lines.len() > max_lines {
        let rest = lines[max_lines - 1..]
            .iter()
            .map(|line| line.text.as_str())
            .collect::<Vec<_>>()
            .join(" ");
        lines.truncate(max_lines - 1);
        lines.push(truncate(fonts, &rest, style, max_width));
    }
    lines
}

/// `text` cut to `max_width` with an ellipsis, or whole when it fits.
fn truncate(fonts: &Fonts, text: &str, style: Style, max_width: f32) -> Shaped {
    let whole = fonts.shape(text, style);
    if whole.width(style.size) <= max_width {
        return whole;
    }
    let budget = max_width - fonts.width("…", style);
    if budget <= 0.0 {
        return fonts.shape("…", style);
    }
    let cut = fitting_prefix(fonts, text, style, budget);
    fonts.shape(&format!("{}…", text[..cut].trim_end()), style)
}

/// The byte length of the longest prefix of `text` (at least one character) that fits.
fn fitting_prefix(fonts: &Fonts, text: &str, style: Style, max_width: f32) -> usize {
    let ends: Vec<usize> = text.char_indices().map(|(i, c)| i + c.len_utf8()).collect();
    // Binary search: ends[..lo] fit, ends[hi..] do not.
    let (mut lo, mut hi) = (0, ends.len());
    while lo < hi {
        let mid = (lo + hi) / 2;
        if fonts.width(&text[..ends[mid]], style) <= max_width {
            lo = mid + 1;
        } else {
            hi = mid;
        }
    }
    ends.get(lo.saturating_sub(1))
        .copied()
        .unwrap_or(text.len())
}

// ---------------------------------------------------------------------------------------------
// Layout: pages as lists of drawing operations.

#[derive(Debug, Clone)]
enum Op {
    Text {
        x: f32,
        baseline: f32,
        style: Style,
        shaped: Shaped,
    },
    /// Filled rectangles `(x, y, width, height)` of one gray, drawn as one path.
    Rects { rects: Vec<[f32; 4]>, gray: u8 },
}

struct Column {
    title: &'static str,
    width: f32,
    align: Align,
}

struct Canvas {
    fonts: &'static Fonts,
    pages: Vec<Vec<Op>>,
    /// The top of the next block on the last page.
    y: f32,
}

impl Canvas {
    fn new(fonts: &'static Fonts) -> Canvas {
        Canvas {
            fonts,
            pages: vec![Vec::new()],
            y: TOP,
        }
    }

    fn push(&mut self, op: Op) {
        match self.pages.last_mut() {
            Some(page) => page.push(op),
            None => self.pages.push(vec![op]),
        }
    }

    fn new_page(&mut self) {
        self.pages.push(Vec::new());
        self.y = TOP;
    }

    /// Starts a new page unless `height` fits below the cursor (or the page is still empty,
    /// so that an oversized block cannot loop). True when a page was started.
    fn ensure(&mut self, height: f32) -> bool {
        if self.y + height > BOTTOM && self.y > TOP {
            self.new_page();
            true
        } else {
            false
        }
    }

    fn gap(&mut self, height: f32) {
        self.y += height;
    }

    /// One line of text whose line box starts at `top`, aligned in `[x, x + width]`.
    fn line(&mut self, x: f32, top: f32, width: f32, text: &str, style: Style, align: Align) {
        if !text.is_empty() {
            let shaped = self.fonts.shape(text, style);
            self.put(x, top, width, shaped, style, align);
        }
    }

    /// Like [`Canvas::line`], for text already shaped.
    fn put(&mut self, x: f32, top: f32, width: f32, shaped: Shaped, style: Style, align: Align) {
        self.push(text_op(self.fonts, x, top, width, shaped, style, align));
    }

    fn fill(&mut self, rects: Vec<[f32; 4]>, gray: u8) {
        self.push(Op::Rects { rects, gray });
    }

    /// A horizontal rule at the cursor.
    fn rule(&mut self, thickness: f32, gray: u8) {
        self.fill(vec![[LEFT, self.y, CONTENT_W, thickness]], gray);
    }

    /// Wrapped text at the cursor, moving it down.
    fn paragraph(&mut self, x: f32, width: f32, text: &str, style: Style, max_lines: usize) {
        for line in wrap(self.fonts, text, style, width, max_lines) {
            self.ensure(style.line_height());
            self.put(x, self.y, width, line, style, Align::Left);
            self.y += style.line_height();
        }
    }

    /// «Label  value» with the value wrapped in its own column; nothing when the value is empty.
    fn labelled(
        &mut self,
        x: f32,
        width: f32,
        label_width: f32,
        label: &str,
        value: &str,
        style: Style,
    ) {
        if value.trim().is_empty() {
            return;
        }
        let lines = wrap(self.fonts, value, style, width - label_width, 3);
        let line_height = LABEL.line_height().max(style.line_height());
        self.ensure(line_height * lines.len() as f32);
        self.line(x, self.y, label_width, label, LABEL, Align::Left);
        for line in lines {
            self.put(
                x + label_width,
                self.y,
                width - label_width,
                line,
                style,
                Align::Left,
            );
            self.y += line_height;
        }
    }

    /// The payment QR code at `(x, top)`, `QR_SIZE` square, with its caption below; returns the
    /// bottom of the caption.
    fn qr(&mut self, x: f32, top: f32, payload: &str) -> anyhow::Result<f32> {
        let code = QrCode::with_error_correction_level(payload.as_bytes(), EcLevel::M)
            .context("the payment QR code cannot hold the payload")?;
        let n = code.width();
        anyhow::ensure!(n > 0, "the payment QR code is empty");
        let module = QR_SIZE / (n + 2 * QR_QUIET_MODULES) as f32;
        let colors = code.to_colors();
        let mut rects = Vec::new();
        // One rectangle per horizontal run of dark modules, slightly taller than a module so
        // that anti-aliasing leaves no hairlines between rows.
        for (row, modules) in colors.chunks(n).enumerate() {
            let y = top + (QR_QUIET_MODULES + row) as f32 * module;
            let mut col = 0;
            while col < modules.len() {
                if modules[col] != qrcode::Color::Dark {
                    col += 1;
                    continue;
                }
                let start = col;
                while col < modules.len() && modules[col] == qrcode::Color::Dark {
                    col += 1;
                }
                let x0 = x + (QR_QUIET_MODULES + start) as f32 * module;
                rects.push([x0, y, (col - start) as f32 * module, module + 0.05]);
            }
        }
        self.fill(rects, INK);
        let mut y = top + QR_SIZE;
        for line in QR_CAPTION {
            self.line(x, y, QR_SIZE, line, CAPTION, Align::Center);
            y += CAPTION.line_height();
        }
        Ok(y)
    }

    /// A table at the cursor: a shaded header row, then the rows, continuing on a new page
    /// (with the header repeated) when the page is full.
    fn table(&mut self, columns: &[Column], rows: &[Vec<String>]) {
        let fonts = self.fonts;
        let cells = |texts: &mut dyn Iterator<Item = &str>, style: Style, max_lines: usize| {
            texts
                .zip(columns)
                .map(|(text, column)| {
                    wrap(
                        fonts,
                        text,
                        style,
                        column.width - 2.0 * CELL_PAD_X,
                        max_lines,
                    )
                })
                .collect::<Vec<_>>()
        };
        let height = |cells: &[Vec<Shaped>], style: Style| {
            let lines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
            lines as f32 * style.line_height() + 2.0 * CELL_PAD_Y
        };
        let header = cells(&mut columns.iter().map(|c| c.title), CELL_HEAD, 2);
        let header_height = height(&header, CELL_HEAD);
        let body: Vec<Vec<Vec<Shaped>>> = rows
            .iter()
            .map(|row| cells(&mut row.iter().map(String::as_str), CELL, CELL_MAX_LINES))
            .collect();

        let first_row = body.first().map_or(0.0, |row| height(row, CELL));
        self.ensure(header_height + first_row);
        self.table_row(columns, &header, CELL_HEAD, header_height, true);
        for row in &body {
            let row_height = height(row, CELL);
            if self.ensure(row_height) {
                self.table_row(columns, &header, CELL_HEAD, header_height, true);
            }
            self.table_row(columns, row, CELL, row_height, false);
        }
    }

    fn table_row(
        &mut self,
        columns: &[Column],
        cells: &[Vec<Shaped>],
        style: Style,
        height: f32,
        header: bool,
    ) {
        let top = self.y;
        if header {
            self.fill(vec![[LEFT, top, CONTENT_W, height]], SHADE);
            self.fill(vec![[LEFT, top, CONTENT_W, 0.8]], RULE_DARK);
        }
        let mut x = LEFT;
        for (column, lines) in columns.iter().zip(cells) {
            let mut line_top = top + CELL_PAD_Y;
            for line in lines {
                self.put(
                    x + CELL_PAD_X,
                    line_top,
                    column.width - 2.0 * CELL_PAD_X,
                    line.clone(),
                    style,
                    column.align,
                );
                line_top += style.line_height();
            }
            x += column.width;
        }
        self.y = top + height;
        let (thickness, gray) = if header {
            (0.8, RULE_DARK)
        } else {
            (0.4, RULE_LIGHT)
        };
        self.fill(vec![[LEFT, self.y - thickness, CONTENT_W, thickness]], gray);
    }

    /// Adds the footers and writes the PDF.
    fn finish(mut self, title: &str, generated_caption: &str) -> anyhow::Result<Vec<u8>> {
        let fonts = self.fonts;
        let count = self.pages.len();
        let caption = truncate(fonts, clean(generated_caption).trim(), CAPTION, 380.0);
        for (index, page) in self.pages.iter_mut().enumerate() {
            page.push(Op::Rects {
                rects: vec![[LEFT, FOOTER_TOP - 4.0, CONTENT_W, 0.4]],
                gray: RULE_LIGHT,
            });
            if !caption.text.is_empty() {
                page.push(text_op(
                    fonts,
                    LEFT,
                    FOOTER_TOP,
                    CONTENT_W,
                    caption.clone(),
                    CAPTION,
                    Align::Left,
                ));
            }
            if count > 1 {
                let number = format!("Страница {} из {count}", index + 1);
                page.push(text_op(
                    fonts,
                    LEFT,
                    FOOTER_TOP,
                    CONTENT_W,
                    fonts.shape(&number, CAPTION),
                    CAPTION,
                    Align::Right,
                ));
            }
        }
        write_pdf(fonts, &self.pages, title)
    }
}

fn text_op(
    fonts: &Fonts,
    x: f32,
    top: f32,
    width: f32,
    shaped: Shaped,
    style: Style,
    align: Align,
) -> Op {
    let x = match align {
        Align::Left => x,
        Align::Center => x + (width - shaped.width(style.size)) / 2.0,
        Align::Right => x + width - shaped.width(style.size),
    };
    Op::Text {
        x,
        baseline: top + fonts.face(style.weight).ascent * style.size,
        style,
        shaped,
    }
}

fn gray_fill(gray: u8) -> Fill {
    Fill {
        paint: rgb::Color::new(gray, gray, gray).into(),
        opacity: NormalizedF32::ONE,
        rule: FillRule::NonZero,
    }
}

fn write_pdf(fonts: &Fonts, pages: &[Vec<Op>], title: &str) -> anyhow::Result<Vec<u8>> {
    let mut document = Document::new();
    document.set_metadata(
        Metadata::new()
            .title(clean(title))
            .language("ru".to_string())
            .creator("Kabinet".to_string()),
    );
    for ops in pages {
        let settings = PageSettings::from_wh(PAGE_W, PAGE_H).context("the A4 page size")?;
        let mut page = document.start_page_with(settings);
        let mut surface = page.surface();
        surface.set_stroke(None);
        for op in ops {
            match op {
                Op::Text {
                    x,
                    baseline,
                    style,
                    shaped,
                } => {
                    surface.set_fill(Some(gray_fill(style.gray)));
                    surface.draw_glyphs(
                        Point::from_xy(*x, *baseline),
                        &shaped.glyphs,
                        fonts.face(style.weight).pdf.clone(),
                        &shaped.text,
                        style.size,
                        false,
                    );
                }
                Op::Rects { rects, gray } => {
                    let mut path = PathBuilder::new();
                    for [x, y, w, h] in rects {
                        if let Some(rect) = Rect::from_xywh(*x, *y, *w, *h) {
                            path.push_rect(rect);
                        }
                    }
                    if let Some(path) = path.finish() {
                        surface.set_fill(Some(gray_fill(*gray)));
                        surface.draw_path(&path);
                    }
                }
            }
        }
        surface.finish();
        page.finish();
    }
    document
        .finish()
        .map_err(|e| anyhow!("cannot write the PDF: {e}"))
}

// ---------------------------------------------------------------------------------------------
// The documents.

/// An amount with a true minus sign: «−1 234,56».
fn signed(amount: Kopecks) -> String {
    if amount.0 < 0 {
        format!("−{}", magnitude(amount))
    } else {
        amount.format_number()
    }
}

/// The amount without its sign.
fn magnitude(amount: Kopecks) -> String {
    Kopecks(amount.0.saturating_abs()).format_number()
}

fn layout_receipt(fonts: &'static Fonts, doc: &ReceiptDocument) -> anyhow::Result<Canvas> {
    let mut c = Canvas::new(fonts);
    c.paragraph(
        LEFT,
        CONTENT_W,
        &format!(
            "Квитанция на оплату жилищно-коммунальных услуг за {}",
            doc.period_caption
        ),
        TITLE,
        2,
    );
    c.gap(4.0);
    c.rule(0.8, RULE_DARK);
    c.gap(8.0);

    // Requisites on the left, the QR code on the right.
    let top = c.y;
    let mut qr_bottom = top;
    let text_width = match &doc.qr_payload {
        Some(payload) => {
            qr_bottom = c.qr(RIGHT - QR_SIZE, top, payload)?;
            CONTENT_W - QR_SIZE - 12.0
        }
        None => CONTENT_W,
    };
    let payee = &doc.payee;
    let (inn_label, inn) = if payee.kpp.trim().is_empty() {
        ("ИНН", payee.inn.clone())
    } else {
        ("ИНН / КПП", format!("{} / {}", payee.inn, payee.kpp))
    };
    let payee_rows = [
        (inn_label, inn.as_str()),
        ("Р/с", payee.settlement_account.as_str()),
        ("Банк", payee.bank_name.as_str()),
        ("БИК", payee.bic.as_str()),
        ("К/с", payee.correspondent_account.as_str()),
        ("Адрес", payee.address.as_str()),
        ("Телефон", payee.phone.as_str()),
    ];
    let payer_rows = [
        ("Лицевой счет", doc.account_number.as_str(), TEXT_BOLD),
        ("ФИО", doc.owner_name.as_str(), TEXT),
        ("Адрес", doc.address.as_str(), TEXT),
        ("Отделение", doc.branch.as_str(), TEXT),
    ];
    let label_width = payee_rows
        .iter()
        .map(|(label, _)| *label)
        .chain(payer_rows.iter().map(|(label, _, _)| *label))
        .map(|label| fonts.width(label, LABEL))
        .fold(0.0, f32::max)
        + 8.0;

    c.line(
        LEFT,
        c.y,
        text_width,
        "Получатель платежа",
        CAPTION,
        Align::Left,
    );
    c.gap(CAPTION.line_height());
    c.paragraph(LEFT, text_width, &payee.name, PAYEE_NAME, 2);
    for (label, value) in payee_rows {
        c.labelled(LEFT, text_width, label_width, label, value, TEXT);
    }
    c.gap(6.0);
    c.line(LEFT, c.y, text_width, "Плательщик", CAPTION, Align::Left);
    c.gap(CAPTION.line_height());
    for (label, value, style) in payer_rows {
        c.labelled(LEFT, text_width, label_width, label, value, style);
    }
    c.y = c.y.max(qr_bottom) + 10.0;

    // Charges.
    if doc.lines.is_empty() {
        c.paragraph(LEFT, CONTENT_W, "Начислений за период нет", TEXT, 1);
    } else {
        let columns = [
            Column {
                title: "Услуга",
                width: 150.0,
                align: Align::Left,
            },
            Column {
                title: "Поставщик",
                width: 125.0,
                align: Align::Left,
            },
            Column {
                title: "Ед.",
                width: 42.0,
                align: Align::Left,
            },
            Column {
                title: "Объем",
                width: 58.0,
                align: Align::Right,
            },
            Column {
                title: "Тариф, руб.",
                width: 62.0,
                align: Align::Right,
            },
            Column {
                title: "Начислено, руб.",
                width: 78.0,
                align: Align::Right,
            },
        ];
        let rows: Vec<Vec<String>> = doc
            .lines
            .iter()
            .map(|line| {
                vec![
                    line.service.clone(),
                    line.supplier.clone(),
                    line.unit.clone(),
                    line.quantity.clone(),
                    line.tariff.map(signed).unwrap_or_default(),
                    signed(line.amount),
                ]
            })
            .collect();
        c.table(&columns, &rows);
    }

    // Totals, amounts under the «Начислено» column.
    let amount_width = 78.0;
    let label_right = RIGHT - amount_width;
    let totals = [
        (
            "Задолженность (+) / переплата (−) на начало периода",
            signed(doc.previous_balance),
        ),
        ("Начислено за период", signed(doc.charged_total)),
        ("Оплачено в периоде", signed(doc.paid)),
    ];
    let grand_total = match doc.total_to_pay.0 {
        0 => "Задолженность отсутствует".to_string(),
        t if t < 0 => format!("Переплата: −{} руб.", magnitude(doc.total_to_pay)),
        _ => format!("Итого к оплате: {}", doc.total_to_pay),
    };
    let band = GRAND_TOTAL.line_height() + 8.0;
    c.gap(4.0);
    c.ensure(totals.len() as f32 * TEXT.line_height() + 6.0 + band);
    for (label, amount) in &totals {
        let y = c.y;
        c.line(LEFT, y, label_right - LEFT, label, TEXT, Align::Right);
        c.line(
            label_right + CELL_PAD_X,
            y,
            amount_width - 2.0 * CELL_PAD_X,
            amount,
            TEXT,
            Align::Right,
        );
        c.gap(TEXT.line_height());
    }
    c.gap(6.0);
    c.fill(vec![[LEFT, c.y, CONTENT_W, band]], SHADE);
    let grand_total = truncate(
        fonts,
        &grand_total,
        GRAND_TOTAL,
        CONTENT_W - 2.0 * CELL_PAD_X,
    );
    c.put(
        LEFT + CELL_PAD_X,
        c.y + 4.0,
        CONTENT_W - 2.0 * CELL_PAD_X,
        grand_total,
        GRAND_TOTAL,
        Align::Right,
    );
    c.gap(band);

    // Meter readings.
    if !doc.readings.is_empty() {
        c.gap(12.0);
        // Keep the heading with the table's header and first row.
        c.ensure(HEADING.line_height() + 4.0 + 2.0 * CELL.line_height() + 4.0 * CELL_PAD_Y);
        c.line(
            LEFT,
            c.y,
            CONTENT_W,
            "Показания приборов учета",
            HEADING,
            Align::Left,
        );
        c.gap(HEADING.line_height() + 4.0);
        let columns = [
            Column {
                title: "Услуга",
                width: 140.0,
                align: Align::Left,
            },
            Column {
                title: "Прибор учета",
                width: 105.0,
                align: Align::Left,
            },
            Column {
                title: "Зона",
                width: 55.0,
                align: Align::Left,
            },
            Column {
                title: "Предыдущие",
                width: 72.0,
                align: Align::Right,
            },
            Column {
                title: "Текущие",
                width: 72.0,
                align: Align::Right,
            },
            Column {
                title: "Расход",
                width: 71.0,
                align: Align::Right,
            },
        ];
        let rows: Vec<Vec<String>> = doc
            .readings
            .iter()
            .map(|r| {
                vec![
                    r.service.clone(),
                    r.meter_serial.clone(),
                    r.zone.clone(),
                    r.previous.clone(),
                    r.current.clone(),
                    r.consumption.clone(),
                ]
            })
            .collect();
        c.table(&columns, &rows);
    }
    Ok(c)
}

fn layout_tariffs(fonts: &'static Fonts, doc: &TariffDocument) -> Canvas {
    let mut c = Canvas::new(fonts);
    c.paragraph(
        LEFT,
        CONTENT_W,
        &doc.title,
        Style::new(14.0, Weight::Bold, INK),
        3,
    );
    c.gap(4.0);
    c.paragraph(
        LEFT,
        CONTENT_W,
        &doc.act,
        Style::new(10.0, Weight::Regular, INK),
        4,
    );
    c.gap(4.0);
    c.rule(0.8, RULE_DARK);
    c.gap(8.0);
    let label_width = ["Поставщик", "Период"]
        .iter()
        .map(|label| fonts.width(label, LABEL))
        .fold(0.0, f32::max)
        + 8.0;
    c.labelled(
        LEFT,
        CONTENT_W,
        label_width,
        "Поставщик",
        &doc.provider,
        TEXT_BOLD,
    );
    c.labelled(
        LEFT,
        CONTENT_W,
        label_width,
        "Период",
        &doc.period_caption,
        TEXT,
    );
    c.gap(10.0);
    if doc.rows.is_empty() {
        c.paragraph(LEFT, CONTENT_W, "Тарифы на период не утверждены", TEXT, 1);
        return c;
    }
    let columns = [
        Column {
            title: "Услуга",
            width: 190.0,
            align: Align::Left,
        },
        Column {
            title: "Зона",
            width: 70.0,
            align: Align::Left,
        },
        Column {
            title: "Ед. изм.",
            width: 70.0,
            align: Align::Left,
        },
        Column {
            title: "Цена, руб.",
            width: 90.0,
            align: Align::Right,
        },
        Column {
            title: "Действует с",
            width: 95.0,
            align: Align::Right,
        },
    ];
    let rows: Vec<Vec<String>> = doc
        .rows
        .iter()
        .map(|row| {
            vec![
                row.service.clone(),
                row.zone.clone(),
                row.unit.clone(),
                signed(row.price),
                row.valid_from.clone(),
            ]
        })
        .collect();
    c.table(&columns, &rows);
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use shared::requisites::{Bic, CorrespondentAccount, Inn, SettlementAccount};
    use shared::utility::payment_qr::{Payee, PaymentRequest, payment_qr_payload};
    use std::path::{Path, PathBuf};
    use std::process::Command;
    use std::time::Instant;

    const INSTALL_HINT: &str = "the PDF tests need poppler-utils and zbar-tools \
                                (apt-get install -y poppler-utils zbar-tools)";

    /// A scratch directory, removed when dropped.
    struct Scratch(PathBuf);

    impl Scratch {
        fn new(name: &str) -> Scratch {
            let dir = std::env::temp_dir()
                .join(format!("kabinet-receipt-pdf-{}-{name}", std::process::id()));
            std::fs::create_dir_all(&dir).unwrap();
            Scratch(dir)
        }

        fn write(&self, name: &str, pdf: &[u8]) -> PathBuf {
            let path = self.0.join(name);
            std::fs::write(&path, pdf).unwrap();
            path
        }
    }

    impl Drop for Scratch {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    /// Runs a command-line tool; a missing tool fails the test with a clear message.
    fn run(tool: &str, args: &[&str]) -> std::process::Output {
        Command::new(tool)
            .args(args)
            .output()
            .unwrap_or_else(|e| panic!("cannot run `{tool}` ({e}): {INSTALL_HINT}"))
    }

    fn pdf_text(path: &Path) -> String {
        let output = run("pdftotext", &["-layout", path.to_str().unwrap(), "-"]);
        assert!(
            output.status.success(),
            "pdftotext failed: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        // Amounts group thousands with no-break spaces; compare them as plain spaces.
        String::from_utf8(output.stdout)
            .unwrap()
            .replace(['\u{202F}', '\u{00A0}'], " ")
    }

    fn page_count(path: &Path) -> usize {
        let output = run("pdfinfo", &[path.to_str().unwrap()]);
        assert!(output.status.success(), "pdfinfo failed");
        let info = String::from_utf8(output.stdout).unwrap();
        info.lines()
            .find_map(|line| line.strip_prefix("Pages:"))
            .and_then(|n| n.trim().parse().ok())
            .unwrap_or_else(|| panic!("no page count in pdfinfo's output: {info}"))
    }

    /// Renders the first page at 150 dpi and decodes its QR code with zbarimg.
    fn decode_qr(scratch: &Scratch, pdf: &Path) -> String {
        let prefix = scratch.0.join("page");
        let output = run(
            "pdftoppm",
            &[
                "-r",
                "150",
                "-png",
                "-f",
                "1",
                "-l",
                "1",
                "-singlefile",
                pdf.to_str().unwrap(),
                prefix.to_str().unwrap(),
            ],
        );
        assert!(output.status.success(), "pdftoppm failed");
        let png = scratch.0.join("page.png");
        // -Sbinary: the symbol's bytes as they are (UTF-8 here), without zbar's charset guess.
        let output = run(
            "zbarimg",
            &["--raw", "-q", "-Sbinary", png.to_str().unwrap()],
        );
        assert!(
            output.status.success(),
            "zbarimg found no QR code (status {:?}): {}",
            output.status.code(),
            String::from_utf8_lossy(&output.stderr)
        );
        let mut decoded = String::from_utf8(output.stdout).expect("the QR code holds UTF-8");
        if decoded.ends_with('\n') {
            decoded.pop();
        }
        decoded
    }

    fn payee() -> Payee {
        let bic = Bic::parse("044525225").unwrap();
        Payee {
            name: "АО «Энергосбыт Плюс»".to_string(),
            inn: Inn::parse("7707083893").unwrap(),
            bank_name: "ПАО Сбербанк".to_string(),
            account: SettlementAccount::parse("40702810938000000001", &bic).unwrap(),
            correspondent_account: CorrespondentAccount::parse("30101810400000000225", &bic)
                .unwrap(),
            bic,
        }
    }

    fn quantity(milli: i64) -> String {
        format!("{},{:03}", milli / 1000, milli % 1000)
    }

    /// A realistic receipt with `count` charges (the eight usual services, repeated).
    fn receipt(count: usize, previous_balance: Kopecks, paid: Kopecks) -> ReceiptDocument {
        let services: [(&str, &str, &str, Option<i64>, i64); 8] = [
            (
                "Электроснабжение, день",
                "АО «Энергосбыт Плюс»",
                "кВт·ч",
                Some(235_000),
                762,
            ),
            (
                "Электроснабжение, ночь",
                "АО «Энергосбыт Плюс»",
                "кВт·ч",
                Some(118_000),
                298,
            ),
            (
                "Холодное водоснабжение",
                "МУП «Водоканал»",
                "м³",
                Some(7_520),
                5_214,
            ),
            (
                "Горячее водоснабжение",
                "ПАО «Т Плюс»",
                "м³",
                Some(4_310),
                24_833,
            ),
            (
                "Водоотведение",
                "МУП «Водоканал»",
                "м³",
                Some(11_830),
                3_892,
            ),
            ("Отопление", "ПАО «Т Плюс»", "Гкал", Some(1_254), 298_517),
            (
                "Обращение с твердыми коммунальными отходами",
                "ООО «Региональный оператор по обращению с отходами»",
                "чел.",
                Some(2_000),
                11_250,
            ),
            ("Домофон", "ООО «Домофон-Сервис»", "", None, 6_500),
        ];
        let lines: Vec<ReceiptLine> = (0..count)
            .map(|i| {
                let (service, supplier, unit, milli, price) = services[i % services.len()];
                let amount = match milli {
                    Some(milli) => (milli * price + 500) / 1000,
                    None => price,
                };
                ReceiptLine {
                    service: service.to_string(),
                    supplier: supplier.to_string(),
                    unit: unit.to_string(),
                    quantity: milli.map(quantity).unwrap_or_default(),
                    tariff: milli.map(|_| Kopecks(price)),
                    amount: Kopecks(amount),
                }
            })
            .collect();
        let charged_total = Kopecks(lines.iter().map(|l| l.amount.0).sum());
        let total_to_pay = Kopecks(previous_balance.0 + charged_total.0 - paid.0);
        let payee = payee();
        let qr_payload = (total_to_pay.0 > 0).then(|| {
            payment_qr_payload(&PaymentRequest {
                payee: &payee,
                personal_account: "1000123456",
                sum: total_to_pay,
                month: 10,
                year: 2026,
            })
            .unwrap()
        });
        let reading = |service: &str, serial: &str, zone: &str, previous, current| ReceiptReading {
            service: service.to_string(),
            meter_serial: serial.to_string(),
            zone: zone.to_string(),
            previous: quantity(previous),
            current: quantity(current),
            consumption: quantity(current - previous),
        };
        ReceiptDocument {
            payee: PayeeBlock {
                name: payee.name.clone(),
                inn: payee.inn.as_str().to_string(),
                kpp: "770701001".to_string(),
                bank_name: payee.bank_name.clone(),
                bic: payee.bic.as_str().to_string(),
                settlement_account: payee.account.as_str().to_string(),
                correspondent_account: payee.correspondent_account.as_str().to_string(),
                address: "620014, г. Екатеринбург, ул. Электриков, д. 16, офис 301".to_string(),
                phone: "+7 (343) 215-00-00".to_string(),
            },
            account_number: "1000123456".to_string(),
            owner_name: "Иванова Мария Сергеевна".to_string(),
            address: "г. Екатеринбург, ул. Малышева, д. 51, кв. 137".to_string(),
            branch: "Ленинское отделение".to_string(),
            period_caption: "октябрь 2026".to_string(),
            previous_balance,
            lines,
            charged_total,
            paid,
            total_to_pay,
            readings: vec![
                reading(
                    "Электроснабжение",
                    "№ 011352087",
                    "день",
                    12_450_000,
                    12_685_000,
                ),
                reading(
                    "Электроснабжение",
                    "№ 011352087",
                    "ночь",
                    6_210_000,
                    6_328_000,
                ),
                reading(
                    "Холодное водоснабжение",
                    "СГВ-15 № 4471",
                    "",
                    312_480,
                    320_000,
                ),
            ],
            qr_payload,
            generated_caption: "Сформирована 22.11.2026".to_string(),
        }
    }

    #[test]
    fn the_receipt_prints_its_text_and_a_readable_qr_code() {
        let doc = receipt(8, Kopecks(154_320), Kopecks(154_320));
        let payload = doc.qr_payload.clone().unwrap();
        assert!(payload.starts_with("ST00012|Name=АО «Энергосбыт Плюс»|"));

        let started = Instant::now();
        let pdf = render_receipt(&doc).unwrap();
        let first = started.elapsed();
        let started = Instant::now();
        let runs = 5;
        for _ in 0..runs {
            render_receipt(&doc).unwrap();
        }
        eprintln!(
            "receipt: {} bytes, first render {first:?} (fonts parsed), then {:?} per receipt",
            pdf.len(),
            started.elapsed() / runs
        );
        assert!(pdf.starts_with(b"%PDF-"));

        let scratch = Scratch::new("receipt");
        let path = scratch.write("receipt.pdf", &pdf);
        let text = pdf_text(&path);
        let total = doc.total_to_pay.format_number().replace('\u{202F}', " ");
        for expected in [
            "Квитанция на оплату жилищно-коммунальных услуг за октябрь 2026",
            "1000123456",
            "Иванова Мария Сергеевна",
            "ИНН / КПП",
            "7707083893 / 770701001",
            "40702810938000000001",
            "Холодное водоснабжение",
            "МУП «Водоканал»",
            "Начислено за период",
            "Показания приборов учета",
            "12685,000",
            "Оплата по QR-коду",
            "в приложении банка",
            "Сформирована 22.11.2026",
        ] {
            assert!(text.contains(expected), "no «{expected}» in:\n{text}");
        }
        assert!(
            text.contains(&format!("Итого к оплате: {total} руб.")),
            "no total {total} in:\n{text}"
        );
        assert_eq!(page_count(&path), 1);
        assert_eq!(decode_qr(&scratch, &path), payload);
    }

    #[test]
    fn an_overpaid_receipt_has_no_qr_code() {
        let mut doc = receipt(8, Kopecks(-1_000_000), Kopecks(0));
        assert!(doc.total_to_pay.0 < 0 && doc.qr_payload.is_none());
        let scratch = Scratch::new("overpaid");
        let path = scratch.write("overpaid.pdf", &render_receipt(&doc).unwrap());
        let text = pdf_text(&path);
        let overpayment = Kopecks(-doc.total_to_pay.0)
            .format_number()
            .replace('\u{202F}', " ");
        assert!(
            text.contains(&format!("Переплата: −{overpayment} руб.")),
            "{text}"
        );
        assert!(text.contains("−10 000,00"), "{text}");
        assert!(!text.contains("Итого к оплате"), "{text}");
        assert!(!text.contains("QR-коду"), "{text}");

        doc.previous_balance = Kopecks(0);
        doc.paid = doc.charged_total;
        doc.total_to_pay = Kopecks(0);
        doc.readings.clear();
        let path = scratch.write("settled.pdf", &render_receipt(&doc).unwrap());
        let text = pdf_text(&path);
        assert!(text.contains("Задолженность отсутствует"), "{text}");
        assert!(!text.contains("Показания приборов учета"), "{text}");
    }

    #[test]
    fn forty_lines_continue_on_a_second_page() {
        let scratch = Scratch::new("long");
        let twenty = scratch.write(
            "twenty.pdf",
            &render_receipt(&receipt(20, Kopecks(0), Kopecks(0))).unwrap(),
        );
        assert_eq!(page_count(&twenty), 1, "20 lines must fit on one page");

        let doc = receipt(40, Kopecks(0), Kopecks(0));
        let path = scratch.write("forty.pdf", &render_receipt(&doc).unwrap());
        assert_eq!(page_count(&path), 2);
        let text = pdf_text(&path);
        assert!(text.contains("Страница 2 из 2"), "{text}");
        // The header row is repeated on the second page.
        assert_eq!(text.matches("Поставщик").count(), 2, "{text}");
        let total = doc.total_to_pay.format_number().replace('\u{202F}', " ");
        assert!(
            text.contains(&format!("Итого к оплате: {total} руб.")),
            "{text}"
        );
        assert_eq!(decode_qr(&scratch, &path), doc.qr_payload.unwrap());
    }

    #[test]
    fn the_tariff_document_lists_the_prices() {
        let doc = TariffDocument {
            title: "Документ об утверждении тарифов".to_string(),
            act: "Постановление РЭК Свердловской области от 20.11.2025 № 187-ПК".to_string(),
            provider: "АО «Энергосбыт Плюс»".to_string(),
            period_caption: "октябрь 2026".to_string(),
            rows: vec![
                TariffRow {
                    service: "Электроснабжение".to_string(),
                    zone: "день".to_string(),
                    unit: "кВт·ч".to_string(),
                    price: Kopecks(762),
                    valid_from: "01.07.2026".to_string(),
                },
                TariffRow {
                    service: "Отопление".to_string(),
                    zone: String::new(),
                    unit: "Гкал".to_string(),
                    price: Kopecks(298_517),
                    valid_from: "01.07.2026".to_string(),
                },
            ],
            generated_caption: "Сформирован 22.11.2026".to_string(),
        };
        let scratch = Scratch::new("tariffs");
        let path = scratch.write("tariffs.pdf", &render_tariffs(&doc).unwrap());
        let text = pdf_text(&path);
        for expected in [
            "Документ об утверждении тарифов",
            "Постановление РЭК Свердловской области от 20.11.2025 № 187-ПК",
            "АО «Энергосбыт Плюс»",
            "7,62",
            "2 985,17",
            "01.07.2026",
        ] {
            assert!(text.contains(expected), "no «{expected}» in:\n{text}");
        }
        assert_eq!(page_count(&path), 1);
    }

    #[test]
    fn amounts_are_right_aligned_and_long_names_stay_in_their_column() {
        let fonts = fonts().unwrap();
        let mut doc = receipt(8, Kopecks(0), Kopecks(0));
        doc.lines[0].service = "Электроснабжение в местах общего пользования многоквартирного \
                                дома по показаниям общедомового прибора учета за расчетный месяц"
            .to_string();
        doc.lines[1].supplier =
            "Ооооооооооооооооооооооооооооооооооооооооченьдлинноеназвание".to_string();
        let canvas = layout_receipt(fonts, &doc).unwrap();
        let texts: Vec<(f32, f32, &str)> = canvas.pages[0]
            .iter()
            .filter_map(|op| match op {
                Op::Text {
                    x, style, shaped, ..
                } => Some((*x, *x + shaped.width(style.size), shaped.text.as_str())),
                Op::Rects { .. } => None,
            })
            .collect();
        let amount_right = RIGHT - CELL_PAD_X;
        for line in &doc.lines {
            let amount = signed(line.amount);
            let (_, right, _) = texts
                .iter()
                .find(|(_, _, t)| *t == amount)
                .unwrap_or_else(|| panic!("no amount {amount}"));
            assert!(
                (right - amount_right).abs() < 0.01,
                "{amount} ends at {right}"
            );
        }
        // The service column is 150 pt wide: its text wraps, at most three lines, the last
        // cut with an ellipsis.
        let service: Vec<_> = texts
            .iter()
            .filter(|(x, _, _)| (*x - (LEFT + CELL_PAD_X)).abs() < 0.01)
            .filter(|(_, _, t)| {
                t.starts_with("Электроснабжение") || t.contains("общедомового") || t.ends_with('…')
            })
            .collect();
        assert!(
            service
                .iter()
                .all(|(_, right, _)| *right <= LEFT + 150.0 - CELL_PAD_X + 0.01)
        );
        assert!(
            service.iter().any(|(_, _, t)| t.ends_with('…')),
            "{service:?}"
        );
        let supplier_left = LEFT + 150.0 + CELL_PAD_X;
        let supplier: Vec<_> = texts
            .iter()
            .filter(|(x, _, t)| (*x - supplier_left).abs() < 0.01 && t.contains("ооо"))
            .collect();
        assert!(
            supplier.len() >= 2,
            "the long word is cut into lines: {supplier:?}"
        );
        assert!(
            supplier
                .iter()
                .all(|(_, right, _)| *right <= supplier_left + 125.0 - 2.0 * CELL_PAD_X + 0.01)
        );
    }

    #[test]
    fn wrapping_keeps_words_and_amounts_whole() {
        let fonts = fonts().unwrap();
        let texts = |lines: Vec<Shaped>| lines.into_iter().map(|l| l.text).collect::<Vec<_>>();
        let lines = texts(wrap(
            fonts,
            "Итого 1\u{202F}234\u{202F}567,89 руб.",
            CELL,
            60.0,
            3,
        ));
        assert!(
            lines.iter().any(|l| l == "1\u{202F}234\u{202F}567,89"),
            "{lines:?}"
        );
        assert!(wrap(fonts, "  \n ", CELL, 60.0, 3).is_empty());
        let cut = truncate(fonts, &"Я".repeat(100), CELL, 50.0);
        assert!(
            cut.text.ends_with('…') && cut.width(CELL.size) <= 50.0,
            "{}",
            cut.text
        );
        let one = texts(wrap(
            fonts,
            "Поставщик\tс\u{0007}управляющими символами",
            CELL,
            1000.0,
            1,
        ));
        assert_eq!(one, vec!["Поставщик с управляющими символами".to_string()]);
        let long = texts(wrap(fonts, &"слово ".repeat(200), CELL, 100.0, 3));
        assert_eq!(long.len(), 3);
        assert!(long[2].ends_with('…'), "{long:?}");
    }
}
