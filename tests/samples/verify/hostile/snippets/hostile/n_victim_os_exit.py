print('after exit')
