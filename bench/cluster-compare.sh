#!/bin/bash
# bench/cluster-compare.sh [LAYERS SIZE_MIB ROUNDS]: run from the project's root after the launcher is built.
# Measures the all-in-one (`./registry serve`, one JVM) against the smallest real scale-out: a gateway (with the
# manifest service) in one JVM and the blob service in another, joined on the clustered event bus over loopback,
# so that every blob byte crosses between processes. Same real clients as ../shared/bench/compare.sh (regbench.sh),
# alternating rounds; prints medians and the ratio cluster/all-in-one.
set -euo pipefail
layers=${1:-4} mib=${2:-128} rounds=${3:-3}
bench=${BENCH_DIR:-$(cd "$(dirname "$0")/../../shared/bench" && pwd)}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"; }
trap cleanup EXIT

await_v2() {
  for _ in $(seq 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/v2/") == 200 ]] && return 0
    sleep 0.2
  done
  echo "port $1 did not answer /v2/; logs:" >&2; tail -20 "$work"/*.log >&2; exit 1
}

common_env=(REGISTRY_STORAGE_DELETE_ENABLED=true REGISTRY_LOG_LEVEL=error)
mkdir -p "$work/single" "$work/cluster"
env "${common_env[@]}" REGISTRY_HTTP_ADDR=127.0.0.1:5100 REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$work/single" \
  setsid ./registry serve >"$work/single.log" 2>&1 &
single=$!; pids+=("$single")

cluster_env=("${common_env[@]}" REGISTRY_STORAGE_FILESYSTEM_ROOTDIRECTORY="$work/cluster" REGISTRY_CLUSTER_NAME=bench$$
  REGISTRY_CLUSTER_MEMBERS=127.0.0.1:5711,127.0.0.1:5712)
env "${cluster_env[@]}" REGISTRY_CLUSTER_PORT=5711 \
  setsid ./registry serve --cluster --services blob >"$work/blob.log" 2>&1 &
blob=$!; pids+=("$blob")
env "${cluster_env[@]}" REGISTRY_CLUSTER_PORT=5712 REGISTRY_HTTP_ADDR=127.0.0.1:5102 \
  setsid ./registry serve --cluster --services gateway,manifest >"$work/gateway.log" 2>&1 &
gateway=$!; pids+=("$gateway")
await_v2 5100
await_v2 5102

: >"$work/results"
for _ in $(seq "$rounds"); do
  "$bench/regbench.sh" all-in-one http://127.0.0.1:5100 "$single" "$layers" "$mib" | tee -a "$work/results"
  line=$("$bench/regbench.sh" cluster http://127.0.0.1:5102 "$gateway" "$layers" "$mib")
  # the cluster's memory is both processes' peaks added up
  blob_rss=$(for p in $blob $(pgrep -P "$blob" || true); do awk '/VmHWM/{print $2}' /proc/$p/status; done | sort -n | tail -1)
  echo "$line" | awk -v b="$blob_rss" '{for (i = 1; i <= NF; i++) if ($i ~ /^rss_mb=/) {split($i, kv, "="); $i = "rss_mb=" kv[2] + int(b / 1024)} print}' \
    | tee -a "$work/results"
done
python3 - "$work/results" <<'PY'
import sys, statistics
rows = {}
for line in open(sys.argv[1]):
    name, *kv = line.split()
    for item in kv:
        k, v = item.split("=")
        rows.setdefault(k, {}).setdefault(name, []).append(float(v))
print(f"{'figure':<18}{'all-in-one':>12}{'cluster':>12}{'cluster/one':>13}")
for k, by in rows.items():
    a, c = statistics.median(by["all-in-one"]), statistics.median(by["cluster"])
    print(f"{k:<18}{a:>12.3f}{c:>12.3f}{(c / a if a else float('nan')):>13.2f}")
PY
