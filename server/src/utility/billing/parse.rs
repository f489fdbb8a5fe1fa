//! Reading an import file (`kabinet import <kind> <file>`): its bytes, CSV or JSON, become a
//! checked [`Batch`], or the list of every bad row with its line and what is wrong, in Russian.
//!
//! Both formats carry the same columns (see `docs/import.md`). Every cell is checked here:
//! numbers, dates and months, codes, requisites by their control digits, and the keys that
//! must not repeat within one file. What needs the database (does the branch exist, does a
//! reading fit its meter) is checked when the batch is stored.
//!
//! Nothing in this module panics, whatever the bytes.

use super::records::{
    AcceptedRecord, AccountRecord, Batch, BranchRecord, ChargeRecord, Kind, MeterRecord,
    PaymentRecord, ReadingRecord, Row, RowError, ServiceRecord, SupplierRecord, TariffRecord,
};
use serde_json::value::RawValue;
use serde_json::{Map, Value};
use shared::Kopecks;
use shared::requisites::{Bic, CorrespondentAccount, Inn, RequisiteError, SettlementAccount};
use shared::utility::billing::{Day, Period, Stove, Zone, check_account_number};
use std::collections::HashMap;
use std::collections::hash_map::Entry;
use std::fmt::Display;
use std::path::Path;

/// The format of an import file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// A header row of column names, then one record a line; `;` or `,` between fields.
    Csv,
    /// An array of objects whose fields are the column names.
    Json,
}

impl Format {
    /// The format a file's extension names (`.csv`, `.json`, in any case).
    pub fn from_path(path: &Path) -> Option<Format> {
        let extension = path.extension()?.to_str()?.to_ascii_lowercase();
        match extension.as_str() {
            "csv" => Some(Format::Csv),
            "json" => Some(Format::Json),
            _ => None,
        }
    }
}

/// Reads every row of a file of `kind`. `Err` holds every problem of every bad row (a row
/// may have several), each with its line, in the order of the file; nothing of such a file is
/// to be imported.
pub fn parse(kind: Kind, format: Format, bytes: &[u8]) -> Result<Batch, Vec<RowError>> {
    let text = decode(bytes)?;
    let columns = columns(kind);
    let (rows, errors) = match format {
        Format::Csv => read_csv(columns, text)?,
        Format::Json => read_json(columns, text)?,
    };
    Ok(match kind {
        Kind::Branches => Batch::Branches(build(rows, errors, branch, &["code"], |r| {
            vec![r.code.clone()]
        })?),
        Kind::Suppliers => Batch::Suppliers(build(rows, errors, supplier, &["code"], |r| {
            vec![r.code.clone()]
        })?),
        Kind::Services => Batch::Services(build(rows, errors, service, &["code"], |r| {
            vec![r.code.clone()]
        })?),
        Kind::Tariffs => Batch::Tariffs(build(
            rows,
            errors,
            tariff,
            &["branch", "service", "zone", "valid_from"],
            |r| {
                vec![
                    r.branch.clone(),
                    r.service.clone(),
                    r.zone.code().to_string(),
                    r.valid_from.param(),
                ]
            },
        )?),
        Kind::Accounts => {
            Batch::Accounts(build(rows, errors, account, &["branch", "number"], |r| {
                vec![r.branch.clone(), r.number.clone()]
            })?)
        }
        Kind::Meters => Batch::Meters(build(
            rows,
            errors,
            meter,
            &["branch", "account", "service", "serial"],
            |r| {
                vec![
                    r.branch.clone(),
                    r.account.clone(),
                    r.service.clone(),
                    r.serial.clone(),
                ]
            },
        )?),
        Kind::Readings => Batch::Readings(build(
            rows,
            errors,
            reading,
            &["branch", "account", "service", "serial", "zone", "period"],
            |r| {
                vec![
                    r.branch.clone(),
                    r.account.clone(),
                    r.service.clone(),
                    r.serial.clone(),
                    r.zone.code().to_string(),
                    r.period.param(),
                ]
            },
        )?),
        Kind::Charges => Batch::Charges(build(
            rows,
            errors,
            charge,
            &["branch", "account", "period", "service", "supplier", "zone"],
            |r| {
                vec![
                    r.branch.clone(),
                    r.account.clone(),
                    r.period.param(),
                    r.service.clone(),
                    r.supplier.clone(),
                    r.zone.code().to_string(),
                ]
            },
        )?),
        Kind::Accepted => Batch::Accepted(build(
            rows,
            errors,
            accepted,
            &["branch", "account", "service", "serial", "zone", "period"],
            |r| {
                vec![
                    r.branch.clone(),
                    r.account.clone(),
                    r.service.clone(),
                    r.serial.clone(),
                    r.zone.code().to_string(),
                    r.period.param(),
                ]
            },
        )?),
        Kind::Payments => Batch::Payments(build(
            rows,
            errors,
            payment,
            &["reference", "supplier"],
            |r| vec![r.reference.clone(), r.supplier.clone()],
        )?),
    })
}

// ---------------------------------------------------------------------------------------------
// Columns

/// A column of an import file. A required column must be in a CSV file's header; whether its
/// cells may be empty is the record's business (only `readings.zone` may be).
#[derive(Debug, Clone, Copy)]
struct Column {
    name: &'static str,
    required: bool,
}

const fn req(name: &'static str) -> Column {
    Column {
        name,
        required: true,
    }
}

const fn opt(name: &'static str) -> Column {
    Column {
        name,
        required: false,
    }
}

const BRANCH_COLUMNS: &[Column] = &[
    req("code"),
    req("name"),
    opt("address"),
    opt("phone"),
    req("payee_name"),
    req("inn"),
    opt("kpp"),
    req("bank_name"),
    req("bic"),
    req("settlement_account"),
    req("correspondent_account"),
    req("reading_from_day"),
    req("reading_to_day"),
];

const SUPPLIER_COLUMNS: &[Column] = &[req("code"), req("name"), opt("inn")];

const SERVICE_COLUMNS: &[Column] = &[req("code"), req("name"), req("unit"), req("metered")];

const TARIFF_COLUMNS: &[Column] = &[
    req("branch"),
    req("service"),
    opt("zone"),
    req("valid_from"),
    req("price"),
    opt("act"),
];

const ACCOUNT_COLUMNS: &[Column] = &[
    req("branch"),
    req("number"),
    req("address"),
    req("owner_name"),
    req("total_area"),
    req("living_area"),
    opt("owners"),
    opt("residents"),
    opt("rooms"),
    opt("stove"),
    opt("electric_heating"),
    opt("e_receipt_allowed"),
];

const METER_COLUMNS: &[Column] = &[
    req("branch"),
    req("account"),
    req("service"),
    req("serial"),
    opt("zones"),
    req("digits"),
    opt("fraction_digits"),
    req("installed_on"),
    req("verified_until"),
    opt("place"),
    opt("removed_on"),
    opt("auto_read"),
];

const ACCEPTED_COLUMNS: &[Column] = &[
    req("branch"),
    req("account"),
    req("service"),
    req("serial"),
    opt("zone"),
    req("period"),
];

const READING_COLUMNS: &[Column] = &[
    req("branch"),
    req("account"),
    req("service"),
    req("serial"),
    req("zone"),
    req("period"),
    req("value"),
    req("taken_on"),
];

