//! Receipts (U-PAY-11) and tariff documents (U-DET-4) as PDF: the data of a month gathered
//! from the ledger, then drawn by [`crate::utility::receipt_pdf`] off the async runtime.

use super::service::{AccountRow, AccountsService, stored_zone};
use crate::error::{db, internal};
use crate::utility::receipt_pdf::{
    PayeeBlock, ReceiptDocument, ReceiptLine, ReceiptReading, TariffDocument, TariffRow,
    render_receipt, render_tariffs,
};
use shared::requisites::{Bic, CorrespondentAccount, Inn, SettlementAccount};
use shared::utility::billing::{Period, PeriodRange, thousandths};
use shared::utility::payment_qr::{Payee, PaymentRequest, payment_qr_payload};
use shared::{ApiError, Kopecks};

/// A PDF and the name to save it under.
pub struct PdfFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

/// The payee requisites of a branch.
#[derive(sqlx::FromRow)]
struct BranchPayee {
    payee_name: String,
    inn: String,
    kpp: String,
    bank_name: String,
    bic: String,
    settlement_account: String,
    correspondent_account: String,
    address: String,
    phone: String,
}

impl BranchPayee {
    fn block(&self) -> PayeeBlock {
        PayeeBlock {
            name: self.payee_name.clone(),
            inn: self.inn.clone(),
            kpp: self.kpp.clone(),
            bank_name: self.bank_name.clone(),
            bic: self.bic.clone(),
            settlement_account: self.settlement_account.clone(),
            correspondent_account: self.correspondent_account.clone(),
            address: self.address.clone(),
            phone: self.phone.clone(),
        }
    }

    /// The checked requisites of the payment QR code.
    fn payee(&self) -> Result<Payee, ApiError> {
        let bic = Bic::parse(&self.bic).map_err(internal)?;
        Ok(Payee {
            name: self.payee_name.clone(),
            inn: Inn::parse(&self.inn).map_err(internal)?,
            bank_name: self.bank_name.clone(),
            account: SettlementAccount::parse(&self.settlement_account, &bic).map_err(internal)?,
            correspondent_account: CorrespondentAccount::parse(&self.correspondent_account, &bic)
                .map_err(internal)?,
            bic,
        })
    }
}

/// A receipt drawn as the PDF a customer saves: «kvitanciya-<account>-<yyyy-mm>.pdf».
async fn receipt_file(document: ReceiptDocument, period: Period) -> Result<PdfFile, ApiError> {
    let name = format!(
        "kvitanciya-{}-{}.pdf",
        document.account_number,
        period.param()
    );
    Ok(PdfFile {
        name,
        bytes: draw(document, render_receipt).await?,
    })
}

/// Draws off the async runtime (a PDF document is not `Send`).
async fn draw<T: Send + 'static>(
    input: T,
    render: fn(&T) -> anyhow::Result<Vec<u8>>,
) -> Result<Vec<u8>, ApiError> {
    tokio::task::spawn_blocking(move || render(&input))
        .await
        .map_err(internal)?
        .map_err(internal)
}

impl AccountsService {
    /// A month of the history the customer may open (U-PAY-2), or `NotFound`.
    fn allowed_period(&self, period: &str) -> Result<Period, ApiError> {
        Period::parse(period)
            .filter(|p| PeriodRange::allowed(self.current()).contains(*p))
            .ok_or(ApiError::NotFound)
    }

    async fn branch_payee(&self, row: &AccountRow) -> Result<BranchPayee, ApiError> {
        sqlx::query_as::<_, BranchPayee>(
            "SELECT payee_name, inn, kpp, bank_name, bic, settlement_account, \
             correspondent_account, address, phone FROM branches WHERE id = $1",
        )
        .bind(row.branch_id)
        .fetch_one(&self.db.pool)
        .await
        .map_err(db)
    }

