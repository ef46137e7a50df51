print('small')
