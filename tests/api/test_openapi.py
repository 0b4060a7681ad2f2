"""The OpenAPI document covers every API call, and only planned calls are missing routes."""

from __future__ import annotations

import re

METHODS = {"GET", "POST", "PUT", "PATCH", "DELETE"}


def _api_routes(app) -> set[tuple[str, str]]:
    routes = set()
    for rule in app.url_map.iter_rules():
        if not rule.endpoint.startswith("api."):
            continue
        path = re.sub(r"<(?:[a-z]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        path = path.removeprefix("/api/v1")
        for method in rule.methods & METHODS:
            routes.add((method.lower(), path))
    return routes


def _documented(doc) -> tuple[set, set]:
    live, planned = set(), set()
    for path, operations in doc["paths"].items():
        for method, operation in operations.items():
            (planned if operation.get("x-status") == "planned" else live).add(
                (method, path)
            )
    return live, planned


def _refs(node):
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "$ref":
                yield value
            else:
                yield from _refs(value)
    elif isinstance(node, list):
        for value in node:
            yield from _refs(value)


def test_every_route_is_documented_and_every_documented_call_exists(app, client):
    doc = client.get("/api/v1/openapi.json").get_json()
    live, planned = _documented(doc)

    assert doc["openapi"] == "3.1.0"
    assert live == _api_routes(app)
    assert planned == set()


def test_every_reference_resolves(client):
    doc = client.get("/api/v1/openapi.json").get_json()

    for ref in set(_refs(doc)):
        node = doc
        for part in ref.removeprefix("#/").split("/"):
            node = node[part]
        assert node, ref


def test_operations_have_ids_and_documented_errors(client):
    doc = client.get("/api/v1/openapi.json").get_json()
    ids = [op["operationId"] for ops in doc["paths"].values() for op in ops.values()]

    assert len(ids) == len(set(ids))
    save = doc["paths"]["/attempts/{attempt_id}/responses"]["put"]["responses"]
    assert {"200", "400", "401", "403", "404", "409", "413"} <= set(save)