const CHARGE_COLUMNS: &[Column] = &[
    req("branch"),
    req("account"),
    req("period"),
    req("service"),
    req("supplier"),
    opt("zone"),
    opt("quantity"),
    opt("price"),
    req("amount"),
];

const PAYMENT_COLUMNS: &[Column] = &[
    req("branch"),
    req("account"),
    req("supplier"),
    req("paid_on"),
    req("period"),
    req("amount"),
    opt("channel"),
    req("reference"),
];

fn columns(kind: Kind) -> &'static [Column] {
    match kind {
        Kind::Branches => BRANCH_COLUMNS,
        Kind::Suppliers => SUPPLIER_COLUMNS,
        Kind::Services => SERVICE_COLUMNS,
        Kind::Tariffs => TARIFF_COLUMNS,
        Kind::Accounts => ACCOUNT_COLUMNS,
        Kind::Meters => METER_COLUMNS,
        Kind::Readings => READING_COLUMNS,
        Kind::Charges => CHARGE_COLUMNS,
        Kind::Payments => PAYMENT_COLUMNS,
        Kind::Accepted => ACCEPTED_COLUMNS,
    }
}

/// The known column a header or field name means (trimmed, in any case).
fn find_column(columns: &[Column], name: &str) -> Option<&'static str> {
    let name = name.trim().to_lowercase();
    columns.iter().find(|c| c.name == name).map(|c| c.name)
}

fn column_list(columns: &[Column]) -> String {
    columns
        .iter()
        .map(|c| c.name)
        .collect::<Vec<_>>()
        .join(", ")
}

// ---------------------------------------------------------------------------------------------
// Reading the files into rows of cells

/// A cell as the file gives it.
#[derive(Debug, Clone, PartialEq)]
enum Cell {
    /// A CSV field, a JSON string or a JSON number as written.
    Text(String),
    /// A JSON `true`/`false`.
    Bool(bool),
}

/// One record of a file before its cells are checked.
#[derive(Debug)]
struct RawRow {
    line: usize,
    /// By column; a column the row does not give (or gives as JSON `null`) is absent.
    cells: HashMap<&'static str, Cell>,
}

type Rows = (Vec<RawRow>, Vec<RowError>);

fn error(line: usize, message: impl Into<String>) -> RowError {
    RowError {
        line,
        message: message.into(),
    }
}

/// The lines of a text, counted on from the offset last asked about (offsets mostly grow).
struct Lines<'t> {
    text: &'t [u8],
    counted_to: usize,
    line: usize,
}

impl<'t> Lines<'t> {
    fn new(text: &'t str) -> Self {
        Lines {
            text: text.as_bytes(),
            counted_to: 0,
            line: 1,
        }
    }

    /// The 1-based line of the byte at `offset`.
    fn at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.counted_to {
            (self.counted_to, self.line) = (0, 1);
        }
        let between = self.text.get(self.counted_to..offset).unwrap_or_default();
        self.line += between.iter().filter(|&&b| b == b'\n').count();
        self.counted_to = offset;
        self.line
    }

    /// The line a CSV record or error starts on. The reader's own line count is off after a
    /// `\r\n` or a blank line (it puts the record's start before the line breaks that precede
    /// it), so the line is counted from the byte offset, past those line breaks.
    fn of_csv(&mut self, position: Option<&csv::Position>) -> Option<usize> {
        let offset = usize::try_from(position?.byte()).ok()?;
        let breaks = self
            .text
            .get(offset..)
            .unwrap_or_default()
            .iter()
            .take_while(|&&b| b == b'\r' || b == b'\n')
            .count();
        Some(self.at(offset.saturating_add(breaks)))
    }
}

/// The file as UTF-8 text without its byte-order mark.
fn decode(bytes: &[u8]) -> Result<&str, Vec<RowError>> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    std::str::from_utf8(bytes).map_err(|e| {
        let valid = bytes.get(..e.valid_up_to()).unwrap_or_default();
        let line = valid.iter().filter(|&&b| b == b'\n').count() + 1;
        vec![error(
            line,
            "файл не в кодировке UTF-8: сохраните его как «CSV UTF-8» или JSON в UTF-8",
        )]
    })
}

fn read_csv(columns: &'static [Column], text: &str) -> Result<Rows, Vec<RowError>> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(crate::import::detect_delimiter(text))
        .from_reader(text.as_bytes());
    let mut records = reader.records();
    let mut lines = Lines::new(text);

    // The header: the first record with anything in it.
    let header = loop {
        match records.next() {
            None => {
                return Err(vec![error(
                    1,
                    format!(
                        "файл пуст: нужна строка заголовка со столбцами {}",
                        column_list(columns)
                    ),
                )]);
            }
            Some(Err(e)) => return Err(vec![csv_error(&e, &mut lines, 1)]),
            Some(Ok(record)) if record.iter().all(|f| f.trim().is_empty()) => continue,
            Some(Ok(record)) => break record,
        }
    };
    let header_line = lines.of_csv(header.position()).unwrap_or(1);
    let mut mapping: Vec<Option<&'static str>> = Vec::with_capacity(header.len());
    let (mut unknown, mut repeated) = (Vec::new(), Vec::new());
    for (index, name) in header.iter().enumerate() {
        match find_column(columns, name) {
            Some(column) if mapping.contains(&Some(column)) => {
                repeated.push(column);
                mapping.push(None);
            }
            Some(column) => mapping.push(Some(column)),
            None if name.trim().is_empty() => {
                unknown.push(format!("столбец №{} без имени", index + 1));
                mapping.push(None);
            }
            None => {
                unknown.push(format!("«{}»", shorten(name.trim())));
                mapping.push(None);
            }
        }
    }
    let missing: Vec<&str> = columns
        .iter()
        .filter(|c| c.required && !mapping.contains(&Some(c.name)))
        .map(|c| c.name)
        .collect();
    let mut header_errors = Vec::new();
    if !unknown.is_empty() {
        header_errors.push(error(
            header_line,
            format!(
                "неизвестные столбцы: {}; допустимые столбцы: {}",
                unknown.join(", "),
                column_list(columns)
            ),
        ));
    }
    if !repeated.is_empty() {
        header_errors.push(error(
            header_line,
            format!("столбцы указаны дважды: {}", repeated.join(", ")),
        ));
    }
    if !missing.is_empty() {
        header_errors.push(error(
            header_line,
            format!("нет обязательных столбцов: {}", missing.join(", ")),
        ));
    }
    if !header_errors.is_empty() {
        return Err(header_errors);
    }

    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in records {
        let record = match record {
            Ok(record) => record,
            Err(e) => {
                errors.push(csv_error(&e, &mut lines, header_line));
                break;
            }
        };
        if record.iter().all(|f| f.trim().is_empty()) {
            continue;
        }
        let line = lines.of_csv(record.position()).unwrap_or(header_line);
        if record.len() != mapping.len() {
            errors.push(error(
                line,
                format!(
                    "полей в строке: {}, а столбцов в заголовке: {} (проверьте разделители и кавычки)",
                    record.len(),
                    mapping.len()
                ),
            ));
            continue;
        }
        let cells = mapping
            .iter()
            .zip(record.iter())
            .filter_map(|(column, value)| Some(((*column)?, Cell::Text(value.to_string()))))
            .collect();
        rows.push(RawRow { line, cells });
    }
    Ok((rows, errors))
}

/// A CSV reading error (only possible for broken input): its line, or the last known one.
fn csv_error(e: &csv::Error, lines: &mut Lines, fallback: usize) -> RowError {
    let line = lines.of_csv(e.position()).unwrap_or(fallback);
    error(line, "файл CSV не прочитан: неверная структура строки")
}

