"""`parceltrace ...`: run the service and manage accounts."""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.markup import escape

from parceltrace.cli.client import register_commands
from parceltrace.cli.common import DbOption, JsonOpt, console, err_console, run_with_services
from parceltrace.cli.config import DEFAULT_DB, DEFAULT_HOST, DEFAULT_PORT, REDIS_ENV
from parceltrace.cli.connectors import connectors_app
from parceltrace.outbox.mail import MailSettings
from parceltrace.outbox.safety import WebhookPolicy
from parceltrace.protocol.webhook_url import canonical_url, webhook_url_problem
from parceltrace.runtime.terminal import DataTable, counted, shown
from parceltrace.service import accounts as account_service
from parceltrace.service import refresh as refresh_service
from parceltrace.service import sandbox_clock
from parceltrace.service import webhooks as webhook_service
from parceltrace.service.accounts import AccountSettings
from parceltrace.service.context import Services
from parceltrace.service.pushes import DELIVERY_RETENTION
from parceltrace.sources.registry import SourceSettings
from parceltrace.store.records import Account, AttemptLogEntry

app = typer.Typer(
    help="parceltrace: self-hosted shipment tracking that speaks the 17TRACK Tracking API (v2.4, v2.2, v1).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
account_app = typer.Typer(
    help="Create and manage API accounts (works while the server runs).", no_args_is_help=True
)
app.add_typer(account_app, name="account")
app.add_typer(connectors_app, name="connectors")
sandbox_app = typer.Typer(help="The sandbox's per-account clocks.", no_args_is_help=True)
app.add_typer(sandbox_app, name="sandbox")


DEFAULT_RETENTION_DAYS = DELIVERY_RETENTION.days
DeliveryRetentionOpt = Annotated[
    int,
    typer.Option(
        "--delivery-retention",
        min=1,
        max=3650,
        help="Days delivered and failed webhook messages (and their log) are kept; pending ones stay.",
    ),
]


@app.command()
def serve(
    host: Annotated[str, typer.Option(help="Address to listen on.")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(help="Port to listen on.", min=1, max=65535)] = DEFAULT_PORT,
    db: DbOption = DEFAULT_DB,
    sandbox: SandboxOpt = True,
    allow_webhook_host: AllowHostOpt = None,
    smtp_url: SmtpUrlOpt = None,
    smtp_from: SmtpFromOpt = "parceltrace@localhost",
    embedded_worker: Annotated[
        bool, typer.Option("--worker/--no-worker", help="Also poll, push and purge here (embedded mode).")
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            "--workers", min=1, max=64, help="API processes sharing the port (with --no-worker only)."
        ),
    ] = 1,
    redis: Annotated[
        str | None,
        typer.Option(
            "--redis",
            envvar=REDIS_ENV,
            help="Redis URL (redis://host:6379/0) for rate limits shared by every API process.",
        ),
    ] = None,
    upstream_url: UpstreamUrlOpt = None,
    upstream_key: UpstreamKeyOpt = None,
    translate_url: TranslateUrlOpt = None,
    translate_key: TranslateKeyOpt = None,
    metrics_token: Annotated[
        str | None,
        typer.Option(
            envvar="PARCELTRACE_METRICS_TOKEN",
            help="Serve /metrics only to requests with 'Authorization: Bearer TOKEN' (default: to anyone).",
        ),
    ] = None,
    request_timeout: Annotated[
        float,
        typer.Option(min=1, help="Seconds a client has to send a whole request; slower ones get 408."),
    ] = 20.0,
    forwarded_allow_ips: Annotated[
        str | None,
        typer.Option(
            envvar="PARCELTRACE_FORWARDED_ALLOW_IPS",
            help="Proxies (comma-separated IPs or CIDRs, * for any) whose X-Forwarded-For is trusted; "
            "default: none, the connection's own address counts.",
        ),
    ] = None,
    access_log: Annotated[
        bool, typer.Option("--access-log", help="Log every request (client, method, path, status) to stderr.")
    ] = False,
    delivery_retention: DeliveryRetentionOpt = DEFAULT_RETENTION_DAYS,
) -> None:
    """Run the API (and, in embedded mode, everything else) in one process, or N API processes."""
    from parceltrace.runtime.server import ServerSettings, run_server

    if workers > 1 and embedded_worker:
        err_console.print(
            "[red]error:[/red] --workers N runs API processes only: add --no-worker and run "
            "`parceltrace worker` beside them."
        )
        raise typer.Exit(2)
    if workers > 1 and not redis:
        err_console.print(
            "[yellow]note:[/yellow] without --redis each API process counts rate limits on its own."
        )
    sources = _source_settings(sandbox, upstream_url, upstream_key, translate_url, translate_key)
    settings = ServerSettings(
        db=db,
        sandbox=sandbox,
        host=host,
        port=port,
        allowed_hosts=tuple(allow_webhook_host or []),
        mail=_mail_settings(smtp_url, smtp_from),
        run_worker=embedded_worker,
        redis_url=redis,
        sources=sources,
        forwarded_allow_ips=forwarded_allow_ips,
        metrics_token=metrics_token,
        request_timeout=request_timeout,
        access_log=access_log,
        delivery_retention_days=delivery_retention,
    )
    run_server(settings, workers)


