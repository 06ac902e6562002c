"""The fast QR data-mask search chooses segno's mask and makes segno's matrix, module for module.

Each test takes the unmasked matrix segno's own encoder builds for an address and hands it to
both searches: segno's original function (kept by ``qr_mask``; the first test proves it is
segno's) and ours.  ``python tests/test_qr_mask.py`` prints the timings quoted in the module's
docstring and the report.
"""
from __future__ import annotations

import random
import string
import time
from unittest import mock

import pytest
import segno
import segno.encoder
from hypothesis import given, settings
from hypothesis import strategies as st
from segno import consts

from publisher import qr_mask
from publisher.render_handout import qr_data_uri

SEGNO_SEARCH = qr_mask._SEGNO_FIND_AND_APPLY_BEST_MASK
URL_CHARACTERS = string.ascii_lowercase + string.digits + "-._~/?=&%"


def byte_capacity(version: int) -> int:
    """How many bytes a QR code of this version holds at error level M (byte mode: a 4-bit
    mode indicator and an 8-bit count up to version 9, 16-bit from version 10)."""
    if version == 0:
        return 0
    count_bits = 8 if version < 10 else 16
    return (consts.SYMBOL_CAPACITY[version][consts.ERROR_LEVEL_M] - 4 - count_bits) // 8


def unmasked(address: str) -> tuple[tuple[bytearray, ...], int]:
    """The matrix segno's encoder hands to the mask search for this address, and its version."""
    seen = []

    def capture(matrix, width, height, proposed_mask=None):
        seen.append(tuple(bytearray(row) for row in matrix))
        return SEGNO_SEARCH(matrix, width, height, 0)  # a mask, any, to let segno finish

    with mock.patch.object(segno.encoder, "find_and_apply_best_mask", capture):
        code = segno.make(address, error="m", micro=False)  # Micro QR: segno's (a test below)
    return seen[0], code.version


def assert_same_choice(matrix: tuple[bytearray, ...]) -> int:
    """Both searches choose the same mask and return the same matrix; the mask index."""
    width = len(matrix)
    before = [bytes(row) for row in matrix]
    ours = qr_mask.find_and_apply_best_mask(matrix, width, width)
    assert [bytes(row) for row in matrix] == before  # the input is left as it was
    theirs = SEGNO_SEARCH(matrix, width, width)
    assert ours[0] == theirs[0]
    assert isinstance(ours[1], tuple) and all(isinstance(row, bytearray) for row in ours[1])
    assert ours[1] == theirs[1]
    return ours[0]


def test_the_reference_is_segnos_own_search() -> None:
    assert SEGNO_SEARCH.__module__ == "segno.encoder"
    assert SEGNO_SEARCH.__code__.co_filename == segno.encoder.__file__
    assert SEGNO_SEARCH is not qr_mask.find_and_apply_best_mask


@pytest.mark.parametrize("version", range(1, 41))
def test_the_longest_address_of_every_version(version: int) -> None:
    address = "https://handouts.example.org/" + "a1-/" * 800
    matrix, made = unmasked(address[:byte_capacity(version)])
    assert made == version
    assert_same_choice(matrix)


@settings(max_examples=150, deadline=None)
@given(data=st.data(), version=st.integers(1, 40))
def test_addresses_of_every_length_every_version_holds(data: st.DataObject, version: int) -> None:
    length = data.draw(st.integers(byte_capacity(version - 1) + 1, byte_capacity(version)))
    path = data.draw(st.text(URL_CHARACTERS, min_size=length, max_size=length))
    address = ("https://" + path)[:length]
    matrix, made = unmasked(address)
    assert made == version
    assert_same_choice(matrix)


def clinic_like_addresses(count: int, seed: int) -> list[str]:
    """Random addresses of the lengths handouts have (versions 3 to 8)."""
    rng = random.Random(seed)
    sites = ("handouts.example.org", "patient-info.st-mary-clinic.nhs.uk", "x.org")
    result = []
    for number in range(count):
        slug = "".join(rng.choice(URL_CHARACTERS) for _ in range(rng.randint(3, 90)))
        result.append(f"https://{rng.choice(sites)}/{rng.choice(('en', 'es', 'zh-Hant'))}/"
                      f"{slug}-{number:03d}.html")
    return result


def test_two_thousand_fixed_random_addresses() -> None:
    masks = set()
    for address in clinic_like_addresses(2000, seed=12):
        matrix, _ = unmasked(address)
        masks.add(assert_same_choice(matrix))
    assert masks == set(range(8))  # every mask was the best somewhere: the ranking is tested


