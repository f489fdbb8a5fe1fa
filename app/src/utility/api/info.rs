//! The information sections (U-INF-1): «Интернет-магазин», «Акции», «Опросы», «Контакты»
//! with «Запись на прием», «Заказ обратного звонка» and the web consultant; and their
//! management in the back-office.
#![allow(clippy::too_many_arguments)]

use leptos::prelude::*;
use shared::ApiError;
use shared::utility::info::{Booking, BookingSheet, Office, Poll, Promotion, ShopItem};
use std::collections::HashMap;

#[server(endpoint = "info/shop")]
pub async fn load_shop() -> Result<Vec<ShopItem>, ApiError> {
    crate::ports::state()?.utility.info.shop().await
}

/// [Оформить заказ]: a case for staff; the browser goes to its card.
#[server(endpoint = "info/order")]
pub async fn place_order(
    item: i64,
    account: Option<i64>,
    phone: String,
    #[server(default)] comment: String,
    key: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let number = ports::state()?
        .utility
        .info
        .order(&session, item, account, &phone, &comment, &key)
        .await?;
    leptos_axum::redirect(&format!("/cases/{number}?sent=1"));
    Ok(())
}

#[server(endpoint = "info/promotions")]
pub async fn load_promotions() -> Result<Vec<Promotion>, ApiError> {
    crate::ports::state()?.utility.info.promotions().await
}

#[server(endpoint = "info/polls")]
pub async fn load_polls() -> Result<Vec<Poll>, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?.utility.info.polls(&session).await
}

/// The answers of a poll: `a[q<question>]` holds the chosen option or the text,
/// `a[q<question>_<option>]` each ticked option of a multiple choice.
#[server(endpoint = "info/polls/answer")]
pub async fn answer_poll(
    poll: i64,
    #[server(default)] a: HashMap<String, String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let answers = shared::utility::info::parse_poll_form(&a);
    ports::state()?
        .utility
        .info
        .answer_poll(&session, poll, &answers)
        .await?;
    leptos_axum::redirect(&format!("/polls/{poll}?answered=1"));
    Ok(())
}

#[server(endpoint = "info/offices")]
pub async fn load_offices() -> Result<Vec<Office>, ApiError> {
    crate::ports::state()?.utility.info.offices().await
}

#[server(endpoint = "info/booking")]
pub async fn load_booking(
    office: Option<i64>,
    day: Option<String>,
) -> Result<BookingSheet, ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .info
        .booking_sheet(&session, office, day.as_deref())
        .await
}

/// [Записаться]: the chosen free time at the office, with the topic of the visit.
#[server(endpoint = "info/book")]
pub async fn book(
    office: i64,
    day: String,
    slot: Option<i64>,
    #[server(default)] topic: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let slot = slot.ok_or_else(|| ApiError::field("slot", "Выберите время приема"))?;
    ports::state()?
        .utility
        .info
        .book(&session, slot, &topic)
        .await?;
    leptos_axum::redirect(&format!(
        "/contacts/booking?office={office}&day={}&booked=1",
        shared::contact::url_encode(&day)
    ));
    Ok(())
}

#[server(endpoint = "info/book/cancel")]
pub async fn cancel_booking(booking: i64) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    ports::state()?
        .utility
        .info
        .cancel_booking(&session, booking)
        .await?;
    leptos_axum::redirect("/contacts/booking?cancelled=1");
    Ok(())
}

/// «Заказ обратного звонка»: a case for staff; the browser goes to its card.
#[server(endpoint = "info/callback")]
pub async fn request_callback(
    phone: String,
    time: String,
    topic: String,
    key: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let number = ports::state()?
        .utility
        .info
        .callback(&session, &phone, &time, &topic, &key)
        .await?;
    leptos_axum::redirect(&format!("/cases/{number}?sent=1"));
    Ok(())
}

/// The web consultant's first question: the conversation's card, where staff answer.
#[server(endpoint = "info/consult")]
pub async fn ask_consultant(question: String, key: String) -> Result<(), ApiError> {
    use crate::ports;
    let session = ports::require_session()?;
    let number = ports::state()?
        .utility
        .info
        .consult(&session, &question, &key)
        .await?;
    leptos_axum::redirect(&format!("/cases/{number}?sent=1#messages"));
    Ok(())
}

// The back-office.

#[server(endpoint = "staff/info/shop")]
pub async fn staff_shop() -> Result<Vec<ShopItem>, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?.utility.info.staff_shop(&token).await
}