fn read_json(columns: &'static [Column], text: &str) -> Result<Rows, Vec<RowError>> {
    if text.trim().is_empty() {
        return Err(vec![error(
            1,
            "файл пуст: ожидается массив объектов [{…}, {…}]",
        )]);
    }
    let items: Vec<&RawValue> = serde_json::from_str(text).map_err(|e| {
        let line = e.line().max(1);
        let message = match e.classify() {
            serde_json::error::Category::Data => {
                "ожидается массив объектов: [{…}, {…}]".to_string()
            }
            serde_json::error::Category::Eof => {
                "файл JSON оборван: не хватает его конца".to_string()
            }
            _ => format!("ошибка в записи JSON (позиция {} в строке)", e.column()),
        };
        vec![error(line, message)]
    })?;

    let mut rows = Vec::with_capacity(items.len());
    let mut errors = Vec::new();
    // Each raw item is a slice of `text` beginning at its `{`: its offset gives its line.
    let mut lines = Lines::new(text);
    for item in items {
        let offset = (item.get().as_ptr() as usize).saturating_sub(text.as_ptr() as usize);
        let line = lines.at(offset);
        let object = match serde_json::from_str::<Value>(item.get()) {
            Ok(Value::Object(object)) => object,
            _ => {
                errors.push(error(
                    line,
                    "ожидается объект с полями записи: {\"поле\": значение, …}",
                ));
                continue;
            }
        };
        match json_cells(columns, object) {
            Ok(cells) => rows.push(RawRow { line, cells }),
            Err(messages) => errors.extend(messages.into_iter().map(|m| error(line, m))),
        }
    }
    Ok((rows, errors))
}

fn json_cells(
    columns: &'static [Column],
    object: Map<String, Value>,
) -> Result<HashMap<&'static str, Cell>, Vec<String>> {
    let mut cells = HashMap::new();
    let (mut unknown, mut problems) = (Vec::new(), Vec::new());
    for (name, value) in object {
        let Some(column) = find_column(columns, &name) else {
            unknown.push(format!("«{}»", shorten(&name)));
            continue;
        };
        match value {
            Value::Null => {}
            Value::String(s) => {
                cells.insert(column, Cell::Text(s));
            }
            Value::Number(n) => {
                cells.insert(column, Cell::Text(n.to_string()));
            }
            Value::Bool(b) => {
                cells.insert(column, Cell::Bool(b));
            }
            Value::Array(_) | Value::Object(_) => problems.push(format!(
                "{column}: ожидается строка, число или true/false, а не список или объект"
            )),
        }
    }
    if !unknown.is_empty() {
        problems.insert(
            0,
            format!(
                "неизвестные поля: {}; допустимые поля: {}",
                unknown.join(", "),
                column_list(columns)
            ),
        );
    }
    if problems.is_empty() {
        Ok(cells)
    } else {
        Err(problems)
    }
}

// ---------------------------------------------------------------------------------------------
// Checking cells

/// At most this many characters of a bad value are quoted back.
const QUOTE_MAX: usize = 40;

fn shorten(value: &str) -> String {
    if value.chars().count() > QUOTE_MAX {
        let mut short: String = value.chars().take(QUOTE_MAX).collect();
        short.push('…');
        short
    } else {
        value.to_string()
    }
}

const REQUIRED: &str = "обязательное поле не заполнено";

/// The cells of one row as its record is built: each look-up checks one cell and notes what
/// is wrong with it.
struct Cells<'e> {
    row: RawRow,
    errors: &'e mut Vec<RowError>,
    ok: bool,
}

impl Cells<'_> {
    fn fail(&mut self, column: &str, message: impl Display) {
        self.ok = false;
        self.errors
            .push(error(self.row.line, format!("{column}: {message}")));
    }

    /// The trimmed text of a cell: `Ok(None)` when absent or blank, `Err` (already noted) for a
    /// JSON boolean where text is expected.
    fn text(&mut self, column: &'static str) -> Result<Option<String>, ()> {
        match self.row.cells.get(column) {
            None => Ok(None),
            Some(Cell::Bool(b)) => {
                let message = format!("ожидается строка или число, а не {b}");
                self.fail(column, message);
                Err(())
            }
            Some(Cell::Text(s)) => {
                let s = s.trim();
                Ok((!s.is_empty()).then(|| s.to_string()))
            }
        }
    }

    /// A cell that must be given, read by `read`.
    fn required<T>(
        &mut self,
        column: &'static str,
        read: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match self.text(column) {
            Err(()) => None,
            Ok(None) => {
                self.fail(column, REQUIRED);
                None
            }
            Ok(Some(value)) => self.apply(column, &value, read),
        }
    }

    /// A cell that may be left empty for `default`.
    fn optional<T>(
        &mut self,
        column: &'static str,
        default: T,
        read: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match self.text(column) {
            Err(()) => None,
            Ok(None) => Some(default),
            Ok(Some(value)) => self.apply(column, &value, read),
        }
    }

    fn apply<T>(
        &mut self,
        column: &'static str,
        value: &str,
        read: impl FnOnce(&str) -> Result<T, String>,
    ) -> Option<T> {
        match read(value) {
            Ok(v) => Some(v),
            Err(message) => {
                let message = format!("{message}; указано «{}»", shorten(value));
                self.fail(column, message);
                None
            }
        }
    }

    fn required_text(&mut self, column: &'static str) -> Option<String> {
        self.required(column, |s| Ok(s.to_string()))
    }

    fn optional_text(&mut self, column: &'static str, default: &str) -> Option<String> {
        self.optional(column, default.to_string(), |s| Ok(s.to_string()))
    }

    /// A flag: `1/0`, `true/false`, `да/нет`, or a JSON boolean.
    fn flag(&mut self, column: &'static str, default: Option<bool>) -> Option<bool> {
        if let Some(Cell::Bool(b)) = self.row.cells.get(column) {
            return Some(*b);
        }
        match default {
            Some(default) => self.optional(column, default, read_flag),
            None => self.required(column, read_flag),
        }
    }

    /// A personal account number, as the receipt prints it.
    fn account_number(&mut self, column: &'static str) -> Option<String> {
        self.required(column, |s| {
            check_account_number(s)?;
            Ok(s.to_string())
        })
    }
}

fn read_flag(s: &str) -> Result<bool, String> {
    match s.to_lowercase().as_str() {
        "1" | "true" | "да" => Ok(true),
        "0" | "false" | "нет" => Ok(false),
        _ => Err("ожидается 1 или 0 (также true/false, да/нет)".to_string()),
    }
}

/// `s` as exactly `pattern`, where `9` stands for any ASCII digit.
fn shaped(s: &str, pattern: &str) -> bool {
    s.len() == pattern.len()
        && s.bytes().zip(pattern.bytes()).all(|(c, p)| match p {
            b'9' => c.is_ascii_digit(),
            p => c == p,
        })
}

fn read_period(s: &str) -> Result<Period, String> {
    const MESSAGE: &str = "ожидается месяц в виде ГГГГ-ММ, например 2026-10";
    if !shaped(s, "9999-99") {
        return Err(MESSAGE.to_string());
    }
    Period::parse(s).ok_or_else(|| MESSAGE.to_string())
}