def _mail_settings(url: str | None, sender: str) -> MailSettings | None:
    if not url:
        return None
    try:
        return MailSettings.from_url(url, sender)
    except ValueError as exc:
        err_console.print(f"[red]error:[/red] {shown(exc)}")
        raise typer.Exit(2) from exc


@app.command()
def worker(
    db: DbOption = DEFAULT_DB,
    sandbox: SandboxOpt = True,
    batch_size: Annotated[
        int,
        typer.Option(
            "--concurrency",
            "--batch-size",
            help="Trackings polled (and pushes sent) at the same time: the size of each claim.",
            min=1,
            max=5000,
        ),
    ] = 200,
    lease: Annotated[
        float,
        typer.Option(
            help="Seconds a claim lasts before others may take it over (pushes: at least 20).", min=1
        ),
    ] = 120,
    allow_webhook_host: AllowHostOpt = None,
    smtp_url: SmtpUrlOpt = None,
    smtp_from: SmtpFromOpt = "parceltrace@localhost",
    upstream_url: UpstreamUrlOpt = None,
    upstream_key: UpstreamKeyOpt = None,
    translate_url: TranslateUrlOpt = None,
    translate_key: TranslateKeyOpt = None,
    metrics_port: Annotated[
        int | None,
        typer.Option(
            help="Serve this worker's /metrics on 127.0.0.1:PORT (or --metrics-host).", min=1, max=65535
        ),
    ] = None,
    metrics_host: Annotated[str, typer.Option(help="Address for --metrics-port.")] = "127.0.0.1",
    delivery_retention: DeliveryRetentionOpt = DEFAULT_RETENTION_DAYS,
) -> None:
    """Run only the background work (polling, pushes, mails, purging), e.g. beside `serve` elsewhere."""
    from parceltrace.runtime.worker_process import run_worker

    sources = _source_settings(sandbox, upstream_url, upstream_key, translate_url, translate_key)
    run_worker(
        db,
        sandbox,
        batch_size,
        lease,
        allow_webhook_host or [],
        _mail_settings(smtp_url, smtp_from),
        sources,
        (metrics_host, metrics_port) if metrics_port else None,
        delivery_retention,
    )


@app.command()
def migrate(db: DbOption = DEFAULT_DB) -> None:
    """Create or upgrade the database schema, then exit (saying which it did)."""

    async def revisions(services: Services) -> tuple[str | None, str | None]:
        return services.store.revisions  # run_with_services has migrated it

    before, after = run_with_services(db, revisions)
    if before is None:
        console.print(f"schema created (revision {after})")
    elif before != after:
        console.print(f"schema upgraded from revision {before} to {after}")
    else:
        console.print(f"schema is up to date (revision {after})")


def _settings(
    quota: int | None,
    daily_limit: int | None,
    rate_limit: int | None,
    webhook: str | None,
    ip_whitelist: str | None,
    enabled: bool | None = None,
    realtime: bool | None = None,
) -> AccountSettings:
    return AccountSettings(
        quota_total=quota,
        max_track_daily=daily_limit,
        rate_limit=rate_limit,
        webhook_url=webhook,
        ip_whitelist=ip_whitelist,
        enabled=enabled,
        realtime_enabled=realtime,
    )


