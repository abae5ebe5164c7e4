"""17TRACK's own example answers, cut verbatim from the contract (003, the canonical v2.2
documentation) into files beside this module: the SDK's tests read what 17TRACK documents,
not what parceltrace writes. `python -m tests.client.contract.examples` cuts them again and
rewrites SOURCES.md; `test_examples_are_the_documents_own` checks the files still match."""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
CONTRACT = HERE.parents[2].parent / "shared" / "reference" / "17track-api" / "003_27de3945822dd589.txt"
"""../shared/reference/17track-api/ beside the repository (the contract)."""


@dataclass(frozen=True)
class Example:
    name: str
    operation: str
    """The endpoint it answers (`webhook` for a push body)."""
    first: int
    last: int
    """003's lines, 1-based and inclusive."""
    where: str
    note: str = ""

    @property
    def path(self) -> Path:
        return HERE / f"{self.name}.json"

    @property
    def body(self) -> bytes:
        return self.path.read_bytes()


EXAMPLES = (
    Example("quickstart-register", "register", 29, 49, "Quick Start, step 2: an answer with only origin, number, carrier"),
    Example("error-envelope", "register", 301, 311, "'Example Response 1': illegal parameters (-18010013)"),
    Example("empty-batch", "stoptrack", 323, 329, "'Example Response 2': empty accepted and rejected"),
    Example("register", "register", 465, 489, "Register, Example Response",
            "not JSON as printed: a trailing comma after `\"lang\": null` (register-fixed.json is "
            "the same text without that one comma)"),
    Example("changecarrier", "changecarrier", 559, 578, "Change Carrier, Example Response"),
    Example("changeinfo", "changeinfo", 643, 662, "Change Info, Example Response"),
    Example("stoptrack", "stoptrack", 716, 735, "Stop Tracking, Example Response"),
    Example("retrack", "retrack", 790, 809, "Retrack, Example Response"),
    Example("deletetrack", "deletetrack", 863, 882, "Delete, Example Response"),
    Example("getquota", "getquota", 916, 927, "Get Quota, Example Response"),
    Example("gettracklist", "gettracklist", 1018, 1065, "Search Tracking Info by Condition",
            "printed under the heading 'Example Request'; four keys carry a trailing space "
            "(\"days_after_order \")"),
    Example("gettrackinfo", "gettrackinfo", 1193, 1482, "Get Tracking Info, Example Response"),
    Example("push", "push", 1687, 1697, "Push, Example Response"),
    Example("getrealtimetrackinfo", "getRealTimeTrackInfo", 1766, 1857, "Real-time, Successful Response Example"),
    Example("webhook-stopped", "webhook", 2063, 2071, "Webhook, Example Push (TRACKING_STOPPED)"),
    Example("webhook-updated", "webhook", 2092, 2324, "Webhook, Example Message Body (TRACKING_UPDATED)"),
)  # fmt: skip
BY_NAME = {example.name: example for example in EXAMPLES}
FIXED = HERE / "register-fixed.json"


def cut(example: Example, document: list[str]) -> bytes:
    return ("\n".join(document[example.first - 1 : example.last]) + "\n").encode()


def fixed_register(text: bytes) -> bytes:
    return text.replace(b'"lang": null,\n', b'"lang": null\n', 1)


def sources() -> str:
    rows = "\n".join(
        f"| `{e.name}.json` | {e.operation} | {e.first}–{e.last} | {e.where} | {e.note} |" for e in EXAMPLES
    )
    return (
        "# Where these answers come from\n\n"
        "Each file is cut verbatim (lines as printed, indentation kept) from the contract's "
        "`003_27de3945822dd589.txt` (17TRACK's v2.2 documentation). Nothing here was written by "
        "parceltrace. `register-fixed.json` is `register.json` without its one trailing comma.\n\n"
        "| file | answers | 003 lines | where in 003 | note |\n|---|---|---|---|---|\n" + rows + "\n"
    )


def write_all(document_path: Path = CONTRACT) -> None:
    document = document_path.read_text(encoding="utf-8").split("\n")
    for example in EXAMPLES:
        example.path.write_bytes(cut(example, document))
    FIXED.write_bytes(fixed_register(BY_NAME["register"].body))
    (HERE / "SOURCES.md").write_text(sources(), encoding="utf-8")


if __name__ == "__main__":
    write_all(Path(sys.argv[1]) if len(sys.argv) > 1 else CONTRACT)
