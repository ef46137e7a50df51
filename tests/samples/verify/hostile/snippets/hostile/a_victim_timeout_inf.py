print('victim', 2 + 2)
