"""Bounded outputs: what a learner's kernel sends is measured before the grader decodes or keeps it.

`GuardedSession` is the kernel client's message reader. An output message (stream, display, result,
error) larger than the per-output cap is never decoded: a short note takes its place. One that does
not decode (a number of more digits than Python reads, nesting deeper than the decoder goes) or that
nests deeper than the cap becomes a note as well, so nothing downstream (nbformat's writer, the
judge, the feedback exporter) ever meets it. `Budget` then caps what one notebook keeps in total,
while outputs arrive, with a separate budget for the answers handed to the judge.
"""
from __future__ import annotations

import json

from jupyter_client.session import Session
from traitlets import Integer

from ... import messages as msg

OUTPUT_TYPES = ("stream", "display_data", "execute_result", "error", "update_display_data")
COMM_TYPES = ("comm_open", "comm_msg", "comm_close")
CUT_KEY = "course_cut"                    # output metadata marking a note put in place of an output
MIB = 1024 * 1024


def human_size(n: int) -> str:
    """A byte count in words a trainer reads at a glance."""
    return f"{n / MIB:.1f} MB" if n >= MIB / 10 else f"{n / 1024:.0f} kB"


def depth_over(value, limit: int) -> int:
    """How many levels `value` nests, if that is more than `limit`, else 0; iterative and bounded by `limit`."""
    level, depth = ([value] if isinstance(value, (dict, list)) else []), 0
    while level:
        depth += 1
        if depth > limit:
            return depth
        level = [child for item in level for child in (item.values() if isinstance(item, dict) else item)
                 if isinstance(child, (dict, list))]
    return 0


def note_content(msg_type: str, why: str) -> dict:
    """Message content of `msg_type` that says, in place of the real content, why it was not kept."""
    text = msg.OUTPUT_CUT.format(why=why)
    meta = {CUT_KEY: why}
    if msg_type == "stream":
        return {"name": "stderr", "text": text + "\n"}
    if msg_type == "error":
        return {"ename": "OutputCut", "evalue": text, "traceback": [text]}
    if msg_type in COMM_TYPES:
        return {"comm_id": "", "target_name": "", "data": {}}
    content = {"data": {"text/plain": text}, "metadata": meta, "transient": {}}
    if msg_type == "execute_result":
        content["execution_count"] = None
    return content


def note_output(why: str):
    """A display output saying why an output was not kept (for the notebook-wide budget)."""
    from nbformat.v4 import new_output

    return new_output("display_data", data={"text/plain": msg.OUTPUT_CUT.format(why=why)},
                      metadata={CUT_KEY: why})


class GuardedSession(Session):
    """A jupyter_client Session that bounds output messages before decoding them."""

    max_output_bytes = Integer(MIB, help="Largest output message decoded and kept, bytes.").tag(config=True)
    max_comm_bytes = Integer(32 * MIB, help="Largest widget (comm) message decoded, bytes.").tag(config=True)
    max_output_depth = Integer(64, help="Deepest nesting kept in an output's data.").tag(config=True)

    def deserialize(self, msg_list, content: bool = True, copy: bool = True) -> dict:
        """As Session.deserialize, with output and widget messages bounded in size, digits and depth."""
        message = super().deserialize(msg_list, content=False, copy=copy)
        if not content:
            return message
        if self.auth is not None:
            first = msg_list[0]
            self._add_digest(first if isinstance(first, bytes) else bytes(first.bytes))
        raw = message["content"]
        raw = raw if isinstance(raw, (bytes, str)) else bytes(raw.bytes)
        message["content"] = self.bounded(message["msg_type"], raw)
        return message

    def bounded(self, msg_type: str, raw: bytes | str) -> dict:
        """The decoded content, or a note when it is too big, unreadable or too deep."""
        guarded = msg_type in OUTPUT_TYPES
        cap = self.max_output_bytes if guarded else self.max_comm_bytes if msg_type in COMM_TYPES else 0
        if cap and len(raw) > cap:
            return note_content(msg_type, msg.CUT_SIZE.format(size=human_size(len(raw)), limit=human_size(cap)))
        try:
            content = self.unpack(raw)
        except (ValueError, RecursionError) as error:
            if not (guarded or msg_type in COMM_TYPES):
                raise
            return note_content(msg_type, msg.CUT_UNREADABLE.format(error=_short(error)))
        if guarded and depth_over(content, self.max_output_depth):
            return note_content(msg_type, msg.CUT_DEPTH.format(limit=self.max_output_depth))
        return content


def _short(error: BaseException) -> str:
    """The first sentence of a decoding error, without the decoder's position details."""
    if isinstance(error, RecursionError):
        return "it nests deeper than the grader reads"
    return str(error).split(";")[0].split(": line")[0][:160]


class Budget:
    """What one notebook may keep in total: outputs, and (apart) the answers handed to the judge."""

    def __init__(self, outputs: int, answers: int, answer_mime: str):
        self.left = {"outputs": outputs, "answers": answers}
        self.limits = dict(self.left)
        self.answer_mime = answer_mime
        self.sizes: dict[int, tuple[str, int]] = {}

    def kind(self, output) -> str:
        """Which budget an output draws on."""
        return "answers" if self.answer_mime in output.get("data", {}) else "outputs"

    def take(self, output, copies: int = 1) -> bool:
        """Draw an arriving output (kept `copies` times) from its budget; False when the budget cannot hold it."""
        kind, size = self.kind(output), copies * len(json.dumps(output, separators=(",", ":")))
        if size > self.left[kind]:
            return False
        self.left[kind] -= size
        self.sizes[id(output)] = (kind, size)
        return True

    def give_back(self, outputs) -> None:
        """Cleared outputs no longer count."""
        for output in outputs:
            kind, size = self.sizes.pop(id(output), ("outputs", 0))
            self.left[kind] += size

    def why(self, output) -> str:
        """The note's reason for an output the budget refused."""
        kind = self.kind(output)
        return msg.CUT_BUDGET.format(limit=human_size(self.limits[kind]),
                                     what="answers handed to the grader" if kind == "answers" else "outputs")
