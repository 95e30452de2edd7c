"""GET /qr draws a readable BPSA code as SVG or PNG (segno); anything else is a 4xx."""

from __future__ import annotations

from urllib.parse import quote

from .conftest import World


def test_qr__device_code_as_svg__an_svg_image(client, api_world: World):
    reply = client.get(f"/qr?payload={quote(api_world.genuine)}")

    assert reply.status_code == 200
    assert reply.headers["content-type"].startswith("image/svg+xml")
    assert reply.text.lstrip().startswith("<?xml") and "<svg" in reply.text


def test_qr__claim_code_as_png__a_png_scaled(client, api_world: World):
    small = client.get(f"/qr?format=png&scale=2&payload={quote(api_world.claim)}")
    large = client.get(f"/qr?format=png&scale=8&payload={quote(api_world.claim)}")

    assert small.status_code == large.status_code == 200
    assert small.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(large.content) > len(small.content)


def test_qr__text_that_is_not_a_bpsa_code__400_unreadable_code(client):
    reply = client.get("/qr?payload=hello")

    assert (reply.status_code, reply.json()["code"]) == (400, "unreadable_code")


def test_qr__unknown_format_or_scale__422_invalid_request(client, api_world: World):
    for query in ("format=gif", "scale=0", "scale=21"):
        reply = client.get(f"/qr?{query}&payload={quote(api_world.genuine)}")
        assert (reply.status_code, reply.json()["code"]) == (422, "invalid_request"), query


def test_qr__version_1_code__400_naming_the_version(client, api_world: World):
    old = "BPSA1" + api_world.genuine[len("BPSA2") :]

    reply = client.get(f"/qr?payload={quote(old)}")

    assert (reply.status_code, reply.json()["code"]) == (400, "unreadable_code")
    assert "version 1 is no longer accepted" in reply.json()["detail"]
