# The rush (sourced by bench/run after the settled rounds): a promotion's minutes of bookings, not a
# burst after a quiet database. Nothing is settled before or during it: no vacuum, no checkpoint,
# no search notes taken in by hand. First pgbench's naive transaction for RUSH_SECONDS, then `book`
# for as long straight after it (so book pays for naive's dead rows and WAL, not the other way
# round), each reported per 10-second window from the rows it committed; then the search notes left
# behind, the dead rows, and how long the responders' refreshers take to catch up; then the
# contract's guarantees, checked on everything every load wrote. A broken guarantee fails the bench.
#
# Knobs: BENCH_RUSH_SECONDS (60, 10-120, a multiple of 10); BENCH_RUSH_NAIVE (1; 0: book alone, for
# a developer's look at book on a database only the rounds before wrote).
RUSH_SECONDS=${BENCH_RUSH_SECONDS:-60}
[ "$RUSH_SECONDS" -ge 10 ] && [ "$RUSH_SECONDS" -le 120 ] && [ $((RUSH_SECONDS % 10)) -eq 0 ] \
  || { echo "BENCH_RUSH_SECONDS must be 10-120, a multiple of 10" >&2; exit 2; }
RUSH=$RUN_DIR/rush
mkdir -p "$RUSH"

rush_now() { "${PSQL[@]}" -c "SELECT localtimestamp"; }   # booking_online.created_at's clock

# Committed bookings per 10-second window since START, of the rows WHERE picks out.
rush_windows() { # START WHERE
  "${PSQL[@]}" -F ' ' -c "
    SELECT w, count(*) FROM (
      SELECT floor(extract(epoch FROM created_at - '$1'::timestamp) / 10)::int AS w
      FROM booking_online WHERE created_at >= '$1'::timestamp AND $2) x
    WHERE w < $((RUSH_SECONDS / 10)) GROUP BY w ORDER BY w"
}

# Studios 41-80 (bench/run's seed) take the rush's bookings (bench/wrk.lua, rush), with the outbox
# off as in every load but bookmsg; the responders hear of them (sb_schedule_changed).
"${PSQL[@]}" -c "UPDATE studio SET aktif = true WHERE id_studio > 40" >/dev/null
rush_check_status=
for _ in $(seq 1 50); do   # until the responders have heard of the studios
  rush_check_status=$(check_booking 80 3640 "+62 819 0000 0002")
  [ "$rush_check_status" = 303 ] && break
  sleep 0.1
done
[ "$rush_check_status" = 303 ] || echo "!!! bench: a booking in a rush studio got $rush_check_status, not 303 !!!" >&2

echo "== rush: naive, then book, ${RUSH_SECONDS} s each, 16 connections, nothing settled"
naive_start=$(rush_now)
: >"$RUSH/naive-windows.txt"
if [ "${BENCH_RUSH_NAIVE:-1}" != 0 ]; then
  machine_start
  PGOPTIONS="-c studio_booking.announced=on" pgbench -n -M prepared -c "$CONNECTIONS" -j 2 -T "$RUSH_SECONDS" \
      -f "$BENCH/naive.pgbench" -D today="$TODAY" -D max_active="$BOOKING_MAX_ACTIVE_PER_PHONE" \
      -l --log-prefix="$RUN_DIR/pgbench/rush-naive" "${PGARGS[@]}" >"$OUT/rush-naive.txt" 2>&1 || true
  machine_stop
  python3 "$BENCH/stats.py" pgbench "$RESULTS/../rush-naive.json" "$OUT/rush-naive.txt" "$RUN_DIR/pgbench/rush-naive"
  machine_done "$RESULTS/../rush-naive.json"
  rm -f "$RUN_DIR/pgbench/rush-naive".*
  rush_windows "$naive_start" "ref LIKE 'nv%'" >"$RUSH/naive-windows.txt"
