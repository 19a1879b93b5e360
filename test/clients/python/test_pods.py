"""Pods through CoreV1Api: create from a dict, list with selectors, read, patch, replace, delete."""

import pytest
from kubernetes import client, config
from kubernetes.client.rest import ApiException

from kf_helpers import error_body, wait_for

POD = {
    "apiVersion": "v1",
    "kind": "Pod",
    "metadata": {"name": "web", "labels": {"app": "web", "tier": "front"}},
    "spec": {
        "containers": [
            {
                "name": "app",
                "image": "nginx:1.27",
                "ports": [{"containerPort": 80, "name": "http"}],
                "resources": {"requests": {"cpu": "50m", "memory": "64Mi"}},
            },
            {"name": "sidecar", "image": "busybox:1.36", "command": ["sleep", "infinity"]},
        ]
    },
}


def own(labels):
    """A pod's labels without the node's topology labels the API server copies onto a bound pod."""
    return {k: v for k, v in (labels or {}).items() if not k.startswith("topology.kubernetes.io/")}


def pod_dict(name, labels=None, **spec):
    d = {
        "apiVersion": "v1",
        "kind": "Pod",
        "metadata": {"name": name, "labels": labels or {}},
        "spec": {"containers": [{"name": "app", "image": "busybox:1.36"}], **spec},
    }
    return d


def test_load_kube_config_and_create_pod_from_a_dict(namespace):
    # As the client's README writes it: load the kubeconfig, then talk to the cluster.
    config.load_kube_config()
    v1 = client.CoreV1Api()
    body = client.V1Pod.from_dict(POD)
    assert isinstance(body.spec.containers[0], client.V1Container)

    created = v1.create_namespaced_pod(namespace=namespace, body=body)

    assert isinstance(created, client.V1Pod)
    assert created.metadata.name == "web"
    assert created.metadata.namespace == namespace
    assert created.metadata.uid and created.metadata.resource_version
    assert created.metadata.labels == {"app": "web", "tier": "front"}
    assert [c.name for c in created.spec.containers] == ["app", "sidecar"]
    app = created.spec.containers[0]
    assert app.image == "nginx:1.27"
    assert app.ports[0].container_port == 80 and app.ports[0].protocol == "TCP"
    assert app.resources.requests == {"cpu": "50m", "memory": "64Mi"}
    # The API server's defaults, as the client deserialises them.
    assert app.image_pull_policy == "IfNotPresent"
    assert app.termination_message_path == "/dev/termination-log"
    assert app.termination_message_policy == "File"
    assert created.spec.restart_policy == "Always"
    assert created.spec.dns_policy == "ClusterFirst"
    assert created.spec.scheduler_name == "default-scheduler"
    assert created.spec.termination_grace_period_seconds == 30
    assert created.spec.service_account_name == "default"
    assert created.status.phase == "Pending"
    assert created.status.qos_class == "Burstable"

    # The scheduler binds it and the node runs it.
    def running():
        p = v1.read_namespaced_pod("web", namespace)
        return p if p.status.phase == "Running" else None

    pod = wait_for(running, what="pod web Running")
    nodes = {n.metadata.name for n in v1.list_node().items}
    assert pod.spec.node_name in nodes
    assert pod.status.pod_ip and pod.status.host_ip
    assert {c.type: c.status for c in pod.status.conditions}["Ready"] == "True"
    assert [s.name for s in pod.status.container_statuses] == ["app", "sidecar"]
    assert all(s.ready and s.state.running is not None for s in pod.status.container_statuses)


def test_create_pod_from_model_objects(core, namespace):
    body = client.V1Pod(
        metadata=client.V1ObjectMeta(name="model", labels={"app": "model"}),
        spec=client.V1PodSpec(containers=[client.V1Container(name="app", image="busybox:1.36")]),
    )
    created = core.create_namespaced_pod(namespace, body)
    assert created.metadata.name == "model"
    assert created.status.qos_class == "BestEffort"


