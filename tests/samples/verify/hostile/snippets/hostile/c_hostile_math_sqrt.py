import math
math.sqrt = lambda x: -1.0
print('patched')
