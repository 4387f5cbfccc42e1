"""A real workshop hub on loopback, for tests: install, start, drive, stop.

``LocalHub`` runs ``deploy/jupyterhub_config.py`` unchanged, from the Python
environment that ``deploy/install_single_server.sh`` builds, with
configurable-http-proxy from npm, LocalProcessSpawner and real unix accounts
(created by the config's pre-spawn hook, exactly as on a workshop server).
Everything binds to 127.0.0.1 on free ports, and everything lives in a
temporary folder except the (cached) environment under ``HUB_E2E_PREFIX``.

Requirements: root (setuid to the learners' accounts, useradd), npm (or a
proxy already installed in the prefix), PyPI reachable the first time.

Every process the hub starts (proxy, single-user servers, idle culler) is
stopped in ``LocalHub.stop()``, which also runs on failure, and the test
accounts are deleted.
"""
from __future__ import annotations

import fcntl
import json
import os
import pwd
import random
import shutil
import signal
import socket
import subprocess
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Iterable

import requests

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
# The installer's environment, cached between runs (world-readable: the
# learners' servers run from it).
DEFAULT_PREFIX = Path(os.environ.get("HUB_E2E_PREFIX", "/opt/course-kit-e2e"))
USER_MARKER = "course-kit hub user"  # GECOS of accounts made by the config's hook
# The unix group that reads the kit checkout's solutions/ (the installer's and the config's default).
INSTRUCTORS_UNIX_GROUP = "course-instructors"


class HubError(RuntimeError):
    pass


def missing_requirements(prefix: Path = DEFAULT_PREFIX) -> str | None:
    """Why this machine cannot run the hub test, or None."""
    if os.geteuid() != 0:
        return "needs root (the hub setuids to one unix account per learner)"
    for tool in ("useradd", "userdel", "runuser", "setpriv", "usermod", "gpasswd"):
        if not shutil.which(tool):
            return f"needs {tool}"
    chp = prefix / "node" / "node_modules" / ".bin" / "configurable-http-proxy"
    if not chp.exists() and not (shutil.which("npm") and shutil.which("node")):
        return "needs npm and node to install configurable-http-proxy"
    if not Path(os.environ.get("HUB_E2E_PYTHON", "/usr/bin/python3")).exists():
        return "needs a system python3 usable by every account (/usr/bin/python3)"
    return None


_PORTS_TAKEN: set[int] = set()


def free_port() -> int:
    """A free port on 127.0.0.1, below the kernel's ephemeral range.

    Ports from bind(0) come from the ephemeral range, which every Jupyter
    kernel on the machine also draws from: one of them can grab the port
    between this check and the hub binding it. Below that range the race
    is with nobody in practice; start() still retries on a clash.
    """
    rng = random.Random()
    for _ in range(200):
        port = rng.randrange(20000, 32000)
        if port in _PORTS_TAKEN:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _PORTS_TAKEN.add(port)
        return port
    raise HubError("no free port found")


def install(prefix: Path, etc: Path, state: Path, exchange: Path, course_id: str,
            with_kit: bool = True, log: Path | None = None) -> float:
    """Run deploy/install_single_server.sh (no apt, no systemd). Returns seconds."""
    env = dict(os.environ, PREFIX=str(prefix), ETC_DIR=str(etc), STATE_DIR=str(state),
               EXCHANGE_ROOT=str(exchange), COURSE_ID=course_id,
               PYTHON=os.environ.get("HUB_E2E_PYTHON", "/usr/bin/python3"),
               KIT_DIR=str(REPO) if with_kit else "none",
               INSTRUCTORS_UNIX_GROUP=INSTRUCTORS_UNIX_GROUP,
               # The kit checkout here is the developers' repository: the installer restricts its
               # solutions/ as on a workshop server, and leaves its .git alone (the .git part of
               # deploy/protect_solutions.sh is tested on a throwaway checkout: test_deploy_config).
               KIT_PRIVATE="solutions")
    t0 = time.monotonic()
    out = open(log, "w") if log else subprocess.DEVNULL
    prefix.parent.mkdir(parents=True, exist_ok=True)
    lock = open(f"{prefix}.lock", "w")  # parallel test workers share the cached prefix
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        proc = subprocess.run(["bash", str(DEPLOY / "install_single_server.sh"), "--no-apt", "--no-service"],
                              env=env, stdout=out, stderr=subprocess.STDOUT, timeout=1200)
    finally:
        fcntl.flock(lock, fcntl.LOCK_UN)
        lock.close()
        if log:
            out.close()
    if proc.returncode != 0:
        tail = log.read_text()[-4000:] if log else ""
        raise HubError(f"installer failed ({proc.returncode}):\n{tail}")
    return time.monotonic() - t0


