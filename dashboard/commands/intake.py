"""``intake DRAFT.json [--pdf OUT] [--html OUT] [--fhir OUT] [--questionnaire OUT]``: score a saved draft.

Prints JSON ``{"scores": ..., "flags": [...], "crisis": bool}`` to stdout. ``--progress`` prints the
check-ins instead: the progress page's table and the change since the first check-in (``--format json``:
the same as JSON). A bad draft gives one plain line on stderr and exit 2, never a traceback; a damaged
check-in is named on stderr and left out. ``--template`` prints an empty draft of the current schema;
``--questionnaire OUT`` alone writes the app's FHIR Questionnaire (the definition the export answers).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from dashboard.content import safety
from dashboard.intake import checkins, draft, fhir, progress, questionnaire, summary_html, summary_pdf
from dashboard.intake.answers import Answers
from dashboard.intake.scoring import cli_scores, crisis
from dashboard.intake.screening import flags


def add_parser(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "intake",
        help="score a questionnaire draft and render its summary",
        description=(
            "Score a pre-visit questionnaire draft (the JSON the app saves) and optionally write the summary as "
            "PDF/HTML and the answers as a FHIR R4 Bundle (QuestionnaireResponse, Patient, score Observations). "
            "Exit 0: done; 2: unusable draft or output."
        ),
    )
    p.add_argument("draft", nargs="?", help="draft JSON file saved by the app ('-' reads stdin)")
    p.add_argument("--pdf", metavar="OUT", help="write the summary PDF here")
    p.add_argument("--html", metavar="OUT", help="write the printable HTML summary here")
    p.add_argument("--fhir", metavar="OUT", help="write the FHIR R4 Bundle JSON here")
    p.add_argument(
        "--questionnaire", metavar="OUT", help="write the FHIR R4 Questionnaire the export answers (no draft needed)"
    )
    p.add_argument("--template", action="store_true", help="print an empty draft of the current schema and exit")
    p.add_argument(
        "--progress", action="store_true", help="print the check-ins and the change since the first check-in"
    )
    p.add_argument(
        "--format", choices=("table", "json"), default="table", help="with --progress: a text table (default) or JSON"
    )
    p.set_defaults(func=run)


def _fail(message: str) -> int:
    print(f"error: {message}", file=sys.stderr)
    return 2


def _read(path: str) -> bytes:
    """At most one byte over the limit is read, so a huge file is refused without loading it."""
    if path == "-":
        return sys.stdin.buffer.read(draft.MAX_BYTES + 1)
    with open(path, "rb") as fh:
        return fh.read(draft.MAX_BYTES + 1)


def progress_text(answers: Answers) -> str:
    """The progress page as plain text: the table in aligned columns, then one line per change."""
    t = progress.table(answers)
    if not t.rows:
        return "No check-ins in this file."
    rows = [t.columns, *t.rows]
    widths = [max(len(r[i]) for r in rows) for i in range(len(t.columns))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    if checkins.any_crisis(answers):
        lines += ["", f'PHQ-9 item 9 was answered above "Not at all" on a check-in. {safety.CRISIS_SHORT}']
    found = progress.changes(answers)
    if found:
        lines += ["", "Change since the first check-in:"]
        for change in found:
            marks = "".join(f" [{c.source.reference()}]" for c in change.cites)
            lines.append(f"- {change.sentence()}{marks}")
    return "\n".join(lines)


def report(answers: Answers) -> dict[str, object]:
    """The JSON the command prints."""
    return {
        "scores": cli_scores(answers),
        "flags": [f.as_json() for f in flags(answers)],
        "crisis": crisis(answers),
    }


def _write(outputs: list[tuple[str, bytes]]) -> str | None:
    """The error message for the first file that cannot be written, else None."""
    for path, content in outputs:
        try:
            Path(path).write_bytes(content)
        except OSError as exc:
            return f"cannot write {path}: {exc.strerror or exc.__class__.__name__}"
    return None


def run(args: argparse.Namespace) -> int:
    if args.template:
        print(draft.template())
        return 0
    if not args.draft and args.questionnaire:
        error = _write([(args.questionnaire, questionnaire.to_json().encode("utf-8"))])
        return _fail(error) if error else 0
    if not args.draft:
        return _fail("give a draft file (or --template, or --questionnaire OUT)")
    try:
        data = _read(args.draft)
    except OSError as exc:
        return _fail(f"cannot read {args.draft}: {exc.strerror or exc.__class__.__name__}")
    try:
        loaded = draft.parse_loaded(data)
    except draft.DraftError as exc:
        return _fail(str(exc))
    answers = loaded.answers
    for sentence in loaded.dropped:
        print(f"warning: {sentence}", file=sys.stderr)
    outputs: list[tuple[str, bytes]] = []
    if args.pdf:
        outputs.append((args.pdf, summary_pdf.render_answers(answers)))
    if args.html:
        outputs.append((args.html, summary_html.render_answers(answers).encode("utf-8")))
    if args.fhir:
        outputs.append((args.fhir, fhir.to_json(answers).encode("utf-8")))
    if args.questionnaire:
        outputs.append((args.questionnaire, questionnaire.to_json().encode("utf-8")))
    error = _write(outputs)
    if error:
        return _fail(error)
    if args.progress and args.format == "table":
        print(progress_text(answers))
    elif args.progress:
        print(json.dumps(progress.as_json(answers), ensure_ascii=False, indent=2))
    else:
        print(json.dumps(report(answers), ensure_ascii=False, indent=2))
    return 0
