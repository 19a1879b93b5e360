"""Helpers the Python client tests share (fixtures are in conftest.py)."""

import json
import os
import time
import urllib.request

import pytest


def wait_for(probe, timeout=30.0, interval=0.1, what="the condition"):
    """Polls probe() until it returns a truthy value and returns it; fails the test after timeout."""
    deadline = time.monotonic() + timeout
    last = None
    while time.monotonic() < deadline:
        last = probe()
        if last:
            return last
        time.sleep(interval)
    pytest.fail(f"{what} did not happen within {timeout:.0f} s (last value: {last!r})")


def set_faults(faults):
    """Switches the cluster's fault proxy (see run.ts), e.g. {'dropWatches': True}."""
    req = urllib.request.Request(
        os.environ["KF_FAULTS_URL"],
        data=json.dumps(faults).encode(),
        method="POST",
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(req, timeout=10) as resp:
        assert resp.status == 204


def error_body(e):
    """The Status object of an ApiException, as a dict."""
    return json.loads(e.body)
