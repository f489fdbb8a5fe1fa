//! Personal accounts and their billing data as the pages show them (U-ACC, U-DET, U-PAY):
//! months, the 3-year history limit, the reading window, and the rules of the account forms.

use crate::calendar::{MONTHS_GENITIVE, MONTHS_NOMINATIVE};
use crate::contact::REQUIRED_MESSAGE;
use crate::money::Kopecks;
use serde::{Deserialize, Serialize};
use std::fmt;

/// «Данный лицевой счет не найден.» (U-ACC-1): unknown number or a proof that does not match.
pub const ACCOUNT_NOT_FOUND_MESSAGE: &str = "Данный лицевой счет не найден.";
pub const ACCOUNT_ALREADY_LINKED_MESSAGE: &str = "Этот лицевой счет уже добавлен в личный кабинет.";
pub const ACCOUNT_LINKED_MESSAGE: &str = "Лицевой счет добавлен.";
/// Shown after [Удалить] (U-ACC-2), with what stays and what stops.
pub const ACCOUNT_UNLINKED_MESSAGE: &str = "Лицевой счет отключен от личного кабинета.";
pub const UNLINK_E_RECEIPT_NOTICE: &str = "Подписка на электронную квитанцию по этому счету сохраняется: чтобы отменить ее, обратитесь в службу поддержки.";
pub const ACCOUNT_RENAMED_MESSAGE: &str = "Наименование лицевого счета сохранено.";
pub const E_RECEIPT_ON_MESSAGE: &str = "Электронная квитанция подключена.";
/// The label of the binding proof (U-ACC-1).
pub const PROOF_LABEL: &str = "Сумма начислений по одной из трех последних квитанций, руб.";
/// The most characters of an account's name of the customer's choice.
pub const ACCOUNT_NAME_MAX: usize = 60;
/// How far back the history goes (U-PAY-2, U-DET-4): 3 years.
pub const HISTORY_MONTHS: i32 = 36;

/// A month: the billing period, written yyyymm in storage (202610 is October 2026).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct Period(pub i64);

impl Period {
    /// «октября 2026», as in «с октября 2026».
    pub fn caption_genitive(self) -> String {
        format!(
            "{} {}",
            MONTHS_GENITIVE[(self.month() - 1) as usize],
            self.year()
        )
    }

    pub fn new(year: i32, month: u32) -> Option<Period> {
        ((1..=12).contains(&month) && (1900..=9999).contains(&year))
            .then(|| Period(i64::from(year) * 100 + i64::from(month)))
    }

    /// A stored yyyymm value, if it names a month.
    pub fn from_yyyymm(value: i64) -> Option<Period> {
        let year = i32::try_from(value / 100).ok()?;
        let month = u32::try_from(value % 100).ok()?;
        Period::new(year, month)
    }

    pub fn year(self) -> i32 {
        (self.0 / 100) as i32
    }

    pub fn month(self) -> u32 {
        (self.0 % 100) as u32
    }

    /// The month `n` months later (earlier when negative).
    pub fn add_months(self, n: i32) -> Period {
        let index = i64::from(self.year()) * 12 + i64::from(self.month()) - 1 + i64::from(n);
        Period(index.div_euclid(12) * 100 + index.rem_euclid(12) + 1)
    }

    /// How many months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Period) -> i32 {
        (later.year() - self.year()) * 12 + later.month() as i32 - self.month() as i32
    }

    /// «октябрь 2026»
    pub fn caption(self) -> String {
        format!(
            "{} {}",
            MONTHS_NOMINATIVE[(self.month() - 1) as usize],
            self.year()
        )
    }

    /// «10.2026»
    pub fn short(self) -> String {
        format!("{:02}.{}", self.month(), self.year())
    }

    /// The value of an `<input type="month">`: «2026-10».
    pub fn param(self) -> String {
        format!("{:04}-{:02}", self.year(), self.month())
    }

    /// Reads «2026-10» (the month input) or «10.2026».
    pub fn parse(input: &str) -> Option<Period> {
        let input = input.trim();
        if let Some((y, m)) = input.split_once('-') {
            return Period::new(y.parse().ok()?, m.parse().ok()?);
        }
        let (m, y) = input.split_once('.')?;
        Period::new(y.parse().ok()?, m.parse().ok()?)
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.caption())
    }
}

