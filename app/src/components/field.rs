//! Form fields: label above, hint, error under the field tied by `aria-describedby`, checked
//! live after the first blur with the same `shared` function the server uses.

use leptos::prelude::*;

/// True once the page is interactive (effects run only in the browser, after hydration).
/// Controls that need script, and submit buttons disabled by live checks, wait for it, so
/// that a page without script never offers a control that cannot work.
pub fn use_interactive() -> ReadSignal<bool> {
    let (interactive, set_interactive) = signal(false);
    Effect::new(move |_| set_interactive.set(true));
    interactive
}

/// What the customer typed in a form the server refused, when it was posted without script:
/// the page shows it again (see `ports::form_echo`). Only the server renders with it.
#[derive(Clone, Debug, Default)]
pub struct FormEcho(pub std::sync::Arc<std::collections::HashMap<String, String>>);

/// A live check from `shared`, as a callback: `Some(message)` when the value breaks the rule.
pub fn rule(check: fn(&str) -> Result<(), String>) -> Callback<String, Option<String>> {
    Callback::new(move |value: String| check(&value).err())
}

#[component]
pub fn Field(
    /// The visible label, also the control's accessible name.
    #[prop(into)]
    label: Signal<String>,
    /// The form field name the server function receives (`"q"`, or built as `"addresses[2]"`).
    #[prop(into)]
    name: String,
    /// `text`, `email`, `tel` … (ignored for passwords).
    #[prop(into, default = Signal::stored("text"))]
    input_type: Signal<&'static str>,
    #[prop(into, default = Signal::stored("off"))] autocomplete: Signal<&'static str>,
    #[prop(optional, into)] inputmode: Option<Signal<&'static str>>,
    #[prop(optional)] required: bool,
    /// The value, shared with the page so that it can be prefilled and read.
    #[prop(optional)]
    value: Option<RwSignal<String>>,
    /// The live check.
    #[prop(optional, into)]
    check: Option<Callback<String, Option<String>>>,
    /// The server's message for this field.
    #[prop(into, default = Signal::stored(None))]
    server_error: Signal<Option<String>>,
    #[prop(optional, into)] hint: Option<String>,
    /// A password: hidden, with [Показать пароль] once the page is interactive.
    #[prop(optional)]
    password: bool,
    /// Shown under the input (e.g. the password checklist).
    #[prop(optional)]
    children: Option<Children>,
) -> impl IntoView {
    let value = value.unwrap_or_else(|| RwSignal::new(String::new()));
    if let Some(echo) = use_context::<FormEcho>()
        && let Some(typed) = echo.0.get(&name)
        && value.get_untracked().is_empty()
    {
        value.set(typed.clone());
    }
    let touched = RwSignal::new(false);
    let edited = RwSignal::new(false);
    let visible = RwSignal::new(false);
    let interactive = use_interactive();
    let input = NodeRef::<leptos::html::Input>::new();
    // The live value goes to the control; but what the customer typed before the page became
    // interactive is kept (hydration would otherwise empty the control).
    Effect::new(move |first: Option<()>| {
        let wanted = value.get();
        let Some(control) = input.get() else { return };
        let shown = control.value();
        if first.is_none() && !shown.is_empty() && shown != wanted {
            value.set(shown);
        } else if shown != wanted {
            control.set_value(&wanted);
        }
    });
    Effect::new(move |_| {
        // A new answer from the server shows its message again.
        server_error.track();
        edited.set(false);
    });
    let error = Signal::derive(move || {
        if touched.get()
            && let Some(check) = check
            && let Some(message) = check.run(value.get())
        {
            return Some(message);
        }
        if edited.get() {
            None
        } else {
            server_error.get()
        }
    });
    let id = format!("f-{name}");
    let hint_id = format!("{id}-hint");
    let error_id = format!("{id}-error");
    let described_by = {
        let (hint_id, error_id, has_hint) = (hint_id.clone(), error_id.clone(), hint.is_some());
        move || {
            let mut ids = Vec::new();
            if has_hint {
                ids.push(hint_id.clone());
            }
            if error.get().is_some() {
                ids.push(error_id.clone());
            }
            (!ids.is_empty()).then(|| ids.join(" "))
        }
    };
    let shown_type = move || {
        if !password {
            input_type.get()
        } else if visible.get() {
            "text"
        } else {
            "password"
        }
    };
    view! {
        <div class="field" class:field--invalid=move || error.get().is_some()>
            <label class="field__label" for=id.clone()>
                {move || label.get()}
                {required.then(|| view! { <span class="field__required" aria-hidden="true">"*"</span> })}
            </label>
            {hint.map(|h| view! { <p class="field__hint" id=hint_id.clone()>{h}</p> })}
            <div class="field__row">
                <input
                    class="field__input"
                    id=id.clone()
                    name=name.clone()
                    type=shown_type
                    autocomplete=move || autocomplete.get()
                    inputmode=move || inputmode.map(|m| m.get())
                    // Not the HTML `required`: the browser would answer an empty field with its
                    // own bubble; the portal's message comes from the check or the server.
                    aria-required=required.then_some("true")
                    aria-invalid=move || error.get().is_some().then_some("true")
                    aria-describedby=described_by
                    // The attribute carries a prefilled value in the server's HTML (no script
                    // needed); the effect above keeps the live value once the page is interactive.
                    value=value.get_untracked()
                    node_ref=input
                    on:input=move |ev| {
                        value.set(event_target_value(&ev));
                        edited.set(true);
                    }
                    on:blur=move |_| touched.set(true)
                />
                {password.then(|| view! {
                    <Show when=move || interactive.get()>
                        <button
                            type="button"
                            class="button button--ghost field__toggle"
                            aria-controls=id.clone()
                            aria-pressed=move || if visible.get() { "true" } else { "false" }
                            on:click=move |_| visible.update(|v| *v = !*v)
                        >
                            {move || if visible.get() { "Скрыть пароль" } else { "Показать пароль" }}
                        </button>
                    </Show>
                })}
            </div>
            {children.map(|c| c())}
            <p class="field__error" id=error_id aria-live="polite">
                {move || error.get().map(|message| view! {
                    <span class="icon icon--error" aria-hidden="true">"!"</span>
                    " "
                    {message}
                })}
            </p>
        </div>
    }
}

