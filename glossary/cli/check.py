"""``glossary check``: the spelling and consistency gate for catalogues, texts and the database, for CI."""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from glossary.cli.common import add_db_option, lang_tag
from glossary.model.errors import ParseError, UsageError

if TYPE_CHECKING:
    from glossary.checks.config import Settings
    from glossary.checks.model import CheckUnit, Finding
    from glossary.cli.check_inputs import CheckedFile
    from glossary.recognize.index import TermIndex

FORMATS = ("text", "json", "sarif", "github")


def register(sub: argparse._SubParsersAction) -> None:
    """Add the ``check`` command."""
    parser = sub.add_parser(
        "check",
        help="check catalogues and texts against the term base (for CI)",
        description="Check .po/.pot catalogues, text and Markdown files (or, with no PATHS, the "
        "database's documents) against the term base: forbidden, non-preferred, misspelled and "
        "wrong-script names, missing names, inconsistent translations and numbers. Exit 0 when "
        "nothing reaches --fail-on, 1 when something does, 2 on usage or input errors.",
    )
    parser.add_argument("paths", nargs="*", metavar="PATH", help="files or folders to check")
    parser.add_argument(
        "--termbase", metavar="FILE", help="term base file (.tbx, .csv, seed .toml) instead of the database's"
    )
    parser.add_argument(
        "--lang",
        type=lang_tag,
        metavar="LANG",
        help="language of text and Markdown files whose name does not say it",
    )
    parser.add_argument(
        "--source-lang",
        type=lang_tag,
        metavar="LANG",
        help="language of catalogue sources (default: the header's, else en)",
    )
    parser.add_argument("--languages", metavar="LIST", help="only these target languages (ru,kk,de,fr)")
    parser.add_argument("--format", choices=FORMATS, default=None, help="output format (default: text)")
    parser.add_argument("-o", "--output", metavar="FILE", help="write the report to FILE")
    parser.add_argument(
        "--fail-on",
        choices=("error", "warning", "info", "never"),
        default=None,
        help="lowest severity that makes the exit code 1 (default: error)",
    )
    parser.add_argument("--select", metavar="RULES", help="run only these rules (comma-separated)")
    parser.add_argument("--disable", metavar="RULES", help="do not run these rules (comma-separated)")
    parser.add_argument(
        "--severity", action="append", metavar="RULE=LEVEL", help="change a rule's severity (repeatable)"
    )
    parser.add_argument(
        "--no-source-checks",
        action="store_true",
        help="run the term rules on translations only, not on catalogue sources",
    )
    parser.add_argument("--baseline", metavar="FILE", help="report only findings this baseline lacks")
    parser.add_argument("--write-baseline", metavar="FILE", help="write the findings to FILE as a baseline")
    parser.add_argument("--fix", action="store_true", help="apply the safe fixes in place")
    parser.add_argument("--diff", action="store_true", help="show the safe fixes as a diff, change nothing")
    parser.add_argument("--list-rules", action="store_true", help="list the rules and exit")
    parser.add_argument(
        "-j",
        "--jobs",
        type=_jobs,
        metavar="N",
        help="check in N worker processes (default: one per CPU available; runs of fewer than "
        "5,000 entries stay in one process unless N is given)",
    )
    parser.add_argument(
        "--config",
        metavar="FILE",
        help="settings file (default: the nearest glossary.toml or pyproject.toml with [tool.glossary])",
    )
    add_db_option(parser)
    parser.set_defaults(handler=run)


