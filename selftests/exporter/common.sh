# SPDX-License-Identifier: GPL-2.0
#
# selftests/exporter/common.sh - sourced by the exporter's tests (after
# lib.sh): start the exporter and a real Prometheus scraping it, both
# killed by the test's cleanup (nsi_bg pids).

EXP_PORT=${EXP_PORT:-19391}
PROM_PORT=${PROM_PORT:-19090}
EXP_URL=http://127.0.0.1:$EXP_PORT
PROM_URL=http://127.0.0.1:$PROM_PORT

# exp_start ARGS...: the exporter in the background, returns once it serves
# (pid in $EXP_PID, stderr in $NSI_TMP/exporter.out.err)
exp_start()
{
	nsi_start_ready exporter "$NSI_TMP/exporter.out" "$NETNSIGHT" exporter "$@" || return 1
	EXP_PID=$NSI_READY_PID
}

# exp_stop SIG: signal the exporter, wait; its exit status in $EXP_RC
exp_stop()
{
	kill -"$1" "$EXP_PID" 2>/dev/null
	{ wait "$EXP_PID"; } 2>/dev/null
	EXP_RC=$?
}

# prom_start: Debian's prometheus, 1 s scrapes of the exporter, its TSDB on
# a tmpfs of our own; returns once its API answers.  PROM_SCRAPE_EXTRA: more
# lines for the scrape job (indented by 4)
prom_start()
{
	mkdir -p "$NSI_TMP/tsdb"
	mount -t tmpfs -o size=256m prom-tsdb "$NSI_TMP/tsdb" || return 1
	_exp_mounts+=("$NSI_TMP/tsdb")
	cat > "$NSI_TMP/prometheus.yml" <<-YML
	global:
	  scrape_interval: 1s
	  scrape_timeout: 1s
	  evaluation_interval: 1s
	scrape_configs:
	  - job_name: netnsight
	    static_configs:
	      - targets: ['127.0.0.1:$EXP_PORT']
	${PROM_SCRAPE_EXTRA:-}
	  # the control: Prometheus scraping itself, in the same guest at the
	  # same rate -- when a scrape of the exporter fails, was it the guest?
	  - job_name: control
	    static_configs:
	      - targets: ['127.0.0.1:$PROM_PORT']
	YML
	prometheus --config.file="$NSI_TMP/prometheus.yml" \
		--storage.tsdb.path="$NSI_TMP/tsdb" \
		--web.listen-address=127.0.0.1:$PROM_PORT \
		> "$NSI_TMP/prometheus.log" 2>&1 &
	PROM_PID=$!
	_nsi_pids+=($PROM_PID)
	if ! wait_until 180 curl -sf "$PROM_URL/-/ready"; then
		echo "# prometheus did not start:"; tail -n 20 "$NSI_TMP/prometheus.log" | sed 's/^/# /'
		return 1
	fi
}

_exp_mounts=()
exp_cleanup()
{
	local m
	nsi_bg_stop	# exporter, Prometheus: before their tmpfs goes
	for m in "${_exp_mounts[@]}"; do umount "$m" 2>/dev/null; done
	nsi_cleanup
}

# pq QUERY [JQ]: ask Prometheus' API (never the exporter); by default the
# first result's value, "" if none
pq()
{
	curl -sf --data-urlencode "query=$1" "$PROM_URL/api/v1/query" |
		jq -r "${2:-.data.result[0].value[1] // empty}"
}

# pq_is QUERY VALUE: does QUERY's first value equal VALUE now?
pq_is() { [ "$(pq "$1")" = "$2" ]; }
# pq_none QUERY: no series at all
pq_none() { [ "$(pq "$1" '.data.result | length')" = 0 ]; }
