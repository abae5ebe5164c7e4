"""Check-digit algorithms of tracking_number_data (CHECKSUM_ALGORITHMS.md), as pure functions."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from operator import mul
from typing import Any

Spec = Mapping[str, Any]


def _digit(char: str) -> int:
    return int(char) if char.isdigit() else (ord(char) - 3) % 10


def mod10(sequence: str, check: str, spec: Spec) -> bool:
    chars = sequence[::-1] if spec.get("reverse") else sequence
    odds, evens = spec.get("odds_multiplier"), spec.get("evens_multiplier")
    total = 0
    for index, char in enumerate(chars):
        value = _digit(char)
        if odds and index % 2 == 1:
            value *= int(odds)
        elif evens and index % 2 == 0:
            value *= int(evens)
        total += value
    expected = total % 10
    if expected:
        expected = 10 - expected
    return check.isdigit() and expected == int(check)


def mod7(sequence: str, check: str, spec: Spec) -> bool:
    return sequence.isdigit() and check.isdigit() and int(sequence) % 7 == int(check)


def s10(sequence: str, check: str, spec: Spec) -> bool:
    weights: tuple[int, ...] = tuple(spec.get("weightings") or (8, 6, 4, 2, 3, 5, 9, 7))
    if not (sequence.isdigit() and check.isdigit()):
        return False
    remainder: int = sum(map(mul, map(int, sequence), weights)) % 11
    expected = {0: 5, 1: 0}.get(remainder, 11 - remainder)
    return expected == int(check)


def sum_product(sequence: str, check: str, spec: Spec) -> bool:
    weights: tuple[int, ...] = tuple(spec.get("weightings") or ())
    if not check.isdigit():
        return False
    total = sum(_digit(c) * w for c, w in zip(sequence, weights, strict=False))
    return total % int(spec["modulo1"]) % int(spec["modulo2"]) == int(check)


def mod_37_36(sequence: str, check: str, spec: Spec) -> bool:
    alphabet: str = spec.get("alphabet") or "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    mod = int(spec.get("modulo", 36))
    value = mod
    for char in sequence:
        position = alphabet.find(char)
        if position < 0:
            return False
        value += position
        if value > mod:
            value -= mod
        value *= 2
        if value > mod:
            value -= mod + 1
    value = mod + 1 - value
    if value == mod:
        value = 0
    return alphabet[value] == check


def luhn(sequence: str, check: str, spec: Spec) -> bool:
    if not (sequence.isdigit() and check.isdigit()):
        return False
    total = 0
    for index, char in enumerate(reversed(sequence)):
        value = int(char)
        if index % 2 == 0:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    expected = total % 10
    if expected:
        expected = 10 - expected
    return expected == int(check)


ALGORITHMS: dict[str, Callable[[str, str, Spec], bool]] = {
    "mod10": mod10,
    "mod7": mod7,
    "s10": s10,
    "sum_product_with_weightings_and_modulo": sum_product,
    "mod_37_36": mod_37_36,
    "luhn": luhn,
}


def is_sscc(number: str) -> bool:
    """A GS1 Serial Shipping Container Code as carriers print it: application identifier 00 and
    18 digits whose last is the GS1 check digit (weights 3, 1, ... from the right). Shippers
    issue them and many carriers carry them (DHL's own example number is one), so an SSCC says
    nothing about which carrier has the parcel."""
    if len(number) != 20 or not number.isdigit() or not number.startswith("00"):
        return False
    body, check = number[2:19], number[19]
    return mod10(body, check, {"reverse": True, "evens_multiplier": 3})
