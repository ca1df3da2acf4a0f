-- The State's answers from an addendum (…/Add.1), by recommendation number. They are kept whether
-- or not the recommendation of that number is in the database yet, and apply to it as soon as it
-- is, whichever file came first. `comment` is the State's reply in its own words.
CREATE SEQUENCE addendum_answer_id_seq START 1;
CREATE TABLE addendum_answer (
    id BIGINT NOT NULL,
    import_id INTEGER NOT NULL,   -- the addendum's import
    document_id INTEGER,
    sur_iso3 VARCHAR NOT NULL,
    cycle INTEGER NOT NULL,
    ref VARCHAR NOT NULL,         -- "140.35"; a bare "5" when the addendum does not say the report's paragraph
    response VARCHAR,             -- supported / supported_in_part / noted; NULL when the reply states none plainly
    response_raw VARCHAR,         -- the words that stated it
    cite VARCHAR,                 -- "A/HRC/59/15/Add.1, para. 3"
    comment VARCHAR,
    line INTEGER,                 -- the line of the document that names the recommendation
    rec_id VARCHAR,               -- the recommendation it answers, once it is in the database
    applied_by INTEGER,           -- the import that applied it: the addendum's, or the one that brought the recommendation
    prior VARCHAR                 -- JSON [response, source, citation] in force before it applied
);