def _jobs(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number of processes: {text!r}") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"at least 1 process: {text!r}")
    return value


@dataclass(slots=True)
class Inputs:
    """Everything read for one run: files, units, and the input errors met on the way."""

    files: list[CheckedFile] = field(default_factory=list)
    units: list[CheckUnit] = field(default_factory=list)
    errors: list[tuple[str, str | None, int | None]] = field(default_factory=list)
    database: bool = False
    count: int = 0


def settings_for(args: argparse.Namespace) -> Settings:
    """The merged settings: command line over environment over the config file."""
    from glossary.checks.config import environment_layer, layer, merge
    from glossary.checks.registry import all_rules
    from glossary.cli.check_config import find_config, read_config

    known = set(all_rules())
    layers = []
    config_path = Path(args.config) if args.config else find_config(Path.cwd())
    if args.config and not config_path.is_file():  # type: ignore[union-attr]
        raise UsageError(f"--config {args.config}: no such file")
    if config_path is not None:
        layers.append((str(config_path), layer(read_config(config_path), str(config_path), known)))
    layers.append(("environment", layer(environment_layer(os.environ), "environment", known)))
    severity = " ".join(args.severity) if args.severity else None
    cli = {
        "languages": args.languages,
        "source-lang": args.source_lang,
        "termbase": args.termbase,
        "fail-on": args.fail_on,
        "disable": args.disable,
        "select": args.select,
        "severity": severity,
        "check-sources": False if args.no_source_checks else None,
    }
    layers.append(("command line", layer(cli, "command line", known)))
    return merge(layers)


def list_rules(stream: TextIO, settings: Settings) -> int:
    """Print every rule: id, severity (as configured), title, and help."""
    from glossary.checks.registry import all_rules

    for rule in all_rules().values():
        severity = settings.severities.get(rule.id, rule.severity)
        off = "" if settings.config().runs(rule.id) else " (disabled)"
        fix = " [fixable]" if rule.fixable else ""
        stream.write(f"{rule.id:<26} {severity:<8} {rule.title}{off}{fix}\n")
        stream.write(f"{'':<26} {'':<8} {rule.help}\n")
    return 0


def read_inputs(args: argparse.Namespace, settings: Settings) -> Inputs:
    """Read every named file; a file that cannot be read is an input error and the others go on."""
    from glossary.cli.check_inputs import discover, read_input

    inputs = Inputs()
    for path in discover(args.paths):
        try:
            checked = read_input(
                path, lang=args.lang, source_lang=settings.source_lang, languages=settings.languages
            )
        except ParseError as exc:
            inputs.errors.append((exc.message, exc.path, exc.line))
            continue
        except (UsageError, OSError) as exc:
            message = str(exc) if isinstance(exc, UsageError) else f"{path}: {exc.strerror or exc}"
            inputs.errors.append((message, None, None))
            continue
        inputs.count += 1
        if checked is not None:
            inputs.files.append(checked)
            inputs.units.extend(checked.units)
    return inputs


def _index_and_database(args: argparse.Namespace, settings: Settings, inputs: Inputs) -> TermIndex:
    """The recognizer: from --termbase (stored by content hash), else the database's (stored by version);
    with no paths, the database's documents become the units."""
    if settings.termbase:
        from glossary.cli.check_termbase import load_termbase

        if not args.paths:
            raise UsageError("with --termbase, name the files or folders to check")
        index, _ = load_termbase(Path(settings.termbase))
        return index
    from glossary.cli.check_db import database_units
    from glossary.cli.common import workspace_for

    with workspace_for(args) as workspace:
        if not args.paths:
            units, documents = database_units(workspace, settings.languages)
            inputs.units.extend(units)
            inputs.database = True
            inputs.count = documents
        return workspace.recognizer()


def _locator(files: list[CheckedFile]):  # type: ignore[no-untyped-def]
    by_unit = {id(unit): checked for checked in files for unit in checked.units}

    def locate(unit: CheckUnit, side: str, start: int, end: int) -> tuple[int, int, int] | None:
        checked = by_unit.get(id(unit))
        return checked.locate(unit, side, start, end) if checked is not None else None

    return locate


@contextmanager
def _few_collections() -> Iterator[None]:
    """Keep the loaded recognizer and the inputs out of the garbage collector's scans, and scan
    less often, while the check makes its many small objects (about a quarter less CPU)."""
    import gc

    gc.freeze()
    threshold = gc.get_threshold()
    gc.set_threshold(20_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*threshold)
        gc.unfreeze()


def collect(
    units: list[CheckUnit],
    index: TermIndex,
    settings: Settings,
    files: list[CheckedFile],
    database: bool,
    *,
    jobs: int | None = None,
    errors: list[tuple[str, str | None, int | None]] | None = None,
) -> list[Finding]:
    """Every finding, in file order; a source checked once per language in the database is shown once.

    ``jobs``: worker processes (``None``: one per CPU, and none for a small run); the report is the
    same whatever the number. An entry that cannot be checked goes to ``errors``.
    """
    from glossary.checks.parallel import MIN_UNITS, check_in_workers, default_jobs

    failed = errors if errors is not None else []
    with _few_collections():
        findings = check_in_workers(
            units,
            index,
            config=settings.config(),
            locate=_locator(files),
            jobs=default_jobs() if jobs is None else jobs,
            errors=failed,
            min_units=MIN_UNITS if jobs is None else 0,
        )
    if database:
        source_langs = {unit.key: unit.source_lang for unit in units}
        seen: set[str] = set()
        kept = []
        for finding in findings:
            if finding.side == "source":
                if finding.fingerprint in seen:
                    continue
                seen.add(finding.fingerprint)
                document = (finding.path or "").rsplit("/", 1)[0]
                finding = replace(finding, path=f"{document}/{source_langs.get(finding.key, 'en')}")
            kept.append(finding)
        findings = kept
    order = {checked.display: number for number, checked in enumerate(files)}
    findings.sort(
        key=lambda f: (order.get(f.path or "", len(order)), f.path or "", f.line or 0, f.column or 0)
    )
    return findings


def apply_fixes(findings: list[Finding], files: list[CheckedFile], *, write: bool, out: TextIO) -> set[int]:
    """Apply (or, unless ``write``, show as a diff) every safe fix; the ids of the findings fixed."""
    from glossary.atomic import write_atomic
    from glossary.checks.fixes import apply_edits, unified_diff
    from glossary.checks.registry import all_rules
    from glossary.cli.check_inputs import unit_of

    rules = all_rules()
    fixed: set[int] = set()
    by_path = {checked.display: checked for checked in files}
    wanted: dict[str, list[tuple[Finding, CheckUnit]]] = {}
    for finding in findings:
        checked = by_path.get(finding.path or "")
        rule = rules.get(finding.rule)
        if finding.fix is None or checked is None or rule is None or not rule.fixable:
            continue
        unit = unit_of(finding, checked)
        if unit is not None:
            wanted.setdefault(checked.display, []).append((finding, unit))
    for display, pairs in wanted.items():
        checked = by_path[display]
        fixes = [(unit, f.side, f.fix.start, f.fix.end, f.fix.replacement) for f, unit in pairs if f.fix]
        after, count = apply_edits(checked.text, checked.edits(fixes))
        if count == 0 or after == checked.text:
            continue
        fixed.update(id(f) for f, _ in pairs)
        if write:
            newline = "\r\n" if b"\r\n" in checked.path.read_bytes()[:4096] else "\n"
            write_atomic(
                checked.path,
                [after.replace("\n", newline) if newline != "\n" else after],
                encoding=_encoding(checked),
            )
        else:
            out.writelines(unified_diff(checked.text, after, display))
    return fixed


def _encoding(checked: CheckedFile) -> str:
    if checked.kind != "po" or checked.charset.upper() == "CHARSET":
        return "utf-8"
    return checked.charset


def render(
    findings: list[Finding],
    summary: object,
    settings: Settings,
    fmt: str,
    out: TextIO,
    notifications: list[tuple[str, str | None, int | None]],
    baseline_used: bool,
) -> None:
    """Write the report in the chosen format."""
    from glossary.checks import report

    if fmt == "json":
        out.writelines(report.generate_json(findings, summary))  # type: ignore[arg-type]
    elif fmt == "sarif":
        from glossary.checks.registry import all_rules
        from glossary.checks.sarif import generate_sarif

        root = Path.cwd().resolve().as_uri() + "/"
        out.writelines(
            generate_sarif(
                findings,
                all_rules(),
                settings.severities,
                root_uri=root,
                notifications=notifications,
                baseline_used=baseline_used,
            )
        )
    elif fmt == "github":
        out.writelines(report.generate_github(findings))
        step_summary = os.environ.get("GITHUB_STEP_SUMMARY")
        if step_summary:
            with open(step_summary, "a", encoding="utf-8") as handle:
                handle.writelines(report.generate_step_summary(findings, summary))  # type: ignore[arg-type]
    else:
        colour = out.isatty() and not os.environ.get("NO_COLOR")
        out.writelines(report.generate_text(findings, summary, colour=colour))  # type: ignore[arg-type]


def _print_errors(errors: list[tuple[str, str | None, int | None]]) -> None:
    for message, path, line in errors:
        where = f"{path}:{line}: " if path and line else f"{path}: " if path else ""
        print(f"glossary: error: {where}{message}", file=sys.stderr)


def run(args: argparse.Namespace) -> int:
    """Check, report, and return 0 (clean), 1 (findings at --fail-on or above) or 2 (input errors)."""
    from glossary.checks import report
    from glossary.checks.baseline import generate_baseline, read_baseline, split

    settings = settings_for(args)
    if args.list_rules:
        return list_rules(sys.stdout, settings)
    if args.fix and args.diff:
        raise UsageError("--fix and --diff do not go together: --diff shows what --fix would do")
    fmt = args.format or "text"
    from glossary.gcpause import collector_paused

    with collector_paused():  # entries are read by the hundred thousand, and none is garbage
        inputs = read_inputs(args, settings)
    _print_errors(inputs.errors)
    index = _index_and_database(args, settings, inputs)
    errors: list[tuple[str, str | None, int | None]] = []
    findings = collect(
        inputs.units, index, settings, inputs.files, inputs.database, jobs=args.jobs, errors=errors
    )
    _print_errors(errors)
    inputs.errors.extend(errors)
    out: TextIO = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        if args.fix or args.diff:
            fixed = apply_fixes(findings, inputs.files, write=args.fix, out=sys.stdout if args.diff else out)
            if args.fix:
                findings = [f for f in findings if id(f) not in fixed]
        if args.write_baseline:
            from glossary.atomic import write_atomic

            write_atomic(args.write_baseline, generate_baseline(findings))
        known = fixed_count = 0
        shown = findings
        if args.baseline:
            try:
                text = Path(args.baseline).read_text(encoding="utf-8")
            except FileNotFoundError as exc:
                raise UsageError(f"--baseline {args.baseline}: no such file") from exc
            parts = split(findings, read_baseline(text, args.baseline))
            shown, known, fixed_count = parts.new, parts.known, parts.fixed
        failed = report.fails(shown, settings.fail_on)
        summary = report.summarize(
            shown,
            files=inputs.count,
            units=len(inputs.units),
            known=known,
            fixed=fixed_count,
            input_errors=len(inputs.errors),
            fail_on=settings.fail_on,
            failed=failed,
        )
        if not args.diff:
            render(shown, summary, settings, fmt, out, inputs.errors, bool(args.baseline))
    finally:
        if out is not sys.stdout:
            out.close()
    from glossary.cli import nothing_left_open

    nothing_left_open()  # the report is written and closed, the database and the workers too
    if inputs.errors:
        return 2
    return 1 if failed else 0