/// The months a history shows, both ends included.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct PeriodRange {
    pub from: Period,
    pub to: Period,
}

impl PeriodRange {
    /// The widest range allowed (U-PAY-2): from the month before `current` back 3 years.
    pub fn allowed(current: Period) -> PeriodRange {
        PeriodRange {
            from: current.add_months(-HISTORY_MONTHS),
            to: current.add_months(-1),
        }
    }

    /// The range the customer asked for (`from`/`to` as typed in the month inputs), kept
    /// within the allowed one; without an answer, the last 12 months. The second value says
    /// that the request was cut to the limits.
    pub fn chosen(from: Option<&str>, to: Option<&str>, current: Period) -> (PeriodRange, bool) {
        let allowed = PeriodRange::allowed(current);
        let asked_to = to.and_then(Period::parse).unwrap_or(allowed.to);
        let asked_from = from
            .and_then(Period::parse)
            .unwrap_or_else(|| asked_to.add_months(-11));
        let to = asked_to.clamp(allowed.from, allowed.to);
        let from = asked_from.clamp(allowed.from, to);
        (
            PeriodRange { from, to },
            from != asked_from || to != asked_to,
        )
    }

    pub fn contains(self, period: Period) -> bool {
        self.from <= period && period <= self.to
    }

    /// The months of the range, newest first.
    pub fn months_newest_first(self) -> Vec<Period> {
        let mut months = Vec::new();
        let mut p = self.to;
        while p >= self.from {
            months.push(p);
            p = p.add_months(-1);
        }
        months
    }
}

/// The message shown when a chosen period was cut to the 3-year limit.
pub fn period_limited_message(allowed: PeriodRange) -> String {
    format!(
        "Историю можно посмотреть не более чем за 3 года: с {} по {}.",
        allowed.from.caption_genitive(),
        allowed.to.caption()
    )
}

pub use crate::calendar::{Day, days_in_month};

impl Day {
    /// The billing month of the day.
    pub fn period(self) -> Period {
        Period(i64::from(self.year) * 100 + i64::from(self.month))
    }
}

/// The days of each month on which readings are accepted, both included (the branch's).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReadingWindow {
    pub from_day: u32,
    pub to_day: u32,
}

/// Where today stands against the reading window (U-ACC-4).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum WindowStatus {
    /// Readings are accepted; the last day is `closes_in_days` from today (0: today).
    Open { closes_in_days: u32 },
    /// Not yet: the window opens in `opens_in_days`.
    Closed { opens_in_days: u32 },
}

impl ReadingWindow {
    /// The window's last day in a month that may be shorter than `to_day`.
    fn last_day(self, year: i32, month: u32) -> u32 {
        self.to_day.min(days_in_month(year, month))
    }

    pub fn status(self, today: Day) -> WindowStatus {
        let last = self.last_day(today.year, today.month);
        if today.day >= self.from_day && today.day <= last {
            return WindowStatus::Open {
                closes_in_days: last - today.day,
            };
        }
        if today.day < self.from_day {
            return WindowStatus::Closed {
                opens_in_days: self.from_day - today.day,
            };
        }
        let rest_of_month = days_in_month(today.year, today.month) - today.day;
        WindowStatus::Closed {
            opens_in_days: rest_of_month + self.from_day,
        }
    }

    /// «с 15 по 25 число»
    pub fn caption(self) -> String {
        format!("с {} по {} число", self.from_day, self.to_day)
    }
}

impl WindowStatus {
    /// «До завершения приема показаний: 3 дн.» / «До начала приема показаний: 12 дн.»
    pub fn caption(self) -> String {
        match self {
            WindowStatus::Open { closes_in_days: 0 } => {
                "Прием показаний завершается сегодня".to_string()
            }
            WindowStatus::Open { closes_in_days } => {
                format!("До завершения приема показаний: {}", days(closes_in_days))
            }
            WindowStatus::Closed { opens_in_days } => {
                format!("До начала приема показаний: {}", days(opens_in_days))
            }
        }
    }
}

/// «1 день», «3 дня», «12 дней».
pub fn days(n: u32) -> String {
    let word = match (n % 10, n % 100) {
        (_, 11..=14) => "дней",
        (1, _) => "день",
        (2..=4, _) => "дня",
        _ => "дней",
    };
    format!("{n} {word}")
}

