"""nbgrader settings for the learner's Validate button under `course start` (read from this folder,
on the JupyterLab process's config path): its kernel's connection is encrypted where the
environment can, like the notebook kernels, so it prints no "running over TCP without encryption"."""
from course.launch import encryption_flags

c = get_config()  # noqa: F821 (provided by nbgrader)
if encryption_flags():
    c.KernelManager.transport_encryption = "auto"
