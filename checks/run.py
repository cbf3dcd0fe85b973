"""Run one external tool safely: argument list, C locale, timeout, bounded output,
and nothing left running afterwards.

`run_tool` never raises (KeyboardInterrupt aside, once the tool is stopped):
every outcome is a status in the returned dict. It keeps no shared state, so
threads may run tools side by side.

What a tool starts dies with it, on every exit path (the tool ends, times out,
floods, the checker is interrupted or killed):

- Linux: the tool runs under a small reaper, a second Python process running
  `_REAPER` (standard library only). The reaper makes itself a child
  subreaper (prctl PR_SET_CHILD_SUBREAPER), so every process the tool starts,
  even one that calls setsid() and whose parent exits, stays its descendant.
  When the tool exits, or the checker asks (a pipe closes, or SIGTERM), it
  kills the tool's process group and every descendant it finds in /proc, and
  reports the tool's exit status. The pipe is held by the checker alone, so it
  also closes when the checker dies, even by SIGKILL.
- Other POSIX systems (macOS): the tool gets a session and process group of
  its own, killed as a whole on timeout and in a `finally`; a grandchild that
  calls setsid() there leaves the group (no subreaper, no /proc).
- Windows: the tool is assigned to a job object created with
  JOB_OBJECT_LIMIT_KILL_ON_JOB_CLOSE: closing the job (in a `finally`, or by
  the system when the checker dies) ends the whole tree (checks/run_windows.py,
  imported on Windows only).
"""

import errno
import os
import signal
import subprocess
import sys
import threading
import time

CHUNK = 65536

# errno values that say the checker itself could not start a process (its own
# limits: open files, processes, memory), not that anything is wrong with the tool.
OWN_LIMIT_ERRNOS = frozenset(
    getattr(errno, name) for name in ("EMFILE", "ENFILE", "EAGAIN", "ENOMEM", "ENOBUFS") if hasattr(errno, name)
)
STOP_WAIT = 2.0


def run_tool(args, timeout=8, max_bytes=1000000, env_extra=None):
    """Run `args` (a list) and return what happened.

    {"status": "ok" | "missing" | "timeout" | "failed" | "error" | "unavailable",
     "exit_code": int | None, "stdout": str, "stderr": str, "message": str | None}
    "failed" means the tool ran and exited non-zero; its output is kept, since
    tools such as nvidia-smi explain their failure there. "unavailable" means
    the checker could not run it for a reason of its own (too many open files,
    no process slots, no memory): that says nothing about the tool.
    """
    result = {"status": "error", "exit_code": None, "stdout": "", "stderr": "", "message": None}
    name = "?"
    started = None
    try:
        args = [str(arg) for arg in args]
        name = args[0] if args else "?"
        env = dict(os.environ)
        if env_extra:
            env.update(env_extra)
        env["LC_ALL"] = "C"
        env["LANG"] = "C"
        try:
            started = _start(args, env)
        except (OSError, ValueError, RuntimeError, MemoryError) as exc:
            _cannot_start(result, name, exc)
            return result
        stdout, stderr, why = _collect(started, timeout, max_bytes)
        result["stdout"] = _decode(stdout)
        result["stderr"] = _decode(stderr)
        launch_error = started.launch_error()
        if launch_error is not None:
            _cannot_start(result, name, launch_error)
            return result
        result["exit_code"] = started.returncode()
        if why == "timeout":
            result["status"] = "timeout"
            result["exit_code"] = None
            result["message"] = "%s did not finish within %s s and was stopped" % (name, timeout)
        elif why == "too-much-output":
            result["status"] = "error"
            result["message"] = "%s printed more than %d bytes and was stopped" % (name, max_bytes)
        elif why == "no-thread":
            result["status"] = "unavailable"
            result["exit_code"] = None
            result["message"] = (
                "%s: the checker could not start a thread to read its output "
                "(a limit of the checker's own, such as ulimit -u)" % name
            )
        elif result["exit_code"] == 0:
            result["status"] = "ok"
        elif result["exit_code"] is None:
            result["message"] = "%s: its exit status was lost" % name
        else:
            result["status"] = "failed"
            result["message"] = "%s exited with code %s" % (name, result["exit_code"])
    except Exception as exc:  # never raise: the caller reports, it does not crash
        result["status"] = "error"
        result["message"] = "%s: %s" % (type(exc).__name__, exc)
    finally:
        if started is not None:
            started.stop()  # every exit path, Ctrl-C included: nothing is left running
    return result


