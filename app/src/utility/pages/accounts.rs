//! Personal accounts on the main page (U-ACC-3..6) and the pages that add, rename and remove
//! one (U-ACC-1, U-ACC-2).

use crate::components::field::{Field, FormError, action_error, rule};
use crate::utility::api::accounts::{
    LinkAccount, RenameAccount, SubscribeEReceipt, UnlinkAccount, list_accounts, list_branches,
    load_overview,
};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_params_map, use_query_map};
use shared::ApiError;
use shared::balance::Balance;
use shared::utility::billing::{self, AccountCard, AccountOverview};

/// The account id of the page's `:id` segment.
pub fn account_param() -> Memo<Option<i64>> {
    let params = use_params_map();
    Memo::new(move |_| params.read().get("id").and_then(|id| id.parse().ok()))
}

/// What a page shows when its data cannot be had.
#[component]
pub fn ApiErrorCard(error: ApiError) -> impl IntoView {
    match error {
        ApiError::Unauthorized => view! {
            <section class="card narrow">
                <h1>"Войдите в личный кабинет"</h1>
                <p>"Эта страница доступна после входа."</p>
                <p><a class="button button--primary" href="/login">"Войти"</a></p>
            </section>
        }
        .into_any(),
        ApiError::NotFound => view! {
            <section class="card narrow">
                <h1>"Лицевой счет не найден"</h1>
                <p>"Этого лицевого счета нет среди подключенных к вашему личному кабинету."</p>
                <p><a class="button button--secondary" href="/">"На главную"</a></p>
            </section>
        }
        .into_any(),
        other => view! {
            <section class="card narrow" role="alert">
                <h1>"Не удалось загрузить данные"</h1>
                <p>{other.to_string()}</p>
                <p><a class="button button--secondary" href="">"Повторить"</a></p>
            </section>
        }
        .into_any(),
    }
}

/// The balance as U-ACC-5 words it: the caption and the amount (0 when nothing is owed).
#[component]
pub fn BalanceText(owed: shared::Kopecks) -> impl IntoView {
    let balance = Balance::from_owed(owed);
    let class = match balance {
        Balance::ToPay(_) => "balance balance--debt",
        Balance::Overpaid(_) => "balance balance--ahead",
        Balance::Settled => "balance balance--settled",
    };
    view! {
        <p class=class>
            <span class="balance__caption">{balance.caption()}</span>
            " "
            <strong class="balance__amount">
                {balance.amount()}
            </strong>
        </p>
    }
}

/// The sections of an account (U-ACC-6).
#[component]
pub fn AccountNav(account: i64, #[prop(into)] current: String) -> impl IntoView {
    let links = [
        (format!("/?account={account}"), "Главная", "home"),
        (
            format!("/accounts/{account}/details"),
            "Реквизиты лицевого счета",
            "details",
        ),
        (
            format!("/accounts/{account}/billing"),
            "Начисления и оплаты",
            "billing",
        ),
        (
            format!("/accounts/{account}/meters"),
            "Приборы учета",
            "meters",
        ),
        (
            format!("/appeals?account={account}"),
            "Обращения",
            "appeals",
        ),
        (
            format!("/documents?account={account}"),
            "Документы и заявления",
            "documents",
        ),
    ];
    view! {
        <nav class="account-nav" aria-label="Разделы лицевого счета">
            {links
                .into_iter()
                .map(|(href, caption, key)| {
                    let here = key == current;
                    view! {
                        <a class="account-nav__link" class:account-nav__link--current=here href=href
                            aria-current=here.then_some("page")>{caption}</a>
                    }
                })
                .collect_view()}
        </nav>
    }
}

