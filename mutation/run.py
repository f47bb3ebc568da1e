"""Mutation testing of the core modules with mutmut (`make mutation`; docs/testing.md).

For each [[module]] of mutation/modules.toml (or only those named on the command line) this
runs mutmut on that one file with that module's own test files, single process, in a scratch
folder of its own (.mutation/<module>/). A run that was stopped resumes: the results kept in
that folder stand, mutmut makes anew the mutants of every function whose code changed (and
forgets their results), and only the mutants without a result are run. `--fresh` starts a
block from nothing (needed after a test was removed or weakened: a mutant it caught would
still count as caught). Then it prints every mutant that was not caught, with its diff, and
a table: per module the mutants, those caught, the real survivors, the equivalent ones (listed
in modules.toml with why) and the score, caught / (mutants - equivalent).

Exit status 1 when a module scores below the target (95 %), or when an entry of the
equivalent list no longer matches a surviving mutant (it must be looked at again).

    python mutation/run.py                                   # every module
    python mutation/run.py reports/tabel51.py                # one module (its path or name)
    python mutation/run.py --report-only                     # the last run's results again
    python mutation/run.py --fresh reports/tabel51.py        # forget the earlier results
"""

import argparse
import fnmatch
import json
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CONFIG = ROOT / "mutation" / "modules.toml"
SCRATCH = ROOT / ".mutation"
TARGET = 0.95
# What the tests need besides the packages: Django finds the templates and static files beside
# the settings module's parent folder, and pytest-django puts the folder of the nearest
# manage.py first on sys.path: it must be the mutants' copy, not this checkout.
PACKAGES = ("woonoverlast", "reports", "tests")
ALSO_COPY = ("templates", "static", "manage.py")
# Caught: a test failed (or pytest broke, or the mutant looped until the time limit).
# One quick database test: running it with --create-db makes the test database.
FRESH_DB_TEST = "tests/test_roles_rules.py::test_the_inactive_ones_only_when_asked_for"
CAUGHT = {"killed", "timeout", "caught by type check"}


@dataclass
class Result:
    path: str
    statuses: dict[str, str] = field(default_factory=dict)
    equivalent: dict[str, str] = field(default_factory=dict)
    diffs: dict[str, str] = field(default_factory=dict)
    # Only some of the module's mutants were run (--only): the others are not counted.
    partial: bool = False
    unchecked: int = 0

    @property
    def caught(self) -> list[str]:
        return [name for name, status in self.statuses.items() if status in CAUGHT]

    @property
    def equivalent_found(self) -> list[str]:
        return [
            name
            for name, status in self.statuses.items()
            if status not in CAUGHT and name in self.equivalent
        ]

    @property
    def survivors(self) -> list[str]:
        return [
            name
            for name, status in self.statuses.items()
            if status not in CAUGHT and name not in self.equivalent
        ]

    @property
    def stale_equivalents(self) -> list[str]:
        """Listed as equivalent, but not found or caught: the code or the tests changed."""
        return [
            name
            for name in self.equivalent
            if (name not in self.statuses and not self.partial) or self.statuses.get(name) in CAUGHT
        ]

    @property
    def score(self) -> float:
        counted = len(self.statuses) - len(self.equivalent_found)
        return len(self.caught) / counted if counted else 1.0


def load_modules(config: Path = CONFIG) -> list[dict]:
    with config.open("rb") as f:
        return tomllib.load(f)["module"]


def toml_list(values) -> str:
    return "[" + ", ".join(f'"{value}"' for value in values) + "]"


