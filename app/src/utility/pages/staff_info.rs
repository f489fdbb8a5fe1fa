//! The back-office of the information sections (U-INF-1): the shop's items, promotions, polls
//! with their results, offices with their appointment times and the day's bookings. The
//! callback requests and the web consultant's conversations are cases in the queue.

use crate::components::field::{Field, FormError, action_error};
use crate::components::loading;
use crate::components::upload::FieldMessage;
use crate::staff::pages::{StaffError, StaffNav};
use crate::utility::api::info::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_location, use_query_map};
use shared::utility::info::{NEW_POLL_QUESTIONS, QuestionKind, ShopItem};

/// «Сохранено.» after a change (its redirect adds `saved`).
fn saved_notice() -> impl IntoView {
    let query = use_query_map();
    move || {
        query
            .read()
            .get("saved")
            .map(|_| view! { <p class="notice notice--success" role="status">"Сохранено."</p> })
    }
}

#[component]
pub fn StaffShopPage() -> impl IntoView {
    let search = use_location().search;
    let items = Resource::new(move || search.get(), |_| staff_shop());
    let save = ServerAction::<SaveShopItem>::new();
    view! {
        <Title text="Интернет-магазин: товары и услуги" />
        <StaffNav current="/staff/shop" />
        <section class="card" aria-labelledby="staff-shop-title">
            <h1 id="staff-shop-title">"Интернет-магазин: товары и услуги"</h1>
            {saved_notice()}
            <FormError message=action_error(save.value(), None) />
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(items) => view! {
                            <ul class="settings-list">
                                {items.into_iter().map(|i| view! { <ShopItemForm item=Some(i) save /> }).collect_view()}
                            </ul>
                            <h2>"Новый товар или услуга"</h2>
                            <ul class="settings-list">
                                <ShopItemForm item=None save />
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <StaffError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn ShopItemForm(item: Option<ShopItem>, save: ServerAction<SaveShopItem>) -> impl IntoView {
    let id = item.as_ref().map(|i| i.id);
    let prefix = id.map_or_else(|| "new".to_string(), |i| i.to_string());
    let title = RwSignal::new(item.as_ref().map(|i| i.title.clone()).unwrap_or_default());
    let description = item
        .as_ref()
        .map(|i| i.description.clone())
        .unwrap_or_default();
    let price = RwSignal::new(
        item.as_ref()
            .map(|i| i.price.format_number())
            .unwrap_or_default(),
    );
    let unit = RwSignal::new(item.as_ref().map(|i| i.unit.clone()).unwrap_or_default());
    let active = item.as_ref().is_none_or(|i| i.active);
    let caption = item
        .as_ref()
        .map_or_else(|| "новый товар".to_string(), |i| format!("«{}»", i.title));
    // The server's messages belong to the form that was sent.
    let own = move |field: Option<&'static str>| {
        Signal::derive(move || {
            save.input()
                .get()
                .filter(|input| input.id == id)
                .and_then(|_| action_error(save.value(), field).get())
        })
    };
    view! {
        <li class="staff-item">
            <ActionForm action=save attr:class="staff-form">
                {id.map(|id| view! { <input type="hidden" name="id" value=id.to_string() /> })}
                <Field label="Название".to_string() name="title" required=true value=title server_error=own(Some("title")) />
                <div class="field">
                    <label class="field__label" for=format!("shop-description-{prefix}")>"Описание"</label>
                    {if description.is_empty() {
                        view! { <textarea id=format!("shop-description-{prefix}") name="description" class="field__input" rows="2"></textarea> }.into_any()
                    } else {
                        view! { <textarea id=format!("shop-description-{prefix}") name="description" class="field__input" rows="2">{description}</textarea> }.into_any()
                    }}
                </div>
                <Field label="Цена, руб.".to_string() name="price" required=true value=price inputmode=Signal::stored("decimal")
                    server_error=own(Some("price")) />
                <Field label="Единица (например, «за прибор»)".to_string() name="unit" value=unit />
                <label class="checkbox">
                    <input type="checkbox" name="active" value="1" checked=active />
                    " Показывать покупателям"
                </label>
                <button type="submit" class="button button--primary" aria-label=format!("Сохранить: {caption}")>"Сохранить"</button>
            </ActionForm>
        </li>
    }
}

#[component]
pub fn StaffPromotionsPage() -> impl IntoView {
    let search = use_location().search;
    let promotions = Resource::new(move || search.get(), |_| staff_promotions());
    let save = ServerAction::<SavePromotion>::new();
    view! {
        <Title text="Акции" />
        <StaffNav current="/staff/promotions" />
        <section class="card" aria-labelledby="staff-promotions-title">
            <h1 id="staff-promotions-title">"Акции"</h1>
            {saved_notice()}
            <FormError message=action_error(save.value(), None) />
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match promotions.await {
                        Ok(list) => view! {
                            {if list.is_empty() {
                                view! { <p class="empty">"Акций нет."</p> }.into_any()
                            } else {
                                view! {
                                    <ul class="settings-list">
                                        {list.into_iter().map(|p| view! {
                                            <li class="staff-item">
                                                <strong>{p.title.clone()}</strong>
                                                {format!(" ({})", p.dates())}
                                                <p>{p.body.clone()}</p>
                                                <ActionForm action=save attr:class="inline-form">
                                                    <input type="hidden" name="id" value=p.id.to_string() />
                                                    <input type="hidden" name="title" value=p.title.clone() />
                                                    <input type="hidden" name="starts_on" value=p.starts_on.iso() />
                                                    <input type="hidden" name="ends_on" value=p.ends_on.iso() />
                                                    <input type="hidden" name="delete" value="1" />
                                                    <button type="submit" class="button button--danger"
                                                        aria-label=format!("Удалить акцию «{}»", p.title)>"Удалить"</button>
                                                </ActionForm>
                                            </li>
                                        }).collect_view()}
                                    </ul>
                                }.into_any()
                            }}
                            <h2>"Новая акция"</h2>
                            <ActionForm action=save attr:class="staff-form">
                                <Field label="Заголовок".to_string() name="title" required=true server_error=action_error(save.value(), Some("title")) />
                                <div class="field">
                                    <label class="field__label" for="promotion-body">"Текст"</label>
                                    <textarea id="promotion-body" name="body" class="field__input" rows="3"></textarea>
                                </div>
                                <Field label="Начало".to_string() name="starts_on" input_type="date" required=true
                                    server_error=action_error(save.value(), Some("starts_on")) />
                                <Field label="Окончание".to_string() name="ends_on" input_type="date" required=true
                                    server_error=action_error(save.value(), Some("ends_on")) />
                                <button type="submit" class="button button--primary">"Добавить акцию"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(e) => view! { <StaffError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
pub fn StaffPollsPage() -> impl IntoView {
    let search = use_location().search;
    let polls = Resource::new(move || search.get(), |_| staff_polls());
    let create = ServerAction::<CreatePoll>::new();
    let close = ServerAction::<ClosePoll>::new();
    view! {
        <Title text="Опросы" />
        <StaffNav current="/staff/polls" />
        <section class="card" aria-labelledby="staff-polls-title">
            <h1 id="staff-polls-title">"Опросы"</h1>
            {saved_notice()}
            <FormError message=action_error(close.value(), None) />
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match polls.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"Опросов нет."</p> }.into_any(),
                        Ok(list) => list.into_iter().map(|p| view! {
                            <article class="poll-results" aria-labelledby=format!("poll-{}", p.id)>
                                <h2 id=format!("poll-{}", p.id)>{p.title.clone()}</h2>
                                <p>
                                    {format!("Ответов: {}. ", p.answers)}
                                    {if p.open { "Опрос идет" } else { "Опрос завершен" }}
                                    {p.ends_on.map(|d| format!(" (до {})", d.caption()))}
                                </p>
                                {p.questions.into_iter().map(|q| view! {
                                    <h3>{q.text.clone()}</h3>
                                    {if q.kind == QuestionKind::Text {
                                        if q.texts.is_empty() {
                                            view! { <p class="empty">"Ответов нет."</p> }.into_any()
                                        } else {
                                            view! { <ul>{q.texts.into_iter().map(|t| view! { <li>{t}</li> }).collect_view()}</ul> }.into_any()
                                        }
                                    } else {
                                        view! {
                                            <ul>{q.options.into_iter().map(|o| view! { <li>{format!("{} — {}", o.text, o.votes)}</li> }).collect_view()}</ul>
                                        }.into_any()
                                    }}
                                }).collect_view()}
                                {p.open.then(|| view! {
                                    <ActionForm action=close attr:class="inline-form">
                                        <input type="hidden" name="id" value=p.id.to_string() />
                                        <button type="submit" class="button button--secondary"
                                            aria-label=format!("Завершить опрос «{}»", p.title)>"Завершить опрос"</button>
                                    </ActionForm>
                                })}
                            </article>
                        }).collect_view().into_any(),
                        Err(e) => view! { <StaffError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
        <section class="card" aria-labelledby="new-poll-title">
            <h2 id="new-poll-title">"Новый опрос"</h2>
            <ActionForm action=create attr:class="staff-form">
                <Field label="Название опроса".to_string() name="title" required=true server_error=action_error(create.value(), Some("title")) />
                <div class="field">
                    <label class="field__label" for="poll-description">"Пояснение"</label>
                    <textarea id="poll-description" name="description" class="field__input" rows="2"></textarea>
                </div>
                <Field label="Последний день опроса".to_string() name="ends_on" input_type="date"
                    server_error=action_error(create.value(), Some("ends_on")) />
                <FormError message=action_error(create.value(), Some("questions")) />
                {(0..NEW_POLL_QUESTIONS).map(|i| {
                    let options_error = Signal::derive(move || {
                        create.value().get().and_then(Result::err).and_then(|e| e.field_message(&format!("options[{i}]")).map(str::to_string))
                    });
                    view! {
                        <fieldset class="field poll-question">
                            <legend class="field__label">{format!("Вопрос {}", i + 1)}</legend>
                            <label class="field__label" for=format!("poll-q-{i}")>"Текст вопроса"</label>
                            <input id=format!("poll-q-{i}") name=format!("questions[{i}]") class="field__input" />
                            <label class="field__label" for=format!("poll-kind-{i}")>"Как отвечать"</label>
                            <select id=format!("poll-kind-{i}") name=format!("kinds[{i}]") class="field__input">
                                {QuestionKind::ALL.into_iter().map(|k| view! { <option value=k.code()>{k.caption()}</option> }).collect_view()}
                            </select>
                            <label class="field__label" for=format!("poll-options-{i}")>"Варианты ответа, по одному в строке"</label>
                            <textarea id=format!("poll-options-{i}") name=format!("options[{i}]") class="field__input" rows="3"
                                aria-describedby=format!("poll-options-{i}-error")></textarea>
                            <FieldMessage id=format!("poll-options-{i}-error") message=options_error />
                        </fieldset>
                    }
                }).collect_view()}
                <FormError message=action_error(create.value(), None) />
                <button type="submit" class="button button--primary">"Отправить опрос клиентам"</button>
            </ActionForm>
        </section>
    }
}

#[component]
pub fn StaffOfficesPage() -> impl IntoView {
    let search = use_location().search;
    let query = use_query_map();
    let offices = Resource::new(move || search.get(), |_| staff_offices());
    let bookings = Resource::new(move || query.read().get("day"), staff_bookings);
    let save = ServerAction::<SaveOffice>::new();
    let slots = ServerAction::<OpenSlots>::new();
    let opened = move || query.read().get("slots");
    view! {
        <Title text="Офисы и запись на прием" />
        <StaffNav current="/staff/offices" />
        <section class="card" aria-labelledby="staff-offices-title">
            <h1 id="staff-offices-title">"Офисы и запись на прием"</h1>
            {saved_notice()}
            {move || opened().map(|n| view! { <p class="notice notice--success" role="status">{format!("Открыто новых окон для записи: {n}.")}</p> })}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match offices.await {
                        Ok(list) => view! {
                            <ul class="settings-list">
                                {list.iter().map(|o| view! {
                                    <li class="staff-item">
                                        <strong>{o.name.clone()}</strong>
                                        {format!(" — {}. {}. {}", o.address, o.hours, o.phone)}
                                    </li>
                                }).collect_view()}
                            </ul>
                            <h2>"Открыть время для записи"</h2>
                            <ActionForm action=slots attr:class="staff-form">
                                <div class="field">
                                    <label class="field__label" for="slots-office">"Офис"</label>
                                    <select id="slots-office" name="office" class="field__input">
                                        {list.iter().map(|o| view! { <option value=o.id.to_string()>{o.name.clone()}</option> }).collect_view()}
                                    </select>
                                </div>
                                <Field label="День".to_string() name="day" input_type="date" required=true
                                    server_error=action_error(slots.value(), Some("day")) />
                                <Field label="С (ЧЧ:ММ)".to_string() name="from" required=true
                                    server_error=action_error(slots.value(), Some("from")) />
                                <Field label="До (ЧЧ:ММ)".to_string() name="to" required=true />
                                <Field label="Интервал, минут".to_string() name="step" required=true inputmode=Signal::stored("numeric")
                                    server_error=action_error(slots.value(), Some("step")) />
                                <FormError message=action_error(slots.value(), None) />
                                <button type="submit" class="button button--primary">"Открыть время"</button>
                            </ActionForm>
                        }.into_any(),
                        Err(e) => view! { <StaffError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
            <h2>"Новый офис"</h2>
            <ActionForm action=save attr:class="staff-form">
                <Field label="Название".to_string() name="name" required=true server_error=action_error(save.value(), Some("name")) />
                <Field label="Адрес".to_string() name="address" required=true server_error=action_error(save.value(), Some("address")) />
                <Field label="Часы работы".to_string() name="hours" />
                <Field label="Телефон".to_string() name="phone" input_type="tel" />
                <FormError message=action_error(save.value(), None) />
                <button type="submit" class="button button--primary">"Добавить офис"</button>
            </ActionForm>
        </section>
        <section class="card" aria-labelledby="staff-bookings-title">
            <h2 id="staff-bookings-title">"Записи на прием"</h2>
            <form method="get" action="/staff/offices" class="cluster">
                <label class="field__label" for="bookings-day">"День"</label>
                <input id="bookings-day" type="date" name="day" class="field__input" />
                <button type="submit" class="button button--secondary">"Показать записи"</button>
            </form>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match bookings.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"Записей на этот день нет."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="plain-list bookings">
                                {list.into_iter().map(|b| view! {
                                    <li class="booking">
                                        <strong>{b.when.clone()}</strong>
                                        {format!(" — {}: {}. Цель: {}{}", b.office, b.customer, b.topic, if b.cancelled { " (отменена)" } else { "" })}
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <StaffError error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}
