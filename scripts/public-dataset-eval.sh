#!/usr/bin/env bash
# Every registry strategy on a real public dataset: MovieLens 100K (943 users, 1,682 films,
# 100,000 ratings, 1997-98), as bundled inside the RecBole 1.2.1 wheel on PyPI (no other
# download). Imports it into a throwaway database, runs `abctl eval` once per strategy with
# default parameters and prints one table (markdown) with each fit's time and the wall time of
# each run; with the leave-last-out split, also the `implicit` library's ALS on the same split.
#
#   scripts/public-dataset-eval.sh [SPLIT=leave-last-out|time] [TEST_DAYS=30]
#
# Needs pip (PyPI), python3 and a PostgreSQL server where we may create a database:
# DATABASE_URL, else the local cluster (abctl db start). STRATEGIES="popularity als" limits
# the run to those entries of the list below (by name); EXTRA="gru4rec:loss=bpr_max …" adds
# entries (NAME or NAME:param=value,…) after the list; RAW_TIMES=1 imports whole-second
# timestamps and leaves the ties to abctl (import order). The MovieLens licence allows
# research use with acknowledgement and forbids redistribution: this script fetches the
# data on each run and nothing of it is committed.
set -euo pipefail
SPLIT=${1:-leave-last-out}
TEST_DAYS=${2:-30}
ROOT=$(cd "$(dirname "$0")/.." && pwd)
source "$ROOT/scripts/env.sh"
ABCTL="$ROOT/.build/release/abctl"
PSQL=$(ls -d /usr/lib/postgresql/*/bin/psql 2>/dev/null | sort -V | tail -1)
[ -x "$ABCTL" ] || swift build -c release --product abctl --package-path "$ROOT"
WORK=$(mktemp -d /tmp/abctl-public-dataset.XXXXXX)
ADMIN_URL=${DATABASE_URL:-$("$ABCTL" db start)}
DB=abctl_movielens_$$
URL=$(python3 -c 'import sys, urllib.parse as u; p = u.urlparse(sys.argv[1]); print(u.urlunparse(p._replace(path="/" + sys.argv[2])))' "$ADMIN_URL" "$DB")
cleanup() {
    "$PSQL" -q "$ADMIN_URL" -c "DROP DATABASE IF EXISTS $DB WITH (FORCE)" >/dev/null 2>&1 || true
    rm -rf "$WORK"
}
trap cleanup EXIT

# (a) The data, from the registry: the wheel ships recbole/dataset_example/ml-100k/.
pip download --quiet --no-deps recbole==1.2.1 -d "$WORK" >&2
WHEEL=$(ls "$WORK"/recbole-1.2.1-*.whl)
echo "wheel: $(basename "$WHEEL") sha256 $(sha256sum "$WHEEL" | cut -d' ' -f1)" >&2
# (b) To abctl's import CSVs (checks the data files' sha256).
python3 "$ROOT/scripts/public_dataset_eval.py" convert "$WHEEL" "$WORK"

# (c) A throwaway database.
"$PSQL" -q "$ADMIN_URL" -c "CREATE DATABASE $DB" >/dev/null
"$ABCTL" migrate --database-url "$URL" >/dev/null
"$ABCTL" import items "$WORK/items.csv" --database-url "$URL" >&2
"$ABCTL" import interactions "$WORK/interactions.csv" --database-url "$URL" >&2

# (d) One `abctl eval` per strategy, timed (load, split, fit and 943 recommendations); the
# spec's two hybrid rows share one run and so one time.
cat > "$WORK/hybrid.yaml" <<'YAML'
# A spec needs two arms: the blend of als and item_knn with either score normalisation.
name: movielens-hybrid
status: draft
arms:
  - key: blend_min_max
    strategy: hybrid
    params:
      normalization: min_max
      components:
        - {strategy: als, weight: 0.5}
        - {strategy: item_knn, weight: 0.5}
    control: true
    weight: 0.5
  - key: blend_rank
    strategy: hybrid
    params:
      normalization: rank
      components:
        - {strategy: als, weight: 0.5}
        - {strategy: item_knn, weight: 0.5}
    weight: 0.5
metrics: {primary: ndcg@10}
YAML
ENTRIES=(
    "popularity"
    "popularity:half_life_hours=168"
    "item_knn"
    "content"
    "als"
    "bpr"
    "ease"
    "markov"
    "spec:$WORK/hybrid.yaml"
    "gru4rec"
    "two_tower"
)
read -r -a EXTRA_ENTRIES <<< "${EXTRA:-}"
ENTRIES+=("${EXTRA_ENTRIES[@]}")
SPLIT_FLAGS=(--split "$SPLIT")
[ "$SPLIT" = time ] && SPLIT_FLAGS+=(--test-days "$TEST_DAYS")
echo "| strategy | test units | NDCG@10 | P@10 | recall@10 | MRR | coverage | popularity | fit seconds | eval seconds |"
echo "|---|---|---|---|---|---|---|---|---|---|"
for entry in "${ENTRIES[@]}"; do
    name=${entry%%:*}
    [ "$name" = spec ] && name=hybrid
    if [ -n "${STRATEGIES:-}" ] && [[ " $STRATEGIES " != *" $name "* ]] && [[ " ${EXTRA:-} " != *" $entry "* ]]; then continue; fi
    if [[ $entry == spec:* ]]; then source_flags=(--spec "${entry#spec:}"); else source_flags=(--strategy "$entry"); fi
    start=$(date +%s.%N)
    "$ABCTL" eval "${source_flags[@]}" "${SPLIT_FLAGS[@]}" --metrics ndcg,p,recall,mrr --k 10 --format csv \
        --database-url "$URL" > "$WORK/row.csv"
    seconds=$(python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.1f}')" "$start" "$(date +%s.%N)")
    # CSV columns: strategy, test units, ndcg@10, P@10, recall@10, recip_rank, coverage, popularity,
    # fit seconds (the fit alone, as abctl eval measures it).
    python3 - "$WORK/row.csv" "$seconds" <<'PY'
import csv, sys
header, *rows = list(csv.reader(open(sys.argv[1])))
for row in rows:
    print("| " + " | ".join(row + [sys.argv[2]]) + " |")
PY
done

if [ "$SPLIT" = leave-last-out ] && { python3 -c 'import implicit' 2>/dev/null || pip install --quiet implicit >&2; }; then
    echo
    echo "Peer on the same split (implicit's own fit seconds, not a whole eval):"
    OPENBLAS_NUM_THREADS=1 python3 "$ROOT/scripts/public_dataset_eval.py" implicit "$WORK"
fi
