"""Command line: ``python -m harness score|inspect|report ...``.

Bad input gets one plain line on stderr and a non-zero exit, never a traceback.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from types import SimpleNamespace

from harness import format as fmt

EXIT_BAD_INPUT = 2


class UserError(Exception):
    """A problem with what the user asked for, shown as one plain line."""


def _parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m harness",
        description="Harnessing Connections: are social-media connections turning into real involvement?",
    )
    sub = p.add_subparsers(dest="command", required=True)

    s = sub.add_parser("score", help="score the four pillars for a period")
    s.add_argument("paths", nargs="*", help="export files, folders or zips (default: the sample school)")
    s.add_argument("--period", help="last_30, last_90 (default), last_365, month, quarter, school_year, or START:END (YYYY-MM-DD:YYYY-MM-DD)")
    s.add_argument("--org-type", default="school", choices=["school", "nonprofit", "other"], help="default targets preset")
    s.add_argument("--settings", help="JSON file with targets/weights (as saved by the Settings page)")
    s.add_argument("--json", action="store_true", help="print JSON")

    i = sub.add_parser("inspect", help="show what each export file contains and how it was read")
    i.add_argument("paths", nargs="+", help="export files, folders or zips")
    i.add_argument("--mapping", help="JSON column mapping for files that are not recognised")
    i.add_argument("--json", action="store_true", help="print JSON")

    r = sub.add_parser("report", help="write a self-contained HTML report (works offline)")
    r.add_argument("paths", nargs="*", help="export files, folders or zips (default: the sample school)")
    r.add_argument("-o", "--output", required=True, help="HTML file to write")
    r.add_argument("--period", help="as for 'score': last_90 (default), month, START:END …")
    r.add_argument("--org-type", default="school", choices=["school", "nonprofit", "other"])
    r.add_argument("--settings", help="JSON file with targets/weights (as saved by the Settings page)")
    r.add_argument("--title", help="report title")
    r.add_argument("--organisation", default="", help="organisation name shown on the report")
    r.add_argument("--commentary", help="text file with staff commentary to include")
    r.add_argument("--names", action="store_true", help="show real names of connectors (default: pseudonyms)")
    return p


def _settings(args):
    from harness import targets

    if args.settings:
        try:
            data = json.loads(Path(args.settings).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UserError(f"settings file '{args.settings}' could not be read: {exc}") from None
        try:
            return targets.settings_from_dict(data)
        except (TypeError, ValueError) as exc:
            raise UserError(f"settings file '{args.settings}': {exc}") from None
    return targets.default_settings(args.org_type)


def _load(paths):
    from harness.loading import load_paths, sample_paths

    chosen = [Path(p) for p in paths] or sample_paths()
    for p in chosen:
        if not p.exists():
            raise UserError(f"'{p}' does not exist")
    dataset, reports = load_paths(chosen)
    if dataset.is_empty():
        failed = "; ".join([_named_once(r) for r in reports if not r.ok][:3]) or "no data files found"
        raise UserError(f"nothing could be read ({failed})")
    return dataset, reports


def _period(dataset, text):
    """The period asked for (``--period``), or None for the default (the last 90 days of the data)."""
    from harness import periods

    if not text:
        return None
    try:
        return periods.parse(text, periods.default_period(dataset).end)
    except ValueError as exc:
        raise UserError(str(exc)) from None


def _warn_failed(reports) -> None:
    for r in reports:
        if not r.ok:
            print(f"warning: {_named_once(r)}", file=sys.stderr)


def cmd_score(args) -> int:
    from harness import scoring

    settings = _settings(args)
    dataset, reports = _load(args.paths)
    period = _period(dataset, args.period)
    card = scoring.score_pillars(dataset, period=period, settings=settings)
    out = card.to_dict()
    out["inputs"] = [_input_dict(r) for r in reports]
    if args.json:
        print(json.dumps(out, indent=2, allow_nan=False, default=str))
    else:
        print(_score_text(out))
    _warn_failed(reports)
    return 0


def _named_once(report) -> str:
    """A report's error with its file named once (ingest's messages start with the name already)."""
    error = report.error or ""
    return error if error.startswith(report.file_name) else f"{report.file_name}: {error}"


def _input_dict(report) -> dict:
    span = report.date_range if report.ok else None
    return {
        "file": report.file_name,
        "source": report.source,
        "label": report.source_label,
        "tables": {k: int(len(v)) for k, v in report.tables.items()},
        "rows_rejected": len(report.rejected),
        "start": span[0].isoformat() if span else None,
        "end": span[1].isoformat() if span else None,
        "error": report.error,
    }


def _score_text(out: dict) -> str:
    per, prev = out["period"], out["previous_period"]
    lines = [f"Period {per['start']} to {per['end']} ({per['days']} days), compared with {prev['start']} to {prev['end']}", ""]
    for key, p in out["pillars"].items():
        score = fmt.score(p["score"])
        change = "" if p.get("change") is None else f" ({fmt.change(p['change'])})"
        lines.append(f"{p.get('label', key):<28} {score}{change}")
        lines.append(f"    {p.get('status') or p.get('reading') or ''}")
        for c in p["components"]:
            if c.get("available"):
                target = fmt.share(c["target"]) if c.get("unit", "").startswith("share") else fmt.figure(c["target"], 2)
                lines.append(
                    f"    - {c['label']}: {c.get('shown') or fmt.figure(c['value'], 2)} "
                    f"(full marks at {target}, weight {fmt.figure(c['weight'], 2)}) -> {fmt.figure(c['score'], 0)}"
                )
            else:
                lines.append(f"    - {c['label']}: not available ({c.get('reason')})")
        for m in p.get("missing") or []:
            lines.append(f"    To add {m['label'].lower()}: {m['fix']}")
        lines.append("")
    lines.append("Vanity metrics (shown for context; they never raise a score):")
    vanity = out.get("vanity") or {}
    current, previous = vanity.get("current") or {}, vanity.get("previous") or {}
    for k, v in current.items():
        before = previous.get(k)
        was = "" if before is None else f" (previous period {fmt.figure(before)})"
        lines.append(f"    {k.replace('_', ' ')}: {fmt.figure(v)}{was}")
    return "\n".join(lines)


def cmd_inspect(args) -> int:
    from harness.ingest import describe, ingest_path

    mapping = None
    if args.mapping:
        try:
            mapping = json.loads(Path(args.mapping).read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise UserError(f"mapping file '{args.mapping}' could not be read: {exc}") from None
    results = []
    for p in args.paths:
        path = Path(p)
        if not path.exists():
            raise UserError(f"'{p}' does not exist")
        results.extend(ingest_path(path, mapping=mapping))
    described = [describe(r) for r in results]
    if args.json:
        print(json.dumps(described, indent=2, allow_nan=False, default=str))
    else:
        print(_inspect_text(described))
    return 1 if any(d.get("error") for d in described) or not described else 0


def _inspect_text(described: list[dict]) -> str:
    if not described:
        return "No data files found (looked for .csv, .xlsx, .xls and .zip)."
    lines = []
    for d in described:
        lines.append(f"{d['file']}")
        if d.get("error"):
            error = d["error"]
            name = f"{d['file']}: "
            lines.append(f"    could not be read: {error[len(name):] if error.startswith(name) else error}")
            lines.append("")
            continue
        lines.append(f"    detected: {d.get('label') or d.get('source')}")
        if d.get("platforms"):
            lines.append(f"    platforms: {', '.join(d['platforms'])}")
        tables = ", ".join(f"{k} ({v:,} rows)" for k, v in (d.get("tables") or {}).items()) or "nothing"
        lines.append(f"    feeds: {tables}")
        lines.append(f"    rows read {d.get('rows_read', 0):,}, rejected {d.get('rows_rejected', 0):,}")
        for reason in d.get("rejected_reasons", [])[:5]:
            lines.append(f"      - {reason}")
        if d.get("start"):
            lines.append(f"    dates: {d['start']} to {d['end']}")
        if d.get("mapping"):
            lines.append("    columns: " + ", ".join(f"{k} <- '{v}'" for k, v in d["mapping"].items()))
        for w in d.get("warnings", []):
            lines.append(f"    note: {w}")
        lines.append("")
    return "\n".join(lines)


def cmd_report(args) -> int:
    """Load, score and write the HTML report (``harness.report`` builds it) to ``--output``, atomically."""
    from harness import report

    settings = _settings(args)
    commentary = _read_text(args.commentary, "commentary file") if args.commentary else ""
    out = Path(args.output)
    if out.parent and not out.parent.exists():
        raise UserError(f"folder '{out.parent}' for the report does not exist")
    dataset, reports = _load(args.paths or [])
    chosen = _period(dataset, args.period)
    snap = report.snapshot_for_report(dataset, chosen, settings, pseudonymise=not args.names)
    page = report.render_report(snap, title=args.title, commentary=commentary, organisation=args.organisation)
    tmp = out.with_name(out.name + ".tmp")
    try:
        tmp.write_text(page, encoding="utf-8")
        tmp.replace(out)
    except OSError as exc:
        raise UserError(f"could not write '{out}': {exc.strerror or exc}") from None
    _warn_failed(reports)
    return 0


def report_command(paths, output, period=None, org_type: str = "school", settings_path=None, *,
                   title=None, organisation: str = "", commentary_path=None, names: bool = False) -> int:
    """``python -m harness report`` called from Python: the exit code, messages on stderr as on the command line."""
    return _run(cmd_report, SimpleNamespace(paths=paths, output=output, period=period, org_type=org_type,
                                            settings=settings_path, title=title, organisation=organisation,
                                            commentary=commentary_path, names=names))


def _read_text(path, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise UserError(f"{what} '{path}' could not be read: {getattr(exc, 'strerror', None) or exc}") from None


COMMANDS = {"score": cmd_score, "inspect": cmd_inspect, "report": cmd_report}


def main(argv=None) -> int:
    args = _parser().parse_args(argv)
    return _run(COMMANDS[args.command], args)


def _run(command, args) -> int:
    try:
        return command(args)
    except UserError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:
        return 130
    except Exception as exc:  # the promise: never a traceback for the user
        print(f"error: unexpected problem ({type(exc).__name__}: {exc}). Please report it with the files you used.", file=sys.stderr)
        return 1