def _cannot_start(result, name, exc):
    result["exit_code"] = None
    if isinstance(exc, OSError) and exc.errno in (errno.ENOENT, errno.ENOTDIR):
        result["status"] = "missing"
        result["message"] = "%s: not found" % name
    elif own_limit(exc):
        result["status"] = "unavailable"
        result["message"] = (
            "%s: the checker could not run it: %s (a limit of the checker's own process, "
            "not a fault of the tool)" % (name, _reason(exc))
        )
    else:
        result["status"] = "error"
        result["message"] = "%s: cannot run: %s" % (name, _reason(exc))


class OwnFailure(Exception):
    """The checker's own machinery (the reaper) failed: nothing is known about the tool."""


def own_limit(exc):
    """Whether `exc` says the checker ran out of something of its own (files, processes, memory, threads)."""
    if isinstance(exc, (MemoryError, OwnFailure)):
        return True
    if isinstance(exc, RuntimeError):  # threading: "can't start new thread"
        return "thread" in str(exc)
    return isinstance(exc, OSError) and exc.errno in OWN_LIMIT_ERRNOS


def _reason(exc):
    if isinstance(exc, OSError) and exc.errno is not None:
        return "[Errno %d] %s" % (exc.errno, exc.strerror or os.strerror(exc.errno))
    return str(exc) or type(exc).__name__


def _start(args, env):
    if sys.platform.startswith("linux") and sys.executable and os.path.isfile(sys.executable):
        return _Reaped(args, env)
    if os.name == "nt":
        from .run_windows import Job  # Windows only: other systems never compile it

        return Job(args, env)
    return _Grouped(args, env)


class PopenJob(object):
    """A tool started as one Popen, its output piped; subclasses say how it is started and its tree killed."""

    def __init__(self, args, env, **how):
        self.process = subprocess.Popen(
            args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, **how
        )
        self.streams = (self.process.stdout, self.process.stderr)

    def poll(self):
        return self.process.poll()

    def wait(self, seconds):
        try:
            self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            pass

    def launch_error(self):
        return None

    def returncode(self):
        return self.process.returncode

    def kill_tool(self):
        try:
            self.process.kill()
        except OSError:
            pass


class _Grouped(PopenJob):
    """The tool in a session of its own; the group is killed on stop (POSIX without /proc)."""

    def __init__(self, args, env):
        PopenJob.__init__(self, args, env, start_new_session=True)

    def kill(self):
        try:
            os.killpg(self.process.pid, signal.SIGKILL)
        except OSError:
            pass
        self.kill_tool()

    def stop(self):
        # The group goes even when the tool itself has exited: its children may not have.
        self.kill()
        self.wait(STOP_WAIT)
        _close(self.streams)


