//! The admin's accounts page: the list (enable, disable, reset a password, devices, the
//! council member an account is) and the form that creates an account.
use super::admin::{list_accounts, reset_password, set_account_enabled};
use super::member_link::link_member;
use super::types::AccountSummary;
use super::views::role_label;
use crate::councils::member_role_label;
use crate::errors::AppError;
use crate::i18n::*;
use crate::ui::ErrorNotice;
use leptos::prelude::*;

/// The admin's accounts page.
#[component]
pub fn AdminAccountsPage() -> impl IntoView {
    let i18n = use_i18n();
    let changed = RwSignal::new(0u32);
    let accounts = Resource::new(move || changed.get(), |_| list_accounts());
    let result = RwSignal::new(None::<Result<(), AppError>>);
    let finish = move |outcome: Result<(), AppError>| {
        if outcome.is_ok() {
            changed.update(|n| *n += 1);
        }
        result.set(Some(outcome));
    };
    let toggle = move |id: String, enabled: bool| {
        leptos::task::spawn_local(async move {
            finish(set_account_enabled(id, enabled).await);
        });
    };
    let reset = move |id: String, password: String| {
        leptos::task::spawn_local(async move {
            finish(reset_password(id, password).await);
        });
    };
    view! {
        <h1>{t!(i18n, admin.title)}</h1>
        {move || match result.get() {
            Some(Ok(())) => Some(view! { <p class="notice" role="status">{t!(i18n, admin.saved)}</p> }.into_any()),
            Some(Err(error)) => Some(view! { <ErrorNotice error /> }.into_any()),
            None => None,
        }}
        <super::new_account::NewAccountForm on_done=finish />
        <h2>{t!(i18n, admin.list)}</h2>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match accounts.await {
                    Ok(list) => view! {
                        <ul class="cards" id="accounts">
                            {list
                                .into_iter()
                                .map(|account| {
                                    let new_password = RwSignal::new(String::new());
                                    let (id_toggle, id_reset) = (account.id.clone(), account.id.clone());
                                    let enabled = account.disabled;
                                    let field_id = format!("reset-{}", account.id);
                                    let label_for = field_id.clone();
                                    view! {
                                        <li class="card" data-login=account.login.clone()>
                                            <strong>{account.display_name.clone()}</strong>
                                            <span>" · " {account.login.clone()} " · " {move || role_label(i18n, account.role)}</span>
                                            <span class="muted">{account.scope.clone()}</span>
                                            <Show when=move || account.disabled>
                                                <span class="badge">{t!(i18n, admin.disabled)}</span>
                                            </Show>
                                            <button
                                                type="button"
                                                class="toggle-account"
                                                on:click=move |_| toggle(id_toggle.clone(), enabled)
                                            >
                                                {move || {
                                                    if account.disabled {
                                                        t_string!(i18n, admin.enable)
                                                    } else {
                                                        t_string!(i18n, admin.disable)
                                                    }
                                                }}
                                            </button>
                                            <label for=label_for>{t!(i18n, admin.new_password)}</label>
                                            <input id=field_id type="password" autocomplete="new-password" bind:value=new_password />
                                            <button
                                                type="button"
                                                on:click=move |_| reset(id_reset.clone(), new_password.get_untracked())
                                            >
                                                {t!(i18n, admin.reset_password)}
                                            </button>
                                            <AccountMember account=account.clone() on_done=finish />
                                            <super::devices::AccountDevices account_id=account.id.clone() />
                                        </li>
                                    }
                                })
                                .collect_view()}
                        </ul>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}

/// The council member an account is, on its card: the linked member with a way to unlink
/// him, or (for a council-side account of one village) a choice among the village council's
/// members without an account.
#[component]
fn AccountMember(
    account: AccountSummary,
    on_done: impl Fn(Result<(), AppError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let id = account.id.clone();
    let save = move |member_id: Option<String>| {
        let id = id.clone();
        leptos::task::spawn_local(async move {
            on_done(link_member(id, member_id).await);
        });
    };
    if let Some(name) = account.member {
        let unlink = save.clone();
        return view! {
            <div class="link-member">
                <span>{t!(i18n, account_member.member)} ": " <strong>{name}</strong></span>
                <button
                    type="button"
                    id=format!("unlink-member-{}", account.id)
                    on:click=move |_| unlink(None)
                >
                    {t!(i18n, account_member.unlink)}
                </button>
            </div>
        }
        .into_any();
    }
    if account.member_village_id.is_none() {
        return ().into_any();
    }
    if account.linkable.is_empty() {
        return view! {
            <div class="link-member">
                <span>{t!(i18n, account_member.member)} ": " {t!(i18n, account_member.not_linked)}</span>
                <span class="muted">{t!(i18n, account_member.no_free)}</span>
            </div>
        }
        .into_any();
    }
    let choice = RwSignal::new(String::new());
    let field_id = format!("link-member-{}", account.id);
    view! {
        <div class="link-member">
            <label for=field_id.clone()>{t!(i18n, account_member.link_to)}</label>
            <select id=field_id on:change=move |ev| choice.set(event_target_value(&ev))>
                <option value="">{t!(i18n, account_member.choose)}</option>
                {account
                    .linkable
                    .into_iter()
                    .map(|member| {
                        let role = member.role.clone();
                        let name = member.full_name.clone();
                        view! {
                            <option value=member.id>
                                {move || format!("{name} · {}", member_role_label(i18n, &role))}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <button
                type="button"
                id=format!("link-member-save-{}", account.id)
                disabled=move || choice.read().is_empty()
                on:click=move |_| save(Some(choice.get_untracked()))
            >
                {t!(i18n, account_member.link)}
            </button>
        </div>
    }
    .into_any()
}
