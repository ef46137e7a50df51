import math
print(math.sqrt(16.0))
