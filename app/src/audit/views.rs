//! The supervisors' audit view: who read or changed what, with filters kept in the address
//! (so a filtered view can be bookmarked or sent).
use super::api::list_audit;
use super::types::{AuditAction, AuditFilter};
use crate::i18n::*;
use crate::stored::StoredEnum;
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use leptos_i18n::I18nContext;
use leptos_router::components::Form;
use leptos_router::hooks::use_query_map;

/// The translated name of an audit action (its stored code if unknown).
fn action_label(i18n: I18nContext<Locale>, code: &str) -> String {
    let Ok(action) = AuditAction::parse(code) else {
        return code.to_owned();
    };
    match action {
        AuditAction::List => t_string!(i18n, audit_actions.list),
        AuditAction::Read => t_string!(i18n, audit_actions.read),
        AuditAction::ReadOnDevice => t_string!(i18n, audit_actions.read_on_device),
        AuditAction::Create => t_string!(i18n, audit_actions.create),
        AuditAction::Update => t_string!(i18n, audit_actions.update),
        AuditAction::SignIn => t_string!(i18n, audit_actions.sign_in),
        AuditAction::SignInFailed => t_string!(i18n, audit_actions.sign_in_failed),
        AuditAction::SignOut => t_string!(i18n, audit_actions.sign_out),
        AuditAction::PasswordChanged => t_string!(i18n, audit_actions.password_changed),
        AuditAction::PasswordReset => t_string!(i18n, audit_actions.password_reset),
        AuditAction::AccountDisabled => t_string!(i18n, audit_actions.account_disabled),
        AuditAction::AccountEnabled => t_string!(i18n, audit_actions.account_enabled),
        AuditAction::DeviceRevoked => t_string!(i18n, audit_actions.device_revoked),
        AuditAction::Export => t_string!(i18n, audit_actions.export),
    }
    .to_owned()
}

/// The translated name of an audited record kind.
fn entity_label(i18n: I18nContext<Locale>, entity: &str) -> String {
    match entity {
        "person" => t_string!(i18n, nav.persons).to_owned(),
        "account" => t_string!(i18n, audit.accounts).to_owned(),
        other => other.to_owned(),
    }
}

#[component]
pub fn AuditPage() -> impl IntoView {
    let i18n = use_i18n();
    let query = use_query_map();
    let filter = move || {
        let q = query.read();
        let get = |key: &str| q.get(key).unwrap_or_default();
        AuditFilter {
            entity: get("entity"),
            action: get("action"),
            login: get("login"),
            village_id: get("village"),
            from: get("from"),
            to: get("to"),
            denied_only: q.get("denied").is_some(),
        }
    };
    let rows = Resource::new(filter, list_audit);
    let current = move |key: &'static str| move || query.read().get(key).unwrap_or_default();
    view! {
        <h1>{t!(i18n, audit.title)}</h1>
        <Form method="GET" action="" attr:class="form filters" attr:id="audit-filters">
            <label for="audit-login">{t!(i18n, sign_in.login)}</label>
            <input id="audit-login" name="login" autocapitalize="none" prop:value=current("login") />
            <label for="audit-entity">{t!(i18n, audit.entity)}</label>
            <select id="audit-entity" name="entity" prop:value=current("entity")>
                <option value="">{t!(i18n, audit.any)}</option>
                <option value="person">{t!(i18n, nav.persons)}</option>
                <option value="account">{t!(i18n, audit.accounts)}</option>
            </select>
            <label for="audit-action">{t!(i18n, audit.action)}</label>
            <select id="audit-action" name="action" prop:value=current("action")>
                <option value="">{t!(i18n, audit.any)}</option>
                {AuditAction::ALL
                    .iter()
                    .map(|&action| {
                        view! {
                            <option value=action.as_str()>
                                {move || action_label(i18n, action.as_str())}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
            <label for="audit-from">{t!(i18n, audit.from)}</label>
            <input id="audit-from" name="from" type="date" prop:value=current("from") />
            <label for="audit-to">{t!(i18n, audit.to)}</label>
            <input id="audit-to" name="to" type="date" prop:value=current("to") />
            <label class="check" for="audit-denied">
                <input id="audit-denied" name="denied" type="checkbox" value="1" prop:checked=move || query.read().get("denied").is_some() />
                {t!(i18n, audit.denied_only)}
            </label>
            <button type="submit" class="primary">{t!(i18n, audit.apply)}</button>
        </Form>
        <Suspense fallback=move || view! { <p>{t!(i18n, loading)}</p> }>
            {move || Suspend::new(async move {
                match rows.await {
                    Ok(rows) if rows.is_empty() => view! { <p>{t!(i18n, audit.empty)}</p> }.into_any(),
                    Ok(rows) => view! {
                        // Focusable, so the table can be scrolled sideways from the keyboard.
                        <div class="table-scroll" tabindex="0" role="region" aria-labelledby="audit-caption">
                            <table id="audit-table">
                                <caption id="audit-caption">{t!(i18n, audit.caption)}</caption>
                                <thead>
                                    <tr>
                                        <th scope="col">{t!(i18n, audit.when)}</th>
                                        <th scope="col">{t!(i18n, sign_in.login)}</th>
                                        <th scope="col">{t!(i18n, audit.action)}</th>
                                        <th scope="col">{t!(i18n, audit.entity)}</th>
                                        <th scope="col">{t!(i18n, audit.record)}</th>
                                        <th scope="col">{t!(i18n, audit.device)}</th>
                                        <th scope="col">{t!(i18n, audit.outcome)}</th>
                                    </tr>
                                </thead>
                                <tbody>
                                    {rows
                                        .into_iter()
                                        .map(|row| {
                                            let allowed = row.allowed;
                                            let action = row.action.clone();
                                            view! {
                                                <tr class:denied=!allowed data-action=action data-outcome=if allowed { "allowed" } else { "denied" }>
                                                    <td>{row.at.chars().take(19).collect::<String>().replace('T', " ")}</td>
                                                    <td>{row.account_login.unwrap_or_else(|| "—".into())}</td>
                                                    <td>{move || action_label(i18n, &row.action)}</td>
                                                    <td>{move || entity_label(i18n, &row.entity)}</td>
                                                    <td class="id">{row.record_id.unwrap_or_default()}</td>
                                                    <td class="id">{row.device_id.unwrap_or_default()}</td>
                                                    <td>
                                                        {move || {
                                                            if allowed {
                                                                t_string!(i18n, audit.allowed)
                                                            } else {
                                                                t_string!(i18n, audit.denied)
                                                            }
                                                        }}
                                                    </td>
                                                </tr>
                                            }
                                        })
                                        .collect_view()}
                                </tbody>
                            </table>
                        </div>
                    }
                    .into_any(),
                    Err(error) => view! { <ErrorNotice error /> }.into_any(),
                }
            })}
        </Suspense>
    }
}
