//! Devices as the admin sees them: each browser an account signed in from, when it was last
//! seen and which app version it runs. Revoking one refuses its sessions from their next
//! request on (the device is told, and wipes what it kept) and revokes the sync ids that
//! browser used, so their key shares are withheld too (DESIGN §5; issue 13).
use crate::errors::AppError;
use crate::i18n::*;
use crate::ui::ErrorNotice;
use leptos::prelude::*;
use serde::{Deserialize, Serialize};

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct DeviceSummary {
    pub id: String,
    /// The browser's own description of itself (its user agent), cut short.
    pub label: Option<String>,
    pub created_at: String,
    /// RFC 3339, UTC.
    pub last_seen_at: Option<String>,
    pub app_version: Option<String>,
    pub revoked_at: Option<String>,
}

#[server(endpoint = "admin/list_devices")]
pub async fn list_devices(account_id: String) -> Result<Vec<DeviceSummary>, AppError> {
    server::list(account_id).await
}

#[server(endpoint = "admin/revoke_device")]
pub async fn revoke_device(device_id: String) -> Result<(), AppError> {
    server::revoke(device_id).await
}

#[cfg(feature = "ssr")]
pub(super) mod server {
    use super::super::gate::admin;
    use super::DeviceSummary;
    use crate::access::Action;
    use crate::audit::store::{self as audit, Entry};
    use crate::audit::AuditAction;
    use crate::db::BeginWrite;
    use crate::errors::{refuse, AppError};

    type Row = (
        String,
        Option<String>,
        String,
        Option<i64>,
        Option<String>,
        Option<String>,
    );

    pub async fn list(account_id: String) -> Result<Vec<DeviceSummary>, AppError> {
        admin(Action::List)?;
        let pool = crate::db::pool()?;
        let rows: Vec<Row> = sqlx::query_as(
            "SELECT id, label, created_at, last_seen_at, app_version, revoked_at FROM devices \
             WHERE account_id = $1 AND kind = 'browser' \
             ORDER BY COALESCE(last_seen_at, 0) DESC, created_at DESC",
        )
        .bind(&account_id)
        .fetch_all(&pool)
        .await?;
        Ok(rows
            .into_iter()
            .map(
                |(id, label, created_at, seen, app_version, revoked_at)| DeviceSummary {
                    id,
                    label,
                    created_at,
                    last_seen_at: seen.and_then(rfc3339),
                    app_version,
                    revoked_at,
                },
            )
            .collect())
    }

    fn rfc3339(seconds: i64) -> Option<String> {
        time::OffsetDateTime::from_unix_timestamp(seconds)
            .ok()?
            .format(&time::format_description::well_known::Rfc3339)
            .ok()
    }

    /// Revokes every device of the account (disabled, or its password reset): each is told at
    /// its next request, session or not, and wipes what it holds (docs/offline-unlock.md).
    pub(in crate::accounts) async fn revoke_all<'e>(
        executor: impl crate::db::DbExecutor<'e>,
        account_id: &str,
    ) -> Result<u64, sqlx::Error> {
        Ok(sqlx::query(
            "UPDATE devices SET revoked_at = $1 WHERE account_id = $2 AND revoked_at IS NULL",
        )
        .bind(crate::db::now_rfc3339())
        .bind(account_id)
        .execute(executor)
        .await?
        .rows_affected())
    }

    pub async fn revoke(device_id: String) -> Result<(), AppError> {
        let who = admin(Action::Update)?;
        let pool = crate::db::pool()?;
        let now = crate::db::now_rfc3339();
        let mut tx = pool.begin_write().await?;
        let account: Option<String> =
            sqlx::query_scalar("SELECT account_id FROM devices WHERE id = $1 AND kind = 'browser'")
                .bind(&device_id)
                .fetch_optional(&mut *tx)
                .await?;
        let Some(account) = account else {
            return refuse(AppError::NotFound);
        };
        sqlx::query(
            "UPDATE devices SET revoked_at = $1 \
             WHERE (id = $2 OR browser_id = $2) AND revoked_at IS NULL",
        )
        .bind(&now)
        .bind(&device_id)
        .execute(&mut *tx)
        .await?;
        audit::record(
            &mut *tx,
            Entry::by(&who, AuditAction::DeviceRevoked, "device")
                .record(&device_id)
                .detail(format!("account {account}")),
        )
        .await?;
        tx.commit().await?;
        tracing::info!(device = %device_id, "device revoked");
        Ok(())
    }
}

/// When a device was last seen, as people read it (date and UTC time).
fn seen(locale: Locale, iso: &str) -> String {
    let time = iso.get(11..16).unwrap_or_default();
    format!("{} {time} UTC", crate::dates::format_date(locale, iso))
}

/// The "Devices" part of an account's card on the admin page: opened on demand.
#[component]
pub fn AccountDevices(account_id: String) -> impl IntoView {
    let i18n = use_i18n();
    let open = RwSignal::new(false);
    let changed = RwSignal::new(0u32);
    let error = RwSignal::new(None::<AppError>);
    let devices = LocalResource::new(move || {
        let account_id = account_id.clone();
        let (open, _) = (open.get(), changed.get());
        async move {
            if open {
                Some(list_devices(account_id).await)
            } else {
                None
            }
        }
    });
    let revoke = move |id: String| {
        let asked = window()
            .confirm_with_message(t_string!(i18n, admin.device_revoke_confirm))
            .unwrap_or(false);
        if asked {
            leptos::task::spawn_local(async move {
                match revoke_device(id).await {
                    Ok(()) => changed.update(|n| *n += 1),
                    Err(failure) => error.set(Some(failure)),
                }
            });
        }
    };
    let row = move |device: DeviceSummary| {
        let locale = i18n.get_locale_untracked();
        let id = device.id.clone();
        let last_seen = device.last_seen_at.as_deref().map_or_else(
            || t_string!(i18n, admin.device_never).to_owned(),
            |at| seen(locale, at),
        );
        view! {
            <li class="device" data-device=device.id.clone()>
                <span>{device.label.clone().filter(|l| !l.is_empty()).unwrap_or_else(|| device.id.clone())}</span>
                <span class="muted">{t!(i18n, admin.device_last_seen)} ": " {last_seen}</span>
                <span class="muted">
                    {t!(i18n, admin.device_version)} ": " {device.app_version.clone().unwrap_or_else(|| "—".into())}
                </span>
                {if device.revoked_at.is_some() {
                    view! { <span class="badge">{t!(i18n, admin.device_revoked)}</span> }.into_any()
                } else {
                    view! {
                        <button type="button" class="revoke-device" on:click=move |_| revoke(id.clone())>
                            {t!(i18n, admin.device_revoke)}
                        </button>
                    }
                    .into_any()
                }}
            </li>
        }
    };
    view! {
        <button type="button" class="show-devices" aria-expanded=move || open.get().to_string() on:click=move |_| open.update(|o| *o = !*o)>
            {t!(i18n, admin.devices)}
        </button>
        {move || error.get().map(|error| view! { <ErrorNotice error /> })}
        <Suspense>
            {move || Suspend::new(async move {
                match devices.await {
                    Some(Ok(list)) if list.is_empty() => view! { <p>{t!(i18n, admin.device_none)}</p> }.into_any(),
                    Some(Ok(list)) => view! { <ul class="devices">{list.into_iter().map(row).collect_view()}</ul> }.into_any(),
                    Some(Err(error)) => view! { <ErrorNotice error /> }.into_any(),
                    None => ().into_any(),
                }
            })}
        </Suspense>
    }
}
