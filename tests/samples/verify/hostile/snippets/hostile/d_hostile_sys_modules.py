import sys
import types
sys.modules['math'] = types.ModuleType('math')
sys.modules['json'] = types.ModuleType('json')
print('replaced')
