# A fresh, empty temporary working directory.
import os
import tempfile

assert os.listdir(".") == [], os.listdir(".")
assert os.getcwd().startswith(os.path.realpath(tempfile.gettempdir()))
