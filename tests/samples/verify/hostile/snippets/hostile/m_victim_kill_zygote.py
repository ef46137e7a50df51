print('after zygote')
