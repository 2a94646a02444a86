"""Fills a migrated Zĭyaly Qauym database with a large made-up data set for the reports
benchmark (issue 15): N villages in extra districts, two thirds of them in the program with a
joining date in the last three years, and M offences over the last five years, 15 % of them
linked to one of the village's persons so repeats exist. Every row is marked demo.

    python3 results_data.py DATABASE --villages 6000 --offences 1000000
"""
import argparse
import datetime
import random
import sqlite3
import uuid


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("--villages", type=int, default=6000)
    parser.add_argument("--offences", type=int, default=1_000_000)
    parser.add_argument("--districts", type=int, default=40)
    args = parser.parse_args()
    rng = random.Random(15)
    today = datetime.date.today()
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    db = sqlite3.connect(args.database)
    db.execute("PRAGMA foreign_keys = ON")
    with db:
        districts = []
        for n in range(args.districts):
            district = str(uuid.uuid4())
            db.execute(
                "INSERT INTO districts (id, name_ru) VALUES (?, ?)", (district, f"Бенч-район {n + 1}")
            )
            districts.append(district)
        villages = []
        for n in range(args.villages):
            village = str(uuid.uuid4())
            joined = rng.random() < 2 / 3
            joined_on = (today - datetime.timedelta(days=rng.randint(60, 3 * 365))).isoformat() if joined else None
            population = rng.randint(200, 5000)
            db.execute(
                "INSERT INTO villages (id, district_id, name_ru, program_status, joined_on, lat, lon, "
                "population, households, population_source, population_year, demo) "
                "VALUES (?, ?, ?, ?, ?, 51.0, 69.0, ?, ?, 'Бенч', 2025, 1)",
                (village, districts[n % len(districts)], f"Бенч-село {n + 1}",
                 "joined" if joined else "not_joined", joined_on, population, population * 10 // 36),
            )
            villages.append(village)
        persons = {}
        for village in villages:
            ids = [str(uuid.uuid4()) for _ in range(3)]
            db.executemany(
                "INSERT INTO persons (id, village_id, full_name, created_at, updated_at, demo) "
                "VALUES (?, ?, 'Бенч Лицо', ?, ?, 1)",
                [(pid, village, now, now) for pid in ids],
            )
            persons[village] = ids
        categories = ["domestic", "public_order", "theft", "cattle_theft", "internet_fraud",
                      "alcohol", "grazing", "traffic", "other"]
        batch, links = [], []
        for n in range(args.offences):
            village = villages[rng.randrange(len(villages))]
            day = today - datetime.timedelta(days=rng.randint(0, 5 * 365))
            offence = str(uuid.uuid4())
            batch.append((offence, village, f"{day.isoformat()}T10:00:00Z", rng.choice(categories),
                          "criminal" if rng.random() < 0.2 else "administrative", now, now))
            if rng.random() < 0.15:
                links.append((offence, rng.choice(persons[village])))
            if len(batch) == 50_000:
                flush(db, batch, links)
        flush(db, batch, links)
    db.close()


def flush(db, batch, links):
    db.executemany(
        "INSERT INTO offences (id, village_id, occurred_at, category, kind, created_at, updated_at, demo) "
        "VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        batch,
    )
    db.executemany("INSERT INTO offence_persons (offence_id, person_id) VALUES (?, ?)", links)
    batch.clear()
    links.clear()


if __name__ == "__main__":
    main()
