//! Demo data for the program's results (docs/program-results.md): made-up membership figures
//! for the 13 program villages (joining dates, residents, households, marked
//! `membership_demo`), four made-up comparison villages outside the program (`demo = TRUE`), 40
//! months of made-up offences in every village but the pilot Шуйское (which reported none),
//! and the inspector's monthly closings with a few months left open.
//!
//! The counts are drawn from a fixed pseudo-random sequence, so every demo database tells the
//! same story: offences in the program's villages fall by about a third after joining, the
//! comparison villages stay level, and the estimate is still provisional.
use super::{new_id, now_rfc3339, SeedError};
use app::db::Db;
use sqlx::Transaction;
use time::{Date, Duration, Month as CalendarMonth, OffsetDateTime};

/// Comparison villages: (name, district, residents).
const COMPARISON: &[(&str, &str, i64)] = &[
    ("Демо-село Ақтал", "Атбасарский район", 1450),
    ("Демо-село Жаңажол", "Атбасарский район", 820),
    ("Демо-село Қарабұлақ", "Сандыктауский район", 1100),
    ("Демо-село Көктерек", "Жаркаинский район", 2300),
];

/// Months of history before the current one.
const HISTORY_MONTHS: i32 = 40;
/// Offences per 1,000 residents per month before joining (and in comparison villages).
const MONTHLY_RATE: f64 = 0.9;
/// What the program leaves of that rate after joining.
const AFTER_JOINING: f64 = 0.65;

const CATEGORIES: &[&str] = &[
    "domestic",
    "public_order",
    "theft",
    "cattle_theft",
    "internet_fraud",
    "alcohol",
    "grazing",
    "other",
];

/// A small fixed pseudo-random sequence (xorshift64), so the demo is the same every time.
struct Draws(u64);

impl Draws {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// A Poisson count of mean `mean` (Knuth's method; the means here are small).
    fn poisson(&mut self, mean: f64) -> u32 {
        let limit = (-mean).exp();
        let mut product = self.next();
        let mut count = 0;
        while product > limit {
            count += 1;
            product *= self.next();
        }
        count
    }
}

/// The first day of the month `back` months before the current one.
fn month_start(today: Date, back: i32) -> Date {
    let index = today.year() * 12 + i32::from(u8::from(today.month())) - 1 - back;
    let month = CalendarMonth::try_from((index.rem_euclid(12) + 1) as u8).expect("1 to 12");
    Date::from_calendar_date(index.div_euclid(12), month, 1).expect("the first is a day")
}

pub(super) async fn load(tx: &mut Transaction<'static, Db>) -> Result<(), SeedError> {
    let db = |e| SeedError::Database("demo-results", e);
    // The region's date, as the reports count months (a month ends at the region's midnight).
    let today = app::dates::region_date(OffsetDateTime::now_utc());
    let now = now_rfc3339();
    let mut draws = Draws(0x5eed_2026_0000_0015);

    for &(name, district, residents) in COMPARISON {
        sqlx::query(
            "INSERT INTO villages (id, district_id, name_ru, program_status, lat, lon, \
             position_approximate, population, households, population_source, population_year, \
             demo) SELECT $1, id, $2, 'not_joined', centre_lat, centre_lon, TRUE, $3, $4, \
             'Демо: условные данные', $5, TRUE FROM districts WHERE name_ru = $6",
        )
        .bind(new_id())
        .bind(name)
        .bind(residents)
        .bind(residents * 10 / 36)
        .bind(today.year() - 1)
        .bind(district)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }

    // Program villages get made-up figures where none are known: joined 9 to 21 months ago
    // (the pilot first), 500 to 3,000 residents.
    let program: Vec<(String, String, Option<String>, Option<i64>)> = sqlx::query_as(
        "SELECT id, program_status, joined_on, population FROM villages \
         WHERE demo = FALSE AND program_status <> 'not_joined' ORDER BY program_status DESC, name_ru",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    for (index, (id, _, joined_on, population)) in program.iter().enumerate() {
        if joined_on.is_some() || population.is_some() {
            continue;
        }
        let joined =
            month_start(today, 21 - (index as i32 % 13)) + Duration::days((index as i64 * 5) % 20);
        let residents = 500 + (draws.next() * 2500.0).round() as i64;
        sqlx::query(
            "UPDATE villages SET joined_on = $1, population = $2, households = $3, \
             population_source = 'Демо: условные данные', population_year = $4, \
             membership_demo = TRUE WHERE id = $5",
        )
        .bind(joined.to_string())
        .bind(residents)
        .bind(residents * 10 / 36)
        .bind(today.year() - 1)
        .bind(id)
        .execute(&mut **tx)
        .await
        .map_err(db)?;
    }

    let villages: Vec<(String, String, String, Option<String>, i64)> = sqlx::query_as(
        "SELECT id, name_ru, program_status, joined_on, COALESCE(population, 1000) FROM villages \
         ORDER BY name_ru",
    )
    .fetch_all(&mut **tx)
    .await
    .map_err(db)?;
    for (id, name, status, joined_on, residents) in &villages {
        // The real pilot reported none (DESIGN §2): its months are closed with no offences.
        let pilot = name == "Шуйское";
        for back in (1..=HISTORY_MONTHS).rev() {
            let start = month_start(today, back);
            let after = joined_on
                .as_deref()
                .is_some_and(|j| start.to_string().as_str() >= j)
                && status != "not_joined";
            let mean =
                *residents as f64 / 1000.0 * MONTHLY_RATE * if after { AFTER_JOINING } else { 1.0 };
            let count = if pilot { 0 } else { draws.poisson(mean) };
            for n in 0..count {
                let day = start + Duration::days(((n * 7 + back as u32 * 3) % 27).into());
                let category = CATEGORIES
                    [(draws.next() * CATEGORIES.len() as f64) as usize % CATEGORIES.len()];
                let kind = if draws.next() < 0.2 {
                    "criminal"
                } else {
                    "administrative"
                };
                sqlx::query(
                    "INSERT INTO offences (id, village_id, occurred_at, category, kind, \
                     description, created_at, updated_at, demo) \
                     VALUES ($1, $2, $3, $4, $5, 'Демо: условное правонарушение', $6, $6, TRUE)",
                )
                .bind(new_id())
                .bind(id)
                .bind(format!("{day}T10:00:00Z"))
                .bind(category)
                .bind(kind)
                .bind(&now)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
            }
            // The inspector closes the months since joining, forgetting about one in seven.
            let closed = status != "not_joined" && after && (back % 7 != 3 || pilot);
            if closed {
                sqlx::query(
                    "INSERT INTO month_closings (village_id, month, offences, closed_at, demo) \
                     VALUES ($1, $2, $3, $4, TRUE)",
                )
                .bind(id)
                .bind(&start.to_string()[..7])
                .bind(i64::from(count))
                .bind(&now)
                .execute(&mut **tx)
                .await
                .map_err(db)?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_count_back_across_years() {
        let day = Date::from_calendar_date(2026, CalendarMonth::February, 14).unwrap();
        assert_eq!(month_start(day, 1).to_string(), "2026-01-01");
        assert_eq!(month_start(day, 2).to_string(), "2025-12-01");
        assert_eq!(month_start(day, 14).to_string(), "2024-12-01");
    }

    #[test]
    fn the_draws_average_their_mean() {
        let mut draws = Draws(7);
        let total: u32 = (0..10_000).map(|_| draws.poisson(1.5)).sum();
        let mean = f64::from(total) / 10_000.0;
        assert!((mean - 1.5).abs() < 0.05, "{mean}");
    }
}
