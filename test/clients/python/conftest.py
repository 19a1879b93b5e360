"""Fixtures for the Python client tests.

These tests use the official `kubernetes` client as its users write it: `config.load_kube_config()`
reads $KUBECONFIG, whose current context `it-admin` is a cluster admin and whose `it-viewer` context is
bound to the ClusterRole `view`. run.ts starts the cluster (simulated or real) and sets $KUBECONFIG;
the tests never ask which cluster they talk to. Each test works in a namespace of its own.
"""

import os
import re
import uuid

import pytest
from kubernetes import client, config
from kubernetes.client.rest import ApiException

from kf_helpers import wait_for


def pytest_configure(config):  # noqa: D103 - pytest hook
    if not os.environ.get("KUBECONFIG"):
        raise pytest.UsageError(
            "KUBECONFIG is not set: run these tests through test/clients/python/run.ts "
            "(npm run test:clients:python), which starts a cluster and writes its kubeconfig"
        )


@pytest.fixture(scope="session", autouse=True)
def kube_config():
    """Loads $KUBECONFIG's current context (it-admin) into the client's default configuration."""
    config.load_kube_config()


@pytest.fixture
def core():
    return client.CoreV1Api()


@pytest.fixture
def apps():
    return client.AppsV1Api()


@pytest.fixture
def viewer_client():
    """An ApiClient for the read-only `it-viewer` context of the same kubeconfig."""
    return config.new_client_from_config(context="it-viewer")


@pytest.fixture
def namespace(core, request):
    """A fresh namespace for one test, ready for pods (its default ServiceAccount exists); deleted after."""
    base = re.sub(r"[^a-z0-9]+", "-", request.node.name.lower().removeprefix("test_"))[:30].strip("-")
    name = f"py-{base}-{uuid.uuid4().hex[:6]}"
    core.create_namespace(client.V1Namespace(metadata=client.V1ObjectMeta(name=name)))

    def default_sa():
        try:
            return core.read_namespaced_service_account("default", name)
        except ApiException as e:
            if e.status == 404:
                return None
            raise

    wait_for(default_sa, what=f"the default ServiceAccount of {name}")
    yield name
    try:
        core.delete_namespace(name)
    except ApiException as e:
        if e.status != 404:
            raise
