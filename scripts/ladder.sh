#!/usr/bin/env bash
# The scaling ladder of issue #18 (docs/frontier.md, "The scaling ladder of our own"): six widths, 4 layers, one
# fixed token budget, evaluated on held-out curriculum problems, fitted with strata frontier.
#   scripts/ladder.sh train      train and export every rung (resumable: checkpoints, finished rungs skipped)
#   scripts/ladder.sh eval       strata eval of every rung on the held-out test split (resumable)
#   scripts/ladder.sh fit        ladder.csv from the eval summaries and training logs, then strata frontier (--ledger for multiply-adds)
#   scripts/ladder.sh train-one NAME DIM [flags]   one more model with the ladder's budget (loop-study.sh)
#   scripts/ladder.sh all        the three in order
# Outputs under runs/ladder/ (git-ignored). Env: DIMS, STEPS, PROBLEMS, THREADS.
set -euo pipefail
STRATA=${STRATA:-./strata}   # the launcher; it builds target/strata.jar when sources changed
cd "$(dirname "$0")/.."
DIMS=${DIMS:-"32 48 64 96 128 192"}
STEPS=${STEPS:-1200}        # batch 8 x seq 256 = 2,048 tokens per step: 2.46M tokens for every rung
PROBLEMS=${PROBLEMS:-20}    # per family and difficulty: 5 families x d1-4 x 20 = 400 items per rung
THREADS=${THREADS:-2}
R=runs/ladder
mkdir -p "$R"

# train NAME DIM [extra train flags...]: resumes NAME.ck if a run was interrupted, skips a finished rung
train() {
  local name=$1 dim=$2; shift 2
  [ -f "$R/$name.gguf" ] && { echo "ladder: $name already trained"; return; }
  local from=(--dim "$dim" --layers 4 --heads 4 --steps "$STEPS" --seed 1 --threads "$THREADS")
  [ -f "$R/$name.ck" ] && from=(--resume "$R/$name.ck")
  echo "ladder: training $name ($(date -u +%H:%M:%S) UTC)"
  /usr/bin/time -f "wall_seconds_total: %e" "$STRATA" train "${from[@]}" --eval-problems 0 --no-progress \
      --checkpoint "$R/$name.ck" --checkpoint-every 2m --export "$R/$name.gguf" "$@" >>"$R/$name.train.txt" 2>&1
}

evaluate() {
  local name=$1 args=(-m "$R/$1.gguf" --min-difficulty 1 --max-difficulty 4 --problems "$PROBLEMS" --seed 1 \
      -t "$THREADS" --out "$R/eval-$1" --no-progress -o json)
  [ -f "$R/eval-$name/ledger.jsonl" ] && args+=(--resume)
  echo "ladder: evaluating $name ($(date -u +%H:%M:%S) UTC)"
  "$STRATA" eval "${args[@]}" >"$R/eval-$name.json" 2>"$R/eval-$name.err"
}

# one row per rung: parameters, training FLOPs (the trainer's count, 6 per matmul weight plus attention), 6ND,
# accuracy with its Wilson interval and the multiply-adds per token as executed
fit() {
  local csv=$R/ladder.csv
  echo "model,dim,params,tokens,training_flops,flops_6nd,train_seconds,val_loss,n,correct,accuracy,wilson_low,wilson_high,multiply_adds_per_token,eval_wall_seconds" >"$csv"
  for d in $DIMS; do
    local t=$R/d$d.train.txt e=$R/eval-d$d.json
    kv() { sed 's/\x1b\[[0-9;]*m//g' "$t" | grep "^$1:" | tail -1 | awk '{print $2}'; }    # the launcher's build may colour the log
    local p tok; p=$(kv num_params); tok=$(kv tokens)
    echo "d$d,$d,$p,$tok,$(kv training_flops),$(awk -v n="$p" -v t="$tok" 'BEGIN{printf "%.6e", 6*n*t}'),$(kv training_seconds),$(kv val_loss),$(jq -r '.variants[0] | [.n, .correct, .accuracy, .wilson95.low, .wilson95.high, .multiply_adds_per_token, .wall_seconds] | @csv' "$e")" >>"$csv"
  done
  cat "$csv"
  # paired tests on the same 400 items: the largest rung against each smaller one (Holm over the five)
  local arms=() d
  for d in $(echo $DIMS | tr ' ' '\n' | sort -rn); do arms+=("d$d=$R/eval-d$d"); done
  "$STRATA" compare "${arms[@]}" >"$R/compare-rungs.md"
  "$STRATA" frontier --csv "$csv" --x training_flops --y accuracy --out "$R/frontier-flops" --bootstrap 2000 >"$R/frontier-flops.md"
  # multiply-adds per token straight from the eval runs (one point per rung, labelled "dNN base"; rungs in DIMS order, which
  # the seeded bootstrap's resampling follows). Training FLOPs are not in the runs (the GGUF records steps and tokens only),
  # so that fit reads ladder.csv.
  local runs=()
  for d in $DIMS; do runs+=(--ledger "$R/eval-d$d"); done
  "$STRATA" frontier "${runs[@]}" --x multiply_adds_per_token --y accuracy --out "$R/frontier-madds" --bootstrap 2000 >"$R/frontier-madds.md"
}

case "${1:-all}" in
  train) for d in $DIMS; do train "d$d" "$d"; done ;;
  train-one) shift; train "$@" ;;     # NAME DIM [train flags]: used by scripts/loop-study.sh
  eval) for d in $DIMS; do evaluate "d$d"; done ;;
  fit) fit ;;
  all) for d in $DIMS; do train "d$d" "$d"; done; for d in $DIMS; do evaluate "d$d"; done; fit ;;
  *) echo "usage: scripts/ladder.sh train|eval|fit|all" >&2; exit 2 ;;
esac
