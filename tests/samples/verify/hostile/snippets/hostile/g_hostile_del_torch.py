import sys
for name in [n for n in sys.modules if n.split('.')[0] == 'torch']:
    del sys.modules[name]
print('deleted')
