//! An error from a server function, shown in the person's language.
use crate::errors::AppError;
use crate::i18n::*;
use leptos::prelude::*;

/// An error from a server function, in the person's language, with a way on where there is
/// one (signing in again).
#[component]
pub fn ErrorNotice(error: AppError) -> impl IntoView {
    let i18n = use_i18n();
    let sign_in_again = matches!(error, AppError::SignInRequired);
    let message = move || error.message(i18n.get_locale());
    view! {
        <p class="error" role="alert">
            {message}
        </p>
        <Show when=move || sign_in_again>
            <p>
                <a class="button" href="/sign-in" rel="external">
                    {t!(i18n, sign_in.title)}
                </a>
            </p>
        </Show>
    }
}
