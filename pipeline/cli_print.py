"""What the command line prints: run and validation reports, detection results, column lists.

Kept apart from the commands so that each renders from plain dicts (the same ones `--json`
prints) and the command module stays a thin layer of argument parsing.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.table import Table

from pipeline.errors import DataError


def report_and_exit(
    out: Console, err: Console, report, as_json: bool, published: bool = True
) -> None:
    """Print a run's report; exit 1 when any file was rejected, saying nothing was published."""
    print_report(out, err, report, as_json)
    if not published and not as_json:
        out.print(what_a_run_would_add(report), markup=False)
    if not report.ok:
        failed = sum(1 for f in report.files if f.status == "failed")
        what = "nothing was published" if published else "a run would publish nothing"
        total = len(report.files)
        err.print(
            f"ripple: failed: {failed} of {total} file(s) were rejected (see above); {what}",
            markup=False,
        )
        raise typer.Exit(1)


def what_a_run_would_add(report) -> str:
    """`validate`'s closing line: which files are new and what a run would add."""
    files = report.files
    new = [f for f in files if f.status == "loaded"]
    known = [f for f in files if f.status == "already_ingested"]
    adds = sum(f.rows_loaded for f in new)
    line = f"validate: {len(new)} new file(s)"
    if known:
        line += f", {len(known)} already in the warehouse ({', '.join(f.label for f in known)})"
    if report.ok:
        return f"{line}; a run would add {adds} response(s)"
    return f"{line}; a run would add nothing until every file is accepted"


def print_report(out: Console, err: Console, report, as_json: bool) -> None:
    """The per-file accounting table, then each file's reasons, warnings and errors."""
    summary = report.summary()
    if as_json:
        out.print(json.dumps(summary, indent=2, default=str), markup=False)
        return
    table = Table(
        "file",
        "programme",
        "wave",
        "format",
        "status",
        "rows in",
        "loaded",
        "excluded",
        "quarantined",
        title="Row accounting: rows in = loaded + excluded + quarantined",
    )
    for f in summary["files"]:
        counts = ("-",) * 4 if f["status"] == "failed" else _counts(f)
        table.add_row(
            f["file"], f["programme"], f["wave"] or "-", f["format"] or "-", f["status"], *counts
        )
    table.add_row("total", "", "", "", "", *_counts(summary["totals"]), style="bold")
    out.print(table)
    for f in summary["files"]:
        print_file_details(out, err, f)
    for name, path in summary["outputs"].items():
        out.print(f"{name}: {path}", markup=False)


def _counts(f: dict) -> tuple[str, str, str, str]:
    keys = ("rows_in", "rows_loaded", "rows_excluded", "rows_quarantined")
    return tuple(str(f[k]) for k in keys)


def print_file_details(out: Console, err: Console, f: dict) -> None:
    """One file's error, warnings, exclusion and quarantine reasons with example rows."""
    if f["error"]:
        err.print(f["error"], markup=False)
    for warning in f.get("warnings", []):
        err.print(f"{f['file']}: warning: {warning}", markup=False)
    reasons = [f"{r} {n}" for r, n in f["excluded_by_reason"].items()]
    if reasons:
        out.print(f"{f['file']}: excluded: {', '.join(reasons)}", markup=False)
    flags = [f"{r} {n}" for r, n in f.get("flagged_by_reason", {}).items()]
    if flags:
        out.print(f"{f['file']}: flagged (loaded): {', '.join(flags)}", markup=False)
    if f["quarantined_by_reason"]:
        reasons = [f"{r} {n}" for r, n in f["quarantined_by_reason"].items()]
        out.print(f"{f['file']}: quarantined: {', '.join(reasons)}", markup=False)
        for q in f["quarantine_examples"]:
            out.print(
                f"  row {q['source_row_number']}, column '{q['source_column']}' ({q['field']}): "
                f"{q['reason']}: {q['detail']}",
                markup=False,
            )


def detections(paths: list[Path], options) -> list[dict]:
    """Detection of every file: its facts, or its failure with the reason."""
    from pipeline.ingest.detect import detect as detect_file

    results = []
    for path in paths:
        try:
            results.append({**detect_file(path, options).as_dict(), "ok": True})
        except DataError as exc:
            results.append({"path": str(path), "ok": False, "error": str(exc)})
    return results


def print_detections(out: Console, err: Console, paths: list[Path], options, as_json: bool) -> int:
    """Print what detection finds in each file; returns how many failed."""
    results = detections(paths, options)
    failed = [r for r in results if not r["ok"]]
    if as_json:
        out.print(json.dumps(results, indent=2, default=str), markup=False)
        return len(failed)
    table = Table(
        "file", "format", "type", "encoding", "delimiter", "header rows", "rows", "columns"
    )
    for r in results:
        if not r["ok"]:
            table.add_row(r["path"], "FAILED", "-", "-", "-", "-", "-", "-")
            continue
        guessed = r.get("encoding_confidence")
        encoding = r["encoding"] + (
            f" (guess, {guessed:.0%})" if r.get("encoding_source") == "detected" else ""
        )
        table.add_row(
            r["path"],
            r["format"],
            r.get("file_type", "csv"),
            encoding,
            repr(r["delimiter"]),
            str(r["header_rows"]),
            str(r["rows"]),
            str(r["columns"]),
        )
    out.print(table)
    for r in results:
        for warning in r.get("warnings", []):
            err.print(f"{r['path']}: warning: {warning}", markup=False)
    for r in failed:
        err.print(f"ripple: {r['error']}", markup=False)
    if failed:
        err.print(
            f"ripple: {len(failed)} of {len(results)} file(s) could not be read", markup=False
        )
    return len(failed)


def print_columns(out: Console, err: Console, paths: list[Path], options, as_json: bool) -> int:
    """Print each file's columns (key, header, example answers); returns how many failed."""
    from pipeline.ingest.profile import column_profiles
    from pipeline.ingest.readers import read_export

    failed, listing = 0, []
    for path in paths:
        try:
            profiles = column_profiles(read_export(path, options))
        except DataError as exc:
            failed += 1
            err.print(f"ripple: {exc}", markup=False)
            continue
        listing.append({"path": str(path), "columns": profiles})
    if as_json:
        out.print(json.dumps(listing, indent=2, default=str), markup=False)
        return failed
    for entry in listing:
        table = Table("#", "key", "header", "answers", title=entry["path"])
        for c in entry["columns"]:
            table.add_row(
                str(c["position"]),
                c["key"],
                next((t for t in (c["label"], c["header"]) if t and t != c["key"]), ""),
                _answers(c),
            )
        out.print(table)
    return failed


def _answers(column: dict) -> str:
    if column.get("identifying"):
        return f"(possible identifier: {column['identifying']})"
    examples = column.get("examples")
    if not examples:
        return f"({column.get('examples_withheld') or 'no answers'})"
    return " | ".join(examples)
