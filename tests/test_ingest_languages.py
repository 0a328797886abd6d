"""Google Forms exports in French, Spanish, German, Portuguese, Italian and Dutch.

The fixtures (tests/fixtures/people/languages, layouts cited in its README.md) are small;
every expected value below was worked out by hand from the cells: a time minus its zone's
offset (MEZ/CET +1, MESZ +2, UTC+1, GMT-3, GMT-5), day-first or month-first from a day above 12.
"""

from __future__ import annotations

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest

from harness.ingest import ingest_bytes, ingest_path
from harness.ingest import people as P
from harness.ingest import timestamps as T

FIX = Path(__file__).parent / "fixtures" / "people" / "languages"
ROOT = Path(__file__).resolve().parents[1]

# file -> (rejected lines, first and last time (UTC), sources, actions, referrals (referrer, referred))
EXPECTED = {
    "Portes ouvertes (réponses) - Réponses au formulaire 1.csv": (
        [5], "2023-10-11 08:53:19", "2023-10-30 07:00:00",
        {"word_of_mouth": 1, "instagram": 1, "referral": 1, "press": 1}, {"event": 4},
        [("marie@example.fr", "chloe@example.fr")]),
    "Formulario sin título (respuestas) - Respuestas de formulario 1.csv": (
        [], "2024-03-09 01:06:28", "2024-03-12 04:59:59",
        {"word_of_mouth": 1, "facebook": 1, "instagram": 1, "unknown": 1},
        {"volunteer": 1, "donation": 1, "visit": 1, "enquiry": 1}, []),
    "Unbenanntes Formular.csv": (
        [6], "2024-10-26 07:00:00", "2024-11-03 16:30:00",
        {"instagram": 1, "word_of_mouth": 1, "press": 1, "search": 1}, {"enquiry": 4}, []),
    "Tag der offenen Tür.csv": (
        [], "2025-02-07 00:13:31", "2025-03-01 09:05:00",
        {"word_of_mouth": 1, "other": 1, "website": 1, "unknown": 1}, {"event": 4}, []),
    "Voluntários (respostas) - Respostas ao formulário 1.csv": (
        [], "2021-04-14 12:57:33", "2021-05-02 18:00:00",
        {"word_of_mouth": 1, "instagram": 1, "referral": 1, "search": 1}, {"volunteer": 4}, []),
    "Iscrizioni corsi - Risposte del modulo 1.csv": (
        [], "2026-09-20 18:01:22", "2026-10-05 20:15:00",
        {"word_of_mouth": 2, "facebook": 1, "other": 1}, {"enrolment": 4}, []),
    "Open dag 2026.csv": (
        [], "2026-01-13 09:05:00", "2026-03-01 19:45:10",
        {"word_of_mouth": 1, "email": 1, "community_event": 1, "instagram": 1}, {"event": 4}, []),
    "Vrijwilligers (reacties).csv": (
        [], "2024-12-03 19:48:17", "2024-12-09 22:30:00",
        {"word_of_mouth": 1, "facebook": 1, "email": 1}, {"volunteer": 3}, []),
}

# Every accepted time, by hand, per file (UTC).
TIMES = {
    "Portes ouvertes (réponses) - Réponses au formulaire 1.csv":
        ["2023-10-11 08:53:19", "2023-10-11 13:05:00", "2023-10-12 22:40:27", "2023-10-30 07:00:00"],
    "Formulario sin título (respuestas) - Respuestas de formulario 1.csv":
        ["2024-03-09 01:06:28", "2024-03-09 14:15:00", "2024-03-10 17:30:00", "2024-03-12 04:59:59"],
    "Unbenanntes Formular.csv":
        ["2024-10-26 07:00:00", "2024-10-28 13:53:02", "2024-11-01 23:00:00", "2024-11-03 16:30:00"],
    "Tag der offenen Tür.csv":
        ["2025-02-07 00:13:31", "2025-02-08 10:00:00", "2025-02-13 18:45:00", "2025-03-01 09:05:00"],
    "Voluntários (respostas) - Respostas ao formulário 1.csv":
        ["2021-04-14 12:57:33", "2021-04-15 01:02:10", "2021-04-20 10:45:00", "2021-05-02 18:00:00"],
    "Iscrizioni corsi - Risposte del modulo 1.csv":
        ["2026-09-20 18:01:22", "2026-09-21 09:30:00", "2026-10-02 12:00:05", "2026-10-05 20:15:00"],
    "Open dag 2026.csv":
        ["2026-01-13 09:05:00", "2026-02-03 14:30:00", "2026-02-14 08:00:00", "2026-03-01 19:45:10"],
    "Vrijwilligers (reacties).csv":
        ["2024-12-03 19:48:17", "2024-12-04 09:02:00", "2024-12-09 22:30:00"],
}


