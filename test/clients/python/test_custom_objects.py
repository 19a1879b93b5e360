"""CustomObjectsApi on a CRD made through ApiextensionsV1Api: create, get, list, patch, replace, status, delete."""

import uuid

import pytest
from kubernetes import client
from kubernetes.client.rest import ApiException

from kf_helpers import error_body, wait_for

GROUP = "ml.example.com"
VERSION = "v1"


@pytest.fixture
def crd():
    """A namespaced CRD with a unique plural (cluster-scoped, so each test has its own); deleted after."""
    ext = client.ApiextensionsV1Api()
    suffix = uuid.uuid4().hex[:6]
    plural, kind = f"trainingjobs{suffix}", f"TrainingJob{suffix}"
    name = f"{plural}.{GROUP}"
    body = client.V1CustomResourceDefinition.from_dict(
        {
            "apiVersion": "apiextensions.k8s.io/v1",
            "kind": "CustomResourceDefinition",
            "metadata": {"name": name},
            "spec": {
                "group": GROUP,
                "scope": "Namespaced",
                "names": {"plural": plural, "singular": plural[:-1], "kind": kind, "listKind": f"{kind}List"},
                "versions": [
                    {
                        "name": VERSION,
                        "served": True,
                        "storage": True,
                        "subresources": {"status": {}},
                        "schema": {
                            "openAPIV3Schema": {
                                "type": "object",
                                "properties": {
                                    "spec": {
                                        "type": "object",
                                        "required": ["gpus"],
                                        "properties": {
                                            "gpus": {"type": "integer", "minimum": 0},
                                            "image": {"type": "string"},
                                            "args": {"type": "array", "items": {"type": "string"}},
                                        },
                                    },
                                    "status": {
                                        "type": "object",
                                        "properties": {"phase": {"type": "string"}},
                                    },
                                },
                            }
                        },
                    }
                ],
            },
        }
    )
    ext.create_custom_resource_definition(body)

    def established():
        c = ext.read_custom_resource_definition(name)
        conds = {x.type: x.status for x in (c.status.conditions or [])} if c.status else {}
        return conds.get("Established") == "True" and conds.get("NamesAccepted") == "True"

    wait_for(established, what=f"CRD {name} Established")
    # Served: the group's discovery lists it (a client's first request may otherwise race the server).
    wait_for(
        lambda: any(r.name == plural for r in client.CustomObjectsApi().get_api_resources(GROUP, VERSION).resources),
        what=f"{plural} in discovery",
    )
    yield {"plural": plural, "kind": kind, "name": name}
    try:
        ext.delete_custom_resource_definition(name)
    except ApiException as e:
        if e.status != 404:
            raise


