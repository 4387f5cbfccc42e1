"""``python -m course.grading.sandbox``: one line per protection on this machine ("NOT" marks a gap)."""
from .report import describe_protection

print("\n".join(describe_protection()))
