//! A case's pieces that its customer's card and the back-office's card both show: files,
//! the conversation (live while the case is open) and the history of statuses.

use leptos::prelude::*;
use shared::cases::{self, CaseFile};

/// A download link for a case's file.
#[component]
pub fn FileLink(f: CaseFile, caption: &'static str) -> impl IntoView {
    let label = format!("{caption} «{}» ({})", f.name, cases::size_caption(f.size));
    view! {
        <a class="file-link" href=f.href() download="" aria-label=label>
            <span aria-hidden="true">"📎 "</span>
            {format!("{} ({})", f.name, cases::size_caption(f.size))}
        </a>
    }
}

/// The history of a case's statuses.
#[component]
pub fn History(events: Vec<shared::cases::CaseEvent>) -> impl IntoView {
    view! {
        <ol class="case-history">
            {events.into_iter().map(|e| view! {
                <li>
                    <span class="case-history__at">{e.at}</span>" — "
                    <strong>{e.status}</strong>
                    {format!(" ({})", e.actor)}
                    {(!e.comment.is_empty()).then(|| view! { <span class="case-history__comment">{format!(": {}", e.comment)}</span> })}
                </li>
            }).collect_view()}
        </ol>
    }
}

/// A message of a case with its files.
#[component]
fn MessageItem(m: shared::cases::CaseMessage) -> impl IntoView {
    view! {
        <li class="message" class:message--staff=m.from_staff>
            <p class="message__meta"><strong>{m.author.clone()}</strong>" · "{m.at.clone()}</p>
            {(!m.body.is_empty()).then(|| view! { <p class="message__body">{m.body.clone()}</p> })}
            {(!m.files.is_empty()).then(|| view! {
                <p class="message__files">
                    {m.files.iter().map(|f| view! { <FileLink f=f.clone() caption="Скачать файл" /> }).collect_view()}
                </p>
            })}
        </li>
    }
}

/// How often an open card asks for new messages once the page is live.
const LIVE_MESSAGES_EVERY: std::time::Duration = std::time::Duration::from_secs(4);

/// The conversation of a case, for its customer or (`staff`) in the back-office. While the
/// case is open and the page is live, it asks for the messages every few seconds (while the
/// tab is shown) and adds the new ones at the end of the list, which is a polite live region:
/// a message from the other side (the web consultant's chat) appears, and is read out,
/// without a reload, and nothing typed in the form below is lost. Without script the card
/// shows the conversation as it was when loaded. Needs a heading with the id `messages`.
#[component]
pub fn LiveMessages(
    #[prop(optional)] staff: bool,
    number: String,
    messages: Vec<shared::cases::CaseMessage>,
    open: bool,
) -> impl IntoView {
    let shown = RwSignal::new(messages);
    if open {
        Effect::new(move |_| {
            let number = number.clone();
            let poll = move || {
                if document().hidden() {
                    return;
                }
                let number = number.clone();
                leptos::task::spawn_local(async move {
                    let fresh = if staff {
                        crate::staff::api::load_staff_case_messages(number).await
                    } else {
                        crate::api::cases::load_case_messages(number).await
                    };
                    if let Ok(fresh) = fresh
                        && shown.with_untracked(|m| *m != fresh)
                    {
                        shown.set(fresh);
                    }
                });
            };
            if let Ok(handle) = set_interval_with_handle(poll, LIVE_MESSAGES_EVERY) {
                on_cleanup(move || handle.clear());
            }
        });
    }
    view! {
        <div role="log" aria-labelledby="messages">
            {move || shown.with(|m| m.is_empty()).then(|| view! { <p class="empty">"Сообщений нет."</p> })}
            <ol class="messages">
                <For
                    each=move || shown.get().into_iter().enumerate()
                    // Messages are only ever added at the end: a message keeps its place.
                    key=|(i, m)| (*i, m.at.clone())
                    children=|(_, m)| view! { <MessageItem m /> }
                />
            </ol>
        </div>
    }
    .into_any()
}
