#!/usr/bin/env bash
# The first study of issue #17 (docs/research.md, "The first study"): do models trained to be fluid gain from
# test-time depth? The ladder's plain d=96 model against the same configuration trained with --loop-train, then
# the equal-inference-compute question of issue #18 (docs/frontier.md): d=96 with its stack run twice against d=128.
#   scripts/loop-study.sh train      the plain d=96 rung (scripts/ladder.sh) and d96-loop, same steps and seed
#   scripts/loop-study.sh eval [M]   strata eval --variants on both models (and d=128 base) on the same items, d1-6
#   scripts/loop-study.sh research   strata research --space dup,loop on both models
#   scripts/loop-study.sh compare    paired model-vs-model tests per variant (strata compare) and the summary TSV
#   scripts/loop-study.sh confirm    a fresh draw (seed 2) at d5-6 only, both models, the four deeper plans against base
#   scripts/loop-study.sh all        the four in order
# Outputs under runs/loop/ (git-ignored); the models live in runs/ladder/. Env: PROBLEMS, THREADS.
set -euo pipefail
STRATA=${STRATA:-./strata}   # the launcher; it builds target/strata.jar when sources changed
cd "$(dirname "$0")/.."
PROBLEMS=${PROBLEMS:-20}    # per family and difficulty: 5 families x d1-6 x 20 = 600 items per variant
THREADS=${THREADS:-2}
VARIANTS=${VARIANTS:-"base;dup:3;dup:2-3;dup:1-2;loop:0-3x2;loop:1-2x3;loop:0-3x3"}
L=runs/ladder R=runs/loop
mkdir -p "$R"

evaluate() {    # NAME MODEL VARIANTS
  local args=(-m "$L/$2.gguf" --variants "$3" --min-difficulty 1 --max-difficulty 6 --problems "$PROBLEMS" --seed 1
      -t "$THREADS" --out "$R/eval-$1" --no-progress) resume=()
  [ -f "$R/eval-$1/ledger.jsonl" ] && resume=(--resume)
  echo "loop-study: evaluating $1 ($(date -u +%H:%M:%S) UTC)"
  "$STRATA" eval "${args[@]}" "${resume[@]}" -o json >"$R/eval-$1.json" 2>"$R/eval-$1.err"
  "$STRATA" eval "${args[@]}" --resume >"$R/eval-$1.md" 2>/dev/null    # the Markdown table, recomputed from the complete ledger
}

research() {    # NAME MODEL
  local args=(-m "$L/$2.gguf" --space dup,loop --max-block 2 --loop-times 3 --candidates "loop:0-3x2"
      --min-difficulty 1 --max-difficulty 6 --problems 20 --seed 1 -t "$THREADS" --out "$R/research-$1" --no-progress)
  [ -f "$R/research-$1/ledger.jsonl" ] && args+=(--resume)
  echo "loop-study: research on $1 ($(date -u +%H:%M:%S) UTC)"
  "$STRATA" research "${args[@]}" >"$R/research-$1.txt" 2>"$R/research-$1.err"
}

# accuracy per model, variant and difficulty range (trained 1-4, beyond 5-6) with Wilson 95% intervals
summary() {
  echo -e "model\tvariant\tplan_steps\tmultiply_adds_per_token\tdifficulties\tn\tcorrect\taccuracy\twilson_low\twilson_high"
  for m in plain loop d128; do
    [ -f "$R/eval-$m.json" ] || continue
    jq -r --arg m "$m" '.variants[] as $v | ([["1","2","3","4"], "1-4"], [["5","6"], "5-6"], [["1","2","3","4","5","6"], "1-6"]) as [$ds, $rng]
        | [$ds[] | $v.by_difficulty[.] // {n: 0, correct: 0}] | {n: (map(.n) | add), c: (map(.correct) | add)}
        | [$m, $v.variant, $v.plan_steps, ($v.multiply_adds_per_token | round), $rng, .n, .c] | @tsv' "$R/eval-$m.json"
  done | awk -F'\t' -v OFS='\t' '{ n = $6; c = $7; p = n ? c / n : 0; z = 1.959963984540054; d = 1 + z*z/n
      ctr = (p + z*z/(2*n)) / d; h = z * sqrt(p*(1-p)/n + z*z/(4*n*n)) / d
      lo = c == 0 ? 0 : ctr - h; hi = c == n ? 1 : ctr + h
      print $0, sprintf("%.4f", p), sprintf("%.4f", lo), sprintf("%.4f", hi) }'
}