fn read_day(s: &str) -> Result<Day, String> {
    if !shaped(s, "9999-99-99") {
        return Err("ожидается дата в виде ГГГГ-ММ-ДД, например 2026-10-15".to_string());
    }
    Day::parse(s).ok_or_else(|| "нет такой даты".to_string())
}

fn read_zone(s: &str) -> Result<Zone, String> {
    Zone::from_code(&s.to_lowercase()).ok_or_else(|| {
        "ожидается зона day, night, peak или semipeak (пусто — круглосуточно)".to_string()
    })
}

fn read_stove(s: &str) -> Result<Stove, String> {
    Stove::from_code(&s.to_lowercase())
        .ok_or_else(|| "ожидается тип плиты gas, electric или none".to_string())
}

fn read_integer(s: &str, range: std::ops::RangeInclusive<i64>) -> Result<i64, String> {
    let cleaned: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let out_of_range = || {
        format!(
            "ожидается целое число от {} до {}",
            range.start(),
            range.end()
        )
    };
    if cleaned.is_empty() || !cleaned.bytes().all(|b| b.is_ascii_digit()) {
        return Err(out_of_range());
    }
    match cleaned.parse::<i64>() {
        Ok(n) if range.contains(&n) => Ok(n),
        _ => Err(out_of_range()),
    }
}

fn read_small(s: &str, range: std::ops::RangeInclusive<u32>) -> Result<u32, String> {
    let n = read_integer(s, i64::from(*range.start())..=i64::from(*range.end()))?;
    u32::try_from(n).map_err(|_| "слишком большое число".to_string())
}

/// A decimal with at most `places` fraction digits (`,` or `.`, spaces between thousands
/// allowed) as an integer count of 10^-places; a leading `-` only when `signed`.
fn read_scaled(s: &str, places: u32, signed: bool, example: &str) -> Result<i64, String> {
    let malformed = || {
        format!("ожидается число с не более чем {places} знаками после запятой, например {example}")
    };
    let cleaned: String = s.chars().filter(|c| !c.is_whitespace()).collect();
    let (negative, body) = match cleaned.strip_prefix('-') {
        Some(_) if !signed => return Err("не может быть отрицательным".to_string()),
        Some(rest) => (true, rest),
        None => (false, cleaned.as_str()),
    };
    let (whole, fraction) = body.split_once([',', '.']).unwrap_or((body, ""));
    let digits = |part: &str| part.bytes().all(|b| b.is_ascii_digit());
    if whole.is_empty() || !digits(whole) || !digits(fraction) {
        return Err(malformed());
    }
    let fraction_len = u32::try_from(fraction.len()).unwrap_or(u32::MAX);
    if fraction_len > places {
        return Err(malformed());
    }
    let too_large = || "слишком большое число".to_string();
    let whole: i64 = whole.parse().map_err(|_| too_large())?;
    let fraction: i64 = if fraction.is_empty() {
        0
    } else {
        fraction.parse().map_err(|_| malformed())?
    };
    let scaled = 10_i64
        .checked_pow(places)
        .and_then(|unit| whole.checked_mul(unit))
        .and_then(|w| {
            10_i64
                .checked_pow(places - fraction_len)
                .and_then(|f| fraction.checked_mul(f))
                .and_then(|f| w.checked_add(f))
        })
        .ok_or_else(too_large)?;
    Ok(if negative { -scaled } else { scaled })
}

/// Thousandths of a unit (quantities, readings).
fn read_thousandths(s: &str) -> Result<i64, String> {
    read_scaled(s, 3, false, "1234,567")
}

/// Hundredths of a square metre.
fn read_area(s: &str) -> Result<i64, String> {
    read_scaled(s, 2, false, "54,3")
}

/// Roubles and kopecks, never negative.
fn read_money(s: &str) -> Result<Kopecks, String> {
    Kopecks::parse(s).map_err(|e| e.to_string())
}

/// Roubles and kopecks, greater than zero.
fn read_positive_money(s: &str) -> Result<Kopecks, String> {
    match read_money(s)? {
        Kopecks(0) => Err("сумма должна быть больше нуля".to_string()),
        k => Ok(k),
    }
}

/// Roubles and kopecks, negative for a recalculation in the customer's favour.
fn read_signed_money(s: &str) -> Result<Kopecks, String> {
    match s.trim().strip_prefix('-') {
        Some(rest) => read_money(rest).map(|k| Kopecks(-k.0)),
        None => read_money(s),
    }
}

fn requisite<T>(result: Result<T, RequisiteError>) -> Result<T, String> {
    result.map_err(|e| e.to_string())
}

/// A КПП: 9 characters, 4 digits, 2 digits or capital Latin letters, 3 digits.
fn read_kpp(s: &str) -> Result<String, String> {
    let fits = s.len() == 9
        && s.bytes().enumerate().all(|(i, b)| match i {
            4 | 5 => b.is_ascii_digit() || b.is_ascii_uppercase(),
            _ => b.is_ascii_digit(),
        });
    if fits {
        Ok(s.to_string())
    } else {
        Err(
            "КПП состоит из 9 символов: 4 цифры, 2 цифры или заглавные латинские буквы, 3 цифры"
                .to_string(),
        )
    }
}

// ---------------------------------------------------------------------------------------------
// Records

fn branch(c: &mut Cells) -> Option<BranchRecord> {
    let code = c.required_text("code");
    let name = c.required_text("name");
    let address = c.optional_text("address", "");
    let phone = c.optional_text("phone", "");
    let payee_name = c.required_text("payee_name");
    let inn = c.required("inn", |s| requisite(Inn::parse(s)));
    let kpp = c.optional("kpp", String::new(), read_kpp);
    let bank_name = c.required_text("bank_name");
    let bic = c.required("bic", |s| requisite(Bic::parse(s)));
    let (settlement_account, correspondent_account) = match &bic {
        Some(bic) => (
            c.required("settlement_account", |s| {
                requisite(SettlementAccount::parse(s, bic))
            }),
            c.required("correspondent_account", |s| {
                requisite(CorrespondentAccount::parse(s, bic))
            }),
        ),
        // Without a valid БИК the accounts cannot be checked against it: only their shape.
        None => {
            let shape = |s: &str| {
                if shaped(s, "99999999999999999999") {
                    Ok(())
                } else {
                    Err(RequisiteError::AccountLength.to_string())
                }
            };
            c.required("settlement_account", shape);
            c.required("correspondent_account", shape);
            (None, None)
        }
    };
    let reading_from_day = c.required("reading_from_day", |s| read_small(s, 1..=31));
    let reading_to_day = c.required("reading_to_day", |s| read_small(s, 1..=31));
    if let (Some(from), Some(to)) = (reading_from_day, reading_to_day)
        && from > to
    {
        c.fail(
            "reading_to_day",
            format!("последний день приема показаний ({to}) раньше первого ({from})"),
        );
    }
    Some(BranchRecord {
        code: code?,
        name: name?,
        address: address?,
        phone: phone?,
        payee_name: payee_name?,
        inn: inn?,
        kpp: kpp?,
        bank_name: bank_name?,
        bic: bic?,
        settlement_account: settlement_account?,
        correspondent_account: correspondent_account?,
        reading_from_day: reading_from_day?,
        reading_to_day: reading_to_day?,
    })
}

fn supplier(c: &mut Cells) -> Option<SupplierRecord> {
    let code = c.required_text("code");
    let name = c.required_text("name");
    let inn = c.optional("inn", None, |s| requisite(Inn::parse(s)).map(Some));
    Some(SupplierRecord {
        code: code?,
        name: name?,
        inn: inn?,
    })
}

