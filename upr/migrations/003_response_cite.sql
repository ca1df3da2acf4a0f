-- Where the response in force was stated: a document symbol and paragraph as the source cites
-- it ("A/HRC/59/15/Add.1, para. 5", or a thematic list's "Source of position"). Every source row
-- keeps its own citation too.
ALTER TABLE recommendation ADD COLUMN response_cite VARCHAR;
ALTER TABLE rec_source ADD COLUMN response_cite VARCHAR;
