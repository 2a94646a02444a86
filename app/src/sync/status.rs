//! What the person sees of sync outside the outbox list: in the header, a sync button that
//! shows the network state and an outbox badge with the count (one line on a 360 px phone);
//! under it only what needs attention; the details on the outbox page.
use super::state::{use_sync, SyncFailure, SyncState};
use crate::i18n::*;
use crate::ui::clock;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::A;

type I18n = I18nContext<Locale>;

/// "Synced 14:05", "Syncing…" or "Received 40, about 60 left".
fn last_sync_text(i18n: I18n, sync: SyncState) -> String {
    let locale = i18n.get_locale();
    match (
        sync.running.get(),
        sync.progress.get(),
        sync.last_sync.get(),
    ) {
        (true, Some((done, left)), _) => {
            td_string!(locale, sync.progress, done = done, left = left).to_string()
        }
        (true, None, _) => t_string!(i18n, sync.syncing).to_string(),
        (false, _, Some(at)) => {
            td_string!(locale, sync.status_synced_at, time = clock(at)).to_string()
        }
        (false, _, None) => t_string!(i18n, sync.status_never).to_string(),
    }
}

fn failure_text(i18n: I18n, failure: SyncFailure) -> String {
    let locale = i18n.get_locale();
    match failure {
        SyncFailure::Offline => td_string!(locale, sync.failure_offline).to_string(),
        SyncFailure::SignInNeeded => td_string!(locale, sync.failure_sign_in).to_string(),
        SyncFailure::SignInAgain => td_string!(locale, errors.sign_in_again).to_string(),
        SyncFailure::DeviceRefused => td_string!(locale, sync.failure_device).to_string(),
        SyncFailure::DeviceRevoked => td_string!(locale, errors.device_revoked).to_string(),
        SyncFailure::PersonsLocked => td_string!(locale, sync.failure_persons_locked).to_string(),
        SyncFailure::Busy(seconds) => {
            td_string!(locale, errors.busy, seconds = seconds).to_string()
        }
        SyncFailure::Server(status) => {
            td_string!(locale, sync.failure_server, status = status).to_string()
        }
        SyncFailure::Storage(error) => {
            td_string!(locale, sync.failure_storage, error = error).to_string()
        }
    }
}

/// The header's part: a sync button whose icon is the network state (`children`, given by the
/// shell) and the outbox badge. Its data attributes carry the counts for tests and scripts.
#[component]
pub fn SyncHeader(children: Children) -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let badge_label = move || {
        let locale = i18n.get_locale();
        let mut label = format!(
            "{}: {}",
            t_string!(i18n, sync.outbox_link),
            td_string!(locale, sync.status_pending, count = sync.pending.get())
        );
        if sync.problems.get() > 0 {
            label.push_str(". ");
            label.push_str(
                &td_string!(locale, sync.status_problems, count = sync.problems.get()).to_string(),
            );
        }
        label
    };
    view! {
        <div
            class="sync-bar"
            id="sync-bar"
            data-pending=move || sync.pending.get().to_string()
            data-problems=move || sync.problems.get().to_string()
            data-running=move || sync.running.get().to_string()
            // Whether the browser promised to keep the data: "unknown" until it answered.
            data-storage-kept=move || match sync.storage_kept.get() {
                None => "unknown",
                Some(true) => "true",
                Some(false) => "false",
            }
        >
            <button
                type="button"
                class="sync-now icon-button"
                id="sync-now"
                class:running=move || sync.running.get()
                title=move || last_sync_text(i18n, sync)
                // A short name; the network state inside stays a live region of its own.
                aria-label=move || format!("{}. {}", t_string!(i18n, sync.sync_now), last_sync_text(i18n, sync))
                // While a sync runs the button waits for it (a press then would only queue one).
                disabled=move || sync.running.get()
                on:click=move |_| sync.sync_now()
            >
                {children()}
            </button>
            <A
                href="/outbox"
                attr:class=move || {
                    if sync.problems.get() > 0 {
                        "outbox-badge icon-button attention"
                    } else {
                        "outbox-badge icon-button"
                    }
                }
                attr:id="outbox-link"
                attr:aria-label=badge_label
                attr:title=badge_label
            >
                <svg aria-hidden="true" viewBox="0 0 24 24" width="24" height="24">
                    <path
                        d="M3 13h5l1.5 3h5L16 13h5v7H3zM12 3v8m-3.5-3.5L12 11l3.5-3.5"
                        fill="none"
                        stroke="currentColor"
                        stroke-width="2"
                        stroke-linejoin="round"
                    />
                </svg>
                <span class="badge" aria-hidden="true">
                    {move || sync.pending.get() + sync.problems.get()}
                </span>
            </A>
        </div>
    }
}

