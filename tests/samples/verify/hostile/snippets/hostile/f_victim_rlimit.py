import resource
soft = resource.getrlimit(resource.RLIMIT_AS)[0]
print('capped', soft != resource.RLIM_INFINITY)
