-- Implementation plans and the agencies responsible for them.
-- Government bodies with their names and usual abbreviations; reference data (data/agencies.csv),
-- replaced with the other reference tables on upgrade.
CREATE TABLE agency (
    code VARCHAR PRIMARY KEY,     -- 'MJ', 'MFA', ...
    name_ru VARCHAR NOT NULL, name_en VARCHAR NOT NULL, name_kk VARCHAR NOT NULL,
    abbr_ru VARCHAR, abbr_en VARCHAR, abbr_kk VARCHAR,
    aliases VARCHAR,              -- other names it goes by, ';'-separated (older or shorter names)
    sort INTEGER NOT NULL
);
-- A national plan implementing recommendations: the interdepartmental plan 2020–2024, the Action
-- Plan of December 2023, ...
CREATE SEQUENCE plan_id_seq START 1;
CREATE TABLE plan (
    id INTEGER PRIMARY KEY,
    sur_iso3 VARCHAR NOT NULL,
    name VARCHAR NOT NULL,
    act VARCHAR,                  -- the adopting act, as cited
    adopted DATE,
    period_start INTEGER, period_end INTEGER,
    cycle INTEGER,                -- the review whose recommendations its items cite by paragraph
    lang VARCHAR NOT NULL,        -- the language the plan's texts are written in
    illustrative BOOLEAN NOT NULL DEFAULT false,
    import_id INTEGER NOT NULL
);
CREATE SEQUENCE plan_section_id_seq START 1;
CREATE TABLE plan_section (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL,
    number INTEGER NOT NULL,
    title VARCHAR NOT NULL,
    import_id INTEGER NOT NULL
);
CREATE SEQUENCE plan_item_id_seq START 1;
CREATE TABLE plan_item (
    id INTEGER PRIMARY KEY,
    plan_id INTEGER NOT NULL,
    section_id INTEGER,
    number VARCHAR NOT NULL,      -- «№ п/п» as printed
    sort INTEGER NOT NULL,
    measure VARCHAR NOT NULL,     -- «Наименование мероприятия»
    completion_form VARCHAR,      -- «Форма завершения»
    lead_agency VARCHAR,          -- agency.code of the first responsible executor
    deadline_text VARCHAR,        -- «Срок исполнения» as written: «IV квартал 2024 года», «ежегодно»
    deadline DATE,                -- the last day it allows, where the text gives one
    expected_result VARCHAR,
    row_number INTEGER,
    import_id INTEGER NOT NULL
);
-- Responsible executors of an item in the order written: the first is the lead, the others co-executors.
CREATE TABLE plan_item_agency (
    item_id INTEGER NOT NULL, agency_code VARCHAR NOT NULL,
    role VARCHAR NOT NULL,        -- lead / co
    position INTEGER NOT NULL,
    import_id INTEGER NOT NULL
);
-- Many to many: the recommendations an item implements, with the reference as the plan wrote it.
CREATE TABLE plan_item_rec (
    item_id INTEGER NOT NULL, rec_id VARCHAR NOT NULL, ref_written VARCHAR,
    import_id INTEGER NOT NULL
);
-- The responsible agency of a recommendation: from a plan's item, or set directly.
CREATE TABLE rec_agency (
    rec_id VARCHAR NOT NULL, agency_code VARCHAR NOT NULL,
    origin VARCHAR NOT NULL,      -- plan / direct
    item_id INTEGER,
    import_id INTEGER NOT NULL
);
-- Indicators of progress with dated values and their source.
CREATE SEQUENCE indicator_id_seq START 1;
CREATE TABLE indicator (
    id INTEGER PRIMARY KEY,
    name_ru VARCHAR NOT NULL, name_en VARCHAR NOT NULL, name_kk VARCHAR NOT NULL,
    unit VARCHAR,
    item_id INTEGER,              -- the plan item it measures, if any
    rec_id VARCHAR,               -- or the recommendation
    import_id INTEGER NOT NULL
);
CREATE TABLE indicator_value (
    indicator_id INTEGER NOT NULL,
    as_of DATE NOT NULL,          -- the end of the period measured (31 Dec 2023 for «in 2023»)
    period VARCHAR,               -- as written: «2023»
    value DOUBLE NOT NULL,
    source VARCHAR NOT NULL,      -- who reported it: «Уполномоченный по правам человека»
    import_id INTEGER NOT NULL
);
-- Organisations grouped: the NGO coalition, and its working groups each led by one NGO.
CREATE TABLE org_group (
    code VARCHAR PRIMARY KEY,
    parent_code VARCHAR,          -- a working group's coalition
    name_ru VARCHAR NOT NULL, name_en VARCHAR NOT NULL, name_kk VARCHAR NOT NULL,
    lead_organisation VARCHAR,
    import_id INTEGER NOT NULL
);
CREATE TABLE org_group_member (group_code VARCHAR NOT NULL, organisation VARCHAR NOT NULL, import_id INTEGER NOT NULL);
CREATE TABLE org_group_theme (group_code VARCHAR NOT NULL, theme_code VARCHAR NOT NULL, import_id INTEGER NOT NULL);