def _utc(texts):
    return [pd.Timestamp(t, tz="UTC") for t in texts]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_localised_google_forms(name):
    rejected, first, last, sources, actions, referrals = EXPECTED[name]
    [report] = ingest_path(FIX / name)
    assert report.ok and report.source == "google_forms", report.error
    inv = report.tables["involvement"]
    assert sorted(inv["occurred_at"]) == _utc(TIMES[name])
    assert report.date_range == (pd.Timestamp(first, tz="UTC"), pd.Timestamp(last, tz="UTC"))
    assert [p.line for p in report.rejected] == rejected
    assert dict(Counter(inv["source"])) == sources
    assert dict(Counter(inv["action"])) == actions
    refs = report.tables.get("referrals")
    got = [] if refs is None else list(zip(refs["referrer"], refs["referred"]))
    assert got == referrals


def test_people_columns_are_found_in_each_language():
    people = {name: sorted(ingest_path(FIX / name)[0].tables["involvement"]["person"]) for name in EXPECTED}
    assert people["Tag der offenen Tür.csv"] == ["Jörg Schäfer", "alice@example.de", "bob@example.de",
                                                 "clara@example.de"]
    assert people["Iscrizioni corsi - Risposte del modulo 1.csv"] == [
        "giulia@example.it", "luca@example.it", "marco@example.it", "paola@example.it"]
    assert people["Formulario sin título (respuestas) - Respuestas de formulario 1.csv"] == [
        "Mateo Díaz", "ana@example.co", "juan@example.co", "sofia@example.co"]


def test_an_unknown_time_zone_is_named_in_the_reason():
    [report] = ingest_path(FIX / "Unbenanntes Formular.csv")
    [problem] = report.rejected
    assert problem.reason.startswith("'Zeitstempel' ends in a time zone we do not know: '2024/11/04 5:30:00 PM XYZ'")


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_inspect_json_accepts_exactly_the_right_rows(name):
    out = subprocess.run([sys.executable, "-m", "harness", "inspect", str(FIX / name), "--json"],
                         capture_output=True, text=True, cwd=ROOT, check=True).stdout
    [d] = json.loads(out)
    rejected, first, last = EXPECTED[name][:3]
    assert d["ok"] is True and d["source"] == "google_forms"
    assert d["rows_accepted"] == len(TIMES[name]) + len(EXPECTED[name][5])
    assert d["tables"]["involvement"] == len(TIMES[name])
    assert d["rows_rejected"] == len(rejected)
    assert d["date_range"] == [pd.Timestamp(first, tz="UTC").isoformat(), pd.Timestamp(last, tz="UTC").isoformat()]


@pytest.mark.parametrize("cell, expected", [
    ("2024/10/28 2:53:02 PM MEZ", "2024-10-28 13:53:02"),
    ("2024/07/28 2:53:02 PM MESZ", "2024-07-28 12:53:02"),
    ("2024/10/28 2:53:02 PM EET", "2024-10-28 12:53:02"),
    ("2023/10/11 9:53:19 AM UTC+1", "2023-10-11 08:53:19"),
    ("2022/02/13 8:06:28 p.\u00a0m. GMT-5", "2022-02-14 01:06:28"),
    ("2022/02/13 10:26:52 p. m. GMT-3", "2022-02-14 01:26:52"),
    ("2022/02/13 12:26:52 a. m. GMT-3", "2022-02-13 03:26:52"),
    ("2024/12/03 8:48:17 p.m. CET", "2024-12-03 19:48:17"),
    ("2026/01/01 8:00:00 AM GMT", "2026-01-01 08:00:00"),
    ("2026/01/01 12:00:00 AM GMT", "2026-01-01 00:00:00"),
    ("2024/10/28 2:53:02 PM GMT+05:30", "2024-10-28 09:23:02"),
    ("2025/09/14 10:31:22 +0100", "2025-09-14 09:31:22"),
    ("2025-09-14", "2025-09-14 00:00:00"),
    ("2025-09-14T10:00:00Z", "2025-09-14 10:00:00"),
    ("20/09/2026 18.01.22", "2026-09-20 18:01:22"),
])
def test_forms_timestamps_in_every_language(cell, expected):
    got, bad = P.forms_timestamps(pd.Series([cell], dtype="str"))
    assert not bad.iloc[0]
    assert got.iloc[0] == pd.Timestamp(expected, tz="UTC")


