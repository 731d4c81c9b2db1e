-- A view being created or dropped is marked with a token of the process doing it: its DDL commits on H2, so creating
-- or dropping takes several transactions. One whose process died half way is removed without trace on the next open
-- (AugurCatalog calls FINISH_INTERRUPTED_VIEWS when a connection opens).
ALTER TABLE AUGUR.VIEWS ADD COLUMN PENDING_IN VARCHAR(36);
CREATE ALIAS AUGUR.FINISH_INTERRUPTED_VIEWS FOR 'dev.augur.udf.H2Views.finishInterruptedViews';