def _pid_alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    # a zombie child of ours counts as gone
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _pids_of_uids(uids: set[int]) -> list[int]:
    pids = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                if entry.stat().st_uid in uids:
                    pids.append(int(entry.name))
            except OSError:
                pass
    return pids


def _kill_pids(pids: Iterable[int], grace: float = 5.0) -> None:
    pids = [p for p in pids if _pid_alive(p)]
    for pid in pids:
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            pass
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline and any(_pid_alive(p) for p in pids):
        time.sleep(0.1)
    for pid in pids:
        if _pid_alive(pid):
            try:
                os.kill(pid, signal.SIGKILL)
            except ProcessLookupError:
                pass


def _descendants(roots: Iterable[int]) -> set[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                ppid = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            children.setdefault(ppid, []).append(int(entry.name))
    seen, todo = set(), [p for p in roots if _pid_alive(p)]
    while todo:
        pid = todo.pop()
        if pid not in seen:
            seen.add(pid)
            todo += children.get(pid, [])
    return seen


def listening_sockets(pids: Iterable[int]) -> set[tuple[str, int]]:
    """(ip, port) of every TCP socket in LISTEN state held by ``pids``."""
    inodes = set()
    for pid in pids:
        try:
            for fd in Path(f"/proc/{pid}/fd").iterdir():
                try:
                    target = os.readlink(fd)
                except OSError:
                    continue
                if target.startswith("socket:["):
                    inodes.add(target[8:-1])
        except OSError:
            continue
    found = set()
    for table, width in (("/proc/net/tcp", 8), ("/proc/net/tcp6", 32)):
        try:
            lines = Path(table).read_text().splitlines()[1:]
        except OSError:
            continue
        for line in lines:
            parts = line.split()
            local, state, inode = parts[1], parts[3], parts[9]
            if state != "0A" or inode not in inodes:
                continue
            hexip, hexport = local.split(":")
            raw = bytes.fromhex(hexip)
            if width == 8:
                ip = socket.inet_ntop(socket.AF_INET, raw[::-1])
            else:  # four little-endian 32-bit words
                ip = socket.inet_ntop(socket.AF_INET6, b"".join(raw[i:i + 4][::-1] for i in range(0, 16, 4)))
            found.add((ip, int(hexport, 16)))
    return found


class UserServer:
    """One user's single-user server, reached through the proxy with that user's token."""

    def __init__(self, hub: "LocalHub", name: str, token: str):
        self.hub, self.name, self.token = hub, name, token
        self.base = f"{hub.url}/user/{name}/"
        self.session = requests.Session()
        self.session.headers["Authorization"] = f"token {token}"

    def request(self, method: str, path: str, ok=(200, 201, 204), **kw) -> requests.Response:
        kw.setdefault("timeout", 300)
        r = self.session.request(method, self.base + path.lstrip("/"), **kw)
        if ok and r.status_code not in ok:
            raise HubError(f"{self.name}: {method} {path} -> {r.status_code}: {r.text[:2000]}")
        return r

    # Jupyter contents API: what JupyterLab uses to open and (auto)save files
    def get_notebook(self, path: str) -> dict:
        return self.request("GET", f"api/contents/{path}", params={"content": 1}).json()["content"]

    def put_notebook(self, path: str, nb: dict) -> None:
        self.request("PUT", f"api/contents/{path}", json={"type": "notebook", "format": "json", "content": nb})

    def put_file(self, path: str, data: bytes) -> None:
        import base64
        self.request("PUT", f"api/contents/{path}",
                     json={"type": "file", "format": "base64", "content": base64.b64encode(data).decode()})

    def mkdir(self, path: str) -> None:
        self.request("PUT", f"api/contents/{path}", json={"type": "directory"})

    def listdir(self, path: str) -> list[dict]:
        r = self.request("GET", f"api/contents/{path}", ok=None)
        if r.status_code == 404:
            return []
        if r.status_code != 200:
            raise HubError(f"{self.name}: list {path} -> {r.status_code}")
        return r.json()["content"]

    def exists(self, path: str) -> bool:
        return self.request("GET", f"api/contents/{path}", ok=None, params={"content": 0}).status_code == 200

    def read_text(self, path: str) -> str:
        model = self.request("GET", f"api/contents/{path}", params={"content": 1, "format": "text", "type": "file"}).json()
        return model["content"]

    def delete(self, path: str) -> None:
        self.request("DELETE", f"api/contents/{path}", ok=(204, 404))

    def open_kernel(self, notebook_path: str, kernel_name: str = "python3") -> "KernelSession":
        """What opening a notebook in JupyterLab does: a session with a kernel, and its websocket."""
        return KernelSession(self, notebook_path, kernel_name)


def _ws_message(frame) -> dict:
    """A kernel message from the server's websocket: JSON text, or the binary form used for buffers."""
    if isinstance(frame, str):
        return json.loads(frame)
    count = int.from_bytes(frame[:4], "big")
    offsets = [int.from_bytes(frame[4 * (i + 1):4 * (i + 2)], "big") for i in range(count)]
    end = offsets[1] if count > 1 else len(frame)
    return json.loads(frame[offsets[0]:end].decode())


class KernelSession:
    """A kernel of a user's server, driven over its websocket as JupyterLab drives it.

    ``execute(code)`` sends one execute_request on the shell channel and
    collects the iopub messages it caused until the kernel is idle again.
    """

    def __init__(self, server: UserServer, notebook_path: str, kernel_name: str = "python3"):
        import websocket  # websocket-client: a dependency of jupyter_server

        self.server = server
        model = server.request("POST", "api/sessions", json={
            "path": notebook_path, "name": Path(notebook_path).name, "type": "notebook",
            "kernel": {"name": kernel_name}}).json()
        self.session_id, self.kernel_id = model["id"], model["kernel"]["id"]
        self.client_session = os.urandom(8).hex()
        url = server.base.replace("http://", "ws://", 1) + f"api/kernels/{self.kernel_id}/channels"
        self.ws = websocket.create_connection(f"{url}?session_id={self.client_session}", timeout=120,
                                              header=[f"Authorization: token {server.token}"])

    def execute(self, code: str, timeout: float = 120) -> dict:
        """Run code; returns {"status", "outputs": [iopub contents], "text": stdout + display text, "error"}."""
        msg_id = os.urandom(16).hex()
        self.ws.send(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.server.name,
                       "session": self.client_session, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True}}))
        result = {"status": None, "outputs": [], "text": "", "error": None}
        idle = False
        deadline = time.monotonic() + timeout
        while not (idle and result["status"]):
            if time.monotonic() > deadline:
                raise HubError(f"{self.server.name}: no reply to an execute_request within {timeout}s")
            msg = _ws_message(self.ws.recv())
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                continue
            kind, content = msg["msg_type"], msg.get("content", {})
            if msg["channel"] == "shell" and kind == "execute_reply":
                result["status"] = content.get("status")
            elif kind == "status":
                idle = content.get("execution_state") == "idle"
            elif kind in ("stream", "display_data", "execute_result", "error"):
                result["outputs"].append(dict(content, output_type=kind))
                if kind == "stream":
                    result["text"] += content.get("text", "")
                elif kind == "error":
                    result["error"] = f"{content.get('ename')}: {content.get('evalue')}"
                else:
                    result["text"] += content.get("data", {}).get("text/plain", "") + "\n"
        return result

    def run_notebook(self, nb: dict, timeout: float = 120) -> list[dict]:
        """Run All: every code cell in order, stopping at the first error (raised).

        Returns each code cell's result, with its nbgrader ``grade_id`` (or None)."""
        results = []
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = cell["source"] if isinstance(cell["source"], str) else "".join(cell["source"])
            result = self.execute(source, timeout)
            if result["status"] != "ok":
                raise HubError(f"{self.server.name}: cell failed ({result['error']}):\n{source[:500]}")
            result["grade_id"] = cell.get("metadata", {}).get("nbgrader", {}).get("grade_id")
            results.append(result)
        return results

    def peak_mb(self) -> float:
        """The kernel process's own resident-memory high-water mark (VmHWM), asked from inside it.

        (Not getrusage's ru_maxrss: on Linux that survives fork + exec and can
        report the launching server's size instead.)
        """
        out = self.execute("print(next(l.split()[1] for l in open('/proc/self/status') if l.startswith('VmHWM:')))")
        return round(int(out["text"].strip()) / 1024, 1)

    def close(self) -> None:
        """Shut the kernel down (closing the notebook's session), as Lab's "Shut Down Kernel" does."""
        try:
            self.ws.close()
        finally:
            self.server.request("DELETE", f"api/sessions/{self.session_id}", ok=(204, 404))

    def __enter__(self) -> "KernelSession":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class LocalHub:
    """The workshop hub from deploy/, on 127.0.0.1, with throwaway accounts."""

    def __init__(self, instructors: list[str], learners: list[str], course_id: str = "e2e-course",
                 prefix: Path = DEFAULT_PREFIX, install_kit: bool = True, keep_workdir: bool = False):
        self.instructors, self.learners = list(instructors), list(learners)
        self.course_id, self.prefix = course_id, Path(prefix)
        self.install_kit, self.keep_workdir = install_kit, keep_workdir
        self.workdir = Path(tempfile.mkdtemp(prefix="course-hub-e2e-"))
        self.workdir.chmod(0o755)  # the learners' homes and the exchange are in here
        self.etc, self.state = self.workdir / "etc", self.workdir / "state"
        self.exchange, self.homes = self.workdir / "exchange", self.workdir / "home"
        self.homes.mkdir()
        self.homes.chmod(0o755)
        self._pick_ports()
        self.ops_token = os.urandom(24).hex()
        self.proxy_token = os.urandom(24).hex()  # also marks the processes this hub starts
        self.proc: subprocess.Popen | None = None
        self.log_path = self.workdir / "jupyterhub.log"
        self.pids: set[int] = set()  # everything the hub started that we saw
        self.servers: dict[str, UserServer] = {}
        self.timings: dict[str, float] = {}
        self._log = None

    def _pick_ports(self) -> None:
        self.port, self.hub_port, self.proxy_api_port = free_port(), free_port(), free_port()
        self._hub_ports = getattr(self, "_hub_ports", []) + [self.hub_port]
        self.url = f"http://127.0.0.1:{self.port}"
        self.api_url = f"{self.url}/hub/api"

    # -- lifecycle -------------------------------------------------------
    @property
    def users(self) -> list[str]:
        return self.instructors + self.learners

    def _check_accounts(self) -> None:
        # accounts of earlier runs that died before their cleanup: test
        # accounts (e2e- prefix, marker) with no process left
        for entry in pwd.getpwall():
            if (entry.pw_name.startswith("e2e-") and USER_MARKER in entry.pw_gecos
                    and not _pids_of_uids({entry.pw_uid})):
                self._delete_account(entry.pw_name)
        for name in self.users:
            try:
                entry = pwd.getpwnam(name)
            except KeyError:
                continue
            if USER_MARKER in entry.pw_gecos:  # left over by an aborted run
                self._delete_account(name)
            else:
                raise HubError(f"unix account {name!r} exists and is not a test account")

    def _delete_account(self, name: str) -> None:
        try:
            uid = pwd.getpwnam(name).pw_uid
        except KeyError:
            return
        _kill_pids(_pids_of_uids({uid}))
        subprocess.run(["userdel", "--remove", "--force", name], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)

    def hub_env(self) -> dict:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("JUPYTER", "COURSE_HUB_", "NBGRADER"))}
        env.update(
            COURSE_ID=self.course_id,
            COURSE_HUB_PREFIX=str(self.prefix),
            COURSE_HUB_ETC=str(self.etc),
            COURSE_HUB_STATE=str(self.state),
            NBGRADER_EXCHANGE_ROOT=str(self.exchange),
            COURSE_HUB_HOME_BASE=str(self.homes),
            COURSE_HUB_IP="127.0.0.1",
            COURSE_HUB_PORT=str(self.port),
            COURSE_HUB_HUB_PORT=str(self.hub_port),
            COURSE_HUB_PROXY_API_PORT=str(self.proxy_api_port),
            COURSE_HUB_SPAWNER="local",  # no systemd as PID 1 in CI
            COURSE_HUB_OPS_TOKEN=self.ops_token,
            # as in production: a hub restart leaves the servers running
            # (stop() stops them through the API, then by pid)
            COURSE_HUB_CLEANUP_SERVERS="0",
            CONFIGPROXY_AUTH_TOKEN=self.proxy_token,
        )
        return env

    def start(self, timeout: float = 90) -> "LocalHub":
        self._check_accounts()
        self.timings["install_s"] = install(self.prefix, self.etc, self.state, self.exchange, self.course_id,
                                            with_kit=self.install_kit, log=self.workdir / "install.log")
        roster = [f"{n} instructor" for n in self.instructors] + [f"{n} learner" for n in self.learners]
        (self.etc / "roster.txt").write_text("\n".join(roster) + "\n")
        self._log = open(self.log_path, "a")
        for attempt in range(3):
            try:
                self.timings["hub_start_s"] = self._launch(timeout)
                return self
            except HubError:
                # most likely a port taken meanwhile by another process: clean up, new ports, again
                if attempt == 2:
                    raise
                self._stop_hub_process()
                self._kill_orphans()
                self._log.write(f"\n[hubkit] start failed, retrying with new ports (attempt {attempt + 2})\n")
                self._log.flush()
                self._pick_ports()
        return self

    def restart_hub(self, timeout: float = 90, stop_timeout: float = 90) -> float:
        """Stop the hub process only and start it again, as `systemctl restart` does with the shipped
        unit: SIGTERM, then SIGKILL if the hub is still running after systemd's default
        TimeoutStopSec (90 s). A hub that needed the SIGKILL is noted in the hub log and on stdout
        with the log's tail, so a slow shutdown is visible without failing a restart systemd would do."""
        self._record_server_pids()
        t0 = time.monotonic()
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(stop_timeout)
        except subprocess.TimeoutExpired:
            note = f"hub still running {stop_timeout:.0f} s after SIGTERM: SIGKILL, as systemd would"
            self._log.write(f"\n[hubkit] {note}\n")
            self._log.flush()
            if stop_timeout > 0:  # a hang, not a kill the caller asked for: show why
                print(f"[hub] {note}; hub log tail:\n{self.log_tail(3000)}")
            self.proc.kill()
            self.proc.wait(30)
        self.last_stop_s = time.monotonic() - t0
        return self._launch(timeout)

    def _launch(self, timeout: float) -> float:
        t0 = time.monotonic()
        self.proc = subprocess.Popen(
            [str(self.prefix / "env" / "bin" / "jupyterhub"), "-f", str(self.etc / "jupyterhub_config.py")],
            cwd=self.state, env=self.hub_env(), stdout=self._log, stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        self.pids.add(self.proc.pid)
        deadline = time.monotonic() + timeout
        while True:
            if self.proc.poll() is not None:
                raise HubError(f"jupyterhub exited with {self.proc.returncode}:\n{self.log_tail()}")
            try:
                if requests.get(self.api_url + "/", timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            if time.monotonic() > deadline:
                raise HubError(f"hub not up after {timeout}s:\n{self.log_tail()}")
            time.sleep(0.2)
        pidfile = self.state / "jupyterhub-proxy.pid"
        if pidfile.exists():
            self.pids.add(int(pidfile.read_text().strip()))
        return time.monotonic() - t0

    def _stop_hub_process(self) -> None:
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(20)
            except subprocess.TimeoutExpired:
                pass
        if self.proc:
            try:  # anything left in the hub's own session
                os.killpg(self.proc.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            self.proc.wait(10)

    def _kill_orphans(self) -> None:
        """Processes this hub started that outlived it (the proxy runs in its own session).

        Found by pid file and by their environment: this hub's unique proxy
        token (the proxy) or this hub's API URL (the idle culler and other
        hub-managed services).
        """
        pidfile = self.state / "jupyterhub-proxy.pid"
        try:
            self.pids.add(int(pidfile.read_text().strip()))
        except (OSError, ValueError):
            pass
        markers = {f"CONFIGPROXY_AUTH_TOKEN={self.proxy_token}".encode()}
        markers |= {f"JUPYTERHUB_API_URL=http://127.0.0.1:{p}/hub/api".encode() for p in self._hub_ports}
        mine = set()
        for entry in Path("/proc").iterdir():
            if entry.name.isdigit() and int(entry.name) != os.getpid():
                try:
                    if markers & set((entry / "environ").read_bytes().split(b"\0")):
                        mine.add(int(entry.name))
                except OSError:
                    pass
        self.pids |= mine
        _kill_pids(self.pids)

    def log_tail(self, n: int = 6000) -> str:
        try:
            return self.log_path.read_text()[-n:]
        except OSError:
            return ""

    def stop(self) -> None:
        """Stop every server, the hub, the proxy; delete the accounts.

        Raises only if a process it saw is still alive at the end.
        """
        if self.proc and self.proc.poll() is None:
            self._record_server_pids()

            def delete(name):  # ask the hub first: the graceful path
                try:
                    self.api("DELETE", f"/users/{name}/server", ok=None, timeout=30)
                except Exception:  # noqa: BLE001
                    pass

            with ThreadPoolExecutor(max_workers=max(1, len(self.users))) as pool:
                list(pool.map(delete, self.users))
            deadline = time.monotonic() + 30
            while time.monotonic() < deadline:
                try:
                    users = self.api("GET", "/users", ok=None, timeout=5).json()
                    if not any(u.get("servers") for u in users):
                        break
                except Exception:  # noqa: BLE001
                    break
                time.sleep(0.3)
        self._record_server_pids()
        self._stop_hub_process()
        self._kill_orphans()
        uids = set()
        for name in self.users:
            try:
                uids.add(pwd.getpwnam(name).pw_uid)
            except KeyError:
                pass
        _kill_pids(_pids_of_uids(uids))  # single-user servers run as these accounts
        for name in self.users:
            self._delete_account(name)
        if self._log:
            self._log.close()
        if not self.keep_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)
        left = [p for p in self.pids if _pid_alive(p)]
        if left:
            raise HubError(f"processes still alive after stop: {left}")

    def __enter__(self) -> "LocalHub":
        try:
            return self.start()
        except BaseException:
            self.keep_workdir = True
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        if exc[0] is not None:
            self.keep_workdir = True
            print(f"[hub] failure: logs kept in {self.workdir}\n{self.log_tail()}")
        self.stop()

    # -- hub REST API (as the course-ops service) ------------------------
    def api(self, method: str, path: str, ok=(200, 201, 202, 204), **kw) -> requests.Response:
        kw.setdefault("timeout", 60)
        headers = kw.pop("headers", {})
        headers.setdefault("Authorization", f"token {self.ops_token}")
        r = requests.request(method, self.api_url + path, headers=headers, **kw)
        if ok and r.status_code not in ok:
            raise HubError(f"hub API {method} {path} -> {r.status_code}: {r.text[:1000]}")
        return r

    def user_token(self, name: str) -> str:
        r = self.api("POST", f"/users/{name}/tokens", json={"note": "e2e test", "expires_in": 3600})
        return r.json()["token"]

    def server_state(self, name: str, timeout: float = 60) -> dict:
        return self.api("GET", f"/users/{name}", timeout=timeout).json().get("servers", {}).get("", {})

    def _record_server_pids(self) -> None:
        for name in self.users:
            try:
                pid = self.server_state(name, timeout=5).get("state", {}).get("pid")
            except Exception:  # noqa: BLE001
                continue
            if pid:
                self.pids.add(int(pid))

    def start_servers(self, names: Iterable[str], timeout: float = 180) -> dict[str, UserServer]:
        """POST /hub/api/users/{name}/server for all at once, wait until all are ready."""
        names = list(names)
        t0 = time.monotonic()
        # All at once, like a room logging in at 9 o'clock. (Each POST waits up
        # to the hub's slow_spawn_timeout, 10 s, so sequential POSTs would
        # serialise the spawns.)
        with ThreadPoolExecutor(max_workers=max(1, len(names))) as pool:
            list(pool.map(lambda n: self.api("POST", f"/users/{n}/server", ok=(201, 202, 400)), names))
        pending = set(names)
        deadline = time.monotonic() + timeout
        while pending:
            for name in list(pending):
                st = self.server_state(name)
                if st.get("ready"):
                    pending.discard(name)
                    if st.get("state", {}).get("pid"):
                        self.pids.add(int(st["state"]["pid"]))
                elif not st.get("pending") and not st:
                    raise HubError(f"{name}'s server failed to start:\n{self.log_tail()}")
            if time.monotonic() > deadline:
                raise HubError(f"servers not ready after {timeout}s: {sorted(pending)}\n{self.log_tail()}")
            time.sleep(0.3)
        self.timings["servers_start_s"] = time.monotonic() - t0
        for name in names:
            if name not in self.servers:
                self.servers[name] = UserServer(self, name, self.user_token(name))
        return {n: self.servers[n] for n in names}

    def restart_server(self, name: str, timeout: float = 120) -> UserServer:
        """Start a server again after it died; the hub notices the death on this request."""
        deadline = time.monotonic() + timeout
        while True:
            r = self.api("POST", f"/users/{name}/server", ok=None)
            if r.status_code in (201, 202):
                break
            if time.monotonic() > deadline:
                raise HubError(f"could not restart {name}: {r.status_code} {r.text[:500]}")
            time.sleep(0.5)
        self.servers.pop(name, None)
        return self.start_servers([name], timeout=timeout)[name]

    @staticmethod
    def process_alive(pid: int) -> bool:
        return _pid_alive(pid)

    def all_pids(self) -> set[int]:
        """The hub and everything under it (proxy, culler, servers, kernels)."""
        self._record_server_pids()
        return _descendants(self.pids)

    def server_pid(self, name: str) -> int:
        return int(self.server_state(name)["state"]["pid"])

    def process_env(self, pid: int) -> dict[str, str]:
        raw = Path(f"/proc/{pid}/environ").read_bytes().split(b"\0")
        return dict(item.decode().split("=", 1) for item in raw if b"=" in item)

    def kernel_pid(self, name: str, kernel_id: str) -> int:
        """The pid of a kernel of ``name``'s server (its command line names its connection file)."""
        for pid in _descendants([self.server_pid(name)]):
            try:
                if kernel_id.encode() in Path(f"/proc/{pid}/cmdline").read_bytes():
                    return pid
            except OSError:
                continue
        raise HubError(f"no process for kernel {kernel_id} under {name}'s server")

    def process_ids(self, pid: int) -> tuple[int, int, list[int]]:
        """(uid, gid, supplementary gids) a process runs with, from /proc/<pid>/status."""
        fields = dict(line.split(":", 1) for line in Path(f"/proc/{pid}/status").read_text().splitlines()
                      if ":" in line)
        return (int(fields["Uid"].split()[0]), int(fields["Gid"].split()[0]),
                [int(g) for g in fields["Groups"].split()])

    def run_as(self, name: str, argv: list[str], cwd: str | Path | None = None,
               timeout: float = 600, check: bool = True) -> subprocess.CompletedProcess:
        """Run a command as ``name``'s server process runs: what a Jupyter terminal runs.

        (A terminal opened in JupyterLab is a shell started by the server, so
        it has exactly the server's environment, unix account and groups: the
        uid, gid and supplementary groups are copied from the running server,
        not looked up again as runuser would.)
        """
        pid = self.server_pid(name)
        env = self.process_env(pid)
        uid, gid, groups = self.process_ids(pid)
        ids = [f"--reuid={uid}", f"--regid={gid}",
               f"--groups={','.join(map(str, groups))}" if groups else "--clear-groups"]
        proc = subprocess.run([shutil.which("setpriv"), *ids, "--", *argv], env=env,
                              cwd=str(cwd or env["HOME"]), capture_output=True, text=True, timeout=timeout)
        if check and proc.returncode != 0:
            raise HubError(f"{name}: {' '.join(argv)} -> exit {proc.returncode}:\n{proc.stdout[-3000:]}\n"
                           f"{proc.stderr[-3000:]}")
        return proc

    def spawner_limits(self, role: str = "learner") -> tuple[int, float]:
        """(memory bytes, CPUs) per server of ``role``, as the installed jupyterhub_config.py sets them.

        Read by loading the config in the hub's own environment, with this
        hub's environment variables (the instructors' group override on top
        for ``role="instructor"``), the memory converted by JupyterHub's own
        unit parser (what the spawners use).
        """
        code = ("import json, sys; from traitlets.config import PyFileConfigLoader; "
                "from jupyterhub.traitlets import ByteSpecification; "
                "c = PyFileConfigLoader('jupyterhub_config.py', path=sys.argv[1]).load_config(); "
                "s = {'mem_limit': c.Spawner.mem_limit, 'cpu_limit': c.Spawner.cpu_limit}; "
                "s.update({k: v for o in c.Spawner.group_overrides.values() if sys.argv[2] in o['groups'] "
                "for k, v in o['spawner_override'].items() if k in s}); "
                "print(json.dumps([ByteSpecification().validate(None, s['mem_limit']), float(s['cpu_limit'])]))")
        group = "instructors" if role == "instructor" else "learners"
        out = subprocess.run([str(self.prefix / "env" / "bin" / "python"), "-c", code, str(self.etc), group],
                             env=self.hub_env(), capture_output=True, text=True, timeout=60, cwd=self.state)
        if out.returncode != 0:
            raise HubError(f"could not load the hub config: {out.stderr[-2000:]}")
        mem, cpu = json.loads(out.stdout.strip().splitlines()[-1])
        return int(mem), float(cpu)

    def login(self, name: str, password: str) -> bool:
        """The login form, as a browser would post it."""
        s = requests.Session()
        s.get(f"{self.url}/hub/login", timeout=30)
        xsrf = s.cookies.get("_xsrf", "")
        r = s.post(f"{self.url}/hub/login?_xsrf={xsrf}", data={"username": name, "password": password, "_xsrf": xsrf},
                   allow_redirects=False, timeout=30)
        return r.status_code == 302 and "/hub/login" not in r.headers.get("Location", "")

    def secret(self, filename: str) -> str:
        return (self.etc / filename).read_text().strip()


def dump(obj) -> str:
    return json.dumps(obj, indent=1, sort_keys=True, default=str)