/// The parts of the password rule (U-REG-3), ticked off as the customer types.
#[component]
pub fn PasswordChecklist(value: RwSignal<String>) -> impl IntoView {
    use shared::password::Requirement;
    view! {
        <ul class="checklist" aria-label="Требования к паролю">
            {Requirement::ALL
                .into_iter()
                .map(|r| {
                    let met = move || r.is_met(&value.get());
                    view! {
                        <li class="checklist__item" class:checklist__item--met=met>
                            <span aria-hidden="true">{move || if met() { "✓ " } else { "• " }}</span>
                            {r.caption()}
                            <span class="visually-hidden">{move || if met() { " — выполнено" } else { " — не выполнено" }}</span>
                        </li>
                    }
                })
                .collect_view()}
        </ul>
    }
}

/// The form-level message of a failed submission (anything that is not a field's).
#[component]
pub fn FormError(#[prop(into)] message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <div class="form-error" role="alert">
            {move || message.get().map(|m| view! { <p>{m}</p> })}
        </div>
    }
}

/// The message of the last failed submission for `field`, or for the form (`None`).
pub fn action_error<T, V>(value: V, field: Option<&'static str>) -> Signal<Option<String>>
where
    T: Clone + Send + Sync + 'static,
    V: Get<Value = Option<Result<T, shared::ApiError>>> + Send + Sync + 'static,
{
    match field {
        Some(field) => action_field_error(value, field.to_string()),
        None => Signal::derive(move || value.get().and_then(Result::err)?.form_message()),
    }
}

/// The message of one field of an action's answer, for a field whose name is built
/// (`addresses[2]`).
pub fn action_field_error<T, V>(value: V, field: String) -> Signal<Option<String>>
where
    T: Clone + Send + Sync + 'static,
    V: Get<Value = Option<Result<T, shared::ApiError>>> + Send + Sync + 'static,
{
    Signal::derive(move || {
        value
            .get()
            .and_then(Result::err)?
            .field_message(&field)
            .map(str::to_string)
    })
}