#[server(endpoint = "staff/info/shop/save")]
pub async fn save_shop_item(
    id: Option<i64>,
    title: String,
    #[server(default)] description: String,
    price: String,
    #[server(default)] unit: String,
    active: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .utility
        .info
        .save_shop_item(
            &token,
            id,
            &title,
            &description,
            &price,
            &unit,
            active.is_some(),
        )
        .await?;
    leptos_axum::redirect("/staff/shop?saved=1");
    Ok(())
}

#[server(endpoint = "staff/info/promotions")]
pub async fn staff_promotions() -> Result<Vec<Promotion>, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?.utility.info.staff_promotions(&token).await
}

#[server(endpoint = "staff/info/promotions/save")]
pub async fn save_promotion(
    id: Option<i64>,
    title: String,
    #[server(default)] body: String,
    starts_on: String,
    ends_on: String,
    delete: Option<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    let info = ports::state()?.utility.info;
    match (id, delete) {
        (Some(id), Some(_)) => info.delete_promotion(&token, id).await?,
        _ => {
            info.save_promotion(&token, id, &title, &body, &starts_on, &ends_on)
                .await?
        }
    }
    leptos_axum::redirect("/staff/promotions?saved=1");
    Ok(())
}

#[server(endpoint = "staff/info/polls")]
pub async fn staff_polls() -> Result<Vec<Poll>, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?.utility.info.staff_polls(&token).await
}

/// A new poll: up to [`shared::utility::info::NEW_POLL_QUESTIONS`] questions, each with its
/// kind and (for choices) one option per line.
#[server(endpoint = "staff/info/polls/create")]
pub async fn create_poll(
    title: String,
    #[server(default)] description: String,
    #[server(default)] ends_on: String,
    #[server(default)] questions: Vec<String>,
    #[server(default)] kinds: Vec<String>,
    #[server(default)] options: Vec<String>,
) -> Result<(), ApiError> {
    use crate::ports;
    use shared::utility::info::QuestionKind;
    let token = ports::require_staff()?;
    let asked: Vec<crate::utility::ports::NewQuestion> = questions
        .iter()
        .enumerate()
        .map(|(i, text)| crate::utility::ports::NewQuestion {
            text: text.clone(),
            kind: kinds
                .get(i)
                .and_then(|k| QuestionKind::from_code(k))
                .unwrap_or(QuestionKind::Single),
            options: options
                .get(i)
                .map(|o| o.lines().map(str::to_string).collect())
                .unwrap_or_default(),
        })
        .collect();
    ports::state()?
        .utility
        .info
        .create_poll(&token, &title, &description, &ends_on, &asked)
        .await?;
    leptos_axum::redirect("/staff/polls?saved=1");
    Ok(())
}

#[server(endpoint = "staff/info/polls/close")]
pub async fn close_poll(id: i64) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?.utility.info.close_poll(&token, id).await?;
    leptos_axum::redirect("/staff/polls?closed=1");
    Ok(())
}

#[server(endpoint = "staff/info/offices")]
pub async fn staff_offices() -> Result<Vec<Office>, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?.utility.info.staff_offices(&token).await
}

#[server(endpoint = "staff/info/offices/save")]
pub async fn save_office(
    id: Option<i64>,
    name: String,
    address: String,
    #[server(default)] hours: String,
    #[server(default)] phone: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    let office = Office {
        id: id.unwrap_or(0),
        name,
        address,
        hours,
        phone,
    };
    ports::state()?
        .utility
        .info
        .save_office(&token, id, &office)
        .await?;
    leptos_axum::redirect("/staff/offices?saved=1");
    Ok(())
}

/// Opens the times of a day at an office; the page says how many were new.
#[server(endpoint = "staff/info/slots")]
pub async fn open_slots(
    office: i64,
    day: String,
    from: String,
    to: String,
    step: String,
) -> Result<(), ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    let added = ports::state()?
        .utility
        .info
        .open_slots(&token, office, &day, &from, &to, &step)
        .await?;
    leptos_axum::redirect(&format!(
        "/staff/offices?slots={added}&day={}",
        shared::contact::url_encode(&day)
    ));
    Ok(())
}

#[server(endpoint = "staff/info/bookings")]
pub async fn staff_bookings(day: Option<String>) -> Result<Vec<Booking>, ApiError> {
    use crate::ports;
    let token = ports::require_staff()?;
    ports::state()?
        .utility
        .info
        .staff_bookings(&token, day.as_deref())
        .await
}
