-- A view being created or dropped is marked with a token of the process doing it: its DDL commits on H2, so creating
-- or dropping takes several transactions. One whose process died half way is removed without trace on the next open
-- (the H2 binding calls AUGUR.FINISH_INTERRUPTED_VIEWS when a connection opens).
ALTER TABLE AUGUR.VIEWS ADD COLUMN PENDING_IN VARCHAR(36);
