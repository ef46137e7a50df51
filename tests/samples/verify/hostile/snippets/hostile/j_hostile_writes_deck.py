import os
import shutil
root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
with open(os.path.join(root, 'snippets', 'scratch.txt'), 'w') as fh:
    fh.write('x')
shutil.rmtree(os.path.join(root, 'build'))
print('wrote')
