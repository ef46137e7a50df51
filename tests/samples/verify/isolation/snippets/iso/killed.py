import os
import signal
os.kill(os.getpid(), signal.SIGKILL)  # what the kernel's OOM killer does
