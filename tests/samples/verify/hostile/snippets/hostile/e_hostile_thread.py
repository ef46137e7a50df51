import threading
import time


def spam():
    while True:
        print('SPAM', flush=True)
        time.sleep(0.01)


threading.Thread(target=spam, daemon=True).start()
time.sleep(0.05)
