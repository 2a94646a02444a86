//! Pages of the accounts area: sign-in, PIN setup, one's own account and the lock screen
//! (the admin's accounts page is in `admin_views`).
use super::api::{ChangePassword, SignIn};
use super::device;
use super::lock::sign_out_after_warning;
use super::redirect::safe_next;
use super::types::Profile;
use super::types::ProfileResource;
use crate::access::Role;
use crate::i18n::*;
use crate::ui::ErrorNotice;
use leptos::ev;
use leptos::form::ActionForm;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::hooks::use_query_map;

/// The translated name of a role.
pub fn role_label(i18n: I18nContext<Locale>, role: Role) -> &'static str {
    match role {
        Role::Admin => t_string!(i18n, roles.admin),
        Role::RegionCoordinator => t_string!(i18n, roles.region_coordinator),
        Role::DistrictSupervisor => t_string!(i18n, roles.district_supervisor),
        Role::Inspector => t_string!(i18n, roles.inspector),
        Role::CouncilChair => t_string!(i18n, roles.council_chair),
        Role::CouncilMember => t_string!(i18n, roles.council_member),
        Role::Akimat => t_string!(i18n, roles.akimat),
    }
}

fn encode(text: &str) -> String {
    js_sys::encode_uri_component(text).into()
}

/// A full page load: every page renders afresh for the new (or ended) session.
fn load_page(path: &str) {
    let _ = window().location().assign(path);
}

#[component]
pub fn SignInPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let expired = move || query.read().get("expired").is_some();
    let revoked = move || query.read().get("revoked").is_some();
    // The server sends a revoked device here: everything it kept goes, persons included.
    Effect::new(move |_| {
        if revoked() {
            leptos::task::spawn_local(device::wipe());
        }
    });
    let action = ServerAction::<SignIn>::new();
    let password = NodeRef::<leptos::html::Input>::new();
    Effect::new(move |_| {
        if let Some(Ok(profile)) = action.value().get() {
            let next = safe_next(query.get_untracked().get("next").as_deref());
            let typed = password.get_untracked().map(|input| input.value());
            leptos::task::spawn_local(async move {
                // Another person's data never stays on a device handed over.
                if device::remembered_profile().is_some_and(|p| p.account_id != profile.account_id)
                {
                    device::wipe_for_another_account().await;
                }
                device::remember_profile(&profile);
                // The password will open the persons cache once the offline window has passed.
                if let Some(typed) = typed {
                    crate::sync::remember_password(typed).await;
                }
                if device::has_pin(&profile.account_id) {
                    load_page(&next);
                } else {
                    load_page(&format!("/pin?next={}", encode(&next)));
                }
            });
        }
    });
    let error = move || action.value().get().and_then(Result::err);
    view! {
        <section class="narrow">
            <h1>{t!(i18n, sign_in.title)}</h1>
            <Show when=expired>
                <p class="notice" role="status">{t!(i18n, sign_in.expired)}</p>
            </Show>
            <Show when=revoked>
                <p class="notice" role="status">{t!(i18n, errors.device_revoked)}</p>
            </Show>
            <ActionForm action attr:class="form" attr:id="sign-in-form">
                <label for="login">{t!(i18n, sign_in.login)}</label>
                <input
                    id="login"
                    name="login"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck="false"
                    required
                />
                <label for="password">{t!(i18n, sign_in.password)}</label>
                <input
                    id="password"
                    name="password"
                    type="password"
                    autocomplete="current-password"
                    required
                    node_ref=password
                />
                <button type="submit" class="primary" disabled=move || action.pending().get()>
                    {t!(i18n, sign_in.submit)}
                </button>
            </ActionForm>
            {move || error().map(|error| view! { <ErrorNotice error /> })}
        </section>
    }
}

