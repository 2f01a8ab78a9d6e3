# Harness for the vendored suite (tests/ThirdParty/python-client-e2e), placed next to its temporary
# kubernetes/e2e_test copy by PythonClientSuite.cs; the vendored files stay as upstream wrote them.
import os
import signal

import kubernetes
import pytest

# Upstream's modules import kubernetes.e2e_test.base, a package that only exists in upstream's source tree: make the
# installed kubernetes package also look in the copy beside this file.
kubernetes.__path__.append(os.path.join(os.path.dirname(os.path.abspath(__file__)), "kubernetes"))

# Some upstream tests poll a pod until it leaves Pending, with no deadline of their own: fail them after this many
# seconds instead of hanging the run.
TIMEOUT = int(os.environ.get("E2E_TEST_TIMEOUT", "20"))


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_call(item):
    def on_alarm(signum, frame):
        raise TimeoutError("test did not finish within %d s" % TIMEOUT)

    previous = signal.signal(signal.SIGALRM, on_alarm)
    signal.alarm(TIMEOUT)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
