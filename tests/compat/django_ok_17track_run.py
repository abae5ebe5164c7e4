"""Runs PyPI `django-ok-17track` 0.0.4, unchanged except for its base URLs, against a server:
`python django_ok_17track_run.py BASE KEY STEP` prints what each call gave, as JSON.

A separate process because Django is configured once per process (settings, app registry,
its own in-memory database), and Django 3.2 is what this library runs on."""

from __future__ import annotations

import json
import sys
from typing import Any

import django
from django.conf import settings


def configure(base: str, key: str) -> None:
    settings.configure(
        INSTALLED_APPS=["track17"],
        DATABASES={"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}},
        DEFAULT_AUTO_FIELD="django.db.models.AutoField",
        TRACK17_API_KEY=key,
        TRACK17_COUNTRIES_URL=f"{base}/en/apicountry",
        TRACK17_CARRIERS_URL=f"{base}/en/apicarrier",
        USE_TZ=True,
    )
    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    from track17.client import Track17Client

    Track17Client.API_BASE_URL = f"{base}/track/"  # the library's one setting for where the API is


def entity(package: Any) -> dict[str, Any]:
    def title(value: Any) -> Any:
        return getattr(value, "title", value)

    return {
        "tracking_number": package.tracking_number,
        "first_carrier": title(package.first_carrier),
        "second_carrier": title(package.second_carrier),
        "origin_country": title(package.origin_country),
        "destination_country": title(package.destination_country),
        "last_event_time": package.last_event_time,
        "last_event_location": package.last_event_location,
        "last_event_description": package.last_event_description,
        "tracking_info_language": package.tracking_info_language,
        "status": package.status,
    }


def main(base: str, key: str, step: str, numbers: list[str]) -> dict[str, Any]:
    configure(base, key)
    from track17 import services
    from track17.models import Track17Carrier, Track17Country
    from track17.track17 import Track17Adapter

    services.populate_carriers()  # fetches the countries first
    out: dict[str, Any] = {
        "countries": Track17Country.objects.count(),
        "carriers": Track17Carrier.objects.count(),
        "china_post": Track17Carrier.objects.get(key="3011").title,
        "china_post_country": Track17Carrier.objects.get(key="3011").country.title,
    }
    if step == "register":
        out["register"] = services.register_track(*numbers)
        adapter = Track17Adapter()
        out["stop_track"] = adapter.stop_track(numbers[0]).data
        out["retrack"] = adapter.retrack(numbers[0]).data
    else:
        data = services.get_track_info(*numbers)
        out["rejected"] = data["rejected"]
        out["packages"] = [entity(p) for p in services.get_track_info_as_packages(data["accepted"])]
    return out


if __name__ == "__main__":
    print(json.dumps(main(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4:]), default=str))
