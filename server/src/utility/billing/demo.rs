//! `kabinet demo --accounts N`: a realistic provider to try the portal on and to measure it.
//!
//! Three branches, four suppliers (energy, water, heat, waste), six services, tariffs that
//! change every 6–12 months, one- and two-zone electricity meters, water meters, 36 months of
//! readings, charges and payments. Payers differ: most pay in full, some are late (a debt),
//! some round up (an overpayment).
//!
//! The data of each account is a function of its number and of how many months ago a month
//! was, not of the calendar: the last months look the same whenever the demo is generated,
//! so the binding proofs of the showcase accounts (listed in the README) do not change.

use super::records::*;
use super::store::{StoreError, store_in};
use crate::db::Db;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use shared::Kopecks;
use shared::requisites::{Bic, CorrespondentAccount, Inn, SettlementAccount};
use shared::utility::billing::{Day, Period, Stove, Zone, days_in_month};

/// How many accounts are generated and stored per transaction.
const CHUNK: usize = 500;

#[derive(Debug, Clone)]
pub struct DemoOptions {
    pub accounts: usize,
    /// Months of history (36 by default).
    pub months: i32,
}

/// How an account's holder pays.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Payer {
    /// Pays every charge in full: nothing owed.
    Exact,
    /// Rounds every payment up to whole hundreds of roubles: an overpayment.
    RoundsUp,
    /// Has not paid the last two months: a debt.
    Late,
}

/// A demo account worth naming in the README: its number, branch and binding proof.
#[derive(Debug, Clone)]
pub struct Showcase {
    pub index: usize,
    pub branch_code: &'static str,
    pub branch_name: &'static str,
    pub number: String,
    pub payer: Payer,
    pub two_zone: bool,
    /// Bound to the demo customer in development.
    pub bound: bool,
    /// The charges of the last month: the proof of [+ Добавить лицевой счет].
    pub proof: Kopecks,
}

/// The first ten accounts have fixed traits; the first three are the demo customer's, the
/// last four owe money to whoever binds them (the payment journeys of the browser tests).
const SHOWCASE: [(Payer, bool, bool); 10] = [
    (Payer::Late, true, true),
    (Payer::RoundsUp, false, true),
    (Payer::Exact, false, true),
    (Payer::Late, false, false),
    (Payer::Exact, true, false),
    (Payer::RoundsUp, false, false),
    (Payer::Late, false, false),
    (Payer::Late, true, false),
    (Payer::Late, false, false),
    (Payer::Late, true, false),
];

const BRANCHES: [(&str, &str, &str, &str); 3] = [
    (
        "CEN",
        "Центральное отделение",
        "г. Рязань, ул. Садовая, д. 10",
        "+7 (4912) 20-00-01",
    ),
    (
        "SEV",
        "Северное отделение",
        "г. Рязань, ул. Высоковольтная, д. 42",
        "+7 (4912) 20-00-02",
    ),
    (
        "YUG",
        "Южное отделение",
        "г. Рязань, Московское шоссе, д. 20",
        "+7 (4912) 20-00-03",
    ),
];

/// (code, name, unit, metered, supplier code)
const SERVICES: [(&str, &str, &str, bool, &str); 6] = [
    ("EL", "Электроэнергия", "кВт·ч", true, "ENERGO"),
    ("HVS", "Холодное водоснабжение", "м³", true, "VODA"),
    ("GVS", "Горячее водоснабжение", "м³", true, "TEPLO"),
    ("VO", "Водоотведение", "м³", false, "VODA"),
    ("OTOP", "Отопление", "Гкал", false, "TEPLO"),
    ("TKO", "Обращение с ТКО", "чел.", false, "TKO"),
];

const SUPPLIERS: [(&str, &str, &str); 4] = [
    ("ENERGO", "ПАО «Энергосбыт»", "6229000105"),
    ("VODA", "МУП «Водоканал»", "6227000292"),
    ("TEPLO", "АО «Теплосеть»", "6229054695"),
    (
        "TKO",
        "ООО «Экология» (региональный оператор)",
        "6234000014",
    ),
];

