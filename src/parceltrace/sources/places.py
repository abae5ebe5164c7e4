"""Real places the simulator routes parcels through: city, postal code, coordinates, time zone."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Place:
    country: str
    state: str | None
    city: str
    postal_code: str
    latitude: float
    longitude: float
    tz: str


PLACES: dict[str, tuple[Place, ...]] = {
    "CN": (
        Place("CN", "GD", "SHENZHEN", "518000", 22.5431, 114.0579, "Asia/Shanghai"),
        Place("CN", "SH", "SHANGHAI", "200000", 31.2304, 121.4737, "Asia/Shanghai"),
        Place("CN", "GD", "GUANGZHOU", "510000", 23.1291, 113.2644, "Asia/Shanghai"),
        Place("CN", "BJ", "BEIJING", "100000", 39.9042, 116.4074, "Asia/Shanghai"),
    ),
    "US": (
        Place("US", "NY", "NEW YORK", "10001", 40.7128, -74.0060, "America/New_York"),
        Place("US", "CA", "LOS ANGELES", "90001", 34.0522, -118.2437, "America/Los_Angeles"),
        Place("US", "IL", "CHICAGO", "60601", 41.8781, -87.6298, "America/Chicago"),
        Place("US", "KY", "LOUISVILLE", "40201", 38.2527, -85.7585, "America/Kentucky/Louisville"),
        Place("US", "TN", "MEMPHIS", "38101", 35.1495, -90.0490, "America/Chicago"),
        Place("US", "AK", "ANCHORAGE", "99502", 61.2181, -149.9003, "America/Anchorage"),
    ),
    "GB": (
        Place("GB", "ENG", "LONDON", "EC1A 1BB", 51.5072, -0.1276, "Europe/London"),
        Place("GB", "ENG", "MANCHESTER", "M1 1AE", 53.4808, -2.2426, "Europe/London"),
        Place("GB", "ENG", "BIRMINGHAM", "B1 1AA", 52.4862, -1.8904, "Europe/London"),
    ),
    "DE": (
        Place("DE", "HE", "FRANKFURT", "60311", 50.1109, 8.6821, "Europe/Berlin"),
        Place("DE", "SN", "LEIPZIG", "04109", 51.3397, 12.3731, "Europe/Berlin"),
        Place("DE", "BE", "BERLIN", "10115", 52.5200, 13.4050, "Europe/Berlin"),
        Place("DE", "HH", "HAMBURG", "20095", 53.5511, 9.9937, "Europe/Berlin"),
    ),
    "NL": (
        Place("NL", "NH", "AMSTERDAM", "1012 AB", 52.3676, 4.9041, "Europe/Amsterdam"),
        Place("NL", "ZH", "ROTTERDAM", "3011 AA", 51.9244, 4.4777, "Europe/Amsterdam"),
    ),
    "FR": (
        Place("FR", "IDF", "PARIS", "75001", 48.8566, 2.3522, "Europe/Paris"),
        Place("FR", "ARA", "LYON", "69001", 45.7640, 4.8357, "Europe/Paris"),
    ),
    "JP": (
        Place("JP", "13", "TOKYO", "100-0001", 35.6762, 139.6503, "Asia/Tokyo"),
        Place("JP", "27", "OSAKA", "530-0001", 34.6937, 135.5023, "Asia/Tokyo"),
    ),
    "AU": (
        Place("AU", "NSW", "SYDNEY", "2000", -33.8688, 151.2093, "Australia/Sydney"),
        Place("AU", "VIC", "MELBOURNE", "3000", -37.8136, 144.9631, "Australia/Melbourne"),
    ),
    "CA": (
        Place("CA", "ON", "TORONTO", "M5H 2N2", 43.6532, -79.3832, "America/Toronto"),
        Place("CA", "BC", "VANCOUVER", "V6B 1A1", 49.2827, -123.1207, "America/Vancouver"),
    ),
    "ES": (Place("ES", "MD", "MADRID", "28001", 40.4168, -3.7038, "Europe/Madrid"),),
    "IT": (Place("IT", "MI", "MILAN", "20121", 45.4642, 9.1900, "Europe/Rome"),),
    "BR": (Place("BR", "SP", "SAO PAULO", "01000-000", -23.5505, -46.6333, "America/Sao_Paulo"),),
}
DESTINATIONS = ("US", "GB", "DE", "FR", "NL", "JP", "AU", "CA", "ES", "IT", "BR", "CN")


def places_in(country: str) -> tuple[Place, ...]:
    """The places of a country; countries without a table borrow the nearest stand-in (US)."""
    return PLACES.get(country, PLACES["US"])