/// Time-of-day zones of a meter or a tariff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Zone {
    Single,
    Day,
    Night,
    Peak,
    SemiPeak,
}

impl Zone {
    pub const ALL: [Zone; 5] = [
        Zone::Single,
        Zone::Day,
        Zone::Night,
        Zone::Peak,
        Zone::SemiPeak,
    ];

    /// The stored code: '' for a single rate.
    pub fn code(self) -> &'static str {
        match self {
            Zone::Single => "",
            Zone::Day => "day",
            Zone::Night => "night",
            Zone::Peak => "peak",
            Zone::SemiPeak => "semipeak",
        }
    }

    pub fn from_code(code: &str) -> Option<Zone> {
        Zone::ALL.into_iter().find(|z| z.code() == code.trim())
    }

    /// The zone's word for a multi-zone meter or tariff; nothing for a single rate.
    pub fn label(self) -> Option<&'static str> {
        (self != Zone::Single).then(|| self.caption())
    }

    /// « (ночь)» after a service's or a meter's name; empty for a single rate.
    pub fn suffix(self) -> String {
        self.label().map(|l| format!(" ({l})")).unwrap_or_default()
    }

    pub fn caption(self) -> &'static str {
        match self {
            Zone::Single => "круглосуточно",
            Zone::Day => "день",
            Zone::Night => "ночь",
            Zone::Peak => "пик",
            Zone::SemiPeak => "полупик",
        }
    }
}

/// Тип плиты (U-DET-2).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stove {
    Gas,
    Electric,
    None,
}

impl Stove {
    pub fn code(self) -> &'static str {
        match self {
            Stove::Gas => "gas",
            Stove::Electric => "electric",
            Stove::None => "none",
        }
    }

    pub fn from_code(code: &str) -> Option<Stove> {
        [Stove::Gas, Stove::Electric, Stove::None]
            .into_iter()
            .find(|s| s.code() == code.trim())
    }

    pub fn caption(self) -> &'static str {
        match self {
            Stove::Gas => "газовая",
            Stove::Electric => "электрическая",
            Stove::None => "отсутствует",
        }
    }
}

/// An integer count of thousandths (quantities, readings) written the Russian way:
/// «1 234,5» with `fraction` decimals.
pub fn thousandths(value: i64, fraction: u32) -> String {
    let fraction = fraction.min(3);
    let divisor = 10_i64.pow(3 - fraction);
    let scaled = value / divisor;
    let negative = scaled < 0;
    let abs = scaled.unsigned_abs();
    let unit = 10_u64.pow(fraction);
    let whole = Kopecks(i64::try_from(abs / unit).unwrap_or(i64::MAX) * 100).format_number();
    let whole = whole.trim_end_matches(",00");
    let sign = if negative { "-" } else { "" };
    if fraction == 0 {
        format!("{sign}{whole}")
    } else {
        format!(
            "{sign}{whole},{:0width$}",
            abs % unit,
            width = fraction as usize
        )
    }
}

/// Areas are stored in hundredths of a square metre: «54,3 м²».
pub fn area(hundredths: i64) -> String {
    let text = Kopecks(hundredths).format_number();
    let text = text.trim_end_matches('0').trim_end_matches(',');
    format!("{text} м²")
}

/// One of the customer's personal accounts in the list (U-ACC-3).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountCard {
    pub id: i64,
    pub number: String,
    /// The customer's name for it (may be empty).
    pub name: String,
    pub address: String,
    pub branch: String,
}

impl AccountCard {
    /// The name the customer gave, or «Лицевой счет №…».
    pub fn title(&self) -> String {
        if self.name.trim().is_empty() {
            format!("Лицевой счет № {}", self.number)
        } else {
            self.name.clone()
        }
    }
}

/// The selected account's block on the main page (U-ACC-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountOverview {
    pub card: AccountCard,
    pub owner_name: String,
    /// Charges minus payments to date: positive is a debt (U-ACC-5).
    pub owed: Kopecks,
    pub window: ReadingWindow,
    pub window_status: WindowStatus,
    pub e_receipt: bool,
    pub e_receipt_allowed: bool,
    /// Whether autopay is on for the account (U-ACC-4 hides [Подключить автоплатеж] then).
    pub autopay: bool,
    /// The newest month with charges (the default receipt).
    pub last_period: Option<Period>,
}

