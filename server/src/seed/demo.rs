//! Demo data: a council for every village, an account for every role, and a few records of
//! each kind. Every row carries `demo = TRUE`; the people, phone numbers (+7 700 000 …) and
//! events are made up. Offences are not put in Шуйское: the real pilot reported none.
use super::{new_id, now_rfc3339, SeedError};
use app::access::Role;
use app::db::Db;
use app::stored::StoredEnum;
use sqlx::Transaction;
use time::{Duration, OffsetDateTime};

/// The password of every demo account (README lists the logins).
pub const DEMO_PASSWORD: &str = "demo-zq-2026";

/// A demo account: who signs in with it, and where it works.
struct DemoAccount {
    login: &'static str,
    display_name: &'static str,
    role: Role,
    /// "region", "district" or "villages".
    scope: &'static str,
    /// The villages, or the district, of the scope (Russian names).
    places: &'static [&'static str],
}

const DEMO_ACCOUNTS: &[DemoAccount] = &[
    DemoAccount {
        login: "demo.admin",
        display_name: "Демо Администратор",
        role: Role::Admin,
        scope: "region",
        places: &[],
    },
    DemoAccount {
        login: "demo.coordinator",
        display_name: "Демо Координатор области",
        role: Role::RegionCoordinator,
        scope: "region",
        places: &[],
    },
    DemoAccount {
        login: "demo.supervisor",
        display_name: "Демо Руководитель района",
        role: Role::DistrictSupervisor,
        scope: "district",
        places: &["Атбасарский район"],
    },
    DemoAccount {
        login: "demo.inspector",
        display_name: "Демо Участковый инспектор",
        role: Role::Inspector,
        scope: "villages",
        places: &["Шуйское", "Сепе", "Покровка", "Бастау"],
    },
    DemoAccount {
        login: "demo.chair",
        display_name: "Демо Председатель совета",
        role: Role::CouncilChair,
        scope: "villages",
        places: &["Шуйское"],
    },
    DemoAccount {
        login: "demo.elder",
        display_name: "Демо Аксакал",
        role: Role::CouncilMember,
        scope: "villages",
        places: &["Шуйское"],
    },
    DemoAccount {
        login: "demo.akimat",
        display_name: "Демо Представитель акимата",
        role: Role::Akimat,
        scope: "villages",
        places: &["Сепе"],
    },
];

const MALE_NAMES: &[&str] = &[
    "Серик",
    "Болат",
    "Нурлан",
    "Ерлан",
    "Виктор",
    "Марат",
    "Николай",
    "Бауыржан",
    "Сергей",
    "Қайрат",
    "Ғалым",
];
const MALE_SURNAMES: &[&str] = &[
    "Жаксылыков",
    "Кенжебаев",
    "Омаров",
    "Ахметов",
    "Тулегенов",
    "Ковальчук",
    "Петренко",
    "Смагулов",
    "Иванов",
    "Есенов",
];
const FEMALE_NAMES: &[&str] = &[
    "Айгуль",
    "Галина",
    "Сауле",
    "Жанар",
    "Асель",
    "Гульнара",
    "Ольга",
    "Әсем",
    "Динара",
];
const FEMALE_SURNAMES: &[&str] = &[
    "Исмаилова",
    "Сарсенова",
    "Бекова",
    "Нурланова",
    "Абдрахманова",
    "Шевченко",
    "Ким",
    "Жумабаева",
];

/// A made-up name whose first name and surname agree in gender.
fn demo_name(n: usize) -> String {
    if n % 3 == 2 {
        let first = FEMALE_NAMES[n % FEMALE_NAMES.len()];
        let surname = FEMALE_SURNAMES[(n * 7 + 3) % FEMALE_SURNAMES.len()];
        format!("{first} {surname}")
    } else {
        let first = MALE_NAMES[n % MALE_NAMES.len()];
        let surname = MALE_SURNAMES[(n * 7 + 3) % MALE_SURNAMES.len()];
        format!("{first} {surname}")
    }
}
const MEMBER_ROLES: &[&str] = &["chair", "elder", "elder", "akimat", "business"];

/// Argon2 hashes are computed before the transaction opens, so it stays short.
pub(super) fn hash_demo_passwords() -> Result<Vec<String>, SeedError> {
    DEMO_ACCOUNTS
        .iter()
        .map(|_| {
            app::accounts::password::hash(DEMO_PASSWORD)
                .map_err(|e| SeedError::Password(e.to_string()))
        })
        .collect()
}

fn day(offset_days: i64) -> String {
    let date = (OffsetDateTime::now_utc() + Duration::days(offset_days)).date();
    date.to_string()
}

