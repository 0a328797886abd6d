"""Eventbrite attendee reports in Portuguese, German and Spanish (tests/fixtures/people/eventbrite_i18n, README there).

Expected values worked out by hand from the fixture rows (make_fixtures.py): each order date minus its
offset (-03:00 adds three hours, +01:00 takes one away), value = Total pago / Quantidade.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from harness import cli, schema
from harness.ingest import ingest_bytes, ingest_path
from harness.ingest import people as P
from harness.ingest.registry import Raw

FIX = Path(__file__).parent / "fixtures" / "people" / "eventbrite_i18n"


def one(name: str):
    [r] = ingest_path(FIX / name)
    assert r.error is None, r.error
    for table, df in r.tables.items():
        assert schema.validate(table, df) == [], (name, table)
    return r


def utc(*values: str) -> list:
    return [pd.Timestamp(v, tz="UTC") for v in values]


def test_portuguese_attendee_report_semicolons_and_offsets():
    r = one("relatorio-participantes-eventbrite.csv")
    assert r.source == "eventbrite_attendees" and r.rejected == [] and r.warnings == []
    inv = r.tables["involvement"]
    assert list(inv["person"]) == ["ana@example.org", "bruno@example.org", "carla@example.org", "davi@example.org"]
    # 23:42:40 at -03:00 is 02:42:40 the next day in UTC
    assert list(inv["occurred_at"]) == utc("2024-04-01 13:33:40", "2024-04-01 13:47:09", "2024-04-08 02:42:40",
                                           "2024-04-13 18:09:34")
    assert set(inv["action"]) == {"event"}
    assert list(inv["value"]) == [432.0, 216.0, 0.0, 432.0] and inv["value"].sum() == 1080.0
    assert r.mapping["occurred_at"] == "Data do pedido" and r.mapping["record_id"] == "Participante nº"


def test_portuguese_rows_keep_their_ids_when_uploaded_again():
    first = one("relatorio-participantes-eventbrite.csv").tables["involvement"]["record_id"]
    again = one("relatorio-participantes-eventbrite.csv").tables["involvement"]["record_id"]
    assert list(first) == list(again) and first.is_unique


def test_german_attendee_report():
    r = one("eventbrite-report.csv")
    assert r.source == "eventbrite_attendees" and r.rejected == []
    inv = r.tables["involvement"]
    assert list(inv["person"]) == ["lena@example.org", "paul@example.org", "mia@example.org"]
    # 00:30 at +01:00 is 23:30 the evening before in UTC: first and last day 24 and 25 January
    assert list(inv["occurred_at"]) == utc("2017-01-24 20:15:19", "2017-01-25 10:47:12", "2017-01-25 23:30:00")
    assert list(inv["value"]) == [0.0, 15.0, 15.0] and inv["value"].sum() == 30.0
    assert r.mapping["value"] == "Gesamtzahlungsbetrag" and r.mapping["person"] == "E-Mail"


def test_inspect_json_accepts_every_row_with_first_and_last_day(capsys):
    assert cli.main(["inspect", str(FIX / "relatorio-participantes-eventbrite.csv"),
                     str(FIX / "eventbrite-report.csv"), "--json"]) == 0
    pt, de = json.loads(capsys.readouterr().out)
    assert (pt["source"], pt["rows_read"], pt["rows_accepted"]) == ("eventbrite_attendees", 4, 4)
    assert (pt["start"], pt["end"]) == ("2024-04-01T13:33:40+00:00", "2024-04-13T18:09:34+00:00")
    assert (de["rows_read"], de["rows_accepted"]) == (3, 3)
    assert (de["start"], de["end"]) == ("2017-01-24T20:15:19+00:00", "2017-01-25T23:30:00+00:00")


@pytest.mark.parametrize("header, expected", [
    (["Nome", "Sobrenome"], "Nome"),  # beside Sobrenome, Nome is the first name
    (["Nome"], None),  # alone it may be a whole name: not taken as a first name
    (["First Name", "Last Name"], "First Name"),
    (["Vorname", "Nachname"], "Vorname"),
    (["Nombre", "Apellido"], "Nombre"),  # Spanish: Nombre beside Apellido
    (["Nombre"], None),
])
def test_first_name_column(header, expected):
    raw = Raw("x.csv", pd.DataFrame(columns=header), pd.Series(dtype="int64"))
    assert P._eventbrite_first_name(raw) == expected


def test_portuguese_header_alone_is_recognised_as_eventbrite():
    text = ("Nº do pedido;Data do pedido;Nome;Sobrenome;E-mail;Quantidade;Tipo de ingresso;Participante nº;"
            "Total pago;Status do participante\n"
            "1;2024-05-02 09:00:00-03:00;Rita;Melo;rita@example.org;1;Geral;11;10.0;Participando\n")
    [r] = ingest_bytes("export.csv", text.encode())
    assert r.source == "eventbrite_attendees"
    assert list(r.tables["involvement"]["occurred_at"]) == utc("2024-05-02 12:00:00")
    assert list(r.tables["involvement"]["person"]) == ["rita@example.org"]


SPANISH_NO_DATE = ("event_data.xlsx: this looks like an Eventbrite attendee report file (sheet 'Attendees'), but it "
                   "could not be read: it has no order date column, so we cannot tell when anyone booked. Download "
                   "the attendee report again with its order date ('Order Date' in English reports).")


def test_spanish_report_without_an_order_date_is_recognised_and_refused_plainly():
    [r] = ingest_path(FIX / "event_data.xlsx")
    assert not r.ok and r.tables == {}
    assert r.error == SPANISH_NO_DATE
    assert r.error.count("event_data.xlsx") == 1


def test_spanish_report_inspect_json_says_why(capsys):
    assert cli.main(["inspect", str(FIX / "event_data.xlsx"), "--json"]) == 1  # a file not read: exit code 1
    [es] = json.loads(capsys.readouterr().out)
    assert (es["ok"], es["rows_accepted"], es["start"], es["end"]) == (False, 0, None, None)
    assert es["error"] == SPANISH_NO_DATE


@pytest.mark.parametrize("header, expected", [
    (["Nombre del evento", "Id. del evento", "N.º de pedido", "Nombre", "Apellido", "Correo electrónico"], 0.5),
    # without the event id, a list of orders with names is not taken for an Eventbrite report
    (["Nombre del evento", "N.º de pedido", "Nombre", "Apellido", "Correo electrónico"], 0.0),
    (["Event name", "Event ID", "Recipient account ID"], 0.0),  # an AWS CloudTrail history, not Eventbrite
])
def test_a_report_without_order_date_is_recognised_only_with_event_id_order_and_email(header, expected):
    raw = Raw("x.csv", pd.DataFrame(columns=header), pd.Series(dtype="int64"))
    assert P.detect_eventbrite(raw) == expected