compare() {
  IFS=';' read -ra vs <<<"$VARIANTS"
  : >"$R/compare-models.md"
  for v in "${vs[@]}"; do    # the same plan on both models: does loop training change what extra depth does?
    echo "### $v: loop-trained against plain" >>"$R/compare-models.md"
    "$STRATA" compare "plain=$R/eval-plain#$v" "loop-trained=$R/eval-loop#$v" --difficulties 1-4,5-6 >>"$R/compare-models.md"
    echo >>"$R/compare-models.md"
  done
  for m in plain loop; do    # each model's variants against its own base, trained and untrained difficulties apart
    local arms=("base=$R/eval-$m") v
    for v in "${vs[@]:1}"; do arms+=("$v=$R/eval-$m#$v"); done
    "$STRATA" compare "${arms[@]}" --difficulties 1-4,5-6 >"$R/compare-within-$m.md"
  done
  # equal inference compute (#18): the 4-layer d=128 model against d=96 with its stack run twice (8 layer applications)
  "$STRATA" compare "d128=$R/eval-d128" "d96-loop-trained-x2=$R/eval-loop#loop:0-3x2" "d96-plain-x2=$R/eval-plain#loop:0-3x2" \
      "d96-loop-trained=$R/eval-loop" "d96-plain=$R/eval-plain" --difficulties 1-4,5-6 >"$R/compare-equal-compute.md"
  summary >"$R/loop-study.tsv"
  cat "$R/compare-equal-compute.md" "$R/loop-study.tsv"
}

case "${1:-all}" in
  train) DIMS=96 scripts/ladder.sh train; scripts/ladder.sh train-one d96-loop 96 --loop-train ;;
  eval)    # optionally only some of: plain loop d128
    for m in ${2:-plain loop d128}; do
      case $m in
        plain) evaluate plain d96 "$VARIANTS" ;;
        loop) evaluate loop d96-loop "$VARIANTS" ;;
        d128) evaluate d128 d128 base ;;
      esac
    done ;;
  research) research plain d96; research loop d96-loop ;;
  confirm)    # a second, confirmatory draw (seed 2) beyond training only: does extra depth help the loop-trained model at d5-6?
    for m in plain:d96 loop:d96-loop; do
      args=(-m "$L/${m#*:}.gguf" --variants "base;dup:2-3;dup:1-2;loop:0-3x2;loop:1-2x3" --min-difficulty 5 --max-difficulty 6
          --problems 40 --seed 2 -t "$THREADS" --out "$R/confirm-${m%%:*}" --no-progress)
      [ -f "$R/confirm-${m%%:*}/ledger.jsonl" ] && args+=(--resume)
      echo "loop-study: confirming on ${m%%:*} ($(date -u +%H:%M:%S) UTC)"
      "$STRATA" eval "${args[@]}" >"$R/confirm-${m%%:*}.md" 2>"$R/confirm-${m%%:*}.err" &
    done
    wait
    "$STRATA" compare "plain=$R/confirm-plain#dup:2-3" "loop-trained=$R/confirm-loop#dup:2-3" >/dev/null    # fails early if a run is missing
    for m in plain loop; do
      "$STRATA" compare "base=$R/confirm-$m" "dup:2-3=$R/confirm-$m#dup:2-3" "dup:1-2=$R/confirm-$m#dup:1-2" \
          "loop:0-3x2=$R/confirm-$m#loop:0-3x2" "loop:1-2x3=$R/confirm-$m#loop:1-2x3" >"$R/confirm-within-$m.md"
    done
    cat "$R"/confirm-within-*.md ;;
  compare) compare ;;
  all) "$0" train; "$0" eval; "$0" research; "$0" compare ;;
  *) echo "usage: scripts/loop-study.sh train|eval|research|compare|all" >&2; exit 2 ;;
esac
