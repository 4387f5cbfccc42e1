"""JupyterHub config for a workshop on one server (The Littlest JupyterHub style).

One machine, one course, 10-40 people. Every hub user is a real unix account
(created on first spawn), so nbgrader's default filesystem exchange works as
designed: files in the shared exchange are owned by whoever submitted them.

Run it as root with the kit's environment (deploy/install_single_server.sh
sets all of this up and writes a systemd unit):

    /opt/course-kit/env/bin/jupyterhub -f /etc/course-kit/jupyterhub_config.py

Every setting below can be changed with an environment variable (the systemd
unit reads /etc/course-kit/hub.env); the defaults are the kit's defaults.

    COURSE_ID                 nbgrader course id                 back-to-the-field
    COURSE_HUB_PREFIX         where the installer put things     /opt/course-kit
    COURSE_HUB_USER_ENV       Python env of the servers          $PREFIX/env
    COURSE_HUB_CHP            configurable-http-proxy binary     $PREFIX/node/node_modules/.bin/configurable-http-proxy
    COURSE_HUB_ETC            roster, passwords, role configs    /etc/course-kit
    COURSE_HUB_STATE          hub database, cookie secret        /srv/jupyterhub
    NBGRADER_EXCHANGE_ROOT    shared exchange (chmod 1777)       /srv/nbgrader/exchange
    COURSE_HUB_HOME_BASE      parent of the learners' homes      /home
    COURSE_HUB_DATASETS       read-only data for the notebooks   $PREFIX/datasets
    COURSE_HUB_IP / _PORT     public address                     "" (all) / 8000
    COURSE_HUB_HUB_PORT       hub's internal API port            8081
    COURSE_HUB_PROXY_API_PORT proxy's internal API port          8001
    COURSE_HUB_SPAWNER        systemd | local                    systemd when it runs
    COURSE_HUB_AUTH           workshop | firstuse | pam | dummy  workshop
    COURSE_HUB_MEM_LIMIT      memory per learner's server        768M  (measured, see below)
    COURSE_HUB_INSTRUCTOR_MEM_LIMIT   ... per instructor's       2G    (measured, see below)
    COURSE_HUB_CPU_LIMIT      CPUs per server                    1.0   (measured, see below)
    COURSE_HUB_CULL_IDLE      stop servers idle this many s      7200 (0 = never)
    COURSE_HUB_OPS_TOKEN      token of the "course-ops" service  $ETC/ops-token
    COURSE_HUB_INSTRUCTORS_UNIX_GROUP  unix group that reads the kit's solutions  course-instructors
    COURSE_HUB_SSL_KEY/_CERT  serve HTTPS directly               unset

Roles
-----
* ``$ETC/roster.txt`` lists the accounts, one per line: ``name [instructor|learner]``.
  Only those names can log in. They are put in the JupyterHub groups
  ``instructors`` and ``learners``.
* Learners' servers run with nbgrader's Assignments list and Validate only.
* Instructors' servers run the formgrader on ``~/course`` (the nbgrader course
  folder), and the ``instructor`` role lets them see every learner's server in
  the admin panel, start / stop it, and open it to help.
* Instructors' accounts are in the unix group ``course-instructors``, which
  alone (with root) can read the kit checkout's ``solutions/`` and ``.git``
  (deploy/protect_solutions.sh), so ``course workshop`` works in their
  terminals; learners' accounts are taken out of it before each start.
* The ``course-ops`` service token (admin) is for scripts: roster changes,
  pre-starting servers before a session, the end-to-end test.
"""

import grp
import os
import pwd
import shutil
import subprocess
import sys
from pathlib import Path

c = get_config()  # noqa: F821  (provided by JupyterHub when it loads this file)


def _env(name, default):
    value = os.environ.get(name)
    return value if value not in (None, "") else default


# ---------------------------------------------------------------------------
# Where things are
# ---------------------------------------------------------------------------
COURSE_ID = _env("COURSE_ID", "back-to-the-field")
PREFIX = Path(_env("COURSE_HUB_PREFIX", "/opt/course-kit"))
USER_ENV = Path(_env("COURSE_HUB_USER_ENV", PREFIX / "env"))
CHP = _env("COURSE_HUB_CHP", str(PREFIX / "node" / "node_modules" / ".bin" / "configurable-http-proxy"))
ETC = Path(_env("COURSE_HUB_ETC", "/etc/course-kit"))
STATE = Path(_env("COURSE_HUB_STATE", "/srv/jupyterhub"))
EXCHANGE_ROOT = _env("NBGRADER_EXCHANGE_ROOT", "/srv/nbgrader/exchange")
HOME_BASE = Path(_env("COURSE_HUB_HOME_BASE", "/home"))
DATASETS = _env("COURSE_HUB_DATASETS", str(PREFIX / "datasets"))
ROSTER = Path(_env("COURSE_HUB_ROSTER", ETC / "roster.txt"))
ROLE_CONFIG = ETC / "jupyter"  # learner/ and instructor/, from deploy/jupyter-config/

