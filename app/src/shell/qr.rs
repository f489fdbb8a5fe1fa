//! Sign-in by QR code (U-AUTH-2): the code on the sign-in page, the confirmation on the phone,
//! and «Вход через QR-код» of the mobile menu.

use super::SessionVersion;
use crate::api::qr::{AnswerQrRequest, StartQrSignIn, find_qr_request, poll_qr_sign_in};
use crate::components::field::{FormError, action_error};
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::{use_navigate, use_params_map};
use shared::ApiError;
use shared::qr_sign_in::{
    QR_CONFIRMED_MESSAGE, QR_DECLINED_MESSAGE, QR_EXPIRED_MESSAGE, QrRequest, QrRequestState,
    QrSignInStatus,
};
use std::time::Duration;

/// How many times an open page renews an expired code by itself before it waits for a click.
const AUTO_RENEWALS: u32 = 5;

/// [QR-код] on the sign-in page.
#[component]
pub fn QrButton() -> impl IntoView {
    let start = ServerAction::<StartQrSignIn>::new();
    view! {
        <ActionForm action=start attr:class="auth__qr">
            <FormError message=action_error(start.value(), None) />
            <button type="submit" class="button button--secondary button--wide">"QR-код"</button>
        </ActionForm>
    }
}

/// The QR code of this browser's request, renewed when it expires; the page asks every second
/// whether a phone confirmed it and then enters the cabinet by itself. Without script the page
/// reloads itself every second instead.
#[component]
pub fn QrPanel() -> impl IntoView {
    let start = ServerAction::<StartQrSignIn>::new();
    let tick = RwSignal::new(0u64);
    let status = Resource::new(
        move || (tick.get(), start.version().get()),
        |_| poll_qr_sign_in(),
    );
    // In the browser: ask again every second while the code waits for a phone.
    Effect::new(move |_| {
        let poll = move || {
            if let Some(Ok(QrSignInStatus::Pending { .. })) = status.get_untracked() {
                tick.update(|t| *t += 1);
            }
        };
        if let Ok(handle) = set_interval_with_handle(poll, Duration::from_secs(1)) {
            on_cleanup(move || handle.clear());
        }
    });
    // Signed in: into the cabinet. Expired: a new code, a few times over.
    let renewals = StoredValue::new(0u32);
    let navigate = use_navigate();
    Effect::new(move |_| match status.get() {
        Some(Ok(QrSignInStatus::SignedIn)) => {
            SessionVersion::bump();
            navigate("/", Default::default());
        }
        Some(Ok(QrSignInStatus::Expired)) if renewals.get_value() < AUTO_RENEWALS => {
            renewals.update_value(|n| *n += 1);
            start.dispatch(StartQrSignIn {});
        }
        _ => {}
    });

    view! {
        <div class="qr-panel" aria-live="polite">
            <Transition fallback=|| view! { <p class="skeleton" aria-busy="true">"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match status.await {
                        Ok(QrSignInStatus::Pending { version, expires_in_secs }) => view! {
                            <QrCode version expires_in_secs />
                        }.into_any(),
                        Ok(QrSignInStatus::SignedIn) => view! {
                            <p class="notice notice--success" role="status">"Вход подтвержден. Открываем личный кабинет…"</p>
                        }.into_any(),
                        Ok(QrSignInStatus::Expired) => view! {
                            <p class="notice notice--warning" role="alert">"Срок действия QR-кода истек."</p>
                            <RenewForm start caption="Обновить QR-код" />
                        }.into_any(),
                        Ok(QrSignInStatus::Declined) => view! {
                            <p class="notice notice--warning" role="alert">"Вход отклонен на телефоне."</p>
                            <RenewForm start caption="Обновить QR-код" />
                        }.into_any(),
                        Ok(QrSignInStatus::Absent) => view! {
                            <p>"Войдите без пароля: покажите QR-код телефону, на котором вы уже вошли в личный кабинет."</p>
                            <RenewForm start caption="Показать QR-код" />
                        }.into_any(),
                        Err(e) => view! {
                            <p class="form-error" role="alert">{e.to_string()}</p>
                            <RenewForm start caption="Обновить QR-код" />
                        }.into_any(),
                    }
                })}
            </Transition>
        </div>
    }
}

/// The code itself (an image the server draws) and what to do with it.
#[component]
fn QrCode(version: i64, expires_in_secs: i64) -> impl IntoView {
    let left = format!("{}:{:02}", expires_in_secs / 60, expires_in_secs % 60);
    view! {
        <figure class="qr-code">
            <img
                src=format!("/login/qr.svg?v={version}")
                width="240"
                height="240"
                alt="QR-код для входа в личный кабинет"
            />
            <figcaption>{format!("Код действует еще {left}")}</figcaption>
        </figure>
        <QrSteps />
        // Without script the page asks again by reloading itself (ignored when script runs).
        <noscript inner_html=r#"<meta http-equiv="refresh" content="1">"# />
    }
}

/// How to use the code, on the sign-in page and in «Вход через QR-код».
#[component]
fn QrSteps() -> impl IntoView {
    view! {
        <ol class="qr-steps">
            <li>"Откройте личный кабинет на телефоне и войдите в него."</li>
            <li>"Наведите камеру телефона на QR-код и откройте ссылку."</li>
            <li>"Проверьте, с какого устройства запрошен вход, и нажмите «Подтвердить вход»."</li>
        </ol>
        <p>"После подтверждения личный кабинет откроется на компьютере сам."</p>
    }
}

