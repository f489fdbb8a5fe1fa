//! Payments: the payment page of an account (`/accounts/:id/pay`, U-PAY-6) and of all accounts
//! (`/pay-all`, U-ALL-1), a payment's own page with its SBP QR code or its result
//! (`/payments/:id`, U-PAY-7/8), the payment rules (`/payments/rules`), and «Подключенные
//! платежные реквизиты» with autopay (`/profile/autopay`, U-PRF-6).

use super::accounts::{AccountNav, ApiErrorCard, account_param};
use crate::components::field::{FormEcho, FormError, action_error, use_interactive};
use crate::components::idempotency::idempotency_key;
use crate::components::table::TableWrap;
use crate::utility::api::payments::{
    Pay, StartAutopay, StopAutopay, load_autopays, load_pay_sheet, load_payment,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::payments::*;
use shared::{ApiError, Kopecks};
use std::time::Duration;

#[component]
pub fn PayPage() -> impl IntoView {
    let id = account_param();
    view! {
        <Title text="Оплата" />
        {move || match id.get() {
            None => view! { <ApiErrorCard error=ApiError::NotFound /> }.into_any(),
            Some(account) => view! {
                <section class="card pay" aria-labelledby="pay-title">
                    <h1 id="pay-title">"Оплата"</h1>
                    <AccountNav account current="billing" />
                    <PaySection account=Some(account) />
                </section>
            }.into_any(),
        }}
    }
}

/// «Оплатить по всем лицевым счетам» (U-ALL-1).
#[component]
pub fn PayAllPage() -> impl IntoView {
    view! {
        <Title text="Оплатить по всем лицевым счетам" />
        <section class="card pay" aria-labelledby="pay-title">
            <h1 id="pay-title">"Оплатить по всем лицевым счетам"</h1>
            <PaySection account=None />
        </section>
    }
}

#[component]
fn PaySection(account: Option<i64>) -> impl IntoView {
    let sheet = Resource::new(move || account, load_pay_sheet);
    view! {
        <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match sheet.await {
                    Ok(s) if !s.available => view! {
                        <p class="notice notice--warning" role="status">"Оплата в личном кабинете временно недоступна."</p>
                    }.into_any(),
                    Ok(s) if account.is_none() && accounts_in(&s) < 2 => view! {
                        <p class="notice" role="status">"Раздел доступен, когда к личному кабинету привязано больше одного лицевого счета."</p>
                    }.into_any(),
                    Ok(s) if s.lines.is_empty() => view! {
                        <p class="notice" role="status">"По лицевому счету нет поставщиков услуг для оплаты."</p>
                    }.into_any(),
                    Ok(s) => view! { <PayForm account s /> }.into_any(),
                    Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn accounts_in(s: &PaySheet) -> usize {
    let mut accounts: Vec<i64> = s.lines.iter().map(|l| l.account).collect();
    accounts.dedup();
    accounts.len()
}

/// A line of the form: its tick and its amount as typed.
#[derive(Clone, Copy)]
struct LineState {
    chosen: RwSignal<bool>,
    amount: RwSignal<String>,
}

/// The payment form (U-PAY-6): a line per supplier (grouped by account on «по всем лицевым
/// счетам»), the live total, the method, the rules and the receipt; [Оплатить] waits until
/// everything is filled (the rule of `shared::payments::check_payment_form`).
#[component]
fn PayForm(account: Option<i64>, s: PaySheet) -> impl IntoView {
    let pay = ServerAction::<Pay>::new();
    let interactive = use_interactive();
    let echo = use_context::<FormEcho>().filter(|e| e.0.contains_key("key"));
    let echoed = |name: String| echo.as_ref().and_then(|e| e.0.get(&name).cloned());
    let key = echoed("key".into()).unwrap_or_else(idempotency_key);
    let maximum = s.maximum;
    let states: Vec<LineState> = s
        .lines
        .iter()
        .enumerate()
        .map(|(i, l)| LineState {
            chosen: RwSignal::new(match &echo {
                Some(_) => echoed(format!("chosen[{i}]")).is_some(),
                None => l.balance.0 > 0,
            }),
            amount: RwSignal::new(match &echo {
                // An empty amount is not echoed: it was sent empty.
                Some(_) => echoed(format!("amounts[{i}]")).unwrap_or_default(),
                None => l.prefill(),
            }),
        })
        .collect();
    let method = RwSignal::new(echoed("method".into()));
    let rules = RwSignal::new(echoed("rules".into()).is_some());
    let receipt = RwSignal::new(echoed("receipt".into()).is_some());
    let states = StoredValue::new(states);
    let form = move || PaymentForm {
        lines: states.with_value(|st| {
            st.iter()
                .map(|l| LineInput {
                    chosen: l.chosen.get(),
                    amount: l.amount.get(),
                })
                .collect()
        }),
        method: method.get(),
        rules_accepted: rules.get(),
    };
    let checked = Memo::new(move |_| check_payment_form(&form(), maximum));
    let total = move || {
        let sum: i64 = states.with_value(|st| {
            st.iter()
                .filter(|l| l.chosen.get())
                .filter_map(|l| check_line_amount(&l.amount.get()).ok())
                .map(|k| k.0)
                .sum()
        });
        Kopecks(sum)
    };
    let outcome: Signal<Option<Result<(), ApiError>>> =
        Signal::derive(move || pay.value().get().map(|r| r.map(|_| ())));
    let server_message = move |field: &'static str| {
        Signal::derive(move || {
            outcome
                .get()
                .and_then(Result::err)
                .and_then(|e| e.field_message(field).map(str::to_string))
        })
    };
    // What still keeps [Оплатить] unavailable, once the page checks live.
    let missing = move || {
        checked
            .get()
            .err()
            .map(|errors| {
                errors
                    .into_iter()
                    .filter(|e| !e.field.starts_with("amount:"))
                    .map(|e| e.message)
                    .collect::<Vec<_>>()
                    .join(" ")
            })
            .filter(|m| !m.is_empty())
    };
    let several = account.is_none();
    let lines = s.lines.clone();
    let groups = group_by_account(&lines);
    let receipt_email = s.receipt_email.clone();
    view! {
        <ActionForm action=pay attr:class="pay-form">
            {account.map(|a| view! { <input type="hidden" name="account" value=a.to_string() /> })}
            <input type="hidden" name="key" value=key />
            {view! {
            <TableWrap label="Начисления по поставщикам услуг">
                <table class="table pay-lines">
                    <caption>"Начисления по поставщикам услуг"</caption>
                    <thead><tr>
                        <th scope="col">"Оплатить"</th>
                        <th scope="col">"Поставщик услуг"</th>
                        <th scope="col" class="num">"Задолженность"</th>
                        <th scope="col">"Сумма, руб."</th>
                    </tr></thead>
                    {groups.into_iter().map(|(number, indices)| {
                        let heading = several.then(|| view! {
                            <tr><th scope="rowgroup" colspan="4" class="pay-lines__account">{format!("Лицевой счет № {number}")}</th></tr>
                        });
                        view! {
                            <tbody>
                                {heading}
                                {indices.into_iter().map(|i| {
                                    let line = lines[i].clone();
                                    let state = states.with_value(|st| st[i]);
                                    view! { <PayLineRow i line state server=server_message_for(outcome, i) /> }.into_any()
                                }).collect_view()}
                            </tbody>
                        }
                    }).collect_view()}
                </table>
            </TableWrap>
            }.into_any()}
            <FormError message=server_message(LINES_FIELD) />
            <p class="pay-total" aria-live="polite">"Итого к оплате: " <strong>{move || total().to_string()}</strong></p>
            {view! {
            <fieldset class="field pay-methods">
                <legend class="field__label">"Выберите способ оплаты"</legend>
                {PaymentMethod::CHOICES.into_iter().map(|m| {
                    let id = format!("method-{}", m.code());
                    let for_id = id.clone();
                    view! {
                        <label class="radio" for=for_id>
                            <input type="radio" id=id name="method" value=m.code()
                                checked=move || method.get().as_deref() == Some(m.code())
                                on:change=move |_| method.set(Some(m.code().to_string())) />
                            " " {m.caption()}
                        </label>
                    }
                }).collect_view()}
                <FieldMessage message=server_message(METHOD_FIELD) />
            </fieldset>
            }.into_any()}
            {view! {
            <p>"Ознакомьтесь с "<a href="/payments/rules" target="_blank" rel="noopener">"Правилами"</a>" оплаты."</p>
            <label class="checkbox">
                <input type="checkbox" name="rules" value="yes" checked=move || rules.get()
                    on:change=move |ev| rules.set(event_target_checked(&ev)) />
                " С правилами оплаты ознакомлен(а)"
            </label>
            <FieldMessage message=server_message(RULES_FIELD) />
            {match receipt_email {
                Some(email) => view! {
                    <label class="checkbox">
                        <input type="checkbox" name="receipt" value="yes" checked=move || receipt.get()
                            on:change=move |ev| receipt.set(event_target_checked(&ev)) />
                        " Получить квитанцию"
                    </label>
                    <p class="field__hint">{format!("Квитанция об оплате придет на {email}.")}</p>
                }.into_any(),
                None => view! {
                    <label class="checkbox">
                        <input type="checkbox" name="receipt" value="yes" disabled=true aria-describedby="receipt-hint" />
                        " Получить квитанцию"
                    </label>
                    <p class="field__hint" id="receipt-hint">"Чтобы получать квитанции об оплате, подтвердите адрес электронной почты в профиле."</p>
                }.into_any(),
            }}
            <FieldMessage message=server_message(RECEIPT_FIELD) />
            }.into_any()}
            <FormError message=action_error(pay.value(), None) />
            <div class="cluster">
                <button type="submit" class="button button--primary"
                    aria-describedby="pay-missing"
                    disabled=move || interactive.get() && checked.get().is_err()>"Оплатить"</button>
            </div>
            <p class="field__hint" id="pay-missing" aria-live="polite">
                {move || interactive.get().then(missing).flatten()}
            </p>
        </ActionForm>
    }
}

/// The indices of the lines per account, in order.
fn group_by_account(lines: &[PayLine]) -> Vec<(String, Vec<usize>)> {
    let mut groups: Vec<(String, Vec<usize>)> = Vec::new();
    for (i, l) in lines.iter().enumerate() {
        match groups.last_mut() {
            Some((number, indices)) if *number == l.account_number => indices.push(i),
            _ => groups.push((l.account_number.clone(), vec![i])),
        }
    }
    groups
}

fn server_message_for(
    outcome: Signal<Option<Result<(), ApiError>>>,
    i: usize,
) -> Signal<Option<String>> {
    let field = amount_field(i);
    Signal::derive(move || {
        outcome
            .get()
            .and_then(Result::err)
            .and_then(|e| e.field_message(&field).map(str::to_string))
    })
}

/// A message under a control, tied to nothing else (the control names it itself).
#[component]
fn FieldMessage(message: Signal<Option<String>>) -> impl IntoView {
    view! {
        {move || message.get().map(|m| view! { <p class="field__error" role="alert">{m}</p> })}
    }
}

#[component]
fn PayLineRow(
    i: usize,
    line: PayLine,
    state: LineState,
    server: Signal<Option<String>>,
) -> impl IntoView {
    let edited = RwSignal::new(false);
    Effect::new(move |_| {
        server.track();
        edited.set(false);
    });
    let message = move || {
        if edited.get() {
            if state.chosen.get() {
                check_line_amount(&state.amount.get()).err()
            } else {
                None
            }
        } else {
            server.get()
        }
    };
    let amount_id = format!("amount-{i}");
    let error_id = format!("amount-{i}-error");
    let owed = shared::balance::Balance::from_owed(line.balance).words();
    let label = format!("{}, лицевой счет № {}", line.supplier, line.account_number);
    let described = {
        let error_id = error_id.clone();
        move || message().is_some().then(|| error_id.clone())
    };
    view! {
        <tr>
            <td>
                <input type="hidden" name=format!("keys[{i}]") value=line.key() />
                <input type="checkbox" name=format!("chosen[{i}]") value=line.key()
                    aria-label=format!("Оплатить: {label}")
                    checked=move || state.chosen.get()
                    on:change=move |ev| { state.chosen.set(event_target_checked(&ev)); edited.set(true); } />
            </td>
            <th scope="row">{line.supplier.clone()}</th>
            <td class="num">{owed}</td>
            <td>
                <input class="field__input pay-lines__amount" id=amount_id name=format!("amounts[{i}]")
                    inputmode="decimal" autocomplete="off"
                    aria-label=format!("Сумма, руб.: {label}")
                    aria-invalid=move || message().is_some().then_some("true")
                    aria-describedby=described
                    prop:value=move || state.amount.get()
                    value=state.amount.get_untracked()
                    on:input=move |ev| { state.amount.set(event_target_value(&ev)); edited.set(true); } />
                {move || message().map(|m| view! { <p class="field__error" id=error_id.clone() role="alert">{m}</p> })}
            </td>
        </tr>
    }
}

/// A payment's page: the SBP QR code with its countdown, the way to the card page, or the
/// result; it follows the payment by itself (without script it reloads itself).
#[component]
pub fn PaymentPage() -> impl IntoView {
    let params = use_params_map();
    let id = Memo::new(move |_| params.read().get("id").and_then(|v| v.parse::<i64>().ok()));
    let tick = RwSignal::new(0u64);
    let payment = Resource::new(
        move || (id.get(), tick.get()),
        |(id, _)| async move {
            match id {
                Some(id) => load_payment(id).await,
                None => Err(ApiError::NotFound),
            }
        },
    );
    Effect::new(move |_| {
        let poll = move || {
            if let Some(Ok(p)) = payment.get_untracked()
                && matches!(p.state, PaymentState::Pending { .. })
            {
                tick.update(|t| *t += 1);
            }
        };
        if let Ok(handle) = set_interval_with_handle(poll, Duration::from_secs(2)) {
            on_cleanup(move || handle.clear());
        }
    });
    // Just created by [Оплатить] with a card: on to the acquirer's card page.
    let query = use_query_map();
    let go_to_card = move || query.read().get("go").as_deref() == Some("card");
    Effect::new(move |_| {
        if let Some(Ok(p)) = payment.get()
            && go_to_card()
            && matches!(p.state, PaymentState::Pending { .. })
            && let Some(link) = p.link
        {
            let _ = window().location().set_href(&link);
        }
    });
    view! {
        <Title text="Оплата" />
        <section class="card payment" aria-labelledby="payment-title">
            <h1 id="payment-title">"Оплата"</h1>
            <div aria-live="polite">
                <Transition fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
                    {move || Suspend::new(async move {
                        match payment.await {
                            Ok(p) => view! { <PaymentDetails p go_card=go_to_card() /> }.into_any(),
                            Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                        }
                    })}
                </Transition>
            </div>
        </section>
    }
}

#[component]
fn PaymentDetails(p: PaymentView, go_card: bool) -> impl IntoView {
    // A shop order's payment goes back to the order's card.
    let order_card = p.order_case.clone().map(|n| format!("/cases/{n}"));
    let back = match &order_card {
        Some(card) => card.clone(),
        None => p.account.map_or_else(
            || "/".to_string(),
            |a| format!("/accounts/{a}/billing?tab=payments"),
        ),
    };
    let again = p
        .account
        .filter(|_| {
            let mut numbers: Vec<&str> =
                p.lines.iter().map(|l| l.account_number.as_str()).collect();
            numbers.dedup();
            numbers.len() == 1
        })
        .map_or_else(|| "/pay-all".to_string(), |a| format!("/accounts/{a}/pay"));
    let again = order_card
        .clone()
        .map_or(again, |card| format!("{card}#order-pay"));
    let state = match p.state {
        PaymentState::Pending { expires_in_secs } => match (p.method, p.link.clone()) {
            (PaymentMethod::Sbp, Some(link)) => view! {
                <figure class="qr-code">
                    <img src=format!("/payments/{}/qr.svg", p.id) width="240" height="240"
                        alt="QR-код для оплаты через Систему быстрых платежей" />
                    <figcaption>{format!("Ссылка действует еще {}", countdown(expires_in_secs))}</figcaption>
                </figure>
                <ol class="qr-steps">
                    <li>"Откройте приложение своего банка и выберите оплату по QR-коду."</li>
                    <li>"Наведите камеру на QR-код и подтвердите платеж в приложении."</li>
                </ol>
                <p>"Оплачиваете с телефона? Откройте ссылку — телефон предложит выбрать приложение банка."</p>
                <a class="button button--primary pay-open-bank" href=link>"Открыть приложение банка"</a>
                <p>"Страница покажет результат сама, как только банк сообщит об оплате."</p>
                <noscript inner_html=r#"<meta http-equiv="refresh" content="3">"# />
            }.into_any(),
            (_, Some(link)) => view! {
                <p>"Оплата ожидает ввода данных карты на странице банка."</p>
                <a class="button button--primary" href=link.clone()>"Перейти к оплате картой"</a>
                // Without script: straight on to the card page when just created, else follow
                // the payment by reloading.
                <noscript inner_html=if go_card {
                    format!(r#"<meta http-equiv="refresh" content="0;url={}">"#, shared::html::escape(&link))
                } else {
                    r#"<meta http-equiv="refresh" content="3">"#.to_string()
                } />
            }.into_any(),
            (_, None) => view! {
                <p aria-busy="true">"Ждем ответа банка…"</p>
                <noscript inner_html=r#"<meta http-equiv="refresh" content="3">"# />
            }.into_any(),
        },
        PaymentState::Succeeded => view! {
            <p class="notice notice--success" role="status">{PAYMENT_SUCCEEDED_MESSAGE}</p>
            {p.receipt_email.clone().map(|e| view! { <p>{format!("Квитанция об оплате отправлена на {e}.")}</p> })}
        }.into_any(),
        PaymentState::Failed => view! {
            <p class="notice notice--warning" role="alert">{PAYMENT_FAILED_MESSAGE}</p>
            <a class="button button--primary" href=again.clone()>"Оплатить снова"</a>
        }.into_any(),
        PaymentState::Expired => view! {
            <p class="notice notice--warning" role="alert">{PAYMENT_EXPIRED_MESSAGE}</p>
            <a class="button button--primary" href=again.clone()>"Оплатить снова"</a>
        }.into_any(),
    };
    view! {
        <dl class="summary">
            <dt>"Платеж"</dt><dd>{format!("№ {}", p.number)}</dd>
            <dt>"Способ оплаты"</dt><dd>{p.method.caption()}</dd>
            <dt>"Сумма"</dt><dd><strong>{p.amount.to_string()}</strong></dd>
            <dt>"Статус"</dt><dd>{p.state.caption()}</dd>
        </dl>
        {p.order_case.clone().map(|n| view! { <p>{format!("Оплата заказа № {n}")}</p> })}
        {(!p.lines.is_empty()).then(|| view! {
        <TableWrap label="Состав платежа">
            <table class="table">
                <caption class="visually-hidden">"Состав платежа"</caption>
                <thead><tr>
                    <th scope="col">"Лицевой счет"</th>
                    <th scope="col">"Поставщик услуг"</th>
                    <th scope="col" class="num">"Сумма"</th>
                </tr></thead>
                <tbody>
                    {p.lines.iter().map(|l| view! {
                        <tr><td>{l.account_number.clone()}</td><th scope="row">{l.supplier.clone()}</th><td class="num">{l.amount.to_string()}</td></tr>
                    }).collect_view()}
                </tbody>
            </table>
        </TableWrap>
        })}
        {state}
        <p><a href=back>{if order_card.is_some() { "К заказу" } else { "К истории оплат" }}</a></p>
    }
}

/// «Правилами» of the payment page.
#[component]
pub fn PaymentRulesPage() -> impl IntoView {
    view! {
        <Title text="Правила оплаты" />
        <section class="card prose" aria-labelledby="rules-title">
            <h1 id="rules-title">"Правила оплаты"</h1>
            <ol>
                <li>"Оплата в личном кабинете принимается через Систему быстрых платежей (СБП) и банковскими картами. Комиссия с плательщика не взимается."</li>
                <li>"Сумма по каждому поставщику услуг — не менее 10,00 руб. Можно оплатить часть поставщиков, сумму больше или меньше начисленной, а при отсутствии долга — внести аванс."</li>
                <li>"Данные карты вводятся только на защищенной странице банка-эквайера; личный кабинет их не получает и не хранит."</li>
                <li>"Платеж зачисляется на лицевой счет в день оплаты; результат оплаты показывается на странице платежа и приходит уведомлением."</li>
                <li>"Квитанция об оплате отправляется на подтвержденный адрес электронной почты, если при оплате отмечено «Получить квитанцию»."</li>
                <li>"Ошибочно внесенную сумму можно вернуть по заявлению на возврат денежных средств (раздел «Мои заявления и документы»)."</li>
                <li>"Автоплатеж списывает задолженность с сохраненной карты в выбранный день месяца, не больше заданной суммы; его можно отключить в любой момент в профиле."</li>
            </ol>
        </section>
    }
}

/// «Подключенные платежные реквизиты» (U-PRF-6): autopay per linked account.
#[component]
pub fn AutopayPage() -> impl IntoView {
    let stop = ServerAction::<StopAutopay>::new();
    let start = ServerAction::<StartAutopay>::new();
    let autopays = Resource::new(move || stop.version().get(), |_| load_autopays());
    // Script on: the acquirer's page to save the card, by a full page load.
    Effect::new(move |_| {
        if let Some(Ok(link)) = start.value().get() {
            let _ = window().location().set_href(&link);
        }
    });
    let query = use_query_map();
    let done = move || query.read().get("done");
    let chosen = move || {
        query
            .read()
            .get("account")
            .and_then(|a| a.parse::<i64>().ok())
    };
    view! {
        <Title text="Подключенные платежные реквизиты" />
        <super::profile::ProfileNav current="/profile/autopay" />
        <section class="card" aria-labelledby="autopay-title">
            <h1 id="autopay-title">"Подключенные платежные реквизиты"</h1>
            <p>"Автоплатеж сам оплачивает задолженность по лицевому счету с сохраненной карты в выбранный день месяца — не больше заданной суммы. Данные карты хранит банк, личный кабинет видит только последние цифры номера."</p>
            {move || done().map(|d| {
                let text = if d == "off" { AUTOPAY_OFF_MESSAGE } else { "Карта сохранена в банке. Автоплатеж подключится, как только банк подтвердит сохранение карты." };
                view! { <p class="notice notice--success" role="status">{text}</p> }
            })}
            <FormError message=action_error(stop.value(), None) />
            <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match autopays.await {
                        Ok(lines) if lines.is_empty() => view! {
                            <p class="notice">"Привяжите лицевой счет, чтобы подключить автоплатеж."</p>
                        }.into_any(),
                        Ok(lines) => lines.into_iter().map(|l| {
                            let open = chosen() == Some(l.account);
                            view! { <AutopayBlock l start stop open /> }
                        }).collect_view().into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

#[component]
fn AutopayBlock(
    l: AutopayLine,
    start: ServerAction<StartAutopay>,
    stop: ServerAction<StopAutopay>,
    open: bool,
) -> impl IntoView {
    let account = l.account;
    let title_id = format!("autopay-{account}");
    let labelled_by = title_id.clone();
    let day_id = format!("day-{account}");
    let max_id = format!("max-{account}");
    // Checked as typed by the rule the server applies (which also knows the provider's maximum).
    let day = RwSignal::new("10".to_string());
    let max_amount = RwSignal::new("5000".to_string());
    let edited = RwSignal::new(false);
    let live = move |field: &'static str| {
        check_autopay(&day.get(), &max_amount.get(), Kopecks(i64::MAX))
            .err()
            .and_then(|errors| errors.into_iter().find(|e| e.field == field))
            .map(|e| e.message)
    };
    Effect::new(move |_| {
        // A new answer from the server shows its messages again.
        start.version().track();
        edited.set(false);
    });
    let error = move |field: &'static str| {
        Signal::derive(move || {
            if edited.get() {
                return live(field);
            }
            start
                .value()
                .get()
                .and_then(Result::err)
                .filter(|_| start.input().get().is_none_or(|i| i.account == account))
                .and_then(|e| e.field_message(field).map(str::to_string))
        })
    };
    view! {
        <section class="autopay" id=format!("account-{account}") aria-labelledby=labelled_by>
            <h2 id=title_id>{format!("Лицевой счет № {}", l.account_number)}</h2>
            <p>{l.address.clone()}</p>
            {match l.autopay {
                Some(a) => view! {
                    <p class="notice notice--success">{format!(
                        "Автоплатеж подключен: карта {}, {}-го числа каждого месяца, не более {} в месяц.",
                        a.card, a.day, a.max_amount
                    )}</p>
                    <ActionForm action=stop>
                        <input type="hidden" name="account" value=account.to_string() />
                        <button type="submit" class="button button--secondary"
                            aria-label=format!("Отключить автоплатеж по лицевому счету № {}", l.account_number)>"Отключить автоплатеж"</button>
                    </ActionForm>
                }.into_any(),
                None => view! {
                    <details class="autopay__setup" open=open>
                        <summary>"Подключить автоплатеж"</summary>
                        <ActionForm action=start attr:class="form">
                            <input type="hidden" name="account" value=account.to_string() />
                            <input type="hidden" name="key" value=idempotency_key() />
                            <div class="field">
                                <label class="field__label" for=day_id.clone()>"День списания (1–28)"</label>
                                <input class="field__input" id=day_id name="day" type="number" min="1" max="28" value="10" inputmode="numeric"
                                    on:input=move |ev| { day.set(event_target_value(&ev)); edited.set(true); } />
                                <FieldMessage message=error(DAY_FIELD) />
                            </div>
                            <div class="field">
                                <label class="field__label" for=max_id.clone()>"Не более, руб. в месяц"</label>
                                <input class="field__input" id=max_id name="max_amount" value="5000" inputmode="decimal"
                                    on:input=move |ev| { max_amount.set(event_target_value(&ev)); edited.set(true); } />
                                <FieldMessage message=error(MAX_AMOUNT_FIELD) />
                            </div>
                            <button type="submit" class="button button--primary">"Сохранить карту и подключить"</button>
                        </ActionForm>
                    </details>
                }.into_any(),
            }}
        </section>
    }
}