fn service(c: &mut Cells) -> Option<ServiceRecord> {
    let code = c.required_text("code");
    let name = c.required_text("name");
    let unit = c.required_text("unit");
    let metered = c.flag("metered", None);
    Some(ServiceRecord {
        code: code?,
        name: name?,
        unit: unit?,
        metered: metered?,
    })
}

fn tariff(c: &mut Cells) -> Option<TariffRecord> {
    let branch = c.required_text("branch");
    let service = c.required_text("service");
    let zone = c.optional("zone", Zone::Single, read_zone);
    let valid_from = c.required("valid_from", read_period);
    let price = c.required("price", read_positive_money);
    let act = c.optional_text("act", "");
    Some(TariffRecord {
        branch: branch?,
        service: service?,
        zone: zone?,
        valid_from: valid_from?,
        price: price?,
        act: act?,
    })
}

fn account(c: &mut Cells) -> Option<AccountRecord> {
    let branch = c.required_text("branch");
    let number = c.account_number("number");
    let address = c.required_text("address");
    let owner_name = c.required_text("owner_name");
    let total_area = c.required("total_area", read_area);
    let living_area = c.required("living_area", read_area);
    if let (Some(total), Some(living)) = (total_area, living_area)
        && living > total
    {
        c.fail("living_area", "жилая площадь больше общей");
    }
    let count = |s: &str| read_integer(s, 0..=1000);
    let owners = c.optional("owners", 1, count);
    let residents = c.optional("residents", 1, count);
    let rooms = c.optional("rooms", 1, count);
    let stove = c.optional("stove", Stove::Gas, read_stove);
    let electric_heating = c.flag("electric_heating", Some(false));
    let e_receipt_allowed = c.flag("e_receipt_allowed", Some(true));
    Some(AccountRecord {
        branch: branch?,
        number: number?,
        address: address?,
        owner_name: owner_name?,
        total_area: total_area?,
        living_area: living_area?,
        owners: owners?,
        residents: residents?,
        rooms: rooms?,
        stove: stove?,
        electric_heating: electric_heating?,
        e_receipt_allowed: e_receipt_allowed?,
    })
}

fn meter(c: &mut Cells) -> Option<MeterRecord> {
    let branch = c.required_text("branch");
    let account = c.account_number("account");
    let service = c.required_text("service");
    let serial = c.required_text("serial");
    let zones = c.optional("zones", 1, |s| read_small(s, 1..=3));
    let digits = c.required("digits", |s| read_small(s, 1..=9));
    let fraction_digits = c.optional("fraction_digits", 0, |s| read_small(s, 0..=3));
    let installed_on = c.required("installed_on", read_day);
    let verified_until = c.required("verified_until", read_day);
    let place = c.optional_text("place", "");
    let removed_on = c.optional("removed_on", None, |s| read_day(s).map(Some));
    let auto_read = c.flag("auto_read", Some(false));
    if let (Some(installed), Some(verified)) = (installed_on, verified_until)
        && verified < installed
    {
        c.fail("verified_until", "дата поверки раньше даты установки");
    }
    if let (Some(installed), Some(Some(removed))) = (installed_on, removed_on)
        && removed < installed
    {
        c.fail("removed_on", "дата снятия раньше даты установки");
    }
    Some(MeterRecord {
        branch: branch?,
        account: account?,
        service: service?,
        serial: serial?,
        zones: zones?,
        digits: digits?,
        fraction_digits: fraction_digits?,
        installed_on: installed_on?,
        verified_until: verified_until?,
        place: place?,
        removed_on: removed_on?,
        auto_read: auto_read?,
    })
}

fn accepted(c: &mut Cells) -> Option<AcceptedRecord> {
    let branch = c.required_text("branch");
    let account = c.account_number("account");
    let service = c.required_text("service");
    let serial = c.required_text("serial");
    let zone = c.optional("zone", Zone::Single, read_zone);
    let period = c.required("period", read_period);
    Some(AcceptedRecord {
        branch: branch?,
        account: account?,
        service: service?,
        serial: serial?,
        zone: zone?,
        period: period?,
    })
}

fn reading(c: &mut Cells) -> Option<ReadingRecord> {
    let branch = c.required_text("branch");
    let account = c.account_number("account");
    let service = c.required_text("service");
    let serial = c.required_text("serial");
    let zone = c.optional("zone", Zone::Single, read_zone);
    let period = c.required("period", read_period);
    let value = c.required("value", read_thousandths);
    let taken_on = c.required("taken_on", read_day);
    Some(ReadingRecord {
        branch: branch?,
        account: account?,
        service: service?,
        serial: serial?,
        zone: zone?,
        period: period?,
        value: value?,
        taken_on: taken_on?,
    })
}

fn charge(c: &mut Cells) -> Option<ChargeRecord> {
    let branch = c.required_text("branch");
    let account = c.account_number("account");
    let period = c.required("period", read_period);
    let service = c.required_text("service");
    let supplier = c.required_text("supplier");
    let zone = c.optional("zone", Zone::Single, read_zone);
    let quantity = c.optional("quantity", 0, |s| read_scaled(s, 3, true, "1234,567"));
    let price = c.optional("price", Kopecks::ZERO, read_money);
    let amount = c.required("amount", read_signed_money);
    Some(ChargeRecord {
        branch: branch?,
        account: account?,
        period: period?,
        service: service?,
        supplier: supplier?,
        zone: zone?,
        quantity: quantity?,
        price: price?,
        amount: amount?,
    })
}

fn payment(c: &mut Cells) -> Option<PaymentRecord> {
    let branch = c.required_text("branch");
    let account = c.account_number("account");
    let supplier = c.required_text("supplier");
    let paid_on = c.required("paid_on", read_day);
    let period = c.required("period", read_period);
    let amount = c.required("amount", read_positive_money);
    let channel = c.optional_text("channel", "bank");
    let reference = c.required_text("reference");
    Some(PaymentRecord {
        branch: branch?,
        account: account?,
        supplier: supplier?,
        paid_on: paid_on?,
        period: period?,
        amount: amount?,
        channel: channel?,
        reference: reference?,
    })
}

