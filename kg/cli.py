"""The ``osce-kg`` command: a thin layer over the library.

Exit codes: 0 success; 1 data problems (inputs rejected, shapes violated); 2 tool failure
(store locked or missing, bad options). Every command that touches a store takes ``--store``
(default ``$OSCE_KG_STORE``, else ``var/store``) and ``--base`` (default ``$OSCE_KG_BASE``).
"""
from __future__ import annotations

import json
import sys

import click

from kg import formats
from kg.errors import KgError

STORE_HELP = "Store directory (env OSCE_KG_STORE; default var/store)."
BASE_HELP = "Base IRI of every IRI in the data (env OSCE_KG_BASE; default http://127.0.0.1:8080/)."


class DataProblem(click.ClickException):
    """Some inputs were rejected or the data violates the shapes: exit code 1."""

    exit_code = 1


class ToolFailure(click.ClickException):
    """The tool could not do its job (store locked, missing, unreadable): exit code 2."""

    exit_code = 2


def store_option(f):
    return click.option("--store", "store_path", envvar="OSCE_KG_STORE", default="var/store", show_default=True,
                        help=STORE_HELP)(f)


def base_option(f):
    return click.option("--base", envvar="OSCE_KG_BASE", default="http://127.0.0.1:8080/", show_default=True,
                        help=BASE_HELP)(f)


def _open(location: str, base: str, *, read_only: bool = False):
    from kg.stores import open_store
    try:
        return open_store(location, base_iri=base, read_only=read_only)
    except KgError as e:
        raise ToolFailure(str(e)) from e


def _side_index(store, store_path: str, base: str):
    """The store's side index (search, listings), brought up to date and opened for writing."""
    from kg import search_index
    path = search_index.path_for(store_path)
    search_index.ensure(path, store, base)
    return search_index.SideIndex(path)


def _publish(store, store_path: str, base: str) -> None:
    """Regenerate the downloadable dumps next to the store after a change."""
    from kg.dumps import write_dumps
    from kg.stores import beside
    write_dumps(store, beside(store_path.rstrip("/"), ".dumps"), base)


@click.group()
@click.version_option("1.0.0", prog_name="osce-kg")
def main():
    """osce-kg: OSCE press releases as a knowledge graph, served as linked data and SPARQL."""


@main.command()
@click.argument("paths", nargs=-1, required=True)
@store_option
@base_option
@click.option("--jobs", "-j", type=int, default=None, help="Worker processes for extraction (default: cores, max 4).")
@click.option("--report", "report_path", type=click.Path(dir_okay=False, writable=True),
              help="Write a JSON report of rejected and duplicate inputs to this file.")
@click.option("--progress/--no-progress", default=None, help="Progress bar (default: when stderr is a terminal).")
def ingest(paths, store_path, base, jobs, report_path, progress):
    """Read releases (files, directories, or - for standard input), extract their facts and
    store each in its own named graph. Unchanged releases are skipped; changed ones replaced.
    Rejected inputs are reported on stderr (one line each) and make the exit code 1."""
    from kg.ingest import default_jobs, ingest as run
    store = _open(store_path, base)
    show = sys.stderr.isatty() if progress is None else progress
    bar = None
    if show:
        bar = click.progressbar(length=1, label="ingesting", file=sys.stderr)
        bar.__enter__()

    def tick(done, total):
        bar.length = total
        bar.update(done - bar.pos)

    index = _side_index(store, store_path, base)
    try:
        report = run(paths, store, base, jobs=jobs or default_jobs(), progress=tick if bar else None, index=index)
        _publish(store, store_path, base)
    except KgError as e:
        raise ToolFailure(str(e)) from e
    finally:
        index.close()
        if bar:
            bar.__exit__(None, None, None)
    for o in report.outcomes:
        if o.status in ("rejected", "duplicate"):
            click.echo(f"{o.source}: {o.status}: {o.message}", err=True)
    if report_path:
        with open(report_path, "w", encoding="utf-8") as f:
            f.write(report.to_json())
    click.echo(report.summary(), err=True)
    if report.rejected:
        raise DataProblem(f"{len(report.rejected)} input(s) rejected")


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--format", "fmt", type=click.Choice(["json"]), default="json", show_default=True,
              help="Output format: one JSON object per release, in the gold schema.")
def extract(paths, fmt):
    """Print the facts of each release (gold schema, one JSON object per line) without storing
    anything. A rejected file yields no record and one line on stderr; exit code 1 then."""
    from kg.extract import extract as run
    from kg.gold import to_gold
    from kg.ingest import iter_inputs
    from kg.sources import read_path, read_stream
    bad = 0
    for path in iter_inputs(paths):
        for item in (read_stream(sys.stdin.buffer) if path == "-" else read_path(path)):
            if isinstance(item, KgError):
                bad += 1
                click.echo(f"{item.source}: rejected: {item.message}", err=True)
                continue
            click.echo(json.dumps(to_gold(run(item)), ensure_ascii=False))
    if bad:
        raise DataProblem(f"{bad} input(s) rejected")


@main.command("eval")
@click.argument("gold", type=click.Path(exists=True, dir_okay=False))
@click.argument("pages", type=click.Path(exists=True, file_okay=False))
def evaluate(gold, pages):
    """Score the extractor against a gold file (precision, recall, F1 per field)."""
    from kg.evaluate import score
    click.echo(score(gold, pages).format())


