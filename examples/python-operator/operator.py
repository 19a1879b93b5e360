"""A TrainingJob operator (kopf): each TrainingJob (crd.yaml) gets a GPU Job, and its status follows the Job's.

    kopf run --standalone --all-namespaces examples/python-operator/operator.py

For TrainingJob <name> it creates Job <name>-train from job-template.yaml, owned by the TrainingJob
(deleting the TrainingJob deletes the Job and its pods): one pod requesting spec.gpus `nvidia.com/gpu`,
tolerating the GPU pool's taint (nvidia.com/gpu:NoSchedule). Each change of the Job is copied onto the
TrainingJob's status: phase (Pending, Running, Succeeded, Failed), jobName, active, succeeded, failed.
"""

from pathlib import Path

import kopf
import kubernetes
import yaml

GROUP, VERSION, PLURAL = "ml.example.com", "v1", "trainingjobs"
OWNER_LABEL = "ml.example.com/trainingjob"
TEMPLATE = Path(__file__).with_name("job-template.yaml")


@kopf.on.login()
def login(**kwargs):
    """Credentials from $KUBECONFIG (or the pod's service account), read by the kubernetes client."""
    return kopf.login_via_client(**kwargs)


@kopf.on.startup()
def startup(settings: kopf.OperatorSettings, **_):
    try:
        kubernetes.config.load_kube_config()
    except kubernetes.config.ConfigException:
        kubernetes.config.load_incluster_config()
    settings.posting.level = 30  # post only warnings and errors as Events
    settings.watching.server_timeout = 60


def job_for(name, spec):
    """job-template.yaml made into the Job of TrainingJob `name`."""
    job = yaml.safe_load(TEMPLATE.read_text())
    job["metadata"]["name"] = f"{name}-train"
    job["metadata"]["labels"][OWNER_LABEL] = name
    pod = job["spec"]["template"]
    pod["metadata"]["labels"][OWNER_LABEL] = name
    container = pod["spec"]["containers"][0]
    container["image"] = spec["image"]
    if spec.get("command"):
        container["command"] = list(spec["command"])
    gpus = str(spec["gpus"])
    container["resources"]["requests"]["nvidia.com/gpu"] = gpus
    container["resources"]["limits"]["nvidia.com/gpu"] = gpus
    return job


@kopf.on.create(GROUP, VERSION, PLURAL)
def create_job(spec, name, namespace, logger, **_):
    job = job_for(name, spec)
    kopf.adopt(job)  # owner reference to the TrainingJob, and its namespace
    try:
        kubernetes.client.BatchV1Api().create_namespaced_job(namespace, job)
    except kubernetes.client.ApiException as e:
        if e.status != 409:  # made already (a restarted operator): keep it
            raise
    # The status is job_changed's: it follows each change of the Job, this one included.
    logger.info(f"created Job {job['metadata']['name']} with {spec['gpus']} GPU(s)")


def phase_of(status):
    for c in status.get("conditions") or []:
        if c.get("status") == "True" and c.get("type") in ("Complete", "Failed"):
            return "Succeeded" if c["type"] == "Complete" else "Failed"
    return "Running" if status.get("active") else "Pending"


@kopf.on.event("batch", "v1", "jobs", labels={OWNER_LABEL: kopf.PRESENT})
def job_changed(event, body, namespace, logger, **_):
    if event["type"] == "DELETED":
        return
    owner = body["metadata"]["labels"][OWNER_LABEL]
    status = body.get("status") or {}
    summary = {
        "phase": phase_of(status),
        "jobName": body["metadata"]["name"],
        "active": status.get("active", 0),
        "succeeded": status.get("succeeded", 0),
        "failed": status.get("failed", 0),
    }
    try:
        kubernetes.client.CustomObjectsApi().patch_namespaced_custom_object_status(
            GROUP, VERSION, namespace, PLURAL, owner, {"status": summary}
        )
    except kubernetes.client.ApiException as e:
        if e.status != 404:  # the TrainingJob is gone: its Job goes with it
            raise
