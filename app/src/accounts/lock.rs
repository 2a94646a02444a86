//! The device's lock (DESIGN §7): the PIN screen over a signed-in app, a page asking for the
//! PIN again, and signing out with the device's data wiped (warning first of entries not yet
//! sent).
use super::api::sign_out;
use super::device::{self, PinCheck};
use crate::i18n::*;
use leptos::ev;
use leptos::prelude::*;

/// Ends the session on the server, wipes this device and shows the sign-in page (replacing
/// the current history entry). Offline the server cannot be told; the session then ends by
/// its timeouts, and this device forgets everything now either way.
pub fn sign_out_and_wipe() {
    crate::sync::local::stop_sync_writes();
    leptos::task::spawn_local(async move {
        let _ = sign_out().await;
        device::wipe().await;
        let _ = window().location().replace("/sign-in");
    });
}

/// Sign-out asked for by the person: entries not yet accepted by the server would be lost
/// with the device's data, so they are counted and the person must confirm — never silently.
pub fn sign_out_after_warning(
    i18n: leptos_i18n::I18nContext<Locale>,
    done: impl FnOnce(bool) + 'static,
) {
    leptos::task::spawn_local(async move {
        let unsent = crate::sync::local::outbox()
            .await
            .map(|e| e.len())
            .unwrap_or(0);
        if unsent > 0 {
            let question =
                td_string!(i18n.get_locale(), sync.unsynced_sign_out, count = unsent).to_string();
            if !window().confirm_with_message(&question).unwrap_or(false) {
                done(false);
                return;
            }
        }
        done(true);
        sign_out_and_wipe();
    });
}

/// The lock screen's switch, shared so a page can ask for the PIN (to open the persons cache
/// after a page load dropped its key from memory).
#[derive(Clone, Copy)]
pub struct AppLock(pub RwSignal<bool>);

impl AppLock {
    pub fn ask_pin(self) {
        device::lock();
        self.0.set(true);
    }
}

/// The lock screen over a signed-in app: asked when the app is opened anew and after
/// inactivity, if this device has a PIN.
#[component]
pub fn PinLock(locked: RwSignal<bool>) -> impl IntoView {
    let i18n = use_i18n();
    let sync = crate::sync::state::use_sync();
    let pin = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    Effect::new(move |_| {
        locked.set(device::must_lock());
        device::mark_active();
        let touch = window_event_listener(ev::pointerdown, |_| device::mark_active());
        let key = window_event_listener(ev::keydown, |_| device::mark_active());
        let watch = set_interval_with_handle(
            move || {
                if !locked.get_untracked() && device::must_lock() {
                    device::lock();
                    sync.persons.set(crate::sync::state::PersonsCache::Locked);
                    locked.set(true);
                }
            },
            std::time::Duration::from_secs(15),
        );
        on_cleanup(move || {
            touch.remove();
            key.remove();
            if let Ok(watch) = watch {
                watch.clear();
            }
        });
    });
    let checking = RwSignal::new(false);
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if checking.get_untracked() {
            return;
        }
        checking.set(true);
        let typed = pin.get_untracked();
        leptos::task::spawn_local(async move {
            let outcome = device::check_pin(&typed).await;
            checking.set(false);
            pin.set(String::new());
            match outcome {
                PinCheck::Correct(material) => {
                    problem.set(None);
                    locked.set(false);
                    crate::sync::unlock_cache(sync, material).await;
                }
                PinCheck::Wrong { attempts_left } => problem.set(Some(
                    t_string!(i18n, pin.wrong, left = attempts_left).to_string(),
                )),
                PinCheck::Wiped => sign_out_and_wipe(),
            }
        });
    };
    let forget = move |_| sign_out_after_warning(i18n, |_| ());
    view! {
        <Show when=move || locked.get()>
            <div class="pin-lock" role="dialog" aria-modal="true" aria-labelledby="pin-lock-title">
                <form class="form" id="unlock-form" on:submit=submit>
                    <h2 id="pin-lock-title">{t!(i18n, pin.locked_title)}</h2>
                    <p>
                        {move || device::remembered_profile().map(|p| p.display_name).unwrap_or_default()}
                    </p>
                    <label for="unlock-pin">{t!(i18n, pin.pin)}</label>
                    <input
                        id="unlock-pin"
                        type="password"
                        inputmode="numeric"
                        autocomplete="off"
                        required
                        bind:value=pin
                    />
                    <button type="submit" class="primary" disabled=checking>
                        {t!(i18n, pin.unlock)}
                    </button>
                    {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
                    <button type="button" class="link" on:click=forget>
                        {t!(i18n, pin.forget)}
                    </button>
                </form>
            </div>
        </Show>
    }
}
