"""The webhook URL rules: never raise, refuse what the dispatcher cannot call, keep what it can."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st
from hypothesis.provisional import domains

from parceltrace.protocol.webhook_url import MAX_LENGTH, webhook_url_problem


@given(st.text(max_size=300))
def test_any_text_gets_an_answer_not_an_exception(text: str) -> None:
    answer = webhook_url_problem(text)
    assert answer is None or isinstance(answer, str)


@given(st.text(max_size=60).map(lambda tail: "http://" + tail))
def test_anything_after_the_scheme_gets_an_answer(text: str) -> None:
    webhook_url_problem(text)


@given(
    st.sampled_from(["http", "https"]),
    domains(),
    st.one_of(st.none(), st.integers(1, 65535)),
    st.from_regex(r"(/[a-z0-9_-]{0,12}){0,3}", fullmatch=True),
)
def test_well_formed_urls_pass(scheme: str, host: str, port: int | None, path: str) -> None:
    url = f"{scheme}://{host}{'' if port is None else f':{port}'}{path}"
    assert webhook_url_problem(url) is None


@pytest.mark.parametrize(
    ("url", "says"),
    [
        ("http://127.0.0.1:99999/", "Port out of range"),
        ("http://127.0.0.1:abc/", "cannot be read"),
        ("http://a..b/", "empty label"),
        ("http://" + "a" * 64 + ".com/", "label of 64 characters"),
        ("http://[::1/", "Invalid IPv6 URL"),
        ("http://127.0.0.1:0/", "port 0 is out of range"),
        ("http://999.1.1.1/", "not an IPv4 address"),
        ("mailto:me@example.com", "http:// or https://"),
        ("http:///path", "no host"),
        ("http://exa\tmple.com/", "control characters"),
        ("https://x.example/" + "p" * MAX_LENGTH, "at most 2048"),
        ("http://-bad-.com/", "not a valid domain name"),
    ],
)
def test_what_is_refused_and_why(url: str, says: str) -> None:
    problem = webhook_url_problem(url)
    assert problem is not None and says in problem


@pytest.mark.parametrize(
    "url",
    [
        "http://[::1]:8080/hook",
        "https://bücher.example/x",
        "http://user:pw@host.example/",
        "HTTP://Example.COM/",
    ],
)
def test_what_is_kept(url: str) -> None:
    assert webhook_url_problem(url) is None