/// Under the header, only when something needs the person: a sync failure (offline is the
/// header's icon, not a failure to read), and once, the browser's refusal to keep the data.
#[component]
pub fn SyncNotices() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    let dismissed = RwSignal::new(true);
    Effect::new(move |_| {
        // Granted now, a later refusal is news again; refused, the kept dismissal holds.
        match sync.storage_kept.get() {
            Some(true) => forget_dismissal(),
            Some(false) => dismissed.set(was_dismissed()),
            None => {}
        }
    });
    let dismiss = move |_| {
        keep_dismissal();
        dismissed.set(true);
    };
    view! {
        {move || {
            sync.failure
                .get()
                .filter(|failure| *failure != SyncFailure::Offline)
                .map(|failure| {
                    // The session lives on, so the sign-in page is asked for anew.
                    let again = (failure == SyncFailure::SignInAgain).then(|| {
                        view! { " " <a href="/sign-in?again=1">{t!(i18n, sign_in.submit)}</a> }
                    });
                    view! {
                        <p class="sync-failure" role="alert">{failure_text(i18n, failure)} {again}</p>
                    }
                })
        }}
        <Show when=move || sync.storage_kept.get() == Some(false) && !dismissed.get()>
            <div class="sync-warning" id="storage-warning">
                <p>
                    {t!(i18n, sync.storage_refused)} " "
                    <A href="/account#install">{t!(i18n, preferences.install_title)}</A>
                </p>
                <button type="button" id="storage-warning-dismiss" on:click=dismiss>
                    {t!(i18n, sync.storage_dismiss)}
                </button>
            </div>
        </Show>
    }
}

const DISMISSED_KEY: &str = "zq_storage_warning_dismissed";

fn local_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn was_dismissed() -> bool {
    local_storage()
        .and_then(|s| s.get_item(DISMISSED_KEY).ok().flatten())
        .is_some()
}

fn keep_dismissal() {
    if let Some(storage) = local_storage() {
        let _ = storage.set_item(DISMISSED_KEY, "1");
    }
}

fn forget_dismissal() {
    if let Some(storage) = local_storage() {
        let _ = storage.remove_item(DISMISSED_KEY);
    }
}

/// The outbox page's account of sync: counts, the last sync, a button, the failure.
#[component]
pub fn SyncDetails() -> impl IntoView {
    let i18n = use_i18n();
    let sync = use_sync();
    view! {
        <div class="sync-details" id="sync-details">
            <p>
                <strong>
                    {move || {
                        td_string!(i18n.get_locale(), sync.status_pending, count = sync.pending.get())
                            .to_string()
                    }}
                </strong>
                // Hidden, not left out: this page hydrates after its chunk loads, and a sync
                // may have changed these by then; the page's shape must match the server's.
                <span hidden=move || sync.problems.get() == 0>
                    " · "
                    <strong class="sync-problems">
                        {move || {
                            td_string!(i18n.get_locale(), sync.status_problems, count = sync.problems.get())
                                .to_string()
                        }}
                    </strong>
                </span>
            </p>
            <p class="sync-last" role="status">{move || last_sync_text(i18n, sync)}</p>
            <p class="error" hidden=move || sync.failure.get().is_none()>
                {move || sync.failure.get().map(|failure| failure_text(i18n, failure)).unwrap_or_default()}
            </p>
            <button
                type="button"
                id="outbox-sync-now"
                disabled=move || sync.running.get()
                on:click=move |_| sync.sync_now()
            >
                {t!(i18n, sync.sync_now)}
            </button>
        </div>
    }
}