/// Builds every row's record with `make` and checks that no two rows share a key; `errors`
/// are those found while reading the file.
fn build<T>(
    rows: Vec<RawRow>,
    mut errors: Vec<RowError>,
    make: fn(&mut Cells) -> Option<T>,
    key_names: &[&str],
    key: fn(&T) -> Vec<String>,
) -> Result<Vec<Row<T>>, Vec<RowError>> {
    let mut records = Vec::with_capacity(rows.len());
    let mut first_lines: HashMap<Vec<String>, usize> = HashMap::new();
    for row in rows {
        let line = row.line;
        let mut cells = Cells {
            row,
            errors: &mut errors,
            ok: true,
        };
        let record = make(&mut cells);
        let ok = cells.ok;
        let Some(record) = record.filter(|_| ok) else {
            continue;
        };
        match first_lines.entry(key(&record)) {
            Entry::Occupied(first) => {
                let values: Vec<String> = first
                    .key()
                    .iter()
                    .map(|v| format!("«{}»", shorten(v)))
                    .collect();
                let (names, values) = if key_names.len() == 1 {
                    (key_names.join(", "), values.join(", "))
                } else {
                    (
                        format!("({})", key_names.join(", ")),
                        format!("({})", values.join(", ")),
                    )
                };
                errors.push(error(
                    line,
                    format!(
                        "{names}: повторяется {values}, такая запись уже есть в строке {}",
                        first.get()
                    ),
                ));
            }
            Entry::Vacant(slot) => {
                slot.insert(line);
                records.push(Row { line, record });
            }
        }
    }
    if errors.is_empty() {
        Ok(records)
    } else {
        errors.sort_by_key(|e| e.line);
        Err(errors)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn examples(name: &str) -> Vec<u8> {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../docs/import-examples")
            .join(name);
        std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
    }

    fn parse_str(kind: Kind, format: Format, text: &str) -> Result<Batch, Vec<RowError>> {
        parse(kind, format, text.as_bytes())
    }

    fn errors_of(result: Result<Batch, Vec<RowError>>) -> Vec<RowError> {
        match result {
            Ok(batch) => panic!("expected errors, got {batch:?}"),
            Err(errors) => errors,
        }
    }

    const BRANCH_HEADER: &str = "code;name;address;phone;payee_name;inn;kpp;bank_name;bic;settlement_account;correspondent_account;reading_from_day;reading_to_day";

    fn branch_line(code: &str, bic: &str) -> String {
        format!(
            "{code};Отделение {code};;;АО «Сбыт»;7707083893;770701001;ПАО Сбербанк;{bic};40702810938000000001;30101810400000000225;15;25"
        )
    }

    #[test]
    fn every_example_file_parses() {
        let files = [
            (Kind::Branches, "branches.csv", 2),
            (Kind::Suppliers, "suppliers.csv", 4),
            (Kind::Services, "services.csv", 5),
            (Kind::Tariffs, "tariffs.csv", 22),
            (Kind::Accounts, "accounts.json", 3),
            (Kind::Meters, "meters.csv", 4),
            (Kind::Readings, "readings.csv", 15),
            (Kind::Charges, "charges.csv", 43),
            (Kind::Payments, "payments.json", 22),
        ];
        for (kind, name, count) in files {
            let format = Format::from_path(Path::new(name)).unwrap();
            match parse(kind, format, &examples(name)) {
                Ok(batch) => assert_eq!(batch.len(), count, "{name}"),
                Err(errors) => panic!("{name}: {errors:?}"),
            }
        }
    }

    #[test]
    fn example_values_come_in_their_units() {
        let Ok(Batch::Accounts(accounts)) =
            parse(Kind::Accounts, Format::Json, &examples("accounts.json"))
        else {
            panic!("accounts.json");
        };
        let first = &accounts[0];
        assert_eq!((first.line, first.record.total_area), (2, 5430));
        assert_eq!(first.record.living_area, 3210);
        assert_eq!(first.record.stove, Stove::Electric);
        let second = &accounts[1].record;
        assert_eq!((second.owners, second.residents, second.rooms), (1, 1, 1));
        assert_eq!(second.stove, Stove::Gas);
        assert!(!second.electric_heating && second.e_receipt_allowed);
        assert!(!accounts[2].record.e_receipt_allowed);

        let Ok(Batch::Readings(readings)) =
            parse(Kind::Readings, Format::Csv, &examples("readings.csv"))
        else {
            panic!("readings.csv");
        };
        assert_eq!(readings[0].record.value, 12_345_600);
        assert_eq!(readings[0].record.zone, Zone::Day);
        assert_eq!(readings[0].record.period, Period(202606));
        assert_eq!(readings[2].record.value, 321_456);
        assert_eq!(readings[2].record.zone, Zone::Single);

        let Ok(Batch::Charges(charges)) =
            parse(Kind::Charges, Format::Csv, &examples("charges.csv"))
        else {
            panic!("charges.csv");
        };
        let last = charges.last().unwrap();
        assert_eq!(last.line, 44);
        assert_eq!(
            (last.record.amount, last.record.quantity),
            (Kopecks(-125_000), 0)
        );
        assert_eq!(last.record.price, Kopecks::ZERO);

        let Ok(Batch::Payments(payments)) =
            parse(Kind::Payments, Format::Json, &examples("payments.json"))
        else {
            panic!("payments.json");
        };
        assert_eq!(payments[0].record.amount, Kopecks(174_388));
        assert_eq!(payments[1].record.amount, Kopecks(35_011));
        assert_eq!(payments.last().unwrap().record.channel, "bank");

        let Ok(Batch::Branches(branches)) =
            parse(Kind::Branches, Format::Csv, &examples("branches.csv"))
        else {
            panic!("branches.csv");
        };
        assert_eq!(
            branches[1].record.payee_name,
            "ООО \"Южный расчетный центр\""
        );
    }

    #[test]
    fn a_bad_bic_is_reported_on_its_line_and_only_there() {
        let text = [
            BRANCH_HEADER.to_string(),
            branch_line("01", "044525225"),
            branch_line("02", "144525225"),
            branch_line("03", "044525225"),
        ]
        .join("\n");
        let errors = errors_of(parse_str(Kind::Branches, Format::Csv, &text));
        assert_eq!(errors.len(), 1, "{errors:?}");
        assert_eq!(errors[0].line, 3);
        assert_eq!(
            errors[0].message,
            "bic: БИК состоит из 9 цифр и начинается с 04; указано «144525225»"
        );
        assert_eq!(
            errors[0].to_string(),
            "строка 3: bic: БИК состоит из 9 цифр и начинается с 04; указано «144525225»"
        );
    }

    #[test]
    fn every_bad_row_is_reported_not_just_the_first() {
        let text = "code,name,unit,metered\n\
                    a,A,кВт·ч,да\n\
                    b,,м³,2\n\
                    c,C,м³,нет\n\
                    ,D,м³,1\n";
        let errors = errors_of(parse_str(Kind::Services, Format::Csv, text));
        let lines: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.split(':').next().unwrap()))
            .collect();
        assert_eq!(lines, [(3, "name"), (3, "metered"), (5, "code")]);
    }

    #[test]
    fn semicolons_and_commas_both_delimit() {
        let semicolons = "code;name;unit;metered\r\nheating;Отопление;Гкал;0\r\nwater;\"Вода; холодная\";м³;1\r\n";
        let commas =
            "code,name,unit,metered\nheating,Отопление,Гкал,0\nwater,\"Вода; холодная\",м³,1\n";
        let a = parse_str(Kind::Services, Format::Csv, semicolons).unwrap();
        let b = parse_str(Kind::Services, Format::Csv, commas).unwrap();
        assert_eq!(a, b);
        let Batch::Services(rows) = a else { panic!() };
        assert_eq!(rows[1].line, 3);
        assert_eq!(rows[1].record.name, "Вода; холодная");
        assert!(rows[1].record.metered && !rows[0].record.metered);
    }

    #[test]
    fn quoted_line_breaks_bom_and_blank_lines_keep_the_line_numbers() {
        let text = "\u{FEFF}code;name;inn\n\n\"e\";\"Энерго\nсбыт\";7707083893\n\nw;Вода;123\n";
        let errors = errors_of(parse_str(Kind::Suppliers, Format::Csv, text));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 6);
        assert!(
            errors[0].message.starts_with("inn: ИНН состоит из 10 цифр"),
            "{errors:?}"
        );
        let fine = "\u{FEFF}Code ; NAME\n\"e\";\"Энерго\nсбыт\"\nw;Вода\n";
        let Ok(Batch::Suppliers(rows)) = parse_str(Kind::Suppliers, Format::Csv, fine) else {
            panic!()
        };
        assert_eq!((rows[0].line, rows[1].line), (2, 4));
        assert_eq!(rows[0].record.name, "Энерго\nсбыт");
        assert_eq!(rows[1].record.inn, None);
    }

    #[test]
    fn json_rows_carry_the_line_their_object_starts_on() {
        let text = r#"[
  {"code": "a", "name": "A", "unit": "кВт·ч", "metered": true},
  {
    "code": "b",
    "name": "B",
    "unit": "м³",
    "metered": "maybe"
  },
  {"code": "c", "name": "C", "unit": "м³", "metered": 0}, {"code": "d", "name": "D", "unit": "м³", "metered": 2}
]"#;
        let errors = errors_of(parse_str(Kind::Services, Format::Json, text));
        let lines: Vec<usize> = errors.iter().map(|e| e.line).collect();
        assert_eq!(lines, [3, 9], "{errors:?}");
        assert!(errors[0].message.starts_with("metered: ожидается 1 или 0"));
        let good = "[{\"code\": \"a\", \"name\": \"A\", \"unit\": \"x\", \"metered\": false},\n\n{\"code\": 7, \"name\": \"B\", \"unit\": \"x\", \"metered\": 1}]";
        let Ok(Batch::Services(rows)) = parse_str(Kind::Services, Format::Json, good) else {
            panic!()
        };
        assert_eq!((rows[0].line, rows[1].line), (1, 3));
        assert_eq!(rows[1].record.code, "7");
    }

    #[test]
    fn json_that_is_not_an_array_of_objects_is_refused() {
        let object = errors_of(parse_str(
            Kind::Suppliers,
            Format::Json,
            "{\"code\": \"a\"}",
        ));
        assert_eq!(object.len(), 1);
        assert_eq!(object[0].line, 1);
        let broken = errors_of(parse_str(
            Kind::Suppliers,
            Format::Json,
            "[\n{\"code\": \"a\",\n",
        ));
        assert_eq!(broken.len(), 1);
        let items = errors_of(parse_str(
            Kind::Suppliers,
            Format::Json,
            "[\n 1,\n {\"code\": \"a\", \"name\": \"A\", \"extra\": 1},\n {\"code\": [1], \"name\": true}\n]",
        ));
        let found: Vec<(usize, &str)> =
            items.iter().map(|e| (e.line, e.message.as_str())).collect();
        assert_eq!(found.len(), 3, "{found:?}");
        assert_eq!(found[0].0, 2);
        assert!(
            found[1].1.starts_with("неизвестные поля: «extra»"),
            "{found:?}"
        );
        assert_eq!(found[2].0, 4);
        assert!(
            found[2].1.starts_with("code: ожидается строка"),
            "{found:?}"
        );
    }

    #[test]
    fn a_repeated_key_is_an_error_on_its_second_line() {
        let text = "branch;number;address;owner_name;total_area;living_area\n\
                    01;110012345;ул. Ленина, 5;Иванов И. И.;54,3;32,1\n\
                    02;110012345;ул. Мира, 1;Петров П. П.;40;20\n\
                    01;110012345;ул. Ленина, 5;Иванов И. И.;54.3;32.1\n";
        let errors = errors_of(parse_str(Kind::Accounts, Format::Csv, text));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
        assert_eq!(
            errors[0].message,
            "(branch, number): повторяется («01», «110012345»), такая запись уже есть в строке 2"
        );
        let payments = r#"[
{"branch": "01", "account": "1100", "supplier": "s", "paid_on": "2026-10-01", "period": "2026-10", "amount": 10, "reference": "R1"},
{"branch": "01", "account": "1100", "supplier": "t", "paid_on": "2026-10-01", "period": "2026-10", "amount": 10, "reference": "R1"},
{"branch": "01", "account": "1100", "supplier": "s", "paid_on": "2026-10-02", "period": "2026-10", "amount": 20, "reference": "R1"}
]"#;
        let errors = errors_of(parse_str(Kind::Payments, Format::Json, payments));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 4);
    }

    #[test]
    fn a_missing_column_is_an_error_on_the_header() {
        let text = "code;name\nheating;Отопление\n";
        let errors = errors_of(parse_str(Kind::Services, Format::Csv, text));
        assert_eq!(
            errors,
            [RowError {
                line: 1,
                message: "нет обязательных столбцов: unit, metered".to_string()
            }]
        );
    }

    #[test]
    fn an_unknown_column_is_named() {
        let text = "code;name;unit;metered;colour\nheating;Отопление;Гкал;0;red\n";
        let errors = errors_of(parse_str(Kind::Services, Format::Csv, text));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 1);
        assert!(
            errors[0]
                .message
                .starts_with("неизвестные столбцы: «colour»; допустимые столбцы: code, name"),
            "{errors:?}"
        );
        let repeated = errors_of(parse_str(
            Kind::Services,
            Format::Csv,
            "code;name;unit;metered;code\n",
        ));
        assert_eq!(repeated[0].message, "столбцы указаны дважды: code");
    }

    #[test]
    fn a_row_of_the_wrong_width_is_reported() {
        let text = "code;name;unit;metered\nheating;Отопление;Гкал\nwater;Вода;м³;1\n";
        let errors = errors_of(parse_str(Kind::Services, Format::Csv, text));
        assert_eq!(errors.len(), 1);
        assert_eq!(errors[0].line, 2);
        assert!(
            errors[0]
                .message
                .starts_with("полей в строке: 3, а столбцов в заголовке: 4")
        );
    }

    #[test]
    fn empty_and_undecodable_files() {
        let empty = errors_of(parse(Kind::Branches, Format::Csv, b""));
        assert_eq!(empty[0].line, 1);
        let latin1 = errors_of(parse(
            Kind::Suppliers,
            Format::Csv,
            b"code;name\na;b\nc;\xE4\n",
        ));
        assert_eq!(latin1[0].line, 3);
        assert!(
            parse(Kind::Suppliers, Format::Json, b"[]")
                .unwrap()
                .is_empty()
        );
        assert!(
            parse(Kind::Suppliers, Format::Csv, b"code;name\n")
                .unwrap()
                .is_empty()
        );
    }

    #[test]
    fn values_are_checked_with_russian_messages() {
        let header = "branch;account;service;serial;zones;digits;fraction_digits;installed_on;verified_until;place;removed_on";
        let text = format!(
            "{header}\n\
             01;110012345;electricity;E1;2;6;1;2023-03-14;2039-03-14;;\n\
             01;11ab;electricity;E2;4;10;4;2023-02-30;2023-1-1;;2020-01-01\n\
             01;110012345;water;W1;;5;;2023-03-14;2022-03-14;;2023-01-01\n"
        );
        let errors = errors_of(parse_str(Kind::Meters, Format::Csv, &text));
        let messages: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
        assert_eq!(
            messages,
            [
                "строка 3: account: Номер лицевого счета — от 4 до 20 цифр, как в квитанции; указано «11ab»",
                "строка 3: zones: ожидается целое число от 1 до 3; указано «4»",
                "строка 3: digits: ожидается целое число от 1 до 9; указано «10»",
                "строка 3: fraction_digits: ожидается целое число от 0 до 3; указано «4»",
                "строка 3: installed_on: нет такой даты; указано «2023-02-30»",
                "строка 3: verified_until: ожидается дата в виде ГГГГ-ММ-ДД, например 2026-10-15; указано «2023-1-1»",
                "строка 4: verified_until: дата поверки раньше даты установки",
                "строка 4: removed_on: дата снятия раньше даты установки",
            ]
        );

        let charges = "branch;account;period;service;supplier;zone;quantity;price;amount\n\
                       01;1100;2026-13;s;p;evening;1,2345;-1;\n\
                       01;1100;2026-10;s;p;NIGHT;-1,5;1 234,56;-10,5\n";
        let errors = errors_of(parse_str(Kind::Charges, Format::Csv, charges));
        let columns: Vec<&str> = errors
            .iter()
            .map(|e| e.message.split(':').next().unwrap())
            .collect();
        assert_eq!(columns, ["period", "zone", "quantity", "price", "amount"]);
        assert!(errors.iter().all(|e| e.line == 2));
        assert_eq!(
            errors[0].message,
            "period: ожидается месяц в виде ГГГГ-ММ, например 2026-10; указано «2026-13»"
        );
        assert_eq!(errors[4].message, "amount: обязательное поле не заполнено");

        let tariffs = "branch,service,valid_from,price\n01,s,2026-10,0\n01,s,2026-11,\"7,15\"\n";
        let errors = errors_of(parse_str(Kind::Tariffs, Format::Csv, tariffs));
        assert_eq!(errors.len(), 1);
        assert_eq!(
            errors[0].message,
            "price: сумма должна быть больше нуля; указано «0»"
        );

        let accounts = "branch;number;address;owner_name;total_area;living_area;stove;electric_heating\n\
                        01;1100;a;b;40,123;50;wood;возможно\n\
                        01;1101;a;b;40;50;;\n";
        let errors = errors_of(parse_str(Kind::Accounts, Format::Csv, accounts));
        let found: Vec<(usize, &str)> = errors
            .iter()
            .map(|e| (e.line, e.message.split(':').next().unwrap()))
            .collect();
        assert_eq!(
            found,
            [
                (2, "total_area"),
                (2, "stove"),
                (2, "electric_heating"),
                (3, "living_area")
            ]
        );
    }

    #[test]
    fn a_branch_needs_consistent_requisites_and_window() {
        let mut bad = branch_line("01", "044525225");
        bad = bad.replace("40702810938000000001", "40702810038000000001");
        bad = bad.replace(";15;25", ";26;25");
        bad = bad.replace("770701001", "77070100");
        let text = format!("{BRANCH_HEADER}\n{bad}\n");
        let errors = errors_of(parse_str(Kind::Branches, Format::Csv, &text));
        let columns: Vec<&str> = errors
            .iter()
            .map(|e| e.message.split(':').next().unwrap())
            .collect();
        assert_eq!(columns, ["kpp", "settlement_account", "reading_to_day"]);
        assert!(
            errors[1]
                .message
                .contains("Номер счета не соответствует БИК банка")
        );
    }

    #[test]
    fn scaled_numbers() {
        assert_eq!(read_thousandths("12 345,678"), Ok(12_345_678));
        assert_eq!(read_thousandths("7"), Ok(7_000));
        assert_eq!(read_thousandths("0.5"), Ok(500));
        assert!(read_thousandths("1,2345").is_err());
        assert!(read_thousandths("-1").is_err());
        assert!(read_thousandths("1e3").is_err());
        assert!(read_thousandths(",5").is_err());
        assert!(read_thousandths("99999999999999999").is_err());
        assert_eq!(read_scaled("-1,5", 3, true, ""), Ok(-1_500));
        assert_eq!(read_area("54,3"), Ok(5_430));
        assert_eq!(read_signed_money("-1 250,5"), Ok(Kopecks(-125_050)));
        assert_eq!(read_flag("ДА"), Ok(true));
        assert_eq!(read_flag("False"), Ok(false));
    }

    #[test]
    fn formats_by_extension() {
        assert_eq!(Format::from_path(Path::new("a/b.CSV")), Some(Format::Csv));
        assert_eq!(Format::from_path(Path::new("b.json")), Some(Format::Json));
        assert_eq!(Format::from_path(Path::new("b.xlsx")), None);
        assert_eq!(Format::from_path(Path::new("csv")), None);
    }

    /// Cells that are often nearly right: digits, separators, dates, codes, quotes.
    fn cell() -> impl Strategy<Value = String> {
        prop_oneof![
            "[0-9]{0,12}",
            "-?[0-9 ]{1,6}[,.][0-9]{0,4}",
            "[0-9]{4}-[0-9]{1,2}(-[0-9]{1,2})?",
            "(day|night|peak|semipeak|gas|none|да|нет|true|0|1|)",
            "04[0-9]{7}|[0-9]{20}|30101[0-9]{15}",
            ".{0,8}",
        ]
    }

    fn csv_file(kind: Kind, rows: &[Vec<String>], delimiter: char) -> String {
        let columns = columns(kind);
        let mut text = column_list(columns).replace(", ", &delimiter.to_string());
        for row in rows {
            text.push('\n');
            let fields: Vec<String> = columns
                .iter()
                .zip(row.iter().cycle())
                .map(|(_, v)| format!("\"{}\"", v.replace('"', "\"\"")))
                .collect();
            text.push_str(&fields.join(&delimiter.to_string()));
        }
        text
    }

    fn json_file(kind: Kind, rows: &[Vec<String>]) -> String {
        let items: Vec<Value> = rows
            .iter()
            .map(|row| {
                let object: Map<String, Value> = columns(kind)
                    .iter()
                    .zip(row.iter().cycle())
                    .map(|(c, v)| {
                        let value = match v.as_str() {
                            "true" => Value::Bool(true),
                            "" => Value::Null,
                            v => v
                                .parse::<f64>()
                                .ok()
                                .and_then(serde_json::Number::from_f64)
                                .map(Value::Number)
                                .unwrap_or_else(|| Value::String(v.to_string())),
                        };
                        (c.name.to_string(), value)
                    })
                    .collect();
                Value::Object(object)
            })
            .collect();
        serde_json::to_string_pretty(&items).unwrap()
    }

    proptest! {
        #[test]
        fn arbitrary_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..300)) {
            for kind in Kind::ALL {
                for format in [Format::Csv, Format::Json] {
                    let _ = parse(kind, format, &bytes);
                }
            }
        }

        #[test]
        fn arbitrary_text_never_panics(text in "[\\[\\]{}\",;:\\n0-9a-z .-]{0,200}") {
            for kind in Kind::ALL {
                for format in [Format::Csv, Format::Json] {
                    let _ = parse(kind, format, text.as_bytes());
                }
            }
        }

        #[test]
        fn nearly_right_files_never_panic(
            rows in proptest::collection::vec(proptest::collection::vec(cell(), 1..14), 0..4),
            semicolon in any::<bool>(),
        ) {
            for kind in Kind::ALL {
                let delimiter = if semicolon { ';' } else { ',' };
                let csv = csv_file(kind, &rows, delimiter);
                if let Err(errors) = parse(kind, Format::Csv, csv.as_bytes()) {
                    prop_assert!(errors.iter().all(|e| e.line >= 1 && !e.message.is_empty()));
                }
                let json = json_file(kind, &rows);
                if let Err(errors) = parse(kind, Format::Json, json.as_bytes()) {
                    prop_assert!(errors.iter().all(|e| e.line >= 1 && !e.message.is_empty()));
                }
            }
        }
    }
}