/// A branch in the [+ Добавить лицевой счет] drop-down.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BranchOption {
    pub id: i64,
    pub name: String,
}

/// A service of the account and who supplies it (U-DET-1).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ServiceLine {
    pub service: String,
    pub unit: String,
    pub supplier: String,
    pub metered: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MeterInfo {
    pub id: i64,
    pub service: String,
    pub unit: String,
    pub serial: String,
    pub zones: u32,
    pub digits: u32,
    pub fraction_digits: u32,
    pub installed_on: String,
    pub verified_until: String,
    pub place: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TariffEntry {
    pub service: String,
    pub unit: String,
    pub zone: Zone,
    pub price: Kopecks,
    pub valid_from: Period,
    pub act: String,
}

/// «Реквизиты лицевого счета» (U-DET-1, U-DET-2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AccountDetails {
    pub card: AccountCard,
    pub owner_name: String,
    pub total_area: i64,
    pub living_area: i64,
    pub owners: i64,
    pub residents: i64,
    pub rooms: i64,
    pub stove: Stove,
    pub electric_heating: bool,
    pub services: Vec<ServiceLine>,
    pub meters: Vec<MeterInfo>,
}

/// The fields of U-DET-2 an application may ask to change: form name and caption.
pub const DETAIL_FIELDS: [(&str, &str); 8] = [
    ("owner_name", "ФИО"),
    ("total_area", "Общая площадь, м²"),
    ("living_area", "Жилая площадь, м²"),
    ("owners", "Количество собственников"),
    ("residents", "Количество зарегистрированных/проживающих"),
    ("rooms", "Количество комнат"),
    ("stove", "Тип плиты"),
    ("electric_heating", "Наличие электроотопительной установки"),
];

impl AccountDetails {
    /// A field of [`DETAIL_FIELDS`] as the form shows it (areas without the unit).
    pub fn field_value(&self, key: &str) -> String {
        let plain_area = |a: i64| area(a).trim_end_matches(" м²").to_string();
        match key {
            "owner_name" => self.owner_name.clone(),
            "total_area" => plain_area(self.total_area),
            "living_area" => plain_area(self.living_area),
            "owners" => self.owners.to_string(),
            "residents" => self.residents.to_string(),
            "rooms" => self.rooms.to_string(),
            "stove" => self.stove.caption().to_string(),
            "electric_heating" => yes_no(self.electric_heating).to_string(),
            _ => String::new(),
        }
    }
}

/// «есть» / «нет»
pub fn yes_no(value: bool) -> &'static str {
    if value { "есть" } else { "нет" }
}

/// The live check of a requested value in the change application (U-DET-2).
pub fn check_detail_value(key: &str, value: &str) -> Result<(), String> {
    let value = value.trim();
    if value.is_empty() {
        return Err(REQUIRED_MESSAGE.to_string());
    }
    match key {
        "owner_name" if value.chars().count() > 150 => {
            Err("ФИО — не длиннее 150 символов".to_string())
        }
        "total_area" | "living_area" => match Kopecks::parse(value) {
            Ok(k) if k.0 > 0 && k.0 <= 10_000_000 => Ok(()),
            _ => Err("Укажите площадь в квадратных метрах, например 54,3".to_string()),
        },
        "owners" | "residents" | "rooms" => match value.parse::<u32>() {
            Ok(n) if n <= 99 => Ok(()),
            _ => Err("Укажите целое число от 0 до 99".to_string()),
        },
        "stove"
            if ![Stove::Gas, Stove::Electric, Stove::None]
                .iter()
                .any(|s| s.caption() == value) =>
        {
            Err("Выберите тип плиты из списка".to_string())
        }
        "electric_heating" if value != "есть" && value != "нет" => {
            Err("Выберите «есть» или «нет»".to_string())
        }
        _ => Ok(()),
    }
}

/// The tariffs in force during each month of a range (U-DET-4).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TariffHistory {
    pub allowed: PeriodRange,
    pub range: PeriodRange,
    pub limited: bool,
    /// Every tariff that was in force at some point of the range, newest first.
    pub tariffs: Vec<TariffEntry>,
}

