//! The provider's billing data as records, checked and ready to store: what an import file's
//! rows become and what the demo generator produces. References between records are the
//! provider's own codes (branch code, account number, service and supplier codes, meter
//! serial), resolved to rows when stored.

use shared::Kopecks;
use shared::requisites::{Bic, CorrespondentAccount, Inn, SettlementAccount};
use shared::utility::billing::{Day, Period, Stove, Zone};

/// A record and the line of the file it came from (1-based; 0 for generated records).
#[derive(Debug, Clone, PartialEq)]
pub struct Row<T> {
    pub line: usize,
    pub record: T,
}

/// Филиал/отделение: its payee requisites and reading window.
#[derive(Debug, Clone, PartialEq)]
pub struct BranchRecord {
    pub code: String,
    pub name: String,
    pub address: String,
    pub phone: String,
    pub payee_name: String,
    pub inn: Inn,
    pub kpp: String,
    pub bank_name: String,
    pub bic: Bic,
    pub settlement_account: SettlementAccount,
    pub correspondent_account: CorrespondentAccount,
    pub reading_from_day: u32,
    pub reading_to_day: u32,
}

#[derive(Debug, Clone, PartialEq)]
pub struct SupplierRecord {
    pub code: String,
    pub name: String,
    pub inn: Option<Inn>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ServiceRecord {
    pub code: String,
    pub name: String,
    /// «кВт·ч», «м³», «Гкал», «чел.» …
    pub unit: String,
    pub metered: bool,
}

/// A price in force from a month on, in a branch, for a service and zone.
#[derive(Debug, Clone, PartialEq)]
pub struct TariffRecord {
    pub branch: String,
    pub service: String,
    pub zone: Zone,
    pub valid_from: Period,
    /// Kopecks per unit.
    pub price: Kopecks,
    /// The act that approved it.
    pub act: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct AccountRecord {
    pub branch: String,
    pub number: String,
    pub address: String,
    pub owner_name: String,
    /// Hundredths of a square metre.
    pub total_area: i64,
    pub living_area: i64,
    pub owners: i64,
    pub residents: i64,
    pub rooms: i64,
    pub stove: Stove,
    pub electric_heating: bool,
    pub e_receipt_allowed: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct MeterRecord {
    pub branch: String,
    pub account: String,
    pub service: String,
    pub serial: String,
    pub zones: u32,
    pub digits: u32,
    pub fraction_digits: u32,
    pub installed_on: Day,
    pub verified_until: Day,
    pub place: String,
    pub removed_on: Option<Day>,
    /// Read by the provider automatically: customers send no readings for it.
    pub auto_read: bool,
}

/// A reading taken by the billing side (source `billing`).
#[derive(Debug, Clone, PartialEq)]
pub struct ReadingRecord {
    pub branch: String,
    pub account: String,
    pub service: String,
    pub serial: String,
    pub zone: Zone,
    pub period: Period,
    /// Thousandths of the unit.
    pub value: i64,
    pub taken_on: Day,
}

/// The billing side accepted a reading a customer sent (source `portal`).
#[derive(Debug, Clone, PartialEq)]
pub struct AcceptedRecord {
    pub branch: String,
    pub account: String,
    pub service: String,
    pub serial: String,
    pub zone: Zone,
    pub period: Period,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ChargeRecord {
    pub branch: String,
    pub account: String,
    pub period: Period,
    pub service: String,
    pub supplier: String,
    pub zone: Zone,
    /// Thousandths of the unit (0 for fixed charges).
    pub quantity: i64,
    pub price: Kopecks,
    /// May be negative (a recalculation).
    pub amount: Kopecks,
}

#[derive(Debug, Clone, PartialEq)]
pub struct PaymentRecord {
    pub branch: String,
    pub account: String,
    pub supplier: String,
    pub paid_on: Day,
    /// The month the payment counts in.
    pub period: Period,
    pub amount: Kopecks,
    /// «bank», «portal», «post», «cash» …
    pub channel: String,
    /// The payment's identifier in the payer's bank or the provider's system.
    pub reference: String,
}

/// What `kabinet import <kind> <file>` reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Branches,
    Suppliers,
    Services,
    Tariffs,
    Accounts,
    Meters,
    Readings,
    Charges,
    Payments,
    Accepted,
}

impl Kind {
    pub const ALL: [Kind; 10] = [
        Kind::Branches,
        Kind::Suppliers,
        Kind::Services,
        Kind::Tariffs,
        Kind::Accounts,
        Kind::Meters,
        Kind::Readings,
        Kind::Charges,
        Kind::Payments,
        Kind::Accepted,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Kind::Branches => "branches",
            Kind::Suppliers => "suppliers",
            Kind::Services => "services",
            Kind::Tariffs => "tariffs",
            Kind::Accounts => "accounts",
            Kind::Meters => "meters",
            Kind::Readings => "readings",
            Kind::Charges => "charges",
            Kind::Payments => "payments",
            Kind::Accepted => "accepted",
        }
    }

    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

/// The checked rows of one file, of one kind.
#[derive(Debug, Clone, PartialEq)]
pub enum Batch {
    Branches(Vec<Row<BranchRecord>>),
    Suppliers(Vec<Row<SupplierRecord>>),
    Services(Vec<Row<ServiceRecord>>),
    Tariffs(Vec<Row<TariffRecord>>),
    Accounts(Vec<Row<AccountRecord>>),
    Meters(Vec<Row<MeterRecord>>),
    Readings(Vec<Row<ReadingRecord>>),
    Charges(Vec<Row<ChargeRecord>>),
    Payments(Vec<Row<PaymentRecord>>),
    Accepted(Vec<Row<AcceptedRecord>>),
}

impl Batch {
    pub fn len(&self) -> usize {
        match self {
            Batch::Branches(r) => r.len(),
            Batch::Suppliers(r) => r.len(),
            Batch::Services(r) => r.len(),
            Batch::Tariffs(r) => r.len(),
            Batch::Accounts(r) => r.len(),
            Batch::Meters(r) => r.len(),
            Batch::Readings(r) => r.len(),
            Batch::Charges(r) => r.len(),
            Batch::Payments(r) => r.len(),
            Batch::Accepted(r) => r.len(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

/// A row that cannot be imported: its line and why, in Russian.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RowError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for RowError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "строка {}: {}", self.line, self.message)
    }
}
