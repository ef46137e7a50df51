import json
import math
print(json.dumps({'pi': round(math.pi, 2)}))