def prepare(module: dict, config_file: Path, *, fresh: bool = False) -> Path:
    """A scratch folder with links to the code and tests and a pyproject.toml whose
    [tool.mutmut] mutates only this module and selects only its test files. An earlier
    run's folder is kept (its mutants/ holds the results a stopped run resumes from) unless
    `fresh` or the block's settings changed (another test selection, say)."""
    workdir = workdir_of(module, config_file)
    missing = [test for test in module["tests"] if not (ROOT / test).is_file()]
    if missing:
        sys.exit(f"{module['path']}: test files not found: {', '.join(missing)}")
    config = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    config += f"""

[tool.mutmut]
source_paths = {toml_list(PACKAGES[:2])}
only_mutate = {toml_list([module["path"]])}
# conftest.py: mutation/db_conftest.py (on PostgreSQL each mutant uses the run's test
# database as it is).
also_copy = {toml_list([*ALSO_COPY, "conftest.py"])}
# One process: the machine's cores are shared.
# --reuse-db: on PostgreSQL the test database made at the start is kept for every mutant.
pytest_add_cli_args = ["-n0", "-p", "no:cacheprovider", "--reuse-db"]
pytest_add_cli_args_test_selection = {toml_list(module["tests"])}
# A mutant that loops (a `while` that never ends) is stopped after three times its tests' time
# (mutmut's default, fifteen times, would keep a core busy for minutes).
timeout_multiplier = 3.0
timeout_constant = 15.0
use_git_change_detection = false
on_dependency_change = "ignore"
"""
    # Another test selection, pytest option or time limit makes mutmut forget every result
    # anyway: start such a block from nothing.
    earlier = workdir / "pyproject.toml"
    if workdir.exists() and (
        fresh
        or not earlier.is_file()
        or verdict_settings(earlier.read_text()) != verdict_settings(config)
    ):
        shutil.rmtree(workdir)
    workdir.mkdir(parents=True, exist_ok=True)
    links = {name: ROOT / name for name in (*PACKAGES, *ALSO_COPY)}
    links["conftest.py"] = ROOT / "mutation" / "db_conftest.py"
    for name, target in links.items():
        link = workdir / name
        if not link.is_symlink():
            link.symlink_to(target, target_is_directory=target.is_dir())
    earlier.write_text(config, encoding="utf-8")
    return workdir


def verdict_settings(pyproject: str) -> dict:
    """The settings of [tool.mutmut] that can change a mutant's result (mutmut's own
    fingerprint: the pytest options, the test selection, the time limits)."""
    settings = tomllib.loads(pyproject).get("tool", {}).get("mutmut", {})
    keys = (
        "pytest_add_cli_args",
        "pytest_add_cli_args_test_selection",
        "timeout_multiplier",
        "timeout_constant",
    )
    return {key: settings.get(key) for key in keys}


def mutmut(workdir: Path, *args: str, log: Path | None = None) -> str:
    command = [str(Path(sys.executable).with_name("mutmut")), *args]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    if log is None:
        return subprocess.run(
            command, cwd=workdir, env=env, capture_output=True, text=True, check=True
        ).stdout
    with log.open("a", encoding="utf-8") as out:
        completed = subprocess.run(command, cwd=workdir, env=env, stdout=out, stderr=out)
    if completed.returncode != 0:
        sys.exit(f"mutmut failed ({completed.returncode}); see {log}")
    return ""


def name_of(module: dict) -> str:
    """The block's `name`, or its path: two blocks may mutate parts of one file."""
    return module.get("name", module["path"])


def workdir_of(module: dict, config: Path = CONFIG) -> Path:
    """.mutation/<module>/, or .mutation/<config>/<module>/ for another config file."""
    scratch = SCRATCH if config == CONFIG else SCRATCH / config.stem
    return scratch / name_of(module).replace(".py", "").replace("/", ".")


# mutmut's own first step of `mutmut run`, alone: copy the code and the tests into mutants/
# and make the mutants anew of every function whose code changed since the last run (their
# results are forgotten; the others' are kept in mutants/<file>.meta).
GENERATE = """
import os
from mutmut.__main__ import copy_also_copy_files, copy_src_dir, create_mutants
os.makedirs("mutants", exist_ok=True)
copy_src_dir()
copy_also_copy_files()
create_mutants(1)
"""


def pending_mutants(module: dict, workdir: Path) -> list[str] | None:
    """The block's mutants that have no result yet, after an earlier (stopped) run; None when
    the block has no earlier run. mutmut runs again every mutant it is given by name, so a
    resumed run is given only these."""
    meta = workdir / "mutants" / (module["path"] + ".meta")
    if not meta.is_file():
        return None
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(
        [sys.executable, "-c", GENERATE],
        cwd=workdir,
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )
    scope = module.get("mutants", ["*"])
    exit_codes = json.loads(meta.read_text(encoding="utf-8"))["exit_code_by_key"]
    return [
        name
        for name, exit_code in exit_codes.items()
        if exit_code is None and any(fnmatch.fnmatchcase(name, p) for p in scope)
    ]