def test_custom_object_round_trip(crd, namespace):
    api = client.CustomObjectsApi()
    plural, kind = crd["plural"], crd["kind"]
    obj = {
        "apiVersion": f"{GROUP}/{VERSION}",
        "kind": kind,
        "metadata": {"name": "resnet", "labels": {"team": "vision"}},
        "spec": {"gpus": 2, "image": "trainer:1", "args": ["--epochs", "3"], "unknownField": "pruned"},
    }
    created = api.create_namespaced_custom_object(GROUP, VERSION, namespace, plural, obj)
    # Custom objects are plain dicts; fields the schema does not know are pruned.
    assert isinstance(created, dict)
    assert created["kind"] == kind and created["apiVersion"] == f"{GROUP}/{VERSION}"
    assert created["metadata"]["namespace"] == namespace and created["metadata"]["generation"] == 1
    assert created["spec"] == {"gpus": 2, "image": "trainer:1", "args": ["--epochs", "3"]}

    got = api.get_namespaced_custom_object(GROUP, VERSION, namespace, plural, "resnet")
    assert got["metadata"]["uid"] == created["metadata"]["uid"]
    assert got["spec"] == created["spec"]

    api.create_namespaced_custom_object(
        GROUP,
        VERSION,
        namespace,
        plural,
        {"apiVersion": f"{GROUP}/{VERSION}", "kind": kind, "metadata": {"name": "bert"}, "spec": {"gpus": 1}},
    )
    listed = api.list_namespaced_custom_object(GROUP, VERSION, namespace, plural)
    assert listed["kind"] == f"{kind}List"
    assert sorted(i["metadata"]["name"] for i in listed["items"]) == ["bert", "resnet"]
    by_label = api.list_namespaced_custom_object(GROUP, VERSION, namespace, plural, label_selector="team=vision")
    assert [i["metadata"]["name"] for i in by_label["items"]] == ["resnet"]
    everywhere = api.list_cluster_custom_object(GROUP, VERSION, plural)
    assert sorted(i["metadata"]["name"] for i in everywhere["items"]) == ["bert", "resnet"]

    # A patch of a custom object is a JSON merge patch (custom resources have no strategic merge).
    patched = api.patch_namespaced_custom_object(
        GROUP, VERSION, namespace, plural, "resnet", {"spec": {"gpus": 4, "args": None}}
    )
    assert patched["spec"] == {"gpus": 4, "image": "trainer:1"}
    assert patched["metadata"]["generation"] == 2

    # Replace with the current resourceVersion.
    patched["spec"]["image"] = "trainer:2"
    replaced = api.replace_namespaced_custom_object(GROUP, VERSION, namespace, plural, "resnet", patched)
    assert replaced["spec"] == {"gpus": 4, "image": "trainer:2"}
    assert replaced["metadata"]["generation"] == 3

    # The status subresource: the main resource ignores status, /status ignores the rest.
    ignored = api.patch_namespaced_custom_object(GROUP, VERSION, namespace, plural, "resnet", {"status": {"phase": "X"}})
    assert "status" not in ignored
    status = api.patch_namespaced_custom_object_status(
        GROUP, VERSION, namespace, plural, "resnet", {"status": {"phase": "Running"}, "spec": {"gpus": 8}}
    )
    assert status["status"] == {"phase": "Running"}
    assert status["spec"]["gpus"] == 4
    assert status["metadata"]["generation"] == 3
    assert api.get_namespaced_custom_object_status(GROUP, VERSION, namespace, plural, "resnet")["status"] == {
        "phase": "Running"
    }

    # The schema is enforced: 422 with the field.
    with pytest.raises(ApiException) as bad:
        api.patch_namespaced_custom_object(GROUP, VERSION, namespace, plural, "resnet", {"spec": {"gpus": -1}})
    assert bad.value.status == 422
    body = error_body(bad.value)
    assert body["reason"] == "Invalid"
    assert body["message"] == (
        f'{kind}.{GROUP} "resnet" is invalid: spec.gpus: Invalid value: -1: spec.gpus in body should be greater than or equal to 0'
    )
    assert body["details"]["causes"] == [
        {
            "reason": "FieldValueInvalid",
            "message": "Invalid value: -1: spec.gpus in body should be greater than or equal to 0",
            "field": "spec.gpus",
        }
    ]
    with pytest.raises(ApiException) as missing:
        api.create_namespaced_custom_object(
            GROUP, VERSION, namespace, plural, {"apiVersion": f"{GROUP}/{VERSION}", "kind": kind, "metadata": {"name": "x"}, "spec": {}}
        )
    assert missing.value.status == 422
    assert error_body(missing.value)["message"] == f'{kind}.{GROUP} "x" is invalid: spec.gpus: Required value'


    deleted = api.delete_namespaced_custom_object(GROUP, VERSION, namespace, plural, "resnet")
    assert deleted["kind"] == "Status" and deleted["status"] == "Success"
    assert deleted["details"] == {"name": "resnet", "group": GROUP, "kind": plural, "uid": created["metadata"]["uid"]}
    with pytest.raises(ApiException) as gone:
        api.get_namespaced_custom_object(GROUP, VERSION, namespace, plural, "resnet")
    assert gone.value.status == 404
    assert error_body(gone.value)["details"] == {"name": "resnet", "group": GROUP, "kind": plural}
    remaining = api.list_namespaced_custom_object(GROUP, VERSION, namespace, plural)
    assert [i["metadata"]["name"] for i in remaining["items"]] == ["bert"]