@pytest.mark.parametrize("cells, expected", [
    # Dotted (Excel) dates are day-first even when no day is above 12.
    (["07.02.2025 00:13:31", "08.02.2025 10:00"], ["2025-02-07 00:13:31", "2025-02-08 10:00:00"]),
    # Slashed ones follow their values: a 13 in the first part is a day ...
    (["1/08/2023 14:03:00", "13/08/2023 9:00:00"], ["2023-08-01 14:03:00", "2023-08-13 09:00:00"]),
    # ... in the second part a month-first file, whatever language its headers are in.
    (["1/13/2026 9:05:00", "2/3/2026 14:30:00"], ["2026-01-13 09:05:00", "2026-02-03 14:30:00"]),
])
def test_day_or_month_first_comes_from_the_values(cells, expected):
    got, bad = P.forms_timestamps(pd.Series(cells, dtype="str"))
    assert not bad.any()
    assert list(got) == _utc(expected)


def test_an_unknown_zone_is_bad_and_the_others_still_read():
    got, bad = P.forms_timestamps(pd.Series(["2024/11/04 5:30:00 PM XYZ", "2024/11/04 5:30:00 PM CET", None],
                                            dtype="str"))
    assert list(bad) == [True, False, False]
    assert pd.isna(got.iloc[0]) and got.iloc[1] == pd.Timestamp("2024-11-04 16:30", tz="UTC") and pd.isna(got.iloc[2])


@pytest.mark.parametrize("zone, minutes", [
    ("GMT", 0), ("UTC", 0), ("GMT+1", 60), ("UTC-5", -300), ("GMT-03:00", -180), ("GMT+0530", 330),
    ("MEZ", 60), ("mesz", 120), ("CET", 60), ("EET", 120), ("OESZ", 180), ("PST", -480), ("GMT+15", None),
    ("XYZ", None), ("GMT+1:75", None),
])
def test_zone_minutes(zone, minutes):
    assert T.zone_minutes(zone) == minutes


@pytest.mark.parametrize("text, expected", [
    ("Un ami", "word_of_mouth"), ("Par une amie", "word_of_mouth"), ("Bouche à oreille", "word_of_mouth"),
    ("Freunde oder Familie", "word_of_mouth"), ("Por un amigo", "word_of_mouth"), ("Boca a boca", "word_of_mouth"),
    ("Um amigo", "word_of_mouth"), ("Colega de trabalho", "word_of_mouth"), ("Passaparola", "word_of_mouth"),
    ("Tramite amici", "word_of_mouth"), ("Via een vriend", "word_of_mouth"), ("Mond-tot-mondreclame", "word_of_mouth"),
    ("Instagram", "instagram"), ("Recommandé par Marie", "referral"), ("Indicação da escola", "referral"),
    ("Site web", "website"), ("Über die Webseite", "website"), ("Recherche Google", "search"),
    ("Pesquisa no Google", "search"), ("Le journal local", "press"), ("Zeitung", "press"), ("À la télé", "press"),
    ("Télévision", "press"), ("Telegram", "other"), ("Journée portes ouvertes", "community_event"),
    ("Am Tag der offenen Tür", "community_event"), ("Open dag", "community_event"), ("Nieuwsbrief", "email"),
    ("Newsletter", "email"), ("Volantino", "other"), ("Flyer", "other"),
    # the same answers as English "A friend", "Family", "Instagram" in each language
    ("Tramite un amico", "word_of_mouth"), ("Famiglia", "word_of_mouth"), ("Un conoscente", "word_of_mouth"),
    ("Une connaissance", "word_of_mouth"), ("Un compañero de trabajo", "word_of_mouth"),
    ("Familia", "word_of_mouth"), ("Familie", "word_of_mouth"), ("Famille", "word_of_mouth"),
    ("Par Instagram", "instagram"), ("Über Instagram", "instagram"), ("Por Instagram", "instagram"),
    ("Tramite Instagram", "instagram"), ("Via Instagram", "instagram"), ("Via Facebook", "facebook"),
    # English "Social media" names no network and is "other"; so are its translations
    ("Social media", "other"), ("Réseaux sociaux", "other"), ("Redes sociales", "other"),
])
def test_classify_source_in_six_languages(text, expected):
    assert P.classify_source(text) == expected


