"""The plans model: migration 005 keeps everything earlier and brings the agencies."""

from __future__ import annotations

import duckdb

from upr import db
from upr.agencies import agency_index, agency_key, load_agencies


def test_upgrade_from_version_4_keeps_data_and_adds_agencies(tmp_path):
    path = tmp_path / "v4.duckdb"
    con = duckdb.connect(str(path))
    db.migrate(con, target=4)
    con.execute(
        "INSERT INTO recommendation (id, review_id, ref, response, agency, import_id) "
        "VALUES ('KAZ-3-139.12', 1, '139.12', 'supported', 'Ministry of Justice', 1)"
    )
    con.close()
    con = db.connect(path)
    assert db.schema_version(con) == db.SCHEMA_VERSION  # 005 and every later migration
    assert con.execute("SELECT id, agency FROM recommendation").fetchall() == [("KAZ-3-139.12", "Ministry of Justice")]
    assert con.execute("SELECT count(*) FROM agency").fetchall() == [(len(load_agencies()),)]
    assert con.execute("SELECT name_ru, abbr_ru, abbr_en FROM agency WHERE code = 'MJ'").fetchall() == [
        ("Министерство юстиции", "МЮ", "MoJ")
    ]
    for table in ("plan", "plan_section", "plan_item", "plan_item_agency", "plan_item_rec", "rec_agency",
                  "indicator", "indicator_value", "org_group", "org_group_member", "org_group_theme"):  # fmt: skip
        assert con.execute(f"SELECT count(*) FROM {table}").fetchall() == [(0,)]  # noqa: S608
    con.close()


def test_agencies_have_names_and_abbreviations_in_three_languages():
    agencies = load_agencies()
    assert {"MJ", "MFA", "MIA", "GP"} <= {a.code for a in agencies}
    for a in agencies:
        assert a.name_ru and a.name_en and a.name_kk and a.abbr_ru and a.abbr_en and a.abbr_kk


def test_agencies_resolve_from_names_abbreviations_and_aliases():
    index = agency_index()
    assert index[agency_key("МЮ")] == "MJ"
    assert index[agency_key("Министерство юстиции Республики Казахстан")] == "MJ"
    assert index[agency_key("ГП")] == "GP"
    assert index[agency_key("Prosecutor General's Office")] == "GP"
    assert index[agency_key("Ішкі істер министрлігі")] == "MIA"
    assert index[agency_key("Ministry of Labour and Social Protection")] == "MLSPP"
    assert agency_key("Минстерство чудес") not in index
