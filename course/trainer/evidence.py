"""When was a file handed in? What a learning platform's export itself says, strongest first.

1. a time written in the file's or a folder's name (some exports and renaming plugins add one);
2. the zip entry's own time (`ZipInfo.date_time`): Moodle's "download all submissions" stores each
   file with the time it was stored on the server; nbgrader's extractor (setuptools' unpacker) gives
   every extracted file the extraction time instead, so the zip is read again here;
3. for Canvas: the `LATE` marker in the name (late, but not by how much) and the upload number
   (Canvas numbers uploads in order, so a larger number is a later upload). Canvas builds its zip at
   download time, so its entry times say when the trainer downloaded, not when the learner submitted,
   and are not used;
4. a loose file's modification time (weak: a browser sets it to the download time);
5. the order of the files in the export, as a last resort only.

Zip times carry no time zone: they are read in `tz` (the trainer's local zone unless told).
"""
from __future__ import annotations

import io
import os
import re
import tarfile
import zipfile
from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone, tzinfo
from pathlib import Path, PurePosixPath

from . import wording as say

NAME_TIME = "name"
ZIP_TIME = "zip"
FILE_TIME = "file"
EXCHANGE_TIME = "exchange"
STRONG = (NAME_TIME, ZIP_TIME, EXCHANGE_TIME)

# 2026-01-02 09:30, 2026-01-02T09:30:15, 2026-01-02_09-30, 2026.01.02 09h30 (a separator in each part, so
# Moodle's and Canvas's plain numbers are never read as dates)
_NAME_TIME = re.compile(r"(?<!\d)(20\d\d)[-.](\d\d)[-.](\d\d)[ T_-](\d\d)[:h.-](\d\d)(?:[:.-](\d\d))?(?!\d)")


@dataclass(frozen=True)
class Evidence:
    """What the export says about when one file was handed in."""

    time: str = ""                 # ISO 8601 in UTC, or "" when the export gives none
    how: str = ""                  # NAME_TIME, ZIP_TIME, FILE_TIME, EXCHANGE_TIME or ""
    late: bool = False             # the platform marked it late (Canvas's LATE marker)
    upload_id: int | None = None   # Canvas's upload number
    position: int = 0              # place in the export, for the last resort

    @property
    def moment(self) -> datetime | None:
        return datetime.fromisoformat(self.time) if self.time else None

    def describe(self) -> str:
        """The evidence in the trainer's words, e.g. 'submitted 2026-01-02 09:30 UTC (the zip entry's time)'."""
        when = self.moment.strftime("%Y-%m-%d %H:%M UTC") if self.time else ""
        parts = []
        if self.how == NAME_TIME:
            parts.append(say.BY_NAME_TIME.format(time=when))
        elif self.how in (ZIP_TIME, EXCHANGE_TIME):
            parts.append(say.BY_ZIP_TIME.format(time=when) if self.how == ZIP_TIME else f"submitted {when}")
        elif self.how == FILE_TIME:
            parts.append(say.BY_FILE_TIME.format(time=when))
        if self.upload_id is not None:
            parts.append(say.BY_UPLOAD_ID.format(upload_id=self.upload_id))
        if self.late:
            parts.append(say.CANVAS_LATE)
        return "; ".join(parts) or "no time in the export"

    def to_json(self) -> dict:
        return asdict(self)

    @classmethod
    def from_json(cls, data: dict | None) -> "Evidence":
        return cls(**{k: v for k, v in (data or {}).items() if k in cls.__dataclass_fields__})


def newer(a: Evidence, b: Evidence) -> bool | None:
    """Whether `a` was handed in after `b`, by evidence both carry; None when the export cannot tell."""
    if a.time and b.time and (a.how in STRONG) == (b.how in STRONG) and a.time != b.time:
        return a.moment > b.moment
    if a.upload_id is not None and b.upload_id is not None and a.upload_id != b.upload_id:
        return a.upload_id > b.upload_id
    return None


def newest_first(items: list, evidence) -> tuple[list, str]:
    """Items sorted newest first by `evidence(item)`, and how the first was told apart ('' if it could not be)."""
    def key(item):
        e = evidence(item)
        strong = e.time if e.how in STRONG else ""
        return (strong, e.upload_id if e.upload_id is not None else -1, e.time, e.position)

    ordered = sorted(items, key=key, reverse=True)
    if len(ordered) < 2:
        return ordered, "only version"
    top, second = evidence(ordered[0]), evidence(ordered[1])
    told = newer(top, second)
    return ordered, (top.describe() if told else "")


