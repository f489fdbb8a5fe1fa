//! The acquirer port: what Kabinet asks of a payment provider (a bank's acquiring service)
//! and what the provider tells Kabinet back. Kabinet never sees card data: the acquirer's own
//! pages take it, and a saved card is only the acquirer's token.

use async_trait::async_trait;
use shared::Kopecks;
use shared::payments::PaymentMethod;

/// A payment Kabinet asks the acquirer to take.
#[derive(Debug, Clone)]
pub struct NewPayment {
    /// Kabinet's payment number, unique: the acquirer's order id.
    pub order: String,
    pub amount: Kopecks,
    /// What the customer's bank shows, e.g. «Оплата по л/с 100000003».
    pub description: String,
    /// [`PaymentMethod::Sbp`] or [`PaymentMethod::Card`].
    pub method: PaymentMethod,
    /// Where the acquirer's card page sends the customer back.
    pub return_url: String,
    /// Where the acquirer posts its notifications.
    pub notification_url: String,
    /// Who pays, as the acquirer knows the customer (for saved cards).
    pub customer: String,
}

/// A card the customer asks to save for autopay: the acquirer's page takes the card.
#[derive(Debug, Clone)]
pub struct NewBinding {
    /// Kabinet's request number, unique. Some acquirers never see it: their notices name
    /// the binding by the reference [`Acquirer::bind_card`] returned instead.
    pub request: String,
    pub customer: String,
    pub return_url: String,
    pub notification_url: String,
}

/// What the acquirer answered to a new payment or binding.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Created {
    /// The acquirer's identifier of the payment.
    pub reference: String,
    /// The SBP link (what the QR code holds) or the card page to send the customer to.
    pub link: String,
    /// When the link stops working (Unix seconds), if the acquirer says.
    pub expires_at: Option<i64>,
}

/// Where a payment stands at the acquirer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RemoteStatus {
    Pending,
    Succeeded,
    Failed,
}

/// A saved card: the acquirer's token and what the customer recognises it by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SavedCard {
    pub token: String,
    /// «•••• 1111».
    pub caption: String,
}

/// What a notification says.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CallbackEvent {
    /// A payment reached `status`; `amount` is what the acquirer took.
    Payment {
        order: String,
        reference: String,
        status: RemoteStatus,
        amount: Kopecks,
    },
    /// A card binding finished: `card` is the saved card, `None` when it failed.
    Binding {
        request: String,
        card: Option<SavedCard>,
    },
}

/// An authenticated notification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Callback {
    /// Unique per notification: a repeated one is recognised by it.
    pub event_id: String,
    pub event: CallbackEvent,
}

#[derive(Debug, thiserror::Error)]
pub enum AcquirerError {
    /// The acquirer could not be reached or answered with a server error: try again later.
    #[error("the acquirer is unavailable: {0}")]
    Unavailable(String),
    /// The acquirer refused the request.
    #[error("the acquirer refused: {0}")]
    Refused(String),
}

#[derive(Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallbackError {
    #[error("the signature is missing or wrong")]
    BadSignature,
    #[error("the notification is older than allowed")]
    Stale,
    #[error("the notification cannot be read: {0}")]
    Malformed(String),
}

/// A payment provider. Implementations: the sandbox built into the server (development and
/// tests) and real acquirers configured by environment variables.
#[async_trait]
pub trait Acquirer: Send + Sync {
    /// The name in the callback address (`/payments/callback/<name>`) and in the database.
    fn name(&self) -> &'static str;
    /// Registers a payment: an SBP link or the card page.
    async fn create(&self, payment: &NewPayment) -> Result<Created, AcquirerError>;
    /// Asks where a payment stands (when a notification is late).
    async fn status(&self, reference: &str) -> Result<RemoteStatus, AcquirerError>;
    /// Starts saving a card for autopay: the acquirer's card page.
    async fn bind_card(&self, binding: &NewBinding) -> Result<Created, AcquirerError>;
    /// Charges a saved card without the customer (autopay).
    async fn charge_saved(
        &self,
        card_token: &str,
        payment: &NewPayment,
    ) -> Result<(String, RemoteStatus), AcquirerError>;
    /// Returns money of a succeeded payment.
    async fn refund(&self, reference: &str, amount: Kopecks) -> Result<(), AcquirerError>;
    /// Checks that a notification comes from the acquirer and is fresh (`now`: Unix seconds),
    /// and reads it.
    fn verify_callback(
        &self,
        headers: &http::HeaderMap,
        body: &[u8],
        now: i64,
    ) -> Result<Callback, CallbackError>;
    /// The body of the answer to an accepted notification.
    fn callback_ack(&self) -> &'static str {
        "OK"
    }
}