/// Choosing the PIN that unlocks the app on this device.
#[component]
pub fn SetPinPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let sync = crate::sync::state::use_sync();
    let pin = RwSignal::new(String::new());
    let confirm = RwSignal::new(String::new());
    let current = RwSignal::new(String::new());
    let problem = RwSignal::new(None::<String>);
    let saving = RwSignal::new(false);
    // A PIN is changed only by whoever knows the one it replaces (docs/offline-unlock.md):
    // an unlocked phone left on a table does not get a PIN of the finder's choosing.
    let changing = RwSignal::new(false);
    Effect::new(move |_| {
        changing.set(device::remembered_profile().is_some_and(|p| device::has_pin(&p.account_id)));
    });
    let navigate = leptos_router::hooks::use_navigate();
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        if saving.get_untracked() {
            return;
        }
        let Some(profile) = device::remembered_profile() else {
            load_page("/sign-in");
            return;
        };
        if !device::valid_pin(&pin.get_untracked()) {
            problem.set(Some(t_string!(i18n, pin.invalid).to_string()));
        } else if pin.get_untracked() != confirm.get_untracked() {
            problem.set(Some(t_string!(i18n, pin.differ).to_string()));
        } else {
            let next = safe_next(query.get_untracked().get("next").as_deref());
            let pin = pin.get_untracked();
            let navigate = navigate.clone();
            let typed_current = current.get_untracked();
            saving.set(true);
            leptos::task::spawn_local(async move {
                if device::has_pin(&profile.account_id) {
                    // The current PIN first; a wrong one counts towards the wipe.
                    match device::check_pin(&typed_current).await {
                        device::PinCheck::Correct(_) => {}
                        device::PinCheck::Wrong { attempts_left } => {
                            saving.set(false);
                            current.set(String::new());
                            problem.set(Some(
                                t_string!(i18n, pin.wrong, left = attempts_left).to_string(),
                            ));
                            return;
                        }
                        device::PinCheck::Wiped => {
                            super::sign_out_and_wipe();
                            return;
                        }
                    }
                    // A new PIN must be able to take the persons cache over.
                    if !crate::sync::pin_may_change().await {
                        saving.set(false);
                        problem.set(Some(t_string!(i18n, pin.change_locked).to_string()));
                        return;
                    }
                }
                match device::set_pin(&profile.account_id, &pin).await {
                    // The cache is opened (or made) now, while the PIN is at hand; then on to
                    // the page without a page load (the session is already this page's).
                    Some(material) => {
                        crate::sync::unlock_cache(sync, material).await;
                        navigate(&next, Default::default());
                    }
                    None => {
                        saving.set(false);
                        problem.set(Some(t_string!(i18n, pin.not_saved).to_string()));
                    }
                }
            });
        }
    };
    view! {
        <section class="narrow">
            <h1>{t!(i18n, pin.set_title)}</h1>
            <p>{t!(i18n, pin.set_hint)}</p>
            <form class="form" id="pin-form" on:submit=submit>
                <Show when=move || changing.get()>
                    <label for="pin-current">{t!(i18n, pin.current)}</label>
                    <input
                        id="pin-current"
                        type="password"
                        inputmode="numeric"
                        autocomplete="current-password"
                        required
                        bind:value=current
                    />
                </Show>
                <label for="pin">{t!(i18n, pin.pin)}</label>
                <input
                    id="pin"
                    type="password"
                    inputmode="numeric"
                    autocomplete="new-password"
                    required
                    bind:value=pin
                />
                <label for="pin-confirm">{t!(i18n, pin.confirm)}</label>
                <input
                    id="pin-confirm"
                    type="password"
                    inputmode="numeric"
                    autocomplete="new-password"
                    required
                    bind:value=confirm
                />
                <button type="submit" class="primary" disabled=saving>
                    {t!(i18n, pin.save)}
                </button>
            </form>
            {move || problem.get().map(|text| view! { <p class="error" role="alert">{text}</p> })}
        </section>
    }
}

/// One's own account: who, password change, PIN, sign-out.
#[component]
pub fn AccountPage() -> impl IntoView {
    let i18n = use_i18n();
    let profile = expect_context::<ProfileResource>();
    let change = ServerAction::<ChangePassword>::new();
    let new_password = NodeRef::<leptos::html::Input>::new();
    // The persons cache's password wrap follows the password (the old one no longer opens it).
    Effect::new(move |_| {
        if let Some(Ok(())) = change.value().get() {
            if let Some(typed) = new_password.get_untracked().map(|input| input.value()) {
                leptos::task::spawn_local(crate::sync::remember_password(typed));
            }
        }
    });
    let signing_out = RwSignal::new(false);
    let sign_out_now = move |_| {
        signing_out.set(true);
        sign_out_after_warning(i18n, move |going| signing_out.set(going));
    };
    view! {
        <h1>{t!(i18n, account.title)}</h1>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                profile
                    .await
                    .ok()
                    .flatten()
                    .map(|p: Profile| {
                        view! {
                            <dl class="facts">
                                <dt>{t!(i18n, account.name)}</dt>
                                <dd id="account-name">{p.display_name.clone()}</dd>
                                <dt>{t!(i18n, sign_in.login)}</dt>
                                <dd>{p.login.clone()}</dd>
                                <dt>{t!(i18n, account.role)}</dt>
                                <dd>{move || role_label(i18n, p.role)}</dd>
                            </dl>
                        }
                    })
            })}
        </Suspense>
        // This device's own settings, kept on the device.
        <section aria-labelledby="device-settings">
            <h2 id="device-settings">{t!(i18n, preferences.title)}</h2>
            <crate::preferences::TextSizeSetting />
        </section>
        <crate::preferences::InstallApp />
        <section>
            <h2>{t!(i18n, account.change_password)}</h2>
            <ActionForm action=change attr:class="form" attr:id="password-form">
                <label for="current">{t!(i18n, account.current_password)}</label>
                <input
                    id="current"
                    name="current"
                    type="password"
                    autocomplete="current-password"
                    required
                />
                <label for="new_password">{t!(i18n, account.new_password)}</label>
                <input
                    id="new_password"
                    name="new_password"
                    type="password"
                    autocomplete="new-password"
                    required
                    node_ref=new_password
                />
                <label for="confirm">{t!(i18n, account.confirm_password)}</label>
                <input id="confirm" name="confirm" type="password" autocomplete="new-password" required />
                <button type="submit" class="primary" disabled=move || change.pending().get()>
                    {t!(i18n, account.save_password)}
                </button>
            </ActionForm>
            {move || match change.value().get() {
                Some(Ok(())) => {
                    Some(view! { <p class="notice" role="status">{t!(i18n, account.password_changed)}</p> }.into_any())
                }
                Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
                None => None,
            }}
        </section>
        <section>
            <h2>{t!(i18n, pin.title)}</h2>
            <p>
                <a class="button" href="/pin?next=%2Faccount">
                    {t!(i18n, pin.change)}
                </a>
            </p>
        </section>
        <section>
            <h2>{t!(i18n, account.sign_out_title)}</h2>
            <p>{t!(i18n, account.sign_out_hint)}</p>
            <button type="button" id="sign-out" class="danger" on:click=sign_out_now disabled=signing_out>
                {t!(i18n, account.sign_out)}
            </button>
        </section>
    }
}
