print('after env')
