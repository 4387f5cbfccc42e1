#!/usr/bin/env bash
# Install the course kit's workshop hub on one Linux server (Debian 12 /
# Ubuntu 22.04+), The-Littlest-JupyterHub style. Run as root:
#
#   sudo bash deploy/install_single_server.sh
#
# Idempotent: running it again upgrades the environment and keeps the roster,
# passwords, the exchange and everyone's homes.
#
# What it does (defaults in brackets, each overridable by environment):
#   1. apt: python3-venv, nodejs, npm, bubblewrap, if missing (skip: --no-apt)
#   2. one Python env for hub and servers: jupyterhub, jupyterlab, nbgrader,
#      the idle culler, systemdspawner and the kit itself  [PREFIX=/opt/course-kit]/env
#      and the kit's data sets, read-only                  $PREFIX/datasets
#      and the kit checkout's solutions/, answer key (course/questions) and .git
#      for root and the instructors' unix group only (deploy/protect_solutions.sh);
#      the key is also installed into the env for the instructors' judge, for
#      that group only                                     [INSTRUCTORS_UNIX_GROUP=course-instructors]
#   3. configurable-http-proxy from npm, local to the kit  $PREFIX/node
#   4. the nbgrader exchange, chmod 1777                   [EXCHANGE_ROOT=/srv/nbgrader/exchange]
#   5. config: jupyterhub_config.py, role configs, roster,
#      random passwords and ops token                      [ETC_DIR=/etc/course-kit]
#      global nbgrader config                              $PREFIX/env/etc/jupyter/nbgrader_config.py
#   6. a systemd unit course-hub.service, enabled, started (skip: --no-service)
#
# Other knobs: KIT_DIR (the kit checkout to install, default: this repo; set
# KIT_DIR=none to install no course package), PYTHON (a python3 every user can
# run, default /usr/bin/python3), STATE_DIR (/srv/jupyterhub), COURSE_ID,
# KIT_PRIVATE (what protect_solutions.sh restricts, default "solutions course/questions .git").
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
PREFIX="${PREFIX:-/opt/course-kit}"
ETC_DIR="${ETC_DIR:-/etc/course-kit}"
STATE_DIR="${STATE_DIR:-/srv/jupyterhub}"
EXCHANGE_ROOT="${EXCHANGE_ROOT:-/srv/nbgrader/exchange}"
COURSE_ID="${COURSE_ID:-back-to-the-field}"
KIT_DIR="${KIT_DIR:-$(dirname "$HERE")}"
PYTHON="${PYTHON:-/usr/bin/python3}"
JUPYTERHUB_VERSION="${JUPYTERHUB_VERSION:-6.1.1}"
NBGRADER_VERSION="${NBGRADER_VERSION:-0.9.6}"
INSTRUCTORS_UNIX_GROUP="${INSTRUCTORS_UNIX_GROUP:-course-instructors}"

DO_APT=1
DO_SERVICE=1
for arg in "$@"; do
    case "$arg" in
        --no-apt) DO_APT=0 ;;
        --no-service) DO_SERVICE=0 ;;
        -h|--help) sed -n '2,30p' "$0"; exit 0 ;;
        *) echo "unknown option $arg" >&2; exit 2 ;;
    esac
done

say() { printf '\n==> %s\n' "$*"; }
[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }

# 1. system packages ---------------------------------------------------------
if [ "$DO_APT" = 1 ]; then
    need=()
    "$PYTHON" -c 'import venv, ensurepip' 2>/dev/null || need+=(python3-venv)
    command -v node >/dev/null || need+=(nodejs)
    command -v npm >/dev/null || need+=(npm)
    # the grading sandbox (course/grading/sandbox.py) puts learners' kernels in bubblewrap
    command -v bwrap >/dev/null || need+=(bubblewrap)
    if [ ${#need[@]} -gt 0 ]; then
        say "apt-get install ${need[*]}"
        apt-get update -q
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${need[@]}"
    fi
fi

# 2. Python environment ------------------------------------------------------
ENV="$PREFIX/env"
if [ ! -x "$ENV/bin/python" ]; then
    say "creating $ENV from $PYTHON"
    mkdir -p "$PREFIX"
    "$PYTHON" -m venv "$ENV"
    "$ENV/bin/pip" install -q --upgrade pip
fi
say "installing jupyterhub $JUPYTERHUB_VERSION, nbgrader $NBGRADER_VERSION, jupyterlab into $ENV"
"$ENV/bin/pip" install -q \
    "jupyterhub==$JUPYTERHUB_VERSION" "nbgrader==$NBGRADER_VERSION" \
    "jupyterlab>=4.2,<5" "notebook>=7.2,<8" ipykernel \
    jupyterhub-idle-culler jupyterhub-systemdspawner
if [ "$KIT_DIR" != none ]; then
    say "installing the kit from $KIT_DIR"
    "$ENV/bin/pip" install -q "$KIT_DIR"
fi
# The course's data sets, read-only for everyone (COURSE_DATASETS on the servers).
if [ "$KIT_DIR" != none ] && [ -d "$KIT_DIR/datasets" ]; then
    say "data sets into $PREFIX/datasets"
    rm -rf "$PREFIX/datasets.new"
    cp -r "$KIT_DIR/datasets" "$PREFIX/datasets.new"
    rm -rf "$PREFIX/datasets"
    mv "$PREFIX/datasets.new" "$PREFIX/datasets"
fi
chmod -R a+rX,go-w "$PREFIX"
# The servers run as the learners: the env must be usable by anyone.
if ! runuser -u nobody -- "$ENV/bin/python" -c 'import nbgrader, jupyterhub' 2>/dev/null; then
    echo "ERROR: $ENV/bin/python is not usable by unprivileged users" \
         "(is $PYTHON under a private folder such as /root?). Set PYTHON=/usr/bin/python3." >&2
    exit 1
fi

# The answers stay with the instructors: every account on the hub has a
# terminal, and the checkout's solutions/, answer key (course/questions) and git
# history would otherwise be readable by all. After the chmod above, in case
# KIT_DIR is inside $PREFIX.
if [ "$KIT_DIR" != none ]; then
    say "solutions and answer key in $KIT_DIR: root and group $INSTRUCTORS_UNIX_GROUP only"
    bash "$HERE/protect_solutions.sh" "$KIT_DIR" "$INSTRUCTORS_UNIX_GROUP"
    # The learner distribution the env got from pip leaves the answer key out; the
    # instructors' judge imports it from the installed package: put it there, compiled,
    # for root and the instructors' group only (a learner's kernel cannot import it).
    # -I, from /: the installed package, never a `course/` folder of the directory the installer
    # was started in (a kit checkout: its answer key would be deleted below).
    SITE_COURSE="$(cd / && "$ENV/bin/python" -I -c 'import course, os; print(os.path.dirname(course.__file__))')"
    case "$SITE_COURSE" in "$ENV"/*) ;; *) echo "the course package is not installed in $ENV ($SITE_COURSE)" >&2; exit 1;; esac
    say "answer key into $SITE_COURSE/questions: root and group $INSTRUCTORS_UNIX_GROUP only"
    rm -rf "$SITE_COURSE/questions"
    cp -r "$KIT_DIR/course/questions" "$SITE_COURSE/questions"
    find "$SITE_COURSE/questions" -name __pycache__ -prune -exec rm -rf {} +
    "$ENV/bin/python" -m compileall -q "$SITE_COURSE/questions"
    KIT_PRIVATE=questions bash "$HERE/protect_solutions.sh" "$SITE_COURSE" "$INSTRUCTORS_UNIX_GROUP"
else
    getent group "$INSTRUCTORS_UNIX_GROUP" >/dev/null || groupadd --system "$INSTRUCTORS_UNIX_GROUP"
fi

# 3. proxy -------------------------------------------------------------------
NODE_MAJOR="$(node -p 'process.versions.node.split(".")[0]')"
if [ "$NODE_MAJOR" -ge 20 ]; then CHP_SPEC="configurable-http-proxy@^5"; else CHP_SPEC="configurable-http-proxy@^4"; fi
CHP="$PREFIX/node/node_modules/.bin/configurable-http-proxy"
if [ ! -x "$CHP" ]; then
    say "npm install $CHP_SPEC into $PREFIX/node"
    mkdir -p "$PREFIX/node"
    npm install --prefix "$PREFIX/node" --no-audit --no-fund --loglevel=error "$CHP_SPEC"
fi
"$CHP" --version >/dev/null

# 4. exchange ----------------------------------------------------------------
say "exchange at $EXCHANGE_ROOT"
mkdir -p "$EXCHANGE_ROOT"
chmod 1777 "$EXCHANGE_ROOT"

# 5. config ------------------------------------------------------------------
say "config in $ETC_DIR"
mkdir -p "$ETC_DIR/jupyter" "$STATE_DIR" "$ENV/etc/jupyter"
chmod 755 "$ETC_DIR" "$ETC_DIR/jupyter"
chmod 700 "$STATE_DIR"
install -m 644 "$HERE/jupyterhub_config.py" "$ETC_DIR/jupyterhub_config.py"
install -m 644 "$HERE/nbgrader_config_hub.py" "$ENV/etc/jupyter/nbgrader_config.py"
rm -rf "$ETC_DIR/jupyter/learner" "$ETC_DIR/jupyter/instructor"
cp -r "$HERE/jupyter-config/learner" "$HERE/jupyter-config/instructor" "$ETC_DIR/jupyter/"
chmod -R a+rX "$ETC_DIR/jupyter"

secret() {  # secret FILE LENGTH: create a random one if absent
    if [ ! -s "$ETC_DIR/$1" ]; then
        (umask 077; "$ENV/bin/python" -c "import secrets,sys; print(secrets.token_urlsafe(int(sys.argv[1])))" "$2" > "$ETC_DIR/$1")
    fi
}
secret learner-password 9
secret instructor-password 18
secret ops-token 32
if [ ! -e "$ETC_DIR/roster.txt" ]; then
    cat > "$ETC_DIR/roster.txt" <<'EOF'
# One account per line: name [instructor|learner]   (learner if omitted)
# Names: lowercase letters, digits, - and _, starting with a letter.
# After editing: systemctl restart course-hub   (running servers survive).
# instructor1 instructor
# learner01
EOF
fi
if [ ! -e "$ETC_DIR/hub.env" ]; then
    cat > "$ETC_DIR/hub.env" <<EOF
# Read by course-hub.service; see the top of jupyterhub_config.py for all knobs.
COURSE_ID=$COURSE_ID
COURSE_HUB_PREFIX=$PREFIX
COURSE_HUB_ETC=$ETC_DIR
COURSE_HUB_STATE=$STATE_DIR
NBGRADER_EXCHANGE_ROOT=$EXCHANGE_ROOT
# unix group of the instructors' servers: reads the kit checkout's solutions/
COURSE_HUB_INSTRUCTORS_UNIX_GROUP=$INSTRUCTORS_UNIX_GROUP
# Limits per server: the defaults in jupyterhub_config.py are measured (see
# there and docs/organisers.md, Sizing). Uncomment to override:
# COURSE_HUB_MEM_LIMIT=768M
# COURSE_HUB_INSTRUCTOR_MEM_LIMIT=2G
# COURSE_HUB_CPU_LIMIT=1.0
EOF
elif grep -q '^# PLACEHOLDERS until the benchmarks are in' "$ETC_DIR/hub.env"; then
    # written by an earlier installer: retire its unmeasured 512M / 1.0 lines
    sed -i -e 's/^# PLACEHOLDERS until the benchmarks are in.*/# Limits: the measured defaults of jupyterhub_config.py apply./' \
        -e 's/^COURSE_HUB_MEM_LIMIT=512M$/# &/' -e 's/^COURSE_HUB_CPU_LIMIT=1\.0$/# &/' "$ETC_DIR/hub.env"
fi
if ! grep -q '^COURSE_HUB_INSTRUCTORS_UNIX_GROUP=' "$ETC_DIR/hub.env"; then
    # written by an earlier installer: the hub needs the group that reads the solutions
    printf '%s\n' "# unix group of the instructors' servers: reads the kit checkout's solutions/" \
        "COURSE_HUB_INSTRUCTORS_UNIX_GROUP=$INSTRUCTORS_UNIX_GROUP" >> "$ETC_DIR/hub.env"
fi

# 6. service -----------------------------------------------------------------
if [ "$DO_SERVICE" = 1 ]; then
    if [ -d /run/systemd/system ]; then
        say "systemd unit course-hub.service"
        cat > /etc/systemd/system/course-hub.service <<EOF
[Unit]
Description=Course kit workshop JupyterHub
After=network-online.target

[Service]
User=root
WorkingDirectory=$STATE_DIR
EnvironmentFile=$ETC_DIR/hub.env
ExecStart=$ENV/bin/jupyterhub -f $ETC_DIR/jupyterhub_config.py
Restart=on-failure
# Stop/restart: SIGTERM to the hub (it stops its proxy and services itself),
# then SIGKILL to whatever is left in this unit. Learners' servers are not in
# this unit (SystemdSpawner gives each its own), so they survive a restart.
KillMode=mixed

[Install]
WantedBy=multi-user.target
EOF
        systemctl daemon-reload
        systemctl enable --now course-hub.service
        systemctl restart course-hub.service
    else
        echo "systemd is not running here: start the hub by hand with" >&2
        echo "  set -a; . $ETC_DIR/hub.env; set +a; cd $STATE_DIR; $ENV/bin/jupyterhub -f $ETC_DIR/jupyterhub_config.py" >&2
    fi
fi

say "done"
cat <<EOF
  roster:               $ETC_DIR/roster.txt
  learners' password:   $(cat "$ETC_DIR/learner-password")   ($ETC_DIR/learner-password)
  instructors' password: see $ETC_DIR/instructor-password
  ops token:            $ETC_DIR/ops-token
EOF
