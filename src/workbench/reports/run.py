"""Running report notebooks with papermill and writing their four documents.

``run_report`` runs one report into ``reports/<year>/<name>[-<key>]/``: the executed
notebook, the HTML, Word and Excel documents and ``manifest.json``. ``run_all`` runs every
yearly report of a year in a process pool, going on past failures.
"""

from __future__ import annotations

import io
import multiprocessing
import os
import re
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from workbench.errors import Cancelled
from workbench.i18n import _
from workbench.reports.catalogue import ReportNotebook, report_notebooks
from workbench.settings import project_home, reports_dir
from workbench.staff.acting import require
from workbench.staff.roles import Permission

__all__ = ["RunResult", "output_folder", "plan_year", "run_all", "run_report"]


@dataclass(frozen=True)
class RunResult:
    """How one report run ended."""

    name: str
    folder: Path
    ok: bool
    error: str | None = None
    duration_s: float = 0.0


def _key(value: object) -> str:
    text = str(value).strip().lower()
    return "".join(c if c.isalnum() or c == "-" else "-" for c in text).strip("-")


def output_folder(report: ReportNotebook, parameters: dict, year: int,
                  root: Path | None = None) -> Path:
    """``reports/<year>/<name>[-<key>]``: the key is the other parameters' values."""
    keys = [_key(v) for k, v in sorted(parameters.items()) if k != "year" and v not in (None, "")]
    name = "-".join([report.name, *filter(None, keys)])
    root = root or reports_dir()
    return root / str(year) / name


def _source_cell(executed: Path | None, index: int) -> int:
    """The 1-based number, in the notebook as written, of executed cell ``index``
    (papermill inserts an ``injected-parameters`` cell that the author never saw)."""
    if executed is None or not executed.exists():
        return index + 1
    import nbformat

    cells = nbformat.read(str(executed), as_version=4).cells[:index]
    injected = sum("injected-parameters" in c.get("metadata", {}).get("tags", [])
                   for c in cells)
    return index + 1 - injected


def _failure(error: Exception, executed: Path | None = None) -> str:
    """A French one-liner for a failed run: the cell and the error, no traceback."""
    from papermill.exceptions import PapermillExecutionError

    if isinstance(error, PapermillExecutionError):
        message = str(error.evalue).strip().splitlines()
        return _("cell {cell}: {name}: {message}").format(
            cell=_source_cell(executed, error.cell_index), name=error.ename,
            message=message[0] if message else "")
    return f"{type(error).__name__}: {error}"


class _CellProgress(io.TextIOBase):
    """Where papermill's progress bar (tqdm) writes: each "n/total" it prints becomes a call
    of ``progress(n, total, step)``, which may raise to cancel the run between two cells."""

    def __init__(self, progress) -> None:
        self.progress = progress

    def write(self, text: str) -> int:
        found = re.findall(r"(\d+)/(\d+)", text)
        if found:
            done, total = found[-1]
            self.progress(int(done), int(total) + 1, _("running the notebook"))
        return len(text)


