#!/bin/bash
# bench/s3-compare.sh [LAYERS SIZE_MIB ROUNDS]: run from the project's root after the launcher is built.
# Measures Berth on S3 (one S3Proxy 2.6.0 on loopback, filesystem-nio2 backend) against Berth on the file system
# and against CNCF distribution 2.8 (Debian's docker-registry) on the same S3Proxy, with the same real clients as
# ../shared/bench/compare.sh (regbench.sh), alternating rounds; prints medians and the ratio of each to berth-fs.
#   berth-fs        ./registry serve, storage.filesystem
#   berth-s3        ./registry serve, storage.s3 (blob GETs answered 307 to a pre-signed S3Proxy URL)
#   berth-s3-proxy  the same with storage.redirect.disable: true (Berth streams blobs itself)
#   dist-s3         distribution, s3 driver: PULL FIGURES ONLY. distribution 2.8 cannot push to S3Proxy 2.6.0
#                   (its writer dereferences ListPartsResult.IsTruncated, which S3Proxy omits: nil-pointer panic),
#                   so its bucket is loaded object by object from a distribution that pushed to the file system
#                   (same layout), and push_s, put_s, cpu_push_s print as nan.
# rss_mb and cpu_* are the registry's process only: S3Proxy's own memory and CPU (the storage) are not in them.
# For issue #12's "peak RSS pushing a 1 GiB layer to S3 no higher than on the filesystem": `1 1024 1`.
set -euo pipefail
layers=${1:-2} mib=${2:-128} rounds=${3:-2}
bench=${BENCH_DIR:-$(cd "$(dirname "$0")/../../shared/bench" && pwd)}
s3port=5180
work=$(mktemp -d)
pids=()
cleanup() {
  local rc=$?
  [[ $rc == 0 && ! -s $work/failed ]] || for f in "$work"/*.log; do echo "== $f" >&2; tail -20 "$f" >&2; done
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; rm -rf "$work"
}
trap cleanup EXIT

await_http() { # URL: answered at all (any status) within 120 s
  for _ in $(seq 600); do
    [[ $(curl -s -o /dev/null -w '%{http_code}' "$1") != 000 ]] && return 0
    sleep 0.2
  done
  echo "$1 did not answer; logs:" >&2; tail -20 "$work"/*.log >&2; exit 1
}

# S3Proxy as a child JVM, its classpath resolved offline from ~/.m2 through a one-dependency pom
mkdir -p "$work/s3proxy/pom" "$work/s3proxy/data"
cat >"$work/s3proxy/pom/pom.xml" <<'XML'
<project xmlns="http://maven.apache.org/POM/4.0.0"><modelVersion>4.0.0</modelVersion>
  <groupId>bench</groupId><artifactId>s3proxy-classpath</artifactId><version>1</version>
  <dependencies><dependency><groupId>org.gaul</groupId><artifactId>s3proxy</artifactId><version>2.6.0</version></dependency></dependencies>
</project>
XML
mvn -o -q -B -f "$work/s3proxy/pom/pom.xml" dependency:build-classpath -Dmdep.outputFile="$work/s3proxy/cp.txt" >/dev/null
# ignore-unknown-headers: the AWS SDK adds x-amz-checksum-crc32 beside Content-MD5 to DeleteObjects, which S3Proxy
# refuses (501) unless told to ignore it; real S3 and current MinIO accept it (a known limit of Berth's S3 driver).
cat >"$work/s3proxy/s3proxy.properties" <<EOF
s3proxy.endpoint=http://127.0.0.1:$s3port
s3proxy.authorization=none
s3proxy.ignore-unknown-headers=true
jclouds.provider=filesystem-nio2
jclouds.filesystem.basedir=$work/s3proxy/data
jclouds.identity=bench
jclouds.credential=bench
EOF
LOG_LEVEL=warn setsid java -DLOG_LEVEL=warn -cp "$(cat "$work/s3proxy/cp.txt")" org.gaul.s3proxy.Main \
  --properties "$work/s3proxy/s3proxy.properties" >"$work/s3proxy.log" 2>&1 &
pids+=($!)
await_http "http://127.0.0.1:$s3port/"
for b in berth berth-proxy dist; do curl -fsS -X PUT "http://127.0.0.1:$s3port/$b" >/dev/null; done

berth() { # NAME PORT CONFIG-STORAGE-YAML: start ./registry serve with a generated config; sets $pid
  cat >"$work/$1.yml" <<YML
version: 0.1
log: {level: error}
http: {addr: 127.0.0.1:$2}
storage:
$3
  delete: {enabled: true}
YML
  setsid ./registry serve "$work/$1.yml" >"$work/$1.log" 2>&1 &
  pid=$!; pids+=("$pid")
}
s3yaml() { # BUCKET
  echo "  s3: {regionendpoint: 'http://127.0.0.1:$s3port', region: us-east-1, bucket: $1, accesskey: bench, secretkey: bench, secure: false, forcepathstyle: true}"
}
berth berth-fs 5100 "  filesystem: {rootdirectory: $work/fs}"; fs=$pid
berth berth-s3 5104 "$(s3yaml berth)"; s3=$pid
berth berth-s3-proxy 5105 "$(s3yaml berth-proxy)
  redirect: {disable: true}"; s3proxied=$pid
for p in 5100 5104 5105; do await_http "http://127.0.0.1:$p/v2/"; done

# distribution's bucket: push with skopeo to distribution on the file system, then PUT its tree object by object
cache=${REGBENCH_CACHE:-/tmp/regbench-cache}
img=$cache/img-$layers-$mib
[[ -f $img/index.json ]] || python3 "$bench/mkimage.py" "$img" "$layers" "$mib" >/dev/null
loader=$("$bench/distribution.sh" 5106 "$work/dist-fs"); pids+=("$loader")
rm -f /var/lib/containers/cache/blob-info-cache-v1.* "$HOME"/.local/share/containers/cache/blob-info-cache-v1.* 2>/dev/null
skopeo copy -q --dest-tls-verify=false "oci:$img:bench" docker://127.0.0.1:5106/bench/dist:1 >/dev/null
kill "$loader"
(cd "$work/dist-fs/data" && find docker -type f) | while read -r key; do
  curl -fsS -T "$work/dist-fs/data/$key" "http://127.0.0.1:$s3port/dist/$key" >/dev/null
done
cat >"$work/dist-s3.yml" <<YML
version: 0.1
log: {level: error}
http: {addr: 127.0.0.1:5103}
storage:
  s3: {regionendpoint: 'http://127.0.0.1:$s3port', region: us-east-1, bucket: dist, accesskey: bench, secretkey: bench, secure: false, v4auth: true}
  delete: {enabled: true}
YML
# an AWS_CA_BUNDLE in the environment makes distribution's s3 driver panic at startup
env -u AWS_CA_BUNDLE docker-registry serve "$work/dist-s3.yml" >"$work/dist-s3.log" 2>&1 &
dist=$!; pids+=("$dist")
await_http "http://127.0.0.1:5103/v2/"

# regbench.sh's reads, on the image already in distribution's bucket; the push figures are nan
pullbench() { # NAME BASE_URL PID REPO
  local name=$1 base=$2 pid=$3 repo=$4 hostport=${2#http://} blob out=$work/pulled
  now() { date +%s.%N; }
  elapsed() { python3 -c "print(f'{$(now)-$1:.3f}')"; }
  cpu() { for p in $pid $(pgrep -P "$pid" || true); do awk '{print $14 + $15}' /proc/$p/stat; done | awk -v hz="$(getconf CLK_TCK)" '{s += $1} END {printf "%.3f", s / hz}'; }
  spent() { python3 -c "print(f'{$(cpu)-$1:.3f}')"; }
  rm -rf "$out"
  local c t pull_s cpu_pull_s get_s par8_get_s head_rps get_manifest_rps rss_mb
  c=$(cpu); t=$(now); skopeo copy -q --src-tls-verify=false "docker://$hostport/$repo:1" "oci:$out:bench" >/dev/null; pull_s=$(elapsed "$t"); cpu_pull_s=$(spent "$c")
  blob=$(ls -S "$img/blobs/sha256" | head -1)
  t=$(now); curl -fsSL -o /dev/null "$base/v2/$repo/blobs/sha256:$blob"; get_s=$(elapsed "$t")
  local gets=()
  t=$(now); for _ in 1 2 3 4 5 6 7 8; do curl -fsSL -o /dev/null "$base/v2/$repo/blobs/sha256:$blob" & gets+=($!); done
  wait "${gets[@]}"; par8_get_s=$(elapsed "$t")
  local accept='Accept: application/vnd.oci.image.manifest.v1+json'
  head_rps=$(wrk -t2 -c32 -d5s -H "$accept" -s <(echo 'wrk.method="HEAD"') "$base/v2/$repo/manifests/1" | awk '/Requests\/sec/{print $2}')
  get_manifest_rps=$(wrk -t2 -c32 -d5s -H "$accept" "$base/v2/$repo/manifests/1" | awk '/Requests\/sec/{print $2}')
  rss_mb=$(for p in $pid $(pgrep -P "$pid" || true); do awk '/VmHWM/{print $2}' /proc/$p/status; done | sort -n | tail -1 | awk '{printf "%d", $1/1024}')
  echo "$name push_s=nan pull_s=$pull_s put_s=nan get_s=$get_s par8_get_s=$par8_get_s head_rps=$head_rps get_manifest_rps=$get_manifest_rps rss_mb=$rss_mb cpu_push_s=nan cpu_pull_s=$cpu_pull_s"
}

: >"$work/results"
# regbench.sh's curl GETs do not follow redirects: with one, berth-s3's get_s would time the 307 alone
mkdir -p "$work/bin"; printf '#!/bin/sh\nexec %s -L "$@"\n' "$(command -v curl)" >"$work/bin/curl"; chmod +x "$work/bin/curl"
export PATH=$work/bin:$PATH
for _ in $(seq "$rounds"); do
  { "$bench/regbench.sh" berth-fs http://127.0.0.1:5100 "$fs" "$layers" "$mib" || echo berth-fs >>"$work/failed"; } | tee -a "$work/results"
  { "$bench/regbench.sh" berth-s3 http://127.0.0.1:5104 "$s3" "$layers" "$mib" || echo berth-s3 >>"$work/failed"; } | tee -a "$work/results"
  { "$bench/regbench.sh" berth-s3-proxy http://127.0.0.1:5105 "$s3proxied" "$layers" "$mib" || echo berth-s3-proxy >>"$work/failed"; } | tee -a "$work/results"
  pullbench dist-s3 http://127.0.0.1:5103 "$dist" bench/dist | tee -a "$work/results"
done
# a registry that fails a round (regbench.sh said why) is left out of the table; the logs are shown at exit
[[ -s $work/failed ]] && echo "FAILED rounds: $(sort "$work/failed" | uniq -c | xargs)"
python3 - "$work/results" <<'PY'
import sys, statistics, math
rows, names = {}, []
for line in open(sys.argv[1]):
    name, *kv = line.split()
    names += [name] if name not in names else []
    for item in kv:
        k, v = item.split("=")
        rows.setdefault(k, {}).setdefault(name, []).append(float(v))
others = names[1:]
print(f"{'figure':<18}" + "".join(f"{n:>16}" for n in names) + "".join(f"{n + '/fs':>20}" for n in others))
for k, by in rows.items():
    med = {n: statistics.median(by[n]) for n in names}
    fs = med[names[0]]
    ratio = lambda v: float("nan") if math.isnan(v) or not fs else v / fs
    print(f"{k:<18}" + "".join(f"{med[n]:>16.3f}" for n in names) + "".join(f"{ratio(med[n]):>20.2f}" for n in others))
PY
echo "dist-s3: push_s, put_s, cpu_push_s not measurable (distribution 2.8 panics pushing to S3Proxy 2.6.0:" \
  "ListPartsResult without IsTruncated); its image was loaded into the bucket object by object"