/// A charge of a month for one service (and zone) from one supplier.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChargeLine {
    pub period: Period,
    pub service: String,
    pub unit: String,
    pub supplier: String,
    pub zone: Zone,
    /// Thousandths of the unit.
    pub quantity: i64,
    pub price: Kopecks,
    pub amount: Kopecks,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaymentLine {
    pub period: Period,
    /// ISO date of the payment.
    pub paid_on: String,
    pub supplier: String,
    pub amount: Kopecks,
    pub channel: String,
}

/// The balance of a month with one supplier (U-PAY-10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BalanceLine {
    pub period: Period,
    pub supplier: String,
    pub opening: Kopecks,
    pub charged: Kopecks,
    pub paid: Kopecks,
}

impl BalanceLine {
    pub fn closing(&self) -> Kopecks {
        Kopecks(self.opening.0 + self.charged.0 - self.paid.0)
    }
}

/// What «Начисления и оплаты» shows for a range (U-PAY-1..5, U-PAY-10).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct BillingHistory {
    pub allowed: PeriodRange,
    pub range: PeriodRange,
    pub limited: bool,
    pub charges: Vec<ChargeLine>,
    pub payments: Vec<PaymentLine>,
    pub balances: Vec<BalanceLine>,
    /// Payments of the current month: the periods end with the month before (U-PAY-2), but
    /// a payment just made must be seen at once.
    pub this_month: Vec<PaymentLine>,
}

impl BillingHistory {
    /// The months of the range that have anything, newest first.
    pub fn months(&self) -> Vec<Period> {
        self.range
            .months_newest_first()
            .into_iter()
            .filter(|p| {
                self.charges.iter().any(|c| c.period == *p)
                    || self.payments.iter().any(|c| c.period == *p)
            })
            .collect()
    }
}

/// Consumption and money of one month, service and zone (U-PAY-9).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatRow {
    pub period: Period,
    pub service: String,
    pub unit: String,
    pub zone: Zone,
    /// Thousandths of the unit.
    pub quantity: i64,
    pub charged: Kopecks,
}

/// «Статистика»: rows by month, service and zone, and payments by month.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Statistics {
    pub allowed: PeriodRange,
    pub range: PeriodRange,
    pub limited: bool,
    pub rows: Vec<StatRow>,
    pub payments: Vec<(Period, Kopecks)>,
}

/// The account number as printed on the receipt: digits only.
pub fn check_account_number(input: &str) -> Result<(), String> {
    let number = input.trim();
    if number.is_empty() {
        return Err(REQUIRED_MESSAGE.to_string());
    }
    if !number.chars().all(|c| c.is_ascii_digit()) || !(4..=20).contains(&number.len()) {
        return Err("Номер лицевого счета — от 4 до 20 цифр, как в квитанции".to_string());
    }
    Ok(())
}

/// The proof of U-ACC-1: an amount in roubles and kopecks.
pub fn parse_proof(input: &str) -> Result<Kopecks, String> {
    Kopecks::parse(input).map_err(|e| match e {
        crate::money::AmountError::Empty => REQUIRED_MESSAGE.to_string(),
        other => other.to_string(),
    })
}

pub fn check_proof(input: &str) -> Result<(), String> {
    parse_proof(input).map(|_| ())
}

