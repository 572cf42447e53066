#!/usr/bin/env python3
"""Markdown tables from `reprise eval-semantic --json` output, as docs/semantic-cache.md shows them.

    reprise eval-semantic --json PAIRS.jsonl... > evaluation.json
    python3 scripts/eval/markdown-tables.py evaluation.json [--thresholds 0.70,0.80,...] [--default 0.96]
"""
import argparse
import json
import os


def percent(value):
    return "–" if value is None else f"{value * 100:.1f}%"


def cells(row):
    return [percent(row["precision"]), percent(row["recall"]), percent(row["f1"]), percent(row["false_hit_rate"])]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("report")
    parser.add_argument("--thresholds", default="0.70,0.80,0.85,0.88,0.90,0.92,0.95,0.96,0.98")
    parser.add_argument("--default", type=float, default=0.96, help="the threshold to mark as Reprise's default")
    arguments = parser.parse_args()
    thresholds = [float(t) for t in arguments.thresholds.split(",")]
    with open(arguments.report) as file:
        reports = json.load(file)
    for report in reports:
        rows = {(round(row["threshold"], 2), row["guards"]): row for row in report["rows"]}
        name = os.path.basename(report["file"])
        print(f"### {name} — {report['pairs']:,} pairs, {report['same']:,} same\n")
        print("| threshold | precision | recall | F1 | false-hit rate | guards: precision | recall | F1 | false-hit rate |")
        print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
        baseline = report.get("gptcache_model")
        for threshold in thresholds:
            label = f"{threshold:.2f}"
            if abs(threshold - 0.8) < 1e-9 and not baseline:
                label += " (GPTCache default)"
            if abs(threshold - arguments.default) < 1e-9:
                label += " (Reprise default)"
            plain, guarded = rows[(round(threshold, 2), False)], rows[(round(threshold, 2), True)]
            print("| " + " | ".join([label, *cells(plain), *cells(guarded)]) + " |")
        recommended = report["recommended"]

        def describe(row):
            if row is None:
                return "no threshold up to 0.99"
            return f"{row['threshold']:.2f} (recall {percent(row['recall'])}, precision {percent(row['precision'])})"

        limit = percent(report["maximum_false_hit_rate"])
        print(f"\nLowest threshold with a false-hit rate ≤ {limit} — without guards: {describe(recommended['without_guards'])}; "
              f"with guards: {describe(recommended['with_guards'])}.")
        gptcache = report.get("gptcache_default")
        if gptcache and gptcache["recall"]:
            if baseline:
                print(f"GPTCache's default (0.8, no guards) with {baseline}: precision {percent(gptcache['precision'])}, "
                      f"recall {percent(gptcache['recall'])}, false-hit rate {percent(gptcache['false_hit_rate'])}.")

            def against(row):
                points = (row["precision"] - gptcache["precision"]) * 100
                return (f"threshold {row['threshold']:.3f}, precision {percent(row['precision'])} against {percent(gptcache['precision'])} "
                        f"({points:+.1f} points), recall {percent(row['recall'])}, "
                        f"false-hit rate {percent(row['false_hit_rate'])} against {percent(gptcache['false_hit_rate'])}")

            at = f"at GPTCache's recall ({percent(gptcache['recall'])}) or more"
            if baseline and report.get("unguarded_at_gptcache_recall"):
                print(f"Without guards {at}: {against(report['unguarded_at_gptcache_recall'])}.")
            if report.get("guarded_at_gptcache_recall"):
                print(f"With guards {at}: {against(report['guarded_at_gptcache_recall'])}.")
            else:
                print(f"With guards {at}: no threshold; the guards pass {percent(report['guarded_recall_ceiling'])} of the same pairs.")
            for entry in report.get("without_one_guard", []):
                row = entry["guarded_at_gptcache_recall"]
                outcome = against(row) if row else "no threshold"
                print(f"- without the {entry['guard']} guard (the others pass {percent(entry['guarded_recall_ceiling'])} of the same pairs): {outcome}.")
        print()


if __name__ == "__main__":
    main()