class _Reaped(object):
    """The tool under the reaper (Linux): see the module docstring."""

    def __init__(self, args, env):
        self.watch_read, self.watch_write = os.pipe()
        self.status_read = self.status_write = None
        try:
            self.status_read, self.status_write = os.pipe()
            self.process = subprocess.Popen(
                [sys.executable, "-I", "-S", "-c", _REAPER, str(self.watch_read), str(self.status_write)] + args,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                env=env,
                start_new_session=True,
                pass_fds=(self.watch_read, self.status_write),
            )
        except BaseException:
            _close_fds((self.watch_read, self.watch_write, self.status_read, self.status_write))
            raise
        _close_fds((self.watch_read, self.status_write))
        os.set_blocking(self.status_read, False)
        self.streams = (self.process.stdout, self.process.stderr)
        self.report = None
        self.data = b""

    def poll(self):
        return self.process.poll()

    def wait(self, seconds):
        try:
            self.process.wait(seconds)
        except subprocess.TimeoutExpired:
            pass

    def _drain(self, until_eof=False):
        """Read what the reaper reported so far (all of it once it has exited)."""
        while self.status_read is not None:
            try:
                chunk = os.read(self.status_read, 4096)
            except BlockingIOError:
                if not until_eof:
                    return
                time.sleep(0.001)
                continue
            except OSError:
                return
            if not chunk:
                return
            self.data += chunk

    def _read_report(self):
        if self.report is None and self.process.poll() is not None:
            self._drain(until_eof=True)
            self.report = dict(
                line.split(" ", 1) for line in self.data.decode("ascii", "replace").splitlines() if " " in line
            )
        return self.report or {}

    def launch_error(self):
        report = self._read_report()
        for key in ("setup", "fork", "exec"):
            if key in report:
                number = int(report[key]) if report[key].isdigit() else 0
                if number:
                    return OSError(number, os.strerror(number))
                return OwnFailure("the checker's process that runs it could not start it")
        if self.process.returncode is not None and "exit" not in report and "signal" not in report:
            return OwnFailure(
                "the checker's process that runs it ended with code %s before the tool did" % self.process.returncode
            )
        return None

    def returncode(self):
        report = self._read_report()
        if "exit" in report:
            return int(report["exit"])
        if "signal" in report:
            return -int(report["signal"])
        return None

    def kill(self):
        # The reaper kills the tool and all it started once its pipe closes; SIGTERM says the same.
        _close_fds((self.watch_write,))
        self.watch_write = None
        try:
            self.process.send_signal(signal.SIGTERM)
        except OSError:
            pass

    def stop(self):
        if self.process.poll() is None:
            self.kill()
            self.wait(STOP_WAIT)
        if self.process.poll() is None:  # the reaper itself is stuck: last resort
            tool = self._pid_from_report()
            for group in (tool, self.process.pid):
                if group:
                    try:
                        os.killpg(group, signal.SIGKILL)
                    except OSError:
                        pass
            self.wait(STOP_WAIT)
        self._read_report()
        _close_fds((self.watch_write, self.status_read))
        self.watch_write = self.status_read = None
        _close(self.streams)

    def _pid_from_report(self):
        self._drain()
        for line in self.data.decode("ascii", "replace").splitlines():
            if line.startswith("pid ") and line[4:].isdigit():
                return int(line[4:])
        return None


def _collect(started, timeout, max_bytes):
    """Read both pipes until the process ends, the time is up or output exceeds max_bytes.

    Reader threads (not communicate) keep memory bounded: a tool printing
    endless output is stopped once it has printed max_bytes.
    """
    buffers = {"out": [], "err": []}
    sizes = {"total": 0}
    over = threading.Event()
    lock = threading.Lock()

    def reader(stream, key):
        try:
            while True:
                chunk = stream.read1(CHUNK) if hasattr(stream, "read1") else stream.read(CHUNK)
                if not chunk:
                    break
                with lock:
                    room = max_bytes - sizes["total"]
                    buffers[key].append(chunk[: max(room, 0)])
                    sizes["total"] += len(chunk)
                    if sizes["total"] > max_bytes:
                        over.set()
                        break
        except (OSError, ValueError):
            pass

    threads = []
    try:
        for stream, key in zip(started.streams, ("out", "err")):
            thread = threading.Thread(target=reader, args=(stream, key))
            thread.daemon = True
            thread.start()
            threads.append(thread)
    except RuntimeError:  # "can't start new thread": a limit of ours
        started.kill()
        return b"", b"", "no-thread"

    deadline = time.time() + timeout
    why = None
    while True:
        if started.poll() is not None and not any(t.is_alive() for t in threads):
            break
        if over.is_set():
            why = "too-much-output"
            break
        if time.time() >= deadline:
            why = "timeout"
            break
        # Wait on a reader rather than sleeping: ends as soon as output ends.
        alive = [t for t in threads if t.is_alive()]
        if alive:
            alive[0].join(min(0.05, max(deadline - time.time(), 0)))
        else:
            started.wait(min(0.05, max(deadline - time.time(), 0.001)))
    if why is not None:
        started.kill()
        started.wait(STOP_WAIT)
    for thread in threads:
        thread.join(1.0)
    if not any(t.is_alive() for t in threads):
        # A reader still blocked (a stray grandchild holds the pipe) keeps its
        # stream: closing it would wait for that read.
        _close(started.streams)
    return b"".join(buffers["out"]), b"".join(buffers["err"]), why


def _close(streams):
    for stream in streams:
        try:
            stream.close()
        except (OSError, ValueError):
            pass


def _close_fds(fds):
    for fd in fds:
        if fd is not None:
            try:
                os.close(fd)
            except OSError:
                pass


def _decode(data):
    if sys.platform == "win32":
        try:
            import ctypes

            return data.decode("cp%d" % ctypes.windll.kernel32.GetOEMCP())
        except Exception:
            pass
    return data.decode("utf-8", "replace")


