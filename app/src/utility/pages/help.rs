//! Help without waiting for an answer: «Виртуальный ассистент» and «Видеозвонок» (U-APL-4),
//! «Вопросы и ответы» (U-INF-1). The assistant is a plain GET form: the question and its
//! answer live in the address, so it works without script and can be shared.

use super::accounts::ApiErrorCard;
use crate::api::cases::load_faq;
use crate::api::portal::get_portal_info;
use crate::components::loading;
use crate::utility::api::accounts::list_accounts;
use crate::utility::api::assistant::ask_assistant;
use leptos::prelude::*;
use leptos_meta::Title;
use leptos_router::hooks::use_query_map;

/// Questions the assistant offers to ask.
const SUGGESTIONS: [&str; 4] = [
    "Сколько я должен?",
    "Когда прошел последний платеж?",
    "Когда передавать показания?",
    "Какие у меня тарифы?",
];

#[component]
pub fn AssistantPage() -> impl IntoView {
    let query = use_query_map();
    let asked = Memo::new(move |_| {
        let q = query.read();
        (
            q.get("q").filter(|q| !q.trim().is_empty()),
            q.get("account").and_then(|a| a.parse::<i64>().ok()),
        )
    });
    let accounts = Resource::new(|| (), |_| list_accounts());
    let answer = Resource::new(
        move || asked.get(),
        |(question, account)| async move {
            match question {
                Some(q) => ask_assistant(account, q).await.map(Some),
                None => Ok(None),
            }
        },
    );
    view! {
        <Title text="Виртуальный ассистент" />
        <section class="card" aria-labelledby="assistant-title">
            <h1 id="assistant-title">"Виртуальный ассистент"</h1>
            <p>"Спросите о начислениях, оплатах, показаниях или тарифах выбранного лицевого счета — ассистент ответит по данным вашего личного кабинета."</p>
            <form class="assistant-form" method="get" action="/assistant">
                <Suspense fallback=|| ()>
                    {move || Suspend::new(async move {
                        let list = accounts.await.unwrap_or_default();
                        let chosen = asked.get_untracked().1;
                        (list.len() > 1).then(|| view! {
                            <div class="field">
                                <label class="field__label" for="f-account">"Лицевой счет"</label>
                                <select class="field__input" id="f-account" name="account">
                                    {list.into_iter().map(|a| view! {
                                        <option value=a.id.to_string() selected=chosen == Some(a.id)>{format!("№ {} — {}", a.number, a.address)}</option>
                                    }).collect_view()}
                                </select>
                            </div>
                        })
                    })}
                </Suspense>
                <div class="field">
                    <label class="field__label" for="f-question">"Ваш вопрос"</label>
                    <input class="field__input" id="f-question" name="q" type="text" maxlength="500" required=true
                        value=move || asked.get().0.unwrap_or_default() />
                </div>
                <button type="submit" class="button button--primary">"Спросить"</button>
            </form>
            <p class="assistant-suggestions">
                "Например: "
                {SUGGESTIONS.iter().map(|s| view! {
                    <a class="chip" href=format!("/assistant?q={}", shared::contact::url_encode(s))>{*s}</a>
                }).collect_view()}
            </p>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match answer.await {
                        Ok(Some(a)) => view! {
                            <div class="assistant-answer" role="status">
                                <p class="message__meta">{format!("Вопрос: {}", a.question)}</p>
                                <p class="assistant-answer__text">{a.text.clone()}</p>
                                <p class="cluster">
                                    {a.links.iter().map(|(caption, href)| view! {
                                        <a class="button button--secondary" href=href.clone()>{caption.clone()}</a>
                                    }).collect_view()}
                                </p>
                            </div>
                        }.into_any(),
                        Ok(None) => ().into_any(),
                        Err(shared::ApiError::Invalid { fields }) => view! {
                            <p class="form-error" role="alert">{fields.first().map(|f| f.message.clone())}</p>
                        }.into_any(),
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// «Видеозвонок»: the provider's video consultation, when it offers one.
#[component]
pub fn VideoPage() -> impl IntoView {
    let info = Resource::new(|| (), |_| get_portal_info());
    view! {
        <Title text="Видеозвонок" />
        <section class="card narrow" aria-labelledby="video-title">
            <h1 id="video-title">"Видеозвонок"</h1>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    match info.await {
                        Ok(i) => match i.video_url {
                            Some(url) => view! {
                                <p>"Специалист ответит на ваши вопросы по видеосвязи. Звонок откроется в новой вкладке; разрешите браузеру доступ к камере и микрофону."</p>
                                <p><a class="button button--primary" href=url target="_blank" rel="noopener noreferrer">"Начать видеозвонок"</a></p>
                            }.into_any(),
                            None => view! {
                                <p>{format!("{} пока не проводит видеоконсультации. Позвоните нам: {}, или напишите обращение.", i.provider_name, i.support_phone)}</p>
                                <p><a class="button button--primary" href="/appeals/new">"Написать новое обращение"</a></p>
                            }.into_any(),
                        },
                        Err(e) => view! { <ApiErrorCard error=e /> }.into_any(),
                    }
                })}
            </Suspense>
        </section>
    }
}

/// «Вопросы и ответы» by category, with a search that works without script (GET `q`).
#[component]
pub fn FaqPage() -> impl IntoView {
    let query = use_query_map();
    let search = Memo::new(move |_| query.read().get("q").unwrap_or_default());
    let faq = Resource::new(|| (), |_| load_faq());
    view! {
        <Title text="Вопросы и ответы" />
        <section class="card" aria-labelledby="faq-title">
            <h1 id="faq-title">"Вопросы и ответы"</h1>
            <form class="cluster" method="get" action="/faq" role="search">
                <label class="visually-hidden" for="f-faq-q">"Поиск по вопросам"</label>
                <input class="field__input" id="f-faq-q" type="search" name="q" value=move || search.get()
                    placeholder="Поиск по вопросам" />
                <button type="submit" class="button button--secondary">"Найти"</button>
            </form>
            <Suspense fallback=loading>
                {move || Suspend::new(async move {
                    let entries = match faq.await {
                        Ok(e) => e,
                        Err(e) => return view! { <ApiErrorCard error=e /> }.into_any(),
                    };
                    let q = search.get();
                    let shown: Vec<_> = entries
                        .into_iter()
                        .filter(|e| q.trim().is_empty() || shared::utility::assistant::faq_score(&q, &e.question, &e.answer) > 0)
                        .collect();
                    if shown.is_empty() {
                        return view! { <p class="empty">"Ничего не нашлось. Задайте вопрос ассистенту или напишите обращение."</p> }.into_any();
                    }
                    let mut categories: Vec<String> = Vec::new();
                    for e in &shown {
                        if !categories.contains(&e.category) {
                            categories.push(e.category.clone());
                        }
                    }
                    categories.into_iter().map(|c| {
                        let items: Vec<_> = shown.iter().filter(|e| e.category == c).cloned().collect();
                        view! {
                            <h2>{c.clone()}</h2>
                            {items.into_iter().map(|e| view! {
                                <details class="faq-item">
                                    <summary>{e.question.clone()}</summary>
                                    <p>{e.answer.clone()}</p>
                                </details>
                            }).collect_view()}
                        }
                    }).collect_view().into_any()
                })}
            </Suspense>
        </section>
    }
}
