"""ApiException as the client raises it: HTTP status and reason, and the server's Status in its body."""

import pytest
from kubernetes import client
from kubernetes.client import exceptions
from kubernetes.client.rest import ApiException

from kf_helpers import error_body


def pod(name, image="busybox:1.36"):
    return client.V1Pod.from_dict({"metadata": {"name": name}, "spec": {"containers": [{"name": "app", "image": image}]}})


def test_404_not_found(core, namespace):
    with pytest.raises(ApiException) as e:
        core.read_namespaced_pod("missing", namespace)
    assert isinstance(e.value, exceptions.NotFoundException)
    assert e.value.status == 404
    assert e.value.reason == "Not Found"
    body = error_body(e.value)
    assert body["kind"] == "Status" and body["status"] == "Failure"
    assert body["reason"] == "NotFound"
    assert body["message"] == 'pods "missing" not found'
    assert body["details"] == {"name": "missing", "kind": "pods"}
    assert body["code"] == 404

    # Listing in a namespace that does not exist is an empty list, not an error.
    assert core.list_namespaced_pod("no-such-namespace-xyz").items == []


def test_409_already_exists_and_conflict(core, namespace):
    core.create_namespaced_pod(namespace, pod("twice"))
    with pytest.raises(ApiException) as e:
        core.create_namespaced_pod(namespace, pod("twice"))
    assert isinstance(e.value, exceptions.ConflictException)
    assert e.value.status == 409
    assert e.value.reason == "Conflict"
    body = error_body(e.value)
    assert body["reason"] == "AlreadyExists"
    assert body["message"] == 'pods "twice" already exists'
    assert body["details"] == {"name": "twice", "kind": "pods"}

    # A write with a stale resourceVersion: 409 Conflict, reason Conflict.
    stale = core.read_namespaced_pod("twice", namespace)
    core.patch_namespaced_pod("twice", namespace, {"metadata": {"labels": {"changed": "yes"}}})
    stale.metadata.labels = {"mine": "yes"}
    with pytest.raises(ApiException) as c:
        core.replace_namespaced_pod("twice", namespace, stale)
    assert c.value.status == 409 and c.value.reason == "Conflict"
    body = error_body(c.value)
    assert body["reason"] == "Conflict"
    assert body["message"] == (
        'Operation cannot be fulfilled on pods "twice": the object has been modified; '
        "please apply your changes to the latest version and try again"
    )


def test_422_invalid(core, namespace):
    with pytest.raises(ApiException) as e:
        core.create_namespaced_pod(namespace, pod("Bad_Name"))
    assert isinstance(e.value, exceptions.UnprocessableEntityException)
    assert e.value.status == 422
    assert e.value.reason == "Unprocessable Entity"
    body = error_body(e.value)
    assert body["reason"] == "Invalid"
    assert body["details"]["name"] == "Bad_Name" and body["details"]["kind"] == "Pod"
    assert [(c["reason"], c["field"]) for c in body["details"]["causes"]] == [("FieldValueInvalid", "metadata.name")]
    assert body["message"].startswith('Pod "Bad_Name" is invalid: metadata.name: Invalid value: "Bad_Name": ')

    with pytest.raises(ApiException) as no_image:
        core.create_namespaced_pod(namespace, pod("noimage", image=""))
    assert no_image.value.status == 422
    body = error_body(no_image.value)
    assert body["message"] == 'Pod "noimage" is invalid: spec.containers[0].image: Required value'
    assert body["details"]["causes"] == [
        {"reason": "FieldValueRequired", "message": "Required value", "field": "spec.containers[0].image"}
    ]


def test_403_for_the_read_only_user(core, namespace, viewer_client):
    who = client.AuthenticationV1Api(viewer_client).create_self_subject_review(
        client.V1SelfSubjectReview(api_version="authentication.k8s.io/v1", kind="SelfSubjectReview")
    )
    user = who.status.user_info.username
    assert user

    core.create_namespaced_pod(namespace, pod("seen"))
    viewer = client.CoreV1Api(viewer_client)
    # Reading is allowed (ClusterRole view)...
    assert [p.metadata.name for p in viewer.list_namespaced_pod(namespace).items] == ["seen"]
    assert viewer.read_namespaced_pod("seen", namespace).metadata.name == "seen"

    # ...writing is not.
    with pytest.raises(ApiException) as e:
        viewer.create_namespaced_pod(namespace, pod("mine"))
    assert isinstance(e.value, exceptions.ForbiddenException)
    assert e.value.status == 403
    assert e.value.reason == "Forbidden"
    body = error_body(e.value)
    assert body["reason"] == "Forbidden"
    assert body["message"] == (
        f'pods is forbidden: User "{user}" cannot create resource "pods" in API group "" in the namespace "{namespace}"'
    )
    assert body["details"] == {"kind": "pods"}

    with pytest.raises(ApiException) as d:
        viewer.delete_namespaced_pod("seen", namespace)
    assert d.value.status == 403
    assert error_body(d.value)["message"] == (
        f'pods "seen" is forbidden: User "{user}" cannot delete resource "pods" in API group "" '
        f'in the namespace "{namespace}"'
    )
    assert error_body(d.value)["details"] == {"name": "seen", "kind": "pods"}

    with pytest.raises(ApiException) as s:
        client.AppsV1Api(viewer_client).patch_namespaced_deployment_scale("web", namespace, {"spec": {"replicas": 2}})
    assert s.value.status == 403
    assert error_body(s.value)["message"] == (
        f'deployments.apps "web" is forbidden: User "{user}" cannot patch resource "deployments/scale" '
        f'in API group "apps" in the namespace "{namespace}"'
    )

    # The view role does not read Secrets.
    with pytest.raises(ApiException) as sec:
        viewer.list_namespaced_secret(namespace)
    assert sec.value.status == 403
    assert error_body(sec.value)["message"] == (
        f'secrets is forbidden: User "{user}" cannot list resource "secrets" in API group "" '
        f'in the namespace "{namespace}"'
    )