# ---------------------------------------------------------------------------
# Resources per server (a learner's or instructor's JupyterLab and its kernels).
# Enforced by SystemdSpawner (cgroups: MemoryMax, CPUQuota) and by Kubernetes;
# LocalProcessSpawner only passes them to the server as MEM_LIMIT / CPU_LIMIT.
# A server that reaches its memory limit is killed (nothing saved is lost).
#
# Where the numbers come from (measured on the loopback test hub: 2-core
# Debian 12 machine, Python 3.11, JupyterLab 4, JupyterHub 6.1.1, nbgrader 0.9.6):
#   learner's JupyterLab server, no kernel yet                    150-165 MB
#   ... after opening and running notebooks (peak)                 up to 220 MB
#   one kernel running the heaviest module (m3, m6), peak          177-180 MB
#     (the other modules 150-174 MB: benchmarks/modules.py)
#   -> a learner with one module running                           about 390 MB
#   instructor's server after a first grading round                about 300 MB
#   ... and about 20 MB more per submission autograded in the
#       formgrader, kept until the server restarts (nbgrader
#       autogrades inside the server; plain nbgrader does the same)
#   grading kernel + judge, on top of the server, peak             160-310 MB
# Limits:
#   learner    = server peak + two kernels of the heaviest module (a second
#                notebook left running) + 25 %:
#                (220 + 2 x 180) x 1.25 = 725 -> 768M
#   instructor = a 40-learner round graded in the formgrader without a restart:
#                server 300 + 37 x 21 growth + grading peak 310 + a kernel of
#                their own 180, + 25 % = 1959 -> 2G
#   CPU        = 1 each: Run All of the heaviest module costs about 1.2-1.7
#                CPU-seconds in the kernel and 0.2-0.4 in the server; a kernel
#                is single-threaded, so 1 CPU never slows a learner's cell, and
#                a runaway cell cannot take the whole machine.
# Re-measure after changing a module or the environment (and adjust here,
# in z2jh-values.yaml and in docs/organisers.md):
#   .venv/bin/python -m pytest tests/hub -s      the [hub-e2e] lines: server_peak_mb and
#       kernel_peak_mb (test_learner_memory_heaviest_module), growth_per_autograde_mb and
#       grading_children_peak_mb (test_instructor_memory_grading); the tests fail when
#       these limits no longer hold the measured figures by the rules above
#   .venv/bin/python benchmarks/modules.py       kernel peak per module
# ---------------------------------------------------------------------------
MEM_LIMIT = _env("COURSE_HUB_MEM_LIMIT", "768M")
INSTRUCTOR_MEM_LIMIT = _env("COURSE_HUB_INSTRUCTOR_MEM_LIMIT", "2G")
CPU_LIMIT = float(_env("COURSE_HUB_CPU_LIMIT", "1.0"))

INSTRUCTORS_GROUP = "instructors"
LEARNERS_GROUP = "learners"
# The unix group (not a JupyterHub group) that may read the kit checkout's
# solutions/ and .git: deploy/protect_solutions.sh, run by the installer.
INSTRUCTORS_UNIX_GROUP = _env("COURSE_HUB_INSTRUCTORS_UNIX_GROUP", "course-instructors")

# ---------------------------------------------------------------------------
# Network: the proxy is the only public port; hub API and proxy API stay local.
# ---------------------------------------------------------------------------
PUBLIC_IP = _env("COURSE_HUB_IP", "")
PUBLIC_PORT = int(_env("COURSE_HUB_PORT", "8000"))
HUB_PORT = int(_env("COURSE_HUB_HUB_PORT", "8081"))
PROXY_API_PORT = int(_env("COURSE_HUB_PROXY_API_PORT", "8001"))

