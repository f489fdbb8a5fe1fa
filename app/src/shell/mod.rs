//! The shell: what every portal shows around its pages — the top bar, the footer, the
//! network banner, the not-found page — and the pages of signing in, registering, recovering
//! a password, the agreement and sign-in by QR code. The browser loads it first; every
//! module's pages are chunks of their own (see [`crate::lazy`]).

pub mod agreement;
pub mod footer;
pub mod network;
pub mod not_found;
pub mod qr;
pub mod recover;
pub mod register;
pub mod sign_in;
pub mod top_bar;

use leptos::prelude::*;
use shared::ApiError;
use shared::identity::PersonSummary;

/// The signed-in person (or `None`), fetched once per page load and again whenever the
/// session changes; the top bar and the pages share it.
#[derive(Clone, Copy)]
pub struct CurrentPerson(pub Resource<Result<Option<PersonSummary>, ApiError>>);

impl CurrentPerson {
    pub fn provide() {
        provide_context(CurrentPerson(Self::fetch()));
    }

    /// The shared resource (a fresh one where none is provided).
    pub fn get() -> Resource<Result<Option<PersonSummary>, ApiError>> {
        use_context::<CurrentPerson>().map_or_else(Self::fetch, |c| c.0)
    }

    fn fetch() -> Resource<Result<Option<PersonSummary>, ApiError>> {
        Resource::new(SessionVersion::get, |_| crate::api::auth::current_person())
    }
}

/// Bumped whenever the session changes (sign-in, sign-out), so that what depends on the
/// signed-in person is fetched again without a reload.
#[derive(Clone, Copy)]
pub struct SessionVersion(pub RwSignal<u64>);

impl SessionVersion {
    pub fn provide() {
        provide_context(SessionVersion(RwSignal::new(0)));
    }

    pub fn get() -> u64 {
        use_context::<SessionVersion>().map_or(0, |v| v.0.get())
    }

    /// Bumps the version whenever `value` (an action's result) turns to success.
    pub fn refresh_on_success<T: Clone + Send + Sync + 'static>(
        value: impl Get<Value = Option<Result<T, shared::ApiError>>> + Send + Sync + 'static,
    ) {
        Effect::new(move |_| {
            if let Some(Ok(_)) = value.get() {
                SessionVersion::bump();
            }
        });
    }

    pub fn bump() {
        if let Some(v) = use_context::<SessionVersion>() {
            v.0.update(|n| *n += 1);
        }
    }
}