@main.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--graph", "graph", help="Named graph for the triples (required unless the file holds quads).")
@click.option("--format", "fmt", help="RDF format name (default: from the file extension).")
@store_option
@base_option
def load(file, graph, fmt, store_path, base):
    """Load raw RDF into a named graph (creates the store when it does not exist)."""
    store = _open(store_path, base)
    try:
        f = formats.by_name(fmt) if fmt else formats.for_path(file)
        store.load(path=file, fmt=f, graph=graph, base_iri=graph or base)
    except KgError as e:
        raise DataProblem(str(e)) from e
    click.echo(f"loaded {file} into {graph or 'its named graphs'}", err=True)


@main.command()
@click.argument("keys", nargs=-1, required=True)
@store_option
@base_option
def remove(keys, store_path, base):
    """Delete releases by slug, release IRI or graph IRI."""
    from kg.ingest import remove as run
    store = _open(store_path, base)
    index = _side_index(store, store_path, base)
    try:
        missing = [k for k in keys if not run(store, base, k, index=index)]
    finally:
        index.close()
    _publish(store, store_path, base)
    for k in missing:
        click.echo(f"{k}: no such release", err=True)
    if missing:
        raise DataProblem(f"{len(missing)} release(s) not found")


@main.command()
@store_option
@base_option
def validate(store_path, base):
    """Check the store: SHACL shapes on the reference data and every release graph, and an
    OWL 2 RL closure for inconsistencies. Exit 1 when the data does not conform."""
    from kg.validate import check_store
    store = _open(store_path, base, read_only=True)
    report = check_store(store, base)
    click.echo(f"checked {report.graphs} graphs, {report.triples} triples: "
               f"{'conforms' if report.conforms else 'DOES NOT CONFORM'}")
    for e in report.owl_errors:
        click.echo(f"OWL: {e}", err=True)
    if not report.conforms:
        click.echo(report.text, err=True)
        raise DataProblem("validation failed")


@main.command()
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), help="File to write (default stdout).")
@click.option("--format", "fmt", type=click.Choice(["nquads", "trig", "turtle"]), default="nquads", show_default=True)
@store_option
@base_option
def export(output, fmt, store_path, base):
    """Write every named graph (N-Quads or TriG keep graph names; Turtle merges them)."""
    from kg.export import export as run
    store = _open(store_path, base, read_only=True)
    target = open(output, "wb") if output else sys.stdout.buffer
    try:
        run(store, target, formats.by_name(fmt))
    finally:
        if output:
            target.close()


@main.command()
@store_option
@click.option("--base", envvar="OSCE_KG_BASE", default=None,
              help="Base IRI (env OSCE_KG_BASE; default http://HOST:PORT/).")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", type=int, envvar="PORT", default=8080, show_default=True, help="Port (env PORT).")
@click.option("--workers", type=int, default=2, show_default=True, help="gunicorn worker processes.")
@click.option("--query-workers", type=int, envvar="OSCE_KG_QUERY_WORKERS", default=2, show_default=True,
              help="Killable query processes per web worker (env OSCE_KG_QUERY_WORKERS).")
@click.option("--rate-limit", type=float, envvar="OSCE_KG_RATE_LIMIT", default=100.0, show_default=True,
              help="Requests per second per client and web worker (env OSCE_KG_RATE_LIMIT); 0 disables the limit.")
@click.option("--timeout", "query_timeout", type=float, envvar="OSCE_KG_QUERY_TIMEOUT", default=30.0,
              show_default=True, help="Per-query time limit in seconds (env OSCE_KG_QUERY_TIMEOUT); a request's "
              "timeout= parameter can only lower it.")
@click.option("--max-rows", type=int, envvar="OSCE_KG_MAX_ROWS", default=10000, show_default=True,
              help="Result rows before an answer is cut and flagged as truncated (env OSCE_KG_MAX_ROWS).")
@click.option("--service-allow", multiple=True, metavar="URL",
              help="An endpoint SERVICE clauses may call (repeatable); none by default, so SERVICE is refused.")
def serve(store_path, base, host, port, workers, query_workers, rate_limit, query_timeout, max_rows, service_allow):
    """Serve a store over HTTP with gunicorn: SPARQL endpoint, linked-data documents and pages.

    The store is a directory (embedded Oxigraph, opened read-only by every worker) or the
    http(s) URL of a SPARQL 1.1 endpoint (remote mode; credentials in KG_REMOTE_USER and
    KG_REMOTE_PASSWORD). SPARQL Update and Graph Store writes are enabled only when
    KG_ADMIN_TOKEN is set. Stops cleanly on SIGTERM or SIGINT."""
    import os

    from server.wsgi import run_server
    remote = store_path.startswith(("http://", "https://"))
    if not remote and not os.path.isdir(store_path):
        raise ToolFailure(f"no store at {store_path}; build one with 'osce-kg ingest' or 'osce-kg load'")
    settings = {"STORE_PATH": store_path if remote else os.path.abspath(store_path),
                "BASE_IRI": base or f"http://{host}:{port}/", "RATE_LIMIT": rate_limit,
                "QUERY_TIMEOUT_S": query_timeout, "QUERY_WORKERS": query_workers, "MAX_ROWS": max_rows,
                "SERVICE_ALLOWLIST": list(service_allow)}
    for key in ("ADMIN_TOKEN", "REMOTE_USER", "REMOTE_PASSWORD"):
        if os.environ.get("KG_" + key):
            settings[key] = os.environ["KG_" + key]
    run_server(settings, host=host, port=port, workers=workers)


if __name__ == "__main__":
    main()