scheme = "https" if os.environ.get("COURSE_HUB_SSL_CERT") else "http"
c.JupyterHub.bind_url = f"{scheme}://{PUBLIC_IP}:{PUBLIC_PORT}"
if scheme == "https":
    c.JupyterHub.ssl_cert = os.environ["COURSE_HUB_SSL_CERT"]
    c.JupyterHub.ssl_key = os.environ["COURSE_HUB_SSL_KEY"]
c.JupyterHub.hub_bind_url = f"http://127.0.0.1:{HUB_PORT}"
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{PROXY_API_PORT}"
c.ConfigurableHTTPProxy.command = [CHP]
c.ConfigurableHTTPProxy.pid_file = str(STATE / "jupyterhub-proxy.pid")

c.JupyterHub.db_url = f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
# A hub restart (config change, roster change) must not kill the learners'
# servers: they keep running and the hub picks them up again.
c.JupyterHub.cleanup_servers = _env("COURSE_HUB_CLEANUP_SERVERS", "0") == "1"
# The 9 o'clock rush: everyone logs in at once.
c.JupyterHub.concurrent_spawn_limit = int(_env("COURSE_HUB_CONCURRENT_SPAWNS", "20"))


# ---------------------------------------------------------------------------
# Roster -> allowed users and groups
# ---------------------------------------------------------------------------
def read_roster(path):
    """``name [role]`` per line, ``#`` comments; role is instructor or learner."""
    people = {}
    if not path.exists():
        print(f"[course-kit] no roster at {path}: nobody can log in", file=sys.stderr)
        return people
    for raw in path.read_text().splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        parts = line.split()
        name = parts[0].lower()
        role = parts[1].lower() if len(parts) > 1 else "learner"
        if role not in ("instructor", "learner"):
            raise ValueError(f"{path}: unknown role {role!r} for {name!r}")
        people[name] = role
    return people


ROSTER_PEOPLE = read_roster(ROSTER)
INSTRUCTORS = sorted(n for n, r in ROSTER_PEOPLE.items() if r == "instructor")
LEARNERS = sorted(n for n, r in ROSTER_PEOPLE.items() if r == "learner")

c.Authenticator.allowed_users = set(ROSTER_PEOPLE)
# Usernames become unix account names.
c.Authenticator.username_pattern = r"^[a-z][a-z0-9_-]{0,30}$"
c.Authenticator.blocked_users = {"root", "admin", "nobody"}
c.JupyterHub.load_groups = {
    INSTRUCTORS_GROUP: {"users": INSTRUCTORS},
    LEARNERS_GROUP: {"users": LEARNERS},
}


# ---------------------------------------------------------------------------
# Authentication
# ---------------------------------------------------------------------------
def _secret(name, filename):
    """A secret from $NAME or from $ETC/<filename> (first line)."""
    if os.environ.get(name):
        return os.environ[name]
    path = ETC / filename
    if path.exists():
        return path.read_text().strip().splitlines()[0].strip()
    return None


AUTH = _env("COURSE_HUB_AUTH", "workshop")
if AUTH == "workshop":
    from jupyterhub.authenticators.shared import SharedPasswordAuthenticator
    from secrets import compare_digest

    class WorkshopAuthenticator(SharedPasswordAuthenticator):
        """Shared passwords, one for learners and one for instructors.

        JupyterHub's SharedPasswordAuthenticator lets anyone with the password
        log in as any non-admin user; here the learners' password does not open
        an instructor's account (instructors have a password of their own).
        Learners can still log in as each other: fine for a workshop, not for
        an exam (use COURSE_HUB_AUTH=firstuse or an OAuth login then).
        """

        async def authenticate(self, handler, data):
            username = self.normalize_username(data["username"])
            password = data["password"]
            if username in INSTRUCTORS:
                expected = INSTRUCTOR_PASSWORD
                if expected and compare_digest(password, expected):
                    return {"name": username}
                return None
            return await super().authenticate(handler, data)

    INSTRUCTOR_PASSWORD = _secret("COURSE_HUB_INSTRUCTOR_PASSWORD", "instructor-password")
    c.JupyterHub.authenticator_class = WorkshopAuthenticator
    c.SharedPasswordAuthenticator.user_password = _secret(
        "COURSE_HUB_LEARNER_PASSWORD", "learner-password"
    )
elif AUTH == "firstuse":
    # pip install jupyterhub-firstuseauthenticator: each person picks their
    # password at first login (what TLJH does by default).
    c.JupyterHub.authenticator_class = "firstuseauthenticator.FirstUseAuthenticator"
    c.FirstUseAuthenticator.create_users = False
