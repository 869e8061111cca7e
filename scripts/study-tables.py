#!/usr/bin/env python3
"""Markdown tables of the two studies (docs/frontier.md, docs/research.md) from the scripts' summaries:
   scripts/study-tables.py ladder runs/ladder/ladder.csv
   scripts/study-tables.py loop runs/loop/loop-study.tsv"""
import csv
from decimal import ROUND_HALF_UP, Decimal
import sys


def one(x):
    """Percent with one decimal, half up (0.2425 -> 24.3, as strata's own tables print it)."""
    return str((Decimal(str(x)) * 100).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP))


def pct(x):
    return one(x) + "%"


def ci(lo, hi):
    return f"{one(lo)}–{one(hi)}%"


def ladder(path):
    rows = list(csv.DictReader(open(path)))
    print("| model | params | training FLOPs (trainer) | 6ND | train wall s | val loss | n | accuracy | Wilson 95% | multiply-adds/token |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---|---:|")
    for r in rows:
        print(f"| d={r['dim']} | {int(r['params']):,} | {float(r['training_flops']):.3g} | {float(r['flops_6nd']):.3g} | "
              f"{float(r['train_seconds']):,.0f} | {float(r['val_loss']):.3f} | {r['n']} | {pct(r['accuracy'])} | "
              f"{ci(r['wilson_low'], r['wilson_high'])} | {float(r['multiply_adds_per_token']) / 1e6:.3f} M |")


def loop(path):
    rows = list(csv.DictReader(open(path), delimiter="\t"))
    cell = {(r["model"], r["variant"], r["difficulties"]): r for r in rows}
    variants = list(dict.fromkeys(r["variant"] for r in rows if r["model"] == "plain"))
    print("| variant | layer applications | multiply-adds/token plain / loop-trained | plain d1-4 | loop-trained d1-4 | plain d5-6 | loop-trained d5-6 |")
    print("|---|---:|---:|---|---|---|---|")
    for v in variants:
        p4, l4, p6, l6 = (cell.get((m, v, d)) for m, d in (("plain", "1-4"), ("loop", "1-4"), ("plain", "5-6"), ("loop", "5-6")))
        if not all((p4, l4, p6, l6)):
            continue
        f = lambda r: f"{pct(r['accuracy'])} [{ci(r['wilson_low'], r['wilson_high'])}] ({r['correct']}/{r['n']})"
        print(f"| {v} | {p4['plan_steps']} | {int(p4['multiply_adds_per_token']) / 1e6:.2f} M / {int(l4['multiply_adds_per_token']) / 1e6:.2f} M | "
              f"{f(p4)} | {f(l4)} | {f(p6)} | {f(l6)} |")


{"ladder": ladder, "loop": loop}[sys.argv[1]](sys.argv[2])