const STREETS: [&str; 8] = [
    "ул. Ленина",
    "ул. Гагарина",
    "Первомайский пр-т",
    "ул. Есенина",
    "ул. Циолковского",
    "ул. Новаторов",
    "ул. Шереметьевская",
    "ул. Зубковой",
];
const LAST_NAMES: [&str; 8] = [
    "Иванов",
    "Смирнов",
    "Кузнецов",
    "Попов",
    "Васильев",
    "Петров",
    "Соколов",
    "Михайлов",
];
const FIRST_NAMES: [&str; 6] = ["Иван", "Алексей", "Сергей", "Дмитрий", "Андрей", "Павел"];
const PATRONYMICS: [&str; 5] = [
    "Иванович",
    "Петрович",
    "Сергеевич",
    "Алексеевич",
    "Николаевич",
];

/// The account number of the `index`-th demo account (1-based): branch digit and 8 digits.
pub fn account_number(index: usize) -> String {
    format!("{}{:08}", (index - 1) % 3 + 1, index)
}

fn branch_of(index: usize) -> usize {
    (index - 1) % 3
}

/// A number with its last digit chosen so that `valid` accepts it.
fn with_check_digit<T>(stem: &str, valid: impl Fn(&str) -> Option<T>) -> anyhow::Result<T> {
    (0..10)
        .find_map(|d| valid(&format!("{stem}{d}")))
        .ok_or_else(|| anyhow::anyhow!("no check digit makes {stem}? valid"))
}

/// A settlement account at `bic` whose control digit (the 9th) is computed.
fn settlement_account(bic: &Bic, branch: usize) -> anyhow::Result<SettlementAccount> {
    (0..10)
        .find_map(|d| {
            SettlementAccount::parse(&format!("40702810{d}0000000000{}", branch + 1), bic).ok()
        })
        .ok_or_else(|| anyhow::anyhow!("no control digit for the demo settlement account"))
}

fn reference_batches() -> anyhow::Result<Vec<Batch>> {
    let bic = Bic::parse("044525225")?;
    let correspondent = CorrespondentAccount::parse("30101810400000000225", &bic)?;
    let inn = with_check_digit("622900012", |s| Inn::parse(s).ok())?;
    let mut branches = Vec::new();
    for (i, (code, name, address, phone)) in BRANCHES.iter().enumerate() {
        branches.push(Row {
            line: 0,
            record: BranchRecord {
                code: code.to_string(),
                name: name.to_string(),
                address: address.to_string(),
                phone: phone.to_string(),
                payee_name: "ООО «Расчетный центр»".to_string(),
                inn: inn.clone(),
                kpp: "622901001".to_string(),
                bank_name: "ПАО Сбербанк".to_string(),
                bic: bic.clone(),
                settlement_account: settlement_account(&bic, i)?,
                correspondent_account: correspondent.clone(),
                reading_from_day: 15,
                reading_to_day: 25,
            },
        });
    }
    let suppliers = SUPPLIERS
        .iter()
        .map(|(code, name, inn)| {
            Ok(Row {
                line: 0,
                record: SupplierRecord {
                    code: code.to_string(),
                    name: name.to_string(),
                    inn: Some(with_check_digit(&inn[..9], |s| Inn::parse(s).ok())?),
                },
            })
        })
        .collect::<anyhow::Result<Vec<_>>>()?;
    let services = SERVICES
        .iter()
        .map(|(code, name, unit, metered, _)| Row {
            line: 0,
            record: ServiceRecord {
                code: code.to_string(),
                name: name.to_string(),
                unit: unit.to_string(),
                metered: *metered,
            },
        })
        .collect();
    Ok(vec![
        Batch::Branches(branches),
        Batch::Suppliers(suppliers),
        Batch::Services(services),
    ])
}

/// (service, zone, base price in kopecks per unit)
const BASE_PRICES: [(&str, Zone, i64); 8] = [
    ("EL", Zone::Single, 560),
    ("EL", Zone::Day, 620),
    ("EL", Zone::Night, 310),
    ("HVS", Zone::Single, 3_850),
    ("GVS", Zone::Single, 21_500),
    ("VO", Zone::Single, 2_980),
    ("OTOP", Zone::Single, 241_000),
    ("TKO", Zone::Single, 11_200),
];