elif AUTH == "pam":
    c.JupyterHub.authenticator_class = "pam"
elif AUTH == "dummy":
    # Tests only: any password is accepted.
    c.JupyterHub.authenticator_class = "dummy"
else:
    raise ValueError(f"COURSE_HUB_AUTH={AUTH!r}: use workshop, firstuse, pam or dummy")


# ---------------------------------------------------------------------------
# Roles
# ---------------------------------------------------------------------------
c.JupyterHub.load_roles = [
    {
        "name": "instructor",
        "description": "Workshop instructors: watch, start/stop and open learners' servers",
        "groups": [INSTRUCTORS_GROUP],
        "scopes": [
            "self",
            "admin-ui",
            "list:users",
            "read:users",
            "read:users:activity",
            "read:groups",
            "read:servers",
            f"servers!group={LEARNERS_GROUP}",
            f"access:servers!group={LEARNERS_GROUP}",
        ]
        # The single-user servers check access themselves and do not resolve
        # group filters (JupyterHub's HubAuth.check_scopes), so name each
        # learner on the roster too; the group filter covers learners added
        # later through the admin panel (until the next hub restart).
        + [f"access:servers!user={name}" for name in LEARNERS]
        + [f"servers!user={name}" for name in LEARNERS],
    },
]

OPS_TOKEN = _secret("COURSE_HUB_OPS_TOKEN", "ops-token")
services = []
if OPS_TOKEN:
    services.append({"name": "course-ops", "api_token": OPS_TOKEN})
    c.JupyterHub.load_roles.append(
        {"name": "course-ops", "services": ["course-ops"], "scopes": ["admin:users", "admin:groups",
         "admin:servers", "admin:server_state", "tokens", "access:servers", "read:hub", "list:users",
         "read:users", "read:groups", "proxy"]}
    )

CULL_IDLE = int(_env("COURSE_HUB_CULL_IDLE", "7200"))
try:
    import jupyterhub_idle_culler  # noqa: F401

    have_culler = True
except ImportError:
    have_culler = False
if CULL_IDLE > 0 and have_culler:
    # Frees memory at lunch / overnight; nothing is lost (see docs/organisers.md).
    services.append(
        {
            "name": "idle-culler",
            "command": [sys.executable, "-m", "jupyterhub_idle_culler", f"--timeout={CULL_IDLE}"],
        }
    )
    c.JupyterHub.load_roles.append(
        {
            "name": "idle-culler",
            "services": ["idle-culler"],
            "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
        }
    )
c.JupyterHub.services = services


# ---------------------------------------------------------------------------
# Spawner: real unix users, created on first spawn
# ---------------------------------------------------------------------------
def ensure_unix_user(name):
    """Create the unix account ``name`` with a private home under HOME_BASE."""
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        home = HOME_BASE / name
        subprocess.run(
            ["useradd", "--create-home", "--home-dir", str(home), "--shell", "/bin/bash",
             "--user-group", "--comment", "course-kit hub user", name],
            check=True,
        )
        entry = pwd.getpwnam(name)
        os.chmod(entry.pw_dir, 0o700)  # learners cannot read each other's work
    if entry.pw_uid < 1000:
        raise RuntimeError(f"refusing to start a server for system account {name!r}")
    return entry


def sync_instructors_unix_group(name, instructor):
    """Put ``name`` in INSTRUCTORS_UNIX_GROUP if an instructor, take them out otherwise.

    Before the server starts: the spawner gives the server the account's groups
    as they are then (LocalProcessSpawner: getgrouplist at start; SystemdSpawner:
    SupplementaryGroups below). Someone moved from instructor to learner on the
    roster loses the group at their next server start.
    """
    try:
        members = set(grp.getgrnam(INSTRUCTORS_UNIX_GROUP).gr_mem)
    except KeyError:
        if not instructor:
            return
        subprocess.run(["groupadd", "--system", INSTRUCTORS_UNIX_GROUP], check=True)
        members = set()
    if instructor and name not in members:
        subprocess.run(["usermod", "--append", "--groups", INSTRUCTORS_UNIX_GROUP, name], check=True)
    elif not instructor and name in members:
        subprocess.run(["gpasswd", "--delete", name, INSTRUCTORS_UNIX_GROUP], check=True,
                       stdout=subprocess.DEVNULL)


