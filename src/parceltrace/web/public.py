"""What is served without a session: a shared tracking's public page, static files, the
favicon and the status colours."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from litestar import Response, get
from litestar.datastructures import CacheControlHeader

from parceltrace.service import sharing
from parceltrace.service.queries import track_info_item
from parceltrace.web import views
from parceltrace.web.journey_map import journey_map
from parceltrace.web.pages import HTML, AnyRequest, dashboard_of, page
from parceltrace.web.render import status_css as generated_css


@get("/favicon.ico", media_type="image/svg+xml", cache_control=CacheControlHeader(max_age=86400))
async def favicon() -> bytes:
    """Browsers ask for it on pages that name no icon (the API's JSON, say)."""
    return FAVICON.read_bytes()


@get("/dashboard/status.css", media_type="text/css")
async def status_css() -> Response[str]:
    return Response(generated_css(), media_type="text/css", headers={"Cache-Control": "max-age=3600"})


STATIC = Path(__file__).parent / "static"


FAVICON = STATIC / "favicon.svg"


STATIC_TYPES = {
    ".css": "text/css",
    ".js": "text/javascript",
    ".svg": "image/svg+xml",
}


@cache
def static_assets() -> dict[str, tuple[bytes, str]]:
    """The files /static serves, read once: a request names one of them or gets 404, and no
    path a client writes (60 KB long, a NUL byte in it) ever reaches the file system."""
    return {
        f.name: (f.read_bytes(), STATIC_TYPES[f.suffix]) for f in STATIC.iterdir() if f.suffix in STATIC_TYPES
    }


@get("/static/{name:str}", cache_control=CacheControlHeader(max_age=3600))
async def static_file(request: AnyRequest) -> Response[bytes]:
    """/static: the dashboard's CSS, scripts and images, cached for an hour."""
    asset = static_assets().get(str(request.path_params["name"]))
    if asset is None:
        return Response(b"Not found.", status_code=404, media_type="text/plain; charset=utf-8")
    return Response(asset[0], media_type=asset[1])


@get("/p/{token:str}", media_type=HTML)
async def public_page(request: AnyRequest) -> Response[str]:
    """`/p/<token>`: a shared tracking's journey, no account data."""
    services = dashboard_of(request).services
    row = await sharing.shared_tracking(services, str(request.path_params["token"]))
    if row is None:
        return page("public_missing.html", status_code=404)
    info = track_info_item(row, services.now_for(row.account_id)).track_info
    status = info.latest_status
    return page(
        "public.html",
        number=row.number,
        carrier=views.carrier_name(row.carrier),
        homepage=views.carrier_homepage(row.carrier),
        status=status.status,
        sub_status=views.sub_status_label(status.sub_status),
        milestones=views.milestone_bar(info),
        providers=views.timeline(info),
        window=views.delivery_window(info),
        journey=journey_map(info),
        latest=info.latest_event,
    )