/// The months ago (1 = last month) at which tariffs change, oldest first: every 6–12 months,
/// starting before the history does.
fn tariff_changes(months: i32) -> Vec<i32> {
    let mut rng = StdRng::seed_from_u64(7);
    let mut ago = months + 4;
    let mut changes = vec![ago];
    loop {
        ago -= rng.random_range(6..=12);
        if ago < 1 {
            return changes;
        }
        changes.push(ago);
    }
}

/// The price of a service's zone in force `ago` months back, for a branch.
struct Tariffs {
    changes: Vec<i32>,
}

impl Tariffs {
    /// How many rises happened up to `ago`.
    fn step(&self, ago: i32) -> i64 {
        self.changes.iter().filter(|c| **c >= ago).count() as i64 - 1
    }

    fn price(&self, branch: usize, service: &str, zone: Zone, ago: i32) -> Kopecks {
        let base = BASE_PRICES
            .iter()
            .find(|(s, z, _)| *s == service && *z == zone)
            .map_or(100, |(_, _, p)| *p);
        // Each change raises prices by about 6 %, branches differ by 2 %.
        let mut price = base * (100 + 2 * branch as i64) / 100;
        for _ in 0..self.step(ago) {
            price = price * 106 / 100;
        }
        Kopecks(price)
    }

    fn batch(&self, today: Period) -> Batch {
        let mut rows = Vec::new();
        for (b, (code, ..)) in BRANCHES.iter().enumerate() {
            for (n, ago) in self.changes.iter().enumerate() {
                for (service, zone, _) in BASE_PRICES {
                    rows.push(Row {
                        line: 0,
                        record: TariffRecord {
                            branch: code.to_string(),
                            service: service.to_string(),
                            zone,
                            valid_from: today.add_months(-ago),
                            price: self.price(b, service, zone, *ago),
                            act: format!(
                                "Постановление ГУ РЭК Рязанской области № {}-{} от 20.{}",
                                30 + n * 7,
                                service.to_lowercase(),
                                today.add_months(-ago - 1).short()
                            ),
                        },
                    });
                }
            }
        }
        Batch::Tariffs(rows)
    }
}

/// Everything generated for a chunk of accounts.
#[derive(Default)]
struct Chunk {
    accounts: Vec<Row<AccountRecord>>,
    meters: Vec<Row<MeterRecord>>,
    readings: Vec<Row<ReadingRecord>>,
    charges: Vec<Row<ChargeRecord>>,
    payments: Vec<Row<PaymentRecord>>,
}

fn row<T>(record: T) -> Row<T> {
    Row { line: 0, record }
}

fn supplier_of(service: &str) -> &'static str {
    SERVICES
        .iter()
        .find(|s| s.0 == service)
        .map_or("VODA", |s| s.4)
}

/// Money for a quantity in thousandths at a price per unit, rounded to the kopeck.
fn cost(quantity: i64, price: Kopecks) -> Kopecks {
    Kopecks((quantity * price.0 + 500) / 1000)
}

/// The payer profile and meter kind of an account.
fn traits(index: usize) -> (Payer, bool) {
    if let Some((payer, two_zone, _)) = SHOWCASE.get(index - 1) {
        return (*payer, *two_zone);
    }
    let mut rng = StdRng::seed_from_u64(index as u64);
    let payer = match rng.random_range(0..10) {
        0..=5 => Payer::Exact,
        6 | 7 => Payer::RoundsUp,
        _ => Payer::Late,
    };
    (payer, rng.random_bool(0.3))
}

