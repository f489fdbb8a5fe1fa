//! The utility cabinet's ports: personal accounts and their billing data, meters and
//! readings, how receipts and notices reach the customer, the information sections and the
//! assistant. The server's `utility` module implements them; [`UtilityPorts`] is the
//! cabinet's handle in [`crate::ports::AppState`].

use crate::ports::ClientInfo;
use async_trait::async_trait;
use shared::ApiError;
use std::sync::Arc;

/// The cabinet's ports, as `AppState::utility`.
#[derive(Clone)]
pub struct UtilityPorts {
    pub accounts: Arc<dyn AccountsPort>,
    pub meters: Arc<dyn MetersPort>,
    pub delivery: Arc<dyn DeliveryPort>,
    pub info: Arc<dyn InfoPort>,
    pub assistant: Arc<dyn AssistantPort>,
}

/// [+ Добавить лицевой счет] (U-ACC-1) as the form sends it.
#[derive(Clone, Debug, Default)]
pub struct LinkRequest {
    pub branch: String,
    pub number: String,
    pub proof: String,
    pub e_receipt: bool,
}

/// [Редактировать] of «Реквизиты лицевого счета» (U-DET-2): the values the customer wants
/// by field name of `shared::utility::billing::DETAIL_FIELDS`, as typed, and a comment.
#[derive(Clone, Debug, Default)]
pub struct DetailsChange {
    pub fields: Vec<(String, String)>,
    pub comment: String,
}

