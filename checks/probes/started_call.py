"""A tool call begun by ProbeContext.start, running in a thread of its own.

Imported by checks/probes/context.py only when a probe starts a call: a run
where no tool is found never compiles it or imports threading.
"""

import threading

# A started call is waited for this much longer than its own timeout: run_tool
# stops the tool at its timeout, then takes a moment to reap it.
WAIT_GRACE = 10


class StartedCall(object):
    """One tool call running in a thread of its own."""

    def __init__(self, call, args, timeout):
        self._outcome = []
        self._name = str(args[0]) if args else "?"
        self._timeout = timeout
        self._thread = threading.Thread(target=self._work, args=(call,), name="tool call")
        self._thread.daemon = True
        self._thread.start()

    def _work(self, call):
        try:
            self._outcome.append(call())
        except Exception:  # run_tool never raises; were it to, the probe runs the call and records why
            pass

    def result(self):
        """run_tool's result; None where the call raised (the probe then runs it and records why)."""
        self._thread.join(self._timeout + WAIT_GRACE)
        if self._outcome:
            return self._outcome[0]
        if self._thread.is_alive():  # run_tool stops its tool at the timeout: this is a last resort
            return {
                "status": "timeout",
                "exit_code": None,
                "stdout": "",
                "stderr": "",
                "message": "%s did not finish within %s s" % (self._name, self._timeout),
            }
        return None
