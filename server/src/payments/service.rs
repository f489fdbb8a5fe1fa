//! The customer's payments: the payment page's lines, orders created once per idempotency
//! key, the acquirer's notifications (authenticated, applied once, final statuses kept),
//! entering a succeeded payment into the ledger, and autopay.

use super::acquirer::*;
use crate::clock::Clock;
use crate::db::Db;
use crate::error::{db, internal};
use crate::identity::IdentityService;
use crate::notify::{Channel, Message, Notifier};
use crate::utility::billing::service::AccountsService;
use app::ports::{PaymentRequest, PaymentStart, PaymentsPort};
use async_trait::async_trait;
use shared::payments::*;
use shared::{ApiError, FieldError, Kopecks};
use std::sync::Arc;

/// How long a page may wait for the acquirer's answer before it asks the acquirer itself.
const STATUS_CHECK_AFTER_SECS: i64 = 5;

pub struct PaymentsService {
    db: Db,
    clock: Arc<dyn Clock>,
    identity: Arc<IdentityService>,
    accounts: Arc<AccountsService>,
    notifier: Arc<dyn Notifier>,
    acquirer: Option<Arc<dyn Acquirer>>,
    public_url: String,
    maximum: Kopecks,
}

/// Why a notification was not accepted (the acquirer gets an error status and retries).
#[derive(Debug, thiserror::Error)]
pub enum CallbackRefusal {
    #[error("no such acquirer")]
    UnknownAcquirer,
    #[error(transparent)]
    Invalid(#[from] CallbackError),
    #[error("amount {got} does not match the payment's {expected}")]
    AmountMismatch { expected: i64, got: i64 },
    #[error("storage failed")]
    Storage,
}

#[derive(sqlx::FromRow)]
struct OrderRow {
    id: i64,
    number: String,
    person_id: Option<i64>,
    method: String,
    amount: i64,
    status: String,
    acquirer: String,
    reference: Option<String>,
    link: Option<String>,
    expires_at: Option<i64>,
    receipt_email: Option<String>,
    checked_at: Option<i64>,
    case_id: Option<i64>,
}

const ORDER_COLUMNS: &str = "id, number, person_id, method, amount, status, acquirer, reference, \
     link, expires_at, receipt_email, checked_at, case_id FROM payment_orders";

/// What the customer is told when the acquirer refuses or cannot be reached.
fn acquirer_failure(error: AcquirerError) -> ApiError {
    match error {
        AcquirerError::Refused(_) => ApiError::refused(
            "Банк не принял платеж. Повторите попытку позже или выберите другой способ оплаты.",
        ),
        AcquirerError::Unavailable(_) => ApiError::Unavailable,
    }
}

fn unavailable_payments() -> ApiError {
    ApiError::refused("Оплата в личном кабинете временно недоступна.")
}

fn new_number(prefix: char) -> String {
    format!("{prefix}{:012}", rand::random::<u64>() % 1_000_000_000_000)
}

impl PaymentsService {
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        db: Db,
        clock: Arc<dyn Clock>,
        identity: Arc<IdentityService>,
        accounts: Arc<AccountsService>,
        notifier: Arc<dyn Notifier>,
        acquirer: Option<Arc<dyn Acquirer>>,
        public_url: &str,
        maximum: Kopecks,
    ) -> Self {
        Self {
            db,
            clock,
            identity,
            accounts,
            notifier,
            acquirer,
            public_url: public_url.trim_end_matches('/').to_string(),
            maximum,
        }
    }

    fn acquirer(&self) -> Result<&Arc<dyn Acquirer>, ApiError> {
        self.acquirer.as_ref().ok_or_else(unavailable_payments)
    }

    fn notification_url(&self, acquirer: &dyn Acquirer) -> String {
        format!("{}/payments/callback/{}", self.public_url, acquirer.name())
    }

    /// The lines of the payment page: each supplier of each account with its balance.
    async fn lines(&self, person: i64, account: Option<i64>) -> Result<Vec<PayLine>, ApiError> {
        let accounts = match account {
            Some(id) => vec![self.accounts.linked_to(person, id).await?],
            None => self.accounts.accounts_of(person).await?,
        };
        let mut lines = Vec::new();
        for a in accounts {
            let rows: Vec<(i64, String, i64, i64)> = sqlx::query_as(concat!(
                "SELECT s.id, s.name, ",
                total!("x.charged"),
                ", ",
                total!("x.paid"),
                " FROM (SELECT supplier_id, amount AS charged, 0 AS paid FROM charges \
                 WHERE account_id = $1 \
                 UNION ALL SELECT supplier_id, 0 AS charged, amount AS paid FROM payments \
                 WHERE account_id = $1) x JOIN suppliers s ON s.id = x.supplier_id \
                 GROUP BY s.id, s.name ORDER BY s.name"
            ))
            .bind(a.id)
            .fetch_all(&self.db.pool)
            .await
            .map_err(db)?;
            lines.extend(
                rows.into_iter()
                    .map(|(supplier_id, supplier, charged, paid)| PayLine {
                        account: a.id,
                        account_number: a.number.clone(),
                        supplier_id,
                        supplier,
                        balance: Kopecks(charged - paid),
                    }),
            );
        }
        Ok(lines)
    }

