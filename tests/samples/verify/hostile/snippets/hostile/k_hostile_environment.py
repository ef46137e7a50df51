import os
import tempfile
secrets = [k for k in os.environ if 'SECRET' in k]
assert not secrets, secrets
home = os.environ['HOME']
assert os.getcwd() == home == os.environ['TMPDIR'] == tempfile.gettempdir()
print('clean')