def name_time(path: str) -> datetime | None:
    """A date and time written in a file or folder name (the last one in the path), as UTC-aware."""
    found = None
    for match in _NAME_TIME.finditer(path):
        year, month, day, hour, minute, second = (int(g or 0) for g in match.groups())
        try:
            found = datetime(year, month, day, hour, minute, second)
        except ValueError:
            continue
    return found


def as_utc(moment: datetime, tz: tzinfo | None) -> datetime:
    """A naive platform time read in `tz` (None: this machine's local zone), in UTC."""
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=tz) if tz else moment.astimezone()
    return moment.astimezone(timezone.utc)


def _stem(name: str) -> str:
    """The folder nbgrader's extractor unpacks an archive into ('work.zip' -> 'work', 'x.tar.gz' -> 'x')."""
    stem, _ = os.path.splitext(name)
    base, ext = os.path.splitext(stem)
    return base if ext == ".tar" else stem


def _members(data: bytes, name: str):
    """(entry path, naive time, bytes or None) for each file in a zip or tar archive given as bytes."""
    if zipfile.is_zipfile(io.BytesIO(data)):
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    yield info.filename, datetime(*info.date_time), archive.read(info)
        return
    try:
        with tarfile.open(fileobj=io.BytesIO(data)) as archive:
            for member in archive.getmembers():
                if member.isfile():
                    stream = archive.extractfile(member)
                    moment = datetime.fromtimestamp(member.mtime, timezone.utc).replace(tzinfo=None)
                    yield member.name, moment, stream.read() if stream else b""
    except tarfile.TarError:
        return


def archive_times(inbox: Path, zip_ext: list[str], tz: tzinfo | None = None) -> dict[str, tuple[datetime, str, int]]:
    """Extracted path (relative, as nbgrader's extractor lays it out) -> (UTC time, how, position)."""
    times: dict[str, tuple[datetime, str, int]] = {}
    counter = iter(range(10**9))

    def walk(data: bytes, name: str, folder: PurePosixPath) -> None:
        for entry, moment, content in _members(data, name):
            parts = PurePosixPath(entry).parts
            if entry.startswith("/") or ".." in parts:
                continue  # the extractor skips these too
            rel = folder / entry
            times[str(rel)] = (as_utc(moment, tz), ZIP_TIME, next(counter))
            if os.path.splitext(entry)[1] in zip_ext and content:
                walk(content, entry, rel.parent / _stem(rel.name))

    for root, _, files in os.walk(inbox):
        rel_root = PurePosixPath(Path(root).relative_to(inbox).as_posix())
        for name in sorted(files):
            path = Path(root) / name
            rel = rel_root / name if str(rel_root) != "." else PurePosixPath(name)
            if os.path.splitext(name)[1] in zip_ext:
                walk(path.read_bytes(), name, rel.parent / _stem(name))
            else:
                modified = datetime.fromtimestamp(path.stat().st_mtime, timezone.utc)
                times[str(rel)] = (modified, FILE_TIME, next(counter))
    return times


def stamp_extracted(extracted: Path, times: dict[str, tuple[datetime, str, int]]) -> None:
    """Give extracted files back their archive times, so the kept copy carries the evidence too."""
    for rel, (moment, _, _) in times.items():
        path = extracted / rel
        if path.is_file():
            seconds = moment.timestamp()
            os.utime(path, (seconds, seconds))


def file_evidence(shown: str, platform_info: dict, archive: tuple[datetime, str, int] | None,
                  platform: str, tz: tzinfo | None = None) -> Evidence:
    """The evidence for one extracted file: its name, the platform's markers, its archive time."""
    from_name = name_time(shown)
    late = bool(platform_info.get("late"))
    upload = platform_info.get("upload_id")
    upload_id = int(upload) if upload and str(upload).isdigit() else None
    position = archive[2] if archive else 0
    if from_name is not None:
        return Evidence(as_utc(from_name, tz).isoformat(), NAME_TIME, late, upload_id, position)
    if archive and not (platform == "canvas" and archive[1] == ZIP_TIME):
        return Evidence(archive[0].isoformat(), archive[1], late, upload_id, position)
    return Evidence("", "", late, upload_id, position)


def submitted_at(evidence: Evidence, due: datetime | None) -> tuple[datetime | None, str]:
    """The time to write in timestamp.txt (naive UTC, as nbgrader stores it), and a note when it is inferred."""
    if evidence.time and evidence.how in STRONG:
        return evidence.moment.astimezone(timezone.utc).replace(tzinfo=None), ""
    if evidence.late and due is not None:
        return due + timedelta(seconds=1), say.LATE_NO_TIME.format(due=due.strftime("%Y-%m-%d %H:%M UTC"))
    return None, ""