/// The customer's name for an account: up to [`ACCOUNT_NAME_MAX`] characters (empty clears it).
pub fn check_account_name(input: &str) -> Result<(), String> {
    if input.trim().chars().count() > ACCOUNT_NAME_MAX {
        return Err(format!(
            "Наименование — не длиннее {ACCOUNT_NAME_MAX} символов"
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_across_years() {
        let oct = Period::new(2026, 10).unwrap();
        assert_eq!(oct.add_months(3), Period(202701));
        assert_eq!(oct.add_months(-10), Period(202512));
        assert_eq!(oct.add_months(-36), Period(202310));
        assert_eq!(Period(202310).months_until(oct), 36);
        assert_eq!(oct.caption(), "октябрь 2026");
        assert_eq!(oct.caption_genitive(), "октября 2026");
        assert_eq!(oct.param(), "2026-10");
        assert_eq!(Period::parse("2026-10"), Some(oct));
        assert_eq!(Period::parse("10.2026"), Some(oct));
        assert_eq!(Period::parse("2026-13"), None);
        assert_eq!(Period::from_yyyymm(202600), None);
    }

    #[test]
    fn history_goes_back_three_years_from_last_month() {
        // U-PAY-2: in November 2026, from November 2023 to October 2026.
        let now = Period(202611);
        let allowed = PeriodRange::allowed(now);
        assert_eq!(allowed.from, Period(202311));
        assert_eq!(allowed.to, Period(202610));
        let (default, limited) = PeriodRange::chosen(None, None, now);
        assert_eq!(
            (default.from, default.to, limited),
            (Period(202511), Period(202610), false)
        );
        let (cut, limited) = PeriodRange::chosen(Some("2019-01"), Some("2027-01"), now);
        assert_eq!(
            (cut.from, cut.to, limited),
            (Period(202311), Period(202610), true)
        );
        let (swapped, _) = PeriodRange::chosen(Some("2026-05"), Some("2026-02"), now);
        assert_eq!((swapped.from, swapped.to), (Period(202602), Period(202602)));
        assert_eq!(cut.months_newest_first().len(), 36);
    }

    #[test]
    fn the_reading_window_counts_days() {
        let window = ReadingWindow {
            from_day: 15,
            to_day: 25,
        };
        let day = |d| Day {
            year: 2026,
            month: 11,
            day: d,
        };
        assert_eq!(
            window.status(day(10)),
            WindowStatus::Closed { opens_in_days: 5 }
        );
        assert_eq!(
            window.status(day(15)),
            WindowStatus::Open { closes_in_days: 10 }
        );
        assert_eq!(
            window.status(day(25)),
            WindowStatus::Open { closes_in_days: 0 }
        );
        // 26 November → 15 December: 4 days left in November, then 15.
        assert_eq!(
            window.status(day(26)),
            WindowStatus::Closed { opens_in_days: 19 }
        );
        let end_of_month = ReadingWindow {
            from_day: 20,
            to_day: 31,
        };
        let feb = Day {
            year: 2026,
            month: 2,
            day: 28,
        };
        assert_eq!(
            end_of_month.status(feb),
            WindowStatus::Open { closes_in_days: 0 }
        );
        assert_eq!(
            WindowStatus::Closed { opens_in_days: 3 }.caption(),
            "До начала приема показаний: 3 дня"
        );
        assert_eq!(days(11), "11 дней");
        assert_eq!(days(21), "21 день");
    }

    #[test]
    fn days_are_read_strictly() {
        assert_eq!(
            Day::parse("2024-02-29").map(Day::iso).as_deref(),
            Some("2024-02-29")
        );
        assert_eq!(Day::parse("2026-02-29"), None);
        assert_eq!(
            Day::parse("2026-1-5").map(Day::caption).as_deref(),
            Some("05.01.2026")
        );
    }

    #[test]
    fn quantities_and_areas_read_the_russian_way() {
        assert_eq!(Zone::Night.suffix(), " (ночь)");
        assert_eq!(Zone::Single.suffix(), "");
        assert_eq!(thousandths(1_234_500, 1), "1\u{202F}234,5");
        assert_eq!(thousandths(235_000, 0), "235");
        assert_eq!(thousandths(7_125, 3), "7,125");
        assert_eq!(area(5430), "54,3 м²");
        assert_eq!(area(6000), "60 м²");
    }

    #[test]
    fn account_form_rules() {
        assert_eq!(check_account_number(" "), Err(REQUIRED_MESSAGE.to_string()));
        assert!(check_account_number("12a45").is_err());
        assert!(check_account_number("110012345").is_ok());
        assert_eq!(parse_proof("1 234,50"), Ok(Kopecks(123450)));
        assert_eq!(parse_proof(""), Err(REQUIRED_MESSAGE.to_string()));
        assert!(check_account_name(&"я".repeat(61)).is_err());
        assert!(check_account_name("Дача").is_ok());
        assert!(check_detail_value("total_area", "54,3").is_ok());
        assert!(check_detail_value("total_area", "много").is_err());
        assert!(check_detail_value("rooms", "3").is_ok());
        assert!(check_detail_value("rooms", "-1").is_err());
        assert!(check_detail_value("stove", "электрическая").is_ok());
        assert!(check_detail_value("stove", "дровяная").is_err());
    }
}