    /// Gathers the receipt of a month: opening balance, charges, payments, readings, QR.
    pub async fn receipt_document(
        &self,
        session: &str,
        account: i64,
        period: &str,
    ) -> Result<ReceiptDocument, ApiError> {
        let (_, row) = self.linked(session, account).await?;
        let period = self.allowed_period(period)?;
        self.receipt_document_of(&row, period).await
    }

    /// The receipt of a month of a linked account, whoever asks (the e-receipt job).
    async fn receipt_document_of(
        &self,
        row: &AccountRow,
        period: Period,
    ) -> Result<ReceiptDocument, ApiError> {
        let account = row.id;
        let charges: Vec<(String, String, String, String, i64, i64, i64)> = sqlx::query_as(
            "SELECT s.name, s.unit, p.name, c.zone, c.quantity, c.price, c.amount FROM charges c \
             JOIN services s ON s.id = c.service_id JOIN suppliers p ON p.id = c.supplier_id \
             WHERE c.account_id = $1 AND c.period = $2 ORDER BY p.name, s.name, c.zone",
        )
        .bind(account)
        .bind(period.0)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        if charges.is_empty() {
            return Err(ApiError::NotFound);
        }
        let (charged_before, paid_before, paid): (i64, i64, i64) = sqlx::query_as(concat!(
            "SELECT (SELECT ",
            total!("amount"),
            " FROM charges WHERE account_id = $1 AND period < $2), (SELECT ",
            total!("amount"),
            " FROM payments WHERE account_id = $1 AND period < $2), (SELECT ",
            total!("amount"),
            " FROM payments WHERE account_id = $1 AND period = $2)"
        ))
        .bind(account)
        .bind(period.0)
        .fetch_one(&self.db.pool)
        .await
        .map_err(db)?;
        let readings: Vec<(String, String, String, i64, i64, Option<i64>)> = sqlx::query_as(
            "SELECT s.name, m.serial, r.zone, m.fraction_digits, r.value, \
               (SELECT q.value FROM readings q WHERE q.meter_id = r.meter_id AND q.zone = r.zone \
                AND q.accepted = 1 AND q.period < r.period ORDER BY q.period DESC LIMIT 1) \
             FROM readings r JOIN meters m ON m.id = r.meter_id JOIN services s ON s.id = m.service_id \
             WHERE m.account_id = $1 AND r.period = $2 AND r.accepted = 1 \
             ORDER BY s.name, m.serial, r.zone",
        )
        .bind(account)
        .bind(period.0)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let branch = self.branch_payee(row).await?;
        let charged_total = Kopecks(charges.iter().map(|c| c.6).sum());
        let previous_balance = Kopecks(charged_before - paid_before);
        let total_to_pay = Kopecks(previous_balance.0 + charged_total.0 - paid);
        let qr_payload = if total_to_pay.0 > 0 {
            let payee = branch.payee()?;
            Some(
                payment_qr_payload(&PaymentRequest {
                    payee: &payee,
                    personal_account: &row.number,
                    sum: total_to_pay,
                    month: u8::try_from(period.month()).unwrap_or(1),
                    year: i16::try_from(period.year()).unwrap_or(2000),
                })
                .map_err(internal)?,
            )
        } else {
            None
        };
        Ok(ReceiptDocument {
            payee: branch.block(),
            account_number: row.number.clone(),
            owner_name: row.owner_name.clone(),
            address: row.address.clone(),
            branch: row.branch.clone(),
            period_caption: period.caption(),
            previous_balance,
            lines: charges
                .iter()
                .map(
                    |(service, unit, supplier, zone, quantity, price, amount)| ReceiptLine {
                        service: format!("{service}{}", stored_zone(zone).suffix()),
                        supplier: supplier.clone(),
                        unit: unit.clone(),
                        quantity: if *quantity == 0 {
                            String::new()
                        } else {
                            thousandths(*quantity, 3)
                        },
                        tariff: (*price > 0).then_some(Kopecks(*price)),
                        amount: Kopecks(*amount),
                    },
                )
                .collect(),
            charged_total,
            paid: Kopecks(paid),
            total_to_pay,
            readings: readings
                .iter()
                .map(|(service, serial, zone, fraction, value, previous)| {
                    let digits = u32::try_from(*fraction).unwrap_or(0);
                    ReceiptReading {
                        service: service.clone(),
                        meter_serial: serial.clone(),
                        zone: stored_zone(zone).label().unwrap_or_default().to_string(),
                        previous: previous.map_or_else(String::new, |p| thousandths(p, digits)),
                        current: thousandths(*value, digits),
                        consumption: previous
                            .map_or_else(String::new, |p| thousandths(value - p, digits)),
                    }
                })
                .collect(),
            qr_payload,
            generated_caption: format!("Сформирована {}", self.clock.today().caption()),
        })
    }

