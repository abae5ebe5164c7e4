"""Copies the real answers listed in `corpus.py` out of a clone of karrio's repository into
each carrier's `samples/` and writes the folder's `SOURCES.md` from the same rows, so every
sample can be fetched again and checked:

    python -m tests.sources.connectors.harvest /path/to/karrio.git

(the search tool's `fetch github:karrioapi/karrio` gives such a clone). A sample is the string
constant of karrio's test module, as written there, or the whole file; karrio's `<wrapper>`
around an XML answer is removed and nothing else is changed."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
from pathlib import Path

from tests.sources.connectors.corpus import KARRIO, SAMPLES, Sample, by_carrier


def karrio_file(repository: Path, commit: str, path: str) -> str:
    shown = subprocess.run(
        ["git", "--git-dir", str(repository), "show", f"{commit}:{path}"],
        capture_output=True,
        text=True,
        check=True,
    )
    return shown.stdout


def constant(source: str, name: str) -> str:
    for node in ast.parse(source).body:
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant):
            target = node.targets[0]
            if isinstance(target, ast.Name) and target.id == name and isinstance(node.value.value, str):
                return node.value.value
    raise LookupError(f"no string constant {name}")


def unwrapped(text: str, element: str) -> str:
    inner = re.sub(rf"^\s*<{element}>\s*", "", text)
    return re.sub(rf"\s*</{element}>\s*$", "\n", inner)


def openapi_example(document: str, response: str, example: str) -> str:
    import yaml

    found = yaml.safe_load(document)["components"]["responses"][response]["content"]["application/json"]
    return json.dumps(found["examples"][example]["value"], indent=2, ensure_ascii=False) + "\n"


def sample_text(repository: Path, sample: Sample) -> str:
    text = karrio_file(repository, sample.commit, sample.path)
    if sample.constant is not None:
        text = constant(text, sample.constant)
    if sample.example is not None:
        text = openapi_example(text, *sample.example)
    return unwrapped(text, sample.unwrap) if sample.unwrap else text


def sources_md(carrier: str) -> str:
    lines = [
        f"# Real {carrier} answers",
        "",
        "Each file here is an answer the carrier gave or published, copied from its source by",
        "`tests/sources/connectors/harvest.py` (the rows below are `corpus.py`'s); nothing here is",
        "written by parceltrace. The tests replay them through a stand-in on 127.0.0.1 with the HTTP",
        "status named and check what parceltrace makes of them (`test_corpus.py` for all, this",
        "folder's tests for this carrier). Samples derived from these (cut back in time, a field",
        "changed) are made in the tests, so what was changed is in the code, and each says which",
        "sample it comes from.",
        "",
        "| file | what it is | source | HTTP status replayed | licence |",
        "|---|---|---|---|---|",
    ]
    for s in by_carrier(carrier):
        named = s.constant or (
            f"{s.example[0]} example {s.example[1]}, YAML written as JSON" if s.example else ""
        )
        where = f"{KARRIO} `{s.path}`" + (f" (`{named}`)" if named else "") + f", commit {s.commit[:12]}"
        if s.unwrap:
            where += f"; karrio's `<{s.unwrap}>` removed"
        lines.append(f"| `{s.file}` | {s.what} | {where} | {s.status}: {s.status_source} | {s.licence} |")
    return "\n".join(lines) + "\n"


def main(repository: Path) -> None:
    for sample in SAMPLES:
        sample.local.parent.mkdir(parents=True, exist_ok=True)
        sample.local.write_text(sample_text(repository, sample))
    for carrier in {sample.carrier for sample in SAMPLES}:
        (by_carrier(carrier)[0].local.parent / "SOURCES.md").write_text(sources_md(carrier))


if __name__ == "__main__":
    main(Path(sys.argv[1]))