def pre_spawn_hook(spawner):
    name = spawner.user.name
    entry = ensure_unix_user(name)
    groups = {g.name for g in spawner.user.groups}
    sync_instructors_unix_group(name, INSTRUCTORS_GROUP in groups)
    if INSTRUCTORS_GROUP in groups:
        # nbgrader course folder for the formgrader: ~/course
        course = Path(entry.pw_dir) / "course"
        if not course.exists():
            course.mkdir(parents=True)
            shutil.chown(course, entry.pw_uid, entry.pw_gid)


c.Spawner.pre_spawn_hook = pre_spawn_hook

SPAWNER = _env("COURSE_HUB_SPAWNER", "")
if not SPAWNER:
    try:
        import systemdspawner  # noqa: F401

        SPAWNER = "systemd" if Path("/run/systemd/system").is_dir() else "local"
    except ImportError:
        SPAWNER = "local"

if SPAWNER == "systemd":
    # pip install jupyterhub-systemdspawner. Each server is a transient
    # systemd unit with MemoryMax / CPUQuota from mem_limit / cpu_limit.
    c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
    c.SystemdSpawner.unit_name_template = "jupyter-{USERNAME}-singleuser"
    c.SystemdSpawner.isolate_tmp = True
    c.SystemdSpawner.isolate_devices = True
    c.SystemdSpawner.disable_user_sudo = True
    c.SystemdSpawner.default_shell = "/bin/bash"
elif SPAWNER == "local":
    # Plain processes under setuid; limits are not enforced (see above).
    c.JupyterHub.spawner_class = "localprocess"
else:
    raise ValueError(f"COURSE_HUB_SPAWNER={SPAWNER!r}: use systemd or local")

# The kit's own JupyterLab defaults (autosave every 30 s, no news feed, no
# extension manager...) and its learner kernel (friendly errors from the first
# cell, notebooks not marked modified on open: course/kernel.py), the same as
# `course` sets up on a laptop: the course package's settings folder goes on
# every server's JUPYTER_CONFIG_PATH, after the role folder. (The laptop-only
# folder, course/jupyter_laptop, does not: the hub has an exchange.) Skipped
# when the hub env has no course package.
try:
    from course import launch as _kit_launch

    KIT_CONFIG_PATH = [str(_kit_launch.SETTINGS_DIR)]
    KIT_LAB_FLAGS = list(_kit_launch.QUIET_FLAGS)
except Exception as e:  # noqa: BLE001
    print(f"[course-kit] course package not importable ({e}); no kit Lab settings", file=sys.stderr)
    KIT_CONFIG_PATH, KIT_LAB_FLAGS = [], []


def _config_path(role):
    return os.pathsep.join([str(ROLE_CONFIG / role)] + KIT_CONFIG_PATH)


c.Spawner.ip = "127.0.0.1"
c.Spawner.args = KIT_LAB_FLAGS
c.Spawner.cmd = [str(USER_ENV / "bin" / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.notebook_dir = "~"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60
c.Spawner.mem_limit = MEM_LIMIT
c.Spawner.cpu_limit = CPU_LIMIT
c.Spawner.environment = {
    "PATH": f"{USER_ENV / 'bin'}:/usr/local/bin:/usr/bin:/bin",
    "COURSE_ID": COURSE_ID,
    "NBGRADER_EXCHANGE_ROOT": EXCHANGE_ROOT,
    "COURSE_DATASETS": DATASETS,
    "COURSE_HUB_ROLE": "learner",
    "JUPYTER_CONFIG_PATH": _config_path("learner"),
}
INSTRUCTOR_OVERRIDE = {
    "mem_limit": INSTRUCTOR_MEM_LIMIT,
    "environment": {
        "COURSE_HUB_ROLE": "instructor",
        "JUPYTER_CONFIG_PATH": _config_path("instructor"),
        "NBGRADER_COURSE_ROOT": "~/course",
    },
}
if SPAWNER == "systemd":
    # systemd sets a unit's supplementary groups from the group database too;
    # said explicitly, so the instructors' servers have the group whatever the
    # systemd version does with a numeric User= (SystemdSpawner passes --uid).
    INSTRUCTOR_OVERRIDE["unit_extra_properties"] = {"SupplementaryGroups": INSTRUCTORS_UNIX_GROUP}
c.Spawner.group_overrides = {
    "01-instructors": {"groups": [INSTRUCTORS_GROUP], "spawner_override": INSTRUCTOR_OVERRIDE},
}