# The reaper (Linux), run as `python -I -S -c _REAPER WATCH_FD STATUS_FD TOOL ARGS...`.
# It reports on STATUS_FD, one "key value" line each: "pid N" once the tool
# runs, then "exit N" or "signal N", or "fork ERRNO" / "exec ERRNO" when it
# could not start the tool.
_REAPER = r"""
import os, select, signal, sys, time

def report(fd, line):
    try:
        os.write(fd, (line + "\n").encode("ascii"))
    except OSError:
        pass

def descendants(root):
    children = {}
    try:
        names = os.listdir("/proc")
    except OSError:
        return []
    for name in names:
        if not name.isdigit():
            continue
        try:
            with open("/proc/%s/stat" % name, "rb") as handle:
                fields = handle.read().rsplit(b")", 1)[1].split()
            children.setdefault(int(fields[1]), []).append(int(name))
        except (OSError, IndexError, ValueError):
            continue
    found, todo = [], [root]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found

def kill_all(tool, status):
    # Kill the tool's group and every descendant (orphans come back to us: we are a subreaper),
    # and reap them, until none is left.
    for _ in range(200):
        try:
            pid, code = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return              # no child: as a subreaper, then no descendant either
        if pid == tool and status[0] is None:
            status[0] = code
        if status[0] is None:
            try:
                os.killpg(tool, signal.SIGKILL)
            except OSError:
                pass
        for pid in descendants(os.getpid()):
            try:
                os.kill(pid, signal.SIGKILL)
            except OSError:
                pass
        while True:
            try:
                pid, code = os.waitpid(-1, os.WNOHANG)
            except ChildProcessError:
                return
            if pid == 0:
                break
            if pid == tool and status[0] is None:
                status[0] = code
        time.sleep(0.005)

def main():
    watch, out = int(sys.argv[1]), int(sys.argv[2])
    argv = sys.argv[3:]
    try:
        import ctypes
        ctypes.CDLL(None, use_errno=True).prctl(36, 1, 0, 0, 0)     # PR_SET_CHILD_SUBREAPER
    except Exception:
        pass
    try:
        wake_read, wake_write = os.pipe()
        os.set_blocking(wake_write, False)
        signal.set_wakeup_fd(wake_write)
        signal.signal(signal.SIGCHLD, lambda *args: None)
        signal.signal(signal.SIGTERM, lambda *args: None)
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        error_read, error_write = os.pipe()          # closed by a successful exec
    except OSError as exc:
        report(out, "setup %d" % (exc.errno or 0))
        return
    try:
        tool = os.fork()
    except OSError as exc:
        report(out, "fork %d" % (exc.errno or 0))
        return
    if tool == 0:
        try:
            os.setpgid(0, 0)
            signal.set_wakeup_fd(-1)
            for number in (signal.SIGPIPE, signal.SIGXFSZ, signal.SIGCHLD, signal.SIGTERM, signal.SIGINT):
                signal.signal(number, signal.SIG_DFL)
            for fd in (watch, out, wake_read, wake_write, error_read):
                os.close(fd)
            os.execvp(argv[0], argv)
        except OSError as exc:
            os.write(error_write, str(exc.errno or 0).encode("ascii"))
        except BaseException:
            os.write(error_write, b"0")
        os._exit(127)
    os.close(error_write)
    failed = b""
    while True:
        try:
            chunk = os.read(error_read, 64)
        except InterruptedError:
            continue
        if not chunk:
            break
        failed += chunk
    status = [None]
    if failed:
        kill_all(tool, status)
        report(out, "exec %s" % failed.decode("ascii", "replace"))
        return
    report(out, "pid %d" % tool)
    while status[0] is None:
        try:
            pid, code = os.waitpid(tool, os.WNOHANG)
        except ChildProcessError:
            break
        if pid:
            status[0] = code
            break
        ready = select.select([watch, wake_read], [], [])[0]
        stop = False
        if watch in ready and not os.read(watch, 64):
            stop = True
        if wake_read in ready and signal.SIGTERM in bytearray(os.read(wake_read, 64)):
            stop = True
        if stop:
            break
    kill_all(tool, status)
    code = status[0]
    if code is None:
        report(out, "signal %d" % signal.SIGKILL)
    elif os.WIFSIGNALED(code):
        report(out, "signal %d" % os.WTERMSIG(code))
    else:
        report(out, "exit %d" % os.WEXITSTATUS(code))

try:
    main()
except BaseException as exc:
    report(int(sys.argv[2]), "setup 0")
"""