/// The customer's personal accounts and their billing data (U-ACC, U-DET, U-PAY).
/// Every call is for the session's person and only for accounts linked to them.
#[async_trait]
pub trait AccountsPort: Send + Sync {
    /// The branches of the [+ Добавить лицевой счет] drop-down.
    async fn branches(&self) -> Result<Vec<shared::utility::billing::BranchOption>, ApiError>;
    async fn list(
        &self,
        session: &str,
    ) -> Result<Vec<shared::utility::billing::AccountCard>, ApiError>;
    async fn overview(
        &self,
        session: &str,
        account: i64,
    ) -> Result<shared::utility::billing::AccountOverview, ApiError>;
    /// Links an account after checking its proof; the attempts are limited. Returns its id.
    async fn link(
        &self,
        session: &str,
        request: LinkRequest,
        client: ClientInfo,
    ) -> Result<i64, ApiError>;
    /// [Удалить] (U-ACC-2).
    async fn unlink(&self, session: &str, account: i64) -> Result<(), ApiError>;
    /// [Редактировать] on the main page: the customer's name for the account.
    async fn rename(&self, session: &str, account: i64, name: &str) -> Result<(), ApiError>;
    /// [Подписаться на электронную квитанцию] (U-ACC-4).
    async fn subscribe_e_receipt(&self, session: &str, account: i64) -> Result<(), ApiError>;
    async fn details(
        &self,
        session: &str,
        account: i64,
    ) -> Result<shared::utility::billing::AccountDetails, ApiError>;
    async fn tariffs(
        &self,
        session: &str,
        account: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<shared::utility::billing::TariffHistory, ApiError>;
    async fn history(
        &self,
        session: &str,
        account: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<shared::utility::billing::BillingHistory, ApiError>;
    async fn statistics(
        &self,
        session: &str,
        account: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<shared::utility::billing::Statistics, ApiError>;
    /// Sends an application to change the account's data (a case); returns its number.
    async fn request_details_change(
        &self,
        session: &str,
        account: i64,
        change: DetailsChange,
        idempotency_key: &str,
    ) -> Result<String, ApiError>;
    /// U-PRF-9: before the cabinet is deleted, how each bound account's receipts are to be
    /// delivered from then on (electronic to the confirmed e-mail, paper to the account's
    /// address or another one), kept for the provider's export and left as cases for staff.
    /// Accounts not named get paper to their own address.
    async fn leave_receipt_instructions(
        &self,
        session: &str,
        choices: &[(i64, shared::utility::delivery::LeftDelivery)],
    ) -> Result<(), ApiError>;
    /// [Уведомить о неисправности] (U-DET-3): a case about a meter; returns its number.
    async fn report_meter_fault(
        &self,
        session: &str,
        account: i64,
        meter: i64,
        description: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError>;
}

/// Meters and readings of the customer's accounts (U-MTR-1..4).
#[async_trait]
pub trait MetersPort: Send + Sync {
    /// «Передать показания»: a row per meter and zone, the window, what was sent.
    async fn reading_sheet(
        &self,
        session: &str,
        account: i64,
    ) -> Result<shared::utility::readings::ReadingSheet, ApiError>;
    /// [Передать показания]: `values` by row key («<meter>:<zone>»), empty ones skipped.
    /// A consumption far above the usual is refused with a warning unless `confirmed`.
    /// The same `idempotency_key` stores once.
    async fn submit_readings(
        &self,
        session: &str,
        account: i64,
        values: Vec<(String, String)>,
        confirmed: bool,
        idempotency_key: &str,
    ) -> Result<(), ApiError>;
    /// «Передать показания по всем лицевым счетам» (U-ALL-2): the sheet of every bound account.
    async fn reading_sheets(
        &self,
        session: &str,
    ) -> Result<Vec<shared::utility::readings::ReadingSheet>, ApiError>;
    /// «Показания прибора учета» (U-MTR-2).
    async fn reading_history(
        &self,
        session: &str,
        account: i64,
        from: Option<String>,
        to: Option<String>,
    ) -> Result<shared::utility::readings::ReadingHistory, ApiError>;
}

/// How receipts and notices reach the customer (U-PRF-4, U-PRF-5).
#[async_trait]
pub trait DeliveryPort: Send + Sync {
    async fn notice_prefs(
        &self,
        session: &str,
    ) -> Result<shared::utility::delivery::NoticePrefs, ApiError>;
    /// Saves the choice; advertising without its consent is refused on `advertising_consent`.
    async fn save_notice_prefs(
        &self,
        session: &str,
        prefs: &shared::utility::delivery::NoticePrefs,
        client: ClientInfo,
    ) -> Result<(), ApiError>;
    async fn receipt_settings(
        &self,
        session: &str,
    ) -> Result<shared::utility::delivery::ReceiptSettings, ApiError>;
    /// One account's choice: electronic or paper, and an address of its own (empty: the
    /// profile's confirmed e-mail, which this never changes).
    async fn save_receipt_setting(
        &self,
        session: &str,
        account: i64,
        electronic: bool,
        email: &str,
    ) -> Result<(), ApiError>;
}

/// A question of a new poll as the back-office form sends it.
#[derive(Clone, Debug)]
pub struct NewQuestion {
    pub text: String,
    pub kind: shared::utility::info::QuestionKind,
    /// One option per line (choices only).
    pub options: Vec<String>,
}

/// The information sections (U-INF-1) for customers, and their management for staff
/// (the staff token is the back-office session).
#[async_trait]
pub trait InfoPort: Send + Sync {
    async fn shop(&self) -> Result<Vec<shared::utility::info::ShopItem>, ApiError>;
    /// Orders an item for an account: a case for staff; its number.
    async fn order(
        &self,
        session: &str,
        item: i64,
        account: Option<i64>,
        phone: &str,
        comment: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError>;
    /// The current promotions.
    async fn promotions(&self) -> Result<Vec<shared::utility::info::Promotion>, ApiError>;
    /// The polls the customer can see, with whether they answered.
    async fn polls(&self, session: &str) -> Result<Vec<shared::utility::info::Poll>, ApiError>;
    async fn answer_poll(
        &self,
        session: &str,
        poll: i64,
        answers: &[shared::utility::info::PollAnswer],
    ) -> Result<(), ApiError>;
    async fn offices(&self) -> Result<Vec<shared::utility::info::Office>, ApiError>;
    async fn booking_sheet(
        &self,
        session: &str,
        office: Option<i64>,
        day: Option<&str>,
    ) -> Result<shared::utility::info::BookingSheet, ApiError>;
    async fn book(&self, session: &str, slot: i64, topic: &str) -> Result<(), ApiError>;
    async fn cancel_booking(&self, session: &str, booking: i64) -> Result<(), ApiError>;
    /// «Заказ обратного звонка»: a case for staff; its number.
    async fn callback(
        &self,
        session: &str,
        phone: &str,
        time: &str,
        topic: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError>;
    /// The web consultant: a conversation on the case engine; its number.
    async fn consult(
        &self,
        session: &str,
        question: &str,
        idempotency_key: &str,
    ) -> Result<String, ApiError>;

    async fn staff_shop(
        &self,
        token: &str,
    ) -> Result<Vec<shared::utility::info::ShopItem>, ApiError>;
    #[allow(clippy::too_many_arguments)]
    async fn save_shop_item(
        &self,
        token: &str,
        id: Option<i64>,
        title: &str,
        description: &str,
        price: &str,
        unit: &str,
        active: bool,
    ) -> Result<(), ApiError>;
    async fn staff_promotions(
        &self,
        token: &str,
    ) -> Result<Vec<shared::utility::info::Promotion>, ApiError>;
    async fn save_promotion(
        &self,
        token: &str,
        id: Option<i64>,
        title: &str,
        body: &str,
        starts_on: &str,
        ends_on: &str,
    ) -> Result<(), ApiError>;
    async fn delete_promotion(&self, token: &str, id: i64) -> Result<(), ApiError>;
    /// Every poll with its results.
    async fn staff_polls(&self, token: &str) -> Result<Vec<shared::utility::info::Poll>, ApiError>;
    async fn create_poll(
        &self,
        token: &str,
        title: &str,
        description: &str,
        ends_on: &str,
        questions: &[NewQuestion],
    ) -> Result<i64, ApiError>;
    async fn close_poll(&self, token: &str, id: i64) -> Result<(), ApiError>;
    async fn staff_offices(
        &self,
        token: &str,
    ) -> Result<Vec<shared::utility::info::Office>, ApiError>;
    async fn save_office(
        &self,
        token: &str,
        id: Option<i64>,
        office: &shared::utility::info::Office,
    ) -> Result<(), ApiError>;
    /// Opens slots at an office on a day; how many were new.
    async fn open_slots(
        &self,
        token: &str,
        office: i64,
        day: &str,
        from: &str,
        to: &str,
        step: &str,
    ) -> Result<usize, ApiError>;
    /// The bookings of a day (today when none), every office.
    async fn staff_bookings(
        &self,
        token: &str,
        day: Option<&str>,
    ) -> Result<Vec<shared::utility::info::Booking>, ApiError>;
}

/// «Виртуальный ассистент» (U-APL-4).
#[async_trait]
pub trait AssistantPort: Send + Sync {
    /// An answer from the account's data and the FAQ.
    async fn ask(
        &self,
        session: &str,
        account: Option<i64>,
        question: &str,
    ) -> Result<shared::utility::assistant::Answer, ApiError>;
}