def test_scores_equal_segnos_for_every_mask() -> None:
    """Not only the winner: each mask's penalty is segno's ``evaluate_mask`` of that matrix."""
    for address in clinic_like_addresses(40, seed=5):
        matrix, _ = unmasked(address)
        layout = qr_mask._layout(len(matrix))
        symbol = qr_mask._to_int(matrix)
        for mask in layout.masks:
            masked = qr_mask._to_matrix(symbol ^ mask, layout)
            assert qr_mask.penalty(symbol ^ mask, layout) == segno.encoder.evaluate_mask(
                masked, len(matrix), len(matrix))


def test_what_it_does_not_search_goes_to_segno() -> None:
    """A chosen mask, a Micro QR code, and a matrix with a module not yet 0 or 1."""
    matrix, _ = unmasked("https://handouts.example.org/en/care.html")
    width = len(matrix)
    ours = [bytearray(row) for row in matrix]
    theirs = [bytearray(row) for row in matrix]
    assert qr_mask.find_and_apply_best_mask(ours, width, width, 5) == (
        SEGNO_SEARCH(theirs, width, width, 5))
    assert ours == theirs  # masked in place, as segno does
    unfinished = [bytearray(row) for row in matrix]
    unfinished[width - 1][width - 1] = 0x2
    assert qr_mask.find_and_apply_best_mask(unfinished, width, width) == (
        SEGNO_SEARCH([bytearray(row) for row in unfinished], width, width))
    with mock.patch.object(segno.encoder, "find_and_apply_best_mask", SEGNO_SEARCH):
        micro = segno.make("12345", micro=True).matrix
    qr_mask.install()
    assert segno.make("12345", micro=True).matrix == micro


def test_the_handouts_qr_code_is_made_with_this_search_and_is_segnos_code(
        monkeypatch: pytest.MonkeyPatch) -> None:
    address = "https://handouts.example.org/en/asthma-action-plan.html"
    monkeypatch.setattr(segno.encoder, "find_and_apply_best_mask", SEGNO_SEARCH)
    segnos_own = qr_data_uri.__wrapped__(address)  # type: ignore[attr-defined]
    # qr_data_uri installed ours, the one segno's encoder now calls...
    assert segno.encoder.find_and_apply_best_mask is qr_mask.find_and_apply_best_mask
    calls = []
    fast = qr_mask.find_and_apply_best_mask

    def counted(*arguments):
        calls.append(arguments[1])
        return fast(*arguments)

    monkeypatch.setattr(segno.encoder, "find_and_apply_best_mask", counted)
    monkeypatch.setattr(qr_mask, "find_and_apply_best_mask", counted)
    # ...and the SVG it makes with it is the one segno alone made.
    assert qr_data_uri.__wrapped__(address) == segnos_own  # type: ignore[attr-defined]
    assert len(calls) == 1


def measure() -> None:  # pragma: no cover - run by hand: python tests/test_qr_mask.py
    slugs = ("asthma-action-plan", "diabetes-foot-care", "after-your-colonoscopy",
             "blood-thinners-warfarin", "knee-replacement-exercises", "low-salt-diet")
    runs = [[f"https://handouts.example.org/en/{slugs[n % len(slugs)]}-{run}{n:03d}.html"
             for n in range(200)] for run in range(5)]

    def per_address(make) -> float:
        best = float("inf")
        for addresses in runs:
            start = time.process_time()
            for address in addresses:
                make(address)
            best = min(best, time.process_time() - start)
        return best / 200 * 1000

    matrices = [unmasked(address)[0] for address in runs[0]]
    print("sizes", sorted({len(m) for m in matrices}))
    for name, search in (("segno", SEGNO_SEARCH), ("qr_mask", qr_mask.find_and_apply_best_mask)):
        best = float("inf")
        for _ in range(5):
            start = time.process_time()
            for matrix in matrices:
                search(matrix, len(matrix), len(matrix))
            best = min(best, time.process_time() - start)
        print(f"mask search, {name}: {best / len(matrices) * 1000:.3f} ms per address")
        with mock.patch.object(segno.encoder, "find_and_apply_best_mask", search), \
                mock.patch.object(qr_mask, "install", lambda: None):
            print(f"segno.make, {name}: {per_address(lambda a: segno.make(a, error='m')):.3f} ms")
            print(f"qr_data_uri, {name}: {per_address(qr_data_uri.__wrapped__):.3f} ms")


if __name__ == "__main__":
    measure()
