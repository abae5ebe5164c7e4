from __future__ import annotations

from parceltrace.protocol.status import KeyStage, MainStatus, SubStatus, other_sub_status


def test_counts_match_the_documentation() -> None:
    assert len(MainStatus) == 9
    assert len(SubStatus) == 30
    assert [k.value for k in KeyStage] == [
        "InfoReceived", "PickedUp", "Departure", "Arrival", "AvailableForPickup",
        "OutForDelivery", "Delivered", "Returning", "Returned",
    ]  # fmt: skip


def test_every_sub_status_belongs_to_a_main_status() -> None:
    for sub in SubStatus:
        assert sub.main in MainStatus


def test_every_main_status_has_an_other_sub_status() -> None:
    for main in MainStatus:
        assert other_sub_status(main).main is main
