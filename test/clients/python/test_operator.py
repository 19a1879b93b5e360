"""examples/python-operator, the kopf operator, run as its users run it (`kopf run`) against the cluster.

The operator is a subprocess of the test with $KUBECONFIG's admin context, watching the test's
namespace. A TrainingJob made from the example's manifest must get its GPU Job (owned by the
TrainingJob), the Job its pod, and the TrainingJob a status that follows the Job. If the operator
exits, or anything else fails, the failure shows the operator's own output.
"""

import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest
import yaml
from kubernetes import client, utils
from kubernetes.client.rest import ApiException

from kf_helpers import wait_for

EXAMPLE = Path(__file__).resolve().parents[3] / "examples" / "python-operator"
GROUP, VERSION, PLURAL = "ml.example.com", "v1", "trainingjobs"


class Operator:
    """`kopf run` of the example's operator.py in a subprocess, its output in a file."""

    def __init__(self, namespace):
        self.log = tempfile.NamedTemporaryFile(prefix="kf-operator-", suffix=".log", delete=False)
        kopf = [sys.executable, "-m", "kopf", "run", "--standalone", "--namespace", namespace]
        self.proc = subprocess.Popen(
            [*kopf, "--verbose", str(EXAMPLE / "operator.py")],
            stdout=self.log,
            stderr=subprocess.STDOUT,
            env={**os.environ, "PYTHONUNBUFFERED": "1"},
        )

    def output(self):
        return Path(self.log.name).read_text(errors="replace")

    def alive(self):
        """Fails the test, with the operator's output, if it has exited."""
        code = self.proc.poll()
        if code is not None:
            pytest.fail(f"the operator exited with {code}; its output:\n{self.output()[-6000:]}", pytrace=False)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if os.environ.get("KF_KEEP_OPERATOR_LOG"):
            print(f"the operator's output: {self.log.name}")
        else:
            os.unlink(self.log.name)


def load(name):
    return yaml.safe_load((EXAMPLE / name).read_text())


@pytest.fixture
def training_crd():
    """The example's CRD, established; deleted after."""
    ext = client.ApiextensionsV1Api()
    crd = load("crd.yaml")
    name = crd["metadata"]["name"]
    try:
        ext.delete_custom_resource_definition(name)
        wait_for(lambda: not _exists(lambda: ext.read_custom_resource_definition(name)), what=f"old CRD {name} gone")
    except ApiException as e:
        if e.status != 404:
            raise
    utils.create_from_dict(client.ApiClient(), crd)

    def established():
        got = ext.read_custom_resource_definition(name)
        return any(c.type == "Established" and c.status == "True" for c in got.status.conditions or [])

    wait_for(established, what=f"CRD {name} established")
    yield name
    ext.delete_custom_resource_definition(name)


def _exists(read):
    try:
        read()
        return True
    except ApiException as e:
        if e.status == 404:
            return False
        raise


@pytest.fixture
def operator(namespace, training_crd):
    """The running operator; its output is printed at teardown, which pytest shows when the test failed."""
    op = Operator(namespace)
    yield op
    print(f"---- the operator's output ----\n{op.output()[-6000:]}")
    op.stop()


def watched(op, probe, what, timeout=60):
    """wait_for that fails at once if the operator exits, and on a timeout, showing the operator's output."""

    def checked():
        op.alive()
        return probe()

    try:
        return wait_for(checked, timeout=timeout, what=what)
    except pytest.fail.Exception as e:
        if op.proc.poll() is None:
            pytest.fail(f"{e}\n---- the operator's output ----\n{op.output()[-6000:]}", pytrace=False)
        raise


def test_a_trainingjob_gets_a_gpu_job_its_pods_and_a_status(operator, namespace):
    custom, batch, core = client.CustomObjectsApi(), client.BatchV1Api(), client.CoreV1Api()
    tj = load("trainingjob.yaml")
    name, gpus = tj["metadata"]["name"], tj["spec"]["gpus"]
    made = custom.create_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, tj)

    def job():
        try:
            return batch.read_namespaced_job(f"{name}-train", namespace)
        except ApiException as e:
            if e.status == 404:
                return None
            raise

    j = watched(operator, job, f"the operator's Job {name}-train")
    owner = j.metadata.owner_references[0]
    want_owner = (f"{GROUP}/{VERSION}", "TrainingJob", name, made["metadata"]["uid"])
    assert (owner.api_version, owner.kind, owner.name, owner.uid) == want_owner
    assert owner.controller is True
    c = j.spec.template.spec.containers[0]
    assert c.image == tj["spec"]["image"] and c.command == tj["spec"]["command"]
    assert c.resources.limits["nvidia.com/gpu"] == str(gpus)
    assert any(t.key == "nvidia.com/gpu" and t.effect == "NoSchedule" for t in j.spec.template.spec.tolerations)

    selector = f"job-name={name}-train"
    pods = watched(
        operator,
        lambda: [p for p in core.list_namespaced_pod(namespace, label_selector=selector).items if p.spec.node_name],
        "the Job's pod bound to a node",
    )
    gpu_nodes = {n.metadata.name for n in core.list_node().items if (n.status.allocatable or {}).get("nvidia.com/gpu")}
    assert pods[0].spec.node_name in gpu_nodes, f"{pods[0].spec.node_name} is not one of the GPU nodes {gpu_nodes}"

    def status_follows_job():
        s = custom.get_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name).get("status") or {}
        js = job().status
        want_phase = "Running" if js.active else "Pending"
        for cond in js.conditions or []:
            if cond.status == "True" and cond.type in ("Complete", "Failed"):
                want_phase = "Succeeded" if cond.type == "Complete" else "Failed"
        want = {
            "phase": want_phase,
            "jobName": f"{name}-train",
            "active": js.active or 0,
            "succeeded": js.succeeded or 0,
            "failed": js.failed or 0,
        }
        got = {k: s.get(k) for k in want}
        return got if got == want and want_phase != "Pending" else None

    status = watched(operator, status_follows_job, "the TrainingJob's status following its Job's")
    assert status["phase"] in ("Running", "Succeeded")

    # Deleting the TrainingJob deletes its Job: the garbage collector follows the owner reference.
    custom.delete_namespaced_custom_object(GROUP, VERSION, namespace, PLURAL, name)
    watched(operator, lambda: job() is None, f"Job {name}-train deleted with its TrainingJob")
    operator.alive()
