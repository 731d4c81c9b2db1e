#!/bin/bash
# needs a database perf holding Augur's catalog: ./augur migrate --postgres="jdbc:postgresql://$PGHOST:$PGPORT/perf?user=postgres"
ON=udf/postgresql/src/main/resources/dev/augur/udf/postgresql/functions/R__augur_view_screen.sql
for side in off on off on; do
  F=$ON; [ $side = off ] && F=$SCREEN_OFF
  psql -X -q -h $PGHOST -p $PGPORT -U postgres -d perf -f $F
  psql -X -q -h $PGHOST -p $PGPORT -U postgres -d perf -c "SELECT augur.drop_prediction_view('dv')" >/dev/null 2>&1
  echo "== screen $side"
  psql -X -q -h $PGHOST -p $PGPORT -U postgres -d perf -v n=100000 -f bench/results/harness/pg-learning.sql 2>&1 | grep -v NOTICE | tail -8
done
