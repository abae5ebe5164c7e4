"""/static serves the dashboard's own files and nothing a client's path can point elsewhere:
a 60 KB name with a NUL byte answered 500 and logged the whole path."""

from __future__ import annotations

import io

import httpx
import pytest

from parceltrace.web.public import static_assets


async def test_each_asset_is_served_with_its_type(client: httpx.AsyncClient) -> None:
    assert {"app.css", "app.js", "htmx.min.js", "favicon.svg"} <= static_assets().keys()
    for name, (body, media_type) in static_assets().items():
        answer = await client.get(f"/static/{name}")
        assert answer.status_code == 200 and answer.content == body
        assert answer.headers["content-type"].startswith(media_type)
        assert "max-age=3600" in answer.headers["cache-control"]


@pytest.mark.parametrize(
    "path",
    [
        "/static/" + "a" * 60_000 + "%00",
        "/static/a%00",
        "/static/app.css%00.js",
        "/static/..%2f..%2fpyproject.toml",
        "/static/../pyproject.toml",
        "/static/SOURCE",
        "/static/htmx.LICENSE",
        "/static/" + "b" * 5_000,
        "/static/",
    ],
)
async def test_anything_else_is_404_and_logs_nothing_long(
    client: httpx.AsyncClient, log_lines: io.StringIO, path: str
) -> None:
    answer = await client.get(path)
    assert answer.status_code == 404
    assert all(len(line) < 2_000 for line in log_lines.getvalue().splitlines())
