//! The device's lock (DESIGN §7): the PIN screen over a signed-in app, a page asking for the
//! PIN again, and signing out with the device's data wiped (warning first of entries not yet
//! sent).
use super::api::sign_out;
use super::device::{self, PinCheck};
use crate::i18n::*;
use leptos::ev;
use leptos::prelude::*;

/// Wipes this device, then ends the session on the server and shows the sign-in page
/// (replacing the current history entry). The device goes first: with no signal, or a server
/// that never answers, nothing is left on it, and the signed-out cookie the wipe sets ends the
/// session at the browser's next request (docs/offline-unlock.md).
pub fn sign_out_and_wipe() {
    crate::sync::local::stop_sync_writes();
    leptos::task::spawn_local(async move {
        device::wipe().await;
        let _ = sign_out().await;
        let _ = window().location().replace("/sign-in");
    });
}

/// At the app's start: a wipe that a closed tab cut short is finished before anything shows,
/// and the sign-in page follows. `true` when it did so.
pub fn finish_interrupted_wipe() -> bool {
    if !device::wipe_interrupted() {
        return false;
    }
    crate::sync::local::stop_sync_writes();
    // Before hydration: Leptos's executor is not running yet.
    wasm_bindgen_futures::spawn_local(async move {
        device::finish_interrupted_wipe().await;
        let _ = window().location().replace("/sign-in");
    });
    true
}

/// Sign-out asked for by the person: entries not yet accepted by the server would be lost
/// with the device's data, so they are counted and the person must confirm — never silently.
pub fn sign_out_after_warning(
    i18n: leptos_i18n::I18nContext<Locale>,
    done: impl FnOnce(bool) + 'static,
) {
    leptos::task::spawn_local(async move {
        #[cfg_attr(not(feature = "hydrate"), allow(unused_mut))]
        let mut unsent = crate::sync::local::outbox()
            .await
            .map(|e| e.len())
            .unwrap_or(0);
        // Reads of persons made here are reported before the wipe when there is signal;
        // those that could not be are counted with the entries.
        #[cfg(feature = "hydrate")]
        {
            let _ = crate::sync::reads::send().await;
            unsent += crate::sync::reads::queued().await;
        }
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

/// The server forgets the session's unlock (browser only), on a device with a PIN: its open
/// cache proves the unlock again when needed. A tab with no PIN (signed in, PIN not yet set)
/// reads persons from the server on the strength of the sign-in alone, and keeps that.
fn tell_server_locked() {
    let with_pin = device::remembered_profile().is_some_and(|p| device::has_pin(&p.account_id));
    #[cfg(feature = "hydrate")]
    if with_pin {
        crate::sync::transport::lock_server();
    }
    #[cfg(not(feature = "hydrate"))]
    let _ = with_pin;
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
        let lock_if_idle = move || {
            if !locked.get_untracked() && device::must_lock() {
                device::lock();
                tell_server_locked();
                sync.persons.set(crate::sync::state::PersonsCache::Locked);
                locked.set(true);
            }
        };
        let watch = set_interval_with_handle(lock_if_idle, std::time::Duration::from_secs(15));
        // Back on screen, the idle time is checked at once, not at the next tick. Off screen
        // (another app, the phone's own lock, the tab closing) the server forgets the unlock;
        // the app proves it again when it next reads a person.
        let shown = window_event_listener(ev::visibilitychange, move |_| {
            if !document().hidden() {
                lock_if_idle();
            } else {
                tell_server_locked();
            }
        });
        let gone = window_event_listener(ev::pagehide, |_| tell_server_locked());
        on_cleanup(move || {
            shown.remove();
            gone.remove();
            touch.remove();
            key.remove();
            if let Ok(watch) = watch {
                watch.clear();
            }
        });
    });
    // The app's requests say whether the lock screen shows (docs/offline-unlock.md).
    Effect::new(move |_| {
        let shown = locked.get();
        #[cfg(feature = "hydrate")]
        crate::sync::transport::set_lock_shown(shown);
        #[cfg(not(feature = "hydrate"))]
        let _ = shown;
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
