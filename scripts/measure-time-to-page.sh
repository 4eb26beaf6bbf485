#!/usr/bin/env bash
# Measures the time from "a broker stops" to "the webhook receiver has the firing
# KafkaBrokerOffline", and from "it starts again" to "resolved", with the shipped rules
# (rules/kafka-ha.rules.yml), against kafka-sim, through the real collector and a real HTTP
# receiver. Usage: scripts/measure-time-to-page.sh [COLLECT_INTERVAL] (default 5s);
# KEEP=1 keeps the logs and what the receiver got.
# Needs a release build: swift build -c release.
set -euo pipefail
cd "$(dirname "$0")/.."
interval=${1:-5s}
bin=.build/release
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null; wait 2>/dev/null; [ -n "${KEEP:-}" ] && echo "kept $work" || rm -rf "$work"' EXIT
port() { /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
control=$(port); web=$(port); hook=$(port)

# The receiver: prints "<unix time> <status> <alertname> <broker_id>" per alert it gets.
cat > "$work/receiver.py" <<'PY'
import json, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
class H(BaseHTTPRequestHandler):
    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        now = time.time()
        for a in body["alerts"]:
            print(f'{now:.3f} {a["status"]} {a["labels"].get("alertname")} {a["labels"].get("broker_id","")}', flush=True)
        self.send_response(200); self.end_headers()
    def log_message(self, *args): pass
HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
PY
/usr/bin/python3 "$work/receiver.py" "$hook" > "$work/received" &

$bin/kafka-sim --brokers 3 --topics messages:100:3,file_merge_requests:50:3,message_status_updates:50:3,dlq:3:3 \
  --control-address "127.0.0.1:$control" > "$work/sim.out" 2>"$work/sim.err" &
for _ in $(seq 100); do [ -s "$work/sim.out" ] && break; sleep 0.1; done
bootstrap=$(head -1 "$work/sim.out")

cat > "$work/monitor.yml" <<YML
receivers:
  - name: hook
    type: webhook
    url: http://127.0.0.1:$hook/
    group_by: [alertname, broker_id]
    group_wait: 0s
    group_interval: 1s
YML
$bin/kafka-health-monitor run --config.file="$work/monitor.yml" --kafka.bootstrap-servers="$bootstrap" \
  --collect.interval="$interval" --web.listen-address="127.0.0.1:$web" --storage.path="$work/data" \
  > "$work/monitor.log" 2>&1 &
for _ in $(seq 200); do curl -fs "http://127.0.0.1:$web/-/ready" >/dev/null && break; sleep 0.1; done
sleep 3

wait_for() { # status
  for _ in $(seq 6000); do
    line=$(grep " $1 KafkaBrokerOffline 2" "$work/received" | head -1 || true)
    [ -n "$line" ] && { echo "${line%% *}"; return; }
    sleep 0.05
  done
  echo "timed out waiting for $1" >&2; exit 1
}
stop=$(date +%s.%N); curl -fs -XPOST "http://127.0.0.1:$control/brokers/2/stop" >/dev/null
paged=$(wait_for firing)
start=$(date +%s.%N); curl -fs -XPOST "http://127.0.0.1:$control/brokers/2/start" >/dev/null
resolved=$(wait_for resolved)
/usr/bin/python3 -c "print(f'collect.interval=$interval  stop -> page {${paged}-${stop}:.1f} s  start -> resolved {${resolved}-${start}:.1f} s')"
