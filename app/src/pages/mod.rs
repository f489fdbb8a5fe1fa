//! One module per page.

pub mod agreement;
pub mod home;
pub mod not_found;
pub mod profile;
pub mod qr;
pub mod recover;
pub mod register;
pub mod sign_in;

use leptos::prelude::*;

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
