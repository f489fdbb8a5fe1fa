//! Forms that carry files (appeals, applications, documents, replies). They post
//! `multipart/form-data` to their server function by themselves, so they work before the WASM
//! arrives; once it has, the same `shared` rules check them as the customer picks files and
//! before the form leaves, and a refused form shows each message next to its field.

use leptos::prelude::*;
use leptos_router::hooks::use_query_map;
use shared::ApiError;
use shared::cases::PickedFile;

/// The messages of a multipart form: the browser's own check, else the server's answer
/// (which comes back in the address after a refused post).
#[derive(Clone, Copy)]
pub struct UploadErrors {
    server: Signal<Option<ApiError>>,
    pub client: RwSignal<Option<ApiError>>,
}

impl UploadErrors {
    /// `path` is the server function's (`CreateCase::PATH`): only its errors count.
    pub fn new(path: &'static str) -> Self {
        let query = use_query_map();
        let server = Signal::derive(move || {
            let q = query.read();
            if q.get("__path").as_deref() != Some(path) {
                return None;
            }
            q.get("__err")
                .map(|e| server_fn::error::ServerFnUrlError::<ApiError>::decode_err(&e))
        });
        Self {
            server,
            client: RwSignal::new(None),
        }
    }

    fn current(&self) -> Option<ApiError> {
        self.client.get().or_else(|| self.server.get())
    }

    pub fn field(self, name: impl Into<String>) -> Signal<Option<String>> {
        let name: String = name.into();
        Signal::derive(move || {
            self.current()
                .and_then(|e| e.field_message(&name).map(str::to_string))
        })
    }

    pub fn form(self) -> Signal<Option<String>> {
        Signal::derive(move || self.current().and_then(|e| e.form_message()))
    }

    /// Replaces the browser's messages for `name` (others stay).
    pub fn set_field(self, name: &str, message: Option<String>) {
        self.client.update(|current| {
            let mut fields = match current.take() {
                Some(ApiError::Invalid { fields }) => fields,
                _ => Vec::new(),
            };
            fields.retain(|f| f.field != name);
            if let Some(message) = message {
                fields.push(shared::FieldError::new(name, message));
            }
            *current = (!fields.is_empty()).then_some(ApiError::Invalid { fields });
        });
    }
}

/// The files picked in the form's file inputs (in the browser; nothing on the server).
pub fn picked_files(form: &leptos::web_sys::HtmlFormElement) -> Vec<PickedFile> {
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        use leptos::wasm_bindgen::JsCast;
        let mut picked = Vec::new();
        let inputs = form.query_selector_all("input[type=file]");
        if let Ok(inputs) = inputs {
            for i in 0..inputs.length() {
                let Some(input) = inputs
                    .item(i)
                    .and_then(|n| n.dyn_into::<web_sys::HtmlInputElement>().ok())
                else {
                    continue;
                };
                if let Some(files) = input.files() {
                    for j in 0..files.length() {
                        if let Some(file) = files.item(j) {
                            picked.push(PickedFile {
                                name: file.name(),
                                size: file.size() as u64,
                            });
                        }
                    }
                }
            }
        }
        picked
    }
    #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
    {
        let _ = form;
        Vec::new()
    }
}

/// The text value of a form's field by name (in the browser).
pub fn form_value(form: &leptos::web_sys::HtmlFormElement, name: &str) -> String {
    #[cfg(all(feature = "hydrate", not(feature = "ssr")))]
    {
        web_sys::FormData::new_with_form(form)
            .ok()
            .and_then(|data| data.get(name).as_string())
            .unwrap_or_default()
    }
    #[cfg(not(all(feature = "hydrate", not(feature = "ssr"))))]
    {
        let _ = (form, name);
        String::new()
    }
}

/// A file input with its live check (U-APL-3): a file over 7 MB, or more than 100 MB in all,
/// is named at once, before anything is sent.
#[component]
pub fn FileInput(
    errors: UploadErrors,
    #[prop(into)] label: String,
    #[prop(optional)] required: bool,
    #[prop(default = true)] multiple: bool,
) -> impl IntoView {
    use shared::cases::{ACCEPT_FILES, FILE_TYPES_HINT, field};
    let message = errors.field(field::FILES);
    let on_change = move |ev: leptos::ev::Event| {
        use leptos::wasm_bindgen::JsCast;
        let form = ev
            .target()
            .and_then(|t| t.dyn_into::<leptos::web_sys::HtmlElement>().ok())
            .and_then(|input| input.closest("form").ok().flatten())
            .and_then(|f| f.dyn_into::<leptos::web_sys::HtmlFormElement>().ok());
        if let Some(form) = form {
            let picked = picked_files(&form);
            errors.set_field(
                field::FILES,
                shared::cases::check_attachments(&picked).err(),
            );
        }
    };
    view! {
        <div class="field" class:field--invalid=move || message.get().is_some()>
            <label class="field__label" for="f-files">
                {label}
                {required.then(|| view! { <span class="field__required" aria-hidden="true">"*"</span> })}
            </label>
            <p class="field__hint" id="f-files-hint">{FILE_TYPES_HINT}</p>
            <input class="field__input" type="file" id="f-files" name=field::FILES multiple=multiple
                accept=ACCEPT_FILES aria-describedby="f-files-hint f-files-error"
                aria-invalid=move || message.get().is_some().then_some("true")
                on:change=on_change />
            <FieldMessage id="f-files-error" message />
        </div>
    }
}

/// The message under a field that is not a [`crate::components::field::Field`] (selects,
/// text areas, checkboxes).
#[component]
pub fn FieldMessage(#[prop(into)] id: String, message: Signal<Option<String>>) -> impl IntoView {
    view! {
        <p class="field__error" id=id aria-live="polite">
            {move || message.get().map(|m| view! {
                <span class="icon icon--error" aria-hidden="true">"!"</span>" "{m}
            })}
        </p>
    }
}
