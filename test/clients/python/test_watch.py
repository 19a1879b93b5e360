"""watch.Watch().stream(): events in order, and resuming from a resourceVersion."""

import threading

from kubernetes import client, watch

from kf_helpers import set_faults


def config_map(name, value):
    return client.V1ConfigMap(metadata=client.V1ObjectMeta(name=name), data={"value": value})


def test_stream_sees_added_modified_deleted_in_order(core, namespace):
    start = core.list_namespaced_config_map(namespace).metadata.resource_version
    core.create_namespaced_config_map(namespace, config_map("watched", "1"))
    core.patch_namespaced_config_map("watched", namespace, {"data": {"value": "2"}})
    core.delete_namespaced_config_map("watched", namespace)

    w = watch.Watch()
    seen = []
    for event in w.stream(
        core.list_namespaced_config_map,
        namespace,
        field_selector="metadata.name=watched",
        resource_version=start,
        timeout_seconds=30,
    ):
        obj = event["object"]
        assert isinstance(obj, client.V1ConfigMap)
        seen.append((event["type"], obj.data["value"], int(obj.metadata.resource_version)))
        if event["type"] == "DELETED":
            w.stop()

    assert [(t, v) for t, v, _ in seen] == [("ADDED", "1"), ("MODIFIED", "2"), ("DELETED", "2")]
    versions = [rv for _, _, rv in seen]
    assert versions == sorted(versions) and len(set(versions)) == 3
    assert w.resource_version == str(versions[-1])


def test_resume_from_the_last_resource_version_seen(core, namespace):
    start = core.list_namespaced_config_map(namespace).metadata.resource_version
    core.create_namespaced_config_map(namespace, config_map("resumed", "1"))

    # First stream: stop after the ADDED event; the Watch records where it got to.
    w = watch.Watch()
    for event in w.stream(
        core.list_namespaced_config_map,
        namespace,
        field_selector="metadata.name=resumed",
        resource_version=start,
        timeout_seconds=30,
    ):
        assert event["type"] == "ADDED"
        w.stop()
    resume_at = w.resource_version
    assert resume_at == event["object"].metadata.resource_version

    # Changes while nobody watches.
    core.patch_namespaced_config_map("resumed", namespace, {"data": {"value": "2"}})
    core.patch_namespaced_config_map("resumed", namespace, {"data": {"value": "3"}})
    core.delete_namespaced_config_map("resumed", namespace)

    # A new stream from that resourceVersion sees exactly what came after it.
    w2 = watch.Watch()
    seen = []
    for event in w2.stream(
        core.list_namespaced_config_map,
        namespace,
        field_selector="metadata.name=resumed",
        resource_version=resume_at,
        timeout_seconds=30,
    ):
        seen.append((event["type"], event["object"].data["value"]))
        if event["type"] == "DELETED":
            w2.stop()
    assert seen == [("MODIFIED", "2"), ("MODIFIED", "3"), ("DELETED", "3")]


def test_stream_resumes_by_itself_when_the_server_ends_it(core, namespace):
    """Without timeout_seconds, the client reconnects from the last resourceVersion when the stream ends."""
    start = core.list_namespaced_config_map(namespace).metadata.resource_version
    w = watch.Watch()
    seen = []
    first = threading.Event()
    errors = []

    def consume():
        try:
            for event in w.stream(
                core.list_namespaced_config_map,
                namespace,
                field_selector="metadata.name=dropped",
                resource_version=start,
                _request_timeout=60,
            ):
                seen.append((event["type"], event["object"].data["value"]))
                first.set()
                if event["type"] == "DELETED":
                    w.stop()
        except Exception as e:  # surfaced below
            errors.append(e)

    t = threading.Thread(target=consume, daemon=True)
    t.start()
    core.create_namespaced_config_map(namespace, config_map("dropped", "1"))
    assert first.wait(30), "the ADDED event did not arrive"
    # The connection ends (as when an API server restarts or its watch timeout passes).
    set_faults({"dropWatches": True})
    core.patch_namespaced_config_map("dropped", namespace, {"data": {"value": "2"}})
    core.delete_namespaced_config_map("dropped", namespace)
    t.join(60)
    assert not t.is_alive(), f"the stream did not resume (saw {seen})"
    assert errors == []
    assert seen == [("ADDED", "1"), ("MODIFIED", "2"), ("DELETED", "2")]


def test_stream_of_pods_sees_the_pod_through_its_life(core, namespace):
    start = core.list_namespaced_pod(namespace).metadata.resource_version
    pod = client.V1Pod.from_dict(
        {
            "metadata": {"name": "watched", "labels": {"app": "watched"}},
            "spec": {"containers": [{"name": "app", "image": "busybox:1.36"}], "terminationGracePeriodSeconds": 0},
        }
    )
    core.create_namespaced_pod(namespace, pod)
    w = watch.Watch()
    types = []
    phases = []
    for event in w.stream(
        core.list_namespaced_pod, namespace, label_selector="app=watched", resource_version=start, timeout_seconds=60
    ):
        types.append(event["type"])
        p = event["object"]
        assert isinstance(p, client.V1Pod)
        phases.append(p.status.phase)
        if event["type"] == "MODIFIED" and p.status.phase == "Running" and p.metadata.deletion_timestamp is None:
            core.delete_namespaced_pod("watched", namespace, grace_period_seconds=0)
        if event["type"] == "DELETED":
            w.stop()
    assert types[0] == "ADDED" and types[-1] == "DELETED"
    assert set(types[1:-1]) == {"MODIFIED"}
    assert phases[0] == "Pending" and "Running" in phases
