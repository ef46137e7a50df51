import json
json.dumps = lambda *a, **k: 'garbage'
print('patched')