def test_list_with_label_and_field_selectors(core, namespace):
    for name, labels in [
        ("web-1", {"app": "web", "tier": "front"}),
        ("web-2", {"app": "web", "tier": "back"}),
        ("db-1", {"app": "db"}),
    ]:
        core.create_namespaced_pod(namespace, client.V1Pod.from_dict(pod_dict(name, labels)))

    def names(**kw):
        return sorted(p.metadata.name for p in core.list_namespaced_pod(namespace, **kw).items)

    assert names() == ["db-1", "web-1", "web-2"]
    assert names(label_selector="app=web") == ["web-1", "web-2"]
    assert names(label_selector="app=web,tier!=back") == ["web-1"]
    assert names(label_selector="tier in (front,back)") == ["web-1", "web-2"]
    assert names(label_selector="app notin (web)") == ["db-1"]
    assert names(label_selector="tier") == ["web-1", "web-2"]
    assert names(label_selector="!tier") == ["db-1"]
    assert names(field_selector="metadata.name=web-2") == ["web-2"]
    assert names(field_selector="metadata.name!=web-2", label_selector="app=web") == ["web-1"]
    assert names(label_selector="app=none") == []

    everywhere = core.list_pod_for_all_namespaces(label_selector="app=db", field_selector=f"metadata.namespace={namespace}")
    assert [(p.metadata.namespace, p.metadata.name) for p in everywhere.items] == [(namespace, "db-1")]

    # A page at a time: limit and the continue token.
    first = core.list_namespaced_pod(namespace, limit=2)
    assert [p.metadata.name for p in first.items] == ["db-1", "web-1"]
    assert first.metadata._continue
    second = core.list_namespaced_pod(namespace, limit=2, _continue=first.metadata._continue)
    assert [p.metadata.name for p in second.items] == ["web-2"]
    assert not second.metadata._continue

    with pytest.raises(ApiException) as bad:
        core.list_namespaced_pod(namespace, label_selector="app in (web")
    assert bad.value.status == 400
    assert error_body(bad.value)["reason"] == "BadRequest"


def test_read_patch_strategic_and_merge_then_replace(core, namespace):
    core.create_namespaced_pod(namespace, client.V1Pod.from_dict(POD))
    pod = core.read_namespaced_pod("web", namespace)
    assert pod.metadata.labels["tier"] == "front"

    # A dict body is a strategic merge patch: containers merge by name, so the sidecar stays.
    patched = core.patch_namespaced_pod(
        "web",
        namespace,
        {"metadata": {"labels": {"version": "v2"}}, "spec": {"containers": [{"name": "app", "image": "nginx:1.28"}]}},
    )
    assert own(patched.metadata.labels) == {"app": "web", "tier": "front", "version": "v2"}
    assert [(c.name, c.image) for c in patched.spec.containers] == [("app", "nginx:1.28"), ("sidecar", "busybox:1.36")]
    assert int(patched.metadata.resource_version) > int(pod.metadata.resource_version)

    # A JSON merge patch: null removes a key.
    merged = core.patch_namespaced_pod(
        "web",
        namespace,
        {"metadata": {"labels": {"tier": None}, "annotations": {"owner": "team-a"}}},
        _content_type="application/merge-patch+json",
    )
    assert own(merged.metadata.labels) == {"app": "web", "version": "v2"}
    assert merged.metadata.annotations == {"owner": "team-a"}

    # A merge patch replaces lists whole: dropping the sidecar is a change a pod refuses.
    with pytest.raises(ApiException) as refused:
        core.patch_namespaced_pod(
            "web",
            namespace,
            {"spec": {"containers": [{"name": "app", "image": "nginx:1.29"}]}},
            _content_type="application/merge-patch+json",
        )
    assert refused.value.status == 422
    assert error_body(refused.value)["reason"] == "Invalid"
    assert error_body(refused.value)["message"] == (
        'Pod "web" is invalid: spec.containers: Forbidden: pod updates may not add or remove containers'
    )

    # A JSON patch (a list body).
    jp = core.patch_namespaced_pod(
        "web",
        namespace,
        [{"op": "add", "path": "/metadata/labels/track", "value": "stable"}],
        _content_type="application/json-patch+json",
    )
    assert jp.metadata.labels["track"] == "stable"

    # Replace: read, change, write the whole object back.
    current = core.read_namespaced_pod("web", namespace)
    current.metadata.labels = {**current.metadata.labels, "replaced": "yes"}
    del current.metadata.labels["version"]
    current.spec.active_deadline_seconds = 3600
    replaced = core.replace_namespaced_pod("web", namespace, current)
    assert own(replaced.metadata.labels) == {"app": "web", "track": "stable", "replaced": "yes"}
    assert replaced.spec.active_deadline_seconds == 3600
    assert replaced.metadata.annotations == {"owner": "team-a"}
    assert int(replaced.metadata.resource_version) > int(current.metadata.resource_version)
    assert own(core.read_namespaced_pod("web", namespace).metadata.labels) == own(replaced.metadata.labels)


