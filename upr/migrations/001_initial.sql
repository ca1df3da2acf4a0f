-- Reference data, reviews, recommendations and assessments.
CREATE TABLE vocab (
    kind VARCHAR NOT NULL, code VARCHAR NOT NULL,
    label_en VARCHAR NOT NULL, label_ru VARCHAR NOT NULL, label_kk VARCHAR NOT NULL,
    sort INTEGER NOT NULL,
    PRIMARY KEY (kind, code)
);
CREATE TABLE state (
    iso3 VARCHAR PRIMARY KEY, iso2 VARCHAR,
    name_en VARCHAR NOT NULL, name_ru VARCHAR NOT NULL, name_kk VARCHAR NOT NULL,
    regional_group VARCHAR, un_status VARCHAR NOT NULL
);
CREATE TABLE state_alias (alias VARCHAR PRIMARY KEY, iso3 VARCHAR NOT NULL);
CREATE TABLE theme (
    code VARCHAR PRIMARY KEY,
    label_en VARCHAR NOT NULL, label_ru VARCHAR NOT NULL, label_kk VARCHAR NOT NULL,
    sort INTEGER NOT NULL
);
CREATE TABLE affected_group (
    code VARCHAR PRIMARY KEY,
    label_en VARCHAR NOT NULL, label_ru VARCHAR NOT NULL, label_kk VARCHAR NOT NULL
);

CREATE SEQUENCE import_id_seq START 1;
CREATE TABLE import (
    id INTEGER PRIMARY KEY,
    file_name VARCHAR NOT NULL,
    sha256 VARCHAR NOT NULL,
    format VARCHAR NOT NULL,
    who VARCHAR NOT NULL,
    imported_at TIMESTAMP NOT NULL,
    rows_read INTEGER NOT NULL,
    added INTEGER NOT NULL,
    updated INTEGER NOT NULL,
    unchanged INTEGER NOT NULL,
    rejected INTEGER NOT NULL,
    report VARCHAR,               -- JSON: warnings and unknown values, for the history page
    reverted_at TIMESTAMP
);

CREATE SEQUENCE document_id_seq START 1;
CREATE TABLE document (
    id INTEGER PRIMARY KEY,
    symbol VARCHAR, title VARCHAR, kind VARCHAR NOT NULL,
    import_id INTEGER NOT NULL
);

CREATE SEQUENCE review_id_seq START 1;
CREATE TABLE review (
    id INTEGER PRIMARY KEY,
    sur_iso3 VARCHAR NOT NULL,
    cycle INTEGER NOT NULL CHECK (cycle BETWEEN 1 AND 4),
    session INTEGER,
    review_date DATE,
    report_symbol VARCHAR,
    UNIQUE (sur_iso3, cycle)
);

CREATE TABLE recommendation (
    id VARCHAR PRIMARY KEY,
    review_id INTEGER NOT NULL,
    ref VARCHAR,                  -- paragraph reference as printed, e.g. 124.17
    response VARCHAR,             -- supported / supported_in_part / noted / pending
    response_source VARCHAR,      -- format that gave the response in force
    action_category INTEGER CHECK (action_category BETWEEN 1 AND 5),
    agency VARCHAR,               -- responsible government agency
    import_id INTEGER NOT NULL    -- the import that created it
);
CREATE TABLE rec_text (
    rec_id VARCHAR NOT NULL, lang VARCHAR NOT NULL, text VARCHAR NOT NULL,
    is_original BOOLEAN NOT NULL, import_id INTEGER NOT NULL,
    PRIMARY KEY (rec_id, lang)
);
-- Every file or document a recommendation was read from, with the source's own wording.
CREATE TABLE rec_source (
    rec_id VARCHAR NOT NULL, import_id INTEGER NOT NULL, document_id INTEGER,
    format VARCHAR NOT NULL, row_number INTEGER, ref VARCHAR,
    response VARCHAR, response_raw VARCHAR
);
CREATE TABLE rec_state (
    rec_id VARCHAR NOT NULL,
    iso3 VARCHAR,                 -- NULL when the name could not be resolved
    source_label VARCHAR NOT NULL,
    import_id INTEGER NOT NULL
);
CREATE TABLE rec_theme (
    rec_id VARCHAR NOT NULL,
    theme_code VARCHAR,           -- NULL when the label maps to no canonical theme
    source VARCHAR NOT NULL, source_label VARCHAR NOT NULL,
    import_id INTEGER NOT NULL
);
CREATE TABLE rec_group (
    rec_id VARCHAR NOT NULL, group_code VARCHAR,
    source VARCHAR NOT NULL, source_label VARCHAR NOT NULL,
    import_id INTEGER NOT NULL
);
CREATE TABLE rec_sdg (
    rec_id VARCHAR NOT NULL, sdg VARCHAR NOT NULL, goal INTEGER,
    source VARCHAR NOT NULL, import_id INTEGER NOT NULL
);

CREATE TABLE organisation (
    name VARCHAR PRIMARY KEY,
    source_kind VARCHAR NOT NULL,
    import_id INTEGER
);
CREATE SEQUENCE assessment_id_seq START 1;
CREATE TABLE assessment (
    id BIGINT PRIMARY KEY,
    rec_id VARCHAR NOT NULL,
    source_kind VARCHAR NOT NULL,
    organisation VARCHAR NOT NULL,
    status VARCHAR NOT NULL,
    as_of DATE NOT NULL,
    comment VARCHAR, evidence VARCHAR,
    import_id INTEGER NOT NULL,
    row_number INTEGER
);

-- Where two sources disagree about a recommendation, both sides, and which one is in force.
CREATE SEQUENCE conflict_id_seq START 1;
CREATE TABLE conflict (
    id INTEGER PRIMARY KEY,
    rec_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL,
    kept_value VARCHAR, kept_source VARCHAR,
    other_value VARCHAR, other_source VARCHAR,
    import_id INTEGER NOT NULL
);

-- Previous values of fields an import overwrote, so the import can be reverted exactly.
CREATE TABLE rec_change (
    import_id INTEGER NOT NULL, rec_id VARCHAR NOT NULL,
    field VARCHAR NOT NULL, old_value VARCHAR
);