def run_report(report: ReportNotebook, parameters: dict, year: int,
               root: Path | None = None, permission: Permission = Permission.REPORTS,
               progress=None) -> RunResult:
    """Run ``report`` and write its documents; a failure is returned, never raised (but a
    person without ``permission`` is refused: reports are the analysts'; the console's
    session report is the facilitators', who run the session)."""
    require(permission)
    import papermill

    from workbench.documents.document import read_document
    from workbench.documents.render_html import render_html
    from workbench.documents.render_word import write_word
    from workbench.documents.render_workbook import write_workbook
    from workbench.reports.kernel import ReportKernelManager
    from workbench.reports.manifest import write_manifest

    folder = output_folder(report, parameters, year, root)
    folder.mkdir(parents=True, exist_ok=True)
    executed = folder / f"{report.name}.ipynb"
    started = datetime.now().astimezone()
    document, error, outputs = None, None, [executed.name]
    try:
        papermill.execute_notebook(
            str(report.path), str(executed), parameters=parameters, kernel_name="python3",
            progress_bar=False if progress is None else {
                "file": _CellProgress(progress), "mininterval": 0, "ascii": True},
            log_output=False, cwd=str(project_home()),
            request_save_on_cell_execute=False,
            kernel_manager_class=ReportKernelManager,  # no TCP port to race for
            # The kernel's own start-up warnings are not for staff (errors still show).
            extra_arguments=["--IPKernelApp.log_level=ERROR"],
            # The notebook is complete and saved: no need to wait for a graceful exit.
            shutdown_kernel="immediate")
        if progress is not None:
            progress(1, 1, _("writing the documents"))
        document = read_document(executed)
        (folder / f"{report.name}.html").write_text(render_html(document, started),
                                                    encoding="utf-8")
        write_word(document, folder / f"{report.name}.docx", started)
        write_workbook(document, folder / f"{report.name}.xlsx")
        outputs += [f"{report.name}.{ext}" for ext in ("html", "docx", "xlsx")]
    except Cancelled:
        raise
    except Exception as failure:  # any failure is reported, the other reports go on
        error = _failure(failure, executed)
    ended = datetime.now().astimezone()
    write_manifest(folder / "manifest.json", report=report.name, notebook=report.path,
                   parameters=parameters, document=document, started=started, ended=ended,
                   outputs=outputs, error=error)
    return RunResult(report.name if not parameters.get("form") else
                     f"{report.name} ({parameters['form']})", folder, error is None, error,
                     round((ended - started).total_seconds(), 1))


def plan_year(year: int, folder: Path | None = None,
              engine=None) -> list[tuple[ReportNotebook, dict]]:
    """The runs of ``--all --year``: each yearly report, per-form ones for each questionnaire
    answered that year."""
    from sqlalchemy import select

    from workbench.storage import read_connection
    from workbench.storage.schema import form, form_version, response

    with read_connection(engine) as conn:
        slugs = list(conn.scalars(
            select(form.c.slug).distinct()
            .join(form_version, form_version.c.form_id == form.c.id)
            .join(response, response.c.form_version_id == form_version.c.id)
            .where(response.c.submitted_at >= datetime(year, 1, 1),
                   response.c.submitted_at < datetime(year + 1, 1, 1))
            .order_by(form.c.slug)))
    plan: list[tuple[ReportNotebook, dict]] = []
    for report in report_notebooks(folder):
        if not report.yearly:
            continue
        base = {"year": year} if "year" in report.parameters else {}
        if report.per_form:
            plan += [(report, {**base, "form": slug}) for slug in slugs]
        else:
            plan.append((report, base))
    return plan


def _run_one(job: tuple[ReportNotebook, dict, int, Path | None]) -> RunResult:
    report, parameters, year, root = job
    return run_report(report, parameters, year, root)


def run_all(plan: list[tuple[ReportNotebook, dict]], year: int, root: Path | None = None,
            workers: int | None = None,
            progress: Callable[[RunResult], None] | None = None) -> list[RunResult]:
    """Run the plan in a process pool sized to the cores; results in the plan's order."""
    if not plan:
        return []
    workers = workers or max(1, min(len(plan), os.cpu_count() or 1))
    jobs = [(report, parameters, year, root) for report, parameters in plan]
    results: dict[int, RunResult] = {}
    context = multiprocessing.get_context("spawn")  # no database connection crosses a fork
    with ProcessPoolExecutor(max_workers=workers, mp_context=context) as pool:
        futures = {pool.submit(_run_one, job): i for i, job in enumerate(jobs)}
        for future in as_completed(futures):
            index = futures[future]
            try:
                result = future.result()
            except Exception as failure:  # the worker itself died
                report, parameters = plan[index]
                result = RunResult(report.name, output_folder(report, parameters, year, root),
                                   False, _failure(failure))
            results[index] = result
            if progress:
                progress(result)
    return [results[i] for i in range(len(plan))]
