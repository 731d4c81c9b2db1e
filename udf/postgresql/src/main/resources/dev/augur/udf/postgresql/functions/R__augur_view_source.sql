-- ------------------------------------------------------------------------------------------ AUGUR functions

-- the source table of a view (p_kind: 'prediction' or 'classification', for the message): its qualified name, oid, the
-- key's type and each column's type category; every column must exist and the key must be unique and never NULL
-- (H2Views.checkSource)
CREATE OR REPLACE FUNCTION augur.view_source(tbl text, key text, cols text[], p_kind text, OUT base text, OUT rel oid, OUT key_type text,
    OUT categories text[]) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE r regclass; att record; col text; cnt record; relkind "char";
BEGIN
    r := to_regclass(lower(tbl));
    IF r IS NULL THEN
        RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = pg_catalog.format('cannot read %s, %s from %s: table "%s" does not exist', key,
            pg_catalog.array_to_string(cols, ', '), tbl, lower(tbl));
    END IF;
    SELECT c.relkind INTO relkind FROM pg_class c WHERE c.oid = r;
    IF relkind <> 'r' THEN
        RAISE EXCEPTION USING ERRCODE = '42809', MESSAGE = pg_catalog.format('cannot maintain a %s view over %s: it is not a table', p_kind, tbl);
    END IF;
    rel := r;
    SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) INTO base FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = r;
    categories := '{}';
    FOR i IN 0 .. pg_catalog.cardinality(cols) LOOP
        col := CASE WHEN i = 0 THEN key ELSE cols[i] END;
        SELECT format_type(a.atttypid, a.atttypmod) AS type_text, t.typcategory::text AS cat INTO att
        FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = r AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '42703', MESSAGE = pg_catalog.format('cannot read %s, %s from %s: column "%s" does not exist', key,
                pg_catalog.array_to_string(cols, ', '), tbl, col);
        END IF;
        IF i = 0 THEN
            key_type := att.type_text;
        ELSE
            categories := categories || att.cat;
        END IF;
    END LOOP;
    EXECUTE pg_catalog.format('SELECT count(*) AS n, count(%1$I) AS nn, count(DISTINCT %1$I) AS nd FROM %2$s', key, base) INTO cnt;
    IF cnt.nn <> cnt.n THEN
        RAISE EXCEPTION USING ERRCODE = '23502', MESSAGE = pg_catalog.format('key column %s.%s has NULLs; a view needs a key on every row', tbl, key);
    END IF;
    IF cnt.nd <> cnt.n THEN
        RAISE EXCEPTION USING ERRCODE = '23505', MESSAGE = pg_catalog.format('key column %s.%s is not unique (%s rows, %s distinct keys); '
            || 'a view needs one row per key', tbl, key, cnt.n, cnt.nd);
    END IF;
END $$;
