import sys
sys.stdout.write('x' * 100_000_000)
