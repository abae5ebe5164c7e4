"""The dashboard's routes, from the modules that hold them by what a person does there:
`session` (sign in/out), `trackings`, `settings` and `public`; `pages` is what they share."""

from __future__ import annotations

from litestar.handlers import HTTPRouteHandler

from parceltrace.web.pages import Action, form_action
from parceltrace.web.public import favicon, status_css
from parceltrace.web.session import home, login, login_form, logout, root
from parceltrace.web.settings import (
    carriers_page,
    do_clock,
    do_redeliver,
    do_rotate,
    do_test,
    do_webhook,
    settings,
)
from parceltrace.web.trackings import (
    TRACKING_ACTIONS,
    do_import,
    do_register,
    register_form,
    tracking_action,
    tracking_detail,
    tracking_list,
)

FORM_ACTIONS: list[tuple[str, Action]] = [
    ("/dashboard/logout", logout),
    ("/dashboard/register", do_register),
    ("/dashboard/import", do_import),
    ("/dashboard/settings/webhook", do_webhook),
    ("/dashboard/settings/webhook/test", do_test),
    ("/dashboard/settings/webhook/rotate", do_rotate),
    ("/dashboard/settings/redeliver", do_redeliver),
    ("/dashboard/clock", do_clock),
]


DASHBOARD_HANDLERS: list[HTTPRouteHandler] = [
    root,
    favicon,
    home,
    login_form,
    login,
    tracking_list,
    tracking_detail,
    register_form,
    settings,
    carriers_page,
    status_css,
    *(form_action(path, action) for path, action in FORM_ACTIONS),
    *(tracking_action(suffix, run) for suffix, run in TRACKING_ACTIONS),
]


"""The dashboard's routes; they find what they need in `app.state.dashboard` (a Dashboard)."""