    /// The receipt of a month as a PDF.
    pub async fn receipt_pdf(
        &self,
        session: &str,
        account: i64,
        period: &str,
    ) -> Result<PdfFile, ApiError> {
        let document = self.receipt_document(session, account, period).await?;
        let period = Period::parse(period).ok_or(ApiError::NotFound)?;
        receipt_file(document, period).await
    }

    /// The receipt PDF of a month of an account of `person`, linked or detached with its
    /// subscription kept (the monthly e-receipt).
    pub async fn receipt_pdf_of(
        &self,
        person: i64,
        account: i64,
        period: Period,
    ) -> Result<PdfFile, ApiError> {
        let row = self.held_by(person, account).await?;
        let document = self.receipt_document_of(&row, period).await?;
        receipt_file(document, period).await
    }

    /// The newest month with charges of an account (yyyymm; 0 when none).
    pub(crate) async fn latest_charges(&self, account: i64) -> Result<i64, ApiError> {
        let latest: Option<i64> =
            sqlx::query_scalar("SELECT MAX(period) FROM charges WHERE account_id = $1")
                .bind(account)
                .fetch_one(&self.db.pool)
                .await
                .map_err(db)?;
        Ok(latest.unwrap_or(0))
    }

    /// «Документ об утверждении тарифов» of the tariffs that took effect in a month.
    pub async fn tariff_pdf(
        &self,
        session: &str,
        account: i64,
        period: &str,
    ) -> Result<PdfFile, ApiError> {
        let (_, row) = self.linked(session, account).await?;
        let period = Period::parse(period).ok_or(ApiError::NotFound)?;
        let rows: Vec<(String, String, String, i64, String)> = sqlx::query_as(
            "SELECT s.name, t.zone, s.unit, t.price, t.act FROM tariffs t \
             JOIN services s ON s.id = t.service_id \
             WHERE t.branch_id = $1 AND t.valid_from = $2 ORDER BY s.name, t.zone",
        )
        .bind(row.branch_id)
        .bind(period.0)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        if rows.is_empty() {
            return Err(ApiError::NotFound);
        }
        let branch = self.branch_payee(&row).await?;
        let mut acts: Vec<String> = rows.iter().map(|r| r.4.clone()).collect();
        acts.sort();
        acts.dedup();
        let document = TariffDocument {
            title: format!(
                "Тарифы на коммунальные услуги с {}",
                period.caption_genitive()
            ),
            act: acts.join("; "),
            provider: format!("{} — {}", branch.payee_name, row.branch),
            period_caption: period.caption(),
            rows: rows
                .into_iter()
                .map(|(service, zone, unit, price, _)| TariffRow {
                    service,
                    zone: stored_zone(&zone).label().unwrap_or_default().to_string(),
                    unit,
                    price: Kopecks(price),
                    valid_from: period.caption(),
                })
                .collect(),
            generated_caption: format!("Сформирован {}", self.clock.today().caption()),
        };
        Ok(PdfFile {
            name: format!("tarify-{}.pdf", period.param()),
            bytes: draw(document, render_tariffs).await?,
        })
    }
}