QuotaOpt = Annotated[int | None, typer.Option("--quota", help="Total quota (registrations). Default 100.")]
DailyOpt = Annotated[int | None, typer.Option("--daily-limit", help="Quota per UTC day; 0 = no limit.")]
RateOpt = Annotated[
    int | None, typer.Option("--rate-limit", help="Requests per second; 0 = unlimited. Default 3.")
]
WebhookOpt = Annotated[str | None, typer.Option("--webhook", help="Webhook URL ('' to clear).")]
IpOpt = Annotated[
    str | None,
    typer.Option("--ip-whitelist", help="Allowed client IPs/CIDRs, comma-separated ('' to clear)."),
]
ShowSecretOpt = Annotated[
    bool, typer.Option("--show-webhook-secret", help="Also print the account's webhook signing secret.")
]
AllowHostOpt = Annotated[
    list[str] | None,
    typer.Option(
        "--allow-webhook-host", help="A webhook host allowed even if it resolves to a private address."
    ),
]
SmtpUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--smtp-url", envvar="PARCELTRACE_SMTP_URL", help="smtp://host:port of a relay for status mails."
    ),
]
SmtpFromOpt = Annotated[
    str, typer.Option("--smtp-from", envvar="PARCELTRACE_SMTP_FROM", help="Sender address of status mails.")
]
SandboxOpt = Annotated[
    bool, typer.Option("--sandbox/--live", help="Sandbox: simulated tracking, virtual clock.")
]
UpstreamUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--upstream-url",
        envvar="PARCELTRACE_UPSTREAM_URL",
        help="Live mode: track through this 17TRACK-compatible API "
        "(https://api.17track.net/track/v2.2 or another parceltrace's /track/v2.2).",
    ),
]
UpstreamKeyOpt = Annotated[
    str | None,
    typer.Option("--upstream-key", envvar="PARCELTRACE_UPSTREAM_KEY", help="The upstream API key (17token)."),
]
TranslateUrlOpt = Annotated[
    str | None,
    typer.Option(
        "--translate-url",
        envvar="PARCELTRACE_TRANSLATE_URL",
        help="Live mode: a LibreTranslate-compatible service for `lang` (e.g. http://127.0.0.1:5000).",
    ),
]
TranslateKeyOpt = Annotated[
    str | None,
    typer.Option(
        "--translate-key", envvar="PARCELTRACE_TRANSLATE_KEY", help="The translation service's API key."
    ),
]


def _source_settings(
    sandbox: bool,
    upstream_url: str | None,
    upstream_key: str | None,
    translate_url: str | None,
    translate_key: str | None,
) -> SourceSettings:
    """Checked before anything starts: these options only make sense in live mode, the
    upstream needs both its URL and its key."""
    if sandbox and (upstream_url or translate_url):
        err_console.print(
            "[red]error:[/red] --upstream-url and --translate-url are for live mode: add --live "
            "(the sandbox tracks and translates with its simulator)."
        )
        raise typer.Exit(2)
    if bool(upstream_url) != bool(upstream_key):
        err_console.print("[red]error:[/red] the upstream needs both --upstream-url and --upstream-key.")
        raise typer.Exit(2)
    for url in (upstream_url, translate_url):
        problem = webhook_url_problem(url) if url else None
        if problem:
            err_console.print(f"[red]error:[/red] {escape(repr(url))} is not usable: {escape(problem)}.")
            raise typer.Exit(2)
    return SourceSettings(
        canonical_url(upstream_url) if upstream_url else None,
        upstream_key,
        canonical_url(translate_url) if translate_url else None,
        translate_key,
    )


def _account_dict(account: Account) -> dict[str, object]:
    return {
        "name": account.name,
        "key_prefix": account.key_prefix,
        "enabled": account.enabled,
        "quota_total": account.quota_total,
        "quota_used": account.quota_used,
        "max_track_daily": account.max_track_daily,
        "rate_limit": account.rate_limit,
        "webhook_url": account.webhook_url,
        "ip_whitelist": account.ip_whitelist,
        "realtime": account.realtime_enabled,
    }


