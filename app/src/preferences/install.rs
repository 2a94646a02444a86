//! "Install the app": where the browser offers installing (Chromium's `beforeinstallprompt`)
//! a button asks it; elsewhere a short hint says where the browser keeps that choice. An
//! installed app opens standalone at `/` (the manifest's `start_url`), the role's home page.
use crate::i18n::*;
use leptos::prelude::*;

#[cfg(feature = "hydrate")]
thread_local! {
    /// The browser's offer, held back (its default is a mini bar the person did not ask for)
    /// until the person presses the button. It may come before any page has hydrated.
    static OFFER: std::cell::RefCell<Option<wasm_bindgen::JsValue>> =
        const { std::cell::RefCell::new(None) };
}

/// Starts listening for the browser's offer: called by the browser entry point before the
/// page hydrates, as the offer can arrive before the account page exists.
pub fn watch_install_prompt() {
    #[cfg(feature = "hydrate")]
    {
        let listener = window_event_listener_untyped("beforeinstallprompt", keep_offer);
        // For the page's life; the handle needs no removal.
        std::mem::forget(listener);
    }
}

#[cfg(feature = "hydrate")]
fn keep_offer(event: web_sys::Event) {
    event.prevent_default();
    OFFER.with(|offer| *offer.borrow_mut() = Some(event.into()));
}

#[cfg(feature = "hydrate")]
fn has_offer() -> bool {
    OFFER.with(|offer| offer.borrow().is_some())
}

/// Asks the browser to install; the offer is used once, whatever the answer.
#[cfg(feature = "hydrate")]
fn ask_browser() {
    let Some(offer) = OFFER.with(|offer| offer.borrow_mut().take()) else {
        return;
    };
    let prompt = js_sys::Reflect::get(&offer, &"prompt".into())
        .ok()
        .and_then(|f| wasm_bindgen::JsCast::dyn_into::<js_sys::Function>(f).ok());
    if let Some(prompt) = prompt {
        // Refused or failed, the browser says so itself; the button goes either way.
        let _ = prompt.call0(&offer);
    }
}

/// The app already runs installed (standalone, from the home screen).
#[cfg(feature = "hydrate")]
fn running_installed() -> bool {
    window()
        .match_media("(display-mode: standalone)")
        .ok()
        .flatten()
        .is_some_and(|query| query.matches())
}

#[derive(Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "hydrate"), allow(dead_code))]
enum Installing {
    /// No offer from this browser: the hint.
    Hint,
    Offered,
    Installed,
}

#[component]
pub fn InstallApp() -> impl IntoView {
    let i18n = use_i18n();
    let state = RwSignal::new(Installing::Hint);
    #[cfg(feature = "hydrate")]
    Effect::new(move |_| {
        if running_installed() {
            state.set(Installing::Installed);
        } else if has_offer() {
            state.set(Installing::Offered);
        }
        let offered = window_event_listener_untyped("beforeinstallprompt", move |_| {
            // `watch_install_prompt`'s listener keeps the offer; this one shows the button.
            state.set(Installing::Offered)
        });
        let installed = window_event_listener_untyped("appinstalled", move |_| {
            state.set(Installing::Installed)
        });
        on_cleanup(move || {
            offered.remove();
            installed.remove();
        });
    });
    let install = move |_| {
        #[cfg(feature = "hydrate")]
        ask_browser();
        state.set(Installing::Hint);
    };
    view! {
        <section class="install" id="install" aria-labelledby="install-heading">
            <h2 id="install-heading">{t!(i18n, preferences.install_title)}</h2>
            {move || match state.get() {
                Installing::Offered => {
                    view! {
                        <button type="button" class="primary" id="install-app" on:click=install>
                            {t!(i18n, preferences.install_button)}
                        </button>
                    }
                        .into_any()
                }
                Installing::Installed => {
                    view! { <p id="install-done">{t!(i18n, preferences.install_done)}</p> }.into_any()
                }
                Installing::Hint => {
                    view! { <p class="hint" id="install-hint">{t!(i18n, preferences.install_hint)}</p> }
                        .into_any()
                }
            }}
        </section>
    }
}
