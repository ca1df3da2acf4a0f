-- A UN report sometimes prints several States' different recommendations as one numbered item
-- ("A (Egypt); B (Peru)") where UPR Info lists them apart. The item keeps them all: the separate
-- ones point to it and drop out of the counts, with their themes and sources copied to it.
ALTER TABLE recommendation ADD COLUMN merged_into VARCHAR;