@pytest.mark.parametrize("text, expected", [
    ("Devenir bénévole", "volunteer"), ("Ser voluntaria", "volunteer"), ("Ehrenamtlich helfen", "volunteer"),
    ("Voluntários", "volunteer"), ("Vrijwilliger worden", "volunteer"), ("Faire un don", "donation"),
    ("Hacer una donación", "donation"), ("Spenden", "donation"), ("Inscrire mon enfant", "enrolment"),
    ("Iscrizione", "enrolment"), ("Visitar la escuela", "visit"), ("Pedir información", "enquiry"),
    ("Mitglied werden", "membership"), ("Tag der offenen Tür", "event"), ("Portes ouvertes", "event"),
])
def test_classify_action_in_six_languages(text, expected):
    assert P.classify_action(text) == expected


def test_a_forms_file_whose_every_row_fails_says_so_plainly():
    data = ('"Zeitstempel","E-Mail-Adresse","Wie haben Sie von uns erfahren?"\n'
            '"2024/10/28 2:53:02 PM XYZ","a@example.de","Instagram"\n'
            '"2024/10/29 9:00:00 AM XYZ","b@example.de","Zeitung"\n').encode()
    [report] = ingest_bytes("Unbenanntes Formular.csv", data)
    assert not report.ok and report.tables == {}
    assert report.error == (
        "Unbenanntes Formular.csv: this looks like a Google Forms responses file, but none of its 2 rows could be "
        "read. On line 2, 'Zeitstempel' ends in a time zone we do not know: '2024/10/28 2:53:02 PM XYZ' (zones we "
        "read look like 'GMT+1', 'UTC-5', 'CET' or 'MEZ'). Set the time zone of the sheet behind the form to one "
        "written like 'GMT+1' (in Google Sheets: File, Settings) and download it again, or tell us which zone it is.")
    assert report.error.count("Unbenanntes Formular.csv") == 1


@pytest.mark.parametrize("stamp, question, friend", [
    ("Horodateur", "Comment avez-vous entendu parler de nous ?", "Un ami"),
    ("Marca temporal", "¿Cómo te enteraste de nosotros?", "Por un amigo"),
    ("Zeitstempel", "Wie haben Sie von uns erfahren?", "Freunde oder Familie"),
    ("Informazioni cronologiche", "Come ci hai conosciuto?", "Tramite un amico"),
    ("Tijdstempel", "Hoe heb je over ons gehoord?", "Via een vriend"),
    ("Timestamp", "How did you hear about us?", "A friend"),
])
def test_how_did_you_hear_answers_give_the_same_sources_in_every_language(stamp, question, friend):
    data = (f'"{stamp}","{question}"\n'
            f'"2024/10/28 2:53:02 PM GMT+1","{friend}"\n'
            '"2024/10/29 9:00:00 AM GMT+1","Instagram"\n'
            '"2024/10/30 9:00:00 AM GMT+1",""\n').encode()
    [r] = ingest_bytes("responses.csv", data)
    assert r.source == "google_forms" and r.error is None
    assert r.mapping["source"] == question
    assert list(r.tables["involvement"]["source"]) == ["word_of_mouth", "instagram", "unknown"]