    async fn contact(&self, person: i64) -> Result<Option<(String, Option<String>)>, ApiError> {
        crate::notify::person_contact(&self.db, person).await
    }

    async fn confirmed_email(&self, person: i64) -> Result<Option<String>, ApiError> {
        Ok(self.contact(person).await?.and_then(|(_, email)| email))
    }

    async fn find_order(&self, person: i64, key: &str) -> Result<Option<OrderRow>, ApiError> {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ORDER_COLUMNS} WHERE person_id = $1 AND idempotency_key = $2"
        )))
        .bind(person)
        .bind(key)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)
    }

    async fn order_by_id(&self, id: i64) -> Result<Option<OrderRow>, ApiError> {
        sqlx::query_as(sqlx::AssertSqlSafe(format!(
            "SELECT {ORDER_COLUMNS} WHERE id = $1"
        )))
        .bind(id)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)
    }

    /// Stores a new order with its lines, unless the person already has one under `key`.
    /// Returns the order and whether it is new. A shop order (`shop`: its case and price) has
    /// no lines: its price enters no account's ledger.
    #[allow(clippy::too_many_arguments)]
    async fn insert_order(
        &self,
        person: i64,
        key: &str,
        method: PaymentMethod,
        lines: &[(i64, i64, Kopecks)],
        receipt_email: Option<&str>,
        shop: Option<(i64, Kopecks)>,
    ) -> Result<(OrderRow, bool), ApiError> {
        if let Some(existing) = self.find_order(person, key).await? {
            return Ok((existing, false));
        }
        let acquirer = self.acquirer()?.name();
        let total: i64 = match shop {
            Some((_, price)) => price.0,
            None => lines.iter().map(|(_, _, k)| k.0).sum(),
        };
        let now = self.clock.unix();
        let mut tx = self.db.begin().await.map_err(db)?;
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO payment_orders (number, person_id, idempotency_key, method, amount, \
             acquirer, receipt_email, created_at, updated_at, case_id) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, $9) \
             ON CONFLICT (person_id, idempotency_key) DO NOTHING RETURNING id",
        )
        .bind(new_number('P'))
        .bind(person)
        .bind(key)
        .bind(method.code())
        .bind(total)
        .bind(acquirer)
        .bind(receipt_email)
        .bind(now)
        .bind(shop.map(|(case, _)| case))
        .fetch_optional(&mut *tx)
        .await
        .map_err(db)?;
        let Some((id,)) = inserted else {
            // Another request with the same key got there first.
            drop(tx);
            let existing = self.find_order(person, key).await?.ok_or_else(|| {
                internal(format!("order under key {key} vanished after a conflict"))
            })?;
            return Ok((existing, false));
        };
        for (account, supplier, amount) in lines {
            sqlx::query(
                "INSERT INTO payment_order_lines (order_id, account_id, supplier_id, amount) \
                 VALUES ($1, $2, $3, $4)",
            )
            .bind(id)
            .bind(account)
            .bind(supplier)
            .bind(amount.0)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)?;
        let order = self
            .order_by_id(id)
            .await?
            .ok_or_else(|| internal(format!("order {id} vanished")))?;
        Ok((order, true))
    }

    async fn description(&self, order: i64) -> Result<String, ApiError> {
        let numbers: Vec<(String,)> = sqlx::query_as(
            "SELECT DISTINCT a.number FROM payment_order_lines l \
             JOIN accounts a ON a.id = l.account_id WHERE l.order_id = $1 ORDER BY a.number",
        )
        .bind(order)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let numbers: Vec<String> = numbers.into_iter().map(|(n,)| n).collect();
        if numbers.is_empty() {
            // A shop order: no ledger lines, its case names it.
            let case: Option<String> = sqlx::query_scalar(
                "SELECT c.number FROM payment_orders o JOIN cases c ON c.id = o.case_id WHERE o.id = $1",
            )
            .bind(order)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(db)?;
            return Ok(format!("Оплата заказа № {}", case.unwrap_or_default()));
        }
        Ok(format!("Оплата по л/с {}", numbers.join(", ")))
    }

    /// What the acquirer is asked to take for an order: its number, amount and accounts,
    /// the way back to the payment's page and the address of the notifications.
    async fn new_payment(
        &self,
        acquirer: &dyn Acquirer,
        order: &OrderRow,
        method: PaymentMethod,
    ) -> Result<NewPayment, ApiError> {
        let description = self.description(order.id).await?;
        Ok(NewPayment {
            order: order.number.clone(),
            amount: Kopecks(order.amount),
            description: match method {
                PaymentMethod::Autopay => format!("Автоплатеж: {description}"),
                _ => description,
            },
            method,
            return_url: format!("{}/payments/{}", self.public_url, order.id),
            notification_url: self.notification_url(acquirer),
            customer: order.person_id.unwrap_or_default().to_string(),
        })
    }

    /// Asks the acquirer for the link of a new order and keeps it; a refusal fails the order.
    async fn register(&self, order: &OrderRow, method: PaymentMethod) -> Result<(), ApiError> {
        let acquirer = self.acquirer()?;
        let payment = self.new_payment(acquirer.as_ref(), order, method).await?;
        match acquirer.create(&payment).await {
            Ok(created) => {
                sqlx::query(
                    "UPDATE payment_orders SET status = 'pending', reference = $1, link = $2, \
                     expires_at = $3, updated_at = $4 WHERE id = $5 AND status = 'new'",
                )
                .bind(created.reference)
                .bind(created.link)
                .bind(created.expires_at)
                .bind(self.clock.unix())
                .bind(order.id)
                .execute(&self.db.pool)
                .await
                .map_err(db)?;
                Ok(())
            }
            Err(e) => {
                tracing::warn!(order = %order.number, error = %e, "the acquirer did not register a payment");
                self.finish(order.id, RemoteStatus::Failed).await?;
                Err(acquirer_failure(e))
            }
        }
    }

    /// Moves a payment to its final status once; a succeeded payment's lines enter the
    /// ledger in the same transaction. Returns whether this call made the change.
    async fn finish(&self, order: i64, status: RemoteStatus) -> Result<bool, ApiError> {
        let status = match status {
            RemoteStatus::Succeeded => "succeeded",
            RemoteStatus::Failed => "failed",
            RemoteStatus::Pending => return Ok(false),
        };
        let now = self.clock.unix();
        let today = self.clock.today();
        let mut tx = self.db.begin().await.map_err(db)?;
        let changed = sqlx::query(
            "UPDATE payment_orders SET status = $1, final_at = $2, updated_at = $2 \
             WHERE id = $3 AND status IN ('new', 'pending')",
        )
        .bind(status)
        .bind(now)
        .bind(order)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected()
            == 1;
        if changed && status == "succeeded" {
            sqlx::query(
                "INSERT INTO payments (account_id, supplier_id, paid_on, period, amount, channel, reference) \
                 SELECT l.account_id, l.supplier_id, $1, $2, l.amount, o.method, \
                 o.number || '/' || CAST(l.account_id AS TEXT) \
                 FROM payment_order_lines l JOIN payment_orders o ON o.id = l.order_id \
                 WHERE l.order_id = $3 \
                 ON CONFLICT (reference, supplier_id) DO NOTHING",
            )
            .bind(today.iso())
            .bind(today.period().0)
            .bind(order)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
            // A shop order's payment: the order is paid, and its case says so.
            let case: Option<Option<i64>> =
                sqlx::query_scalar("SELECT case_id FROM payment_orders WHERE id = $1")
                    .bind(order)
                    .fetch_optional(&mut *tx)
                    .await
                    .map_err(db)?;
            if let Some(case) = case.flatten() {
                sqlx::query(
                    "UPDATE shop_orders SET paid_at = $1 WHERE case_id = $2 AND paid_at IS NULL",
                )
                .bind(now)
                .bind(case)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
                sqlx::query(
                    "INSERT INTO case_events (case_id, status, action, comment, created_at) \
                     SELECT id, status, 'paid', 'Заказ оплачен', $2 FROM cases WHERE id = $1",
                )
                .bind(case)
                .bind(now)
                .execute(&mut *tx)
                .await
                .map_err(db)?;
            }
        }
        tx.commit().await.map_err(db)?;
        if changed {
            self.notify_outcome(order).await;
        }
        Ok(changed)
    }

    /// Tells the customer how the payment ended, and sends the receipt when asked.
    async fn notify_outcome(&self, order: i64) {
        let result: Result<(), ApiError> = async {
            let Some(o) = self.order_by_id(order).await? else {
                return Ok(());
            };
            let Some(person) = o.person_id else {
                return Ok(());
            };
            let view = self.view(&o).await?;
            let Some((phone, email)) = self.contact(person).await? else {
                return Ok(());
            };
            let lines: String = view
                .lines
                .iter()
                .map(|l| format!("Л/с {}, {}: {}\n", l.account_number, l.supplier, l.amount))
                .collect();
            let (subject, text) = match view.state {
                PaymentState::Succeeded => (
                    format!("Платеж № {} на сумму {} выполнен", view.number, view.amount),
                    format!(
                        "Платеж № {} ({}) на сумму {} зачислен.\n\n{lines}",
                        view.number,
                        view.method.caption(),
                        view.amount
                    ),
                ),
                _ => (
                    format!("Платеж № {} не выполнен", view.number),
                    format!(
                        "Платеж № {} ({}) на сумму {} не выполнен: деньги не списаны.",
                        view.number,
                        view.method.caption(),
                        view.amount
                    ),
                ),
            };
            let notice = match email {
                Some(to) => Message {
 attachments: Vec::new(),
                    channel: Channel::Email,
                    to,
                    subject: subject.clone(),
                    body: text.clone(),
                },
                None => Message {
 attachments: Vec::new(),
                    channel: Channel::Sms,
                    to: phone,
                    subject: subject.clone(),
                    body: subject.clone(),
                },
            };
            self.send(&notice).await;
            if let (PaymentState::Succeeded, Some(to)) = (view.state, o.receipt_email) {
                let receipt = Message {
 attachments: Vec::new(),
                    channel: Channel::Email,
                    to,
                    subject: format!("Квитанция об оплате № {}", view.number),
                    body: format!(
                        "Квитанция об оплате\n\nПлатеж № {}\nДата: {}\nСпособ оплаты: {}\nСумма: {}\n\n{lines}",
                        view.number,
                        self.clock.today().iso(),
                        view.method.caption(),
                        view.amount
                    ),
                };
                self.send(&receipt).await;
            }
            Ok(())
        }
        .await;
        if let Err(e) = result {
            tracing::warn!(order, error = %e, "the payment's notice was not sent");
        }
    }

    async fn send(&self, message: &Message) {
        if let Err(e) = self.notifier.send(message).await {
            tracing::warn!(error = %e, "a payment notice was not sent");
        }
    }

    async fn view(&self, o: &OrderRow) -> Result<PaymentView, ApiError> {
        let lines: Vec<(i64, String, String, i64)> = sqlx::query_as(
            "SELECT a.id, a.number, s.name, l.amount FROM payment_order_lines l \
             JOIN accounts a ON a.id = l.account_id JOIN suppliers s ON s.id = l.supplier_id \
             WHERE l.order_id = $1 ORDER BY a.number, s.name",
        )
        .bind(o.id)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let now = self.clock.unix();
        let state = match o.status.as_str() {
            "succeeded" => PaymentState::Succeeded,
            "failed" => PaymentState::Failed,
            _ => match o.expires_at {
                Some(at) if at <= now => PaymentState::Expired,
                Some(at) => PaymentState::Pending {
                    expires_in_secs: at - now,
                },
                None => PaymentState::Pending { expires_in_secs: 0 },
            },
        };
        let order_case: Option<String> = match o.case_id {
            Some(case) => sqlx::query_scalar("SELECT number FROM cases WHERE id = $1")
                .bind(case)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?,
            None => None,
        };
        Ok(PaymentView {
            order_case,
            id: o.id,
            number: o.number.clone(),
            method: PaymentMethod::from_code(&o.method).unwrap_or(PaymentMethod::Card),
            amount: Kopecks(o.amount),
            state,
            account: lines.first().map(|l| l.0),
            lines: lines
                .into_iter()
                .map(|(_, account_number, supplier, amount)| PaidLine {
                    account_number,
                    supplier,
                    amount: Kopecks(amount),
                })
                .collect(),
            link: o.link.clone(),
            receipt_email: o.receipt_email.clone(),
        })
    }

    /// A pending payment whose notice is late: ask the acquirer (at most every few seconds).
    async fn check_with_acquirer(&self, o: &OrderRow) -> Result<(), ApiError> {
        let now = self.clock.unix();
        let (Some(reference), Some(acquirer)) = (&o.reference, &self.acquirer) else {
            return Ok(());
        };
        if o.status != "pending"
            || acquirer.name() != o.acquirer
            || o.checked_at
                .is_some_and(|t| now - t < STATUS_CHECK_AFTER_SECS)
        {
            return Ok(());
        }
        sqlx::query("UPDATE payment_orders SET checked_at = $1 WHERE id = $2")
            .bind(now)
            .bind(o.id)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        match acquirer.status(reference).await {
            Ok(status) => {
                self.finish(o.id, status).await?;
            }
            Err(e) => tracing::info!(order = %o.number, error = %e, "payment status unknown"),
        }
        Ok(())
    }

    /// An acquirer's notification: authenticated, applied once, never over a final status,
    /// and only when its amount is the payment's.
    pub async fn handle_callback(
        &self,
        acquirer_name: &str,
        headers: &http::HeaderMap,
        body: &[u8],
    ) -> Result<&'static str, CallbackRefusal> {
        let acquirer = self
            .acquirer
            .as_ref()
            .filter(|a| a.name() == acquirer_name)
            .ok_or(CallbackRefusal::UnknownAcquirer)?;
        let callback = acquirer.verify_callback(headers, body, self.clock.unix())?;
        let storage = |e: sqlx::Error| {
            tracing::error!(error = %e, "a payment notice could not be stored");
            CallbackRefusal::Storage
        };
        // Validate before recording the event, so that a refused notice can come again.
        match &callback.event {
            CallbackEvent::Payment { order, amount, .. } => {
                let row: Option<(i64,)> = sqlx::query_as(
                    "SELECT amount FROM payment_orders WHERE number = $1 AND acquirer = $2",
                )
                .bind(order)
                .bind(acquirer.name())
                .fetch_optional(&self.db.pool)
                .await
                .map_err(storage)?;
                let Some((expected,)) = row else {
                    // Authentic but about nothing of ours (an acquirer's own check payment,
                    // say): acknowledged, so that it is not sent again, and ignored.
                    tracing::info!(order, "payment notice about an unknown order ignored");
                    return Ok(acquirer.callback_ack());
                };
                if expected != amount.0 {
                    tracing::warn!(
                        order,
                        expected,
                        got = amount.0,
                        "payment notice with a wrong amount refused"
                    );
                    return Err(CallbackRefusal::AmountMismatch {
                        expected,
                        got: amount.0,
                    });
                }
            }
            CallbackEvent::Binding { request, .. } => {
                // Acquirers name a binding by Kabinet's number or by their own reference.
                let row: Option<(i64,)> = sqlx::query_as(
                    "SELECT id FROM card_bindings WHERE (number = $1 OR reference = $1) \
                     AND acquirer = $2",
                )
                .bind(request)
                .bind(acquirer.name())
                .fetch_optional(&self.db.pool)
                .await
                .map_err(storage)?;
                if row.is_none() {
                    tracing::info!(
                        request,
                        "card binding notice about an unknown request ignored"
                    );
                    return Ok(acquirer.callback_ack());
                }
            }
        }
        let first = sqlx::query(
            "INSERT INTO payment_callbacks (acquirer, event_id, received_at) VALUES ($1, $2, $3) \
             ON CONFLICT (acquirer, event_id) DO NOTHING",
        )
        .bind(acquirer.name())
        .bind(&callback.event_id)
        .bind(self.clock.unix())
        .execute(&self.db.pool)
        .await
        .map_err(storage)?
        .rows_affected()
            == 1;
        if !first {
            tracing::info!(event = %callback.event_id, "repeated payment notice ignored");
            return Ok(acquirer.callback_ack());
        }
        let applied = match callback.event {
            CallbackEvent::Payment { order, status, .. } => {
                let id: Option<(i64,)> =
                    sqlx::query_as("SELECT id FROM payment_orders WHERE number = $1")
                        .bind(&order)
                        .fetch_optional(&self.db.pool)
                        .await
                        .map_err(storage)?;
                match id {
                    Some((id,)) => self.finish(id, status).await.map(|_| ()),
                    None => Ok(()),
                }
            }
            CallbackEvent::Binding { request, card } => self.bound(&request, card).await,
        };
        applied.map_err(|e| {
            tracing::error!(error = %e, "a payment notice could not be applied");
            CallbackRefusal::Storage
        })?;
        Ok(acquirer.callback_ack())
    }

    /// A card binding finished: the card is saved and autopay turned on with the settings
    /// the customer chose.
    async fn bound(&self, request: &str, card: Option<SavedCard>) -> Result<(), ApiError> {
        let row: Option<(i64, i64, i64, i32, i64, String)> = sqlx::query_as(
            "SELECT id, person_id, account_id, day, max_amount, acquirer FROM card_bindings \
             WHERE (number = $1 OR reference = $1) AND status IN ('new', 'pending')",
        )
        .bind(request)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let Some((binding, person, account, day, max_amount, acquirer)) = row else {
            return Ok(());
        };
        let now = self.clock.unix();
        let mut tx = self.db.begin().await.map_err(db)?;
        let status = if card.is_some() {
            "succeeded"
        } else {
            "failed"
        };
        let changed = sqlx::query(
            "UPDATE card_bindings SET status = $1 WHERE id = $2 AND status IN ('new', 'pending')",
        )
        .bind(status)
        .bind(binding)
        .execute(&mut *tx)
        .await
        .map_err(db)?
        .rows_affected()
            == 1;
        if let (true, Some(card)) = (changed, card) {
            let (card_id,): (i64,) = sqlx::query_as(
                "INSERT INTO saved_cards (person_id, acquirer, token, caption, created_at) \
                 VALUES ($1, $2, $3, $4, $5) \
                 ON CONFLICT (acquirer, token) DO UPDATE SET caption = excluded.caption \
                 RETURNING id",
            )
            .bind(person)
            .bind(&acquirer)
            .bind(&card.token)
            .bind(&card.caption)
            .bind(now)
            .fetch_one(&mut *tx)
            .await
            .map_err(db)?;
            // Only while the account is still linked to the person.
            sqlx::query(
                "INSERT INTO autopays (person_id, account_id, card_id, day, max_amount, created_at) \
                 SELECT $1, $2, $3, $4, $5, $6 WHERE EXISTS \
                 (SELECT 1 FROM account_links WHERE person_id = $1 AND account_id = $2 \
                   AND unlinked_at IS NULL) \
                 ON CONFLICT (person_id, account_id) DO UPDATE SET card_id = excluded.card_id, \
                 day = excluded.day, max_amount = excluded.max_amount",
            )
            .bind(person)
            .bind(account)
            .bind(card_id)
            .bind(day)
            .bind(max_amount)
            .bind(now)
            .execute(&mut *tx)
            .await
            .map_err(db)?;
        }
        tx.commit().await.map_err(db)
    }

    /// Runs the autopays due today that have not run this month: each account's debt up to
    /// its monthly maximum is charged to the saved card, once, whichever instance runs it.
    pub async fn run_autopays(&self) -> Result<usize, ApiError> {
        let Some(acquirer) = self.acquirer.clone() else {
            return Ok(0);
        };
        let today = self.clock.today();
        let period = today.period();
        let due: Vec<(i64, i64, i64, String, i64, i32)> = sqlx::query_as(
            "SELECT p.person_id, p.account_id, p.max_amount, c.token, p.id, p.day FROM autopays p \
             JOIN saved_cards c ON c.id = p.card_id WHERE c.acquirer = $1 AND p.day <= $2 \
             AND NOT EXISTS (SELECT 1 FROM autopay_runs r WHERE r.person_id = p.person_id \
             AND r.account_id = p.account_id AND r.period = $3)",
        )
        .bind(acquirer.name())
        .bind(i64::from(today.day))
        .bind(period.0)
        .fetch_all(&self.db.pool)
        .await
        .map_err(db)?;
        let mut ran = 0;
        for (person, account, max_amount, token, _, _) in due {
            let claimed = sqlx::query(
                "INSERT INTO autopay_runs (person_id, account_id, period, created_at) \
                 VALUES ($1, $2, $3, $4) ON CONFLICT (person_id, account_id, period) DO NOTHING",
            )
            .bind(person)
            .bind(account)
            .bind(period.0)
            .bind(self.clock.unix())
            .execute(&self.db.pool)
            .await
            .map_err(db)?
            .rows_affected()
                == 1;
            if !claimed {
                continue;
            }
            ran += 1;
            let lines = self.lines(person, Some(account)).await?;
            let balances: Vec<Kopecks> = lines.iter().map(|l| l.balance).collect();
            let amounts: Vec<(i64, i64, Kopecks)> = autopay_amounts(&balances, Kopecks(max_amount))
                .into_iter()
                .filter_map(|(i, k)| lines.get(i).map(|l| (l.account, l.supplier_id, k)))
                .collect();
            if amounts.is_empty() {
                continue;
            }
            let key = format!("autopay:{account}:{}", period.0);
            let (order, _) = self
                .insert_order(person, &key, PaymentMethod::Autopay, &amounts, None, None)
                .await?;
            sqlx::query(
                "UPDATE autopay_runs SET order_id = $1 WHERE person_id = $2 AND account_id = $3 AND period = $4",
            )
            .bind(order.id)
            .bind(person)
            .bind(account)
            .bind(period.0)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
            let payment = self
                .new_payment(acquirer.as_ref(), &order, PaymentMethod::Autopay)
                .await?;
            match acquirer.charge_saved(&token, &payment).await {
                Ok((reference, status)) => {
                    sqlx::query(
                        "UPDATE payment_orders SET status = 'pending', reference = $1, updated_at = $2 \
                         WHERE id = $3 AND status = 'new'",
                    )
                    .bind(reference)
                    .bind(self.clock.unix())
                    .bind(order.id)
                    .execute(&self.db.pool)
                    .await
                    .map_err(db)?;
                    self.finish(order.id, status).await?;
                }
                Err(e) => {
                    tracing::warn!(account, error = %e, "autopay charge failed");
                    self.finish(order.id, RemoteStatus::Failed).await?;
                }
            }
        }
        Ok(ran)
    }

    /// Turns autopay off for an account of a person (also when the account is unlinked).
    pub async fn remove_autopay(&self, person: i64, account: i64) -> Result<(), ApiError> {
        sqlx::query("DELETE FROM autopays WHERE person_id = $1 AND account_id = $2")
            .bind(person)
            .bind(account)
            .execute(&self.db.pool)
            .await
            .map_err(db)?;
        Ok(())
    }

    fn form_of(request: &PaymentRequest, lines: &[PayLine]) -> PaymentForm {
        PaymentForm {
            lines: lines
                .iter()
                .map(|l| {
                    let key = l.key();
                    let amount = request
                        .keys
                        .iter()
                        .position(|k| *k == key)
                        .and_then(|i| request.amounts.get(i))
                        .cloned()
                        .unwrap_or_default();
                    LineInput {
                        chosen: request.chosen.contains(&key),
                        amount,
                    }
                })
                .collect(),
            method: request.method.clone(),
            rules_accepted: request.rules_accepted,
        }
    }
}