def run_module(
    module: dict, config: Path, *, rerun: bool = True, only=(), fresh: bool = False
) -> Result:
    # A block's own `mutants` (patterns of mutmut's names) scope it to some functions of
    # its file: the score is of those, not a part run.
    scope = tuple(module.get("mutants", ()))
    if rerun:
        print(f"== {name_of(module)}: mutmut with {', '.join(module['tests'])}", flush=True)
        workdir = prepare(module, config, fresh=fresh)
        pending = None if only else pending_mutants(module, workdir)
        if pending is None:
            patterns = only or scope
        else:
            print(f"   resumed: {len(pending)} mutants without a result yet", flush=True)
            patterns = pending
        if pending != []:
            mutmut(workdir, "run", "--max-children", "1", *patterns, log=workdir / "run.log")
    else:
        workdir = workdir_of(module, config)
        if not (workdir / "mutants").is_dir():
            sys.exit(f"{module['path']}: no earlier run in {workdir}")
    result = Result(
        path=name_of(module),
        equivalent={entry["mutant"]: entry["why"] for entry in module.get("equivalent", [])},
        partial=bool(only),
    )
    for line in mutmut(workdir, "results", "--all", "true").splitlines():
        match = re.fullmatch(r"\s*(\S+): (.+)", line)
        if match and scope and not any(fnmatch.fnmatchcase(match[1], p) for p in scope):
            continue
        if match and match[2].strip() == "not checked":
            # Not selected (--only), or the run was stopped before it: not counted.
            result.unchecked += 1
            result.partial = True
        elif match:
            result.statuses[match[1]] = match[2].strip()
    for name in result.survivors:
        result.diffs[name] = mutmut(workdir, "show", name)
    return result


def report(results: list[Result]) -> bool:
    ok = True
    for result in results:
        for name in result.survivors:
            print(f"\n-- {result.path}: {name} ({result.statuses[name]})")
            print(result.diffs[name].rstrip())
        for name in result.stale_equivalents:
            ok = False
            status = result.statuses.get(name, "not found")
            print(f"\n!! {result.path}: {name} is listed as equivalent but is {status}")
    print()
    print("| module | mutants | caught | not caught, real | not caught, equivalent | score |")
    print("|---|---|---|---|---|---|")
    for result in results:
        part = f" (part: {result.unchecked} not checked)" if result.partial else ""
        print(
            f"| `{result.path}`{part} | {len(result.statuses)} | {len(result.caught)} "
            f"| {len(result.survivors)} | {len(result.equivalent_found)} "
            f"| {result.score:.1%} |"
        )
        ok = ok and result.score >= TARGET
    return ok


def fresh_test_database() -> None:
    """On PostgreSQL each mutant reuses one test database (--reuse-db) instead of migrating
    its own: make it anew once, from the current migrations, before the modules run. (SQLite's
    test database lives in memory and is migrated again for every mutant that needs it.)"""
    if not os.environ.get("DATABASE_URL", "").startswith(("postgres", "postgis")):
        return
    print("== a fresh test database for the run", flush=True)
    command = [sys.executable, "-m", "pytest", "-n0", "-q", "-p", "no:cacheprovider"]
    subprocess.run(
        # --create-db makes it anew, --reuse-db keeps it when the session ends.
        [*command, "--create-db", "--reuse-db", FRESH_DB_TEST],
        cwd=ROOT,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("paths", nargs="*", help="module paths of modules.toml (default: all)")
    parser.add_argument(
        "--report-only",
        action="store_true",
        help="do not run mutmut: report the last run's results (after editing modules.toml)",
    )
    parser.add_argument(
        "--only",
        action="append",
        default=[],
        metavar="PATTERN",
        help="only the mutants matching this pattern (mutmut's names, * as wildcard), e.g. "
        "'woonoverlast.measures.rules.xǁMeasureStateǁdeadlines*'; the others are not counted",
    )
    parser.add_argument(
        "--fresh",
        action="store_true",
        help="forget the earlier results of the modules run (after a test was removed or "
        "weakened); otherwise a run resumes where the last one stopped",
    )
    parser.add_argument(
        "--config", type=Path, default=CONFIG, help=f"instead of {CONFIG.relative_to(ROOT)}"
    )
    args = parser.parse_args()
    modules = load_modules(args.config)
    if args.paths:
        unknown = set(args.paths) - {name_of(module) for module in modules}
        if unknown:
            sys.exit(f"Not in {CONFIG.name}: {', '.join(sorted(unknown))}")
        modules = [module for module in modules if name_of(module) in args.paths]
    if not args.report_only:
        fresh_test_database()
    results = [
        run_module(
            module,
            args.config.resolve(),
            rerun=not args.report_only,
            only=args.only,
            fresh=args.fresh,
        )
        for module in modules
    ]
    sys.exit(0 if report(results) else 1)


if __name__ == "__main__":
    main()
