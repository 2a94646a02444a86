//! The form that creates an account. A council chair's, member's or akimat's account of one
//! village is a member of that village's council: the form asks which one, or makes a new one
//! with the account.
use super::admin::create_account;
use super::member_link::linkable_members;
use super::types::NewAccount;
use super::types::{member_role_for, member_village, MemberChoice};
use super::views::role_label;
use crate::access::Role;
use crate::councils::{member_role_label, role_codes};
use crate::errors::AppError;
use crate::i18n::*;
use crate::places::VillagesResource;
use crate::stored::StoredEnum;
use crate::ui::ErrorNotice;
use leptos::ev;
use leptos::prelude::*;

/// The member choice's value for "a new member".
const NEW_MEMBER: &str = "new";

#[component]
pub(super) fn NewAccountForm(
    on_done: impl Fn(Result<(), AppError>) + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let i18n = use_i18n();
    let villages = expect_context::<VillagesResource>();
    let form = RwSignal::new(NewAccount {
        role: Role::Inspector.as_str().to_owned(),
        scope: "villages".to_owned(),
        ..NewAccount::default()
    });
    let chosen = RwSignal::new(Vec::<String>::new());
    let member = MemberFields::new();
    // The village whose council the account's person sits on, when the account is a member.
    let member_village = Memo::new(move |_| {
        let f = form.read();
        let chosen = chosen.read();
        let role = Role::parse(&f.role).ok()?;
        (f.scope == "villages")
            .then(|| member_village(role, &chosen))
            .flatten()
    });
    let made = RwSignal::new(0u32);
    let free = RwSignal::new(None::<Result<Vec<MemberChoice>, AppError>>);
    Effect::new(move |_| {
        made.track();
        let village = member_village.get();
        member.choice.set(String::new());
        free.set(None);
        if let Some(village) = village {
            leptos::task::spawn_local(async move {
                let answer = linkable_members(village.clone()).await;
                // A village chosen meanwhile has its own answer coming.
                if member_village.get_untracked().as_ref() == Some(&village) {
                    free.set(Some(answer));
                }
            });
        }
    });
    let submit = move |ev: ev::SubmitEvent| {
        ev.prevent_default();
        let mut account = form.get_untracked();
        account.village_ids = chosen.get_untracked().join(",");
        if member_village.get_untracked().is_some() {
            member.fill(&mut account);
        }
        leptos::task::spawn_local(async move {
            let outcome = create_account(account).await.map(|_| ());
            if outcome.is_ok() {
                form.update(|f| {
                    f.login.clear();
                    f.display_name.clear();
                    f.password.clear();
                });
                chosen.set(Vec::new());
                member.clear();
                made.update(|n| *n += 1);
            }
            on_done(outcome);
        });
    };
    let field = move |get: fn(&NewAccount) -> &String, set: fn(&mut NewAccount, String)| {
        (
            move || get(&form.read()).clone(),
            move |ev| form.update(|f| set(f, event_target_value(&ev))),
        )
    };
    let (login, on_login) = field(|f| &f.login, |f, v| f.login = v);
    let (name, on_name) = field(|f| &f.display_name, |f, v| f.display_name = v);
    let (password, on_password) = field(|f| &f.password, |f, v| f.password = v);
    let (_, on_role) = field(|f| &f.role, |f, v| f.role = v);
    let (scope, on_scope) = field(|f| &f.scope, |f, v| f.scope = v);
    let (_, on_district) = field(|f| &f.district_id, |f, v| f.district_id = v);
    view! {
        <h2>{t!(i18n, admin.create)}</h2>
        <form class="form" id="new-account" on:submit=submit>
            <label for="new-login">{t!(i18n, sign_in.login)}</label>
            <input id="new-login" autocapitalize="none" required prop:value=login on:input=on_login />
            <label for="new-name">{t!(i18n, account.name)}</label>
            <input id="new-name" required prop:value=name on:input=on_name />
            <label for="new-role">{t!(i18n, account.role)}</label>
            <select id="new-role" on:change=on_role>
                {Role::ALL
                    .iter()
                    .map(|&role| {
                        view! {
                            <option value=role.as_str() selected=role == Role::Inspector>
                                {move || role_label(i18n, role)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="new-scope">{t!(i18n, admin.scope)}</label>
            <select id="new-scope" on:change=on_scope>
                <option value="villages" selected>{t!(i18n, admin.scope_villages)}</option>
                <option value="district">{t!(i18n, admin.scope_district)}</option>
                <option value="region">{t!(i18n, admin.scope_region)}</option>
            </select>
            <Suspense>
                {move || Suspend::new(async move {
                    let list = villages.await.unwrap_or_default();
                    let mut districts: Vec<(String, String)> = list
                        .iter()
                        .map(|v| (v.district_id.clone(), v.district.ru.clone()))
                        .collect();
                    districts.dedup();
                    view! {
                        <Show when=move || scope() == "district">
                            <label for="new-district">{t!(i18n, village.district)}</label>
                            <select id="new-district" on:change=on_district>
                                <option value="">"—"</option>
                                {districts
                                    .clone()
                                    .into_iter()
                                    .map(|(id, name)| view! { <option value=id>{name}</option> })
                                    .collect_view()}
                            </select>
                        </Show>
                        <Show when=move || scope() == "villages">
                            <fieldset class="checks">
                                <legend>{t!(i18n, admin.villages)}</legend>
                                {list
                                    .clone()
                                    .into_iter()
                                    .map(|village| {
                                        let id = village.id.clone();
                                        let checked = id.clone();
                                        let field_id = format!("village-{id}");
                                        let label_for = field_id.clone();
                                        view! {
                                            <label class="check" for=label_for>
                                                <input
                                                    id=field_id
                                                    type="checkbox"
                                                    prop:checked=move || chosen.read().contains(&checked)
                                                    on:change=move |ev| {
                                                        let on = event_target_checked(&ev);
                                                        let id = id.clone();
                                                        chosen.update(|c| {
                                                            c.retain(|x| *x != id);
                                                            if on {
                                                                c.push(id);
                                                            }
                                                        });
                                                    }
                                                />
                                                {village.name.ru.clone()}
                                            </label>
                                        }
                                    })
                                    .collect_view()}
                            </fieldset>
                        </Show>
                    }
                })}
            </Suspense>
            <Show when=move || member_village.read().is_some()>
                <MemberPart member form free />
            </Show>
            <label for="new-password">{t!(i18n, admin.first_password)}</label>
            <input id="new-password" type="password" autocomplete="new-password" required prop:value=password on:input=on_password />
            <button type="submit" class="primary">{t!(i18n, admin.create_submit)}</button>
        </form>
    }
}

/// What the form says about the account's member. The new member's name and role follow the
/// account's name and role until typed over.
#[derive(Clone, Copy)]
struct MemberFields {
    /// A member's id, `NEW_MEMBER`, or empty (none chosen yet).
    choice: RwSignal<String>,
    name: RwSignal<Option<String>>,
    role: RwSignal<Option<String>>,
    phone: RwSignal<String>,
}

impl MemberFields {
    fn new() -> Self {
        Self {
            choice: RwSignal::new(String::new()),
            name: RwSignal::new(None),
            role: RwSignal::new(None),
            phone: RwSignal::new(String::new()),
        }
    }

    fn name_for(&self, account: &NewAccount) -> String {
        self.name
            .get()
            .unwrap_or_else(|| account.display_name.trim().to_owned())
    }

    fn role_for(&self, account: &NewAccount) -> String {
        self.role.get().unwrap_or_else(|| {
            let role = Role::parse(&account.role).unwrap_or(Role::CouncilMember);
            member_role_for(role).to_owned()
        })
    }

    /// Puts the choice into the account sent to the server.
    fn fill(&self, account: &mut NewAccount) {
        let choice = self.choice.get_untracked();
        if choice == NEW_MEMBER {
            account.new_member_name = untrack(|| self.name_for(account));
            account.new_member_role = untrack(|| self.role_for(account));
            account.new_member_phone = self.phone.get_untracked();
        } else {
            account.member_id = choice;
        }
    }

    fn clear(&self) {
        self.choice.set(String::new());
        self.name.set(None);
        self.role.set(None);
        self.phone.set(String::new());
    }
}

#[component]
fn MemberPart(
    member: MemberFields,
    form: RwSignal<NewAccount>,
    free: RwSignal<Option<Result<Vec<MemberChoice>, AppError>>>,
) -> impl IntoView {
    let i18n = use_i18n();
    let choice = member.choice;
    let members = move || free.get().and_then(Result::ok).unwrap_or_default();
    let none_free = move || matches!(free.get(), Some(Ok(list)) if list.is_empty());
    let failed = move || free.get().and_then(Result::err);
    view! {
        <p class="muted" id="account_member_hint">{t!(i18n, account_member.hint)}</p>
        <label for="account_member">{t!(i18n, account_member.member)}</label>
        <select
            id="account_member"
            aria-describedby="account_member_hint"
            on:change=move |ev| choice.set(event_target_value(&ev))
        >
            <option value="" prop:selected=move || choice.read().is_empty()>
                {t!(i18n, account_member.choose)}
            </option>
            {move || {
                members()
                    .into_iter()
                    .map(|m| {
                        let (id, picked) = (m.id.clone(), m.id.clone());
                        let label = move || format!("{} · {}", m.full_name, member_role_label(i18n, &m.role));
                        view! {
                            <option value=id prop:selected=move || *choice.read() == picked>
                                {label}
                            </option>
                        }
                    })
                    .collect_view()
            }}
            <option value=NEW_MEMBER prop:selected=move || *choice.read() == NEW_MEMBER>
                {t!(i18n, account_member.new_member_option)}
            </option>
        </select>
        <Show when=none_free>
            <p class="muted">{t!(i18n, account_member.none_free)}</p>
        </Show>
        {move || failed().map(|error| view! { <ErrorNotice error /> })}
        <Show when=move || *choice.read() == NEW_MEMBER>
            <label for="account_member_name">{t!(i18n, account_member.name)}</label>
            <input
                id="account_member_name"
                required
                prop:value=move || member.name_for(&form.read())
                on:input=move |ev| member.name.set(Some(event_target_value(&ev)))
            />
            <label for="account_member_role">{t!(i18n, account_member.role)}</label>
            <select
                id="account_member_role"
                on:change=move |ev| member.role.set(Some(event_target_value(&ev)))
            >
                {role_codes()
                    .into_iter()
                    .map(|code| {
                        view! {
                            <option
                                value=code
                                prop:selected=move || member.role_for(&form.read()) == code
                            >
                                {move || member_role_label(i18n, code)}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="account_member_phone">{t!(i18n, account_member.phone)}</label>
            <input
                id="account_member_phone"
                type="tel"
                inputmode="tel"
                autocomplete="off"
                aria-describedby="account_member_phone_hint"
                prop:value=member.phone
                on:input=move |ev| member.phone.set(event_target_value(&ev))
            />
            <p class="muted" id="account_member_phone_hint">{t!(i18n, account_member.phone_hint)}</p>
        </Show>
    }
}
