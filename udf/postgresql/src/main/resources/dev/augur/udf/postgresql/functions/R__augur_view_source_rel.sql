-- V6's augur.view_source for a table already resolved (by the caller's search_path, before the owner's functions
-- pin theirs): relkind, columns, key unique and never NULL. Also: every column read is of a built-in type (or a
-- domain over one), since the owner's functions cast and compare these values and a user's type could bring casts
-- of its own; key_type is the key's base type (no domain constraint runs when the owner writes a view's table).
-- base: the table (for triggers); only_base: ONLY the table (what the owner's functions read, not inheritors).
CREATE OR REPLACE FUNCTION augur.view_source_rel(p_rel oid, tbl text, key text, cols text[], p_kind text, OUT base text, OUT only_base text,
    OUT rel oid, OUT key_type text, OUT categories text[]) LANGUAGE plpgsql SET search_path = pg_catalog, pg_temp AS $$
DECLARE att record; col text; cnt record; relkind "char";
BEGIN
    IF p_rel IS NULL OR NOT EXISTS (SELECT 1 FROM pg_catalog.pg_class c WHERE c.oid = p_rel) THEN
        RAISE EXCEPTION USING ERRCODE = '42P01', MESSAGE = pg_catalog.format('cannot read %s, %s from %s: table "%s" does not exist', key,
            pg_catalog.array_to_string(cols, ', '), tbl, lower(tbl));
    END IF;
    SELECT c.relkind INTO relkind FROM pg_catalog.pg_class c WHERE c.oid = p_rel;
    IF relkind <> 'r' THEN
        RAISE EXCEPTION USING ERRCODE = '42809', MESSAGE = pg_catalog.format('cannot maintain a %s view over %s: it is not a table', p_kind, tbl);
    END IF;
    rel := p_rel;
    SELECT pg_catalog.format('%I.%I', n.nspname, c.relname) INTO base FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
    WHERE c.oid = p_rel;
    only_base := 'ONLY ' || base;
    EXECUTE pg_catalog.format('LOCK TABLE %s IN ACCESS SHARE MODE', only_base);  -- its columns stay as they are read below until commit
    categories := '{}';
    FOR i IN 0 .. pg_catalog.cardinality(cols) LOOP
        col := CASE WHEN i = 0 THEN key ELSE cols[i] END;
        SELECT a.atttypid, augur.base_type(a.atttypid) AS bt, a.atttypmod, t.typtype INTO att
        FROM pg_catalog.pg_attribute a JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
        WHERE a.attrelid = p_rel AND a.attname = col AND a.attnum > 0 AND NOT a.attisdropped;
        IF NOT FOUND THEN
            RAISE EXCEPTION USING ERRCODE = '42703', MESSAGE = pg_catalog.format('cannot read %s, %s from %s: column "%s" does not exist', key,
                pg_catalog.array_to_string(cols, ', '), tbl, col);
        END IF;
        IF att.bt >= 16384 THEN
            RAISE EXCEPTION USING ERRCODE = '42804', MESSAGE = pg_catalog.format('cannot maintain a %s view over column %s.%s of type %s: Augur reads '
                || 'columns of built-in types (or domains over them) only; cast it in a table of a built-in type', p_kind, tbl, col,
                format_type(att.atttypid, att.atttypmod));
        END IF;
        IF i = 0 THEN
            key_type := format_type(att.bt, CASE WHEN att.typtype = 'd' THEN -1 ELSE att.atttypmod END);
        ELSE
            categories := categories || (SELECT t.typcategory::text FROM pg_catalog.pg_type t WHERE t.oid = att.bt);
        END IF;
    END LOOP;
    -- a NOT NULL key with a unique index of its own needs no scan to say so: valid, checked at once, not partial, and
    -- comparing as count(DISTINCT) does (the type's built-in default operator class, the column's collation)
    IF EXISTS (SELECT 1 FROM pg_catalog.pg_index i JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
               JOIN pg_catalog.pg_opclass oc ON oc.oid = i.indclass[0]
               WHERE i.indrelid = p_rel AND i.indisunique AND i.indisvalid AND i.indimmediate AND i.indnkeyatts = 1
                 AND i.indpred IS NULL AND i.indexprs IS NULL AND a.attname = key AND a.attnotnull
                 AND oc.opcdefault AND oc.opcnamespace = 'pg_catalog'::regnamespace AND i.indcollation[0] = a.attcollation) THEN
        RETURN;
    END IF;
    EXECUTE pg_catalog.format('SELECT count(*) AS n, count(%1$I) AS nn, count(DISTINCT %1$I) AS nd FROM %2$s', key, only_base) INTO cnt;
    IF cnt.nn <> cnt.n THEN
        RAISE EXCEPTION USING ERRCODE = '23502', MESSAGE = pg_catalog.format('key column %s.%s has NULLs; a view needs a key on every row', tbl, key);
    END IF;
    IF cnt.nd <> cnt.n THEN
        RAISE EXCEPTION USING ERRCODE = '23505', MESSAGE = pg_catalog.format('key column %s.%s is not unique (%s rows, %s distinct keys); '
            || 'a view needs one row per key', tbl, key, cnt.n, cnt.nd);
    END IF;
END $$;
