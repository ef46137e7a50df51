print('still verified')