#[component]
fn RenewForm(start: ServerAction<StartQrSignIn>, caption: &'static str) -> impl IntoView {
    view! {
        <ActionForm action=start>
            <FormError message=action_error(start.value(), None) />
            <button type="submit" class="button button--primary button--wide">{caption}</button>
        </ActionForm>
    }
}

/// «Вход через QR-код» (seed 003 §3.14): how to sign in on a computer with this phone.
#[component]
pub fn QrHelpPage() -> impl IntoView {
    view! {
        <Title text="Вход через QR-код" />
        <section class="card narrow">
            <h1>"Вход через QR-код"</h1>
            <p>"Войдите в личный кабинет на компьютере без пароля, с помощью этого телефона:"</p>
            <ol class="qr-steps">
                <li>"На компьютере откройте страницу входа в личный кабинет и нажмите «QR-код»."</li>
                <li>"Отсканируйте QR-код камерой этого телефона и откройте ссылку."</li>
                <li>"Проверьте, с какого устройства запрошен вход, и нажмите «Подтвердить вход»."</li>
            </ol>
            <p>"После подтверждения личный кабинет откроется на компьютере сам. QR-код действует 2 минуты."</p>
            <p><a class="button button--secondary" href="/">"На главную"</a></p>
        </section>
    }
}

/// `/qr/{token}`: the link in a QR code, opened on the phone. Shows which device asks to sign
/// in and lets the customer confirm or decline.
#[component]
pub fn QrConfirmPage() -> impl IntoView {
    let params = use_params_map();
    let token = Memo::new(move |_| params.read().get("token").unwrap_or_default());
    let answer = ServerAction::<AnswerQrRequest>::new();
    let request = Resource::new(
        move || (token.get(), answer.version().get(), SessionVersion::get()),
        |(token, _, _)| find_qr_request(token),
    );
    view! {
        <Title text="Подтверждение входа" />
        <section class="card narrow qr-confirm">
            <h1>"Вход через QR-код"</h1>
            <Transition fallback=|| view! { <p class="skeleton" aria-busy="true">"Загрузка…"</p> }>
                {move || Suspend::new(async move {
                    match request.await {
                        Ok(found) => view! { <QrAnswer token=token.get_untracked() found answer /> }.into_any(),
                        Err(ApiError::Unauthorized) => {
                            let back = shared::contact::url_encode(
                                &shared::qr_sign_in::confirmation_path(&token.get_untracked()),
                            );
                            view! {
                                <p>"Чтобы подтвердить вход на другом устройстве, войдите в личный кабинет на этом телефоне."</p>
                                <p><a class="button button--primary button--wide" href=format!("/login?by=phone&next={back}")>"Войти"</a></p>
                            }.into_any()
                        }
                        Err(e) => view! {
                            <p class="notice notice--warning" role="alert">{e.to_string()}</p>
                            <p><a href="/qr">"Как войти через QR-код"</a></p>
                        }.into_any(),
                    }
                })}
            </Transition>
        </section>
    }
}

#[component]
fn QrAnswer(
    token: String,
    found: QrRequest,
    answer: ServerAction<AnswerQrRequest>,
) -> impl IntoView {
    match found.state {
        QrRequestState::Pending => {
            let answer_form = move |value: &'static str,
                                    caption: &'static str,
                                    class: &'static str| {
                let token = token.clone();
                view! {
                    <ActionForm action=answer>
                        <input type="hidden" name="token" value=token />
                        <input type="hidden" name="answer" value=value />
                        <button type="submit" class=class disabled=move || answer.pending().get()>{caption}</button>
                    </ActionForm>
                }
            };
            view! {
                <p>"Запрошен вход в ваш личный кабинет на другом устройстве:"</p>
                <dl class="summary qr-device">
                    <dt>"Устройство"</dt>
                    <dd>{found.device}</dd>
                    <dt>"IP-адрес"</dt>
                    <dd>{found.ip.unwrap_or_else(|| "не известен".into())}</dd>
                </dl>
                <p class="notice notice--warning">
                    "Подтверждайте вход, только если это ваше устройство и QR-код вы отсканировали сами."
                </p>
                <FormError message=action_error(answer.value(), None) />
                <div class="qr-answer">
                    {answer_form("confirm", "Подтвердить вход", "button button--primary button--wide")}
                    {answer_form("decline", "Отклонить", "button button--secondary button--wide")}
                </div>
            }
            .into_any()
        }
        QrRequestState::Confirmed => view! {
            <p class="notice notice--success" role="status">{QR_CONFIRMED_MESSAGE}</p>
            <p><a class="button button--secondary" href="/">"На главную"</a></p>
        }
        .into_any(),
        QrRequestState::Declined => view! {
            <p class="notice" role="status">{QR_DECLINED_MESSAGE}</p>
            <p><a class="button button--secondary" href="/">"На главную"</a></p>
        }
        .into_any(),
        QrRequestState::Expired => view! {
            <p class="notice notice--warning" role="alert">{QR_EXPIRED_MESSAGE}</p>
        }
        .into_any(),
    }
}
