"""The v2.4 wire shapes: v2.2's, plus the fields only v2.4 answers carry.

Additive only: every v2.2 field keeps its name, type and meaning, so a v2.2 client pointed at
`/track/v2.4/` reads what it always read. The added fields (seen in v2.4-era examples) are
filled from what parceltrace knows truthfully and are null otherwise:
- gettrackinfo / getRealTimeTrackInfo items: `lang` (the registration's), `origin_country` and
  `destination_country` (what registration knows: the number's origin, a destination given or
  carried in `param`), `destination_postal_code`, `phone_number_last_4`, `ship_date` (from
  `param`, by the carrier's kind of parameter); `destination_city`, `shipper`, `consignee`,
  `phone_number`, `cpf_or_cnpj`, `special_tracking_info` are never known here, so null;
- `tracking.providers[].provider_tips`: null (no carrier notices are kept);
- gettracklist items: `sync_status`, whether the latest fetch from the carrier succeeded.
"""

from __future__ import annotations

import msgspec

from parceltrace.protocol.structs import (
    ProviderTrack,
    TrackInfo,
    TrackInfoItem,
    Tracking,
    TrackListItem,
)


class ProviderTrackV24(ProviderTrack, kw_only=True):
    provider_tips: str | None = None


class TrackingV24(Tracking):
    providers: list[ProviderTrackV24] = msgspec.field(default_factory=list)  # type: ignore[assignment]


class TrackInfoV24(TrackInfo):
    tracking: TrackingV24


class TrackInfoItemV24(TrackInfoItem, kw_only=True):
    track_info: TrackInfoV24
    lang: str | None = None
    destination_postal_code: str | None = None
    origin_country: str | None = None
    destination_country: str | None = None
    destination_city: str | None = None
    ship_date: str | None = None
    shipper: str | None = None
    consignee: str | None = None
    phone_number_last_4: str | None = None
    phone_number: str | None = None
    cpf_or_cnpj: str | None = None
    special_tracking_info: str | None = None


class TrackListItemV24(TrackListItem, kw_only=True):
    sync_status: bool = False


class Registration(msgspec.Struct, frozen=True, kw_only=True):
    """What registration knows of a tracking, as v2.4 names it."""

    lang: str | None = None
    origin_country: str | None = None
    destination_country: str | None = None
    destination_postal_code: str | None = None
    phone_number_last_4: str | None = None
    ship_date: str | None = None


def _provider(track: ProviderTrack) -> ProviderTrackV24:
    return ProviderTrackV24(**msgspec.structs.asdict(track))


def track_info_item(item: TrackInfoItem, known: Registration) -> TrackInfoItemV24:
    """A v2.2 gettrackinfo item with v2.4's additions."""
    info = item.track_info
    tracking = TrackingV24(
        providers_hash=info.tracking.providers_hash,
        providers=[_provider(track) for track in info.tracking.providers],
    )
    fields = msgspec.structs.asdict(info)
    fields["tracking"] = tracking
    return TrackInfoItemV24(
        item.number,
        item.carrier,
        item.param,
        item.tag,
        track_info=TrackInfoV24(**fields),
        **msgspec.structs.asdict(known),
    )


def track_list_item(item: TrackListItem, sync_succeeded: bool) -> TrackListItemV24:
    """A v2.2 gettracklist item with v2.4's `sync_status`."""
    return TrackListItemV24(**msgspec.structs.asdict(item), sync_status=sync_succeeded)