@account_app.command("create")
def account_create(
    name: Annotated[str, typer.Argument(help="Account name, unique.")],
    quota: QuotaOpt = None,
    daily_limit: DailyOpt = None,
    rate_limit: RateOpt = None,
    webhook: WebhookOpt = None,
    ip_whitelist: IpOpt = None,
    show_secret: ShowSecretOpt = False,
    as_json: JsonOpt = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Create an account and print its API key (shown only this once)."""
    settings = _settings(quota, daily_limit, rate_limit, webhook, ip_whitelist)

    async def work(services: Services) -> tuple[Account, str, str | None]:
        account, key = await account_service.create_account(services, name, settings)
        secret = await account_service.webhook_secret(services, name) if show_secret else None
        return account, key, secret

    account, key, secret = run_with_services(db, work)
    if as_json:
        print(
            json.dumps({"name": account.name, "key": key, **({"webhook_secret": secret} if secret else {})})
        )
        return
    console.print(f"created account [bold]{shown(account.name)}[/bold]")
    console.print(f"API key (shown only once, keep it safe): [bold green]{key}[/bold green]")
    if secret:
        console.print(f"webhook signing secret (Standard Webhooks): {secret}")


@account_app.command("list")
def account_list(as_json: JsonOpt = False, db: DbOption = DEFAULT_DB) -> None:
    """List accounts with their quota and limits (keys are never shown)."""
    found = run_with_services(db, account_service.list_accounts)
    if as_json:
        print(json.dumps([_account_dict(a) for a in found]))
        return
    table = DataTable("name", "key", "enabled", "quota used/total", "daily limit", "rate/s", "webhook")
    for a in found:
        table.add_row(
            a.name,
            a.key_prefix + "…",
            "yes" if a.enabled else "no",
            f"{a.quota_used}/{a.quota_total}",
            str(a.max_track_daily or "none"),
            str(a.rate_limit or "unlimited"),
            a.webhook_url or "",
        )
    console.print(table)


@account_app.command("update")
def account_update(
    name: Annotated[str, typer.Argument(help="Account name.")],
    quota: QuotaOpt = None,
    daily_limit: DailyOpt = None,
    rate_limit: RateOpt = None,
    webhook: WebhookOpt = None,
    ip_whitelist: IpOpt = None,
    enable: Annotated[
        bool | None, typer.Option("--enable/--disable", help="Allow or refuse the key.")
    ] = None,
    realtime: Annotated[
        bool | None, typer.Option("--realtime/--no-realtime", help="Allow getRealTimeTrackInfo.")
    ] = None,
    show_secret: ShowSecretOpt = False,
    as_json: JsonOpt = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Change an account's quota, limits, webhook, whitelist or state."""
    settings = _settings(quota, daily_limit, rate_limit, webhook, ip_whitelist, enable, realtime)

    async def work(services: Services) -> tuple[Account, str | None]:
        account = await account_service.update_account(services, name, settings)
        return account, await account_service.webhook_secret(services, name) if show_secret else None

    account, secret = run_with_services(db, work)
    if as_json:
        print(json.dumps({**_account_dict(account), **({"webhook_secret": secret} if secret else {})}))
    else:
        done = "updated" if settings.values() else "nothing to change for"
        console.print(f"{done} account [bold]{shown(account.name)}[/bold]")
        if secret:
            console.print(f"webhook signing secret (Standard Webhooks): {secret}")


@account_app.command("rotate-key")
def account_rotate_key(
    name: Annotated[str, typer.Argument(help="Account name.")],
    grace: Annotated[
        int, typer.Option(help="Seconds the old key keeps working.", min=0)
    ] = account_service.DEFAULT_ROTATION_GRACE,
    as_json: JsonOpt = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Issue a new key; the old one keeps working for a grace period."""
    key = run_with_services(db, lambda services: account_service.rotate_key(services, name, grace))
    if as_json:
        print(json.dumps({"name": name, "key": key}))
        return
    console.print(f"new API key for [bold]{shown(name)}[/bold]: [bold green]{key}[/bold green]")
    console.print(f"the old key stops working in {grace} s")


@account_app.command("rotate-webhook-secret")
def account_rotate_webhook_secret(
    name: Annotated[str, typer.Argument(help="Account name.")],
    as_json: JsonOpt = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Replace the webhook signing secret (the old one stops signing at once)."""
    secret = run_with_services(db, lambda services: account_service.rotate_webhook_secret(services, name))
    print(json.dumps({"name": name, "webhook_secret": secret}) if as_json else secret)


@account_app.command("test-webhook")
def account_test_webhook(
    name: Annotated[str, typer.Argument(help="Account name.")],
    sandbox: SandboxOpt = True,
    allow_webhook_host: AllowHostOpt = None,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Send a signed test push to the account's webhook; only HTTP 200 passes."""
    policy = WebhookPolicy.for_mode(sandbox, allow_webhook_host)
    result = run_with_services(db, lambda services: webhook_service.test_webhook(services, name, policy))
    colour = "green" if result.ok else "red"
    console.print(
        f"[{colour}]{shown(result.detail)}[/{colour}] (status {result.status_code}, {result.latency_ms} ms)"
    )
    if not result.ok:
        raise typer.Exit(1)


@sandbox_app.command("reset")
def sandbox_reset(
    name: Annotated[str, typer.Argument(help="Account name.")],
    yes: Annotated[bool, typer.Option("--yes", help="Do not ask for confirmation.")] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Start an account's sandbox afresh: delete its trackings, webhook messages and mails, set its
    usage and its clock back to zero (works while the server runs)."""
    if not yes:
        typer.confirm(
            f"Delete every tracking, webhook message and mail of {name!r} and set its sandbox clock back "
            "to real time?",
            abort=True,
        )
    removed = run_with_services(db, lambda services: sandbox_clock.reset(services, name))
    console.print(
        f"reset [bold]{shown(name)}[/bold]: {counted(removed.trackings, 'tracking')}, "
        f"{counted(removed.deliveries, 'webhook message')} and {counted(removed.emails, 'mail')} deleted; "
        "its clock is real time again"
    )


@app.command()
def refresh(
    name: Annotated[str, typer.Argument(help="Account name.")],
    numbers: Annotated[
        list[str] | None, typer.Argument(help="Tracking numbers (none: see --carrier, --failed).")
    ] = None,
    carrier: Annotated[int | None, typer.Option(help="Every tracking of this carrier code.")] = None,
    failed: Annotated[
        bool, typer.Option("--failed", help="Only trackings whose last fetch failed or have no result yet.")
    ] = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """Poll the account's trackings now rather than at their next turn (after fixing a
    connector's credentials, say). Polls cost no quota; a running server polls them within
    seconds."""
    if not numbers and carrier is None and not failed:
        err_console.print("[red]say which:[/red] NUMBER…, --carrier CODE or --failed (they combine).")
        raise typer.Exit(2)

    async def work(services: Services) -> int:
        account = await account_service.get_account(services, name)
        if account is None:
            raise account_service.AccountError(f"no account named {name!r}")
        return await refresh_service.refresh(
            services,
            services.clock.now(),
            account.id,
            numbers=list(numbers) if numbers else None,
            carriers=[carrier] if carrier is not None else None,
            failed_only=failed,
        )

    made_due = run_with_services(db, work)
    console.print(f"{counted(made_due, 'tracking')} of {shown(name)} to be polled now (no quota is used)")


LOGGED = ("attempted_at", "event", "number", "message_id", "status_code", "latency_ms", "error", "state")
"""What `deliveries --json` shows of each attempt."""


def _logged(attempt: AttemptLogEntry) -> dict[str, Any]:
    return {name: getattr(attempt, name) for name in LOGGED}


@app.command()
def deliveries(
    name: Annotated[str, typer.Argument(help="Account name.")],
    limit: Annotated[int, typer.Option(help="How many of the newest attempts.", min=1, max=100)] = 100,
    as_json: JsonOpt = False,
    db: DbOption = DEFAULT_DB,
) -> None:
    """The account's webhook delivery log: the newest attempts first."""
    log = run_with_services(db, lambda services: webhook_service.delivery_log(services, name, limit))
    if as_json:
        print(json.dumps([{**_logged(a), "attempted_at": a.attempted_at.isoformat()} for a in log]))
        return
    table = DataTable("time (UTC)", "event")
    table.add_column("number", no_wrap=True, min_width=max((len(a.number) for a in log), default=6))
    table.add_column("status")
    table.add_column("ms")
    table.add_column("state")
    # what `redeliver` takes: whole even at 80 columns (the other columns wrap instead)
    table.add_column("message", no_wrap=True, min_width=max((len(a.message_id) for a in log), default=7))
    table.add_column("error")
    for a in log:
        table.add_row(
            a.attempted_at.strftime("%Y-%m-%d %H:%M:%S"),
            a.event,
            a.number,
            str(a.status_code or "-"),
            str(a.latency_ms or 0),
            a.state,
            a.message_id,
            a.error or "",
        )
    console.print(table)


@app.command()
def redeliver(
    message_id: Annotated[
        str, typer.Argument(help="The message id (webhook-id) from `parceltrace deliveries`.")
    ],
    db: DbOption = DEFAULT_DB,
) -> None:
    """Queue a logged webhook message again (same id and body, a fresh set of attempts)."""
    run_with_services(db, lambda services: webhook_service.redeliver(services, message_id))
    console.print(f"queued {shown(message_id)} again")


register_commands(app)


def main() -> None:
    app()