#[async_trait]
impl PaymentsPort for PaymentsService {
    async fn pay_sheet(&self, session: &str, account: Option<i64>) -> Result<PaySheet, ApiError> {
        let person = self.identity.session_person(session).await?;
        Ok(PaySheet {
            lines: self.lines(person, account).await?,
            maximum: self.maximum,
            receipt_email: self.confirmed_email(person).await?,
            available: self.acquirer.is_some(),
        })
    }

    async fn create_payment(
        &self,
        session: &str,
        request: PaymentRequest,
    ) -> Result<PaymentStart, ApiError> {
        let person = self.identity.session_person(session).await?;
        let key = request.idempotency_key.trim();
        if key.is_empty() || key.len() > 100 {
            return Err(ApiError::refused(shared::error::MALFORMED_REQUEST_MESSAGE));
        }
        // A repeated request returns the payment already made, whatever the page now shows.
        let order = match self.find_order(person, key).await? {
            Some(existing) => existing,
            None => {
                let lines = self.lines(person, request.account).await?;
                let form = Self::form_of(&request, &lines);
                let checked = check_payment_form(&form, self.maximum)
                    .map_err(|fields| ApiError::Invalid { fields })?;
                self.acquirer()?;
                let receipt_email = if request.receipt {
                    Some(self.confirmed_email(person).await?.ok_or_else(|| {
                        ApiError::Invalid {
                            fields: vec![FieldError::new(
                                RECEIPT_FIELD,
                                "Чтобы получить квитанцию, подтвердите адрес электронной почты в профиле.",
                            )],
                        }
                    })?)
                } else {
                    None
                };
                let amounts: Vec<(i64, i64, Kopecks)> = checked
                    .amounts
                    .iter()
                    .filter_map(|(i, k)| lines.get(*i).map(|l| (l.account, l.supplier_id, *k)))
                    .collect();
                let (order, new) = self
                    .insert_order(
                        person,
                        key,
                        checked.method,
                        &amounts,
                        receipt_email.as_deref(),
                        None,
                    )
                    .await?;
                if new {
                    self.register(&order, checked.method).await?;
                    self.order_by_id(order.id).await?.unwrap_or(order)
                } else {
                    order
                }
            }
        };
        // A card payment goes on to the acquirer's card page: the payment's page sends the
        // browser there (a full page load, with or without script).
        let redirect = match (order.method.as_str(), order.status.as_str()) {
            ("card", "pending") => format!("/payments/{}?go=card", order.id),
            _ => format!("/payments/{}", order.id),
        };
        Ok(PaymentStart {
            id: order.id,
            redirect,
        })
    }