def test_delete_a_pod(core, namespace):
    core.create_namespaced_pod(namespace, client.V1Pod.from_dict(pod_dict("gone")))
    deleted = core.delete_namespaced_pod("gone", namespace, grace_period_seconds=0)
    # A pod's delete answers with the pod itself.
    assert isinstance(deleted, client.V1Pod)
    assert deleted.metadata.name == "gone"

    def absent():
        try:
            core.read_namespaced_pod("gone", namespace)
            return False
        except ApiException as e:
            return e.status == 404

    wait_for(absent, what="pod gone deleted")


REPLICA_SET = {
    "apiVersion": "apps/v1",
    "kind": "ReplicaSet",
    "metadata": {"name": "rs"},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "rs"}},
        "template": {
            "metadata": {"labels": {"app": "rs"}},
            "spec": {"containers": [{"name": "app", "image": "busybox:1.36"}], "terminationGracePeriodSeconds": 0},
        },
    },
}


def _replica_set(apps, core, namespace, name):
    body = dict(REPLICA_SET, metadata={"name": name})
    body["spec"] = dict(REPLICA_SET["spec"], selector={"matchLabels": {"app": name}})
    body["spec"]["template"] = dict(REPLICA_SET["spec"]["template"], metadata={"labels": {"app": name}})
    rs = apps.create_namespaced_replica_set(namespace, client.V1ReplicaSet.from_dict(body))
    wait_for(
        lambda: len(core.list_namespaced_pod(namespace, label_selector=f"app={name}").items) == 2,
        what=f"the two pods of ReplicaSet {name}",
    )
    return rs


def _owned_pods(core, namespace, name):
    return core.list_namespaced_pod(namespace, label_selector=f"app={name}").items


@pytest.mark.parametrize("policy", ["Orphan", "Background", "Foreground"])
def test_delete_with_propagation(apps, core, namespace, policy):
    rs = _replica_set(apps, core, namespace, "rs")
    pods = _owned_pods(core, namespace, "rs")
    assert all(p.metadata.owner_references[0].uid == rs.metadata.uid for p in pods)

    # The client declares this answer as a plain object: a dict of the server's JSON.
    answer = apps.delete_namespaced_replica_set("rs", namespace, body=client.V1DeleteOptions(propagation_policy=policy))

    def rs_gone():
        try:
            apps.read_namespaced_replica_set("rs", namespace)
            return False
        except ApiException as e:
            return e.status == 404

    if policy == "Background":
        # Deleted at once; the garbage collector removes its pods afterwards.
        assert answer["kind"] == "Status" and answer["status"] == "Success"
        assert answer["details"]["name"] == "rs" and answer["details"]["kind"] == "replicasets"
        assert answer["details"]["uid"] == rs.metadata.uid
        assert rs_gone()
        wait_for(lambda: _owned_pods(core, namespace, "rs") == [], what="the ReplicaSet's pods removed")
    elif policy == "Orphan":
        # The answer is the ReplicaSet carrying the orphan finalizer; its pods stay, without an owner.
        assert answer["kind"] == "ReplicaSet"
        assert answer["metadata"]["deletionTimestamp"]
        assert answer["metadata"]["finalizers"] == ["orphan"]
        wait_for(rs_gone, what="the ReplicaSet removed")
        remaining = wait_for(
            lambda: [p for p in _owned_pods(core, namespace, "rs") if not p.metadata.owner_references],
            what="the pods released by their owner",
        )
        assert sorted(p.metadata.name for p in remaining) == sorted(p.metadata.name for p in pods)
    else:
        # Foreground: the ReplicaSet stays, marked, until the collector has removed its pods.
        assert answer["kind"] == "ReplicaSet"
        assert answer["metadata"]["deletionTimestamp"]
        assert answer["metadata"]["finalizers"] == ["foregroundDeletion"]
        wait_for(rs_gone, what="the ReplicaSet removed after its pods")
        assert _owned_pods(core, namespace, "rs") == []
