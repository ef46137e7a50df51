import time
time.sleep(2.5)
print('no daemon')