else
  echo '{"rps": 0, "p50_ms": 0, "p99_ms": 0}' >"$RESULTS/../rush-naive.json"
fi

book_start=$(rush_now)
ticks=$(responder_ticks)
machine_start
wrk -c"$CONNECTIONS" -t2 -d"${RUSH_SECONDS}s" --timeout 5s -s "$BENCH/wrk.lua" "$BASE/booking" -- rush "$BASE_EPOCH" \
  >"$OUT/rush-book.txt" 2>&1 || true
machine_stop
ticks=$(( $(responder_ticks) - ticks ))
# What the rush left behind, at once: the search notes not yet taken in, and the dead rows.
"${PSQL[@]}" -c "SELECT count(*) FROM customer_search_stale" >"$RUSH/backlog.txt"
"${PSQL[@]}" -F ' ' -c "SELECT relname, n_dead_tup, n_live_tup, autovacuum_count, autoanalyze_count FROM pg_stat_user_tables
  WHERE relname IN ('customer', 'booking_online', 'customer_search', 'customer_search_stale', 'kode_cs_counter')
  ORDER BY relname" >"$RUSH/dead.txt"
# How long the responders' refreshers take to take in the rest (staff search refreshes before it
# reads, so it sees every change anyway; this is what that refresh would cost a search).
drain_start=$(date +%s%N) drained=
wait_until_zero "SELECT count(*) FROM customer_search_stale" 1200 0.1 && drained=$(date +%s%N)
drain_s=-1
[ -n "$drained" ] && drain_s=$(( (drained - drain_start) / 1000000 ))
drain_s=$(python3 -c "print(${drain_s} / 1000 if ${drain_s} >= 0 else -1)")
python3 "$BENCH/stats.py" wrk "$RESULTS/../rush-book.json" 303 "$OUT/rush-book.txt" "$ticks" "$CLK_TCK"
machine_done "$RESULTS/../rush-book.json"
rush_windows "$book_start" "studio_id > 40 AND ref IS NOT NULL" >"$RUSH/book-windows.txt"

# The contract's guarantees, on every row every load wrote (bench/README.md, The rush).
"${PSQL[@]}" -F ' ' >"$RUSH/guarantees.txt" <<SQL
SELECT 'duplicate_kode', count(*) FROM (SELECT kode_cs FROM customer GROUP BY kode_cs HAVING count(*) > 1) d;
SELECT 'kode_gap', (SELECT last_number FROM kode_cs_counter) - count(*)
       + abs((SELECT last_number FROM kode_cs_counter) - coalesce(max(substr(kode_cs, 4)::integer), 0))
FROM customer WHERE kode_cs ~ '^CS-[0-9]{6}$';
SELECT 'overlap', count(*) FROM (
  SELECT s, max(e) OVER (PARTITION BY studio_id ORDER BY s, e ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS before_end
  FROM (SELECT studio_id, tanggal_booking + jam_booking AS s,
               tanggal_booking + jam_booking + make_interval(hours => coalesce(durasi_jam, 1)::integer) AS e
        FROM booking_online WHERE dibatalkan_pada IS NULL) b) o
WHERE before_end > s;
SELECT 'booking_without_customer', count(*) FROM booking_online b
WHERE NOT EXISTS (SELECT 1 FROM customer c WHERE c.kode_cs = b.kode_cs);
SELECT 'phone_over_limit', count(*) FROM (
  SELECT sb_normalize_phone(telp_customer) FROM booking_online
  WHERE ref ~ '^[0-9a-f]{32}$' AND dibatalkan_pada IS NULL AND tanggal_booking >= current_date
  GROUP BY 1 HAVING count(*) > $BOOKING_MAX_ACTIVE_PER_PHONE) p;
SQL

python3 "$BENCH/stats.py" rush "$RESULTS/.." "$RUSH" "$RUSH_SECONDS" "$drain_s" || RUSH_FAILED=1
