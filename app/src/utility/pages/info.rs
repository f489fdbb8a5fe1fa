//! The information sections (U-INF-1; seed 003 §2.13–2.17): «Интернет-магазин», «Акции»,
//! «Опросы», «Контакты» with «Запись на прием», «Заказ обратного звонка», «Видеозвонок» and
//! the web consultant.

use super::accounts::ApiErrorCard;
use crate::api::cases::load_case_draft;
use crate::components::field::{Field, FormError, action_error, rule};
use crate::components::idempotency::idempotency_key;
use crate::components::loading;
use crate::components::upload::{FieldMessage, UploadErrors, form_value};
use crate::utility::api::info::*;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use server_fn::ServerFn;
use shared::utility::info::*;

/// The customer's phone as the forms show it.
fn shown_phone(phone: &str) -> String {
    shared::contact::Phone::parse(phone).map_or_else(|_| phone.to_string(), |p| p.display())
}

#[component]
pub fn ShopPage() -> impl IntoView {
    let items = Resource::new(|| (), |_| load_shop());
    view! {
        <Title text="Интернет-магазин" />
        <section class="card" aria-labelledby="shop-title">
            <h1 id="shop-title">"Интернет-магазин"</h1>
            <p>"Товары и услуги поставщика. Заказ передается специалисту: он свяжется с вами, чтобы согласовать время."</p>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match items.await {
                        Ok(items) if items.is_empty() => view! { <p class="empty">"Сейчас товаров и услуг нет."</p> }.into_any(),
                        Ok(items) => view! {
                            <ul class="tiles">
                                {items.into_iter().map(|i| view! {
                                    <li class="tile">
                                        <h2 class="tile__title">{i.title.clone()}</h2>
                                        <p>{i.description.clone()}</p>
                                        <p class="tile__price">{format!("{} {}", i.price, i.unit).trim().to_string()}</p>
                                        <a class="button button--primary" href=format!("/shop/{}", i.id)
                                            aria-label=format!("Заказать: {}", i.title)>"Заказать"</a>
                                    </li>
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// One item and the order form: the account, the phone, a comment.
#[component]
pub fn OrderPage() -> impl IntoView {
    let params = use_params_map();
    let id = move || params.read().get("id").and_then(|i| i.parse::<i64>().ok());
    let items = Resource::new(|| (), |_| load_shop());
    let draft = Resource::new(|| (), |_| load_case_draft());
    let order = ServerAction::<PlaceOrder>::new();
    view! {
        <Title text="Заказ" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                let (items, draft) = (items.await, draft.await);
                let item = items.as_ref().ok().and_then(|list| list.iter().find(|i| Some(i.id) == id()).cloned());
                match (item, draft) {
                    (_, Err(e)) => view! { <ApiErrorCard error=e /> }.into_any(),
                    (None, _) => view! {
                        <section class="card narrow">
                            <h1>"Товар не найден"</h1>
                            <p><a href="/shop">"Вернуться в интернет-магазин"</a></p>
                        </section>
                    }.into_any(),
                    (Some(item), Ok(draft)) => {
                        let phone = RwSignal::new(shown_phone(&draft.phone));
                        let key = idempotency_key();
                        view! {
                            <section class="card narrow" aria-labelledby="order-title">
                                <p><a href="/shop">"← Интернет-магазин"</a></p>
                                <h1 id="order-title">{item.title.clone()}</h1>
                                <p>{item.description.clone()}</p>
                                <p class="tile__price">{format!("Цена: {} {}", item.price, item.unit).trim().to_string()}</p>
                                {if draft.accounts.is_empty() {
                                    view! {
                                        <p class="notice">"Чтобы оформить заказ, добавьте лицевой счет: заказ выполняется по его адресу."</p>
                                        <p><a class="button button--primary" href="/accounts/add">"Добавить лицевой счет"</a></p>
                                    }.into_any()
                                } else {
                                    view! {
                                        <ActionForm action=order>
                                            <input type="hidden" name="item" value=item.id.to_string() />
                                            <input type="hidden" name="key" value=key />
                                            <div class="field">
                                                <label class="field__label" for="order-account">"Лицевой счет"</label>
                                                <select id="order-account" name="account" class="field__input" aria-describedby="order-account-error">
                                                    {draft.accounts.iter().map(|a| view! {
                                                        <option value=a.id.to_string()>{format!("№ {}", a.number)}</option>
                                                    }).collect_view()}
                                                </select>
                                                <FieldMessage id="order-account-error".to_string() message=action_error(order.value(), Some("account")) />
                                            </div>
                                            <Field label="Номер телефона".to_string() name="phone" input_type="tel" autocomplete="tel"
                                                required=true value=phone check=rule(shared::contact::check_phone)
                                                server_error=action_error(order.value(), Some("phone")) />
                                            <div class="field">
                                                <label class="field__label" for="order-comment">"Комментарий"</label>
                                                <textarea id="order-comment" name="comment" class="field__input" rows="3"
                                                    aria-describedby="order-comment-error"></textarea>
                                                <FieldMessage id="order-comment-error".to_string() message=action_error(order.value(), Some("comment")) />
                                            </div>
                                            <FormError message=action_error(order.value(), None) />
                                            <button type="submit" class="button button--primary">"Оформить заказ"</button>
                                        </ActionForm>
                                    }.into_any()
                                }}
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

#[component]
pub fn PromotionsPage() -> impl IntoView {
    let promotions = Resource::new(|| (), |_| load_promotions());
    view! {
        <Title text="Акции" />
        <section class="card" aria-labelledby="promotions-title">
            <h1 id="promotions-title">"Акции"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match promotions.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"Сейчас акций нет."</p> }.into_any(),
                        Ok(list) => view! { <PromotionList list /> }.into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The promotions as cards; on a phone they scroll sideways (the main page's slider, U-ACC-7).
#[component]
pub fn PromotionList(list: Vec<Promotion>) -> impl IntoView {
    view! {
        <ul class="promotions">
            {list.into_iter().map(|p| view! {
                <li class="promotion">
                    <h2 class="promotion__title">{p.title.clone()}</h2>
                    <p class="promotion__dates">{p.dates()}</p>
                    <p>{p.body.clone()}</p>
                </li>
            }).collect_view()}
        </ul>
    }
}

#[component]
pub fn PollsPage() -> impl IntoView {
    let polls = Resource::new(|| (), |_| load_polls());
    view! {
        <Title text="Опросы" />
        <section class="card" aria-labelledby="polls-title">
            <h1 id="polls-title">"Опросы"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match polls.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"Опросов для вас нет."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="plain-list">
                                {list.into_iter().map(|p| {
                                    let state = if p.answered { "Ответ отправлен" } else if p.open { "Ждет вашего ответа" } else { "Завершен" };
                                    view! {
                                        <li class="poll-line">
                                            <a href=format!("/polls/{}", p.id)>{p.title.clone()}</a>
                                            " — " {state}
                                            {p.ends_on.map(|d| format!(" (до {})", d.caption()))}
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// A poll: its questions and [Отправить ответ], once; afterwards the thanks.
#[component]
pub fn PollPage() -> impl IntoView {
    let params = use_params_map();
    let query = use_query_map();
    let id = move || params.read().get("id").and_then(|i| i.parse::<i64>().ok());
    let polls = Resource::new(move || query.read().get("answered"), |_| load_polls());
    view! {
        <Title text="Опрос" />
        <Suspense fallback=loading>
            {move || Suspend::new(async move {
                match polls.await {
                    Ok(list) => match list.into_iter().find(|p| Some(p.id) == id()) {
                        Some(poll) => view! { <PollCard poll /> }.into_any(),
                        None => view! {
                            <section class="card narrow">
                                <h1>"Опрос не найден"</h1>
                                <p><a href="/polls">"Все опросы"</a></p>
                            </section>
                        }.into_any(),
                    },
                    Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// What the poll form holds, read the way the server reads it (in the browser).
fn answers_on_page(form: &leptos::web_sys::HtmlFormElement, poll: &Poll) -> Vec<PollAnswer> {
    poll.questions
        .iter()
        .map(|q| {
            let options = match q.kind {
                QuestionKind::Multiple => q
                    .options
                    .iter()
                    .filter(|o| !form_value(form, &option_name(q.id, o.id)).is_empty())
                    .map(|o| o.id)
                    .collect(),
                _ => form_value(form, &answer_name(q.id))
                    .parse::<i64>()
                    .ok()
                    .into_iter()
                    .collect(),
            };
            PollAnswer {
                question: q.id,
                options,
                text: form_value(form, &answer_name(q.id)),
            }
        })
        .collect()
}

#[component]
fn PollCard(poll: Poll) -> impl IntoView {
    let query = use_query_map();
    let thanks = move || query.read().get("answered").is_some();
    let errors = UploadErrors::new(<AnswerPoll as ServerFn>::PATH);
    let stored = StoredValue::new(poll.clone());
    let on_submit = move |ev: leptos::ev::SubmitEvent| {
        use leptos::wasm_bindgen::JsCast;
        let Some(form) = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlFormElement>().ok())
        else {
            return;
        };
        let checked =
            stored.with_value(|poll| check_poll_answers(poll, &answers_on_page(&form, poll)));
        match checked {
            Ok(()) => errors.client.set(None),
            Err(e) => {
                ev.prevent_default();
                errors.client.set(Some(e));
            }
        }
    };
    let body = if poll.answered {
        view! {
            {move || thanks().then(|| view! { <p class="notice notice--success" role="status">{POLL_THANKS}</p> })}
            <p class="notice">"Вы ответили на этот опрос. Спасибо за участие!"</p>
        }
        .into_any()
    } else if !poll.open {
        view! { <p class="notice">"Опрос завершен."</p> }.into_any()
    } else {
        let questions = poll
            .questions
            .iter()
            .map(|q| {
                let field = q.field();
                let error_id = format!("{field}-error");
                let message = errors.field(field.clone());
                let input = match q.kind {
                    QuestionKind::Text => view! {
                        <label class="visually-hidden" for=field.clone()>{q.text.clone()}</label>
                        <textarea id=field.clone() name=answer_name(q.id) class="field__input" rows="3"
                            aria-describedby=error_id.clone()></textarea>
                    }
                    .into_any(),
                    QuestionKind::Single => q
                        .options
                        .iter()
                        .map(|o| view! {
                            <label class="checkbox">
                                <input type="radio" name=answer_name(q.id) value=o.id.to_string()
                                    aria-describedby=error_id.clone() />
                                " " {o.text.clone()}
                            </label>
                        })
                        .collect_view()
                        .into_any(),
                    QuestionKind::Multiple => q
                        .options
                        .iter()
                        .map(|o| view! {
                            <label class="checkbox">
                                <input type="checkbox" name=option_name(q.id, o.id) value=o.id.to_string()
                                    aria-describedby=error_id.clone() />
                                " " {o.text.clone()}
                            </label>
                        })
                        .collect_view()
                        .into_any(),
                };
                view! {
                    <fieldset class="field poll-question">
                        <legend class="field__label">{q.text.clone()}</legend>
                        {input}
                        <FieldMessage id=error_id.clone() message=message />
                    </fieldset>
                }
            })
            .collect_view();
        view! {
            <form method="post" action={<AnswerPoll as ServerFn>::PATH} on:submit=on_submit novalidate=true>
                <input type="hidden" name="poll" value=poll.id.to_string() />
                {questions}
                <FormError message=errors.form() />
                <button type="submit" class="button button--primary">"Отправить ответ"</button>
            </form>
        }
        .into_any()
    };
    view! {
        <section class="card narrow" aria-labelledby="poll-title">
            <p><a href="/polls">"← Все опросы"</a></p>
            <h1 id="poll-title">{poll.title.clone()}</h1>
            {(!poll.description.is_empty()).then(|| view! { <p>{poll.description.clone()}</p> })}
            {body}
        </section>
    }
}

/// «Контакты»: the offices and the ways to reach the provider.
#[component]
pub fn ContactsPage() -> impl IntoView {
    let offices = Resource::new(|| (), |_| load_offices());
    view! {
        <Title text="Контакты" />
        <section class="card" aria-labelledby="contacts-title">
            <h1 id="contacts-title">"Контакты"</h1>
            <nav class="account-nav contacts-nav" aria-label="Связаться с поставщиком">
                <a class="account-nav__link" href="/contacts/booking">"Запись на прием"</a>
                <a class="account-nav__link" href="/contacts/callback">"Заказ обратного звонка"</a>
                <a class="account-nav__link" href="/video">"Видеозвонок"</a>
                <a class="account-nav__link" href="/consultant">"Web-консультант"</a>
            </nav>
            <h2>"Офисы обслуживания"</h2>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match offices.await {
                        Ok(list) if list.is_empty() => view! { <p class="empty">"Список офисов пока не заполнен."</p> }.into_any(),
                        Ok(list) => view! {
                            <ul class="offices">
                                {list.into_iter().map(|o| {
                                    let map = o.map_link();
                                    let tel = format!("tel:{}", o.phone.replace([' ', '(', ')', '-'], ""));
                                    view! {
                                        <li class="office">
                                            <h3 class="office__name">{o.name.clone()}</h3>
                                            <p>{o.address.clone()}</p>
                                            <p>{format!("Часы работы: {}", o.hours)}</p>
                                            <p><a href=tel>{o.phone.clone()}</a></p>
                                            <p><a href=map rel="noopener" target="_blank"
                                                aria-label=format!("Показать на карте: {} (откроется в новой вкладке)", o.name)>"Показать на карте"</a></p>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                        }.into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// «Запись на прием»: the office and the day (a GET form), a free time and the topic.
#[component]
pub fn BookingPage() -> impl IntoView {
    let query = use_query_map();
    let book = ServerAction::<Book>::new();
    let cancel = ServerAction::<CancelBooking>::new();
    let sheet = Resource::new(
        move || {
            let q = query.read();
            (
                q.get("office").and_then(|o| o.parse::<i64>().ok()),
                q.get("day"),
                q.get("booked"),
                q.get("cancelled"),
            )
        },
        |(office, day, _, _)| load_booking(office, day),
    );
    let booked = move || query.read().get("booked").is_some();
    let cancelled = move || query.read().get("cancelled").is_some();
    view! {
        <Title text="Запись на прием" />
        <section class="card" aria-labelledby="booking-title">
            <p><a href="/contacts">"← Контакты"</a></p>
            <h1 id="booking-title">"Запись на прием"</h1>
            {move || booked().then(|| view! { <p class="notice notice--success" role="status">{BOOKED_MESSAGE}</p> })}
            {move || cancelled().then(|| view! { <p class="notice notice--success" role="status">{BOOKING_CANCELLED_MESSAGE}</p> })}
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match sheet.await {
                        Ok(sheet) => view! { <BookingForms sheet book cancel /> }.into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn BookingForms(
    sheet: BookingSheet,
    book: ServerAction<Book>,
    cancel: ServerAction<CancelBooking>,
) -> impl IntoView {
    let day_value = sheet.day.map(|d| d.iso()).unwrap_or_default();
    let min = sheet.first_day.map(|d| d.iso()).unwrap_or_default();
    let max = sheet.last_day.map(|d| d.iso()).unwrap_or_default();
    let chosen_office = sheet.office;
    let office_name = sheet
        .offices
        .iter()
        .find(|o| Some(o.id) == chosen_office)
        .map(|o| o.name.clone());
    let slots = match (chosen_office, sheet.day) {
        (Some(_), Some(day)) if sheet.slots.is_empty() => view! {
            <p class="notice">{format!("На {} свободного времени нет. Выберите другой день.", day.caption())}</p>
        }
        .into_any(),
        (Some(office), Some(day)) => view! {
            <ActionForm action=book>
                <input type="hidden" name="office" value=office.to_string() />
                <input type="hidden" name="day" value=day.iso() />
                <fieldset class="field slots">
                    <legend class="field__label">
                        {format!("Свободное время, {}, {}", office_name.clone().unwrap_or_default(), day.caption())}
                    </legend>
                    <div class="slots__list">
                        {sheet.slots.iter().map(|s| view! {
                            <label class="slot">
                                <input type="radio" name="slot" value=s.id.to_string() aria-describedby="slot-error" />
                                " " {s.time.clone()}
                            </label>
                        }).collect_view()}
                    </div>
                    <FieldMessage id="slot-error".to_string() message=action_error(book.value(), Some("slot")) />
                </fieldset>
                <Field label="Цель визита".to_string() name="topic" required=true check=rule(check_short_text)
                    server_error=action_error(book.value(), Some("topic")) />
                <FormError message=action_error(book.value(), None) />
                <button type="submit" class="button button--primary">"Записаться"</button>
            </ActionForm>
        }
        .into_any(),
        _ => view! { <p class="field__hint">"Выберите офис и день, чтобы увидеть свободное время."</p> }.into_any(),
    };
    view! {
        <form method="get" action="/contacts/booking" class="booking-choice">
            <div class="field">
                <label class="field__label" for="booking-office">"Офис"</label>
                <select id="booking-office" name="office" class="field__input">
                    {sheet.offices.iter().map(|o| view! {
                        <option value=o.id.to_string() selected=Some(o.id) == chosen_office>{format!("{} — {}", o.name, o.address)}</option>
                    }).collect_view()}
                </select>
            </div>
            <div class="field">
                <label class="field__label" for="booking-day">"День"</label>
                <input id="booking-day" type="date" name="day" class="field__input" required=true
                    value=day_value min=min max=max />
            </div>
            <button type="submit" class="button button--secondary">"Показать свободное время"</button>
        </form>
        {slots}
        <h2>"Мои записи"</h2>
        {if sheet.bookings.is_empty() {
            view! { <p class="empty">"Записей нет."</p> }.into_any()
        } else {
            view! {
                <ul class="plain-list bookings">
                    {sheet.bookings.into_iter().map(|b| {
                        let state = if b.cancelled { "отменена" } else if b.upcoming { "предстоит" } else { "прошла" };
                        view! {
                            <li class="booking">
                                <strong>{b.when.clone()}</strong>
                                {format!(" — {}, {} ({}). Цель: {}", b.office, b.address, state, b.topic)}
                                {b.upcoming.then(|| view! {
                                    <ActionForm action=cancel attr:class="inline-form">
                                        <input type="hidden" name="booking" value=b.id.to_string() />
                                        <button type="submit" class="button button--secondary"
                                            aria-label=format!("Отменить запись на {}", b.when)>"Отменить"</button>
                                    </ActionForm>
                                })}
                            </li>
                        }
                    }).collect_view()}
                </ul>
            }.into_any()
        }}
    }
}

/// «Заказ обратного звонка»: the phone, a convenient time and the topic.
#[component]
pub fn CallbackPage() -> impl IntoView {
    let draft = Resource::new(|| (), |_| load_case_draft());
    let callback = ServerAction::<RequestCallback>::new();
    view! {
        <Title text="Заказ обратного звонка" />
        <section class="card narrow" aria-labelledby="callback-title">
            <p><a href="/contacts">"← Контакты"</a></p>
            <h1 id="callback-title">"Заказ обратного звонка"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match draft.await {
                        Ok(draft) => {
                            let phone = RwSignal::new(shown_phone(&draft.phone));
                            view! {
                                <ActionForm action=callback>
                                    <input type="hidden" name="key" value=idempotency_key() />
                                    <Field label="Номер телефона".to_string() name="phone" input_type="tel" autocomplete="tel"
                                        required=true value=phone check=rule(shared::contact::check_phone)
                                        server_error=action_error(callback.value(), Some("phone")) />
                                    <div class="field">
                                        <label class="field__label" for="callback-time">"Удобное время"</label>
                                        <select id="callback-time" name="time" class="field__input" aria-describedby="callback-time-error">
                                            {CALLBACK_TIMES.iter().map(|t| view! { <option value=*t>{*t}</option> }).collect_view()}
                                        </select>
                                        <FieldMessage id="callback-time-error".to_string() message=action_error(callback.value(), Some("time")) />
                                    </div>
                                    <Field label="Тема разговора".to_string() name="topic" required=true check=rule(check_short_text)
                                        server_error=action_error(callback.value(), Some("topic")) />
                                    <FormError message=action_error(callback.value(), None) />
                                    <button type="submit" class="button button--primary">"Заказать звонок"</button>
                                </ActionForm>
                            }.into_any()
                        }
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// The web consultant: a question opens a conversation with staff (its card is the chat).
#[component]
pub fn ConsultantPage() -> impl IntoView {
    let ask = ServerAction::<AskConsultant>::new();
    view! {
        <Title text="Web-консультант" />
        <section class="card narrow" aria-labelledby="consultant-title">
            <p><a href="/contacts">"← Контакты"</a></p>
            <h1 id="consultant-title">"Web-консультант"</h1>
            <p>"Задайте вопрос — специалист ответит здесь же, в переписке. Ответ придет и в «Уведомления»."</p>
            <ActionForm action=ask>
                <input type="hidden" name="key" value=idempotency_key() />
                <div class="field">
                    <label class="field__label" for="consultant-question">"Ваш вопрос"</label>
                    <textarea id="consultant-question" name="question" class="field__input" rows="4" aria-required="true"
                        aria-describedby="consultant-question-error"></textarea>
                    <FieldMessage id="consultant-question-error".to_string() message=action_error(ask.value(), Some(shared::cases::field::TEXT)) />
                </div>
                <FormError message=action_error(ask.value(), None) />
                <button type="submit" class="button button--primary">"Отправить вопрос"</button>
            </ActionForm>
            <p><a href="/appeals">"Мои обращения и разговоры с консультантом"</a></p>
        </section>
    }
}