/// Generates one account's records; returns the charges of its last month.
fn generate_account(
    index: usize,
    today: Day,
    months: i32,
    tariffs: &Tariffs,
    out: &mut Chunk,
) -> Kopecks {
    let current = today.period();
    let mut rng = StdRng::seed_from_u64(0x6b61_6269_6e65_7400 ^ index as u64);
    let b = branch_of(index);
    let branch = BRANCHES[b].0.to_string();
    let number = account_number(index);
    let (payer, two_zone) = traits(index);
    let rooms = rng.random_range(1..=4_i64);
    let total_area = 2_800 + rooms * 1_700 + rng.random_range(0..900_i64);
    let residents = rng.random_range(1..=4_i64);
    let name = format!(
        "{} {} {}",
        LAST_NAMES[rng.random_range(0..LAST_NAMES.len())],
        FIRST_NAMES[rng.random_range(0..FIRST_NAMES.len())],
        PATRONYMICS[rng.random_range(0..PATRONYMICS.len())]
    );
    let address = format!(
        "г. Рязань, {}, д. {}, кв. {}",
        STREETS[rng.random_range(0..STREETS.len())],
        rng.random_range(1..=120),
        rng.random_range(1..=180)
    );
    out.accounts.push(row(AccountRecord {
        branch: branch.clone(),
        number: number.clone(),
        address,
        owner_name: name,
        total_area,
        living_area: total_area * 62 / 100,
        owners: rng.random_range(1..=2),
        residents,
        rooms,
        stove: if rng.random_bool(0.25) {
            Stove::Electric
        } else {
            Stove::Gas
        },
        electric_heating: false,
        e_receipt_allowed: true,
    }));
    let start = current.add_months(-months - 1);
    let installed = Day {
        year: start.year(),
        month: start.month(),
        day: 3,
    };
    let verified = Day {
        year: current.year() + 4,
        month: start.month(),
        day: 3,
    };
    // (service, serial, zones, digits, fraction digits, monthly consumption range per zone)
    let el_zones: &[Zone] = if two_zone {
        &[Zone::Day, Zone::Night]
    } else {
        &[Zone::Single]
    };
    let meters = [
        ("EL", format!("{:08}", 10_000_000 + index), el_zones, 6, 0),
        ("HVS", format!("В{:07}", index), &[Zone::Single][..], 5, 3),
        ("GVS", format!("Г{:07}", index), &[Zone::Single][..], 5, 3),
    ];
    let places = ["Лестничная площадка", "Санузел", "Санузел"];
    // Cumulative readings per meter zone, in thousandths.
    let mut totals: Vec<Vec<i64>> = meters
        .iter()
        .map(|(_, _, zones, ..)| {
            zones
                .iter()
                .map(|_| rng.random_range(1_000..20_000_i64) * 1000)
                .collect()
        })
        .collect();
    for ((service, serial, zones, digits, fraction), place) in meters.iter().zip(places) {
        out.meters.push(row(MeterRecord {
            branch: branch.clone(),
            account: number.clone(),
            service: service.to_string(),
            serial: serial.clone(),
            zones: zones.len() as u32,
            digits: *digits,
            fraction_digits: *fraction,
            installed_on: installed,
            verified_until: verified,
            place: place.to_string(),
            removed_on: None,
            auto_read: false,
        }));
    }
    let mut last_month = Kopecks::ZERO;
    // Per supplier, what each month's charges came to, to pay them the month after.
    for ago in (1..=months).rev() {
        let period = current.add_months(-ago);
        let mut month_rng = StdRng::seed_from_u64((index as u64) << 8 ^ ago as u64);
        let mut by_supplier: Vec<(&'static str, i64)> = Vec::new();
        let mut add = |supplier: &'static str, amount: Kopecks| match by_supplier
            .iter_mut()
            .find(|(s, _)| *s == supplier)
        {
            Some((_, total)) => *total += amount.0,
            None => by_supplier.push((supplier, amount.0)),
        };
        let mut water = 0;
        for (m, (service, serial, zones, _, fraction)) in meters.iter().enumerate() {
            for (z, zone) in zones.iter().enumerate() {
                let used = match (*service, zone) {
                    ("EL", Zone::Night) => month_rng.random_range(50..=120) * 1000,
                    ("EL", _) => month_rng.random_range(120..=260) * 1000,
                    ("HVS", _) => month_rng.random_range(3_000..=9_000),
                    _ => month_rng.random_range(1_500..=5_000),
                };
                // Readings keep the meter's precision.
                let step = 10_i64.pow(3 - fraction.min(&3));
                let used = used / step * step;
                totals[m][z] += used;
                if *service != "EL" {
                    water += used;
                }
                let price = tariffs.price(b, service, *zone, ago);
                let amount = cost(used, price);
                out.readings.push(row(ReadingRecord {
                    branch: branch.clone(),
                    account: number.clone(),
                    service: service.to_string(),
                    serial: serial.clone(),
                    zone: *zone,
                    period,
                    value: totals[m][z],
                    taken_on: Day {
                        year: period.year(),
                        month: period.month(),
                        day: days_in_month(period.year(), period.month()),
                    },
                }));
                out.charges.push(row(ChargeRecord {
                    branch: branch.clone(),
                    account: number.clone(),
                    period,
                    service: service.to_string(),
                    supplier: supplier_of(service).to_string(),
                    zone: *zone,
                    quantity: used,
                    price,
                    amount,
                }));
                add(supplier_of(service), amount);
            }
        }
        // Unmetered services: sewerage by the water used, heating evenly over the year by the
        // area, waste by the residents.
        let heat = total_area * 213 / 100; // 0.0213 Гкал per m², in thousandths
        for (service, quantity) in [("VO", water), ("OTOP", heat), ("TKO", residents * 1000)] {
            let price = tariffs.price(b, service, Zone::Single, ago);
            let amount = cost(quantity, price);
            out.charges.push(row(ChargeRecord {
                branch: branch.clone(),
                account: number.clone(),
                period,
                service: service.to_string(),
                supplier: supplier_of(service).to_string(),
                zone: Zone::Single,
                quantity,
                price,
                amount,
            }));
            add(supplier_of(service), amount);
        }
        last_month = Kopecks(by_supplier.iter().map(|(_, a)| a).sum());
        // The month's charges are paid in the month after (the late payer skipped the last two).
        if payer == Payer::Late && ago <= 2 {
            continue;
        }
        let paid_in = period.add_months(1);
        let mut day = month_rng.random_range(5..=25);
        if paid_in == current {
            day = day.min(today.day);
        }
        for (supplier, amount) in by_supplier {
            let amount = match payer {
                Payer::RoundsUp => (amount / 10_000 + 1) * 10_000,
                _ => amount,
            };
            out.payments.push(row(PaymentRecord {
                branch: branch.clone(),
                account: number.clone(),
                supplier: supplier.to_string(),
                paid_on: Day {
                    year: paid_in.year(),
                    month: paid_in.month(),
                    day,
                },
                period: paid_in,
                amount: Kopecks(amount),
                channel: if index.is_multiple_of(4) {
                    "post"
                } else {
                    "bank"
                }
                .to_string(),
                reference: format!("DEMO-{number}-{}", paid_in.0),
            }));
        }
    }
    if index == ROLLING_OVER {
        roll_near_the_top(&mut out.readings, &meters[2].1);
    }
    last_month
}

/// The showcase account whose hot-water dial stands just below its top (99 997), so that the
/// next reading rolls over.
const ROLLING_OVER: usize = 2;

/// Shifts a meter's readings so that the last one is 99 997 on its five-digit dial.
fn roll_near_the_top(readings: &mut [Row<ReadingRecord>], serial: &str) {
    let Some(last) = readings
        .iter()
        .filter(|r| r.record.serial == serial)
        .map(|r| r.record.value)
        .max()
    else {
        return;
    };
    let offset = 99_997_000 - last;
    for r in readings.iter_mut().filter(|r| r.record.serial == serial) {
        r.record.value += offset;
    }
}

/// Generates and stores the demo provider. `progress` hears the number of accounts stored.
/// Returns the showcase accounts.
pub async fn generate(
    db: &Db,
    today: Day,
    options: &DemoOptions,
    progress: impl Fn(usize),
) -> Result<Vec<Showcase>, StoreError> {
    let months = options.months.clamp(1, 120);
    let tariffs = Tariffs {
        changes: tariff_changes(months),
    };
    let mut tx = db.begin().await?;
    for batch in reference_batches().map_err(|e| {
        StoreError::Rows(vec![RowError {
            line: 0,
            message: e.to_string(),
        }])
    })? {
        store_in(&mut tx, &batch).await?;
    }
    store_in(&mut tx, &tariffs.batch(today.period())).await?;
    tx.commit().await?;
    let mut showcase = Vec::new();
    let mut index = 1;
    while index <= options.accounts {
        let end = (index + CHUNK).min(options.accounts + 1);
        let mut chunk = Chunk::default();
        for i in index..end {
            let proof = generate_account(i, today, months, &tariffs, &mut chunk);
            if let Some((payer, two_zone, bound)) = SHOWCASE.get(i - 1) {
                let (code, name, ..) = BRANCHES[branch_of(i)];
                showcase.push(Showcase {
                    index: i,
                    branch_code: code,
                    branch_name: name,
                    number: account_number(i),
                    payer: *payer,
                    two_zone: *two_zone,
                    bound: *bound,
                    proof,
                });
            }
        }
        let mut tx = db.begin().await?;
        store_in(&mut tx, &Batch::Accounts(chunk.accounts)).await?;
        store_in(&mut tx, &Batch::Meters(chunk.meters)).await?;
        store_in(&mut tx, &Batch::Readings(chunk.readings)).await?;
        store_in(&mut tx, &Batch::Charges(chunk.charges)).await?;
        store_in(&mut tx, &Batch::Payments(chunk.payments)).await?;
        tx.commit().await?;
        progress(end - 1);
        index = end;
    }
    Ok(showcase)
}

/// The showcase accounts of demo data already stored (their proofs read from the database).
pub async fn showcase_from(db: &Db) -> anyhow::Result<Vec<Showcase>> {
    let mut showcase = Vec::new();
    for (i, (payer, two_zone, bound)) in SHOWCASE.iter().enumerate() {
        let index = i + 1;
        let (code, name, ..) = BRANCHES[branch_of(index)];
        let number = account_number(index);
        let proof: Option<i64> = sqlx::query_scalar(
            "SELECT CAST(SUM(c.amount) AS BIGINT) FROM charges c \
             JOIN accounts a ON a.id = c.account_id JOIN branches b ON b.id = a.branch_id \
             WHERE b.code = $1 AND a.number = $2 AND c.period = \
               (SELECT MAX(period) FROM charges WHERE account_id = a.id)",
        )
        .bind(code)
        .bind(&number)
        .fetch_optional(&db.pool)
        .await?
        .flatten();
        if let Some(proof) = proof {
            showcase.push(Showcase {
                index,
                branch_code: code,
                branch_name: name,
                number,
                payer: *payer,
                two_zone: *two_zone,
                bound: *bound,
                proof: Kopecks(proof),
            });
        }
    }
    Ok(showcase)
}

/// The demo customer of development mode.
pub const DEMO_PHONE: &str = "+79000000001";
pub const DEMO_EMAIL: &str = "demo@kabinet.local";
pub const DEMO_PASSWORD: &str = "Demo-2026!";
/// The password of the demo back-office team (development only).
pub const DEMO_STAFF_PASSWORD: &str = "Staff-2026!";

/// Creates the demo customer (once) and binds the showcase accounts meant for them.
/// Returns the person's id.
pub async fn ensure_customer(
    db: &Db,
    identity: &crate::identity::IdentityService,
    showcase: &[Showcase],
    now: i64,
) -> anyhow::Result<i64> {
    let existing: Option<i64> = sqlx::query_scalar("SELECT id FROM people WHERE phone = $1")
        .bind(DEMO_PHONE)
        .fetch_optional(&db.pool)
        .await?;
    let person = match existing {
        Some(id) => id,
        None => identity
            .create_person(crate::identity::NewPerson {
                last_name: "Демонстрационный".to_string(),
                first_name: "Клиент".to_string(),
                phone: shared::contact::Phone::parse(DEMO_PHONE)?,
                email: shared::contact::Email::parse(DEMO_EMAIL)?,
                email_confirmed: true,
                password: DEMO_PASSWORD.to_string(),
            })
            .await
            .map_err(|e| anyhow::anyhow!("cannot create the demo customer: {e}"))?,
    };
    for (n, account) in showcase.iter().filter(|s| s.bound).enumerate() {
        sqlx::query(
            "INSERT INTO account_links (person_id, account_id, created_at) \
             SELECT $1, a.id, $2 FROM accounts a JOIN branches b ON b.id = a.branch_id \
             WHERE b.code = $3 AND a.number = $4 \
             ON CONFLICT (person_id, account_id) DO NOTHING",
        )
        .bind(person)
        .bind(now + n as i64)
        .bind(account.branch_code)
        .bind(&account.number)
        .execute(&db.pool)
        .await?;
    }
    Ok(person)
}

impl Payer {
    /// How the README and the command describe the account's balance.
    pub fn caption(self) -> &'static str {
        match self {
            Payer::Exact => "задолженность отсутствует",
            Payer::RoundsUp => "переплата",
            Payer::Late => "долг за два месяца",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn account_numbers_name_their_branch() {
        assert_eq!(account_number(1), "100000001");
        assert_eq!(account_number(2), "200000002");
        assert_eq!(account_number(300), "300000300");
        assert!(shared::utility::billing::check_account_number(&account_number(1_000_000)).is_ok());
    }

    #[test]
    fn tariffs_change_every_six_to_twelve_months() {
        let changes = tariff_changes(36);
        assert!(changes[0] > 36, "the first tariff precedes the history");
        for pair in changes.windows(2) {
            assert!((6..=12).contains(&(pair[0] - pair[1])), "{changes:?}");
        }
        let t = Tariffs { changes };
        assert!(t.price(0, "EL", Zone::Single, 1) > t.price(0, "EL", Zone::Single, 36));
        assert!(t.price(0, "EL", Zone::Night, 1) < t.price(0, "EL", Zone::Day, 1));
    }

    #[test]
    fn the_last_months_do_not_depend_on_the_calendar() {
        let t = Tariffs {
            changes: tariff_changes(36),
        };
        let mut a = Chunk::default();
        let mut b = Chunk::default();
        let nov = Day {
            year: 2026,
            month: 11,
            day: 22,
        };
        let mar = Day {
            year: 2027,
            month: 3,
            day: 22,
        };
        let proof_a = generate_account(4, nov, 36, &t, &mut a);
        let proof_b = generate_account(4, mar, 36, &t, &mut b);
        assert_eq!(proof_a, proof_b);
        assert!(proof_a.0 > 0);
        assert_eq!(a.charges.len(), b.charges.len());
    }

    #[test]
    fn payers_leave_what_they_should() {
        let t = Tariffs {
            changes: tariff_changes(36),
        };
        let today = Day {
            year: 2026,
            month: 11,
            day: 22,
        };
        for (index, expect) in [(1, 1), (2, -1), (3, 0)] {
            let mut c = Chunk::default();
            generate_account(index, today, 36, &t, &mut c);
            let charged: i64 = c.charges.iter().map(|r| r.record.amount.0).sum();
            let paid: i64 = c.payments.iter().map(|r| r.record.amount.0).sum();
            assert_eq!((charged - paid).signum(), expect, "account {index}");
        }
        let mut c = Chunk::default();
        generate_account(2, today, 36, &t, &mut c);
        let hot: Vec<i64> = c
            .readings
            .iter()
            .filter(|r| r.record.service == "GVS")
            .map(|r| r.record.value)
            .collect();
        assert_eq!(hot.last(), Some(&99_997_000), "the next reading rolls over");
        assert!(hot.windows(2).all(|w| w[1] > w[0]) && hot[0] > 0);
        let mut c = Chunk::default();
        generate_account(1, today, 36, &t, &mut c);
        assert_eq!(c.meters.iter().filter(|m| m.record.zones == 2).count(), 1);
        // Readings grow by what was charged.
        let night: Vec<i64> = c
            .readings
            .iter()
            .filter(|r| r.record.zone == Zone::Night)
            .map(|r| r.record.value)
            .collect();
        assert!(night.windows(2).all(|w| w[1] > w[0]));
    }
}