    async fn payment(&self, session: &str, id: i64) -> Result<PaymentView, ApiError> {
        let person = self.identity.session_person(session).await?;
        let order = self
            .order_by_id(id)
            .await?
            .filter(|o| o.person_id == Some(person))
            .ok_or(ApiError::NotFound)?;
        self.check_with_acquirer(&order).await?;
        let order = self.order_by_id(id).await?.ok_or(ApiError::NotFound)?;
        self.view(&order).await
    }

    async fn autopays(&self, session: &str) -> Result<Vec<AutopayLine>, ApiError> {
        let person = self.identity.session_person(session).await?;
        let mut out = Vec::new();
        for a in self.accounts.accounts_of(person).await? {
            let row: Option<(String, i32, i64)> = sqlx::query_as(
                "SELECT c.caption, p.day, p.max_amount FROM autopays p \
                 JOIN saved_cards c ON c.id = p.card_id WHERE p.person_id = $1 AND p.account_id = $2",
            )
            .bind(person)
            .bind(a.id)
            .fetch_optional(&self.db.pool)
            .await
            .map_err(db)?;
            out.push(AutopayLine {
                account: a.id,
                account_number: a.number.clone(),
                address: a.address.clone(),
                autopay: row.map(|(card, day, max)| AutopaySettings {
                    card,
                    day: u8::try_from(day).unwrap_or(1),
                    max_amount: Kopecks(max),
                }),
            });
        }
        Ok(out)
    }

