-- The search index: one row per recommendation, its words, their stems and its themes as keys in
-- one string (upr/search.py). Derived from rec_text and rec_theme, rebuilt by upr.search.refresh_index
-- at every import, revert and upgrade; `sig` tells whether the texts or themes changed since.
CREATE TABLE rec_search (
    rec_id VARCHAR NOT NULL,
    sig VARCHAR NOT NULL,
    keys VARCHAR NOT NULL
);
