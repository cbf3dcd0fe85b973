"""Run one external tool safely: argument list, C locale, timeout, bounded output.

`run_tool` never raises: every outcome is a status in the returned dict.
"""
import os
import subprocess
import sys
import threading
import time

CHUNK = 65536


def run_tool(args, timeout=8, max_bytes=1000000, env_extra=None):
    """Run `args` (a list) and return what happened.

    {"status": "ok" | "missing" | "timeout" | "failed" | "error",
     "exit_code": int | None, "stdout": str, "stderr": str, "message": str | None}
    "failed" means the tool ran and exited non-zero; its output is kept, since
    tools such as nvidia-smi explain their failure there.
    """
    result = {"status": "error", "exit_code": None, "stdout": "", "stderr": "", "message": None}
    try:
        args = [str(arg) for arg in args]
        env = dict(os.environ)
        if env_extra:
            env.update(env_extra)
        env["LC_ALL"] = "C"
        env["LANG"] = "C"
        try:
            process = subprocess.Popen(args, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                                       stderr=subprocess.PIPE, env=env, **_own_group())
        except (OSError, ValueError) as exc:
            if isinstance(exc, OSError) and exc.errno in (2, 20):   # ENOENT, ENOTDIR
                result["status"] = "missing"
                result["message"] = "%s: not found" % (args[0] if args else "?")
            else:
                result["message"] = "%s: cannot run: %s" % (args[0] if args else "?", exc)
            return result
        stdout, stderr, why = _collect(process, timeout, max_bytes)
        result["stdout"] = _decode(stdout)
        result["stderr"] = _decode(stderr)
        result["exit_code"] = process.returncode
        if why == "timeout":
            result["status"] = "timeout"
            result["exit_code"] = None
            result["message"] = "%s did not finish within %s s and was stopped" % (args[0], timeout)
        elif why == "too-much-output":
            result["status"] = "error"
            result["message"] = "%s printed more than %d bytes and was stopped" % (args[0], max_bytes)
        elif process.returncode == 0:
            result["status"] = "ok"
        else:
            result["status"] = "failed"
            result["message"] = "%s exited with code %s" % (args[0], process.returncode)
    except Exception as exc:  # never raise: the caller reports, it does not crash
        result["status"] = "error"
        result["message"] = "%s: %s" % (type(exc).__name__, exc)
    return result


def _collect(process, timeout, max_bytes):
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
                    buffers[key].append(chunk[:max(room, 0)])
                    sizes["total"] += len(chunk)
                    if sizes["total"] > max_bytes:
                        over.set()
                        break
        except (OSError, ValueError):
            pass

    threads = [threading.Thread(target=reader, args=(process.stdout, "out")),
               threading.Thread(target=reader, args=(process.stderr, "err"))]
    for thread in threads:
        thread.daemon = True
        thread.start()

    deadline = time.time() + timeout
    why = None
    while True:
        if process.poll() is not None and not any(t.is_alive() for t in threads):
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
            try:
                process.wait(min(0.05, max(deadline - time.time(), 0.001)))
            except subprocess.TimeoutExpired:
                pass
    if why is not None:
        _stop(process)
    for thread in threads:
        thread.join(1.0)
    if not any(t.is_alive() for t in threads):
        # A reader still blocked (a stray grandchild holds the pipe) keeps its
        # stream: closing it would wait for that read.
        for stream in (process.stdout, process.stderr):
            try:
                stream.close()
            except (OSError, ValueError):
                pass
    return b"".join(buffers["out"]), b"".join(buffers["err"]), why


def _own_group():
    """On POSIX, start the tool in its own process group, so a timeout stops its children too."""
    if os.name == "posix":
        return {"start_new_session": True}
    return {}


def _stop(process):
    try:
        if os.name == "posix":
            os.killpg(process.pid, 9)
        else:
            process.kill()
    except OSError:
        try:
            process.kill()
        except OSError:
            pass
    try:
        process.wait(2)
    except Exception:
        pass


def _decode(data):
    if sys.platform == "win32":
        try:
            import ctypes
            return data.decode("cp%d" % ctypes.windll.kernel32.GetOEMCP())
        except Exception:
            pass
    return data.decode("utf-8", "replace")