fn moment(offset_days: i64) -> String {
    let at = OffsetDateTime::now_utc()
        .replace_nanosecond(0)
        .expect("0 ns is valid")
        + Duration::days(offset_days);
    at.format(&time::format_description::well_known::Rfc3339)
        .expect("a UTC time always formats as RFC 3339")
}

pub(super) async fn load(
    tx: &mut Transaction<'static, Db>,
    password_hashes: Vec<String>,
) -> Result<(), SeedError> {
    let db = |e| SeedError::Database("demo", e);
    let now = now_rfc3339();

    let villages: Vec<(String, String)> =
        sqlx::query_as("SELECT id, name_ru FROM villages ORDER BY name_ru")
            .fetch_all(&mut **tx)
            .await
            .map_err(db)?;
    let village_id = |name: &str| -> Result<String, SeedError> {
        villages
            .iter()
            .find(|(_, n)| n == name)
            .map(|(id, _)| id.clone())
            .ok_or_else(|| SeedError::Database("demo", sqlx::Error::RowNotFound))
    };

    // Councils and members.
    let mut members_of: Vec<(String, Vec<String>)> = Vec::new();
    for (index, (vid, _)) in villages.iter().enumerate() {
        let council_id = new_id();
        sqlx::query(
            "INSERT INTO councils (id, village_id, formed_on, updated_at, demo) \
             VALUES ($1, $2, $3, $4, TRUE)",
        )
        .bind(&council_id)
        .bind(vid)
        .bind(day(-400))
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        let mut member_ids = Vec::new();
        for (slot, role) in MEMBER_ROLES.iter().enumerate() {
            let id = new_id();
            sqlx::query(
                "INSERT INTO council_members (id, council_id, full_name, role, phone, since, \
                 updated_at, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, TRUE)",
            )
            .bind(&id)
            .bind(&council_id)
            .bind(demo_name(index * MEMBER_ROLES.len() + slot))
            .bind(role)
            // Written as the member rule keeps phones (`councils::kazakh_phone`).
            .bind(format!("+7700000{:02}{:02}", index + 1, slot + 1))
            .bind(day(-400 + (slot as i64) * 30))
            .bind(&now)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
            member_ids.push(id);
        }
        members_of.push((vid.clone(), member_ids));
    }
    let member = |village: &str, slot: usize| -> Result<String, SeedError> {
        let vid = village_id(village)?;
        Ok(members_of
            .iter()
            .find(|(v, _)| *v == vid)
            .map(|(_, m)| m[slot].clone())
            .expect("every village got a council"))
    };

    // Accounts, one per role.
    let mut account_ids = std::collections::HashMap::new();
    for (account, hash) in DEMO_ACCOUNTS.iter().zip(&password_hashes) {
        let DemoAccount {
            login,
            display_name: name,
            role,
            scope,
            places,
        } = account;
        let id = new_id();
        let district_id: Option<String> = if *scope == "district" {
            sqlx::query_scalar("SELECT id FROM districts WHERE name_ru = $1")
                .bind(places[0])
                .fetch_optional(&mut **tx)
                .await
                .map_err(db)?
        } else {
            None
        };
        let member_id = match role {
            Role::CouncilChair => Some(member("Шуйское", 0)?),
            Role::CouncilMember => Some(member("Шуйское", 1)?),
            _ => None,
        };
        sqlx::query(
            "INSERT INTO accounts (id, login, display_name, role, scope_kind, district_id, \
             member_id, language, password_hash, created_at, demo) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'ru', $8, $9, TRUE)",
        )
        .bind(&id)
        .bind(login)
        .bind(name)
        .bind(role.as_str())
        .bind(scope)
        .bind(&district_id)
        .bind(&member_id)
        .bind(hash)
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        if *scope == "villages" {
            for place in *places {
                sqlx::query(
                    "INSERT INTO account_villages (account_id, village_id) VALUES ($1, $2)",
                )
                .bind(&id)
                .bind(village_id(place)?)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
            }
        }
        account_ids.insert(*login, id);
    }
    let account = |login: &str| {
        account_ids
            .get(login)
            .cloned()
            .expect("every demo login is in DEMO_ACCOUNTS")
    };
    let inspector = account("demo.inspector");
    let chair_account = account("demo.chair");

    // Persons of attention (made-up people).
    let sepe = village_id("Сепе")?;
    let pokrovka = village_id("Покровка")?;
    let shuiskoe = village_id("Шуйское")?;
    let person_a = new_id();
    let person_b = new_id();
    // In Шуйское: one person a council task shares with the elder, one it does not.
    let person_shared = new_id();
    let person_private = new_id();
    // Outside the demo inspector's villages and the demo supervisor's district.
    let maksimovka = village_id("Максимовка")?;
    let person_elsewhere = new_id();
    for (id, vid, name, year, household, categories, basis) in [
        (
            &person_elsewhere,
            &maksimovka,
            "Демо Руслан Жунусов",
            1992,
            "ул. Целинная, 3",
            r#"["public_order_violator"]"#,
            Some("official_warning"),
        ),
        (
            &person_shared,
            &shuiskoe,
            "Демо Арман Сейтказиев",
            2010,
            "ул. Садовая, 7",
            r#"["minor"]"#,
            None,
        ),
        (
            &person_private,
            &shuiskoe,
            "Демо семья Ибраевых",
            1984,
            "ул. Ленина, 21",
            r#"["domestic_offences"]"#,
            Some("protective_order"),
        ),
        (
            &person_a,
            &sepe,
            "Демо Ермек Сапаров",
            1988,
            "ул. Степная, 4",
            r#"["public_order_violator"]"#,
            Some("administrative_supervision"),
        ),
        (
            &person_b,
            &pokrovka,
            "Демо семья Литвиненко",
            1979,
            "ул. Школьная, 12",
            r#"["domestic_offences","low_income"]"#,
            None,
        ),
    ] {
        sqlx::query(
            "INSERT INTO persons (id, village_id, full_name, birth_year, household, categories, \
             register_basis, responsible_inspector_id, status, created_at, updated_at, demo) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'active', $9, $9, TRUE)",
        )
        .bind(id)
        .bind(vid)
        .bind(name)
        .bind(year)
        .bind(household)
        .bind(categories)
        .bind(basis)
        .bind(&inspector)
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }

    // Offences: two by the same person within 12 months in Сепе (the second one is a repeat).
    for (vid, days_ago, category, kind, person, text) in [
        (
            &sepe,
            200,
            "alcohol",
            "administrative",
            Some(&person_a),
            "Демо: распитие спиртного в общественном месте",
        ),
        (
            &sepe,
            40,
            "public_order",
            "administrative",
            Some(&person_a),
            "Демо: нарушение общественного порядка",
        ),
        (
            &pokrovka,
            75,
            "cattle_theft",
            "criminal",
            None,
            "Демо: пропажа двух голов КРС с пастбища",
        ),
    ] {
        let id = new_id();
        sqlx::query(
            "INSERT INTO offences (id, village_id, occurred_at, category, kind, description, \
             recorded_by, created_at, updated_at, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, TRUE)",
        )
        .bind(&id)
        .bind(vid)
        .bind(moment(-days_ago))
        .bind(category)
        .bind(kind)
        .bind(text)
        .bind(&inspector)
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        if let Some(person) = person {
            sqlx::query("INSERT INTO offence_persons (offence_id, person_id) VALUES ($1, $2)")
                .bind(&id)
                .bind(person)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
        }
    }

    // Visits and preventive talks.
    for (vid, person, kind, days_ago, outcome) in [
        (
            &sepe,
            &person_a,
            "preventive_talk",
            30,
            "Демо: проведена профилактическая беседа",
        ),
        (
            &pokrovka,
            &person_b,
            "visit",
            10,
            "Демо: посещение семьи, нарушений нет",
        ),
    ] {
        sqlx::query(
            "INSERT INTO visits (id, village_id, person_id, visitor_id, kind, visited_at, outcome, \
             created_at, updated_at, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8, TRUE)",
        )
        .bind(new_id())
        .bind(vid)
        .bind(person)
        .bind(&inspector)
        .bind(kind)
        .bind(moment(-days_ago))
        .bind(outcome)
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }

    // Proposals.
    let grazing_proposal = new_id();
    for (id, vid, category, status, body, answer) in [
        (
            &grazing_proposal,
            &shuiskoe,
            "grazing",
            "accepted",
            "Демо: назначить пастуха на общее стадо, чтобы скот не уходил на дорогу",
            Some("Демо: принято, пастух назначен на сезон"),
        ),
        (
            &new_id(),
            &sepe,
            "lighting",
            "submitted",
            "Демо: установить фонари у школы и остановки",
            None,
        ),
    ] {
        sqlx::query(
            "INSERT INTO proposals (id, village_id, author, category, body, status, answer, \
             submitted_on, created_at, updated_at, demo) \
             VALUES ($1, $2, 'Демо житель', $3, $4, $5, $6, $7, $8, $8, TRUE)",
        )
        .bind(id)
        .bind(vid)
        .bind(category)
        .bind(body)
        .bind(status)
        .bind(answer)
        .bind(day(-20))
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }

    // Tasks for councils, assigned to members.
    for (vid, village, title, due_in, status, creator, proposal) in [
        (
            &shuiskoe,
            "Шуйское",
            "Демо: согласовать график выпаса с владельцами скота",
            7,
            "in_progress",
            &chair_account,
            Some(&grazing_proposal),
        ),
        (
            &shuiskoe,
            "Шуйское",
            "Демо: провести встречу с молодёжью призывного возраста",
            14,
            "new",
            &inspector,
            None,
        ),
        (
            &sepe,
            "Сепе",
            "Демо: обойти магазины и проверить соблюдение решения об отказе от алкоголя",
            -3,
            "new",
            &inspector,
            None,
        ),
    ] {
        let id = new_id();
        sqlx::query(
            "INSERT INTO tasks (id, village_id, title, creator_id, due_on, priority, status, \
             proposal_id, created_at, updated_at, demo) \
             VALUES ($1, $2, $3, $4, $5, 'normal', $6, $7, $8, $8, TRUE)",
        )
        .bind(&id)
        .bind(vid)
        .bind(title)
        .bind(creator)
        .bind(day(due_in))
        .bind(status)
        .bind(proposal)
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
        sqlx::query("INSERT INTO task_assignees (task_id, member_id) VALUES ($1, $2)")
            .bind(&id)
            .bind(member(village, 1)?)
            .execute(&mut **tx)
            .await
            .map_err(db)?;
    }

    // A task that shares a person of attention with the elder it is assigned to.
    let mentoring = new_id();
    sqlx::query(
        "INSERT INTO tasks (id, village_id, title, creator_id, due_on, priority, status, \
         person_id, created_at, updated_at, demo) \
         VALUES ($1, $2, $3, $4, $5, 'normal', 'in_progress', $6, $7, $7, TRUE)",
    )
    .bind(&mentoring)
    .bind(&shuiskoe)
    .bind("Демо: наставничество — встречаться с подростком раз в неделю")
    .bind(&inspector)
    .bind(day(14))
    .bind(&person_shared)
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    sqlx::query("INSERT INTO task_assignees (task_id, member_id) VALUES ($1, $2)")
        .bind(&mentoring)
        .bind(member("Шуйское", 1)?)
        .execute(&mut **tx)
        .await
        .map_err(db)?;

    // Preventive events.
    for (vid, kind, title, days_ago, attendance) in [
        (
            &shuiskoe,
            "anti_fraud",
            "Демо: как не попасться интернет-мошенникам",
            12,
            34,
        ),
        (
            &sepe,
            "healthy_lifestyle",
            "Демо: турнир по волейболу «Село без алкоголя»",
            25,
            58,
        ),
    ] {
        sqlx::query(
            "INSERT INTO events (id, village_id, kind, title, held_on, audience, attendance, \
             created_at, updated_at, demo) VALUES ($1, $2, $3, $4, $5, 'жители села', $6, $7, $7, TRUE)",
        )
        .bind(new_id())
        .bind(vid)
        .bind(kind)
        .bind(title)
        .bind(day(-days_ago))
        .bind(attendance)
        .bind(&now)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }

    // A council meeting in Сепе and its decision (DESIGN §1: Сепе stopped selling alcohol).
    let sepe_council: String = sqlx::query_scalar("SELECT id FROM councils WHERE village_id = $1")
        .bind(&sepe)
        .fetch_one(&mut **tx)
        .await
        .map_err(db)?;
    let meeting_id = new_id();
    sqlx::query(
        "INSERT INTO meetings (id, council_id, held_on, attendees, agenda, minutes, created_at, \
         updated_at, demo) VALUES ($1, $2, $3, $4, $5, $6, $7, $7, TRUE)",
    )
    .bind(&meeting_id)
    .bind(&sepe_council)
    .bind(day(-60))
    .bind("Демо: 5 членов совета, аким, участковый инспектор")
    .bind("Демо: 1. Продажа алкоголя в селе. 2. Выпас скота.")
    .bind("Демо: решено прекратить продажу алкоголя в магазинах села.")
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(db)?;
    sqlx::query(
        "INSERT INTO decisions (id, village_id, meeting_id, body, effective_on, created_at, \
         updated_at, demo) VALUES ($1, $2, $3, $4, $5, $6, $6, TRUE)",
    )
    .bind(new_id())
    .bind(&sepe)
    .bind(&meeting_id)
    .bind("Демо: село без алкоголя — в магазинах села алкоголь не продаётся")
    .bind(day(-59))
    .bind(&now)
    .execute(&mut **tx)
    .await
    .map_err(db)?;

    Ok(())
}