    async fn start_autopay(
        &self,
        session: &str,
        account: i64,
        day: &str,
        max_amount: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError> {
        let person = self.identity.session_person(session).await?;
        self.accounts.linked_to(person, account).await?;
        let (day, max) = check_autopay(day, max_amount, self.maximum)
            .map_err(|fields| ApiError::Invalid { fields })?;
        let acquirer = self.acquirer()?.clone();
        let existing: Option<(String, Option<String>)> = sqlx::query_as(
            "SELECT status, link FROM card_bindings WHERE person_id = $1 AND idempotency_key = $2",
        )
        .bind(person)
        .bind(idempotency_key)
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        if let Some((_, Some(link))) = existing {
            return Ok(link);
        }
        let number = new_number('B');
        let inserted: Option<(i64,)> = sqlx::query_as(
            "INSERT INTO card_bindings (number, person_id, account_id, idempotency_key, day, \
             max_amount, acquirer, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) \
             ON CONFLICT (person_id, idempotency_key) DO NOTHING RETURNING id",
        )
        .bind(&number)
        .bind(person)
        .bind(account)
        .bind(idempotency_key)
        .bind(i32::from(day))
        .bind(max.0)
        .bind(acquirer.name())
        .bind(self.clock.unix())
        .fetch_optional(&self.db.pool)
        .await
        .map_err(db)?;
        let Some((id,)) = inserted else {
            return Err(ApiError::refused(
                "Запрос уже обрабатывается. Обновите страницу через несколько секунд.",
            ));
        };
        let binding = NewBinding {
            request: number,
            customer: person.to_string(),
            return_url: format!("{}/profile/autopay?done=bound", self.public_url),
            notification_url: self.notification_url(acquirer.as_ref()),
        };
        let created = acquirer.bind_card(&binding).await.map_err(|e| {
            tracing::warn!(error = %e, "the acquirer did not start a card binding");
            acquirer_failure(e)
        })?;
        sqlx::query(
            "UPDATE card_bindings SET status = 'pending', reference = $1, link = $2 WHERE id = $3",
        )
        .bind(&created.reference)
        .bind(&created.link)
        .bind(id)
        .execute(&self.db.pool)
        .await
        .map_err(db)?;
        Ok(created.link)
    }

    async fn pay_order(
        &self,
        session: &str,
        number: &str,
        method: Option<&str>,
        rules_accepted: bool,
        idempotency_key: &str,
    ) -> Result<PaymentStart, ApiError> {
        let person = self.identity.session_person(session).await?;
        let key = idempotency_key.trim();
        if key.is_empty() || key.len() > 100 {
            return Err(ApiError::refused(shared::error::MALFORMED_REQUEST_MESSAGE));
        }
        let order = match self.find_order(person, key).await? {
            Some(existing) => existing,
            None => {
                let found: Option<(i64, i64, Option<i64>)> = sqlx::query_as(
                    "SELECT c.id, o.price, o.paid_at FROM cases c JOIN shop_orders o ON o.case_id = c.id \
                     WHERE c.number = $1 AND c.person_id = $2",
                )
                .bind(number.trim())
                .bind(person)
                .fetch_optional(&self.db.pool)
                .await
                .map_err(db)?;
                let (case, price, paid_at) = found.ok_or(ApiError::NotFound)?;
                if paid_at.is_some() {
                    return Err(ApiError::refused("Заказ уже оплачен."));
                }
                let method = shared::payments::check_method_and_rules(method, rules_accepted)
                    .map_err(|fields| ApiError::Invalid { fields })?;
                self.acquirer()?;
                // No ledger lines: the price is the order's, not a charge of the account.
                let (order, new) = self
                    .insert_order(person, key, method, &[], None, Some((case, Kopecks(price))))
                    .await?;
                if new {
                    self.register(&order, method).await?;
                    self.order_by_id(order.id).await?.unwrap_or(order)
                } else {
                    order
                }
            }
        };
        let redirect = match (order.method.as_str(), order.status.as_str()) {
            ("card", "pending") => format!("/payments/{}?go=card", order.id),
            _ => format!("/payments/{}", order.id),
        };
        Ok(PaymentStart {
            id: order.id,
            redirect,
        })
    }

    async fn stop_autopay(&self, session: &str, account: i64) -> Result<(), ApiError> {
        let person = self.identity.session_person(session).await?;
        self.remove_autopay(person, account).await
    }
}
