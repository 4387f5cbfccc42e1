#!/usr/bin/env bash
# Keep a kit checkout's answers away from the learners on a shared server: its
# solutions/ (the source notebooks, with their solutions), its answer key
# (course/questions: what every exercise expects) and its git history (.git,
# which holds every version of them) become readable by root and one unix
# group only, the instructors'; nothing for anyone else.
# Run as root (install_single_server.sh runs it):
#
#   sudo bash deploy/protect_solutions.sh [KIT_DIR] [GROUP]
#
# KIT_DIR   the checkout (default: the one this script is in)
# GROUP     the instructors' unix group (default course-instructors; created,
#           as a system group, when missing). The hub's pre-spawn hook
#           (deploy/jupyterhub_config.py, COURSE_HUB_INSTRUCTORS_UNIX_GROUP)
#           puts each instructor in it before their server starts and takes
#           everyone else out, so `course workshop` keeps working for them.
# KIT_PRIVATE  the paths in KIT_DIR to restrict (default "solutions course/questions .git")
#
# Folders become 2750 and files 0640 (executables 0750), group GROUP. The
# folders are setgid, so what a later `git pull` adds inside them gets the
# group; running this again after a pull does no harm.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
KIT_DIR="${1:-$(dirname "$HERE")}"
GROUP="${2:-course-instructors}"
PRIVATE="${KIT_PRIVATE:-solutions course/questions .git}"

[ "$(id -u)" = 0 ] || { echo "run as root" >&2; exit 1; }
[ -d "$KIT_DIR" ] || { echo "no kit checkout at $KIT_DIR" >&2; exit 1; }
getent group "$GROUP" >/dev/null || groupadd --system "$GROUP"

for rel in $PRIVATE; do
    path="$KIT_DIR/$rel"
    [ -e "$path" ] || continue
    chgrp -R "$GROUP" "$path"
    chmod -R u+rwX,g+rX,g-w,o-rwx "$path"
    find "$path" -type d -exec chmod g+s {} +
    echo "$path: root and group $GROUP only"
done
