"""Deployments through AppsV1Api: create, scale through the scale subresource, roll out."""

from kubernetes import client

from kf_helpers import wait_for

DEPLOYMENT = {
    "apiVersion": "apps/v1",
    "kind": "Deployment",
    "metadata": {"name": "web", "labels": {"app": "web"}},
    "spec": {
        "replicas": 2,
        "selector": {"matchLabels": {"app": "web"}},
        "template": {
            "metadata": {"labels": {"app": "web"}},
            "spec": {
                "containers": [
                    {"name": "web", "image": "nginx:1.27", "resources": {"requests": {"cpu": "50m", "memory": "32Mi"}}}
                ],
                "terminationGracePeriodSeconds": 0,
            },
        },
    },
}


def available(apps, namespace, name, replicas):
    def probe():
        d = apps.read_namespaced_deployment(name, namespace)
        s = d.status
        done = (
            s.observed_generation == d.metadata.generation
            and s.replicas == replicas
            and s.updated_replicas == replicas
            and s.ready_replicas == replicas
            and s.available_replicas == replicas
        )
        return d if done else None

    return wait_for(probe, timeout=60, what=f"deployment {name} with {replicas} available replicas")


def running_pods(core, namespace):
    return sorted(
        p.metadata.name
        for p in core.list_namespaced_pod(namespace, label_selector="app=web").items
        if p.status.phase == "Running" and p.metadata.deletion_timestamp is None
    )


def test_create_deployment_and_patch_its_scale(apps, core, namespace):
    created = apps.create_namespaced_deployment(namespace, client.V1Deployment.from_dict(DEPLOYMENT))
    assert isinstance(created, client.V1Deployment)
    assert created.metadata.generation == 1
    # The API server's defaults.
    assert created.spec.strategy.type == "RollingUpdate"
    assert created.spec.strategy.rolling_update.max_surge == "25%"
    assert created.spec.strategy.rolling_update.max_unavailable == "25%"
    assert created.spec.revision_history_limit == 10
    assert created.spec.progress_deadline_seconds == 600

    d = available(apps, namespace, "web", 2)
    assert d.metadata.annotations["deployment.kubernetes.io/revision"] == "1"
    assert {c.type: c.status for c in d.status.conditions} == {"Available": "True", "Progressing": "True"}
    assert len(running_pods(core, namespace)) == 2

    scale = apps.read_namespaced_deployment_scale("web", namespace)
    assert isinstance(scale, client.V1Scale)
    assert scale.spec.replicas == 2 and scale.status.replicas == 2
    assert scale.status.selector == "app=web"

    patched = apps.patch_namespaced_deployment_scale("web", namespace, {"spec": {"replicas": 4}})
    assert isinstance(patched, client.V1Scale)
    assert patched.spec.replicas == 4
    assert patched.metadata.name == "web" and patched.metadata.namespace == namespace

    d = available(apps, namespace, "web", 4)
    assert d.spec.replicas == 4 and d.metadata.generation == 2
    assert len(running_pods(core, namespace)) == 4
    rs = apps.list_namespaced_replica_set(namespace, label_selector="app=web").items
    assert [r.spec.replicas for r in rs] == [4]

    down = apps.patch_namespaced_deployment_scale("web", namespace, {"spec": {"replicas": 1}})
    assert down.spec.replicas == 1
    available(apps, namespace, "web", 1)
    wait_for(lambda: len(running_pods(core, namespace)) == 1, what="the deployment scaled down to one pod")


def test_a_template_change_rolls_out_a_new_replica_set(apps, core, namespace):
    apps.create_namespaced_deployment(namespace, client.V1Deployment.from_dict(DEPLOYMENT))
    available(apps, namespace, "web", 2)
    apps.patch_namespaced_deployment(
        "web", namespace, {"spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx:1.28"}]}}}}
    )

    def rolled():
        d = apps.read_namespaced_deployment("web", namespace)
        ok = d.metadata.annotations.get("deployment.kubernetes.io/revision") == "2"
        return d if ok and d.status.updated_replicas == 2 and d.status.available_replicas == 2 else None

    d = wait_for(rolled, timeout=60, what="the rollout to nginx:1.28")
    assert d.spec.template.spec.containers[0].image == "nginx:1.28"

    def settled():
        sets = apps.list_namespaced_replica_set(namespace, label_selector="app=web").items
        by_rev = {r.metadata.annotations["deployment.kubernetes.io/revision"]: r for r in sets}
        return by_rev if set(by_rev) == {"1", "2"} and by_rev["1"].status.replicas == 0 else None

    by_rev = wait_for(settled, timeout=60, what="the old ReplicaSet scaled to zero")
    assert by_rev["2"].spec.replicas == 2 and by_rev["1"].spec.replicas == 0
    assert by_rev["2"].spec.template.spec.containers[0].image == "nginx:1.28"

    def new_pods():
        pods = [
            p
            for p in core.list_namespaced_pod(namespace, label_selector="app=web").items
            if p.metadata.deletion_timestamp is None
        ]
        return len(pods) == 2 and all(p.spec.containers[0].image == "nginx:1.28" for p in pods)

    wait_for(new_pods, timeout=60, what="two pods of the new template, the old ones gone")
