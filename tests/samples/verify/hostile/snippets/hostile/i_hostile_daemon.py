import os
import time
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        time.sleep(1.5)
        with open(os.path.join(root, 'cards', 'planted.md'), 'w') as fh:
            fh.write('planted by a daemon')
    os._exit(0)
print('spawned')
