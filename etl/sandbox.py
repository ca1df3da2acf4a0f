"""Read a file in a child process with a time and a memory limit, so that no file can hurt the server.

The readers parse what strangers send: spreadsheets, Word and PDF documents, JSON. A reader can be
made to allocate without end, to loop, or to crash in native code (a Rust allocation that fails
aborts the whole process). Run inside the app's server, any of these would take the site down for
everyone; run here, in a child process of its own, it costs that child and nothing else:

- the child sets its own address-space limit (what it had after importing the readers, plus
  `memory_mb`) and a CPU-time limit, then reads the file with `etl.detect.read_any`;
- the parent waits at most `timeout_s` of wall time, then kills the child's process group;
- the Batch comes back pickled through a private file, and is unpickled with only the classes a
  Batch is made of allowed;
- whatever happens, the caller gets a Batch: a limit hit, or a crash, is a located problem in
  the user's language (etl.messages), never a traceback.

`python -m etl.sandbox PATH OUT MEMORY_MB CPU_S [MODULE:FUNCTION]` is the child's side; the last
argument names the reading function (`etl.detect:read_any` unless a test gives its own).
"""

from __future__ import annotations

import io
import logging
import os
import pickle
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

from etl.messages import problem
from etl.model import Batch

log = logging.getLogger(__name__)

ROOT = Path(__file__).resolve().parent.parent
READ_MEMORY_MB = int(os.environ.get("UPR_READ_MEMORY_MB", "1024"))
READ_TIMEOUT_S = float(os.environ.get("UPR_READ_TIMEOUT_S", "120"))
# Exit codes of the child: a read that ran out of memory in Python, or could not start.
EXIT_MEMORY, EXIT_FAILED = 3, 4

# What a pickled Batch is made of: our model (and a plan's), dates, and Arrow arrays (RecTable).
_ALLOWED = {
    "etl.model": None,
    "etl.plans": {"PlanBatch", "RawPlan", "RawPlanItem"},
    "datetime": {"date", "datetime", "timedelta", "timezone"},
    "builtins": {"set", "frozenset", "list", "dict", "tuple", "str", "int", "float", "bool", "bytes", "bytearray"},
    "copyreg": {"_reconstructor"},
    "collections": {"OrderedDict"},
    "numpy": None,
    "numpy.core.multiarray": None,
    "numpy._core.multiarray": None,
    "pyarrow.lib": None,
    "pyarrow": None,
}


class _BatchUnpickler(pickle.Unpickler):
    def find_class(self, module: str, name: str):
        allowed = _ALLOWED.get(module, ())
        if allowed is None or name in allowed:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(f"{module}.{name} is not part of a Batch")


def _refused(path: Path, code: str, **params: object) -> Batch:
    return Batch(file=path.name, format="unknown", theme_source="none", problems=[problem(path.name, code, **params)])


def _vm_size() -> int:
    """This process's address space now, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmSize:"):
            return int(line.split()[1]) * 1024
    return 0


def _limit_self(memory_mb: int, cpu_s: int) -> None:
    budget = memory_mb * 2**20
    # The readers' libraries are loaded already: the budget is what reading the file may add.
    resource.setrlimit(resource.RLIMIT_AS, (_vm_size() + budget, _vm_size() + budget))
    resource.setrlimit(resource.RLIMIT_CPU, (cpu_s, cpu_s + 5))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))


def _child(path: Path, out: Path, memory_mb: int, cpu_s: int, reader: str) -> int:
    import importlib

    import pyarrow as pa

    # One thread for Arrow, two malloc arenas (environment): threads reserve address space too.
    pa.set_cpu_count(1)
    pa.set_io_thread_count(1)
    module, _, name = reader.partition(":")
    read = getattr(importlib.import_module(module), name)  # every reader is loaded before the limit is set

    _limit_self(memory_mb, cpu_s)
    try:
        batch = read(path)
        data = pickle.dumps(batch, protocol=pickle.HIGHEST_PROTOCOL)
    except MemoryError:
        return EXIT_MEMORY
    part = out.with_suffix(".part")
    part.write_bytes(data)
    part.replace(out)
    return 0


def _outcome(path: Path, returncode: int, out: Path, memory_mb: int, timeout_s: float) -> Batch:
    if returncode == 0 and out.exists():
        try:
            return _BatchUnpickler(io.BytesIO(out.read_bytes())).load()
        except Exception:  # noqa: BLE001 - a result we cannot trust is a failed read
            log.exception("the reader's result for %s could not be read back", path.name)
            return _refused(path, "reader_crashed", format="unknown", signal="pickle")
    if returncode in (EXIT_MEMORY, -signal.SIGABRT):
        # A native allocation refused by the address-space limit aborts the process (Rust, C++).
        return _refused(path, "limit_memory", limit=memory_mb)
    if returncode in (-signal.SIGXCPU, -signal.SIGKILL):
        return _refused(path, "limit_time", limit=f"{timeout_s:g}")
    return _refused(path, "reader_crashed", format="unknown", signal=returncode)


def read_isolated(
    path: Path, *, memory_mb: int | None = None, timeout_s: float | None = None, reader: str = "etl.detect:read_any"
) -> Batch:
    """`etl.detect.read_any(path)` (or the `reader` named), run in a child process under a memory and a time limit."""
    memory_mb = READ_MEMORY_MB if memory_mb is None else memory_mb
    timeout_s = READ_TIMEOUT_S if timeout_s is None else timeout_s
    work = Path(tempfile.mkdtemp(prefix="upr-read-"))
    out = work / "batch.pickle"
    env = {
        **os.environ,
        "MALLOC_ARENA_MAX": "2",
        "OMP_NUM_THREADS": "1",
        "OPENBLAS_NUM_THREADS": "1",
        "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep),
    }
    cmd = [sys.executable, "-m", "etl.sandbox", str(path), str(out), str(memory_mb), str(int(timeout_s) + 1), reader]
    try:
        with (work / "stderr").open("wb") as err:
            proc = subprocess.Popen(
                cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, stdout=err, stderr=err, start_new_session=True
            )
            try:
                returncode = proc.wait(timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
                return _refused(path, "limit_time", limit=f"{timeout_s:g}")
        if returncode != 0:
            tail = (work / "stderr").read_bytes()[-2000:].decode("utf-8", "replace")
            log.warning("reading %s in a child process ended with %s:\n%s", path.name, returncode, tail)
        return _outcome(path, returncode, out, memory_mb, timeout_s)
    finally:
        shutil.rmtree(work, ignore_errors=True)


def main(argv: list[str]) -> int:
    """The child: read one file under the limits and leave the pickled Batch in OUT."""
    try:
        path, out, memory_mb, cpu_s = Path(argv[0]), Path(argv[1]), int(argv[2]), int(argv[3])
        reader = argv[4] if len(argv) > 4 else "etl.detect:read_any"
    except (IndexError, ValueError):
        print("usage: python -m etl.sandbox PATH OUT MEMORY_MB CPU_S [MODULE:FUNCTION]", file=sys.stderr)
        return EXIT_FAILED
    return _child(path, out, memory_mb, cpu_s, reader)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
