-- The search index keeps each recommendation's State under review beside its keys, so that a
-- search reads only that State's rows (upr/search.py). Rebuilt by upr.search.refresh_index on upgrade.
DROP TABLE rec_search;
CREATE TABLE rec_search (
    rec_id VARCHAR NOT NULL,
    sur_iso3 VARCHAR NOT NULL,
    sig VARCHAR NOT NULL,
    keys VARCHAR NOT NULL
);