/// The accounts part of the main page: the list, the switcher and the selected account.
/// Both resources are made here, before the one boundary that waits for them: a resource
/// made inside a resolved boundary is not among the data the server hands to hydration.
#[component]
pub fn AccountsPanel() -> impl IntoView {
    let query = use_query_map();
    let wanted = Memo::new(move |_| {
        query
            .read()
            .get("account")
            .and_then(|a| a.parse::<i64>().ok())
    });
    let accounts = Resource::new(|| (), |_| list_accounts());
    let overview = Resource::new(move || wanted.get(), load_overview);
    view! {
        <Suspense fallback=|| view! { <p class="card skeleton" aria-busy="true">"Загрузка лицевых счетов…"</p> }>
            {move || Suspend::new(async move {
                match (accounts.await, overview.await) {
                    (Err(e), _) | (_, Err(e)) => view! { <ApiErrorCard error=e /> }.into_any(),
                    (Ok(list), Ok(o)) => view! { <AccountsBlock list o /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

fn done_message(done: &str) -> Option<&'static str> {
    match done {
        "linked" => Some(billing::ACCOUNT_LINKED_MESSAGE),
        "renamed" => Some(billing::ACCOUNT_RENAMED_MESSAGE),
        "e-receipt" => Some(billing::E_RECEIPT_ON_MESSAGE),
        _ => None,
    }
}

#[component]
fn AccountsBlock(list: Vec<AccountCard>, o: Option<AccountOverview>) -> impl IntoView {
    let selected = o.as_ref().map(|o| o.card.id);
    let query = use_query_map();
    let done = move || query.read().get("done");
    let count = list.len();
    let (shown, folded): (Vec<AccountCard>, Vec<AccountCard>) = {
        let mut all = list.clone();
        let rest = if all.len() > 2 {
            all.split_off(2)
        } else {
            Vec::new()
        };
        (all, rest)
    };
    let item = move |a: AccountCard| {
        let current = Some(a.id) == selected;
        view! {
            <li class="account-item" class:account-item--current=current>
                <a class="account-item__title" href=format!("/?account={}", a.id)
                    aria-current=current.then_some("true")>{a.title()}</a>
                <span class="account-item__number">{format!("№ {}", a.number)}</span>
                <span class="account-item__address">{a.address.clone()}</span>
                <span class="cluster">
                    <a class="button button--ghost" href=format!("/accounts/{}/rename", a.id)
                        aria-label=format!("Редактировать наименование счета № {}", a.number)>"Редактировать"</a>
                    <a class="button button--ghost" href=format!("/accounts/{}/remove", a.id)
                        aria-label=format!("Удалить лицевой счет № {}", a.number)>"Удалить"</a>
                </span>
            </li>
        }
    };
    let switcher = list.clone();
    let folded_open = folded.iter().any(|a| Some(a.id) == selected);
    let navigate = leptos_router::hooks::use_navigate();
    view! {
        {move || done().and_then(|d| {
            if d == "unlinked" {
                Some(view! {
                    <div class="notice notice--success" role="status">
                        <p>{billing::ACCOUNT_UNLINKED_MESSAGE}</p>
                        <p>{billing::UNLINK_E_RECEIPT_NOTICE}</p>
                    </div>
                }.into_any())
            } else {
                done_message(&d).map(|m| view! { <p class="notice notice--success" role="status">{m}</p> }.into_any())
            }
        })}
        <section class="card accounts" aria-labelledby="accounts-title">
            <div class="accounts__head">
                <h2 id="accounts-title">"Лицевые счета"</h2>
                <a class="button button--primary" href="/accounts/add">"+ Добавить лицевой счет"</a>
            </div>
            {(count == 0).then(|| view! {
                <p class="accounts__empty">
                    "К личному кабинету пока не подключен ни один лицевой счет. Добавьте его по номеру из квитанции."
                </p>
            })}
            {(count > 1).then(|| view! {
                <p class="accounts__all-readings cluster">
                    <a href="/pay-all">"Оплатить по всем лицевым счетам"</a>
                    <a href="/readings">"Передать показания по всем лицевым счетам"</a>
                </p>
            })}
            {(count > 1).then(|| view! {
                <form class="account-switcher" method="get" action="/">
                    <label for="account-switcher">"Лицевой счет"</label>
                    <select id="account-switcher" name="account"
                        on:change=move |ev| {
                            navigate(&format!("/?account={}", event_target_value(&ev)), Default::default());
                        }>
                        {switcher.iter().map(|a| view! {
                            <option value=a.id.to_string() selected=Some(a.id) == selected>
                                {format!("№ {} — {}", a.number, a.title())}
                            </option>
                        }).collect_view()}
                    </select>
                    <button type="submit" class="button button--secondary">"Показать"</button>
                </form>
            })}
            <ul class="account-list">
                {shown.into_iter().map(item).collect_view()}
            </ul>
            {(!folded.is_empty()).then(|| view! {
                <details class="account-list__more" open=folded_open>
                    <summary class="button button--ghost">"Все счета +"</summary>
                    <ul class="account-list">{folded.into_iter().map(item).collect_view()}</ul>
                </details>
            })}
        </section>
        {o.map(|o| view! { <Overview o /> })}
    }
}

/// The selected account's block (U-ACC-4) and its sections (U-ACC-6).
#[component]
fn Overview(o: AccountOverview) -> impl IntoView {
    let subscribe = ServerAction::<SubscribeEReceipt>::new();
    let id = o.card.id;
    let receipt = o.last_period.map(|p| {
        (
            format!("/accounts/{id}/receipt.pdf?period={}", p.param()),
            format!("Скачать квитанцию за {}", p.caption()),
        )
    });
    view! {
        <section class="card account-overview" aria-labelledby="account-title">
            <h2 id="account-title">{format!("Лицевой счет № {}", o.card.number)}</h2>
            <dl class="summary">
                <dt>"Адрес"</dt><dd>{o.card.address.clone()}</dd>
                <dt>"ФИО"</dt><dd>{o.owner_name.clone()}</dd>
                <dt>"Отделение"</dt><dd>{o.card.branch.clone()}</dd>
            </dl>
            <BalanceText owed=o.owed />
            <p class="account-overview__window">
                {o.window_status.caption()}
                <span class="account-overview__window-days">{format!(" (прием показаний {})", o.window.caption())}</span>
            </p>
            <div class="cluster">
                {receipt.map(|(href, label)| view! {
                    <a class="button button--primary" href=href download="" aria-label=label>"Скачать квитанцию"</a>
                })}
                <a class="button button--primary" href=format!("/accounts/{id}/pay")
                    aria-label=format!("Оплатить по лицевому счету № {}", o.card.number)>"Оплатить"</a>
                {(!o.autopay).then(|| view! {
                    <a class="button button--secondary" href=format!("/profile/autopay?account={id}")>"Подключить автоплатеж"</a>
                })}
                {(o.e_receipt_allowed && !o.e_receipt).then(|| view! {
                    <ActionForm action=subscribe>
                        <input type="hidden" name="account" value=id.to_string() />
                        <button type="submit" class="button button--secondary">"Подписаться на электронную квитанцию"</button>
                    </ActionForm>
                })}
            </div>
            <FormError message=action_error(subscribe.value(), None) />
            <p class="cluster account-overview__manage">
                <a class="button button--ghost" href=format!("/accounts/{id}/rename")
                    aria-label=format!("Редактировать наименование счета № {}", o.card.number)>"Редактировать"</a>
                <a class="button button--ghost" href=format!("/accounts/{id}/remove")
                    aria-label=format!("Удалить лицевой счет № {}", o.card.number)>"Удалить"</a>
            </p>
            <AccountNav account=id current="home" />
        </section>
    }
}

/// `/accounts/add`: «Добавление лицевого счета» (U-ACC-1).
#[component]
pub fn AddAccountPage() -> impl IntoView {
    let branches = Resource::new(|| (), |_| list_branches());
    let link = ServerAction::<LinkAccount>::new();
    view! {
        <Title text="Добавление лицевого счета" />
        <section class="card narrow">
            <h1>"Добавление лицевого счета"</h1>
            <p>"Номер лицевого счета указан в квитанции. Чтобы подтвердить, что счет ваш, укажите сумму начислений по одной из трех последних квитанций."</p>
            <ActionForm action=link>
                <div class="field">
                    <label class="field__label" for="f-branch">"Филиал" <span class="field__required" aria-hidden="true">"*"</span></label>
                    <Suspense fallback=|| view! { <p aria-busy="true">"Загрузка…"</p> }>
                        {move || Suspend::new(async move {
                            let list = branches.await.unwrap_or_default();
                            view! {
                                <select class="field__input" id="f-branch" name="branch" required=true aria-required="true">
                                    <option value="">"Выберите филиал"</option>
                                    {list.into_iter().map(|b| view! { <option value=b.id.to_string()>{b.name}</option> }).collect_view()}
                                </select>
                            }
                        })}
                    </Suspense>
                    <p class="field__error" aria-live="polite">{move || action_error(link.value(), Some("branch")).get()}</p>
                </div>
                <Field label="Лицевой счет".to_string() name="number" inputmode=Signal::stored("numeric")
                    required=true check=rule(billing::check_account_number)
                    server_error=action_error(link.value(), Some("number"))
                    hint="Номер из платежного документа (квитанции)" />
                <Field label=billing::PROOF_LABEL.to_string() name="proof" inputmode=Signal::stored("decimal")
                    required=true check=rule(billing::check_proof)
                    server_error=action_error(link.value(), Some("proof"))
                    hint="Например, 2345,67" />
                <label class="checkbox">
                    <input type="checkbox" name="e_receipt" value="yes" />
                    " Согласен на получение электронной квитанции"
                </label>
                <FormError message=action_error(link.value(), None) />
                <div class="cluster">
                    <button type="submit" class="button button--primary">"Добавить"</button>
                    <a class="button button--secondary" href="/">"Отменить"</a>
                </div>
            </ActionForm>
        </section>
    }
}

/// The account of an `/accounts/:id/…` page among the person's accounts.
fn use_account_card() -> Resource<Result<AccountCard, ApiError>> {
    let id = account_param();
    Resource::new(
        move || id.get(),
        |id| async move {
            let id = id.ok_or(ApiError::NotFound)?;
            list_accounts()
                .await?
                .into_iter()
                .find(|a| a.id == id)
                .ok_or(ApiError::NotFound)
        },
    )
}

/// `/accounts/:id/rename`: [Редактировать] gives the account a name of the customer's choice.
#[component]
pub fn RenameAccountPage() -> impl IntoView {
    let card = use_account_card();
    let rename = ServerAction::<RenameAccount>::new();
    view! {
        <Title text="Наименование лицевого счета" />
        <Suspense fallback=|| view! { <p class="card skeleton" aria-busy="true">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match card.await {
                    Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    Ok(a) => {
                        let name = RwSignal::new(a.name.clone());
                        view! {
                            <section class="card narrow">
                                <h1>{format!("Лицевой счет № {}", a.number)}</h1>
                                <p>{a.address.clone()}</p>
                                <ActionForm action=rename>
                                    <input type="hidden" name="account" value=a.id.to_string() />
                                    <Field label="Наименование лицевого счета".to_string() name="name" value=name
                                        check=rule(billing::check_account_name)
                                        server_error=action_error(rename.value(), Some("name"))
                                        hint="Например, «Квартира» или «Дача». Пустое поле — номер счета" />
                                    <FormError message=action_error(rename.value(), None) />
                                    <div class="cluster">
                                        <button type="submit" class="button button--primary">"Сохранить"</button>
                                        <a class="button button--secondary" href=format!("/?account={}", a.id)>"Отменить"</a>
                                    </div>
                                </ActionForm>
                            </section>
                        }.into_any()
                    }
                }
            })}
        </Suspense>
    }
}

/// `/accounts/:id/remove`: the confirmation window of [Удалить] (U-ACC-2).
#[component]
pub fn RemoveAccountPage() -> impl IntoView {
    let card = use_account_card();
    let unlink = ServerAction::<UnlinkAccount>::new();
    view! {
        <Title text="Удаление лицевого счета" />
        <Suspense fallback=|| view! { <p class="card skeleton" aria-busy="true">"Загрузка…"</p> }>
            {move || Suspend::new(async move {
                match card.await {
                    Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    Ok(a) => view! {
                        <section class="card narrow dialog" role="alertdialog" aria-labelledby="remove-title"
                            aria-describedby="remove-text">
                            <h1 id="remove-title">"Удаление лицевого счета из личного кабинета"</h1>
                            <div id="remove-text">
                                <p>{format!("Отключить лицевой счет № {} ({}) от личного кабинета?", a.number, a.address)}</p>
                                <p>"Сведения о нем перестанут отображаться, автоплатеж по нему будет отключен. Подписка на электронную квитанцию сохранится: чтобы отменить ее, обратитесь в службу поддержки."</p>
                            </div>
                            <ActionForm action=unlink>
                                <input type="hidden" name="account" value=a.id.to_string() />
                                <FormError message=action_error(unlink.value(), None) />
                                <div class="cluster">
                                    <button type="submit" class="button button--danger">"Удалить"</button>
                                    <a class="button button--secondary" href=format!("/?account={}", a.id)>"Отменить"</a>
                                </div>
                            </ActionForm>
                        </section>
                    }.into_any(),
                }
            })}
        </Suspense>
    }
}
