\set ON_ERROR_STOP 1
DROP TABLE IF EXISTS ex, ent CASCADE;
SELECT setseed(0.5);
CREATE TABLE ent (id int PRIMARY KEY, x1 float8, x2 float8, x3 float8, x4 float8, x5 float8, x6 float8, x7 float8, x8 float8, x9 float8, x10 float8,
 x11 float8, x12 float8, x13 float8, x14 float8, x15 float8, x16 float8, x17 float8, x18 float8, x19 float8, x20 float8);
INSERT INTO ent SELECT g, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1,
 random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1, random()*2-1 FROM generate_series(1, :n) g;
CREATE TABLE ex (id int NOT NULL, y int NOT NULL);
INSERT INTO ex SELECT id, CASE WHEN x1 - 0.5*x2 + 0.3*x3 + 0.8*x4 - x5 + 0.2*x6 > 0 THEN 1 ELSE 0 END FROM ent WHERE id % 50 = 0;
SELECT augur.create_classification_view('dv', 'ent', 'id', 'ex', 'id', 'y', '(x1, x2, x3, x4, x5, x6, x7, x8, x9, x10, x11, x12, x13, x14, x15, x16, x17, x18, x19, x20)', 'svm', '{"learning_rate": 0.01, "epochs": 3, "tolerance": 0.05}');
\timing on
DO $$ BEGIN FOR i IN 1..30 LOOP INSERT INTO ex VALUES (1 + (i * 7919) % 100000, i % 2); END LOOP; END $$;
\timing off
SELECT event, count(*), sum(rows_rescored), sum(rows_written), round(avg(millis)::numeric, 1) AS ms FROM augur.view_events WHERE view_name = 'dv' GROUP BY event;
